// wallet.test.mjs - the learner's and the verifier's pages in a real browser
// against the real server: claiming an award (claim link and "waiting for
// you"), the credential page with every element, sharing with an expiry, an
// anonymous visitor seeing the share verified and then "no longer shared"
// once revoked, the issuer revoking the award and the verify page saying
// so, importing the Commission's sealed EDC sample (verified e-seal) and a
// one-character tampered copy (NOT VERIFIED), the export, the print view
// with its QR code, and one user never seeing another's credential.
//
// Needs build/microcred (see harness.mjs) and /usr/bin/chromium:
//   node --test --test-concurrency=1 tests/browser/wallet.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, openPage, waitReady, logIn, api, apiLogin, DEMO, ROOT, step, confirm,
} from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const TESTDATA = process.env.MC_TESTDATA || join(ROOT, '..', 'shared', 'testdata');
const EDC_SAMPLE = join(TESTDATA, 'edc', 'sample-certificate-of-participation-signed.jsonld');
const ORG = `/api/v1/organisations/${DEMO.orgSlug}`;

let server;
let browser;
let issuer;   // API session of the demo issuer
let specId;

// The full fixture's specification without what the platform assigns or
// takes from the organisation.
function specification() {
  const s = structuredClone(JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/credentials/full.json'), 'utf8')).specification);
  for (const k of ['id', 'version', 'versionId', 'awardingBodies', 'issuerCountries', 'qualityAssurance']) delete s[k];
  return s;
}

async function issueToLearner() {
  const r = await api(server.baseUrl, issuer, 'POST', `${ORG}/awards`, {
    json: { specification_id: specId, learner: { name: 'Lea Learner', email: DEMO.learner.email }, grade: 'Pass' },
  });
  assert.equal(r.status, 201, `issue: ${r.text}`);
  return r.json;
}

// The claim token of the newest e-mail to `email` that names award `title`.
function claimToken(email) {
  let found;
  if (!server.outbox || !existsSync(server.outbox)) return undefined;
  for (const f of readdirSync(server.outbox).filter((n) => n.endsWith('.eml')).sort()) {
    const text = readFileSync(join(server.outbox, f), 'utf8');
    if (!text.includes(email)) continue;
    const m = /\/claim\/([A-Za-z0-9_-]{20,})/.exec(text);
    if (m) found = m[1];
  }
  return found;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  issuer = await apiLogin(server.baseUrl, DEMO.issuer);
  const c = await api(server.baseUrl, issuer, 'POST', `${ORG}/specifications`, { json: { draft: specification() } });
  assert.equal(c.status, 201, `create specification: ${c.text}`);
  specId = c.json.id;
  const p = await api(server.baseUrl, issuer, 'POST', `${ORG}/specifications/${specId}/publish`);
  assert.equal(p.status, 201, `publish: ${p.text}`);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

let learnerPage;
let claimedId;
let shareUrl;

test('the learner claims an award by its link and sees every element of it', async () => {
  const award = await issueToLearner();
  const token = claimToken(DEMO.learner.email);
  assert.ok(token, 'the claim e-mail is in the outbox');
  const page = await newPage(browser, server.baseUrl);
  learnerPage = page;
  await step(page, 'log in', () => logIn(page, DEMO.learner));
  await step(page, 'claim page', async () => {
    await openPage(page, `/claim/${token}`);
    await page.locator('#claim-title').waitFor();
    assert.equal(await page.locator('#claim-title').innerText(), award.title);
    await Promise.all([page.waitForURL('**/credential?id=*'), page.getByRole('button', { name: en['claim.submit'] }).click()]);
    await waitReady(page);
  });
  claimedId = new URL(page.url()).searchParams.get('id');
  await step(page, 'credential page', async () => {
    await page.locator('#credential-body:not([hidden])').waitFor();
    assert.equal(await page.locator('main h1').innerText(), award.title);
    assert.equal(await page.locator('#verification .report').getAttribute('data-verdict'), 'verified');
    // Every element the server read from the credential is on the page.
    const item = await page.evaluate(async (id) => (await fetch(`/api/v1/wallet/${id}`)).json(), claimedId);
    const shown = await page.locator('#elements dd[data-element]').evaluateAll((dds) => dds.map((d) => d.dataset.element));
    const { ELEMENTS } = await page.evaluate(async () => {
      const m = await import('/js/elements.js');
      return { ELEMENTS: m.ELEMENTS.map((e) => e.name) };
    });
    const expected = Object.keys(item.verification.elements).filter((k) => ELEMENTS.includes(k));
    assert.ok(expected.length >= 5, `the server gave few elements: ${expected.join(', ')}`);
    assert.deepEqual(expected.filter((k) => !shown.includes(k)), [], 'elements not shown');
    const unknown = Object.keys(item.verification.elements).filter((k) => !ELEMENTS.includes(k));
    assert.deepEqual(unknown, [], 'elements the page has no row for');
    assert.match(await page.locator('#elements').innerText(), /Pass/);
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('the learner shares it; a visitor sees it verified; after revoking, it is no longer shared', async () => {
  const page = learnerPage;
  await step(page, 'share with an expiry', async () => {
    await page.getByLabel(en['share.field.recipient'], { exact: true }).fill('Acme Recruiting');
    await page.getByLabel(en['share.field.expires_in_days'], { exact: true }).fill('7');
    await page.getByRole('button', { name: en['share.create'] }).click();
    await page.locator('#share-result:not([hidden])').waitFor();
    shareUrl = await page.locator('#share-url').inputValue();
    assert.match(shareUrl, /\/s\/[A-Za-z0-9_-]+$/);
    assert.ok(await page.locator('#share-qr').evaluate((img) => img.complete && img.naturalWidth > 0), 'QR shown');
  });

  const visitor = await newPage(browser, server.baseUrl);
  await step(visitor, 'the visitor opens the link', async () => {
    await openPage(visitor, new URL(shareUrl).pathname);
    await visitor.locator('#share-body:not([hidden])').waitFor();
    assert.equal(await visitor.locator('.shared-item .report').getAttribute('data-verdict'), 'verified');
    assert.match(await visitor.locator('#share-meta').innerText(), /Acme Recruiting/);
    assert.ok(await visitor.locator('.shared-item dd[data-element]').count() >= 5, 'elements shown');
    assert.match(await visitor.locator('#vp-link').getAttribute('href'), /^\/s\/[A-Za-z0-9_-]+\.json$/);
  });

  await step(page, 'the shares page counts the visit; revoke', async () => {
    await openPage(page, '/shares');
    const row = page.locator('tr[data-state="active"]', { hasText: 'Acme Recruiting' });
    await row.waitFor();
    assert.match(await row.innerText(), /1 times/);
    await row.getByRole('button', { name: `Revoke the link for Acme Recruiting` }).click();
    await confirm(page);
    await page.locator('tr[data-state="revoked"]', { hasText: 'Acme Recruiting' }).waitFor();
  });

  await step(visitor, 'the visitor reloads', async () => {
    await visitor.reload();
    await waitReady(visitor);
    await visitor.waitForFunction((gone) => document.querySelector('main h1').textContent === gone, en['share.gone']);
    assert.equal(await visitor.locator('#share-body').isVisible(), false);
    assert.equal(await visitor.locator('#code-form').isVisible(), false);
    assert.equal((await visitor.locator('main').innerText()).trim(), en['share.gone']);
  });
  assert.deepEqual(visitor.consoleErrors, []);
  await visitor.context().close();
});

test('the print view shows the certificate with a QR code for a new share', async () => {
  const page = learnerPage;
  await step(page, 'print', async () => {
    // window.print() would open the print dialog: count the calls instead.
    await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
    await openPage(page, `/credential?id=${claimedId}`);
    await page.locator('#credential-body:not([hidden])').waitFor();
    await page.getByRole('button', { name: en['print.button'] }).click();
    await page.waitForFunction(() => window.__printed === 1);
    const qr = page.locator('#certificate img.qr');
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image loaded');
    const url = await page.locator('#certificate-url').innerText();
    assert.match(url, /\/s\/[A-Za-z0-9_-]+$/);
    assert.equal(await qr.getAttribute('src'), `/api/v1/qr.svg?text=${encodeURIComponent(url)}`);
    assert.ok(await page.locator('#certificate dd[data-element]').count() >= 5);
    // Printing shows the certificate alone.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('#credential-body').isVisible(), false);
    assert.equal(await page.locator('.site-header').isVisible(), false);
    assert.equal(await page.locator('#certificate .certificate-page').isVisible(), true);
    await page.emulateMedia({ media: 'screen' });
    const shares = await page.evaluate(async () => (await fetch('/api/v1/shares')).json());
    const printed = shares.items.find((s) => s.recipient === en['print.recipient'] && s.state === 'active');
    assert.ok(printed, 'a share for the printed certificate');
    const days = (Date.parse(printed.expires_at) - Date.now()) / 86400000;
    assert.ok(days > 360 && days < 367, `expires in ${days} days`);
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('an award waiting in the wallet is added with one click; revoked by the issuer, the verify page says revoked', async () => {
  const award = await issueToLearner();
  const page = learnerPage;
  await step(page, 'claim from the wallet', async () => {
    await openPage(page, '/wallet');
    const card = page.locator('#claimable-list li', { hasText: award.title });
    await card.first().waitFor();
    await page.locator(`button[data-claim="${award.id}"]`).click();
    await page.locator('#mc-messages .message-success').waitFor();
    await page.locator(`button[data-claim="${award.id}"]`).waitFor({ state: 'detached' });
  });
  const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
  const mine = wallet.items.filter((i) => i.source === 'claimed');
  assert.equal(mine.length, 2);
  const item = await page.evaluate(async (id) => (await fetch(`/api/v1/wallet/${id}`)).json(),
    mine.find((i) => i.id !== claimedId).id);
  const r = await api(server.baseUrl, issuer, 'POST', `${ORG}/awards/${award.id}/revoke`, { json: { reason: 'Issued in error' } });
  assert.equal(r.status, 200, `revoke: ${r.text}`);

  const visitor = await newPage(browser, server.baseUrl);
  await step(visitor, 'verify the pasted credential', async () => {
    await openPage(visitor, '/verify');
    await visitor.getByLabel(en['verify.field.text'], { exact: true }).fill(JSON.stringify(item.credential));
    await visitor.getByRole('button', { name: en['verify.submit'] }).click();
    await visitor.locator('#verify-result:not([hidden])').waitFor();
    assert.equal(await visitor.locator('#verify-output .report').getAttribute('data-verdict'), 'revoked');
    assert.match(await visitor.locator('#verify-output .verdict-panel').innerText(), new RegExp(en['verdict.revoked'], 'i'));
    assert.equal(await visitor.locator('#verify-output li[data-check="status"]').getAttribute('data-status'), 'failed');
    assert.match(await visitor.locator('#verify-output').innerText(), new RegExp(en['check.bad.status']));
  });
  await step(visitor, 'the other credential still verifies', async () => {
    const other = await page.evaluate(async (id) => (await fetch(`/api/v1/wallet/${id}`)).json(), claimedId);
    await visitor.getByLabel(en['verify.field.text'], { exact: true }).fill(JSON.stringify(other.credential));
    await visitor.getByRole('button', { name: en['verify.submit'] }).click();
    await visitor.waitForFunction(() => document.querySelector('#verify-output .report')?.dataset.verdict === 'verified');
  });
  assert.deepEqual(visitor.consoleErrors, []);
  await visitor.context().close();
});

test('the sealed EDC sample imports verified; one character changed, it is NOT VERIFIED', async () => {
  const page = learnerPage;
  const original = readFileSync(EDC_SAMPLE, 'utf8');
  await step(page, 'import the sample', async () => {
    await openPage(page, '/wallet');
    await page.locator('#import-file').setInputFiles(EDC_SAMPLE);
    await page.getByRole('button', { name: en['wallet.import_submit'] }).click();
    await page.locator('#mc-messages .message-success').waitFor();
  });
  const items = (await page.evaluate(async () => (await fetch('/api/v1/wallet')).json())).items;
  const edc = items.find((i) => i.format === 'edc-jades');
  assert.ok(edc, 'the EDC is in the wallet');
  await step(page, 'its page', async () => {
    const row = page.locator(`tr[data-item="${edc.id}"]`);
    assert.equal(await row.locator('.verdict').getAttribute('data-verdict'), 'verified');
    await openPage(page, `/credential?id=${edc.id}`);
    await page.locator('#credential-body:not([hidden])').waitFor();
    assert.equal(await page.locator('#verification .report').getAttribute('data-verdict'), 'verified');
    const proof = page.locator('#verification li[data-check="proof"]');
    assert.equal(await proof.getAttribute('data-status'), 'passed');
    assert.match(await proof.innerText(), /e-seal/);
    // The issuer is not in the registry: a warning that says so, not a failure.
    assert.equal(await page.locator('#verification [data-warning="issuer-unknown"]').count(), 1);
    assert.ok(await page.locator('#elements dd[data-element]').count() >= 4, 'elements shown');
    assert.match(await page.locator('#elements').innerText(), /ORGANIZACION TEST/);
  });

  const tampered = original.replace('ORGANIZACION TEST', 'ORGANIZACION TESU');
  assert.notEqual(tampered, original);
  await step(page, 'import the tampered copy', async () => {
    await openPage(page, '/wallet');
    await page.locator('#import-file').setInputFiles({ name: 'tampered.jsonld', mimeType: 'application/ld+json', buffer: Buffer.from(tampered) });
    await page.getByRole('button', { name: en['wallet.import_submit'] }).click();
    await page.locator('#mc-messages .message-error').waitFor();
    assert.match(await page.locator('#mc-messages').innerText(), /NOT VERIFIED/);
  });
  const after = (await page.evaluate(async () => (await fetch('/api/v1/wallet')).json())).items;
  const bad = after.find((i) => i.format === 'edc-jades' && i.id !== edc.id);
  assert.ok(bad, 'the tampered copy is kept');
  assert.equal(bad.verified_on_import, false);
  await step(page, 'NOT VERIFIED in the list and on its page', async () => {
    const badge = page.locator(`tr[data-item="${bad.id}"] .verdict`);
    assert.equal(await badge.getAttribute('data-verdict'), 'not_verified');
    assert.equal((await badge.innerText()).toUpperCase(), 'NOT VERIFIED');
    await openPage(page, `/credential?id=${bad.id}`);
    await page.locator('#credential-body:not([hidden])').waitFor();
    assert.equal(await page.locator('#verification .report').getAttribute('data-verdict'), 'not_verified');
    assert.equal(await page.locator('#verification li[data-check="proof"]').getAttribute('data-status'), 'failed');
    assert.equal(await page.locator('#import-warning').isVisible(), true);
    assert.match((await page.locator('#credential-meta').innerText()).toUpperCase(), /NOT VERIFIED/);
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('the export holds the wallet with the originals', async () => {
  const page = learnerPage;
  await openPage(page, '/account');
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-link').click()]);
  const path = await download.path();
  const data = JSON.parse(readFileSync(path, 'utf8'));
  const text = JSON.stringify(data);
  const wallet = (await page.evaluate(async () => (await fetch('/api/v1/wallet')).json())).items;
  for (const item of wallet) assert.ok(text.includes(item.id), `export lacks wallet item ${item.id}`);
  // The sealed EDC's original bytes are in it (its signature value).
  const signature = JSON.parse(readFileSync(EDC_SAMPLE, 'utf8')).signatures[0].signature;
  assert.ok(text.includes(signature), 'the export holds the EDC original');
  assert.match(await page.locator('#issuer-keeps').innerText(), /Issuers keep their own record/);
});

test("another user gets 404 for the learner's credential", async () => {
  const page = await newPage(browser, server.baseUrl);
  await logIn(page, DEMO.orgAdmin);
  const status = await page.evaluate(async (id) => (await fetch(`/api/v1/wallet/${id}`)).status, claimedId);
  assert.equal(status, 404);
  await openPage(page, `/credential?id=${claimedId}`);
  await page.waitForFunction((h) => document.querySelector('main h1').textContent === h, en['credential.not_found']);
  assert.equal(await page.locator('#credential-body').isVisible(), false);
  assert.equal(await page.locator('#elements dd').count(), 0);
  const wallet = await page.evaluate(async () => (await fetch('/api/v1/wallet')).json());
  assert.equal(wallet.items.length, 0);
  await page.context().close();
  await learnerPage.context().close();
});
