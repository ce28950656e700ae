// pages/request.js - a learner asks for a micro-credential (/request):
//   /request?org=SLUG&spec=ID  the form: after a course or by validation of
//                              prior learning, a statement, links and files
//   /request                   find the specification in the catalogue first
//   /request?id=ID             the request: status, the assessor's note,
//                              evidence, history, and adding more when the
//                              assessor asks for it (files can be added
//                              while the request is open)
// Files go up one by one as raw bodies with their type
// (POST /api/v1/award-requests/{id}/evidence?filename=NAME).
import { initPage, el, showMessage, problemText, flash, safeHref } from '../layout.js';
import { get, post, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { onSubmit } from '../forms.js';
import { langText } from '../issuing.js';
import {
  requestBadge, kindLabel, specTitleById, uploadEvidence, evidenceList, historyList, linksOf, ACCEPT,
} from './loop-common.js';

await initPage({ requireLogin: true });
const params = new URLSearchParams(location.search);
const id = params.get('id');
let csrf = '';
try { csrf = (await get('/me')).csrf || ''; } catch { csrf = ''; }

for (const input of document.querySelectorAll('input[type="file"]')) input.accept = ACCEPT;

async function sendFiles(requestId, input) {
  for (const file of [...(input.files || [])]) await uploadEvidence(requestId, file, csrf);
}

// ---- pick a specification from the catalogue
async function showPick() {
  document.getElementById('request-pick').hidden = false;
  const form = document.getElementById('pick-form');
  const box = document.getElementById('pick-results');
  onSubmit(form, async (data) => {
    const r = await get(`/catalogue?${new URLSearchParams({ q: data.q || '', limit: '20' })}`);
    const items = (r.items || []).filter((x) => x.organisation && x.specification_id);
    box.replaceChildren(items.length ? el('ul', { class: 'link-list-block' }, items.map((x) => {
      const s = x.specification || {};
      const title = langText(s.title, Array.isArray(s.languages) ? s.languages[0] : undefined) || x.title;
      return el('li', {}, el('a', { href: `/request?${new URLSearchParams({ org: x.organisation.slug, spec: x.specification_id })}` }, title),
        ' ', el('span', { class: 'meta' }, x.organisation.legal_name || x.organisation.slug));
    })) : el('p', { class: 'empty', 'data-i18n': 'request.pick_none' }));
    applyI18n(box);
  });
}

// ---- a new request
async function showNew(org, spec) {
  const section = document.getElementById('request-new');
  section.hidden = false;
  const title = await specTitleById(spec);
  document.getElementById('new-heading').textContent = title || t('request.unknown_spec');
  document.getElementById('new-org').textContent = org;
  const form = document.getElementById('new-form');
  onSubmit(form, async (data) => {
    const kind = form.querySelector('input[name="kind"]:checked').value;
    const body = { organisation: org, specification_id: spec, kind, statement: data.statement, links: linksOf(data.links) };
    const created = await post('/award-requests', body);
    try {
      await sendFiles(created.id, document.getElementById('new-files'));
      flash('request.sent');
    } catch (e) {
      flash('request.sent_file_failed', 'error');
    }
    location.assign(`/request?id=${encodeURIComponent(created.id)}`);
  });
}

// ---- an existing request
function fact(key, ...value) {
  return [el('dt', { 'data-i18n': key }), el('dd', {}, ...value)];
}

async function showRequest() {
  const section = document.getElementById('request-view');
  section.hidden = false;
  let r;
  try {
    r = await get(`/award-requests/${seg(id)}`);
  } catch (e) {
    showMessage(problemText(e), 'error');
    section.hidden = true;
    return;
  }
  const title = await specTitleById(r.spec_id);
  document.getElementById('view-heading').textContent = title || t('request.unknown_spec');
  const facts = document.getElementById('view-facts');
  facts.replaceChildren(
    ...fact('request.fact.status', requestBadge(r.status)),
    ...fact('request.fact.kind', kindLabel(r.kind)),
    ...fact('request.fact.organisation', r.org_slug),
    ...fact('request.fact.submitted', formatDate(r.created_at, true)),
    ...(r.status === 'issued' ? fact('request.fact.result', el('a', { href: '/wallet', 'data-i18n': 'request.see_wallet' })) : []));
  applyI18n(facts);
  const note = document.getElementById('view-note');
  if (r.note && (r.status === 'more-evidence' || r.status === 'declined')) {
    note.hidden = false;
    note.replaceChildren(el('p', {}, el('strong', {}, t(r.status === 'declined' ? 'request.declined_because' : 'request.assessor_asks')), ' ', r.note));
  } else {
    note.hidden = true;
  }
  document.getElementById('view-statement').textContent = r.statement;
  const links = r.links || [];
  document.getElementById('view-links').replaceChildren(links.length
    ? el('ul', {}, links.map((l) => el('li', {}, safeHref(l) ? el('a', { href: l, rel: 'noopener noreferrer' }, l) : l)))
    : el('p', { class: 'empty' }, t('request.no_links')));
  document.getElementById('view-evidence').replaceChildren(evidenceList(r.evidence));
  document.getElementById('view-history').replaceChildren(historyList(r.history));
  const add = document.getElementById('add-form');
  const open = r.status === 'submitted' || r.status === 'more-evidence';
  add.hidden = !open;
  // Statement and links go with an answer to the assessor; files any time the request is open.
  const more = r.status === 'more-evidence';
  document.getElementById('add-statement-field').hidden = !more;
  document.getElementById('add-links-field').hidden = !more;
  document.getElementById('add-heading').textContent = t(more ? 'request.add_heading' : 'request.add_files_heading');
  return r;
}

if (id) {
  const add = document.getElementById('add-form');
  onSubmit(add, async (data) => {
    const files = document.getElementById('add-files');
    const status = (await get(`/award-requests/${seg(id)}`)).status;
    if (!files.files.length && !(status === 'more-evidence' && (data.statement || data.links))) {
      throw Object.assign(new Error('empty'), { problem: { detail: t('request.add_nothing'), errors: [] } });
    }
    await sendFiles(id, files);
    if (status === 'more-evidence') {
      const body = { links: linksOf(data.links) };
      if (data.statement) body.statement = data.statement;
      await post(`/award-requests/${seg(id)}/additions`, body);
    }
    add.reset();
    await showRequest();
    showMessage(t('request.added'), 'success');
  });
  await showRequest();
} else if (params.get('org') && params.get('spec')) {
  await showNew(params.get('org'), params.get('spec'));
} else {
  await showPick();
}
document.addEventListener('mc:languagechange', () => { if (id) showRequest(); });
