// pages/verify-address.js - the link in the "confirm your address" e-mail
// (/verify-address/{token}): confirms the address (POST) and says which.
import { initPage, showMessage, problemText } from '../layout.js';
import { post, seg } from '../api.js';
import { t } from '../i18n.js';
import { text } from '../elements.js';
import { tokenFromPath } from './wallet-common.js';

await initPage();
const out = document.getElementById('verify-address-result');
out.removeAttribute('data-i18n');
try {
  const ident = await post(`/identifiers/verify/${seg(tokenFromPath('verify-address'))}`);
  out.textContent = t('verify_address.done', { address: text(ident.value) });
  showMessage(t('verify_address.done_short'), 'success');
} catch (e) {
  out.textContent = t('verify_address.failed');
  showMessage(problemText(e), 'error');
}
