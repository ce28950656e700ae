// bench_statistics.mjs - response time of the open statistics
// (GET /api/v1/statistics) on 100,000 awards: a demo database plus the data
// set of bench/bench_statistics_data.mjs (the one tests/api/statistics.test
// checks cell by cell), `microcred serve` on it, then for every dimension
// RUNS requests one after another (after one warm-up each), printing the
// median, the fastest and the slowest, and the median of a month-filtered
// request. Prints one summary line:
//   statistics (100000 awards): median 123.4 ms over 7 dimensions x 15 runs
//
//   node bench/bench_statistics.mjs [RUNS]     (MICROCRED_BIN, default build/microcred)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { AWARDS, MONTHS, DIMENSIONS, generateStatisticsData } from './bench_statistics_data.mjs';

const BIN = resolve(process.env.MICROCRED_BIN || 'build/microcred');
const RUNS = Math.max(1, Number(process.argv[2] || 15));
const dir = mkdtempSync(join(tmpdir(), 'mc-bench-stats-'));
const file = join(dir, 'db.sqlite');
const key = join(dir, 'master.key');
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (ms) => `${ms.toFixed(1)} ms`;

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => res(port)); });
  });
}

let child;
try {
  const d = spawnSync(BIN, ['demo', '--db', `sqlite:${file}`, '--master-key-file', key], { encoding: 'utf8' });
  if (d.status !== 0) throw new Error(`microcred demo failed: ${d.stdout}${d.stderr}`);
  let t0 = performance.now();
  generateStatisticsData(file);
  console.log(`generated ${AWARDS} awards in ${fmt(performance.now() - t0)}`);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  child = spawn(BIN, ['serve', '--db', `sqlite:${file}`, '--listen', `127.0.0.1:${port}`, '--master-key-file', key,
    '--outbox', join(dir, 'outbox'), '--evidence-dir', join(dir, 'evidence')], { stdio: 'ignore' });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* starting */ }
    if (i > 200) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const time = async (path) => {
    t0 = performance.now();
    const r = await fetch(base + path);
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return performance.now() - t0;
  };
  const all = [];
  for (const dim of DIMENSIONS) {
    const path = `/api/v1/statistics?dimension=${dim}`;
    await time(path);
    const xs = [];
    for (let i = 0; i < RUNS; i++) xs.push(await time(path));
    all.push(...xs);
    const ranged = [];
    for (let i = 0; i < Math.min(RUNS, 5); i++) ranged.push(await time(`${path}&from=${MONTHS[6]}&to=${MONTHS[11]}`));
    console.log(`${dim.padEnd(14)} median ${fmt(median(xs)).padStart(10)}  min ${fmt(Math.min(...xs)).padStart(10)}  max ${fmt(Math.max(...xs)).padStart(10)}  6 months: ${fmt(median(ranged))}`);
  }
  const csv = [];
  for (let i = 0; i < Math.min(RUNS, 5); i++) csv.push(await time('/api/v1/statistics?dimension=country&format=csv'));
  console.log(`${'country (CSV)'.padEnd(14)} median ${fmt(median(csv)).padStart(10)}`);
  console.log(`statistics (${AWARDS} awards): median ${fmt(median(all))} over ${DIMENSIONS.length} dimensions x ${RUNS} runs`);
} catch (e) {
  console.error(`bench_statistics: ${e.message}`);
  process.exitCode = 1;
} finally {
  if (child) { child.kill('SIGTERM'); await new Promise((r) => child.on('exit', r)); }
  rmSync(dir, { recursive: true, force: true });
}
