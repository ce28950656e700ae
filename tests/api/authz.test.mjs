// authz.test.mjs - the authorization matrix (authz-matrix.json) against the
// running server, on every backend.
//
// The route table (`microcred routes`) and the matrix must describe the same
// routes, with the same access level. Then every (route, principal) pair is
// one request with the principal's credentials and a minimal valid body; the
// status must be exactly the matrix's, and a principal the matrix allows
// must never see 401 or 403. Routes acting on one thing ({id}, {user_id}, {token})
// get a thing made just before (see "target" in the matrix), so an allowed
// request really deletes something and a denied one must leave it in place:
// the denied requests (401, 403, 404, 409, 422) of a route with a method that
// is not GET run first, against one shared thing, and are shown to change
// nothing by a snapshot of the whole database (harness.mjs VOLATILE_* aside,
// long values as digests) before the first and after the last. Things owned by a
// person (wallet items, shares, addresses, requests, evidence) belong to the
// demo learner, so every other person's answer shows whether they can reach
// someone else's data. Entries marked "isolated" (deleting one's account)
// run on a server of their own, so the principals survive for the rest.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  backends, startServer, request, login, register, cli, uniq, sleep, DEMO, WORK_DIR,
  fullSpecification, publishSpec, issueAward, claimToken, linkToken, snapshot,
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
  it('every entry that answers 404, 409 or 422 to a principal says why in "hidden", and every reason names a route', () => {
    const have = new Set(routes.map(key));
    for (const k of Object.keys(matrix.hidden)) assert.ok(have.has(k), `hidden names no route: ${k}`);
    for (const e of matrix.routes) {
      if (Object.values(e.expect).some((st) => [404, 409, 422].includes(st))) assert.ok(matrix.hidden[key(e)], `${key(e)} needs a reason in hidden`);
    }
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

// {{name}} in strings becomes vars[name] ({{uniq}}: a unique text); a string
// that is exactly "{{name}}" of an object becomes (a copy of) that object.
function fill(value, vars) {
  if (typeof value === 'string') {
    const whole = /^\{\{(\w+)\}\}$/.exec(value);
    if (whole && vars[whole[1]] && typeof vars[whole[1]] === 'object') return structuredClone(vars[whole[1]]);
    return value.replace(/\{\{(\w+)\}\}/g, (_, k) => (k === 'uniq' ? uniq('m') : vars[k]));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  }
  return value;
}

// A specification nobody holds: no pathway made here is ever met. (Asking
// for a review still shares every trusted credential of the caller with the
// pathway's organisation, whether it matches a rule or not, which is why
// the consent target uses demo-employer.)
const NOBODY_SPEC = 'https://example.org/specs/held-by-nobody';
const EVIDENCE = 'Attendance: 12 of 12 sessions; final project passed.\n';
const DENIED = [401, 403, 404, 409, 422];

// A server for the matrix with every principal's credentials: a small
// statistics threshold (two answers make feedback figures visible) and an
// evidence directory of its own.
async function matrixServer(backend) {
  const srv = await startServer(backend, {
    extraArgs: ['--evidence-dir', join(WORK_DIR, uniq('evidence')), '--stats-threshold', '2'],
  });
  const auth = { anonymous: null };
  auth.token_org_admin = { token: srv.db.tokens.orgAdmin };
  auth.token_other_org = { token: srv.db.tokens.otherOrgAdmin };
  for (const [p, email] of Object.entries(USER_PRINCIPALS)) auth[p] = await login(srv, email);
  const ended = await login(srv, DEMO.learner);
  const out = await request(srv, 'POST', '/api/v1/auth/logout', { auth: ended });
  assert.equal(out.status, 204);
  auth.ended_session = ended;
  return { srv, auth };
}

for (const backend of backends()) {
  describe(`authorization matrix [${backend.name}]`, () => {
    const main = {}; // {srv, auth}: auth is principal -> auth for request()
    let spare; // a user who belongs to no organisation, moved in and out by target setups
    const vars = {}; // what bodies, queries and params may name (see the matrix's "about")

    const orgPath = (p) => `/api/v1/organisations/${DEMO.org}${p}`;
    const ok = (r, ...codes) => { assert.ok(codes.includes(r.status), `${r.status} ${r.text}`); return r.json; };

    before(async () => {
      Object.assign(main, await matrixServer(backend));
      const { srv, auth } = main;
      spare = await register(srv);
      const spec = await publishSpec(srv, auth.org_admin);
      const aw = await issueAward(srv, auth.org_admin, spec.id);
      assert.equal(aw.status, 201, aw.text);
      Object.assign(vars, {
        spare_email: spare.email, spare_id: spare.user.id, learner_email: DEMO.learner,
        spec_id: spec.id, spec_url: spec.url, nobody_spec: NOBODY_SPEC,
        credential_json: aw.json.credential, credential: JSON.stringify(aw.json.credential),
      });
      // Feedback from two people on the specification: enough (threshold 2)
      // for POST .../feedback/{id}/qa-record to have figures to attach.
      for (const who of [auth.learner, spare]) {
        const a = await issueAward(srv, auth.org_admin, spec.id, { learner: { name: who.user.name, email: who.user.email } });
        assert.equal(a.status, 201, a.text);
        const item = ok(await request(srv, 'POST', `/api/v1/wallet/awards/${a.json.id}`, { auth: who }), 201);
        ok(await request(srv, 'PUT', `/api/v1/wallet/${item.id}/feedback`, { auth: who, body: { clarity: 4, assessment: 5, relevance: 4 } }), 200);
      }
    });
    after(async () => { await main.srv.stop(); });

    // Prepare the thing a route acts on; returns the path to request and the
    // variables of this request.
    async function setUp({ srv, auth }, entry) {
      const v = { ...vars };
      let path = entry.path;
      for (const [k, x] of Object.entries(entry.params || {})) path = path.replace(`{${k}}`, fill(x, v));
      path = path.replace('{slug}', DEMO.org);
      const as = (who, method, p, body, opts = {}) => request(srv, method, p, { auth: auth[who], body, ...opts });
      const asAdmin = (method, p, body) => as('org_admin', method, p, body);
      const spec = (draft) => asAdmin('POST', orgPath('/specifications'), { draft });
      const id = (x) => { path = path.replace('{id}', x); };
      const t = entry.target;
      // Things of the demo learner, built on one another.
      const learnerItem = async () => {
        const a = await issueAward(srv, auth.org_admin, v.spec_id, { learner: { name: 'Liis Learner', email: DEMO.learner } });
        assert.equal(a.status, 201, a.text);
        return ok(await as('learner', 'POST', `/api/v1/wallet/awards/${a.json.id}`), 201).id;
      };
      const pathway = async () => ok(await asAdmin('POST', orgPath('/pathways'),
        { name: { en: uniq('Matrix pathway') }, rules: { type: 'credential', specification: NOBODY_SPEC } }), 201).id;
      const role = async () => ok(await asAdmin('POST', orgPath('/roles'), { name: uniq('Matrix role'), requirements: [] }), 201).id;
      const awardRequest = async () => ok(await as('learner', 'POST', '/api/v1/award-requests', {
        organisation: DEMO.org, specification_id: v.spec_id, kind: 'course', statement: 'I completed the course.' }), 201).id;
      if (t === 'spec' || t === 'spec_ready') {
        const r = await spec(t === 'spec' ? { languages: ['en'], title: { en: uniq('draft') } } : fullSpecification());
        assert.equal(r.status, 201, r.text);
        id(r.json.id);
      } else if (t === 'published') {
        id((await publishSpec(srv, auth.org_admin)).id);
      } else if (t === 'award' || t === 'claim' || t === 'award_learner') {
        const email = t === 'award_learner' ? DEMO.learner : `${uniq('aw')}@example.org`;
        const r = await issueAward(srv, auth.org_admin, v.spec_id, { learner: { name: 'Target Learner', email } });
        assert.equal(r.status, 201, r.text);
        id(r.json.id);
        if (t === 'claim') {
          const token = claimToken(srv, email);
          assert.ok(token, 'the claim e-mail is in the outbox');
          path = path.replace('{token}', token);
        }
      } else if (t === 'batch') {
        const r = await request(srv, 'POST', orgPath(`/batches?specification_id=${v.spec_id}`), {
          auth: auth.org_admin, contentType: 'text/csv', raw: `email,name,grade\n${uniq('b')}@example.org,Batch Target,Pass\n`,
        });
        assert.equal(r.status, 201, r.text);
        id(r.json.id);
        // The batch issues in the background: wait until it is done, so the
        // database holds still around the requests.
        for (let k = 0; ; k++) {
          const b = ok(await asAdmin('GET', orgPath(`/batches/${r.json.id}`)), 200);
          if (b.status === 'done') break;
          assert.ok(k < 200, 'the batch finishes');
          await sleep(25);
        }
      } else if (t === 'qa') {
        id(ok(await asAdmin('POST', orgPath('/qa-records'),
          { qa_type: 'internal', framework: 'ISO 21001', body: 'Quality office', date: '2023-01-31' }), 201).id);
      } else if (t === 'token') {
        id(ok(await asAdmin('POST', orgPath('/tokens'), { name: uniq('tok'), role: 'assessor' }), 201).id);
      } else if (t === 'member') {
        ok(await asAdmin('POST', orgPath('/members'), { email: spare.email, role: 'assessor' }), 201, 409);
        path = path.replace('{user_id}', spare.user.id);
      } else if (t === 'member_absent') {
        ok(await asAdmin('DELETE', orgPath(`/members/${spare.user.id}`)), 204, 404);
      } else if (t === 'item' || t === 'feedback' || t === 'consent' || t === 'share') {
        v.item_id = await learnerItem();
        if (t !== 'share') id(v.item_id);
        if (t === 'feedback') {
          ok(await as('learner', 'PUT', `/api/v1/wallet/${v.item_id}/feedback`, { clarity: 3, assessment: 4, relevance: 5 }), 200);
        } else if (t === 'consent') {
          ok(await as('learner', 'POST', '/api/v1/consents', { organisation: path.split('/').pop(), item_id: v.item_id }), 204);
        } else if (t === 'share') {
          const s = ok(await as('learner', 'POST', '/api/v1/shares', { recipient: 'Matrix Employer', items: [v.item_id] }), 201);
          path = path.replace('{id}', s.id).replace('{token}', s.url.split('/s/')[1]);
        }
      } else if (t === 'identifier' || t === 'identifier_token') {
        const email = `${uniq('addr')}@example.org`;
        id(ok(await as('learner', 'POST', '/api/v1/account/identifiers', { email }), 201).id);
        if (t === 'identifier_token') {
          const token = linkToken(srv, email, '/verify-address/');
          assert.ok(token, 'the confirmation e-mail is in the outbox');
          path = path.replace('{token}', token);
        }
      } else if (t === 'registry') {
        id(ok(await as('platform_admin', 'POST', '/api/v1/registry',
          { identifier: `did:web:${uniq('reg')}.example.org`, kind: 'did', legal_name: 'Registered Academy', country: 'FI' }), 201).registry_id);
      } else if (t === 'pathway') {
        id(await pathway());
      } else if (t === 'pathway_request') {
        id(ok(await as('learner', 'POST', `/api/v1/pathways/${await pathway()}/requests`), 201).id);
      } else if (t === 'role' || t === 'staff_role') {
        v.role_id = await role();
        id(v.role_id);
        if (t === 'staff_role') ok(await asAdmin('POST', orgPath('/staff-roles'), { email: spare.email, role_id: v.role_id }), 204);
      } else if (t === 'award_request' || t === 'award_request_more' || t === 'evidence') {
        const rid = await awardRequest();
        id(rid);
        if (t === 'award_request_more') {
          ok(await asAdmin('POST', orgPath(`/award-requests/${rid}/more-evidence`), { note: 'Please add your project report.' }), 200);
        } else if (t === 'evidence') {
          const ev = ok(await as('learner', 'POST', `/api/v1/award-requests/${rid}/evidence?filename=notes.txt`, undefined,
            { raw: EVIDENCE, contentType: 'text/plain' }), 201);
          path = path.replace(rid, ev.id);
        }
      } else if (t) {
        assert.fail(`unknown target ${t}`);
      }
      assert.ok(!/[{}]/.test(path), `no set-up for a parameter of ${entry.path}`);
      if (entry.query) path += `?${fill(entry.query, v)}`;
      return { path, vars: v };
    }

    // Per route: the denied principals run first, all against one thing set
    // up for them (and, for GET, the allowed ones too); then, for a method
    // other than GET, a snapshot shows that none of them changed anything.
    // Each allowed principal of such a method gets a thing of its own, so an
    // allowed DELETE really deletes.
    for (const entry of matrix.routes) {
      describe(key(entry), () => {
        const own = {}; // the server of an isolated entry
        if (entry.isolated) {
          before(async () => { Object.assign(own, await matrixServer(backend)); });
          after(async () => { await own.srv.stop(); });
        }
        const ctx = () => (entry.isolated ? own : main);
        const denied = PRINCIPALS.filter((p) => DENIED.includes(entry.expect[p]));
        const order = [...denied, ...PRINCIPALS.filter((p) => !denied.includes(p))];
        const guard = denied.length > 0 && !['GET', 'HEAD'].includes(entry.method);
        let shared; // {path, vars} of the thing the denied principals act on
        let was; // the snapshot before the first of them
        for (const p of order) {
          const want = entry.expect[p];
          it(`${p} -> ${want}`, async () => {
            const c = ctx();
            let target;
            if (denied.includes(p) || entry.method === 'GET') {
              shared = shared || await setUp(c, entry);
              target = shared;
            } else {
              target = await setUp(c, entry);
            }
            let a = c.auth[p];
            if (entry.fresh_session && USER_PRINCIPALS[p]) a = await login(c.srv, USER_PRINCIPALS[p]);
            const body = entry.body ? fill(entry.body, target.vars) : undefined;
            const raw = entry.raw !== undefined ? fill(entry.raw, target.vars) : undefined;
            if (guard && denied.includes(p) && !was) was = await snapshot(c.srv.db, { digest: true });
            const r = await request(c.srv, entry.method, target.path, { auth: a, body, raw, contentType: entry.contentType });
            assert.equal(r.status, want, `${key(entry)} as ${p}: ${r.text}`);
            if ([401, 403, 404].includes(want) || r.status >= 400) {
              assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
            }
          });
          if (guard && p === denied[denied.length - 1]) {
            it(`the denied requests (${denied.join(', ')}) changed nothing`, async () => {
              assert.ok(was, 'a snapshot was taken before the denied requests');
              assert.deepStrictEqual(await snapshot(ctx().srv.db, { digest: true }), was);
            });
          }
        }
      });
    }

    describe('GET /api/v1/organisations/{slug} of an organisation not yet approved', () => {
      const entry = matrix.routes.find((e) => e.pending_org);
      let slug;
      before(async () => {
        slug = uniq('pending');
        const r = await request(main.srv, 'POST', '/api/v1/organisations', {
          auth: main.auth.org_admin,
          body: { slug, legal_name: 'Pending College', legal_id_scheme: 'EU:VAT', legal_id: 'SE1', country: 'SE', contact_email: 'a@pending.example.org' },
        });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.status, 'pending');
      });
      for (const p of PRINCIPALS) {
        it(`${p} -> ${entry.pending_org[p]}`, async () => {
          const r = await request(main.srv, 'GET', `/api/v1/organisations/${slug}`, { auth: main.auth[p] });
          assert.equal(r.status, entry.pending_org[p], r.text);
        });
      }
    });
  });
}
