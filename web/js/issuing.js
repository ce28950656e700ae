// issuing.js - what the provider's pages share (specifications, issuing,
// batches, awards, catalogue): requests api.js cannot make (extra headers,
// a CSV body), words for the vocabulary codes, language-map texts, and the
// organisation breadcrumb.
//
// rawRequest() exists because api.js sends JSON only and takes no headers:
// issuing one award needs an Idempotency-Key header and a batch is uploaded
// as text/csv. It sends the same X-CSRF-Token, fetched once from /me.

import { get, ApiError, seg } from './api.js';
import { t, currentLanguage } from './i18n.js';
import { el } from './layout.js';

let csrf = null;

async function csrfToken() {
  if (csrf === null) {
    try { csrf = (await get('/me')).csrf || ''; } catch { csrf = ''; }
  }
  return csrf;
}

// rawRequest(method, path, {body, type, headers}) -> parsed JSON or null.
// path is relative to /api/v1; body a string (sent as is, with Content-Type
// `type`) or an object (sent as JSON). Throws ApiError like api.js does.
export async function rawRequest(method, path, { body, type, headers = {} } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  const init = { method, headers: h, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    if (typeof body === 'string') {
      h['Content-Type'] = type || 'text/plain';
      init.body = body;
    } else {
      h['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  if (method !== 'GET') {
    const token = await csrfToken();
    if (token) h['X-CSRF-Token'] = token;
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch {
    throw new ApiError(0, { status: 0, title: 'Network error', detail: '', errors: [], network: true });
  }
  let data = null;
  if ((res.headers.get('Content-Type') || '').includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const p = data && typeof data === 'object' ? { ...data } : {};
    if (typeof p.status !== 'number') p.status = res.status;
    if (typeof p.title !== 'string') p.title = res.statusText || `HTTP ${res.status}`;
    if (typeof p.detail !== 'string') p.detail = '';
    if (!Array.isArray(p.errors)) p.errors = [];
    throw new ApiError(res.status, p);
  }
  return data;
}

// newKey() -> a fresh random idempotency key.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

// Words for the codes of /api/v1/vocabularies, in the reader's language.
const VOCAB = [
  { list: 'assessmentTypes', code: 'exam', key: 'vocab.assessment.exam' },
  { list: 'assessmentTypes', code: 'written-exam', key: 'vocab.assessment.written_exam' },
  { list: 'assessmentTypes', code: 'oral', key: 'vocab.assessment.oral' },
  { list: 'assessmentTypes', code: 'project', key: 'vocab.assessment.project' },
  { list: 'assessmentTypes', code: 'portfolio', key: 'vocab.assessment.portfolio' },
  { list: 'assessmentTypes', code: 'practical-task', key: 'vocab.assessment.practical_task' },
  { list: 'assessmentTypes', code: 'presentation', key: 'vocab.assessment.presentation' },
  { list: 'assessmentTypes', code: 'peer-assessment', key: 'vocab.assessment.peer_assessment' },
  { list: 'assessmentTypes', code: 'self-assessment', key: 'vocab.assessment.self_assessment' },
  { list: 'assessmentTypes', code: 'attendance-only', key: 'vocab.assessment.attendance_only' },
  { list: 'assessmentTypes', code: 'observation', key: 'vocab.assessment.observation' },
  { list: 'assessmentTypes', code: 'simulation', key: 'vocab.assessment.simulation' },
  { list: 'participation', code: 'online', key: 'vocab.participation.online' },
  { list: 'participation', code: 'on-site', key: 'vocab.participation.on_site' },
  { list: 'participation', code: 'blended', key: 'vocab.participation.blended' },
  { list: 'participation', code: 'work-based', key: 'vocab.participation.work_based' },
  { list: 'participation', code: 'self-study', key: 'vocab.participation.self_study' },
  { list: 'supervision', code: 'unsupervised-no-id', key: 'vocab.supervision.unsupervised_no_id' },
  { list: 'supervision', code: 'supervised-no-id', key: 'vocab.supervision.supervised_no_id' },
  { list: 'supervision', code: 'supervised-with-id', key: 'vocab.supervision.supervised_with_id' },
  { list: 'stackability', code: 'stand-alone', key: 'vocab.stackability.stand_alone' },
  { list: 'stackability', code: 'integrated', key: 'vocab.stackability.integrated' },
  { list: 'stackability', code: 'stackable', key: 'vocab.stackability.stackable' },
  { list: 'assessmentBasis', code: 'course', key: 'vocab.basis.course' },
  { list: 'assessmentBasis', code: 'prior-learning', key: 'vocab.basis.prior_learning' },
  { list: 'workloadUnits', code: 'ECTS', key: 'vocab.unit.ects' },
  { list: 'workloadUnits', code: 'hours', key: 'vocab.unit.hours' },
  { list: 'workloadUnits', code: 'other', key: 'vocab.unit.other' },
  { list: 'levelFrameworks', code: 'EQF', key: 'vocab.framework.eqf' },
  { list: 'levelFrameworks', code: 'QF-EHEA', key: 'vocab.framework.qf_ehea' },
  { list: 'levelFrameworks', code: 'national', key: 'vocab.framework.national' },
  { list: 'cycles', code: 'short', key: 'vocab.cycle.short' },
  { list: 'cycles', code: 'first', key: 'vocab.cycle.first' },
  { list: 'cycles', code: 'second', key: 'vocab.cycle.second' },
  { list: 'cycles', code: 'third', key: 'vocab.cycle.third' },
  { list: 'awardStatus', code: 'active', key: 'awards.status.active' },
  { list: 'awardStatus', code: 'suspended', key: 'awards.status.suspended' },
  { list: 'awardStatus', code: 'revoked', key: 'awards.status.revoked' },
];

// vocabLabel(list, code, fallback) -> the word for code in the reader's
// language; the server's (English) label or the code where we have none.
export function vocabLabel(list, code, fallback) {
  const entry = VOCAB.find((v) => v.list === list && v.code === code);
  return entry ? t(entry.key) : (fallback || String(code));
}

// codes(vocab, list) -> the codes of one vocabulary list, whether the
// server sends strings or {code, label} objects.
export function codes(vocabularies, list) {
  return ((vocabularies && vocabularies[list]) || []).map((x) => (typeof x === 'string' ? x : x.code));
}

// Languages a specification may be written in: the EU's official
// languages and a few neighbours (ISO 639-1).
export const CONTENT_LANGUAGES = ['bg', 'cs', 'da', 'de', 'el', 'en', 'es', 'et', 'fi', 'fr', 'ga', 'hr',
  'hu', 'is', 'it', 'lt', 'lv', 'mt', 'nl', 'no', 'pl', 'pt', 'ro', 'sk', 'sl', 'sv', 'uk'];

// languageName(code) -> the language's name in the reader's language.
export function languageName(code) {
  try {
    const name = new Intl.DisplayNames([currentLanguage()], { type: 'language' }).of(code);
    return name ? name.charAt(0).toLocaleUpperCase(currentLanguage()) + name.slice(1) : code;
  } catch {
    return code;
  }
}

// langText(map, mainLanguage) -> the text of a language map in the reader's
// language, else in mainLanguage, else any; "" when there is none.
export function langText(map, mainLanguage) {
  if (typeof map === 'string') return map;
  if (!map || typeof map !== 'object') return '';
  const pick = map[currentLanguage()] || (mainLanguage && map[mainLanguage]);
  if (pick) return pick;
  const any = Object.values(map).find((v) => typeof v === 'string' && v);
  return any || '';
}

// specTitle(item) -> a display title for a specification list item,
// version or catalogue entry.
export function specTitle(item) {
  const doc = item.specification || item.draft;
  const main = doc && Array.isArray(doc.languages) ? doc.languages[0] : undefined;
  const fromDoc = doc ? langText(doc.title, main) : '';
  return fromDoc || langText(item.title, main) || t('spec.untitled');
}

// awardStatusBadge(status) -> a badge for active/suspended/revoked.
export function awardStatusBadge(status) {
  const cls = status === 'active' ? 'approved' : status === 'suspended' ? 'pending' : 'rejected';
  return el('span', { class: `badge badge-${cls}`, 'data-status': status }, vocabLabel('awardStatus', status));
}

// publishedSpecs(slug) -> the organisation's specifications that have a
// published version, [{id, title, latest_version, ...}].
export async function publishedSpecs(slug) {
  const data = await get(`/organisations/${seg(slug)}/specifications`);
  return (data.items || []).filter((s) => s.latest_version > 0);
}

// orgCrumb(slug, org): fills the breadcrumb link #crumb-org.
export function orgCrumb(slug, org) {
  const crumb = document.getElementById('crumb-org');
  if (!crumb) return;
  crumb.textContent = org ? (org.legal_name || org.slug) : slug;
  crumb.href = `/orgs/${encodeURIComponent(slug)}`;
}

// setPath(obj, 'a.b.0.c', value): sets a nested value, making objects and
// (for numeric segments) arrays on the way.
export function setPath(obj, path, value) {
  const parts = path.split('.');
  let o = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i];
    if (o[k] === undefined || o[k] === null || typeof o[k] !== 'object') o[k] = /^\d+$/.test(parts[i + 1]) ? [] : {};
    o = o[k];
  }
  o[parts[parts.length - 1]] = value;
}

// getPath(obj, 'a.b.0.c') -> the value or undefined.
export function getPath(obj, path) {
  let o = obj;
  for (const k of path.split('.')) {
    if (o === undefined || o === null || typeof o !== 'object') return undefined;
    o = o[k];
  }
  return o;
}

// prune(value) -> value without empty strings, empty objects, empty arrays
// and holes; undefined when nothing is left.
export function prune(value) {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (Array.isArray(value)) {
    const a = value.map(prune).filter((v) => v !== undefined);
    return a.length ? a : undefined;
  }
  if (value && typeof value === 'object') {
    const o = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v);
      if (p !== undefined) o[k] = p;
    }
    return Object.keys(o).length ? o : undefined;
  }
  return value === null ? undefined : value;
}

// toDateTime(localValue) -> an RFC 3339 UTC date-time for the value of an
// <input type="datetime-local">, or "" for an empty one.
export function toDateTime(localValue) {
  if (!localValue) return '';
  const d = new Date(localValue);
  if (Number.isNaN(d.getTime())) return localValue;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// query() -> URLSearchParams of this page's address.
export const query = () => new URLSearchParams(location.search);
