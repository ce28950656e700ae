// pathways.test.mjs - stacking, black-box against the running server, on
// every backend: defining pathways (rule validation with the path of each
// problem), a learner's progress with explanations (which credential meets
// which rule, which do not count and why - a revoked credential stops
// counting at once), and the review: the learner asks, the organisation
// sees the request, declining needs a reason, accepting issues the target
// specification to the learner as a credential whose relatedResource lists
// the parts (id + digestSRI sha384 of the exact credential JSON), and that
// stacked credential verifies.
//
// The tests of one backend share a server and build on one another in file
// order.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  backends, startServer, request, login, register, sql, sqlExec, DEMO, fullSpecification, publishSpec, issueAward, orgPath,
  assertProblem,
} from './harness.mjs';

const SKILL_B = 'http://data.europa.eu/esco/skill/5d3c0f4a-pathway-test-b';
const SKILL_NOBODY = 'http://data.europa.eu/esco/skill/5d3c0f4a-pathway-test-nobody';
const SKILL_OFFER = 'http://data.europa.eu/esco/skill/5d3c0f4a-pathway-test-offer';

// A specification with its own title and one learning outcome; no grading
// unless asked (a grading scheme makes awards need a grade).
function spec(title, outcome, skill, { grading = true, ects = 3 } = {}) {
  const d = fullSpecification({
    title: { en: title },
    learningOutcomes: [{ text: { en: outcome }, ...(skill ? { escoSkill: skill } : {}) }],
    workload: { amount: ects, unit: 'ECTS' },
  });
  if (!grading) delete d.grading;
  return d;
}

const sri = (text) => `sha384-${createHash('sha384').update(text).digest('base64')}`;

for (const backend of backends()) {
  describe(`pathways [${backend.name}]`, () => {
    let srv;
    let issuer;      // issuer of demo-university (cookie session)
    let learner;     // the demo learner
    let hr;          // org-admin of demo-employer
    let specA; let specB; let target; let gradedTarget; let offerSpec;
    let awardA; let awardB;
    let itemA; let itemB;
    let pathwayId;

    const claim = async (who, award) => {
      const r = await request(srv, 'POST', `/api/v1/wallet/awards/${award}`, { auth: who });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };

    before(async () => {
      srv = await startServer(backend);
      issuer = await login(srv, DEMO.issuer);
      learner = await login(srv, DEMO.learner);
      hr = await login(srv, DEMO.otherOrgAdmin);
      specA = await publishSpec(srv, issuer, { draft: spec('Pipe welding basics', 'Prepares steel pipes for welding', null) });
      specB = await publishSpec(srv, issuer, { draft: spec('Weld inspection', 'Inspects welds visually', SKILL_B) });
      target = await publishSpec(srv, issuer, { draft: spec('Welding technician', 'Welds and inspects pipelines', null, { grading: false, ects: 6 }) });
      gradedTarget = await publishSpec(srv, issuer, { draft: spec('Welding technician (graded)', 'Welds and grades', null) });
      offerSpec = await publishSpec(srv, issuer, { draft: spec('Underwater welding', 'Welds under water', SKILL_OFFER) });
      const a = await issueAward(srv, issuer, specA.id, { learner: { name: 'Liis Learner', email: DEMO.learner } });
      const b = await issueAward(srv, issuer, specB.id, { learner: { name: 'Liis Learner', email: DEMO.learner } });
      assert.equal(a.status, 201, a.text);
      assert.equal(b.status, 201, b.text);
      awardA = a.json.id;
      awardB = b.json.id;
      itemA = await claim(learner, awardA);
      itemB = await claim(learner, awardB);
    });
    after(async () => { await srv.stop(); });

    describe('defining pathways', () => {
      it('bad rules are 422 naming the path of every problem, and nothing is stored', async () => {
        const before = await sql(srv.db, 'SELECT COUNT(*) AS n FROM pathways');
        const r = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer,
          body: {
            name: { en: 'Broken' },
            rules: {
              type: 'all',
              rules: [
                { specification: specA.url },                                   // no type
                { type: 'any', min: 3, rules: [{ type: 'credential', specification: specA.url }] }, // min > children
                { type: 'any', rules: [{ type: 'outcome' }] },                 // outcome without esco/text
                { type: 'credits', min_ects: 0, min_eqf: 9 },                  // both bad
                { type: 'all', rules: [] },                                    // empty group
                { type: 'badge' },                                             // unknown type
                { type: 'credential' },                                        // no specification
              ],
            },
            trust: { kind: 'friends' },
            target_specification_id: 'not-a-uuid',
            colour: 'blue',
          },
        });
        const p = assertProblem(assert, r, 422);
        const at = (field) => p.errors.filter((e) => e.field === field).map((e) => e.message);
        assert.ok(at('rules.rules[0]').length, JSON.stringify(p.errors));
        assert.match(at('rules.rules[1]').join(), /min/);
        assert.match(at('rules.rules[2].rules[0]').join(), /esco|text/);
        assert.match(at('rules.rules[3]').join(), /min_ects/);
        assert.match(at('rules.rules[3]').join(), /min_eqf/);
        assert.match(at('rules.rules[4]').join(), /at least one/);
        assert.match(at('rules.rules[5]').join(), /type/);
        assert.match(at('rules.rules[6]').join(), /specification/);
        assert.ok(at('trust.kind').length, 'trust.kind');
        assert.ok(at('target_specification_id').length, 'target_specification_id');
        assert.ok(at('colour').length, 'unknown field');
        assert.deepEqual(await sql(srv.db, 'SELECT COUNT(*) AS n FROM pathways'), before);
      });

      it('a missing name, missing rules and named trust without issuers are 422', async () => {
        const r = await request(srv, 'POST', orgPath('/pathways'), { auth: issuer, body: { trust: { kind: 'named' } } });
        const p = assertProblem(assert, r, 422);
        for (const f of ['name', 'rules', 'trust.issuers']) assert.ok(p.errors.some((e) => e.field === f), `${f}: ${JSON.stringify(p.errors)}`);
      });

      it('rules nested deeper than 16 are refused at the path where they go too deep', async () => {
        let rule = { type: 'credential', specification: specA.url };
        for (let i = 0; i < 18; i++) rule = { type: 'all', rules: [rule] };
        const r = await request(srv, 'POST', orgPath('/pathways'), { auth: issuer, body: { name: { en: 'Deep' }, rules: rule } });
        const p = assertProblem(assert, r, 422);
        assert.ok(p.errors.some((e) => /16 deep/.test(e.message) && e.field.startsWith('rules.rules[0]')), JSON.stringify(p.errors));
      });

      it('create, list (org and public), change, and only issuers of the organisation may', async () => {
        const body = {
          name: { en: 'Welding technician', sv: 'Svetstekniker' },
          description: { en: 'Two modules make a technician.' },
          rules: {
            type: 'all',
            description: { en: 'Both modules' },
            rules: [
              { type: 'credential', specification: specA.url, description: { en: 'Pipe welding basics' } },
              { type: 'any', min: 1, rules: [{ type: 'outcome', esco: SKILL_B }, { type: 'outcome', text: 'inspects welds' }] },
            ],
          },
          trust: { kind: 'registered' },
          target_specification_id: target.id,
        };
        const forbidden = await request(srv, 'POST', orgPath('/pathways'), { auth: learner, body });
        assertProblem(assert, forbidden, 403);
        const other = await request(srv, 'POST', orgPath('/pathways'), { auth: hr, body });
        assertProblem(assert, other, 403);

        const r = await request(srv, 'POST', orgPath('/pathways'), { auth: issuer, body });
        assert.equal(r.status, 201, r.text);
        pathwayId = r.json.id;
        assert.deepEqual(r.json.name, body.name);
        assert.deepEqual(r.json.rules, body.rules);
        assert.equal(r.json.target_spec_id, target.id);
        assert.equal(r.json.org_slug, DEMO.org);

        const mine = await request(srv, 'GET', orgPath('/pathways'), { auth: issuer });
        assert.ok(mine.json.items.some((p) => p.id === pathwayId));
        const pub = await request(srv, 'GET', '/api/v1/pathways');
        assert.equal(pub.status, 200);
        assert.ok(pub.json.items.some((p) => p.id === pathwayId), 'public list');

        const changed = await request(srv, 'PUT', orgPath(`/pathways/${pathwayId}`), { auth: issuer, body: { ...body, name: { en: 'Welding technician (2 modules)' } } });
        assert.equal(changed.status, 200, changed.text);
        assert.equal(changed.json.name.en, 'Welding technician (2 modules)');
        const badPut = await request(srv, 'PUT', orgPath(`/pathways/${pathwayId}`), { auth: issuer, body: { ...body, rules: { type: 'any', min: 0, rules: [] } } });
        assertProblem(assert, badPut, 422);
        const again = await request(srv, 'GET', orgPath('/pathways'), { auth: issuer });
        assert.equal(again.json.items.find((p) => p.id === pathwayId).name.en, 'Welding technician (2 modules)', 'a refused change changes nothing');
      });

      it('remove: 204, then 404; another organisation cannot remove it', async () => {
        const r = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer, body: { name: { en: 'Short-lived' }, rules: { type: 'credential', specification: specA.url } },
        });
        assert.equal(r.status, 201, r.text);
        const viaOther = await request(srv, 'DELETE', orgPath(`/pathways/${r.json.id}`, DEMO.otherOrg), { auth: hr });
        assert.equal(viaOther.status, 404, viaOther.text);
        assert.equal((await request(srv, 'DELETE', orgPath(`/pathways/${r.json.id}`), { auth: issuer })).status, 204);
        assertProblem(assert, await request(srv, 'DELETE', orgPath(`/pathways/${r.json.id}`), { auth: issuer }), 404);
      });
    });

    describe('progress', () => {
      it('follow and unfollow (twice is fine); an unknown pathway is 404; visitors are 401', async () => {
        assert.equal((await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await request(srv, 'DELETE', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assertProblem(assert, await request(srv, 'POST', '/api/v1/pathways/01a21601-0000-7000-8000-000000000000/follow', { auth: learner }), 404);
        assertProblem(assert, await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`), 401);
      });

      it('the public list says which pathways the signed-in learner follows', async () => {
        const following = async (auth) => {
          const r = await request(srv, 'GET', '/api/v1/pathways', auth ? { auth } : {});
          assert.equal(r.status, 200, r.text);
          return r.json.items.find((p) => p.id === pathwayId);
        };
        assert.equal((await following(learner)).following, true);
        assert.equal((await following(hr)).following, false);
        assert.equal('following' in (await following(null)), false, 'visitors get no following field');
        assert.equal((await request(srv, 'DELETE', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await following(learner)).following, false);
        assert.equal((await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await following(learner)).following, true);
      });

      it("a pathway of an organisation that is not approved cannot be followed, seen or asked about; leaving it still works", async () => {
        const org = (await sql(srv.db, "SELECT id, status FROM organisations WHERE slug = 'demo-university'"))[0];
        await sqlExec(srv.db, `UPDATE organisations SET status = 'suspended' WHERE id = '${org.id}'`);
        try {
          const list = await request(srv, 'GET', '/api/v1/pathways', { auth: learner });
          assert.equal(list.json.items.some((p) => p.id === pathwayId), false);
          assertProblem(assert, await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: hr }), 404);
          assertProblem(assert, await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner }), 404);
          assertProblem(assert, await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/requests`, { auth: learner, body: {} }), 404);
          assert.equal((await request(srv, 'DELETE', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        } finally {
          await sqlExec(srv.db, `UPDATE organisations SET status = '${org.status}' WHERE id = '${org.id}'`);
        }
        assert.equal((await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/follow`, { auth: learner })).status, 204);
        assert.equal((await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner })).status, 200);
      });

      it('met: each rule says which credential meets it', async () => {
        const r = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner });
        assert.equal(r.status, 200, r.text);
        const ev = r.json.evaluation;
        assert.equal(ev.met, true, JSON.stringify(ev));
        assert.equal(r.json.pathway.id, pathwayId);
        const [credRule, anyRule] = ev.result.children;
        assert.equal(credRule.met, true);
        assert.deepEqual(credRule.matched, [itemA]);
        assert.match(credRule.explanation, /Pipe welding basics/);
        assert.equal(anyRule.met, true);
        assert.deepEqual(anyRule.children[0].matched, [itemB], 'the ESCO skill of B');
        for (const id of [itemA, itemB]) {
          const e = ev.eligible.find((x) => x.id === id);
          assert.equal(e.counts, true, JSON.stringify(e));
          assert.equal(e.reason, 'counts');
        }
        assert.deepEqual(r.json.requests, []);
      });

      it('missing: the rule says what is needed and which catalogue offers fill it', async () => {
        const p = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer,
          body: {
            name: { en: 'Advanced welding' },
            rules: { type: 'all', rules: [
              { type: 'credential', specification: specA.url },
              { type: 'outcome', esco: SKILL_OFFER, description: { en: 'Underwater welding' } },
              { type: 'outcome', esco: SKILL_NOBODY },
              { type: 'credits', min_ects: 30 },
            ] },
          },
        });
        assert.equal(p.status, 201, p.text);
        const r = await request(srv, 'GET', `/api/v1/pathways/${p.json.id}/progress`, { auth: learner });
        const ev = r.json.evaluation;
        assert.equal(ev.met, false);
        assert.ok(ev.result.missing, 'the group says how many more');
        const [, offer, nobody, credits] = ev.result.children;
        assert.equal(offer.met, false);
        assert.equal(offer.missing, 'Underwater welding');
        assert.match(offer.explanation, /no credential/);
        assert.deepEqual(offer.offers.map((o) => o.specification_id), [offerSpec.id], 'the catalogue entry with that skill');
        assert.equal(offer.offers[0].title, 'Underwater welding');
        assert.deepEqual(nobody.offers, []);
        assert.equal(credits.met, false);
        assert.match(credits.missing, /ECTS/);
        assert.equal((await request(srv, 'DELETE', orgPath(`/pathways/${p.json.id}`), { auth: issuer })).status, 204);
      });

      it('a credential of a trust-excluded issuer does not count, with the reason', async () => {
        const p = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer,
          body: { name: { en: 'Named only' }, rules: { type: 'credential', specification: specA.url }, trust: { kind: 'named', issuers: ['did:web:example.org'] } },
        });
        assert.equal(p.status, 201, p.text);
        const r = await request(srv, 'GET', `/api/v1/pathways/${p.json.id}/progress`, { auth: learner });
        assert.equal(r.json.evaluation.met, false);
        const e = r.json.evaluation.eligible.find((x) => x.id === itemA);
        assert.equal(e.counts, false);
        assert.match(e.reason, /not one this pathway accepts/);
        assert.match(r.json.evaluation.result.explanation, /would match but does not count/);
        await request(srv, 'DELETE', orgPath(`/pathways/${p.json.id}`), { auth: issuer });
      });
    });

    describe('review', () => {
      let requestId;

      it('asking for review shares only the credentials a rule matched, not the whole wallet', async () => {
        const p = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer, body: { name: { en: 'Only A' }, rules: { type: 'credential', specification: specA.url } },
        });
        assert.equal(p.status, 201, p.text);
        const prog = await request(srv, 'GET', `/api/v1/pathways/${p.json.id}/progress`, { auth: learner });
        assert.ok(prog.json.evaluation.eligible.some((x) => x.id === itemB && x.counts), 'B is trusted but matches no rule');
        const r = await request(srv, 'POST', `/api/v1/pathways/${p.json.id}/requests`, { auth: learner });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.json.items, [itemA]);
        const shared = await sql(srv.db, `SELECT item_id FROM consents WHERE item_id = '${itemB}'`);
        assert.deepEqual(shared, [], 'B was not shared with the organisation');
      });

      it('the learner asks; asking again while pending is 409; the organisation sees the request', async () => {
        const r = await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/requests`, { auth: learner });
        assert.equal(r.status, 201, r.text);
        requestId = r.json.id;
        assert.equal(r.json.status, 'pending');
        assert.deepEqual([...r.json.items].sort(), [itemA, itemB].sort(), 'the credentials that count');
        assertProblem(assert, await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/requests`, { auth: learner }), 409);

        const prog = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner });
        assert.deepEqual(prog.json.requests.map((q) => [q.id, q.status]), [[requestId, 'pending']]);

        const list = await request(srv, 'GET', orgPath('/pathway-requests?status=pending'), { auth: issuer });
        assert.equal(list.status, 200);
        const seen = list.json.items.find((q) => q.id === requestId);
        assert.ok(seen, JSON.stringify(list.json));
        assert.equal(seen.user_email, DEMO.learner);
        assert.equal(seen.pathway_id, pathwayId);
        assert.equal(seen.evaluation.met, true);
        assertProblem(assert, await request(srv, 'GET', orgPath('/pathway-requests'), { auth: learner }), 403);
        const elsewhere = await request(srv, 'GET', orgPath('/pathway-requests', DEMO.otherOrg), { auth: hr });
        assert.ok(!elsewhere.json.items.some((q) => q.id === requestId), 'another organisation does not see it');
      });

      it('declining needs a reason (422, still pending); another organisation cannot decide', async () => {
        const r = await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/decline`), { auth: issuer, body: {} });
        const p = assertProblem(assert, r, 422);
        assert.ok(p.errors.some((e) => e.field === 'reason'), JSON.stringify(p.errors));
        const blank = await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/decline`), { auth: issuer, body: { reason: '' } });
        assertProblem(assert, blank, 422);
        const viaOther = await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/accept`, DEMO.otherOrg), { auth: hr, body: {} });
        assertProblem(assert, viaOther, 404);
        assertProblem(assert, await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/approve`), { auth: issuer, body: {} }), 404);
        const still = await request(srv, 'GET', orgPath('/pathway-requests?status=pending'), { auth: issuer });
        assert.ok(still.json.items.some((q) => q.id === requestId));
      });

      it('accepting issues the target to the learner, listing the parts by id and digestSRI; it verifies', async () => {
        const r = await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/accept`), { auth: issuer, body: {} });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'accepted');
        assert.ok(r.json.award_id, 'an award was issued');
        assertProblem(assert, await request(srv, 'POST', orgPath(`/pathway-requests/${requestId}/accept`), { auth: issuer, body: {} }), 409);

        const award = await request(srv, 'GET', orgPath(`/awards/${r.json.award_id}`), { auth: issuer });
        assert.equal(award.status, 200, award.text);
        assert.equal(award.json.specification_id, target.id);
        assert.equal(award.json.learner_email, DEMO.learner);
        const cred = award.json.credential;
        const parts = cred.relatedResource;
        assert.ok(Array.isArray(parts) && parts.length === 2, JSON.stringify(parts));
        for (const [item, aw] of [[itemA, awardA], [itemB, awardB]]) {
          const dl = await request(srv, 'GET', `/api/v1/wallet/${item}/download`, { auth: learner });
          assert.equal(dl.status, 200);
          const partId = JSON.parse(dl.text).id;
          assert.equal(partId, `urn:uuid:${aw}`);
          const entry = parts.find((x) => x.id === partId);
          assert.ok(entry, `${partId} in ${JSON.stringify(parts)}`);
          assert.equal(entry.digestSRI, sri(dl.text), 'sha384 of the exact credential JSON');
        }

        const v = await request(srv, 'POST', '/api/v1/verify', { body: cred });
        assert.equal(v.status, 200, v.text);
        assert.equal(v.json.valid, true, JSON.stringify(v.json.checks));

        const wallet = await request(srv, 'GET', '/api/v1/wallet', { auth: learner });
        assert.ok(wallet.json.claimable.some((c) => c.award_id === r.json.award_id), 'waiting in the learner\'s wallet');
        const prog = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner });
        const mine = prog.json.requests.find((q) => q.id === requestId);
        assert.equal(mine.status, 'accepted');
        assert.equal(mine.award_id, r.json.award_id);
        assert.deepEqual([...mine.items].sort(), [itemA, itemB].sort());
      });

      it('a declined request shows its reason to the learner', async () => {
        const r = await request(srv, 'POST', `/api/v1/pathways/${pathwayId}/requests`, { auth: learner });
        assert.equal(r.status, 201, r.text);
        const d = await request(srv, 'POST', orgPath(`/pathway-requests/${r.json.id}/decline`), { auth: issuer, body: { reason: 'Already awarded' } });
        assert.equal(d.status, 200, d.text);
        assert.equal(d.json.status, 'declined');
        assert.equal(d.json.award_id, null);
        const prog = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner });
        const mine = prog.json.requests.find((q) => q.id === r.json.id);
        assert.equal(mine.status, 'declined');
        assert.equal(mine.reason, 'Already awarded');
      });

      it('accepting without a target is 409; a graded target needs the grade', async () => {
        const none = await request(srv, 'POST', orgPath('/pathways'), { auth: issuer, body: { name: { en: 'No target' }, rules: { type: 'credential', specification: specA.url } } });
        const graded = await request(srv, 'POST', orgPath('/pathways'), {
          auth: issuer, body: { name: { en: 'Graded' }, rules: { type: 'credential', specification: specB.url }, target_specification_id: gradedTarget.id },
        });
        const q1 = await request(srv, 'POST', `/api/v1/pathways/${none.json.id}/requests`, { auth: learner });
        assertProblem(assert, await request(srv, 'POST', orgPath(`/pathway-requests/${q1.json.id}/accept`), { auth: issuer }), 409);
        const q2 = await request(srv, 'POST', `/api/v1/pathways/${graded.json.id}/requests`, { auth: learner });
        const noGrade = await request(srv, 'POST', orgPath(`/pathway-requests/${q2.json.id}/accept`), { auth: issuer, body: {} });
        const p = assertProblem(assert, noGrade, 422);
        assert.ok(p.errors.some((e) => e.field === 'grade'), JSON.stringify(p.errors));
        const ok = await request(srv, 'POST', orgPath(`/pathway-requests/${q2.json.id}/accept`), { auth: issuer, body: { grade: 'Pass' } });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.json.status, 'accepted');
      });

      it('asking for review keeps the facts of credentials already shared with the organisation', async () => {
        // Shared for the competence map first (facts taken), then a review
        // of a pathway of the same organisation names the same credential.
        const give = await request(srv, 'POST', '/api/v1/consents', { auth: learner, body: { organisation: DEMO.org, item_id: itemB } });
        assert.equal(give.status, 204, give.text);
        const before = await sql(srv.db, `SELECT facts FROM consents WHERE item_id = '${itemB}'`);
        const p = await request(srv, 'POST', orgPath('/pathways'), { auth: issuer, body: { name: { en: 'B only' }, rules: { type: 'outcome', esco: SKILL_B } } });
        const q = await request(srv, 'POST', `/api/v1/pathways/${p.json.id}/requests`, { auth: learner });
        assert.equal(q.status, 201, q.text);
        const after = await sql(srv.db, `SELECT facts FROM consents WHERE item_id = '${itemB}'`);
        assert.deepEqual(after, before);
        assert.notEqual(JSON.stringify(after), JSON.stringify([{ facts: '{}' }]));
      });
    });

    describe('revocation', () => {
      it('a revoked credential stops counting at once, and the rule says why', async () => {
        const rv = await request(srv, 'POST', orgPath(`/awards/${awardA}/revoke`), { auth: issuer, body: { reason: 'issued in error' } });
        assert.equal(rv.status, 200, rv.text);
        const r = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: learner });
        const ev = r.json.evaluation;
        assert.equal(ev.met, false, JSON.stringify(ev.result));
        const e = ev.eligible.find((x) => x.id === itemA);
        assert.equal(e.counts, false);
        assert.equal(e.reason, 'it has been revoked');
        const credRule = ev.result.children[0];
        assert.equal(credRule.met, false);
        assert.deepEqual(credRule.matched, []);
        assert.match(credRule.explanation, /would match but does not count/);
        assert.ok(ev.eligible.find((x) => x.id === itemB).counts, 'the other still counts');
      });

      it('a new registered user with nothing in the wallet meets nothing', async () => {
        const someone = await register(srv);
        const r = await request(srv, 'GET', `/api/v1/pathways/${pathwayId}/progress`, { auth: someone });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.evaluation.met, false);
        assert.deepEqual(r.json.evaluation.eligible, []);
        assert.match(r.json.evaluation.result.children[0].explanation, /no credential held matches/);
      });
    });
  });
}
