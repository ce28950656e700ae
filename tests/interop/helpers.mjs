// helpers.mjs - shared pieces of the interop tests: an offline JSON-LD
// document loader (bundled contexts only, never the network), did:key
// resolution for the Digital Bazaar verifier, Digital Bazaar signing and
// verification of eddsa-jcs-2022 and eddsa-rdfc-2022 credentials, and a
// runner for the microcred binary.
//
// The loader serves the contexts shipped in the Digital Bazaar context
// packages first, then every context microcred itself bundles
// (src/core/contexts/index.tsv: the Open Badges, EDC and microcred
// extension contexts), so both sides expand with the same documents.
import {spawnSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {contexts as credentialsContexts} from '@digitalbazaar/credentials-context';
import {contexts as dataIntegrityContexts} from '@digitalbazaar/data-integrity-context';
import {contexts as multikeyContexts} from '@digitalbazaar/multikey-context';
import {contexts as statusListContexts} from '@digitalbazaar/vc-bitstring-status-list-context';
import {
  createSignCryptosuite, createVerifyCryptosuite
} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';
import {cryptosuite as eddsaRdfc2022Cryptosuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TESTDATA = resolve(ROOT, process.env.MC_TESTDATA || '../shared/testdata');
export const MICROCRED = process.env.MICROCRED_BIN || join(ROOT, 'build', 'microcred');
export const OB_CONTEXT_URL = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const VC_V2_CONTEXT_URL = 'https://www.w3.org/ns/credentials/v2';

const contexts = new Map([
  ...credentialsContexts, ...dataIntegrityContexts, ...multikeyContexts, ...statusListContexts
]);
const obContextFile = join(TESTDATA, 'openbadges-3.0', 'context-3.0.3.json');
if(existsSync(obContextFile)) {
  contexts.set(OB_CONTEXT_URL, JSON.parse(readFileSync(obContextFile, 'utf8')));
}
// microcred's own bundled contexts (index.tsv: "url<TAB>file" lines).
export const BUNDLED_CONTEXTS_DIR = join(ROOT, 'src', 'core', 'contexts');
export const MICROCRED_CONTEXT_URL = 'https://microcred.eu/ns/v1';
export const EDC_CONTEXT_URL = 'http://data.europa.eu/snb/model/context/edc-ap';
const bundledIndex = join(BUNDLED_CONTEXTS_DIR, 'index.tsv');
if(existsSync(bundledIndex)) {
  for(const line of readFileSync(bundledIndex, 'utf8').split('\n')) {
    if(!line.trim() || line.startsWith('#')) {
      continue;
    }
    const [url, file] = line.split('\t');
    if(url && file && !contexts.has(url)) {
      contexts.set(url, JSON.parse(readFileSync(join(BUNDLED_CONTEXTS_DIR, file.trim()), 'utf8')));
    }
  }
}

// did:key documents resolved locally from the key itself.
async function didKeyDocument(url) {
  const [did] = url.split('#');
  const fingerprint = did.slice('did:key:'.length);
  const key = await Ed25519Multikey.from({
    id: `${did}#${fingerprint}`, controller: did,
    publicKeyMultibase: fingerprint
  });
  const vm = await key.export({publicKey: true, includeContext: true});
  if(url.includes('#')) {
    return vm;
  }
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{...vm, '@context': undefined}],
    assertionMethod: [vm.id],
    authentication: [vm.id]
  };
}

// Extra documents a test registers (e.g. a status list credential at its URL).
const extraDocuments = new Map();
export function serveDocument(url, document) {
  extraDocuments.set(url, document);
}

export async function documentLoader(url) {
  let document = contexts.get(url) ?? extraDocuments.get(url);
  if(document === undefined && url.startsWith('did:key:')) {
    document = JSON.parse(JSON.stringify(await didKeyDocument(url)));
  }
  if(document === undefined) {
    throw new Error(`offline document loader: ${url} is not bundled`);
  }
  return {contextUrl: null, documentUrl: url, document};
}

// A fresh Ed25519 Multikey with a did:key controller.
export async function generateDidKey() {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  key.controller = did;
  key.id = `${did}#${key.publicKeyMultibase}`;
  return key;
}

// Sign with the Digital Bazaar libraries (eddsa-jcs-2022).
export async function dbSignJcs(credential, key, {date} = {}) {
  const suite = new DataIntegrityProof({
    signer: key.signer(), date, cryptosuite: createSignCryptosuite()
  });
  return vc.issue({credential: structuredClone(credential), suite, documentLoader});
}

// Verify with the Digital Bazaar libraries; returns their result object.
export async function dbVerifyJcs(credential) {
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  return vc.verifyCredential({
    credential, suite, documentLoader,
    // status is checked by its own tests; here only the proof counts
    checkStatus: async () => ({verified: true})
  });
}

// Sign with the Digital Bazaar libraries (eddsa-rdfc-2022).
export async function dbSignRdfc(credential, key, {date} = {}) {
  const suite = new DataIntegrityProof({
    signer: key.signer(), date, cryptosuite: eddsaRdfc2022Cryptosuite
  });
  return vc.issue({credential: structuredClone(credential), suite, documentLoader});
}

// Verify an eddsa-rdfc-2022 credential with the Digital Bazaar libraries.
export async function dbVerifyRdfc(credential) {
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022Cryptosuite});
  return vc.verifyCredential({
    credential, suite, documentLoader,
    checkStatus: async () => ({verified: true})
  });
}

export function microcredBuilt() {
  return existsSync(MICROCRED);
}

// Run the microcred binary; returns {status, stdout, stderr}.
export function runMicrocred(args, {input} = {}) {
  const r = spawnSync(MICROCRED, args, {cwd: ROOT, input, encoding: 'utf8', timeout: 30000});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

// True when `microcred CMD --help` exits 0 (the command exists in this build).
export function microcredHas(command) {
  if(!microcredBuilt()) {
    return false;
  }
  return runMicrocred([command, '--help']).status === 0;
}

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// A small Open Badges 3.0 credential (unsigned) for tests.
export function sampleBadge({issuer, subject = 'did:example:learner-1'} = {}) {
  return {
    '@context': [VC_V2_CONTEXT_URL, OB_CONTEXT_URL],
    id: 'urn:uuid:6a9d4f3e-2f0b-4c61-9d7e-0c3f3c1b2a11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Data Literacy micro-credential',
    ...(issuer ? {issuer: {id: issuer, type: ['Profile'], name: 'Example University'}} : {}),
    validFrom: '2024-05-01T00:00:00Z',
    credentialSubject: {
      id: subject,
      type: ['AchievementSubject'],
      achievement: {
        id: 'https://example.edu/achievements/data-literacy',
        type: ['Achievement'],
        name: 'Data Literacy',
        description: 'Reads, cleans and explains tabular data; 5 ECTS.',
        criteria: {narrative: 'Passed the final assessment (written exam).'},
        achievementType: 'MicroCredential'
      }
    }
  };
}
