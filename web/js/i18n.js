// i18n.js - the texts of the web pages in English, Swedish, Latvian and Estonian.
//
// Texts live in /i18n/{lang}.json as flat keys ("nav.catalogue": "Catalogue").
// Markup names the key instead of carrying the text:
//   <h1 data-i18n="login.heading"></h1>             sets textContent
//   <nav data-i18n-attr="aria-label:nav.label">      sets attributes
//                                                    ("attr:key;attr2:key2")
// applyI18n() fills every such element; t() is for texts built in JavaScript.
// The English file is always loaded too, so a key missing from a translation
// shows English rather than the bare key (tests/browser/i18n-keys.test.mjs
// checks that no key is missing anywhere).
//
// The language is, in order: the one saved in localStorage "mc.lang", the first
// of navigator.languages we have, English. setLanguage() saves the choice,
// sets <html lang>, re-applies the texts and fires "mc:languagechange" on
// document so pages can re-render what they built with t().

export const LANGUAGES = ['en', 'sv', 'lv', 'et'];

// Each language's name in that language, as shown by the switcher.
export const LANGUAGE_NAMES = { en: 'English', sv: 'Svenska', lv: 'Latviešu', et: 'Eesti' };

const STORAGE_KEY = 'mc.lang';

let current = 'en';
let texts = {};
let english = {};

// pickLanguage(saved, preferred) -> one of LANGUAGES.
// saved: the stored choice or null; preferred: navigator.languages (BCP 47
// tags, most wanted first). Pure, so it can be unit tested.
export function pickLanguage(saved, preferred) {
  if (saved && LANGUAGES.includes(saved)) return saved;
  for (const tag of preferred || []) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return 'en';
}

function savedLanguage() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

async function fetchTexts(lang) {
  const res = await fetch(`/i18n/${lang}.json`, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`/i18n/${lang}.json: HTTP ${res.status}`);
  return res.json();
}

// loadLanguage(lang): fetches the texts of lang (and English as fallback) and
// makes lang current. Does not touch the page; call applyI18n() after.
export async function loadLanguage(lang) {
  if (!LANGUAGES.includes(lang)) lang = 'en';
  // A missing file must not leave the page blank: without texts the keys
  // show, which is ugly but usable (and the i18n test keeps files complete).
  const [en, own] = await Promise.all([
    Object.keys(english).length ? english : fetchTexts('en').catch((e) => { console.warn(e); return {}; }),
    lang === 'en' ? null : fetchTexts(lang).catch((e) => { console.warn(e); return {}; }),
  ]);
  english = en;
  texts = own || en;
  current = lang;
  document.documentElement.lang = lang;
}

// initI18n(): chooses the language for this visit and loads it.
export async function initI18n() {
  await loadLanguage(pickLanguage(savedLanguage(), navigator.languages));
}

// currentLanguage() -> "en" | "sv" | "lv" | "et".
export function currentLanguage() {
  return current;
}

// t(key, vars) -> the text for key in the current language, English if the
// translation lacks it, the key itself if English lacks it too. "{name}" in
// the text is replaced by vars.name.
export function t(key, vars) {
  let s = texts[key] ?? english[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  return s;
}

// applyI18n(root): sets the text of every [data-i18n] element and the
// attributes named by every [data-i18n-attr] element under root (inclusive).
export function applyI18n(root = document) {
  const pick = (sel) => {
    const found = [...root.querySelectorAll(sel)];
    if (root.matches && root.matches(sel)) found.unshift(root);
    return found;
  };
  for (const el of pick('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of pick('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

// setLanguage(lang): switches the page to lang and remembers the choice.
export async function setLanguage(lang) {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode: just this page */ }
  await loadLanguage(lang);
  applyI18n(document);
  document.dispatchEvent(new CustomEvent('mc:languagechange', { detail: { lang: current } }));
}

// formatDate(value) -> a date (and time when value has one) written the way
// the current language writes it; "" for null/empty.
export function formatDate(value, withTime = false) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const opts = withTime ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium' };
  // A bare "2024-05-31" means that calendar day, not midnight UTC shifted
  // into the reader's time zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(String(value))) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(current, opts).format(d);
}

// countryName(code) -> the name of an ISO 3166 alpha-2 country in the current
// language (the code itself where the browser has no name).
export function countryName(code) {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([current], { type: 'region' }).of(code) || code;
  } catch {
    return code;
  }
}
