// pages/share.js - what a share link shows (/s/{token}): the shared
// credentials, each verified live, with all their elements, and a link to
// the same as a Verifiable Presentation (/s/{token}.json). A link that is
// unknown, revoked or expired shows only "This is no longer shared."; one
// that needs an access code asks for it.
import { initPage, el, showMessage, problemText, setPageHeading } from '../layout.js';
import { applyI18n, t, formatDate } from '../i18n.js';
import { renderElements, renderReport, verdictBadge, text } from '../elements.js';
import { sendRaw, langQuery, tokenFromPath } from './wallet-common.js';

await initPage();
const main = document.getElementById('main');
const token = tokenFromPath('s');
const codeForm = document.getElementById('code-form');
let shared = null;
let code = '';

function gone() {
  setPageHeading(t('share.gone'));
  codeForm.hidden = true;
  document.getElementById('share-body').hidden = true;
  shared = null;
}

function render() {
  const items = Array.isArray(shared.items) ? shared.items : [];
  setPageHeading(items.length === 1 ? (text(items[0].title) || t('share.title')) : t('share.heading_many', { count: items.length }));
  document.getElementById('share-meta').textContent = t('share.meta', {
    recipient: text(shared.recipient), date: formatDate(text(shared.expires_at)),
  });
  document.getElementById('share-items').replaceChildren(...items.map((it, i) => {
    const v = it && typeof it.verification === 'object' && it.verification ? it.verification : {};
    const headingId = `shared-item-${i}`;
    return el('article', { class: 'panel shared-item', 'aria-labelledby': headingId },
      el('h2', { id: headingId }, text(it.title) || t('wallet.untitled'), ' ', verdictBadge(v)),
      el('p', { class: 'meta' }, t('share.issued_by', { issuer: text(it.issuer_name) })),
      renderReport(v),
      el('h3', {}, t('credential.elements_heading')),
      renderElements(v.elements, { skip: ['title'] }));
  }));
  const vp = document.getElementById('vp-link');
  vp.href = `/s/${encodeURIComponent(token)}.json${code ? `?code=${encodeURIComponent(code)}` : ''}`;
  codeForm.hidden = true;
  document.getElementById('share-body').hidden = false;
  applyI18n(main);
}

async function load() {
  const headers = code ? { 'X-Access-Code': code } : {};
  try {
    shared = await sendRaw('GET', `/shared/${encodeURIComponent(token)}${langQuery()}`, { headers });
    render();
  } catch (e) {
    if (e.status === 404 || !token) { gone(); return; }
    if (e.status === 401) {
      setPageHeading(t('share.title'));
      codeForm.hidden = false;
      applyI18n(main);
      if (code) showMessage(t('share.code_wrong'), 'error');
      codeForm.elements.namedItem('code').focus();
      return;
    }
    setPageHeading(t('share.title'));
    showMessage(problemText(e), 'error');
  }
}

codeForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  code = codeForm.elements.namedItem('code').value.trim();
  showMessage('');
  await load();
});

document.addEventListener('mc:languagechange', () => { if (shared) load(); else if (!codeForm.hidden) setPageHeading(t('share.title')); else gone(); });

await load();
