// harness.mjs - what the API tests share: real microcred servers on fresh
// databases, on SQLite and (when MC_TEST_PG is set) on PostgreSQL, plus
// helpers to log in, make requests and snapshot a database.
//
// How it works. Each test file runs in its own Node process (node --test).
// The first time a file asks for a backend, the harness builds a *template*
// database once: `microcred demo` (the demo organisations and users; slow,
// because every password is hashed with Argon2id) and two API tokens made
// with `microcred tokens create`. Every fresh database is then a copy of the
// template: a file copy for SQLite, CREATE DATABASE ... TEMPLATE for
// PostgreSQL (on the server that MC_TEST_PG names; scripts/with-postgres
// starts a private one). So every suite, and every test that mutates state
// in a way others must not see, gets its own database in milliseconds.
//
//   for (const backend of backends()) describe(backend.name, () => {
//     let srv;
//     before(async () => { srv = await startServer(backend); });
//     after(async () => { await srv.stop(); });
//     it('...', async () => {
//       const s = await login(srv, DEMO.orgAdmin);            // {cookie, csrf, user}
//       const r = await request(srv, 'GET', '/api/v1/me', { auth: s });
//       assert.equal(r.status, 200);
//     });
//   });
//
// Environment:
//   MICROCRED_BIN   the binary (default build/microcred, relative to the cwd,
//                   which is the project root when tests run via make)
//   MC_TEST_PG      a PostgreSQL connection URL; adds the "postgres" backend
//   MC_TEST_KEEP=1  keep temporary directories and PostgreSQL databases
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';

export const BIN = resolve(process.env.MICROCRED_BIN || 'build/microcred');
export const PASSWORD = 'demo-password-1';

// The logins `microcred demo` creates (all with PASSWORD).
export const DEMO = {
  platformAdmin: 'admin@demo.microcred.eu',
  orgAdmin: 'staff@uni.demo.microcred.eu',
  issuer: 'issuer@uni.demo.microcred.eu',
  assessor: 'assessor@uni.demo.microcred.eu',
  otherOrgAdmin: 'hr@employer.demo.microcred.eu',
  learner: 'learner@demo.microcred.eu',
  org: 'demo-university',
  otherOrg: 'demo-employer',
};

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let uniqCounter = 0;
// uniq('x') -> "x-<pid>-<n>": unique within this test run.
export const uniq = (prefix = 'u') => `${prefix}-${process.pid}-${++uniqCounter}`;

// backends() -> [{name:'sqlite'}, {name:'postgres', pg:URL}?]
export function backends() {
  const list = [{ name: 'sqlite' }];
  if (process.env.MC_TEST_PG) list.push({ name: 'postgres', pg: process.env.MC_TEST_PG });
  return list;
}

// ---------------------------------------------------------------- databases

const workDir = mkdtempSync(join(tmpdir(), 'mc-api-'));
const masterKey = join(workDir, 'master.key');
process.on('exit', () => {
  if (!process.env.MC_TEST_KEEP) rmSync(workDir, { recursive: true, force: true });
});

// A PostgreSQL URL for database `name` on the same server as `base`
// ("postgres://user@/db?host=/dir&port=N" keeps its query string).
function pgUrlFor(base, name) {
  const q = base.indexOf('?');
  const head = q < 0 ? base : base.slice(0, q);
  const query = q < 0 ? '' : base.slice(q);
  return `${head.slice(0, head.lastIndexOf('/'))}/${name}${query}`;
}

// The psql binary itself: /usr/bin/psql is Debian's Perl wrapper, which
// costs a tenth of a second per call.
const PSQL = (() => {
  try {
    const dirs = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(a) - Number(b));
    for (const d of dirs.reverse()) {
      const p = `/usr/lib/postgresql/${d}/bin/psql`;
      if (existsSync(p)) return p;
    }
  } catch { /* not Debian's layout */ }
  return 'psql';
})();

function psql(url, sql) {
  return execFileSync(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', url, '-c', sql], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// One long-lived psql (or sqlite3) per database for snapshots: starting
// psql and a PostgreSQL backend costs about 0.3 s, sqlite3 tens of
// milliseconds, a query on an open one milliseconds. The child is unref'd
// while idle so it never keeps the test process alive. (SQLite databases
// are in WAL mode: the open reader sees every commit and blocks no writer.)
const dbSessions = new Map();
function sessionQuery(key, cmd, args, sql, echo) {
  let s = dbSessions.get(key);
  if (!s) {
    const proc = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    s = { proc, out: '', err: '', queue: Promise.resolve(), refs: [proc, proc.stdin, proc.stdout, proc.stderr] };
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (d) => { s.err += d; });
    proc.on('exit', () => { if (dbSessions.get(key) === s) dbSessions.delete(key); });
    dbSessions.set(key, s);
  }
  const run = () => new Promise((res, rej) => {
    const mark = `__mc_done_${++dbCounter}__`;
    s.out = '';
    s.err = '';
    s.refs.forEach((h) => h.ref?.());
    const onData = (d) => {
      s.out += d;
      const at = s.out.indexOf(`${mark}\n`);
      if (at < 0) return;
      s.proc.stdout.off('data', onData);
      s.refs.forEach((h) => h.unref?.());
      if (s.err.trim()) rej(new Error(`${cmd}: ${s.err.trim()}`));
      else res(s.out.slice(0, at));
    };
    s.proc.stdout.on('data', onData);
    s.proc.stdin.write(`${sql.replace(/;?\s*$/, ';')}\n${echo(mark)}\n`);
  });
  const p = s.queue.then(run, run);
  s.queue = p.catch(() => {});
  return p;
}

function psqlQuery(url, sql) {
  return sessionQuery(url, PSQL, ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=0', url], sql, (m) => `\\echo ${m}`);
}

function sqliteQuery(file, sql) {
  return sessionQuery(file, 'sqlite3', ['-batch', '-cmd', '.timeout 10000', file], sql, (m) => `.print ${m}`);
}

function closeSession(key) {
  const s = dbSessions.get(key);
  if (!s) return;
  dbSessions.delete(key);
  s.proc.stdin.end();
  s.refs.forEach((h) => h.unref?.());
}

export function cli(args, { allowFail = false } = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8' });
  if (!allowFail && (r.error || r.status !== 0)) {
    throw new Error(`${BIN} ${args.join(' ')} failed (${r.status}): ${r.error?.message ?? ''}\n${r.stdout}${r.stderr}`);
  }
  return r;
}

const templates = new Map(); // backend name -> {db, tokens}
let dbCounter = 0;
const pgCreated = [];

// The template database of a backend (built once per process).
function template(backend) {
  if (templates.has(backend.name)) return templates.get(backend.name);
  let db;
  if (backend.name === 'sqlite') {
    db = `sqlite:${join(workDir, 'template.db')}`;
  } else {
    const name = `mc_tpl_${process.pid}`;
    psql(backend.pg, `DROP DATABASE IF EXISTS ${name}`);
    psql(backend.pg, `CREATE DATABASE ${name}`);
    pgCreated.push(name);
    db = pgUrlFor(backend.pg, name);
  }
  const common = ['--db', db, '--master-key-file', masterKey];
  cli(['demo', ...common]);
  const token = (org, role) =>
    cli(['tokens', 'create', '--org', org, '--role', role, '--name', `${org} ${role}`, ...common]).stdout.trim();
  const tokens = {
    orgAdmin: token(DEMO.org, 'org-admin'),
    otherOrgAdmin: token(DEMO.otherOrg, 'org-admin'),
  };
  const t = { db, tokens };
  templates.set(backend.name, t);
  return t;
}

// freshDb(backend) -> {backend, url, file?, name?, tokens}: a new copy of the
// template (demo data and the tokens listed in .tokens).
export function freshDb(backend) {
  const t = template(backend);
  const n = ++dbCounter;
  if (backend.name === 'sqlite') {
    const file = join(workDir, `db${n}.sqlite`);
    copyFileSync(t.db.slice('sqlite:'.length), file);
    return { backend, url: `sqlite:${file}`, file, tokens: t.tokens };
  }
  const name = `mc_${process.pid}_${n}`;
  const tplName = `mc_tpl_${process.pid}`;
  psql(backend.pg, `CREATE DATABASE ${name} TEMPLATE ${tplName}`);
  pgCreated.push(name);
  return { backend, url: pgUrlFor(backend.pg, name), name, tokens: t.tokens };
}

function dropDb(db) {
  if (process.env.MC_TEST_KEEP) return;
  if (db.file) {
    closeSession(db.file);
    for (const f of [db.file, `${db.file}-wal`, `${db.file}-shm`]) rmSync(f, { force: true });
  } else if (db.name) {
    closeSession(db.url);
    try { psql(db.backend.pg, `DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`); } catch { /* best effort */ }
  }
}

process.on('exit', () => {
  if (process.env.MC_TEST_KEEP || !process.env.MC_TEST_PG) return;
  for (const name of pgCreated) {
    try { psql(process.env.MC_TEST_PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* gone */ }
  }
});

// Tables every snapshot leaves out, and why: requests that are rejected may
// still legitimately write to them.
//   sessions        - login creates one; it is the point of logging in.
//   login_failures  - failed logins are counted by design (throttling).
export const VOLATILE_TABLES = ['sessions', 'login_failures'];
// Columns left out: api_tokens.last_used_at is stamped whenever a valid
// bearer token authenticates, before the request body is even looked at.
export const VOLATILE_COLUMNS = { api_tokens: ['last_used_at'] };

// snapshot(db, {excludeTables, excludeColumns, digest}) -> {table: [rows...]}:
// every table's rows as JSON in a stable order (one sqlite3 / psql run),
// minus the excluded tables and columns (default VOLATILE_*; pass [] / {}
// for a strict snapshot). Compare two with assert.deepStrictEqual to prove
// that a request changed nothing. With digest: true, values longer than 200
// characters (signed credentials, documents, key material) stand as a
// digest: md5 on PostgreSQL; on SQLite, which has no hash function, the
// length with the first and last 64 characters. That keeps snapshots of a
// database full of credentials small enough to take around every request.
export async function snapshot(db, { excludeTables = VOLATILE_TABLES, excludeColumns = VOLATILE_COLUMNS, digest = false } = {}) {
  const cols = new Map(); // table -> [column]
  let listing = db.listing; // the schema is fixed once the server has migrated
  if (listing) {
    // cached
  } else if (db.file) {
    listing = JSON.parse(await sqliteQuery(db.file,
      "SELECT json_group_array(json_object('t', t, 'c', c)) FROM (SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid)"));
  } else {
    listing = JSON.parse(await psqlQuery(db.url, "SELECT coalesce(json_agg(json_build_object('t', table_name, 'c', column_name) ORDER BY table_name, ordinal_position), '[]') FROM information_schema.columns WHERE table_schema = 'public'"));
  }
  db.listing = listing;
  for (const { t, c } of listing) {
    if (excludeTables.includes(t) || (excludeColumns[t] || []).includes(c)) continue;
    if (!cols.has(t)) cols.set(t, []);
    cols.get(t).push(c);
  }
  const q = (id) => `"${id.replace(/"/g, '""')}"`;
  const lit = (s) => `'${s.replace(/'/g, "''")}'`;
  let sql;
  if (db.file) {
    const val = (c) => (digest
      ? `CASE WHEN length(CAST(${q(c)} AS TEXT)) > 200 THEN length(CAST(${q(c)} AS TEXT)) || ':' || substr(CAST(${q(c)} AS TEXT), 1, 64) || substr(CAST(${q(c)} AS TEXT), -64) ELSE ${q(c)} END`
      : q(c));
    const parts = [...cols].map(([t, cs]) =>
      `${lit(t)}, (SELECT json_group_array(json_object(${cs.map((c) => `${lit(c)}, ${val(c)}`).join(', ')})) FROM (SELECT * FROM ${q(t)} ORDER BY rowid))`);
    // json_object takes at most ~100 arguments: 40 tables per call, merged.
    const chunks = [];
    for (let k = 0; k < parts.length; k += 40) chunks.push(`json_object(${parts.slice(k, k + 40).join(', ')})`);
    sql = `SELECT ${chunks.reduce((a, b) => `json_patch(${a}, ${b})`)}`;
    return JSON.parse(await sqliteQuery(db.file, sql));
  }
  const pval = (c) => (digest
    ? `CASE WHEN length(${q(c)}::text) > 200 THEN md5(${q(c)}::text) ELSE ${q(c)}::text END AS ${q(c)}`
    : q(c));
  const parts = [...cols].map(([t, cs]) =>
    `${lit(t)}, (SELECT coalesce(json_agg(x ORDER BY x::text), '[]') FROM (SELECT ${cs.map(pval).join(', ')} FROM ${q(t)}) x)`);
  // Functions take at most 100 arguments: 40 tables per call, merged.
  const chunks = [];
  for (let k = 0; k < parts.length; k += 40) chunks.push(`jsonb_build_object(${parts.slice(k, k + 40).join(', ')})`);
  sql = `SELECT ${chunks.join(' || ')}`;
  return JSON.parse(await psqlQuery(db.url, sql));
}

// ------------------------------------------------------------------- server

// startServer(backend, {db, maxBody, maxHeaders, extraArgs}) -> server:
//   {port, base, db, proc, outbox, log(), stop() -> exit code, kill()}
// The server's e-mails go to its own outbox directory (srv.outbox), never
// to the project's var/.
// Starts `microcred serve` on 127.0.0.1 with port 0 on `db` (default: a
// fresh database) and waits for its "serving ... on http://HOST:PORT" line.
export async function startServer(backend, { db, maxBody, maxHeaders, extraArgs = [], keepDb = false } = {}) {
  db = db || freshDb(backend);
  const outbox = join(workDir, `outbox-${++dbCounter}`);
  const args = ['serve', '--db', db.url, '--listen', '127.0.0.1:0', '--base-url', 'http://127.0.0.1:8080',
    '--master-key-file', masterKey, '--web-dir', resolve('web'), '--outbox', outbox, ...extraArgs];
  if (maxBody) args.push('--max-body', String(maxBody));
  if (maxHeaders) args.push('--max-headers', String(maxHeaders));
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 200000) stderr = stderr.slice(-100000); });
  const exited = new Promise((res) => proc.on('exit', (code, sig) => res(sig ? `signal ${sig}` : code)));
  const port = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`server did not start in 20 s:\n${stdout}${stderr}`)), 20000);
    proc.stdout.on('data', (d) => {
      stdout += d;
      const m = /serving .* on https?:\/\/[^\s:]+:(\d+)/.exec(stdout);
      if (m) { clearTimeout(timer); res(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); rej(new Error(`server exited (${code}) before serving:\n${stdout}${stderr}`)); });
  });
  const srv = {
    port, base: `http://127.0.0.1:${port}`, db, proc, exited, outbox,
    log: () => stderr,
    // SIGTERM, wait for the exit, drop the database; resolves to the exit code.
    // Throws when the server reported a sanitizer finding (a leak at exit, a
    // memory error, undefined behaviour): the api-asan layer runs these
    // tests against the sanitizer build, and a finding fails the file.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      // The deadline timer is cleared: a pending one kept node alive for 15 s
      // after every test file.
      let timer;
      const deadline = new Promise((res) => { timer = setTimeout(() => res('timeout'), 15000); });
      const code = await Promise.race([exited, deadline]);
      clearTimeout(timer);
      if (code === 'timeout') { proc.kill('SIGKILL'); await exited; }
      if (!keepDb) dropDb(db);
      const finding = /ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:/.exec(stderr);
      if (finding) throw new Error(`the server reported a sanitizer finding:\n${stderr.slice(Math.max(0, finding.index - 200), finding.index + 4000)}`);
      return code;
    },
  };
  return srv;
}

// ------------------------------------------------------------------ requests

// request(srv, method, path, opts) -> {status, headers, text, json}
//   opts.auth     {cookie, csrf} (cookie session) or {token} (bearer) or null
//   opts.csrf     override the X-CSRF-Token header (false: send none)
//   opts.body     a value sent as JSON; opts.raw: a string sent as is
//   opts.contentType  default application/json when there is a body
//   opts.headers  extra headers
export async function request(srv, method, path, opts = {}) {
  const headers = { ...(opts.headers || {}) };
  const a = opts.auth;
  if (a?.cookie) {
    headers.cookie = `mc_session=${a.cookie}`;
    const csrf = opts.csrf === undefined ? a.csrf : opts.csrf;
    if (csrf && !['GET', 'HEAD'].includes(method)) headers['x-csrf-token'] = csrf;
  }
  if (a?.token) headers.authorization = `Bearer ${a.token}`;
  let body;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !('content-type' in headers)) {
    headers['content-type'] = opts.contentType || 'application/json';
  }
  const res = await fetch(srv.base + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// rawRequest(srv, {method, path, headers, body, bodyChunks, chunkDelayMs}) ->
// {status, headers, text}: node:http, for what fetch will not send (huge
// headers) and for bodies uploaded slowly in chunks.
export function rawRequest(srv, { method = 'GET', path = '/', headers = {}, body, bodyChunks, chunkDelayMs = 0 }) {
  return new Promise((res, rej) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, headers, agent: false,
      maxHeaderSize: 1 << 20 }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (d) => { text += d; });
      r.on('end', () => res({ status: r.statusCode, headers: r.headers, text }));
      r.on('error', rej);
    });
    req.on('error', rej);
    (async () => {
      if (bodyChunks) {
        for (const c of bodyChunks) {
          if (!req.write(c)) await new Promise((ok) => req.once('drain', ok));
          if (chunkDelayMs) await sleep(chunkDelayMs);
        }
      } else if (body !== undefined) {
        req.write(body);
      }
      req.end();
    })().catch(rej);
  });
}

// login(srv, email, password) -> {cookie, csrf, user}; throws unless 200.
export async function login(srv, email, password = PASSWORD) {
  const r = await request(srv, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (r.status !== 200) throw new Error(`login ${email}: ${r.status} ${r.text}`);
  return { cookie: sessionCookie(r.headers), csrf: r.json.csrf, user: r.json.user };
}

// The mc_session value a response sets ('' when it clears it), or undefined.
export function sessionCookie(headers) {
  const all = headers.getSetCookie ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
  for (const c of all) {
    const m = /^mc_session=([^;]*)/.exec(c);
    if (m) return m[1];
  }
  return undefined;
}

// register(srv, {email?, name?, password?}) -> {cookie, csrf, user, email}
export async function register(srv, { email = `${uniq('user')}@example.org`, name = 'Test Person', password = PASSWORD } = {}) {
  const r = await request(srv, 'POST', '/api/v1/auth/register', { body: { email, name, password } });
  if (r.status !== 201) throw new Error(`register ${email}: ${r.status} ${r.text}`);
  return { cookie: sessionCookie(r.headers), csrf: r.json.csrf, user: r.json.user, email };
}

// createToken(db, org, role) -> "mct_..." (via the CLI; works while serving).
export function createToken(db, org, role) {
  return cli(['tokens', 'create', '--org', org, '--role', role, '--db', db.url, '--master-key-file', masterKey]).stdout.trim();
}

// The shape every error response must have (RFC 9457 problem document).
export function assertProblem(assert, r, status) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  assert.match(r.headers.get ? r.headers.get('content-type') : r.headers['content-type'], /^application\/problem\+json/);
  const p = typeof r.json === 'object' ? r.json : JSON.parse(r.text);
  assert.equal(typeof p.type, 'string');
  assert.ok(p.type.length > 0, 'problem.type');
  assert.equal(typeof p.title, 'string');
  assert.ok(p.title.length > 0, 'problem.title');
  assert.equal(p.status, status);
  assert.equal(typeof p.detail, 'string');
  assert.ok(p.detail.length > 0, 'problem.detail');
  return p;
}

export const newId = () => randomUUID();
export { existsSync };

// ------------------------------------------------------------------ issuing

// The master key file every server and CLI run of this process uses.
export const MASTER_KEY_FILE = masterKey;
// The CLI options that open `db` as the servers do.
export const dbArgs = (db) => ['--db', db.url, '--master-key-file', masterKey];
export const WORK_DIR = workDir;

// sql(db, query) -> [{column: value}]: the rows of one SELECT, read directly
// (sqlite3 -json / psql), for assertions about what is stored.
export async function sql(db, query) {
  if (db.file) {
    const out = execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-json', db.file, query], { encoding: 'utf8' });
    return JSON.parse(out || '[]');
  }
  return JSON.parse(await psqlQuery(db.url, `SELECT coalesce(json_agg(x), '[]') FROM (${query}) x`));
}

// sqlExec(db, statement): run a statement that returns nothing (used to
// tamper with rows on purpose).
export async function sqlExec(db, statement) {
  if (db.file) execFileSync('sqlite3', ['-cmd', '.timeout 10000', db.file, statement], { encoding: 'utf8' });
  else await psqlQuery(db.url, statement);
}

// A complete specification (every Annex I element), from the shared
// fixture, without the identity the platform assigns (id, version,
// versionId). Pass changes to merge over the top level.
const FULL_FIXTURE = JSON.parse(readFileSync(resolve('tests/fixtures/credentials/full.json'), 'utf8'));
export function fullSpecification(changes = {}) {
  const s = structuredClone(FULL_FIXTURE.specification);
  delete s.id;
  delete s.version;
  delete s.versionId;
  return { ...s, ...structuredClone(changes) };
}

export const orgPath = (p = '', org = DEMO.org) => `/api/v1/organisations/${org}${p}`;

// publishSpec(srv, auth, {draft, review_date, org}) -> {id, version, url,
// json}: create a specification draft (default: the full fixture) and
// publish it; throws unless both succeed.
export async function publishSpec(srv, auth, { draft = fullSpecification(), review_date, org = DEMO.org } = {}) {
  const body = { draft };
  if (review_date !== undefined) body.review_date = review_date;
  const c = await request(srv, 'POST', orgPath('/specifications', org), { auth, body });
  if (c.status !== 201) throw new Error(`create specification: ${c.status} ${c.text}`);
  const p = await request(srv, 'POST', orgPath(`/specifications/${c.json.id}/publish`, org), { auth });
  if (p.status !== 201) throw new Error(`publish specification: ${p.status} ${p.text}`);
  return { id: c.json.id, version: p.json.version, url: p.json.url, json: p.json };
}

// issueAward(srv, auth, specId, {learner, key, org, ...more}) -> response of
// POST .../awards (an award of the full fixture needs a grade: "Pass").
export function issueAward(srv, auth, specId, { learner, key, org = DEMO.org, ...more } = {}) {
  const body = {
    specification_id: specId,
    learner: learner || { name: 'Ada Learner', email: `${uniq('ada')}@example.org` },
    grade: 'Pass',
    ...more,
  };
  return request(srv, 'POST', orgPath('/awards', org), { auth, body, headers: key ? { 'idempotency-key': key } : {} });
}

// claimToken(srv, email) -> the claim-link token of the newest e-mail the
// server wrote to `email` in its outbox, or undefined.
export function claimToken(srv, email) {
  return linkToken(srv, email, '/claim/');
}

// linkToken(srv, email, prefix) -> the token of the newest link starting
// with `prefix` ('/claim/', '/verify-address/') in an e-mail the server
// wrote to `email` in its outbox, or undefined.
export function linkToken(srv, email, prefix) {
  if (!existsSync(srv.outbox)) return undefined;
  const re = new RegExp(`${prefix.replace(/[/.]/g, '\\$&')}([A-Za-z0-9_-]{43})`);
  let found;
  for (const f of readdirSync(srv.outbox).filter((n) => n.endsWith('.eml')).sort()) {
    const text = readFileSync(join(srv.outbox, f), 'utf8');
    if (!text.includes(email)) continue;
    const m = re.exec(text);
    if (m) found = m[1];
  }
  return found;
}

// A small RFC 4180 reader (quoted cells, doubled quotes, CRLF or LF).
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') q = false; else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}
