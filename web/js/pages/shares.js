// pages/shares.js - the links I made to share credentials (/shares): to
// whom, until when, whether they are still active, how often and when they
// were last opened; revoking one stops it at once.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get, del, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { confirmAction } from '../forms.js';
import { text } from '../elements.js';

await initPage({ requireLogin: true });
const main = document.getElementById('main');
let shares = [];
let titles = new Map();

function stateLabel(state) {
  switch (state) {
    case 'active': return t('shares.state.active');
    case 'expired': return t('shares.state.expired');
    case 'revoked': return t('shares.state.revoked');
    default: return text(state);
  }
}

function render() {
  const box = document.getElementById('shares');
  if (!shares.length) {
    box.replaceChildren(el('p', { class: 'empty' }, t('shares.empty')));
    applyI18n(main);
    return;
  }
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden' }, t('shares.heading')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('share.field.recipient')),
      el('th', { scope: 'col' }, t('shares.col_items')),
      el('th', { scope: 'col' }, t('field.status')),
      el('th', { scope: 'col' }, t('shares.col_expires')),
      el('th', { scope: 'col' }, t('shares.col_opened')),
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('common.actions'))))),
    el('tbody', {}, shares.map((s) => {
      const items = (Array.isArray(s.items) ? s.items : []).map((id) => el('li', {},
        titles.has(id) ? el('a', { href: `/credential?id=${encodeURIComponent(id)}` }, titles.get(id)) : t('shares.item_removed')));
      const state = text(s.state);
      return el('tr', { 'data-share': text(s.id), 'data-state': state, class: state !== 'active' ? 'revoked' : null },
        el('th', { scope: 'row' }, text(s.recipient), s.access_code ? el('span', { class: 'meta-inline' }, ` · ${t('shares.with_code')}`) : ''),
        el('td', {}, el('ul', { class: 'plain-list' }, items)),
        el('td', {}, el('span', { class: `badge badge-share-${/^[a-z]+$/.test(state) ? state : 'other'}` }, stateLabel(state))),
        el('td', {}, formatDate(text(s.expires_at))),
        el('td', {}, t('shares.opened', { count: Number(s.open_count) || 0 }),
          s.last_opened_at ? el('span', { class: 'meta-inline' }, ` · ${t('shares.last_opened', { date: formatDate(text(s.last_opened_at), true) })}`) : ''),
        el('td', {}, state === 'active' ? el('button', {
          type: 'button', class: 'button button-small button-danger', 'data-revoke': text(s.id),
          'aria-label': t('shares.revoke_named', { recipient: text(s.recipient) }),
        }, t('shares.revoke')) : ''));
    }))));
  applyI18n(main);
}

async function reload() {
  const [list, wallet] = await Promise.all([get('/shares'), get('/wallet')]);
  shares = Array.isArray(list.items) ? list.items : [];
  titles = new Map((wallet.items || []).map((i) => [i.id, text(i.title)]));
  render();
}

try {
  await reload();
} catch (e) {
  showMessage(problemText(e), 'error');
}
document.addEventListener('mc:languagechange', render);

document.getElementById('shares').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-revoke]');
  if (!button) return;
  const share = shares.find((s) => s.id === button.dataset.revoke);
  if (!(await confirmAction('shares.revoke_confirm', 'shares.revoke', { recipient: share ? text(share.recipient) : '' }))) return;
  try {
    await del(`/shares/${seg(button.dataset.revoke)}`);
    await reload();
    showMessage(t('shares.revoked'), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
