// pages/sharing-with-employers.js - what I share with organisations for
// their competence maps (/sharing-with-employers): choose credentials to
// share with an organisation (my employer), see what each organisation can
// see, and withdraw one credential or everything at once. Withdrawing takes
// me off that organisation's map immediately.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { confirmAction, onSubmit } from '../forms.js';
import { str, arr } from './stacking-common.js';

const session = await initPage({ requireLogin: true });
const form = document.getElementById('consent-form');
const listBox = document.getElementById('consents-list');
let consents = null;
let items = [];   // wallet items
let orgs = [];    // approved organisations

const titleOf = (id) => str((items.find((i) => i.id === id) || {}).title) || t('consents.removed_item');
const orgName = (slug) => str((orgs.find((o) => o.slug === slug) || {}).legal_name) || slug;

function renderList() {
  if (consents === null) return;
  if (!consents.length) { listBox.replaceChildren(el('p', { class: 'empty' }, t('consents.none'))); return; }
  const bySlug = new Map();
  for (const c of consents) {
    const s = str(c.org_slug);
    if (!bySlug.has(s)) bySlug.set(s, []);
    bySlug.get(s).push(c);
  }
  listBox.replaceChildren(...[...bySlug].map(([slug, list]) => {
    const name = orgName(slug);
    return el('article', { class: 'card consent-org', 'data-org': slug },
      el('h3', {}, name),
      el('ul', { class: 'plain-list' }, list.map((c) => el('li', { 'data-item': str(c.item_id) },
        el('a', { href: `/credential?id=${encodeURIComponent(str(c.item_id))}` }, titleOf(c.item_id)),
        el('span', { class: 'meta-inline' }, ` · ${t('consents.since', { date: formatDate(str(c.created_at), true) })} `),
        el('button', { type: 'button', class: 'button button-small button-quiet', 'data-withdraw-item': str(c.item_id), 'data-org': slug,
          'aria-label': t('consents.withdraw_item_named', { title: titleOf(c.item_id), org: name }) }, t('consents.withdraw_item'))))),
      el('p', { class: 'actions' }, el('button', { type: 'button', class: 'button button-small button-danger', 'data-withdraw-all': slug,
        'aria-label': t('consents.withdraw_all_named', { org: name }) }, t('consents.withdraw_all'))));
  }));
}

function renderForm() {
  const select = form.elements.organisation;
  const v = select.value;
  const mine = new Set(session.memberships.map((m) => m.org && m.org.slug));
  const sorted = [...orgs].sort((a, b) => (mine.has(b.slug) - mine.has(a.slug)) || str(a.legal_name).localeCompare(str(b.legal_name)));
  select.replaceChildren(el('option', { value: '' }, t('common.choose')),
    ...sorted.map((o) => el('option', { value: o.slug }, str(o.legal_name) || o.slug, mine.has(o.slug) ? ` (${t('consents.member')})` : '')));
  select.value = v;
  const box = document.getElementById('consent-items');
  const visible = items.filter((i) => !i.hidden);
  if (!visible.length) { box.replaceChildren(el('p', { class: 'empty' }, t('consents.no_items'))); return; }
  const checked = new Set([...box.querySelectorAll('input:checked')].map((c) => c.value));
  box.replaceChildren(...visible.map((i) => el('div', { class: 'check' },
    el('input', { type: 'checkbox', id: `share-${i.id}`, value: i.id, checked: checked.has(i.id) }), ' ',
    el('label', { for: `share-${i.id}` }, str(i.title) || t('consents.untitled'),
      i.issuer_name ? el('span', { class: 'meta-inline' }, ` · ${str(i.issuer_name)}`) : null))));
}

async function load() {
  const [c, w, o] = await Promise.all([get('/consents'), get('/wallet'), get('/organisations')]);
  consents = arr(c.items);
  items = arr(w.items);
  orgs = arr(o.items).filter((x) => !x.status || x.status === 'approved');
  renderList();
  renderForm();
}

try {
  await load();
} catch (e) {
  showMessage(problemText(e), 'error');
  listBox.replaceChildren();
}
listBox.removeAttribute('aria-busy');
document.addEventListener('mc:languagechange', () => { renderList(); renderForm(); applyI18n(form); });

onSubmit(form, async (data) => {
  const chosen = [...document.querySelectorAll('#consent-items input:checked')].map((c) => c.value);
  if (!data.organisation || !chosen.length) {
    throw { problem: { detail: t('consents.choose_both'), errors: data.organisation ? [] : [{ field: 'organisation', message: t('consents.choose_org') }] } };
  }
  for (const id of chosen) await post('/consents', { organisation: data.organisation, item_id: id });
  await load();
  for (const c of document.querySelectorAll('#consent-items input:checked')) c.checked = false;
  showMessage(t('consents.shared', { n: chosen.length, org: orgName(data.organisation) }), 'success');
});

listBox.addEventListener('click', async (event) => {
  const one = event.target.closest('button[data-withdraw-item]');
  const all = event.target.closest('button[data-withdraw-all]');
  if (!one && !all) return;
  const slug = one ? one.dataset.org : all.dataset.withdrawAll;
  const name = orgName(slug);
  if (all && !(await confirmAction('consents.withdraw_all_confirm', 'consents.withdraw_all', { org: name }))) return;
  try {
    if (one) await del(`/consents/${seg(slug)}?item_id=${encodeURIComponent(one.dataset.withdrawItem)}`);
    else await del(`/consents/${seg(slug)}`);
    await load();
    showMessage(t(one ? 'consents.withdrawn_item' : 'consents.withdrawn_all', { org: name }), 'success');
    document.getElementById('consents-current-heading').focus();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
