// openapi.test.mjs - docs/openapi.yaml against the server.
//
// Static part: the described operations and the route table (`microcred
// routes`) are the same set, both ways, with the same access level
// (x-access) and summary; path parameters are declared; every $ref
// resolves; protected operations document 401/403 and a security
// requirement; operations with a body document 400/413/415/422; the Problem
// schema has the RFC 9457 members and errors[{field, message}].
//
// Live part, on every backend: for each operation with a JSON request body,
// the schema's example is accepted, and the server rejects with 422 naming
// the field exactly what the schema says is invalid: one byte over
// maxLength, one under minLength, a value outside an enum, a missing
// required member, a number where a string belongs, and an unknown member
// (additionalProperties: false). So the limits written here are the limits
// the service enforces. Operations marked x-invalid-status (the VC-API,
// which answers 400 to a request of the wrong shape) are held to that
// status instead of 422. Path parameters are filled with things made just
// before each request ({id} of a specification draft or of an award), and a
// specification_id in an example is replaced by the id of a specification
// published for the run (and other members naming things of the caller -
// role_id, item_id, items, a credential to verify - by things made for the
// run). Bodies that are not JSON (the batch CSV, credential and evidence
// files) must have an example unless they are binary, and the server
// accepts it too. Operations marked x-raw-body read their body themselves
// (a file, whatever its Content-Type, or a VC-API verifier request answered
// in the VC-API's own format): the JSON checks above do not apply to them;
// their example is accepted, and for the VC-API a body without a required
// member answers x-invalid-status.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseYaml } from './yaml-lite.mjs';
import {
  backends, startServer, request, login, cli, DEMO, fullSpecification, publishSpec, issueAward, orgPath, uniq, WORK_DIR,
} from './harness.mjs';
import { join } from 'node:path';

const spec = parseYaml(readFileSync('docs/openapi.yaml', 'utf8'));
const routes = JSON.parse(cli(['routes']).stdout);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function resolveRef(ref) {
  assert.match(ref, /^#\//, `only local $refs: ${ref}`);
  let v = spec;
  for (const part of ref.slice(2).split('/')) {
    v = v?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  assert.ok(v !== undefined, `unresolved $ref ${ref}`);
  return v;
}
const deref = (v) => (v && v.$ref ? deref(resolveRef(v.$ref)) : v);

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const m of METHODS) {
      if (item[m]) ops.push({ method: m.toUpperCase(), path, op: item[m], item });
    }
  }
  return ops;
}
const key = (o) => `${o.method} ${o.path}`;
// Operations whose JSON body the generic checks apply to.
const jsonBody = (o) => o.op.requestBody?.content['application/json'] && !o.op['x-raw-body'];

describe('docs/openapi.yaml', () => {
  it('is OpenAPI 3.1 with info, paths and components', () => {
    assert.match(spec.openapi, /^3\.1\./);
    assert.ok(spec.info.title && spec.info.version);
    assert.ok(spec.paths && spec.components);
  });

  it('describes every route of the server', () => {
    const described = new Set(operations().map(key));
    const missing = routes.map(key).filter((k) => !described.has(k));
    assert.deepEqual(missing, [], 'routes missing from docs/openapi.yaml');
  });

  it('describes no route the server does not have', () => {
    const have = new Set(routes.map(key));
    const extra = operations().map(key).filter((k) => !have.has(k));
    assert.deepEqual(extra, [], 'operations in docs/openapi.yaml that the server lacks');
  });

  it('has the route table\'s access level (x-access) and summary for each operation', () => {
    const byKey = new Map(routes.map((r) => [key(r), r]));
    for (const o of operations()) {
      const r = byKey.get(key(o));
      if (!r) continue;
      assert.equal(o.op['x-access'], r.access, `x-access of ${key(o)}`);
      assert.equal(o.op.summary, r.summary, `summary of ${key(o)}`);
    }
  });

  it('declares every path parameter, and only those', () => {
    for (const o of operations()) {
      const inPath = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const params = [...(o.item.parameters || []), ...(o.op.parameters || [])].map(deref);
      const declared = params.filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, inPath, `path parameters of ${key(o)}`);
      for (const p of params) assert.ok(p.schema, `${key(o)} parameter ${p.name} has a schema`);
    }
  });

  it('resolves every $ref', () => {
    const walk = (v) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        if (typeof v.$ref === 'string') resolveRef(v.$ref);
        Object.values(v).forEach(walk);
      }
    };
    walk(spec);
  });

  it('gives every operation an operationId, responses and fitting security', () => {
    const schemes = spec.components.securitySchemes;
    const ids = new Set();
    for (const o of operations()) {
      assert.ok(o.op.operationId && !ids.has(o.op.operationId), `operationId of ${key(o)}`);
      ids.add(o.op.operationId);
      const codes = Object.keys(o.op.responses || {});
      assert.ok(codes.some((c) => /^2/.test(c)), `${key(o)} has a success response`);
      assert.ok(Array.isArray(o.op.security), `${key(o)} states its security`);
      for (const req of o.op.security) for (const s of Object.keys(req)) assert.ok(schemes[s], `${key(o)}: scheme ${s}`);
      if (o.op['x-access'] === 'public') {
        assert.deepEqual(o.op.security, [], `${key(o)} is public`);
      } else {
        assert.ok(o.op.security.length > 0, `${key(o)} needs authentication`);
        for (const c of ['401', '403']) assert.ok(codes.includes(c), `${key(o)} documents ${c}`);
        const cookie = o.op.security.find((r) => r.sessionCookie);
        if (cookie && o.method !== 'GET') assert.ok('csrfHeader' in cookie, `${key(o)}: cookie requests need the CSRF header`);
        if (o.op['x-access'].startsWith('org-')) {
          assert.ok(o.op.security.some((r) => r.bearerToken), `${key(o)}: organisation routes take API tokens`);
        }
      }
      if (o.op.requestBody) {
        const types = Object.keys(o.op.requestBody.content);
        const need = o.op['x-raw-body'] ? ['413'] : ['400', '413', '415', '422'];
        for (const c of need) assert.ok(codes.includes(c), `${key(o)} documents ${c}`);
        assert.ok(o.op['x-raw-body'] || types.includes('application/json') || types.includes('text/csv'),
          `${key(o)} takes application/json (or a CSV file, or is marked x-raw-body)`);
      }
      for (const [code, resp] of Object.entries(o.op.responses)) {
        if (!/^[45]/.test(code)) continue;
        // The VC-API verifiers answer in the VC-API's own format.
        if (o.op['x-raw-body'] && deref(resp).content?.['application/json']) continue;
        const schema = deref(deref(resp).content?.['application/problem+json']?.schema);
        assert.equal(schema, spec.components.schemas.Problem, `${key(o)} ${code} is a Problem`);
      }
    }
  });

  it('defines the RFC 9457 Problem schema with errors[{field, message}]', () => {
    const p = spec.components.schemas.Problem;
    for (const m of ['type', 'title', 'status', 'detail', 'instance', 'errors']) assert.ok(p.properties[m], m);
    assert.deepEqual(p.properties.errors.items.required, ['field', 'message']);
  });

  it('defines cookie, CSRF-header and bearer security schemes', () => {
    const s = spec.components.securitySchemes;
    assert.deepEqual([s.sessionCookie.type, s.sessionCookie.in, s.sessionCookie.name], ['apiKey', 'cookie', 'mc_session']);
    assert.deepEqual([s.csrfHeader.type, s.csrfHeader.in, s.csrfHeader.name], ['apiKey', 'header', 'X-CSRF-Token']);
    assert.deepEqual([s.bearerToken.type, s.bearerToken.scheme], ['http', 'bearer']);
  });

  it('gives every request body that is not JSON an example (unless it is binary)', () => {
    for (const o of operations().filter((x) => x.op.requestBody)) {
      for (const [type, media] of Object.entries(o.op.requestBody.content)) {
        if (type === 'application/json' || deref(media.schema)?.format === 'binary') continue;
        assert.equal(typeof media.example, 'string', `${key(o)} ${type} has an example`);
      }
    }
  });

  it('gives every x-raw-body JSON request (the VC-API verifiers) an example with its required members', () => {
    for (const o of operations().filter((x) => x.op['x-raw-body'] && x.op.requestBody.content['application/json'])) {
      const schema = deref(o.op.requestBody.content['application/json'].schema);
      assert.ok(schema.example, `${key(o)} has an example`);
      for (const r of schema.required || []) assert.ok(r in schema.example, `${key(o)} example has ${r}`);
      assert.ok(o.op['x-invalid-status'], `${key(o)} states the status of a request of the wrong shape`);
    }
  });

  it('gives every request body schema an example that fits it, and bounds every string', () => {
    for (const o of operations().filter(jsonBody)) {
      const schema = deref(o.op.requestBody.content['application/json'].schema);
      assert.equal(schema.additionalProperties, false, `${key(o)} rejects unknown members`);
      assert.ok(schema.example, `${key(o)} has an example`);
      for (const r of schema.required || []) assert.ok(r in schema.example, `${key(o)} example has ${r}`);
      for (const [name, v] of Object.entries(schema.example)) {
        assert.ok(schema.properties[name], `${key(o)} example member ${name} is in the schema`);
      }
      for (const [name, p] of Object.entries(schema.properties)) {
        const d = deref(p);
        if (d.type === 'string') assert.ok(d.enum || d.format === 'date' || d.maxLength, `${key(o)}: ${name} has maxLength`);
      }
    }
  });
});

// ---------------------------------------------------------------- live part

// The invalid bodies a schema predicts: [label, body, field].
function invalidBodies(schema) {
  const ex = schema.example;
  const out = [];
  for (const [name, p0] of Object.entries(schema.properties)) {
    const p = deref(p0);
    if (p.type !== 'string') continue;
    if (p.maxLength) out.push([`${name} one byte over maxLength ${p.maxLength}`, { ...ex, [name]: 'a'.repeat(p.maxLength + 1) }, name]);
    if (p.minLength > 1) out.push([`${name} one under minLength ${p.minLength}`, { ...ex, [name]: 'a'.repeat(p.minLength - 1) }, name]);
    if (p.enum) out.push([`${name} outside its enum`, { ...ex, [name]: 'no-such-choice' }, name]);
    out.push([`${name} as a number`, { ...ex, [name]: 42 }, name]);
  }
  for (const r of schema.required || []) {
    const b = { ...ex };
    delete b[r];
    out.push([`${r} missing`, b, r]);
  }
  out.push(['an unknown member', { ...ex, x_unknown_member: 'x' }, 'x_unknown_member']);
  return out;
}

for (const backend of backends()) {
  describe(`openapi request bodies against the server [${backend.name}]`, () => {
    let srv;
    let admin;
    let specId; // a published specification: replaces specification_id in examples
    let credential; // an issued credential: replaces the VC-API examples' documents
    before(async () => {
      srv = await startServer(backend, { extraArgs: ['--evidence-dir', join(WORK_DIR, uniq('evidence'))] });
      admin = await login(srv, DEMO.platformAdmin);
      specId = (await publishSpec(srv, admin)).id;
      const aw = await issueAward(srv, admin, specId);
      assert.equal(aw.status, 201, aw.text);
      credential = aw.json.credential;
    });
    after(async () => { await srv.stop(); });

    // Things of the caller (the platform administrator), made once where
    // requests may repeat on them, else made for each request.
    const made = {};
    const once = async (k, make) => { made[k] = made[k] || await make(); return made[k]; };
    const ok = (r, code) => { assert.equal(r.status, code, r.text); return r.json; };
    const as = (method, path, body, opts = {}) => request(srv, method, path, { auth: admin, body, ...opts });
    const walletItem = async () => {
      const a = await issueAward(srv, admin, specId, { learner: { name: 'Platform Admin', email: DEMO.platformAdmin } });
      assert.equal(a.status, 201, a.text);
      return ok(await as('POST', `/api/v1/wallet/awards/${a.json.id}`), 201).id;
    };
    const role = async () => ok(await as('POST', orgPath('/roles'), { name: uniq('role'), requirements: [] }), 201).id;
    const pathway = async () => ok(await as('POST', orgPath('/pathways'),
      { name: { en: uniq('pathway') }, rules: { type: 'credential', specification: 'https://example.org/specs/none' } }), 201).id;
    const awardRequest = async (more) => {
      const id = ok(await as('POST', '/api/v1/award-requests',
        { organisation: DEMO.org, specification_id: specId, kind: 'course', statement: 'Done.' }), 201).id;
      if (more) ok(await as('POST', orgPath(`/award-requests/${id}/more-evidence`), { note: 'More, please.' }), 200);
      return id;
    };

    // The path to request: {slug} is demo-university; {id} a specification
    // draft, an award, a wallet item, a pathway, a review request, a role
    // or a request for a micro-credential made now (or once); {action}
    // suspend (repeatable) or more-evidence; {decision} decline.
    async function livePath(o) {
      const p = o.path;
      let path = p.replace('{slug}', DEMO.org);
      let id;
      if (p.includes('/specifications/{id}')) {
        id = ok(await as('POST', orgPath('/specifications'), { draft: fullSpecification() }), 201).id;
      } else if (p.includes('/awards/{id}')) {
        const r = await issueAward(srv, admin, specId);
        id = ok(r, 201).id;
      } else if (p.startsWith('/api/v1/wallet/{id}')) {
        id = await once('item', walletItem);
      } else if (p.includes('/pathways/{id}')) {
        id = await once('pathway', pathway);
      } else if (p.includes('/pathway-requests/{id}')) {
        id = ok(await as('POST', `/api/v1/pathways/${await pathway()}/requests`), 201).id;
      } else if (p.includes('/roles/{id}')) {
        id = await once('role', role);
      } else if (p.includes('/award-requests/{id}')) {
        id = await awardRequest(p.endsWith('/additions'));
      }
      if (id) path = path.replace('{id}', id);
      path = path.replace('{action}', p.includes('/award-requests/') ? 'more-evidence' : 'suspend').replace('{decision}', 'decline');
      assert.ok(!/[{}]/.test(path), `no live value for a parameter of ${o.path}`);
      return path;
    }
    // Members of an example that name things are replaced by things of the
    // run (all but `keep`, the member an invalid body is about).
    const SUBSTITUTE = {
      specification_id: () => specId,
      target_specification_id: () => specId,
      role_id: () => once('role', role),
      item_id: () => once('item', walletItem),
      items: async () => [await once('item', walletItem)],
      verifiableCredential: () => credential,
      verifiablePresentation: () => ({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'], verifiableCredential: [credential] }),
    };
    async function liveBody(body, keep) {
      const b = { ...body };
      for (const [k, f] of Object.entries(SUBSTITUTE)) if (k in b && k !== keep) b[k] = await f();
      return b;
    }

    for (const o of operations().filter(jsonBody)) {
      const schema = deref(o.op.requestBody.content['application/json'].schema);
      const invalid = o.op['x-invalid-status'] || 422;
      describe(key(o), () => {
        for (const [label, body, field] of invalidBodies(schema)) {
          it(`${invalid} naming ${field} for ${label}`, async () => {
            const r = await request(srv, o.method, await livePath(o), { auth: admin, body: await liveBody(body, field) });
            assert.equal(r.status, invalid, r.text);
            assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
            assert.ok(r.json.errors.some((e) => e.field === field), `errors name ${field}: ${r.text}`);
          });
        }
        it('accepts the example', async () => {
          const r = await request(srv, o.method, await livePath(o), { auth: admin, body: await liveBody(schema.example) });
          assert.ok(r.status >= 200 && r.status < 300, `${r.status} ${r.text}`);
          const success = Object.keys(o.op.responses).filter((c) => /^2/.test(c));
          assert.ok(success.includes(String(r.status)), `${r.status} is one of the documented ${success}`);
        });
      });
    }

    // The VC-API verifiers: JSON read by the handler, answered in the
    // VC-API's format.
    for (const o of operations().filter((x) => x.op['x-raw-body'] && x.op.requestBody.content['application/json'])) {
      const schema = deref(o.op.requestBody.content['application/json'].schema);
      describe(key(o), () => {
        it('accepts the example (with a credential issued for the run)', async () => {
          const r = await request(srv, o.method, await livePath(o), { auth: admin, body: await liveBody(schema.example) });
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.verified, true, r.text);
        });
        for (const m of schema.required) {
          it(`${o.op['x-invalid-status']} without ${m}`, async () => {
            const body = await liveBody(schema.example);
            delete body[m];
            const r = await request(srv, o.method, await livePath(o), { auth: admin, body });
            assert.equal(r.status, o.op['x-invalid-status'], r.text);
            assert.equal(r.json.verified, false, r.text);
            assert.ok(Object.keys(o.op.responses).includes(String(r.status)));
          });
        }
      });
    }

    // Bodies that are not JSON: every example (text) is accepted as its type.
    for (const o of operations().filter((x) => x.op.requestBody)) {
      for (const [type, media] of Object.entries(o.op.requestBody.content)) {
        if (type === 'application/json' || typeof media.example !== 'string') continue;
        describe(`${key(o)} (${type})`, () => {
          const query = () => (o.op.parameters || []).some((p) => p.name === 'specification_id') ? `?specification_id=${specId}` : '';
          it(`accepts the example (${type})`, async () => {
            const r = await request(srv, o.method, (await livePath(o)) + query(), { auth: admin, raw: media.example, contentType: type });
            assert.ok(Object.keys(o.op.responses).includes(String(r.status)) && r.status < 300, `${r.status} ${r.text}`);
          });
          if (type === 'text/csv') {
            it('refuses the example as application/json (415)', async () => {
              const r = await request(srv, o.method, (await livePath(o)) + query(), { auth: admin, raw: JSON.stringify(media.example) });
              assert.equal(r.status, 415, r.text);
            });
          }
        });
      }
    }
  });
}
