// authz.test.mjs - the authorization matrix (authz-matrix.json) against the
// running server, on every backend.
//
// The route table (`microcred routes`) and the matrix must describe the same
// routes, with the same access level. Then every (route, principal) pair is
// one request with the principal's credentials and a minimal valid body; the
// status must be exactly the matrix's, and a principal the matrix allows
// must never see 401 or 403. Routes acting on one thing ({id}, {user_id}, {token})
// get a thing made just before (see "target" in the matrix), so an allowed
// request really deletes something and a denied one must leave it in place.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  backends, startServer, request, login, register, cli, uniq, DEMO,
  fullSpecification, publishSpec, issueAward, claimToken,
} from './harness.mjs';

const matrix = JSON.parse(readFileSync(new URL('./authz-matrix.json', import.meta.url), 'utf8'));
const routes = JSON.parse(cli(['routes']).stdout);
const key = (r) => `${r.method} ${r.path}`;
const PRINCIPALS = Object.keys(matrix.principals);
const USER_PRINCIPALS = {
  learner: DEMO.learner, org_admin: DEMO.orgAdmin, issuer: DEMO.issuer, assessor: DEMO.assessor,
  other_org_admin: DEMO.otherOrgAdmin, platform_admin: DEMO.platformAdmin,
};

describe('authorization matrix covers the route table', () => {
  it('every route has a matrix entry with the same access level', () => {
    const entries = new Map(matrix.routes.map((e) => [key(e), e]));
    const missing = routes.filter((r) => !entries.has(key(r))).map(key);
    assert.deepEqual(missing, [], 'routes without a matrix entry');
    for (const r of routes) assert.equal(entries.get(key(r)).access, r.access, `access of ${key(r)}`);
  });
  it('every matrix entry names a route', () => {
    const have = new Set(routes.map(key));
    assert.deepEqual(matrix.routes.filter((e) => !have.has(key(e))).map(key), [], 'matrix entries without a route');
  });
  it('every entry gives a status for every principal, consistent with its access level', () => {
    for (const e of matrix.routes) {
      assert.deepEqual(Object.keys(e.expect).sort(), [...PRINCIPALS].sort(), key(e));
      if (e.access === 'public') {
        for (const p of PRINCIPALS) assert.ok(![401, 403].includes(e.expect[p]), `${key(e)} is public but denies ${p}`);
      } else {
        assert.equal(e.expect.anonymous, 401, `${key(e)}: anonymous`);
        assert.equal(e.expect.ended_session, 401, `${key(e)}: ended session`);
      }
    }
  });
});

function fill(value, vars) {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_, k) => (k === 'uniq' ? uniq('m') : vars[k]));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  }
  return value;
}

for (const backend of backends()) {
  describe(`authorization matrix [${backend.name}]`, () => {
    let srv;
    const auth = {}; // principal -> auth for request()
    let spare; // a user who belongs to no organisation, moved in and out by target setups
    let specId; // a specification published in before(): {{spec_id}}

    const orgPath = (p) => `/api/v1/organisations/${DEMO.org}${p}`;
    const asAdmin = (method, path, body) => request(srv, method, path, { auth: auth.org_admin, body });

    before(async () => {
      srv = await startServer(backend);
      auth.anonymous = null;
      auth.token_org_admin = { token: srv.db.tokens.orgAdmin };
      auth.token_other_org = { token: srv.db.tokens.otherOrgAdmin };
      for (const [p, email] of Object.entries(USER_PRINCIPALS)) auth[p] = await login(srv, email);
      const ended = await login(srv, DEMO.learner);
      const out = await request(srv, 'POST', '/api/v1/auth/logout', { auth: ended });
      assert.equal(out.status, 204);
      auth.ended_session = ended;
      spare = await register(srv);
      specId = (await publishSpec(srv, auth.org_admin)).id;
    });
    after(async () => { await srv.stop(); });

    // Prepare the thing a route acts on; returns the path to request.
    async function setUp(entry) {
      let path = entry.path.replace('{slug}', DEMO.org);
      const spec = (draft) => asAdmin('POST', orgPath('/specifications'), { draft });
      if (entry.target === 'spec' || entry.target === 'spec_ready') {
        const r = await spec(entry.target === 'spec' ? { languages: ['en'], title: { en: uniq('draft') } } : fullSpecification());
        assert.equal(r.status, 201, r.text);
        path = path.replace('{id}', r.json.id);
      } else if (entry.target === 'published') {
        path = path.replace('{id}', (await publishSpec(srv, auth.org_admin)).id);
      } else if (entry.target === 'award' || entry.target === 'claim') {
        const email = `${uniq('aw')}@example.org`;
        const r = await issueAward(srv, auth.org_admin, specId, { learner: { name: 'Target Learner', email } });
        assert.equal(r.status, 201, r.text);
        path = path.replace('{id}', r.json.id);
        if (entry.target === 'claim') {
          const token = claimToken(srv, email);
          assert.ok(token, 'the claim e-mail is in the outbox');
          path = path.replace('{token}', token);
        }
      } else if (entry.target === 'batch') {
        const r = await request(srv, 'POST', orgPath(`/batches?specification_id=${specId}`), {
          auth: auth.org_admin, contentType: 'text/csv', raw: `email,name,grade\n${uniq('b')}@example.org,Batch Target,Pass\n`,
        });
        assert.equal(r.status, 201, r.text);
        path = path.replace('{id}', r.json.id);
      } else if (entry.target === 'qa') {
        const r = await asAdmin('POST', orgPath('/qa-records'),
          { qa_type: 'internal', framework: 'ISO 21001', body: 'Quality office', date: '2023-01-31' });
        assert.equal(r.status, 201, r.text);
        path = path.replace('{id}', r.json.id);
      } else if (entry.target === 'token') {
        const r = await asAdmin('POST', orgPath('/tokens'), { name: uniq('tok'), role: 'assessor' });
        assert.equal(r.status, 201, r.text);
        path = path.replace('{id}', r.json.id);
      } else if (entry.target === 'member') {
        const r = await asAdmin('POST', orgPath('/members'), { email: spare.email, role: 'assessor' });
        assert.ok([201, 409].includes(r.status), r.text);
        path = path.replace('{user_id}', spare.user.id);
      } else if (entry.target === 'member_absent') {
        const r = await asAdmin('DELETE', orgPath(`/members/${spare.user.id}`));
        assert.ok([204, 404].includes(r.status), r.text);
      }
      for (const [k, v] of Object.entries(entry.params || {})) path = path.replace(`{${k}}`, v);
      assert.ok(!/[{}]/.test(path), `no set-up for a parameter of ${entry.path}`);
      if (entry.query) path += `?${fill(entry.query, { spec_id: specId })}`;
      return path;
    }

    for (const entry of matrix.routes) {
      describe(key(entry), () => {
        for (const p of PRINCIPALS) {
          const want = entry.expect[p];
          it(`${p} -> ${want}`, async () => {
            const path = await setUp(entry);
            let a = auth[p];
            if (entry.fresh_session && USER_PRINCIPALS[p]) a = await login(srv, USER_PRINCIPALS[p]);
            const vars = { spare_email: spare.email, learner_email: DEMO.learner, spec_id: specId };
            const body = entry.body ? fill(entry.body, vars) : undefined;
            const raw = entry.raw !== undefined ? fill(entry.raw, vars) : undefined;
            const r = await request(srv, entry.method, path, { auth: a, body, raw, contentType: entry.contentType });
            assert.equal(r.status, want, `${key(entry)} as ${p}: ${r.text}`);
            if ([401, 403, 404].includes(want) || r.status >= 400) {
              assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
            }
          });
        }
      });
    }

    describe('GET /api/v1/organisations/{slug} of an organisation not yet approved', () => {
      const entry = matrix.routes.find((e) => e.pending_org);
      let slug;
      before(async () => {
        slug = uniq('pending');
        const r = await request(srv, 'POST', '/api/v1/organisations', {
          auth: auth.org_admin,
          body: { slug, legal_name: 'Pending College', legal_id_scheme: 'EU:VAT', legal_id: 'SE1', country: 'SE', contact_email: 'a@pending.example.org' },
        });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.status, 'pending');
      });
      for (const p of PRINCIPALS) {
        it(`${p} -> ${entry.pending_org[p]}`, async () => {
          const r = await request(srv, 'GET', `/api/v1/organisations/${slug}`, { auth: auth[p] });
          assert.equal(r.status, entry.pending_org[p], r.text);
        });
      }
    });

    it('denied requests changed nothing they were denied (the QA record survives)', async () => {
      const r = await asAdmin('POST', orgPath('/qa-records'),
        { qa_type: 'internal', framework: 'ISO 9001', body: 'Audit office', date: '2022-02-02' });
      const id = r.json.id;
      for (const p of ['learner', 'issuer', 'assessor', 'other_org_admin', 'token_other_org', 'anonymous']) {
        const d = await request(srv, 'DELETE', orgPath(`/qa-records/${id}`), { auth: auth[p] });
        assert.ok([401, 403].includes(d.status));
      }
      const org = await request(srv, 'GET', orgPath(''));
      assert.ok(org.json.qa_records.some((q) => q.id === id));
    });
  });
}
