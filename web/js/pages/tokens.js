// pages/tokens.js - API tokens of an organisation (/orgs/{slug}/tokens):
// list, create (the secret is shown once, right after creation) and revoke.
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { roleLabel } from '../labels.js';
import { onSubmit, confirmAction } from '../forms.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const box = document.getElementById('tokens-list');
const form = document.getElementById('tokens-form');
const created = document.getElementById('token-created');
const value = document.getElementById('token-value');
let items = null;
let org = null;

function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'tokens.empty' }));
  } else {
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'tokens.heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'tokens.field.name' }),
        el('th', { scope: 'col', 'data-i18n': 'field.role' }),
        el('th', { scope: 'col', 'data-i18n': 'tokens.field.created_at' }),
        el('th', { scope: 'col', 'data-i18n': 'tokens.field.last_used_at' }),
        el('th', { scope: 'col', 'data-i18n': 'field.status' }),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })))),
      el('tbody', {}, items.map((k) => el('tr', { class: k.revoked_at ? 'revoked' : null },
        el('th', { scope: 'row' }, k.name),
        el('td', {}, roleLabel(k.role)),
        el('td', {}, formatDate(k.created_at, true)),
        el('td', {}, k.last_used_at ? formatDate(k.last_used_at, true) : t('tokens.never_used')),
        el('td', {}, k.revoked_at
          ? t('tokens.revoked_on', { date: formatDate(k.revoked_at, true) })
          : el('span', { class: 'badge badge-approved' }, t('tokens.active'))),
        el('td', {}, k.revoked_at ? null : el('button', {
          type: 'button', class: 'button button-small button-danger', 'data-token': k.id,
          'aria-label': t('tokens.revoke_named', { name: k.name }),
        }, t('tokens.revoke'))))))));
  }
  applyI18n(box);
}

function renderHeading() {
  const name = org ? (org.legal_name || org.slug) : slug;
  const crumb = document.getElementById('crumb-org');
  crumb.textContent = name;
  crumb.href = `/orgs/${encodeURIComponent(slug)}`;
  setPageHeading(t('tokens.heading_org', { org: name }));
}

async function load() {
  const data = await get(`${base}/tokens`);
  items = data.items || [];
  render();
}

renderHeading();
try {
  const [o] = await Promise.all([get(base).catch(() => null), load()]);
  org = o;
  renderHeading();
} catch (e) {
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => { render(); renderHeading(); });

onSubmit(form, async (data) => {
  const token = await post(`${base}/tokens`, { name: data.name, role: data.role });
  form.reset();
  value.value = token.token || '';
  created.hidden = false;
  created.focus();
  await load().catch((e) => showMessage(problemText(e), 'error'));
});

document.getElementById('token-copy').addEventListener('click', async () => {
  value.select();
  try {
    await navigator.clipboard.writeText(value.value);
  } catch {
    document.execCommand('copy');
  }
  showMessage(t('tokens.copied'), 'success');
});

// The secret leaves the page once the user says they have it.
document.getElementById('token-done').addEventListener('click', () => {
  value.value = '';
  created.hidden = true;
  document.getElementById('tokens-add-heading').focus();
});

box.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-token]');
  if (!button) return;
  const k = items.find((x) => String(x.id) === button.dataset.token);
  if (!(await confirmAction('tokens.revoke_confirm', 'tokens.revoke', { name: k ? k.name : '' }))) return;
  try {
    await del(`${base}/tokens/${seg(button.dataset.token)}`);
    await load();
    showMessage(t('tokens.revoked', { name: k ? k.name : '' }), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
