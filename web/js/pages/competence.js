// pages/competence.js - the organisation's competence map
// (/orgs/{slug}/competence), built only from what staff chose to share:
//   - the matrix: per role, each requirement and how many people meet it
//     (counts of groups smaller than the threshold are never shown: "fewer
//     than N"),
//   - each person with their role: met (with which credential), missing
//     (why, and catalogue offers that would fill it) and expiring,
//   - the gaps across roles with offers, and what expires in the next 90
//     days,
//   - CSV and JSON exports of the same map.
// Choosing a person shows only them (GET .../competence-map/people/{id}).
import { initPage, el, problemText, showMessage, orgSlugFromPath, setPageHeading } from '../layout.js';
import { get, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { langText, orgCrumb, specTitle } from '../issuing.js';
import { requirementWords, catalogueOffers, offerItem, specLink, metBadge, str, arr } from './stacking-common.js';

await initPage({ requireLogin: true });
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const filter = document.getElementById('map-filter');
let org = null;
let map = null;
let roles = [];
let everyone = []; // [{user_id, user_name}] from the unfiltered map

const REASONS = {
  met: 'competence.reason.met',
  'met, but expires soon': 'competence.reason.expires_soon',
  'no shared credential matches': 'competence.reason.none',
  'the matching credential is not valid': 'competence.reason.invalid',
  'the matching credential is below the required level': 'competence.reason.level',
  'the matching credential has no issue date to check its age': 'competence.reason.no_date',
  'the matching credential has expired': 'competence.reason.expired',
};
const reasonText = (r) => (REASONS[r] ? t(REASONS[r]) : str(r));

const threshold = () => (map && Number.isInteger(map.threshold) ? map.threshold : 5);
const fewer = () => t('competence.fewer_than', { n: threshold() });
const roleOf = (id) => roles.find((r) => r.id === id);
const reqOf = (roleId, reqId) => arr((roleOf(roleId) || {}).requirements).find((q) => q.id === reqId) || { id: reqId };
const reqWords = (roleId, reqId, fallback) => {
  const q = reqOf(roleId, reqId);
  return q.kind || q.description ? requirementWords(q) : (langText(fallback) || str(reqId));
};

// A list to be filled with the catalogue offers for a requirement.
function offersSlot(roleId, reqId) {
  return el('ul', { class: 'plain-list offers', 'data-offers-role': roleId, 'data-offers-req': reqId, 'aria-busy': 'true' });
}

async function fillOffers(root) {
  for (const slot of root.querySelectorAll('ul[data-offers-req]')) {
    const q = reqOf(slot.dataset.offersRole, slot.dataset.offersReq);
    let items = [];
    if (q.kind === 'credential') {
      slot.replaceChildren(el('li', {}, t('competence.offer_spec'), ' ', specLink(q.specification)));
    } else {
      items = await catalogueOffers(q);
      slot.replaceChildren(...(items.length
        ? items.map((c) => offerItem({ title: specTitle(c), organisation: c.organisation }))
        : [el('li', { class: 'meta' }, t('competence.no_offers'))]));
    }
    slot.removeAttribute('aria-busy');
  }
}

function renderMatrix() {
  const box = document.getElementById('map-matrix');
  document.getElementById('matrix-hint').textContent = t('competence.matrix_hint', { n: threshold() });
  const matrix = arr(map.matrix);
  if (!matrix.length) { box.replaceChildren(el('p', { class: 'empty' }, t('competence.no_roles'))); return; }
  box.replaceChildren(...matrix.map((m) => {
    const rid = str(m.role_id);
    const people = m.people === null || m.people === undefined ? fewer() : t('competence.people_n', { n: m.people });
    return el('table', { class: 'table matrix', 'data-role': rid },
      el('caption', {}, str(m.role_name), el('span', { class: 'meta-inline' }, ` · ${people}`)),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('roles.col.requirement')),
        el('th', { scope: 'col' }, t('roles.field.mandatory')),
        el('th', { scope: 'col' }, t('competence.col.covered')))),
      el('tbody', {}, arr(m.requirements).map((c) => {
        const q = reqOf(rid, str(c.requirement));
        return el('tr', { 'data-requirement': str(c.requirement) },
          el('th', { scope: 'row' }, reqWords(rid, str(c.requirement), c.description)),
          el('td', {}, q.mandatory === false ? t('roles.desirable') : t('roles.mandatory')),
          el('td', { class: 'coverage', 'data-suppressed': c.suppressed ? 'yes' : 'no' },
            c.suppressed || c.covered === null ? fewer() : String(c.covered)));
      })));
  }));
}

function personCard(p) {
  const rid = str(p.role_id);
  const missing = arr(p.missing).length;
  const state = p.qualified === true && !missing
    ? el('span', { class: 'badge badge-approved', 'data-state': 'qualified' }, t('competence.fully_qualified'))
    : p.qualified === true
      ? el('span', { class: 'badge badge-approved', 'data-state': 'qualified' }, t('competence.qualified_gaps', { n: missing }))
      : el('span', { class: 'badge badge-rejected', 'data-state': 'gaps' }, missing === 1 ? t('competence.gap_one') : t('competence.gaps_n', { n: missing }));
  return el('article', { class: 'card person', 'data-person': str(p.user_id), 'data-role': rid, 'data-missing': String(missing) },
    el('h3', {}, str(p.user_name), el('span', { class: 'meta-inline' }, ` · ${str(p.role_name)}`), ' ', state),
    el('table', { class: 'table table-compact' },
      el('caption', { class: 'visually-hidden' }, t('competence.person_caption', { name: str(p.user_name), role: str(p.role_name) })),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('roles.col.requirement')),
        el('th', { scope: 'col' }, t('competence.col.state')),
        el('th', { scope: 'col' }, t('competence.col.detail')))),
      el('tbody', {}, arr(p.requirements).map((q) => {
        const met = q.met === true;
        return el('tr', { 'data-requirement': str(q.id), 'data-met': met ? 'yes' : 'no', class: met ? null : 'gap' },
          el('th', { scope: 'row' }, reqWords(rid, str(q.id), q.description),
            q.mandatory === false ? el('span', { class: 'meta-inline' }, ` (${t('roles.desirable')})`) : null),
          el('td', {}, metBadge(met), q.expiring ? [' ', el('span', { class: 'badge badge-pending' }, t('competence.expiring'))] : null),
          el('td', {},
            met ? [str(q.credential && q.credential.title), q.expires ? el('span', { class: 'meta-inline' }, ` · ${t('competence.until', { date: formatDate(str(q.expires)) })}`) : null]
              : [el('p', { class: 'meta' }, reasonText(q.reason)), el('p', { class: 'sub-label' }, t('competence.offers')), offersSlot(rid, str(q.id))]));
      }))));
}

function renderPeople() {
  const box = document.getElementById('map-people');
  const people = arr(map.people);
  box.replaceChildren(...(people.length ? people.map(personCard) : [el('p', { class: 'empty' }, t('competence.no_people'))]));
}

function renderGaps() {
  const box = document.getElementById('map-gaps');
  const gaps = arr(map.gaps);
  if (!gaps.length) { box.replaceChildren(el('p', { class: 'empty' }, t('competence.no_gaps'))); return; }
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden' }, t('competence.gaps_heading')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('roles.field.role')),
      el('th', { scope: 'col' }, t('roles.col.requirement')),
      el('th', { scope: 'col' }, t('competence.col.people_missing')),
      el('th', { scope: 'col' }, t('competence.offers')))),
    el('tbody', {}, gaps.map((g) => {
      const rid = str(g.role_id);
      return el('tr', { 'data-role': rid, 'data-requirement': str(g.requirement) },
        el('td', {}, str((roleOf(rid) || {}).name)),
        el('th', { scope: 'row' }, reqWords(rid, str(g.requirement))),
        el('td', { class: 'coverage' }, g.people === null || g.people === undefined ? fewer() : String(g.people)),
        el('td', {}, offersSlot(rid, str(g.requirement))));
    }))));
}

function renderExpiring() {
  const box = document.getElementById('map-expiring');
  const list = arr(map.expiring);
  if (!list.length) { box.replaceChildren(el('p', { class: 'empty' }, t('competence.no_expiring'))); return; }
  const roleOfPerson = (uid) => (arr(map.people).find((p) => p.user_id === uid) || {}).role_id;
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden' }, t('competence.expiring_heading')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('field.name')),
      el('th', { scope: 'col' }, t('roles.col.requirement')),
      el('th', { scope: 'col' }, t('competence.col.expires')))),
    el('tbody', {}, list.map((x) => el('tr', { 'data-person': str(x.user_id) },
      el('th', { scope: 'row' }, str(x.user_name)),
      el('td', {}, reqWords(roleOfPerson(x.user_id), str(x.requirement))),
      el('td', {}, formatDate(str(x.expires))))))));
}

function renderPersonChoice() {
  const select = filter.elements.person;
  const v = select.value;
  select.replaceChildren(el('option', { value: '' }, t('competence.everyone')),
    ...everyone.map((p) => el('option', { value: p.user_id }, p.user_name)));
  select.value = everyone.some((p) => p.user_id === v) ? v : '';
}

function render() {
  if (!map) return;
  document.getElementById('map-state').replaceChildren();
  renderMatrix();
  renderPeople();
  renderGaps();
  renderExpiring();
  renderPersonChoice();
  fillOffers(document.getElementById('main'));
}

function exportLinks(th) {
  document.getElementById('export-csv').href = `/api/v1${base}/competence-map?format=csv&threshold=${th}`;
  document.getElementById('export-json').href = `/api/v1${base}/competence-map?threshold=${th}`;
}

async function load() {
  const th = Math.min(100, Math.max(2, Number(filter.elements.threshold.value) || 5));
  const person = filter.elements.person.value;
  const [data, r] = await Promise.all([
    get(person ? `${base}/competence-map/people/${seg(person)}?threshold=${th}` : `${base}/competence-map?threshold=${th}`),
    get(`${base}/roles`)]);
  roles = arr(r.items);
  map = data;
  if (!person) {
    const seen = new Map();
    for (const p of arr(map.people)) if (!seen.has(p.user_id)) seen.set(p.user_id, { user_id: str(p.user_id), user_name: str(p.user_name) });
    everyone = [...seen.values()];
  }
  exportLinks(th);
  render();
}

function renderHeading() {
  orgCrumb(slug, org);
  setPageHeading(t('competence.heading_org', { org: org ? (org.legal_name || org.slug) : slug }));
}

document.getElementById('link-roles').href = `/orgs/${encodeURIComponent(slug)}/roles`;
exportLinks(5);
renderHeading();
try {
  const [o] = await Promise.all([get(base).catch(() => null), load()]);
  org = o;
  renderHeading();
} catch (e) {
  showMessage(problemText(e), 'error');
  document.getElementById('map-state').replaceChildren();
}
document.getElementById('map-state').removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => { renderHeading(); render(); applyI18n(document.getElementById('main')); });

filter.addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await load();
    showMessage(t('competence.updated'));
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
