// pages/catalogue.js - the public catalogue of published micro-credentials
// (/catalogue): free-text search (every language of the title, description,
// learning outcomes and tags), filters by EQF level, ECTS, language,
// country, organisation and ESCO skill, pages of 20, and the same result
// as JSON or as ELM learning opportunities for download.
//
// The search form is a plain GET form: the filters live in the address, so
// a search can be bookmarked and works with the back button.
import { initPage, el, problemText, showMessage, safeHref } from '../layout.js';
import { get } from '../api.js';
import { applyI18n, t, formatDate, countryName } from '../i18n.js';
import { fillCountries } from '../forms.js';
import { langText, languageName, CONTENT_LANGUAGES, query } from '../issuing.js';

await initPage();
const FILTERS = ['q', 'level_min', 'level_max', 'ects_min', 'ects_max', 'language', 'country', 'organisation', 'skill'];
const LIMIT = 20;
const form = document.getElementById('catalogue-form');
const box = document.getElementById('catalogue-results');
const params = query();
const offset = Math.max(0, Number.parseInt(params.get('offset') || '0', 10) || 0);
let orgs = [];
let data = null;

function apiQuery(extra = {}) {
  const q = new URLSearchParams();
  for (const f of FILTERS) if (params.get(f)) q.set(f, params.get(f));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}

function fillForm() {
  for (const select of form.querySelectorAll('[data-levels]')) {
    select.replaceChildren(el('option', { value: '' }, t('catalogue.any')),
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => el('option', { value: String(n) }, t('catalogue.eqf_n', { level: n }))));
  }
  const lang = document.getElementById('cat-language');
  lang.replaceChildren(el('option', { value: '' }, t('catalogue.any')),
    ...CONTENT_LANGUAGES.map((c) => ({ c, name: languageName(c) })).sort((a, b) => a.name.localeCompare(b.name))
      .map(({ c, name }) => el('option', { value: c }, name)));
  const country = document.getElementById('cat-country');
  fillCountries(country, params.get('country') || '');
  country.options[0].textContent = t('catalogue.any');
  const org = document.getElementById('cat-organisation');
  org.replaceChildren(el('option', { value: '' }, t('catalogue.any')),
    ...orgs.map((o) => el('option', { value: o.slug }, o.legal_name || o.slug)));
  for (const f of FILTERS) {
    const field = form.elements.namedItem(f);
    if (field) field.value = params.get(f) || '';
  }
}

function fact(key, value) {
  if (value === null || value === undefined || value === '') return [];
  return [el('dt', { 'data-i18n': key }), el('dd', {}, value)];
}

function card(item) {
  const s = item.specification || {};
  const main = Array.isArray(s.languages) ? s.languages[0] : undefined;
  const title = langText(s.title, main) || item.title;
  const description = langText(s.description, main);
  const url = safeHref(item.url);
  const outcomes = Array.isArray(s.learningOutcomes) ? s.learningOutcomes : [];
  return el('li', { class: 'card', 'data-spec': item.specification_id },
    el('h2', {}, url ? el('a', { href: url }, title) : title),
    el('p', { class: 'meta' }, item.organisation ? el('a', { href: `/orgs/${encodeURIComponent(item.organisation.slug)}` },
      item.organisation.legal_name) : null,
      item.organisation && item.organisation.country ? ` · ${countryName(item.organisation.country)}` : ''),
    description ? el('p', {}, description) : null,
    el('dl', { class: 'facts facts-compact' },
      ...fact('catalogue.fact.level', item.eqf_level ? t('catalogue.eqf_n', { level: item.eqf_level }) : ''),
      ...fact('catalogue.fact.workload', item.workload_ects !== null && item.workload_ects !== undefined
        ? t('catalogue.ects_n', { ects: item.workload_ects })
        : (s.workload ? `${s.workload.amount} ${s.workload.unit}` : '')),
      ...fact('catalogue.fact.languages', Array.isArray(s.languages) ? s.languages.map(languageName).join(', ') : ''),
      ...fact('catalogue.fact.outcomes', outcomes.length ? String(outcomes.length) : ''),
      ...fact('catalogue.fact.published', `${formatDate(item.published_at)} · ${t('specs.version_n', { version: item.version })}`)),
    item.review_due ? el('p', {}, el('span', { class: 'badge badge-pending', 'data-i18n': 'specs.review_due' })) : null);
}

function render() {
  if (!data) return;
  const items = data.items || [];
  const total = data.total || 0;
  const totalBox = document.getElementById('catalogue-total');
  totalBox.textContent = items.length
    ? t('catalogue.total', { from: offset + 1, to: offset + items.length, total })
    : t('catalogue.none');
  totalBox.dataset.total = String(total);
  box.replaceChildren(items.length ? el('ol', { class: 'cards catalogue-list' }, items.map(card))
    : el('p', { class: 'empty', 'data-i18n': 'catalogue.empty' }));
  applyI18n(box);
  const pager = document.getElementById('catalogue-pager');
  const link = (o, key) => el('a', { href: `/catalogue?${apiQuery(o ? { offset: String(o) } : {})}`, 'data-i18n': key });
  pager.replaceChildren(...[
    offset > 0 ? link(Math.max(0, offset - LIMIT), 'common.previous') : null,
    offset + items.length < total ? link(offset + LIMIT, 'common.next') : null].filter(Boolean));
  applyI18n(pager);
}

document.getElementById('export-json').href = `/api/v1/catalogue?${apiQuery({ limit: '100', offset: String(offset), format: 'json' })}`;
document.getElementById('export-elm').href = `/api/v1/catalogue?${apiQuery({ limit: '100', offset: String(offset), format: 'elm' })}`;
document.addEventListener('mc:languagechange', () => { fillForm(); render(); });

try {
  const [list, result] = await Promise.all([
    get('/organisations').catch(() => ({ items: [] })),
    get(`/catalogue?${apiQuery({ limit: String(LIMIT), offset: String(offset) })}`),
  ]);
  orgs = (list.items || list.organisations || []).filter((o) => o && o.slug);
  data = result;
  fillForm();
  render();
} catch (e) {
  fillForm();
  showMessage(problemText(e), 'error');
  box.replaceChildren();
}
box.removeAttribute('aria-busy');
