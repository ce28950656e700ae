/* jades.h - verify JAdES (ETSI TS 119 182-1) e-seals on European Digital
 * Credentials.
 *
 * What the European Commission's EDC signer produces (found by studying
 * testdata/edc/sample-certificate-of-participation-signed.jsonld and checking
 * the signature until it verified): the signed credential file is a JWS in
 * General JSON Serialization,
 *   {"payload": "<the credential JSON as a string>",
 *    "signatures": [{"protected": "<b64url header>", "header": {"etsiU":[...]},
 *                    "signature": "<b64url>"}]}
 * whose protected header is
 *   {"alg":"RS256","cty":"octet-stream","kid":"<b64 IssuerSerial>",
 *    "x5t#S256":"...","x5c":["<seal certificate>"],"typ":"jose+json",
 *    "b64":false,"sigT":"2023-09-27T12:07:01Z","adoTst":{...},
 *    "crit":["b64","sigT","adoTst"]}.
 * With "b64":false (RFC 7797) the payload is not base64url-encoded, so the
 * bytes signed are exactly
 *   ASCII(protected member as it appears) || '.' || payload string's bytes,
 * where "payload string's bytes" is the UTF-8 of the JSON string value of
 * "payload" after JSON unescaping - the credential text exactly as the signer
 * serialized it. There is no canonicalization: re-serializing the credential
 * (other member order or spacing) breaks the signature, so verification must
 * use the payload string, never a re-encoding of the parsed credential.
 * The certificate is an RSA-2048 qualified e-seal certificate (subject
 * O=ORGANIZACION TEST, organizationIdentifier=VATES-A00000000, C=ES) with no
 * chain in x5c; "adoTst" and "etsiU"/"sigTst" carry RFC 3161 time-stamp
 * tokens, which are reported as present but NOT verified here.
 *
 * Trust: the caller passes the trusted certificates (e.g. from the EU trusted
 * lists) as DER. Trust anchors may be intermediate CAs or the seal
 * certificate itself (partial chains are accepted). The report says in plain
 * words whether the chain was validated. */
#ifndef MC_JADES_H
#define MC_JADES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "x509_info.h"

/* Inputs (the whole signed file) longer than this are refused by default. */
#define MC_JADES_MAX_DEFAULT ((size_t)8 * 1024 * 1024)

/* A DER certificate, borrowed. */
typedef struct mc_der_cert {
    const unsigned char *der;
    size_t len;
} mc_der_cert;

typedef enum mc_jades_chain {
    MC_JADES_CHAIN_NO_TRUST_LIST = 0, /* nothing to validate against */
    MC_JADES_CHAIN_VALIDATED,         /* reaches a certificate of the trust list */
    MC_JADES_CHAIN_UNTRUSTED,         /* does not (or is expired/not yet valid) */
} mc_jades_chain;

typedef struct mc_jades_report {
    bool signature_valid;     /* the seal's signature over the payload checks out */
    const char *alg;          /* "RS256"... (static), NULL if unknown */
    char *signing_time;       /* sigT as written, NULL when absent (claimed by the
                                 signer and covered by the signature) */
    bool has_timestamp;       /* an adoTst/sigTst time-stamp token is present
                                 (not verified) */
    size_t chain_len;         /* certificates in x5c */
    mc_x509_info signer;      /* the e-seal certificate's subject, issuer, dates */
    int64_t checked_at;       /* time (unix) used for validity and chain checks */
    bool cert_valid_at_check; /* checked_at is within notBefore..notAfter */
    mc_jades_chain chain;
    const char *chain_status; /* one plain sentence (static), see mc_jades_chain_text */
    char *chain_detail;       /* OpenSSL's reason when UNTRUSTED, else NULL */
    json_t *payload;          /* the signed credential parsed (new reference), or
                                 NULL when the payload is not a JSON object */
} mc_jades_report;

/* "validated against trust list" / "NOT validated: no trust list configured" /
 * "NOT validated: chain does not reach a trusted certificate". Never NULL. */
const char *mc_jades_chain_text(mc_jades_chain c);

/* Verify a JAdES JWS given as a parsed JSON object (General serialization
 * with "signatures" of exactly one entry, or Flattened with "protected" and
 * "signature" at the top). `detached`/`detached_len` supply the payload when
 * the JWS has none ("payload" absent); otherwise pass NULL, 0.
 * `trust`/`n_trust`: trusted certificates; n_trust 0 means no trust list.
 * `at_time`: unix time for certificate validity and chain checks; 0 means
 * "the signing time sigT" (falling back to now is the caller's decision: pass
 * it explicitly).
 * Always initialises `out` (free with mc_jades_report_free, also on error).
 * Returns MC_OK when the signature is valid (then read out->chain for trust),
 * MC_ERR_CRYPTO when it is not (out says what was found), MC_ERR_INVALID for a
 * malformed JWS or certificate, MC_ERR_UNSUPPORTED for algorithms, "crit"
 * members or shapes not handled (sigD detached references, several
 * signatures), MC_ERR_NOMEM. */
mc_err mc_jades_verify_json(const json_t *jws, const unsigned char *detached,
                            size_t detached_len, const mc_der_cert *trust, size_t n_trust,
                            int64_t at_time, mc_jades_report *out, mc_error *e);

/* As mc_jades_verify_json on raw bytes: a JSON document (refused when larger
 * than `max_len`, 0 meaning MC_JADES_MAX_DEFAULT, or when it has duplicate
 * members) or a compact JWS "h.p.s" (compact b64:false needs `detached`). */
mc_err mc_jades_verify(const char *data, size_t n, size_t max_len,
                       const unsigned char *detached, size_t detached_len,
                       const mc_der_cert *trust, size_t n_trust, int64_t at_time,
                       mc_jades_report *out, mc_error *e);

void mc_jades_report_free(mc_jades_report *r);

#endif
