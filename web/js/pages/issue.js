// pages/issue.js - issue one award (/orgs/{slug}/issue, ?spec=ID to
// preselect a specification).
//
// Every element of an award (docs/eu-elements.md) has a field; empty ones
// are left out. Each submission carries an Idempotency-Key: the same key
// is sent again while the form's content is unchanged (a double click, a
// retry after a lost answer), so one form never issues twice; a new key is
// made when the content changes and after every successful issue.
import { initPage, problemText, showMessage, orgSlugFromPath } from '../layout.js';
import { get, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { onSubmit, readForm, fillCountries } from '../forms.js';
import {
  rawRequest, newKey, publishedSpecs, specTitle, orgCrumb, setPath, toDateTime, query, codes, vocabLabel,
  languageName, langText,
} from '../issuing.js';
import { renderIssuingLinks } from './issuing-links.js';
import { el } from '../layout.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const orgPath = `/orgs/${encodeURIComponent(slug)}`;
const form = document.getElementById('issue-form');
const specSelect = document.getElementById('issue-spec');
const done = document.getElementById('issue-done');
let specs = [];
let vocab = {};
let current = null; // the selected specification's latest published document
let key = newKey();
let lastBody = null;

renderIssuingLinks(slug, 'issue');
document.getElementById('issue-done-awards').href = `${orgPath}/awards`;

function fillSpecs(selected) {
  specSelect.replaceChildren(el('option', { value: '' }, t('common.choose')),
    ...specs.map((s) => el('option', { value: s.id }, `${specTitle(s)} (${t('specs.version_n', { version: s.latest_version })})`)));
  specSelect.value = selected && specs.some((s) => s.id === selected) ? selected : (specs.length === 1 ? specs[0].id : '');
}

function fillStatic() {
  fillCountries(document.getElementById('issue-place-country'));
  fillCountries(document.getElementById('issue-assessor-country'));
  const basis = document.getElementById('issue-basis');
  const was = basis.value;
  basis.replaceChildren(el('option', { value: '' }, t('spec.not_stated')),
    ...codes(vocab, 'assessmentBasis').map((c) => el('option', { value: c }, vocabLabel('assessmentBasis', c))));
  basis.value = was;
}

function renderSpecHints() {
  const hint = document.getElementById('issue-spec-hint');
  const grade = document.getElementById('issue-grade-hint');
  const lang = document.getElementById('issue-language');
  const was = lang.value;
  const languages = current && Array.isArray(current.languages) ? current.languages : [];
  lang.replaceChildren(el('option', { value: '' }, t('issue.language_default')),
    ...languages.map((l) => el('option', { value: l }, `${languageName(l)} (${l})`)));
  lang.value = languages.includes(was) ? was : '';
  if (!current) { hint.textContent = ''; grade.textContent = ''; return; }
  const parts = [];
  if (current.validity) parts.push(t('issue.hint.validity', { validity: current.validity }));
  hint.textContent = parts.join(' ');
  grade.textContent = current.grading
    ? t('issue.hint.grade_required', { grading: langText(current.grading, languages[0]) })
    : t('issue.hint.grade_optional');
}

async function selectSpec() {
  current = null;
  renderSpecHints();
  if (!specSelect.value) return;
  try {
    const data = await get(`${base}/specifications/${seg(specSelect.value)}/versions`);
    const latest = (data.items || []).sort((a, b) => b.version - a.version)[0];
    current = latest ? latest.specification : null;
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
  renderSpecHints();
}

// body(values) -> the award request from the form's values.
function body(values) {
  const out = {};
  const textLang = values.language || (current && current.languages && current.languages[0]) || 'en';
  for (const [name, value] of Object.entries(values)) {
    if (value === '' || value === false) continue;
    if (name === 'issued' || name === 'validFrom' || name === 'validUntil') setPath(out, name, toDateTime(value));
    else if (name === 'points') setPath(out, name, Number(value));
    else if (name === 'evidence') setPath(out, name, value.split(/\s+/).filter(Boolean));
    else if (name === 'assessment.assessor.organisation.legalName') setPath(out, name, { [textLang]: value });
    else setPath(out, name, value);
  }
  return out;
}

specSelect.addEventListener('change', selectSpec);

onSubmit(form, async (values) => {
  const request = body(values);
  const text = JSON.stringify(request);
  if (lastBody !== null && text !== lastBody) key = newKey();
  lastBody = text;
  const award = await rawRequest('POST', `${base}/awards`, { body: request, headers: { 'Idempotency-Key': key } });
  key = newKey();
  lastBody = null;
  document.getElementById('issue-done-text').textContent = t('issue.done_text', {
    name: award.learner_name, email: award.learner_email || '—', title: award.title });
  form.hidden = true;
  done.hidden = false;
  done.focus();
  showMessage(t('issue.done_message', { name: award.learner_name }), 'success');
});

document.getElementById('issue-another').addEventListener('click', () => {
  const spec = specSelect.value;
  form.reset();
  specSelect.value = spec;
  key = newKey();
  lastBody = null;
  done.hidden = true;
  form.hidden = false;
  showMessage('');
  document.getElementById('issue-name').focus();
});

document.addEventListener('mc:languagechange', () => {
  fillSpecs(specSelect.value);
  fillStatic();
  renderSpecHints();
});

try {
  const [list, voc, org] = await Promise.all([publishedSpecs(slug), get('/vocabularies'), get(base).catch(() => null)]);
  specs = list;
  vocab = voc;
  orgCrumb(slug, org);
  fillSpecs(query().get('spec'));
  fillStatic();
  if (!specs.length) {
    form.hidden = true;
    showMessage(t('issue.no_specs'), 'error');
  } else {
    form.hidden = false;
    await selectSpec();
  }
  applyI18n(form);
} catch (e) {
  orgCrumb(slug, null);
  showMessage(problemText(e), 'error');
}
