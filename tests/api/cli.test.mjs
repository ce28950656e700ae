// cli.test.mjs - the command line as an operator scripts it: help and exit
// codes, settings from a config file and MICROCRED_* variables, scripted
// administration, and native TLS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { BIN, fullSpecification } from './harness.mjs';
import net from 'node:net';

const dir = mkdtempSync(join(tmpdir(), 'mc-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const run = (args, opts = {}) => spawnSync(BIN, args, { encoding: 'utf8', ...opts });

test('help for every command, exit codes as documented', () => {
  const top = run(['--help']);
  assert.equal(top.status, 0);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
  assert.ok(commands.length >= 15, top.stdout);
  for (const c of commands) {
    const r = run([c, '--help']);
    assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
    assert.match(r.stdout, /usage: microcred/, c);
  }
  assert.equal(run([]).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
  assert.equal(run(['serve', '--no-such-flag']).status, 2);
  assert.equal(run(['verify', join(dir, 'missing.json')]).status, 2);
  writeFileSync(join(dir, 'bad.json'), '{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["VerifiableCredential"]}');
  assert.equal(run(['verify', join(dir, 'bad.json')]).status, 1);
  const db = `sqlite:${join(dir, 'x.db')}`;
  const r = run(['migrate', '--db', 'mysql://nope', '--master-key-file', join(dir, 'mk')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^microcred migrate: .*sqlite:PATH or postgres/m);
  assert.equal(run(['migrate', '--db', db, '--master-key-file', join(dir, 'mk')]).status, 0);
  assert.equal(statSync(join(dir, 'mk')).mode & 0o777, 0o600, 'master key created 0600');
});

test('an operator scripts a deployment without the browser', () => {
  const args = ['--db', `sqlite:${join(dir, 'ops.db')}`, '--master-key-file', join(dir, 'mk2')];
  const u = run(['users', 'create', '--email', 'Root@Example.org', '--name', 'Root', '--platform-admin', ...args], { input: 'a-long-password\n' });
  assert.equal(u.status, 0, u.stderr);
  const o = run(['orgs', 'create', '--slug', 'acme-uni', '--legal-name', 'Acme University', '--legal-id-scheme', 'EU:VAT',
    '--legal-id', 'SE000', '--country', 'SE', '--contact-email', 'reg@acme.example', '--admin', 'root@example.org', ...args]);
  assert.equal(o.status, 0, o.stderr);
  const bad = run(['orgs', 'create', '--slug', 'X', '--country', 'Sweden', ...args]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /slug/);
  assert.match(bad.stderr, /country/);
  assert.equal(run(['orgs', 'approve', 'acme-uni', ...args]).status, 0);
  assert.match(run(['orgs', 'list', ...args]).stdout, /acme-uni\s+approved/);
  const t = run(['tokens', 'create', '--org', 'acme-uni', '--role', 'issuer', ...args]);
  assert.equal(t.status, 0, t.stderr);
  assert.match(t.stdout.trim(), /^mct_[A-Za-z0-9_-]{43}$/);
  assert.match(run(['audit', 'verify', ...args]).stdout, /audit log intact: \d+ entries/);
});

function serveUntilReady(args, env = {}) {
  const proc = spawn(BIN, ['serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); rej(new Error(`not ready: ${out}${err}`)); }, 20000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving (\S+) on (https?):\/\/[^\s:]+:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); res({ proc, base: m[1], scheme: m[2], port: Number(m[3]) }); }
    });
    proc.on('exit', (c) => { clearTimeout(timer); rej(new Error(`exited ${c}: ${out}${err}`)); });
  });
}

async function stop(s) {
  s.proc.kill('SIGTERM');
  const code = await new Promise((r) => s.proc.on('exit', (c) => r(c)));
  assert.equal(code, 0);
}

test('settings: file < environment < flags', async () => {
  const conf = join(dir, 'microcred.conf');
  writeFileSync(conf, `# comments are fine\ndb = sqlite:${join(dir, 'conf.db')}\nmaster_key_file = ${join(dir, 'mk3')}\n` +
    'listen = 127.0.0.1:0\nbase_url = https://from-file.example\nweb_dir = web\n');
  let s = await serveUntilReady(['--config', conf]);
  assert.equal(s.base, 'https://from-file.example');
  await stop(s);
  s = await serveUntilReady(['--config', conf], { MICROCRED_BASE_URL: 'https://from-env.example' });
  assert.equal(s.base, 'https://from-env.example');
  await stop(s);
  s = await serveUntilReady(['--config', conf, '--base-url', 'https://from-flag.example/'], { MICROCRED_BASE_URL: 'https://from-env.example' });
  assert.equal(s.base, 'https://from-flag.example');
  await stop(s);
  writeFileSync(join(dir, 'broken.conf'), 'listen 127.0.0.1:1\n');
  const r = run(['serve', '--config', join(dir, 'broken.conf')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /broken.conf line 1: expected key = value/);
});

const freePort = () => new Promise((res) => {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
});

test('native TLS: HTTPS, Secure cookies, and `verify` resolving did:web and status lists online', async () => {
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const db = `sqlite:${join(dir, 'tls.db')}`;
  const mk = join(dir, 'mk4');
  run(['demo', '--db', db, '--master-key-file', mk]);
  const port = await freePort();
  const s = await serveUntilReady(['--db', db, '--master-key-file', mk, '--listen', `127.0.0.1:${port}`, '--tls-cert', cert,
    '--tls-key', key, '--base-url', `https://127.0.0.1:${port}`, '--web-dir', 'web']);
  try {
    assert.equal(s.scheme, 'https');
    const call = (method, path, body, auth) => new Promise((res, rej) => {
      const headers = body ? { 'content-type': 'application/json' } : {};
      if (auth) Object.assign(headers, { cookie: auth.cookie, 'x-csrf-token': auth.csrf });
      const req = https.request({ host: '127.0.0.1', port: s.port, method, path, ca: readFileSync(cert), rejectUnauthorized: false,
        headers }, (r) => {
        let t = '';
        r.on('data', (d) => { t += d; });
        r.on('end', () => res({ status: r.statusCode, headers: r.headers, text: t }));
      });
      req.on('error', rej);
      if (body) req.write(JSON.stringify(body));
      req.end();
    });
    assert.equal((await call('GET', '/healthz')).status, 200);
    const l = await call('POST', '/api/v1/auth/login', { email: 'learner@demo.microcred.eu', password: 'demo-password-1' });
    assert.equal(l.status, 200, l.text);
    const cookie = l.headers['set-cookie'].join(';');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Secure/);
    assert.match(l.headers['strict-transport-security'] || '', /max-age/);

    // Issue a credential, then verify it from the command line: the did:web
    // document and both status lists come over HTTPS from this server.
    const sl = await call('POST', '/api/v1/auth/login', { email: 'staff@uni.demo.microcred.eu', password: 'demo-password-1' });
    const staff = { cookie: sl.headers['set-cookie'][0].split(';')[0], csrf: JSON.parse(sl.text).csrf };
    const spec = JSON.parse((await call('POST', '/api/v1/organisations/demo-university/specifications', { draft: fullSpecification() }, staff)).text);
    assert.equal((await call('POST', `/api/v1/organisations/demo-university/specifications/${spec.id}/publish`, null, staff)).status, 201);
    const aw = await call('POST', '/api/v1/organisations/demo-university/awards',
      { specification_id: spec.id, learner: { name: 'Online Olga', email: 'olga@example.org' }, grade: 'Pass' }, staff);
    assert.equal(aw.status, 201, aw.text);
    const award = JSON.parse(aw.text);
    const file = join(dir, 'issued.json');
    writeFileSync(file, JSON.stringify(award.credential));
    let v = run(['verify', file, '--json', '--ca', cert]);
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const checks = Object.fromEntries(JSON.parse(v.stdout).checks.map((c) => [c.id, c.status]));
    assert.equal(checks.proof, 'passed');
    assert.equal(checks['issuer-key'], 'passed');
    assert.equal(checks.status, 'passed');
    v = run(['verify', file, '--json', '--offline']);
    assert.equal(v.status, 1, 'offline, the did:web key cannot be resolved');
    assert.equal((await call('POST', `/api/v1/organisations/demo-university/awards/${award.id}/revoke`, { reason: 'test' }, staff)).status, 200);
    v = run(['verify', file, '--json', '--ca', cert]);
    assert.equal(v.status, 1);
    assert.match(v.stdout, /revoked/);
    // Without the CA the server's certificate is not trusted: nothing is fetched.
    v = run(['verify', file, '--json']);
    assert.equal(v.status, 1);
    assert.match(v.stdout, /certificate is not trusted|cannot connect/);
  } finally {
    await stop(s);
  }
});
