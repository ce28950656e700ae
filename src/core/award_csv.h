/* award_csv.h - the batch-issuance CSV format: one award per row.
 *
 * A provider uploads a spreadsheet saved as CSV, one learner per row, to
 * issue one specification version to many learners at once. This module
 * reads such a file and turns every row into an award object in the input
 * shape of mc_award_from_json() (docs/eu-elements.md), plus the row's
 * idempotency key and line number; the service layer adds the award id and
 * issues. docs/batch-csv.md is the reference for providers.
 *
 * Reading is all or nothing: every row is checked first and EVERY problem in
 * the file is reported at once, each at field "line N: column" (e.g.
 * "line 7: email"), so a provider fixes the spreadsheet in one go. Only a
 * file without a single problem yields rows.
 *
 * Columns, in any order: required email, name; optional identifier,
 * identifier_type, date_of_birth, issued, place, place_country, grade,
 * points, assessed, assessor_name, assessor_org, basis, evidence,
 * valid_from, valid_until, language, idempotency_key. Header names are
 * matched ignoring case, spaces, '-' and '_' ("E-mail" is email, "Date of
 * birth" is date_of_birth). Unknown, duplicate and unnamed columns are
 * problems; so is a missing required column (reported once).
 *
 * Cells are trimmed of surrounding spaces, tabs, line breaks and no-break
 * spaces. A cell that a spreadsheet would run as a formula - one that
 * starts with '=' or '@', or with '+' or '-' not followed by a plain number -
 * is refused (CWE-1236); one leading apostrophe, the spreadsheet's own
 * "this is text" mark and what mc_csv_write_row() adds, is dropped first. */
#ifndef MC_AWARD_CSV_H
#define MC_AWARD_CSV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "csv.h"
#include "err.h"
#include "problems.h"

#define MC_AWARD_CSV_MAX_BYTES ((size_t)4 << 20) /* default bound on a file: 4 MiB */
#define MC_AWARD_CSV_MAX_ROWS ((size_t)10000)    /* default bound on data rows */
#define MC_AWARD_CSV_KEY_MAX 128                 /* bytes of an idempotency key */

/* One column of the format, for documentation and forms. */
typedef struct mc_award_csv_column {
    const char *name;    /* header name, e.g. "date_of_birth" */
    bool required;
    size_t max_len;      /* bytes, after trimming */
    const char *help;    /* one line for people: what goes in it */
    const char *example; /* the value used in the template's example row */
} mc_award_csv_column;

/* The columns in template order. Never NULL; *n receives the count. */
const mc_award_csv_column *mc_award_csv_columns(size_t *n);

typedef struct mc_award_csv_opts {
    /* Exact version URL of the specification being issued. Required: it goes
     * into every derived idempotency key (and into "specification"). */
    const char *spec_version_id;
    /* Specification id; when not NULL every award gets
     * "specification": {"id": spec_id, "versionId": spec_version_id}. */
    const char *spec_id;
    /* Languages the specification offers (NULL-terminated BCP 47 tags), or
     * NULL to accept any well-formed tag in the language column. */
    const char *const *languages;
    /* Language tag of the assessor_org name's language map; NULL = the first
     * of `languages`, else "en". */
    const char *text_lang;
    /* Bounds; NULL = MC_AWARD_CSV_MAX_BYTES, MC_AWARD_CSV_MAX_ROWS and the
     * csv.h defaults. The delimiter, when 0, is detected from the header line
     * (';' when it has semicolons and no commas, as some locales' spreadsheets
     * write, else ','). allow_ragged is ignored: rows of the wrong length are
     * reported as problems. */
    const mc_csv_limits *limits;
} mc_award_csv_opts;

typedef struct mc_award_csv_row {
    size_t line;      /* physical line (1-based) where the row starts */
    json_t *award;    /* award input JSON (owned; no "id"): learner, issued, ... */
    char key[MC_AWARD_CSV_KEY_MAX + 1]; /* idempotency key */
    bool key_given;   /* true: from the idempotency_key column; false: derived */
    char language[36]; /* learner's preferred language (BCP 47) or "" */
} mc_award_csv_row;

typedef struct mc_award_csv_rows {
    mc_award_csv_row *v;
    size_t n;
} mc_award_csv_rows;

/* Read and check a whole batch file (`n` bytes at `data`, need not be
 * NUL-terminated) into `out` (overwritten; no need to zero it first).
 * Rows whose cells are all empty are skipped. Every problem found is added
 * to `problems` (not cleared first; field "line N: column" or "line N", or
 * "file" for the file as a whole).
 *
 * The derived idempotency key of a row without an idempotency_key cell is
 * "csv1-" followed by the hex SHA-256 of: spec_version_id, the e-mail in
 * lower case, the issued cell and the assessed cell (NUL-separated), so
 * uploading the same file again gives the same keys. An e-mail may appear
 * on more than one row only when every such row carries its own distinct
 * idempotency_key; two rows with the same key are a problem too.
 *
 * Returns MC_OK (out has one row per non-empty data row, in file order, and
 * no problem was added); MC_ERR_INVALID (problems were added, out is empty);
 * MC_ERR_TOO_LARGE (a bound was exceeded: one problem added, out empty);
 * MC_ERR_NOMEM. Free `out` with mc_award_csv_rows_free() in every case. */
mc_err mc_award_csv_read(const char *data, size_t n, const mc_award_csv_opts *opts, mc_award_csv_rows *out,
                         mc_problems *problems);

/* Release every row's JSON and the array; `r` is left empty. Safe twice. */
void mc_award_csv_rows_free(mc_award_csv_rows *r);

/* Append a template to `out`: a UTF-8 BOM (so spreadsheets open it as
 * UTF-8), the header row with every column and one example row, CRLF line
 * ends. The example row, read back with a spec, passes mc_award_csv_read.
 * Returns MC_OK or MC_ERR_NOMEM. */
mc_err mc_award_csv_template(mc_buf *out);

#endif
