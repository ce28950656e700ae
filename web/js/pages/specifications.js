// pages/specifications.js - an organisation's specifications
// (/orgs/{slug}/specifications): every draft with its latest published
// version and review date, links to the editor, to issuing and to batches.
import { initPage, el, problemText, showMessage, orgSlugFromPath } from '../layout.js';
import { get, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { specTitle, orgCrumb } from '../issuing.js';
import { renderIssuingLinks } from './issuing-links.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const orgPath = `/orgs/${encodeURIComponent(slug)}`;
const box = document.getElementById('specs-list');
let items = null;

document.getElementById('spec-new').href = `${orgPath}/specification`;
renderIssuingLinks(slug, 'specifications');

function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'specs.empty' }));
    applyI18n(box);
    return;
  }
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden', 'data-i18n': 'specs.heading' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', 'data-i18n': 'spec.field.title' }),
      el('th', { scope: 'col', 'data-i18n': 'specs.col.version' }),
      el('th', { scope: 'col', 'data-i18n': 'specs.col.updated' }),
      el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })))),
    el('tbody', {}, items.map((s) => {
      const title = specTitle(s);
      const edit = `${orgPath}/specification?id=${encodeURIComponent(s.id)}`;
      return el('tr', { 'data-spec': s.id },
        el('th', { scope: 'row' }, el('a', { href: edit }, title),
          s.review_due ? [' ', el('span', { class: 'badge badge-pending' }, t('specs.review_due'))] : null),
        el('td', {}, s.latest_version > 0 ? t('specs.version_n', { version: s.latest_version }) : t('specs.draft_only')),
        el('td', {}, formatDate(s.updated_at, true)),
        el('td', {}, el('span', { class: 'link-list' },
          el('a', { href: edit, 'aria-label': t('specs.edit_named', { title }) }, t('specs.edit')),
          s.latest_version > 0 ? [
            el('a', { href: `${orgPath}/issue?spec=${encodeURIComponent(s.id)}`, 'aria-label': t('specs.issue_named', { title }) }, t('specs.issue')),
            el('a', { href: `${orgPath}/batches?spec=${encodeURIComponent(s.id)}`, 'aria-label': t('specs.batch_named', { title }) }, t('specs.batch')),
          ] : null)));
    }))));
  applyI18n(box);
}

try {
  const [data, org] = await Promise.all([get(`${base}/specifications`), get(base).catch(() => null)]);
  orgCrumb(slug, org);
  items = data.items || [];
  render();
} catch (e) {
  orgCrumb(slug, null);
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => { render(); renderIssuingLinks(slug, 'specifications'); });
