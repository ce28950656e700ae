// verify.test.mjs - verification for everyone over HTTP: the JSON report,
// the W3C VC-API verifier endpoints, and JSON-LD contexts an operator adds
// (pinned by SHA-256; nothing is ever fetched).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backends, startServer, request, login, publishSpec, issueAward, createToken, DEMO } from './harness.mjs';

const CTX_URL = 'https://example.org/ctx/skills-v1.jsonld';
const CTX = JSON.stringify({ '@context': { '@version': 1.1, '@protected': true,
  favouriteTool: 'https://example.org/vocab#favouriteTool' } });

function contextsDir() {
  const dir = mkdtempSync(join(tmpdir(), 'mc-ctx-'));
  writeFileSync(join(dir, 'skills.jsonld'), CTX);
  const digest = createHash('sha256').update(CTX).digest('hex');
  writeFileSync(join(dir, 'contexts.tsv'), `# url\tfile\tsha256\n${CTX_URL}\tskills.jsonld\t${digest}\n`);
  return dir;
}

const custom = () => ({
  '@context': ['https://www.w3.org/ns/credentials/v2', CTX_URL],
  type: ['VerifiableCredential'],
  credentialSubject: { id: 'did:example:learner', favouriteTool: 'spreadsheet' },
  validFrom: '2025-01-01T00:00:00Z',
});

for (const backend of backends()) {
  test(`VC-API verify and the JSON report (${backend.name})`, async () => {
    const srv = await startServer(backend);
    try {
      const staff = await login(srv, DEMO.issuer);
      const spec = await publishSpec(srv, staff);
      const aw = await issueAward(srv, staff, spec.id);
      assert.equal(aw.status, 201, aw.text);
      const cred = aw.json.credential;
      let r = await request(srv, 'POST', '/credentials/verify', { body: { verifiableCredential: cred, options: {} } });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.verified, true);
      assert.ok(r.json.checks.includes('proof'));
      const tampered = structuredClone(cred);
      tampered.credentialSubject.achievement.name = 'Something else';
      r = await request(srv, 'POST', '/credentials/verify', { body: { verifiableCredential: tampered } });
      assert.equal(r.status, 400);
      assert.equal(r.json.verified, false);
      assert.ok(r.json.problemDetails.some((p) => p.title === 'proof'));
      for (const raw of ['[]', '"x"', '{}', '{"verifiableCredential": 5}', 'not json']) {
        r = await request(srv, 'POST', '/credentials/verify', { raw });
        assert.equal(r.status, 400, raw);
        assert.equal(r.json.verified, false, raw);
      }
      // A presentation of two credentials, one tampered: each is verified.
      const vp = { '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiablePresentation'],
        verifiableCredential: [cred, tampered] };
      r = await request(srv, 'POST', '/presentations/verify', { body: { verifiablePresentation: vp } });
      assert.equal(r.status, 400);
      vp.verifiableCredential = [cred];
      r = await request(srv, 'POST', '/presentations/verify', { body: { verifiablePresentation: vp } });
      assert.equal(r.status, 200, r.text);
      // A challenge was asked for, but the presentation has no holder proof.
      r = await request(srv, 'POST', '/presentations/verify', { body: { verifiablePresentation: vp, options: { challenge: 'c-1', domain: 'example.org' } } });
      assert.equal(r.status, 400);
      r = await request(srv, 'POST', '/presentations/verify', { body: { verifiablePresentation: cred } });
      assert.equal(r.status, 400, 'a credential is not a presentation');
      // The JSON report, with the elements in the reader's language.
      r = await request(srv, 'POST', '/api/v1/verify?lang=sv', { raw: JSON.stringify(cred) });
      assert.equal(r.status, 200);
      assert.equal(r.json.valid, true);
      assert.deepEqual(r.json.checks.map((c) => c.id).slice(0, 4), ['parse', 'context', 'shape', 'proof']);
      assert.ok(r.json.elements.learning_outcomes.some((o) => /försäljning/.test(o.text)));
      assert.equal(r.json.checks.find((c) => c.id === 'issuer-registered').status, 'passed');
    } finally {
      await srv.stop();
    }
  });

  test(`operator contexts: pinned, never fetched (${backend.name})`, async () => {
    let srv = await startServer(backend);
    const token = createToken(srv.db, DEMO.org, 'issuer');
    let r = await request(srv, 'POST', `/issuers/${DEMO.org}/credentials/issue`, { auth: { token }, body: { credential: custom() } });
    assert.ok([400, 422].includes(r.status), r.text);
    assert.match(r.text, /skills-v1\.jsonld/);
    await srv.stop();
    srv = await startServer(backend, { extraArgs: ['--contexts-dir', contextsDir()] });
    try {
      const tok = createToken(srv.db, DEMO.org, 'issuer');
      r = await request(srv, 'POST', `/issuers/${DEMO.org}/credentials/issue`, { auth: { token: tok }, body: { credential: custom() } });
      assert.equal(r.status, 201, r.text);
      const vc = r.json.verifiableCredential;
      r = await request(srv, 'POST', '/credentials/verify', { body: { verifiableCredential: vc } });
      assert.equal(r.status, 200, r.text);
      // A context file that does not match its pin stops the server at start.
    } finally {
      await srv.stop();
    }
    const bad = contextsDir();
    writeFileSync(join(bad, 'skills.jsonld'), CTX.replace('spreadsheet', '') + ' ');
    await assert.rejects(startServer(backend, { extraArgs: ['--contexts-dir', bad] }), /does not match its pinned SHA-256/);
  });
}
