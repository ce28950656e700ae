/* csv.c - RFC 4180 CSV reader and writer with hard bounds (see csv.h).
 *
 * The reader is one pass over the bytes. Field text, unquoted, is appended
 * to a single growing buffer, each field followed by a NUL; the parser keeps
 * the offset of each field and, per record, the index of its first field,
 * its field count and its starting line. Only when the whole input has been
 * read are the offsets turned into pointers (the buffer may move while it
 * grows), so a table is three allocations however many cells it has, and
 * freeing it cannot leak a cell.
 *
 * Every field is checked when it is complete: its length against the bound,
 * then for NUL bytes and for well-formed UTF-8 (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF). Errors stop the parse: after a
 * syntax or encoding error the rest of the file cannot be read with
 * confidence, and the caller gets the first place to look at. */
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { END_DELIM, END_EOL, END_EOF };

typedef struct rec {
    size_t first, n, line;
} rec;

typedef struct parser {
    const unsigned char *d;
    size_t n, p, line;
    size_t max_rows, max_cols, max_field;
    unsigned char delim;
    bool ragged;
    mc_buf text;   /* all fields, each followed by NUL */
    size_t *offs;  /* start of each field in text */
    size_t noffs, capoffs;
    rec *recs;     /* header first, then the data rows */
    size_t nrecs, caprecs;
    mc_buf where;  /* "line 7: column 3" for the current error */
    mc_csv_table *t;
    mc_error *e;
} parser;

/* Grow an array to hold `need` items of `size` bytes. False on overflow/OOM. */
static bool grow(void **v, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return true;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size) return false;
        c *= 2;
    }
    void *p = realloc(*v, c * size);
    if (!p) return false;
    *v = p;
    *cap = c;
    return true;
}

/* Record the position of an error; the FAIL macro then fills `e`. */
static void at(parser *P, size_t line, size_t col) {
    P->t->err_line = line;
    P->t->err_col = col;
    mc_buf_reset(&P->where);
    if (line && col) mc_buf_printf(&P->where, "line %zu: column %zu", line, col);
    else if (line) mc_buf_printf(&P->where, "line %zu", line);
}

#define FAIL(P, code, line, col, ...) \
    (at((P), (line), (col)), mc_fail((P)->e, (code), mc_buf_str(&(P)->where), __VA_ARGS__))

/* Index of the first byte of `s` that breaks UTF-8, or n when all is well. */
static size_t utf8_bad(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (!len || c > 0xf4 || len > n - i) return i;
        unsigned cp = c & (0xffu >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return n;
}

/* 1-based character position of byte `i` in valid UTF-8 text s[0..i). */
static size_t char_pos(const unsigned char *s, size_t i) {
    size_t c = 1;
    for (size_t k = 0; k < i; k++)
        if ((s[k] & 0xc0) != 0x80) c++;
    return c;
}

static mc_err add_span(parser *P, size_t start, size_t from, size_t to, size_t rline, size_t col) {
    size_t span = to - from;
    if (P->text.len - start + span > P->max_field)
        return FAIL(P, MC_ERR_TOO_LARGE, rline, col, "a field is longer than %zu bytes, the most accepted",
                    P->max_field);
    if (!mc_buf_append(&P->text, P->d + from, span)) return mc_fail(P->e, MC_ERR_NOMEM, NULL, "out of memory");
    return MC_OK;
}

/* Read the line end (or delimiter, or end of input) after a field. */
static mc_err field_end(parser *P, int *end, size_t rline, size_t col, bool quoted) {
    const unsigned char *d = P->d;
    if (P->p >= P->n) {
        *end = END_EOF;
    } else if (d[P->p] == P->delim) {
        P->p++;
        *end = END_DELIM;
    } else if (d[P->p] == '\n') {
        P->p++;
        P->line++;
        *end = END_EOL;
    } else if (d[P->p] == '\r' && P->p + 1 < P->n && d[P->p + 1] == '\n') {
        P->p += 2;
        P->line++;
        *end = END_EOL;
    } else if (d[P->p] == '\r') {
        return FAIL(P, MC_ERR_INVALID, rline, col,
                    "a carriage return (CR) without a line feed: lines must end with CRLF or LF");
    } else if (quoted) {
        return FAIL(P, MC_ERR_INVALID, rline, col,
                    "text after the closing quote of a quoted field; inside quotes, write a quote as "
                    "two quotes (\"\")");
    } else {
        return FAIL(P, MC_ERR_INVALID, rline, col,
                    "a quote inside a field that does not start with a quote; put the whole field in "
                    "quotes and write each quote in it as two quotes (\"\")");
    }
    return MC_OK;
}

/* Read one field starting at P->p into the text buffer (NUL appended). */
static mc_err read_field(parser *P, size_t rline, size_t col, int *end) {
    const unsigned char *d = P->d;
    size_t n = P->n, start = P->text.len;
    mc_err rc;
    bool quoted = P->p < n && d[P->p] == '"';
    if (quoted) {
        size_t qline = P->line;
        P->p++;
        for (;;) {
            size_t s = P->p;
            while (P->p < n && d[P->p] != '"') {
                if (d[P->p] == '\n') P->line++;
                P->p++;
            }
            if ((rc = add_span(P, start, s, P->p, rline, col))) return rc;
            if (P->p >= n)
                return FAIL(P, MC_ERR_INVALID, rline, col,
                            "the quoted field opened on line %zu is never closed: a closing quote is missing",
                            qline);
            if (P->p + 1 < n && d[P->p + 1] == '"') {
                if ((rc = add_span(P, start, P->p, P->p + 1, rline, col))) return rc;
                P->p += 2;
                continue;
            }
            P->p++;
            break;
        }
    } else {
        size_t s = P->p;
        while (P->p < n && d[P->p] != P->delim && d[P->p] != '\n' && d[P->p] != '\r' && d[P->p] != '"') P->p++;
        if ((rc = add_span(P, start, s, P->p, rline, col))) return rc;
    }
    if ((rc = field_end(P, end, rline, col, quoted))) return rc;

    const unsigned char *f = (const unsigned char *)P->text.data + start;
    size_t flen = P->text.len - start;
    const unsigned char *nul = flen ? memchr(f, 0, flen) : NULL;
    if (nul)
        return FAIL(P, MC_ERR_INVALID, rline, col,
                    "the field contains a NUL byte (at character %zu); the file may be UTF-16 or not a text "
                    "file: save it as \"CSV UTF-8\"",
                    char_pos(f, (size_t)(nul - f)));
    size_t bad = utf8_bad(f, flen);
    if (bad < flen)
        return FAIL(P, MC_ERR_INVALID, rline, col,
                    "the text is not valid UTF-8 (byte 0x%02X at character %zu of the field); save the file "
                    "as \"CSV UTF-8\"",
                    f[bad], char_pos(f, bad));
    if (!mc_buf_putc(&P->text, '\0')) return mc_fail(P->e, MC_ERR_NOMEM, NULL, "out of memory");
    return MC_OK;
}

/* Read one record; P->p is at its first byte (not at a blank line). */
static mc_err read_record(parser *P) {
    size_t rline = P->line, first = P->noffs, col = 0;
    mc_err rc;
    int end = END_DELIM;
    while (end == END_DELIM) {
        col++;
        if (col > P->max_cols)
            return FAIL(P, MC_ERR_TOO_LARGE, rline, col, "a record has more than %zu fields, the most accepted",
                        P->max_cols);
        if (!grow((void **)&P->offs, &P->capoffs, P->noffs + 1, sizeof *P->offs))
            return mc_fail(P->e, MC_ERR_NOMEM, NULL, "out of memory");
        P->offs[P->noffs++] = P->text.len;
        if ((rc = read_field(P, rline, col, &end))) return rc;
    }
    if (P->nrecs > 0) {
        if (P->nrecs > P->max_rows)
            return FAIL(P, MC_ERR_TOO_LARGE, rline, 0, "the file has more than %zu rows, the most accepted at once",
                        P->max_rows);
        size_t ncols = P->recs[0].n;
        if (!P->ragged && col != ncols)
            return FAIL(P, MC_ERR_INVALID, rline, col < ncols ? col + 1 : ncols + 1,
                        "this row has %zu field%s but the header has %zu", col, col == 1 ? "" : "s", ncols);
    }
    if (!grow((void **)&P->recs, &P->caprecs, P->nrecs + 1, sizeof *P->recs))
        return mc_fail(P->e, MC_ERR_NOMEM, NULL, "out of memory");
    P->recs[P->nrecs++] = (rec){first, col, rline};
    return MC_OK;
}

/* Turn offsets into pointers and hand everything to the table. */
static mc_err finish(parser *P) {
    mc_csv_table *t = P->t;
    char **cells = malloc(P->noffs * sizeof *cells);
    mc_csv_row *rows = P->nrecs > 1 ? malloc((P->nrecs - 1) * sizeof *rows) : NULL;
    if (!cells || (P->nrecs > 1 && !rows)) {
        free(cells);
        free(rows);
        return mc_fail(P->e, MC_ERR_NOMEM, NULL, "out of memory");
    }
    for (size_t i = 0; i < P->noffs; i++) cells[i] = P->text.data + P->offs[i];
    for (size_t r = 1; r < P->nrecs; r++)
        rows[r - 1] = (mc_csv_row){(const char *const *)(cells + P->recs[r].first), P->recs[r].n, P->recs[r].line};
    t->header = (const char *const *)cells;
    t->ncols = P->recs[0].n;
    t->header_line = P->recs[0].line;
    t->rows = rows;
    t->nrows = P->nrecs - 1;
    t->cells_ = cells;
    t->text_ = mc_buf_detach(&P->text, NULL);
    return MC_OK;
}

mc_err mc_csv_parse(const char *data, size_t n, const mc_csv_limits *lim, mc_csv_table *out, mc_error *e) {
    static const mc_csv_limits none = {0};
    if (!lim) lim = &none;
    memset(out, 0, sizeof *out);
    mc_error_clear(e);
    parser P = {0};
    P.d = (const unsigned char *)data;
    P.n = n;
    P.line = 1;
    P.max_rows = lim->max_rows ? lim->max_rows : MC_CSV_DEFAULT_MAX_ROWS;
    P.max_cols = lim->max_cols ? lim->max_cols : MC_CSV_DEFAULT_MAX_COLS;
    P.max_field = lim->max_field ? lim->max_field : MC_CSV_DEFAULT_MAX_FIELD;
    P.delim = lim->delimiter ? (unsigned char)lim->delimiter : ',';
    P.ragged = lim->allow_ragged;
    P.t = out;
    P.e = e;
    size_t max_bytes = lim->max_bytes ? lim->max_bytes : MC_CSV_DEFAULT_MAX_BYTES;
    if (P.delim != ',' && P.delim != ';' && P.delim != '\t')
        return mc_fail(e, MC_ERR_INVALID, NULL, "the CSV delimiter must be a comma, a semicolon or a tab");
    if (n > max_bytes)
        return mc_fail(e, MC_ERR_TOO_LARGE, NULL, "the file is %zu bytes; at most %zu bytes are accepted", n,
                       max_bytes);
    if (!data && n) return mc_fail(e, MC_ERR_INVALID, NULL, "no data");
    mc_err rc = MC_OK;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) P.p = 3;
    else if (n >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 || memcmp(data, "\xFE\xFF", 2) == 0))
        rc = FAIL(&P, MC_ERR_INVALID, 0, 0, "the file is UTF-16 text; save it as \"CSV UTF-8\" instead");

    while (!rc && P.p < n) {
        if (P.d[P.p] == '\n') {
            P.p++;
            P.line++;
            continue;
        }
        if (P.d[P.p] == '\r' && P.p + 1 < n && P.d[P.p + 1] == '\n') {
            P.p += 2;
            P.line++;
            continue;
        }
        rc = read_record(&P);
    }
    if (!rc && P.nrecs == 0)
        rc = FAIL(&P, MC_ERR_INVALID, 0, 0, "the file is empty: its first line must be the header with the column names");
    if (!rc) rc = finish(&P);
    if (rc) {
        size_t l = out->err_line, c = out->err_col;
        memset(out, 0, sizeof *out);
        out->err_line = l;
        out->err_col = c;
    }
    mc_buf_free(&P.text);
    mc_buf_free(&P.where);
    free(P.offs);
    free(P.recs);
    return rc;
}

void mc_csv_table_free(mc_csv_table *t) {
    if (!t) return;
    free(t->text_);
    free(t->cells_);
    free(t->rows);
    memset(t, 0, sizeof *t);
}

bool mc_csv_formula_risk(const char *s) {
    return s && s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

mc_err mc_csv_write_row(mc_buf *out, const char *const *fields, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const char *f = fields && fields[i] ? fields[i] : "";
        bool risk = mc_csv_formula_risk(f);
        /* A record of one empty field is written "" so it is not a blank
         * line, which readers skip; a U+FEFF that would open the output is
         * quoted so it is not taken for a byte order mark. */
        bool quote = risk || strpbrk(f, ",;\"\r\n") != NULL || (n == 1 && !*f) ||
                     (i == 0 && out->len == 0 && strncmp(f, "\xEF\xBB\xBF", 3) == 0);
        if (i) mc_buf_putc(out, ',');
        if (quote) mc_buf_putc(out, '"');
        if (risk) mc_buf_putc(out, '\'');
        for (const char *s = f; *s;) {
            const char *q = strchr(s, '"');
            size_t len = q ? (size_t)(q - s) + 1 : strlen(s);
            mc_buf_append(out, s, len);
            if (q) mc_buf_putc(out, '"'); /* the quote again: "" */
            s += len;
        }
        if (quote) mc_buf_putc(out, '"');
    }
    mc_buf_puts(out, "\r\n");
    return mc_buf_ok(out) ? MC_OK : MC_ERR_NOMEM;
}
