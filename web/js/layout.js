// layout.js - what every page shares: header, navigation, language switcher,
// message area, footer, and the signed-in user.
//
// A page's HTML holds only placeholders:
//   <body data-page-title="login.title">
//     <div id="mc-header"></div>
//     <main id="main" tabindex="-1"> ...the page... </main>
//     <div id="mc-footer"></div>
//     <script type="module" src="/js/pages/login.js"></script>
// and its script calls `const session = await initPage()` first. initPage
// loads the texts and GET /api/v1/me at the same time, renders the header
// (skip link first, so it is the first thing Tab reaches) and footer, puts an
// aria-live message area at the top of <main>, translates the page and
// returns the session. Pages that need a signed-in user pass
// {requireLogin: true}: a visitor is sent to /login?next=<this page>.

import { get, post, setCsrfToken } from './api.js';
import { initI18n, applyI18n, setLanguage, currentLanguage, t, LANGUAGES, LANGUAGE_NAMES } from './i18n.js';

const NAV = [
  { href: '/catalogue', key: 'nav.catalogue' },
  { href: '/verify', key: 'nav.verify' },
  { href: '/wallet', key: 'nav.wallet' },
  { href: '/organisations', key: 'nav.organisations' },
];

const FLASH_KEY = 'mc.flash';

// el(tag, attrs, ...children) -> a new element. attrs are set as attributes
// (class, href, data-i18n, ...); a null/false attribute is left out; children
// are nodes or strings (strings become text, never HTML).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// The session: who is signed in and where they belong.
//   user: {id, email, name, is_platform_admin} or null
//   memberships: [{org:{id, slug, legal_name, status}, role}]
export class Session {
  constructor(me) {
    this.user = me ? me.user : null;
    this.memberships = (me && me.memberships) || [];
  }
  get signedIn() { return this.user !== null; }
  get isPlatformAdmin() { return !!(this.user && this.user.is_platform_admin); }
  // hasRole(slug, role) -> true when the user holds role in organisation slug.
  hasRole(slug, role) {
    return this.memberships.some((m) => m.org && m.org.slug === slug && m.role === role);
  }
}

async function fetchSession() {
  try {
    const me = await get('/me');
    setCsrfToken(me.csrf);
    return new Session(me);
  } catch (e) {
    if (e.status !== 401) console.warn('GET /api/v1/me failed:', e);
    setCsrfToken(null);
    return new Session(null);
  }
}

function isCurrent(href) {
  const p = location.pathname;
  return p === href || p.startsWith(href + '/') || (href === '/organisations' && p.startsWith('/orgs/'));
}

function renderHeader(session) {
  const nav = el('nav', { class: 'site-nav', 'data-i18n-attr': 'aria-label:nav.label' },
    el('ul', {}, NAV.map((item) => el('li', {},
      el('a', { href: item.href, 'data-i18n': item.key, 'aria-current': isCurrent(item.href) ? 'page' : null })))));

  const account = el('div', { class: 'account-nav' });
  if (session.signedIn) {
    account.append(
      el('a', { href: '/account', class: 'account-name', 'aria-current': isCurrent('/account') ? 'page' : null,
        'data-i18n-attr': 'title:nav.account' }, session.user.name || session.user.email),
      el('button', { type: 'button', class: 'button button-quiet', id: 'mc-logout', 'data-i18n': 'nav.logout' }));
  } else {
    account.append(
      el('a', { href: loginHref(), class: 'button button-quiet', id: 'mc-login', 'data-i18n': 'nav.login' }),
      el('a', { href: '/signup', class: 'button', id: 'mc-signup', 'data-i18n': 'nav.signup' }));
  }

  const select = el('select', { id: 'mc-lang', name: 'lang' },
    LANGUAGES.map((code) => el('option', { value: code, lang: code, selected: code === currentLanguage() },
      LANGUAGE_NAMES[code])));
  const lang = el('div', { class: 'lang-switch' },
    el('label', { for: 'mc-lang', class: 'visually-hidden', 'data-i18n': 'nav.language' }), select);

  const header = el('header', { class: 'site-header' },
    el('div', { class: 'wrap header-inner' },
      el('a', { href: '/', class: 'brand' }, el('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'microcred'),
      nav, account, lang));

  const skip = el('a', { href: '#main', class: 'skip-link', 'data-i18n': 'layout.skip' });

  const slot = document.getElementById('mc-header');
  slot.replaceChildren(skip, header);

  select.addEventListener('change', () => setLanguage(select.value));
  const logout = document.getElementById('mc-logout');
  if (logout) logout.addEventListener('click', signOut);
}

function renderFooter() {
  const slot = document.getElementById('mc-footer');
  if (!slot) return;
  slot.replaceChildren(el('footer', { class: 'site-footer' },
    el('div', { class: 'wrap footer-inner' },
      el('p', {}, el('strong', {}, 'microcred'), ' — ', el('span', { 'data-i18n': 'footer.tagline' })),
      el('ul', { class: 'footer-links' },
        el('li', {}, el('a', { href: '/verify', 'data-i18n': 'footer.verify' })),
        el('li', {}, el('a', { href: '/organisations', 'data-i18n': 'footer.organisations' })),
        el('li', {}, el('a', { href: '/pathways', 'data-i18n': 'footer.pathways' })),
        el('li', {}, el('a', { href: '/statistics', 'data-i18n': 'footer.statistics' })),
        el('li', {}, el('a', { href: '/requests', 'data-i18n': 'footer.requests' })),
        el('li', {}, el('a', { href: '/sharing-with-employers', 'data-i18n': 'footer.sharing' })),
        el('li', {}, el('span', { 'data-i18n': 'footer.licence' }))))));
}

function renderMessageArea() {
  const main = document.getElementById('main');
  if (!main || document.getElementById('mc-messages')) return;
  main.prepend(el('div', { id: 'mc-messages', class: 'messages', role: 'status', 'aria-live': 'polite' }));
}

// loginHref() -> /login?next=<the current page>, unless this is already the
// login or sign-up page.
export function loginHref() {
  const here = location.pathname + location.search;
  if (location.pathname === '/login' || location.pathname === '/signup' || location.pathname === '/') return '/login';
  return '/login?next=' + encodeURIComponent(here);
}

// safeNext(value) -> value when it is a path on this site ("/x", not "//x"
// or "http://..."), else fallback. Guards the ?next= redirect.
export function safeNext(value, fallback = '/account') {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return fallback;
  }
  return value;
}

async function signOut() {
  try {
    await post('/auth/logout');
  } catch (e) {
    showMessage(problemText(e), 'error');
    return;
  }
  setCsrfToken(null);
  flash('flash.logged_out');
  location.assign('/');
}

// showMessage(text, kind): shows text in the page's live region, so screen
// readers announce it. kind: "info" (default), "success" or "error".
// Pass an empty text to clear.
export function showMessage(text, kind = 'info') {
  const area = document.getElementById('mc-messages');
  if (!area) return;
  area.replaceChildren();
  if (!text) return;
  area.append(el('p', { class: `message message-${kind}` }, text));
}

// flash(key): shows the text of key on the next page this tab loads
// (after a redirect such as sign-up -> account).
export function flash(key, kind = 'success') {
  try { sessionStorage.setItem(FLASH_KEY, JSON.stringify({ key, kind })); } catch { /* ignore */ }
}

function showFlash() {
  let item = null;
  try {
    item = JSON.parse(sessionStorage.getItem(FLASH_KEY) || 'null');
    sessionStorage.removeItem(FLASH_KEY);
  } catch { item = null; }
  if (item && typeof item.key === 'string') showMessage(t(item.key), item.kind);
}

// problemText(error) -> one line for the user from an ApiError (or any error).
export function problemText(err) {
  const p = err && err.problem;
  if (!p) return t('error.generic');
  if (p.network) return t('error.network');
  if (p.status === 429) return p.detail || t('error.rate_limited');
  return p.detail || p.title || t('error.generic');
}

// initPage({requireLogin}) -> Session. Call once, first, from every page.
export async function initPage({ requireLogin = false } = {}) {
  const [session] = await Promise.all([fetchSession(), initI18n()]);
  if (requireLogin && !session.signedIn) {
    location.replace(loginHref());
    return new Promise(() => {}); // the page is going away
  }
  renderHeader(session);
  renderFooter();
  renderMessageArea();
  setTitle();
  applyI18n(document);
  showFlash();
  document.addEventListener('mc:languagechange', setTitle);
  document.documentElement.classList.add('mc-ready');
  return session;
}

function setTitle() {
  const text = document.body.dataset.titleText;
  const key = document.body.dataset.pageTitle;
  if (text) document.title = `${text} · microcred`;
  else document.title = key ? `${t(key)} · microcred` : 'microcred';
}

// setPageHeading(text): for pages whose heading comes from data (an
// organisation's name): sets the h1 and the document title.
export function setPageHeading(text) {
  const h1 = document.querySelector('main h1');
  if (h1) { h1.removeAttribute('data-i18n'); h1.textContent = text; }
  document.body.dataset.titleText = text;
  setTitle();
}

// safeHref(url) -> url when it is an http(s) URL, else null: links to
// addresses that organisations typed in must never run script.
export function safeHref(url) {
  return /^https?:\/\/[^\s]+$/i.test(url || '') ? url : null;
}

// orgSlugFromPath() -> the {slug} of /orgs/{slug}[/...], decoded, or "".
export function orgSlugFromPath() {
  const m = location.pathname.match(/^\/orgs\/([^/]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}
