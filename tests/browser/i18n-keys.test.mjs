// i18n-keys.test.mjs - every text key the web pages use exists in English,
// and Swedish, Latvian and Estonian translate every English key.
//
// Keys are found where the pages name them: data-i18n="k",
// data-page-title="k" and data-i18n-attr="attr:k;..." in web/**/*.html and
// in web/js/**/*.js (also as {'data-i18n': 'k'} objects), and the literal
// first arguments of t('k'), flash('k'), confirmAction('k', 'k2') and
// `key: 'k'` entries in JavaScript. Any other JavaScript string literal that
// looks like a key ('org.field.slug') and starts with a namespace that keys
// found so far use ("org.") counts as a key too, so helpers such as
// fact('org.field.slug', value) are checked as well. Runs in node alone (no server, no
// browser): node --test tests/browser/i18n-keys.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
const LANGS = ['sv', 'lv', 'et'];

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function load(lang) {
  return JSON.parse(readFileSync(join(WEB, 'i18n', `${lang}.json`), 'utf8'));
}

// usedKeys() -> Map key -> [files using it]
function usedKeys() {
  const used = new Map();
  const add = (key, file) => {
    key = key.trim();
    if (!key) return;
    if (!used.has(key)) used.set(key, new Set());
    used.get(key).add(relative(ROOT, file));
  };
  const attrPairs = (value, file) => {
    for (const pair of value.split(';')) {
      const key = pair.split(':')[1];
      if (key) add(key, file);
    }
  };
  const files = walk(WEB).filter((f) => f.endsWith('.html') || f.endsWith('.js'));
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/data-i18n="([^"]+)"/g)) add(m[1], file);
    for (const m of src.matchAll(/data-page-title="([^"]+)"/g)) add(m[1], file);
    for (const m of src.matchAll(/data-i18n-attr="([^"]+)"/g)) attrPairs(m[1], file);
    if (!file.endsWith('.js')) continue;
    for (const m of src.matchAll(/['"]data-i18n['"]\s*:\s*['"]([^'"]+)['"]/g)) add(m[1], file);
    for (const m of src.matchAll(/['"]data-i18n-attr['"]\s*:\s*['"]([^'"]+)['"]/g)) attrPairs(m[1], file);
    for (const m of src.matchAll(/\b(?:t|flash)\(\s*(['"])([^'"]+)\1/g)) add(m[2], file);
    for (const m of src.matchAll(/\bconfirmAction\(\s*(['"])([^'"]+)\1\s*,\s*(['"])([^'"]+)\3/g)) {
      add(m[2], file);
      add(m[4], file);
    }
    for (const m of src.matchAll(/\bkey:\s*(['"])([^'"]+)\1/g)) add(m[2], file);
  }
  const namespaces = new Set([...used.keys()].map((k) => k.split('.')[0]));
  for (const file of files.filter((f) => f.endsWith('.js'))) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(['"])([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\1/g)) {
      if (namespaces.has(m[2].split('.')[0])) add(m[2], file);
    }
  }
  return used;
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

test('the pages use some keys (the scanner works)', () => {
  const used = usedKeys();
  assert.ok(used.size > 50, `only ${used.size} keys found`);
  assert.ok(used.has('nav.catalogue'), 'nav.catalogue not found in web/js/layout.js');
});

test('every key used in web/ exists in en.json', () => {
  const en = load('en');
  const missing = [...usedKeys()].filter(([k]) => !(k in en)).map(([k, files]) => `${k} (${[...files].join(', ')})`);
  assert.deepEqual(missing, [], `keys missing from web/i18n/en.json:\n  ${missing.join('\n  ')}`);
});

test('every key in en.json is used somewhere in web/', () => {
  const used = usedKeys();
  const unused = Object.keys(load('en')).filter((k) => !used.has(k));
  assert.deepEqual(unused, [], `keys in en.json that no page uses:\n  ${unused.join('\n  ')}`);
});

test('en.json texts are non-empty strings', () => {
  for (const [k, v] of Object.entries(load('en'))) {
    assert.equal(typeof v, 'string', `en ${k}`);
    assert.ok(v.trim().length > 0, `en ${k} is empty`);
  }
});

for (const lang of LANGS) {
  test(`${lang}.json translates exactly the keys of en.json, with the same {placeholders}`, () => {
    const en = load('en');
    const tr = load(lang);
    const missing = Object.keys(en).filter((k) => !(k in tr));
    const extra = Object.keys(tr).filter((k) => !(k in en));
    assert.deepEqual(missing, [], `${lang}.json lacks:\n  ${missing.join('\n  ')}`);
    assert.deepEqual(extra, [], `${lang}.json has keys en.json does not:\n  ${extra.join('\n  ')}`);
    for (const [k, v] of Object.entries(tr)) {
      assert.equal(typeof v, 'string', `${lang} ${k}`);
      assert.ok(v.trim().length > 0, `${lang} ${k} is empty`);
      assert.equal(placeholders(v), placeholders(en[k]), `${lang} ${k}: placeholders differ from English`);
    }
  });

  test(`${lang}.json is a translation, not a copy of English`, () => {
    const en = load('en');
    const tr = load(lang);
    // Product names, codes and a few international words may stay the same;
    // most texts must not.
    const same = Object.keys(en).filter((k) => tr[k] === en[k]);
    assert.ok(same.length < Object.keys(en).length * 0.15,
      `${lang}: ${same.length} of ${Object.keys(en).length} texts equal English: ${same.slice(0, 20).join(', ')}`);
  });
}

test('pickLanguage: saved choice, then navigator.languages, then English', async () => {
  const { pickLanguage } = await import('../../web/js/i18n.js');
  assert.equal(pickLanguage(null, ['sv-SE', 'en']), 'sv');
  assert.equal(pickLanguage(null, ['de-DE', 'lv']), 'lv');
  assert.equal(pickLanguage(null, ['ET']), 'et');
  assert.equal(pickLanguage(null, ['de', 'fr']), 'en');
  assert.equal(pickLanguage(null, undefined), 'en');
  assert.equal(pickLanguage('et', ['sv']), 'et');
  assert.equal(pickLanguage('xx', ['sv']), 'sv');
});
