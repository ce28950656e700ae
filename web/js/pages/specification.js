// pages/specification.js - the specification editor
// (/orgs/{slug}/specification, ?id=ID for an existing one).
//
// Every element of docs/eu-elements.md "Input JSON" has a field, texts for
// people in every language the specification is written in: the language
// list at the top adds or removes a field per language in each text (the
// first language is the main one). The draft is saved as the person types
// (PUT, or POST the first time, a moment after the last keystroke); every
// answer carries `missing`, what still keeps the draft from being
// published, which the page shows both as a list of links to the fields
// and beside each section. Publish stays unavailable, with the reason
// beside it, until that list is empty.
//
// Keys of a stored draft that the editor has no field for (awardingBodies,
// qualityAssurance, issuerCountries set through the API, ...) are kept as
// they are; the server fills the awarding body, issuer country and quality
// assurance from the organisation's profile when a draft names none.
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, post, request, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { fillCountries, showProblem, clearErrors } from '../forms.js';
import {
  vocabLabel, codes, CONTENT_LANGUAGES, languageName, langText, orgCrumb, setPath, getPath, prune, query,
} from '../issuing.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const orgPath = `/orgs/${encodeURIComponent(slug)}`;
const form = document.getElementById('spec-form');
const sections = document.getElementById('spec-sections');
const reviewInput = document.getElementById('spec-review-date');
const publishButton = document.getElementById('publish-button');
const savedState = document.getElementById('spec-saved');

// The keys of a specification this editor owns; everything else in a
// stored draft is kept untouched.
const MANAGED = ['languages', 'title', 'description', 'learningOutcomes', 'workload', 'level', 'assessmentTypes',
  'participation', 'supervision', 'prerequisites', 'grading', 'stackability', 'standards', 'qualification',
  'content', 'learningResources', 'furtherInformation', 'duration', 'validity', 'tags', 'creator'];

// Missing elements that no field of this form holds (the server fills them
// from the organisation) point at the "from your organisation" section.
const PROVIDED = ['qualityAssurance', 'awardingBodies', 'issuerCountries', 'id', 'version', 'versionId'];

let specId = query().get('id') || '';
let vocab = {};
let draft = { languages: ['en'], learningOutcomes: [{}] }; // what the form shows
let view = null;        // the server's last answer
let versions = [];
let timer = null;
let saving = null;
let dirty = false;

document.getElementById('crumb-specs').href = `${orgPath}/specifications`;

// ---- building the form ----

const idOf = (path, lang) => `f-${path.replace(/[^a-zA-Z0-9]+/g, '-')}${lang ? `-${lang}` : ''}`;
const langs = () => (Array.isArray(draft.languages) && draft.languages.length ? draft.languages : ['en']);

function section(key, legendKey, { required = false, hint = null } = {}, ...content) {
  return el('fieldset', { class: 'section', id: `sec-${key}`, 'data-field': key },
    el('legend', {}, el('span', { class: 'legend-text', 'data-i18n': legendKey }),
      required ? el('span', { class: 'badge badge-required', 'data-i18n': 'spec.required' }) : null),
    hint ? el('p', { class: 'hint', id: `sec-${key}-hint`, 'data-i18n': hint }) : null,
    el('div', { class: 'section-missing', id: `missing-${key}` }),
    ...content);
}

// A text in every language: one input (or textarea) per language.
function mlField(path, labelKey, { multiline = false, hint = null } = {}) {
  const value = getPath(draft, path) || {};
  const label = t(labelKey);
  return el('div', { class: 'ml-group' },
    langs().map((lang) => {
      const id = idOf(path, lang);
      const attrs = { id, lang, 'data-path': path, 'data-lang': lang, 'data-field': path,
        'aria-describedby': hint ? `${idOf(path)}-hint` : null };
      const input = multiline ? el('textarea', { ...attrs, rows: 3 }) : el('input', { ...attrs, type: 'text' });
      input.value = typeof value === 'object' && value[lang] ? value[lang] : '';
      return el('div', { class: 'field' },
        el('label', { for: id }, t('spec.ml_label', { field: label, language: languageName(lang) })),
        input);
    }),
    hint ? el('p', { class: 'hint', id: `${idOf(path)}-hint`, 'data-i18n': hint }) : null);
}

function textField(path, labelKey, { type = 'text', hint = null, kind = null, placeholder = null, min = null, step = null } = {}) {
  const id = idOf(path);
  let value = getPath(draft, path);
  if (kind === 'lines' && Array.isArray(value)) value = value.join('\n');
  if (kind === 'comma' && Array.isArray(value)) value = value.join(', ');
  const attrs = { id, name: path, 'data-path': path, 'data-field': path, 'data-kind': kind || (type === 'number' ? 'number' : null),
    placeholder, min, step, 'aria-describedby': hint ? `${id}-hint` : null };
  const input = kind === 'lines' ? el('textarea', { ...attrs, rows: 3 }) : el('input', { ...attrs, type });
  input.value = value === undefined || value === null ? '' : String(value);
  return el('div', { class: 'field' },
    el('label', { for: id, 'data-i18n': labelKey }), input,
    hint ? el('p', { class: 'hint', id: `${id}-hint`, 'data-i18n': hint }) : null);
}

// options: [{value, label}] ; an empty first choice unless noEmpty.
function selectField(path, labelKey, options, { emptyKey = 'spec.not_stated', kind = null, hint = null } = {}) {
  const id = idOf(path);
  const value = getPath(draft, path);
  const select = el('select', { id, name: path, 'data-path': path, 'data-field': path, 'data-kind': kind,
    'aria-describedby': hint ? `${id}-hint` : null },
    emptyKey ? el('option', { value: '' }, t(emptyKey)) : null,
    options.map((o) => el('option', { value: o.value }, o.label)));
  select.value = value === undefined || value === null ? '' : String(value);
  return el('div', { class: 'field' }, el('label', { for: id, 'data-i18n': labelKey }), select,
    hint ? el('p', { class: 'hint', id: `${id}-hint`, 'data-i18n': hint }) : null);
}

function countryField(path, labelKey) {
  const id = idOf(path);
  const select = el('select', { id, name: path, 'data-path': path, 'data-field': path });
  fillCountries(select, getPath(draft, path) || '');
  return el('div', { class: 'field' }, el('label', { for: id, 'data-i18n': labelKey }), select);
}

function checkGroup(key, list) {
  const chosen = new Set(Array.isArray(draft[key]) ? draft[key] : []);
  const all = codes(vocab, list);
  for (const c of chosen) if (!all.includes(c)) all.push(c); // keep codes from elsewhere
  return el('div', { class: 'checks', 'data-list': key },
    all.map((code) => {
      const id = idOf(`${key}-${code}`);
      return el('div', { class: 'check' },
        el('input', { type: 'checkbox', id, value: code, checked: chosen.has(code), 'data-field': key }),
        el('label', { for: id }, vocabLabel(list, code)));
    }));
}

function languagesSection() {
  const list = langs();
  const available = CONTENT_LANGUAGES.filter((c) => !list.includes(c))
    .map((c) => ({ c, name: languageName(c) })).sort((a, b) => a.name.localeCompare(b.name));
  return section('languages', 'spec.field.languages', { required: true, hint: 'spec.hint.languages' },
    el('ol', { class: 'lang-list', id: 'spec-languages' }, list.map((lang, i) => el('li', { 'data-lang': lang },
      el('span', { class: 'lang-name' }, `${languageName(lang)} (${lang})`),
      i === 0 ? el('span', { class: 'badge' }, t('spec.main_language')) : el('button', {
        type: 'button', class: 'button button-small button-quiet', 'data-lang-main': lang,
        'aria-label': t('spec.make_main_named', { language: languageName(lang) }) }, t('spec.make_main')),
      list.length > 1 ? el('button', {
        type: 'button', class: 'button button-small button-danger', 'data-lang-remove': lang,
        'aria-label': t('spec.remove_language_named', { language: languageName(lang) }) }, t('spec.remove_language')) : null))),
    el('div', { class: 'inline-add' },
      el('div', { class: 'field' },
        el('label', { for: 'lang-add', 'data-i18n': 'spec.add_language_label' }),
        el('select', { id: 'lang-add', 'data-nosave': 'true' },
          available.map(({ c, name }) => el('option', { value: c }, `${name} (${c})`)))),
      el('button', { type: 'button', class: 'button button-quiet', id: 'lang-add-button', 'data-i18n': 'spec.add_language' })));
}

function outcomesSection() {
  const items = Array.isArray(draft.learningOutcomes) && draft.learningOutcomes.length ? draft.learningOutcomes : [{}];
  draft.learningOutcomes = items;
  return section('learningOutcomes', 'spec.field.learning_outcomes', { required: true, hint: 'spec.hint.learning_outcomes' },
    el('ol', { class: 'outcomes' }, items.map((_, i) => {
      const p = `learningOutcomes.${i}`;
      return el('li', {}, el('fieldset', { class: 'outcome', 'data-field': p },
        el('legend', {}, t('spec.outcome_n', { n: i + 1 })),
        mlField(`${p}.text`, 'spec.field.outcome_text', { multiline: true }),
        textField(`${p}.escoSkill`, 'spec.field.esco_skill', { type: 'url', hint: 'spec.hint.esco_skill', placeholder: 'http://data.europa.eu/esco/skill/…' }),
        el('div', { class: 'field-row' },
          textField(`${p}.alignment.framework`, 'spec.field.alignment_framework', { hint: 'spec.hint.alignment_framework' }),
          textField(`${p}.alignment.code`, 'spec.field.alignment_code'),
          textField(`${p}.alignment.url`, 'spec.field.alignment_url', { type: 'url' })),
        items.length > 1 ? el('p', { class: 'actions' }, el('button', {
          type: 'button', class: 'button button-small button-danger', 'data-outcome-remove': i }, t('spec.remove_outcome_n', { n: i + 1 }))) : null));
    })),
    el('p', { class: 'actions' }, el('button', { type: 'button', class: 'button button-quiet', id: 'outcome-add', 'data-i18n': 'spec.add_outcome' })));
}

function vocabOptions(list) {
  return codes(vocab, list).map((c) => ({ value: c, label: vocabLabel(list, c) }));
}

function render() {
  const focused = document.activeElement && document.activeElement.id;
  const levels = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: String(n), label: String(n) }));
  sections.replaceChildren(
    languagesSection(),
    section('title', 'spec.field.title', { required: true }, mlField('title', 'spec.field.title')),
    section('description', 'spec.field.description', {}, mlField('description', 'spec.field.description', { multiline: true })),
    outcomesSection(),
    section('workload', 'spec.field.workload', { required: true, hint: 'spec.hint.workload' },
      el('div', { class: 'field-row' },
        textField('workload.amount', 'spec.field.workload_amount', { type: 'number', min: '0', step: 'any' }),
        selectField('workload.unit', 'spec.field.workload_unit', vocabOptions('workloadUnits'), { emptyKey: 'common.choose' }),
        textField('workload.system', 'spec.field.workload_system', { hint: 'spec.hint.workload_system' }))),
    section('level', 'spec.field.level', { hint: 'spec.hint.level' },
      el('div', { class: 'field-row' },
        selectField('level.framework', 'spec.field.level_framework', vocabOptions('levelFrameworks')),
        selectField('level.level', 'spec.field.level_level', levels, { kind: 'int' })),
      el('div', { class: 'field-row' },
        textField('level.name', 'spec.field.level_name', { hint: 'spec.hint.level_name' }),
        selectField('level.cycle', 'spec.field.level_cycle', ['short', 'first', 'second', 'third'].map((c) => ({ value: c, label: vocabLabel('cycles', c) })), { hint: 'spec.hint.level_cycle' }))),
    section('assessmentTypes', 'spec.field.assessment_types', { required: true, hint: 'spec.hint.assessment_types' },
      checkGroup('assessmentTypes', 'assessmentTypes')),
    section('participation', 'spec.field.participation', { required: true }, checkGroup('participation', 'participation')),
    section('supervision', 'spec.field.supervision', {},
      selectField('supervision', 'spec.field.supervision', vocabOptions('supervision'))),
    section('prerequisites', 'spec.field.prerequisites', {}, mlField('prerequisites', 'spec.field.prerequisites', { multiline: true })),
    section('grading', 'spec.field.grading', { hint: 'spec.hint.grading' }, mlField('grading', 'spec.field.grading')),
    section('stackability', 'spec.field.stackability', { hint: 'spec.hint.stackability' },
      selectField('stackability.mode', 'spec.field.stackability_mode', vocabOptions('stackability')),
      textField('stackability.target.id', 'spec.field.stackability_target', { type: 'url', placeholder: 'https://' }),
      mlField('stackability.target.title', 'spec.field.stackability_target_title'),
      mlField('stackability.part', 'spec.field.stackability_part')),
    section('standards', 'spec.field.standards', {},
      textField('standards', 'spec.field.standards_links', { kind: 'lines', hint: 'spec.hint.standards' })),
    section('qualification', 'spec.field.qualification', { hint: 'spec.hint.qualification' },
      textField('qualification.id', 'spec.field.qualification_url', { type: 'url', placeholder: 'https://' }),
      mlField('qualification.title', 'spec.field.qualification_title'),
      mlField('qualification.part', 'spec.field.qualification_part')),
    section('content', 'spec.field.content', {}, mlField('content', 'spec.field.content', { multiline: true })),
    section('learningResources', 'spec.field.learning_resources', {}, mlField('learningResources', 'spec.field.learning_resources', { multiline: true })),
    section('furtherInformation', 'spec.field.further_information', {}, mlField('furtherInformation', 'spec.field.further_information', { multiline: true })),
    section('duration', 'spec.field.duration_validity', {},
      el('div', { class: 'field-row' },
        textField('duration', 'spec.field.duration', { hint: 'spec.hint.duration', placeholder: 'P3M' }),
        textField('validity', 'spec.field.validity', { hint: 'spec.hint.validity', placeholder: 'P2Y' }))),
    section('tags', 'spec.field.tags', {}, textField('tags', 'spec.field.tags_list', { kind: 'comma', hint: 'spec.hint.tags' })),
    section('creator', 'spec.field.creator', { hint: 'spec.hint.creator' },
      mlField('creator.legalName', 'spec.field.creator_name'),
      el('div', { class: 'field-row' },
        countryField('creator.country', 'spec.field.creator_country'),
        textField('creator.url', 'spec.field.creator_url', { type: 'url', placeholder: 'https://' }))),
    section('provided', 'spec.field.provided', {},
      el('p', {}, el('span', { 'data-i18n': 'spec.provided_text' }), ' ',
        el('a', { href: orgPath, 'data-i18n': 'spec.provided_link' }))));
  applyI18n(sections);
  if (view) showMissing(view.missing || []);
  if (focused) {
    const again = document.getElementById(focused);
    if (again) again.focus();
  }
}

// ---- reading the form ----

function collect() {
  const d = { languages: [...langs()] };
  for (const input of form.querySelectorAll('[data-path]')) {
    const path = input.dataset.path;
    const raw = input.value;
    if (input.dataset.lang) { setPath(d, `${path}.${input.dataset.lang}`, raw.trim()); continue; }
    const text = raw.trim();
    if (text === '') continue;
    switch (input.dataset.kind) {
      case 'number': setPath(d, path, Number.isFinite(Number(text)) ? Number(text) : text); break;
      case 'int': setPath(d, path, Number.parseInt(text, 10)); break;
      case 'lines': setPath(d, path, text.split(/\s*\n\s*/).filter(Boolean)); break;
      case 'comma': setPath(d, path, text.split(/\s*,\s*/).filter(Boolean)); break;
      default: setPath(d, path, text);
    }
  }
  for (const box of form.querySelectorAll('[data-list]')) {
    d[box.dataset.list] = [...box.querySelectorAll('input[type="checkbox"]:checked')].map((c) => c.value);
  }
  // Learning outcomes keep their places (an empty one stays, so the
  // server's "learning outcome 2" is the second one on the page).
  const outcomes = Array.isArray(d.learningOutcomes) ? d.learningOutcomes : [];
  const count = form.querySelectorAll('fieldset.outcome').length;
  const kept = [];
  for (let i = 0; i < count; i++) kept.push(prune(outcomes[i] || {}) || {});
  const out = prune(d) || {};
  if (kept.length) out.learningOutcomes = kept;
  return out;
}

// The draft to store: the unmanaged keys of the stored one, plus the form.
function buildDraft() {
  const stored = (view && view.draft) || {};
  const out = {};
  for (const [k, v] of Object.entries(stored)) if (!MANAGED.includes(k)) out[k] = v;
  return { ...out, ...collect() };
}

// ---- missing elements ----

function targetFor(field) {
  const parts = String(field || '').replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  if (parts.length && PROVIDED.includes(parts[0])) return document.getElementById('sec-provided');
  while (parts.length) {
    const found = form.querySelector(`[data-field="${CSS.escape(parts.join('.'))}"]`);
    if (found) return found;
    parts.pop();
  }
  return document.getElementById('sec-languages');
}

function focusable(node) {
  if (!node) return null;
  if (node.matches('input, select, textarea, button')) return node;
  return node.querySelector('input, select, textarea') || node;
}

function showMissing(list) {
  for (const n of form.querySelectorAll('[aria-invalid="true"][data-field]')) {
    n.removeAttribute('aria-invalid');
    const rest = (n.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && !x.startsWith('missing-'));
    if (rest.length) n.setAttribute('aria-describedby', rest.join(' '));
    else n.removeAttribute('aria-describedby');
  }
  for (const box of form.querySelectorAll('.section-missing')) box.replaceChildren();
  for (const s of form.querySelectorAll('.section.has-missing')) s.classList.remove('has-missing');

  const ul = document.getElementById('spec-missing');
  ul.replaceChildren(...list.map((m) => {
    const target = targetFor(m.field);
    const sec = target.closest('.section') || document.getElementById('sec-provided');
    const name = sec ? sec.querySelector('.legend-text').textContent : '';
    const input = focusable(target);
    if (sec) {
      sec.classList.add('has-missing');
      sec.querySelector('.section-missing').append(el('p', { class: 'field-error' }, m.message));
    }
    if (input && input.matches('input, select, textarea') && input.dataset.field) {
      input.setAttribute('aria-invalid', 'true');
      const d = (input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
      if (sec && !d.includes(`missing-${sec.id.slice(4)}`)) d.push(`missing-${sec.id.slice(4)}`);
      input.setAttribute('aria-describedby', d.join(' '));
    }
    const link = el('a', { href: `#${input && input.id ? input.id : (sec ? sec.id : '')}`, 'data-field': m.field || '' },
      el('strong', {}, name), ` — ${m.message}`);
    link.addEventListener('click', (e) => { e.preventDefault(); if (input) input.focus(); });
    return el('li', { 'data-element': m.element || '' }, link);
  }));
  const ready = list.length === 0 && !!specId;
  document.getElementById('missing-count').textContent = list.length
    ? t('spec.missing_count', { count: list.length }) : t('spec.ready');
  document.getElementById('readiness').classList.toggle('panel-success', ready);
  publishButton.setAttribute('aria-disabled', ready ? 'false' : 'true');
  document.getElementById('publish-hint').textContent = ready
    ? t(view && view.latest_version > 0 ? 'spec.publish_hint_again' : 'spec.publish_hint_ready')
    : t('spec.publish_hint_blocked');
}

// What an empty, unsaved draft lacks (the server says the same once saved).
function missingBeforeSave() {
  return ['title', 'learningOutcomes', 'workload', 'assessmentTypes', 'participation']
    .map((field) => ({ field, message: t('spec.missing_required') }));
}

// ---- saving ----

// The save state is also in data-state ("spec.saving", "spec.saved_at",
// ...) for scripts and tests.
function setSaved(key, vars) {
  savedState.textContent = key ? t(key, vars) : '';
  savedState.dataset.state = key || '';
}

function scheduleSave(event) {
  if (event && event.target && event.target.dataset && event.target.dataset.nosave) return;
  dirty = true;
  setSaved('spec.unsaved');
  clearTimeout(timer);
  timer = setTimeout(() => { save().catch(() => {}); }, 700);
}

function renderState() {
  const state = document.getElementById('spec-state');
  if (!view) { state.textContent = t('spec.state_new'); return; }
  state.textContent = view.latest_version > 0
    ? t('spec.state_published', { version: view.latest_version })
    : t('spec.state_draft');
}

// save() -> the server's view after storing the form (waits for a save in
// progress first). Throws the ApiError of a failed save.
async function save() {
  clearTimeout(timer);
  timer = null;
  while (saving) await saving.catch(() => {});
  dirty = false;
  const body = { draft: buildDraft(), review_date: reviewInput.value || null };
  setSaved('spec.saving');
  saving = (async () => {
    try {
      const answer = specId
        ? await request('PUT', `${base}/specifications/${seg(specId)}`, body)
        : await post(`${base}/specifications`, body);
      view = answer;
      if (!specId) {
        specId = answer.id;
        history.replaceState(null, '', `${orgPath}/specification?id=${encodeURIComponent(specId)}`);
      }
      setSaved('spec.saved_at', { time: formatDate(answer.updated_at, true) });
      renderState();
      showMissing(answer.missing || []);
      return answer;
    } catch (e) {
      dirty = true;
      setSaved('spec.save_failed', { reason: problemText(e) });
      throw e;
    }
  })();
  try { return await saving; } finally { saving = null; }
}

async function flush() {
  if (dirty || timer || !specId) await save();
  else if (saving) await saving;
}

// ---- versions ----

function renderVersions() {
  const box = document.getElementById('spec-versions');
  if (!versions.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'spec.no_versions' }));
  } else {
    box.replaceChildren(el('table', { class: 'table table-compact' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'spec.versions_heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'spec.col.version' }),
        el('th', { scope: 'col', 'data-i18n': 'spec.col.published' }),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })))),
      el('tbody', {}, versions.map((v) => el('tr', {},
        el('th', { scope: 'row' }, String(v.version)),
        el('td', {}, formatDate(v.published_at, true)),
        el('td', {}, el('a', { href: v.url, 'aria-label': t('spec.open_version_named', { version: v.version }) }, t('spec.open_version'))))))));
  }
  const issue = document.getElementById('spec-issue-links');
  if (issue) issue.remove();
  if (versions.length) {
    box.append(el('p', { id: 'spec-issue-links', class: 'link-list' },
      el('a', { href: `${orgPath}/issue?spec=${encodeURIComponent(specId)}`, 'data-i18n': 'specs.issue' }),
      el('a', { href: `${orgPath}/batches?spec=${encodeURIComponent(specId)}`, 'data-i18n': 'specs.batch' })));
  }
  applyI18n(box);
}

async function loadVersions() {
  if (!specId) { versions = []; renderVersions(); return; }
  const data = await get(`${base}/specifications/${seg(specId)}/versions`);
  versions = (data.items || []).sort((a, b) => b.version - a.version);
  renderVersions();
}

// ---- events ----

form.addEventListener('input', scheduleSave);
form.addEventListener('change', scheduleSave);

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  try {
    await save();
    showMessage(t('spec.saved'), 'success');
  } catch (e) {
    showProblem(form, e);
  }
});

sections.addEventListener('click', (event) => {
  const b = event.target.closest('button');
  if (!b) return;
  if (b.id === 'lang-add-button') {
    const select = document.getElementById('lang-add');
    if (!select.value) return;
    draft = { ...draft, ...collect(), languages: [...langs(), select.value] };
    render();
    document.getElementById('lang-add').focus();
    showMessage(t('spec.language_added', { language: languageName(select.value) }));
    scheduleSave();
  } else if (b.dataset.langRemove) {
    const lang = b.dataset.langRemove;
    draft = { ...draft, ...collect(), languages: langs().filter((l) => l !== lang) };
    render();
    document.getElementById('lang-add').focus();
    showMessage(t('spec.language_removed', { language: languageName(lang) }));
    scheduleSave();
  } else if (b.dataset.langMain) {
    const lang = b.dataset.langMain;
    draft = { ...draft, ...collect(), languages: [lang, ...langs().filter((l) => l !== lang)] };
    render();
    document.getElementById('lang-add').focus();
    showMessage(t('spec.language_main', { language: languageName(lang) }));
    scheduleSave();
  } else if (b.id === 'outcome-add') {
    const d = collect();
    draft = { ...draft, ...d, learningOutcomes: [...(d.learningOutcomes || []), {}] };
    render();
    const n = draft.learningOutcomes.length - 1;
    const first = document.getElementById(idOf(`learningOutcomes.${n}.text`, langs()[0]));
    if (first) first.focus();
    scheduleSave();
  } else if (b.dataset.outcomeRemove !== undefined) {
    const i = Number(b.dataset.outcomeRemove);
    const d = collect();
    const list = (d.learningOutcomes || []).filter((_, k) => k !== i);
    draft = { ...draft, ...d, learningOutcomes: list.length ? list : [{}] };
    render();
    document.getElementById('outcome-add').focus();
    showMessage(t('spec.outcome_removed', { n: i + 1 }));
    scheduleSave();
  }
});

publishButton.addEventListener('click', async () => {
  if (publishButton.getAttribute('aria-busy') === 'true') return;
  publishButton.setAttribute('aria-busy', 'true');
  try {
    try {
      await flush();
    } catch (e) {
      showMessage(problemText(e), 'error');
      return;
    }
    if (!view || (view.missing || []).length) {
      showMessage(t('spec.publish_blocked'), 'error');
      document.getElementById('readiness-heading').focus();
      return;
    }
    try {
      const v = await post(`${base}/specifications/${seg(specId)}/publish`);
      view = await get(`${base}/specifications/${seg(specId)}`);
      renderState();
      showMissing(view.missing || []);
      await loadVersions();
      showMessage(t('spec.published', { version: v.version }), 'success');
      document.getElementById('versions-heading').scrollIntoView({ block: 'nearest' });
    } catch (e) {
      if (e.problem && e.problem.errors && e.problem.errors.length) showMissing(e.problem.errors);
      showMessage(problemText(e), 'error');
      document.getElementById('readiness-heading').focus();
    }
  } finally {
    publishButton.removeAttribute('aria-busy');
  }
});

document.addEventListener('mc:languagechange', () => {
  draft = { ...draft, ...collect() };
  render();
  renderState();
  renderVersions();
  if (!view) showMissing(missingBeforeSave());
});

// ---- start ----

try {
  const [voc, org] = await Promise.all([get('/vocabularies'), get(base).catch(() => null)]);
  vocab = voc;
  orgCrumb(slug, org);
  if (specId) {
    view = await get(`${base}/specifications/${seg(specId)}`);
    draft = { ...view.draft };
    reviewInput.value = view.review_date || '';
    const main = Array.isArray(draft.languages) ? draft.languages[0] : 'en';
    setPageHeading(langText(draft.title, main) || t('spec.heading_edit'));
  }
  document.getElementById('editor').hidden = false;
  render();
  renderState();
  showMissing(view ? view.missing || [] : missingBeforeSave());
  await loadVersions();
} catch (e) {
  setPageHeading(t(e.status === 404 ? 'spec.not_found' : 'spec.title'));
  showMessage(problemText(e), 'error');
}
