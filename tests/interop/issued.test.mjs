// issued.test.mjs - credentials issued by a running microcred server (an
// award through the JSON API, and a credential through the VC-API) verify
// with the Digital Bazaar reference libraries, and their status is read by
// @digitalbazaar/vc-bitstring-status-list: active, then revoked after a
// revocation through the API.
//
// The server is the one the API tests use (tests/api/harness.mjs: a fresh
// database copied from the demo data, on SQLite and, with MC_TEST_PG, on
// PostgreSQL). Its public URL is http://127.0.0.1:8080 while it listens on
// a free port, so the document loader serves the bundled contexts
// (helpers.mjs) plus the server's did.json and status list credentials,
// fetched from the running server and served under the URLs the
// credentials name. Nothing else is loaded.
import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022Cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {createVerifyCryptosuite as createJcsVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

import {documentLoader as bundledLoader} from './helpers.mjs';
import {
  backends, startServer, request, createToken, publishSpec, issueAward, orgPath, DEMO,
} from '../api/harness.mjs';

const PUBLIC_BASE = 'http://127.0.0.1:8080';
const DID = `did:web:127.0.0.1%3A8080:issuers:${DEMO.org}`;

for(const backend of backends()) {
  describe(`credentials issued by the server verify with Digital Bazaar [${backend.name}]`, () => {
    let srv;
    let tok;
    let served; // url -> document, refreshed from the server
    before(async () => {
      srv = await startServer(backend);
      tok = {token: srv.db.tokens.orgAdmin};
    });
    after(async () => {
      await srv.stop();
    });

    // Fetch the issuer's public documents from the server as they are now.
    async function refresh() {
      served = new Map();
      const did = await request(srv, 'GET', `/issuers/${DEMO.org}/did.json`);
      assert.equal(did.status, 200, did.text);
      assert.equal(did.json.id, DID);
      served.set(DID, did.json);
      for(const vm of did.json.verificationMethod) {
        served.set(vm.id, {'@context': 'https://w3id.org/security/multikey/v1', ...vm});
      }
      for(const purpose of ['revocation', 'suspension']) {
        const r = await request(srv, 'GET', `/issuers/${DEMO.org}/status/${purpose}`);
        assert.equal(r.status, 200, r.text);
        served.set(`${PUBLIC_BASE}/issuers/${DEMO.org}/status/${purpose}`, r.json);
      }
    }
    async function documentLoader(url) {
      if(served?.has(url)) {
        return {contextUrl: null, documentUrl: url, document: structuredClone(served.get(url))};
      }
      return bundledLoader(url);
    }

    async function verifyProof(credential) {
      await refresh();
      const cryptosuite = credential.proof.cryptosuite === 'eddsa-jcs-2022' ?
        createJcsVerifyCryptosuite() : eddsaRdfc2022Cryptosuite;
      return vc.verifyCredential({
        credential, suite: new DataIntegrityProof({cryptosuite}), documentLoader,
        // status is read separately below, by checkStatus
        checkStatus: async () => ({verified: true})
      });
    }
    async function status(credential) {
      await refresh();
      const r = await checkStatus({
        credential, documentLoader,
        suite: new DataIntegrityProof({cryptosuite: eddsaRdfc2022Cryptosuite}),
        verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true
      });
      assert.equal(r.verified, true, `status lists verified: ${r.error?.stack ?? JSON.stringify(r)}`);
      return Object.fromEntries(r.results.map(x => [x.credentialStatus.statusPurpose, x.status]));
    }
    const explain = r => JSON.stringify(r, (k, v) => (v instanceof Error ? {message: v.message, stack: v.stack} : v), 1);

    it('an award issued through the API verifies, and reads as revoked after revocation', async () => {
      const spec = (await publishSpec(srv, tok)).id;
      const award = await issueAward(srv, tok, spec);
      assert.equal(award.status, 201, award.text);
      const credential = award.json.credential;
      assert.equal(credential.proof.cryptosuite, 'eddsa-rdfc-2022');

      const result = await verifyProof(credential);
      assert.equal(result.verified, true, explain(result));

      assert.deepEqual(await status(credential), {revocation: false, suspension: false});
      const s = await request(srv, 'POST', orgPath(`/awards/${award.json.id}/suspend`), {auth: tok});
      assert.equal(s.status, 200, s.text);
      assert.deepEqual(await status(credential), {revocation: false, suspension: true});
      const r = await request(srv, 'POST', orgPath(`/awards/${award.json.id}/revoke`), {auth: tok, body: {reason: 'interop test'}});
      assert.equal(r.status, 200, r.text);
      assert.equal((await status(credential)).revocation, true);

      // The proof itself stays valid; a changed credential does not verify.
      assert.equal((await verifyProof(credential)).verified, true);
      const tampered = structuredClone(credential);
      tampered.name = 'Something else';
      assert.equal((await verifyProof(tampered)).verified, false);
    });

    it('a credential issued through the VC-API verifies (eddsa-rdfc-2022 and eddsa-jcs-2022), and can be revoked', async () => {
      const issuerToken = {token: createToken(srv.db, DEMO.org, 'issuer')};
      const credential = {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        validFrom: '2025-01-01T00:00:00Z',
        credentialSubject: {id: 'did:example:learner-42'}
      };
      let last;
      for(const cryptosuite of ['eddsa-rdfc-2022', 'eddsa-jcs-2022']) {
        const r = await request(srv, 'POST', `/issuers/${DEMO.org}/credentials/issue`,
          {auth: issuerToken, body: {credential, options: {cryptosuite}}});
        assert.equal(r.status, 201, r.text);
        const signed = r.json.verifiableCredential;
        assert.equal(signed.proof.cryptosuite, cryptosuite);
        const result = await verifyProof(signed);
        assert.equal(result.verified, true, `${cryptosuite}: ${explain(result)}`);
        assert.deepEqual(await status(signed), {revocation: false, suspension: false});
        last = signed;
      }
      // Revoke the last one through the API: it is an award like any other
      // (found among the newest awards by its proof).
      const list = await request(srv, 'GET', orgPath('/awards?limit=10'), {auth: tok});
      let award;
      for(const item of list.json.items) {
        const r = await request(srv, 'GET', orgPath(`/awards/${item.id}`), {auth: tok});
        if(r.json.credential.proof?.proofValue === last.proof.proofValue) {
          award = r.json;
        }
      }
      assert.ok(award, 'the VC-API credential is stored as an award');
      assert.deepEqual(award.credential, last, 'stored exactly as returned');
      assert.equal((await request(srv, 'POST', orgPath(`/awards/${award.id}/revoke`), {auth: tok})).status, 200);
      assert.equal((await status(last)).revocation, true);
    });

    it('after key rotation both old and new credentials verify', async () => {
      const spec = (await publishSpec(srv, tok)).id;
      const old = (await issueAward(srv, tok, spec)).json.credential;
      const rot = await request(srv, 'POST', orgPath('/keys/rotate'), {auth: tok});
      assert.equal(rot.status, 200, rot.text);
      const fresh = (await issueAward(srv, tok, spec)).json.credential;
      assert.notEqual(fresh.proof.verificationMethod, old.proof.verificationMethod);
      for(const c of [old, fresh]) {
        const result = await verifyProof(c);
        assert.equal(result.verified, true, `${c.proof.verificationMethod}: ${explain(result)}`);
      }
      assert.deepEqual(await status(fresh), {revocation: false, suspension: false});
    });
  });
}
