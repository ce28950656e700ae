// bad-input.test.mjs - every route that takes a body, fed what it must
// refuse, on every backend.
//
// The routes and a valid body for each come from docs/openapi.yaml (its
// requestBody examples; openapi.test.mjs proves the server accepts them),
// so a new route with a body is covered here as soon as it is described.
// Each case sends one bad request as the org-admin of demo-university (a
// cookie session with its CSRF token unless the case is about those) and
// asserts the status, that the answer is an RFC 9457 problem document
// (application/problem+json with type, title, status, detail), and that the
// database is byte-for-byte unchanged: a strict snapshot of every table and
// column. Nothing is excluded because these requests use a cookie session
// (resolving it only reads) and none of them reaches log-in throttling (the
// body is refused before); only bearer tokens (last_used_at) or failed
// log-ins (login_failures) would write, and no case here sends those.
//
// Where the body is otherwise valid (CSRF, session, Content-Type, size
// cases), the request *would* change the database if the check were
// missing, so the unchanged snapshot is what proves the check.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseYaml } from './yaml-lite.mjs';
import {
  backends, startServer, request, rawRequest, login, snapshot, assertProblem, DEMO,
} from './harness.mjs';

const MAX_BODY = 4096;
const MAX_HEADERS = 4096;
const spec = parseYaml(readFileSync('docs/openapi.yaml', 'utf8'));
const deref = (v) => {
  if (!v || !v.$ref) return v;
  let x = spec;
  for (const part of v.$ref.slice(2).split('/')) x = x[part];
  return deref(x);
};

// [{method, path, access, body, stringField, invalid, optional}] for every
// operation with a JSON body. Other path parameters get values that pass
// the router ({id}: a UUID nothing has; {token}: 43 characters nothing
// has; an enumerated one such as {action}: its first value): every case
// here is refused before the thing is looked up. `invalid` is the status of
// a body of the wrong shape (422, or the operation's x-invalid-status: the
// VC-API answers 400); `optional` bodies (requestBody.required false) may be
// empty. Bodies that are not JSON (the batch CSV, credential and evidence
// files) and bodies the handler reads itself (x-raw-body: the VC-API
// verifiers) are left to `rawRoutes` below, which checks what applies to
// every body: CSRF, session and size; batches.test.mjs, loop.test.mjs,
// verify.test.mjs and the matrix cover the rest.
const GHOST_ID = '01900000-0000-7000-8000-000000000000';
function livePath(path, item, op) {
  const params = [...(item.parameters || []), ...(op.parameters || [])].map(deref).filter((p) => p.in === 'path');
  return path.replace(/\{(\w+)\}/g, (_, name) => {
    if (name === 'slug') return DEMO.org;
    if (name === 'token') return 'T'.repeat(43);
    const p = params.find((x) => x.name === name);
    if (p?.schema?.enum) return p.schema.enum[0];
    return GHOST_ID;
  });
}
const bodyRoutes = [];
const rawRoutes = [];
const bodylessWrites = []; // POST, PUT, PATCH, DELETE without a body: still CSRF-checked
for (const [path, item] of Object.entries(spec.paths)) {
  for (const [m, op] of Object.entries(item)) {
    if (!op || typeof op !== 'object' || !op.operationId) continue;
    const route = { method: m.toUpperCase(), path: livePath(path, item, op), access: op['x-access'] };
    if (!op.requestBody) {
      if (route.method !== 'GET') bodylessWrites.push(route);
      continue;
    }
    if (!op.requestBody.content['application/json'] || op['x-raw-body']) {
      // A sample body: the first text example (or, for binary-only bodies, a few bytes).
      const [type, media] = Object.entries(op.requestBody.content).find(([, x]) => x.example !== undefined)
        || Object.entries(op.requestBody.content)[0];
      const ex = media.example ?? deref(media.schema).example;
      rawRoutes.push({ ...route, contentType: type, raw: typeof ex === 'string' ? ex : ex ? JSON.stringify(ex) : '%PDF-1.4 sample' });
      continue;
    }
    const schema = deref(op.requestBody.content['application/json'].schema);
    const stringField = Object.keys(schema.example).find((k) => deref(schema.properties[k]).type === 'string');
    bodyRoutes.push({
      ...route, body: schema.example, stringField,
      invalid: op['x-invalid-status'] || 422, optional: op.requestBody.required === false,
    });
  }
}

const STRICT = { excludeTables: [], excludeColumns: {} };

for (const backend of backends()) {
  describe(`bad input [${backend.name}]`, () => {
    let srv;
    let s; // org-admin session {cookie, csrf}
    let admin; // platform-admin session, for the routes only they may use
    let ended; // a logged-out session
    before(async () => {
      srv = await startServer(backend, { maxBody: MAX_BODY, maxHeaders: MAX_HEADERS });
      s = await login(srv, DEMO.orgAdmin);
      admin = await login(srv, DEMO.platformAdmin);
      ended = await login(srv, DEMO.orgAdmin);
      assert.equal((await request(srv, 'POST', '/api/v1/auth/logout', { auth: ended })).status, 204);
    });
    after(async () => { await srv.stop(); });

    it('covers at least the 27 JSON body routes and 6 other body routes known today', () => {
      assert.ok(bodyRoutes.length >= 27, bodyRoutes.map((r) => r.path).join(', '));
      assert.ok(rawRoutes.length >= 6, rawRoutes.map((r) => r.path).join(', '));
    });

    // Send, check status and problem shape, check the database is unchanged.
    async function refused(status, send) {
      const before = await snapshot(srv.db, STRICT);
      const r = await send();
      const p = assertProblem(assert, r, status);
      assert.deepStrictEqual(await snapshot(srv.db, STRICT), before, 'the database changed');
      return p;
    }

    for (const rt of bodyRoutes) {
      describe(`${rt.method} ${rt.path}`, () => {
        const who = () => (rt.access === 'platform-admin' ? admin : s);
        const send = (opts) => request(srv, rt.method, rt.path, { auth: who(), ...opts });

        it('malformed JSON -> 400', () => refused(400, () => send({ raw: '{"email": "a@b.c",' })));
        it('trailing garbage after JSON -> 400', () => refused(400, () => send({ raw: `${JSON.stringify(rt.body)} x` })));
        it('a JSON array -> 400', () => refused(400, () => send({ raw: '[1, 2]' })));
        it('a JSON string -> 400', () => refused(400, () => send({ raw: '"text"' })));
        if (!rt.optional) it('an empty body -> 400', () => refused(400, () => send({ raw: '' })));
        it('duplicate members -> 400', async () => {
          const k = rt.stringField || Object.keys(rt.body)[0];
          const raw = `${JSON.stringify(rt.body).slice(0, -1)}, ${JSON.stringify(k)}: "again"}`;
          await refused(400, () => send({ raw }));
        });
        if (rt.stringField) {
          it(`a number for the string ${rt.stringField} -> ${rt.invalid} naming it`, async () => {
            const p = await refused(rt.invalid, () => send({ body: { ...rt.body, [rt.stringField]: 12345 } }));
            assert.ok(p.errors.some((e) => e.field === rt.stringField && e.message), JSON.stringify(p));
          });
        }
        it(`unknown members -> ${rt.invalid} naming each`, async () => {
          const p = await refused(rt.invalid, () => send({ body: { ...rt.body, is_platform_admin: true, zz_extra: 1 } }));
          for (const f of ['is_platform_admin', 'zz_extra']) assert.ok(p.errors.some((e) => e.field === f), `${f}: ${JSON.stringify(p)}`);
        });
        it(`a body over --max-body ${MAX_BODY} (Content-Length) -> 413`, () =>
          refused(413, () => send({ body: { ...rt.body, [rt.stringField || 'zz_filler']: 'x'.repeat(MAX_BODY) } })));
        it(`a chunked body over --max-body ${MAX_BODY} -> 413`, () =>
          refused(413, async () => {
            const r = await rawRequest(srv, {
              method: rt.method, path: rt.path,
              headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', cookie: `mc_session=${who().cookie}`, 'x-csrf-token': who().csrf },
              bodyChunks: ['{"a":"', ...Array(10).fill('y'.repeat(1000)), '"}'],
            });
            return { ...r, json: JSON.parse(r.text) };
          }));
        it(`headers over --max-headers ${MAX_HEADERS} -> 431`, () =>
          refused(431, () => send({ body: rt.body, headers: { 'x-filler': 'h'.repeat(MAX_HEADERS + 100) } })));
        it('a cookie session without X-CSRF-Token -> 403', () => refused(403, () => send({ body: rt.body, csrf: false })));
        it('a cookie session with a wrong X-CSRF-Token -> 403', () =>
          refused(403, () => send({ body: rt.body, csrf: `${who().csrf.slice(0, -1)}${who().csrf.endsWith('A') ? 'B' : 'A'}` })));
        it('a cookie session with a short X-CSRF-Token -> 403', () => refused(403, () => send({ body: rt.body, csrf: 'x' })));
        if (rt.access !== 'public') {
          it('an unknown session cookie -> 401', () =>
            refused(401, () => send({ body: rt.body, auth: { cookie: 'A'.repeat(43), csrf: 'whatever' } })));
          it('an ended (logged-out) session cookie -> 401', () => refused(401, () => send({ body: rt.body, auth: ended })));
          it('a malformed bearer token -> 401', () => refused(401, () => send({ body: rt.body, auth: { token: 'mct_nope' } })));
        }
        it('Content-Type text/plain -> 415', () => refused(415, () => send({ raw: JSON.stringify(rt.body), contentType: 'text/plain' })));
        it('Content-Type application/x-www-form-urlencoded -> 415', () =>
          refused(415, () => send({ raw: 'email=a%40b.c', contentType: 'application/x-www-form-urlencoded' })));
      });
    }

    // Bodies the handler reads itself: what every body must pass before it
    // is read still applies (these requests would change the database, or
    // answer, if it did not).
    for (const rt of rawRoutes) {
      describe(`${rt.method} ${rt.path} (${rt.contentType})`, () => {
        const who = () => (rt.access === 'platform-admin' ? admin : s);
        const send = (opts) => request(srv, rt.method, rt.path, { auth: who(), raw: rt.raw, contentType: rt.contentType, ...opts });
        it('a cookie session without X-CSRF-Token -> 403', () => refused(403, () => send({ csrf: false })));
        it(`a body over --max-body ${MAX_BODY} (Content-Length) -> 413`, () => refused(413, () => send({ raw: 'x'.repeat(MAX_BODY + 1) })));
        if (rt.access !== 'public') {
          it('an ended (logged-out) session cookie -> 401', () => refused(401, () => send({ auth: ended })));
        }
      });
    }

    describe('requests without a body that change something', () => {
      it('are known (at least 25)', () => assert.ok(bodylessWrites.length >= 25, bodylessWrites.length));
      for (const rt of bodylessWrites) {
        const who = () => (rt.access === 'platform-admin' ? admin : s);
        it(`${rt.method} ${rt.path}: a cookie session without X-CSRF-Token -> 403`, () =>
          refused(403, () => request(srv, rt.method, rt.path, { auth: who(), csrf: false })));
      }
    });

    it('an unknown session cookie on a public route is treated as anonymous and cleared', async () => {
      const r = await request(srv, 'GET', '/api/v1/organisations', { auth: { cookie: 'B'.repeat(43) } });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('set-cookie') || '', /mc_session=;.*Max-Age=0/);
    });

    it('an unknown route under /api/ -> 404 problem; a wrong method -> 405 problem', async () => {
      assertProblem(assert, await request(srv, 'GET', '/api/v1/no-such-thing'), 404);
      assertProblem(assert, await request(srv, 'PUT', '/api/v1/organisations', { auth: s, body: {} }), 405);
    });
  });
}
