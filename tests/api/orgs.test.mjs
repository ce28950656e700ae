// orgs.test.mjs - organisations: registration and approval, editing, QA
// records, members and API tokens, on every backend.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, login, register, assertProblem, snapshot, uniq, newId, DEMO,
} from './harness.mjs';

const orgBody = (slug) => ({
  slug, legal_name: 'Nordic Skills Academy', legal_id_scheme: 'EU:VAT', legal_id: 'SE556677889901',
  country: 'SE', contact_email: 'office@nordic.example.org', website: 'https://nordic.example.org',
});

for (const backend of backends()) {
  describe(`organisations [${backend.name}]`, () => {
    let srv;
    let founder; // registered person who creates an organisation
    let admin; // platform administrator
    let staff; // org-admin of demo-university
    const slug = uniq('nordic');
    const P = (p = '') => `/api/v1/organisations/${slug}${p}`;
    const U = (p = '') => `/api/v1/organisations/${DEMO.org}${p}`;

    before(async () => {
      srv = await startServer(backend);
      founder = await register(srv);
      admin = await login(srv, DEMO.platformAdmin);
      staff = await login(srv, DEMO.orgAdmin);
    });
    after(async () => { await srv.stop(); });

    it('create -> pending, hidden from the public -> approved -> listed', async () => {
      const c = await request(srv, 'POST', '/api/v1/organisations', { auth: founder, body: orgBody(slug) });
      assert.equal(c.status, 201, c.text);
      assert.equal(c.json.status, 'pending');
      assert.equal(c.json.slug, slug);

      assertProblem(assert, await request(srv, 'GET', P()), 404);
      const pub = await request(srv, 'GET', '/api/v1/organisations');
      assert.ok(!pub.json.items.some((o) => o.slug === slug), 'pending is not listed publicly');
      const all = await request(srv, 'GET', '/api/v1/organisations', { auth: admin });
      assert.ok(all.json.items.some((o) => o.slug === slug && o.status === 'pending'), 'platform admins see pending');
      assert.equal((await request(srv, 'GET', P(), { auth: founder })).status, 200, 'members see their pending organisation');

      const me = await request(srv, 'GET', '/api/v1/me', { auth: founder });
      assert.deepEqual(me.json.memberships.map((m) => [m.org.slug, m.role, m.org.status]), [[slug, 'org-admin', 'pending']]);

      const a = await request(srv, 'POST', P('/approve'), { auth: admin });
      assert.equal(a.status, 200, a.text);
      assert.equal(a.json.status, 'approved');
      const g = await request(srv, 'GET', P());
      assert.equal(g.status, 200);
      assert.equal(g.json.legal_name, 'Nordic Skills Academy');
      assert.deepEqual(g.json.qa_records, []);
      const pub2 = await request(srv, 'GET', '/api/v1/organisations');
      assert.ok(pub2.json.items.some((o) => o.slug === slug && o.status === 'approved'));
    });

    it('a taken slug is 409 naming slug', async () => {
      const r = await request(srv, 'POST', '/api/v1/organisations', { auth: founder, body: orgBody(DEMO.org) });
      const p = assertProblem(assert, r, 409);
      assert.ok(p.errors?.some((e) => e.field === 'slug'), r.text);
    });

    it('an unknown organisation is 404 for every route kind', async () => {
      assertProblem(assert, await request(srv, 'GET', '/api/v1/organisations/no-such-org'), 404);
      assertProblem(assert, await request(srv, 'PATCH', '/api/v1/organisations/no-such-org', { auth: admin, body: {} }), 404);
      assertProblem(assert, await request(srv, 'GET', '/api/v1/organisations/no-such-org/members', { auth: admin }), 404);
    });

    it('PATCH by the org-admin changes only what it names', async () => {
      const r = await request(srv, 'PATCH', P(), { auth: founder, body: { address: 'Kungsgatan 7, Göteborg', website: 'https://www.nordic.example.org' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.address, 'Kungsgatan 7, Göteborg');
      assert.equal(r.json.website, 'https://www.nordic.example.org');
      assert.equal(r.json.legal_name, 'Nordic Skills Academy');
      assert.ok(r.json.updated_at >= r.json.created_at);
      const g = await request(srv, 'GET', P());
      assert.equal(g.json.address, 'Kungsgatan 7, Göteborg');
    });

    it('PATCH refuses the slug, emptied required fields and bad values, changing nothing', async () => {
      const before = await snapshot(srv.db);
      let p = assertProblem(assert, await request(srv, 'PATCH', P(), { auth: founder, body: { slug: 'renamed' } }), 422);
      assert.ok(p.errors.some((e) => e.field === 'slug'));
      p = assertProblem(assert, await request(srv, 'PATCH', P(), { auth: founder, body: { legal_name: '', country: 'sweden', website: 'ftp://x' } }), 422);
      assert.deepEqual(p.errors.map((e) => e.field).sort(), ['country', 'legal_name', 'website']);
      assert.deepStrictEqual(await snapshot(srv.db), before);
    });

    it('QA records: add, shown on the profile, delete, delete again is 404', async () => {
      const body = { qa_type: 'external', framework: 'ESG 2015', body: 'UKÄ', date: '2024-02-29', evidence_url: 'https://www.uka.se/' };
      const a = await request(srv, 'POST', P('/qa-records'), { auth: founder, body });
      assert.equal(a.status, 201, a.text);
      assert.deepEqual({ ...a.json, id: undefined }, { ...body, id: undefined });
      let g = await request(srv, 'GET', P());
      assert.deepEqual(g.json.qa_records.map((q) => q.id), [a.json.id]);
      assert.equal((await request(srv, 'DELETE', P(`/qa-records/${a.json.id}`), { auth: founder })).status, 204);
      g = await request(srv, 'GET', P());
      assert.deepEqual(g.json.qa_records, []);
      assertProblem(assert, await request(srv, 'DELETE', P(`/qa-records/${a.json.id}`), { auth: founder }), 404);
      assertProblem(assert, await request(srv, 'DELETE', P(`/qa-records/${newId()}`), { auth: founder }), 404);
    });

    it('QA records of another organisation cannot be deleted through this one', async () => {
      const a = await request(srv, 'POST', U('/qa-records'), { auth: staff, body: { qa_type: 'internal', framework: 'ISO 21001', body: 'QA office', date: '2023-03-01' } });
      assert.equal(a.status, 201);
      assertProblem(assert, await request(srv, 'DELETE', P(`/qa-records/${a.json.id}`), { auth: founder }), 404);
      const g = await request(srv, 'GET', U());
      assert.ok(g.json.qa_records.some((q) => q.id === a.json.id));
    });

    it('QA record validation: bad date, bad enum', async () => {
      const p = assertProblem(assert, await request(srv, 'POST', P('/qa-records'), {
        auth: founder, body: { qa_type: 'peer', framework: 'ESG', body: 'X', date: '2023-02-29' },
      }), 422);
      assert.deepEqual(p.errors.map((e) => e.field).sort(), ['date', 'qa_type']);
    });

    it('members: add, list, duplicate 409, unknown e-mail 422, remove one role', async () => {
      const person = await register(srv);
      const add = await request(srv, 'POST', P('/members'), { auth: founder, body: { email: person.email, role: 'issuer' } });
      assert.equal(add.status, 201, add.text);
      assert.deepEqual([add.json.user.id, add.json.role], [person.user.id, 'issuer']);
      assertProblem(assert, await request(srv, 'POST', P('/members'), { auth: founder, body: { email: person.email, role: 'issuer' } }), 409);
      const p = assertProblem(assert, await request(srv, 'POST', P('/members'), { auth: founder, body: { email: `${uniq('ghost')}@example.org`, role: 'issuer' } }), 422);
      assert.ok(p.errors.some((e) => e.field === 'email'));
      assert.equal((await request(srv, 'POST', P('/members'), { auth: founder, body: { email: person.email, role: 'assessor' } })).status, 201);

      let list = await request(srv, 'GET', P('/members'), { auth: person });
      assert.equal(list.status, 200, 'an issuer may list members');
      const roles = list.json.items.filter((m) => m.user.id === person.user.id).map((m) => m.role).sort();
      assert.deepEqual(roles, ['assessor', 'issuer']);

      assertProblem(assert, await request(srv, 'DELETE', P(`/members/${person.user.id}?role=boss`), { auth: founder }), 422);
      assert.equal((await request(srv, 'DELETE', P(`/members/${person.user.id}?role=issuer`), { auth: founder })).status, 204);
      list = await request(srv, 'GET', P('/members'), { auth: founder });
      assert.deepEqual(list.json.items.filter((m) => m.user.id === person.user.id).map((m) => m.role), ['assessor']);
      assert.equal((await request(srv, 'DELETE', P(`/members/${person.user.id}`), { auth: founder })).status, 204);
      assertProblem(assert, await request(srv, 'DELETE', P(`/members/${person.user.id}`), { auth: founder }), 404);
      assertProblem(assert, await request(srv, 'GET', P('/members'), { auth: person }), 403);
    });

    it('removing the last org-admin is 409 and changes nothing; with a second admin it works', async () => {
      const before = await snapshot(srv.db);
      const r = await request(srv, 'DELETE', P(`/members/${founder.user.id}`), { auth: founder });
      assertProblem(assert, r, 409);
      assertProblem(assert, await request(srv, 'DELETE', P(`/members/${founder.user.id}?role=org-admin`), { auth: founder }), 409);
      assert.deepStrictEqual(await snapshot(srv.db), before);

      const second = await register(srv);
      assert.equal((await request(srv, 'POST', P('/members'), { auth: founder, body: { email: second.email, role: 'org-admin' } })).status, 201);
      assert.equal((await request(srv, 'DELETE', P(`/members/${founder.user.id}`), { auth: second })).status, 204);
      assertProblem(assert, await request(srv, 'GET', P('/tokens'), { auth: founder }), 403);
      // Give it back so later tests can use the founder.
      assert.equal((await request(srv, 'POST', P('/members'), { auth: second, body: { email: founder.email, role: 'org-admin' } })).status, 201);
    });

    it('tokens: shown once, never listed, bearer needs no CSRF, last_used_at, revoke -> 401', async () => {
      const c = await request(srv, 'POST', P('/tokens'), { auth: founder, body: { name: 'SIS integration', role: 'org-admin' } });
      assert.equal(c.status, 201, c.text);
      assert.match(c.json.token, /^mct_[A-Za-z0-9_-]{43}$/);
      assert.equal(c.json.last_used_at, null);
      assert.equal(c.json.revoked_at, null);
      assert.equal(c.headers.get('cache-control'), 'no-store');
      const t = { token: c.json.token };

      const list = await request(srv, 'GET', P('/tokens'), { auth: founder });
      const listed = list.json.items.find((x) => x.id === c.json.id);
      assert.ok(listed);
      assert.ok(!('token' in listed) && !('token_hash' in listed));
      assert.ok(!list.text.includes(c.json.token.slice(4)), 'the token never appears in a listing');
      assert.equal(listed.last_used_at, null);

      // Bearer requests carry no cookie and need no CSRF token.
      const m = await request(srv, 'GET', P('/members'), { auth: t });
      assert.equal(m.status, 200);
      const q = await request(srv, 'POST', P('/qa-records'), { auth: t, body: { qa_type: 'internal', framework: 'F', body: 'B', date: '2020-01-01' } });
      assert.equal(q.status, 201, q.text);
      // A token is scoped to its organisation.
      assertProblem(assert, await request(srv, 'GET', U('/members'), { auth: t }), 403);

      const after1 = (await request(srv, 'GET', P('/tokens'), { auth: founder })).json.items.find((x) => x.id === c.json.id);
      assert.match(after1.last_used_at, /^\d{4}-\d\d-\d\dT/);

      assert.equal((await request(srv, 'DELETE', P(`/tokens/${c.json.id}`), { auth: founder })).status, 204);
      assertProblem(assert, await request(srv, 'GET', P('/members'), { auth: t }), 401);
      const after2 = (await request(srv, 'GET', P('/tokens'), { auth: founder })).json.items.find((x) => x.id === c.json.id);
      assert.match(after2.revoked_at, /^\d{4}-\d\d-\d\dT/);
      assertProblem(assert, await request(srv, 'DELETE', P(`/tokens/${newId()}`), { auth: founder }), 404);
    });

    it('an issuer-role token may not manage the organisation', async () => {
      const c = await request(srv, 'POST', P('/tokens'), { auth: founder, body: { name: 'issuing only', role: 'issuer' } });
      const t = { token: c.json.token };
      assert.equal((await request(srv, 'GET', P('/members'), { auth: t })).status, 200);
      assertProblem(assert, await request(srv, 'GET', P('/tokens'), { auth: t }), 403);
      assertProblem(assert, await request(srv, 'PATCH', P(), { auth: t, body: { address: 'x' } }), 403);
    });

    it('tokens of another organisation cannot be revoked through this one', async () => {
      const c = await request(srv, 'POST', U('/tokens'), { auth: staff, body: { name: 'uni', role: 'issuer' } });
      assert.equal(c.status, 201);
      assertProblem(assert, await request(srv, 'DELETE', P(`/tokens/${c.json.id}`), { auth: founder }), 404);
      assert.equal((await request(srv, 'GET', U('/members'), { auth: { token: c.json.token } })).status, 200);
    });
  });
}
