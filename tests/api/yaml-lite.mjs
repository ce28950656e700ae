// yaml-lite.mjs - a reader for the small YAML subset docs/openapi.yaml is
// written in, so the API tests need no npm package.
//
// Supported: block mappings ("key: value", "key:" + indented block) with
// plain or quoted keys; block sequences ("- item", where an item may start
// a mapping on the same line); literal block scalars ("|" and "|-");
// scalars plain, 'single-quoted' or "double-quoted"; true/false/null;
// integers and decimals; flow sequences of scalars ("[a, 'b']") and empty
// "{}" / "[]"; "#" comments. Anything else (anchors, tags, flow mappings
// with content, multi-line plain scalars, tabs, duplicate keys) throws with
// the line number, so the file cannot drift into YAML this reader would
// silently misread.
//
//   parseYaml(text) -> the value (objects, arrays, strings, numbers, ...)

export function parseYaml(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((l, i) => { if (/^\s*\t/.test(l)) throw err(i, 'tab in indentation'); });
  const st = { lines, i: 0 };
  skipBlank(st);
  if (st.i >= lines.length) return null;
  const v = parseBlock(st, indentOf(lines[st.i]));
  skipBlank(st);
  if (st.i < lines.length) throw err(st.i, 'unexpected content (bad indentation?)');
  return v;
}

function err(i, msg) { return new Error(`yaml-lite: line ${i + 1}: ${msg}`); }
const indentOf = (l) => l.length - l.trimStart().length;
const isBlank = (l) => /^\s*(#.*)?$/.test(l);

function skipBlank(st) {
  while (st.i < st.lines.length && isBlank(st.lines[st.i])) st.i++;
}

function parseBlock(st, indent) {
  const line = st.lines[st.i];
  if (indentOf(line) !== indent) throw err(st.i, `expected indentation ${indent}`);
  return /^-( |$)/.test(line.trimStart()) ? parseSeq(st, indent) : parseMap(st, indent);
}

function parseSeq(st, indent) {
  const out = [];
  for (;;) {
    skipBlank(st);
    if (st.i >= st.lines.length) break;
    const line = st.lines[st.i];
    const ind = indentOf(line);
    if (ind < indent) break;
    if (ind > indent) throw err(st.i, 'bad indentation in sequence');
    const t = line.trimStart();
    if (!/^-( |$)/.test(t)) break;
    const rest = t.slice(1).trimStart();
    if (rest === '' || rest.startsWith('#')) {
      st.i++;
      skipBlank(st);
      if (st.i >= st.lines.length || indentOf(st.lines[st.i]) <= indent) { out.push(null); continue; }
      out.push(parseBlock(st, indentOf(st.lines[st.i])));
    } else if (keyOf(rest, st.i)) {
      // "- key: value": a mapping whose keys sit at the item's content column.
      const col = indent + (t.length - rest.length);
      st.lines[st.i] = ' '.repeat(col) + rest;
      out.push(parseMap(st, col));
    } else {
      out.push(scalar(rest, st.i));
      st.i++;
    }
  }
  return out;
}

// "key: rest" -> {key, rest}; null when the text is not a mapping entry.
function keyOf(t, i) {
  let key;
  let after;
  if (t[0] === '"' || t[0] === "'") {
    const end = closingQuote(t, 0);
    if (end < 0) return null;
    key = scalar(t.slice(0, end + 1), i);
    after = t.slice(end + 1);
    if (!/^:( |$)/.test(after)) return null;
    after = after.slice(1);
  } else {
    const m = /^([^\s'"[\]{},#][^#]*?):( |$)/.exec(t);
    if (!m) return null;
    key = m[1];
    after = t.slice(m[0].length - (m[2] ? 1 : 0));
  }
  return { key: String(key), rest: after.trim() };
}

function closingQuote(t, start) {
  const q = t[start];
  for (let k = start + 1; k < t.length; k++) {
    if (q === "'" && t[k] === "'") {
      if (t[k + 1] === "'") { k++; continue; }
      return k;
    }
    if (q === '"' && t[k] === '\\') { k++; continue; }
    if (q === '"' && t[k] === '"') return k;
  }
  return -1;
}

function parseMap(st, indent) {
  const out = {};
  for (;;) {
    skipBlank(st);
    if (st.i >= st.lines.length) break;
    const line = st.lines[st.i];
    const ind = indentOf(line);
    if (ind < indent) break;
    if (ind > indent) throw err(st.i, 'bad indentation in mapping');
    const t = line.trimStart();
    if (/^-( |$)/.test(t)) break;
    const kv = keyOf(t, st.i);
    if (!kv) throw err(st.i, `expected "key: value", got ${JSON.stringify(t)}`);
    if (Object.prototype.hasOwnProperty.call(out, kv.key)) throw err(st.i, `duplicate key ${kv.key}`);
    const at = st.i;
    st.i++;
    if (kv.rest === '' || kv.rest.startsWith('#')) {
      skipBlank(st);
      const next = st.i < st.lines.length ? st.lines[st.i] : null;
      if (next !== null && indentOf(next) > indent) out[kv.key] = parseBlock(st, indentOf(next));
      else if (next !== null && indentOf(next) === indent && /^-( |$)/.test(next.trimStart())) out[kv.key] = parseSeq(st, indent);
      else out[kv.key] = null;
    } else if (kv.rest === '|' || kv.rest === '|-') {
      out[kv.key] = blockScalar(st, indent, kv.rest === '|-');
    } else {
      out[kv.key] = scalar(kv.rest, at);
    }
  }
  return out;
}

function blockScalar(st, indent, strip) {
  const body = [];
  let col = -1;
  while (st.i < st.lines.length) {
    const l = st.lines[st.i];
    if (l.trim() === '') { body.push(''); st.i++; continue; }
    const ind = indentOf(l);
    if (ind <= indent) break;
    if (col < 0) col = ind;
    if (ind < col) throw err(st.i, 'bad indentation in block scalar');
    body.push(l.slice(col));
    st.i++;
  }
  while (body.length && body[body.length - 1] === '') body.pop();
  const s = body.join('\n');
  return strip ? s : `${s}\n`;
}

function scalar(raw, i) {
  let t = raw.trim();
  if (t[0] === "'" || t[0] === '"') {
    const end = closingQuote(t, 0);
    if (end < 0) throw err(i, 'unterminated quoted scalar');
    const tail = t.slice(end + 1).trim();
    if (tail && !tail.startsWith('#')) throw err(i, `text after a quoted scalar: ${tail}`);
    const inner = t.slice(1, end);
    if (t[0] === "'") return inner.replace(/''/g, "'");
    return JSON.parse(`"${inner}"`);
  }
  if (t[0] === '[') {
    const end = t.indexOf(']');
    if (end < 0) throw err(i, 'unterminated flow sequence');
    const tail = t.slice(end + 1).trim();
    if (tail && !tail.startsWith('#')) throw err(i, `text after a flow sequence: ${tail}`);
    const inner = t.slice(1, end).trim();
    if (inner === '') return [];
    return inner.split(',').map((p) => {
      if (/[[\]{}]/.test(p)) throw err(i, 'nested flow collections are not supported');
      return scalar(p, i);
    });
  }
  if (t[0] === '{') {
    if (/^\{\s*\}\s*(#.*)?$/.test(t)) return {};
    throw err(i, 'flow mappings with content are not supported');
  }
  if (/^[&*!|>%@`]/.test(t)) throw err(i, `unsupported YAML: ${t}`);
  const hash = t.search(/\s#/);
  if (hash >= 0) t = t.slice(0, hash).trimEnd();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null' || t === '~') return null;
  if (/^-?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(t)) return Number(t);
  if (/:( |$)/.test(t)) throw err(i, `plain scalar containing ": " (quote it): ${t}`);
  return t;
}
