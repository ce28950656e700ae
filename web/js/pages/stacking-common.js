// pages/stacking-common.js - what the pathway and competence pages share:
// rules and requirements said in words, in the reader's language.
//
// A pathway's rules are a tree (see src/core/pathway.h):
//   {type:"all", rules:[...]}            {type:"any", min:2, rules:[...]}
//   {type:"credential", specification}   {type:"outcome", esco | text}
//   {type:"credits", min_ects, min_eqf?}
// each with an optional "description" (a language map or text) that the
// organisation wrote for people. ruleWords() prefers that description and
// otherwise says what the rule asks for; ruleTree() shows the whole tree as
// nested lists. Everything is built with el() (text nodes only): rules and
// descriptions are typed in by organisations.

import { el, safeHref } from '../layout.js';
import { t } from '../i18n.js';
import { langText } from '../issuing.js';
import { get } from '../api.js';

export const str = (v) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : '');
export const arr = (v) => (Array.isArray(v) ? v : []);

// ruleKindWords(rule) -> what a rule asks for, without its description.
export function ruleKindWords(rule) {
  const r = rule && typeof rule === 'object' ? rule : {};
  switch (r.type) {
    case 'all': return t('stack.rule.all');
    case 'any': return t('stack.rule.any', { min: Number.isInteger(r.min) ? r.min : 1 });
    case 'credential': return t('stack.rule.credential', { spec: str(r.specification) });
    case 'outcome': return r.esco ? t('stack.rule.outcome_esco', { esco: str(r.esco) }) : t('stack.rule.outcome_text', { text: str(r.text) });
    case 'credits': return Number.isInteger(r.min_eqf)
      ? t('stack.rule.credits_eqf', { ects: str(r.min_ects), eqf: r.min_eqf })
      : t('stack.rule.credits', { ects: str(r.min_ects) });
    default: return t('stack.rule.unknown');
  }
}

// ruleWords(rule) -> the rule's own description, else ruleKindWords.
export function ruleWords(rule) {
  const d = rule ? langText(rule.description) : '';
  return d || ruleKindWords(rule);
}

// ruleTree(rule) -> <ul class="rule-tree"> describing the rule and its
// children (for groups: "All of the following:" then the list).
export function ruleTree(rule, depth = 0) {
  const r = rule && typeof rule === 'object' ? rule : {};
  const own = langText(r.description);
  const kind = ruleKindWords(r);
  const item = el('li', {}, own || kind,
    own && r.type !== 'all' && r.type !== 'any' ? el('span', { class: 'meta-inline' }, ` (${kind})`) : null);
  if ((r.type === 'all' || r.type === 'any') && depth < 16) {
    if (own) item.append(el('span', { class: 'meta-inline' }, ` — ${kind}`));
    item.append(el('ul', {}, arr(r.rules).map((k) => ruleTree(k, depth + 1).firstChild)));
  }
  return el('ul', { class: 'rule-tree' }, item);
}

// trustWords(trust) -> which issuers a pathway accepts, in words.
export function trustWords(trust) {
  const kind = trust && trust.kind;
  if (kind === 'external-qa') return t('stack.trust.external_qa');
  if (kind === 'named') return t('stack.trust.named', { issuers: arr(trust.issuers).map(str).join(', ') });
  return t('stack.trust.registered');
}

// pathwayName(p) -> the name of a pathway in the reader's language.
export function pathwayName(p) {
  return (p && langText(p.name)) || t('stack.untitled');
}

// offerLink(offer) -> <a> to the catalogue entry of an offer
// {title, organisation(name) | organisation:{slug, legal_name}, url?}.
export function offerItem(offer) {
  const title = str(offer.title) || t('stack.untitled');
  const org = offer.organisation && typeof offer.organisation === 'object'
    ? str(offer.organisation.legal_name) : str(offer.organisation);
  const q = new URLSearchParams({ q: title });
  if (offer.organisation && typeof offer.organisation === 'object' && offer.organisation.slug) {
    q.set('organisation', str(offer.organisation.slug));
  }
  return el('li', { class: 'offer' }, el('a', { href: `/catalogue?${q}` }, title),
    org ? el('span', { class: 'meta-inline' }, ` · ${org}`) : null);
}

// catalogueOffers(req) -> [{title, organisation, url}] of the public
// catalogue that would meet an outcome (by ESCO skill or words) or a
// credential requirement (by the specification's own title), at most 3.
const offerCache = new Map();
export async function catalogueOffers(req) {
  let q;
  if (req.esco) q = `skill=${encodeURIComponent(req.esco)}`;
  else if (req.text) q = `q=${encodeURIComponent(req.text)}`;
  else return [];
  if (Number.isInteger(req.min_eqf)) q += `&level_min=${req.min_eqf}`;
  if (!offerCache.has(q)) {
    offerCache.set(q, get(`/catalogue?${q}&limit=3`).then((d) => arr(d && d.items)).catch(() => []));
  }
  return offerCache.get(q);
}

// specLink(url) -> <a> to a specification URL (or its text).
export function specLink(url, label) {
  const href = safeHref(str(url));
  return href ? el('a', { href, rel: 'noopener noreferrer' }, label || str(url)) : document.createTextNode(label || str(url));
}

// metBadge(met, {metKey, missingKey}) -> a badge "Met" / "Missing" (or
// the words of the keys given).
export function metBadge(met, { metKey = 'stack.met', missingKey = 'stack.missing' } = {}) {
  return el('span', { class: `badge ${met ? 'badge-approved' : 'badge-rejected'}`, 'data-met': met ? 'yes' : 'no' },
    t(met ? metKey : missingKey));
}

// requirementWords(r) -> a role requirement in words: its own description,
// else what it asks for.
export function requirementWords(r) {
  const q = r && typeof r === 'object' ? r : {};
  const own = langText(q.description);
  if (own) return own;
  if (q.kind === 'credential') return t('roles.req.credential', { spec: str(q.specification) });
  return q.esco ? t('roles.req.esco', { esco: str(q.esco) }) : t('roles.req.text', { text: str(q.text) });
}
