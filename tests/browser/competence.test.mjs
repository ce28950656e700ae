// competence.test.mjs - competence maps in a real browser against the real
// server (issue 7, "done when" 1): the demo employer describes a role with
// four requirements and gives it to two staff members (registered here,
// members of demo-employer, holding credentials from demo-university that
// they claimed); both share their credentials on "Sharing with employers";
// the map shows one fully qualified and one with two gaps, with the
// catalogue offers that would fill them; counts of small groups are
// suppressed until the threshold is lowered; the CSV export names both;
// one withdraws consent and disappears from the map.
//
// Needs build/microcred (see harness.mjs) and /usr/bin/chromium:
//   node --test --test-concurrency=1 tests/browser/competence.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, openPage, logIn, api, apiLogin, DEMO, ROOT, step, confirm,
} from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const UNI = `/api/v1/organisations/${DEMO.orgSlug}`;
const EMP = 'demo-employer';
const HR = { email: 'hr@employer.demo.microcred.eu', password: DEMO.orgAdmin.password };
const SKILL_DATA = 'http://data.europa.eu/esco/skill/c0de-competence-browser-data';
const SKILL_SAFETY = 'http://data.europa.eu/esco/skill/c0de-competence-browser-safety';

let server;
let browser;
let issuer;
const specs = {};
const staff = {
  ana: { name: 'Ana Andersson', email: 'ana@staff.example.org' },
  ben: { name: 'Ben Berzins', email: 'ben@staff.example.org' },
};

function specification(title, outcome, skill) {
  const s = structuredClone(JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/credentials/full.json'), 'utf8')).specification);
  for (const k of ['id', 'version', 'versionId', 'awardingBodies', 'issuerCountries', 'qualityAssurance']) delete s[k];
  s.title = { en: title };
  s.learningOutcomes = [{ text: { en: outcome }, ...(skill ? { escoSkill: skill } : {}) }];
  return s;
}

async function publish(name, draft) {
  const c = await api(server.baseUrl, issuer, 'POST', `${UNI}/specifications`, { json: { draft } });
  assert.equal(c.status, 201, `create ${name}: ${c.text}`);
  const p = await api(server.baseUrl, issuer, 'POST', `${UNI}/specifications/${c.json.id}/publish`);
  assert.equal(p.status, 201, `publish ${name}: ${p.text}`);
  specs[name] = { id: c.json.id, url: p.json.url };
}

async function give(person, specName) {
  const a = await api(server.baseUrl, issuer, 'POST', `${UNI}/awards`, {
    json: { specification_id: specs[specName].id, learner: { name: person.name, email: person.email }, grade: 'Pass' },
  });
  assert.equal(a.status, 201, `award: ${a.text}`);
  const c = await api(server.baseUrl, person.session, 'POST', `/api/v1/wallet/awards/${a.json.id}`);
  assert.equal(c.status, 201, `claim: ${c.text}`);
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  issuer = await apiLogin(server.baseUrl, DEMO.issuer);
  const hr = await apiLogin(server.baseUrl, HR);
  await publish('data', specification('Sales data cleaning', 'Cleans sales data in a spreadsheet', SKILL_DATA));
  await publish('safety', specification('Workplace safety', 'Applies workplace safety rules', SKILL_SAFETY));
  await publish('customers', specification('Customer service', 'Handles customer complaints politely'));
  await publish('stock', specification('Stock management', 'Keeps stock levels right'));
  for (const person of Object.values(staff)) {
    const r = await api(server.baseUrl, null, 'POST', '/api/v1/auth/register', { json: { email: person.email, name: person.name, password: HR.password } });
    assert.equal(r.status, 201, r.text);
    person.session = await apiLogin(server.baseUrl, { email: person.email, password: HR.password });
    person.id = r.json.user.id;
    const m = await api(server.baseUrl, hr, 'POST', `/api/v1/organisations/${EMP}/members`, { json: { email: person.email, role: 'assessor' } });
    assert.equal(m.status, 201, m.text);
  }
  for (const s of ['data', 'safety', 'customers', 'stock']) await give(staff.ana, s);
  for (const s of ['data', 'safety']) await give(staff.ben, s);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const req = (page, i) => page.locator(`#role-reqs fieldset[data-path="requirements[${i}]"]`);
const inReq = (page, i, label) => req(page, i).getByLabel(label, { exact: true });
let hrPage;

test('the employer describes a role with four requirements and gives it to two staff members', async () => {
  const page = await newPage(browser, server.baseUrl);
  hrPage = page;
  await step(page, 'log in', () => logIn(page, HR));
  await step(page, 'open roles', async () => {
    await openPage(page, `/orgs/${EMP}/roles`);
    await req(page, 0).waitFor();
  });
  const description = en['roles.field.description'].replace('{lang}', 'English');
  await step(page, 'a problem is shown beside its requirement', async () => {
    await page.getByLabel(en['roles.field.name'], { exact: true }).fill('Shop analyst');
    await page.getByRole('button', { name: en['roles.save'] }).click();
    const err = req(page, 0).locator('.field-error');
    await err.waitFor();
    assert.match(await err.innerText(), /esco|text/);
  });
  await step(page, 'four requirements', async () => {
    await inReq(page, 0, description).fill('Cleans sales data');
    await inReq(page, 0, en['orgpw.field.esco']).fill(SKILL_DATA);
    for (let i = 1; i < 4; i++) {
      await page.getByRole('button', { name: en['roles.add_requirement'] }).click();
      await req(page, i).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement.dataset.key), 'description', 'focus goes to the new requirement');
    }
    await inReq(page, 1, description).fill('Works safely');
    await inReq(page, 1, en['roles.field.kind']).selectOption('credential');
    await inReq(page, 1, en['roles.field.specification']).fill(specs.safety.url);
    await inReq(page, 1, en['roles.field.max_age']).fill('730');
    await inReq(page, 2, description).fill('Handles customer complaints');
    await inReq(page, 2, en['orgpw.field.outcome_text']).fill('customer complaints');
    await inReq(page, 3, description).fill('Manages stock');
    await inReq(page, 3, en['orgpw.field.outcome_text']).fill('stock levels');
    await inReq(page, 3, en['roles.field.min_eqf']).selectOption('4');
    await page.getByRole('button', { name: en['roles.save'] }).click();
    await page.locator('.message-success').waitFor();
    const card = page.locator('#roles-list .role', { hasText: 'Shop analyst' });
    await card.waitFor();
    assert.equal(await card.locator('tbody tr').count(), 4);
    assert.match(await card.innerText(), /730 days/);
  });
  await step(page, 'give the role to both, by e-mail', async () => {
    for (const person of Object.values(staff)) {
      await page.getByLabel(en['field.email'], { exact: true }).fill(person.email);
      await page.getByLabel(en['roles.field.role'], { exact: true }).selectOption({ label: 'Shop analyst' });
      await page.getByRole('button', { name: en['roles.assign'] }).click();
      await page.locator('.message-success', { hasText: person.email }).waitFor();
      await page.locator('#assignments tbody tr', { hasText: person.email }).waitFor(); // listed at once
    }
    assert.equal(await page.locator('#assignments tbody tr', { hasText: 'Shop analyst' }).count(), 2);
    await page.getByLabel(en['field.email'], { exact: true }).fill('nobody@example.org');
    await page.getByLabel(en['roles.field.role'], { exact: true }).selectOption({ label: 'Shop analyst' });
    await page.getByRole('button', { name: en['roles.assign'] }).click();
    await page.locator('#staff-email-error, #staff-form .field-error').first().waitFor();
  });
  assert.deepEqual(page.consoleErrors, []);
});

const sharePages = {};

test('both staff members share their credentials with the employer', async () => {
  for (const [key, person] of Object.entries(staff)) {
    const page = await newPage(browser, server.baseUrl);
    sharePages[key] = page;
    await step(page, `${key}: log in`, () => logIn(page, { email: person.email, password: HR.password }));
    await step(page, `${key}: share`, async () => {
      await openPage(page, '/sharing-with-employers');
      await page.locator('#consents-list .empty').waitFor();
      await page.getByLabel(en['consents.field.organisation'], { exact: true }).selectOption(EMP);
      const boxes = page.locator('#consent-items input[type="checkbox"]');
      const n = await boxes.count();
      assert.equal(n, key === 'ana' ? 4 : 2);
      for (let i = 0; i < n; i++) await boxes.nth(i).check();
      await page.getByRole('button', { name: en['consents.share'], exact: true }).click();
      await page.locator('.message-success').waitFor();
      const org = page.locator(`#consents-list .consent-org[data-org="${EMP}"]`);
      assert.equal(await org.locator('li').count(), n);
    });
    assert.deepEqual(page.consoleErrors, []);
  }
});

test('the map: one fully qualified, one with two gaps and the offers that fill them; small groups suppressed', async () => {
  const page = hrPage;
  await step(page, 'open the map', async () => {
    await openPage(page, `/orgs/${EMP}/competence`);
    await page.locator('#map-people .person').first().waitFor();
  });
  const ana = page.locator(`#map-people .person[data-person="${staff.ana.id}"]`);
  const ben = page.locator(`#map-people .person[data-person="${staff.ben.id}"]`);
  await step(page, 'people', async () => {
    assert.equal(await page.locator('#map-people .person').count(), 2);
    assert.equal(await ana.getAttribute('data-missing'), '0');
    assert.equal(await ana.locator('[data-state]').getAttribute('data-state'), 'qualified');
    assert.match(await ana.locator('h3').innerText(), /Fully qualified/);
    assert.equal(await ben.getAttribute('data-missing'), '2');
    assert.match(await ben.locator('h3').innerText(), /2 gaps/);
    const gaps = ben.locator('tr[data-met="no"]');
    assert.equal(await gaps.count(), 2);
    assert.match(await gaps.nth(0).innerText(), /Handles customer complaints/);
    assert.match(await gaps.nth(1).innerText(), /Manages stock/);
    // Offers from the catalogue that would fill each gap.
    await gaps.nth(0).locator('ul.offers:not([aria-busy])').waitFor();
    await gaps.nth(1).locator('ul.offers:not([aria-busy])').waitFor();
    assert.match(await gaps.nth(0).locator('ul.offers').innerText(), /Customer service/);
    assert.match(await gaps.nth(1).locator('ul.offers').innerText(), /Stock management/);
    const href = await gaps.nth(0).locator('ul.offers a').first().getAttribute('href');
    assert.match(href, /^\/catalogue\?q=Customer/);
    const met = ben.locator('tr[data-requirement="r2"]');
    assert.match(await met.innerText(), /Workplace safety/, 'met with which credential');
  });
  await step(page, 'counts of fewer than 5 are suppressed; with 2 they show', async () => {
    const cells = page.locator('#map-matrix td.coverage');
    assert.equal(await cells.count(), 4);
    for (const text of await cells.allInnerTexts()) assert.equal(text, 'fewer than 5');
    await page.getByLabel(en['competence.field.threshold'], { exact: true }).fill('2');
    await page.getByRole('button', { name: en['competence.apply'], exact: true }).click();
    await page.locator('#map-matrix td.coverage', { hasText: '2' }).first().waitFor();
    assert.deepEqual(await page.locator('#map-matrix td.coverage').allInnerTexts(), ['2', '2', '1', '1']);
    const gapRows = page.locator('#map-gaps tbody tr');
    assert.equal(await gapRows.count(), 2);
    assert.deepEqual(await page.locator('#map-gaps td.coverage').allInnerTexts(), ['fewer than 2', 'fewer than 2']);
    assert.match(await page.locator('#export-csv').getAttribute('href'), /format=csv&threshold=2/);
  });
  await step(page, 'one person at a time', async () => {
    await page.getByLabel(en['competence.field.person'], { exact: true }).selectOption({ label: staff.ben.name });
    await page.getByRole('button', { name: en['competence.apply'], exact: true }).click();
    await page.locator(`#map-people .person[data-person="${staff.ana.id}"]`).waitFor({ state: 'detached' });
    assert.equal(await page.locator('#map-people .person').count(), 1);
    await page.getByLabel(en['competence.field.person'], { exact: true }).selectOption('');
    await page.getByRole('button', { name: en['competence.apply'], exact: true }).click();
    await ana.waitFor();
  });
  await step(page, 'the CSV export names both', async () => {
    const href = await page.locator('#export-csv').getAttribute('href');
    const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
    assert.match(csv, /^person,role,requirement,met,credential,expires,expiring/);
    assert.ok(csv.includes(staff.ana.name) && csv.includes(staff.ben.name));
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('one withdraws consent and disappears from the map', async () => {
  const page = sharePages.ana;
  await step(page, 'withdraw everything', async () => {
    const button = page.locator(`button[data-withdraw-all="${EMP}"]`);
    assert.match(await button.getAttribute('aria-label'), /^Stop sharing everything with /, 'the button names the organisation');
    await button.click();
    await confirm(page);
    await page.locator('.message-success').waitFor();
    await page.locator('#consents-list .empty').waitFor();
  });
  const hr = hrPage;
  await step(hr, 'the map no longer shows her', async () => {
    await openPage(hr, `/orgs/${EMP}/competence`);
    await hr.locator('#map-people .person').first().waitFor();
    assert.equal(await hr.locator('#map-people .person').count(), 1);
    assert.equal(await hr.locator(`#map-people .person[data-person="${staff.ana.id}"]`).count(), 0);
    assert.equal(await hr.locator(`#map-people .person[data-person="${staff.ben.id}"]`).count(), 1);
  });
  assert.deepEqual(page.consoleErrors, []);
  assert.deepEqual(hr.consoleErrors, []);
});
