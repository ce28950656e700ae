// batches.test.mjs - issuing to many learners from a CSV file, on every
// backend: the template, a file with bad rows (every problem listed with
// its line, nothing recorded), a good file issued in the background,
// re-uploading the same file (nothing issued twice), and kill -9 in the
// middle of a 10,000-row `microcred issue` followed by a resume.
//
// The kill-and-resume test runs the CLI on its own database with no server
// attached (a server's batch worker would otherwise pick the batch up), kills
// it with SIGKILL once awards are being committed, runs the same command
// again to completion, and then starts a server on that database so its
// batch worker finishes the interrupted batch too. At the end the awards of
// the specification number exactly the rows, no e-mail or idempotency key
// occurs twice, and every row of both batches points at an existing award.
// MC_TEST_BATCH_ROWS changes the row count (default 10000, the most one file
// may have); the test prints how long each phase took.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import {
  backends, startServer, freshDb, request, cli, sql, snapshot, dbArgs, uniq, sleep, DEMO, BIN, WORK_DIR,
  publishSpec, orgPath, assertProblem,
} from './harness.mjs';

const ROWS = Number(process.env.MC_TEST_BATCH_ROWS || 10000);

// CSV text of n learners (email,name,grade), e-mails unique per prefix.
function learnersCsv(n, prefix) {
  const lines = ['email,name,grade'];
  for (let i = 1; i <= n; i++) lines.push(`${prefix}-${i}@example.org,Learner ${i} ${prefix},Pass`);
  return `${lines.join('\r\n')}\r\n`;
}

const upload = (srv, auth, specId, body, contentType = 'text/csv; charset=utf-8') =>
  request(srv, 'POST', orgPath(`/batches${specId ? `?specification_id=${specId}` : ''}`), { auth, raw: body, contentType });

// Poll GET .../batches/{id} until it is done (or the time is up).
async function waitDone(srv, auth, id, timeoutMs = 120000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await request(srv, 'GET', orgPath(`/batches/${id}`), { auth });
    assert.equal(r.status, 200, r.text);
    if (r.json.status === 'done') return r.json;
    if (Date.now() > until) assert.fail(`batch ${id} not done after ${timeoutMs} ms: ${r.text}`);
    await sleep(200);
  }
}

const count = async (db, where) => Number((await sql(db, `SELECT COUNT(*) AS n FROM awards WHERE ${where}`))[0].n);

for (const backend of backends()) {
  describe(`batches [${backend.name}]`, () => {
    let srv;
    let tok;
    let spec;
    before(async () => {
      srv = await startServer(backend);
      tok = { token: srv.db.tokens.orgAdmin };
      spec = (await publishSpec(srv, tok)).id;
    });
    after(async () => { await srv.stop(); });

    it('the template downloads as CSV, the same as `microcred issue --template`', async () => {
      const r = await request(srv, 'GET', '/api/v1/batch-template.csv');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/csv/);
      assert.match(r.headers.get('content-disposition'), /attachment; filename="microcred-batch-template.csv"/);
      const header = r.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
      for (const c of ['email', 'name', 'grade', 'language', 'idempotency_key']) assert.ok(header.includes(c), c);
      // fetch's text() drops the UTF-8 byte order mark the file starts with.
      assert.equal(r.text, cli(['issue', '--template']).stdout.replace(/^\uFEFF/, ''));
    });

    // Rows with every kind of problem but bad bytes; line numbers as in the file.
    const badRows = () => [
      'email,name,grade,language', //                            line 1
      `ok2-${uniq('g')}@example.org,Good Learner,Pass,sv`, //    line 2: fine
      ',No Email,Pass,en', //                                     line 3: e-mail missing
      `${uniq('x')}@example.org,Unknown Language,Pass,tlh`, //   line 4: language not offered
      `${uniq('x')}@example.org,${'N'.repeat(3000)},Pass,en`, //  line 5: name too long
      `${uniq('x')}@example.org,=cmd(),Pass,en`, //               line 6: a formula
      `${uniq('x')}@example.org,@SUM(A1),Pass,en`, //             line 7: a formula
      `${uniq('x')}@example.org,Good Name,+cmd(),en`, //       line 8: a formula
      'not-an-email,Bad Email,Pass,en', //                        line 9: not an e-mail
      `ok10-${uniq('g')}@example.org,Good Learner,Pass,en`, //   line 10: fine
    ];
    const BAD_LINES = [3, 4, 5, 6, 7, 8, 9];

    async function refusedWithLines(body, badLines, goodLines) {
      const beforeSnap = await snapshot(srv.db);
      const r = await upload(srv, tok, spec, body);
      const p = assertProblem(assert, r, 422);
      const lines = new Set(p.errors.map((e) => Number(/^line (\d+)/.exec(e.field)?.[1])));
      for (const l of badLines) assert.ok(lines.has(l), `line ${l} is reported: ${JSON.stringify(p.errors)}`);
      for (const l of goodLines) assert.ok(!lines.has(l), `line ${l} is fine: ${JSON.stringify(p.errors)}`);
      for (const e of p.errors) assert.ok(e.message, JSON.stringify(e));
      assert.match(p.detail, /nothing was issued/);
      assert.deepStrictEqual(await snapshot(srv.db), beforeSnap, 'the database changed');
      return (l) => p.errors.filter((e) => e.field.startsWith(`line ${l}:`)).map((e) => `${e.field} ${e.message}`).join(' | ');
    }

    it('a file with bad rows is refused (422) listing every problem with its line; nothing is recorded', async () => {
      const at = await refusedWithLines(`${badRows().join('\n')}\n`, BAD_LINES, [1, 2, 10]);
      assert.match(at(3), /email/);
      assert.match(at(4), /language/);
      assert.match(at(5), /name/);
      assert.match(at(6), /name/);
      assert.match(at(7), /name/);
      assert.match(at(8), /grade/);
      assert.match(at(9), /email/);
    });

    it('a file with bytes that are not UTF-8 is refused (422) naming the line; nothing is recorded', async () => {
      const rows = [badRows()[0], badRows()[1], `${uniq('x')}@example.org,Bad \xFF\xFE Bytes,Pass,en`, badRows()[9]];
      // latin1 keeps \xFF\xFE as those two bytes: not UTF-8.
      const at = await refusedWithLines(Buffer.from(`${rows.join('\n')}\n`, 'latin1'), [3], [1, 2, 4]);
      assert.match(at(3), /UTF-8/);
    });

    it('invalid UTF-8 on one line and problems on others are all listed at once', {
      todo: 'the CSV reader (src/core/award_csv.c) stops at the first invalid UTF-8 byte and reports only that',
    }, async () => {
      const rows = badRows();
      rows.splice(2, 0, `${uniq('x')}@example.org,Bad \xFF\xFE Bytes,Pass,en`); // now line 3; the others move down one
      await refusedWithLines(Buffer.from(`${rows.join('\n')}\n`, 'latin1'), [3, ...BAD_LINES.map((l) => l + 1)], [1, 2, 11]);
    });

    it('refuses what is not a usable batch upload, changing nothing', async () => {
      const beforeSnap = await snapshot(srv.db);
      const csv = learnersCsv(2, uniq('r'));
      assertProblem(assert, await upload(srv, tok, spec, csv, 'application/json'), 415);
      assertProblem(assert, await upload(srv, tok, spec, csv, 'text/plain'), 415);
      assert.ok(assertProblem(assert, await upload(srv, tok, null, csv), 422).errors.some((e) => e.field === 'specification_id'));
      assert.ok(assertProblem(assert, await upload(srv, tok, '01900000-0000-7000-8000-000000000000', csv), 422)
        .errors.some((e) => e.field === 'specification_id'));
      assertProblem(assert, await upload(srv, tok, spec, 'email,name,grade\n'), 422);
      assertProblem(assert, await upload(srv, tok, spec, 'email,nickname\nx@example.org,X\n'), 422);
      // Two rows for one learner without keys of their own.
      assertProblem(assert, await upload(srv, tok, spec, 'email,name,grade\na@example.org,A,Pass\na@example.org,A,Pass\n'), 422);
      assert.deepStrictEqual(await snapshot(srv.db), beforeSnap, 'the database changed');
    });

    let firstBatch;
    const csv50 = learnersCsv(50, uniq('fifty'));
    it('a good 50-row file is accepted (201) and issued in the background: 50 awards', async () => {
      const r = await upload(srv, tok, spec, csv50);
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.total, 50);
      assert.equal(r.json.specification_id, spec);
      firstBatch = r.json.id;
      const done = await waitDone(srv, tok, firstBatch);
      assert.equal(done.done, 50);
      assert.equal(done.failed, 0);
      const withRows = await request(srv, 'GET', orgPath(`/batches/${firstBatch}?rows=1`), { auth: tok });
      assert.equal(withRows.json.rows.length, 50);
      assert.deepEqual(withRows.json.rows.map((x) => x.line), Array.from({ length: 50 }, (_, i) => i + 2));
      for (const row of withRows.json.rows) {
        assert.ok(row.award_id, JSON.stringify(row));
        assert.equal(row.error, null);
      }
      assert.equal(await count(srv.db, `batch_id = '${firstBatch}'`), 50);
      const list = await request(srv, 'GET', orgPath(`/awards?batch_id=${firstBatch}&limit=100`), { auth: tok });
      assert.equal(list.json.total, 50);
      const award = await request(srv, 'GET', orgPath(`/awards/${withRows.json.rows[0].award_id}`), { auth: tok });
      assert.equal(award.json.batch_id, firstBatch);
      assert.equal(award.json.learner_name, withRows.json.rows[0] && award.json.learner_name);
      assert.ok(award.json.credential.proof);
    });

    it('the same file again makes a new batch and no new award', async () => {
      const awardsBefore = await count(srv.db, `spec_id = '${spec}'`);
      const r = await upload(srv, tok, spec, csv50);
      assert.equal(r.status, 201, r.text);
      assert.notEqual(r.json.id, firstBatch);
      const done = await waitDone(srv, tok, r.json.id);
      assert.equal(done.done, 50);
      assert.equal(done.failed, 0);
      assert.equal(await count(srv.db, `spec_id = '${spec}'`), awardsBefore, 'no award issued twice');
      const a = await request(srv, 'GET', orgPath(`/batches/${firstBatch}?rows=1`), { auth: tok });
      const b = await request(srv, 'GET', orgPath(`/batches/${r.json.id}?rows=1`), { auth: tok });
      assert.deepEqual(b.json.rows.map((x) => x.award_id), a.json.rows.map((x) => x.award_id), 'each row found its award');
    });

    it('resume answers 202 for a batch, 404 for none', async () => {
      const r = await request(srv, 'POST', orgPath(`/batches/${firstBatch}/resume`), { auth: tok });
      assert.equal(r.status, 202, r.text);
      assertProblem(assert, await request(srv, 'POST', orgPath('/batches/01900000-0000-7000-8000-000000000000/resume'), { auth: tok }), 404);
    });
  });

  describe(`batches: kill -9 and resume, ${ROWS} rows [${backend.name}]`, () => {
    it(`issues exactly ${ROWS} awards after \`microcred issue\` is killed and run again`, { timeout: 30 * 60 * 1000 }, async () => {
      const t0 = Date.now();
      const timing = {};
      const db = freshDb(backend);
      // Publish with a server, then stop it: the CLI works alone.
      const setup = await startServer(backend, { db, keepDb: true });
      const spec = (await publishSpec(setup, { token: db.tokens.orgAdmin })).id;
      await setup.stop();
      const dir = mkdtempSync(join(WORK_DIR, 'kill-'));
      const file = join(dir, 'learners.csv');
      writeFileSync(file, learnersCsv(ROWS, uniq('k')));
      // No e-mails: --outbox '' (10,000 fsync'd files would only measure the disk).
      const args = ['issue', '--org', DEMO.org, '--spec', spec, '--csv', file, ...dbArgs(db), '--outbox', ''];

      const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      const exited = new Promise((res) => child.on('exit', (code, sig) => res(sig || code)));
      // Wait until awards are being committed, then two seconds more.
      let first = 0;
      while (await count(db, `spec_id = '${spec}'`) === 0) {
        if (child.exitCode !== null) assert.fail(`microcred issue ended before issuing: ${out}`);
        await sleep(50);
      }
      first = Date.now();
      timing.checkMs = first - t0;
      await sleep(2000);
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL', out);
      const killedAt = await count(db, `spec_id = '${spec}'`);
      timing.issuedBeforeKill = killedAt;
      assert.ok(killedAt > 0 && killedAt < ROWS, `killed while issuing: ${killedAt} of ${ROWS}`);
      const [interrupted] = await sql(db, "SELECT id, status FROM batches");
      assert.equal(interrupted.status, 'running');

      // Run the same command again, to completion.
      const t1 = Date.now();
      const again = await new Promise((res) => {
        const c = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let o = '';
        c.stdout.on('data', (d) => { o += d; });
        c.stderr.on('data', (d) => { o += d; });
        c.on('exit', (code) => res({ code, out: o }));
      });
      timing.resumeMs = Date.now() - t1;
      assert.equal(again.code, 0, again.out);
      assert.match(again.out, new RegExp(`${ROWS} of ${ROWS} issued, 0 failed`));

      const total = await count(db, `spec_id = '${spec}'`);
      assert.equal(total, ROWS, 'every learner has exactly one award');
      const dupEmails = await sql(db, `SELECT learner_email, COUNT(*) AS n FROM awards WHERE spec_id = '${spec}' GROUP BY learner_email HAVING COUNT(*) > 1`);
      assert.deepEqual(dupEmails, []);
      const dupKeys = await sql(db, 'SELECT idempotency_key, COUNT(*) AS n FROM awards GROUP BY org_id, idempotency_key HAVING COUNT(*) > 1');
      assert.deepEqual(dupKeys, []);
      const dupIndexes = await sql(db, 'SELECT status_index FROM awards GROUP BY org_id, status_index HAVING COUNT(*) > 1');
      assert.deepEqual(dupIndexes, [], 'every award has its own status index');

      // The second run's batch: every row has its award.
      const batches = await sql(db, 'SELECT id, status FROM batches ORDER BY created_at');
      assert.equal(batches.length, 2);
      const second = batches.find((b) => b.id !== interrupted.id);
      assert.equal(second.status, 'done');
      const missing = (id) => sql(db, `SELECT r.line FROM batch_rows r LEFT JOIN awards a ON a.id = r.award_id WHERE r.batch_id = '${id}' AND a.id IS NULL`);
      assert.deepEqual(await missing(second.id), []);

      // The interrupted batch: a server's worker finishes it, issuing nothing new.
      const t2 = Date.now();
      const srv = await startServer(backend, { db, keepDb: true });
      try {
        const done = await waitDone(srv, { token: db.tokens.orgAdmin }, interrupted.id, 15 * 60 * 1000);
        assert.equal(done.done, ROWS);
        assert.equal(done.failed, 0);
      } finally {
        await srv.stop();
      }
      timing.finishInterruptedMs = Date.now() - t2;
      assert.deepEqual(await missing(interrupted.id), [], 'every row of the interrupted batch has its award');
      const sameAwards = await sql(db, `SELECT COUNT(*) AS n FROM batch_rows a JOIN batch_rows b ON a.line = b.line AND a.award_id = b.award_id WHERE a.batch_id = '${interrupted.id}' AND b.batch_id = '${second.id}'`);
      assert.equal(Number(sameAwards[0].n), ROWS, 'both batches point each row at the same award');
      assert.equal(await count(db, `spec_id = '${spec}'`), ROWS);
      timing.totalMs = Date.now() - t0;
      console.log(`# kill-and-resume [${backend.name}] ${ROWS} rows: ${JSON.stringify(timing)}`);
    });
  });
}
