// accounts.test.mjs - sign-up, log-in, sessions and log-in throttling, on
// every backend.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, login, register, sessionCookie, assertProblem, snapshot, uniq, DEMO, PASSWORD,
} from './harness.mjs';

for (const backend of backends()) {
  describe(`accounts [${backend.name}]`, () => {
    let srv;
    before(async () => { srv = await startServer(backend); });
    after(async () => { await srv.stop(); });

    it('register -> me -> logout -> me is 401', async () => {
      const email = `${uniq('ada')}@example.org`;
      const r = await request(srv, 'POST', '/api/v1/auth/register', { body: { email, name: 'Ada Lovelace', password: 'correct-horse-1' } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.user.email, email);
      assert.equal(r.json.user.is_platform_admin, false);
      assert.ok(!/password|hash/i.test(JSON.stringify(r.json)), 'no password material in the answer');
      const cookie = sessionCookie(r.headers);
      assert.equal(cookie.length, 43);
      const sc = r.headers.get('set-cookie');
      assert.match(sc, /HttpOnly/);
      assert.match(sc, /SameSite=Lax/);
      assert.match(sc, /Path=\//);
      const s = { cookie, csrf: r.json.csrf };

      const me = await request(srv, 'GET', '/api/v1/me', { auth: s });
      assert.equal(me.status, 200);
      assert.equal(me.json.user.id, r.json.user.id);
      assert.equal(me.json.csrf, s.csrf);
      assert.deepEqual(me.json.memberships, []);
      assert.equal(me.headers.get('cache-control'), 'no-store');

      const out = await request(srv, 'POST', '/api/v1/auth/logout', { auth: s });
      assert.equal(out.status, 204);
      assert.equal(sessionCookie(out.headers), '');
      assertProblem(assert, await request(srv, 'GET', '/api/v1/me', { auth: s }), 401);
      // The same session cannot log out twice either.
      assertProblem(assert, await request(srv, 'POST', '/api/v1/auth/logout', { auth: s }), 401);
    });

    it('a taken e-mail is 409, whatever its case, and changes nothing', async () => {
      const a = await register(srv);
      const before = await snapshot(srv.db);
      const r = await request(srv, 'POST', '/api/v1/auth/register', { body: { email: a.email.toUpperCase(), name: 'Twin', password: 'another-password-1' } });
      const p = assertProblem(assert, r, 409);
      assert.match(p.type, /conflict/);
      assert.deepStrictEqual(await snapshot(srv.db), before);
    });

    it('logs in with any case of the e-mail', async () => {
      const s = await login(srv, DEMO.learner.toUpperCase());
      assert.equal(s.user.email, DEMO.learner);
    });

    it('a wrong password and an unknown e-mail give the same 401', async () => {
      const wrong = await request(srv, 'POST', '/api/v1/auth/login', { body: { email: DEMO.issuer, password: 'not-the-password' } });
      const unknown = await request(srv, 'POST', '/api/v1/auth/login', { body: { email: `${uniq('nobody')}@example.org`, password: 'not-the-password' } });
      const a = assertProblem(assert, wrong, 401);
      const b = assertProblem(assert, unknown, 401);
      assert.equal(a.detail, b.detail);
      assert.equal(a.type, b.type);
      assert.equal(a.title, b.title);
      assert.equal(sessionCookie(wrong.headers), undefined, 'no session for a failed log-in');
    });

    it('5 failed log-ins for one account -> 429 with Retry-After, even with the right password', async () => {
      const victim = await register(srv);
      for (let k = 0; k < 5; k++) {
        const r = await request(srv, 'POST', '/api/v1/auth/login', { body: { email: victim.email, password: `wrong-${k}-password` } });
        assertProblem(assert, r, 401);
      }
      const r = await request(srv, 'POST', '/api/v1/auth/login', { body: { email: victim.email, password: PASSWORD } });
      const p = assertProblem(assert, r, 429);
      assert.match(p.type, /rate-limited|too-many/);
      const retry = Number(r.headers.get('retry-after'));
      assert.ok(Number.isInteger(retry) && retry > 0, `Retry-After: ${r.headers.get('retry-after')}`);
      assert.equal(sessionCookie(r.headers), undefined);
      // Other accounts are not locked out.
      const other = await login(srv, DEMO.assessor);
      assert.equal(other.user.email, DEMO.assessor);
      // The locked account's existing session still works.
      const me = await request(srv, 'GET', '/api/v1/me', { auth: victim });
      assert.equal(me.status, 200);
    });

    it('a successful log-in gives a new session each time; logging one out keeps the other', async () => {
      const a = await login(srv, DEMO.learner);
      const b = await login(srv, DEMO.learner);
      assert.notEqual(a.cookie, b.cookie);
      assert.notEqual(a.csrf, b.csrf);
      assert.equal((await request(srv, 'POST', '/api/v1/auth/logout', { auth: a })).status, 204);
      assert.equal((await request(srv, 'GET', '/api/v1/me', { auth: b })).status, 200);
    });

    it('the CSRF token of one session does not work for another', async () => {
      const a = await login(srv, DEMO.orgAdmin);
      const b = await login(srv, DEMO.orgAdmin);
      const r = await request(srv, 'POST', '/api/v1/auth/logout', { auth: { cookie: a.cookie, csrf: b.csrf } });
      assertProblem(assert, r, 403);
      assert.equal((await request(srv, 'GET', '/api/v1/me', { auth: a })).status, 200);
    });

    it('register validates every field at once', async () => {
      const r = await request(srv, 'POST', '/api/v1/auth/register', { body: { email: 'not-an-email', name: '', password: 'short' } });
      const p = assertProblem(assert, r, 422);
      assert.deepEqual(p.errors.map((e) => e.field).sort(), ['email', 'name', 'password']);
    });
  });
}
