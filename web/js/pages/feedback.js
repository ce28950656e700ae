// pages/feedback.js - a learner's feedback on the specification behind a
// credential in their wallet (/feedback?item=ID): clarity, assessment and
// relevance from 1 to 5, a comment, and whether to show their name (the
// default is anonymous). One answer per credential, which can be changed
// later (GET/PUT /api/v1/wallet/{id}/feedback).
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get, request, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { onSubmit } from '../forms.js';

await initPage({ requireLogin: true });
const params = new URLSearchParams(location.search);
const form = document.getElementById('feedback-form');
const pick = document.getElementById('feedback-item');
const RATINGS = ['clarity', 'assessment', 'relevance'];
// Texts of the scale's ends (literal keys for the i18n check).
const SCALE = { 1: 'feedback.scale.1', 5: 'feedback.scale.5' };
let item = params.get('item') || '';
let items = [];

// Five radio buttons per rating, inside the fieldset whose legend names it.
for (const r of RATINGS) {
  const set = document.getElementById(`rating-${r}`);
  const row = el('span', { class: 'rating-scale' });
  for (let v = 1; v <= 5; v++) {
    row.append(el('label', { class: 'rating-option' },
      el('input', { type: 'radio', name: r, value: String(v), required: true, id: `${r}-${v}` }),
      ` ${v}`, SCALE[v] ? el('span', { class: 'meta', 'data-i18n': SCALE[v] }) : null));
  }
  set.append(row);
}
applyI18n(form);

function value(name) {
  const c = form.querySelector(`input[name="${name}"]:checked`);
  return c ? Number(c.value) : null;
}

async function showItem() {
  form.hidden = !item;
  if (!item) return;
  const w = items.find((x) => x.id === item);
  document.getElementById('feedback-credential').textContent = w ? w.title : '';
  form.reset();
  const state = document.getElementById('feedback-state');
  try {
    const f = await get(`/wallet/${seg(item)}/feedback`);
    for (const r of RATINGS) {
      const input = form.querySelector(`input[name="${r}"][value="${f[r]}"]`);
      if (input) input.checked = true;
    }
    form.elements.namedItem('comment').value = f.comment || '';
    form.elements.namedItem('named').checked = !!f.named;
    state.textContent = t('feedback.given', { date: formatDate(f.updated_at, true) });
  } catch (e) {
    if (e.status !== 404) { showMessage(problemText(e), 'error'); return; }
    state.textContent = t('feedback.not_yet');
  }
}

onSubmit(form, async (data) => {
  const body = { comment: data.comment || '', named: !!data.named };
  const missing = [];
  for (const r of RATINGS) {
    body[r] = value(r);
    if (body[r] === null) missing.push({ field: r, message: t('feedback.choose') });
  }
  if (missing.length) throw Object.assign(new Error('missing'), { problem: { detail: t('feedback.choose_all'), errors: missing } });
  await request('PUT', `/wallet/${seg(item)}/feedback`, body);
  await showItem();
  showMessage(t('feedback.saved'), 'success');
});

pick.addEventListener('change', () => {
  item = pick.value;
  const u = new URL(location.href);
  if (item) u.searchParams.set('item', item); else u.searchParams.delete('item');
  history.replaceState(null, '', u);
  showItem();
});

try {
  const w = await get('/wallet');
  // Feedback goes to specifications issued on this platform.
  items = (w.items || []).filter((x) => x.source !== 'import' || x.id === item);
  document.getElementById('feedback-pick').hidden = false;
  pick.replaceChildren(el('option', { value: '' }, t('common.choose')),
    ...items.map((x) => el('option', { value: x.id, selected: x.id === item }, x.title)));
  await showItem();
} catch (e) {
  showMessage(problemText(e), 'error');
}
