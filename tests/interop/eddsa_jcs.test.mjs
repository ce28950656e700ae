// eddsa_jcs.test.mjs - eddsa-jcs-2022 proofs made by microcred verify with
// the Digital Bazaar reference libraries (@digitalbazaar/vc,
// data-integrity, eddsa-jcs-2022-cryptosuite), and the other way round.
//
// The direction "Digital Bazaar signs, microcred verifies" is covered twice:
// by tests/unit/test_di_proof.c on the committed fixture
// tests/fixtures/interop/db-eddsa-jcs-2022-badge.json, and here through
// `microcred verify` - those tests are skipped, with the reason printed,
// while the build has no verify command.
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

import {
  ROOT, dbSignJcs, dbVerifyJcs, generateDidKey, microcredHas, readJson, runMicrocred, sampleBadge
} from './helpers.mjs';

const hasVerify = microcredHas('verify');
const verifySkip = hasVerify ? false :
  'build/microcred has no `verify` command yet (written by another module)';

let dir;
let keyFile;

function signWithMicrocred(credential, extraArgs = []) {
  const file = join(dir, `cred-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(credential));
  const r = runMicrocred(['sign', '--key', keyFile, ...extraArgs, file]);
  assert.equal(r.status, 0, `microcred sign failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'microcred-interop-'));
  keyFile = join(dir, 'key.json');
  const r = runMicrocred(['keys', 'generate', '--out', keyFile]);
  assert.equal(r.status, 0, `microcred keys generate failed: ${r.stderr}`);
});

after(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe('microcred signs, Digital Bazaar verifies', () => {
  test('an Open Badges 3.0 credential signed by microcred verifies', async () => {
    const signed = signWithMicrocred(sampleBadge(), ['--created', '2024-05-02T10:00:00Z']);
    const key = readJson(keyFile);
    assert.equal(signed.issuer, key.controller, 'issuer defaults to the key controller');
    assert.equal(signed.proof.cryptosuite, 'eddsa-jcs-2022');
    assert.equal(signed.proof.verificationMethod, key.id);
    const result = await dbVerifyJcs(signed);
    assert.equal(result.verified, true, JSON.stringify(result.error ?? result, null, 2));
  });

  test('numbers, unicode and nesting survive canonicalization', async () => {
    const credential = sampleBadge();
    credential.credentialSubject.achievement.description =
      'Ümlaut, emoji \u{1F600}, CJK \u4E2D\u6587, quote " and backslash \\ and tab\t.';
    credential.credentialSubject.achievement.name = 'Zürich \u20AC';
    const signed = signWithMicrocred(credential);
    const result = await dbVerifyJcs(signed);
    assert.equal(result.verified, true, JSON.stringify(result.error ?? result, null, 2));
  });

  test('a credential altered after signing fails with Digital Bazaar', async () => {
    const signed = signWithMicrocred(sampleBadge());
    signed.credentialSubject.achievement.name = 'Forged';
    const result = await dbVerifyJcs(signed);
    assert.equal(result.verified, false);
  });

  test('same key, same input: byte-identical proofValue from both implementations', async () => {
    // The key file is in W3C Multikey form, so Digital Bazaar imports it.
    const keyJson = readJson(keyFile);
    const key = await Ed25519Multikey.from(keyJson);
    const credential = {...sampleBadge(), issuer: keyJson.controller};
    const created = '2024-06-01T08:30:00Z';
    const ours = signWithMicrocred(credential, ['--created', created]);
    const theirs = await dbSignJcs(credential, key, {date: created});
    assert.equal(ours.proof.proofValue, theirs.proof.proofValue);
    assert.deepEqual(ours, theirs);
  });
});

describe('Digital Bazaar signs, microcred verifies', () => {
  test('the committed fixture is a genuine Digital Bazaar proof', async () => {
    const fixture = readJson(join(ROOT, 'tests/fixtures/interop/db-eddsa-jcs-2022-badge.json'));
    const result = await dbVerifyJcs(fixture);
    assert.equal(result.verified, true, JSON.stringify(result.error ?? result, null, 2));
  });

  test('microcred verify accepts a credential signed by Digital Bazaar', {skip: verifySkip}, async () => {
    const key = await generateDidKey();
    const signed = await dbSignJcs(sampleBadge({issuer: key.controller}), key);
    const file = join(dir, 'db-signed.json');
    writeFileSync(file, JSON.stringify(signed, null, 2));
    const r = runMicrocred(['verify', file]);
    assert.equal(r.status, 0, `microcred verify rejected it: ${r.stdout}\n${r.stderr}`);
  });

  test('microcred verify rejects the same credential once altered', {skip: verifySkip}, async () => {
    const key = await generateDidKey();
    const signed = await dbSignJcs(sampleBadge({issuer: key.controller}), key);
    signed.validFrom = '2020-01-01T00:00:00Z';
    const file = join(dir, 'db-signed-altered.json');
    writeFileSync(file, JSON.stringify(signed, null, 2));
    const r = runMicrocred(['verify', file]);
    assert.equal(r.status, 1, `expected exit 1: ${r.stdout}\n${r.stderr}`);
  });
});
