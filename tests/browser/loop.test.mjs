// loop.test.mjs - learners in the loop, end to end in a real browser
// against the real server (the "done when"): a learner requests a
// micro-credential by validation of prior learning with a file; the
// assessor asks for more; the learner adds a statement and another file;
// the assessor accepts; an issuer issues it from the assessment page; the
// learner claims it and the credential says it came from validation of
// prior learning; the learner leaves feedback, and the provider sees it
// aggregated with another learner's. The public statistics page shows the
// awards, with small counts hidden.
//
// The server runs with --stats-threshold 2 (the smallest allowed) so that
// two answers are enough to be shown; it is started here rather than by
// harness.startServer, which takes no server options.
//
//   node --test --test-concurrency=1 tests/browser/loop.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, readdirSync, existsSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, newPage, openPage, waitReady, logIn, apiLogin, api, freePort, DEMO, ROOT, BIN } from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const ORG = `/orgs/${DEMO.orgSlug}`;
const API_ORG = `/api/v1/organisations/${DEMO.orgSlug}`;
const ASSESSOR = { email: 'assessor@uni.demo.microcred.eu', password: 'demo-password-1' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let server;
let browser;
let specId;
let requestUrl;
let learnerPage;

// A demo database and `microcred serve --stats-threshold 2` on a free port.
async function startLoopServer() {
  const dir = mkdtempSync(join(tmpdir(), 'mc-loop-'));
  const db = `sqlite:${join(dir, 'db.sqlite')}`;
  const key = join(dir, 'master.key');
  const d = spawnSync(BIN, ['demo', '--db', db, '--master-key-file', key], { cwd: ROOT, encoding: 'utf8' });
  if (d.status !== 0) throw new Error(`demo failed: ${d.stdout}${d.stderr}`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const outbox = join(dir, 'outbox');
  const logPath = join(dir, 'server.log');
  const fd = openSync(logPath, 'a');
  const child = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', baseUrl, '--master-key-file', key,
    '--outbox', outbox, '--evidence-dir', join(dir, 'evidence'), '--stats-threshold', '2'], { cwd: ROOT, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise((r) => child.on('exit', r));
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${baseUrl}/healthz`)).status === 200) break; } catch { /* not yet */ }
    if (i > 150 || child.exitCode !== null) throw new Error(`server did not start: ${readFileSync(logPath, 'utf8')}`);
    await sleep(100);
  }
  return {
    baseUrl, outbox, log: () => readFileSync(logPath, 'utf8'),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (!process.env.MC_TEST_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The claim token of the newest e-mail to `email`.
function claimToken(email) {
  if (!existsSync(server.outbox)) return undefined;
  let found;
  for (const f of readdirSync(server.outbox).filter((n) => n.endsWith('.eml')).sort()) {
    const text = readFileSync(join(server.outbox, f), 'utf8');
    const m = text.includes(email) && /\/claim\/([A-Za-z0-9_-]{20,})/.exec(text);
    if (m) found = m[1];
  }
  return found;
}

async function expectMessage(page, text, timeout = 15000) {
  try {
    await page.waitForFunction((x) => document.getElementById('mc-messages')?.innerText.includes(x), text, { timeout });
  } catch {
    const said = await page.locator('#mc-messages').innerText().catch(() => '');
    const form = await page.locator('.form-error').allInnerTexts();
    throw new Error(`expected the message "${text}"; the page says "${said}" ${JSON.stringify(form)}\n${server.log().slice(-1500)}`);
  }
}

before(async () => {
  server = await startLoopServer();
  browser = await launchBrowser();
  const staff = await apiLogin(server.baseUrl, DEMO.orgAdmin);
  const s = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'credentials', 'full.json'), 'utf8')).specification;
  for (const k of ['id', 'version', 'versionId', 'awardingBodies', 'issuerCountries', 'qualityAssurance']) delete s[k];
  s.title = { en: 'Retail data literacy (validation)' };
  const c = await api(server.baseUrl, staff, 'POST', `${API_ORG}/specifications`, { json: { draft: s } });
  assert.equal(c.status, 201, c.text);
  specId = c.json.id;
  const p = await api(server.baseUrl, staff, 'POST', `${API_ORG}/specifications/${specId}/publish`);
  assert.equal(p.status, 201, p.text);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('a learner requests validation of prior learning with a file', async () => {
  learnerPage = await newPage(browser, server.baseUrl);
  const page = learnerPage;
  await logIn(page, DEMO.learner);
  await openPage(page, `/request?org=${DEMO.orgSlug}&spec=${specId}`);
  await page.locator('#new-heading', { hasText: 'Retail data literacy' }).waitFor();
  await page.getByLabel(en['loop.kind.validation']).check();
  await page.getByLabel(en['request.field.statement']).fill('Three years of weekly sales reports at Example Retail.');
  await page.locator('#new-links').fill('https://portfolio.example.org/reports');
  await page.locator('#new-files').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: PDF });
  await Promise.all([page.waitForURL('**/request?id=*'), page.getByRole('button', { name: en['request.submit'] }).click()]);
  await waitReady(page);
  requestUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  await expectMessage(page, en['request.sent']);
  await page.locator('#view-evidence a', { hasText: 'certificate.pdf' }).waitFor();
  assert.equal(await page.locator('#view-facts [data-status]').innerText(), en['loop.status.submitted']);
  assert.match(await page.locator('#view-facts').innerText(), new RegExp(en['loop.kind.validation']));
  // The learner's list shows it.
  await openPage(page, '/requests');
  await page.locator('#requests-list tr[data-request]').first().waitFor();
  assert.equal(await page.locator('#requests-list tr[data-request]').count(), 1);
  assert.deepEqual(page.consoleErrors, []);
});

let assessorPage;
test('the assessor downloads the evidence and asks for more', async () => {
  assessorPage = await newPage(browser, server.baseUrl);
  const page = assessorPage;
  await logIn(page, ASSESSOR);
  await openPage(page, `${ORG}/assessments`);
  await page.getByRole('button', { name: /Open the request of/ }).first().click();
  await page.locator('#assess-detail:not([hidden]) #detail-evidence a', { hasText: 'certificate.pdf' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#detail-evidence a', { hasText: 'certificate.pdf' }).click()]);
  assert.equal(download.suggestedFilename(), 'certificate.pdf');
  const path = await download.path();
  assert.ok(readFileSync(path).equals(PDF), 'the downloaded file is the uploaded one');
  // Asking for more needs a note.
  await page.getByRole('button', { name: en['assess.more'] }).click();
  await page.locator('.form-error', { hasText: en['assess.note_required'] }).waitFor();
  await page.getByLabel(en['assess.note'], { exact: true }).fill('Please add a reference from your manager.');
  await page.getByRole('button', { name: en['assess.more'] }).click();
  await expectMessage(page, 'has been asked for more evidence');
  assert.equal(await page.locator('#detail-facts [data-status]').innerText(), en['loop.status.more-evidence']);
  assert.deepEqual(page.consoleErrors, []);
});

test('the learner sees the question and adds a statement and another file', async () => {
  const page = learnerPage;
  await openPage(page, requestUrl);
  await page.locator('#view-note:not([hidden])', { hasText: 'Please add a reference from your manager.' }).waitFor();
  await page.getByLabel(en['request.field.add_statement']).fill('Reference attached.');
  await page.locator('#add-files').setInputFiles({ name: 'reference.txt', mimeType: 'text/plain', buffer: Buffer.from('My manager confirms the reports.') });
  await page.getByRole('button', { name: en['request.add_submit'] }).click();
  await expectMessage(page, en['request.added']);
  await page.locator('#view-evidence a', { hasText: 'reference.txt' }).waitFor();
  assert.equal(await page.locator('#view-facts [data-status]').innerText(), en['loop.status.submitted']);
  assert.match(await page.locator('#view-history').innerText(), /Reference attached\./);
  // A disguised file is refused with the server's reason.
  await page.locator('#add-files').setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<html><script>x</script></html>') });
  await page.getByRole('button', { name: en['request.add_submit'] }).click();
  await page.locator('.form-error', { hasText: 'cv.pdf' }).waitFor();
});

test('the assessor accepts; an issuer issues it from the assessment page and the request closes', async () => {
  let page = assessorPage;
  await openPage(page, `${ORG}/assessments`);
  await page.getByRole('button', { name: /Open the request of/ }).first().click();
  await page.locator('#detail-evidence a', { hasText: 'reference.txt' }).waitFor();
  await page.getByRole('button', { name: en['assess.accept'] }).click();
  await expectMessage(page, 'accepted');
  await page.locator('#issue-form:not([hidden])').waitFor();
  assert.equal(await page.locator('#issue-basis').innerText(), en['assess.issue.basis_validation']);
  assert.ok(await page.locator('#issue-no-role').isVisible(), 'an assessor is told who issues');
  assert.equal(await page.locator('#issue-submit').isVisible(), false);

  page = await newPage(browser, server.baseUrl);
  await logIn(page, DEMO.issuer);
  await openPage(page, `${ORG}/assessments`);
  await page.getByRole('button', { name: /Open the request of/ }).first().click();
  await page.locator('#issue-form:not([hidden])').waitFor();
  assert.equal(await page.getByLabel(en['assess.issue.email']).inputValue(), DEMO.learner.email);
  const prefill = await page.evaluate(() => JSON.parse(sessionStorage.getItem('mc.issue.prefill')));
  assert.equal(prefill.assessment.basis, 'prior-learning', 'the pre-fill is there for the full issuing form too');
  await page.getByLabel(en['assess.issue.grade']).fill('Pass');
  await page.getByRole('button', { name: en['assess.issue.submit'] }).click();
  await expectMessage(page, 'the request is closed');
  assert.equal(await page.locator('#detail-facts [data-status]').innerText(), en['loop.status.issued']);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});

let itemId;
test('the learner claims it and the credential says it came from validation of prior learning', async () => {
  const page = learnerPage;
  await openPage(page, requestUrl);
  assert.equal(await page.locator('#view-facts [data-status]').innerText(), en['loop.status.issued']);
  const token = claimToken(DEMO.learner.email);
  assert.ok(token, 'a claim mail went out');
  await openPage(page, `/claim/${token}`);
  await Promise.all([page.waitForURL('**/credential?id=*'), page.getByRole('button', { name: en['claim.submit'] }).click()]);
  await waitReady(page);
  itemId = new URL(page.url()).searchParams.get('id');
  // The page names the basis of assessment from the credential itself.
  const basis = page.locator('li', { has: page.locator('.sub-label', { hasText: en['el.assessment_basis'] }) }).first();
  await basis.waitFor({ timeout: 15000 });
  const said = await basis.innerText();
  assert.match(said, /Validation of prior/, `the credential page says: ${said}`);
});

test('the learner leaves feedback; the provider sees it aggregated', async () => {
  const page = learnerPage;
  await openPage(page, `/feedback?item=${itemId}`);
  await page.locator('#feedback-form:not([hidden])').waitFor();
  assert.equal(await page.locator('#feedback-state').innerText(), en['feedback.not_yet']);
  await page.getByRole('button', { name: en['feedback.save'] }).click();
  await page.locator('.form-error', { hasText: en['feedback.choose_all'] }).waitFor();
  await page.getByRole('group', { name: en['feedback.clarity'] }).getByLabel('4').check();
  await page.getByRole('group', { name: en['feedback.assessment'] }).getByLabel('5').check();
  await page.getByRole('group', { name: en['feedback.relevance'] }).getByLabel('3').check();
  await page.getByLabel(en['feedback.comment']).fill('The validation route saved me a semester.');
  await page.getByLabel(en['feedback.named']).check();
  await page.getByRole('button', { name: en['feedback.save'] }).click();
  await expectMessage(page, en['feedback.saved']);
  assert.deepEqual(page.consoleErrors, []);

  // One answer is not shown; a second learner answers (through the API).
  const staffPage = await newPage(browser, server.baseUrl);
  await logIn(staffPage, DEMO.orgAdmin);
  await openPage(staffPage, `${ORG}/org-feedback`);
  await staffPage.locator(`tr[data-spec="${specId}"] .suppressed`).waitFor();

  const email = `second-${process.pid}@example.org`;
  const reg = await fetch(`${server.baseUrl}/api/v1/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, name: 'Second Learner', password: 'demo-password-1' }) });
  assert.equal(reg.status, 201);
  const issuer = await apiLogin(server.baseUrl, DEMO.issuer);
  const a = await api(server.baseUrl, issuer, 'POST', `${API_ORG}/awards`, { json: { specification_id: specId, learner: { name: 'Second Learner', email }, grade: 'Pass' } });
  assert.equal(a.status, 201, a.text);
  const second = await apiLogin(server.baseUrl, { email, password: 'demo-password-1' });
  const c = await api(server.baseUrl, second, 'POST', `/api/v1/wallet/claims/${claimToken(email)}`);
  assert.ok([200, 201].includes(c.status), c.text);
  const f = await api(server.baseUrl, second, 'PUT', `/api/v1/wallet/${c.json.id}/feedback`, { json: { clarity: 2, assessment: 4, relevance: 5, comment: 'Clear outcomes.' } });
  assert.equal(f.status, 200, f.text);

  await openPage(staffPage, `${ORG}/org-feedback`);
  const row = staffPage.locator(`tr[data-spec="${specId}"]`);
  await row.locator('[data-count="2"]').waitFor();
  assert.match(await row.innerText(), /3\.0\s+4\.5\s+4\.0/);
  const comments = await staffPage.locator(`section.comments[data-spec="${specId}"]`).innerText();
  assert.match(comments, /The validation route saved me a semester\.\s*— Lea|The validation route saved me a semester\.\s*— /);
  assert.ok(comments.includes('Clear outcomes.'));
  assert.ok(comments.includes(en['orgfb.anonymous']), 'the second learner stays anonymous');
  await staffPage.getByRole('button', { name: /Attach the feedback on/ }).click();
  await expectMessage(staffPage, 'Learner feedback (2 responses');
  assert.deepEqual(staffPage.consoleErrors, []);
  await staffPage.context().close();
});

test('the public statistics page shows the awards by level, small counts hidden, with exports', async () => {
  const page = await newPage(browser, server.baseUrl);
  await openPage(page, '/statistics?dimension=level');
  await page.locator('#stats-table table').waitFor();
  const month = new Date().toISOString().slice(0, 7);
  const cell = page.locator(`tr[data-month="${month}"][data-key="EQF 5"] td[data-awards]`);
  assert.equal(await cell.getAttribute('data-awards'), '2', 'two awards this month at EQF 5');
  assert.match(await page.locator('#stats-csv').getAttribute('href'), /format=csv/);
  await page.getByLabel(en['stats.dimension']).selectOption('country');
  await Promise.all([page.waitForURL('**/statistics?dimension=country*'), page.getByRole('button', { name: en['stats.show'] }).click()]);
  await waitReady(page);
  await page.locator('#stats-table table').waitFor();
  assert.match(await page.locator('#stats-table').innerText(), /Sweden \(SE\)/);
  assert.deepEqual(page.consoleErrors, []);
  await page.context().close();
});
