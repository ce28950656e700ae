// pages/account.js - who I am and the organisations I belong to, with the
// pages each role can open; my other e-mail addresses, exporting all my
// data and deleting the account.
import { initPage, el, showMessage, problemText, flash } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { roleLabel, statusBadge } from '../labels.js';
import { onSubmit, confirmAction } from '../forms.js';

const session = await initPage({ requireLogin: true });

function render() {
  const u = session.user;
  const profile = document.getElementById('account-profile');
  profile.replaceChildren(
    el('dt', { 'data-i18n': 'field.name' }), el('dd', {}, u.name || ''),
    el('dt', { 'data-i18n': 'field.email' }), el('dd', {}, u.email),
    ...(session.isPlatformAdmin
      ? [el('dt', { 'data-i18n': 'account.platform_role' }), el('dd', { 'data-i18n': 'account.platform_admin' })]
      : []));

  const box = document.getElementById('memberships');
  if (!session.memberships.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'account.no_memberships' }));
  } else {
    const rows = session.memberships.map((m) => {
      const base = `/orgs/${encodeURIComponent(m.org.slug)}`;
      const links = [el('a', { href: base, 'data-i18n': 'account.open_profile' })];
      if (m.role === 'org-admin') {
        links.push(el('a', { href: `${base}/members`, 'data-i18n': 'org.members_link' }),
          el('a', { href: `${base}/tokens`, 'data-i18n': 'org.tokens_link' }));
      }
      return el('tr', {},
        el('th', { scope: 'row' }, el('a', { href: base }, m.org.legal_name || m.org.slug)),
        el('td', {}, roleLabel(m.role)),
        el('td', {}, statusBadge(m.org.status)),
        el('td', {}, el('span', { class: 'link-list' }, links)));
    });
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden', 'data-i18n': 'account.memberships_heading' }),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col', 'data-i18n': 'field.organisation' }),
        el('th', { scope: 'col', 'data-i18n': 'field.role' }),
        el('th', { scope: 'col', 'data-i18n': 'field.status' }),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })))),
      el('tbody', {}, rows)));
  }
  applyI18n(document.getElementById('main'));
}

render();
document.addEventListener('mc:languagechange', render);

// ---- other addresses, export, deleting the account ----
// Awards issued to any confirmed address of mine can be claimed from the
// wallet. Deleting the account says plainly what the issuers keep.

let addresses = [];

function renderAddresses() {
  const box = document.getElementById('addresses');
  if (!addresses.length) {
    box.replaceChildren(el('p', { class: 'empty' }, t('account.no_addresses')));
    return;
  }
  box.replaceChildren(el('ul', { class: 'plain-list address-list' }, addresses.map((a) => el('li', { 'data-address': a.id },
    el('span', {}, String(a.value || '')), ' ',
    el('span', { class: `badge ${a.verified ? 'badge-approved' : 'badge-pending'}` },
      a.verified ? t('account.address_verified') : t('account.address_unverified')), ' ',
    el('button', {
      type: 'button', class: 'button button-small button-danger', 'data-remove-address': a.id,
      'aria-label': t('account.address_remove_named', { address: String(a.value || '') }),
    }, t('account.address_remove'))))));
}

async function reloadAddresses() {
  const data = await get('/account/identifiers');
  addresses = Array.isArray(data.items) ? data.items : [];
  renderAddresses();
}

reloadAddresses().catch((e) => showMessage(problemText(e), 'error'));
document.addEventListener('mc:languagechange', renderAddresses);

const addressForm = document.getElementById('address-form');
onSubmit(addressForm, async (data) => {
  await post('/account/identifiers', { email: data.email });
  addressForm.reset();
  await reloadAddresses();
  showMessage(t('account.address_added'), 'success');
});

document.getElementById('addresses').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-remove-address]');
  if (!button) return;
  try {
    await del(`/account/identifiers/${seg(button.dataset.removeAddress)}`);
    await reloadAddresses();
    showMessage(t('account.address_removed'), 'success');
    document.getElementById('account-addresses').focus();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

document.getElementById('delete-account').addEventListener('click', async () => {
  if (!(await confirmAction('account.delete_confirm', 'account.delete'))) return;
  try {
    await del('/account');
    flash('account.deleted');
    location.assign('/');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
