/* test_store.c - the store/ suite: one program, the same tests on SQLite and
 * on PostgreSQL.
 *
 * The backend comes from the environment: MC_TEST_DB=sqlite runs against a
 * fresh SQLite file in a private mkdtemp directory; otherwise MC_TEST_PG must
 * hold a PostgreSQL URL (scripts/with-postgres starts a throw-away server and
 * sets it). Every test starts from an empty, freshly migrated schema
 * (mc_store_reset_for_tests, then mc_store_migrate).
 *
 * Tampering with the audit log and planting over-long values are done
 * through a connection the test opens itself with sqlite3 / libpq, never
 * through the store: that is what an attacker or a foreign tool would do.
 * Worker threads never call cmocka asserts (they longjmp); they record what
 * went wrong and the main thread checks it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/uuid.h"
#include "store/store.h"
#include "store/store_testing.h"

/* ---- backend selection and fixtures ---- */

static bool g_pg;            /* true: PostgreSQL, false: SQLite */
static char g_dir[64];       /* SQLite: the mkdtemp directory */
static char g_path[128];     /* SQLite: the database file */
static char g_url[1024];     /* what mc_store_open gets */

#define CHECK(call)                                                                      \
    do {                                                                                 \
        mc_err r_ = (call);                                                              \
        if (r_ != MC_OK)                                                                 \
            fail_msg("%s -> %s: %s (field \"%s\")", #call, mc_err_name(r_), e.msg,        \
                     e.field);                                                           \
    } while (0)

#define EXPECT(code, call)                                                               \
    do {                                                                                 \
        mc_error_clear(&e);                                                              \
        mc_err r_ = (call);                                                              \
        if (r_ != (code))                                                                \
            fail_msg("%s -> %s (wanted %s): %s", #call, mc_err_name(r_),                  \
                     mc_err_name(code), e.msg);                                          \
    } while (0)

static int group_setup(void **state) {
    (void)state;
    const char *which = getenv("MC_TEST_DB");
    if (which && strcmp(which, "sqlite") == 0) {
        g_pg = false;
        snprintf(g_dir, sizeof g_dir, "/tmp/mc-test-store.XXXXXX");
        if (!mkdtemp(g_dir)) { perror("mkdtemp"); return -1; }
        snprintf(g_path, sizeof g_path, "%s/t.db", g_dir);
        snprintf(g_url, sizeof g_url, "sqlite:%s", g_path);
    } else {
        const char *pg = getenv("MC_TEST_PG");
        if (!pg || !*pg) {
            fprintf(stderr, "test_store: set MC_TEST_DB=sqlite, or run under "
                            "scripts/with-postgres (which sets MC_TEST_PG)\n");
            return -1;
        }
        if (strlen(pg) >= sizeof g_url) { fprintf(stderr, "MC_TEST_PG too long\n"); return -1; }
        g_pg = true;
        snprintf(g_url, sizeof g_url, "%s", pg);
    }
    printf("test_store: backend %s\n", g_pg ? "postgres" : "sqlite");
    return 0;
}

static int group_teardown(void **state) {
    (void)state;
    if (!g_pg && g_dir[0]) {
        static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < 4; i++) {
            char p[160];
            snprintf(p, sizeof p, "%s%s", g_path, suffix[i]);
            unlink(p);
        }
        rmdir(g_dir);
    }
    return 0;
}

/* Open a store on the test database; NULL (after printing why) on failure. */
static mc_store *open_store(int pool) {
    mc_store *st = NULL;
    mc_error e;
    mc_error_clear(&e);
    if (mc_store_open(g_url, pool, &st, &e) != MC_OK)
        fprintf(stderr, "open %s: %s\n", g_url, e.msg);
    return st;
}

/* Per test: a pool of 4 on an empty schema, migrated to the latest version. */
static int test_setup(void **state) {
    mc_store *st = open_store(4);
    if (!st) return -1;
    mc_error e;
    mc_error_clear(&e);
    if (mc_store_reset_for_tests(st, &e) || mc_store_migrate(st, NULL, &e)) {
        fprintf(stderr, "reset/migrate: %s\n", e.msg);
        mc_store_close(st);
        return -1;
    }
    *state = st;
    return 0;
}

static int test_teardown(void **state) {
    mc_store_close(*state);
    return 0;
}

/* Same, but without migrating (for the migration tests). */
static int test_setup_empty(void **state) {
    mc_store *st = open_store(4);
    if (!st) return -1;
    mc_error e;
    mc_error_clear(&e);
    if (mc_store_reset_for_tests(st, &e)) {
        fprintf(stderr, "reset: %s\n", e.msg);
        mc_store_close(st);
        return -1;
    }
    *state = st;
    return 0;
}

/* ---- raw access, bypassing the store ---- */

/* Run one statement on a connection of our own; fails the test on error. */
static void raw_exec(const char *sql) {
    if (g_pg) {
        PGconn *c = PQconnectdb(g_url);
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        PGresult *r = PQexec(c, sql);
        ExecStatusType s = PQresultStatus(r);
        if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            fprintf(stderr, "raw_exec %s: %s\n", sql, PQresultErrorMessage(r));
            PQclear(r);
            PQfinish(c);
            fail();
        }
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *h = NULL;
        assert_int_equal(sqlite3_open(g_path, &h), SQLITE_OK);
        sqlite3_busy_timeout(h, 10000);
        char *msg = NULL;
        int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            fprintf(stderr, "raw_exec %s: %s\n", sql, msg ? msg : "?");
            sqlite3_free(msg);
            sqlite3_close(h);
            fail();
        }
        sqlite3_close(h);
    }
}

/* First column of the first row of `sql` as a number. */
static long raw_count(const char *sql) {
    long n = -1;
    if (g_pg) {
        PGconn *c = PQconnectdb(g_url);
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        PGresult *r = PQexec(c, sql);
        if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
            n = strtol(PQgetvalue(r, 0, 0), NULL, 10);
        else
            fprintf(stderr, "raw_count %s: %s\n", sql, PQresultErrorMessage(r));
        PQclear(r);
        PQfinish(c);
    } else {
        sqlite3 *h = NULL;
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_open(g_path, &h), SQLITE_OK);
        sqlite3_busy_timeout(h, 10000);
        if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
        else
            fprintf(stderr, "raw_count %s: %s\n", sql, sqlite3_errmsg(h));
        sqlite3_finalize(s);
        sqlite3_close(h);
    }
    assert_true(n >= 0);
    return n;
}

/* ---- entity builders ---- */

static void make_user(mc_user *u, const char *email, const char *name) {
    memset(u, 0, sizeof *u);
    mc_store_new_id(u->id);
    snprintf(u->email, sizeof u->email, "%s", email);
    snprintf(u->name, sizeof u->name, "%s", name);
    snprintf(u->password_hash, sizeof u->password_hash,
             "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
    mc_store_now(u->created_at);
}

static void make_org(mc_org *o, const char *slug, const char *status) {
    memset(o, 0, sizeof *o);
    mc_store_new_id(o->id);
    snprintf(o->slug, sizeof o->slug, "%s", slug);
    snprintf(o->legal_name, sizeof o->legal_name, "Legal name of %s", slug);
    snprintf(o->legal_id_scheme, sizeof o->legal_id_scheme, "EU-VAT");
    snprintf(o->legal_id, sizeof o->legal_id, "SE556677889901");
    snprintf(o->country, sizeof o->country, "SE");
    snprintf(o->address, sizeof o->address, "Storgatan 1, 111 22 Stockholm");
    snprintf(o->website, sizeof o->website, "https://%s.example.org/", slug);
    snprintf(o->contact_email, sizeof o->contact_email, "info@%s.example.org", slug);
    snprintf(o->status, sizeof o->status, "%s", status);
    mc_store_now(o->created_at);
    memcpy(o->updated_at, o->created_at, sizeof o->updated_at);
}

static mc_tx *begin(mc_store *st, int mode) {
    mc_tx *tx = NULL;
    mc_error e;
    mc_error_clear(&e);
    CHECK(mc_store_begin(st, mode, &tx, &e));
    return tx;
}

static void commit(mc_tx *tx) {
    mc_error e;
    mc_error_clear(&e);
    CHECK(mc_store_commit(tx, &e));
}

/* Insert a user and an organisation in one committed transaction. */
static void seed_user_org(mc_store *st, mc_user *u, mc_org *o) {
    mc_error e;
    mc_tx *tx = begin(st, MC_TX_WRITE);
    if (u) CHECK(mc_store_user_insert(tx, u, &e));
    if (o) CHECK(mc_store_org_insert(tx, o, &e));
    commit(tx);
}

/* ---- open ---- */

static void test_open_bad_urls(void **state) {
    (void)state;
    mc_store *st = (mc_store *)0x1;
    mc_error e;

    static const char *const malformed[] = {"", "sqlite:", "mysql://localhost/x",
                                            "SQLITE:/tmp/x.db", "/tmp/x.db", "postgres:/x"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++) {
        EXPECT(MC_ERR_INVALID, mc_store_open(malformed[i], 2, &st, &e));
        assert_null(st);
        assert_string_equal(e.field, "db");
        assert_non_null(strstr(e.msg, "sqlite:PATH or postgres://"));
    }
    EXPECT(MC_ERR_INVALID, mc_store_open(NULL, 2, &st, &e));
    assert_null(st);
    assert_string_equal(e.field, "db");

    EXPECT(MC_ERR_INVALID, mc_store_open(g_url, 0, &st, &e));
    assert_null(st);
    assert_string_equal(e.field, "pool");
    EXPECT(MC_ERR_INVALID, mc_store_open(g_url, 65, &st, &e));
    assert_string_equal(e.field, "pool");

    /* A directory that does not exist: named in the message. */
    EXPECT(MC_ERR_DB, mc_store_open("sqlite:/nonexistent-mc-dir/sub/t.db", 2, &st, &e));
    assert_null(st);
    assert_string_equal(e.field, "db");
    assert_non_null(strstr(e.msg, "/nonexistent-mc-dir/sub/t.db"));

    /* No server behind this socket directory. */
    EXPECT(MC_ERR_DB, mc_store_open("postgres://nobody@/nodb?host=/nonexistent-mc-dir&port=1", 2,
                                    &st, &e));
    assert_null(st);
    assert_string_equal(e.field, "db");
    assert_non_null(strstr(e.msg, "cannot connect to PostgreSQL"));
    assert_null(strchr(e.msg, '\n'));

    /* A huge URL is cut to fit the message, never overflows it. */
    size_t big = 20000;
    char *url = malloc(big + 1);
    assert_non_null(url);
    memset(url, 'x', big);
    url[big] = '\0';
    EXPECT(MC_ERR_INVALID, mc_store_open(url, 2, &st, &e));
    assert_true(strlen(e.msg) < sizeof e.msg);
    memcpy(url, "sqlite:/nonexistent-mc-dir/", 27);
    EXPECT(MC_ERR_DB, mc_store_open(url, 2, &st, &e));
    assert_true(strlen(e.msg) < sizeof e.msg);
    free(url);

    if (g_pg) {
        /* Right server, database that does not exist. */
        mc_buf u = MC_BUF_INIT;
        const char *q = strstr(g_url, "microcred_test");
        assert_non_null(q);
        mc_buf_append(&u, g_url, (size_t)(q - g_url));
        mc_buf_puts(&u, "no_such_db");
        mc_buf_puts(&u, q + strlen("microcred_test"));
        EXPECT(MC_ERR_DB, mc_store_open(mc_buf_str(&u), 1, &st, &e));
        assert_null(st);
        assert_non_null(strstr(e.msg, "no_such_db"));
        mc_buf_free(&u);
    }

    /* And the real one opens, pings and names its backend. */
    mc_error_clear(&e);
    CHECK(mc_store_open(g_url, 3, &st, &e));
    assert_string_equal(mc_store_backend(st), g_pg ? "postgres" : "sqlite");
    CHECK(mc_store_ping(st, &e));
    assert_int_equal(mc_store_error_count(st), 0);
    mc_store_close(st);
    mc_store_close(NULL);
}

/* ---- migrations ---- */

static void test_migrate_from_empty(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    int v = -1;
    CHECK(mc_store_schema_version(st, &v, &e));
    assert_int_equal(v, 0);
    assert_true(mc_store_schema_latest() >= 1);

    /* Before migrating, entity calls fail as database errors and are counted. */
    uint64_t errors = mc_store_error_count(st);
    mc_tx *tx = begin(st, MC_TX_READ);
    long n;
    EXPECT(MC_ERR_DB, mc_store_user_count(tx, &n, &e));
    assert_true(strlen(e.msg) > 0);
    mc_store_rollback(tx);
    assert_int_equal(mc_store_error_count(st), errors + 1);

    v = -1;
    CHECK(mc_store_migrate(st, &v, &e));
    assert_int_equal(v, mc_store_schema_latest());
    v = -1;
    CHECK(mc_store_schema_version(st, &v, &e));
    assert_int_equal(v, mc_store_schema_latest());
    assert_int_equal(raw_count("SELECT COUNT(*) FROM schema_version"), mc_store_schema_latest());
    assert_int_equal(raw_count("SELECT MAX(version) FROM schema_version"),
                     mc_store_schema_latest());

    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_user_count(tx, &n, &e));
    assert_int_equal(n, 0);
    commit(tx);
}

static void test_migrate_twice_is_noop(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    int v1 = -1, v2 = -1;
    CHECK(mc_store_migrate(st, &v1, &e));
    mc_user u;
    make_user(&u, "keep@example.org", "Kept Across Migrations");
    seed_user_org(st, &u, NULL);
    CHECK(mc_store_migrate(st, &v2, &e));
    CHECK(mc_store_migrate(st, NULL, &e));
    assert_int_equal(v1, mc_store_schema_latest());
    assert_int_equal(v2, v1);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM schema_version"), mc_store_schema_latest());
    /* data survives */
    mc_tx *tx = begin(st, MC_TX_READ);
    mc_user got;
    CHECK(mc_store_user_get(tx, u.id, &got, &e));
    commit(tx);

    /* A database from a newer binary is refused, not downgraded. */
    mc_buf sql = MC_BUF_INIT;
    mc_buf_printf(&sql, "INSERT INTO schema_version (version, applied_at) VALUES (%d, 'x')",
                  mc_store_schema_latest() + 1);
    raw_exec(mc_buf_str(&sql));
    mc_buf_free(&sql);
    EXPECT(MC_ERR_UNSUPPORTED, mc_store_migrate(st, &v1, &e));
    assert_string_equal(e.field, "db");
    assert_non_null(strstr(e.msg, "newer"));
}

struct migrator {
    pthread_barrier_t *go;
    mc_err err;
    int version;
    char msg[400];
};

static void *migrator_run(void *arg) {
    struct migrator *m = arg;
    mc_error e;
    mc_error_clear(&e);
    mc_store *st = NULL;
    m->version = -1;
    m->err = mc_store_open(g_url, 2, &st, &e);
    pthread_barrier_wait(m->go);
    if (!m->err) m->err = mc_store_migrate(st, &m->version, &e);
    snprintf(m->msg, sizeof m->msg, "%s", e.msg);
    mc_store_close(st);
    return NULL;
}

static void test_migrate_concurrent(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    for (int round = 0; round < 5; round++) {
        CHECK(mc_store_reset_for_tests(st, &e));
        pthread_barrier_t go;
        pthread_barrier_init(&go, NULL, 2);
        struct migrator m[2] = {{.go = &go}, {.go = &go}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&t[i], NULL, migrator_run, &m[i]), 0);
        for (int i = 0; i < 2; i++) pthread_join(t[i], NULL);
        pthread_barrier_destroy(&go);
        for (int i = 0; i < 2; i++) {
            if (m[i].err) fail_msg("migrator %d: %s: %s", i, mc_err_name(m[i].err), m[i].msg);
            assert_int_equal(m[i].version, mc_store_schema_latest());
        }
        assert_int_equal(raw_count("SELECT COUNT(*) FROM schema_version"),
                         mc_store_schema_latest());
    }
    int v = -1;
    CHECK(mc_store_schema_version(st, &v, &e));
    assert_int_equal(v, mc_store_schema_latest());
}

/* ---- users ---- */

static void test_users(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user a, b, got;
    make_user(&a, "anna@example.org", "Anna Andersson");
    make_user(&b, "bert@example.org", "Bert Berg");
    b.is_platform_admin = true;

    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_insert(tx, &a, &e));
    CHECK(mc_store_user_insert(tx, &b, &e));
    commit(tx);

    tx = begin(st, MC_TX_READ);
    memset(&got, 0x5a, sizeof got);
    CHECK(mc_store_user_get(tx, a.id, &got, &e));
    assert_string_equal(got.id, a.id);
    assert_string_equal(got.email, "anna@example.org");
    assert_string_equal(got.name, "Anna Andersson");
    assert_string_equal(got.password_hash, a.password_hash);
    assert_string_equal(got.created_at, a.created_at);
    assert_false(got.is_platform_admin);
    CHECK(mc_store_user_by_email(tx, "bert@example.org", &got, &e));
    assert_string_equal(got.id, b.id);
    assert_true(got.is_platform_admin);
    long n = 0;
    CHECK(mc_store_user_count(tx, &n, &e));
    assert_int_equal(n, 2);

    char missing[37];
    mc_store_new_id(missing);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_get(tx, missing, &got, &e));
    assert_string_equal(e.msg, "user not found");
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_by_email(tx, "nobody@example.org", &got, &e));
    /* stored lower-cased by the service: lookups are exact */
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_by_email(tx, "ANNA@example.org", &got, &e));
    commit(tx);

    /* Same e-mail again: a conflict naming the field. */
    mc_user dup;
    make_user(&dup, "anna@example.org", "Another Anna");
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_user_insert(tx, &dup, &e));
    assert_string_equal(e.field, "email");
    assert_true(strlen(e.msg) > 0);
    mc_store_rollback(tx);

    /* Admin flag both ways, and on a missing user. */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_set_admin(tx, a.id, true, &e));
    CHECK(mc_store_user_set_admin(tx, b.id, false, &e));
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_set_admin(tx, missing, true, &e));
    mc_store_rollback(tx);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_set_admin(tx, a.id, true, &e));
    CHECK(mc_store_user_set_admin(tx, b.id, false, &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_user_get(tx, a.id, &got, &e));
    assert_true(got.is_platform_admin);
    CHECK(mc_store_user_get(tx, b.id, &got, &e));
    assert_false(got.is_platform_admin);
    CHECK(mc_store_user_count(tx, &n, &e));
    assert_int_equal(n, 2);
    commit(tx);
}

/* ---- organisations ---- */

static void test_orgs(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    /* inserted out of order; listing sorts by slug */
    static const char *const slugs[] = {"uni-tartu", "kth", "lu", "rtu", "aalto", "ku"};
    static const char *const status[] = {"approved", "approved", "pending", "approved",
                                         "suspended", "approved"};
    mc_org o[6];
    mc_tx *tx = begin(st, MC_TX_WRITE);
    for (int i = 0; i < 6; i++) {
        make_org(&o[i], slugs[i], status[i]);
        CHECK(mc_store_org_insert(tx, &o[i], &e));
    }
    commit(tx);

    mc_org got;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_org_by_slug(tx, "kth", &got, &e));
    assert_string_equal(got.id, o[1].id);
    assert_string_equal(got.legal_name, "Legal name of kth");
    assert_string_equal(got.legal_id_scheme, "EU-VAT");
    assert_string_equal(got.legal_id, "SE556677889901");
    assert_string_equal(got.country, "SE");
    assert_string_equal(got.address, o[1].address);
    assert_string_equal(got.website, "https://kth.example.org/");
    assert_string_equal(got.contact_email, "info@kth.example.org");
    assert_string_equal(got.status, "approved");
    assert_string_equal(got.created_at, o[1].created_at);
    assert_string_equal(got.updated_at, o[1].updated_at);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_org_by_slug(tx, "nope", &got, &e));
    assert_string_equal(e.msg, "organisation not found");

    mc_org *items = NULL;
    size_t n = 99;
    CHECK(mc_store_org_list(tx, false, 100, 0, &items, &n, &e));
    assert_int_equal(n, 6);
    static const char *const sorted[] = {"aalto", "kth", "ku", "lu", "rtu", "uni-tartu"};
    for (size_t i = 0; i < n; i++) assert_string_equal(items[i].slug, sorted[i]);
    free(items);

    CHECK(mc_store_org_list(tx, true, 100, 0, &items, &n, &e));
    assert_int_equal(n, 4);
    static const char *const approved[] = {"kth", "ku", "rtu", "uni-tartu"};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(items[i].slug, approved[i]);
        assert_string_equal(items[i].status, "approved");
    }
    free(items);

    /* pages of two */
    CHECK(mc_store_org_list(tx, false, 2, 2, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_string_equal(items[0].slug, "ku");
    assert_string_equal(items[1].slug, "lu");
    free(items);
    CHECK(mc_store_org_list(tx, true, 2, 3, &items, &n, &e));
    assert_int_equal(n, 1);
    assert_string_equal(items[0].slug, "uni-tartu");
    free(items);
    CHECK(mc_store_org_list(tx, false, 10, 6, &items, &n, &e));
    assert_int_equal(n, 0);
    assert_non_null(items); /* always an array the caller frees */
    free(items);
    CHECK(mc_store_org_list(tx, false, 0, 0, &items, &n, &e));
    assert_int_equal(n, 0);
    free(items);
    commit(tx);

    /* update */
    mc_org upd = o[2];
    snprintf(upd.legal_name, sizeof upd.legal_name, "Lunds universitet");
    snprintf(upd.status, sizeof upd.status, "approved");
    snprintf(upd.updated_at, sizeof upd.updated_at, "2030-01-02T03:04:05.678Z");
    snprintf(upd.slug, sizeof upd.slug, "ignored-slug"); /* slug is not updatable */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_org_update(tx, &upd, &e));
    mc_org ghost;
    make_org(&ghost, "ghost", "pending");
    EXPECT(MC_ERR_NOT_FOUND, mc_store_org_update(tx, &ghost, &e));
    mc_store_rollback(tx);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_org_update(tx, &upd, &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_org_by_slug(tx, "lu", &got, &e));
    assert_string_equal(got.legal_name, "Lunds universitet");
    assert_string_equal(got.status, "approved");
    assert_string_equal(got.updated_at, "2030-01-02T03:04:05.678Z");
    assert_string_equal(got.created_at, o[2].created_at);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_org_by_slug(tx, "ignored-slug", &got, &e));
    CHECK(mc_store_org_list(tx, true, 100, 0, &items, &n, &e));
    assert_int_equal(n, 5);
    free(items);
    commit(tx);

    /* duplicate slug */
    mc_org dup;
    make_org(&dup, "kth", "pending");
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_org_insert(tx, &dup, &e));
    assert_string_equal(e.field, "slug");
    mc_store_rollback(tx);
}

/* ---- quality assurance records ---- */

static void make_qa(mc_qa_record *q, const char *org_id, const char *date, const char *fw) {
    memset(q, 0, sizeof *q);
    mc_store_new_id(q->id);
    snprintf(q->org_id, sizeof q->org_id, "%s", org_id);
    snprintf(q->qa_type, sizeof q->qa_type, "external");
    snprintf(q->framework, sizeof q->framework, "%s", fw);
    snprintf(q->body, sizeof q->body, "ENQA member agency");
    snprintf(q->date, sizeof q->date, "%s", date);
    snprintf(q->evidence_url, sizeof q->evidence_url, "https://eqar.eu/r/%s", date);
}

static void test_qa_records(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_org a, b;
    make_org(&a, "org-a", "approved");
    make_org(&b, "org-b", "approved");
    seed_user_org(st, NULL, &a);
    seed_user_org(st, NULL, &b);

    mc_qa_record q[4];
    make_qa(&q[0], a.id, "2021-05-01", "ESG 2015");
    make_qa(&q[1], a.id, "2024-09-30", "ISO 21001");
    make_qa(&q[2], a.id, "2019-01-15", "ESG 2015 part 1");
    make_qa(&q[3], b.id, "2023-03-03", "ESG 2015");
    snprintf(q[2].qa_type, sizeof q[2].qa_type, "internal");
    mc_tx *tx = begin(st, MC_TX_WRITE);
    for (int i = 0; i < 4; i++) CHECK(mc_store_qa_insert(tx, &q[i], &e));
    commit(tx);

    /* a record for an organisation that does not exist */
    mc_qa_record orphan;
    char nobody[37];
    mc_store_new_id(nobody);
    make_qa(&orphan, nobody, "2020-01-01", "x");
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_qa_insert(tx, &orphan, &e));
    mc_store_rollback(tx);

    mc_qa_record *items;
    size_t n;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_qa_list(tx, a.id, &items, &n, &e));
    assert_int_equal(n, 3);
    /* newest first */
    assert_string_equal(items[0].id, q[1].id);
    assert_string_equal(items[1].id, q[0].id);
    assert_string_equal(items[2].id, q[2].id);
    assert_string_equal(items[2].qa_type, "internal");
    assert_string_equal(items[2].framework, "ESG 2015 part 1");
    assert_string_equal(items[2].body, "ENQA member agency");
    assert_string_equal(items[2].date, "2019-01-15");
    assert_string_equal(items[2].evidence_url, "https://eqar.eu/r/2019-01-15");
    assert_string_equal(items[2].org_id, a.id);
    free(items);
    CHECK(mc_store_qa_list(tx, nobody, &items, &n, &e));
    assert_int_equal(n, 0);
    free(items);
    commit(tx);

    /* deleting org A's record through org B is refused and changes nothing */
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_qa_delete(tx, b.id, q[0].id, &e));
    assert_non_null(strstr(e.msg, "not found"));
    CHECK(mc_store_qa_delete(tx, a.id, q[1].id, &e));
    EXPECT(MC_ERR_NOT_FOUND, mc_store_qa_delete(tx, a.id, q[1].id, &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_qa_list(tx, a.id, &items, &n, &e));
    assert_int_equal(n, 2);
    assert_string_equal(items[0].id, q[0].id);
    assert_string_equal(items[1].id, q[2].id);
    free(items);
    CHECK(mc_store_qa_list(tx, b.id, &items, &n, &e));
    assert_int_equal(n, 1);
    free(items);
    commit(tx);
}

/* ---- memberships ---- */

static void test_memberships(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user u1, u2;
    mc_org o1, o2;
    make_user(&u1, "ieva@example.lv", "Ieva Ozola");
    make_user(&u2, "mart@example.ee", "Mart Tamm");
    make_org(&o1, "rtu", "approved");
    make_org(&o2, "taltech", "pending");
    snprintf(o1.legal_name, sizeof o1.legal_name, "Riga Technical University");
    seed_user_org(st, &u1, &o1);
    seed_user_org(st, &u2, &o2);

    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_member_add(tx, u1.id, o1.id, "org-admin", &e));
    CHECK(mc_store_member_add(tx, u1.id, o1.id, "issuer", &e));
    CHECK(mc_store_member_add(tx, u1.id, o2.id, "assessor", &e));
    CHECK(mc_store_member_add(tx, u2.id, o1.id, "issuer", &e));
    commit(tx);

    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_member_add(tx, u1.id, o1.id, "issuer", &e));
    assert_string_equal(e.field, "role");
    mc_store_rollback(tx);
    char ghost[37];
    mc_store_new_id(ghost);
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_member_add(tx, ghost, o1.id, "issuer", &e));
    mc_store_rollback(tx);

    mc_membership *m;
    size_t n;
    long cnt;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_member_list_by_user(tx, u1.id, &m, &n, &e));
    assert_int_equal(n, 3);
    /* ordered by organisation slug, then role */
    assert_string_equal(m[0].org_slug, "rtu");
    assert_string_equal(m[0].role, "issuer");
    assert_string_equal(m[1].org_slug, "rtu");
    assert_string_equal(m[1].role, "org-admin");
    assert_string_equal(m[2].org_slug, "taltech");
    assert_string_equal(m[2].role, "assessor");
    assert_string_equal(m[0].org_legal_name, "Riga Technical University");
    assert_string_equal(m[0].org_status, "approved");
    assert_string_equal(m[2].org_status, "pending");
    assert_string_equal(m[0].user_email, "ieva@example.lv");
    assert_string_equal(m[0].user_name, "Ieva Ozola");
    assert_string_equal(m[0].user_id, u1.id);
    assert_string_equal(m[0].org_id, o1.id);
    free(m);

    CHECK(mc_store_member_list_by_org(tx, o1.id, &m, &n, &e));
    assert_int_equal(n, 3);
    /* ordered by e-mail, then role */
    assert_string_equal(m[0].user_email, "ieva@example.lv");
    assert_string_equal(m[0].role, "issuer");
    assert_string_equal(m[1].user_email, "ieva@example.lv");
    assert_string_equal(m[1].role, "org-admin");
    assert_string_equal(m[2].user_email, "mart@example.ee");
    assert_string_equal(m[2].user_name, "Mart Tamm");
    assert_string_equal(m[2].org_slug, "rtu");
    free(m);
    CHECK(mc_store_member_count_role(tx, o1.id, "issuer", &cnt, &e));
    assert_int_equal(cnt, 2);
    CHECK(mc_store_member_count_role(tx, o1.id, "org-admin", &cnt, &e));
    assert_int_equal(cnt, 1);
    CHECK(mc_store_member_count_role(tx, o2.id, "issuer", &cnt, &e));
    assert_int_equal(cnt, 0);
    commit(tx);

    /* remove one role: the others stay */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_member_remove(tx, u1.id, o1.id, "issuer", &e));
    EXPECT(MC_ERR_NOT_FOUND, mc_store_member_remove(tx, u1.id, o1.id, "issuer", &e));
    assert_string_equal(e.msg, "membership not found");
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_member_list_by_user(tx, u1.id, &m, &n, &e));
    assert_int_equal(n, 2);
    assert_string_equal(m[0].role, "org-admin");
    assert_string_equal(m[1].role, "assessor");
    free(m);
    commit(tx);

    /* remove all of u1's roles in o1 */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_member_add(tx, u1.id, o1.id, "issuer", &e));
    CHECK(mc_store_member_remove(tx, u1.id, o1.id, NULL, &e));
    EXPECT(MC_ERR_NOT_FOUND, mc_store_member_remove(tx, u1.id, o1.id, NULL, &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_member_list_by_user(tx, u1.id, &m, &n, &e));
    assert_int_equal(n, 1);
    assert_string_equal(m[0].org_slug, "taltech");
    free(m);
    CHECK(mc_store_member_list_by_org(tx, o1.id, &m, &n, &e));
    assert_int_equal(n, 1);
    assert_string_equal(m[0].user_id, u2.id);
    free(m);
    CHECK(mc_store_member_list_by_user(tx, ghost, &m, &n, &e));
    assert_int_equal(n, 0);
    free(m);
    commit(tx);
}

/* ---- sessions ---- */

static void make_session(mc_session *s, const char *user_id, char seed, const char *expires) {
    memset(s, 0, sizeof *s);
    memset(s->id_hash, seed, 64);
    snprintf(s->user_id, sizeof s->user_id, "%s", user_id);
    snprintf(s->csrf, sizeof s->csrf, "csrf-%c", seed);
    snprintf(s->created_at, sizeof s->created_at, "2026-11-26T09:00:00.000Z");
    snprintf(s->expires_at, sizeof s->expires_at, "%s", expires);
}

static void test_sessions(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user u;
    make_user(&u, "sess@example.org", "Session User");
    seed_user_org(st, &u, NULL);

    mc_session live, old1, old2, got;
    make_session(&live, u.id, 'a', "2026-11-26T11:00:00.000Z");
    make_session(&old1, u.id, 'b', "2026-11-26T09:30:00.000Z");
    make_session(&old2, u.id, 'c', "2026-11-26T10:00:00.000Z");
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_session_insert(tx, &live, &e));
    CHECK(mc_store_session_insert(tx, &old1, &e));
    CHECK(mc_store_session_insert(tx, &old2, &e));
    commit(tx);

    /* a session for nobody, and a duplicate id */
    char ghost[37];
    mc_store_new_id(ghost);
    mc_session bad;
    make_session(&bad, ghost, 'd', "2026-11-26T11:00:00.000Z");
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_session_insert(tx, &bad, &e));
    mc_store_rollback(tx);
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_session_insert(tx, &live, &e));
    mc_store_rollback(tx);

    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_session_get(tx, live.id_hash, "2026-11-26T10:59:59.999Z", &got, &e));
    assert_string_equal(got.id_hash, live.id_hash);
    assert_string_equal(got.user_id, u.id);
    assert_string_equal(got.csrf, "csrf-a");
    assert_string_equal(got.created_at, "2026-11-26T09:00:00.000Z");
    assert_string_equal(got.expires_at, "2026-11-26T11:00:00.000Z");
    /* expiry is exclusive */
    EXPECT(MC_ERR_NOT_FOUND,
           mc_store_session_get(tx, live.id_hash, "2026-11-26T11:00:00.000Z", &got, &e));
    EXPECT(MC_ERR_NOT_FOUND,
           mc_store_session_get(tx, old1.id_hash, "2026-11-26T10:00:00.000Z", &got, &e));
    CHECK(mc_store_session_get(tx, old1.id_hash, "2026-11-26T09:29:00.000Z", &got, &e));
    commit(tx);

    /* sweep at 10:00: old1 and old2 (expiring exactly then) go, live stays */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_session_delete_expired(tx, "2026-11-26T10:00:00.000Z", &e));
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM sessions"), 1);
    tx = begin(st, MC_TX_READ);
    EXPECT(MC_ERR_NOT_FOUND,
           mc_store_session_get(tx, old1.id_hash, "2026-11-26T09:00:00.000Z", &got, &e));
    EXPECT(MC_ERR_NOT_FOUND,
           mc_store_session_get(tx, old2.id_hash, "2026-11-26T09:00:00.000Z", &got, &e));
    CHECK(mc_store_session_get(tx, live.id_hash, "2026-11-26T10:00:00.000Z", &got, &e));
    commit(tx);

    /* logout */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_session_delete(tx, live.id_hash, &e));
    CHECK(mc_store_session_delete(tx, live.id_hash, &e)); /* idempotent */
    EXPECT(MC_ERR_NOT_FOUND,
           mc_store_session_get(tx, live.id_hash, "2026-11-26T10:00:00.000Z", &got, &e));
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM sessions"), 0);
}

/* ---- API tokens ---- */

static void make_token(mc_token *t, const char *org_id, const char *user_id, char seed,
                       const char *created) {
    memset(t, 0, sizeof *t);
    mc_store_new_id(t->id);
    snprintf(t->org_id, sizeof t->org_id, "%s", org_id);
    snprintf(t->role, sizeof t->role, "issuer");
    snprintf(t->name, sizeof t->name, "CI pipeline %c", seed);
    memset(t->token_hash, seed, 64);
    snprintf(t->created_by, sizeof t->created_by, "%s", user_id);
    snprintf(t->created_at, sizeof t->created_at, "%s", created);
}

static void test_tokens(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user u;
    mc_org o, other;
    make_user(&u, "tok@example.org", "Token Maker");
    make_org(&o, "tok-org", "approved");
    make_org(&other, "other-org", "approved");
    seed_user_org(st, &u, &o);
    seed_user_org(st, NULL, &other);

    mc_token t1, t2, got;
    make_token(&t1, o.id, u.id, '1', "2026-01-01T00:00:00.000Z");
    make_token(&t2, o.id, u.id, '2', "2026-02-01T00:00:00.000Z");
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_token_insert(tx, &t1, &e));
    CHECK(mc_store_token_insert(tx, &t2, &e));
    commit(tx);

    mc_token dup;
    make_token(&dup, o.id, u.id, '1', "2026-03-01T00:00:00.000Z");
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_CONFLICT, mc_store_token_insert(tx, &dup, &e));
    mc_store_rollback(tx);

    tx = begin(st, MC_TX_READ);
    memset(&got, 0x5a, sizeof got);
    CHECK(mc_store_token_by_hash(tx, t1.token_hash, &got, &e));
    assert_string_equal(got.id, t1.id);
    assert_string_equal(got.org_id, o.id);
    assert_string_equal(got.role, "issuer");
    assert_string_equal(got.name, "CI pipeline 1");
    assert_string_equal(got.token_hash, t1.token_hash);
    assert_string_equal(got.created_by, u.id);
    assert_string_equal(got.created_at, "2026-01-01T00:00:00.000Z");
    assert_string_equal(got.last_used_at, "");
    assert_string_equal(got.revoked_at, "");
    char nohash[65];
    memset(nohash, 'f', 64);
    nohash[64] = '\0';
    EXPECT(MC_ERR_NOT_FOUND, mc_store_token_by_hash(tx, nohash, &got, &e));
    commit(tx);

    /* touch */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_token_touch(tx, t1.id, "2026-05-05T05:05:05.005Z", &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_token_by_hash(tx, t1.token_hash, &got, &e));
    assert_string_equal(got.last_used_at, "2026-05-05T05:05:05.005Z");
    commit(tx);

    /* revoke: wrong organisation, right one, twice */
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_token_revoke(tx, other.id, t1.id, "2026-06-01T00:00:00.000Z", &e));
    CHECK(mc_store_token_revoke(tx, o.id, t1.id, "2026-06-01T00:00:00.000Z", &e));
    EXPECT(MC_ERR_NOT_FOUND, mc_store_token_revoke(tx, o.id, t1.id, "2026-06-02T00:00:00.000Z", &e));
    assert_string_equal(e.msg, "token not found");
    commit(tx);
    tx = begin(st, MC_TX_WRITE);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_token_revoke(tx, o.id, t1.id, "2026-06-03T00:00:00.000Z", &e));
    mc_store_rollback(tx);

    mc_token *items;
    size_t n;
    tx = begin(st, MC_TX_READ);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_token_by_hash(tx, t1.token_hash, &got, &e));
    CHECK(mc_store_token_by_hash(tx, t2.token_hash, &got, &e));
    CHECK(mc_store_token_list(tx, o.id, &items, &n, &e));
    assert_int_equal(n, 2);
    /* newest first; revoked ones are listed with their revocation time */
    assert_string_equal(items[0].id, t2.id);
    assert_string_equal(items[0].revoked_at, "");
    assert_string_equal(items[1].id, t1.id);
    assert_string_equal(items[1].revoked_at, "2026-06-01T00:00:00.000Z");
    assert_string_equal(items[1].last_used_at, "2026-05-05T05:05:05.005Z");
    free(items);
    CHECK(mc_store_token_list(tx, other.id, &items, &n, &e));
    assert_int_equal(n, 0);
    free(items);
    commit(tx);
}

/* ---- throttle ---- */

static void test_throttle(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_throttle_hit(tx, "email:a@example.org", "2026-11-26T10:00:00.000Z", &e));
    CHECK(mc_store_throttle_hit(tx, "email:a@example.org", "2026-11-26T10:05:00.000Z", &e));
    CHECK(mc_store_throttle_hit(tx, "email:a@example.org", "2026-11-26T10:10:00.000Z", &e));
    CHECK(mc_store_throttle_hit(tx, "email:a@example.org", "2026-11-26T10:10:00.000Z", &e));
    CHECK(mc_store_throttle_hit(tx, "ip:192.0.2.7", "2026-11-26T10:10:00.000Z", &e));
    commit(tx);

    long n = -1;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_throttle_count(tx, "email:a@example.org", "2026-11-26T09:00:00.000Z", &n, &e));
    assert_int_equal(n, 4);
    CHECK(mc_store_throttle_count(tx, "email:a@example.org", "2026-11-26T10:05:00.000Z", &n, &e));
    assert_int_equal(n, 3); /* "at or after" */
    CHECK(mc_store_throttle_count(tx, "email:a@example.org", "2026-11-26T10:05:00.001Z", &n, &e));
    assert_int_equal(n, 2);
    CHECK(mc_store_throttle_count(tx, "email:a@example.org", "2026-11-26T10:10:00.001Z", &n, &e));
    assert_int_equal(n, 0);
    CHECK(mc_store_throttle_count(tx, "ip:192.0.2.7", "2026-11-26T00:00:00.000Z", &n, &e));
    assert_int_equal(n, 1);
    CHECK(mc_store_throttle_count(tx, "email:b@example.org", "2000-01-01T00:00:00.000Z", &n, &e));
    assert_int_equal(n, 0);
    commit(tx);

    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_throttle_clear(tx, "email:a@example.org", &e));
    CHECK(mc_store_throttle_clear(tx, "email:never@example.org", &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_throttle_count(tx, "email:a@example.org", "2000-01-01T00:00:00.000Z", &n, &e));
    assert_int_equal(n, 0);
    CHECK(mc_store_throttle_count(tx, "ip:192.0.2.7", "2000-01-01T00:00:00.000Z", &n, &e));
    assert_int_equal(n, 1);
    commit(tx);
}

/* ---- audit log ---- */

static void append_100(mc_store *st) {
    mc_error e;
    mc_error_clear(&e);
    mc_tx *tx = begin(st, MC_TX_WRITE);
    for (int i = 1; i <= 100; i++) {
        char subject[64], detail[64];
        snprintf(subject, sizeof subject, "award:%d", i);
        snprintf(detail, sizeof detail, "{\"n\":%d}", i);
        CHECK(mc_store_audit_append(tx, "user:admin@example.org", i % 2 ? "award.issue" : "award.revoke",
                                    subject, detail, &e));
    }
    commit(tx);
}

/* Verify and expect the chain broken at `seq` with `checked` good entries before. */
static void expect_broken(mc_store *st, int seq, long checked) {
    mc_error e;
    mc_error_clear(&e);
    long count = -1;
    mc_tx *tx = begin(st, MC_TX_READ);
    EXPECT(MC_ERR_CRYPTO, mc_store_audit_verify(tx, &count, &e));
    commit(tx);
    char want[32];
    snprintf(want, sizeof want, "entry %d:", seq);
    if (!strstr(e.msg, want)) fail_msg("wanted \"%s\" in \"%s\"", want, e.msg);
    assert_string_equal(e.field, "audit_log");
    assert_int_equal(count, checked);
}

static void test_audit_chain_ok(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    long count = -1;
    mc_tx *tx = begin(st, MC_TX_READ);
    CHECK(mc_store_audit_verify(tx, &count, &e));
    assert_int_equal(count, 0);
    commit(tx);

    append_100(st);
    /* appends across transactions continue the chain */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_audit_append(tx, "system", "org.approve", "org:kth", "", &e));
    commit(tx);
    /* a rolled-back append leaves no gap */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_audit_append(tx, "system", "org.approve", "org:lost", "", &e));
    mc_store_rollback(tx);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_audit_append(tx, "system", "org.suspend", "org:kth", "{}", &e));
    commit(tx);

    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_audit_verify(tx, &count, &e));
    assert_int_equal(count, 102);
    commit(tx);
    assert_int_equal(raw_count("SELECT MAX(seq) FROM audit_log"), 102);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log WHERE subject = 'org:lost'"), 0);
    /* each entry links to the previous one */
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log a JOIN audit_log b"
                               " ON b.seq = a.seq + 1 WHERE b.prev_hash = a.hash"),
                     101);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log WHERE seq = 1 AND prev_hash ="
                               " '0000000000000000000000000000000000000000000000000000000000000000'"),
                     1);
}

static void test_audit_tamper_edit(void **state) {
    mc_store *st = *state;
    append_100(st);
    raw_exec("UPDATE audit_log SET detail = '{\"n\":370}' WHERE seq = 37");
    expect_broken(st, 37, 36);
    /* restore: the chain is whole again */
    raw_exec("UPDATE audit_log SET detail = '{\"n\":37}' WHERE seq = 37");
    mc_error e;
    mc_error_clear(&e);
    long count;
    mc_tx *tx = begin(st, MC_TX_READ);
    CHECK(mc_store_audit_verify(tx, &count, &e));
    assert_int_equal(count, 100);
    commit(tx);
    /* other fields */
    raw_exec("UPDATE audit_log SET actor = 'user:mallory@example.org' WHERE seq = 1");
    expect_broken(st, 1, 0);
    raw_exec("UPDATE audit_log SET actor = 'user:admin@example.org' WHERE seq = 1");
    raw_exec("UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 64");
    expect_broken(st, 64, 63);
}

static void test_audit_tamper_delete(void **state) {
    mc_store *st = *state;
    append_100(st);
    raw_exec("DELETE FROM audit_log WHERE seq = 50");
    expect_broken(st, 50, 49);
}

static void test_audit_tamper_swap(void **state) {
    mc_store *st = *state;
    append_100(st);
    /* reorder two entries by swapping their sequence numbers */
    raw_exec("UPDATE audit_log SET seq = -20 WHERE seq = 20");
    raw_exec("UPDATE audit_log SET seq = 20 WHERE seq = 21");
    raw_exec("UPDATE audit_log SET seq = 21 WHERE seq = -20");
    expect_broken(st, 20, 19);
}

static void test_audit_tamper_last_hash(void **state) {
    mc_store *st = *state;
    append_100(st);
    /* a forged hash on the newest entry, which nothing follows */
    raw_exec("UPDATE audit_log SET hash = 'ffffffffffffffffffffffffffffffffffffffffffffffffffff"
             "ffffffffffff' WHERE seq = 100");
    expect_broken(st, 100, 99);
}

/* ---- transactions ---- */

static void test_tx_rollback_leaves_nothing(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user u;
    mc_org o;
    make_user(&u, "rolled@example.org", "Rolled Back");
    make_org(&o, "rolled", "approved");
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_insert(tx, &u, &e));
    CHECK(mc_store_org_insert(tx, &o, &e));
    CHECK(mc_store_member_add(tx, u.id, o.id, "org-admin", &e));
    CHECK(mc_store_audit_append(tx, "system", "org.create", "org:rolled", "", &e));
    /* visible inside the transaction... */
    mc_user got;
    CHECK(mc_store_user_get(tx, u.id, &got, &e));
    mc_store_rollback(tx);
    mc_store_rollback(NULL);

    /* ...and gone after it */
    tx = begin(st, MC_TX_READ);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_get(tx, u.id, &got, &e));
    mc_org og;
    EXPECT(MC_ERR_NOT_FOUND, mc_store_org_by_slug(tx, "rolled", &og, &e));
    long n = -1;
    CHECK(mc_store_user_count(tx, &n, &e));
    assert_int_equal(n, 0);
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM organisations"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM memberships"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log"), 0);

    /* uncommitted work is invisible to another connection */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_insert(tx, &u, &e));
    mc_tx *rd = begin(st, MC_TX_READ);
    EXPECT(MC_ERR_NOT_FOUND, mc_store_user_get(rd, u.id, &got, &e));
    commit(rd);
    commit(tx);
    rd = begin(st, MC_TX_READ);
    CHECK(mc_store_user_get(rd, u.id, &got, &e));
    commit(rd);
}

static void test_tx_failure_halfway(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user existing;
    make_user(&existing, "taken@example.org", "Already Here");
    seed_user_org(st, &existing, NULL);

    /* A multi-row change: org, two users, memberships; the third user clashes. */
    mc_org o;
    mc_user a, b, clash;
    make_org(&o, "halfway", "pending");
    make_user(&a, "a@halfway.example", "A");
    make_user(&b, "b@halfway.example", "B");
    make_user(&clash, "taken@example.org", "Clash");
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_org_insert(tx, &o, &e));
    CHECK(mc_store_user_insert(tx, &a, &e));
    CHECK(mc_store_member_add(tx, a.id, o.id, "org-admin", &e));
    CHECK(mc_store_user_insert(tx, &b, &e));
    CHECK(mc_store_throttle_hit(tx, "k", "2026-01-01T00:00:00.000Z", &e));
    CHECK(mc_store_audit_append(tx, "system", "org.create", "org:halfway", "", &e));
    EXPECT(MC_ERR_CONFLICT, mc_store_user_insert(tx, &clash, &e));
    assert_string_equal(e.field, "email");
    mc_store_rollback(tx);

    assert_int_equal(raw_count("SELECT COUNT(*) FROM users"), 1);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM organisations"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM memberships"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM login_failures"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log"), 0);

    /* A caller that ignores the failure and commits anyway gets an error and
     * still nothing is written, on both backends alike. */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_org_insert(tx, &o, &e));
    CHECK(mc_store_user_insert(tx, &a, &e));
    EXPECT(MC_ERR_CONFLICT, mc_store_user_insert(tx, &clash, &e));
    mc_error_clear(&e);
    mc_err err = mc_store_commit(tx, &e);
    assert_int_not_equal(err, MC_OK);
    assert_true(strlen(e.msg) > 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM users"), 1);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM organisations"), 0);

    /* the pool is healthy afterwards: every connection still works */
    for (int i = 0; i < 8; i++) {
        tx = begin(st, MC_TX_WRITE);
        CHECK(mc_store_throttle_hit(tx, "after", "2026-01-01T00:00:00.000Z", &e));
        commit(tx);
    }
    assert_int_equal(raw_count("SELECT COUNT(*) FROM login_failures"), 8);
}

/* ---- pool under load ---- */

enum { POOL_THREADS = 8, POOL_TX = 200, POOL_CONNS = 4 };

struct worker {
    mc_store *st;
    int id;
    int writes, reads, failures;
    char first_error[400];
};

static void worker_note(struct worker *w, const char *what, const mc_error *e) {
    if (w->failures++ == 0)
        snprintf(w->first_error, sizeof w->first_error, "%s: %s", what, e ? e->msg : "");
}

static void *worker_run(void *arg) {
    struct worker *w = arg;
    char key[32];
    snprintf(key, sizeof key, "pool:%d", w->id);
    for (int i = 0; i < POOL_TX; i++) {
        mc_error e;
        mc_error_clear(&e);
        mc_tx *tx = NULL;
        if (i % 4 == 3) {
            /* read: this thread's own writes are all visible */
            if (mc_store_begin(w->st, MC_TX_READ, &tx, &e)) { worker_note(w, "begin read", &e); continue; }
            long n = -1;
            if (mc_store_throttle_count(tx, key, "2000-01-01T00:00:00.000Z", &n, &e))
                worker_note(w, "count", &e);
            else if (n != w->writes)
                worker_note(w, "read count differs from writes so far", NULL);
            if (mc_store_commit(tx, &e)) worker_note(w, "commit read", &e);
            else w->reads++;
        } else {
            if (mc_store_begin(w->st, MC_TX_WRITE, &tx, &e)) { worker_note(w, "begin write", &e); continue; }
            char now[32];
            mc_store_now(now);
            mc_err err = mc_store_throttle_hit(tx, key, now, &e);
            if (!err) err = mc_store_throttle_hit(tx, "pool:all", now, &e);
            if (!err) err = mc_store_audit_append(tx, key, "pool.write", "pool", now, &e);
            if (err) { worker_note(w, "write", &e); mc_store_rollback(tx); continue; }
            if (mc_store_commit(tx, &e)) worker_note(w, "commit write", &e);
            else w->writes++;
        }
    }
    return NULL;
}

static void test_pool_concurrency(void **state) {
    (void)state;
    mc_store *st = open_store(POOL_CONNS);
    assert_non_null(st);
    struct worker w[POOL_THREADS];
    pthread_t t[POOL_THREADS];
    for (int i = 0; i < POOL_THREADS; i++) {
        w[i] = (struct worker){.st = st, .id = i};
        assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
    }
    for (int i = 0; i < POOL_THREADS; i++) pthread_join(t[i], NULL);
    long writes = 0;
    for (int i = 0; i < POOL_THREADS; i++) {
        if (w[i].failures)
            fail_msg("worker %d: %d failures, first: %s", i, w[i].failures, w[i].first_error);
        assert_int_equal(w[i].writes + w[i].reads, POOL_TX);
        assert_int_equal(w[i].reads, POOL_TX / 4);
        writes += w[i].writes;
    }
    assert_int_equal(writes, POOL_THREADS * POOL_TX * 3 / 4);
    assert_int_equal(mc_store_error_count(st), 0);

    mc_error e;
    mc_error_clear(&e);
    long n = -1;
    mc_tx *tx = begin(st, MC_TX_READ);
    CHECK(mc_store_throttle_count(tx, "pool:all", "2000-01-01T00:00:00.000Z", &n, &e));
    assert_int_equal(n, writes);
    for (int i = 0; i < POOL_THREADS; i++) {
        char key[32];
        snprintf(key, sizeof key, "pool:%d", i);
        CHECK(mc_store_throttle_count(tx, key, "2000-01-01T00:00:00.000Z", &n, &e));
        assert_int_equal(n, w[i].writes);
    }
    /* concurrent appends never forked the chain */
    CHECK(mc_store_audit_verify(tx, &n, &e));
    assert_int_equal(n, writes);
    commit(tx);
    mc_store_close(st);
}

/* A pool of one: a second taker waits for the first to finish. */
struct waiter {
    mc_store *st;
    mc_err err;
};

static void *waiter_run(void *arg) {
    struct waiter *wt = arg;
    mc_error e;
    mc_tx *tx;
    wt->err = mc_store_begin(wt->st, MC_TX_WRITE, &tx, &e);
    if (!wt->err) {
        wt->err = mc_store_throttle_hit(tx, "waiter", "2026-01-01T00:00:00.000Z", &e);
        if (wt->err) mc_store_rollback(tx);
        else wt->err = mc_store_commit(tx, &e);
    }
    return NULL;
}

static void test_pool_waits(void **state) {
    (void)state;
    mc_store *st = open_store(1);
    assert_non_null(st);
    mc_error e;
    mc_error_clear(&e);
    mc_tx *tx = begin(st, MC_TX_WRITE);
    struct waiter wt = {st, MC_ERR_DB};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, waiter_run, &wt), 0);
    struct timespec pause = {0, 100 * 1000000};
    nanosleep(&pause, NULL);
    /* the waiter cannot have written: it has no connection yet */
    CHECK(mc_store_throttle_hit(tx, "first", "2026-01-01T00:00:00.000Z", &e));
    long n = -1;
    CHECK(mc_store_throttle_count(tx, "waiter", "2000-01-01T00:00:00.000Z", &n, &e));
    assert_int_equal(n, 0);
    commit(tx);
    pthread_join(t, NULL);
    assert_int_equal(wt.err, MC_OK);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM login_failures"), 2);
    mc_store_close(st);
}

/* PostgreSQL restarts or kills sessions: the pool reconnects instead of
 * failing every later request on a dead connection. */
static void test_pg_connection_lost(void **state) {
    mc_store *st = *state;
    if (!g_pg) skip();
    mc_error e;
    mc_error_clear(&e);
    mc_tx *tx[4];
    for (int i = 0; i < 4; i++) tx[i] = begin(st, MC_TX_WRITE);
    for (int i = 0; i < 4; i++) commit(tx[i]);
    long killed = raw_count("SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid, 5000)"
                            " FROM pg_stat_activity WHERE datname = current_database()"
                            " AND pid <> pg_backend_pid()) t");
    assert_true(killed >= 4);
    CHECK(mc_store_ping(st, &e));
    /* all four connections at once, so every one of them is exercised */
    for (int i = 0; i < 4; i++) tx[i] = begin(st, MC_TX_WRITE);
    for (int i = 0; i < 4; i++) {
        CHECK(mc_store_throttle_hit(tx[i], "after-restart", "2026-01-01T00:00:00.000Z", &e));
        commit(tx[i]);
    }
    assert_int_equal(raw_count("SELECT COUNT(*) FROM login_failures"), 4);
    /* the session settings are restored on the new connections */
    tx[0] = begin(st, MC_TX_READ);
    mc_store_rollback(tx[0]);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM pg_stat_activity WHERE datname ="
                               " current_database() AND pid <> pg_backend_pid()"),
                     4);
}

/* ---- ids and time ---- */

static int64_t uuid_ms(const char *id) {
    int64_t ms = 0;
    for (int i = 0; i < 13; i++) {
        if (id[i] == '-') continue;
        char c = id[i];
        ms = ms * 16 + (c <= '9' ? c - '0' : c - 'a' + 10);
    }
    return ms;
}

static void test_ids(void **state) {
    (void)state;
    enum { N = 1000 };
    static char ids[N][37];
    for (int i = 0; i < N; i++) {
        mc_store_new_id(ids[i]);
        assert_true(mc_uuid_is_valid(ids[i]));
        assert_int_equal(strlen(ids[i]), 36);
        assert_int_equal(ids[i][14], '7');                 /* version */
        assert_non_null(strchr("89ab", ids[i][19]));       /* RFC 9562 variant */
        for (const char *c = ids[i]; *c; c++) assert_true(*c == '-' || strchr("0123456789abcdef", *c));
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) assert_string_not_equal(ids[i], ids[j]);

    /* the embedded time is now */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    int64_t at = uuid_ms(ids[N - 1]);
    assert_true(at <= now && now - at < 5000);

    /* ids made at different milliseconds sort in time order */
    char prev[37], cur[37];
    mc_store_new_id(prev);
    for (int i = 0; i < 20; i++) {
        struct timespec pause = {0, 2 * 1000000};
        nanosleep(&pause, NULL);
        mc_store_new_id(cur);
        if (strcmp(prev, cur) >= 0) fail_msg("%s then %s", prev, cur);
        assert_true(uuid_ms(cur) > uuid_ms(prev));
        memcpy(prev, cur, sizeof prev);
    }
}

static void test_time_format(void **state) {
    (void)state;
    char out[32];
    mc_store_time_fmt(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00.000Z");
    mc_store_time_fmt(1764151200123, out);
    assert_string_equal(out, "2025-11-26T10:00:00.123Z");
    mc_store_time_fmt(951782400007, out);
    assert_string_equal(out, "2000-02-29T00:00:00.007Z");
    mc_store_time_fmt(4102444799999, out);
    assert_string_equal(out, "2099-12-31T23:59:59.999Z");
    mc_store_time_fmt(-1, out);
    assert_string_equal(out, "1969-12-31T23:59:59.999Z");

    mc_store_now(out);
    assert_int_equal(strlen(out), 24);
    static const char shape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
    for (int i = 0; i < 24; i++) {
        if (shape[i] == 'd') assert_true(out[i] >= '0' && out[i] <= '9');
        else assert_int_equal(out[i], shape[i]);
    }
    struct tm tm = {0};
    assert_non_null(strptime(out, "%Y-%m-%dT%H:%M:%S", &tm));
    time_t t = timegm(&tm);
    time_t now = time(NULL);
    assert_true(t <= now && now - t <= 2);
    /* text order is time order */
    char later[32];
    struct timespec pause = {0, 3 * 1000000};
    nanosleep(&pause, NULL);
    mc_store_now(later);
    assert_true(strcmp(out, later) < 0);
}

/* ---- text: unicode and over-long values ---- */

static const char SWEDISH[] = "Åsa Öberg-Ärlebäck, Högskolan i Gävle, Malmö";
static const char LATVIAN[] = "Ģirts Ķēniņš, Rīgas Tehniskā universitāte: ļoti šķērsļi, žņaudz čūsku";
static const char ESTONIAN[] = "Tõnu Jõgi, Tartu Ülikool: šokolaad, žürii, õun, äädikas";
static const char EMOJI[] = "🎓📜✅ 👩🏽‍🎓 🇪🇺";

static void test_unicode_round_trip(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    mc_user u, got;
    make_user(&u, "åsa.öberg@högskolan.example.se", SWEDISH);
    mc_org o, og;
    make_org(&o, "rtu-lv", "approved");
    snprintf(o.legal_name, sizeof o.legal_name, "%s", LATVIAN);
    snprintf(o.address, sizeof o.address, "%s", ESTONIAN);
    snprintf(o.website, sizeof o.website, "https://ülikool.example.ee/%s", EMOJI);
    mc_qa_record q;
    make_qa(&q, o.id, "2024-01-01", EMOJI);
    mc_tx *tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_insert(tx, &u, &e));
    CHECK(mc_store_org_insert(tx, &o, &e));
    CHECK(mc_store_qa_insert(tx, &q, &e));
    CHECK(mc_store_member_add(tx, u.id, o.id, "issuer", &e));
    CHECK(mc_store_throttle_hit(tx, "email:åsa.öberg@högskolan.example.se", "2026-01-01T00:00:00.000Z", &e));
    CHECK(mc_store_audit_append(tx, SWEDISH, "award.issue", LATVIAN, EMOJI, &e));
    CHECK(mc_store_audit_append(tx, ESTONIAN, "award.issue", EMOJI, LATVIAN, &e));
    commit(tx);

    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_user_by_email(tx, "åsa.öberg@högskolan.example.se", &got, &e));
    assert_int_equal(strlen(got.name), strlen(SWEDISH));
    assert_memory_equal(got.name, SWEDISH, sizeof SWEDISH);
    assert_string_equal(got.email, "åsa.öberg@högskolan.example.se");
    CHECK(mc_store_org_by_slug(tx, "rtu-lv", &og, &e));
    assert_memory_equal(og.legal_name, LATVIAN, sizeof LATVIAN);
    assert_memory_equal(og.address, ESTONIAN, sizeof ESTONIAN);
    assert_string_equal(og.website, o.website);
    mc_qa_record *qs;
    size_t n;
    CHECK(mc_store_qa_list(tx, o.id, &qs, &n, &e));
    assert_int_equal(n, 1);
    assert_memory_equal(qs[0].framework, EMOJI, sizeof EMOJI);
    free(qs);
    mc_membership *m;
    CHECK(mc_store_member_list_by_org(tx, o.id, &m, &n, &e));
    assert_int_equal(n, 1);
    assert_memory_equal(m[0].user_name, SWEDISH, sizeof SWEDISH);
    assert_memory_equal(m[0].org_legal_name, LATVIAN, sizeof LATVIAN);
    free(m);
    long cnt;
    CHECK(mc_store_throttle_count(tx, "email:åsa.öberg@högskolan.example.se", "2000-01-01T00:00:00.000Z", &cnt, &e));
    assert_int_equal(cnt, 1);
    /* the chain hashes the bytes read back: any change in encoding breaks it */
    CHECK(mc_store_audit_verify(tx, &cnt, &e));
    assert_int_equal(cnt, 2);
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM audit_log WHERE detail = '🎓📜✅ 👩🏽‍🎓 🇪🇺'"), 1);
}

/* True when s is well-formed UTF-8 (no cut sequence at the end). */
static bool utf8_ok(const char *s) {
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        int k = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2
                : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (k < 0) return false;
        p++;
        for (int i = 0; i < k; i++, p++)
            if ((*p & 0xc0) != 0x80) return false;
    }
    return true;
}

/* Text of n copies of `unit` after `prefix`, for SQL literals (no quotes inside). */
static char *repeat(const char *prefix, const char *unit, size_t n) {
    mc_buf b = MC_BUF_INIT;
    mc_buf_puts(&b, prefix);
    for (size_t i = 0; i < n; i++) mc_buf_puts(&b, unit);
    char *s = mc_buf_detach(&b, NULL);
    assert_non_null(s);
    return s;
}

static void test_long_values_truncated(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    /* Rows written by someone else, with every text far over the struct bounds. */
    char *id = repeat("", "0123456789", 10);
    char *email = repeat("long", "e", 996);
    char *name = repeat("a", "ä", 500);        /* 1001 bytes: the cut falls inside an ä */
    char *pw = repeat("", "🎓", 250);           /* 1000 bytes of 4-byte characters */
    char *when = repeat("2026-01-01T00:00:00.000Z", "9", 100);
    mc_buf sql = MC_BUF_INIT;
    mc_buf_printf(&sql, "INSERT INTO users (id, email, name, password_hash, is_platform_admin,"
                        " created_at) VALUES ('%s', '%s', '%s', '%s', 1, '%s')",
                  id, email, name, pw, when);
    raw_exec(mc_buf_str(&sql));

    mc_user *u = malloc(sizeof *u); /* heap, so ASan guards its end */
    assert_non_null(u);
    mc_tx *tx = begin(st, MC_TX_READ);
    CHECK(mc_store_user_by_email(tx, email, u, &e));
    assert_int_equal(strlen(u->id), sizeof u->id - 1);
    assert_memory_equal(u->id, id, sizeof u->id - 1);
    assert_int_equal(strlen(u->email), sizeof u->email - 1);
    assert_memory_equal(u->email, email, sizeof u->email - 1);
    /* cut at a character boundary, never inside one */
    assert_true(utf8_ok(u->name));
    assert_int_equal(strlen(u->name), sizeof u->name - 2);
    assert_memory_equal(u->name, name, strlen(u->name));
    assert_true(utf8_ok(u->password_hash));
    assert_int_equal(strlen(u->password_hash), (sizeof u->password_hash - 1) / 4 * 4);
    assert_int_equal(strlen(u->created_at), sizeof u->created_at - 1);
    assert_true(u->is_platform_admin);
    commit(tx);

    /* The same through the joined membership list and the org list. */
    mc_buf_reset(&sql);
    char *legal = repeat("L", "ļ", 400);
    char *addr = repeat("", "õ", 600);
    mc_buf_printf(&sql, "INSERT INTO organisations (id, slug, legal_name, legal_id_scheme, legal_id,"
                        " country, address, website, contact_email, status, created_at, updated_at)"
                        " VALUES ('org-long', '%s', '%s', '%s', '%s', 'SWE', '%s', '%s', '%s',"
                        " 'approved-and-more', '%s', '%s')",
                  email, legal, email, email, addr, email, email, when, when);
    raw_exec(mc_buf_str(&sql));
    mc_buf_reset(&sql);
    mc_buf_printf(&sql, "INSERT INTO memberships (user_id, org_id, role, created_at) VALUES"
                        " ('%s', 'org-long', 'assessor-with-a-very-long-role', 'x')", id);
    raw_exec(mc_buf_str(&sql));

    tx = begin(st, MC_TX_READ);
    mc_org *orgs;
    size_t n;
    CHECK(mc_store_org_list(tx, false, 10, 0, &orgs, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(strlen(orgs[0].slug), sizeof orgs[0].slug - 1);
    assert_true(utf8_ok(orgs[0].legal_name));
    assert_true(strlen(orgs[0].legal_name) <= sizeof orgs[0].legal_name - 1);
    assert_true(strlen(orgs[0].legal_name) >= sizeof orgs[0].legal_name - 2);
    assert_int_equal(strlen(orgs[0].country), 2);
    assert_true(utf8_ok(orgs[0].address));
    assert_int_equal(strlen(orgs[0].address), sizeof orgs[0].address - 2);
    assert_int_equal(strlen(orgs[0].status), sizeof orgs[0].status - 1);
    assert_int_equal(strlen(orgs[0].updated_at), sizeof orgs[0].updated_at - 1);
    free(orgs);
    mc_membership *m;
    CHECK(mc_store_member_list_by_user(tx, id, &m, &n, &e));
    assert_int_equal(n, 1);
    assert_int_equal(strlen(m[0].role), sizeof m[0].role - 1);
    assert_int_equal(strlen(m[0].user_id), sizeof m[0].user_id - 1);
    assert_true(utf8_ok(m[0].user_name));
    assert_int_equal(strlen(m[0].user_name), sizeof m[0].user_name - 2);
    assert_int_equal(strlen(m[0].org_slug), sizeof m[0].org_slug - 1);
    free(m);
    commit(tx);

    /* Variable-length arguments are stored whole and hashed whole. */
    char *actor = repeat("user:", "ž", 5000);
    char *detail = repeat("{", "\"k\":\"🎓\",", 20000);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_audit_append(tx, actor, "x", actor, detail, &e));
    CHECK(mc_store_throttle_hit(tx, email, "2026-01-01T00:00:00.000Z", &e));
    commit(tx);
    long cnt;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_audit_verify(tx, &cnt, &e));
    assert_int_equal(cnt, 1);
    CHECK(mc_store_throttle_count(tx, email, "2000-01-01T00:00:00.000Z", &cnt, &e));
    assert_int_equal(cnt, 1);
    commit(tx);
    mc_buf_reset(&sql);
    /* length() counts characters on both engines: "{" and 20000 x 8 */
    mc_buf_printf(&sql, "SELECT COUNT(*) FROM audit_log WHERE length(detail) = %d"
                        " AND length(actor) = 5005", 1 + 20000 * 8);
    assert_int_equal(raw_count(mc_buf_str(&sql)), 1);

    /* Full-width struct fields round-trip through the store without loss. */
    mc_user full, back;
    make_user(&full, "", "");
    memset(full.email, 'm', sizeof full.email - 1);
    full.email[sizeof full.email - 1] = '\0';
    memset(full.name, 'n', sizeof full.name - 1);
    full.name[sizeof full.name - 1] = '\0';
    memset(full.password_hash, 'p', sizeof full.password_hash - 1);
    full.password_hash[sizeof full.password_hash - 1] = '\0';
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_insert(tx, &full, &e));
    CHECK(mc_store_user_get(tx, full.id, &back, &e));
    commit(tx);
    assert_memory_equal(&back.email, &full.email, sizeof full.email);
    assert_memory_equal(&back.name, &full.name, sizeof full.name);
    assert_memory_equal(&back.password_hash, &full.password_hash, sizeof full.password_hash);

    free(actor);
    free(detail);
    free(legal);
    free(addr);
    free(u);
    mc_buf_free(&sql);
    free(id);
    free(email);
    free(name);
    free(pw);
    free(when);
}

/* ---- consents: facts as columns and rows (migration 7) ---- */

/* A database made by a binary at schema 6, with consents holding only JSON
 * facts, gets their columns and outcome rows when migrated; consents given
 * afterwards get them from mc_store_consent_put; withdrawing and deleting
 * the account take them away. */
static void test_consent_facts(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    int v = -1;
    CHECK(mc_store_migrate_to(st, 6, &v, &e));
    assert_int_equal(v, 6);
    raw_exec("INSERT INTO users (id, email, name, password_hash, is_platform_admin, created_at) VALUES"
             " ('u1', 'a@example.org', 'A', 'x', 0, '2026-01-01T00:00:00.000Z'),"
             " ('u2', 'b@example.org', 'B', 'x', 0, '2026-01-01T00:00:00.000Z')");
    raw_exec("INSERT INTO organisations (id, slug, legal_name, legal_id_scheme, legal_id, country, address, website,"
             " contact_email, status, created_at, updated_at) VALUES"
             " ('o1', 'emp', 'Employer', 'EU-VAT', 'SE1', 'SE', 'Street 1', 'https://emp.example/', 'i@emp.example',"
             " 'approved', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
    raw_exec("INSERT INTO awards (id, org_id, spec_id, spec_version, idempotency_key, learner_name, learner_email,"
             " title, credential, suite, status_index, revoked, suspended, claim_hash, issued_at, created_by) VALUES"
             " ('a1', 'o1', 's1', 1, 'k1', 'A', 'a@example.org', 'Course', '{}', 'eddsa-rdfc-2022', 1, 1, 0, 'h',"
             " '2026-01-01T00:00:00.000Z', 'x')");
    raw_exec("INSERT INTO wallet_items (id, user_id, source, award_id, format, content_type, original, title,"
             " issuer_id, issuer_name, verified, report, created_at) VALUES"
             " ('w1', 'u1', 'award', 'a1', 'ob3', 'application/vc+ld+json', '{}', 'Course', 'did:x', 'X', 1, '{}', 'x'),"
             " ('w2', 'u1', 'import', NULL, 'ob3', 'application/vc+ld+json', '{}', 'Other', 'did:y', 'Y', 1, '{}', 'x'),"
             " ('w3', 'u2', 'import', NULL, 'ob3', 'application/vc+ld+json', '{}', 'Third', 'did:y', 'Y', 1, '{}', 'x'),"
             " ('w4', 'u2', 'import', NULL, 'ob3', 'application/vc+ld+json', '{}', 'Fourth', 'did:y', 'Y', 1, '{}', 'x')");
    raw_exec("INSERT INTO roles (id, org_id, name, requirements, created_at, updated_at) VALUES"
             " ('r1', 'o1', 'Role', '[]', 'x', 'x')");
    raw_exec("INSERT INTO staff_roles (org_id, user_id, role_id) VALUES ('o1', 'u2', 'r1')");
    /* w1: full facts, stored as not revoked (the award is revoked since);
     * w2: none ({}), as a review request shares them; w3: facts that are
     * not JSON at all. */
    raw_exec("INSERT INTO consents (user_id, org_id, item_id, facts, created_at) VALUES"
             " ('u1', 'o1', 'w1', '{\"id\":\"w1\",\"title\":\"Course \\u00e9\",\"verified\":true,\"revoked\":false,"
             "\"suspended\":false,\"specification\":\"https://x.example/specs/1/v/2\",\"eqf_level\":5,\"ects\":2.5,"
             "\"esco\":[\"http://data.europa.eu/esco/skill/s1\",null,\"http://data.europa.eu/esco/skill/s2\"],"
             "\"outcomes\":[\"Writes SQL\"],\"issued\":1700000000,\"valid_until\":1800000000}', '2026-01-01T00:00:01.000Z'),"
             " ('u1', 'o1', 'w2', '{}', '2026-01-01T00:00:02.000Z'),"
             " ('u2', 'o1', 'w3', 'not json', '2026-01-01T00:00:01.000Z')");
    CHECK(mc_store_migrate(st, &v, &e));
    assert_int_equal(v, mc_store_schema_latest());
    assert_int_equal(raw_count("SELECT COUNT(*) FROM consent_outcomes"), 3);

    mc_tx *tx = begin(st, MC_TX_READ);
    mc_consent_facts cf;
    CHECK(mc_store_consent_facts(tx, "o1", NULL, NULL, &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 3);
    const mc_consent_fact *f = &cf.items[0];
    assert_string_equal(f->user_id, "u1");
    assert_string_equal(f->item_id, "w1");
    assert_string_equal(f->title, "Course \xc3\xa9");
    assert_string_equal(f->specification, "https://x.example/specs/1/v/2");
    assert_true(f->verified);
    assert_true(f->revoked); /* live from the award */
    assert_false(f->suspended);
    assert_int_equal(f->eqf_level, 5);
    assert_int_equal(f->issued, 1700000000);
    assert_int_equal(f->valid_until, 1800000000);
    assert_int_equal(f->n_esco, 2);
    assert_string_equal(f->esco[0], "http://data.europa.eu/esco/skill/s1");
    assert_string_equal(f->esco[1], "http://data.europa.eu/esco/skill/s2");
    assert_int_equal(f->n_outcomes, 1);
    assert_string_equal(f->outcomes[0], "Writes SQL");
    f = &cf.items[1];
    assert_string_equal(f->item_id, "w2");
    assert_null(f->title);
    assert_null(f->specification);
    assert_false(f->verified);
    assert_int_equal(f->n_esco + f->n_outcomes, 0);
    f = &cf.items[2];
    assert_string_equal(f->user_id, "u2");
    assert_string_equal(f->item_id, "w3");
    assert_false(f->verified);
    mc_consent_facts_free(&cf);

    /* Given afterwards: the columns come from the facts as given. */
    json_t *facts = json_pack("{s:s, s:b, s:b, s:i, s:[s], s:[s, s], s:i, s:i}", "title", "Fourth", "verified", 1,
                              "suspended", 1, "eqf_level", 6, "esco", "http://data.europa.eu/esco/skill/s3", "outcomes",
                              "Leads teams", "Plans work", "issued", 1710000000, "valid_until", 0);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_consent_put(tx, "u2", "o1", "w4", facts, &e));
    /* Given again with other facts: replaced, not added to. The second text
     * looks like the outcome list's own format (schema 8). */
    json_object_set_new(facts, "outcomes", json_pack("[s, s]", "Leads teams", "t3:e9:\xc3\xa9\n:"));
    CHECK(mc_store_consent_put(tx, "u2", "o1", "w4", facts, &e));
    commit(tx);
    json_decref(facts);
    tx = begin(st, MC_TX_READ);
    /* Only the people of role r1 (u2). */
    CHECK(mc_store_consent_facts(tx, "o1", "r1", NULL, &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 2);
    assert_string_equal(cf.items[0].item_id, "w3");
    f = &cf.items[1];
    assert_string_equal(f->item_id, "w4");
    assert_string_equal(f->title, "Fourth");
    assert_true(f->verified);
    assert_false(f->revoked);
    assert_true(f->suspended); /* as given: not an award of this platform */
    assert_int_equal(f->eqf_level, 6);
    assert_int_equal(f->issued, 1710000000);
    assert_int_equal(f->n_esco, 1);
    assert_string_equal(f->esco[0], "http://data.europa.eu/esco/skill/s3");
    assert_int_equal(f->n_outcomes, 2);
    assert_string_equal(f->outcomes[0], "Leads teams");
    assert_string_equal(f->outcomes[1], "t3:e9:\xc3\xa9\n:");
    mc_consent_facts_free(&cf);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_consent_facts(tx, "o1", NULL, "u1", &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 2);
    mc_consent_facts_free(&cf);

    /* Withdrawing one item takes its rows with it; deleting the account
     * takes the rest. */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_consent_remove(tx, "u2", "o1", "w4", &e));
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM consent_outcomes WHERE item_id = 'w4'"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM consent_outcomes"), 3);
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_user_delete(tx, "u1", "a@example.org", &e));
    commit(tx);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM consent_outcomes"), 0);
    assert_int_equal(raw_count("SELECT COUNT(*) FROM consents"), 1);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_consent_facts(tx, "o1", NULL, NULL, &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 1);
    mc_consent_facts_free(&cf);
}

/* The live status of a shared award (migration 8 reads the flags from the
 * partial index awards_flagged): the award's flags win over the ones kept
 * with the consent, both ways; an award that is gone leaves those. */
static void test_consent_live_status(void **state) {
    mc_store *st = *state;
    mc_error e;
    mc_error_clear(&e);
    raw_exec("INSERT INTO users (id, email, name, password_hash, is_platform_admin, created_at) VALUES"
             " ('u1', 'a@example.org', 'A', 'x', 0, '2026-01-01T00:00:00.000Z')");
    raw_exec("INSERT INTO organisations (id, slug, legal_name, legal_id_scheme, legal_id, country, address, website,"
             " contact_email, status, created_at, updated_at) VALUES"
             " ('o1', 'emp', 'Employer', 'EU-VAT', 'SE1', 'SE', 'Street 1', 'https://emp.example/', 'i@emp.example',"
             " 'approved', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
    /* a1 active, a2 suspended, a3 revoked and suspended; a4 is never made. */
    raw_exec("INSERT INTO awards (id, org_id, spec_id, spec_version, idempotency_key, learner_name, learner_email,"
             " title, credential, suite, status_index, revoked, suspended, claim_hash, issued_at, created_by) VALUES"
             " ('a1', 'o1', 's1', 1, 'k1', 'A', 'a@example.org', 'C', '{}', 'eddsa-rdfc-2022', 1, 0, 0, 'h', 'x', 'x'),"
             " ('a2', 'o1', 's1', 1, 'k2', 'A', 'a@example.org', 'C', '{}', 'eddsa-rdfc-2022', 2, 0, 1, 'h', 'x', 'x'),"
             " ('a3', 'o1', 's1', 1, 'k3', 'A', 'a@example.org', 'C', '{}', 'eddsa-rdfc-2022', 3, 1, 1, 'h', 'x', 'x')");
    raw_exec("INSERT INTO wallet_items (id, user_id, source, award_id, format, content_type, original, title,"
             " issuer_id, issuer_name, verified, report, created_at) VALUES"
             " ('w1', 'u1', 'award', 'a1', 'ob3', 'application/vc+ld+json', '{}', 'C', 'did:x', 'X', 1, '{}', 'x'),"
             " ('w2', 'u1', 'award', 'a2', 'ob3', 'application/vc+ld+json', '{}', 'C', 'did:x', 'X', 1, '{}', 'x'),"
             " ('w3', 'u1', 'award', 'a3', 'ob3', 'application/vc+ld+json', '{}', 'C', 'did:x', 'X', 1, '{}', 'x'),"
             " ('w4', 'u1', 'award', 'a4', 'ob3', 'application/vc+ld+json', '{}', 'C', 'did:x', 'X', 1, '{}', 'x')");
    json_t *facts = json_pack("{s:s, s:b, s:b, s:b}", "title", "C", "verified", 1, "revoked", 1, "suspended", 1);
    mc_tx *tx = begin(st, MC_TX_WRITE);
    for (int i = 1; i <= 4; i++) {
        char item[8];
        snprintf(item, sizeof item, "w%d", i);
        CHECK(mc_store_consent_put(tx, "u1", "o1", item, facts, &e));
    }
    commit(tx);
    json_decref(facts);
    mc_consent_facts cf;
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_consent_facts(tx, "o1", NULL, NULL, &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 4);
    bool want[4][2] = {{false, false}, {false, true}, {true, true}, {true, true}};
    for (size_t i = 0; i < 4; i++) {
        char item[8];
        snprintf(item, sizeof item, "w%zu", i + 1);
        const mc_consent_fact *f = NULL;
        for (size_t k = 0; k < cf.n; k++)
            if (strcmp(cf.items[k].item_id, item) == 0) f = &cf.items[k];
        assert_non_null(f);
        assert_int_equal(f->revoked, want[i][0]);
        assert_int_equal(f->suspended, want[i][1]);
    }
    mc_consent_facts_free(&cf);
    /* Reinstated: out of the index, and active again on the map. */
    tx = begin(st, MC_TX_WRITE);
    CHECK(mc_store_award_set_status(tx, "o1", "a3", false, false, NULL, &e));
    commit(tx);
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_consent_facts(tx, "o1", NULL, "u1", &cf, &e));
    mc_store_rollback(tx);
    for (size_t k = 0; k < cf.n; k++)
        if (strcmp(cf.items[k].item_id, "w3") == 0) assert_false(cf.items[k].revoked || cf.items[k].suspended);
    mc_consent_facts_free(&cf);
    /* An outcome list that is not well formed is read up to the fault. */
    raw_exec("UPDATE consents SET outcome_list = 'e3:abct2:xye99:short' WHERE item_id = 'w1'");
    raw_exec("UPDATE consents SET outcome_list = 'x' WHERE item_id = 'w2'");
    raw_exec("UPDATE consents SET outcome_list = 'e:abc' WHERE item_id = 'w3'");
    raw_exec("UPDATE consents SET outcome_list = 't99999999999999999999999:a' WHERE item_id = 'w4'");
    tx = begin(st, MC_TX_READ);
    CHECK(mc_store_consent_facts(tx, "o1", NULL, NULL, &cf, &e));
    mc_store_rollback(tx);
    assert_int_equal(cf.n, 4);
    for (size_t k = 0; k < cf.n; k++) {
        const mc_consent_fact *f = &cf.items[k];
        if (strcmp(f->item_id, "w1") == 0) {
            assert_int_equal(f->n_esco, 1);
            assert_string_equal(f->esco[0], "abc");
            assert_int_equal(f->n_outcomes, 1);
            assert_string_equal(f->outcomes[0], "xy");
        } else {
            assert_int_equal(f->n_esco + f->n_outcomes, 0);
        }
    }
    mc_consent_facts_free(&cf);
}

int main(void) {
#define T(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
#define TE(f) cmocka_unit_test_setup_teardown(f, test_setup_empty, test_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_bad_urls),
        TE(test_migrate_from_empty),
        TE(test_migrate_twice_is_noop),
        TE(test_migrate_concurrent),
        TE(test_consent_facts),
        T(test_consent_live_status),
        T(test_users),
        T(test_orgs),
        T(test_qa_records),
        T(test_memberships),
        T(test_sessions),
        T(test_tokens),
        T(test_throttle),
        T(test_audit_chain_ok),
        T(test_audit_tamper_edit),
        T(test_audit_tamper_delete),
        T(test_audit_tamper_swap),
        T(test_audit_tamper_last_hash),
        T(test_tx_rollback_leaves_nothing),
        T(test_tx_failure_halfway),
        T(test_pool_concurrency),
        T(test_pool_waits),
        T(test_pg_connection_lost),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_time_format),
        T(test_unicode_round_trip),
        T(test_long_values_truncated),
    };
    const char *db = getenv("MC_TEST_DB");
    const char *name = db && strcmp(db, "sqlite") == 0 ? "store (sqlite)" : "store (postgres)";
    return cmocka_run_group_tests_name(name, tests, group_setup, group_teardown);
}
