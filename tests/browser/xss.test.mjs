// xss.test.mjs - credentials come from anywhere: one whose names and
// descriptions carry <script>, <img onerror>, <svg onload> and
// <a href="javascript:..."> and whose URLs are javascript: links
// (tests/fixtures/hostile/) must not run anything on any page that shows
// it - wallet, credential page, share page, verify page.
//
// Every payload would set window.__pwned, open a dialog or leave an element
// whose id starts with "pwned-"; the test listens for dialogs and script
// errors, looks for all three, checks that the markup is shown as text, and
// that no link on the page has a javascript: (or other non-http) address.
//
//   node --test --test-concurrency=1 tests/browser/xss.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, openPage, logIn, DEMO, ROOT } from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const HOSTILE = join(ROOT, 'tests', 'fixtures', 'hostile');
const fixture = (name) => readFileSync(join(HOSTILE, name), 'utf8');

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

// watch(page) -> page with page.dialogs: every alert/confirm/prompt opened
// (each dismissed at once).
function watch(page) {
  page.dialogs = [];
  page.on('dialog', async (d) => { page.dialogs.push(d.message()); await d.dismiss().catch(() => {}); });
  return page;
}

// assertInert(page, where): nothing of the payload ran or became markup.
async function assertInert(page, where) {
  await page.waitForTimeout(300); // let an <img onerror> fire if it were there
  const found = await page.evaluate(() => ({
    pwned: window.__pwned ?? null,
    elements: [...document.querySelectorAll('[id^="pwned-"], script:not([src]), [onerror], [onload], [onclick]')]
      .map((e) => e.outerHTML.slice(0, 120)),
    badLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))
      .filter((h) => !/^(https?:\/\/|\/|#|\?|mailto:)/i.test(h) || /^\s*javascript:/i.test(h)),
    externalWithoutRel: [...document.querySelectorAll('a[href^="http"]')]
      .filter((a) => new URL(a.href).origin !== location.origin)
      .filter((a) => !/noopener/.test(a.rel) || !/noreferrer/.test(a.rel)).map((a) => a.outerHTML.slice(0, 120)),
  }));
  assert.equal(found.pwned, null, `${where}: a payload ran`);
  assert.deepEqual(found.elements, [], `${where}: payload markup became elements`);
  assert.deepEqual(found.badLinks, [], `${where}: links that are not http(s)`);
  assert.deepEqual(found.externalWithoutRel, [], `${where}: outside links without rel="noopener noreferrer"`);
  assert.deepEqual(page.dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(page.consoleErrors, [], `${where}: script errors`);
}

test('hostile credentials run nothing on the wallet, credential, share and verify pages', async () => {
  const page = watch(await newPage(browser, server.baseUrl));
  await logIn(page, DEMO.learner);

  // Import both hostile credentials through the page.
  const ids = [];
  for (const name of ['hostile-ob3.json', 'hostile-v1.json']) {
    await openPage(page, '/wallet');
    await page.getByLabel(en['wallet.import_paste'], { exact: true }).fill(fixture(name));
    await page.getByRole('button', { name: en['wallet.import_submit'] }).click();
    await page.locator('#mc-messages .message').waitFor();
    await assertInert(page, `wallet after importing ${name}`);
  }
  const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
  for (const item of wallet.items) ids.push(item.id);
  assert.equal(ids.length, 2);
  for (const item of wallet.items) assert.equal(item.verified_on_import, false, 'made-up proofs do not verify');

  // The wallet list shows the titles as text.
  await openPage(page, '/wallet');
  await page.locator('#items table').waitFor();
  const listText = await page.locator('#items').innerText();
  assert.match(listText, /<script id="pwned-script">/, 'the title is shown as text');
  assert.equal(await page.locator('#items [data-verdict="not_verified"]').count(), 2);
  await assertInert(page, 'wallet list');

  // Each credential page.
  for (const id of ids) {
    await openPage(page, `/credential?id=${id}`);
    await page.locator('#credential-body:not([hidden])').waitFor();
    assert.equal(await page.locator('#verification .report').getAttribute('data-verdict'), 'not_verified');
    await assertInert(page, `credential page ${id}`);
  }
  const ob3Page = await page.locator('main').innerText().catch(() => '');
  assert.ok(ob3Page.length > 0);

  // Share the hostile OB3 credential; an anonymous visitor opens it.
  await openPage(page, `/credential?id=${ids[0]}`);
  await page.locator('#credential-body:not([hidden])').waitFor();
  await page.getByLabel(en['share.field.recipient'], { exact: true }).fill('<img id="pwned-recipient" src=x onerror="window.__pwned=1">');
  await page.getByRole('button', { name: en['share.create'] }).click();
  await page.locator('#share-result:not([hidden])').waitFor();
  const url = await page.locator('#share-url').inputValue();
  await assertInert(page, 'credential page after sharing');

  const visitor = watch(await newPage(browser, server.baseUrl));
  await openPage(visitor, new URL(url).pathname);
  await visitor.locator('#share-body:not([hidden])').waitFor();
  assert.match(await visitor.locator('#share-meta').innerText(), /<img id="pwned-recipient"/);
  assert.match(await visitor.locator('#share-items').innerText(), /<script id="pwned-script">/);
  await assertInert(visitor, 'share page');

  // The shares list shows the recipient as text.
  await openPage(page, '/shares');
  await page.locator('#shares table').waitFor();
  await assertInert(page, 'shares page');

  // The verify page: paste each hostile document, including a presentation.
  for (const name of ['hostile-ob3.json', 'hostile-v1.json', 'hostile-vp.json']) {
    await openPage(visitor, '/verify');
    await visitor.getByLabel(en['verify.field.text'], { exact: true }).fill(fixture(name));
    await visitor.getByRole('button', { name: en['verify.submit'] }).click();
    await visitor.locator('#verify-result:not([hidden])').waitFor();
    assert.notEqual(await visitor.locator('#verify-output .report').first().getAttribute('data-verdict'), 'verified');
    await assertInert(visitor, `verify page with ${name}`);
  }
  await visitor.context().close();
  await page.context().close();
});
