/* h_qr.c - QR codes as SVG (libqrencode), for printed certificates: the
 * code carries the link to a share of the credential, so whoever scans the
 * paper sees it verified live, and the learner can revoke the link. */
#include "http.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

void mc_h_qr(mc_req *r) {
    const char *text = mc_req_query(r, "text");
    if (!text || !*text || strlen(text) > 512 || !mc_is_http_url(text)) {
        mc_send_problem(r, 400, MC_ERR_INVALID, "text must be an http(s) URL of at most 512 bytes", NULL);
        return;
    }
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) {
        mc_send_problem(r, 500, MC_ERR_NOMEM, "the QR code could not be made", NULL);
        return;
    }
    const int quiet = 4, w = q->width + 2 * quiet;
    mc_buf b = MC_BUF_INIT;
    mc_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                      "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
                      "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                  w, w, w, w);
    for (int y = 0; y < q->width; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1) mc_buf_printf(&b, "M%d %dh1v1h-1z", x + quiet, y + quiet);
    mc_buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    mc_add_header(r, "Cache-Control", "public, max-age=86400");
    mc_send_text(r, 200, "image/svg+xml", mc_buf_str(&b), b.len);
    mc_buf_free(&b);
}
