// bench_statistics_data.mjs - the large data set behind the open
// statistics test and benchmark: 100,000 awards over 24 months of 65
// specification versions from five organisations (four countries, one of
// them pending approval), written straight into a microcred SQLite database
// with the sqlite3 CLI: one generated SQL script whose bulk of awards is a
// recursive CTE, so it takes seconds, not the minutes issuing would.
//
// The spread is deliberately uneven: three tiny specifications (2-4
// awards), one rare one (a single award, unique in every dimension), every
// 97th award revoked, 50 awards of an organisation not yet approved.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';

export const AWARDS = 100000;
export const MONTHS = Array.from({ length: 24 }, (_, i) => `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
export const DIMENSIONS = ['level', 'field', 'workload', 'country', 'language', 'participation', 'qa_type'];

// The organisations added (demo-university and demo-employer, SE, exist).
const ORGS = [
  { id: 'a0000000-0000-4000-8000-000000000001', slug: 'gen-lv', country: 'LV', status: 'approved' },
  { id: 'a0000000-0000-4000-8000-000000000002', slug: 'gen-ee', country: 'EE', status: 'approved' },
  { id: 'a0000000-0000-4000-8000-000000000003', slug: 'gen-se', country: 'SE', status: 'approved' },
  { id: 'a0000000-0000-4000-8000-000000000004', slug: 'gen-pending', country: 'FI', status: 'pending' },
  { id: 'a0000000-0000-4000-8000-000000000005', slug: 'gen-mt', country: 'MT', status: 'approved' },
];
const RARE_ORG = ORGS[4];

const LEVELS = [{ framework: 'EQF', level: 4 }, { framework: 'EQF', level: 5 }, { framework: 'EQF', level: 6 },
  { framework: 'EQF', level: 7 }, null, { framework: 'SeQF', level: 5 }];
const WORKLOADS = [{ amount: 0.5, unit: 'ECTS' }, { amount: 2, unit: 'ECTS' }, { amount: 4, unit: 'ECTS' },
  { amount: 10, unit: 'ECTS' }, { amount: 20, unit: 'ECTS' }, { amount: 50, unit: 'hours' }, { amount: 3, unit: 'weeks' }, null];
const LANGS = [['en'], ['sv', 'en'], ['lv'], ['et', 'en', 'ru'], ['fi']];
const PARTS = [['online'], ['on-site'], ['blended', 'work-based'], ['online', 'on-site']];
const TAGS = [['data'], ['retail', 'data'], ['welding'], [], ['care', 'health']];
const QAS = [[{ type: 'internal' }], [{ type: 'external' }, { type: 'internal' }], [], [{ type: 'accredited' }]];

export const uuid = (prefix, n) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

// The specification versions: 60 ordinary ones, three tiny ones (1-4
// awards), the rare one, one of the pending organisation.
function specs() {
  const list = [];
  const approved = ORGS.filter((o) => o.status === 'approved' && o !== RARE_ORG);
  for (let n = 0; n < 60; n++) {
    const doc = {
      title: { en: `Generated ${n}` },
      languages: LANGS[n % LANGS.length],
      participation: PARTS[n % PARTS.length],
      tags: TAGS[n % TAGS.length],
      qualityAssurance: QAS[n % QAS.length],
    };
    if (LEVELS[n % LEVELS.length]) doc.level = LEVELS[n % LEVELS.length];
    if (WORKLOADS[n % WORKLOADS.length]) doc.workload = WORKLOADS[n % WORKLOADS.length];
    list.push({ id: uuid('b0000000', n), org: approved[n % approved.length], month: MONTHS[n % 24], doc, kind: 'bulk' });
  }
  for (let n = 0; n < 3; n++) {
    list.push({ id: uuid('c0000000', n), org: ORGS[n % 3], month: MONTHS[5 + n], kind: 'tiny', awards: n + 2,
      doc: { title: { en: `Tiny ${n}` }, languages: ['lv'], participation: ['online'], tags: ['tiny'], level: { framework: 'EQF', level: 3 } } });
  }
  list.push({ id: uuid('d0000000', 0), org: RARE_ORG, month: MONTHS[13], kind: 'rare', awards: 1,
    doc: { title: { en: 'Maltese falconry' }, languages: ['mt'], participation: ['apprenticeship'], tags: ['falconry'],
      level: { framework: 'EQF', level: 8 }, workload: { amount: 40, unit: 'ECTS' }, qualityAssurance: [{ type: 'peer-review' }] } });
  list.push({ id: uuid('e0000000', 0), org: ORGS[3], month: MONTHS[2], kind: 'pending', awards: 50,
    doc: { title: { en: 'Not yet approved' }, languages: ['fi'], participation: ['online'], tags: ['hidden'] } });
  return list;
}

export const RARE = { month: MONTHS[13], keys: ['EQF 8', 'MT', 'mt', 'apprenticeship', 'falconry', 'peer-review'] };

// generateStatisticsData(file, awards): writes the organisations, specifications,
// their versions and AWARDS awards into the SQLite database `file`.
export function generateStatisticsData(file, awards = AWARDS) {
  const all = specs();
  const bulk = all.filter((s) => s.kind === 'bulk');
  const lines = ['BEGIN;'];
  const now = '2024-01-01T00:00:00.000Z';
  for (const o of ORGS) {
    lines.push(`INSERT INTO organisations (id, slug, legal_name, legal_id_scheme, legal_id, country, address, website, contact_email, status, created_at, updated_at) VALUES (${q(o.id)}, ${q(o.slug)}, ${q(`Generated ${o.slug}`)}, 'vat', ${q(o.slug)}, ${q(o.country)}, 'Street 1', 'https://example.org', 'x@example.org', ${q(o.status)}, ${q(now)}, ${q(now)});`);
  }
  lines.push('CREATE TEMP TABLE gen_specs (n INTEGER PRIMARY KEY, spec_id TEXT, org_id TEXT, month TEXT);');
  all.forEach((s, i) => {
    const doc = JSON.stringify(s.doc);
    const at = `${s.month}-03T09:00:00.000Z`;
    lines.push(`INSERT INTO specifications (id, org_id, draft, latest_version, created_by, created_at, updated_at) VALUES (${q(s.id)}, ${q(s.org.id)}, ${q(doc)}, 1, 'gen', ${q(at)}, ${q(at)});`);
    lines.push(`INSERT INTO spec_versions (spec_id, version, org_id, document, title, search_text, languages, countries, skills, eqf_level, workload_ects, workload_hours, published_at, published_by) VALUES (${q(s.id)}, 1, ${q(s.org.id)}, ${q(doc)}, ${q(s.doc.title.en)}, '', '[]', '[]', '[]', NULL, NULL, NULL, ${q(at)}, 'gen');`);
    if (s.kind === 'bulk') lines.push(`INSERT INTO gen_specs VALUES (${bulk.indexOf(s)}, ${q(s.id)}, ${q(s.org.id)}, ${q(s.month)});`);
  });
  const months = MONTHS.map((m, i) => `SELECT ${i} AS i, ${q(m)} AS m`).join(' UNION ALL ');
  // Bulk awards: an uneven spread over specifications and months, every
  // 97th revoked (revoked awards are not counted).
  const nBulk = awards - all.filter((s) => s.kind !== 'bulk').reduce((a, s) => a + (s.kind === 'pending' ? 0 : s.awards), 0);
  lines.push(`CREATE TEMP TABLE gen_months AS ${months};`);
  lines.push(`INSERT INTO awards (id, org_id, spec_id, spec_version, idempotency_key, learner_name, learner_email, title, credential, suite, status_index, revoked, claim_hash, issued_at, created_by)
    WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${nBulk - 1})
    SELECT printf('f0000000-0000-4000-8000-%012d', seq.i), g.org_id, g.spec_id, 1, 'gen-' || seq.i, 'Learner ' || seq.i,
      'l' || seq.i || '@example.org', 'Generated', '{}', 'eddsa-rdfc-2022', 1000000 + seq.i, CASE WHEN seq.i % 97 = 0 THEN 1 ELSE 0 END,
      lower(hex(randomblob(16))), m.m || printf('-%02dT12:00:00.000Z', 1 + seq.i % 28), 'gen'
    FROM seq JOIN gen_specs g ON g.n = ((seq.i * 7919) % 1009) % ${bulk.length}
    JOIN gen_months m ON m.i = ((seq.i * 31) % 997) % 24;`);
  let k = 0;
  for (const s of all.filter((x) => x.kind !== 'bulk')) {
    for (let j = 0; j < s.awards; j++, k++) {
      lines.push(`INSERT INTO awards (id, org_id, spec_id, spec_version, idempotency_key, learner_name, learner_email, title, credential, suite, status_index, revoked, claim_hash, issued_at, created_by) VALUES (${q(uuid('f1000000', k))}, ${q(s.org.id)}, ${q(s.id)}, 1, 'gen-x-${k}', 'Special ${k}', 's${k}@example.org', 'Generated', '{}', 'eddsa-rdfc-2022', ${2000000 + k}, 0, ${q(`h${k}`)}, '${s.month}-20T12:00:00.000Z', 'gen');`);
    }
  }
  lines.push('COMMIT;');
  const script = join(tmpdir(), `mc-stats-gen-${process.pid}.sql`);
  writeFileSync(script, lines.join('\n'));
  execFileSync('sqlite3', ['-cmd', '.timeout 10000', file, `.read ${script}`], { encoding: 'utf8' });
}

