// status_list.test.mjs - Bitstring Status Lists made by microcred decode with
// @digitalbazaar/vc-bitstring-status-list, lists made by that library read
// correctly with `microcred status-list check`, and a credential whose
// status entry points at a microcred list passes the library's checkStatus.
import assert from 'node:assert/strict';
import {mkdtempSync, writeFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';

import {
  checkStatus, createCredential, createList, decodeList
} from '@digitalbazaar/vc-bitstring-status-list';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/eddsa-jcs-2022-cryptosuite';

import {
  dbVerifyJcs, documentLoader, readJson, runMicrocred, sampleBadge, serveDocument
} from './helpers.mjs';

const LIST_URL = 'https://status.example.edu/lists/revocation/1';
let dir;
let keyFile;

function mc(args) {
  const r = runMicrocred(args);
  assert.equal(r.status, 0, `microcred ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'microcred-status-'));
  keyFile = join(dir, 'key.json');
  mc(['keys', 'generate', '--out', keyFile]);
});

after(() => {
  rmSync(dir, {recursive: true, force: true});
});

// Create a list with microcred and set the given indexes; returns the file.
function microcredList(indexes, {size = 131072} = {}) {
  const file = join(dir, `list-${Math.random().toString(36).slice(2)}.json`);
  mc(['status-list', 'create', '--size', String(size), '--purpose', 'revocation',
    '--id', LIST_URL, '--key', keyFile, '--out', file]);
  for(const i of indexes) {
    mc(['status-list', 'set', file, String(i), '--key', keyFile, '--out', file]);
  }
  return file;
}

test('a microcred list decodes with Digital Bazaar, bit for bit', async () => {
  const indexes = [0, 7, 8, 4242, 131071];
  const cred = readJson(microcredList(indexes));
  assert.deepEqual(cred.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
  assert.equal(cred.credentialSubject.type, 'BitstringStatusList');
  assert.equal(cred.credentialSubject.statusPurpose, 'revocation');
  assert.equal(cred.credentialSubject.id, `${LIST_URL}#list`);
  const list = await decodeList({encodedList: cred.credentialSubject.encodedList});
  assert.equal(list.length, 131072);
  for(const i of [...indexes, 1, 6, 9, 4241, 4243, 131070]) {
    assert.equal(list.getStatus(i), indexes.includes(i), `index ${i}`);
  }
});

test('the signed list credential verifies with Digital Bazaar', async () => {
  const cred = readJson(microcredList([3]));
  const result = await dbVerifyJcs(cred);
  assert.equal(result.verified, true, JSON.stringify(result.error ?? result, null, 2));
});

test('clearing a bit with --value 0 is seen by Digital Bazaar', async () => {
  const file = microcredList([10, 11]);
  mc(['status-list', 'set', file, '10', '--value', '0', '--key', keyFile, '--out', file]);
  const list = await decodeList({encodedList: readJson(file).credentialSubject.encodedList});
  assert.equal(list.getStatus(10), false);
  assert.equal(list.getStatus(11), true);
});

test('a Digital Bazaar list reads correctly with microcred status-list check', async () => {
  const list = await createList({length: 262144});
  const set = [1, 100000, 262143];
  for(const i of set) {
    list.setStatus(i, true);
  }
  const cred = await createCredential({id: LIST_URL, list, statusPurpose: 'suspension'});
  const file = join(dir, 'db-list.json');
  writeFileSync(file, JSON.stringify(cred));
  for(const i of [...set, 0, 2, 99999, 262142]) {
    const out = mc(['status-list', 'check', file, String(i)]).trim();
    assert.equal(out, set.includes(i) ? '1' : '0', `index ${i}`);
  }
  const r = runMicrocred(['status-list', 'check', file, '262144']);
  assert.equal(r.status, 2, 'an index past the end is a usage error');
});

test('checkStatus of Digital Bazaar accepts a microcred-issued status', async () => {
  const listFile = microcredList([77]);
  const listCred = readJson(listFile);
  serveDocument(LIST_URL, listCred);
  const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
  for(const [index, revoked] of [[77, true], [78, false]]) {
    const credential = {
      ...sampleBadge(),
      credentialStatus: {
        id: `${LIST_URL}#${index}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(index),
        statusListCredential: LIST_URL
      }
    };
    const credFile = join(dir, `with-status-${index}.json`);
    writeFileSync(credFile, JSON.stringify(credential));
    const signed = JSON.parse(mc(['sign', '--key', keyFile, credFile]));
    const result = await checkStatus({
      credential: signed, documentLoader, suite,
      verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true
    });
    assert.equal(result.verified, true, JSON.stringify(result.error ?? result, null, 2));
    assert.equal(result.results[0].status, revoked, `index ${index}`);
  }
});
