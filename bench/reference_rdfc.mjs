// reference_rdfc.mjs - the Digital Bazaar baseline for bench/bench_rdfc.c:
// single-thread throughput of eddsa-rdfc-2022 sign (vc.issue) and verify
// (vc.verifyCredential) of the same credential with the same key, in node.
//
//   node bench/reference_rdfc.mjs CREDENTIAL.json KEY.json [SECONDS]
//
// The document loader (tests/interop/helpers.mjs: bundled contexts, did:key
// resolved locally) is built once, and jsonld.js keeps its own cache of
// processed contexts across calls, like microcred's context cache. Each
// operation runs for about SECONDS (default 2) after a 1 s warm-up, one at a time
// (awaited), so only one credential is in flight.
// Output lines match bench_rdfc's: "proofValue z...", "db_sign_ops N" and
// "db_sign_cpu_ops N" (per wall-clock / per CPU second), the same for verify.
import {readFileSync} from 'node:fs';

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

import {dbSignRdfc, dbVerifyRdfc} from '../tests/interop/helpers.mjs';

const CREATED = '2024-06-01T08:30:00Z';

const [credFile, keyFile, secondsArg] = process.argv.slice(2);
if(!credFile || !keyFile) {
  console.error('usage: node bench/reference_rdfc.mjs CREDENTIAL.json KEY.json [SECONDS]');
  process.exit(2);
}
const seconds = Number(secondsArg) > 0 ? Number(secondsArg) : 2;
const credential = JSON.parse(readFileSync(credFile, 'utf8'));
const key = await Ed25519Multikey.from(JSON.parse(readFileSync(keyFile, 'utf8')));

// {wall, cpu}: operations per wall-clock second and per second of the
// process's CPU time (user + system, GC threads included).
async function measure(op) {
  // warm-up: a second of work, so V8 has optimised the hot paths (the
  // steady state of a long-running server)
  for(const w0 = performance.now(); performance.now() - w0 < 1000;) {
    await op();
  }
  let n = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let t = t0;
  while(t - t0 < seconds * 1000) {
    await op();
    n++;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return {wall: n / ((t - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6)};
}

const signed = await dbSignRdfc(credential, key, {date: CREATED});
const check = await dbVerifyRdfc(signed);
if(!check.verified) {
  console.error('reference_rdfc: Digital Bazaar does not verify its own proof:',
    JSON.stringify(check.error ?? check));
  process.exit(1);
}

const sign = await measure(() => dbSignRdfc(credential, key, {date: CREATED}));
const verify = await measure(async () => {
  const r = await dbVerifyRdfc(signed);
  if(!r.verified) {
    throw new Error('verification failed during the benchmark');
  }
});

console.log(`proofValue ${signed.proof.proofValue}`);
console.log(`db_sign_ops ${sign.wall.toFixed(1)}`);
console.log(`db_sign_cpu_ops ${sign.cpu.toFixed(1)}`);
console.log(`db_verify_ops ${verify.wall.toFixed(1)}`);
console.log(`db_verify_cpu_ops ${verify.cpu.toFixed(1)}`);
