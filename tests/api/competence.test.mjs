// competence.test.mjs - roles, staff roles, consent and the competence map,
// black-box against the running server, on every backend.
//
// demo-employer (org-admin hr@employer...) describes a role; two staff
// members (registered here, members of demo-employer) hold credentials
// issued by demo-university and share some of them. Checked: role
// validation (the path of every problem), giving and taking roles by
// e-mail, consent give/withdraw (withdrawing takes the person off the map
// at once), one person against a role (met with which credential, missing
// with why, expiring), aggregate counts suppressed below the threshold
// (?threshold=), revocation read live, and the CSV export.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  backends, startServer, request, login, register, sql, DEMO, fullSpecification, publishSpec, issueAward, orgPath,
  assertProblem, parseCsv,
} from './harness.mjs';

const SKILL_DATA = 'http://data.europa.eu/esco/skill/7c1e-competence-test-data';
const SKILL_SAFETY = 'http://data.europa.eu/esco/skill/7c1e-competence-test-safety';
const EMP = DEMO.otherOrg;

function spec(title, outcome, skill, level = 5) {
  return fullSpecification({
    title: { en: title },
    learningOutcomes: [{ text: { en: outcome }, ...(skill ? { escoSkill: skill } : {}) }],
    level: { framework: 'EQF', level },
  });
}

for (const backend of backends()) {
  describe(`competence [${backend.name}]`, () => {
    let srv;
    let issuer; let hr; let uniAdmin;
    let ana; let ben; // staff of demo-employer
    let specData; let specSafety; let specLow;
    const items = {}; // name -> wallet item id
    const awards = {};
    let roleId;

    const emp = (p = '') => orgPath(p, EMP);

    async function giveCredential(who, name, s, key) {
      const a = await issueAward(srv, issuer, s.id, { learner: { name: who.user.name, email: who.email } });
      assert.equal(a.status, 201, a.text);
      const c = await request(srv, 'POST', `/api/v1/wallet/awards/${a.json.id}`, { auth: who });
      assert.equal(c.status, 201, c.text);
      items[key] = c.json.id;
      awards[key] = a.json.id;
    }

    before(async () => {
      srv = await startServer(backend);
      issuer = await login(srv, DEMO.issuer);
      hr = await login(srv, DEMO.otherOrgAdmin);
      uniAdmin = await login(srv, DEMO.orgAdmin);
      ana = await register(srv, { name: 'Ana Analyst' });
      ben = await register(srv, { name: 'Ben Builder' });
      for (const who of [ana, ben]) {
        const m = await request(srv, 'POST', emp('/members'), { auth: hr, body: { email: who.email, role: 'assessor' } });
        assert.equal(m.status, 201, m.text);
      }
      specData = await publishSpec(srv, issuer, { draft: spec('Sales data cleaning', 'Cleans sales data in a spreadsheet', SKILL_DATA) });
      specSafety = await publishSpec(srv, issuer, { draft: spec('Workplace safety', 'Applies workplace safety rules', SKILL_SAFETY) });
      specLow = await publishSpec(srv, issuer, { draft: spec('Spreadsheet starter', 'Enters sales data in a spreadsheet', null, 3) });
      await giveCredential(ana, 'data', specData, 'anaData');
      await giveCredential(ana, 'safety', specSafety, 'anaSafety');
      await giveCredential(ben, 'low', specLow, 'benLow');
    });
    after(async () => { await srv.stop(); });

    it('role validation names the path of each problem and stores nothing', async () => {
      const before = await sql(srv.db, 'SELECT COUNT(*) AS n FROM roles');
      const r = await request(srv, 'POST', emp('/roles'), {
        auth: hr,
        body: {
          name: '',
          requirements: [
            { kind: 'outcome', text: 'x' },                                 // no id
            { id: 'b', kind: 'skill' },                                     // bad kind
            { id: 'c', kind: 'credential' },                                // no specification
            { id: 'd', kind: 'outcome' },                                   // neither esco nor text
            { id: 'e', kind: 'outcome', text: 'x', min_eqf: 9 },
            { id: 'f', kind: 'outcome', text: 'x', max_age_days: 0 },
            { id: 'g', kind: 'outcome', text: 'x', mandatory: 'yes' },
          ],
          colour: 'red',
        },
      });
      const p = assertProblem(assert, r, 422);
      const msg = (f) => p.errors.filter((e) => e.field === f).map((e) => e.message).join();
      assert.match(msg('name'), /name/);
      assert.match(msg('colour'), /not a known field/);
      assert.match(msg('requirements[0]'), /id/);
      assert.match(msg('requirements[1]'), /kind/);
      assert.match(msg('requirements[2]'), /specification/);
      assert.match(msg('requirements[3]'), /esco|text/);
      assert.match(msg('requirements[4]'), /min_eqf/);
      assert.match(msg('requirements[5]'), /max_age_days/);
      assert.match(msg('requirements[6]'), /mandatory/);
      const notList = await request(srv, 'POST', emp('/roles'), { auth: hr, body: { name: 'x', requirements: {} } });
      assert.ok(assertProblem(assert, notList, 422).errors.some((e) => e.field === 'requirements'));
      assert.deepEqual(await sql(srv.db, 'SELECT COUNT(*) AS n FROM roles'), before);
      assertProblem(assert, await request(srv, 'POST', emp('/roles'), { auth: ana, body: { name: 'x', requirements: [] } }), 403);
    });

    it('a role with four requirements: create, list, change', async () => {
      const body = {
        name: 'Retail analyst',
        requirements: [
          { id: 'data', kind: 'outcome', esco: SKILL_DATA, description: { en: 'Cleans sales data' }, mandatory: true },
          { id: 'safety', kind: 'credential', specification: specSafety.url, mandatory: true, max_age_days: 60 },
          { id: 'sheets', kind: 'outcome', text: 'spreadsheet', min_eqf: 4, mandatory: true },
          { id: 'extra', kind: 'outcome', text: 'negotiation', mandatory: false },
        ],
      };
      const r = await request(srv, 'POST', emp('/roles'), { auth: hr, body });
      assert.equal(r.status, 201, r.text);
      roleId = r.json.id;
      assert.deepEqual(r.json.requirements, body.requirements);
      const list = await request(srv, 'GET', emp('/roles'), { auth: ana });
      assert.equal(list.status, 200, 'members may read the roles');
      assert.ok(list.json.items.some((x) => x.id === roleId));
      const put = await request(srv, 'PUT', emp(`/roles/${roleId}`), { auth: hr, body: { ...body, name: 'Retail data analyst' } });
      assert.equal(put.status, 200, put.text);
      assert.equal(put.json.name, 'Retail data analyst');
      assertProblem(assert, await request(srv, 'PUT', emp('/roles/01a21601-0000-7000-8000-000000000000'), { auth: hr, body }), 404);
      const tmp = await request(srv, 'POST', emp('/roles'), { auth: hr, body: { name: 'Temporary', requirements: [] } });
      assert.equal((await request(srv, 'DELETE', emp(`/roles/${tmp.json.id}`), { auth: hr })).status, 204);
      assertProblem(assert, await request(srv, 'DELETE', emp(`/roles/${tmp.json.id}`), { auth: hr }), 404);
    });

    it('staff roles by e-mail: unknown e-mail and unknown role are 422; giving twice is fine', async () => {
      for (const who of [ana, ben]) {
        const r = await request(srv, 'POST', emp('/staff-roles'), { auth: hr, body: { email: who.email.toUpperCase(), role_id: roleId } });
        assert.equal(r.status, 204, r.text);
      }
      const twice = await request(srv, 'POST', emp('/staff-roles'), { auth: hr, body: { email: ana.email, role_id: roleId } });
      assert.equal(twice.status, 204, twice.text);
      const nobody = await request(srv, 'POST', emp('/staff-roles'), { auth: hr, body: { email: 'nobody@example.org', role_id: roleId } });
      assert.ok(assertProblem(assert, nobody, 422).errors.some((e) => e.field === 'email'));
      const noRole = await request(srv, 'POST', emp('/staff-roles'), { auth: hr, body: { email: ana.email, role_id: '01a21601-0000-7000-8000-000000000000' } });
      assert.ok(assertProblem(assert, noRole, 422).errors.some((e) => e.field === 'role_id'));
      const rows = await sql(srv.db, `SELECT COUNT(*) AS n FROM staff_roles WHERE role_id = '${roleId}'`);
      assert.equal(Number(rows[0].n), 2);
      assertProblem(assert, await request(srv, 'POST', emp('/staff-roles'), { auth: ben, body: { email: ben.email, role_id: roleId } }), 403);
    });

    it('the organisation lists who has which role, all or for one role; staff cannot', async () => {
      const all = await request(srv, 'GET', emp('/staff-roles'), { auth: hr });
      assert.equal(all.status, 200, all.text);
      const mine = all.json.items.filter((x) => x.role_id === roleId);
      assert.deepEqual(mine.map((x) => x.user_email).sort(), [ana.email, ben.email].map((x) => x.toLowerCase()).sort());
      assert.ok(mine.every((x) => x.user_name && x.user_id));
      const one = await request(srv, 'GET', emp(`/staff-roles?role_id=${roleId}`), { auth: hr });
      assert.deepEqual(one.json.items, mine);
      const none = await request(srv, 'GET', emp('/staff-roles?role_id=01a21601-0000-7000-8000-000000000000'), { auth: hr });
      assert.deepEqual(none.json.items, []);
      assertProblem(assert, await request(srv, 'GET', emp('/staff-roles?role_id=not-a-uuid'), { auth: hr }), 422);
      assertProblem(assert, await request(srv, 'GET', emp('/staff-roles'), { auth: ben }), 403);
    });

    it('nobody shares yet: nobody is on the map', async () => {
      const m = await request(srv, 'GET', emp('/competence-map'), { auth: hr });
      assert.equal(m.status, 200, m.text);
      assert.deepEqual(m.json.people, []);
      assert.equal(m.json.matrix.length, 1);
      assertProblem(assert, await request(srv, 'GET', emp('/competence-map'), { auth: ana }), 403);
      assertProblem(assert, await request(srv, 'GET', emp('/competence-map'), { auth: uniAdmin }), 403);
    });

    it('consent: give, list, and only for my own credentials and a real organisation', async () => {
      for (const [who, key] of [[ana, 'anaData'], [ana, 'anaSafety'], [ben, 'benLow']]) {
        const r = await request(srv, 'POST', '/api/v1/consents', { auth: who, body: { organisation: EMP, item_id: items[key] } });
        assert.equal(r.status, 204, r.text);
      }
      const again = await request(srv, 'POST', '/api/v1/consents', { auth: ana, body: { organisation: EMP, item_id: items.anaData } });
      assert.equal(again.status, 204, `giving again renews: ${again.text}`);
      const mine = await request(srv, 'GET', '/api/v1/consents', { auth: ana });
      assert.deepEqual(mine.json.items.map((c) => c.item_id).sort(), [items.anaData, items.anaSafety].sort());
      assert.ok(mine.json.items.every((c) => c.org_slug === EMP && !('facts' in c)), 'the person sees what, not the facts');
      const notMine = await request(srv, 'POST', '/api/v1/consents', { auth: ben, body: { organisation: EMP, item_id: items.anaData } });
      assert.equal(notMine.status, 404, notMine.text);
      const noOrg = await request(srv, 'POST', '/api/v1/consents', { auth: ana, body: { organisation: 'no-such-org', item_id: items.anaData } });
      assert.equal(noOrg.status, 404, noOrg.text);
      const bad = await request(srv, 'POST', '/api/v1/consents', { auth: ana, body: { organisation: EMP } });
      assert.ok(assertProblem(assert, bad, 422).errors.some((e) => e.field === 'item_id'));
    });

    it('per person: met with which credential, missing with why, expiring', async () => {
      const m = await request(srv, 'GET', emp(`/competence-map/people/${ana.user.id}`), { auth: hr });
      assert.equal(m.status, 200, m.text);
      assert.equal(m.json.people.length, 1);
      const a = m.json.people[0];
      assert.equal(a.user_name, 'Ana Analyst');
      assert.equal(a.role_id, roleId);
      const req = (id) => a.requirements.find((q) => q.id === id);
      assert.equal(req('data').met, true);
      assert.equal(req('data').credential.id, items.anaData);
      assert.equal(req('safety').met, true);
      assert.equal(req('safety').credential.title, 'Workplace safety');
      assert.equal(req('safety').expiring, true, 'issued now + 60 days is within 90 days');
      assert.equal(req('sheets').met, true, 'the data credential mentions a spreadsheet at EQF 5');
      assert.equal(req('extra').met, false);
      assert.equal(req('extra').reason, 'no shared credential matches');
      assert.equal(a.qualified, true, 'only a desirable requirement is missing');
      assert.deepEqual(a.missing, ['extra']);
      assert.deepEqual(a.expiring, ['safety']);

      const b = (await request(srv, 'GET', emp(`/competence-map/people/${ben.user.id}`), { auth: hr })).json.people[0];
      const breq = (id) => b.requirements.find((q) => q.id === id);
      assert.equal(b.qualified, false);
      assert.deepEqual(b.missing.sort(), ['data', 'extra', 'safety', 'sheets'].sort());
      assert.equal(breq('sheets').reason, 'the matching credential is below the required level');

      const all = await request(srv, 'GET', emp('/competence-map'), { auth: hr });
      assert.ok(all.json.expiring.some((x) => x.user_id === ana.user.id && x.requirement === 'safety' && /^\d{4}-\d{2}-\d{2}$/.test(x.expires)));
    });

    it('aggregate counts below the threshold are suppressed; ?threshold= lowers it (never below 2)', async () => {
      const def = await request(srv, 'GET', emp('/competence-map'), { auth: hr });
      assert.equal(def.json.threshold, 5);
      const row = def.json.matrix.find((x) => x.role_id === roleId);
      assert.equal(row.people, null);
      for (const c of row.requirements) {
        assert.equal(c.suppressed, true);
        assert.equal(c.covered, null);
      }
      for (const g of def.json.gaps) assert.equal(g.people, null, 'gap counts of fewer than 5 are not shown');

      const two = await request(srv, 'GET', emp('/competence-map?threshold=2'), { auth: hr });
      assert.equal(two.json.threshold, 2);
      const r2 = two.json.matrix.find((x) => x.role_id === roleId);
      assert.equal(r2.people, 2);
      const cov = Object.fromEntries(r2.requirements.map((c) => [c.requirement, c.covered]));
      assert.deepEqual(cov, { data: 1, safety: 1, sheets: 1, extra: 0 });
      const gap = Object.fromEntries(two.json.gaps.map((g) => [g.requirement, g.people]));
      assert.equal(gap.extra, 2, 'both miss it');
      assert.equal(gap.data, null, 'one person is never a group');

      const one = await request(srv, 'GET', emp('/competence-map?threshold=1'), { auth: hr });
      assert.ok(one.json.threshold >= 2, `threshold ${one.json.threshold}`);
    });

    it('CSV export: one row per person and requirement', async () => {
      const r = await request(srv, 'GET', emp('/competence-map?format=csv'), { auth: hr });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type'), /^text\/csv/);
      assert.match(r.headers.get('content-disposition') || '', /competence-map\.csv/);
      const rows = parseCsv(r.text).filter((x) => x.length > 1);
      assert.deepEqual(rows[0], ['person', 'role', 'requirement', 'met', 'credential', 'expires', 'expiring']);
      assert.equal(rows.length, 1 + 8);
      const anaSafety = rows.find((x) => x[0] === 'Ana Analyst' && x[2] === 'safety');
      assert.deepEqual([anaSafety[1], anaSafety[3], anaSafety[4], anaSafety[6]], ['Retail data analyst', 'yes', 'Workplace safety', 'yes']);
      assert.ok(rows.find((x) => x[0] === 'Ben Builder' && x[2] === 'data')[3] === 'no');
    });

    it('revocation is read live: a revoked credential no longer meets the requirement', async () => {
      const rv = await request(srv, 'POST', orgPath(`/awards/${awards.anaSafety}/revoke`), { auth: issuer, body: { reason: 'test' } });
      assert.equal(rv.status, 200, rv.text);
      const a = (await request(srv, 'GET', emp(`/competence-map/people/${ana.user.id}`), { auth: hr })).json.people[0];
      const safety = a.requirements.find((q) => q.id === 'safety');
      assert.equal(safety.met, false);
      assert.equal(safety.reason, 'the matching credential is not valid');
      assert.equal(a.qualified, false);
    });

    it('withdrawing consent takes the person off the map at once', async () => {
      const one = await request(srv, 'DELETE', `/api/v1/consents/${EMP}?item_id=${items.anaData}`, { auth: ana });
      assert.equal(one.status, 204, one.text);
      let a = (await request(srv, 'GET', emp(`/competence-map/people/${ana.user.id}`), { auth: hr })).json.people[0];
      assert.equal(a.requirements.find((q) => q.id === 'data').met, false, 'the withdrawn credential is gone');
      const all = await request(srv, 'DELETE', `/api/v1/consents/${EMP}`, { auth: ana });
      assert.equal(all.status, 204, all.text);
      const m = await request(srv, 'GET', emp('/competence-map?threshold=2'), { auth: hr });
      assert.deepEqual(m.json.people.map((p) => p.user_name), ['Ben Builder']);
      assert.ok(!m.json.expiring.some((x) => x.user_id === ana.user.id));
      a = (await request(srv, 'GET', emp(`/competence-map/people/${ana.user.id}`), { auth: hr })).json;
      assert.deepEqual(a.people, []);
      const csv = await request(srv, 'GET', emp('/competence-map?format=csv'), { auth: hr });
      assert.ok(!csv.text.includes('Ana Analyst'));
      assert.deepEqual((await request(srv, 'GET', '/api/v1/consents', { auth: ana })).json.items, []);
      assertProblem(assert, await request(srv, 'DELETE', `/api/v1/consents/${EMP}`, { auth: ana }), 404);
    });

    it('taking a role away removes the person from that role', async () => {
      const r = await request(srv, 'DELETE', emp(`/staff-roles?email=${encodeURIComponent(ben.email)}&role_id=${roleId}`), { auth: hr });
      assert.equal(r.status, 204, r.text);
      const m = await request(srv, 'GET', emp('/competence-map'), { auth: hr });
      assert.deepEqual(m.json.people, []);
    });
  });
}
