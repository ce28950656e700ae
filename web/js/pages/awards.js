// pages/awards.js - the awards an organisation has issued
// (/orgs/{slug}/awards): search and filters (free text, specification,
// status, issue dates, batch) kept in the address so a filtered list can be
// bookmarked, pages of 50, a CSV export of the same filter, and revoke /
// suspend / reinstate with a reason.
import { initPage, el, problemText, showMessage, orgSlugFromPath } from '../layout.js';
import { get, post, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { publishedSpecs, specTitle, orgCrumb, awardStatusBadge, query } from '../issuing.js';
import { renderIssuingLinks } from './issuing-links.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const orgPath = `/orgs/${encodeURIComponent(slug)}`;
const canIssue = session.hasRole(slug, 'org-admin') || session.hasRole(slug, 'issuer');
const filter = document.getElementById('awards-filter');
const box = document.getElementById('awards-list');
const LIMIT = 50;
const FILTERS = ['q', 'specification_id', 'status', 'from', 'to', 'batch_id'];
// The texts of each action (literal keys, so the i18n check finds them).
const ACTIONS = {
  suspend: { label: 'awards.suspend', named: 'awards.suspend_named', confirm: 'awards.confirm_suspend', done: 'awards.done_suspend' },
  reinstate: { label: 'awards.reinstate', named: 'awards.reinstate_named', confirm: 'awards.confirm_reinstate', done: 'awards.done_reinstate' },
  revoke: { label: 'awards.revoke', named: 'awards.revoke_named', confirm: 'awards.confirm_revoke', done: 'awards.done_revoke' },
};
let specs = [];
let items = null;
let total = 0;
const params = query();
const offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);

renderIssuingLinks(slug, 'awards');
filter.action = `${orgPath}/awards`;
document.getElementById('awards-clear').href = `${orgPath}/awards`;

function apiQuery(extra = {}) {
  const q = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) q.set(f, params.get(f));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

function fillFilter() {
  const spec = document.getElementById('awards-spec');
  spec.replaceChildren(el('option', { value: '' }, t('awards.any_specification')),
    ...specs.map((s) => el('option', { value: s.id }, specTitle(s))));
  for (const f of FILTERS) {
    const field = filter.elements.namedItem(f);
    if (field) field.value = params.get(f) || '';
  }
}

function actionButton(a, action) {
  return el('button', { type: 'button', class: `button button-small ${action === 'revoke' ? 'button-danger' : 'button-quiet'}`,
    'data-award': a.id, 'data-action': action,
    'aria-label': t(ACTIONS[action].named, { name: a.learner_name }) }, t(ACTIONS[action].label));
}

function render() {
  if (items === null) return;
  const from = items.length ? offset + 1 : 0;
  document.getElementById('awards-total').textContent = t('awards.total', { from, to: offset + items.length, total });
  document.getElementById('awards-total').dataset.total = String(total);
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'awards.empty' }));
  } else {
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'awards.heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'awards.col.learner' }),
        el('th', { scope: 'col', 'data-i18n': 'awards.col.title' }),
        el('th', { scope: 'col', 'data-i18n': 'awards.col.issued' }),
        el('th', { scope: 'col', 'data-i18n': 'awards.field.status' }),
        canIssue ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })) : null)),
      el('tbody', {}, items.map((a) => el('tr', { 'data-award': a.id, class: a.status === 'revoked' ? 'revoked' : null },
        el('th', { scope: 'row' }, a.learner_name, a.learner_email ? el('span', { class: 'meta block' }, a.learner_email) : null),
        el('td', {}, a.title, ' ', el('span', { class: 'meta' }, t('specs.version_n', { version: a.specification_version }))),
        el('td', {}, formatDate(a.issued_at, true),
          a.valid_until ? el('span', { class: 'meta block' }, t('awards.valid_until', { date: formatDate(a.valid_until) })) : null),
        el('td', {}, awardStatusBadge(a.status), a.status_reason ? el('span', { class: 'meta block' }, a.status_reason) : null),
        canIssue ? el('td', {}, el('span', { class: 'link-list' },
          a.status === 'active' ? actionButton(a, 'suspend') : null,
          a.status === 'suspended' ? actionButton(a, 'reinstate') : null,
          a.status !== 'revoked' ? actionButton(a, 'revoke') : null)) : null)))));
  }
  applyI18n(box);
  const pager = document.getElementById('awards-pager');
  const link = (o, key) => el('a', { href: `${orgPath}/awards?${apiQuery(o ? { offset: String(o) } : {})}`, 'data-i18n': key });
  pager.replaceChildren(...[
    offset > 0 ? link(Math.max(0, offset - LIMIT), 'common.previous') : null,
    offset + items.length < total ? link(offset + LIMIT, 'common.next') : null].filter(Boolean));
  applyI18n(pager);
}

// Asks for the reason in a modal dialog; resolves {ok, reason}.
function askReason(action, award) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = el('dialog', { class: 'confirm', 'aria-labelledby': 'reason-title' },
      el('form', { method: 'dialog' },
        el('p', { id: 'reason-title' }, t(ACTIONS[action].confirm, { name: award.learner_name })),
        el('div', { class: 'field' },
          el('label', { for: 'reason-text', 'data-i18n': 'awards.reason' }),
          el('textarea', { id: 'reason-text', rows: 2, maxlength: 255 })),
        el('div', { class: 'actions' },
          el('button', { type: 'submit', class: `button ${action === 'revoke' ? 'button-danger' : ''}`, value: 'yes', 'data-i18n': ACTIONS[action].label }),
          el('button', { type: 'submit', class: 'button button-quiet', value: 'no', 'data-i18n': 'common.cancel' }))));
    applyI18n(dialog);
    document.body.append(dialog);
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'yes';
      const reason = dialog.querySelector('#reason-text').value.trim();
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve({ ok, reason });
    });
    dialog.showModal();
    dialog.querySelector('#reason-text').focus();
  });
}

async function load() {
  const data = await get(`${base}/awards?${apiQuery({ limit: String(LIMIT), offset: String(offset) })}`);
  items = data.items || [];
  total = data.total || 0;
  render();
}

box.addEventListener('click', async (event) => {
  const b = event.target.closest('button[data-action]');
  if (!b) return;
  const award = items.find((a) => a.id === b.dataset.award);
  if (!award) return;
  const action = b.dataset.action;
  const { ok, reason } = await askReason(action, award);
  if (!ok) return;
  try {
    await post(`${base}/awards/${seg(award.id)}/${action}`, reason ? { reason } : {});
    await load();
    showMessage(t(ACTIONS[action].done, { name: award.learner_name }), 'success');
    document.querySelector('main h1').focus();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

document.addEventListener('mc:languagechange', () => { fillFilter(); render(); });

document.getElementById('awards-csv').href = `/api/v1${base}/awards?${apiQuery({ format: 'csv', limit: '10000' })}`;
try {
  const [list, org] = await Promise.all([publishedSpecs(slug).catch(() => []), get(base).catch(() => null)]);
  specs = list;
  orgCrumb(slug, org);
  fillFilter();
  await load();
} catch (e) {
  orgCrumb(slug, null);
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
