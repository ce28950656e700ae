/* csv.h - reading and writing CSV (RFC 4180) with hard bounds.
 *
 * The reader takes a whole file as a byte buffer and gives back a table: the
 * header row's names and the data rows, every field a NUL-terminated UTF-8
 * string, every row knowing the physical line it starts on. It is strict in
 * what it accepts, because its input comes from spreadsheets uploaded by
 * people and a silent misreading would issue credentials to the wrong
 * person:
 *
 *  - the text must be UTF-8 (a byte order mark at the very start is
 *    skipped); invalid UTF-8 - overlong forms, lone continuation bytes,
 *    surrogates, truncated sequences - and NUL bytes are errors;
 *  - fields may be quoted with '"'; inside quotes '""' is one quote and line
 *    breaks are part of the field (kept exactly as written);
 *  - records end with CRLF or LF; a carriage return on its own outside quotes
 *    is an error, as is a quote inside an unquoted field or text after a
 *    closing quote;
 *  - completely empty lines between records are skipped;
 *  - every row must have as many fields as the header, unless the caller
 *    asks for ragged rows (then it checks row->n itself).
 *
 * Errors name the physical line where the record starts (1-based) and the
 * field (1-based column), both in mc_error.field ("line 7: column 3") and as
 * numbers in the table (err_line, err_col), with a message a person can act
 * on ("the text is not valid UTF-8 ...; save the file as \"CSV UTF-8\").
 *
 * The writer quotes fields when needed and neutralises spreadsheet formula
 * injection (CWE-1236, OWASP "CSV Injection"): a field that begins with
 * '=', '+', '-', '@', TAB or CR is written with a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it as a formula. That
 * changes the field ("-3" is written as "'-3"): the writer is for files
 * people open in spreadsheets, not a lossless exchange format. */
#ifndef MC_CSV_H
#define MC_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

#define MC_CSV_DEFAULT_MAX_BYTES ((size_t)8 << 20) /* 8 MiB */
#define MC_CSV_DEFAULT_MAX_ROWS ((size_t)10000)    /* data rows, header excluded */
#define MC_CSV_DEFAULT_MAX_COLS ((size_t)64)
#define MC_CSV_DEFAULT_MAX_FIELD ((size_t)8192)    /* bytes of one field */

/* Bounds and dialect. A zeroed struct (or a NULL pointer) means the defaults
 * above, a comma delimiter and equal-length rows. */
typedef struct mc_csv_limits {
    size_t max_bytes; /* whole input, BOM included; 0 = default */
    size_t max_rows;  /* data rows; 0 = default */
    size_t max_cols;  /* fields in any record, header included; 0 = default */
    size_t max_field; /* bytes in one field after unquoting; 0 = default */
    char delimiter;   /* ',' (0 = ','), ';' or '\t'; anything else is MC_ERR_INVALID */
    bool allow_ragged; /* rows may have fewer or more fields than the header */
} mc_csv_limits;

typedef struct mc_csv_row {
    const char *const *fields; /* n NUL-terminated strings, owned by the table */
    size_t n;                  /* number of fields */
    size_t line;               /* physical line (1-based) where the row starts */
} mc_csv_row;

typedef struct mc_csv_table {
    const char *const *header; /* ncols names as written (not trimmed), owned by the table */
    size_t ncols;
    size_t header_line;        /* physical line of the header (after skipped blank lines) */
    mc_csv_row *rows;
    size_t nrows;
    size_t err_line;           /* on failure: line of the record at fault, 0 when none */
    size_t err_col;            /* on failure: 1-based field, 0 when the error is not in a field */
    /* private */
    char *text_;
    char **cells_;
} mc_csv_table;

/* Parse `n` bytes at `data` into `out` (which is overwritten; no need to
 * zero it first). The first record is the header. `lim` may be NULL.
 *
 * Returns MC_OK; MC_ERR_INVALID for malformed input (syntax, encoding, NUL,
 * a ragged row when not allowed, an empty file); MC_ERR_TOO_LARGE when a
 * bound is exceeded; MC_ERR_NOMEM. On any error `e` (may be NULL) says what
 * and where, out->err_line/err_col hold the position, and `out` holds no
 * rows (nothing to free, though mc_csv_table_free is still safe). On success
 * free `out` with mc_csv_table_free(). `data` is not modified and need not
 * be NUL-terminated. */
mc_err mc_csv_parse(const char *data, size_t n, const mc_csv_limits *lim, mc_csv_table *out,
                    mc_error *e);

/* Free everything `t` owns and zero it. Safe on a zeroed or failed table. */
void mc_csv_table_free(mc_csv_table *t);

/* True when `s` begins with a character a spreadsheet may treat as the start
 * of a formula: '=', '+', '-', '@', TAB or CR. */
bool mc_csv_formula_risk(const char *s);

/* Append one record to `out`: the n fields separated by commas, ended by
 * CRLF. A NULL field is written empty. A field with a comma, semicolon,
 * quote, CR or LF is quoted (quotes doubled), as is the only field of a
 * one-field record when it is empty (so the record is not a blank line)
 * and a first field starting with U+FEFF when `out` is empty (so it is not
 * taken for a byte order mark).
 * A field for which mc_csv_formula_risk() holds gets a leading apostrophe
 * and is quoted.
 * Returns MC_OK or MC_ERR_NOMEM (the buffer then has latched OOM). */
mc_err mc_csv_write_row(mc_buf *out, const char *const *fields, size_t n);

#endif
