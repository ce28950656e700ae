// elements.js - shows what a credential says (the European standard
// elements, as GET /api/v1/wallet/{id}, /api/v1/shared/{token} and
// POST /api/v1/verify return them in "elements") and what its verification
// found (the report's checks), in plain words in the reader's language.
//
// Credentials come from anywhere, so everything here is built with
// createElement and text nodes (never innerHTML), every value is checked for
// its type before use, and a link is made only from an http(s) URL, with
// rel="noopener noreferrer"; anything else is shown as text.
//
//   renderElements(elements)   -> <dl class="facts elements">
//   renderReport(report)       -> <div class="report"> verdict + checks
//   verdictOf(report)          -> 'verified' | 'not_verified' | 'revoked' |
//                                 'suspended' | 'expired' | 'unknown'
//   verdictBadge(report)       -> <span class="badge ..."> for lists

import { el, safeHref } from './layout.js';
import { t, formatDate, countryName } from './i18n.js';
import { vocabLabel } from './issuing.js';
import { qaTypeLabel } from './labels.js';

// text(v) -> v as a string when it is a string or a finite number, else ''.
export function text(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

const list = (v) => (Array.isArray(v) ? v : []);
const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);

// link(url, label) -> an <a> for an http(s) URL (opened without giving the
// target a handle on this page), or the label/URL as plain text.
export function link(url, label) {
  const href = safeHref(text(url));
  const shown = text(label) || text(url);
  if (!href) return document.createTextNode(shown);
  return el('a', { href, rel: 'noopener noreferrer', class: 'ext' }, shown);
}

function joinNodes(nodes, sep = ', ') {
  const out = [];
  nodes.filter((n) => n !== null && n !== '' && n !== undefined).forEach((n, i) => {
    if (i) out.push(sep);
    out.push(n);
  });
  return out;
}

// Concepts of the EU vocabularies: {label, code, id}. The code gives our
// own translation; otherwise the credential's label.
const CONCEPT_LISTS = {
  participation: 'participation',
  assessment: 'assessmentTypes',
  supervision: 'supervision',
  basis: 'assessmentBasis',
  stacking: 'stackability',
};

function concept(c, kind) {
  const o = obj(c);
  if (!o) return text(c);
  const code = text(o.code);
  const label = text(o.label);
  if (kind === 'qa' && (code === 'internal' || code === 'external')) return qaTypeLabel(code);
  if (code && CONCEPT_LISTS[kind]) return vocabLabel(CONCEPT_LISTS[kind], code, label || code);
  return label || code || text(o.id);
}

function org(o) {
  const v = obj(o);
  if (!v) return text(o);
  const parts = [];
  const name = text(v.name);
  if (name) parts.push(el('span', { class: 'org-name' }, name));
  const li = obj(v.legal_identifier);
  if (li && text(li.value)) parts.push(el('span', { class: 'meta-inline' }, `${text(li.scheme) ? text(li.scheme) + ' ' : ''}${text(li.value)}`));
  if (text(v.country)) parts.push(countryName(text(v.country)));
  if (text(v.url)) parts.push(link(v.url));
  if (text(v.email)) parts.push(text(v.email));
  return el('span', {}, joinNodes(parts));
}

function bullets(items) {
  const nodes = items.filter((n) => n !== '' && n !== null);
  if (!nodes.length) return null;
  if (nodes.length === 1) return nodes[0];
  return el('ul', { class: 'plain-list' }, nodes.map((n) => el('li', {}, n)));
}

function number(v) {
  return typeof v === 'number' && Number.isFinite(v)
    ? new Intl.NumberFormat(document.documentElement.lang || 'en').format(v) : text(v);
}

function unitLabel(unit) {
  if (unit === 'ECTS') return t('vocab.unit.ects');
  if (unit === 'hours') return t('vocab.unit.hours');
  return text(unit);
}

function levelText(l) {
  const v = obj(l);
  if (!v) return text(l);
  const parts = [];
  const fw = text(v.framework);
  const name = text(v.name);
  const lvl = number(v.level);
  if (fw === 'EQF' && lvl) parts.push(t('el.level_eqf', { level: lvl }));
  else if (name) parts.push(name);
  else if (lvl) parts.push(`${fw} ${lvl}`.trim());
  if (name && fw === 'EQF' && lvl && name !== `Level ${lvl}`) parts.push(name);
  if (text(v.cycle)) parts.push(vocabLabel('cycles', text(v.cycle), text(v.cycle)));
  return parts.join(' · ');
}

function workloadText(w) {
  const v = obj(w);
  if (!v) return text(w);
  const parts = [];
  if (text(v.amount)) parts.push(`${number(v.amount)} ${unitLabel(text(v.unit))}`.trim());
  if (text(v.hours) && v.unit !== 'hours') parts.push(t('el.workload_hours', { hours: number(v.hours) }));
  if (text(v.duration)) parts.push(durationText(v.duration));
  return parts.join(' · ');
}

function dateRange(v) {
  const o = obj(v);
  if (!o) return text(v);
  const from = text(o.from);
  const until = text(o.until);
  if (from && until) return t('el.validity_range', { from: formatDate(from), until: formatDate(until) });
  if (from) return t('el.validity_from', { from: formatDate(from) });
  if (until) return t('el.validity_until', { until: formatDate(until) });
  return '';
}

function learnerNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const parts = [];
  if (text(o.name)) parts.push(el('span', { class: 'learner-name' }, text(o.name)));
  if (text(o.identifier_kind)) parts.push(el('span', { class: 'meta-inline' }, t('el.identified_by', { kind: text(o.identifier_kind) })));
  return el('span', {}, joinNodes(parts, ' — '));
}

function issuerNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const parts = [];
  if (text(o.name)) parts.push(el('span', { class: 'org-name' }, text(o.name)));
  if (text(o.id)) parts.push(el('code', { class: 'ident' }, text(o.id)));
  return el('span', {}, joinNodes(parts, ' '));
}

function outcomesNode(v) {
  const items = list(v).map((o) => {
    const x = obj(o);
    if (!x) return text(o) ? el('li', {}, text(o)) : null;
    const skills = list(x.esco_skills).filter(obj);
    const kids = [el('span', {}, text(x.text))];
    if (skills.length) {
      kids.push(' ', el('span', { class: 'meta-inline' }, t('el.esco'), ' ',
        joinNodes(skills.map((s) => link(s.id, text(s.label) || text(s.id))))));
    } else if (text(x.esco_skill)) {
      kids.push(' ', el('span', { class: 'meta-inline' }, t('el.esco'), ' ', link(x.esco_skill)));
    }
    return el('li', {}, kids);
  }).filter(Boolean);
  return items.length ? el('ul', { class: 'plain-list outcomes' }, items) : null;
}

function assessmentNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const rows = [];
  const add = (key, value) => { if (value) rows.push(el('li', {}, el('span', { class: 'sub-label' }, t(key)), ' ', value)); };
  add('el.assessment_types', list(o.types).map((c) => concept(c, 'assessment')).filter(Boolean).join(', '));
  add('el.assessment_basis', concept(o.basis, 'basis'));
  add('el.assessment_supervision', concept(o.supervision, 'supervision'));
  add('el.assessment_assessor', text(o.assessor));
  add('el.assessment_date', formatDate(text(o.date)));
  return rows.length ? el('ul', { class: 'plain-list' }, rows) : null;
}

function qaNode(v) {
  const items = list(v).map((q) => {
    const o = obj(q);
    if (!o) return null;
    const parts = [];
    if (text(o.title)) parts.push(el('strong', {}, text(o.title)));
    const type = concept(o.type, 'qa');
    if (type) parts.push(type);
    const fw = concept(o.framework, 'framework');
    if (fw) parts.push(fw);
    if (o.body) parts.push(org(o.body));
    if (text(o.date)) parts.push(formatDate(text(o.date)));
    if (text(o.evidence)) parts.push(link(o.evidence, t('el.qa_evidence')));
    return parts.length ? el('li', {}, joinNodes(parts)) : null;
  }).filter(Boolean);
  return items.length ? el('ul', { class: 'plain-list' }, items) : null;
}

function stackingNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const parts = [];
  const mode = concept(o.mode, 'stacking');
  if (mode) parts.push(mode);
  const target = obj(o.target);
  if (target && (text(target.title) || text(target.id))) {
    parts.push(t('el.stacking_target', { target: text(target.title) || text(target.id) }));
  }
  if (text(o.part)) parts.push(text(o.part));
  return parts.join(' · ');
}

function qualificationNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const parts = [];
  if (text(o.title)) parts.push(text(o.title));
  if (text(o.id)) parts.push(el('code', { class: 'ident' }, text(o.id)));
  if (o.partial === true) parts.push(t('el.qualification_partial'));
  return parts.length ? el('span', {}, joinNodes(parts, ' · ')) : null;
}

function creditsNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  if (text(o.earned) && text(o.available)) return t('el.credits_of', { earned: number(o.earned), available: number(o.available) });
  if (text(o.earned)) return number(o.earned);
  return '';
}

function specificationNode(v) {
  const o = obj(v);
  if (!o) return text(v);
  const id = text(o.id);
  const version = text(o.version);
  const idNode = safeHref(id) ? link(id) : el('code', { class: 'ident' }, id);
  return el('span', {}, id ? idNode : '', version ? ` · ${t('el.version', { version })}` : '');
}

// durationText('P2M') -> "2 months" in the reader's language (the ISO 8601
// text itself when it is not a plain duration).
const DURATION_UNITS = [['Y', 'year'], ['M', 'month'], ['W', 'week'], ['D', 'day']];
const TIME_UNITS = [['H', 'hour'], ['M', 'minute']];
export function durationText(v) {
  const s = text(v);
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(s);
  if (!m || s === 'P' || s.endsWith('T')) return s;
  const lang = document.documentElement.lang || 'en';
  const units = [...DURATION_UNITS, ...TIME_UNITS];
  const parts = [];
  units.forEach(([, unit], i) => {
    const n = m[i + 1];
    if (!n) return;
    try {
      parts.push(new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'long' }).format(Number(n)));
    } catch {
      parts.push(`${n} ${unit}`);
    }
  });
  return parts.length ? parts.join(', ') : s;
}

function languageName(tag) {
  const code = text(tag);
  if (!code) return '';
  try {
    return new Intl.DisplayNames([document.documentElement.lang || 'en'], { type: 'language' }).of(code) || code;
  } catch {
    return code;
  }
}

// The elements in the order a person reads a certificate: what, who, when,
// how much and at what level, how it was assessed, quality assurance, the
// rest, and the technical facts last. key = the label's text key, render =
// value -> node, text or null/'' (left out).
export const ELEMENTS = [
  { name: 'title', key: 'el.title', render: (v) => text(v) },
  { name: 'description', key: 'el.description', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'learner', key: 'el.learner', render: learnerNode },
  { name: 'issuer', key: 'el.issuer', render: issuerNode },
  { name: 'awarding_bodies', key: 'el.awarding_bodies', render: (v) => bullets(list(v).map(org)) },
  { name: 'countries', key: 'el.countries', render: (v) => list(v).map((c) => countryName(text(c))).filter(Boolean).join(', ') },
  { name: 'issued', key: 'el.issued', render: (v) => formatDate(text(v)) },
  { name: 'place', key: 'el.place', render: (v) => { const o = obj(v); return o ? [text(o.name), countryName(text(o.country))].filter(Boolean).join(', ') : text(v); } },
  { name: 'learning_outcomes', key: 'el.learning_outcomes', render: outcomesNode },
  { name: 'criteria', key: 'el.criteria', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'workload', key: 'el.workload', render: workloadText },
  { name: 'level', key: 'el.level', render: levelText },
  { name: 'assessment', key: 'el.assessment', render: assessmentNode },
  { name: 'participation', key: 'el.participation', render: (v) => list(v).map((c) => concept(c, 'participation')).filter(Boolean).join(', ') },
  { name: 'grade', key: 'el.grade', render: (v) => text(v) },
  { name: 'points', key: 'el.points', render: (v) => number(v) },
  { name: 'grading_scheme', key: 'el.grading_scheme', render: (v) => text(v) },
  { name: 'credits', key: 'el.credits', render: creditsNode },
  { name: 'quality_assurance', key: 'el.quality_assurance', render: qaNode },
  { name: 'prerequisites', key: 'el.prerequisites', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'stacking', key: 'el.stacking', render: stackingNode },
  { name: 'qualification', key: 'el.qualification', render: qualificationNode },
  { name: 'standards', key: 'el.standards', render: (v) => bullets(list(v).map((s) => { const o = obj(s); return o ? link(o.url, text(o.title) || text(o.url)) : link(s); })) },
  { name: 'content', key: 'el.content', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'learning_resources', key: 'el.learning_resources', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'further_information', key: 'el.further_information', render: (v) => (text(v) ? el('span', { class: 'pre-line' }, text(v)) : '') },
  { name: 'duration', key: 'el.duration', render: durationText },
  { name: 'validity', key: 'el.validity', render: dateRange },
  { name: 'evidence', key: 'el.evidence', render: (v) => bullets(list(v).map((u) => link(u))) },
  { name: 'creator', key: 'el.creator', render: org },
  { name: 'specification', key: 'el.specification', render: specificationNode },
  { name: 'language', key: 'el.language', render: languageName },
  { name: 'available_languages', key: 'el.available_languages', render: (v) => list(v).map(languageName).filter(Boolean).join(', ') },
  { name: 'format', key: 'el.format', render: (v) => text(v) },
  { name: 'id', key: 'el.id', render: (v) => (text(v) ? el('code', { class: 'ident' }, text(v)) : '') },
];

function isEmpty(node) {
  if (node === null || node === undefined || node === '') return true;
  if (Array.isArray(node)) return node.length === 0;
  if (node instanceof Node) return node.nodeType === Node.TEXT_NODE ? !node.textContent : !node.textContent.trim() && !node.querySelector('a, code');
  return false;
}

// renderElements(elements, {skip}) -> <dl class="facts elements"> with one
// dt/dd per element the credential has (data-element="name" on each dd);
// skip = names to leave out (e.g. the title shown as the heading).
export function renderElements(elements, { skip = [] } = {}) {
  const dl = el('dl', { class: 'facts elements' });
  const e = obj(elements) || {};
  for (const item of ELEMENTS) {
    if (skip.includes(item.name) || !(item.name in e)) continue;
    let node;
    try { node = item.render(e[item.name]); } catch { node = ''; }
    if (isEmpty(node)) continue;
    dl.append(el('dt', {}, t(item.key)), el('dd', { 'data-element': item.name }, node));
  }
  if (!dl.children.length) dl.append(el('dt', {}, t('el.none')), el('dd', {}, '—'));
  return dl;
}

// ---- verification ----

// Words for the checks, by the report's stable check ids.
const CHECKS = {
  parse: { name: 'check.name.parse', ok: 'check.ok.parse', bad: 'check.bad.parse' },
  context: { name: 'check.name.context', ok: 'check.ok.context', bad: 'check.bad.context' },
  shape: { name: 'check.name.shape', ok: 'check.ok.shape', bad: 'check.bad.shape' },
  proof: { name: 'check.name.proof', ok: 'check.ok.proof', bad: 'check.bad.proof' },
  'issuer-key': { name: 'check.name.issuer_key', ok: 'check.ok.issuer_key', bad: 'check.bad.issuer_key' },
  'issuer-registered': { name: 'check.name.issuer_registered', ok: 'check.ok.issuer_registered', bad: 'check.bad.issuer_registered', warn: 'check.warn.issuer_registered' },
  'issuer-qa': { name: 'check.name.issuer_qa', ok: 'check.ok.issuer_qa', bad: 'check.bad.issuer_qa' },
  status: { name: 'check.name.status', ok: 'check.ok.status', bad: 'check.bad.status' },
  'valid-from': { name: 'check.name.valid_from', ok: 'check.ok.valid_from', bad: 'check.bad.valid_from' },
  'valid-until': { name: 'check.name.valid_until', ok: 'check.ok.valid_until', bad: 'check.bad.valid_until' },
};

const STATUS_KEYS = {
  passed: 'check.status.passed',
  failed: 'check.status.failed',
  warning: 'check.status.warning',
  skipped: 'check.status.skipped',
};

function findCheck(report, id) {
  return list(obj(report) && report.checks).find((c) => obj(c) && c.id === id) || null;
}

// verdictOf(report) -> one word for the whole report (see the top).
export function verdictOf(report) {
  const r = obj(report);
  if (!r || !list(r.checks).length) return 'unknown';
  if (r.valid === true) return 'verified';
  const status = findCheck(r, 'status');
  if (status && status.status === 'failed') {
    if (/revoked/i.test(text(status.reason))) return 'revoked';
    if (/suspended/i.test(text(status.reason))) return 'suspended';
  }
  const until = findCheck(r, 'valid-until');
  const others = list(r.checks).filter((c) => obj(c) && c.status === 'failed' && c.id !== 'valid-until');
  if (until && until.status === 'failed' && /expired/i.test(text(until.reason)) && !others.length) return 'expired';
  return 'not_verified';
}

const VERDICTS = {
  verified: { key: 'verdict.verified', explain: 'verdict.verified_text', cls: 'verified' },
  not_verified: { key: 'verdict.not_verified', explain: 'verdict.not_verified_text', cls: 'not-verified' },
  revoked: { key: 'verdict.revoked', explain: 'verdict.revoked_text', cls: 'not-verified' },
  suspended: { key: 'verdict.suspended', explain: 'verdict.suspended_text', cls: 'not-verified' },
  expired: { key: 'verdict.expired', explain: 'verdict.expired_text', cls: 'not-verified' },
  unknown: { key: 'verdict.unknown', explain: 'verdict.unknown_text', cls: 'not-verified' },
};

// issuerUnknown(report) -> true when the signature holds but the issuer is
// not in the registry (a warning, not a failure).
export function issuerUnknown(report) {
  const c = findCheck(report, 'issuer-registered');
  return !!(c && c.status === 'warning');
}

// verdictBadge(report | boolean) -> a small badge ("Verified" / "NOT
// VERIFIED" / "Revoked" ...). A boolean stands for verified / not.
export function verdictBadge(report) {
  const v = typeof report === 'boolean' ? (report ? 'verified' : 'not_verified') : verdictOf(report);
  const d = VERDICTS[v];
  return el('span', { class: `badge verdict verdict-${d.cls}`, 'data-verdict': v }, t(d.key));
}

function checkSentence(c) {
  const words = CHECKS[c.id];
  if (!words) return '';
  if (c.status === 'passed') return t(words.ok);
  if (c.status === 'failed') {
    if (c.id === 'status' && /suspended/i.test(text(c.reason))) return t('check.bad.status_suspended');
    return t(words.bad);
  }
  if (c.status === 'warning' && words.warn) return t(words.warn);
  return '';
}

// renderReport(report, {headingLevel}) -> the verdict in one line (with
// what it means) followed by every check in plain words, the server's own
// reason underneath in small print.
export function renderReport(report, { headingLevel = 3 } = {}) {
  const r = obj(report) || {};
  const v = verdictOf(r);
  const box = el('div', { class: `report report-${VERDICTS[v].cls}`, 'data-verdict': v });
  const summary = el('div', { class: `verdict-panel verdict-${VERDICTS[v].cls}` },
    el('p', { class: 'verdict-line' }, el('strong', { class: 'verdict-word' }, t(VERDICTS[v].key)), ' ',
      el('span', {}, t(VERDICTS[v].explain))));
  if (v === 'verified' && issuerUnknown(r)) {
    summary.append(el('p', { class: 'verdict-warning', 'data-warning': 'issuer-unknown' }, t('verdict.issuer_unknown')));
  }
  box.append(summary);
  const checks = list(r.checks).filter(obj);
  if (checks.length) {
    const heading = el(`h${headingLevel}`, { class: 'vchecks-heading' }, t('check.heading'));
    const items = checks.map((c) => {
      const status = STATUS_KEYS[c.status] ? c.status : 'skipped';
      const words = CHECKS[c.id];
      const name = words ? t(words.name) : text(c.id);
      const sentence = checkSentence(c);
      return el('li', { class: `vcheck vcheck-${status}`, 'data-check': text(c.id), 'data-status': status },
        el('span', { class: `vcheck-status vcheck-status-${status}` }, t(STATUS_KEYS[status])),
        ' ', el('strong', { class: 'vcheck-name' }, name),
        sentence ? el('span', { class: 'vcheck-sentence' }, ' — ', sentence) : null,
        text(c.reason) ? el('span', { class: 'vcheck-reason' }, text(c.reason)) : null);
    });
    box.append(heading, el('ul', { class: 'vchecks' }, items));
  }
  return box;
}

// verdictWords(v) -> {word, explain}: the verdict and its sentence in the
// reader's language (the print view shows them without the list).
export function verdictWords(v) {
  const d = VERDICTS[v] || VERDICTS.unknown;
  return { word: t(d.key), explain: t(d.explain) };
}
