// pages/statistics.js - the open statistics (/statistics): specifications
// published and awards issued per month by one dimension (level, field,
// workload, country, language, mode of participation, QA type), for a
// range of months; the same data as CSV and JSON. Counts below the
// threshold are shown as "fewer than N", never as a number. The filter is
// kept in the address so a view can be bookmarked and shared.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get } from '../api.js';
import { applyI18n, t, countryName, currentLanguage } from '../i18n.js';
import { languageName } from '../issuing.js';

await initPage();
const form = document.getElementById('stats-form');
const box = document.getElementById('stats-table');
const params = new URLSearchParams(location.search);
const DIMS = ['level', 'field', 'workload', 'country', 'language', 'participation', 'qa_type'];
const dimension = DIMS.includes(params.get('dimension')) ? params.get('dimension') : 'level';
const month = (v) => (/^\d{4}-\d{2}$/.test(v || '') ? v : '');
const from = month(params.get('from'));
const to = month(params.get('to'));
let data = null;

form.elements.namedItem('dimension').value = dimension;
form.elements.namedItem('from').value = from;
form.elements.namedItem('to').value = to;

function query(format) {
  const q = new URLSearchParams({ dimension });
  if (from) q.set('from', from);
  if (to) q.set('to', to);
  if (format) q.set('format', format);
  return q.toString();
}
document.getElementById('stats-csv').href = `/api/v1/statistics?${query('csv')}`;
document.getElementById('stats-json').href = `/api/v1/statistics?${query('json')}`;

function keyText(key) {
  if (key === 'unknown' || key === 'none') return t('stats.unknown');
  if (dimension === 'country') return `${countryName(key)} (${key})`;
  if (dimension === 'language') return languageName(key) || key;
  return key;
}

function count(n) {
  if (n === null) return el('span', { class: 'suppressed', title: t('stats.suppressed_title', { n: data.threshold }) }, t('stats.fewer_than', { n: data.threshold }));
  return new Intl.NumberFormat(currentLanguage()).format(n);
}

function monthText(m) {
  const d = new Date(`${m}-01T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? m : new Intl.DateTimeFormat(currentLanguage(), { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
}

function render() {
  if (!data) return;
  document.getElementById('stats-intro').textContent = t('stats.intro', { n: data.threshold });
  const rows = data.rows || [];
  if (!rows.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'stats.empty' }));
  } else {
    box.replaceChildren(el('table', { class: 'table stats-table' },
      el('caption', {}, t('stats.caption', { dimension: t(`stats.dim.${dimension}`) })),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'stats.col.month' }),
        el('th', { scope: 'col' }, t(`stats.dim.${dimension}`)),
        el('th', { scope: 'col', class: 'num', 'data-i18n': 'stats.col.specifications' }),
        el('th', { scope: 'col', class: 'num', 'data-i18n': 'stats.col.awards' }))),
      el('tbody', {}, rows.map((r) => el('tr', { 'data-month': r.month, 'data-key': r.key },
        el('td', {}, el('time', { datetime: r.month }, monthText(r.month))),
        el('th', { scope: 'row' }, keyText(r.key)),
        el('td', { class: 'num' }, count(r.specifications)),
        el('td', { class: 'num', 'data-awards': r.awards === null ? '' : String(r.awards) }, count(r.awards)))))));
  }
  applyI18n(box);
  box.removeAttribute('aria-busy');
}

form.addEventListener('submit', (event) => {
  // Drop empty months from the address.
  event.preventDefault();
  const q = new URLSearchParams({ dimension: form.elements.namedItem('dimension').value });
  for (const f of ['from', 'to']) if (month(form.elements.namedItem(f).value)) q.set(f, form.elements.namedItem(f).value);
  location.assign(`/statistics?${q}`);
});

document.addEventListener('mc:languagechange', render);
try {
  data = await get(`/statistics?${query()}`);
  render();
} catch (e) {
  showMessage(problemText(e), 'error');
}
