/* x509_info.c - subject, issuer and validity of a certificate (see x509_info.h).
 *
 * Attribute values are converted with ASN1_STRING_to_UTF8, so PrintableString,
 * UTF8String and BMPString names all come out as UTF-8. Dates go through
 * ASN1_TIME_to_tm and timegm, so UTCTime and GeneralizedTime both work. The
 * one-line names use RFC 2253 escaping without escaping non-ASCII bytes. */
#include "x509_info.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"

static char *dup_str(const char *s, size_t n) {
    char *p = malloc(n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* First value of attribute `nid` in `name`, as UTF-8; "" when absent. */
static char *name_attr(const X509_NAME *name, int nid) {
    int i = X509_NAME_get_index_by_NID(name, nid, -1);
    if (i < 0) return dup_str("", 0);
    const ASN1_STRING *v = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char *u = NULL;
    int n = ASN1_STRING_to_UTF8(&u, v);
    if (n < 0) return dup_str("", 0);
    char *s = dup_str((const char *)u, (size_t)n);
    OPENSSL_free(u);
    return s;
}

static char *name_line(const X509_NAME *name) {
    BIO *b = BIO_new(BIO_s_mem());
    if (!b) return NULL;
    char *s = NULL;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        char *p = NULL;
        long n = BIO_get_mem_data(b, &p);
        s = dup_str(n > 0 ? p : "", n > 0 ? (size_t)n : 0);
    }
    BIO_free(b);
    return s;
}

static char *iso_time(const ASN1_TIME *t, int64_t *unix_out) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return NULL;
    *unix_out = (int64_t)timegm(&tm);
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return mc_buf_detach(&b, NULL);
}

static char *serial_hex(const X509 *x) {
    BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
    char *hex = bn ? BN_bn2hex(bn) : NULL;
    BN_free(bn);
    if (!hex) return NULL;
    size_t n = strlen(hex);
    char *s = dup_str(hex, n);
    OPENSSL_free(hex);
    for (size_t i = 0; s && i < n; i++)
        if (s[i] >= 'A' && s[i] <= 'F') s[i] = (char)(s[i] - 'A' + 'a');
    return s;
}

mc_err mc_x509_info_read(const unsigned char *der, size_t n, mc_x509_info *out, mc_error *e) {
    memset(out, 0, sizeof *out);
    const unsigned char *p = der;
    X509 *x = n <= 0x7fffffff ? d2i_X509(NULL, &p, (long)n) : NULL;
    if (!x || p != der + n) {
        X509_free(x);
        return mc_fail(e, MC_ERR_INVALID, "x5c", "the certificate is not a single DER X.509 certificate");
    }
    const X509_NAME *s = X509_get_subject_name(x), *i = X509_get_issuer_name(x);
    out->subject = name_line(s);
    out->subject_cn = name_attr(s, NID_commonName);
    out->subject_o = name_attr(s, NID_organizationName);
    out->subject_org_id = name_attr(s, NID_organizationIdentifier);
    out->subject_country = name_attr(s, NID_countryName);
    out->subject_serial = name_attr(s, NID_serialNumber);
    out->issuer = name_line(i);
    out->issuer_cn = name_attr(i, NID_commonName);
    out->issuer_o = name_attr(i, NID_organizationName);
    out->serial_hex = serial_hex(x);
    out->not_before = iso_time(X509_get0_notBefore(x), &out->not_before_unix);
    out->not_after = iso_time(X509_get0_notAfter(x), &out->not_after_unix);
    X509_free(x);
    if (!out->not_before || !out->not_after)
        return mc_fail(e, MC_ERR_INVALID, "x5c", "the certificate's validity dates cannot be read");
    char **all[] = {&out->subject, &out->subject_cn, &out->subject_o, &out->subject_org_id,
                    &out->subject_country, &out->subject_serial, &out->issuer, &out->issuer_cn,
                    &out->issuer_o, &out->serial_hex, &out->not_before, &out->not_after};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++)
        if (!*all[k]) return mc_fail(e, MC_ERR_NOMEM, NULL, "out of memory reading the certificate");
    return MC_OK;
}

void mc_x509_info_free(mc_x509_info *info) {
    if (!info) return;
    free(info->subject);
    free(info->subject_cn);
    free(info->subject_o);
    free(info->subject_org_id);
    free(info->subject_country);
    free(info->subject_serial);
    free(info->issuer);
    free(info->issuer_cn);
    free(info->issuer_o);
    free(info->serial_hex);
    free(info->not_before);
    free(info->not_after);
    memset(info, 0, sizeof *info);
}
