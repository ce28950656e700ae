// reference.mjs - the same eddsa-jcs-2022 work as bench_crypto.c, done by
// the Digital Bazaar reference libraries (@digitalbazaar/vc,
// data-integrity, eddsa-jcs-2022-cryptosuite, ed25519-multikey) in Node,
// single thread, with the offline document loader of the interop tests
// (bundled contexts, did:key resolved locally, never the network).
//
// The credential is bench/credential.json with issuer.id set to the did:key
// of a freshly generated key (same length as microcred's, so the same
// bytes are canonicalized and hashed). Each suite runs for --seconds of
// process CPU time (default 1) after a warm-up and prints
//   "  <suite> <ops> ops/s <us> us/op"
// like bench_crypto. With --check FILE it first verifies FILE (the
// credential microcred signed) and fails when the reference libraries do
// not accept it, so both sides are known to do the same thing.
//
// usage: node bench/reference.mjs [--seconds S] [--check FILE]
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {dbSignJcs, dbVerifyJcs, generateDidKey} from '../tests/interop/helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let seconds = 1;
let check = null;
for(let i = 0; i < args.length; i++) {
  if(args[i] === '--seconds') {
    seconds = Number(args[++i]) || 1;
  } else if(args[i] === '--check') {
    check = args[++i];
  } else {
    console.error('usage: node bench/reference.mjs [--seconds S] [--check FILE]');
    process.exit(2);
  }
}

// CPU time of the process in ms (user + system, like bench_crypto's thread
// clock, so other load on the machine does not count; it includes V8's
// helper threads such as the garbage collector, which is work the library
// causes).
function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function run(name, op) {
  const warm = cpuMs() + seconds * 100;
  while(cpuMs() < warm) {
    await op();
  }
  let n = 0;
  const start = cpuMs();
  const end = start + seconds * 1000;
  let t = start;
  while(t < end) {
    await op();
    n++;
    t = cpuMs();
  }
  const ops = n / ((t - start) / 1000);
  console.log(`  ${name.padEnd(28)} ${ops.toFixed(0).padStart(10)} ops/s ` +
    `${(1e6 / ops).toFixed(2).padStart(9)} us/op`);
  return ops;
}

const credential = JSON.parse(readFileSync(join(here, 'credential.json'), 'utf8'));
const key = await generateDidKey();
credential.issuer.id = key.controller;
const date = '2025-01-15T09:00:00Z';

if(check) {
  const r = await dbVerifyJcs(JSON.parse(readFileSync(check, 'utf8')));
  if(!r.verified) {
    console.error('reference libraries reject the credential microcred signed:',
      JSON.stringify(r.error ?? r, null, 1).slice(0, 2000));
    process.exit(1);
  }
  console.log(`  (the reference libraries verify microcred's signed ${check})`);
}

const signed = await dbSignJcs(credential, key, {date});
const first = await dbVerifyJcs(signed);
if(!first.verified) {
  console.error('the reference libraries do not verify their own credential');
  process.exit(1);
}

console.log(`Digital Bazaar reference (node ${process.version}): single thread, ` +
  `${seconds} CPU-s per suite`);
await run('eddsa-jcs-2022-sign', async () => {
  await dbSignJcs(credential, key, {date});
});
await run('eddsa-jcs-2022-verify', async () => {
  const r = await dbVerifyJcs(signed);
  if(!r.verified) {
    throw new Error('verification failed');
  }
});
