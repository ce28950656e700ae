/* x509_info.h - the facts a person wants from an e-seal certificate.
 *
 * Reads one DER X.509 certificate and returns, as UTF-8 strings, who it names
 * (subject CN, O, organizationIdentifier (OID 2.5.4.97, e.g. "VATES-A0000000"),
 * country, serialNumber attribute), who issued it, its serial number and its
 * validity period. Nothing is judged here: chain and trust decisions are
 * jades.c's. */
#ifndef MC_X509_INFO_H
#define MC_X509_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Every string is malloc'd UTF-8 owned by the struct, "" when the
 * certificate has no such attribute (never NULL after a successful read). */
typedef struct mc_x509_info {
    char *subject;          /* RFC 2253 one-line form of the whole subject */
    char *subject_cn;       /* commonName */
    char *subject_o;        /* organizationName */
    char *subject_org_id;   /* organizationIdentifier, 2.5.4.97 */
    char *subject_country;  /* countryName */
    char *subject_serial;   /* serialNumber attribute (2.5.4.5) */
    char *issuer;           /* RFC 2253 one-line form of the issuer */
    char *issuer_cn;
    char *issuer_o;
    char *serial_hex;       /* certificate serial number, lower-case hex */
    char *not_before;       /* "YYYY-MM-DDTHH:MM:SSZ" */
    char *not_after;
    int64_t not_before_unix; /* seconds since 1970 (UTC) */
    int64_t not_after_unix;
} mc_x509_info;

/* Parse `der` (exactly `n` bytes, one certificate) and fill `out` (which is
 * overwritten; free it with mc_x509_info_free, also after an error).
 * Errors: MC_ERR_INVALID (not one DER certificate), MC_ERR_NOMEM. */
mc_err mc_x509_info_read(const unsigned char *der, size_t n, mc_x509_info *out, mc_error *e);

/* Free the strings and zero the struct. Safe on a zeroed struct. */
void mc_x509_info_free(mc_x509_info *info);

#endif
