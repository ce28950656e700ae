// privacy.test.mjs - deleting an account removes the person's data from every
// table (found by scanning every row of every table for their name, e-mail
// and ids), except the issuer's own record of what it issued, which the
// account page states; and no user reaches another's wallet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, login, register, publishSpec, issueAward, snapshot, assertProblem, DEMO, uniq,
} from './harness.mjs';

// Tables where the issuer keeps its record of what it issued (stated to the
// learner on the account page): awards (learner name and e-mail),
// batch_rows (the uploaded row), spec data is not personal.
const ISSUER_RECORD = new Set(['awards', 'batch_rows']);

for (const backend of backends()) {
  test(`account deletion leaves nothing of the person (${backend.name})`, async () => {
    const srv = await startServer(backend);
    try {
      const issuer = await login(srv, DEMO.issuer);
      const spec = await publishSpec(srv, issuer);
      const name = `Zelda ${uniq('Quux')}`;
      const email = `${uniq('zelda')}@example.org`;
      const me = await register(srv, { email, name });
      // Give the person data everywhere the platform keeps any.
      const award = await issueAward(srv, issuer, spec.id, { learner: { name, email } });
      assert.equal(award.status, 201, award.text);
      const claim = await request(srv, 'POST', `/api/v1/wallet/awards/${award.json.id}`, { auth: me });
      assert.equal(claim.status, 201, claim.text);
      const item = claim.json.id;
      const share = await request(srv, 'POST', '/api/v1/shares', { auth: me, body: { items: [item], recipient: 'Recruiter', access_code: 'secret-1' } });
      assert.equal(share.status, 201, share.text);
      const token = share.json.url.split('/').pop();
      assert.equal((await request(srv, 'GET', `/api/v1/shared/${token}?code=secret-1`)).status, 200);
      const other = `${uniq('zelda-old')}@example.org`;
      assert.equal((await request(srv, 'POST', '/api/v1/account/identifiers', { auth: me, body: { email: other } })).status, 201);
      const fb = await request(srv, 'PUT', `/api/v1/wallet/${item}/feedback`, { auth: me, body: { clarity: 5, assessment: 4, relevance: 5, comment: `thanks from ${name}`, named: true } });
      assert.equal(fb.status, 200, fb.text);
      const req = await request(srv, 'POST', '/api/v1/award-requests', { auth: me, body: { organisation: DEMO.org, specification_id: spec.id, kind: 'validation', statement: `I, ${name}, did this at work` } });
      assert.equal(req.status, 201, req.text);
      const consent = await request(srv, 'POST', '/api/v1/consents', { auth: me, body: { organisation: DEMO.org, item_id: item } });
      assert.equal(consent.status, 204, consent.text);

      // Another user never sees this wallet.
      const stranger = await register(srv, {});
      assert.equal((await request(srv, 'GET', `/api/v1/wallet/${item}`, { auth: stranger })).status, 404);
      const theirs = await request(srv, 'GET', '/api/v1/wallet', { auth: stranger });
      assert.equal(theirs.json.items.length, 0);

      // The export holds what the pages show, with the signed original.
      const exp = await request(srv, 'GET', '/api/v1/account/export', { auth: me });
      assert.equal(exp.status, 200);
      assert.equal(exp.json.wallet.length, 1);
      assert.deepEqual(JSON.parse(exp.json.wallet[0].original), award.json.credential);
      assert.equal(exp.json.shares.length, 1);
      assert.ok(exp.json.shares[0].openings.length >= 1);
      assert.equal(exp.json.identifiers[0].value, other);

      const del = await request(srv, 'DELETE', '/api/v1/account', { auth: me });
      assert.equal(del.status, 204, del.text);
      assert.equal((await request(srv, 'GET', '/api/v1/me', { auth: me })).status, 401);

      const needles = [name, email, other, me.user.id, item, token];
      // The audit log is the platform's accountability record: append-only and
      // hash-chained, it names actors and subjects by random ids only, which
      // point at nothing once the account is gone - but never a name or address.
      const auditNeedles = [name, email, other, token];
      const all = await snapshot(srv.db, { excludeTables: [], excludeColumns: {} });
      const found = [];
      for (const [table, rows] of Object.entries(all)) {
        if (ISSUER_RECORD.has(table)) continue;
        const text = JSON.stringify(rows);
        for (const n of table === 'audit_log' ? auditNeedles : needles) if (text.includes(n)) found.push(`${table} holds ${n}`);
      }
      assert.deepEqual(found, [], 'personal data left after deleting the account');
      // The issuer's record is still there (needed to revoke), and no longer claimed.
      const awards = all.awards.filter((a) => a.learner_email === email);
      assert.equal(awards.length, 1);
      assert.equal(awards[0].claimed_by, null);
    } finally {
      await srv.stop();
    }
  });

  test(`the only administrator of an organisation cannot delete the account (${backend.name})`, async () => {
    const srv = await startServer(backend);
    try {
      const admin = await login(srv, DEMO.orgAdmin);
      const before = await snapshot(srv.db);
      assertProblem(assert, await request(srv, 'DELETE', '/api/v1/account', { auth: admin }), 409);
      assert.deepEqual(await snapshot(srv.db), before, 'nothing changed');
      // Once someone else is an administrator, the account can go.
      const next = await register(srv, {});
      const add = await request(srv, 'POST', `/api/v1/organisations/${DEMO.org}/members`,
        { auth: admin, body: { email: next.user.email, role: 'org-admin' } });
      assert.equal(add.status, 201, add.text);
      assert.equal((await request(srv, 'DELETE', '/api/v1/account', { auth: admin })).status, 204);
    } finally {
      await srv.stop();
    }
  });
}
