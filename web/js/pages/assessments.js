// pages/assessments.js - the assessors' queue of an organisation
// (/orgs/{slug}/assessments): learners' requests by status; open one to
// read the statement, follow the links, download the evidence (always as
// attachments) and the history; ask for more (with a note), decline (with a
// reason) or accept. An accepted request shows a small issuing form,
// pre-filled from the request (validation of prior learning is the
// assessment's basis), which issues the award with request_id so that the
// request closes; issuers and admins can send it. The same pre-fill is kept
// in sessionStorage "mc.issue.prefill" for the full issuing form
// (/orgs/{slug}/issue).
import { initPage, el, showMessage, problemText, orgSlugFromPath, safeHref } from '../layout.js';
import { get, post, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { onSubmit, showProblem, clearErrors } from '../forms.js';
import { orgCrumb } from '../issuing.js';
import { requestBadge, kindLabel, specTitleById, evidenceList, historyList } from './loop-common.js';

const session = await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const canIssue = session.hasRole(slug, 'org-admin') || session.hasRole(slug, 'issuer');
const PREFILL_KEY = 'mc.issue.prefill';
const box = document.getElementById('assess-list');
const detail = document.getElementById('assess-detail');
const filter = document.getElementById('assess-filter');
const params = new URLSearchParams(location.search);
let status = params.get('status') ?? 'open';
let items = null;
let current = null; // the open request
let prefill = null;

get(base).then((org) => orgCrumb(slug, org)).catch(() => orgCrumb(slug, null));
filter.elements.namedItem('status').value = status;

async function load() {
  const one = status && status !== 'open' ? `?status=${encodeURIComponent(status)}` : '';
  const data = await get(`${base}/award-requests${one}`);
  items = (data.items || []).filter((r) => status !== 'open' || r.status === 'submitted' || r.status === 'more-evidence' || r.status === 'accepted');
  await render();
}

async function render() {
  if (items === null) return;
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'assess.empty' }));
  } else {
    const titles = await Promise.all(items.map((r) => specTitleById(r.spec_id)));
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'assess.heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'assess.col.learner' }),
        el('th', { scope: 'col', 'data-i18n': 'requests.col.specification' }),
        el('th', { scope: 'col', 'data-i18n': 'request.fact.kind' }),
        el('th', { scope: 'col', 'data-i18n': 'request.fact.status' }),
        el('th', { scope: 'col', 'data-i18n': 'requests.col.updated' }))),
      el('tbody', {}, items.map((r, i) => el('tr', { 'data-request': r.id },
        el('th', { scope: 'row' }, el('button', { type: 'button', class: 'linklike', 'data-open': r.id,
          'aria-label': t('assess.open_named', { name: r.user_name }) }, r.user_name),
        el('span', { class: 'meta block' }, r.user_email)),
        el('td', {}, titles[i] || t('request.unknown_spec')),
        el('td', {}, kindLabel(r.kind)),
        el('td', {}, requestBadge(r.status)),
        el('td', {}, formatDate(r.updated_at, true)))))));
  }
  applyI18n(box);
  box.removeAttribute('aria-busy');
}

function fact(key, ...value) {
  return [el('dt', { 'data-i18n': key }), el('dd', {}, ...value)];
}

function prefillOf(r) {
  const p = {
    request_id: r.id, specification_id: r.spec_id,
    learner: { name: r.user_name, email: r.user_email },
    assessment: { basis: r.kind === 'validation' ? 'prior-learning' : 'course', date: new Date().toISOString().slice(0, 10) },
  };
  if (r.links && r.links.length) p.evidence = r.links;
  return p;
}

function showIssueForm(p) {
  prefill = p;
  try { sessionStorage.setItem(PREFILL_KEY, JSON.stringify(p)); } catch { /* private mode */ }
  const form = document.getElementById('issue-form');
  form.hidden = false;
  form.elements.namedItem('name').value = p.learner.name || '';
  form.elements.namedItem('email').value = p.learner.email || '';
  form.elements.namedItem('date').value = (p.assessment && p.assessment.date) || '';
  document.getElementById('issue-basis').textContent = t(p.assessment.basis === 'prior-learning' ? 'assess.issue.basis_validation' : 'assess.issue.basis_course');
  document.getElementById('issue-full').href = `/orgs/${encodeURIComponent(slug)}/issue?request=${encodeURIComponent(p.request_id)}`;
  document.getElementById('issue-submit').hidden = !canIssue;
  document.getElementById('issue-no-role').hidden = canIssue;
}

async function open(id, focus = true) {
  current = await get(`/award-requests/${seg(id)}`);
  const r = current;
  detail.hidden = false;
  document.getElementById('detail-heading').textContent = `${r.user_name} — ${await specTitleById(r.spec_id) || t('request.unknown_spec')}`;
  const facts = document.getElementById('detail-facts');
  facts.replaceChildren(
    ...fact('request.fact.status', requestBadge(r.status)),
    ...fact('request.fact.kind', kindLabel(r.kind)),
    ...fact('assess.col.learner', `${r.user_name} <${r.user_email}>`),
    ...fact('request.fact.submitted', formatDate(r.created_at, true)),
    ...(r.note ? fact('assess.note', r.note) : []));
  applyI18n(facts);
  document.getElementById('detail-statement').textContent = r.statement;
  const links = r.links || [];
  document.getElementById('detail-links').replaceChildren(links.length
    ? el('ul', {}, links.map((l) => el('li', {}, safeHref(l) ? el('a', { href: l, rel: 'noopener noreferrer nofollow' }, l) : l)))
    : el('p', { class: 'empty' }, t('request.no_links')));
  document.getElementById('detail-evidence').replaceChildren(evidenceList(r.evidence));
  document.getElementById('detail-history').replaceChildren(historyList(r.history));
  const decide = document.getElementById('decide-form');
  clearErrors(decide);
  decide.reset();
  decide.hidden = !(r.status === 'submitted' || r.status === 'more-evidence');
  const issue = document.getElementById('issue-form');
  clearErrors(issue);
  issue.hidden = true;
  if (r.status === 'accepted') showIssueForm(prefillOf(r));
  if (focus) detail.focus();
}

box.addEventListener('click', async (event) => {
  const b = event.target.closest('button[data-open]');
  if (!b) return;
  try { await open(b.dataset.open); } catch (e) { showMessage(problemText(e), 'error'); }
});

filter.addEventListener('submit', async (event) => {
  event.preventDefault();
  status = filter.elements.namedItem('status').value;
  const u = new URL(location.href);
  u.searchParams.set('status', status);
  history.replaceState(null, '', u);
  try { await load(); } catch (e) { showMessage(problemText(e), 'error'); }
});

// Accept, ask for more or decline: the button pressed names the action.
const decideForm = document.getElementById('decide-form');
decideForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const action = event.submitter ? event.submitter.value : 'accept';
  const note = decideForm.elements.namedItem('note').value.trim();
  clearErrors(decideForm);
  if (action !== 'accept' && !note) {
    showProblem(decideForm, { problem: { detail: t('assess.note_required'), errors: [{ field: 'note', message: t('assess.note_required') }] } });
    return;
  }
  const buttons = [...decideForm.querySelectorAll('button')];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const r = await post(`${base}/award-requests/${seg(current.id)}/${action}`, note ? { note } : {});
    await load();
    await open(current.id, false);
    if (action === 'accept' && r && r.request_id) showIssueForm(r);
    const done = { accept: 'assess.done_accept', 'more-evidence': 'assess.done_more', decline: 'assess.done_decline' }[action];
    showMessage(t(done, { name: current.user_name }), 'success');
    (action === 'accept' ? document.getElementById('issue-form') : detail).focus();
  } catch (e) {
    showProblem(decideForm, e);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

onSubmit(document.getElementById('issue-form'), async (data) => {
  const body = structuredClone(prefill);
  body.learner = { name: data.name, email: data.email };
  if (data.grade) body.grade = data.grade;
  if (data.date) body.assessment.date = data.date;
  const award = await post(`${base}/awards`, body);
  try { sessionStorage.removeItem(PREFILL_KEY); } catch { /* ignore */ }
  await load();
  await open(current.id, false);
  showMessage(t('assess.issued', { name: award.learner_name || data.name }), 'success');
  detail.focus();
});

document.addEventListener('mc:languagechange', () => { render(); if (current) open(current.id, false); });

try {
  await load();
  if (params.get('request')) await open(params.get('request'));
} catch (e) {
  showMessage(problemText(e), 'error');
}
