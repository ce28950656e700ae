// harness.mjs - what the browser tests share: a real microcred server with
// demo data in a temporary directory, and Debian's chromium driven by
// playwright-core.
//
//   const server = await startServer();      // demo data + serve on a free port
//   const browser = await launchBrowser();
//   const page = await newPage(browser, server.baseUrl);
//   await openPage(page, '/login');          // waits until the page's script ran
//   await logIn(page, DEMO.orgAdmin);
//   ... await browser.close(); await server.stop();
//
// Environment:
//   MICROCRED_BIN       the binary (default: build/microcred under the project root)
//   MC_TEST_BASE_URL    use a server that is already running instead of
//                       starting one (it must hold the demo data)
//   CHROMIUM            the browser (default /usr/bin/chromium)
//   MC_TEST_KEEP=1      keep the temporary directory (database, server log)

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, readFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = process.env.MICROCRED_BIN || join(ROOT, 'build', 'microcred');

// The logins `microcred demo` creates.
export const DEMO = {
  platformAdmin: { email: 'admin@demo.microcred.eu', password: 'demo-password-1' },
  orgAdmin: { email: 'staff@uni.demo.microcred.eu', password: 'demo-password-1' },
  issuer: { email: 'issuer@uni.demo.microcred.eu', password: 'demo-password-1' },
  learner: { email: 'learner@demo.microcred.eu', password: 'demo-password-1' },
  orgSlug: 'demo-university',
};

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// freePort() -> a TCP port on 127.0.0.1 that was free a moment ago.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// startServer({demo}) -> {baseUrl, dir, outbox, stop(), log()}.
// Creates a temporary directory, runs `microcred demo` into a SQLite database
// there (unless demo is false), starts `microcred serve` on a free port and
// waits until GET /healthz answers 200. stop() sends SIGTERM, waits for the
// process to end and removes the directory. log() returns what the server
// wrote so far. The server's e-mails go to `outbox` (a folder of the
// temporary directory; null with MC_TEST_BASE_URL), never to var/. Throws (with the server's output) when the server does not
// start within timeoutMs.
export async function startServer({ demo = true, timeoutMs = 15000 } = {}) {
  if (process.env.MC_TEST_BASE_URL) {
    return { baseUrl: process.env.MC_TEST_BASE_URL.replace(/\/$/, ''), dir: null, outbox: null, stop: async () => {}, log: () => '' };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mc-browser-'));
  const db = `sqlite:${join(dir, 'db.sqlite')}`;
  const key = join(dir, 'master.key');
  const cleanup = () => { if (!process.env.MC_TEST_KEEP) rmSync(dir, { recursive: true, force: true }); };

  if (demo) {
    const r = spawnSync(BIN, ['demo', '--db', db, '--master-key-file', key], { cwd: ROOT, encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      cleanup();
      throw new Error(`${BIN} demo failed (status ${r.status}): ${r.error ? r.error.message : ''}\n${r.stdout}${r.stderr}`);
    }
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logPath = join(dir, 'server.log');
  const outbox = join(dir, 'outbox');
  const logFd = openSync(logPath, 'a');
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', baseUrl,
    '--master-key-file', key, '--outbox', outbox], { cwd: ROOT, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); }));
  const log = () => { try { return readFileSync(logPath, 'utf8'); } catch { return ''; } };

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 5000);
      await exitPromise;
      clearTimeout(timer);
    }
    cleanup();
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const out = log();
      cleanup();
      throw new Error(`microcred serve exited (${JSON.stringify(exited)}) before answering /healthz:\n${out}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      const out = log();
      await stop();
      throw new Error(`microcred serve did not answer GET /healthz with 200 within ${timeoutMs} ms:\n${out}`);
    }
    await sleep(100);
  }
  return { baseUrl, dir, outbox, stop, log };
}

// launchBrowser() -> a playwright Browser running headless chromium with a
// fresh, temporary profile (playwright makes and removes the user data dir).
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

// newPage(browser, baseUrl, {locale}) -> a Page in a new, empty context
// (own cookies and storage) whose relative URLs resolve against baseUrl.
// Script errors and console.error() calls of the page are collected in
// page.consoleErrors (the browser's own "Failed to load resource" lines for
// expected 401/404 answers are left out).
export async function newPage(browser, baseUrl, { locale = 'en-GB' } = {}) {
  const context = await browser.newContext({ baseURL: baseUrl, locale });
  const page = await context.newPage();
  page.consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) page.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => page.consoleErrors.push(String(err)));
  return page;
}

// openPage(page, path) -> the navigation Response; waits until the page's
// script has rendered the layout (<html class="mc-ready">).
export async function openPage(page, path) {
  const res = await page.goto(path);
  await waitReady(page);
  return res;
}

// waitReady(page): waits for the layout of the current document.
export async function waitReady(page) {
  await page.waitForFunction(() => document.documentElement.classList.contains('mc-ready'), null, { timeout: 10000 });
}

// logIn(page, {email, password}) -> fills the login form and waits for the
// account page.
export async function logIn(page, { email, password }) {
  await openPage(page, '/login');
  await page.fill('#login-email', email);
  await page.fill('#login-password', password);
  await Promise.all([page.waitForURL('**/account'), page.click('#login-form button[type="submit"]')]);
  await waitReady(page);
}

// apiLogin(baseUrl, {email, password}) -> {cookie, csrf}: a session for
// calling the API directly (to set up what a test needs, e.g. an award).
export async function apiLogin(baseUrl, { email, password }) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = await res.json().catch(() => ({}));
  if (res.status !== 200) throw new Error(`log in ${email}: ${res.status} ${JSON.stringify(body)}`);
  const cookie = (res.headers.getSetCookie() || []).map((c) => c.split(';')[0]).find((c) => c.startsWith('mc_session='));
  return { cookie, csrf: body.csrf };
}

// api(baseUrl, auth, method, path, {json, body, type, headers}) ->
// {status, json, text}. path is the full path ("/api/v1/wallet"); json is
// sent as JSON, body (string or Buffer) as is with Content-Type `type`.
export async function api(baseUrl, auth, method, path, { json, body, type, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (auth) { h.Cookie = auth.cookie; if (method !== 'GET') h['X-CSRF-Token'] = auth.csrf; }
  let payload;
  if (json !== undefined) { h['Content-Type'] = 'application/json'; payload = JSON.stringify(json); }
  else if (body !== undefined) { h['Content-Type'] = type || 'application/octet-stream'; payload = body; }
  const res = await fetch(baseUrl + path, { method, headers: h, body: payload });
  const text = await res.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { parsed = null; }
  return { status: res.status, json: parsed, text, headers: res.headers };
}

// step(page, what, fn) -> fn's result; on failure the error also says which
// step, the page's address, any error shown on the page and console errors.
export async function step(page, what, fn) {
  try {
    return await fn();
  } catch (e) {
    const problem = await page.locator('.form-error, .message-error, .field-error').allInnerTexts().catch(() => []);
    e.message = `${what}: ${e.message}\n  on ${page.url()}\n  page says: ${problem.join(' | ') || '(nothing)'}` +
      `\n  console: ${(page.consoleErrors || []).join(' | ') || '(clean)'}`;
    throw e;
  }
}

// Accept the next confirmation dialog of forms.js's confirmAction.
export async function confirm(page) {
  const dialog = page.locator('dialog.confirm');
  await dialog.waitFor();
  await dialog.locator('button[value="yes"]').click();
}
