// pages/loop-common.js - what the "learners in the loop" pages share: the
// badge of a request's status, a specification's title fetched from its
// public document, the evidence upload (raw file body with its type) and
// the history list of a request.
import { el } from '../layout.js';
import { t, formatDate } from '../i18n.js';
import { ApiError, seg } from '../api.js';
import { langText } from '../issuing.js';

// Request statuses and their texts (literal keys for the i18n check).
const STATUS = {
  submitted: { key: 'loop.status.submitted', cls: 'pending' },
  'more-evidence': { key: 'loop.status.more-evidence', cls: 'pending' },
  accepted: { key: 'loop.status.accepted', cls: 'approved' },
  declined: { key: 'loop.status.declined', cls: 'rejected' },
  issued: { key: 'loop.status.issued', cls: 'approved' },
};

// statusBadge(status) -> a badge naming a request's status.
export function requestBadge(status) {
  const s = STATUS[status] || { key: '', cls: 'pending' };
  return el('span', { class: `badge badge-${s.cls}`, 'data-status': status }, s.key ? t(s.key) : status);
}

// kindLabel(kind) -> "After a course" / "Validation of prior learning".
export function kindLabel(kind) {
  return kind === 'validation' ? t('loop.kind.validation') : t('loop.kind.course');
}

const titles = new Map();
// specTitleById(id) -> Promise<string>: the title of a published
// specification (its public document), '' when it cannot be read.
export function specTitleById(id) {
  if (!titles.has(id)) {
    titles.set(id, fetch(`/specs/${seg(id)}`, { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((doc) => (doc ? langText(doc.title, Array.isArray(doc.languages) ? doc.languages[0] : undefined) : ''))
      .catch(() => ''));
  }
  return titles.get(id);
}

// The types the server accepts, by file name extension when the browser
// does not know the type.
const TYPES = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', txt: 'text/plain' };
export const ACCEPT = '.pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain';

// uploadEvidence(requestId, file, csrf) -> the stored evidence; throws an
// ApiError (with the server's problem) when the file is refused.
export async function uploadEvidence(requestId, file, csrf) {
  const ext = (file.name.split('.').pop() || '').toLowerCase();
  const type = TYPES[ext] && (!file.type || !Object.values(TYPES).includes(file.type)) ? TYPES[ext] : (file.type || 'application/octet-stream');
  const res = await fetch(`/api/v1/award-requests/${seg(requestId)}/evidence?filename=${encodeURIComponent(file.name)}`, {
    method: 'POST', credentials: 'same-origin', body: file,
    headers: { 'Content-Type': type, Accept: 'application/json', 'X-CSRF-Token': csrf || '' },
  });
  let data = null;
  try { data = await res.json(); } catch { data = null; }
  if (!res.ok) {
    const p = data && typeof data === 'object' ? data : {};
    throw new ApiError(res.status, { status: res.status, title: p.title || `HTTP ${res.status}`,
      detail: `${file.name}: ${p.detail || res.statusText}`, errors: [] });
  }
  return data;
}

// evidenceList(items) -> a list of download links (the server always sends
// them as attachments).
export function evidenceList(items) {
  if (!items || !items.length) return el('p', { class: 'empty' }, t('loop.no_evidence'));
  return el('ul', { class: 'evidence-list' }, items.map((x) => el('li', {},
    el('a', { href: `/api/v1/evidence/${seg(x.id)}`, download: x.filename, 'data-evidence': x.id }, x.filename),
    ' ', el('span', { class: 'meta' }, `${x.content_type}, ${Math.max(1, Math.round(x.size / 1024))} KB`))));
}

// The texts of history actions.
const ACTIONS = {
  submitted: 'loop.history.submitted', evidence: 'loop.history.evidence', 'more-evidence': 'loop.history.more_evidence',
  added: 'loop.history.added', accepted: 'loop.history.accepted', declined: 'loop.history.declined', issued: 'loop.history.issued',
};

// historyList(events) -> an ordered list of what happened, oldest first.
export function historyList(events) {
  return el('ol', { class: 'history' }, (events || []).map((h) => el('li', {},
    el('time', { datetime: h.at }, formatDate(h.at, true)), ' — ',
    el('strong', {}, ACTIONS[h.action] ? t(ACTIONS[h.action]) : h.action),
    h.note && h.action !== 'issued' ? el('span', { class: 'history-note' }, h.note) : null)));
}

// linksOf(text) -> the non-empty lines of a textarea.
export function linksOf(text) {
  return String(text || '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
}
