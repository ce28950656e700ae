// pages/org-pathways.js - an organisation's pathways (/orgs/{slug}/org-pathways):
// the list, an editor with a rule builder, and the review queue.
//
// The rule builder edits a tree of rules (see stacking-common.js): "all",
// "any N of", "credential" (a specification URL), "outcome" (an ESCO skill
// URI or words) and "credits" (ECTS, optionally at an EQF level), nested
// as deep as needed. The tree lives in `model`; typing changes the model in
// place (so focus stays where it is), adding, removing, moving or changing a
// rule's kind re-renders the builder and puts focus on the rule concerned.
// Every rule's fieldset carries data-path ("rules.rules[0]...") - the paths
// the server names in a 422 - so its problems are shown beside that rule.
// "In words" shows the whole tree as people will read it.
//
// The queue lists learners' review requests with what counted; "Accept and
// issue" issues the pathway's target specification to the learner (the
// credential lists its parts), "Decline" needs a reason.
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, post, del, request, seg } from '../api.js';
import { applyI18n, t, currentLanguage, formatDate } from '../i18n.js';
import { CONTENT_LANGUAGES, languageName, langText, orgCrumb, publishedSpecs, specTitle } from '../issuing.js';
import { showProblem, clearErrors, confirmAction, onSubmit, readForm } from '../forms.js';
import { ruleTree, trustWords, pathwayName, metBadge, str, arr } from './stacking-common.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const canEdit = session.hasRole(slug, 'org-admin') || session.hasRole(slug, 'issuer');
const form = document.getElementById('pw-form');
const listBox = document.getElementById('pw-list');
const rulesBox = document.getElementById('pw-rules');
const reqBox = document.getElementById('pw-requests');
let org = null;
let pathways = null;
let specs = [];      // this organisation's published specifications
let requests = null;
let editing = null;  // id of the pathway being edited, or null

// ------------------------------------------------------------ the builder

const TYPES = ['all', 'any', 'credential', 'outcome', 'credits'];
let uidCounter = 0;
const newNode = (type = 'credential') => ({ uid: ++uidCounter, type, description: {}, rules: [], min: 1 });
let model = newNode('all');

// fromRule(rule) -> a builder node (descriptions as language maps).
function fromRule(rule, lang) {
  const r = rule && typeof rule === 'object' ? rule : {};
  const n = newNode(TYPES.includes(r.type) ? r.type : 'credential');
  if (typeof r.description === 'string') n.description = { [lang]: r.description };
  else if (r.description && typeof r.description === 'object') n.description = { ...r.description };
  for (const k of ['specification', 'esco', 'text']) if (typeof r[k] === 'string') n[k] = r[k];
  if (Number.isInteger(r.min)) n.min = r.min;
  if (typeof r.min_ects === 'number') n.min_ects = r.min_ects;
  if (Number.isInteger(r.min_eqf)) n.min_eqf = r.min_eqf;
  n.rules = arr(r.rules).map((k) => fromRule(k, lang));
  return n;
}

// toRule(node) -> the rule JSON the API takes.
function toRule(n) {
  const r = { type: n.type };
  const d = Object.fromEntries(Object.entries(n.description || {}).filter(([, v]) => typeof v === 'string' && v.trim()).map(([k, v]) => [k, v.trim()]));
  if (Object.keys(d).length) r.description = d;
  if (n.type === 'all' || n.type === 'any') {
    if (n.type === 'any') r.min = Number.isInteger(n.min) ? n.min : 1;
    r.rules = n.rules.map(toRule);
  } else if (n.type === 'credential') {
    r.specification = (n.specification || '').trim();
  } else if (n.type === 'outcome') {
    if ((n.esco || '').trim()) r.esco = n.esco.trim();
    if ((n.text || '').trim()) r.text = n.text.trim();
  } else if (n.type === 'credits') {
    r.min_ects = typeof n.min_ects === 'number' ? n.min_ects : 0;
    if (Number.isInteger(n.min_eqf)) r.min_eqf = n.min_eqf;
  }
  return r;
}

const formLang = () => form.elements.lang.value || currentLanguage();

const TYPE_KEYS = { all: 'orgpw.type.all', any: 'orgpw.type.any', credential: 'orgpw.type.credential', outcome: 'orgpw.type.outcome', credits: 'orgpw.type.credits' };
const typeLabel = (type) => t(TYPE_KEYS[type] || 'orgpw.type.credential');

function input(n, key, { label, type = 'text', hint, attrs = {}, value }) {
  const id = `r${n.uid}-${key}`;
  const hintId = hint ? `${id}-hint` : null;
  return el('div', { class: 'field' },
    el('label', { for: id }, label),
    el('input', { id, type, 'data-key': key, 'data-uid': n.uid, value: value ?? '', 'aria-describedby': hintId, ...attrs }),
    hint ? el('p', { class: 'hint', id: hintId }, hint) : null);
}

// One rule as a fieldset; `path` is the server's name for it.
// number: "" for the top rule, "2" for its second child, "2.1" below it.
function ruleFieldset(n, path, index, siblings, number = '') {
  const root = siblings === null;
  const group = n.type === 'all' || n.type === 'any';
  const legend = root ? t('orgpw.rule_root') : t('orgpw.rule_n', { n: number });
  const typeId = `r${n.uid}-type`;
  const fs = el('fieldset', { class: `rule-node rule-${n.type}`, 'data-path': path, 'data-uid': n.uid },
    el('legend', {}, legend),
    el('div', { class: 'field-row' },
      el('div', { class: 'field' },
        el('label', { for: typeId }, t('orgpw.field.type')),
        el('select', { id: typeId, 'data-key': 'type', 'data-uid': n.uid },
          TYPES.map((tp) => el('option', { value: tp, selected: tp === n.type }, typeLabel(tp))))),
      input(n, 'description', { label: t('orgpw.field.rule_description', { lang: languageName(formLang()) }), value: str((n.description || {})[formLang()]), attrs: { maxlength: 300 } })));
  if (n.type === 'any') {
    fs.append(input(n, 'min', { label: t('orgpw.field.min'), type: 'number', value: n.min, attrs: { min: 1, max: Math.max(1, n.rules.length), step: 1, inputmode: 'numeric' } }));
  } else if (n.type === 'credential') {
    fs.append(input(n, 'specification', { label: t('orgpw.field.specification'), type: 'url', value: n.specification, hint: t('orgpw.specification_hint'), attrs: { list: 'pw-spec-list', class: 'mono' } }));
  } else if (n.type === 'outcome') {
    fs.append(el('div', { class: 'field-row' },
      input(n, 'esco', { label: t('orgpw.field.esco'), type: 'url', value: n.esco, attrs: { class: 'mono', placeholder: 'http://data.europa.eu/esco/skill/…' } }),
      input(n, 'text', { label: t('orgpw.field.outcome_text'), value: n.text, attrs: { maxlength: 300 } })),
    el('p', { class: 'hint' }, t('orgpw.outcome_hint')));
  } else if (n.type === 'credits') {
    const eqfId = `r${n.uid}-min_eqf`;
    fs.append(el('div', { class: 'field-row' },
      input(n, 'min_ects', { label: t('orgpw.field.min_ects'), type: 'number', value: n.min_ects ?? '', attrs: { min: 0.5, step: 0.5 } }),
      el('div', { class: 'field' },
        el('label', { for: eqfId }, t('orgpw.field.min_eqf')),
        el('select', { id: eqfId, 'data-key': 'min_eqf', 'data-uid': n.uid },
          el('option', { value: '' }, t('orgpw.any_level')),
          [1, 2, 3, 4, 5, 6, 7, 8].map((l) => el('option', { value: l, selected: n.min_eqf === l }, t('orgpw.eqf_n', { level: l })))))));
  }
  if (group) {
    fs.append(el('div', { class: 'rule-children' },
      n.rules.map((k, i) => ruleFieldset(k, `${path}.rules[${i}]`, i, n.rules, number ? `${number}.${i + 1}` : String(i + 1)))));
    fs.append(el('p', { class: 'actions' },
      el('button', { type: 'button', class: 'button button-small', 'data-act': 'add', 'data-uid': n.uid,
        'aria-label': t('orgpw.add_rule_in', { where: legend }) }, t('orgpw.add_rule'))));
  }
  if (!root) {
    fs.append(el('p', { class: 'actions rule-actions' },
      el('button', { type: 'button', class: 'button button-small button-quiet', 'data-act': 'up', 'data-uid': n.uid, disabled: index === 0,
        'aria-label': t('orgpw.move_up_named', { rule: legend }) }, t('orgpw.move_up')),
      el('button', { type: 'button', class: 'button button-small button-quiet', 'data-act': 'down', 'data-uid': n.uid, disabled: index === siblings.length - 1,
        'aria-label': t('orgpw.move_down_named', { rule: legend }) }, t('orgpw.move_down')),
      el('button', { type: 'button', class: 'button button-small button-danger', 'data-act': 'remove', 'data-uid': n.uid,
        'aria-label': t('orgpw.remove_rule_named', { rule: legend }) }, t('orgpw.remove_rule'))));
  }
  return fs;
}

// find(uid) -> {node, parent} in the model.
function find(uid, n = model, parent = null) {
  if (n.uid === uid) return { node: n, parent };
  for (const k of n.rules) {
    const f = find(uid, k, n);
    if (f) return f;
  }
  return null;
}

function renderWords() {
  document.getElementById('pw-words').replaceChildren(ruleTree(toRule(model)));
}

function renderBuilder(focusSelector) {
  rulesBox.replaceChildren(ruleFieldset(model, 'rules', 0, null));
  renderWords();
  if (focusSelector) {
    const f = rulesBox.querySelector(focusSelector);
    if (f) f.focus();
  }
}

rulesBox.addEventListener('input', (event) => {
  const f = event.target;
  const uid = Number(f.dataset.uid);
  const key = f.dataset.key;
  if (!uid || !key || key === 'type') return;
  const { node } = find(uid) || {};
  if (!node) return;
  if (key === 'description') node.description = { ...node.description, [formLang()]: f.value };
  else if (key === 'min') node.min = f.value === '' ? undefined : Number(f.value);
  else if (key === 'min_ects') node.min_ects = f.value === '' ? undefined : Number(f.value);
  else if (key === 'min_eqf') node.min_eqf = f.value === '' ? undefined : Number(f.value);
  else node[key] = f.value;
  renderWords();
});

rulesBox.addEventListener('change', (event) => {
  const f = event.target;
  const uid = Number(f.dataset.uid);
  const { node } = find(uid) || {};
  if (!node) return;
  if (f.dataset.key === 'type') {
    node.type = f.value;
    if ((node.type === 'all' || node.type === 'any') && !node.rules.length) node.rules = [newNode('credential')];
    renderBuilder(`#r${uid}-type`);
  } else if (f.dataset.key === 'min_eqf') {
    node.min_eqf = f.value === '' ? undefined : Number(f.value);
    renderWords();
  }
});

rulesBox.addEventListener('click', (event) => {
  const b = event.target.closest('button[data-act]');
  if (!b) return;
  const uid = Number(b.dataset.uid);
  const { node, parent } = find(uid) || {};
  if (!node) return;
  const act = b.dataset.act;
  if (act === 'add') {
    const k = newNode('credential');
    node.rules.push(k);
    renderBuilder(`#r${k.uid}-type`);
    return;
  }
  if (!parent) return;
  const i = parent.rules.indexOf(node);
  if (act === 'remove') {
    parent.rules.splice(i, 1);
    if (parent.type === 'any' && parent.min > parent.rules.length) parent.min = Math.max(1, parent.rules.length);
    const next = parent.rules[Math.min(i, parent.rules.length - 1)];
    renderBuilder(next ? `#r${next.uid}-type` : `button[data-act="add"][data-uid="${parent.uid}"]`);
    showMessage(t('orgpw.rule_removed'));
  } else if (act === 'up' || act === 'down') {
    const j = act === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= parent.rules.length) return;
    [parent.rules[i], parent.rules[j]] = [parent.rules[j], parent.rules[i]];
    renderBuilder(`button[data-act="${act}"][data-uid="${uid}"]:not([disabled]), #r${uid}-type`);
  }
});

// ------------------------------------------------------------ the form

function fillLanguages(selected) {
  const select = form.elements.lang;
  select.replaceChildren(...CONTENT_LANGUAGES.map((c) => el('option', { value: c, selected: c === selected }, languageName(c))));
  select.value = selected;
}

function fillTargets(selected = '') {
  const select = form.elements.target_specification_id;
  select.replaceChildren(el('option', { value: '' }, t('orgpw.no_target')),
    ...specs.map((s) => el('option', { value: s.id, selected: s.id === selected }, specTitle(s))));
  select.value = selected || '';
}

function showIssuers() {
  document.getElementById('pw-issuers-field').hidden = form.elements.trust.value !== 'named';
}

function startEdit(p) {
  clearErrors(form);
  editing = p ? str(p.id) : null;
  const lang = (p && Object.keys(p.name || {})[0]) || currentLanguage();
  fillLanguages(CONTENT_LANGUAGES.includes(lang) ? lang : 'en');
  form.elements.name.value = p ? str((p.name || {})[lang]) : '';
  form.elements.description.value = p ? str((p.description || {})[lang]) : '';
  model = p ? fromRule(p.rules, lang) : (() => { const m = newNode('all'); m.rules = [newNode('credential')]; return m; })();
  const kind = (p && p.trust && p.trust.kind) || 'registered';
  for (const r of form.querySelectorAll('input[name="trust"]')) r.checked = r.value === kind;
  form.elements.issuers.value = p ? arr(p.trust && p.trust.issuers).map(str).join('\n') : '';
  showIssuers();
  fillTargets(p ? str(p.target_spec_id) : '');
  renderBuilder();
  document.getElementById('editor-heading').textContent = p ? t('orgpw.edit_heading', { name: pathwayName(p) }) : t('orgpw.new_heading');
  document.getElementById('pw-cancel').hidden = !p;
}

form.elements.lang.addEventListener('change', () => {
  // Name and description are per language: show what this language has.
  const p = editing && pathways.find((x) => x.id === editing);
  form.elements.name.value = p ? str((p.name || {})[formLang()]) : form.elements.name.value;
  form.elements.description.value = p ? str((p.description || {})[formLang()]) : form.elements.description.value;
  renderBuilder();
});
form.addEventListener('change', (e) => { if (e.target.name === 'trust') showIssuers(); });
document.getElementById('pw-cancel').addEventListener('click', () => {
  startEdit(null);
  document.getElementById('editor-heading').focus();
});

// Problems of the rules beside the rule they concern (the rest by showProblem).
function showRuleProblems(err) {
  for (const e of arr(err && err.problem && err.problem.errors)) {
    const field = str(e.field);
    if (!field.startsWith('rules')) continue;
    const fs = rulesBox.querySelector(`fieldset[data-path="${CSS.escape(field)}"]`);
    if (!fs) continue;
    const select = fs.querySelector('select[data-key="type"]');
    const id = `${select.id}-error`;
    if (document.getElementById(id)) continue;
    select.closest('.field').append(el('p', { class: 'field-error', id }, str(e.message)));
    const described = (select.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    select.setAttribute('aria-describedby', [...described, id].join(' '));
    select.setAttribute('aria-invalid', 'true');
  }
}

async function save(data) {
  const lang = formLang();
  const prev = editing ? pathways.find((x) => x.id === editing) : null;
  const name = { ...(prev ? prev.name : {}) };
  if (data.name) name[lang] = data.name; else delete name[lang];
  const description = { ...(prev && prev.description && typeof prev.description === 'object' ? prev.description : {}) };
  if (data.description) description[lang] = data.description; else delete description[lang];
  const trust = { kind: form.elements.trust.value || 'registered' };
  if (trust.kind === 'named') trust.issuers = data.issuers.split(/\s+/).filter(Boolean);
  const body = { name, description, rules: toRule(model), trust, target_specification_id: data.target_specification_id || null };
  if (editing) await request('PUT', `${base}/pathways/${seg(editing)}`, body);
  else await post(`${base}/pathways`, body);
  const was = editing;
  await loadPathways();
  startEdit(null);
  showMessage(t(was ? 'orgpw.updated' : 'orgpw.created', { name: langText(name, lang) }), 'success');
}

// Like forms.js onSubmit, but the rules' problems are also shown beside
// the rules they concern.
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (form.getAttribute('aria-busy') === 'true') return;
  clearErrors(form);
  const button = document.getElementById('pw-save');
  form.setAttribute('aria-busy', 'true');
  button.disabled = true;
  try {
    await save(readForm(form));
  } catch (e) {
    if (!(e && e.problem)) console.error(e);
    showProblem(form, e);
    showRuleProblems(e);
  } finally {
    form.removeAttribute('aria-busy');
    button.disabled = false;
  }
});

// ------------------------------------------------------------ the list

function renderList() {
  if (pathways === null) return;
  if (!pathways.length) {
    listBox.replaceChildren(el('p', { class: 'empty' }, t('orgpw.empty')));
    return;
  }
  listBox.replaceChildren(el('ul', { class: 'cards' }, pathways.map((p) => {
    const name = pathwayName(p);
    const target = specs.find((s) => s.id === p.target_spec_id);
    return el('li', { class: 'card', 'data-pathway': str(p.id) },
      el('h3', {}, el('a', { href: `/pathway?id=${encodeURIComponent(str(p.id))}` }, name)),
      langText(p.description) ? el('p', {}, langText(p.description)) : null,
      ruleTree(p.rules),
      el('p', { class: 'meta' }, trustWords(p.trust)),
      el('p', { class: 'meta' }, p.target_spec_id
        ? t('orgpw.target_is', { title: target ? specTitle(target) : str(p.target_spec_id) })
        : t('orgpw.no_target_set')),
      canEdit ? el('p', { class: 'actions' },
        el('button', { type: 'button', class: 'button button-small', 'data-edit': str(p.id), 'aria-label': t('orgpw.edit_named', { name }) }, t('orgpw.edit')),
        el('button', { type: 'button', class: 'button button-small button-danger', 'data-delete': str(p.id), 'aria-label': t('orgpw.delete_named', { name }) }, t('orgpw.delete'))) : null);
  })));
}

async function loadPathways() {
  const data = await get(`${base}/pathways`);
  pathways = arr(data.items);
  renderList();
  renderRequests();
}

listBox.addEventListener('click', async (event) => {
  const edit = event.target.closest('button[data-edit]');
  const remove = event.target.closest('button[data-delete]');
  if (edit) {
    startEdit(pathways.find((p) => p.id === edit.dataset.edit));
    document.getElementById('editor-heading').focus();
    return;
  }
  if (!remove) return;
  const p = pathways.find((x) => x.id === remove.dataset.delete);
  if (!(await confirmAction('orgpw.delete_confirm', 'orgpw.delete', { name: pathwayName(p) }))) return;
  try {
    await del(`${base}/pathways/${seg(remove.dataset.delete)}`);
    if (editing === remove.dataset.delete) startEdit(null);
    await loadPathways();
    showMessage(t('orgpw.deleted', { name: pathwayName(p) }), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

// ------------------------------------------------------------ the queue

const STATUS_KEYS = { pending: 'pathway.request.pending', accepted: 'pathway.request.accepted', declined: 'pathway.request.declined' };
const statusWord = (s) => (STATUS_KEYS[s] ? t(STATUS_KEYS[s]) : str(s));

function requestCard(r) {
  const p = (pathways || []).find((x) => x.id === r.pathway_id);
  const ev = r.evaluation || {};
  const counted = arr(ev.eligible).filter((e) => e.counts === true);
  const s = str(r.status);
  const rid = str(r.id);
  const who = str(r.user_name) || str(r.user_email);
  const card = el('li', { class: 'card request', 'data-request': rid, 'data-status': s },
    el('h3', {}, who, el('span', { class: 'meta-inline' }, ` · ${str(r.user_email)}`)),
    el('p', { class: 'meta' }, t('orgpw.request_for', { name: p ? pathwayName(p) : '' }), ' · ',
      t('pathway.request_sent', { date: formatDate(str(r.created_at), true) })),
    el('p', {}, metBadge(ev.met === true, { missingKey: 'orgpw.not_met' }), ' ',
      t(ev.met === true ? 'orgpw.met_when_asked' : 'orgpw.not_met_when_asked')),
    counted.length ? el('div', {}, el('p', { class: 'sub-label' }, t('orgpw.counted')),
      el('ul', { class: 'plain-list' }, counted.map((e) => el('li', {}, str(e.title))))) : null);
  if (s !== 'pending') {
    card.append(el('p', {}, el('span', { class: `badge badge-${s === 'accepted' ? 'approved' : 'rejected'}` }, statusWord(s)),
      r.decided_at ? ` ${formatDate(str(r.decided_at), true)}` : '',
      r.reason ? [' — ', el('q', {}, str(r.reason))] : ''));
    return card;
  }
  if (!canEdit) return card;
  const reasonId = `reason-${rid}`;
  const gradeId = `grade-${rid}`;
  const f = el('form', { class: 'form decide-form', 'data-request': rid, novalidate: true },
    el('div', { class: 'field' },
      el('label', { for: gradeId }, t('orgpw.field.grade')),
      el('input', { id: gradeId, name: 'grade', maxlength: 100, 'aria-describedby': `${gradeId}-hint` }),
      el('p', { class: 'hint', id: `${gradeId}-hint` }, t('orgpw.grade_hint'))),
    el('div', { class: 'field' },
      el('label', { for: reasonId }, t('orgpw.field.reason')),
      el('textarea', { id: reasonId, name: 'reason', rows: 2, maxlength: 500, 'aria-describedby': `${reasonId}-hint` }),
      el('p', { class: 'hint', id: `${reasonId}-hint` }, t('orgpw.reason_hint'))),
    el('p', { class: 'actions' },
      el('button', { type: 'submit', class: 'button', name: 'decision', value: 'accept', 'aria-label': t('orgpw.accept_named', { name: who }) }, t('orgpw.accept')),
      el('button', { type: 'submit', class: 'button button-danger', name: 'decision', value: 'decline', 'aria-label': t('orgpw.decline_named', { name: who }) }, t('orgpw.decline'))));
  onSubmit(f, async (data, event) => {
    const decision = event.submitter && event.submitter.value === 'decline' ? 'decline' : 'accept';
    const body = {};
    if (data.reason) body.reason = data.reason;
    if (decision === 'accept' && data.grade) body.grade = data.grade;
    await post(`${base}/pathway-requests/${seg(rid)}/${decision}`, body);
    await loadRequests();
    showMessage(t(decision === 'accept' ? 'orgpw.accepted' : 'orgpw.declined', { name: who }), 'success');
    document.getElementById('requests-heading').focus();
  });
  card.append(f);
  return card;
}

function renderRequests() {
  if (requests === null) return;
  if (!requests.length) reqBox.replaceChildren(el('p', { class: 'empty' }, t('orgpw.no_requests')));
  else reqBox.replaceChildren(el('ul', { class: 'cards' }, requests.map(requestCard)));
}

async function loadRequests() {
  const status = document.getElementById('pw-req-status').value;
  const data = await get(`${base}/pathway-requests${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  requests = arr(data.items);
  renderRequests();
}
document.getElementById('pw-req-status').addEventListener('change', () => loadRequests().catch((e) => showMessage(problemText(e), 'error')));

// ------------------------------------------------------------ start

function renderHeading() {
  orgCrumb(slug, org);
  setPageHeading(t('orgpw.heading_org', { org: org ? (org.legal_name || org.slug) : slug }));
}

document.getElementById('editor-section').hidden = !canEdit;
renderHeading();
try {
  const [o, sp, catalogue] = await Promise.all([
    get(base).catch(() => null),
    canEdit ? publishedSpecs(slug).catch(() => []) : [],
    canEdit ? get('/catalogue?limit=100').catch(() => ({ items: [] })) : { items: [] },
  ]);
  org = o;
  specs = sp;
  renderHeading();
  document.getElementById('pw-spec-list').replaceChildren(...arr(catalogue.items).map((c) =>
    el('option', { value: str(c.url) }, `${specTitle(c)} · ${str(c.organisation && c.organisation.legal_name)}`)));
  if (canEdit) startEdit(null);
  await Promise.all([loadPathways(), loadRequests()]);
} catch (e) {
  showMessage(problemText(e), 'error');
  if (pathways === null) listBox.replaceChildren();
}
listBox.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => {
  renderHeading();
  renderList();
  renderRequests();
  if (canEdit) {
    renderBuilder();
    fillTargets(form.elements.target_specification_id.value);
    if (!editing) document.getElementById('editor-heading').textContent = t('orgpw.new_heading');
  }
});
