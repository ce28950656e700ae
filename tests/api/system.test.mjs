// system.test.mjs - /healthz, /metrics, and a graceful stop on SIGTERM, on
// every backend.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, rawRequest, login, freshDb, snapshot, sleep, uniq, DEMO,
} from './harness.mjs';

for (const backend of backends()) {
  describe(`system [${backend.name}]`, () => {
    let srv;
    before(async () => { srv = await startServer(backend); });
    after(async () => { await srv.stop(); });

    it('/healthz is 200 and names the backend', async () => {
      const r = await request(srv, 'GET', '/healthz');
      assert.equal(r.status, 200);
      assert.deepEqual(r.json, { status: 'ok', database: backend.name });
    });

    it('/metrics counts requests by route pattern and status, with a histogram, connections and db errors', async () => {
      await request(srv, 'GET', `/api/v1/organisations/${DEMO.org}`);
      await request(srv, 'GET', `/api/v1/organisations/${DEMO.otherOrg}`);
      await request(srv, 'GET', '/api/v1/organisations/no-such-org');
      await request(srv, 'GET', '/api/v1/me');
      const r = await request(srv, 'GET', '/metrics');
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/plain/);
      const t = r.text;
      assert.match(t, /^# TYPE microcred_http_requests_total counter$/m);
      const count = (route, status) => {
        const m = new RegExp(`^microcred_http_requests_total\\{method="GET",route="${route.replace(/[{}]/g, '\\$&')}",status="${status}"\\} (\\d+)$`, 'm').exec(t);
        return m ? Number(m[1]) : 0;
      };
      // Two different slugs count under the one route pattern, not as paths.
      assert.equal(count('/api/v1/organisations/{slug}', 200), 2);
      assert.equal(count('/api/v1/organisations/{slug}', 404), 1);
      assert.equal(count('/api/v1/me', 401), 1);
      assert.ok(!t.includes(DEMO.otherOrg), 'raw paths never become labels');
      assert.match(t, /^# TYPE microcred_http_request_duration_seconds histogram$/m);
      const buckets = [...t.matchAll(/^microcred_http_request_duration_seconds_bucket\{le="([^"]+)"\} (\d+)$/gm)];
      assert.ok(buckets.length >= 5);
      assert.equal(buckets.at(-1)[1], '+Inf');
      const values = buckets.map((b) => Number(b[2]));
      assert.deepEqual([...values].sort((a, b) => a - b), values, 'buckets are cumulative');
      const total = Number(/^microcred_http_request_duration_seconds_count (\d+)$/m.exec(t)[1]);
      assert.equal(values.at(-1), total);
      assert.ok(total >= 5);
      assert.match(t, /^microcred_http_request_duration_seconds_sum [0-9.]+$/m);
      const open = Number(/^microcred_http_open_connections (\d+)$/m.exec(t)?.[1]);
      assert.ok(open >= 1, 'this very connection is open');
      assert.match(t, /^microcred_db_errors_total 0$/m);
    });

    it('an unknown GET under /api/ is a 404 problem, not a web page', async () => {
      const r = await request(srv, 'GET', '/api/v1');
      assert.equal(r.status, 404);
      assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    });

    it('SIGTERM while a slow upload is in flight: the request completes and the server exits 0', async () => {
      const s2 = await startServer(backend, { keepDb: true });
      try {
        const staff = await login(s2, DEMO.orgAdmin);
        const slug = uniq('slow');
        const body = JSON.stringify({
          slug, legal_name: 'Slow Upload College', legal_id_scheme: 'EU:VAT', legal_id: 'SE1',
          country: 'SE', contact_email: 'slow@example.org',
        });
        const chunks = body.match(/.{1,20}/g);
        // About 2 s of upload; SIGTERM arrives after the first chunks.
        const pending = rawRequest(s2, {
          method: 'POST', path: '/api/v1/organisations',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: `mc_session=${staff.cookie}`, 'x-csrf-token': staff.csrf },
          bodyChunks: chunks, chunkDelayMs: Math.ceil(2000 / chunks.length),
        });
        await sleep(400);
        s2.proc.kill('SIGTERM');
        const r = await pending;
        assert.equal(r.status, 201, r.text);
        assert.equal(JSON.parse(r.text).slug, slug);
        const code = await s2.stop();
        assert.equal(code, 0, s2.log().slice(-2000));
        const orgs = (await snapshot(s2.db)).organisations;
        assert.ok(orgs.some((o) => o.slug === slug), 'the organisation was stored');
      } finally {
        await s2.stop();
      }
    });

    it('SIGTERM with many uploads in flight: every one gets its answer', async () => {
      const s3 = await startServer(backend);
      try {
        // 12 connections each uploading a (deliberately invalid) log-in body
        // over about 1.5 s; the stop arrives while all are mid-upload.
        const body = JSON.stringify({ email: '', password: '', pad: 'p'.repeat(60) });
        const chunks = body.match(/.{1,10}/g);
        const all = [];
        for (let k = 0; k < 12; k++) {
          all.push(rawRequest(s3, {
            method: 'POST', path: '/api/v1/auth/login',
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
            bodyChunks: chunks, chunkDelayMs: Math.ceil(1500 / chunks.length),
          }).then((r) => r.status, (e) => `error ${e.code || e.message}`));
        }
        await sleep(300);
        s3.proc.kill('SIGTERM');
        const statuses = await Promise.all(all);
        assert.deepEqual(statuses, Array(12).fill(422));
        assert.equal(await s3.stop(), 0);
      } finally {
        await s3.stop();
      }
    });
  });
}

// A fresh database on its own is usable for a second server (template copies are independent).
describe('harness', () => {
  it('fresh databases are independent copies of the template', async () => {
    const [b] = backends();
    const a = freshDb(b);
    const c = freshDb(b);
    assert.notEqual(a.url, c.url);
    assert.deepStrictEqual((await snapshot(a)).users, (await snapshot(c)).users);
  });
});
