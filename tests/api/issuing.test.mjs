// issuing.test.mjs - specifications, the catalogue, awards, status lists,
// keys and the audit log, black-box against the running server, on every
// backend.
//
// Each backend gets one fresh database and server. The tests within a
// backend build on one another in file order (as a provider would: define,
// publish, issue, revoke, rotate keys), and the last one checks the audit
// log's hash chain over everything done before it, then breaks one row by
// hand and expects `microcred audit verify` to name it.
//
// What is checked beyond the HTTP answers reads the database directly
// (sql() from the harness: sqlite3 / psql), decodes status lists with zlib
// as a verifier would, and verifies credentials with `microcred verify`
// given the server's own did.json and status lists (offline, as a third
// party holding those documents would).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  backends, startServer, request, login, register, cli, sql, sqlExec, dbArgs, uniq, DEMO, WORK_DIR,
  fullSpecification, publishSpec, issueAward, orgPath, assertProblem, parseCsv,
} from './harness.mjs';

// ---- helpers a verifier would have ----

// The bit at `index` of a BitstringStatusListCredential (GZIP, base64url
// multibase 'u'; bit 0 is the most significant bit of the first byte).
export function statusBit(listCredential, index) {
  const enc = listCredential.credentialSubject.encodedList;
  assert.equal(enc[0], 'u', 'encodedList is multibase base64url');
  const bytes = gunzipSync(Buffer.from(enc.slice(1), 'base64url'));
  assert.ok(bytes.length * 8 >= 131072, `the list has at least 131072 entries (${bytes.length * 8})`);
  return (bytes[index >> 3] >> (7 - (index & 7))) & 1;
}

// The credentialStatus entry of a credential for a purpose.
export function statusEntry(credential, purpose) {
  const entries = [].concat(credential.credentialStatus || []);
  const e = entries.find((x) => x.statusPurpose === purpose);
  assert.ok(e, `a ${purpose} entry in ${JSON.stringify(credential.credentialStatus)}`);
  assert.equal(e.type, 'BitstringStatusListEntry');
  return e;
}

const daysAgo = (n) => new Date(Date.now() - n * 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// Keep only the English text of every language map (objects whose keys
// are all language codes and include en).
function englishOnly(v) {
  if (Array.isArray(v)) return v.map(englishOnly);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.includes('en') && keys.every((k) => /^[a-z]{2}$/.test(k))) return { en: v.en };
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, englishOnly(x)]));
  }
  return v;
}

const WELDING_SKILL = 'http://data.europa.eu/esco/skill/0a4d1b1e-2f0d-4a1e-9a8e-weldingsafety';

for (const backend of backends()) {
  describe(`issuing [${backend.name}]`, () => {
    let srv;
    let tok; // org-admin API token of demo-university
    let other; // org-admin API token of demo-employer
    let issuer; // the issuer's cookie session
    const tmp = mkdtempSync(join(WORK_DIR, 'issuing-'));

    before(async () => {
      srv = await startServer(backend);
      tok = { token: srv.db.tokens.orgAdmin };
      other = { token: srv.db.tokens.otherOrgAdmin };
      issuer = await login(srv, DEMO.issuer);
    });
    after(async () => { await srv.stop(); });

    // ------------------------------------------------------ specifications
    describe('specifications', () => {
      let id;

      it('a new draft lists the mandatory elements it lacks, and cannot be published yet', async () => {
        const r = await request(srv, 'POST', orgPath('/specifications'), { auth: issuer, body: { draft: { title: { en: 'Half a course' } } } });
        assert.equal(r.status, 201, r.text);
        id = r.json.id;
        assert.equal(r.json.latest_version, 0);
        assert.equal(r.json.ready_to_publish, false);
        const fields = r.json.missing.map((m) => m.field);
        for (const f of ['languages', 'learningOutcomes', 'workload', 'assessmentTypes', 'participation']) {
          assert.ok(fields.includes(f), `missing names ${f}: ${JSON.stringify(fields)}`);
        }
        for (const m of r.json.missing) assert.ok(m.message && m.element, JSON.stringify(m));
        const get = await request(srv, 'GET', orgPath(`/specifications/${id}`), { auth: tok });
        assert.deepEqual(get.json.missing, r.json.missing);

        const p = await request(srv, 'POST', orgPath(`/specifications/${id}/publish`), { auth: issuer });
        const prob = assertProblem(assert, p, 422);
        for (const f of ['languages', 'learningOutcomes', 'workload']) assert.ok(prob.errors.some((e) => e.field === f), f);
        assert.equal((await request(srv, 'GET', `/specs/${id}`)).status, 404, 'nothing was published');
      });

      it('filled in, it publishes as version 1, then version 2; version 1 stays readable in public', async () => {
        const put = await request(srv, 'PUT', orgPath(`/specifications/${id}`), { auth: issuer, body: { draft: fullSpecification() } });
        assert.equal(put.status, 200, put.text);
        assert.deepEqual(put.json.missing, []);
        assert.equal(put.json.ready_to_publish, true);

        const v1 = await request(srv, 'POST', orgPath(`/specifications/${id}/publish`), { auth: issuer });
        assert.equal(v1.status, 201, v1.text);
        assert.equal(v1.json.version, 1);
        assert.equal(v1.json.url, `http://127.0.0.1:8080/specs/${id}/v/1`);
        assert.equal(v1.json.specification.versionId, v1.json.url);
        assert.equal(v1.json.specification.id, `http://127.0.0.1:8080/specs/${id}`);

        const title2 = { en: 'Data literacy for retail, second edition', sv: 'Datakunnighet för handeln, andra upplagan', lv: 'Datu pratība, otrais izdevums' };
        const put2 = await request(srv, 'PUT', orgPath(`/specifications/${id}`), { auth: issuer, body: { draft: fullSpecification({ title: title2 }) } });
        assert.equal(put2.status, 200, put2.text);
        const v2 = await request(srv, 'POST', orgPath(`/specifications/${id}/publish`), { auth: issuer });
        assert.equal(v2.status, 201, v2.text);
        assert.equal(v2.json.version, 2);

        const versions = await request(srv, 'GET', orgPath(`/specifications/${id}/versions`), { auth: tok });
        assert.deepEqual(versions.json.items.map((v) => v.version).sort(), [1, 2]);

        // Public, without any credentials.
        const latest = await request(srv, 'GET', `/specs/${id}`);
        assert.equal(latest.status, 200, latest.text);
        assert.equal(latest.json.version, '2');
        assert.deepEqual(latest.json.title, title2);
        const old = await request(srv, 'GET', `/specs/${id}/v/1`);
        assert.equal(old.status, 200, old.text);
        assert.equal(old.json.version, '1');
        assert.equal(old.json.title.sv, 'Datakunnighet för handeln');
        assert.match(old.headers.get('cache-control'), /immutable/);
        assert.equal((await request(srv, 'GET', `/specs/${id}/v/3`)).status, 404);
        assert.equal((await request(srv, 'GET', `/specs/${id}/v/0`)).status, 404);
      });

      it('a review date in the past shows as review_due; a future one does not', async () => {
        const past = await publishSpec(srv, tok, { review_date: '2020-01-31' });
        assert.equal(past.json.review_date, '2020-01-31');
        assert.equal(past.json.review_due, true);
        const future = await publishSpec(srv, tok, { review_date: '2099-12-31' });
        assert.equal(future.json.review_due, false);
        const list = await request(srv, 'GET', orgPath('/specifications'), { auth: tok });
        const byId = new Map(list.json.items.map((s) => [s.id, s]));
        assert.equal(byId.get(past.id).review_due, true);
        assert.equal(byId.get(future.id).review_due, false);
        const r = await request(srv, 'PUT', orgPath(`/specifications/${past.id}`), { auth: tok, body: { review_date: '2020-02-30' } });
        assertProblem(assert, r, 422);
      });
    });

    // ----------------------------------------------------------- catalogue
    describe('catalogue', () => {
      let retail; let welding; let energy; let draftOnly; let pending;
      const cat = (q) => request(srv, 'GET', `/api/v1/catalogue?${q}`);
      const ids = (r) => r.json.items.map((i) => i.specification_id);

      before(async () => {
        const word = uniq('zz');
        retail = (await publishSpec(srv, tok, { draft: fullSpecification({ tags: ['data', 'retail', word] }) })).id;
        const weldingDraft = englishOnly(fullSpecification({
          languages: ['en'],
          title: { en: 'Welding safety' },
          description: { en: 'Work safely with arc welding equipment.' },
          learningOutcomes: [{ text: { en: 'Applies welding safety rules' }, escoSkill: WELDING_SKILL }],
          workload: { amount: 6, unit: 'ECTS' },
          level: { framework: 'EQF', level: 6 },
          issuerCountries: ['FI'],
          awardingBodies: [{ legalName: { en: 'Welding School Oy' }, legalIdentifier: { scheme: 'FI-YTUNNUS', value: '1234567-8' }, country: 'FI', url: 'https://welding.example.fi' }],
          tags: ['welding'],
        }));
        welding = (await publishSpec(srv, tok, { draft: weldingDraft })).id;
        energy = (await publishSpec(srv, other, {
          org: DEMO.otherOrg,
          draft: englishOnly(fullSpecification({ languages: ['en'], title: { en: 'Heat pump service' }, tags: ['energy'] })),
        })).id;
        const d = await request(srv, 'POST', orgPath('/specifications'), { auth: tok, body: { draft: fullSpecification({ title: { en: 'Unpublished quokka course' } }) } });
        draftOnly = d.json.id;
        // A new organisation, not approved: its owner may publish, but the
        // world must not see it.
        const owner = await register(srv);
        const slug = uniq('pending');
        const o = await request(srv, 'POST', '/api/v1/organisations', {
          auth: owner,
          body: { slug, legal_name: 'Pending Academy', legal_id_scheme: 'EU:VAT', legal_id: 'SE1', country: 'SE', contact_email: 'a@pending.example.org' },
        });
        assert.equal(o.status, 201, o.text);
        pending = (await publishSpec(srv, owner, { org: slug, draft: fullSpecification({ title: { en: 'Pending platypus course' } }) })).id;
      });

      it('finds a specification by a Swedish word of its description', async () => {
        const r = await cat(`q=${encodeURIComponent('försäljningsdata')}`);
        assert.equal(r.status, 200, r.text);
        assert.ok(ids(r).includes(retail));
        assert.ok(!ids(r).includes(welding));
        assert.ok(!ids(r).includes(energy));
        const none = await cat('q=nosuchwordanywhere');
        assert.deepEqual(ids(none), []);
        assert.equal(none.json.total, 0);
      });

      it('filters by level, ECTS, language, country, organisation and skill', async () => {
        const has = async (q, want, notWant) => {
          const r = await cat(q);
          assert.equal(r.status, 200, `${q}: ${r.text}`);
          for (const w of want) assert.ok(ids(r).includes(w), `${q} includes ${w}`);
          for (const w of notWant) assert.ok(!ids(r).includes(w), `${q} excludes ${w}`);
        };
        await has('level_min=6', [welding], [retail]);
        await has('level_max=5', [retail], [welding]);
        await has('level_min=5&level_max=5', [retail], [welding]);
        await has('ects_min=4', [welding], [retail]);
        await has('ects_max=3', [retail], [welding]);
        await has('language=sv', [retail], [welding, energy]);
        await has('language=en', [retail, welding, energy], []);
        await has('country=FI', [welding], [retail]);
        await has('country=LV', [retail], [welding]);
        await has(`organisation=${DEMO.otherOrg}`, [energy], [retail, welding]);
        await has(`organisation=${DEMO.org}`, [retail, welding], [energy]);
        await has(`skill=${encodeURIComponent(WELDING_SKILL)}`, [welding], [retail, energy]);
        const entry = (await cat('level_min=6')).json.items.find((i) => i.specification_id === welding);
        assert.equal(entry.eqf_level, 6);
        assert.equal(entry.workload_ects, 6);
        assert.equal(entry.organisation.slug, DEMO.org);
      });

      it('paginates with total, limit and offset', async () => {
        const all = await cat('limit=100');
        const total = all.json.total;
        assert.equal(all.json.items.length, total);
        assert.ok(total >= 5, `total ${total}`);
        const seen = [];
        for (let off = 0; off < total; off += 2) {
          const page = await cat(`limit=2&offset=${off}`);
          assert.equal(page.json.total, total);
          assert.equal(page.json.limit, 2);
          assert.equal(page.json.offset, off);
          assert.equal(page.json.items.length, Math.min(2, total - off));
          seen.push(...ids(page));
        }
        assert.deepEqual(seen, ids(all), 'pages in order, nothing twice, nothing left out');
        assert.deepEqual((await cat(`offset=${total}`)).json.items, []);
      });

      it('format=elm answers ELM JSON-LD learning opportunities', async () => {
        const r = await cat(`format=elm&organisation=${DEMO.org}&level_min=6`);
        assert.equal(r.status, 200, r.text);
        assert.match(r.headers.get('content-type'), /^application\/ld\+json/);
        assert.ok(Array.isArray(r.json['@context']));
        const opp = r.json['@graph'].find((o) => o.learningAchievementSpecification.id.includes(welding));
        assert.ok(opp, JSON.stringify(r.json).slice(0, 500));
        assert.equal(opp.type, 'LearningOpportunity');
        assert.equal(opp.learningAchievementSpecification.type, 'LearningAchievementSpecification');
        assert.equal(opp.learningAchievementSpecification.eqfLevel.id, 'http://data.europa.eu/snb/eqf/6');
        assert.equal(opp.learningAchievementSpecification.learningOutcome[0].relatedESCOSkill[0].id, WELDING_SKILL);
      });

      it('leaves out drafts and the specifications of organisations not approved', async () => {
        const all = ids(await cat('limit=100'));
        assert.ok(!all.includes(draftOnly));
        assert.ok(!all.includes(pending));
        assert.deepEqual(ids(await cat('q=quokka')), []);
        assert.deepEqual(ids(await cat('q=platypus')), []);
        assert.equal((await request(srv, 'GET', `/specs/${pending}`)).status, 404);
        assert.equal((await request(srv, 'GET', `/specs/${draftOnly}`)).status, 404);
      });

      it('refuses filters out of range with 400', async () => {
        for (const q of ['level_min=9', 'level_max=0', 'ects_min=-1', 'limit=0', 'limit=101', 'offset=-1', 'format=xml', `q=${'a'.repeat(201)}`]) {
          assertProblem(assert, await cat(q), 400);
        }
      });
    });

    // -------------------------------------------------------------- awards
    describe('awards', () => {
      let spec;
      before(async () => { spec = (await publishSpec(srv, tok)).id; });

      it('Idempotency-Key: the same key again answers 200 with the same award and stores no second row', async () => {
        const key = uniq('idem');
        const learner = { name: 'Ida Idempotent', email: `${uniq('ida')}@example.org` };
        const first = await issueAward(srv, tok, spec, { learner, key });
        assert.equal(first.status, 201, first.text);
        assert.equal(first.json.status, 'active');
        assert.equal(first.json.credential.id, `urn:uuid:${first.json.id}`);
        const again = await issueAward(srv, tok, spec, { learner, key });
        assert.equal(again.status, 200, again.text);
        assert.equal(again.json.id, first.json.id);
        assert.deepEqual(again.json.credential, first.json.credential, 'the very credential issued first');
        const rows = await sql(srv.db, `SELECT COUNT(*) AS n FROM awards WHERE idempotency_key = '${key}'`);
        assert.equal(Number(rows[0].n), 1);
        const byEmail = await sql(srv.db, `SELECT COUNT(*) AS n FROM awards WHERE learner_email = '${learner.email}'`);
        assert.equal(Number(byEmail[0].n), 1);
        // Without a key, two requests are two awards.
        const a = await issueAward(srv, tok, spec);
        const b = await issueAward(srv, tok, spec);
        assert.equal(a.status, 201);
        assert.equal(b.status, 201);
        assert.notEqual(a.json.id, b.json.id);
        assertProblem(assert, await issueAward(srv, tok, spec, { key: 'k'.repeat(129) }), 422);
      });

      it('a wrong award is refused with 422 naming every field at fault, and stores nothing', async () => {
        const before = await sql(srv.db, 'SELECT COUNT(*) AS n FROM awards');
        const r = await request(srv, 'POST', orgPath('/awards'), {
          auth: tok,
          body: {
            specification_id: spec, learner: { name: '' }, grade: 5, issued: 'yesterday',
            validFrom: '2025-06-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z',
          },
        });
        const p = assertProblem(assert, r, 422);
        const fields = p.errors.map((e) => e.field);
        for (const f of ['grade', 'learner.name', 'issued', 'validUntil']) assert.ok(fields.includes(f), `${f} in ${fields}`);
        const unknownSpec = await issueAward(srv, tok, '01900000-0000-7000-8000-000000000000');
        assert.ok(assertProblem(assert, unknownSpec, 422).errors.some((e) => e.field === 'specification_id'));
        const otherOrgs = await issueAward(srv, other, spec, { org: DEMO.otherOrg });
        assert.ok(assertProblem(assert, otherOrgs, 422).errors.some((e) => e.field === 'specification_id'), 'another organisation cannot issue this specification');
        const after = await sql(srv.db, 'SELECT COUNT(*) AS n FROM awards');
        assert.equal(Number(after[0].n), Number(before[0].n));
      });

      it('lists awards by status, specification, issue dates and text', async () => {
        const spec2 = (await publishSpec(srv, tok)).id;
        const tag = uniq('Lista').toLowerCase();
        const mk = async (name, s, issued) => {
          const r = await issueAward(srv, tok, s, { learner: { name, email: `${uniq('l')}@example.org` }, issued });
          assert.equal(r.status, 201, r.text);
          return r.json.id;
        };
        const old = await mk(`${tag} Old`, spec2, daysAgo(40));
        const mid = await mk(`${tag} Mid`, spec2, daysAgo(20));
        const now = await mk(`${tag} Now`, spec2, daysAgo(0));
        const elsewhere = await mk(`${tag} Elsewhere`, spec, daysAgo(0));
        assert.equal((await request(srv, 'POST', orgPath(`/awards/${mid}/revoke`), { auth: tok, body: { reason: 'test' } })).status, 200);
        const list = async (q) => {
          const r = await request(srv, 'GET', orgPath(`/awards?${q}`), { auth: tok });
          assert.equal(r.status, 200, r.text);
          assert.equal(r.json.total, r.json.items.length);
          return r.json.items.map((a) => a.id).sort();
        };
        assert.deepEqual(await list(`q=${tag}`), [old, mid, now, elsewhere].sort());
        assert.deepEqual(await list(`q=${tag}&specification_id=${spec2}`), [old, mid, now].sort());
        assert.deepEqual(await list(`q=${tag}&status=revoked`), [mid]);
        assert.deepEqual(await list(`q=${tag}&status=active&specification_id=${spec2}`), [old, now].sort());
        assert.deepEqual(await list(`q=${tag}&from=${daysAgo(30).slice(0, 10)}&specification_id=${spec2}`), [mid, now].sort());
        assert.deepEqual(await list(`q=${tag}&to=${daysAgo(30).slice(0, 10)}`), [old]);
        assert.deepEqual(await list(`q=${tag}&from=${daysAgo(25).slice(0, 10)}&to=${daysAgo(15).slice(0, 10)}`), [mid]);
        assert.deepEqual(await list('q=nobody-has-this-name'), []);
        const page = await request(srv, 'GET', orgPath(`/awards?q=${tag}&limit=1&offset=1`), { auth: tok });
        assert.equal(page.json.items.length, 1);
        assert.equal(page.json.total, 4);
        for (const bad of ['status=lost', 'from=2025-13-01', 'to=yesterday', 'format=pdf', 'limit=0']) {
          assertProblem(assert, await request(srv, 'GET', orgPath(`/awards?${bad}`), { auth: tok }), 400);
        }
        // Another organisation's list does not show these.
        const theirs = await request(srv, 'GET', `/api/v1/organisations/${DEMO.otherOrg}/awards?q=${tag}`, { auth: other });
        assert.deepEqual(theirs.json.items, []);
      });

      it('the CSV export neutralises cells a spreadsheet would run as formulas', async () => {
        const email = `${uniq('f')}@example.org`;
        const r = await issueAward(srv, tok, spec, { learner: { name: '=cmd()', email } });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.learner_name, '=cmd()', 'the API keeps the name as given');
        const csv = await request(srv, 'GET', orgPath(`/awards?format=csv&q=${encodeURIComponent(email)}`), { auth: tok });
        assert.equal(csv.status, 200, csv.text);
        assert.match(csv.headers.get('content-type'), /^text\/csv/);
        assert.match(csv.headers.get('content-disposition'), /attachment/);
        const rows = parseCsv(csv.text.replace(/^\uFEFF/, ''));
        const head = rows[0];
        const row = rows.find((x) => x[head.indexOf('id')] === r.json.id);
        assert.ok(row, csv.text);
        assert.equal(row[head.indexOf('learner_name')], "'=cmd()");
        assert.equal(row[head.indexOf('learner_email')], email);
        for (const cells of rows.slice(1)) for (const c of cells) assert.ok(!/^[=+@]/.test(c) && !/^-[^0-9]/.test(c), `formula cell ${c}`);
      });

      it('suspend, reinstate, revoke; after revocation nothing changes (409)', async () => {
        const a = (await issueAward(srv, tok, spec)).json;
        const act = (action, body) => request(srv, 'POST', orgPath(`/awards/${a.id}/${action}`), { auth: issuer, body });
        let r = await act('suspend', { reason: 'under investigation' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'suspended');
        assert.equal(r.json.status_reason, 'under investigation');
        r = await act('reinstate');
        assert.equal(r.json.status, 'active');
        r = await act('revoke', { reason: 'plagiarism' });
        assert.equal(r.json.status, 'revoked');
        assertProblem(assert, await act('reinstate'), 409);
        assertProblem(assert, await act('suspend'), 409);
        assertProblem(assert, await act('revoke'), 409);
        assertProblem(assert, await act('destroy'), 404);
        assertProblem(assert, await act('suspend', { reason: 'x'.repeat(256) }), 422);
        const got = await request(srv, 'GET', orgPath(`/awards/${a.id}`), { auth: tok });
        assert.equal(got.json.status, 'revoked');
        assert.equal(got.json.status_reason, 'plagiarism');
        assert.deepEqual(got.json.credential, a.credential, 'the signed credential itself never changes');
      });

      it('the status list credential has the bit set after revocation, with ETag and 304', async () => {
        const a = (await issueAward(srv, tok, spec)).json;
        const rev = statusEntry(a.credential, 'revocation');
        const sus = statusEntry(a.credential, 'suspension');
        assert.equal(rev.statusListCredential, `http://127.0.0.1:8080/issuers/${DEMO.org}/status/revocation`);
        assert.equal(sus.statusListCredential, `http://127.0.0.1:8080/issuers/${DEMO.org}/status/suspension`);
        const index = Number(rev.statusListIndex);
        const path = `/issuers/${DEMO.org}/status/revocation`;

        const l1 = await request(srv, 'GET', path);
        assert.equal(l1.status, 200, l1.text);
        assert.match(l1.headers.get('content-type'), /^application\/vc\+ld\+json/);
        assert.equal(l1.json.id, rev.statusListCredential);
        assert.ok(l1.json.type.includes('BitstringStatusListCredential'));
        assert.equal(l1.json.credentialSubject.statusPurpose, 'revocation');
        assert.ok(l1.json.proof, 'the list is signed');
        assert.equal(statusBit(l1.json, index), 0);
        const etag = l1.headers.get('etag');
        assert.match(etag, /^"[0-9a-f]+"$/);
        const same = await request(srv, 'GET', path, { headers: { 'if-none-match': etag } });
        assert.equal(same.status, 304);
        assert.equal(same.text, '');

        assert.equal((await request(srv, 'POST', orgPath(`/awards/${a.id}/suspend`), { auth: tok })).status, 200);
        const s = await request(srv, 'GET', `/issuers/${DEMO.org}/status/suspension`);
        assert.equal(statusBit(s.json, Number(sus.statusListIndex)), 1);

        assert.equal((await request(srv, 'POST', orgPath(`/awards/${a.id}/revoke`), { auth: tok })).status, 200);
        const l2 = await request(srv, 'GET', path, { headers: { 'if-none-match': etag } });
        assert.equal(l2.status, 200, 'the list changed: no 304');
        assert.notEqual(l2.headers.get('etag'), etag);
        assert.equal(statusBit(l2.json, index), 1);
        assert.equal((await request(srv, 'GET', path, { headers: { 'if-none-match': l2.headers.get('etag') } })).status, 304);
        assert.equal((await request(srv, 'GET', `/issuers/${DEMO.org}/status/expiry`)).status, 404);
        assert.equal((await request(srv, 'GET', '/issuers/no-such-org/status/revocation')).status, 404);
      });
    });

    // ---------------------------------------------------------------- keys
    describe('keys', () => {
      // `microcred verify` with the server's did.json as the registry's DID
      // document and its status lists: offline, as a third party would.
      async function verify(credential) {
        const did = await request(srv, 'GET', `/issuers/${DEMO.org}/did.json`);
        const registry = { issuers: [{ id: did.json.id, legal_name: 'Demo University', country: 'SE', qa_records: [], did_document: did.json }] };
        const n = uniq('v');
        const files = { cred: join(tmp, `${n}.json`), reg: join(tmp, `${n}-registry.json`), rev: join(tmp, `${n}-rev.json`), sus: join(tmp, `${n}-sus.json`) };
        writeFileSync(files.cred, JSON.stringify(credential));
        writeFileSync(files.reg, JSON.stringify(registry));
        writeFileSync(files.rev, (await request(srv, 'GET', `/issuers/${DEMO.org}/status/revocation`)).text);
        writeFileSync(files.sus, (await request(srv, 'GET', `/issuers/${DEMO.org}/status/suspension`)).text);
        const r = cli(['verify', files.cred, '--json', '--registry', files.reg, '--status-list', files.rev, '--status-list', files.sus], { allowFail: true });
        return { code: r.status, report: JSON.parse(r.stdout || 'null'), out: r.stdout + r.stderr };
      }

      it('did.json lists the keys; after rotation old awards still verify and new ones are signed with key-2', async () => {
        const spec = (await publishSpec(srv, tok)).id;
        const d1 = await request(srv, 'GET', `/issuers/${DEMO.org}/did.json`);
        assert.equal(d1.status, 200, d1.text);
        assert.match(d1.headers.get('content-type'), /^application\/did\+json/);
        const did = d1.json.id;
        assert.equal(did, `did:web:127.0.0.1%3A8080:issuers:${DEMO.org}`);
        assert.deepEqual(d1.json.verificationMethod.map((v) => v.id), [`${did}#key-1`]);
        assert.ok(d1.json.assertionMethod.includes(`${did}#key-1`));
        assert.equal(d1.json.verificationMethod[0].type, 'Multikey');
        assert.match(d1.json.verificationMethod[0].publicKeyMultibase, /^z6Mk/);

        const old = (await issueAward(srv, tok, spec)).json;
        assert.equal(old.credential.issuer.id, did);
        assert.equal(old.credential.proof.verificationMethod, `${did}#key-1`);
        assert.equal(old.credential.proof.cryptosuite, 'eddsa-rdfc-2022');
        let v = await verify(old.credential);
        assert.equal(v.code, 0, v.out);

        const rot = await request(srv, 'POST', orgPath('/keys/rotate'), { auth: tok });
        assert.equal(rot.status, 200, rot.text);
        const d2 = await request(srv, 'GET', `/issuers/${DEMO.org}/did.json`);
        assert.deepEqual(d2.json.verificationMethod.map((x) => x.id).sort(), [`${did}#key-1`, `${did}#key-2`]);
        for (const k of ['key-1', 'key-2']) assert.ok(d2.json.assertionMethod.includes(`${did}#${k}`), k);
        assert.equal(d2.json.verificationMethod.find((x) => x.id.endsWith('#key-1')).publicKeyMultibase,
          d1.json.verificationMethod[0].publicKeyMultibase, 'key-1 is unchanged');
        assertProblem(assert, await request(srv, 'POST', orgPath('/keys/rotate'), { auth: issuer }), 403);

        const fresh = (await issueAward(srv, tok, spec)).json;
        assert.equal(fresh.credential.proof.verificationMethod, `${did}#key-2`);
        v = await verify(fresh.credential);
        assert.equal(v.code, 0, v.out);
        v = await verify(old.credential);
        assert.equal(v.code, 0, `the award signed before the rotation still verifies: ${v.out}`);

        // The status list is now signed with key-2 and still verifiable.
        const list = await request(srv, 'GET', `/issuers/${DEMO.org}/status/revocation`);
        assert.equal(list.json.proof.verificationMethod.split('#')[0], did);

        // A tampered credential does not verify; a revoked one fails on status.
        const tampered = structuredClone(old.credential);
        tampered.credentialSubject.achievement.name = 'Something else';
        assert.equal((await verify(tampered)).code, 1);
        assert.equal((await request(srv, 'POST', orgPath(`/awards/${old.id}/revoke`), { auth: tok })).status, 200);
        v = await verify(old.credential);
        assert.equal(v.code, 1, `a revoked award is not valid: ${v.out}`);
        assert.match(JSON.stringify(v.report), /revoked/i);
      });
    });

    // ----------------------------------------------------------- audit log
    describe('audit log', () => {
      it('`microcred audit verify` passes after all of the above, and names the entry edited by hand', async () => {
        const ok = cli(['audit', 'verify', ...dbArgs(srv.db)], { allowFail: true });
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        const n = Number(/(\d+) entries/.exec(ok.stdout)[1]);
        const actions = (await sql(srv.db, 'SELECT action FROM audit_log')).map((r) => r.action);
        assert.equal(actions.length, n);
        for (const a of ['specification.create', 'specification.publish', 'award.issue', 'award.revoke', 'award.suspend', 'award.reinstate', 'key.rotate']) {
          assert.ok(actions.includes(a), `the log records ${a}`);
        }
        const [victim] = await sql(srv.db, "SELECT seq FROM audit_log WHERE action = 'award.revoke' ORDER BY seq LIMIT 1");
        await sqlExec(srv.db, `UPDATE audit_log SET detail = 'nothing to see here' WHERE seq = ${victim.seq}`);
        const bad = cli(['audit', 'verify', ...dbArgs(srv.db)], { allowFail: true });
        assert.equal(bad.status, 1, bad.stdout + bad.stderr);
        assert.match(bad.stdout + bad.stderr, new RegExp(`entry ${victim.seq}\\b`), 'the broken entry is named');
      });
    });
  });
}
