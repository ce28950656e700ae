/* nquads.c - N-Quads 1.1 reader and canonical N-Quads writer (see rdf.h).
 *
 * Writer: canonical N-Quads as RDFC-1.0 (section "Canonical N-Quads")
 * defines it: one space after subject, predicate, object and graph label,
 * then ".\n"; no comments; IRIs written as they are (never with UCHAR);
 * literals of type xsd:string carry no datatype; in literal strings the seven
 * characters BS, TAB, LF, FF, CR, '"' and '\' use their ECHAR (\b \t \n \f
 * \r \" \\), the other controls U+0000-U+001F and U+007F use UCHAR with
 * upper-case hex (\u000B), and everything else is written as raw UTF-8.
 *
 * Reader: a strict hand-written scanner for the N-Quads 1.1 grammar. It
 * works line by line over a byte range (not a C string; raw NUL bytes are
 * allowed inside literals), validates UTF-8, decodes ECHAR and UCHAR (in
 * literals) and UCHAR (in IRIs), checks blank node labels against the
 * PN_CHARS classes, requires absolute IRIs (a scheme), and reports the first
 * error with its line and column. U+0000 in a literal is stored as C0 80 (see
 * rdf.h). */
#include "rdf.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- writer */

static bool put_literal_string(mc_buf *out, const char *s) {
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (;; p++) {
        unsigned char c = *p;
        const char *esc;
        char ubuf[7] = {'\\', 'u', '0', '0', 0, 0, 0};
        size_t skip = 1;
        if (c == 0) break;
        switch (c) {
        case '\b': esc = "\\b"; break;
        case '\t': esc = "\\t"; break;
        case '\n': esc = "\\n"; break;
        case '\f': esc = "\\f"; break;
        case '\r': esc = "\\r"; break;
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                ubuf[4] = hex[c >> 4];
                ubuf[5] = hex[c & 15];
                esc = ubuf;
            } else if (c == 0xC0 && p[1] == 0x80) { /* stored U+0000 */
                esc = "\\u0000";
                skip = 2;
            } else {
                continue;
            }
        }
        if (p > run) mc_buf_append(out, run, (size_t)(p - run));
        mc_buf_puts(out, esc);
        p += skip - 1;
        run = p + 1;
    }
    if (p > run) mc_buf_append(out, run, (size_t)(p - run));
    return mc_buf_ok(out);
}

bool mc_nquads_write_term(mc_buf *out, const mc_rdf_term *t) {
    switch (t->kind) {
    case MC_RDF_DEFAULT_GRAPH:
        return mc_buf_ok(out);
    case MC_RDF_IRI:
        mc_buf_putc(out, '<');
        mc_buf_puts(out, t->value ? t->value : "");
        return mc_buf_putc(out, '>');
    case MC_RDF_BLANK:
        mc_buf_append(out, "_:", 2);
        return mc_buf_puts(out, t->value ? t->value : "");
    case MC_RDF_LITERAL: {
        mc_buf_putc(out, '"');
        put_literal_string(out, t->value ? t->value : "");
        mc_buf_putc(out, '"');
        if (t->language && *t->language) {
            mc_buf_putc(out, '@');
            return mc_buf_puts(out, t->language);
        }
        if (t->datatype && strcmp(t->datatype, MC_XSD_STRING) != 0) {
            mc_buf_append(out, "^^<", 3);
            mc_buf_puts(out, t->datatype);
            return mc_buf_putc(out, '>');
        }
        return mc_buf_ok(out);
    }
    }
    return mc_buf_ok(out);
}

bool mc_nquads_write_quad(mc_buf *out, const mc_rdf_quad *q) {
    mc_nquads_write_term(out, &q->s);
    mc_buf_putc(out, ' ');
    mc_nquads_write_term(out, &q->p);
    mc_buf_putc(out, ' ');
    mc_nquads_write_term(out, &q->o);
    mc_buf_putc(out, ' ');
    if (q->g.kind != MC_RDF_DEFAULT_GRAPH) {
        mc_nquads_write_term(out, &q->g);
        mc_buf_putc(out, ' ');
    }
    return mc_buf_append(out, ".\n", 2);
}

bool mc_nquads_write(mc_buf *out, const mc_rdf_dataset *d) {
    for (size_t i = 0; i < d->len; i++) mc_nquads_write_quad(out, &d->quads[i]);
    return mc_buf_ok(out);
}

/* ---------------------------------------------------------------- reader */

typedef struct parser {
    const unsigned char *p, *end; /* cursor and end of input */
    const unsigned char *line_start;
    size_t line;
    mc_error *e;
    mc_buf tmp[6]; /* s, p, o, datatype, language, g */
} parser;

static mc_err perr(parser *ps, const char *what) {
    size_t col = (size_t)(ps->p - ps->line_start) + 1;
    mc_buf f = MC_BUF_INIT;
    mc_buf_printf(&f, "line %zu", ps->line);
    mc_fail(ps->e, MC_ERR_INVALID, mc_buf_str(&f), "N-Quads syntax error at line %zu, column %zu: %s",
            ps->line, col, what);
    mc_buf_free(&f);
    return MC_ERR_INVALID;
}

static mc_err pnomem(parser *ps) {
    return mc_fail(ps->e, MC_ERR_NOMEM, NULL, "out of memory while reading N-Quads");
}

static bool at_eol(const parser *ps) {
    return ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r';
}

static void skip_ws(parser *ps) {
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t')) ps->p++;
}

/* Decode one UTF-8 sequence at p (strict: no overlongs, no surrogates, no
 * values past U+10FFFF). Returns its length, or 0 when invalid/truncated. */
static size_t utf8_decode(const unsigned char *p, const unsigned char *end, uint32_t *cp) {
    unsigned char c = p[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t n = 0;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if ((size_t)(end - p) < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return n;
}

static void utf8_put(mc_buf *b, uint32_t cp) {
    unsigned char u[4];
    size_t n = 0;
    if (cp == 0) { u[0] = 0xC0; u[1] = 0x80; n = 2; }
    else if (cp < 0x80) { u[0] = (unsigned char)cp; n = 1; }
    else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    }
    else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    mc_buf_append(b, u, n);
}

static int hexval(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* At a backslash followed by 'u' or 'U': decode the UCHAR into *cp. */
static mc_err read_uchar(parser *ps, uint32_t *cp) {
    size_t n = ps->p[1] == 'u' ? 4 : 8;
    if ((size_t)(ps->end - ps->p) < n + 2) return perr(ps, "truncated \\u escape");
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval(ps->p[2 + i]);
        if (h < 0) return perr(ps, "\\u and \\U escapes need 4 and 8 hex digits");
        v = (v << 4) | (uint32_t)h;
    }
    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return perr(ps, "escape does not name a Unicode scalar value");
    *cp = v;
    ps->p += n + 2;
    return MC_OK;
}

/* Read one UTF-8 character of ordinary text (not an escape). */
static mc_err read_utf8(parser *ps, uint32_t *cp, size_t *len) {
    size_t n = utf8_decode(ps->p, ps->end, cp);
    if (!n) return perr(ps, "invalid UTF-8");
    *len = n;
    return MC_OK;
}

static bool is_scheme_start(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* The ASCII characters IRIREF excludes besides controls and space. */
static bool iri_bad_ascii(unsigned char c) {
    return c == '<' || c == '>' || c == '"' || c == '{' || c == '}' || c == '|' || c == '^' || c == '`' ||
           c == '\\';
}

/* IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>', and absolute. */
static mc_err read_iri(parser *ps, mc_buf *out) {
    mc_buf_reset(out);
    if (ps->p >= ps->end || *ps->p != '<') return perr(ps, "expected an IRI in <...>");
    const unsigned char *start = ps->p;
    ps->p++;
    for (;;) {
        if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r') return perr(ps, "IRI is not closed with '>'");
        unsigned char c = *ps->p;
        if (c == '>') break;
        if (c > 0x20 && c < 0x80 && !iri_bad_ascii(c)) { /* fast path: a run of plain ASCII */
            const unsigned char *run = ps->p;
            while (ps->p < ps->end && *ps->p > 0x20 && *ps->p < 0x80 && !iri_bad_ascii(*ps->p)) ps->p++;
            mc_buf_append(out, run, (size_t)(ps->p - run));
            continue;
        }
        uint32_t cp = 0;
        if (c == '\\') {
            if (ps->p + 1 >= ps->end || (ps->p[1] != 'u' && ps->p[1] != 'U'))
                return perr(ps, "only \\u and \\U escapes are allowed in IRIs");
            mc_err rc = read_uchar(ps, &cp);
            if (rc) return rc;
        } else {
            size_t n = 0;
            mc_err rc = read_utf8(ps, &cp, &n);
            if (rc) return rc;
            ps->p += n;
        }
        if (cp <= 0x20 || (cp < 0x80 && iri_bad_ascii((unsigned char)cp)))
            return perr(ps, "character not allowed in an IRI (spaces, controls and <>\"{}|^`\\ are not)");
        utf8_put(out, cp);
    }
    ps->p++; /* '>' */
    if (!mc_buf_ok(out)) return pnomem(ps);
    /* absolute: scheme ":" */
    const char *s = mc_buf_str(out);
    size_t i = 0;
    if (!is_scheme_start((unsigned char)s[0])) i = (size_t)-1;
    else {
        i = 1;
        while (s[i] && (is_scheme_start((unsigned char)s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' ||
                        s[i] == '-' || s[i] == '.'))
            i++;
        if (s[i] != ':') i = (size_t)-1;
    }
    if (i == (size_t)-1) {
        ps->p = start;
        return perr(ps, "IRI must be absolute (start with a scheme such as http:)");
    }
    return MC_OK;
}

static bool pn_chars_base(uint32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0xD6) ||
           (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) || (c >= 0x370 && c <= 0x37D) ||
           (c >= 0x37F && c <= 0x1FFF) || (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
           (c >= 0xFDF0 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0xEFFFF);
}
static bool pn_chars_u(uint32_t c) { return pn_chars_base(c) || c == '_' || c == ':'; }
static bool pn_chars(uint32_t c) {
    return pn_chars_u(c) || c == '-' || (c >= '0' && c <= '9') || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
           (c >= 0x203F && c <= 0x2040);
}

/* BLANK_NODE_LABEL ::= '_:' (PN_CHARS_U | [0-9]) ((PN_CHARS | '.')* PN_CHARS)?
 * The label (without "_:") goes to out. */
static mc_err read_bnode(parser *ps, mc_buf *out) {
    mc_buf_reset(out);
    if (ps->end - ps->p < 2 || ps->p[0] != '_' || ps->p[1] != ':') return perr(ps, "expected a blank node _:label");
    ps->p += 2;
    const unsigned char *start = ps->p;
    const unsigned char *last_good = NULL; /* end of the last non-'.' char */
    bool first = true;
    while (ps->p < ps->end) {
        uint32_t cp = 0;
        size_t n = utf8_decode(ps->p, ps->end, &cp);
        if (!n) return perr(ps, "invalid UTF-8");
        bool ok = first ? (pn_chars_u(cp) || (cp >= '0' && cp <= '9')) : (pn_chars(cp) || cp == '.');
        if (!ok) break;
        ps->p += n;
        if (cp != '.') last_good = ps->p;
        first = false;
    }
    if (!last_good) {
        ps->p = start;
        return perr(ps, "blank node label is empty or starts with a character not allowed there");
    }
    ps->p = last_good; /* trailing dots end the statement, not the label */
    if (!mc_buf_append(out, start, (size_t)(last_good - start))) return pnomem(ps);
    return MC_OK;
}

/* STRING_LITERAL_QUOTE then optional LANGTAG or '^^' IRIREF. */
static mc_err read_literal(parser *ps, mc_buf *val, mc_buf *dt, mc_buf *lang) {
    mc_buf_reset(val);
    mc_buf_reset(dt);
    mc_buf_reset(lang);
    ps->p++; /* opening quote */
    for (;;) {
        if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r')
            return perr(ps, "string literal is not closed with '\"' on the same line");
        unsigned char c = *ps->p;
        if (c == '"') break;
        if (c >= 0x20 && c < 0x80 && c != '\\') { /* fast path: a run of plain ASCII */
            const unsigned char *run = ps->p;
            while (ps->p < ps->end && *ps->p >= 0x20 && *ps->p < 0x80 && *ps->p != '\\' && *ps->p != '"') ps->p++;
            mc_buf_append(val, run, (size_t)(ps->p - run));
            continue;
        }
        if (c == '\\') {
            if (ps->p + 1 >= ps->end) return perr(ps, "dangling backslash in literal");
            unsigned char x = ps->p[1];
            char out = 0;
            switch (x) {
            case 't': out = '\t'; break;
            case 'b': out = '\b'; break;
            case 'n': out = '\n'; break;
            case 'r': out = '\r'; break;
            case 'f': out = '\f'; break;
            case '"': out = '"'; break;
            case '\'': out = '\''; break;
            case '\\': out = '\\'; break;
            case 'u':
            case 'U': {
                uint32_t cp = 0;
                mc_err rc = read_uchar(ps, &cp);
                if (rc) return rc;
                utf8_put(val, cp);
                continue;
            }
            default:
                return perr(ps, "unknown escape in literal (allowed: \\t \\b \\n \\r \\f \\\" \\' \\\\ \\u \\U)");
            }
            mc_buf_putc(val, out);
            ps->p += 2;
            continue;
        }
        if (c == 0) { /* raw NUL: allowed by the grammar, stored as C0 80 */
            utf8_put(val, 0);
            ps->p++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = 0;
        mc_err rc = read_utf8(ps, &cp, &n);
        if (rc) return rc;
        mc_buf_append(val, ps->p, n);
        ps->p += n;
    }
    ps->p++; /* closing quote */
    if (ps->p < ps->end && *ps->p == '@') {
        ps->p++;
        const unsigned char *start = ps->p;
        while (ps->p < ps->end && is_scheme_start(*ps->p)) ps->p++;
        if (ps->p == start) return perr(ps, "language tag must start with a letter");
        while (ps->p < ps->end && *ps->p == '-') {
            const unsigned char *sub = ++ps->p;
            while (ps->p < ps->end && (is_scheme_start(*ps->p) || (*ps->p >= '0' && *ps->p <= '9'))) ps->p++;
            if (ps->p == sub) return perr(ps, "empty language subtag");
        }
        mc_buf_append(lang, start, (size_t)(ps->p - start));
    } else if (ps->end - ps->p >= 2 && ps->p[0] == '^' && ps->p[1] == '^') {
        ps->p += 2;
        mc_err rc = read_iri(ps, dt);
        if (rc) return rc;
    }
    if (!mc_buf_ok(val) || !mc_buf_ok(lang) || !mc_buf_ok(dt)) return pnomem(ps);
    return MC_OK;
}

/* Which term kinds a position allows. */
enum { A_IRI = 1, A_BNODE = 2, A_LIT = 4 };

/* Read one term of an allowed kind at the cursor into t, whose strings
 * borrow val (and dt, lang for a literal). As in the grammar, tokens need no
 * whitespace between them when a delimiter ends them ("<a><b>"). */
static mc_err read_term(parser *ps, mc_rdf_term *t, mc_buf *val, mc_buf *dt, mc_buf *lang, int allowed) {
    if (at_eol(ps))
        return perr(ps, "unexpected end of line (a statement is subject, predicate, object, optional graph, '.')");
    unsigned char c = *ps->p;
    mc_err rc;
    if (c == '<' && (allowed & A_IRI)) {
        if ((rc = read_iri(ps, val))) return rc;
        *t = mc_rdf_iri(mc_buf_str(val));
    } else if (c == '_' && (allowed & A_BNODE)) {
        if ((rc = read_bnode(ps, val))) return rc;
        *t = mc_rdf_blank(mc_buf_str(val));
    } else if (c == '"' && (allowed & A_LIT)) {
        if ((rc = read_literal(ps, val, dt, lang))) return rc;
        *t = mc_rdf_literal(mc_buf_str(val), dt->len ? mc_buf_str(dt) : NULL,
                            lang->len ? mc_buf_str(lang) : NULL);
    } else {
        switch (allowed) {
        case A_IRI: return perr(ps, "expected a predicate IRI in <...>");
        case A_IRI | A_BNODE: return perr(ps, "expected an IRI or blank node");
        default: return perr(ps, "expected an IRI, blank node or literal");
        }
    }
    return MC_OK;
}

static mc_err parse_statement(parser *ps, mc_rdf_dataset *d) {
    mc_buf *dt = &ps->tmp[3], *lang = &ps->tmp[4];
    mc_rdf_quad q;
    mc_err rc;
    if ((rc = read_term(ps, &q.s, &ps->tmp[0], dt, lang, A_IRI | A_BNODE))) return rc;
    skip_ws(ps);
    if ((rc = read_term(ps, &q.p, &ps->tmp[1], dt, lang, A_IRI))) return rc;
    skip_ws(ps);
    if ((rc = read_term(ps, &q.o, &ps->tmp[2], dt, lang, A_IRI | A_BNODE | A_LIT))) return rc;
    skip_ws(ps);
    q.g = mc_rdf_default_graph();
    if (ps->p < ps->end && (*ps->p == '<' || *ps->p == '_')) {
        if ((rc = read_term(ps, &q.g, &ps->tmp[5], dt, lang, A_IRI | A_BNODE))) return rc;
        skip_ws(ps);
    }
    if (ps->p >= ps->end || *ps->p != '.') return perr(ps, "expected '.' at the end of the statement");
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '#')
        while (!at_eol(ps)) ps->p++;
    if (!at_eol(ps)) return perr(ps, "unexpected text after '.' (one statement per line)");
    if (mc_rdf_dataset_add(d, &q)) return pnomem(ps);
    return MC_OK;
}

mc_err mc_nquads_parse(const char *text, size_t n, mc_rdf_dataset *d, mc_error *e) {
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.p = (const unsigned char *)text;
    ps.end = ps.p + n;
    ps.line_start = ps.p;
    ps.line = 1;
    ps.e = e;
    mc_err rc = MC_OK;
    while (ps.p < ps.end) {
        skip_ws(&ps);
        if (ps.p < ps.end && *ps.p == '#')
            while (!at_eol(&ps)) ps.p++;
        if (!at_eol(&ps)) {
            rc = parse_statement(&ps, d);
            if (rc) break;
        }
        /* end of line: CR LF, LF or CR each count as one line break */
        if (ps.p < ps.end) {
            if (*ps.p == '\r' && ps.p + 1 < ps.end && ps.p[1] == '\n') ps.p++;
            ps.p++;
            ps.line++;
            ps.line_start = ps.p;
        }
    }
    for (size_t i = 0; i < sizeof ps.tmp / sizeof ps.tmp[0]; i++) mc_buf_free(&ps.tmp[i]);
    return rc;
}
