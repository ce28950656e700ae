// forms.js - reading forms, showing the server's problems next to the
// fields they concern, and a small accessible confirmation dialog.
//
// Field errors follow the usual accessible pattern: the field gets
// aria-invalid="true" and an error text linked by aria-describedby; the form
// gets a summary (role="alert") with the problem's detail, and focus moves
// to the first field at fault so keyboard and screen-reader users land on it.

import { el, problemText } from './layout.js';
import { t, applyI18n, countryName } from './i18n.js';

// readForm(form) -> {name: value} for every named input, select and textarea
// of form. Text is trimmed, except passwords; checkboxes give booleans.
export function readForm(form) {
  const data = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.type === 'submit' || field.type === 'button') continue;
    if (field.type === 'checkbox') data[field.name] = field.checked;
    else data[field.name] = field.type === 'password' ? field.value : field.value.trim();
  }
  return data;
}

function summaryOf(form) {
  let box = form.querySelector(':scope > .form-error');
  if (!box) {
    box = el('div', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
    form.prepend(box);
  }
  return box;
}

// clearErrors(form): removes every error shown by showProblem.
export function clearErrors(form) {
  const box = form.querySelector(':scope > .form-error');
  if (box) { box.replaceChildren(); box.hidden = true; }
  for (const p of form.querySelectorAll('.field-error')) {
    const field = form.querySelector(`[aria-describedby~="${p.id}"]`);
    if (field) {
      const rest = field.getAttribute('aria-describedby').split(/\s+/).filter((id) => id && id !== p.id);
      if (rest.length) field.setAttribute('aria-describedby', rest.join(' '));
      else field.removeAttribute('aria-describedby');
      field.removeAttribute('aria-invalid');
    }
    p.remove();
  }
}

function fieldFor(form, name) {
  if (!name) return null;
  const clean = String(name).replace(/^\/+/, '');
  const candidates = [clean, clean.split(/[/.]/).pop()];
  for (const c of candidates) {
    const f = form.elements.namedItem(c);
    if (f && f.nodeType === 1) return f;
  }
  return null;
}

// showProblem(form, err): shows an ApiError (or any error) on form: the
// problem's detail in the summary, each errors[] entry beside its field.
export function showProblem(form, err) {
  clearErrors(form);
  const box = summaryOf(form);
  const loose = [];
  let first = null;
  const errors = (err && err.problem && err.problem.errors) || [];
  for (const e of errors) {
    const field = fieldFor(form, e.field);
    const message = e.message || t('error.invalid_field');
    if (!field) { loose.push(e.field ? `${e.field}: ${message}` : message); continue; }
    const id = `${field.id || field.name}-error`;
    const note = el('p', { class: 'field-error', id }, message);
    const after = field.parentElement.querySelector(`#${CSS.escape(field.id)}-hint`) || field;
    after.after(note);
    const described = (field.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
    field.setAttribute('aria-describedby', [...described, id].join(' '));
    field.setAttribute('aria-invalid', 'true');
    if (!first) first = field;
  }
  box.replaceChildren(el('p', {}, problemText(err)));
  if (loose.length) box.append(el('ul', {}, loose.map((m) => el('li', {}, m))));
  box.hidden = false;
  (first || box).focus();
}

// onSubmit(form, handler): runs `await handler(readForm(form))` when form is
// submitted (after the browser's own checks of required/type/minlength),
// with the submit button disabled meanwhile; a thrown error is shown with
// showProblem.
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    clearErrors(form);
    const buttons = [...form.querySelectorAll('button[type="submit"], button:not([type])')];
    form.setAttribute('aria-busy', 'true');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await handler(readForm(form), event);
    } catch (err) {
      if (!(err && err.problem)) console.error(err);
      showProblem(form, err);
    } finally {
      form.removeAttribute('aria-busy');
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
}

// fillForm(form, values): sets each named field of form from values.
export function fillForm(form, values) {
  for (const field of form.elements) {
    if (!field.name || !(field.name in values)) continue;
    const v = values[field.name];
    if (field.type === 'checkbox') field.checked = !!v;
    else field.value = v === null || v === undefined ? '' : String(v);
  }
}

// confirmAction(messageKey, confirmKey, vars) -> Promise<boolean>: asks in a
// modal <dialog> (focus is kept inside, Escape cancels) and resolves true
// when the user confirms.
export function confirmAction(messageKey, confirmKey, vars) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const dialog = el('dialog', { class: 'confirm', 'aria-labelledby': 'mc-confirm-text' },
      el('p', { id: 'mc-confirm-text' }, t(messageKey, vars)),
      el('div', { class: 'actions' },
        el('button', { type: 'button', class: 'button button-danger', value: 'yes', 'data-i18n': confirmKey }),
        el('button', { type: 'button', class: 'button button-quiet', value: 'no', 'data-i18n': 'common.cancel' })));
    applyI18n(dialog);
    document.body.append(dialog);
    let answer = false;
    dialog.addEventListener('click', (e) => {
      const b = e.target.closest('button');
      if (!b) return;
      answer = b.value === 'yes';
      dialog.close();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(answer);
    });
    dialog.showModal();
    dialog.querySelector('button[value="no"]').focus();
  });
}

// Countries offered in organisation forms (ISO 3166-1 alpha-2): the EU, the
// EEA and the rest of Europe, named in the reader's language by the browser.
const COUNTRIES = ['AD', 'AL', 'AT', 'BA', 'BE', 'BG', 'CH', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI',
  'FR', 'GB', 'GE', 'GR', 'HR', 'HU', 'IE', 'IS', 'IT', 'LI', 'LT', 'LU', 'LV', 'MC', 'MD', 'ME', 'MK',
  'MT', 'NL', 'NO', 'PL', 'PT', 'RO', 'RS', 'SE', 'SI', 'SK', 'SM', 'TR', 'UA', 'VA', 'XK'];

// fillCountries(select, selected): fills a <select> with the countries,
// sorted by their name in the current language, selecting `selected`
// (kept as an option even when it is not in the list).
export function fillCountries(select, selected = select.value) {
  const codes = [...COUNTRIES];
  if (selected && !codes.includes(selected)) codes.push(selected);
  const lang = document.documentElement.lang || 'en';
  const names = codes.map((c) => [c, countryName(c)]).sort((a, b) => a[1].localeCompare(b[1], lang));
  select.replaceChildren(el('option', { value: '', 'data-i18n': 'common.choose' }),
    ...names.map(([code, name]) => el('option', { value: code, selected: code === selected }, `${name} (${code})`)));
  applyI18n(select);
  if (selected) select.value = selected;
}
