// pages/registry.js - the trust registry (/registry): the issuers this
// platform knows (its own organisations and outside issuers a platform
// admin registered) with their quality assurance; a platform admin adds
// outside issuers (a DID or an X.509 certificate) and removes them.
import { initPage, el, showMessage, problemText } from '../layout.js';
import { get, post, del, seg } from '../api.js';
import { applyI18n, t, formatDate, countryName } from '../i18n.js';
import { onSubmit, confirmAction, fillCountries } from '../forms.js';
import { qaTypeLabel } from '../labels.js';
import { link, text } from '../elements.js';

const session = await initPage();
const main = document.getElementById('main');
const form = document.getElementById('registry-form');
let issuers = [];

function kindLabel(kind) {
  switch (kind) {
    case 'platform': return t('registry.kind.platform');
    case 'did': return t('registry.kind.did');
    case 'x509': return t('registry.kind.x509');
    default: return text(kind);
  }
}

function qaList(records) {
  const list = Array.isArray(records) ? records : [];
  if (!list.length) return el('span', { class: 'empty' }, t('registry.no_qa'));
  return el('ul', { class: 'plain-list' }, list.map((q) => el('li', {},
    [qaTypeLabel(text(q.qa_type)), text(q.framework), text(q.body), formatDate(text(q.date))].filter(Boolean).join(' · '),
    text(q.evidence_url) ? [' · ', link(q.evidence_url, t('qa.evidence_link'))] : '')));
}

function render() {
  const box = document.getElementById('registry');
  if (!issuers.length) {
    box.replaceChildren(el('p', { class: 'empty' }, t('registry.empty')));
  } else {
    box.replaceChildren(el('table', { class: 'table' },
      el('caption', { class: 'visually-hidden' }, t('registry.heading')),
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, t('org.field.legal_name')),
        el('th', { scope: 'col' }, t('registry.field.identifier')),
        el('th', { scope: 'col' }, t('org.field.country')),
        el('th', { scope: 'col' }, t('org.qa_heading')),
        session.isPlatformAdmin ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, t('common.actions'))) : null)),
      el('tbody', {}, issuers.map((i) => el('tr', { 'data-registry': text(i.registry_id) || null },
        el('th', { scope: 'row' }, text(i.slug) ? el('a', { href: `/orgs/${encodeURIComponent(text(i.slug))}` }, text(i.legal_name)) : text(i.legal_name),
          el('span', { class: 'meta-inline' }, ` · ${kindLabel(text(i.kind))}`)),
        el('td', {}, el('code', { class: 'ident' }, text(i.id))),
        el('td', {}, text(i.country) ? `${countryName(text(i.country))} (${text(i.country)})` : ''),
        el('td', {}, qaList(i.qa_records)),
        session.isPlatformAdmin ? el('td', {}, text(i.registry_id) ? el('button', {
          type: 'button', class: 'button button-small button-danger', 'data-remove': text(i.registry_id),
          'aria-label': t('registry.remove_named', { name: text(i.legal_name) }),
        }, t('registry.remove')) : '') : null)))));
  }
  applyI18n(main);
}

async function reload() {
  const data = await get('/registry');
  issuers = Array.isArray(data.issuers) ? data.issuers : [];
  render();
}

try {
  await reload();
} catch (e) {
  showMessage(problemText(e), 'error');
}

if (session.isPlatformAdmin) {
  document.getElementById('registry-admin').hidden = false;
  fillCountries(form.elements.namedItem('country'), '');
}
document.addEventListener('mc:languagechange', () => {
  render();
  if (session.isPlatformAdmin) fillCountries(form.elements.namedItem('country'));
});

onSubmit(form, async (data) => {
  const body = { identifier: data.identifier, kind: data.kind, legal_name: data.legal_name, country: data.country, qa_records: [] };
  if (data.qa_type) {
    const qa = { qa_type: data.qa_type, framework: data.qa_framework, body: data.qa_body, date: data.qa_date };
    if (data.qa_evidence_url) qa.evidence_url = data.qa_evidence_url;
    body.qa_records.push(qa);
  }
  if (data.did_document) {
    try {
      body.did_document = JSON.parse(data.did_document);
    } catch {
      throw Object.assign(new Error('json'), { problem: { detail: t('registry.did_document_json'), errors: [{ field: 'did_document', message: t('registry.did_document_json') }] } });
    }
  }
  if (data.certificate) body.certificate = data.certificate;
  await post('/registry', body);
  form.reset();
  fillCountries(form.elements.namedItem('country'), '');
  await reload();
  showMessage(t('registry.added'), 'success');
});

document.getElementById('registry').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-remove]');
  if (!button) return;
  const entry = issuers.find((i) => i.registry_id === button.dataset.remove);
  if (!(await confirmAction('registry.remove_confirm', 'registry.remove', { name: entry ? text(entry.legal_name) : '' }))) return;
  try {
    await del(`/registry/${seg(button.dataset.remove)}`);
    await reload();
    showMessage(t('registry.removed'), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
