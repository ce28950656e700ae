// loop.test.mjs - learners in the loop, black-box against the running
// server on every backend: a learner's request for a micro-credential with
// evidence files and the assessor's decisions up to the issued credential;
// feedback on a specification and its suppressed aggregates; expiry
// reminders and renewal.
//
// The tests of a backend build on one another in file order (one server,
// one database): request -> evidence -> more evidence -> accept -> issue ->
// feedback -> renewal, and the last one checks the audit log's hash chain
// over all of it. The server runs with a small evidence limit, its own
// evidence directory and a statistics threshold of 2 so that a handful of
// feedback answers is enough to see both sides of the suppression.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  backends, startServer, request, login, register, cli, sql, dbArgs, uniq, DEMO, WORK_DIR,
  fullSpecification, publishSpec, issueAward, orgPath, assertProblem, claimToken,
} from './harness.mjs';

const MAX_EVIDENCE = 20000;
// A real (tiny) PDF and PNG header; the server checks magic bytes.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-not-really-an-image')]);
const HTML = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

// The specification the tests use: the full fixture without what the
// platform fills in from the organisation.
function spec(changes = {}) {
  const s = fullSpecification(changes);
  for (const k of ['awardingBodies', 'issuerCountries', 'qualityAssurance']) delete s[k];
  return s;
}

// The e-mails in an outbox directory, oldest first.
function mails(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((n) => n.endsWith('.eml')).sort().map((n) => readFileSync(join(dir, n), 'utf8'));
}

const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');

for (const backend of backends()) {
  describe(`learners in the loop [${backend.name}]`, () => {
    let srv;
    let staff; // org admin of demo-university (cookie session)
    let assessor;
    let issuer;
    let learner;
    let stranger; // a signed-in user with nothing to do with the request
    let otherStaff; // org admin of demo-employer
    let specId;
    let reqId;
    let evidenceId;
    let prefill;
    let awardId;
    let credential;
    let walletItemId; // the learner's wallet item of the issued credential
    const tmp = mkdtempSync(join(WORK_DIR, 'loop-'));
    const evidenceDir = join(tmp, 'evidence');

    before(async () => {
      srv = await startServer(backend, {
        extraArgs: ['--evidence-dir', evidenceDir, '--max-evidence', String(MAX_EVIDENCE), '--stats-threshold', '2'],
      });
      [staff, assessor, issuer, learner, otherStaff] = await Promise.all([
        login(srv, DEMO.orgAdmin), login(srv, DEMO.assessor), login(srv, DEMO.issuer), login(srv, DEMO.learner),
        login(srv, DEMO.otherOrgAdmin)]);
      stranger = await register(srv);
      specId = (await publishSpec(srv, staff, { draft: spec() })).id;
    });
    after(async () => { await srv.stop(); });

    // `microcred verify` with the server's did.json and status lists,
    // offline, as a third party holding those documents would.
    async function verify(cred) {
      const did = await request(srv, 'GET', `/issuers/${DEMO.org}/did.json`);
      const registry = { issuers: [{ id: did.json.id, legal_name: 'Demo University', country: 'SE', qa_records: [], did_document: did.json }] };
      const n = uniq('v');
      const files = { cred: join(tmp, `${n}.json`), reg: join(tmp, `${n}-registry.json`), rev: join(tmp, `${n}-rev.json`), sus: join(tmp, `${n}-sus.json`) };
      writeFileSync(files.cred, JSON.stringify(cred));
      writeFileSync(files.reg, JSON.stringify(registry));
      writeFileSync(files.rev, (await request(srv, 'GET', `/issuers/${DEMO.org}/status/revocation`)).text);
      writeFileSync(files.sus, (await request(srv, 'GET', `/issuers/${DEMO.org}/status/suspension`)).text);
      const r = cli(['verify', files.cred, '--json', '--registry', files.reg, '--status-list', files.rev, '--status-list', files.sus], { allowFail: true });
      return { code: r.status, report: JSON.parse(r.stdout || 'null'), out: r.stdout + r.stderr };
    }

    const upload = (auth, id, name, type, bytes) => request(srv, 'POST',
      `/api/v1/award-requests/${id}/evidence?filename=${encodeURIComponent(name)}`,
      { auth, raw: bytes, contentType: type });

    // -------------------------------------------------------------- requests
    describe('a request for validation of prior learning', () => {
      it('a learner submits one for a published specification; a bad one is refused field by field', async () => {
        const bad = await request(srv, 'POST', '/api/v1/award-requests', {
          auth: learner, body: { organisation: DEMO.org, specification_id: specId, kind: 'bribe', statement: '', links: ['javascript:alert(1)'] },
        });
        const p = assertProblem(assert, bad, 422);
        const fields = p.errors.map((e) => e.field);
        for (const f of ['kind', 'statement', 'links']) assert.ok(fields.includes(f), `${f} in ${JSON.stringify(fields)}`);
        const unknown = await request(srv, 'POST', '/api/v1/award-requests', {
          auth: learner, body: { organisation: DEMO.org, specification_id: '00000000-0000-4000-8000-000000000000', kind: 'validation', statement: 'x' },
        });
        assertProblem(assert, unknown, 422);
        assert.equal((await request(srv, 'POST', '/api/v1/award-requests', {
          body: { organisation: DEMO.org, specification_id: specId, kind: 'validation', statement: 'x' },
        })).status, 401, 'a visitor cannot request');

        const r = await request(srv, 'POST', '/api/v1/award-requests', {
          auth: learner,
          body: {
            organisation: DEMO.org, specification_id: specId, kind: 'validation',
            statement: 'I have cleaned and presented sales data at work for three years.',
            links: ['https://portfolio.example.org/sales-dashboards'],
          },
        });
        assert.equal(r.status, 201, r.text);
        reqId = r.json.id;
        assert.equal(r.json.status, 'submitted');
        assert.equal(r.json.kind, 'validation');
        assert.equal(r.json.org_slug, DEMO.org);
        assert.deepEqual(r.json.links, ['https://portfolio.example.org/sales-dashboards']);

        const mine = await request(srv, 'GET', '/api/v1/award-requests', { auth: learner });
        assert.deepEqual(mine.json.items.map((x) => x.id), [reqId]);
        const theirs = await request(srv, 'GET', '/api/v1/award-requests', { auth: stranger });
        assert.deepEqual(theirs.json.items, [], 'another learner sees none of it');
        const queue = await request(srv, 'GET', orgPath('/award-requests?status=submitted'), { auth: assessor });
        assert.equal(queue.status, 200, queue.text);
        assert.deepEqual(queue.json.items.map((x) => x.id), [reqId], 'the request is in the assessors\' queue');
        assert.equal((await request(srv, 'GET', orgPath('/award-requests'), { auth: stranger })).status, 403);
        const otherQueue = await request(srv, 'GET', orgPath('/award-requests', DEMO.otherOrg), { auth: otherStaff });
        assert.deepEqual(otherQueue.json.items, [], 'another organisation\'s queue does not hold it');
      });

      it('evidence: a PDF is stored; HTML disguised as PDF or as plain text is refused; too large is refused', async () => {
        const ok = await upload(learner, reqId, 'transcript.pdf', 'application/pdf', PDF);
        assert.equal(ok.status, 201, ok.text);
        evidenceId = ok.json.id;
        assert.equal(ok.json.content_type, 'application/pdf');
        assert.equal(ok.json.size, PDF.length);
        assert.equal(ok.json.filename, 'transcript.pdf');

        const before = (await sql(srv.db, `SELECT COUNT(*) AS n FROM request_evidence WHERE request_id = '${reqId}'`))[0].n;
        assertProblem(assert, await upload(learner, reqId, 'cv.pdf', 'application/pdf', Buffer.from(HTML)), 422);
        assertProblem(assert, await upload(learner, reqId, 'notes.txt', 'text/plain', Buffer.from(`My notes ${HTML}`)), 422);
        const html = await upload(learner, reqId, 'page.html', 'text/html', Buffer.from(HTML));
        assert.ok([400, 415].includes(html.status), `text/html is not an accepted type: ${html.status}`);
        assertProblem(assert, html, html.status);
        assertProblem(assert, await upload(learner, reqId, 'empty.pdf', 'application/pdf', Buffer.alloc(0)), 422);
        const big = Buffer.concat([PDF, Buffer.alloc(MAX_EVIDENCE, 0x20)]);
        const tooBig = await upload(learner, reqId, 'huge.pdf', 'application/pdf', big);
        assert.ok([413, 422].includes(tooBig.status), `too large: ${tooBig.status} ${tooBig.text}`);
        assertProblem(assert, tooBig, tooBig.status);
        assert.equal((await upload(stranger, reqId, 'x.pdf', 'application/pdf', PDF)).status, 404, 'only the learner adds evidence');
        assert.equal((await upload(assessor, reqId, 'x.pdf', 'application/pdf', PDF)).status, 409, 'staff do not add the learner\'s evidence');
        const after = (await sql(srv.db, `SELECT COUNT(*) AS n FROM request_evidence WHERE request_id = '${reqId}'`))[0].n;
        assert.equal(after, before, 'nothing refused was recorded');
        assert.deepEqual(readdirSync(evidenceDir).filter((f) => !f.endsWith('.tmp')).length, 1, 'one file on disk');
      });

      it('evidence downloads only to the learner and the organisation\'s staff, as an attachment in a sandbox, byte for byte', async () => {
        for (const who of [learner, assessor, staff]) {
          const r = await fetch(`${srv.base}/api/v1/evidence/${evidenceId}`, { headers: { cookie: `mc_session=${who.cookie}` } });
          assert.equal(r.status, 200);
          assert.equal(r.headers.get('content-type'), 'application/pdf');
          assert.match(r.headers.get('content-disposition'), /^attachment; filename="transcript\.pdf"$/);
          assert.match(r.headers.get('content-security-policy'), /\bsandbox\b/);
          assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
          assert.ok(Buffer.from(await r.arrayBuffer()).equals(PDF), 'the bytes are the uploaded ones');
        }
        for (const who of [stranger, otherStaff]) {
          assertProblem(assert, await request(srv, 'GET', `/api/v1/evidence/${evidenceId}`, { auth: who }), 404);
          assertProblem(assert, await request(srv, 'GET', `/api/v1/award-requests/${reqId}`, { auth: who }), 404);
        }
        assert.equal((await request(srv, 'GET', `/api/v1/evidence/${evidenceId}`)).status, 401);
      });

      it('the assessor asks for more (a note is required); the learner adds a statement and a file', async () => {
        assertProblem(assert, await request(srv, 'POST', orgPath(`/award-requests/${reqId}/more-evidence`), { auth: assessor, body: {} }), 422);
        assert.equal((await request(srv, 'POST', orgPath(`/award-requests/${reqId}/more-evidence`, DEMO.otherOrg),
          { auth: otherStaff, body: { note: 'x' } })).status, 404, 'another organisation cannot decide');
        assert.equal((await request(srv, 'POST', `/api/v1/award-requests/${reqId}/additions`,
          { auth: learner, body: { statement: 'too early' } })).status, 409, 'nothing to add before the assessor asks');
        const more = await request(srv, 'POST', orgPath(`/award-requests/${reqId}/more-evidence`),
          { auth: assessor, body: { note: 'Please add a reference from your employer.' } });
        assert.equal(more.status, 200, more.text);
        assert.equal(more.json.status, 'more-evidence');
        assert.equal(more.json.note, 'Please add a reference from your employer.');

        const add = await request(srv, 'POST', `/api/v1/award-requests/${reqId}/additions`,
          { auth: learner, body: { statement: 'Reference from my manager attached.', links: ['https://employer.example.org/ref/77'] } });
        assert.equal(add.status, 200, add.text);
        const png = await upload(learner, reqId, 'reference.png', 'image/png', PNG);
        assert.equal(png.status, 201, png.text);
        const txt = await upload(learner, reqId, 'reference.txt', 'text/plain; charset=utf-8', Buffer.from('My manager confirms 3 years of reporting.'));
        assert.equal(txt.status, 201, txt.text);

        const got = await request(srv, 'GET', `/api/v1/award-requests/${reqId}`, { auth: assessor });
        assert.equal(got.json.status, 'submitted', 'back in the queue');
        assert.deepEqual(got.json.evidence.map((x) => x.filename), ['transcript.pdf', 'reference.png', 'reference.txt']);
        const actions = got.json.history.map((h) => h.action);
        for (const a of ['submitted', 'evidence', 'more-evidence', 'added']) assert.ok(actions.includes(a), `history has ${a}: ${actions}`);
        assert.ok(got.json.history.some((h) => h.note.includes('https://employer.example.org/ref/77')), 'the added link is in the history');
      });

      it('accepting returns the issuing form pre-filled, assessed as validation of prior learning', async () => {
        assert.equal((await request(srv, 'POST', orgPath(`/award-requests/${reqId}/approve`), { auth: assessor })).status, 404);
        const r = await request(srv, 'POST', orgPath(`/award-requests/${reqId}/accept`), { auth: assessor });
        assert.equal(r.status, 200, r.text);
        prefill = r.json;
        assert.equal(prefill.request_id, reqId);
        assert.equal(prefill.specification_id, specId);
        assert.equal(prefill.learner.email, DEMO.learner);
        assert.ok(prefill.learner.name);
        assert.equal(prefill.assessment.basis, 'prior-learning');
        assert.match(prefill.assessment.date, /^\d{4}-\d{2}-\d{2}$/);
        assert.deepEqual(prefill.evidence, ['https://portfolio.example.org/sales-dashboards']);
        assert.equal((await request(srv, 'POST', orgPath(`/award-requests/${reqId}/decline`), { auth: assessor, body: { note: 'late' } })).status, 409,
          'a decided request stays decided');
        assert.equal((await upload(learner, reqId, 'late.pdf', 'application/pdf', PDF)).status, 409, 'no evidence after the decision');
      });

      it('issuing with request_id closes the request; the credential says validation of prior learning and verifies', async () => {
        const r = await issueAward(srv, issuer, specId, { ...prefill });
        assert.equal(r.status, 201, r.text);
        awardId = r.json.id;
        credential = r.json.credential;
        const got = await request(srv, 'GET', `/api/v1/award-requests/${reqId}`, { auth: learner });
        assert.equal(got.json.status, 'issued');
        assert.equal(got.json.award_id, awardId);
        assert.ok(got.json.history.some((h) => h.action === 'issued'));

        const text = JSON.stringify(credential);
        assert.match(text, /prior-learning|Validation of prior/, 'the credential records the basis');
        assert.ok(text.includes('https://portfolio.example.org/sales-dashboards'), 'the evidence link travels');
        const v = await verify(credential);
        assert.equal(v.code, 0, v.out);

        // The learner claims it; the wallet shows the basis among its elements.
        const token = claimToken(srv, DEMO.learner);
        assert.ok(token, 'a claim mail went out');
        const c = await request(srv, 'POST', `/api/v1/wallet/claims/${token}`, { auth: learner });
        assert.ok([200, 201].includes(c.status), c.text);
        walletItemId = c.json.id;
        const item = await request(srv, 'GET', `/api/v1/wallet/${c.json.id}`, { auth: learner });
        assert.match(JSON.stringify(item.json), /Validation of prior \(non-formal or informal\) learning/);
      });

      it('a declined request keeps the reason; a course request is pre-filled as course', async () => {
        const mk = async (kind) => (await request(srv, 'POST', '/api/v1/award-requests', {
          auth: stranger, body: { organisation: DEMO.org, specification_id: specId, kind, statement: `${kind} request` } })).json.id;
        const d = await mk('validation');
        assertProblem(assert, await request(srv, 'POST', orgPath(`/award-requests/${d}/decline`), { auth: assessor, body: { note: '' } }), 422);
        const dec = await request(srv, 'POST', orgPath(`/award-requests/${d}/decline`), { auth: assessor, body: { note: 'No evidence of outcome 2.' } });
        assert.equal(dec.json.status, 'declined');
        const seen = await request(srv, 'GET', `/api/v1/award-requests/${d}`, { auth: stranger });
        assert.equal(seen.json.note, 'No evidence of outcome 2.');
        const c = await mk('course');
        const acc = await request(srv, 'POST', orgPath(`/award-requests/${c}/accept`), { auth: staff });
        assert.equal(acc.json.assessment.basis, 'course');
      });
    });

    // -------------------------------------------------------------- feedback
    describe('feedback', () => {
      let itemId;
      const learners = [];

      it('a learner rates the specification once per award, can change it, and is anonymous unless named', async () => {
        itemId = walletItemId;
        const wallet = await request(srv, 'GET', '/api/v1/wallet', { auth: learner });
        assert.ok(wallet.json.items.some((i) => i.id === itemId), 'the claimed credential is in the wallet');
        assert.equal((await request(srv, 'GET', `/api/v1/wallet/${itemId}/feedback`, { auth: learner })).status, 404, 'none yet');
        const bad = await request(srv, 'PUT', `/api/v1/wallet/${itemId}/feedback`, { auth: learner, body: { clarity: 6, assessment: 0, relevance: 'high' } });
        const p = assertProblem(assert, bad, 422);
        for (const f of ['clarity', 'assessment', 'relevance']) assert.ok(p.errors.some((e) => e.field === f), f);
        assert.equal((await request(srv, 'PUT', `/api/v1/wallet/${itemId}/feedback`, { auth: stranger, body: { clarity: 5, assessment: 5, relevance: 5 } })).status, 404,
          'nobody rates through another person\'s wallet');

        const put = await request(srv, 'PUT', `/api/v1/wallet/${itemId}/feedback`, { auth: learner, body: { clarity: 2, assessment: 3, relevance: 4, comment: 'First thoughts' } });
        assert.equal(put.status, 200, put.text);
        const again = await request(srv, 'PUT', `/api/v1/wallet/${itemId}/feedback`, { auth: learner, body: { clarity: 4, assessment: 5, relevance: 5, comment: 'Clear outcomes', named: false } });
        assert.equal(again.status, 200, again.text);
        const got = await request(srv, 'GET', `/api/v1/wallet/${itemId}/feedback`, { auth: learner });
        assert.equal(got.json.clarity, 4);
        assert.equal(got.json.comment, 'Clear outcomes');
        const rows = await sql(srv.db, `SELECT COUNT(*) AS n FROM feedback WHERE award_id = '${awardId}'`);
        assert.equal(Number(rows[0].n), 1, 'one answer per award, changed in place');
      });

      it('below the threshold nothing is shown; at the threshold averages and comments, names only when chosen', async () => {
        const one = await request(srv, 'GET', orgPath('/feedback'), { auth: assessor });
        assert.equal(one.status, 200, one.text);
        const g1 = one.json.items.find((g) => g.specification_id === specId);
        assert.equal(g1.suppressed, true);
        assert.equal(g1.count, null);
        assert.equal(g1.clarity, null);
        assert.deepEqual(g1.comments, [], 'a single comment could point at its writer');
        assert.equal((await request(srv, 'GET', orgPath('/feedback'), { auth: stranger })).status, 403);
        assertProblem(assert, await request(srv, 'POST', orgPath(`/feedback/${specId}/qa-record`), { auth: staff }), 409);

        // Two more learners get the credential and answer; one of them named.
        for (const [i, named] of [[0, true], [1, false]]) {
          const who = await register(srv, { name: `Feedback Person ${i}` });
          learners.push(who);
          const a = await issueAward(srv, issuer, specId, { learner: { name: `Feedback Person ${i}`, email: who.email } });
          assert.equal(a.status, 201, a.text);
          const c = await request(srv, 'POST', `/api/v1/wallet/claims/${claimToken(srv, who.email)}`, { auth: who });
          assert.ok([200, 201].includes(c.status), c.text);
          const f = await request(srv, 'PUT', `/api/v1/wallet/${c.json.id}/feedback`, { auth: who, body: { clarity: 2, assessment: 4, relevance: 3, comment: `Comment ${i}`, named } });
          assert.equal(f.status, 200, f.text);
        }
        const three = await request(srv, 'GET', orgPath('/feedback'), { auth: assessor });
        const g = three.json.items.find((x) => x.specification_id === specId);
        assert.equal(g.suppressed, false);
        assert.equal(g.count, 3);
        assert.equal(g.version, 1);
        assert.ok(Math.abs(g.clarity - (4 + 2 + 2) / 3) < 1e-9, `clarity ${g.clarity}`);
        assert.ok(Math.abs(g.assessment - (5 + 4 + 4) / 3) < 1e-9);
        assert.ok(Math.abs(g.relevance - (5 + 3 + 3) / 3) < 1e-9);
        const byText = Object.fromEntries(g.comments.map((c) => [c.text, c.by]));
        assert.equal(byText['Comment 0'], 'Feedback Person 0', 'named on request');
        assert.equal(byText['Comment 1'], null, 'anonymous by default');
        assert.equal(byText['Clear outcomes'], null);
        assert.ok(!JSON.stringify(three.json).includes(DEMO.learner), 'no e-mail addresses');
        // A higher threshold from the caller suppresses again; a lower one is ignored.
        const hi = await request(srv, 'GET', orgPath('/feedback?threshold=4'), { auth: assessor });
        assert.equal(hi.json.items.find((x) => x.specification_id === specId).suppressed, true);
      });

      it('"attach to QA records" creates a QA record with the figures (org admins only)', async () => {
        assert.equal((await request(srv, 'POST', orgPath(`/feedback/${specId}/qa-record`), { auth: assessor })).status, 403);
        const r = await request(srv, 'POST', orgPath(`/feedback/${specId}/qa-record`), { auth: staff });
        assert.equal(r.status, 201, r.text);
        assert.match(r.json.framework, /Learner feedback \(3 responses; clarity 2\.7, assessment 4\.3, relevance 3\.7 of 5\)/);
        const org = await request(srv, 'GET', orgPath(''), { auth: staff });
        const qa = org.json.qa_records.find((q) => q.id === r.json.id);
        assert.ok(qa, 'the record is among the organisation\'s QA records');
        assert.equal(qa.qa_type, 'internal');
      });
    });

    // ---------------------------------------------------- renewal, reminders
    describe('expiry reminders and renewal', () => {
      let soon;

      it('`microcred reminders` mails a learner whose credential expires soon, once', async () => {
        const email = `${uniq('expiring')}@example.org`;
        const r = await issueAward(srv, issuer, specId, { learner: { name: 'Erik Expiring', email }, validUntil: inDays(5) });
        assert.equal(r.status, 201, r.text);
        soon = r.json;
        const outbox = join(tmp, 'reminders');
        const run = () => cli(['reminders', ...dbArgs(srv.db), '--outbox', outbox, '--base-url', 'http://127.0.0.1:8080']);
        run();
        const first = mails(outbox).filter((m) => m.includes(email));
        assert.equal(first.length, 1, `one reminder, not one per lead time: ${first.length}`);
        assert.match(first[0], /expires soon/);
        assert.match(first[0], /Erik Expiring/);
        const all = mails(outbox).length;
        run();
        assert.equal(mails(outbox).length, all, 'a second run sends nothing');
      });

      it('renewing issues a new credential pointing to the old one; both verify', async () => {
        assert.equal((await request(srv, 'POST', orgPath(`/awards/${soon.id}/renew`), { auth: assessor })).status, 403, 'assessors do not issue');
        const r = await request(srv, 'POST', orgPath(`/awards/${soon.id}/renew`), { auth: issuer });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.renews, soon.id);
        const fresh = r.json.credential;
        assert.notEqual(fresh.id, soon.credential.id);
        const related = [].concat(fresh.relatedResource || []);
        assert.ok(related.some((x) => x.id === soon.credential.id), `relatedResource ${JSON.stringify(fresh.relatedResource)} points to ${soon.credential.id}`);
        assert.ok(!fresh.validUntil || fresh.validUntil > soon.credential.validUntil, 'the new one lasts longer');
        const v1 = await verify(fresh);
        assert.equal(v1.code, 0, v1.out);
        const v0 = await verify(soon.credential);
        assert.equal(v0.code, 0, `the old one stays valid until its end: ${v0.out}`);
        const rows = await sql(srv.db, `SELECT renews FROM awards WHERE id = '${r.json.id}'`);
        assert.equal(rows[0].renews, soon.id);
        const again = await request(srv, 'POST', orgPath(`/awards/${soon.id}/renew`), { auth: issuer });
        assert.ok([200, 201].includes(again.status));
        assert.equal(again.json.id, r.json.id, 'renewing twice gives the same renewal');
        // A renewed award is not reminded about again.
        const outbox = join(tmp, 'reminders-after');
        cli(['reminders', ...dbArgs(srv.db), '--outbox', outbox]);
        assert.equal(mails(outbox).filter((m) => m.includes('Erik Expiring')).length, 0);
      });
    });

    // ------------------------------------------------------------ audit log
    describe('audit log', () => {
      it('every step is in the audit log and `microcred audit verify` passes', async () => {
        const ok = cli(['audit', 'verify', ...dbArgs(srv.db)], { allowFail: true });
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        const rows = await sql(srv.db, `SELECT action, subject FROM audit_log WHERE subject = '${reqId}' ORDER BY seq`);
        assert.deepEqual(rows.map((x) => x.action), ['request.submit', 'request.evidence', 'request.more-evidence', 'request.add',
          'request.evidence', 'request.evidence', 'request.accept', 'request.issued']);
        const all = (await sql(srv.db, 'SELECT action FROM audit_log')).map((x) => x.action);
        for (const a of ['request.decline', 'award.renew', 'organisation.qa.add']) assert.ok(all.includes(a), `${a} in the log`);
      });
    });
  });
}
