// pages/credential.js - one credential of my wallet (/credential?id=ID):
// its verification (checked again now), every standard element, sharing it
// by link (with an expiry and an optional access code), downloading,
// hiding, removing, and printing it as an A4 certificate whose QR code
// opens a share of it (recipient "Printed certificate", valid a year).
import { initPage, el, showMessage, problemText, setPageHeading, flash } from '../layout.js';
import { get, post, patch, del, seg } from '../api.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { onSubmit, confirmAction } from '../forms.js';
import { renderElements, renderReport, verdictOf, verdictWords, verdictBadge, text } from '../elements.js';
import { langQuery, qrSrc } from './wallet-common.js';

await initPage({ requireLogin: true });
const main = document.getElementById('main');
const id = new URLSearchParams(location.search).get('id') || '';
const base = `/wallet/${seg(id)}`;
let item = null;

const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

function elementsOf(it) {
  return obj(obj(it.verification).elements);
}

function render() {
  const els = elementsOf(item);
  setPageHeading(text(els.title) || text(item.title) || t('wallet.untitled'));
  document.getElementById('credential-meta').replaceChildren(
    verdictBadge(item.verification), ' ',
    t('credential.meta', { issuer: text(item.issuer_name), date: formatDate(text(item.added_at)) }),
    item.hidden ? el('span', { class: 'badge' }, t('wallet.hidden_badge')) : '');
  document.getElementById('import-warning').hidden = item.verified_on_import !== false;
  document.getElementById('verification').replaceChildren(renderReport(item.verification));
  document.getElementById('elements').replaceChildren(renderElements(els));
  document.getElementById('download-original').href = `/api/v1${base}/download?format=original`;
  const json = document.getElementById('download-json');
  json.href = `/api/v1${base}/download?format=json`;
  json.hidden = !item.credential;
  const hide = document.getElementById('hide-button');
  hide.textContent = item.hidden ? t('credential.show') : t('credential.hide');
  document.getElementById('credential-body').hidden = false;
  applyI18n(main);
}

async function reload() {
  item = await get(`${base}${langQuery()}`);
  render();
}

try {
  if (!id) throw Object.assign(new Error('no id'), { status: 404, problem: { detail: t('credential.not_found'), errors: [] } });
  await reload();
} catch (e) {
  setPageHeading(t('credential.not_found'));
  showMessage(e.status === 404 ? t('credential.not_found_text') : problemText(e), 'error');
}

document.addEventListener('mc:languagechange', async () => {
  if (!item) return;
  try { await reload(); } catch (e) { showMessage(problemText(e), 'error'); }
});

// ---- sharing ----

function showShare(share) {
  const box = document.getElementById('share-result');
  document.getElementById('share-url').value = text(share.url);
  document.getElementById('share-result-meta').textContent = t('share.created_meta', {
    recipient: text(share.recipient), date: formatDate(text(share.expires_at)),
  });
  const qr = document.getElementById('share-qr');
  qr.src = qrSrc(text(share.url));
  qr.alt = t('print.qr_alt');
  box.hidden = false;
  box.focus();
}

const shareForm = document.getElementById('share-form');
onSubmit(shareForm, async (data) => {
  const body = { items: [id], recipient: data.recipient, expires_in_days: Number(data.expires_in_days) || 30 };
  if (data.access_code) body.access_code = data.access_code;
  const share = await post('/shares', body);
  shareForm.reset();
  showShare(share);
  showMessage(t('share.created'), 'success');
});

document.getElementById('share-copy').addEventListener('click', async () => {
  const input = document.getElementById('share-url');
  try {
    await navigator.clipboard.writeText(input.value);
    showMessage(t('share.copied'), 'success');
  } catch {
    input.select();
  }
});

// ---- manage ----

document.getElementById('hide-button').addEventListener('click', async () => {
  try {
    await patch(base, { hidden: !item.hidden });
    await reload();
    showMessage(item.hidden ? t('credential.hidden_done') : t('credential.shown_done'), 'success');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

document.getElementById('delete-button').addEventListener('click', async () => {
  if (!(await confirmAction('credential.delete_confirm', 'credential.delete'))) return;
  try {
    await del(base);
    flash('credential.deleted');
    location.assign('/wallet');
  } catch (e) {
    showMessage(problemText(e), 'error');
  }
});

// ---- printing ----

function certificate(share) {
  const els = elementsOf(item);
  const v = verdictOf(item.verification);
  const words = verdictWords(v);
  const learner = obj(els.learner);
  const issuer = obj(els.issuer);
  const url = text(share.url);
  const section = document.getElementById('certificate');
  const issuerName = text(issuer.name) || text(item.issuer_name);
  section.replaceChildren(
    el('p', { class: 'no-print actions' },
      el('button', { type: 'button', class: 'button', id: 'print-again' }, t('print.again')),
      el('button', { type: 'button', class: 'button button-quiet', id: 'print-close' }, t('print.close'))),
    el('div', { class: 'certificate-page' },
      el('header', { class: 'certificate-head' },
        el('p', { class: 'certificate-issuer' }, issuerName),
        el('p', { class: 'certificate-kind' }, t('print.kind'))),
      el('h2', { id: 'certificate-title', class: 'certificate-title' }, text(els.title) || text(item.title)),
      text(learner.name) ? el('p', { class: 'certificate-learner' },
        el('span', { class: 'certificate-small' }, t('print.awarded_to')), ' ',
        el('strong', {}, text(learner.name))) : null,
      text(els.issued) ? el('p', { class: 'certificate-date' }, t('print.issued_on', { date: formatDate(text(els.issued)) })) : null,
      renderElements(els, { skip: ['title'] }),
      el('div', { class: 'certificate-verify' },
        el('img', { src: qrSrc(url), alt: t('print.qr_alt'), class: 'qr', width: 140, height: 140, id: 'certificate-qr' }),
        el('div', {},
          el('p', {}, el('strong', {}, t('print.verify_heading'))),
          el('p', {}, t('print.verify_text')),
          el('p', { class: 'mono certificate-url', id: 'certificate-url' }, url),
          el('p', { class: 'certificate-small' },
            t('print.status_at', { verdict: words.word, date: formatDate(new Date().toISOString()) }), ' ',
            t('print.link_valid', { date: formatDate(text(share.expires_at)) }))))));
  section.hidden = false;
  document.body.classList.add('printing');
  section.querySelector('#print-again').addEventListener('click', () => window.print());
  section.querySelector('#print-close').addEventListener('click', () => {
    section.hidden = true;
    document.body.classList.remove('printing');
    document.getElementById('print-button').focus();
  });
  return section.querySelector('#certificate-qr');
}

document.getElementById('print-button').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    const share = await post('/shares', { items: [id], recipient: t('print.recipient'), expires_in_days: 365 });
    const qr = certificate(share);
    if (!qr.complete) {
      await new Promise((resolve) => {
        qr.addEventListener('load', resolve, { once: true });
        qr.addEventListener('error', resolve, { once: true });
        setTimeout(resolve, 3000);
      });
    }
    document.getElementById('certificate').scrollIntoView();
    document.getElementById('print-again').focus();
    window.print();
  } catch (e) {
    showMessage(problemText(e), 'error');
  } finally {
    button.disabled = false;
  }
});
