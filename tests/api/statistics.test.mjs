// statistics.test.mjs - the open statistics (GET /api/v1/statistics) on a
// large database: 100,000 awards over 24 months of 60 specification
// versions from five organisations in four countries, written straight
// into a copy of the demo database with the sqlite3 CLI (one generated SQL
// script with a recursive CTE; about a second), then every cell of every
// dimension compared with counts made by SQL directly (SQLite's JSON
// functions over the stored specification documents), cells below the
// threshold suppressed, and an attempt to single out one learner - the only
// award of a specification that is rare in every dimension - that must fail
// whatever dimension, month filter or threshold is asked for.
//
// SQLite only: the data are generated with SQLite's SQL (the statistics
// code itself is the same on both backends).
//
// The data set is bench/bench_statistics_data.mjs (the benchmark uses it
// too). The whole file runs in well under a minute.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { backends, startServer, freshDb, request, sql } from './harness.mjs';
import { AWARDS, MONTHS, DIMENSIONS, RARE, uuid, generateStatisticsData } from '../../bench/bench_statistics_data.mjs';

const THRESHOLD = 5; // the server's default

// The key expression of a dimension over spec_versions v (document) and
// organisations o, as SQL: a scalar, or a json_each table for lists.
const KEY_SQL = {
  level: { expr: "CASE WHEN json_extract(v.document, '$.level.framework') IS NULL THEN 'none' ELSE json_extract(v.document, '$.level.framework') || ' ' || CAST(json_extract(v.document, '$.level.level') AS INTEGER) END" },
  workload: { expr: `CASE WHEN json_extract(v.document, '$.workload.unit') = 'ECTS' THEN w.a WHEN json_extract(v.document, '$.workload.unit') = 'hours' THEN w.a / 25.0 END` },
  country: { expr: 'o.country' },
  language: { list: '$.languages' },
  participation: { list: '$.participation' },
  field: { list: '$.tags' },
  qa_type: { list: '$.qualityAssurance', item: "CASE WHEN j.type = 'text' THEN j.value ELSE json_extract(j.value, '$.type') END" },
};

const WORKLOAD_BANDS = "CASE WHEN x.k IS NULL THEN 'unknown' WHEN x.k < 1 THEN 'under 1 ECTS' WHEN x.k < 3 THEN '1-2.9 ECTS' WHEN x.k < 6 THEN '3-5.9 ECTS' WHEN x.k < 15 THEN '6-14.9 ECTS' ELSE '15 ECTS or more' END";

// (spec_id, key) pairs of every approved organisation's specification version, by SQL.
function keysQuery(dim) {
  const d = KEY_SQL[dim];
  const from = "FROM spec_versions v JOIN organisations o ON o.id = v.org_id LEFT JOIN (SELECT spec_id, version, CAST(json_extract(document, '$.workload.amount') AS REAL) AS a FROM spec_versions) w ON w.spec_id = v.spec_id AND w.version = v.version WHERE o.status = 'approved'";
  if (d.list) {
    const item = d.item || 'j.value';
    return `SELECT DISTINCT v.spec_id, v.version, SUBSTR(v.published_at, 1, 7) AS pm, COALESCE(k.key, 'unknown') AS key ${from.replace('WHERE', `LEFT JOIN (SELECT v2.spec_id AS sid, v2.version AS ver, ${item.replace(/j\./g, 'j.')} AS key FROM spec_versions v2, json_each(v2.document, '${d.list}') j) k ON k.sid = v.spec_id AND k.ver = v.version AND k.key IS NOT NULL WHERE`)}`;
  }
  if (dim === 'workload') return `SELECT v.spec_id, v.version, SUBSTR(v.published_at, 1, 7) AS pm, ${WORKLOAD_BANDS} AS key FROM (SELECT v.spec_id, v.version, v.published_at, ${d.expr} AS k ${from}) x JOIN spec_versions v ON v.spec_id = x.spec_id AND v.version = x.version`;
  return `SELECT v.spec_id, v.version, SUBSTR(v.published_at, 1, 7) AS pm, ${d.expr} AS key ${from}`;
}

// expected(db, dim, from, to) -> Map "month|key" -> {specifications, awards}: raw counts.
async function expected(db, dim, from, to) {
  const inRange = (col) => `${from ? `AND ${col} >= '${from}' ` : ''}${to ? `AND ${col} <= '${to}'` : ''}`;
  const keys = `(${keysQuery(dim)})`;
  const rows = await sql(db, `SELECT 's' AS what, pm AS month, key, COUNT(*) AS n FROM ${keys} WHERE 1=1 ${inRange('pm')} GROUP BY pm, key
    UNION ALL SELECT 'a', SUBSTR(a.issued_at, 1, 7), k.key, COUNT(*) FROM awards a JOIN organisations o ON o.id = a.org_id JOIN ${keys} k ON k.spec_id = a.spec_id AND k.version = a.spec_version WHERE o.status = 'approved' AND a.revoked = 0 AND a.spec_version > 0 ${inRange('SUBSTR(a.issued_at, 1, 7)')} GROUP BY 2, 3`);
  const cells = new Map();
  const cell = (m, k) => {
    const id = `${m}|${k}`;
    if (!cells.has(id)) cells.set(id, { specifications: 0, awards: 0 });
    return cells.get(id);
  };
  for (const r of rows) cell(r.month, r.key)[r.what === 's' ? 'specifications' : 'awards'] = Number(r.n);
  return cells;
}

const shown = (n, t = THRESHOLD) => (n > 0 && n < t ? null : n);

if (backends().some((b) => b.name === 'sqlite')) {
  describe('open statistics on 100,000 awards [sqlite]', () => {
    let srv;
    let db;
    let genMs;

    before(async () => {
      db = freshDb({ name: 'sqlite' });
      const t0 = Date.now();
      generateStatisticsData(db.file);
      genMs = Date.now() - t0;
      srv = await startServer({ name: 'sqlite' }, { db });
    });
    after(async () => { if (srv) await srv.stop(); });

    it('the data are there: 100,000 awards, 100,000 - revoked counted', async () => {
      const [{ n }] = await sql(db, 'SELECT COUNT(*) AS n FROM awards');
      assert.equal(Number(n), AWARDS + 50, 'the generated awards (and 50 of a pending organisation)');
      assert.ok(genMs < 20000, `generating took ${genMs} ms`);
      console.log(`# generated ${AWARDS} awards in ${genMs} ms`);
    });

    for (const dim of DIMENSIONS) {
      it(`every cell of dimension ${dim} equals the SQL count, or is null below the threshold`, async () => {
        const t0 = Date.now();
        const r = await request(srv, 'GET', `/api/v1/statistics?dimension=${dim}`);
        const ms = Date.now() - t0;
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.dimension, dim);
        assert.equal(r.json.threshold, THRESHOLD);
        const want = await expected(db, dim);
        const got = new Map(r.json.rows.map((x) => [`${x.month}|${x.key}`, x]));
        assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), 'the same cells');
        let suppressed = 0;
        let total = 0;
        // The server's rule, mirrored: cells below the threshold are hidden;
        // where a dimension partitions the awards and a month has exactly one
        // such cell, the next smallest cell of that month is hidden too, so no
        // hidden count can be recovered by subtraction.
        const partition = ['level', 'workload', 'country'].includes(dim);
        const expect = new Map([...want.keys()].sort().map((id) => [id, { ...want.get(id) }]));
        for (const what of ['specifications', 'awards']) {
          const hidden = new Map();
          for (const [id, w] of expect) {
            if (w[what] > 0 && w[what] < THRESHOLD) {
              w[what] = null;
              const m = id.split('|')[0];
              hidden.set(m, (hidden.get(m) || 0) + 1);
            }
          }
          if (!partition) continue;
          for (const [m, n] of hidden) {
            if (n !== 1) continue;
            let smallest;
            for (const [id, w] of expect) {
              if (id.split('|')[0] !== m || w[what] === null || w[what] === 0) continue;
              if (!smallest || w[what] < smallest[what]) smallest = w;
            }
            if (smallest) smallest[what] = null;
          }
        }
        for (const [id, w] of want) {
          const g = got.get(id);
          const e = expect.get(id);
          assert.equal(g.specifications, e.specifications, `${id} specifications`);
          assert.equal(g.awards, e.awards, `${id} awards`);
          if (g.awards !== null) assert.equal(g.awards, w.awards, `${id} shown counts are exact`);
          if (g.awards === null) suppressed++;
          total += w.awards;
        }
        // Single-valued dimensions partition the awards: they add up.
        if (['level', 'workload', 'country'].includes(dim)) {
          const [{ n }] = await sql(db, "SELECT COUNT(*) AS n FROM awards a JOIN organisations o ON o.id = a.org_id WHERE o.status = 'approved' AND a.revoked = 0");
          assert.equal(total, Number(n));
        }
        // (workload: the rare and tiny specifications share their bands with big ones)
        if (dim !== 'workload') assert.ok(suppressed > 0, `some ${dim} cells are small enough to be suppressed`);
        const months = r.json.rows.map((x) => x.month);
        assert.deepEqual(months, [...months].sort(), 'rows in month order');
        console.log(`# ${dim}: ${r.json.rows.length} cells, ${suppressed} suppressed, ${ms} ms`);
      });
    }

    it('a month range counts only those months, cell for cell', async () => {
      for (const [from, to] of [[MONTHS[3], MONTHS[8]], [MONTHS[13], MONTHS[13]], [MONTHS[20], null], [null, MONTHS[1]]]) {
        const qs = new URLSearchParams({ dimension: 'language' });
        if (from) qs.set('from', from);
        if (to) qs.set('to', to);
        const r = await request(srv, 'GET', `/api/v1/statistics?${qs}`);
        assert.equal(r.status, 200, r.text);
        const want = await expected(db, 'language', from, to);
        assert.equal(r.json.rows.length, want.size, `${from}..${to}`);
        for (const x of r.json.rows) {
          if (from) assert.ok(x.month >= from);
          if (to) assert.ok(x.month <= to);
          const w = want.get(`${x.month}|${x.key}`);
          assert.equal(x.awards, shown(w.awards), `${x.month}|${x.key}`);
          assert.equal(x.specifications, shown(w.specifications));
        }
      }
    });

    it('CSV and JSON exports hold the same cells; bad parameters are refused', async () => {
      const j = await request(srv, 'GET', '/api/v1/statistics?dimension=country&format=json');
      const c = await request(srv, 'GET', '/api/v1/statistics?dimension=country&format=csv');
      assert.equal(c.status, 200);
      assert.match(c.headers.get('content-type'), /^text\/csv/);
      const lines = c.text.trim().split(/\r?\n/);
      assert.equal(lines[0], 'month,dimension,key,specifications,awards');
      assert.equal(lines.length - 1, j.json.rows.length);
      lines.slice(1).forEach((line, i) => {
        const row = j.json.rows[i];
        const fmt = (v) => (v === null ? `<${THRESHOLD}` : String(v));
        assert.equal(line, [row.month, 'country', row.key, fmt(row.specifications), fmt(row.awards)].join(','));
      });
      assert.equal(j.headers.get('access-control-allow-origin'), '*');
      for (const bad of ['dimension=learner', 'from=2024-13', 'to=24-01', 'format=xml', 'from=2024-1']) {
        const r = await request(srv, 'GET', `/api/v1/statistics?${bad}`);
        assert.ok([400, 422].includes(r.status), `${bad}: ${r.status}`);
      }
    });

    it('singling out one learner fails: no dimension, month filter, threshold or format gives a count below the threshold', async () => {
      // The rare specification: the only one of its organisation, country,
      // level, language, participation, field and QA type, with one award.
      const [{ n }] = await sql(db, `SELECT COUNT(*) AS n FROM awards WHERE spec_id = '${uuid('d0000000', 0)}'`);
      assert.equal(Number(n), 1);
      const qs = (dim, extra) => `/api/v1/statistics?${new URLSearchParams({ dimension: dim, ...extra })}`;
      const asks = [];
      for (const dim of DIMENSIONS) {
        asks.push([dim, {}], [dim, { threshold: '1' }], [dim, { threshold: '-5' }], [dim, { from: RARE.month, to: RARE.month, threshold: '2' }],
          [dim, { from: MONTHS[12], to: MONTHS[14] }], [dim, { format: 'csv', threshold: '0' }], [dim, { format: 'csv', from: RARE.month }]);
      }
      let seenRare = 0;
      const unfiltered = new Map();
      // Four at a time: the server answers in parallel.
      const answers = [];
      for (let i = 0; i < asks.length; i += 4) {
        answers.push(...await Promise.all(asks.slice(i, i + 4).map(([dim, extra]) => request(srv, 'GET', qs(dim, extra)))));
      }
      asks.forEach(([dim, extra], i) => {
        const r = answers[i];
        const what = `${dim} ${JSON.stringify(extra)}`;
        assert.equal(r.status, 200, `${what}: ${r.text}`);
        const rows = extra.format === 'csv'
          ? r.text.trim().split(/\r?\n/).slice(1).map((l) => { const p = l.split(','); return { month: p[0], key: p[2], specifications: p[3], awards: p[4] }; })
          : r.json.rows;
        if (extra.format !== 'csv') assert.equal(r.json.threshold, THRESHOLD, `${what}: the threshold cannot be lowered`);
        for (const x of rows) {
          for (const v of [x.specifications, x.awards]) {
            const num = typeof v === 'number' ? v : v === null || /^</.test(v) ? null : Number(v);
            assert.ok(num === null || num === 0 || num >= THRESHOLD, `${what}: ${x.month} ${x.key} has count ${num}`);
          }
          if (RARE.keys.includes(x.key) && x.month === RARE.month) {
            assert.ok(x.awards === null || x.awards === `<${THRESHOLD}`, `${what}: the rare ${x.key} is hidden`);
            seenRare++;
          }
        }
        // A month filter only leaves months out: its cells are the
        // unfiltered ones, so ranges cannot be subtracted to narrow a count.
        if (!extra.format && !extra.from) unfiltered.set(dim, new Map(rows.map((x) => [`${x.month}|${x.key}`, x])));
        if (!extra.format && extra.from) {
          for (const x of rows) assert.deepEqual(x, unfiltered.get(dim).get(`${x.month}|${x.key}`), `${what}: ${x.month}|${x.key}`);
        }
      });
      assert.ok(seenRare >= DIMENSIONS.length, `the rare cells were there to find, and hidden (${seenRare})`);
      console.log(`# ${asks.length} queries tried, none singled the learner out`);
    });

    it('a higher threshold asked for is honoured', async () => {
      const r = await request(srv, 'GET', '/api/v1/statistics?dimension=level&threshold=1000');
      assert.equal(r.json.threshold, 1000);
      for (const x of r.json.rows) assert.ok(x.awards === null || x.awards === 0 || x.awards >= 1000);
    });
  });
}
