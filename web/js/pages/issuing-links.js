// pages/issuing-links.js - the row of links between the provider's pages
// (specifications, issue, batch, awards), with the current one marked.
import { el } from '../layout.js';
import { applyI18n, t } from '../i18n.js';

const LINKS = [
  { page: 'specifications', key: 'issuing.nav.specifications' },
  { page: 'issue', key: 'issuing.nav.issue' },
  { page: 'batches', key: 'issuing.nav.batches' },
  { page: 'awards', key: 'issuing.nav.awards' },
];

// renderIssuingLinks(slug, current): fills <ul id="issuing-links">.
export function renderIssuingLinks(slug, current) {
  const list = document.getElementById('issuing-links');
  if (!list) return;
  const orgPath = `/orgs/${encodeURIComponent(slug)}`;
  list.setAttribute('aria-label', t('issuing.nav.label'));
  list.replaceChildren(...LINKS.map((l) => el('li', {},
    el('a', { href: `${orgPath}/${l.page}`, 'data-i18n': l.key, 'aria-current': l.page === current ? 'page' : null }))));
  applyI18n(list);
}
