// pages/verify.js - verify any credential or presentation (/verify): paste
// it, upload its file, or give a share link; POST /api/v1/verify checks it
// and the page says, check by check in plain words, what held, above what
// the credential says. An issuer missing from the registry is a warning:
// the page says both that the signature holds and that the issuer is not
// known here.
import { initPage, el, problemText, showMessage } from '../layout.js';
import { applyI18n, t } from '../i18n.js';
import { onSubmit } from '../forms.js';
import { renderElements, renderReport, verdictBadge, text } from '../elements.js';
import { sendRaw, langQuery, contentTypeOf } from './wallet-common.js';

await initPage();
const main = document.getElementById('main');
const form = document.getElementById('verify-form');
let last = null;

const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});

function credentialBlock(report, headingText, level) {
  const r = obj(report);
  const els = obj(r.elements);
  return el('article', { class: 'panel verified-item' },
    el(`h${level}`, {}, headingText || text(els.title) || t('wallet.untitled'), ' ', verdictBadge(r)),
    renderReport(r, { headingLevel: level + 1 }),
    el(`h${level + 1}`, {}, t('credential.elements_heading')),
    renderElements(els, { skip: ['title'] }));
}

function render() {
  if (!last) return;
  const out = document.getElementById('verify-output');
  const r = obj(last);
  const kids = Array.isArray(r.credentials) ? r.credentials : [];
  if (r.format === 'presentation') {
    out.replaceChildren(
      el('div', { class: 'panel' }, el('h3', {}, t('verify.presentation'), ' ', verdictBadge(r)), renderReport(r, { headingLevel: 4 })),
      ...kids.map((k, i) => credentialBlock(k, `${t('verify.credential_n', { n: i + 1 })}: ${text(obj(obj(k).elements).title) || t('wallet.untitled')}`, 3)));
  } else {
    out.replaceChildren(credentialBlock(r, '', 3));
  }
  document.getElementById('verify-result').hidden = false;
  applyI18n(main);
}

// shareToken(link) -> the token of a share link of this site, or ''.
function shareToken(link) {
  try {
    const u = new URL(link, location.origin);
    const m = u.pathname.match(/^\/s\/([A-Za-z0-9_-]+)(?:\.json)?$/);
    return m ? m[1] : '';
  } catch {
    return '';
  }
}

async function fetchShare(link, code) {
  const token = shareToken(link);
  if (!token) throw Object.assign(new Error('bad link'), { problem: { detail: t('verify.link_not_share'), errors: [{ field: 'link', message: t('verify.link_not_share') }] } });
  const headers = { Accept: 'application/json' };
  if (code) headers['X-Access-Code'] = code;
  const res = await fetch(`/s/${encodeURIComponent(token)}.json`, { headers, credentials: 'omit', cache: 'no-store' });
  if (res.status === 401) throw Object.assign(new Error('code'), { problem: { detail: t('share.code_needed'), errors: [{ field: 'code', message: t('share.code_needed') }] } });
  if (!res.ok) throw Object.assign(new Error('gone'), { problem: { detail: t('share.gone'), errors: [] } });
  return res.text();
}

onSubmit(form, async (data) => {
  const file = form.elements.namedItem('file').files[0];
  let body;
  let type;
  if (data.text) {
    body = data.text;
    type = contentTypeOf(null, body);
  } else if (file) {
    type = contentTypeOf(file, file.size < 65536 ? await file.text() : '');
    if (type.startsWith('image/')) {
      throw Object.assign(new Error('image'), { problem: { detail: t('verify.image_hint'), errors: [] } });
    }
    body = file;
  } else if (data.link) {
    body = await fetchShare(data.link, data.code);
    type = 'application/json';
  } else {
    throw Object.assign(new Error('empty'), { problem: { detail: t('verify.nothing'), errors: [] } });
  }
  last = await sendRaw('POST', `/verify${langQuery()}`, { body, type });
  showMessage('');
  render();
  document.getElementById('verify-result-heading').focus();
});

document.addEventListener('mc:languagechange', render);

// /verify?link=... opens a share link straight away.
const preset = new URLSearchParams(location.search).get('link');
if (preset) {
  form.elements.namedItem('link').value = preset;
  form.requestSubmit();
}
