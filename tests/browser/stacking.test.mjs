// stacking.test.mjs - pathways in a real browser against the real server
// (issue 7, "done when" 2): a learner holding three micro-credentials from
// two issuers - demo-university and a second organisation created and
// approved here through the API - follows a pathway that demo-university
// defined with the rule builder, sees it met, asks for review; the
// organisation declines without a reason (refused, shown beside the field),
// then accepts; the learner's page shows the credential issued with its
// parts, the learner accepts it in the wallet and its page says verified,
// and its relatedResource lists the three parts with their digests.
//
// Needs build/microcred (see harness.mjs) and /usr/bin/chromium:
//   node --test --test-concurrency=1 tests/browser/stacking.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, launchBrowser, newPage, openPage, waitReady, logIn, api, apiLogin, DEMO, ROOT, step,
} from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const UNI = `/api/v1/organisations/${DEMO.orgSlug}`;
const SECOND = 'nordic-welding-school';
const SKILL_INSPECT = 'http://data.europa.eu/esco/skill/b1e9-stacking-browser-inspect';

let server;
let browser;
let issuer;   // API session of the demo-university issuer
let founder;  // org-admin of the second organisation
let learnerApi;
const specs = {}; // name -> {id, url}
const items = {}; // name -> wallet item id of the learner
let pathwayName;

function specification(title, outcome, { skill, grading = true } = {}) {
  const s = structuredClone(JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/credentials/full.json'), 'utf8')).specification);
  for (const k of ['id', 'version', 'versionId', 'awardingBodies', 'issuerCountries', 'qualityAssurance']) delete s[k];
  s.title = { en: title };
  s.learningOutcomes = [{ text: { en: outcome }, ...(skill ? { escoSkill: skill } : {}) }];
  if (!grading) delete s.grading;
  return s;
}

async function publish(auth, org, name, draft) {
  const c = await api(server.baseUrl, auth, 'POST', `${org}/specifications`, { json: { draft } });
  assert.equal(c.status, 201, `create ${name}: ${c.text}`);
  const p = await api(server.baseUrl, auth, 'POST', `${org}/specifications/${c.json.id}/publish`);
  assert.equal(p.status, 201, `publish ${name}: ${p.text}`);
  specs[name] = { id: c.json.id, url: p.json.url };
}

async function award(auth, org, name) {
  const r = await api(server.baseUrl, auth, 'POST', `${org}/awards`, {
    json: { specification_id: specs[name].id, learner: { name: 'Liis Learner', email: DEMO.learner.email }, grade: 'Pass' },
  });
  assert.equal(r.status, 201, `award ${name}: ${r.text}`);
  const c = await api(server.baseUrl, learnerApi, 'POST', `/api/v1/wallet/awards/${r.json.id}`);
  assert.equal(c.status, 201, `claim ${name}: ${c.text}`);
  items[name] = c.json.id;
}

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  issuer = await apiLogin(server.baseUrl, DEMO.issuer);
  learnerApi = await apiLogin(server.baseUrl, DEMO.learner);

  // A second organisation: registered by its founder, approved by the
  // platform administrator.
  const email = 'founder@nordic-welding.example.org';
  const reg = await api(server.baseUrl, null, 'POST', '/api/v1/auth/register', { json: { email, name: 'Nora Founder', password: DEMO.learner.password } });
  assert.equal(reg.status, 201, reg.text);
  founder = await apiLogin(server.baseUrl, { email, password: DEMO.learner.password });
  const org = await api(server.baseUrl, founder, 'POST', '/api/v1/organisations', {
    json: {
      slug: SECOND, legal_name: 'Nordic Welding School', legal_id_scheme: 'EU:VAT', legal_id: 'SE559900112201',
      country: 'SE', contact_email: 'office@nordic-welding.example.org', website: 'https://nordic-welding.example.org',
    },
  });
  assert.equal(org.status, 201, org.text);
  const admin = await apiLogin(server.baseUrl, DEMO.platformAdmin);
  const ok = await api(server.baseUrl, admin, 'POST', `/api/v1/organisations/${SECOND}/approve`);
  assert.equal(ok.status, 200, ok.text);
  const qa = await api(server.baseUrl, founder, 'POST', `/api/v1/organisations/${SECOND}/qa-records`, {
    json: { qa_type: 'external', framework: 'EQAVET', body: 'Skolverket', date: '2024-03-01', evidence_url: 'https://www.skolverket.se/' },
  });
  assert.equal(qa.status, 201, qa.text);

  await publish(issuer, UNI, 'basics', specification('Pipe welding basics', 'Prepares steel pipes for welding'));
  await publish(issuer, UNI, 'safety', specification('Welding safety', 'Works safely with welding gas'));
  await publish(founder, `/api/v1/organisations/${SECOND}`, 'inspection', specification('Weld inspection', 'Inspects welds visually', { skill: SKILL_INSPECT }));
  await publish(issuer, UNI, 'technician', specification('Welding technician', 'Welds and inspects pipelines', { grading: false }));
  await award(issuer, UNI, 'basics');
  await award(issuer, UNI, 'safety');
  await award(founder, `/api/v1/organisations/${SECOND}`, 'inspection');
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// The fieldset of rule `path` ("rules", "rules.rules[0]", ...) in the builder.
const rule = (page, path) => page.locator(`#pw-rules fieldset[data-path="${path}"]`);
const inRule = (page, path, label) => rule(page, path).getByLabel(label, { exact: true }).first();

let orgPage;
let learnerPage;

test('demo-university defines the pathway with the rule builder; problems show beside the rule', async () => {
  const page = await newPage(browser, server.baseUrl);
  orgPage = page;
  await step(page, 'log in', () => logIn(page, DEMO.orgAdmin));
  await step(page, 'open the pathways page', async () => {
    await openPage(page, `/orgs/${DEMO.orgSlug}/org-pathways`);
    await page.locator('#pw-rules fieldset[data-path="rules"]').waitFor();
  });
  pathwayName = 'Welding technician pathway';
  await step(page, 'build the rules', async () => {
    await page.getByLabel(en['orgpw.field.name'], { exact: true }).fill(pathwayName);
    // Top rule "all of", with a credential rule already in it; leave its
    // specification empty first to see the server's problem beside it.
    await inRule(page, 'rules.rules[0]', en['orgpw.field.rule_description'].replace('{lang}', 'English')).fill('Pipe welding basics');
    await page.getByRole('button', { name: en['orgpw.save'] }).click();
    const err = rule(page, 'rules.rules[0]').locator('.field-error');
    await err.waitFor();
    assert.match(await err.innerText(), /specification/);
    const select = inRule(page, 'rules.rules[0]', en['orgpw.field.type']);
    assert.equal(await select.getAttribute('aria-invalid'), 'true');
    assert.ok((await select.getAttribute('aria-describedby')).includes(await err.getAttribute('id')), 'the error is tied to the field');
    await inRule(page, 'rules.rules[0]', en['orgpw.field.specification']).fill(specs.basics.url);

    // A second rule: a credential of the other organisation's specification.
    await rule(page, 'rules').locator('> .actions button[data-act="add"]').click();
    await inRule(page, 'rules.rules[1]', en['orgpw.field.specification']).fill(specs.inspection.url);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.dataset.key), 'specification',
      'focus stays where the user typed');

    // A third: "at least 1 of" an ESCO outcome and a words outcome.
    await rule(page, 'rules').locator('> .actions button[data-act="add"]').click();
    await inRule(page, 'rules.rules[2]', en['orgpw.field.type']).selectOption('any');
    assert.equal(await page.evaluate(() => document.activeElement.id), await inRule(page, 'rules.rules[2]', en['orgpw.field.type']).getAttribute('id'),
      'focus stays on the kind after the rule is redrawn');
    await inRule(page, 'rules.rules[2].rules[0]', en['orgpw.field.type']).selectOption('outcome');
    await inRule(page, 'rules.rules[2].rules[0]', en['orgpw.field.outcome_text']).fill('working safely with welding gas');
    await rule(page, 'rules.rules[2]').locator('> .actions button[data-act="add"]').click();
    await inRule(page, 'rules.rules[2].rules[1]', en['orgpw.field.type']).selectOption('outcome');
    await inRule(page, 'rules.rules[2].rules[1]', en['orgpw.field.outcome_text']).fill('welding gas');
    // A fourth rule, then removed again.
    await rule(page, 'rules').locator('> .actions button[data-act="add"]').click();
    await inRule(page, 'rules.rules[3]', en['orgpw.field.type']).selectOption('credits');
    await rule(page, 'rules.rules[3]').getByRole('button', { name: en['orgpw.remove_rule_named'].replace('{rule}', 'Rule 4') }).click();
    assert.equal(await rule(page, 'rules.rules[3]').count(), 0);

    // The "in words" preview says it as people will read it.
    const words = await page.locator('#pw-words').innerText();
    assert.match(words, /All of the following/);
    assert.match(words, /Pipe welding basics/);
    assert.match(words, /At least 1 of the following/);
    assert.match(words, /welding gas/);

    await page.getByLabel(en['orgpw.field.target'], { exact: true }).selectOption({ label: 'Welding technician' });
    await page.getByRole('button', { name: en['orgpw.save'] }).click();
    await page.locator('.message-success').waitFor();
  });
  await step(page, 'the pathway is listed', async () => {
    const card = page.locator('#pw-list .card', { hasText: pathwayName });
    await card.waitFor();
    assert.match(await card.innerText(), /Issues: Welding technician/);
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('the learner follows the pathway, sees it met with three credentials from two issuers, and asks for review', async () => {
  const page = await newPage(browser, server.baseUrl);
  learnerPage = page;
  await step(page, 'log in', () => logIn(page, DEMO.learner));
  await step(page, 'follow it on the public list', async () => {
    await openPage(page, '/pathways');
    const card = page.locator('#pathways .card', { hasText: pathwayName });
    await card.getByRole('button', { name: en['pathways.follow_named'].replace('{name}', pathwayName) }).click();
    await page.locator('.message-success').waitFor();
    await card.locator('button[data-unfollow]').waitFor();
    await openPage(page, '/pathways'); // the list remembers it on a later visit
    await card.locator('button[data-unfollow]').waitFor();
    await Promise.all([page.waitForURL('**/pathway?id=*'), card.getByRole('link', { name: en['pathways.see_progress'] }).click()]);
    await waitReady(page);
  });
  await step(page, 'progress: met', async () => {
    await page.locator('#pathway-state').waitFor();
    assert.equal(await page.locator('#pathway-state').getAttribute('data-met'), 'yes');
    assert.equal(await page.locator('main h1').innerText(), pathwayName);
    const results = page.locator('#pathway-rules li.rule-result');
    assert.equal(await results.count(), 6, 'top, two credentials, the group and its two outcomes');
    const first = page.locator('#pathway-rules li.rule-result', { hasText: 'Pipe welding basics' }).first();
    assert.equal(await first.getAttribute('data-met'), 'yes');
    assert.match(await first.innerText(), /Met by:\s*Pipe welding basics/);
    const second = results.nth(2);
    assert.match(await second.innerText(), /Weld inspection/, 'the other issuer\'s credential meets the second rule');
    const rows = page.locator('#pathway-eligible tbody tr');
    assert.equal(await rows.count(), 3);
    for (const id of Object.values(items)) {
      assert.equal(await page.locator(`#pathway-eligible tr[data-item="${id}"] [data-met]`).getAttribute('data-met'), 'yes');
    }
  });
  await step(page, 'ask for review', async () => {
    await page.getByRole('button', { name: en['pathway.ask'] }).click();
    await page.locator('.message-success').waitFor();
    const req = page.locator('#pathway-requests .request');
    assert.equal(await req.getAttribute('data-status'), 'pending');
    assert.equal(await page.locator('#ask-review').count(), 0, 'no second request while one is pending');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'requests-heading');
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('the organisation declines only with a reason, then accepts and issues', async () => {
  const page = orgPage;
  await step(page, 'the queue shows the request', async () => {
    await openPage(page, `/orgs/${DEMO.orgSlug}/org-pathways`);
    const card = page.locator('#pw-requests .request', { hasText: 'Liis Learner' });
    await card.waitFor();
    assert.match(await card.innerText(), new RegExp(`For ${pathwayName}`));
    assert.match(await card.innerText(), /Pipe welding basics/);
    assert.match(await card.innerText(), /Weld inspection/);
  });
  const card = page.locator('#pw-requests .request', { hasText: 'Liis Learner' });
  await step(page, 'decline without a reason is refused beside the field', async () => {
    await card.locator('button[value="decline"]').click();
    const err = card.locator('.field-error');
    await err.waitFor();
    const reason = card.getByLabel(en['orgpw.field.reason'], { exact: true });
    assert.equal(await reason.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.name), 'reason', 'focus goes to the field at fault');
  });
  await step(page, 'accept and issue', async () => {
    await card.locator('button[value="accept"]').click();
    await page.locator('.message-success').waitFor();
    await page.locator('#pw-requests .empty').waitFor();
    await page.locator('#pw-req-status').selectOption('');
    const done = page.locator('#pw-requests .request[data-status="accepted"]');
    await done.waitFor();
  });
  assert.deepEqual(page.consoleErrors, []);
});

test('the learner sees the credential issued with its parts; it verifies and lists them', async () => {
  const page = learnerPage;
  let stackedItem;
  await step(page, 'the request is accepted and names its parts', async () => {
    await page.reload();
    await waitReady(page);
    const req = page.locator('#pathway-requests .request');
    await req.waitFor();
    assert.equal(await req.getAttribute('data-status'), 'accepted');
    assert.match(await req.innerText(), /issued the credential/);
    const parts = req.locator('.parts li');
    assert.equal(await parts.count(), 3);
    const text = (await parts.allInnerTexts()).join(' | ');
    for (const t of ['Pipe welding basics', 'Welding safety', 'Weld inspection']) assert.ok(text.includes(t), `${t} in ${text}`);
  });
  await step(page, 'accept it in the wallet', async () => {
    await Promise.all([page.waitForURL('**/wallet'), req(page).getByRole('link', { name: en['pathway.issued_link'] }).click()]);
    await waitReady(page);
    await page.locator('#claimable-list button[data-claim]').first().click();
    await page.locator('.message-success').waitFor();
    const link = page.locator('#items a', { hasText: 'Welding technician' });
    await Promise.all([page.waitForURL('**/credential?id=*'), link.click()]);
    await waitReady(page);
    stackedItem = new URL(page.url()).searchParams.get('id');
  });
  await step(page, 'its page says verified', async () => {
    await page.locator('#verification .report').waitFor();
    assert.equal(await page.locator('#verification .report').getAttribute('data-verdict'), 'verified');
  });
  await step(page, 'its relatedResource lists the three parts with their digests, and it verifies', async () => {
    const dl = await api(server.baseUrl, learnerApi, 'GET', `/api/v1/wallet/${stackedItem}/download`);
    assert.equal(dl.status, 200);
    const cred = JSON.parse(dl.text);
    const parts = cred.relatedResource;
    assert.equal(parts.length, 3, JSON.stringify(parts));
    for (const id of Object.values(items)) {
      const part = await api(server.baseUrl, learnerApi, 'GET', `/api/v1/wallet/${id}/download`);
      const entry = parts.find((p) => p.id === JSON.parse(part.text).id);
      assert.ok(entry, `part ${id}`);
      assert.equal(entry.digestSRI, `sha384-${createHash('sha384').update(part.text).digest('base64')}`);
    }
    const v = await api(server.baseUrl, null, 'POST', '/api/v1/verify', { json: cred });
    assert.equal(v.json.valid, true, JSON.stringify(v.json.checks));
  });
  assert.deepEqual(page.consoleErrors, []);
});

const req = (page) => page.locator('#pathway-requests .request');
