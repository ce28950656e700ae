// pages/members.js - the members of an organisation
// (/orgs/{slug}/members): list, and for its org admins add (by e-mail of an
// existing account) and remove (one role at a time).
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { roleLabel } from '../labels.js';
import { onSubmit, confirmAction } from '../forms.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const isOrgAdmin = session.hasRole(slug, 'org-admin');
const box = document.getElementById('members-list');
const form = document.getElementById('members-form');
let items = null;
let org = null;

function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'members.empty' }));
  } else {
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'members.heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'field.name' }),
        el('th', { scope: 'col', 'data-i18n': 'field.email' }),
        el('th', { scope: 'col', 'data-i18n': 'field.role' }),
        isOrgAdmin ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })) : null)),
      el('tbody', {}, items.map((m) => el('tr', {},
        el('th', { scope: 'row' }, m.user.name || ''),
        el('td', {}, m.user.email),
        el('td', {}, roleLabel(m.role)),
        isOrgAdmin ? el('td', {}, el('button', {
          type: 'button', class: 'button button-small button-danger',
          'data-user': m.user.id, 'data-role': m.role,
          'aria-label': t('members.remove_named', { name: m.user.name || m.user.email, role: roleLabel(m.role) }),
        }, t('members.remove'))) : null)))));
  }
  applyI18n(box);
}

function renderHeading() {
  const name = org ? (org.legal_name || org.slug) : slug;
  const crumb = document.getElementById('crumb-org');
  crumb.textContent = name;
  crumb.href = `/orgs/${encodeURIComponent(slug)}`;
  setPageHeading(t('members.heading_org', { org: name }));
}

async function load() {
  const data = await get(`${base}/members`);
  items = data.items || [];
  render();
}

document.getElementById('members-add').hidden = !isOrgAdmin;
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
  await post(`${base}/members`, { email: data.email, role: data.role });
  form.reset();
  await load();
  showMessage(t('members.added', { email: data.email }), 'success');
});

box.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-user]');
  if (!button) return;
  const m = items.find((x) => String(x.user.id) === button.dataset.user && x.role === button.dataset.role);
  const who = m ? (m.user.name || m.user.email) : '';
  if (!(await confirmAction('members.remove_confirm', 'members.remove', { name: who, role: roleLabel(button.dataset.role) }))) return;
  try {
    await del(`${base}/members/${seg(button.dataset.user)}?role=${encodeURIComponent(button.dataset.role)}`);
    await load();
    showMessage(t('members.removed', { name: who }), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
