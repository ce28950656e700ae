// pages/roles.js - roles as required competences (/orgs/{slug}/roles): the
// list, an editor for a role's requirements, and giving staff a role.
//
// A requirement (see src/core/competence.h) is an outcome - an ESCO skill
// URI or words found in a credential's learning outcomes - or a credential
// of a specification (its URL), optionally at a minimum EQF level, mandatory
// or desirable, and optionally no older than a number of days. Requirement
// ids ("r1", "r2", ...) are made here and kept when a role is edited, so the
// competence map's history stays comparable. A 422 names requirements as
// "requirements[i]"; each fieldset carries that path, and the problem is
// shown beside the requirement it concerns.
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, post, del, request, seg } from '../api.js';
import { applyI18n, t, currentLanguage } from '../i18n.js';
import { CONTENT_LANGUAGES, languageName, langText, orgCrumb, specTitle } from '../issuing.js';
import { showProblem, clearErrors, confirmAction, onSubmit, readForm } from '../forms.js';
import { specLink, str, arr } from './stacking-common.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const isAdmin = session.hasRole(slug, 'org-admin');
const form = document.getElementById('role-form');
const staffForm = document.getElementById('staff-form');
const listBox = document.getElementById('roles-list');
const reqBox = document.getElementById('role-reqs');
let org = null;
let roles = null;
let editing = null;
let reqs = [];   // the requirements being edited
let uid = 0;

document.getElementById('link-competence').href = `/orgs/${encodeURIComponent(slug)}/competence`;

const formLang = () => form.elements.lang.value || currentLanguage();

function nextId() {
  const used = new Set(reqs.map((r) => r.id));
  let n = 1;
  while (used.has(`r${n}`)) n++;
  return `r${n}`;
}

const blank = () => ({ uid: ++uid, id: nextId(), kind: 'outcome', description: {}, mandatory: true });

function field(r, key, label, { type = 'text', value, attrs = {}, hint } = {}) {
  const id = `q${r.uid}-${key}`;
  return el('div', { class: 'field' },
    el('label', { for: id }, label),
    el('input', { id, type, 'data-key': key, 'data-uid': r.uid, value: value ?? '', 'aria-describedby': hint ? `${id}-hint` : null, ...attrs }),
    hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

function select(r, key, label, options, value) {
  const id = `q${r.uid}-${key}`;
  return el('div', { class: 'field' },
    el('label', { for: id }, label),
    el('select', { id, 'data-key': key, 'data-uid': r.uid },
      options.map(([v, text]) => el('option', { value: v, selected: String(v) === String(value ?? '') }, text))));
}

function reqFieldset(r, i) {
  const legend = t('roles.requirement_n', { n: i + 1 });
  const fs = el('fieldset', { class: 'rule-node requirement', 'data-path': `requirements[${i}]`, 'data-uid': r.uid },
    el('legend', {}, legend),
    el('div', { class: 'field-row' },
      field(r, 'description', t('roles.field.description', { lang: languageName(formLang()) }), { value: str((r.description || {})[formLang()]), attrs: { maxlength: 300 } }),
      select(r, 'kind', t('roles.field.kind'), [['outcome', t('roles.kind.outcome')], ['credential', t('roles.kind.credential')]], r.kind)));
  if (r.kind === 'credential') {
    fs.append(field(r, 'specification', t('roles.field.specification'), { type: 'url', value: r.specification, attrs: { list: 'role-spec-list', class: 'mono' }, hint: t('orgpw.specification_hint') }));
  } else {
    fs.append(el('div', { class: 'field-row' },
      field(r, 'esco', t('orgpw.field.esco'), { type: 'url', value: r.esco, attrs: { class: 'mono', placeholder: 'http://data.europa.eu/esco/skill/…' } }),
      field(r, 'text', t('orgpw.field.outcome_text'), { value: r.text, attrs: { maxlength: 300 } })),
    el('p', { class: 'hint' }, t('orgpw.outcome_hint')));
  }
  fs.append(el('div', { class: 'field-row' },
    select(r, 'min_eqf', t('roles.field.min_eqf'), [['', t('orgpw.any_level')], ...[1, 2, 3, 4, 5, 6, 7, 8].map((l) => [l, t('orgpw.eqf_n', { level: l })])], r.min_eqf),
    select(r, 'mandatory', t('roles.field.mandatory'), [['true', t('roles.mandatory')], ['false', t('roles.desirable')]], r.mandatory === false ? 'false' : 'true'),
    field(r, 'max_age_days', t('roles.field.max_age'), { type: 'number', value: r.max_age_days ?? '', attrs: { min: 1, max: 36500, step: 1, inputmode: 'numeric' }, hint: t('roles.max_age_hint') })),
  el('p', { class: 'actions' }, el('button', { type: 'button', class: 'button button-small button-danger', 'data-remove': r.uid,
    'aria-label': t('roles.remove_requirement_named', { n: i + 1 }) }, t('roles.remove_requirement'))));
  return fs;
}

function renderReqs(focus) {
  reqBox.replaceChildren(...(reqs.length ? reqs.map(reqFieldset) : [el('p', { class: 'empty' }, t('roles.no_requirements'))]));
  if (focus) { const f = reqBox.querySelector(focus) || document.getElementById('req-add'); f.focus(); }
}

const find = (id) => reqs.find((r) => r.uid === Number(id));

reqBox.addEventListener('input', (e) => {
  const r = find(e.target.dataset.uid);
  const key = e.target.dataset.key;
  if (!r || !key || e.target.tagName === 'SELECT') return;
  if (key === 'description') r.description = { ...r.description, [formLang()]: e.target.value };
  else if (key === 'max_age_days') r.max_age_days = e.target.value === '' ? undefined : Number(e.target.value);
  else r[key] = e.target.value;
});
reqBox.addEventListener('change', (e) => {
  const r = find(e.target.dataset.uid);
  const key = e.target.dataset.key;
  if (!r || e.target.tagName !== 'SELECT') return;
  if (key === 'kind') { r.kind = e.target.value; renderReqs(`#q${r.uid}-kind`); }
  else if (key === 'min_eqf') r.min_eqf = e.target.value === '' ? undefined : Number(e.target.value);
  else if (key === 'mandatory') r.mandatory = e.target.value === 'true';
});
reqBox.addEventListener('click', (e) => {
  const b = e.target.closest('button[data-remove]');
  if (!b) return;
  const i = reqs.indexOf(find(b.dataset.remove));
  if (i < 0) return;
  reqs.splice(i, 1);
  const next = reqs[Math.min(i, reqs.length - 1)];
  renderReqs(next ? `#q${next.uid}-description` : '#req-add');
  showMessage(t('roles.requirement_removed'));
});
document.getElementById('req-add').addEventListener('click', () => {
  const r = blank();
  reqs.push(r);
  renderReqs(`#q${r.uid}-description`);
});

// The requirement as the API takes it.
function toRequirement(r) {
  const out = { id: r.id, kind: r.kind, mandatory: r.mandatory !== false };
  const d = Object.fromEntries(Object.entries(r.description || {}).filter(([, v]) => typeof v === 'string' && v.trim()).map(([k, v]) => [k, v.trim()]));
  if (Object.keys(d).length) out.description = d;
  if (r.kind === 'credential') out.specification = str(r.specification).trim();
  else {
    if (str(r.esco).trim()) out.esco = r.esco.trim();
    if (str(r.text).trim()) out.text = r.text.trim();
  }
  if (Number.isInteger(r.min_eqf)) out.min_eqf = r.min_eqf;
  if (r.max_age_days !== undefined && r.max_age_days !== null && !Number.isNaN(r.max_age_days)) out.max_age_days = r.max_age_days;
  return out;
}

function startEdit(role) {
  clearErrors(form);
  editing = role ? str(role.id) : null;
  const select = form.elements.lang;
  const lang = currentLanguage();
  select.replaceChildren(...CONTENT_LANGUAGES.map((c) => el('option', { value: c, selected: c === lang }, languageName(c))));
  select.value = CONTENT_LANGUAGES.includes(lang) ? lang : 'en';
  form.elements.name.value = role ? str(role.name) : '';
  reqs = [];
  for (const q of role ? arr(role.requirements) : []) {
    const d = typeof q.description === 'string' ? { [formLang()]: q.description } : { ...(q.description || {}) };
    reqs.push({ ...q, description: d, uid: ++uid });
  }
  if (!role) reqs.push(blank());
  renderReqs();
  document.getElementById('role-editor-heading').textContent = role ? t('roles.edit_heading', { name: str(role.name) }) : t('roles.new_heading');
  document.getElementById('role-cancel').hidden = !role;
}
form.elements.lang.addEventListener('change', () => renderReqs());
document.getElementById('role-cancel').addEventListener('click', () => { startEdit(null); document.getElementById('role-editor-heading').focus(); });

function showReqProblems(err) {
  for (const e of arr(err && err.problem && err.problem.errors)) {
    const fs = reqBox.querySelector(`fieldset[data-path="${CSS.escape(str(e.field))}"]`);
    if (!fs) continue;
    const target = fs.querySelector('select[data-key="kind"]');
    const id = `${target.id}-error`;
    if (document.getElementById(id)) continue;
    target.closest('.field').append(el('p', { class: 'field-error', id }, str(e.message)));
    target.setAttribute('aria-describedby', id);
    target.setAttribute('aria-invalid', 'true');
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (form.getAttribute('aria-busy') === 'true') return;
  clearErrors(form);
  const button = document.getElementById('role-save');
  form.setAttribute('aria-busy', 'true');
  button.disabled = true;
  try {
    const data = readForm(form);
    const body = { name: data.name, requirements: reqs.map(toRequirement) };
    if (editing) await request('PUT', `${base}/roles/${seg(editing)}`, body);
    else await post(`${base}/roles`, body);
    const was = editing;
    await loadRoles();
    startEdit(null);
    showMessage(t(was ? 'roles.updated' : 'roles.created', { name: data.name }), 'success');
  } catch (e) {
    if (!(e && e.problem)) console.error(e);
    showProblem(form, e);
    showReqProblems(e);
  } finally {
    form.removeAttribute('aria-busy');
    button.disabled = false;
  }
});

// ------------------------------------------------------------ list

function renderList() {
  if (roles === null) return;
  if (!roles.length) { listBox.replaceChildren(el('p', { class: 'empty' }, t('roles.empty'))); return; }
  listBox.replaceChildren(...roles.map((role) => {
    const name = str(role.name);
    const rid = str(role.id);
    return el('article', { class: 'card role', 'data-role': rid },
      el('h3', {}, name),
      el('table', { class: 'table table-compact' },
        el('caption', { class: 'visually-hidden' }, t('roles.requirements_of', { name })),
        el('thead', {}, el('tr', {},
          el('th', { scope: 'col' }, t('roles.col.requirement')),
          el('th', { scope: 'col' }, t('roles.col.asks')),
          el('th', { scope: 'col' }, t('roles.field.min_eqf')),
          el('th', { scope: 'col' }, t('roles.field.mandatory')),
          el('th', { scope: 'col' }, t('roles.field.max_age')))),
        el('tbody', {}, arr(role.requirements).map((q) => el('tr', { 'data-requirement': str(q.id) },
          el('th', { scope: 'row' }, langText(q.description) || str(q.id)),
          el('td', {}, q.kind === 'credential' ? [t('roles.kind.credential'), ': ', specLink(q.specification)]
            : [t('roles.kind.outcome'), ': ', q.esco ? specLink(q.esco) : str(q.text)]),
          el('td', {}, Number.isInteger(q.min_eqf) ? t('orgpw.eqf_n', { level: q.min_eqf }) : '—'),
          el('td', {}, q.mandatory === false ? t('roles.desirable') : t('roles.mandatory')),
          el('td', {}, q.max_age_days ? t('roles.days_n', { days: q.max_age_days }) : '—'))))),
      isAdmin ? el('p', { class: 'actions' },
        el('button', { type: 'button', class: 'button button-small', 'data-edit': rid, 'aria-label': t('roles.edit_named', { name }) }, t('roles.edit')),
        el('button', { type: 'button', class: 'button button-small button-danger', 'data-delete': rid, 'aria-label': t('roles.delete_named', { name }) }, t('roles.delete'))) : null);
  }));
}

function fillRoleSelect() {
  const s = staffForm.elements.role_id;
  const v = s.value;
  s.replaceChildren(el('option', { value: '' }, t('common.choose')), ...(roles || []).map((r) => el('option', { value: str(r.id) }, str(r.name))));
  s.value = (roles || []).some((r) => r.id === v) ? v : '';
}

async function loadRoles() {
  const data = await get(`${base}/roles`);
  roles = arr(data.items);
  renderList();
  fillRoleSelect();
  if (assignments.length) await loadAssignments(); /* a role renamed or removed */
}

listBox.addEventListener('click', async (event) => {
  const edit = event.target.closest('button[data-edit]');
  const remove = event.target.closest('button[data-delete]');
  if (edit) { startEdit(roles.find((r) => r.id === edit.dataset.edit)); document.getElementById('role-editor-heading').focus(); return; }
  if (!remove) return;
  const role = roles.find((r) => r.id === remove.dataset.delete);
  if (!(await confirmAction('roles.delete_confirm', 'roles.delete', { name: str(role && role.name) }))) return;
  try {
    await del(`${base}/roles/${seg(remove.dataset.delete)}`);
    if (editing === remove.dataset.delete) startEdit(null);
    await loadRoles();
    showMessage(t('roles.deleted', { name: str(role && role.name) }), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

// Who has which role: a table, each row with a button that takes the role away.
const assignmentsBox = document.getElementById('assignments');
let assignments = [];

function renderAssignments() {
  if (!assignments.length) {
    assignmentsBox.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'roles.assignments_empty' }));
  } else {
    const roleName = (id) => str(((roles || []).find((r) => r.id === id) || {}).name);
    assignmentsBox.replaceChildren(el('table', { class: 'table table-compact' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'field.name' }), el('th', { scope: 'col', 'data-i18n': 'field.email' }),
        el('th', { scope: 'col', 'data-i18n': 'roles.field.role' }), el('td', {}))),
      el('tbody', {}, assignments.map((a) => el('tr', { 'data-user': str(a.user_id), 'data-role': str(a.role_id) },
        el('td', {}, str(a.user_name)), el('td', {}, str(a.user_email)), el('td', {}, roleName(a.role_id)),
        el('td', {}, el('button', { type: 'button', class: 'button button-small button-quiet', 'data-email': str(a.user_email),
          'data-role-id': str(a.role_id), 'aria-label': t('roles.remove_named', { role: roleName(a.role_id), name: str(a.user_name) }) },
        t('roles.unassign'))))))));
  }
  applyI18n(assignmentsBox);
}

async function loadAssignments() {
  if (!isAdmin) return;
  assignments = arr((await get(`${base}/staff-roles`)).items);
  renderAssignments();
}

assignmentsBox.addEventListener('click', async (event) => {
  const b = event.target.closest('button[data-email]');
  if (!b) return;
  const role = (roles || []).find((r) => r.id === b.dataset.roleId);
  b.disabled = true;
  try {
    await del(`${base}/staff-roles?email=${encodeURIComponent(b.dataset.email)}&role_id=${encodeURIComponent(b.dataset.roleId)}`);
    await loadAssignments();
    showMessage(t('roles.unassigned', { email: b.dataset.email, role: str(role && role.name) }), 'success');
  } catch (e) {
    b.disabled = false;
    showMessage(problemText(e), 'error');
  }
});

onSubmit(staffForm, async (data, event) => {
  const remove = event.submitter && event.submitter.value === 'remove';
  const role = (roles || []).find((r) => r.id === data.role_id);
  if (remove) {
    await del(`${base}/staff-roles?email=${encodeURIComponent(data.email)}&role_id=${encodeURIComponent(data.role_id)}`);
  } else {
    await post(`${base}/staff-roles`, { email: data.email, role_id: data.role_id });
  }
  showMessage(t(remove ? 'roles.unassigned' : 'roles.assigned', { email: data.email, role: str(role && role.name) }), 'success');
  staffForm.elements.email.value = '';
  await loadAssignments();
});

// ------------------------------------------------------------ start

function renderHeading() {
  orgCrumb(slug, org);
  setPageHeading(t('roles.heading_org', { org: org ? (org.legal_name || org.slug) : slug }));
}

document.getElementById('role-editor').hidden = !isAdmin;
document.getElementById('staff-section').hidden = !isAdmin;
renderHeading();
try {
  const [o, catalogue] = await Promise.all([get(base).catch(() => null),
    isAdmin ? get('/catalogue?limit=100').catch(() => ({ items: [] })) : { items: [] }]);
  org = o;
  renderHeading();
  document.getElementById('role-spec-list').replaceChildren(...arr(catalogue.items).map((c) =>
    el('option', { value: str(c.url) }, `${specTitle(c)} · ${str(c.organisation && c.organisation.legal_name)}`)));
  if (isAdmin) startEdit(null);
  await loadRoles();
  await loadAssignments();
} catch (e) {
  showMessage(problemText(e), 'error');
  if (roles === null) listBox.replaceChildren();
}
listBox.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => {
  renderHeading();
  renderList();
  fillRoleSelect();
  if (isAdmin) {
    renderAssignments();
    renderReqs();
    if (!editing) document.getElementById('role-editor-heading').textContent = t('roles.new_heading');
  }
  applyI18n(document.getElementById('main'));
});
