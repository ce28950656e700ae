// pages/wallet-common.js - what the wallet, credential, share and verify
// pages share: requests api.js cannot make (a raw file as the body, an
// access-code header), the reader's language for ?lang=, and the id of the
// page's subject from the address.
//
// sendRaw() sends the same X-CSRF-Token as api.js, fetched once from /me
// (api.js keeps its copy private); without a session none is sent, which
// is what the public routes (verify, shared) expect.

import { get, ApiError } from '../api.js';
import { currentLanguage } from '../i18n.js';

let csrf = null;

async function csrfToken() {
  if (csrf === null) {
    try { csrf = (await get('/me')).csrf || ''; } catch { csrf = ''; }
  }
  return csrf;
}

// sendRaw(method, path, {body, type, headers}) -> parsed JSON (or null).
// path is relative to /api/v1; body a string, Blob or ArrayBuffer sent as
// is with Content-Type `type`. Throws ApiError like api.js.
export async function sendRaw(method, path, { body, type, headers = {} } = {}) {
  const h = { Accept: 'application/json, application/problem+json', ...headers };
  const init = { method, headers: h, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    h['Content-Type'] = type || 'application/octet-stream';
    init.body = body;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = await csrfToken();
    if (token) h['X-CSRF-Token'] = token;
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch {
    throw new ApiError(0, { status: 0, title: 'Network error', detail: '', errors: [], network: true });
  }
  let data = null;
  if ((res.headers.get('Content-Type') || '').includes('json')) {
    try { data = await res.json(); } catch { data = null; }
  }
  if (!res.ok) {
    const p = data && typeof data === 'object' && !Array.isArray(data) ? { ...data } : {};
    if (typeof p.status !== 'number') p.status = res.status;
    if (typeof p.title !== 'string') p.title = res.statusText || `HTTP ${res.status}`;
    if (typeof p.detail !== 'string') p.detail = '';
    if (!Array.isArray(p.errors)) p.errors = [];
    throw new ApiError(res.status, p);
  }
  return data;
}

// langQuery() -> "?lang=sv" etc.: the server writes the credential's texts
// in the reader's language when the credential has them.
export function langQuery(sep = '?') {
  return `${sep}lang=${encodeURIComponent(currentLanguage())}`;
}

// contentTypeOf(file, text) -> the Content-Type to import or verify a file
// with: PNG/SVG images by type or name, a compact JWT as application/vc+jwt,
// anything else as JSON.
export function contentTypeOf(file, textBody) {
  const name = (file && file.name ? file.name : '').toLowerCase();
  const type = file && file.type ? file.type : '';
  if (type === 'image/png' || name.endsWith('.png')) return 'image/png';
  if (type === 'image/svg+xml' || name.endsWith('.svg')) return 'image/svg+xml';
  const s = (textBody || '').trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/.test(s)) return 'application/vc+jwt';
  return 'application/json';
}

// tokenFromPath(prefix) -> the {token} of /prefix/{token}, decoded, or "".
export function tokenFromPath(prefix) {
  const m = location.pathname.match(new RegExp(`^/${prefix}/([^/]+)$`));
  return m ? decodeURIComponent(m[1]) : '';
}

// qrSrc(url) -> the address of the server's QR code (SVG) for url.
export function qrSrc(url) {
  return `/api/v1/qr.svg?text=${encodeURIComponent(url)}`;
}
