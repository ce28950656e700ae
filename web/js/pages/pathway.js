// pages/pathway.js - a learner's progress on one pathway (/pathway?id=):
// whether it is met, each rule with the credentials that meet it or what is
// still missing and the catalogue offers that would fill the gap, which of
// the learner's credentials count and why (not), and the review: "Ask for
// review" once the pathway is met, and the state of every request. An
// accepted request names the credential the organisation issued and the
// parts it was built from.
import { initPage, el, showMessage, problemText, setPageHeading } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { query } from '../issuing.js';
import { ruleWords, trustWords, pathwayName, offerItem, metBadge, str, arr } from './stacking-common.js';

await initPage({ requireLogin: true });
const id = query().get('id') || '';
let data = null;      // the progress answer
let titles = new Map(); // wallet item id -> title

// The server explains in English; the reasons it gives are a fixed set,
// said here in the reader's language (anything else is shown as sent).
const REASONS = {
  counts: 'pathway.reason.counts',
  'its signature does not verify': 'pathway.reason.signature',
  'it has been revoked': 'pathway.reason.revoked',
  'it is suspended': 'pathway.reason.suspended',
  'it has expired': 'pathway.reason.expired',
  'its issuer has no external quality assurance on record': 'pathway.reason.no_external_qa',
  'its issuer is not one this pathway accepts': 'pathway.reason.not_named',
  'its issuer is not registered': 'pathway.reason.not_registered',
  'another credential of the same specification already counts': 'pathway.reason.duplicate',
};
const reasonText = (r) => (REASONS[r] ? t(REASONS[r]) : str(r));

// The explanation of a leaf rule, from the server's fixed sentences.
function explanationText(x) {
  const s = str(x);
  if (s === 'no credential held matches') return t('pathway.expl.none');
  let m = /^"(.*)" would match but does not count/.exec(s);
  if (m) return t('pathway.expl.not_counting', { title: m[1] });
  m = /([\d.]+) of ([\d.]+) ECTS$/.exec(s);
  if (m) return t('pathway.expl.credits', { have: m[1], need: m[2] });
  return s;
}

const credLink = (itemId) => el('a', { href: `/credential?id=${encodeURIComponent(itemId)}` }, titles.get(itemId) || t('pathway.a_credential'));

// One node of the evaluation (walked together with the pathway's own rule,
// whose words are said in the reader's language): met or missing, which
// credentials were used, the server's explanation, and offers for a
// missing leaf.
function node(res, rule, depth = 0) {
  const r = res && typeof res === 'object' ? res : {};
  const own = rule && typeof rule === 'object' ? rule : (r.rule && typeof r.rule === 'object' ? r.rule : null);
  const met = r.met === true;
  const words = own ? ruleWords(own) : str(r.description);
  const li = el('li', { class: `rule-result ${met ? 'is-met' : 'is-missing'}`, 'data-met': met ? 'yes' : 'no' },
    metBadge(met), ' ', el('strong', {}, words));
  const group = Array.isArray(r.children);
  const matched = arr(r.matched).map(str).filter(Boolean);
  if (!group && met && matched.length) {
    li.append(el('p', { class: 'meta' }, t('pathway.met_by'), ' ',
      ...matched.flatMap((m, i) => (i ? [', ', credLink(m)] : [credLink(m)]))));
  }
  if (group) {
    const kids = r.children;
    const done = kids.filter((c) => c && c.met === true).length;
    const need = own && own.type === 'any' ? (Number.isInteger(own.min) ? own.min : 1) : kids.length;
    li.append(el('p', { class: 'meta' }, t('pathway.group_progress', { done, total: kids.length, need })));
  } else if (r.explanation && !(met && matched.length)) {
    li.append(el('p', { class: 'meta explanation' }, explanationText(r.explanation)));
  }
  const offers = arr(r.offers);
  if (!met && !group) {
    if (offers.length) {
      li.append(el('p', { class: 'sub-label' }, t('pathway.offers')), el('ul', { class: 'plain-list offers' }, offers.map(offerItem)));
    } else if (own && own.type === 'outcome') {
      li.append(el('p', { class: 'meta' }, t('pathway.no_offers')));
    }
  }
  if (group && depth < 16) {
    const rules = own ? arr(own.rules) : [];
    li.append(el('ul', { class: 'rule-results' }, r.children.map((c, i) => node(c, rules[i], depth + 1))));
  }
  return li;
}

function renderSummary() {
  const ev = data.evaluation || {};
  const met = ev.met === true;
  const p = data.pathway || {};
  document.getElementById('pathway-summary').replaceChildren(
    el('div', { class: `panel ${met ? 'panel-success' : 'panel-notice'}`, id: 'pathway-state', 'data-met': met ? 'yes' : 'no' },
      el('p', {}, el('strong', {}, t(met ? 'pathway.state_met' : 'pathway.state_not_met'))),
      el('p', { class: 'meta' }, trustWords(p.trust)),
      el('p', { class: 'actions' },
        el('button', { type: 'button', class: 'button button-quiet', id: 'follow' }, t('pathways.follow')),
        el('button', { type: 'button', class: 'button button-quiet', id: 'unfollow' }, t('pathways.unfollow')))));
}

function renderRules() {
  const ev = data.evaluation || {};
  document.getElementById('pathway-rules').replaceChildren(el('ul', { class: 'rule-results' }, node(ev.result, (data.pathway || {}).rules)));
  document.getElementById('rules-section').hidden = false;
}

function renderEligible() {
  const list = arr((data.evaluation || {}).eligible);
  const box = document.getElementById('pathway-eligible');
  if (!list.length) {
    box.replaceChildren(el('p', { class: 'empty' }, t('pathway.no_credentials'), ' ', el('a', { href: '/wallet' }, t('nav.wallet'))));
  } else {
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden' }, t('pathway.eligible_heading')),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('pathway.col_credential')),
        el('th', { scope: 'col' }, t('pathway.col_counts')),
        el('th', { scope: 'col' }, t('pathway.col_reason')))),
      el('tbody', {}, list.map((e) => el('tr', { 'data-item': str(e.id), class: e.counts ? null : 'revoked' },
        el('th', { scope: 'row' }, el('a', { href: `/credential?id=${encodeURIComponent(str(e.id))}` }, str(e.title) || titles.get(str(e.id)) || t('pathway.a_credential'))),
        el('td', {}, metBadge(e.counts === true, { metKey: 'pathway.counts', missingKey: 'pathway.does_not_count' })),
        el('td', {}, reasonText(e.reason)))))));
  }
  document.getElementById('eligible-section').hidden = false;
}

function statusWord(s) {
  switch (s) {
    case 'pending': return t('pathway.request.pending');
    case 'accepted': return t('pathway.request.accepted');
    case 'declined': return t('pathway.request.declined');
    default: return str(s);
  }
}

function renderRequests() {
  const met = (data.evaluation || {}).met === true;
  const requests = arr(data.requests);
  const pending = requests.some((r) => r.status === 'pending');
  const ask = document.getElementById('pathway-ask');
  if (pending) ask.replaceChildren(el('p', { class: 'hint' }, t('pathway.ask_pending')));
  else if (met) {
    ask.replaceChildren(el('p', { class: 'hint', id: 'ask-hint' }, t('pathway.ask_hint')),
      el('p', { class: 'actions' }, el('button', { type: 'button', class: 'button', id: 'ask-review', 'aria-describedby': 'ask-hint' }, t('pathway.ask'))));
  } else ask.replaceChildren(el('p', { class: 'hint' }, t('pathway.ask_when_met')));
  const box = document.getElementById('pathway-requests');
  if (!requests.length) box.replaceChildren(el('p', { class: 'empty' }, t('pathway.no_requests')));
  else {
    box.replaceChildren(el('ul', { class: 'cards' }, requests.map((r) => {
      const s = str(r.status);
      const cls = s === 'accepted' ? 'approved' : s === 'declined' ? 'rejected' : 'pending';
      const parts = arr(r.items).map(str);
      return el('li', { class: 'card request', 'data-request': str(r.id), 'data-status': s },
        el('h3', {}, el('span', { class: `badge badge-${cls}` }, statusWord(s)), ' ',
          t('pathway.request_sent', { date: formatDate(str(r.created_at), true) })),
        r.decided_at ? el('p', { class: 'meta' }, t('pathway.request_decided', { date: formatDate(str(r.decided_at), true) })) : null,
        r.reason ? el('p', {}, t('pathway.request_reason'), ' ', el('q', { class: 'decision-reason' }, str(r.reason))) : null,
        s === 'accepted' && r.award_id ? el('p', { class: 'issued' }, t('pathway.issued'), ' ', el('a', { href: '/wallet' }, t('pathway.issued_link'))) : null,
        parts.length ? el('div', {},
          el('p', { class: 'sub-label' }, t(s === 'accepted' ? 'pathway.parts_issued' : 'pathway.parts_sent')),
          el('ul', { class: 'plain-list parts' }, parts.map((p) => el('li', {}, credLink(p))))) : null);
    })));
  }
  document.getElementById('requests-section').hidden = false;
}

function render() {
  if (!data) return;
  setPageHeading(pathwayName(data.pathway));
  const p = data.pathway || {};
  const org = document.getElementById('pathway-org');
  org.replaceChildren(p.org_slug ? el('a', { href: `/orgs/${encodeURIComponent(str(p.org_slug))}` }, str(p.org_legal_name) || str(p.org_slug)) : '');
  renderSummary();
  renderRules();
  renderEligible();
  renderRequests();
  applyI18n(document.getElementById('main'));
}

async function load() {
  const [progress, wallet] = await Promise.all([get(`/pathways/${seg(id)}/progress`), get('/wallet').catch(() => ({ items: [] }))]);
  data = progress;
  titles = new Map(arr(wallet.items).map((i) => [str(i.id), str(i.title)]));
  render();
}

const summary = document.getElementById('pathway-summary');
try {
  if (!id) throw Object.assign(new Error('no id'), { problem: { detail: t('pathway.no_id') } });
  await load();
} catch (e) {
  showMessage(problemText(e), 'error');
  summary.replaceChildren();
}
summary.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', render);

document.getElementById('main').addEventListener('click', async (event) => {
  const b = event.target.closest('button');
  if (!b || !['ask-review', 'follow', 'unfollow'].includes(b.id)) return;
  b.disabled = true;
  try {
    if (b.id === 'ask-review') {
      await post(`/pathways/${seg(id)}/requests`);
      await load();
      showMessage(t('pathway.asked'), 'success');
      document.getElementById('requests-heading').focus();
    } else {
      if (b.id === 'follow') await post(`/pathways/${seg(id)}/follow`);
      else await del(`/pathways/${seg(id)}/follow`);
      b.disabled = false;
      showMessage(t(b.id === 'follow' ? 'pathways.followed' : 'pathways.unfollowed', { name: pathwayName(data.pathway) }), 'success');
    }
  } catch (e) {
    b.disabled = false;
    showMessage(problemText(e), 'error');
  }
});
