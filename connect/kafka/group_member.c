/* A blocking classic-group member (group_member.h). */
#include "connect/kafka/group_member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "connect/api/log.h"

#define BACKOFF_MAX_MS 1000

struct kc_group_member {
    kc_broker_settings broker;   /* strings owned (strdup) */
    char *bootstrap;
    char *group_id;
    char *protocol_type;
    kc_group_protocol *protocols; /* names and metadata owned */
    size_t protocol_count;
    int session_timeout_ms, rebalance_timeout_ms, heartbeat_interval_ms, request_timeout_ms, retry_backoff_ms;
    kc_group_assign_fn assign;
    void *opaque;

    kc_broker_conn *coord;
    kc_group_state state;
    int32_t generation;
    char member_id[KC_GROUP_STR_MAX];
    char leader[KC_GROUP_STR_MAX];
    char protocol[KC_GROUP_STR_MAX];
    unsigned char *assignment;
    size_t assignment_len;
    int rejoin_needed;
    long last_hb_sent_ms;
    long last_hb_ok_ms;
};

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

const char *kc_group_state_name(kc_group_state s)
{
    switch (s) {
    case KC_GROUP_UNJOINED: return "UNJOINED";
    case KC_GROUP_PREPARING_REBALANCE: return "PREPARING_REBALANCE";
    case KC_GROUP_COMPLETING_REBALANCE: return "COMPLETING_REBALANCE";
    case KC_GROUP_STABLE: return "STABLE";
    }
    return "?";
}

static void set_state(kc_group_member *m, kc_group_state s, const char *why)
{
    if (m->state == s)
        return;
    kc_log(KC_LOG_INFO, KC_GROUP_LOGGER, "group %s member %s: join state %s -> %s (%s)", m->group_id,
           m->member_id[0] ? m->member_id : "(none)", kc_group_state_name(m->state), kc_group_state_name(s), why);
    m->state = s;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void free_secret(char *s)
{
    if (s) {
        OPENSSL_cleanse(s, strlen(s));
        free(s);
    }
}

static void free_protocols(kc_group_member *m)
{
    for (size_t i = 0; i < m->protocol_count; i++) {
        free((char *)m->protocols[i].name);
        free((unsigned char *)m->protocols[i].metadata);
    }
    free(m->protocols);
    m->protocols = NULL;
    m->protocol_count = 0;
}

int kc_group_member_set_protocols(kc_group_member *m, const kc_group_protocol *protocols, size_t count)
{
    kc_group_protocol *p = calloc(count ? count : 1, sizeof *p);
    if (!p)
        return -1;
    for (size_t i = 0; i < count; i++) {
        p[i].name = strdup(protocols[i].name ? protocols[i].name : "");
        unsigned char *md = malloc(protocols[i].metadata_len ? protocols[i].metadata_len : 1);
        if (md && protocols[i].metadata_len)
            memcpy(md, protocols[i].metadata, protocols[i].metadata_len);
        p[i].metadata = md;
        p[i].metadata_len = protocols[i].metadata_len;
        if (!p[i].name || !md) {
            for (size_t j = 0; j <= i; j++) {
                free((char *)p[j].name);
                free((unsigned char *)p[j].metadata);
            }
            free(p);
            return -1;
        }
    }
    free_protocols(m);
    m->protocols = p;
    m->protocol_count = count;
    return 0;
}

kc_group_member *kc_group_member_new(const kc_group_member_config *cfg, kc_error *err)
{
    if (!cfg->bootstrap || !cfg->group_id || !cfg->group_id[0] || cfg->protocol_count == 0 || !cfg->assign) {
        kc_error_set(err, KC_ERR_INVALID, "group member needs bootstrap servers, a group id, protocols and an assignor");
        return NULL;
    }
    kc_group_member *m = calloc(1, sizeof *m);
    if (!m) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    m->broker = cfg->broker;
    m->broker.user = dup_or_null(cfg->broker.user);
    m->broker.password = dup_or_null(cfg->broker.password);
    m->broker.ca_location = dup_or_null(cfg->broker.ca_location);
    m->broker.cert_location = dup_or_null(cfg->broker.cert_location);
    m->broker.key_location = dup_or_null(cfg->broker.key_location);
    m->broker.key_password = dup_or_null(cfg->broker.key_password);
    m->broker.client_id = dup_or_null(cfg->broker.client_id ? cfg->broker.client_id : "kconnect");
    m->bootstrap = strdup(cfg->bootstrap);
    m->group_id = strdup(cfg->group_id);
    m->protocol_type = strdup(cfg->protocol_type ? cfg->protocol_type : "connect");
    m->session_timeout_ms = cfg->session_timeout_ms > 0 ? cfg->session_timeout_ms : 10000;
    m->rebalance_timeout_ms = cfg->rebalance_timeout_ms > 0 ? cfg->rebalance_timeout_ms : 60000;
    m->heartbeat_interval_ms = cfg->heartbeat_interval_ms > 0 ? cfg->heartbeat_interval_ms : 3000;
    m->request_timeout_ms = cfg->request_timeout_ms > 0 ? cfg->request_timeout_ms : 40000;
    m->retry_backoff_ms = cfg->retry_backoff_ms > 0 ? cfg->retry_backoff_ms : 100;
    m->assign = cfg->assign;
    m->opaque = cfg->opaque;
    m->generation = -1;
    m->state = KC_GROUP_UNJOINED;
    m->rejoin_needed = 1;
    if (!m->bootstrap || !m->group_id || !m->protocol_type || !m->broker.client_id ||
        kc_group_member_set_protocols(m, cfg->protocols, cfg->protocol_count) != 0) {
        kc_group_member_free(m);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    return m;
}

void kc_group_member_free(kc_group_member *m)
{
    if (!m)
        return;
    kc_broker_conn_close(m->coord);
    free_secret((char *)m->broker.user);
    free_secret((char *)m->broker.password);
    free((char *)m->broker.ca_location);
    free((char *)m->broker.cert_location);
    free((char *)m->broker.key_location);
    free_secret((char *)m->broker.key_password);
    free((char *)m->broker.client_id);
    free(m->bootstrap);
    free(m->group_id);
    free(m->protocol_type);
    free_protocols(m);
    free(m->assignment);
    free(m);
}

static void coordinator_unknown(kc_group_member *m, const char *why)
{
    if (m->coord) {
        kc_log(KC_LOG_INFO, KC_GROUP_LOGGER, "group %s: coordinator %s marked unknown (%s)", m->group_id,
               kc_broker_conn_name(m->coord), why);
        kc_broker_conn_close(m->coord);
        m->coord = NULL;
    }
}

static void reset_generation(kc_group_member *m, int keep_member_id, const char *why)
{
    m->generation = -1;
    m->leader[0] = '\0';
    m->protocol[0] = '\0';
    if (!keep_member_id)
        m->member_id[0] = '\0';
    m->rejoin_needed = 1;
    set_state(m, KC_GROUP_UNJOINED, why);
}

/* Sends frame b on conn and returns the response body reader. Closes nothing. */
static int exchange(kc_broker_conn *c, kc_kbuf *b, int32_t corr, int timeout_ms, kc_kreader *r, const char *what,
                    kc_error *err)
{
    if (b->failed) {
        kc_kbuf_free(b);
        return kc_error_set(err, KC_ERR_INTERNAL, "cannot encode %s", what);
    }
    const unsigned char *p = NULL;
    size_t len = 0;
    int rc = kc_broker_conn_roundtrip(c, b->data, b->len, corr, timeout_ms, &p, &len, err);
    kc_kbuf_free(b);
    if (rc)
        return kc_error_prefix(err, "%s", what);
    int32_t got = 0;
    return kc_group_response_begin(r, p, len, &got, err);
}

static int split_host_port(const char *entry, size_t n, char *host, size_t cap, int *port)
{
    while (n && (*entry == ' ' || *entry == '\t')) {
        entry++;
        n--;
    }
    while (n && (entry[n - 1] == ' ' || entry[n - 1] == '\t'))
        n--;
    const char *colon = NULL;
    for (size_t i = 0; i < n; i++)
        if (entry[i] == ':')
            colon = entry + i;
    if (!colon)
        return -1;
    const char *h = entry;
    size_t hl = (size_t)(colon - entry);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= cap)
        return -1;
    memcpy(host, h, hl);
    host[hl] = '\0';
    *port = atoi(colon + 1);
    return *port > 0 && *port < 65536 ? 0 : -1;
}

/* FindCoordinator on the bootstrap brokers, then connects to the coordinator. 0, or -1 with err;
 * *fatal when retrying cannot help. */
static int find_coordinator(kc_group_member *m, int *fatal, kc_error *err)
{
    *fatal = 0;
    kc_error_set(err, KC_ERR_UNREACHABLE, "no bootstrap broker in \"%s\"", m->bootstrap);
    const char *p = m->bootstrap;
    while (*p) {
        size_t n = strcspn(p, ",");
        char host[256];
        int port = 0;
        if (split_host_port(p, n, host, sizeof host, &port) == 0) {
            kc_broker_conn *c = kc_broker_conn_open(&m->broker, host, port, err);
            if (!c) {
                if (err && (err->code == KC_ERR_AUTH || err->code == KC_ERR_TLS))
                    *fatal = 1;
            } else {
                kc_kbuf b;
                kc_kbuf_init(&b, 65536);
                int32_t corr = kc_broker_conn_next_corr(c);
                kc_find_coordinator_request(&b, corr, m->broker.client_id, m->group_id);
                kc_kreader r;
                kc_find_coordinator_resp fc;
                int rc = exchange(c, &b, corr, m->request_timeout_ms, &r, "FindCoordinator", err);
                if (rc == 0)
                    rc = kc_find_coordinator_response(&r, &fc, err);
                kc_broker_conn_close(c);
                if (rc == 0 && fc.error_code != 0) {
                    kc_error_set(err, fc.error_code == KC_KAFKA_ERR_GROUP_AUTHORIZATION_FAILED ? KC_ERR_FORBIDDEN
                                                                                            : KC_ERR_UNAVAILABLE,
                                 "FindCoordinator for group %s: %s (%d)%s%s", m->group_id,
                                 kc_group_error_name(fc.error_code), fc.error_code, fc.error_message[0] ? ": " : "",
                                 fc.error_message);
                    if (fc.error_code == KC_KAFKA_ERR_GROUP_AUTHORIZATION_FAILED)
                        *fatal = 1;
                    rc = -1;
                }
                if (rc == 0) {
                    m->coord = kc_broker_conn_open(&m->broker, fc.host, fc.port, err);
                    if (!m->coord)
                        return kc_error_prefix(err, "group %s coordinator", m->group_id);
                    int jg = kc_broker_conn_api_max(m->coord, KC_API_JOIN_GROUP);
                    int sg = kc_broker_conn_api_max(m->coord, KC_API_SYNC_GROUP);
                    int hb = kc_broker_conn_api_max(m->coord, KC_API_HEARTBEAT);
                    int lg = kc_broker_conn_api_max(m->coord, KC_API_LEAVE_GROUP);
                    if (jg < KC_JOIN_GROUP_MIN || sg < KC_SYNC_GROUP_MIN || hb < KC_HEARTBEAT_VERSION ||
                        lg < KC_LEAVE_GROUP_MIN) {
                        kc_broker_conn_close(m->coord);
                        m->coord = NULL;
                        *fatal = 1;
                        return kc_error_set(err, KC_ERR_INVALID,
                                            "broker %s:%d is too old for the group APIs kconnect uses", fc.host,
                                            (int)fc.port);
                    }
                    kc_log(KC_LOG_DEBUG, KC_GROUP_LOGGER, "group %s: coordinator is node %d at %s:%d", m->group_id,
                           (int)fc.node_id, fc.host, (int)fc.port);
                    return 0;
                }
                if (*fatal)
                    return -1;
            }
            if (*fatal)
                return -1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return -1;
}

static int16_t pick(int broker_max, int ours)
{
    return (int16_t)(broker_max < ours ? broker_max : ours);
}

static int fatal_error(kc_group_member *m, const char *api, int16_t code, kc_error *err)
{
    reset_generation(m, 1, api);
    return kc_error_set(err, code == KC_KAFKA_ERR_GROUP_AUTHORIZATION_FAILED ? KC_ERR_FORBIDDEN : KC_ERR_INVALID,
                        "%s for group %s failed: %s (%d)", api, m->group_id, kc_group_error_name(code), code);
}

/* SyncGroup after a successful JoinGroup. 0 = STABLE, 1 = retry the join, -1 = fatal (err). */
static int sync_group(kc_group_member *m, const kc_join_group_resp *jr, kc_error *err)
{
    kc_group_assignment *as = NULL;
    size_t count = 0;
    if (strcmp(jr->leader, jr->member_id) == 0) {
        count = jr->member_count;
        as = calloc(count ? count : 1, sizeof *as);
        if (!as)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        if (m->assign(m->opaque, m->protocol, m->leader, jr->members, count, as, err) != 0) {
            for (size_t i = 0; i < count; i++)
                free((void *)as[i].data);
            free(as);
            reset_generation(m, 1, "assignment failed");
            return kc_error_prefix(err, "group %s assignor", m->group_id);
        }
        for (size_t i = 0; i < count; i++)
            as[i].member_id = jr->members[i].member_id;
    }
    int16_t version = pick(kc_broker_conn_api_max(m->coord, KC_API_SYNC_GROUP), KC_SYNC_GROUP_MAX);
    kc_sync_group_req req = {.group_id = m->group_id, .generation_id = m->generation, .member_id = m->member_id,
                             .protocol_type = m->protocol_type, .protocol_name = m->protocol,
                             .assignments = as, .assignment_count = count};
    kc_kbuf b;
    kc_kbuf_init(&b, KC_KAFKA_FRAME_MAX);
    int32_t corr = kc_broker_conn_next_corr(m->coord);
    kc_sync_group_request(&b, version, corr, m->broker.client_id, &req);
    for (size_t i = 0; i < count; i++)
        free((void *)as[i].data);
    free(as);
    kc_kreader r;
    kc_sync_group_resp sr;
    int timeout = m->request_timeout_ms > m->rebalance_timeout_ms ? m->request_timeout_ms : m->rebalance_timeout_ms;
    if (exchange(m->coord, &b, corr, timeout, &r, "SyncGroup", err) || kc_sync_group_response(&r, version, &sr, err)) {
        coordinator_unknown(m, err ? err->msg : "SyncGroup failed");
        set_state(m, KC_GROUP_UNJOINED, "SyncGroup failed");
        return 1;
    }
    switch (sr.error_code) {
    case 0:
        break;
    case KC_KAFKA_ERR_REBALANCE_IN_PROGRESS:
        set_state(m, KC_GROUP_UNJOINED, "SyncGroup: REBALANCE_IN_PROGRESS");
        return 1;
    case KC_KAFKA_ERR_UNKNOWN_MEMBER_ID:
        reset_generation(m, 0, "SyncGroup: UNKNOWN_MEMBER_ID");
        return 1;
    case KC_KAFKA_ERR_ILLEGAL_GENERATION:
        reset_generation(m, 1, "SyncGroup: ILLEGAL_GENERATION");
        return 1;
    case KC_KAFKA_ERR_COORDINATOR_NOT_AVAILABLE:
    case KC_KAFKA_ERR_NOT_COORDINATOR:
        coordinator_unknown(m, kc_group_error_name(sr.error_code));
        set_state(m, KC_GROUP_UNJOINED, "SyncGroup: coordinator moved");
        return 1;
    default:
        return fatal_error(m, "SyncGroup", sr.error_code, err);
    }
    if (!sr.protocol_name_null && strcmp(sr.protocol_name, m->protocol) != 0)
        return fatal_error(m, "SyncGroup", KC_KAFKA_ERR_INCONSISTENT_GROUP_PROTOCOL, err);
    unsigned char *copy = malloc(sr.assignment_len ? sr.assignment_len : 1);
    if (!copy)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    if (sr.assignment_len)
        memcpy(copy, sr.assignment, sr.assignment_len);
    free(m->assignment);
    m->assignment = copy;
    m->assignment_len = sr.assignment_len;
    m->rejoin_needed = 0;
    m->last_hb_ok_ms = now_ms();
    set_state(m, KC_GROUP_STABLE, "SyncGroup ok");
    kc_log(KC_LOG_INFO, KC_GROUP_LOGGER, "group %s: joined generation %d as %s (%s, leader %s, protocol %s, %zu "
           "assignment bytes)", m->group_id, (int)m->generation, m->member_id,
           strcmp(m->leader, m->member_id) == 0 ? "leader" : "follower", m->leader, m->protocol, m->assignment_len);
    return 0;
}

int kc_group_member_join(kc_group_member *m, int timeout_ms, kc_error *err)
{
    long deadline = now_ms() + timeout_ms;
    long backoff = m->retry_backoff_ms;
    kc_error last;
    kc_error_set(&last, KC_ERR_TIMEOUT, "no attempt finished");
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            set_state(m, KC_GROUP_UNJOINED, "join timed out");
            return kc_error_set(err, KC_ERR_TIMEOUT, "timed out joining group %s (last: %s)", m->group_id, last.msg);
        }
        if (!m->coord) {
            int fatal = 0;
            if (find_coordinator(m, &fatal, &last) != 0) {
                if (fatal) {
                    if (err)
                        *err = last;
                    return -1;
                }
                sleep_ms(backoff < left ? backoff : left);
                backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
                continue;
            }
            backoff = m->retry_backoff_ms;
        }
        int16_t version = pick(kc_broker_conn_api_max(m->coord, KC_API_JOIN_GROUP), KC_JOIN_GROUP_MAX);
        kc_join_group_req req = {.group_id = m->group_id, .session_timeout_ms = m->session_timeout_ms,
                                 .rebalance_timeout_ms = m->rebalance_timeout_ms, .member_id = m->member_id,
                                 .protocol_type = m->protocol_type, .protocols = m->protocols,
                                 .protocol_count = m->protocol_count, .reason = "rebalance requested"};
        kc_kbuf b;
        kc_kbuf_init(&b, KC_KAFKA_FRAME_MAX);
        int32_t corr = kc_broker_conn_next_corr(m->coord);
        kc_join_group_request(&b, version, corr, m->broker.client_id, &req);
        set_state(m, KC_GROUP_PREPARING_REBALANCE, "JoinGroup sent");
        int timeout = m->rebalance_timeout_ms + 5000;
        if (timeout < m->request_timeout_ms)
            timeout = m->request_timeout_ms;
        kc_kreader r;
        kc_join_group_resp jr;
        memset(&jr, 0, sizeof jr);
        if (exchange(m->coord, &b, corr, timeout, &r, "JoinGroup", &last) ||
            kc_join_group_response(&r, version, &jr, &last)) {
            coordinator_unknown(m, last.msg);
            set_state(m, KC_GROUP_UNJOINED, "JoinGroup failed");
            sleep_ms(m->retry_backoff_ms);
            continue;
        }
        int16_t ec = jr.error_code;
        if (ec != 0) {
            kc_error_set(&last, KC_ERR_UNAVAILABLE, "JoinGroup: %s (%d)", kc_group_error_name(ec), ec);
            if (ec == KC_KAFKA_ERR_MEMBER_ID_REQUIRED) {
                snprintf(m->member_id, sizeof m->member_id, "%s", jr.member_id);
                kc_log(KC_LOG_DEBUG, KC_GROUP_LOGGER, "group %s: MEMBER_ID_REQUIRED, rejoining as %s", m->group_id,
                       m->member_id);
            } else if (ec == KC_KAFKA_ERR_UNKNOWN_MEMBER_ID) {
                reset_generation(m, 0, "JoinGroup: UNKNOWN_MEMBER_ID");
            } else if (ec == KC_KAFKA_ERR_REBALANCE_IN_PROGRESS) {
                set_state(m, KC_GROUP_UNJOINED, "JoinGroup: REBALANCE_IN_PROGRESS");
            } else if (ec == KC_KAFKA_ERR_COORDINATOR_LOAD_IN_PROGRESS) {
                set_state(m, KC_GROUP_UNJOINED, "JoinGroup: COORDINATOR_LOAD_IN_PROGRESS");
                sleep_ms(m->retry_backoff_ms);
            } else if (ec == KC_KAFKA_ERR_COORDINATOR_NOT_AVAILABLE || ec == KC_KAFKA_ERR_NOT_COORDINATOR) {
                coordinator_unknown(m, kc_group_error_name(ec));
                set_state(m, KC_GROUP_UNJOINED, "JoinGroup: coordinator moved");
                sleep_ms(m->retry_backoff_ms);
            } else {
                kc_join_group_resp_free(&jr);
                return fatal_error(m, "JoinGroup", ec, err);
            }
            kc_join_group_resp_free(&jr);
            continue;
        }
        if ((!jr.protocol_type_null && strcmp(jr.protocol_type, m->protocol_type) != 0) || jr.protocol_name_null) {
            kc_join_group_resp_free(&jr);
            return fatal_error(m, "JoinGroup", KC_KAFKA_ERR_INCONSISTENT_GROUP_PROTOCOL, err);
        }
        if (jr.skip_assignment) {
            kc_join_group_resp_free(&jr);
            reset_generation(m, 1, "JoinGroup: SkipAssignment");
            return kc_error_set(err, KC_ERR_INVALID, "JoinGroup for group %s asked to skip the assignment (static "
                                "membership is not supported)", m->group_id);
        }
        m->generation = jr.generation_id;
        snprintf(m->member_id, sizeof m->member_id, "%s", jr.member_id);
        snprintf(m->leader, sizeof m->leader, "%s", jr.leader);
        snprintf(m->protocol, sizeof m->protocol, "%s", jr.protocol_name);
        m->last_hb_sent_ms = m->last_hb_ok_ms = now_ms();
        set_state(m, KC_GROUP_COMPLETING_REBALANCE, "JoinGroup ok");
        int rc = sync_group(m, &jr, &last);
        kc_join_group_resp_free(&jr);
        if (rc == 0)
            return 0;
        if (rc < 0) {
            if (err)
                *err = last;
            return -1;
        }
    }
}

kc_group_poll_result kc_group_member_poll(kc_group_member *m, kc_error *err)
{
    if (m->state != KC_GROUP_STABLE || m->rejoin_needed)
        return KC_GROUP_REJOIN;
    long now = now_ms();
    if (now - m->last_hb_ok_ms > m->session_timeout_ms) {
        coordinator_unknown(m, "session timed out without a heartbeat response");
        reset_generation(m, 1, "session timeout");
        return KC_GROUP_REJOIN;
    }
    if (now - m->last_hb_sent_ms < m->heartbeat_interval_ms)
        return KC_GROUP_OK;
    m->last_hb_sent_ms = now;
    if (!m->coord) {
        int fatal = 0;
        if (find_coordinator(m, &fatal, err) != 0) {
            /* retry after the backoff, not the full interval */
            m->last_hb_sent_ms = now - m->heartbeat_interval_ms + m->retry_backoff_ms;
            return KC_GROUP_ERROR;
        }
    }
    kc_kbuf b;
    kc_kbuf_init(&b, 65536);
    int32_t corr = kc_broker_conn_next_corr(m->coord);
    kc_heartbeat_request(&b, corr, m->broker.client_id, m->group_id, m->generation, m->member_id);
    kc_kreader r;
    kc_heartbeat_resp hr;
    if (exchange(m->coord, &b, corr, m->request_timeout_ms, &r, "Heartbeat", err) ||
        kc_heartbeat_response(&r, &hr, err)) {
        coordinator_unknown(m, "Heartbeat failed");
        m->last_hb_sent_ms = now - m->heartbeat_interval_ms + m->retry_backoff_ms;
        return KC_GROUP_ERROR;
    }
    switch (hr.error_code) {
    case 0:
        m->last_hb_ok_ms = now_ms();
        return KC_GROUP_OK;
    case KC_KAFKA_ERR_REBALANCE_IN_PROGRESS:
        m->last_hb_ok_ms = now_ms();
        m->rejoin_needed = 1;
        kc_log(KC_LOG_INFO, KC_GROUP_LOGGER, "group %s member %s: rebalance in progress, rejoin needed", m->group_id,
               m->member_id);
        return KC_GROUP_REJOIN;
    case KC_KAFKA_ERR_ILLEGAL_GENERATION:
        reset_generation(m, 1, "Heartbeat: ILLEGAL_GENERATION");
        return KC_GROUP_REJOIN;
    case KC_KAFKA_ERR_UNKNOWN_MEMBER_ID:
    case KC_KAFKA_ERR_FENCED_INSTANCE_ID:
        reset_generation(m, 0, kc_group_error_name(hr.error_code));
        return KC_GROUP_REJOIN;
    case KC_KAFKA_ERR_COORDINATOR_NOT_AVAILABLE:
    case KC_KAFKA_ERR_NOT_COORDINATOR:
        coordinator_unknown(m, kc_group_error_name(hr.error_code));
        kc_error_set(err, KC_ERR_UNAVAILABLE, "Heartbeat: %s", kc_group_error_name(hr.error_code));
        return KC_GROUP_ERROR;
    default:
        m->last_hb_sent_ms = now - m->heartbeat_interval_ms + m->retry_backoff_ms;
        kc_error_set(err, KC_ERR_UNAVAILABLE, "Heartbeat for group %s: %s (%d)", m->group_id,
                     kc_group_error_name(hr.error_code), hr.error_code);
        return KC_GROUP_ERROR;
    }
}

int kc_group_member_leave(kc_group_member *m, const char *reason, kc_error *err)
{
    int rc = 0;
    if (m->coord && m->member_id[0] && m->state != KC_GROUP_UNJOINED) {
        int16_t version = pick(kc_broker_conn_api_max(m->coord, KC_API_LEAVE_GROUP), KC_LEAVE_GROUP_MAX);
        kc_kbuf b;
        kc_kbuf_init(&b, 65536);
        int32_t corr = kc_broker_conn_next_corr(m->coord);
        kc_leave_group_request(&b, version, corr, m->broker.client_id, m->group_id, m->member_id, reason);
        kc_kreader r;
        kc_leave_group_resp lr;
        if (exchange(m->coord, &b, corr, m->request_timeout_ms, &r, "LeaveGroup", err) ||
            kc_leave_group_response(&r, &lr, err)) {
            coordinator_unknown(m, "LeaveGroup failed");
            rc = -1;
        } else if (lr.error_code != 0 || lr.member_error_code != 0) {
            int16_t ec = lr.error_code ? lr.error_code : lr.member_error_code;
            rc = kc_error_set(err, KC_ERR_UNAVAILABLE, "LeaveGroup for group %s: %s (%d)", m->group_id,
                              kc_group_error_name(ec), ec);
        }
        kc_log(rc ? KC_LOG_WARN : KC_LOG_INFO, KC_GROUP_LOGGER, "group %s member %s: left the group (%s)%s%s",
               m->group_id, m->member_id, reason ? reason : "no reason", rc && err ? ": " : "", rc && err ? err->msg : "");
    }
    reset_generation(m, 0, "left the group");
    return rc;
}

kc_group_state kc_group_member_state(const kc_group_member *m) { return m->state; }
int32_t kc_group_member_generation(const kc_group_member *m) { return m->generation; }
const char *kc_group_member_id(const kc_group_member *m) { return m->member_id; }
const char *kc_group_member_leader_id(const kc_group_member *m) { return m->leader; }
const char *kc_group_member_protocol(const kc_group_member *m) { return m->protocol; }

int kc_group_member_is_leader(const kc_group_member *m)
{
    return m->member_id[0] && strcmp(m->member_id, m->leader) == 0;
}

const unsigned char *kc_group_member_assignment(const kc_group_member *m, size_t *len)
{
    *len = m->assignment_len;
    return m->assignment;
}
