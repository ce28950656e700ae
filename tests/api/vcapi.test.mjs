// vcapi.test.mjs - the W3C VC-API issuer endpoint
// POST /issuers/{slug}/credentials/issue, on every backend: what it adds
// (issuer, status entry, proof), the options it honours, what it refuses
// and with which status, and who may call it. Every refused request is
// checked to have stored nothing (awards are counted in the database).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, login, createToken, sql, DEMO, assertProblem,
} from './harness.mjs';

const PATH = `/issuers/${DEMO.org}/credentials/issue`;
const DID = `did:web:127.0.0.1%3A8080:issuers:${DEMO.org}`;

const vc2 = (extra = {}) => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  validFrom: '2025-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner-1', name: 'Ada' },
  ...extra,
});
const vc11 = () => ({
  '@context': ['https://www.w3.org/2018/credentials/v1'],
  type: ['VerifiableCredential'],
  issuanceDate: '2025-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:learner-2' },
});

for (const backend of backends()) {
  describe(`VC-API issue [${backend.name}]`, () => {
    let srv;
    let issuerToken; // an API token with the issuer role of demo-university
    const awards = async () => Number((await sql(srv.db, 'SELECT COUNT(*) AS n FROM awards'))[0].n);
    const issue = (body, auth = issuerToken, opts = {}) => request(srv, 'POST', PATH, { auth, body, ...opts });

    before(async () => {
      srv = await startServer(backend);
      issuerToken = { token: createToken(srv.db, DEMO.org, 'issuer') };
    });
    after(async () => { await srv.stop(); });

    it('signs a VC 2.0 credential without issuer: the organisation\'s did:web, a status entry, an eddsa-rdfc-2022 proof', async () => {
      const n = await awards();
      const r = await issue({ credential: vc2() });
      assert.equal(r.status, 201, r.text);
      const vc = r.json.verifiableCredential;
      assert.ok(vc, r.text);
      assert.equal(vc.issuer, DID);
      assert.deepEqual(vc.credentialSubject, vc2().credentialSubject);
      const status = [].concat(vc.credentialStatus);
      assert.ok(status.length >= 1);
      for (const s of status) {
        assert.equal(s.type, 'BitstringStatusListEntry');
        assert.match(s.statusListCredential, new RegExp(`/issuers/${DEMO.org}/status/(revocation|suspension)$`));
        assert.match(String(s.statusListIndex), /^\d+$/);
      }
      assert.ok(status.some((s) => s.statusPurpose === 'revocation'));
      assert.equal(vc.proof.type, 'DataIntegrityProof');
      assert.equal(vc.proof.cryptosuite, 'eddsa-rdfc-2022');
      assert.equal(vc.proof.proofPurpose, 'assertionMethod');
      assert.equal(vc.proof.verificationMethod, `${DID}#key-1`);
      assert.match(vc.proof.proofValue, /^z[1-9A-HJ-NP-Za-km-z]+$/);
      assert.equal(await awards(), n + 1, 'recorded, so it can be revoked');
    });

    it('keeps an issuer object naming the organisation, and a credentialStatus given by the caller', async () => {
      const r = await issue({ credential: vc2({ issuer: { id: DID, name: 'Demo University' } }) });
      assert.equal(r.status, 201, r.text);
      assert.deepEqual(r.json.verifiableCredential.issuer, { id: DID, name: 'Demo University' });
      const own = { id: 'https://status.example.org/1#5', type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '5', statusListCredential: 'https://status.example.org/1' };
      const r2 = await issue({ credential: vc2({ issuer: DID, credentialStatus: own }) });
      assert.equal(r2.status, 201, r2.text);
      assert.deepEqual(r2.json.verifiableCredential.credentialStatus, own);
    });

    it('honours options.cryptosuite eddsa-jcs-2022', async () => {
      const r = await issue({ credential: vc2(), options: { cryptosuite: 'eddsa-jcs-2022' } });
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.verifiableCredential.proof.cryptosuite, 'eddsa-jcs-2022');
      const rdfc = await issue({ credential: vc2(), options: { cryptosuite: 'eddsa-rdfc-2022' } });
      assert.equal(rdfc.json.verifiableCredential.proof.cryptosuite, 'eddsa-rdfc-2022');
    });

    it('accepts a VC 1.1 credential', async () => {
      const r = await issue({ credential: vc11() });
      assert.equal(r.status, 201, r.text);
      const vc = r.json.verifiableCredential;
      assert.deepEqual(vc['@context'].slice(0, 1), ['https://www.w3.org/2018/credentials/v1']);
      assert.equal(vc.issuer, DID);
      assert.equal(vc.issuanceDate, '2025-01-01T00:00:00Z');
      assert.ok(vc.proof?.proofValue, r.text);
      // The v1 context lacks the proof terms: the Data Integrity context is added.
      assert.ok(vc['@context'].includes('https://w3id.org/security/data-integrity/v2'), JSON.stringify(vc['@context']));
      // ... and BitstringStatusListEntry (its context is not bundled): no entry.
      assert.equal(vc.credentialStatus, undefined);
      const jcs = await issue({ credential: vc11(), options: { cryptosuite: 'eddsa-jcs-2022' } });
      assert.equal(jcs.status, 201, jcs.text);
      assert.equal(jcs.json.verifiableCredential.proof.cryptosuite, 'eddsa-jcs-2022');
    });

    it('refuses another issuer (400 naming credential.issuer) and stores nothing', async () => {
      const n = await awards();
      for (const issuer of ['did:web:evil.example.org', { id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }]) {
        const p = assertProblem(assert, await issue({ credential: vc2({ issuer }) }), 400);
        assert.ok(p.errors.some((e) => e.field === 'credential.issuer'), JSON.stringify(p));
      }
      assert.equal(await awards(), n);
    });

    it('refuses a credential that breaks the data model (400 or 422, a problem document) and stores nothing', async () => {
      const n = await awards();
      const cases = [
        ['validUntil before validFrom', vc2({ validUntil: '2024-01-01T00:00:00Z' })],
        ['no credentialSubject', (() => { const c = vc2(); delete c.credentialSubject; return c; })()],
        ['no VerifiableCredential type', vc2({ type: ['SomethingElse'] })],
        ['no @context', (() => { const c = vc2(); delete c['@context']; return c; })()],
        ['validFrom not a date-time', vc2({ validFrom: 'soon' })],
        ['already signed', vc2({ proof: { type: 'DataIntegrityProof' } })],
      ];
      for (const [label, credential] of cases) {
        const r = await issue({ credential });
        assert.ok([400, 422].includes(r.status), `${label}: ${r.status} ${r.text}`);
        const p = assertProblem(assert, r, r.status);
        assert.ok(Array.isArray(p.errors) && p.errors.length > 0, `${label}: errors name the fault: ${r.text}`);
      }
      assert.equal(await awards(), n);
    });

    it('refuses requests of the wrong shape with 400', async () => {
      const n = await awards();
      for (const [label, raw] of [['an array', '[1]'], ['a string', '"vc"'], ['not JSON', '{"credential":']]) {
        assertProblem(assert, await request(srv, 'POST', PATH, { auth: issuerToken, raw }), 400, label);
      }
      for (const [label, body, field] of [
        ['credential not an object', { credential: 'text' }, 'credential'],
        ['no credential', { options: {} }, 'credential'],
        ['an unknown member', { credential: vc2(), extra: 1 }, 'extra'],
        ['an unknown cryptosuite', { credential: vc2(), options: { cryptosuite: 'ecdsa-rdfc-2019' } }, 'options.cryptosuite'],
        ['options not an object', { credential: vc2(), options: 'fast' }, 'options'],
      ]) {
        const p = assertProblem(assert, await issue(body), 400);
        assert.ok(p.errors.some((e) => e.field === field), `${label}: ${JSON.stringify(p)}`);
      }
      assertProblem(assert, await request(srv, 'POST', PATH, { auth: issuerToken, raw: JSON.stringify({ credential: vc2() }), contentType: 'text/plain' }), 415);
      assert.equal(await awards(), n);
    });

    it('only the organisation\'s issuers may call it: 401 without credentials, 403 for others', async () => {
      const n = await awards();
      assertProblem(assert, await issue({ credential: vc2() }, null), 401);
      assertProblem(assert, await issue({ credential: vc2() }, { token: 'mct_not-a-token' }), 401);
      assertProblem(assert, await issue({ credential: vc2() }, { token: srv.db.tokens.otherOrgAdmin }), 403);
      assertProblem(assert, await issue({ credential: vc2() }, { token: createToken(srv.db, DEMO.org, 'assessor') }), 403);
      assertProblem(assert, await issue({ credential: vc2() }, await login(srv, DEMO.assessor)), 403);
      assertProblem(assert, await issue({ credential: vc2() }, await login(srv, DEMO.otherOrgAdmin)), 403);
      assertProblem(assert, await request(srv, 'POST', `/issuers/${DEMO.otherOrg}/credentials/issue`, { auth: issuerToken, body: { credential: vc2() } }), 403);
      assert.equal(await awards(), n);
      // A logged-in issuer (with the CSRF token) may.
      const r = await issue({ credential: vc2() }, await login(srv, DEMO.issuer));
      assert.equal(r.status, 201, r.text);
    });
  });
}
