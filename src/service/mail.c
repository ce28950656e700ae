/* mail.c - outgoing e-mail. The default sender writes each message as an
 * RFC 5322 file (<uuid>.eml) into the outbox directory, written to a
 * temporary name and renamed so a reader never sees half a message; an
 * operator's mail system (or the tests) picks them up from there. */
#include "service.h"
#include "service_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"

mc_err mc_mail_send(struct mc_app *app, const char *to, const char *subject, const char *fmt, ...) {
    char id[37], date[32], tmp[700], final[700];
    mc_store_new_id(id);
    mc_store_now(date);
    mc_buf m = MC_BUF_INIT;
    mc_buf_printf(&m, "From: microcred <no-reply@%s>\r\nTo: <%s>\r\nSubject: %s\r\nDate: %s\r\n"
                      "Message-ID: <%s@microcred>\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\n\r\n",
                  "microcred.invalid", to, subject, date, id);
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n > 0 && mc_buf_reserve(&m, (size_t)n)) {
        vsnprintf(m.data + m.len, (size_t)n + 1, fmt, ap2);
        m.len += (size_t)n;
    }
    va_end(ap2);
    va_end(ap);
    mc_make_dirs(app->outbox_dir, 0700);
    snprintf(tmp, sizeof tmp, "%s/.%s.tmp", app->outbox_dir, id);
    snprintf(final, sizeof final, "%s/%s.eml", app->outbox_dir, id);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    /* No fsync: a mail lost in a crash can be sent again from the award's
     * page, and syncing every message halved the speed of batch issuing. */
    bool ok = fd >= 0 && mc_buf_ok(&m) && write(fd, m.data, m.len) == (ssize_t)m.len;
    if (fd >= 0) close(fd);
    ok = ok && rename(tmp, final) == 0;
    mc_buf_free(&m);
    if (!ok) {
        unlink(tmp);
        fprintf(stderr, "{\"level\":\"error\",\"msg\":\"cannot write to the outbox\",\"errno\":%d}\n", errno);
        return MC_ERR_IO;
    }
    return MC_OK;
}
