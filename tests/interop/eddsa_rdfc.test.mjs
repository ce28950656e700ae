// eddsa_rdfc.test.mjs - eddsa-rdfc-2022 (JSON-LD expansion + RDFC-1.0)
// proofs of microcred against the Digital Bazaar reference libraries
// (@digitalbazaar/vc, data-integrity, eddsa-rdfc-2022-cryptosuite,
// ed25519-multikey), both ways.
//
// The credential is the full EU micro-credential: the Open Badges 3.0
// credential that `microcred credential build --format ob3` makes from
// tests/fixtures/credentials/full.json (every EU element, en/sv/lv, the
// microcred extension context). The Digital Bazaar side expands it with the
// same pinned contexts (helpers.mjs serves microcred's bundled ones), in
// their safe mode, so a term microcred emits that no context defines makes
// their signer throw and these tests fail.
//
// Also: the Open Badges implementation guide's signed example
// (shared/testdata/openbadges-3.0/linked-data-proof-ob.html) verifies with
// both and microcred re-creates its proofValue byte for byte; tampering a
// Swedish language-map value makes both reject.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

import {
  MICROCRED_CONTEXT_URL, OB_CONTEXT_URL, ROOT, TESTDATA, VC_V2_CONTEXT_URL, dbSignRdfc,
  dbVerifyRdfc, readJson, runMicrocred, serveDocument
} from './helpers.mjs';

const SUITE = 'eddsa-rdfc-2022';
const CREATED = '2024-06-01T08:30:00Z';
const FULL_AWARD = join(ROOT, 'tests/fixtures/credentials/full.json');

// The implementation guide's key (Multikey form of the example's key pair).
const OB_ISSUER = 'https://example.edu/issuers/565049';
const OB_PUBLIC = 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi';
const OB_SECRET =
  'zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx';
const OB_VM = `${OB_ISSUER}#${OB_PUBLIC}`;
const OB_PROOF_VALUE =
  'z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr';

let dir;
let keyFile;
let keyJson;
let dbKey;
let unsigned;   // the full EU micro-credential, unsigned, issuer = the key's did:key

function writeTemp(name, value) {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

function signWithMicrocred(credential, {key = keyFile, created = CREATED} = {}) {
  const file = writeTemp(`unsigned-${Math.random().toString(36).slice(2)}.json`, credential);
  const r = runMicrocred(['sign', '--key', key, '--suite', SUITE, '--created', created, file]);
  assert.equal(r.status, 0, `microcred sign failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// `microcred verify --json`: {status, report}.
function verifyWithMicrocred(credential, extraArgs = []) {
  const file = writeTemp(`signed-${Math.random().toString(36).slice(2)}.json`, credential);
  const r = runMicrocred(['verify', file, '--json', ...extraArgs]);
  let report = null;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    // left null: the assertions below print stdout/stderr
  }
  return {status: r.status, report, out: `${r.stdout}\n${r.stderr}`};
}

function check(report, id) {
  return report?.checks?.find(c => c.id === id);
}

function assertDbVerified(result) {
  assert.equal(result.verified, true,
    `Digital Bazaar rejected it: ${JSON.stringify(result.error ?? result, null, 2)}`);
}

function assertMicrocredVerified(v) {
  assert.equal(v.status, 0, `microcred verify rejected it:\n${v.out}`);
  assert.equal(check(v.report, 'proof')?.status, 'passed', v.out);
}

function assertMicrocredRejectsProof(v) {
  assert.equal(v.status, 1, `expected exit 1:\n${v.out}`);
  assert.equal(check(v.report, 'proof')?.status, 'failed', v.out);
}

// The JSON example titled `title` in the implementation guide's HTML.
function obGuideExample(title) {
  const html = readFileSync(join(TESTDATA, 'openbadges-3.0', 'linked-data-proof-ob.html'), 'utf8');
  const at = html.indexOf(`title="${title}">`);
  assert.ok(at >= 0, `no example titled ${title}`);
  const start = html.indexOf('{', at);
  return JSON.parse(html.slice(start, html.indexOf('</pre>', start)));
}

// The example issuer's controller document: served to the Digital Bazaar
// loader at its URL, and given to microcred as a registry export.
function obControllerDocument() {
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: OB_ISSUER,
    verificationMethod: [{
      id: OB_VM, type: 'Multikey', controller: OB_ISSUER, publicKeyMultibase: OB_PUBLIC
    }],
    assertionMethod: [OB_VM]
  };
}

// A language-map value in Swedish: the first learning outcome's title.
function swedishTitle(credential) {
  const outcome = credential.credentialSubject.achievement.learningOutcome[0];
  assert.ok(outcome.title?.sv, 'the full credential has a Swedish learning outcome title');
  return outcome.title;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'microcred-rdfc-'));
  keyFile = join(dir, 'key.json');
  let r = runMicrocred(['keys', 'generate', '--out', keyFile]);
  assert.equal(r.status, 0, `microcred keys generate failed: ${r.stderr}`);
  keyJson = readJson(keyFile);
  dbKey = await Ed25519Multikey.from(keyJson);
  r = runMicrocred(['credential', 'build', '--format', 'ob3', '--issuer', keyJson.controller,
    '--salt', 'interop-rdfc', FULL_AWARD]);
  assert.equal(r.status, 0, `microcred credential build failed: ${r.stderr}`);
  unsigned = JSON.parse(r.stdout);
  serveDocument(OB_ISSUER, obControllerDocument());
  serveDocument(OB_VM, {
    '@context': 'https://w3id.org/security/multikey/v1',
    ...obControllerDocument().verificationMethod[0]
  });
});

after(() => {
  rmSync(dir, {recursive: true, force: true});
});

describe('the full EU micro-credential (Open Badges 3.0, en/sv/lv)', () => {
  test('is what the tests claim: OB 3.0 + microcred context, several languages', () => {
    assert.deepEqual(unsigned['@context'],
      [VC_V2_CONTEXT_URL, OB_CONTEXT_URL, MICROCRED_CONTEXT_URL]);
    assert.equal(unsigned.issuer.id, keyJson.controller);
    const text = JSON.stringify(unsigned);
    for(const lang of ['"sv":', '"lv":', '"en":']) {
      assert.ok(text.includes(lang), `has ${lang} language-map values`);
    }
  });

  test('(a) signed by microcred, verifies with Digital Bazaar', async () => {
    const signed = signWithMicrocred(unsigned);
    assert.equal(signed.proof.type, 'DataIntegrityProof');
    assert.equal(signed.proof.cryptosuite, SUITE);
    assert.equal(signed.proof.verificationMethod, keyJson.id);
    assertDbVerified(await dbVerifyRdfc(signed));
  });

  test('(b) signed by Digital Bazaar, verifies with microcred verify', async () => {
    const signed = await dbSignRdfc(unsigned, dbKey, {date: CREATED});
    assert.equal(signed.proof.cryptosuite, SUITE);
    assertMicrocredVerified(verifyWithMicrocred(signed));
  });

  test('(c) same key and created date: byte-identical proof from both', async () => {
    const ours = signWithMicrocred(unsigned);
    const theirs = await dbSignRdfc(unsigned, dbKey, {date: CREATED});
    // The proofValue strings (multibase of the 64-byte signature) are equal
    // byte for byte; the proof objects have the same members and values
    // (member order differs: microcred puts cryptosuite after type, Digital
    // Bazaar after verificationMethod, which JSON does not make significant).
    assert.equal(Buffer.compare(Buffer.from(ours.proof.proofValue),
      Buffer.from(theirs.proof.proofValue)), 0, 'same proofValue bytes');
    assert.deepEqual(ours.proof, theirs.proof);
    assert.deepEqual(ours, theirs);
  });

  test('(e) a tampered Swedish title: both reject microcred\'s proof', async () => {
    const signed = signWithMicrocred(unsigned);
    const tampered = structuredClone(signed);
    swedishTitle(tampered).sv = 'Rensar en försäljningsdatamängd i ett kalkylprogram';
    const db = await dbVerifyRdfc(tampered);
    assert.equal(db.verified, false, 'Digital Bazaar must reject the tampered credential');
    assertMicrocredRejectsProof(verifyWithMicrocred(tampered));
  });

  test('(e) a tampered Swedish title: both reject Digital Bazaar\'s proof', async () => {
    const signed = await dbSignRdfc(unsigned, dbKey, {date: CREATED});
    const tampered = structuredClone(signed);
    swedishTitle(tampered).sv += '.';
    const db = await dbVerifyRdfc(tampered);
    assert.equal(db.verified, false, 'Digital Bazaar must reject the tampered credential');
    assertMicrocredRejectsProof(verifyWithMicrocred(tampered));
  });

  test('(e) moving a value to another language: both reject', async () => {
    // Same strings, only the language tag changes: invisible to a signature
    // over the text alone, visible in the RDF (the literal's language tag).
    const signed = signWithMicrocred(unsigned);
    const tampered = structuredClone(signed);
    const title = swedishTitle(tampered);
    title.nb = title.sv;
    delete title.sv;
    assert.equal((await dbVerifyRdfc(tampered)).verified, false);
    assertMicrocredRejectsProof(verifyWithMicrocred(tampered));
  });

  test('safe mode: both refuse to sign a term no context defines', async () => {
    const credential = structuredClone(unsigned);
    credential.credentialSubject.undefinedTermXyz = 'would be dropped by expansion';
    await assert.rejects(dbSignRdfc(credential, dbKey, {date: CREATED}),
      'Digital Bazaar (safe mode) refuses');
    const file = writeTemp('undefined-term.json', credential);
    const r = runMicrocred(['sign', '--key', keyFile, '--suite', SUITE, file]);
    assert.equal(r.status, 1, `microcred must refuse: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /undefinedTermXyz/);
  });
});

describe('the Open Badges implementation guide example (eddsa-rdfc-2022)', () => {
  test('(d) the guide\'s signed credential verifies with Digital Bazaar', async () => {
    assertDbVerified(await dbVerifyRdfc(obGuideExample('Signed credential')));
  });

  test('(d) the guide\'s signed credential verifies with microcred verify', () => {
    const registry = writeTemp('registry.json', {
      issuers: [{id: OB_ISSUER, legal_name: 'Example Corp', did_document: obControllerDocument()}]
    });
    const v = verifyWithMicrocred(obGuideExample('Signed credential'), ['--registry', registry]);
    assertMicrocredVerified(v);
  });

  test('(d) both re-create the guide\'s proofValue from its key and created date', async () => {
    const example = obGuideExample('Signed credential');
    const credential = structuredClone(example);
    delete credential.proof;
    const obKeyFile = writeTemp('ob-key.json', {
      '@context': 'https://w3id.org/security/multikey/v1', id: OB_VM, type: 'Multikey',
      controller: OB_ISSUER, publicKeyMultibase: OB_PUBLIC, secretKeyMultibase: OB_SECRET
    });
    const ours = signWithMicrocred(credential, {key: obKeyFile, created: example.proof.created});
    assert.equal(ours.proof.proofValue, OB_PROOF_VALUE);
    const obKey = await Ed25519Multikey.from(readJson(obKeyFile));
    const theirs = await dbSignRdfc(credential, obKey, {date: example.proof.created});
    assert.equal(theirs.proof.proofValue, OB_PROOF_VALUE);
    assert.deepEqual(ours, example);
  });

  test('(e) the guide\'s example with a changed name: both reject', async () => {
    const tampered = obGuideExample('Signed credential');
    tampered.credentialSubject.achievement.name = 'Teamwork!';
    assert.equal((await dbVerifyRdfc(tampered)).verified, false);
    const registry = writeTemp('registry2.json', {
      issuers: [{id: OB_ISSUER, legal_name: 'Example Corp', did_document: obControllerDocument()}]
    });
    assertMicrocredRejectsProof(verifyWithMicrocred(tampered, ['--registry', registry]));
  });
});
