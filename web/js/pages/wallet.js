// pages/wallet.js - the learner's wallet (/wallet): awards issued to one
// of my addresses that I can add, my credentials (claimed and imported)
// with their verification as checked on import, and importing a file or
// pasted text (JSON-LD, JWT, EDC, baked PNG/SVG). An import that fails
// verification is kept and shown as NOT VERIFIED.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get, post, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { onSubmit } from '../forms.js';
import { verdictBadge, verdictOf } from '../elements.js';
import { sendRaw, contentTypeOf } from './wallet-common.js';

await initPage({ requireLogin: true });
const main = document.getElementById('main');
const showHidden = document.getElementById('show-hidden');
let wallet = { items: [], claimable: [] };

const str = (v) => (typeof v === 'string' ? v : '');

function sourceLabel(source) {
  return source === 'claimed' ? t('wallet.source_claimed') : source === 'imported' ? t('wallet.source_imported') : str(source);
}

function renderClaimable() {
  const section = document.getElementById('claimable-section');
  const claimable = Array.isArray(wallet.claimable) ? wallet.claimable : [];
  section.hidden = claimable.length === 0;
  document.getElementById('claimable-list').replaceChildren(...claimable.map((c) => el('li', { class: 'card' },
    el('h3', {}, str(c.title)),
    el('p', { class: 'meta' }, t('wallet.claimable_meta', { date: formatDate(str(c.issued_at)), email: str(c.email) })),
    el('p', { class: 'actions' }, el('button', {
      type: 'button', class: 'button', 'data-claim': str(c.award_id),
      'aria-label': t('wallet.claim_named', { title: str(c.title) }),
    }, t('wallet.claim'))))));
}

function renderItems() {
  const box = document.getElementById('items');
  const all = Array.isArray(wallet.items) ? wallet.items : [];
  const items = all.filter((i) => showHidden.checked || !i.hidden);
  if (!items.length) {
    box.replaceChildren(el('p', { class: 'empty' }, all.length ? t('wallet.all_hidden') : t('wallet.empty')));
    return;
  }
  box.replaceChildren(el('table', { class: 'table wallet-table' },
    el('caption', { class: 'visually-hidden' }, t('wallet.items_heading')),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, t('wallet.col_title')),
      el('th', { scope: 'col' }, t('wallet.col_issuer')),
      el('th', { scope: 'col' }, t('wallet.col_verification')),
      el('th', { scope: 'col' }, t('wallet.col_source')),
      el('th', { scope: 'col' }, t('wallet.col_added')))),
    el('tbody', {}, items.map((i) => el('tr', { 'data-item': str(i.id), class: i.hidden ? 'is-hidden' : null },
      el('th', { scope: 'row' },
        el('a', { href: `/credential?id=${encodeURIComponent(str(i.id))}` }, str(i.title) || t('wallet.untitled')),
        i.hidden ? el('span', { class: 'badge' }, t('wallet.hidden_badge')) : null),
      el('td', {}, str(i.issuer_name)),
      el('td', {}, verdictBadge(i.verified_on_import === true)),
      el('td', {}, sourceLabel(i.source)),
      el('td', {}, formatDate(str(i.added_at))))))));
}

function render() {
  renderClaimable();
  renderItems();
  applyI18n(main);
}

async function reload() {
  wallet = await get('/wallet');
  render();
}

try {
  await reload();
} catch (e) {
  document.getElementById('items').replaceChildren();
  showMessage(problemText(e), 'error');
}

showHidden.addEventListener('change', renderItems);
document.addEventListener('mc:languagechange', render);

document.getElementById('claimable-list').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-claim]');
  if (!button) return;
  button.disabled = true;
  try {
    const item = await post(`/wallet/awards/${seg(button.dataset.claim)}`);
    await reload();
    showMessage(t('wallet.claimed', { title: str(item.title) }), 'success');
    document.getElementById('items-heading').focus();
  } catch (e) {
    button.disabled = false;
    showMessage(problemText(e), 'error');
  }
});

const form = document.getElementById('import-form');
onSubmit(form, async () => {
  const file = form.elements.namedItem('file').files[0];
  const pasted = form.elements.namedItem('text').value.trim();
  if (!file && !pasted) {
    const err = new Error('nothing to import');
    err.problem = { detail: t('wallet.import_nothing'), errors: [] };
    throw err;
  }
  let body;
  let type;
  if (file) {
    const head = await file.slice(0, 4096).text();
    type = contentTypeOf(file, file.size < 65536 ? await file.text() : head);
    body = file;
  } else {
    type = contentTypeOf(null, pasted);
    body = pasted;
  }
  const item = await sendRaw('POST', '/wallet', { body, type });
  form.reset();
  await reload();
  const verified = verdictOf(item.verification) === 'verified';
  showMessage(t(verified ? 'wallet.imported' : 'wallet.imported_not_verified', { title: str(item.title) }),
    verified ? 'success' : 'error');
  const row = document.querySelector(`tr[data-item="${CSS.escape(str(item.id))}"] a`);
  if (row) row.focus();
});
