// pages/requests.js - the learner's requests for micro-credentials
// (/requests): what was asked of whom, its status, and a link to each.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { requestBadge, kindLabel, specTitleById } from './loop-common.js';

await initPage({ requireLogin: true });
const box = document.getElementById('requests-list');
let items = null;

async function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'requests.empty' }));
  } else {
    const titles = await Promise.all(items.map((r) => specTitleById(r.spec_id)));
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'requests.heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'requests.col.specification' }),
        el('th', { scope: 'col', 'data-i18n': 'request.fact.kind' }),
        el('th', { scope: 'col', 'data-i18n': 'request.fact.status' }),
        el('th', { scope: 'col', 'data-i18n': 'requests.col.updated' }))),
      el('tbody', {}, items.map((r, i) => el('tr', { 'data-request': r.id },
        el('th', { scope: 'row' }, el('a', { href: `/request?id=${encodeURIComponent(r.id)}` }, titles[i] || t('request.unknown_spec')),
          el('span', { class: 'meta block' }, r.org_slug)),
        el('td', {}, kindLabel(r.kind)),
        el('td', {}, requestBadge(r.status), r.status === 'more-evidence' ? el('span', { class: 'meta block' }, t('requests.action_needed')) : null),
        el('td', {}, formatDate(r.updated_at, true)))))));
  }
  applyI18n(box);
  box.removeAttribute('aria-busy');
}

try {
  items = (await get('/award-requests')).items || [];
  await render();
} catch (e) {
  showMessage(problemText(e), 'error');
}
document.addEventListener('mc:languagechange', render);
