// pages/claim.js - a claim link from the issuer's e-mail (/claim/{token}):
// what it holds, and, once signed in (or signed up), adding it to my
// wallet; then on to the credential's page.
import { initPage, showMessage, problemText, loginHref } from '../layout.js';
import { post, get, seg } from '../api.js';
import { applyI18n, t } from '../i18n.js';
import { text } from '../elements.js';
import { tokenFromPath } from './wallet-common.js';

const session = await initPage();
const main = document.getElementById('main');
const token = tokenFromPath('claim');
let claim = null;

function render() {
  document.getElementById('claim-title').textContent = text(claim.title);
  const meta = [t('claim.for', { name: text(claim.learner_name) })];
  if (claim.status && claim.status !== 'active') meta.push(t('claim.status_not_active'));
  if (claim.claimed) meta.push(t('claim.already'));
  document.getElementById('claim-meta').textContent = meta.join(' ');
  document.getElementById('claim-visitor').hidden = session.signedIn;
  document.getElementById('claim-actions').hidden = !session.signedIn || !!claim.claimed;
  document.getElementById('claim-login').href = loginHref();
  document.getElementById('claim-signup').href = `/signup?next=${encodeURIComponent(location.pathname)}`;
  document.getElementById('claim-body').hidden = false;
  applyI18n(main);
}

try {
  claim = await get(`/claims/${seg(token)}`);
  render();
} catch (e) {
  showMessage(e.status === 404 ? t('claim.not_found') : problemText(e), 'error');
}
document.addEventListener('mc:languagechange', () => { if (claim) render(); });

document.getElementById('claim-button').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    const item = await post(`/wallet/claims/${seg(token)}`);
    location.assign(`/credential?id=${encodeURIComponent(text(item.id))}`);
  } catch (e) {
    button.disabled = false;
    showMessage(problemText(e), 'error');
  }
});
