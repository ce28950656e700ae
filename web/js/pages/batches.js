// pages/batches.js - issue one specification to many learners from a CSV
// file (/orgs/{slug}/batches, ?spec=ID to preselect, ?batch=ID to follow a
// running batch).
//
// The file is sent as it is (text/csv). The server checks every row before
// issuing anything: a 422 lists every problem ("line 7: email"), shown as a
// table so the spreadsheet can be fixed in one go. A good file starts a
// batch whose progress (done / total) is polled and shown in a progress bar
// and a live region; the address gets ?batch=ID so a reload keeps following.
import { initPage, el, problemText, showMessage, orgSlugFromPath } from '../layout.js';
import { get, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { onSubmit } from '../forms.js';
import { rawRequest, publishedSpecs, specTitle, orgCrumb, query } from '../issuing.js';
import { renderIssuingLinks } from './issuing-links.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const orgPath = `/orgs/${encodeURIComponent(slug)}`;
const form = document.getElementById('batch-form');
const specSelect = document.getElementById('batch-spec');
const problems = document.getElementById('batch-problems');
const progress = document.getElementById('batch-progress');
const MAX_BYTES = 4 * 1024 * 1024;
let specs = [];
let batch = null;
let pollTimer = null;
let announced = -1;

renderIssuingLinks(slug, 'batches');

function fillSpecs(selected) {
  specSelect.replaceChildren(el('option', { value: '' }, t('common.choose')),
    ...specs.map((s) => el('option', { value: s.id }, `${specTitle(s)} (${t('specs.version_n', { version: s.latest_version })})`)));
  specSelect.value = selected && specs.some((s) => s.id === selected) ? selected : (specs.length === 1 ? specs[0].id : '');
}

function showProblems(err) {
  const list = (err.problem && err.problem.errors) || [];
  document.getElementById('batch-problems-text').textContent = list.length
    ? t('batch.problems_text', { count: list.length }) : problemText(err);
  const box = document.getElementById('batch-problems-list');
  box.replaceChildren(list.length ? el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden', 'data-i18n': 'batch.problems_heading' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', 'data-i18n': 'batch.col.where' }),
      el('th', { scope: 'col', 'data-i18n': 'batch.col.problem' }))),
    el('tbody', {}, list.map((p) => el('tr', {}, el('th', { scope: 'row' }, p.field || '—'), el('td', {}, p.message || ''))))) : '');
  applyI18n(box);
  problems.hidden = false;
  problems.focus();
}

// The count is announced at most every 10 % (and at the end), so a screen
// reader is not flooded; the bar itself always shows the latest value.
function renderProgress() {
  if (!batch) return;
  const total = Math.max(batch.total || 0, 0);
  const doneCount = Math.max(batch.done || 0, 0);
  const bar = document.getElementById('batch-bar');
  bar.max = Math.max(total, 1);
  bar.value = Math.min(doneCount, bar.max);
  const finished = batch.status === 'done';
  const step = Math.max(1, Math.floor(total / 10));
  const bucket = finished ? -2 : Math.floor(doneCount / step);
  const text = finished ? t('batch.count_done', { done: doneCount, total }) : t('batch.count', { done: doneCount, total });
  const count = document.getElementById('batch-count');
  if (bucket !== announced || count.textContent === '') { count.textContent = text; announced = bucket; }
  count.dataset.done = String(doneCount);
  count.dataset.total = String(total);
  count.dataset.status = batch.status || '';
  bar.setAttribute('aria-valuetext', text);
  const failed = document.getElementById('batch-failed');
  failed.hidden = !(batch.failed > 0);
  failed.textContent = batch.failed > 0 ? t('batch.failed', { failed: batch.failed }) : '';
  document.getElementById('batch-after').hidden = !finished;
  document.getElementById('batch-awards').href = `${orgPath}/awards?batch_id=${encodeURIComponent(batch.id)}`;
  progress.hidden = false;
}

async function poll() {
  clearTimeout(pollTimer);
  if (!batch) return;
  try {
    batch = await get(`${base}/batches/${seg(batch.id)}`);
    renderProgress();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
  if (batch && batch.status !== 'done') pollTimer = setTimeout(poll, 700);
  else showMessage(t('batch.finished', { done: batch ? batch.done : 0 }), 'success');
}

function follow(b) {
  batch = b;
  announced = -1;
  history.replaceState(null, '', `${orgPath}/batches?batch=${encodeURIComponent(b.id)}`);
  form.hidden = true;
  renderProgress();
  progress.focus();
  if (b.status !== 'done') pollTimer = setTimeout(poll, 500);
  else showMessage(t('batch.finished', { done: b.done }), 'success');
}

onSubmit(form, async () => {
  problems.hidden = true;
  const file = document.getElementById('batch-file').files[0];
  if (!file) throw Object.assign(new Error('no file'), { problem: { detail: t('batch.no_file'), errors: [] } });
  if (file.size > MAX_BYTES) throw Object.assign(new Error('too large'), { problem: { detail: t('batch.too_large'), errors: [] } });
  const text = await file.text();
  try {
    const b = await rawRequest('POST', `${base}/batches?specification_id=${encodeURIComponent(specSelect.value)}`,
      { body: text, type: 'text/csv' });
    showMessage(t('batch.started', { total: b.total }), 'success');
    follow(b);
  } catch (e) {
    if (e.status === 422 || (e.problem && e.problem.errors && e.problem.errors.some((p) => /^line \d+/.test(p.field || '')))) {
      showProblems(e);
      return;
    }
    throw e;
  }
});

document.getElementById('batch-again').addEventListener('click', () => {
  batch = null;
  progress.hidden = true;
  form.reset();
  form.hidden = false;
  history.replaceState(null, '', `${orgPath}/batches`);
  document.getElementById('batch-file').focus();
});

document.addEventListener('mc:languagechange', () => { fillSpecs(specSelect.value); announced = -1; renderProgress(); });

try {
  const [list, org] = await Promise.all([publishedSpecs(slug), get(base).catch(() => null)]);
  specs = list;
  orgCrumb(slug, org);
  fillSpecs(query().get('spec'));
  const following = query().get('batch');
  if (following) {
    follow(await get(`${base}/batches/${seg(following)}`));
  } else if (!specs.length) {
    showMessage(t('issue.no_specs'), 'error');
  } else {
    form.hidden = false;
  }
} catch (e) {
  orgCrumb(slug, null);
  showMessage(problemText(e), 'error');
}
