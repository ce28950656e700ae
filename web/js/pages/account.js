// pages/account.js - who I am and the organisations I belong to, with the
// pages each role can open.
import { initPage, el } from '../layout.js';
import { applyI18n } from '../i18n.js';
import { roleLabel, statusBadge } from '../labels.js';

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
