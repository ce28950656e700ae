// organisation-pages.test.mjs - the organisation pages end to end in a real
// browser against the real server: a new user registers an organisation,
// the platform admin approves it, its admin adds and removes a QA record,
// adds and removes a member, creates an API token (shown once) and revokes
// it. Also: a problem document's field errors appear beside the fields.
//
//   node --test --test-concurrency=1 tests/browser/organisation-pages.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, openPage, waitReady, logIn, DEMO, ROOT } from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const stamp = Date.now().toString(36);
const founder = { email: `founder-${stamp}@example.test`, password: 'founder password 1', name: 'Fia Founder' };
const colleague = { email: `colleague-${stamp}@example.test`, password: 'colleague password 1', name: 'Cai Colleague' };
const slug = `test-academy-${stamp}`;

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

async function signUp(page, who) {
  await openPage(page, '/signup');
  await page.fill('#signup-name', who.name);
  await page.fill('#signup-email', who.email);
  await page.fill('#signup-password', who.password);
  await Promise.all([page.waitForURL('**/account'), page.click('#signup-form button[type="submit"]')]);
  await waitReady(page);
}

// Waits for the live region to say `text` (and fails with what it said).
async function expectMessage(page, text) {
  const region = page.locator('#mc-messages');
  try {
    await page.waitForFunction((t) => document.getElementById('mc-messages')?.innerText.includes(t), text, { timeout: 10000 });
  } catch (e) {
    const said = await region.innerText().catch(() => '');
    const form = await page.locator('.form-error').allInnerTexts();
    throw new Error(`expected the message "${text}", the page says "${said}" ${form.join(' | ')} on ${page.url()}`);
  }
}

test('register, approve, QA records, members and tokens', async () => {
  // A colleague needs an account before they can be added.
  const other = await newPage(browser, server.baseUrl);
  await signUp(other, colleague);
  await other.context().close();

  const page = await newPage(browser, server.baseUrl);
  await signUp(page, founder);

  // Register the organisation.
  await openPage(page, '/new-organisation');
  await page.getByLabel(en['org.field.legal_name'], { exact: true }).fill('Test Academy');
  await page.getByLabel(en['org.field.slug'], { exact: true }).fill(slug);
  await page.getByLabel(en['org.field.legal_id_scheme'], { exact: true }).fill('VAT');
  await page.getByLabel(en['org.field.legal_id'], { exact: true }).fill('SE556677889901');
  await page.getByLabel(en['org.field.country'], { exact: true }).selectOption('SE');
  await page.getByLabel(en['org.field.address'], { exact: true }).fill('Storgatan 1\n111 22 Stockholm');
  await page.getByLabel(en['org.field.website'], { exact: true }).fill('https://academy.example.test');
  await page.getByLabel(en['org.field.contact_email'], { exact: true }).fill('info@academy.example.test');
  await Promise.all([page.waitForURL(`**/orgs/${slug}`), page.click('#neworg-form button[type="submit"]')]);
  await waitReady(page);
  await page.locator('#org-body').waitFor();
  assert.equal(await page.locator('main h1').innerText(), 'Test Academy');
  assert.equal(await page.locator('#org-meta').innerText(), en['status.pending']);
  assert.equal(await page.locator('#approve-button').isVisible(), false, 'only a platform admin may approve');

  // The platform admin approves it.
  const admin = await newPage(browser, server.baseUrl);
  await logIn(admin, DEMO.platformAdmin);
  await openPage(admin, `/orgs/${slug}`);
  await admin.locator('#approve-button').click();
  await expectMessage(admin, en['org.approved']);
  assert.equal(await admin.locator('#org-meta').innerText(), en['status.approved']);
  await admin.context().close();

  // QA record: add, see it, remove it (through the confirmation dialog).
  await openPage(page, `/orgs/${slug}`);
  assert.equal(await page.locator('#org-meta').innerText(), en['status.approved']);
  const qa = page.locator('#qa-form');
  await qa.getByLabel(en['qa.field.qa_type'], { exact: true }).selectOption('external');
  await qa.getByLabel(en['qa.field.date'], { exact: true }).fill('2024-05-31');
  await qa.getByLabel(en['qa.field.framework'], { exact: true }).fill('ESG 2015');
  await qa.getByLabel(en['qa.field.body'], { exact: true }).fill('Swedish Higher Education Authority');
  await qa.getByLabel(en['qa.field.evidence_url'], { exact: true }).fill('https://www.uka.se/');
  await qa.getByRole('button', { name: en['qa.add'] }).click();
  await expectMessage(page, en['qa.added']);
  const row = page.locator('#qa-list tbody tr');
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /ESG 2015/);
  assert.match(await row.innerText(), /Swedish Higher Education Authority/);
  await page.getByRole('button', { name: 'Remove quality assurance record ESG 2015' }).click();
  await page.locator('dialog.confirm').getByRole('button', { name: en['qa.remove'] }).click();
  await expectMessage(page, en['qa.removed']);
  assert.equal(await page.locator('#qa-list tbody tr').count(), 0);

  // Members: add the colleague as issuer, then remove them again.
  await openPage(page, `/orgs/${slug}/members`);
  await page.fill('#member-email', colleague.email);
  await page.selectOption('#member-role', 'issuer');
  await page.click('#members-form button[type="submit"]');
  await expectMessage(page, `${colleague.email}`);
  const members = page.locator('#members-list tbody tr');
  assert.equal(await members.count(), 2);
  assert.match(await page.locator('#members-list').innerText(), new RegExp(colleague.name));
  await page.getByRole('button', { name: `Remove ${colleague.name} as ${en['role.issuer']}` }).click();
  await page.locator('dialog.confirm').getByRole('button', { name: en['members.remove'] }).click();
  await expectMessage(page, `${colleague.name}`);
  assert.equal(await members.count(), 1);

  // Adding someone without an account shows the server's problem at the form.
  await page.fill('#member-email', `nobody-${stamp}@example.test`);
  await page.click('#members-form button[type="submit"]');
  await page.locator('#members-form .form-error').waitFor();

  // Tokens: create one, see the secret once, revoke it.
  await openPage(page, `/orgs/${slug}/tokens`);
  await page.fill('#token-name', 'student records');
  await page.selectOption('#token-role', 'issuer');
  await page.click('#tokens-form button[type="submit"]');
  await page.locator('#token-created').waitFor();
  const secret = await page.locator('#token-value').inputValue();
  assert.match(secret, /^mct_/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'token-created');
  assert.match(await page.locator('#tokens-list tbody').innerText(), /student records/);
  await page.click('#token-done');
  assert.equal(await page.locator('#token-created').isVisible(), false);
  assert.equal(await page.locator('#token-value').inputValue(), '');
  await page.reload();
  await waitReady(page);
  assert.equal((await page.content()).includes(secret), false, 'the secret is never shown again');
  await page.getByRole('button', { name: 'Revoke token student records' }).click();
  await page.locator('dialog.confirm').getByRole('button', { name: en['tokens.revoke'] }).click();
  await expectMessage(page, en['tokens.revoked'].replace('{name}', 'student records'));
  assert.equal(await page.getByRole('button', { name: 'Revoke token student records' }).count(), 0);

  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

test('field errors from a problem document appear beside their fields', async () => {
  const page = await newPage(browser, server.baseUrl);
  await openPage(page, '/signup');
  // Passes the browser's own checks, fails the server's: the address is taken.
  await page.fill('#signup-name', 'Second Admin');
  await page.fill('#signup-email', DEMO.platformAdmin.email);
  await page.fill('#signup-password', 'long enough password');
  await page.click('#signup-form button[type="submit"]');
  await page.locator('#signup-form .form-error').waitFor();
  const summary = await page.locator('#signup-form .form-error').innerText();
  assert.ok(summary.trim().length > 0, 'the problem detail is shown');
  // The field at fault (if the server names one) is marked and described.
  const invalid = page.locator('#signup-form [aria-invalid="true"]');
  if (await invalid.count()) {
    const described = await invalid.first().getAttribute('aria-describedby');
    assert.ok(described, 'an invalid field points to its error text');
    const id = described.split(/\s+/).pop();
    assert.ok((await page.locator(`#${id}`).innerText()).trim().length > 0);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-invalid')), 'true');
  }
  assert.match(page.url(), /\/signup$/);
  await page.context().close();
});
