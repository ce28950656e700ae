// issuing.test.mjs - the provider's pages end to end in a real browser
// against the real server, as the demo university's staff (org admin):
// write a specification with every element in three languages while the
// list of missing mandatory elements shrinks to nothing, publish it, issue
// it to one learner through the form, issue it to 1,000 learners from a CSV
// file (made here, in a temporary directory) and follow the progress to
// 1000 / 1000, revoke one award and find everything in the awards list
// (1001 awards, one revoked). A visitor then finds the specification in the
// public catalogue by a word of its Swedish title.
//
//   node --test --test-concurrency=1 tests/browser/issuing.test.mjs
//
// MC_TEST_SCREENSHOTS=dir saves a screenshot of each page on the way.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, newPage, openPage, logIn, DEMO, ROOT } from './harness.mjs';

const en = JSON.parse(readFileSync(join(ROOT, 'web', 'i18n', 'en.json'), 'utf8'));
const ORG = `/orgs/${DEMO.orgSlug}`;
const LEARNERS = 1000;
const shots = process.env.MC_TEST_SCREENSHOTS || '';

let server;
let browser;
let page;     // the staff member's page, kept across the steps
let dir;      // temporary directory for the CSV files
let specId = '';

// The specification every step uses; the languages are added in this order.
const LANGS = { en: 'English', sv: 'Swedish', lv: 'Latvian' };
const SPEC = {
  title: { en: 'Data literacy for retail', sv: 'Datakunnighet för handeln', lv: 'Datu pratība mazumtirdzniecībā' },
  description: { en: 'Read, check and present sales data.', sv: 'Läsa, granska och presentera försäljningsdata.', lv: 'Lasīt, pārbaudīt un prezentēt pārdošanas datus.' },
  outcome1: { en: 'Cleans a sales data set in a spreadsheet', sv: 'Rensar en försäljningsdatamängd i ett kalkylark', lv: 'Attīra pārdošanas datu kopu izklājlapā' },
  outcome2: { en: 'Presents weekly sales figures to a team', sv: 'Presenterar veckans försäljning för ett team', lv: 'Prezentē nedēļas pārdošanas rādītājus komandai' },
  esco: 'http://data.europa.eu/esco/skill/ccdf3597-5c80-410f-896d-e1bdfa223de9',
  prerequisites: { en: 'Basic spreadsheet use', sv: 'Grundläggande kalkylarksvana', lv: 'Izklājlapu pamatprasmes' },
  grading: { en: 'Pass / fail', sv: 'Godkänd / underkänd', lv: 'Ieskaitīts / neieskaitīts' },
  part: { en: 'Module 1 of 4', sv: 'Modul 1 av 4', lv: '1. modulis no 4' },
  qualificationPart: { en: 'Data module', sv: 'Datamodul', lv: 'Datu modulis' },
  content: { en: 'Spreadsheets, pivot tables, charts.', sv: 'Kalkylark, pivottabeller, diagram.', lv: 'Izklājlapas, rakurstabulas, diagrammas.' },
  resources: { en: 'Course book and videos', sv: 'Kursbok och filmer', lv: 'Mācību grāmata un video' },
  further: { en: 'See the course page.', sv: 'Se kurssidan.', lv: 'Skatīt kursa lapu.' },
  creator: { en: 'Retail Skills Council', sv: 'Handelns Kompetensråd', lv: 'Tirdzniecības prasmju padome' },
};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'mc-issuing-'));
  if (shots) mkdirSync(shots, { recursive: true });
  page = await newPage(browser, server.baseUrl);
  await page.setViewportSize({ width: 1280, height: 900 });
  await logIn(page, DEMO.orgAdmin);
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function shot(name) {
  if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

const ml = (field, lang) => en['spec.ml_label'].replace('{field}', en[field]).replace('{language}', LANGS[lang]);
const label = (key) => page.getByLabel(en[key], { exact: true });

// Waits for the live message area to say `text`.
async function expectMessage(text, timeout = 15000) {
  try {
    await page.waitForFunction((x) => document.getElementById('mc-messages')?.innerText.includes(x), text, { timeout });
  } catch {
    const said = await page.locator('#mc-messages').innerText().catch(() => '');
    const form = await page.locator('.form-error').allInnerTexts();
    throw new Error(`expected the message "${text}", the page says "${said}" ${form.join(' | ')} on ${page.url()}`);
  }
}

// Waits until the editor has stored the last change; returns how many
// problems the missing-elements list shows then.
async function saved() {
  await page.waitForFunction(() => {
    const s = document.getElementById('spec-saved');
    return s && s.dataset.state === 'spec.saved_at';
  }, null, { timeout: 15000 });
  return page.locator('#spec-missing li').count();
}

// The total the awards page shows, once it has loaded the list.
async function awardsTotal() {
  await page.locator('#awards-list:not([aria-busy])').waitFor();
  return page.locator('#awards-total').getAttribute('data-total');
}

async function fillMl(field, texts) {
  for (const [lang, text] of Object.entries(texts)) await page.getByLabel(ml(field, lang), { exact: true }).nth(0).fill(text);
}

test('a specification with every element, in three languages, is written and published', async () => {
  await openPage(page, `${ORG}/specifications`);
  await page.click('#spec-new');
  await page.waitForURL('**/specification');
  await page.locator('#editor').waitFor();
  const counts = [await page.locator('#spec-missing li').count()];
  assert.ok(counts[0] > 0, 'a new specification lacks the mandatory elements');
  assert.equal(await page.locator('#publish-button').getAttribute('aria-disabled'), 'true');
  assert.ok((await page.locator('#publish-hint').innerText()).length > 0, 'the page says why Publish is unavailable');

  // Languages: Swedish and Latvian join English, with the keyboard.
  for (const lang of ['sv', 'lv']) {
    await page.locator('#lang-add').selectOption(lang);
    await page.locator('#lang-add').focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lang-add-button');
    await page.keyboard.press('Enter');
    await page.getByLabel(ml('spec.field.title', lang), { exact: true }).waitFor();
  }
  assert.deepEqual(await page.locator('#spec-languages li').evaluateAll((li) => li.map((x) => x.dataset.lang)), ['en', 'sv', 'lv']);

  await fillMl('spec.field.title', SPEC.title);
  counts.push(await saved());
  await fillMl('spec.field.description', SPEC.description);

  // Two learning outcomes, the first with an ESCO skill and an alignment.
  const outcome1 = page.locator('fieldset.outcome').nth(0);
  for (const [lang, text] of Object.entries(SPEC.outcome1)) {
    await outcome1.getByLabel(ml('spec.field.outcome_text', lang), { exact: true }).fill(text);
  }
  await outcome1.getByLabel(en['spec.field.esco_skill'], { exact: true }).fill(SPEC.esco);
  await outcome1.getByLabel(en['spec.field.alignment_framework'], { exact: true }).fill('DigComp 2.2');
  await outcome1.getByLabel(en['spec.field.alignment_code'], { exact: true }).fill('1.2');
  await outcome1.getByLabel(en['spec.field.alignment_url'], { exact: true }).fill('https://example.eu/digcomp/1.2');
  await page.click('#outcome-add');
  const outcome2 = page.locator('fieldset.outcome').nth(1);
  for (const [lang, text] of Object.entries(SPEC.outcome2)) {
    await outcome2.getByLabel(ml('spec.field.outcome_text', lang), { exact: true }).fill(text);
  }
  counts.push(await saved());

  await label('spec.field.workload_amount').fill('3');
  await label('spec.field.workload_unit').selectOption('ECTS');
  counts.push(await saved());
  await label('spec.field.level_framework').selectOption('EQF');
  await label('spec.field.level_level').selectOption('5');
  for (const code of ['project', 'oral']) await page.getByLabel(en[`vocab.assessment.${code}`], { exact: true }).check();
  counts.push(await saved());
  for (const code of ['blended', 'work_based']) await page.getByLabel(en[`vocab.participation.${code}`], { exact: true }).check();
  counts.push(await saved());
  assert.equal(counts[counts.length - 1], 0, `nothing is missing any more: ${await page.locator('#spec-missing').innerText()}`);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] <= counts[i - 1], `the missing list only shrinks: ${counts}`);
  assert.ok(counts[0] > counts[counts.length - 1], `the missing list shrank: ${counts}`);

  // The optional elements.
  await page.locator('#sec-supervision select').selectOption('supervised-with-id');
  await fillMl('spec.field.prerequisites', SPEC.prerequisites);
  await fillMl('spec.field.grading', SPEC.grading);
  await label('spec.field.stackability_mode').selectOption('stackable');
  await label('spec.field.stackability_target').fill('https://uni.demo.microcred.eu/specs/retail-analyst');
  await page.getByLabel(ml('spec.field.stackability_target_title', 'en'), { exact: true }).fill('Retail analyst');
  await fillMl('spec.field.stackability_part', SPEC.part);
  await label('spec.field.standards_links').fill('https://example.se/standards/retail-sales-2023\nhttps://example.eu/standards/data-2024');
  await label('spec.field.qualification_url').fill('https://example.se/qualifications/retail-specialist');
  await page.getByLabel(ml('spec.field.qualification_title', 'en'), { exact: true }).fill('Retail specialist');
  await fillMl('spec.field.qualification_part', SPEC.qualificationPart);
  await fillMl('spec.field.content', SPEC.content);
  await fillMl('spec.field.learning_resources', SPEC.resources);
  await fillMl('spec.field.further_information', SPEC.further);
  await label('spec.field.duration').fill('P2M');
  await label('spec.field.validity').fill('P2Y');
  await label('spec.field.tags_list').fill('data, retail');
  await fillMl('spec.field.creator_name', SPEC.creator);
  await label('spec.field.creator_country').selectOption('SE');
  await label('spec.field.creator_url').fill('https://kompetensrad.example.se');
  await label('spec.field.review_date').fill('2030-06-30');
  assert.equal(await saved(), 0, await page.locator('#spec-missing').innerText());
  specId = new URL(page.url()).searchParams.get('id');
  assert.match(specId || '', /^[0-9a-f-]{36}$/, 'the address names the saved specification');
  await shot('specification-editor');

  // An invalid optional value shows up in the list, and goes again.
  await label('spec.field.duration').fill('three months');
  assert.equal(await saved(), 1);
  assert.match(await page.locator('#sec-duration .section-missing').innerText(), /duration/);
  assert.equal(await label('spec.field.duration').getAttribute('aria-invalid'), 'true');
  await label('spec.field.duration').fill('P2M');
  assert.equal(await saved(), 0);

  // Publish.
  assert.equal(await page.locator('#publish-button').getAttribute('aria-disabled'), 'false');
  await page.click('#publish-button');
  await expectMessage(en['spec.published'].replace('{version}', '1'));
  const link = page.locator('#spec-versions tbody a');
  assert.equal(await link.count(), 1);
  const url = await link.getAttribute('href');
  assert.ok(url.endsWith(`/specs/${specId}/v/1`), url);

  // The published version holds every element, in every language.
  const res = await page.request.get(url);
  assert.equal(res.status(), 200);
  const doc = await res.json();
  assert.deepEqual(doc.languages, ['en', 'sv', 'lv']);
  assert.deepEqual(doc.title, SPEC.title);
  assert.deepEqual(doc.description, SPEC.description);
  assert.equal(doc.learningOutcomes.length, 2);
  assert.deepEqual(doc.learningOutcomes[0].text, SPEC.outcome1);
  assert.equal(doc.learningOutcomes[0].escoSkill, SPEC.esco);
  assert.deepEqual(doc.learningOutcomes[0].alignment, { framework: 'DigComp 2.2', code: '1.2', url: 'https://example.eu/digcomp/1.2' });
  assert.deepEqual(doc.learningOutcomes[1].text, SPEC.outcome2);
  assert.deepEqual(doc.workload, { amount: 3, unit: 'ECTS' });
  assert.deepEqual(doc.level, { framework: 'EQF', level: 5 });
  assert.deepEqual(doc.assessmentTypes.sort(), ['oral', 'project']);
  assert.deepEqual(doc.participation.sort(), ['blended', 'work-based']);
  assert.equal(doc.supervision, 'supervised-with-id');
  assert.deepEqual(doc.prerequisites, SPEC.prerequisites);
  assert.deepEqual(doc.grading, SPEC.grading);
  assert.deepEqual(doc.stackability, { mode: 'stackable', target: { id: 'https://uni.demo.microcred.eu/specs/retail-analyst', title: { en: 'Retail analyst' } }, part: SPEC.part });
  assert.deepEqual(doc.standards, ['https://example.se/standards/retail-sales-2023', 'https://example.eu/standards/data-2024']);
  assert.deepEqual(doc.qualification, { id: 'https://example.se/qualifications/retail-specialist', title: { en: 'Retail specialist' }, part: SPEC.qualificationPart });
  assert.deepEqual(doc.content, SPEC.content);
  assert.deepEqual(doc.learningResources, SPEC.resources);
  assert.deepEqual(doc.furtherInformation, SPEC.further);
  assert.equal(doc.duration, 'P2M');
  assert.equal(doc.validity, 'P2Y');
  assert.deepEqual(doc.tags, ['data', 'retail']);
  assert.deepEqual(doc.creator, { legalName: SPEC.creator, country: 'SE', url: 'https://kompetensrad.example.se' });
  // Filled in by the server from the organisation's profile.
  assert.ok(doc.awardingBodies.length >= 1 && doc.issuerCountries.length >= 1 && doc.qualityAssurance.length >= 1);
  assert.equal(doc.versionId, url);

  await openPage(page, `${ORG}/specifications`);
  assert.match(await page.locator(`#specs-list tr[data-spec="${specId}"]`).innerText(), /Data literacy for retail/);
  assert.deepEqual(page.consoleErrors, []);
});

test('one learner is issued the specification through the form', async () => {
  assert.ok(specId, 'needs the published specification');
  await openPage(page, `${ORG}/issue?spec=${specId}`);
  await page.locator('#issue-form').waitFor();
  assert.equal(await page.locator('#issue-spec').inputValue(), specId);
  await label('issue.field.name').fill('Ana Andromeda');
  await label('issue.field.email').fill('ana.andromeda@example.org');
  await label('issue.field.identifier_type').fill('studentId');
  await label('issue.field.identifier').fill('S-12345');
  await label('issue.field.date_of_birth').fill('1999-10-01');
  await label('issue.field.place').fill('Riga');
  await label('issue.field.place_country').selectOption('LV');
  await label('issue.field.grade').fill('Pass');
  await label('issue.field.points').fill('87');
  await label('issue.field.language').selectOption('sv');
  await label('issue.field.evidence').fill('https://uni.demo.microcred.eu/evidence/ana');
  await label('issue.field.basis').selectOption('course');
  await label('issue.field.assessed').fill('2025-02-20');
  await label('issue.field.assessor').fill('Jānis Bērziņš');
  await label('issue.field.assessor_org').fill('Piemēra koledža');
  await label('issue.field.assessor_country').selectOption('LV');
  await shot('issue-form');
  // A double click submits once (and the Idempotency-Key would make a
  // second request return the same award).
  await page.locator('#issue-form button[type="submit"]').dblclick();
  await page.locator('#issue-done').waitFor();
  assert.match(await page.locator('#issue-done-text').innerText(), /Ana Andromeda/);
  await expectMessage(en['issue.done_message'].replace('{name}', 'Ana Andromeda'));

  await openPage(page, `${ORG}/awards`);
  assert.equal(await awardsTotal(), '1', 'exactly one award');
  assert.match(await page.locator('#awards-list tbody').innerText(), /Ana Andromeda/);
  assert.deepEqual(page.consoleErrors, []);
});

test(`a CSV file of ${LEARNERS} learners is checked, then issued with visible progress`, { timeout: 15 * 60 * 1000 }, async () => {
  assert.ok(specId, 'needs the published specification');
  await openPage(page, `${ORG}/batches?spec=${specId}`);
  await page.locator('#batch-form').waitFor();
  assert.equal(await page.locator('#batch-template').getAttribute('href'), '/api/v1/batch-template.csv');

  // A file with problems: every one is listed, nothing is issued.
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'email,name,grade\nnot-an-address,Bad Address,Pass\nok@example.org,,Pass\n');
  await page.setInputFiles('#batch-file', bad);
  await page.click('#batch-form button[type="submit"]');
  await page.locator('#batch-problems').waitFor();
  const problems = await page.locator('#batch-problems-list tbody').innerText();
  assert.match(problems, /line 2/, problems);
  assert.match(problems, /line 3/, problems);

  // The good file: one row per learner, made here.
  const good = join(dir, 'learners-1000.csv');
  const rows = ['email,name,grade'];
  for (let i = 1; i <= LEARNERS; i++) {
    const n = String(i).padStart(4, '0');
    rows.push(`learner${n}@example.test,Learner ${n},Pass`);
  }
  writeFileSync(good, rows.join('\r\n') + '\r\n');
  await page.setInputFiles('#batch-file', good);
  await page.click('#batch-form button[type="submit"]');
  await page.locator('#batch-progress').waitFor();
  assert.equal(await page.locator('#batch-count').getAttribute('aria-live'), 'polite');
  await page.waitForFunction(() => document.getElementById('batch-count')?.dataset.status === 'done', null,
    { timeout: 14 * 60 * 1000, polling: 500 });
  const count = page.locator('#batch-count');
  assert.equal(await count.getAttribute('data-done'), String(LEARNERS));
  assert.equal(await count.getAttribute('data-total'), String(LEARNERS));
  assert.match(await count.innerText(), new RegExp(`${LEARNERS} / ${LEARNERS}`));
  assert.equal(await page.locator('#batch-bar').evaluate((b) => [b.value, b.max].join('/')), `${LEARNERS}/${LEARNERS}`);
  await shot('batch-done');
  assert.deepEqual(page.consoleErrors, []);
});

test('an award is revoked, and the awards list shows all of them', async () => {
  await openPage(page, `${ORG}/awards?q=ana.andromeda`);
  assert.equal(await awardsTotal(), '1');
  await page.getByRole('button', { name: en['awards.revoke_named'].replace('{name}', 'Ana Andromeda') }).click();
  const dialog = page.locator('dialog.confirm');
  await dialog.getByLabel(en['awards.reason'], { exact: true }).fill('Issued by mistake');
  await dialog.getByRole('button', { name: en['awards.revoke'], exact: true }).click();
  await expectMessage(en['awards.done_revoke'].replace('{name}', 'Ana Andromeda'));
  assert.match(await page.locator('#awards-list tbody').innerText(), new RegExp(en['awards.status.revoked']));

  await openPage(page, `${ORG}/awards`);
  assert.equal(await awardsTotal(), String(LEARNERS + 1));
  assert.equal(await page.locator('#awards-list tbody tr').count(), 50, 'a page of 50');
  await shot('awards');

  // Filter by status with the form.
  await label('awards.field.status').selectOption('revoked');
  await Promise.all([page.waitForURL(/status=revoked/), page.click('#awards-filter button[type="submit"]')]);
  await page.waitForFunction(() => document.documentElement.classList.contains('mc-ready'));
  assert.equal(await awardsTotal(), '1');
  const row = await page.locator('#awards-list tbody tr').innerText();
  assert.match(row, /Ana Andromeda/);
  assert.match(row, /Issued by mistake/);
  assert.match(await page.locator('#awards-csv').getAttribute('href'), /status=revoked.*format=csv|format=csv.*status=revoked/);
  assert.deepEqual(page.consoleErrors, []);
});

test('a visitor finds the specification in the catalogue by a word of its Swedish title', async () => {
  assert.ok(specId, 'needs the published specification');
  const visitor = await newPage(browser, server.baseUrl);
  await openPage(visitor, '/catalogue');
  await visitor.getByLabel(en['catalogue.field.q'], { exact: true }).fill('Datakunnighet');
  await Promise.all([visitor.waitForURL(/q=Datakunnighet/), visitor.click('#catalogue-form button[type="submit"]')]);
  await visitor.waitForFunction(() => document.documentElement.classList.contains('mc-ready'));
  await visitor.locator('#catalogue-results:not([aria-busy])').waitFor();
  const card = visitor.locator(`#catalogue-results li[data-spec="${specId}"]`);
  assert.match(await card.innerText(), /Data literacy for retail/);
  assert.match(await card.innerText(), /EQF 5/);
  assert.equal(await visitor.locator('#catalogue-total').getAttribute('data-total'), '1');
  if (shots) await visitor.screenshot({ path: join(shots, 'catalogue.png'), fullPage: true });

  // The export links carry the search.
  const elm = await visitor.locator('#export-elm').getAttribute('href');
  assert.match(elm, /q=Datakunnighet/);
  const graph = await (await visitor.request.get(elm)).json();
  assert.equal(graph['@graph'].length, 1);
  assert.equal(graph['@graph'][0].type, 'LearningOpportunity');
  const json = await (await visitor.request.get(await visitor.locator('#export-json').getAttribute('href'))).json();
  assert.equal(json.items[0].specification_id, specId);

  // A word that is in no title finds nothing.
  await openPage(visitor, '/catalogue?q=zzzznotaword');
  await visitor.locator('#catalogue-results:not([aria-busy])').waitFor();
  assert.equal(await visitor.locator('#catalogue-total').getAttribute('data-total'), '0');
  assert.deepEqual(visitor.consoleErrors, []);
  await visitor.context().close();
});
