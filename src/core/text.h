/* text.h - small text operations on UTF-8 that searching needs. */
#ifndef MC_TEXT_H
#define MC_TEXT_H

#include "buf.h"

/* Append `s` lower-cased to `out`: ASCII and the Latin letters of Latin-1
 * and Latin Extended-A (Ä, Ö, Õ, Ā, Č, Ē, Ģ, Ī, Ķ, Ļ, Ņ, Š, Ū, Ž...), which
 * covers the languages microcred ships in; other characters are copied as
 * they are. Never fails except by mc_buf OOM. */
void mc_utf8_lower(const char *s, mc_buf *out);

#endif
