/* display.h - the European standard elements of any credential microcred
 * reads, in plain words for a person: what a learner, a verifier or a
 * recognition officer sees on a credential's page.
 *
 * Reads microcred's own Open Badges 3.0 and European Digital Credential
 * (ELM v3) output, the European Commission's EDC samples, Open Badges 3.0
 * from other platforms and plain W3C VC 2.0 / 1.1 credentials. The result is
 * data for the web layer, never markup: every text is a plain, sanitised
 * string (control and bidi-override characters removed, at most
 * MC_DISPLAY_TEXT_MAX bytes - MC_DISPLAY_LINE_MAX for one-line texts such as
 * titles, names, labels and dates - with "…" marking a cut) that the caller
 * must still escape for HTML. Elements the credential does not have, or has
 * in a shape that makes no sense, are left out; reading never fails on
 * content.
 *
 * Output: a JSON object with these members, each present only when the
 * credential has it ("text" = string in the reader's language when the
 * credential has it; "date" = the string as written, usually RFC 3339;
 * "url" = an http(s) URL, anything else is dropped; "country" = ISO 3166-1
 * alpha-2 code, upper case, dropped when it cannot be worked out; "concept" =
 * {"label": text, "code": microcred code (optional), "id": http(s) IRI of
 * the concept (optional)},
 * where code is microcred's value for the EU vocabularies in eu_elements.h,
 * e.g. "blended", "unsupervised-no-id", "external", "EQAVET", "course", so
 * the web layer can show its own translation; "org" = {"name": text,
 * "legal_identifier": {"scheme": text, "value": text}, "country": country,
 * "url": url, "email": text}):
 *
 *   format              "Open Badges 3.0" | "European Digital Credential" |
 *                       "Verifiable Credential"                 (always)
 *   language            BCP 47 tag: the language of the title when it is
 *                       tagged, else the one most of the texts were shown in
 *   available_languages [tag...] the credential's own texts are in
 *   id                  text: the credential's id
 *   title, description  text
 *   learner             {"name": text, "identifier_kind": text}; the kind
 *                       lists how the learner is identified, never the value:
 *                       "email hash", "studentId hash", "email", "DID",
 *                       "national ID", "Student ID"... joined with ", "
 *   issuer              {"id": text, "name": text}
 *   awarding_bodies     [org...]
 *   countries           [country...] of the issuer and awarding bodies
 *   issued              date of issuing: awardedDate, issued, issuanceDate
 *                       or the awarding date, else validFrom
 *   place               {"name": text, "country": country}
 *   learning_outcomes   [{"text": text, "esco_skill": url of the first ESCO
 *                       skill, "esco_skills": [{"id": url, "label": text}]}]
 *   criteria            text (Open Badges criteria narrative; only when
 *                       there are no learning_outcomes)
 *   workload            {"amount": number, "unit": "ECTS" | "hours" | other
 *                       system's name, "hours": number (when credit points and
 *                       hours are both given), "duration": ISO 8601 text as
 *                       written}
 *   level               {"framework": "EQF" | "QF-EHEA" | "national",
 *                       "level": 1-8, "cycle": "short"|"first"|"second"|"third",
 *                       "name": the level in words: the national framework's
 *                       label when there is one ("SeQF level 5", "RQF Level
 *                       6"), else the EQF one ("Level 5")}
 *   assessment          {"types": [concept...], "basis": concept (code
 *                       "course" | "prior-learning"), "assessor": text,
 *                       "date": date, "supervision": concept}
 *   participation       [concept...]
 *   quality_assurance   [{"title": text, "type": concept, "framework": concept,
 *                       "body": org, "date": date, "evidence": url}]
 *   creator             org
 *   grade               text (the first non-RawScore Open Badges result, or
 *                       the ELM grade note)
 *   points              number (Open Badges result with a RawScore description)
 *   grading_scheme      text
 *   prerequisites       text
 *   stacking            {"mode": concept (code "stand-alone" | "integrated" |
 *                       "stackable"), "target": {"id": text, "title": text},
 *                       "part": text}
 *   qualification       {"id": text, "title": text, "partial": true}
 *   standards           [{"url": url, "title": text}]
 *   content, learning_resources, further_information   text
 *   duration            ISO 8601 duration text
 *   validity            {"from": date, "until": date}
 *   evidence            [url...]
 *   credits             {"earned": number, "available": number}
 *   specification       {"id": text, "version": text}
 *
 * Lists hold at most MC_DISPLAY_LIST_MAX items. Where the model allows
 * several claims or subjects, the first is read. */
#ifndef MC_DISPLAY_H
#define MC_DISPLAY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

#define MC_DISPLAY_TEXT_MAX 4096          /* bytes of one text, "…" included */
#define MC_DISPLAY_LINE_MAX 512           /* bytes of a one-line text, "…" included */
#define MC_DISPLAY_URL_MAX 2048           /* longer URLs are dropped, not cut */
#define MC_DISPLAY_LIST_MAX 256           /* items of any list read or written */
#define MC_DISPLAY_PAYLOAD_MAX (8u << 20) /* bytes of a JAdES "payload" string */

/* Read the standard elements of `credential` for a reader whose language
 * preference is `accept_language` (HTTP Accept-Language syntax, e.g.
 * "sv, en;q=0.5", or a single tag; NULL = no preference: English, else the
 * credential's first language). `credential` may also be the Commission's
 * signed JAdES file {"payload": "<credential JSON>", "signatures": [...]}:
 * the credential inside is read (the signature is NOT checked here).
 * `credential` is not modified. On success *out is a new JSON object (shape
 * above) the caller decrefs.
 * Errors: MC_ERR_INVALID (`credential` is not a JSON object),
 * MC_ERR_NOMEM. Any content, however odd, gives MC_OK. */
mc_err mc_display_elements(const json_t *credential, const char *accept_language, json_t **out, mc_error *e);

/* Append `s` (`n` bytes, any content) to `out` made fit for display:
 * invalid UTF-8, NUL, C0/C1 control characters (except tab and newline,
 * which become spaces when `oneline`), DEL, U+FEFF and bidi embedding,
 * override and isolate characters (U+202A-202E, U+2066-2069) are removed,
 * CR LF becomes LF, leading and trailing white space is trimmed, and the
 * result is cut at a character boundary to at most `max` bytes (>= 4)
 * ending in "…" when longer. Returns false only when `out` ran out of
 * memory. */
bool mc_display_clean_text(const char *s, size_t n, bool oneline, size_t max, mc_buf *out);

#endif
