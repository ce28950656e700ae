// foundation.test.mjs - the web foundation in a real browser against the
// real server: sign-up, log-out and log-in through the forms, an org admin
// editing the organisation profile, the language switcher, keyboard access
// and the 404 page.
//
// Needs build/microcred (see harness.mjs) and /usr/bin/chromium:
//   node --test --test-concurrency=1 tests/browser/foundation.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, openPage, waitReady, logIn, DEMO, ROOT, step } from './harness.mjs';

const texts = (lang) => JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', `${lang}.json`), 'utf8'));
const en = texts('en');
const sv = texts('sv');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('sign up through the form, log out, log in again', async () => {
  const page = await newPage(browser, server.baseUrl);
  const email = `signup-${Date.now()}@example.test`;
  const password = 'correct horse battery';
  const name = 'Ada Testperson';

  await step(page, 'sign up', async () => {
    await openPage(page, '/signup');
    await page.getByLabel(en['field.name'], { exact: true }).fill(name);
    await page.getByLabel(en['field.email'], { exact: true }).fill(email);
    await page.getByLabel(en['field.password'], { exact: true }).fill(password);
    await Promise.all([page.waitForURL('**/account'), page.getByRole('button', { name: en['signup.submit'] }).click()]);
    await waitReady(page);
    assert.equal(await page.locator('.account-name').innerText(), name);
    assert.match(await page.locator('#mc-messages').innerText(), /Welcome/);
    assert.match(await page.locator('#account-profile').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
  });

  await step(page, 'log out', async () => {
    await Promise.all([page.waitForURL(server.baseUrl + '/'), page.getByRole('button', { name: en['nav.logout'] }).click()]);
    await waitReady(page);
    assert.equal(await page.locator('#mc-login').innerText(), en['nav.login']);
    assert.equal(await page.locator('.account-name').count(), 0);
    // /account now sends a visitor to the login page, remembering where to return.
    await page.goto('/account');
    await page.waitForURL('**/login?next=%2Faccount');
  });

  await step(page, 'log in', async () => {
    await logIn(page, { email, password });
    assert.equal(await page.locator('.account-name').innerText(), name);
  });

  await step(page, 'wrong password shows the problem next to the form', async () => {
    const other = await newPage(browser, server.baseUrl);
    await openPage(other, '/login');
    await other.fill('#login-email', email);
    await other.fill('#login-password', 'not the password');
    await other.click('#login-form button[type="submit"]');
    await other.locator('#login-form .form-error').waitFor();
    assert.ok((await other.locator('#login-form .form-error').innerText()).trim().length > 0);
    assert.match(other.url(), /\/login$/);
    await other.context().close();
  });
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('the org admin edits the organisation website and it stays saved', async () => {
  const page = await newPage(browser, server.baseUrl);
  const website = `https://www.uni.example.test/${Date.now()}`;
  await step(page, 'log in as the demo org admin', () => logIn(page, DEMO.orgAdmin));
  await step(page, 'edit the website', async () => {
    await openPage(page, `/orgs/${DEMO.orgSlug}`);
    const form = page.locator('#org-edit-form');
    await form.waitFor({ state: 'visible' });
    await form.getByLabel(en['org.field.website'], { exact: true }).fill(website);
    await form.getByRole('button', { name: en['common.save'] }).click();
    await page.locator('#mc-messages .message-success').waitFor();
    assert.equal(await page.locator('#mc-messages').innerText(), en['org.saved']);
  });
  await step(page, 'reload and see it saved', async () => {
    await page.reload();
    await waitReady(page);
    await page.locator('#org-website').waitFor();
    assert.equal(await page.locator('#org-website').innerText(), website);
    assert.equal(await page.locator('#edit-website').inputValue(), website);
  });
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('switching to Swedish translates the navigation and is remembered', async () => {
  const page = await newPage(browser, server.baseUrl);
  await openPage(page, '/');
  const catalogue = page.locator('.site-nav a[href="/catalogue"]');
  assert.equal(await catalogue.innerText(), en['nav.catalogue']);
  await page.getByLabel(en['nav.language'], { exact: true }).selectOption('sv');
  await page.waitForFunction(() => document.documentElement.lang === 'sv');
  assert.equal(await catalogue.innerText(), sv['nav.catalogue']);
  assert.equal(await page.locator('.site-nav a[href="/organisations"]').innerText(), sv['nav.organisations']);
  assert.equal(await page.locator('#mc-signup').innerText(), sv['nav.signup']);
  assert.notEqual(sv['nav.catalogue'], en['nav.catalogue']);

  await page.reload();
  await waitReady(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
  assert.equal(await catalogue.innerText(), sv['nav.catalogue']);
  await page.context().close();
});

test('the first visit takes the language from the browser (navigator.languages)', async () => {
  const page = await newPage(browser, server.baseUrl, { locale: 'lv-LV' });
  await openPage(page, '/');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'lv');
  assert.equal(await page.locator('.site-nav a[href="/wallet"]').innerText(), texts('lv')['nav.wallet']);
  await page.context().close();
});

test('keyboard: Tab reaches the skip link first, Enter moves to the main content', async () => {
  const page = await newPage(browser, server.baseUrl);
  await openPage(page, '/');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({
    cls: document.activeElement.className,
    href: document.activeElement.getAttribute('href'),
    text: document.activeElement.textContent,
  }));
  assert.deepEqual(first, { cls: 'skip-link', href: '#main', text: en['layout.skip'] });
  const box = await page.locator('.skip-link').boundingBox();
  assert.ok(box && box.y >= 0, 'the focused skip link is on screen');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  await page.context().close();
});

test('an unknown address answers 404 with the not-found page', async () => {
  const page = await newPage(browser, server.baseUrl);
  const res = await openPage(page, '/no-such-page-here');
  assert.equal(res.status(), 404);
  assert.equal(await page.locator('main h1').innerText(), en['error.not_found_heading']);
  await page.context().close();
});
