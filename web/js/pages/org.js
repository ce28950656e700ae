// pages/org.js - one organisation (/orgs/{slug}): its profile and quality
// assurance records for everyone; for its org admins an edit form (PATCH),
// QA records to add and remove and links to members and API tokens; for a
// platform admin the approve button while it is pending.
import {
  initPage, el, problemText, showMessage, safeHref, setPageHeading, orgSlugFromPath,
} from '../layout.js';
import { get, post, patch, del, seg } from '../api.js';
import { applyI18n, t, formatDate, countryName } from '../i18n.js';
import { statusBadge, qaTypeLabel } from '../labels.js';
import { onSubmit, fillForm, fillCountries, confirmAction } from '../forms.js';

const EDITABLE = ['legal_name', 'legal_id_scheme', 'legal_id', 'country', 'address', 'website', 'contact_email'];

const session = await initPage();
const slug = orgSlugFromPath();
const base = `/organisations/${seg(slug)}`;
const isOrgAdmin = session.hasRole(slug, 'org-admin');
const main = document.getElementById('main');
const editForm = document.getElementById('org-edit-form');
const qaForm = document.getElementById('qa-form');
let org = null;

function fact(key, value) {
  if (value === null || value === undefined || value === '') return [];
  return [el('dt', { 'data-i18n': key }), el('dd', {}, value)];
}

function renderProfile() {
  const website = safeHref(org.website);
  document.getElementById('org-profile').replaceChildren(
    ...fact('org.field.legal_name', org.legal_name),
    ...fact('org.field.legal_id', org.legal_id ? `${org.legal_id_scheme ? org.legal_id_scheme + ' ' : ''}${org.legal_id}` : ''),
    ...fact('org.field.country', org.country ? `${countryName(org.country)} (${org.country})` : ''),
    ...fact('org.field.address', org.address ? el('span', { class: 'pre-line' }, org.address) : ''),
    ...fact('org.field.website', org.website ? (website ? el('a', { href: website, rel: 'noopener', id: 'org-website' }, org.website) : org.website) : ''),
    ...fact('org.field.contact_email', org.contact_email ? el('a', { href: `mailto:${org.contact_email}` }, org.contact_email) : ''),
    ...fact('org.field.slug', el('code', {}, org.slug)),
    ...fact('org.field.created_at', formatDate(org.created_at)));
}

function renderQa() {
  const records = org.qa_records || [];
  const box = document.getElementById('qa-list');
  if (!records.length) {
    box.replaceChildren(el('p', { class: 'empty', 'data-i18n': 'qa.empty' }));
    return;
  }
  box.replaceChildren(el('table', { class: 'table' },
    el('caption', { class: 'visually-hidden', 'data-i18n': 'org.qa_heading' }),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', 'data-i18n': 'qa.field.qa_type' }),
      el('th', { scope: 'col', 'data-i18n': 'qa.field.framework' }),
      el('th', { scope: 'col', 'data-i18n': 'qa.field.body' }),
      el('th', { scope: 'col', 'data-i18n': 'qa.field.date' }),
      el('th', { scope: 'col', 'data-i18n': 'qa.field.evidence_url' }),
      isOrgAdmin ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden', 'data-i18n': 'common.actions' })) : null)),
    el('tbody', {}, records.map((r) => {
      const evidence = safeHref(r.evidence_url);
      return el('tr', {},
        el('td', {}, qaTypeLabel(r.qa_type)),
        el('th', { scope: 'row' }, r.framework || ''),
        el('td', {}, r.body || ''),
        el('td', {}, formatDate(r.date)),
        el('td', {}, evidence ? el('a', { href: evidence, rel: 'noopener', 'data-i18n': 'qa.evidence_link' }) : (r.evidence_url || '')),
        isOrgAdmin ? el('td', {}, el('button', {
          type: 'button', class: 'button button-small button-danger', 'data-qa-remove': r.id,
          'aria-label': t('qa.remove_named', { framework: r.framework || '' }),
        }, t('qa.remove'))) : null);
    }))));
}

function render() {
  setPageHeading(org.legal_name || org.slug);
  document.getElementById('org-meta').replaceChildren(statusBadge(org.status));
  document.getElementById('org-approve').hidden = !(session.isPlatformAdmin && org.status !== 'approved');
  document.getElementById('org-admin-links').hidden = !isOrgAdmin;
  document.getElementById('org-members-link').href = `/orgs/${encodeURIComponent(org.slug)}/members`;
  document.getElementById('org-tokens-link').href = `/orgs/${encodeURIComponent(org.slug)}/tokens`;
  for (const page of ['roles', 'competence']) {
    document.getElementById(`org-${page}-link`).href = `/orgs/${encodeURIComponent(org.slug)}/${page}`;
  }
  const isMember = session.memberships.some((m) => m.org && m.org.slug === slug);
  document.getElementById('org-issuing-links').hidden = !isMember;
  for (const page of ['specs', 'issue', 'batches', 'awards', 'assessments', 'org-pathways', 'org-feedback']) {
    document.getElementById(`org-${page}-link`).href = `/orgs/${encodeURIComponent(org.slug)}/${page === 'specs' ? 'specifications' : page}`;
  }
  qaForm.hidden = !isOrgAdmin;
  document.getElementById('org-edit').hidden = !isOrgAdmin;
  renderProfile();
  renderQa();
  document.getElementById('org-body').hidden = false;
  applyI18n(main);
}

function fillEditForm() {
  fillCountries(editForm.elements.namedItem('country'), org.country || '');
  fillForm(editForm, Object.fromEntries(EDITABLE.map((k) => [k, org[k] ?? ''])));
}

async function reload() {
  org = await get(base);
  render();
}

try {
  await reload();
  if (isOrgAdmin) fillEditForm();
} catch (e) {
  if (e.status === 404) {
    setPageHeading(t('org.not_found'));
    showMessage(problemText(e), 'error');
  } else {
    setPageHeading(t('org.title'));
    showMessage(problemText(e), 'error');
  }
}

document.addEventListener('mc:languagechange', () => {
  if (!org) return;
  render();
  fillCountries(editForm.elements.namedItem('country'));
});

onSubmit(editForm, async (data) => {
  const changes = {};
  for (const k of EDITABLE) if ((org[k] ?? '') !== data[k]) changes[k] = data[k];
  if (!Object.keys(changes).length) {
    showMessage(t('org.no_changes'));
    return;
  }
  org = await patch(base, changes);
  render();
  fillEditForm();
  showMessage(t('org.saved'), 'success');
});

onSubmit(qaForm, async (data) => {
  const record = { qa_type: data.qa_type, framework: data.framework, body: data.body, date: data.date };
  if (data.evidence_url) record.evidence_url = data.evidence_url;
  await post(`${base}/qa-records`, record);
  qaForm.reset();
  await reload();
  showMessage(t('qa.added'), 'success');
});

document.getElementById('qa-list').addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-qa-remove]');
  if (!button) return;
  const id = button.dataset.qaRemove;
  const record = (org.qa_records || []).find((r) => String(r.id) === id);
  if (!(await confirmAction('qa.remove_confirm', 'qa.remove', { framework: record ? record.framework : '' }))) return;
  try {
    await del(`${base}/qa-records/${seg(id)}`);
    await reload();
    showMessage(t('qa.removed'), 'success');
    document.getElementById('org-qa-heading').focus();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

document.getElementById('approve-button').addEventListener('click', async () => {
  try {
    org = await post(`${base}/approve`);
    render();
    showMessage(t('org.approved'), 'success');
    document.getElementById('org-profile-heading').focus();
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});
