/*
 * kconnect's own group client (connect/kafka/group_member.h) against the test bed's cluster A,
 * over PLAINTEXT and over SASL_SSL with SCRAM-SHA-512: two members join one group with protocol
 * "sessioned", one is elected leader and its assignment bytes reach both, heartbeats keep them in
 * past the session timeout, a third member triggers a rebalance both notice, leaving triggers
 * another. Also: a wrong password and a wrong CA give clear KC_ERR_AUTH / KC_ERR_TLS errors.
 * Each member runs on its own thread (the client is blocking).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "connect/kafka/broker_conn.h"
#include "connect/kafka/group_member.h"
#include "kc_test.h"

typedef struct worker {
    const char *name;
    char meta[32];
    kc_group_member *m;
    pthread_t thread;
    pthread_mutex_t lock;
    int stop;
    /* observed, under lock */
    int stable;
    int32_t generation;
    int leader;
    char member_id[KC_GROUP_STR_MAX];
    char assignment[1024];
    int assigned_members;     /* members the last assignment as leader covered */
    int noticed;              /* rebalances noticed by poll */
    int errors;
    char last_error[KC_ERROR_MSG_MAX];
} worker;

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int assign(void *opaque, const char *protocol, const char *leader_id, const kc_join_member *members,
                  size_t count, kc_group_assignment *out, kc_error *err)
{
    worker *w = opaque;
    (void)leader_id;
    if (strcmp(protocol, "sessioned") != 0)
        return kc_error_set(err, KC_ERR_INVALID, "unexpected protocol %s", protocol);
    for (size_t i = 0; i < count; i++) {
        char buf[1024];
        int n = snprintf(buf, sizeof buf, "assigned:%s:%.*s", members[i].member_id, (int)members[i].metadata_len,
                         (const char *)members[i].metadata);
        unsigned char *d = malloc((size_t)n);
        memcpy(d, buf, (size_t)n);
        out[i].data = d;
        out[i].len = (size_t)n;
    }
    pthread_mutex_lock(&w->lock);
    w->assigned_members = (int)count;
    pthread_mutex_unlock(&w->lock);
    return 0;
}

static void *run(void *arg)
{
    worker *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->lock);
        int stop = w->stop;
        pthread_mutex_unlock(&w->lock);
        if (stop)
            break;
        kc_error err;
        kc_error_clear(&err);
        if (kc_group_member_state(w->m) != KC_GROUP_STABLE) {
            pthread_mutex_lock(&w->lock);
            w->stable = 0;
            pthread_mutex_unlock(&w->lock);
            if (kc_group_member_join(w->m, 60000, &err) != 0) {
                pthread_mutex_lock(&w->lock);
                w->errors++;
                snprintf(w->last_error, sizeof w->last_error, "%s", err.msg);
                pthread_mutex_unlock(&w->lock);
                fprintf(stderr, "%s: join failed: %s\n", w->name, err.msg);
                sleep_ms(500);
                continue;
            }
            size_t len = 0;
            const unsigned char *a = kc_group_member_assignment(w->m, &len);
            pthread_mutex_lock(&w->lock);
            w->stable = 1;
            w->generation = kc_group_member_generation(w->m);
            w->leader = kc_group_member_is_leader(w->m);
            snprintf(w->member_id, sizeof w->member_id, "%s", kc_group_member_id(w->m));
            snprintf(w->assignment, sizeof w->assignment, "%.*s", (int)len, (const char *)a);
            pthread_mutex_unlock(&w->lock);
        }
        kc_group_poll_result r = kc_group_member_poll(w->m, &err);
        if (r == KC_GROUP_REJOIN) {
            pthread_mutex_lock(&w->lock);
            w->noticed++;
            w->stable = 0;
            pthread_mutex_unlock(&w->lock);
            if (kc_group_member_state(w->m) == KC_GROUP_STABLE) {
                /* rejoin needed while still in the old generation: join again */
                kc_error e2;
                if (kc_group_member_join(w->m, 60000, &e2) == 0) {
                    size_t len = 0;
                    const unsigned char *a = kc_group_member_assignment(w->m, &len);
                    pthread_mutex_lock(&w->lock);
                    w->stable = 1;
                    w->generation = kc_group_member_generation(w->m);
                    w->leader = kc_group_member_is_leader(w->m);
                    snprintf(w->assignment, sizeof w->assignment, "%.*s", (int)len, (const char *)a);
                    pthread_mutex_unlock(&w->lock);
                }
            }
        } else if (r == KC_GROUP_ERROR) {
            pthread_mutex_lock(&w->lock);
            w->errors++;
            snprintf(w->last_error, sizeof w->last_error, "%s", err.msg);
            pthread_mutex_unlock(&w->lock);
        }
        sleep_ms(50);
    }
    kc_error err;
    kc_error_clear(&err);
    kc_group_member_leave(w->m, "test finished", &err);
    return NULL;
}

static void settings_for(kc_broker_settings *s, int secure, const char *password, const char *ca)
{
    memset(s, 0, sizeof *s);
    s->client_id = "it-group-member";
    s->connect_timeout_ms = 10000;
    if (secure) {
        s->tls = 1;
        s->sasl = 1;
        s->mech = KC_SASL_SCRAM_SHA_512;
        s->user = kc_testbed_require("KC_ADMIN_USER");
        s->password = password ? password : kc_testbed_require("KC_ADMIN_PASSWORD");
        s->ca_location = ca ? ca : kc_testbed_require("KC_CA_FILE");
        s->verify_host = 1;
    }
}

static worker *start(const char *name, const char *bootstrap, const char *group, int secure)
{
    worker *w = calloc(1, sizeof *w);
    w->name = name;
    pthread_mutex_init(&w->lock, NULL);
    snprintf(w->meta, sizeof w->meta, "meta-%s", name);
    kc_group_protocol protos[2] = {
        {.name = "sessioned", .metadata = (const unsigned char *)w->meta, .metadata_len = strlen(w->meta)},
        {.name = "compatible", .metadata = (const unsigned char *)"x", .metadata_len = 1},
    };
    kc_group_member_config cfg;
    memset(&cfg, 0, sizeof cfg);
    settings_for(&cfg.broker, secure, NULL, NULL);
    cfg.bootstrap = bootstrap;
    cfg.group_id = group;
    cfg.protocols = protos;
    cfg.protocol_count = 2;
    cfg.session_timeout_ms = 10000;
    cfg.rebalance_timeout_ms = 30000;
    cfg.heartbeat_interval_ms = 1000;
    cfg.request_timeout_ms = 40000;
    cfg.assign = assign;
    cfg.opaque = w;
    kc_error err;
    w->m = kc_group_member_new(&cfg, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(w->m);
    CU_ASSERT_FATAL(pthread_create(&w->thread, NULL, run, w) == 0);
    return w;
}

static void stop(worker *w)
{
    pthread_mutex_lock(&w->lock);
    w->stop = 1;
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    kc_group_member_free(w->m);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

typedef struct snap {
    int stable;
    int32_t generation;
    int leader;
    char member_id[KC_GROUP_STR_MAX];
    char assignment[1024];
    int assigned_members;
    int noticed;
} snap;

static void take(worker *w, snap *s)
{
    pthread_mutex_lock(&w->lock);
    s->stable = w->stable;
    s->generation = w->generation;
    s->leader = w->leader;
    snprintf(s->member_id, sizeof s->member_id, "%s", w->member_id);
    snprintf(s->assignment, sizeof s->assignment, "%s", w->assignment);
    s->assigned_members = w->assigned_members;
    s->noticed = w->noticed;
    pthread_mutex_unlock(&w->lock);
}

/* Waits until all n workers are STABLE in one generation above min_gen whose leader assigned n
 * members. Returns that generation, or -1 after timeout. */
static int32_t wait_stable(worker **ws, int n, int32_t min_gen, long timeout_ms)
{
    long waited = 0;
    for (; waited < timeout_ms; waited += 100) {
        snap s[3];
        int ok = 1, leaders = 0, assigned = 0;
        for (int i = 0; i < n; i++) {
            take(ws[i], &s[i]);
            if (!s[i].stable || s[i].generation <= min_gen || s[i].generation != s[0].generation)
                ok = 0;
            if (s[i].leader) {
                leaders++;
                assigned = s[i].assigned_members;
            }
        }
        if (ok && leaders == 1 && assigned == n) {
            for (int i = 0; i < n; i++) {
                char want[1100];
                snprintf(want, sizeof want, "assigned:%s:meta-%s", s[i].member_id, ws[i]->name);
                CU_ASSERT_STRING_EQUAL(s[i].assignment, want);
            }
            printf("\n  generation %d stable with %d members\n", (int)s[0].generation, n);
            return s[0].generation;
        }
        sleep_ms(100);
    }
    return -1;
}

static void scenario(const char *bootstrap, int secure)
{
    char group[128];
    snprintf(group, sizeof group, "it-group-%s-%ld-%ld", secure ? "sasl" : "plain", (long)getpid(), (long)time(NULL));
    worker *a = start("A", bootstrap, group, secure);
    worker *b = start("B", bootstrap, group, secure);
    worker *ab[2] = {a, b};
    int32_t g1 = wait_stable(ab, 2, 0, 90000);
    CU_ASSERT_FATAL(g1 > 0);

    /* heartbeats keep both in past the session timeout */
    sleep_ms(12000);
    snap sa, sb;
    take(a, &sa);
    take(b, &sb);
    CU_ASSERT(sa.stable && sb.stable);
    CU_ASSERT_EQUAL(sa.generation, g1);
    CU_ASSERT_EQUAL(sb.generation, g1);
    int noticed_a = sa.noticed, noticed_b = sb.noticed;

    /* a third member: both notice the rebalance */
    worker *c = start("C", bootstrap, group, secure);
    worker *abc[3] = {a, b, c};
    int32_t g2 = wait_stable(abc, 3, g1, 90000);
    CU_ASSERT_FATAL(g2 > g1);
    take(a, &sa);
    take(b, &sb);
    CU_ASSERT(sa.noticed > noticed_a);
    CU_ASSERT(sb.noticed > noticed_b);

    /* C leaves: the others rebalance again without it */
    stop(c);
    int32_t g3 = wait_stable(ab, 2, g2, 90000);
    CU_ASSERT(g3 > g2);
    stop(a);
    stop(b);
}

static void test_plaintext(void)
{
    scenario(kc_testbed_require("KC_A_PLAINTEXT"), 0);
}

static void test_sasl_ssl_scram(void)
{
    scenario(kc_testbed_require("KC_A_SASL_SSL"), 1);
}

static void test_errors(void)
{
    char host[64];
    snprintf(host, sizeof host, "%s", kc_testbed_require("KC_A_SASL_SSL"));
    host[strcspn(host, ",")] = '\0'; /* the first broker of A */
    char *colon = strrchr(host, ':');
    *colon = '\0';
    int port = atoi(colon + 1);
    kc_broker_settings s;
    kc_error err;

    settings_for(&s, 1, NULL, NULL);
    kc_broker_conn *c = kc_broker_conn_open(&s, host, port, &err);
    CU_ASSERT_PTR_NOT_NULL(c);
    if (c)
        CU_ASSERT(kc_broker_conn_api_max(c, KC_API_JOIN_GROUP) >= KC_JOIN_GROUP_MIN);
    kc_broker_conn_close(c);

    settings_for(&s, 1, "wrong-password", NULL);
    CU_ASSERT_PTR_NULL(kc_broker_conn_open(&s, host, port, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_AUTH);
    CU_ASSERT(strstr(err.msg, "wrong-password") == NULL);
    printf("\n  wrong password: %s\n", err.msg);

    settings_for(&s, 1, NULL, kc_testbed_require("KC_WRONG_CA_FILE"));
    CU_ASSERT_PTR_NULL(kc_broker_conn_open(&s, host, port, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_TLS);
    printf("  wrong CA: %s\n", err.msg);

    settings_for(&s, 0, NULL, NULL);
    CU_ASSERT_PTR_NULL(kc_broker_conn_open(&s, "127.0.0.1", 1, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_UNREACHABLE);
    printf("  unreachable: %s\n", err.msg);

    /* plaintext client on the TLS port: bounded frame / disconnect, not a hang or a huge read */
    s.connect_timeout_ms = 5000;
    CU_ASSERT_PTR_NULL(kc_broker_conn_open(&s, host, port, &err));
    printf("  plaintext to TLS port: %s\n", err.msg);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"broker connection errors (auth, TLS, unreachable)", test_errors},
        {"two members, leader, heartbeats, third member, leave (PLAINTEXT)", test_plaintext},
        {"same over SASL_SSL + SCRAM-SHA-512", test_sasl_ssl_scram},
        {NULL, NULL},
    };
    return kc_test_run("group_member", cases);
}
