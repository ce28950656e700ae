// pages/organisations.js - the register of organisations: GET
// /api/v1/organisations (approved ones; a platform admin sees all).
import { initPage, el, problemText, showMessage, safeHref } from '../layout.js';
import { get } from '../api.js';
import { applyI18n, countryName } from '../i18n.js';
import { statusBadge } from '../labels.js';

const session = await initPage();
if (session.signedIn) document.getElementById('orgs-new').hidden = false;

const box = document.getElementById('orgs-list');
let items = null;

function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'orgs.empty' }));
  } else {
    box.replaceChildren(el('ul', { class: 'org-list' }, items.map((o) => el('li', { class: 'card' },
      el('h2', {}, el('a', { href: `/orgs/${encodeURIComponent(o.slug)}` }, o.legal_name || o.slug)),
      el('p', { class: 'meta' },
        o.country ? countryName(o.country) : null,
        o.status && o.status !== 'approved' ? [' ', statusBadge(o.status)] : null),
      o.website ? el('p', { class: 'meta' }, el('a', { href: safeHref(o.website), rel: 'noopener' }, o.website)) : null))));
  }
  applyI18n(box);
}

try {
  const data = await get('/organisations');
  items = data.items || [];
  render();
} catch (e) {
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', render);
