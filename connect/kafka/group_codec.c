/* Codecs of the classic group APIs (group_codec.h). */
#include "connect/kafka/group_codec.h"

#include <stdlib.h>
#include <string.h>

const char *kc_group_error_name(int16_t code)
{
    switch (code) {
    case 0: return "NONE";
    case -1: return "UNKNOWN_SERVER_ERROR";
    case 14: return "COORDINATOR_LOAD_IN_PROGRESS";
    case 15: return "COORDINATOR_NOT_AVAILABLE";
    case 16: return "NOT_COORDINATOR";
    case 22: return "ILLEGAL_GENERATION";
    case 23: return "INCONSISTENT_GROUP_PROTOCOL";
    case 24: return "INVALID_GROUP_ID";
    case 25: return "UNKNOWN_MEMBER_ID";
    case 26: return "INVALID_SESSION_TIMEOUT";
    case 27: return "REBALANCE_IN_PROGRESS";
    case 30: return "GROUP_AUTHORIZATION_FAILED";
    case 33: return "UNSUPPORTED_SASL_MECHANISM";
    case 34: return "ILLEGAL_SASL_STATE";
    case 35: return "UNSUPPORTED_VERSION";
    case 42: return "INVALID_REQUEST";
    case 58: return "SASL_AUTHENTICATION_FAILED";
    case 79: return "MEMBER_ID_REQUIRED";
    case 81: return "GROUP_MAX_SIZE_REACHED";
    case 82: return "FENCED_INSTANCE_ID";
    default: return "error";
    }
}

size_t kc_group_request_begin(kc_kbuf *b, int16_t api_key, int16_t api_version, int32_t correlation_id,
                              const char *client_id)
{
    size_t start = b->len;
    kc_kw_i32(b, 0);
    kc_kw_i16(b, api_key);
    kc_kw_i16(b, api_version);
    kc_kw_i32(b, correlation_id);
    kc_kw_string(b, client_id); /* int16 length even in header v2 */
    kc_kw_no_tags(b);
    return start;
}

int kc_group_response_begin(kc_kreader *r, const void *payload, size_t len, int32_t *correlation_id, kc_error *err)
{
    kc_kr_init(r, payload, len);
    *correlation_id = kc_kr_i32(r);
    kc_kr_skip_tags(r);
    if (r->bad)
        return kc_error_set(err, KC_ERR_IO, "malformed response header");
    return 0;
}

/* A compact (nullable) string copied into out; *is_null when null. -1 (r->bad) when too long. */
static int read_str(kc_kreader *r, char *out, size_t cap, int *is_null)
{
    const char *s = NULL;
    size_t n = 0;
    out[0] = '\0';
    if (kc_kr_cstring(r, &s, &n))
        return -1;
    if (is_null)
        *is_null = s == NULL;
    if (n >= cap) {
        r->bad = 1;
        return -1;
    }
    if (s)
        memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

static int finish(kc_kreader *r, const char *what, kc_error *err)
{
    kc_kr_skip_tags(r);
    if (r->bad)
        return kc_error_set(err, KC_ERR_IO, "malformed %s response", what);
    return 0;
}

/* ---- FindCoordinator ---------------------------------------------------------------------------- */

int kc_find_coordinator_request(kc_kbuf *b, int32_t correlation_id, const char *client_id, const char *group_id)
{
    size_t start = kc_group_request_begin(b, KC_API_FIND_COORDINATOR, KC_FIND_COORDINATOR_VERSION, correlation_id,
                                          client_id);
    kc_kw_cstring(b, group_id);
    kc_kw_i8(b, 0); /* key type: group */
    kc_kw_no_tags(b);
    return kc_kafka_request_end(b, start);
}

int kc_find_coordinator_response(kc_kreader *r, kc_find_coordinator_resp *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->throttle_time_ms = kc_kr_i32(r);
    out->error_code = kc_kr_i16(r);
    read_str(r, out->error_message, sizeof out->error_message, NULL);
    out->node_id = kc_kr_i32(r);
    read_str(r, out->host, sizeof out->host, NULL);
    out->port = kc_kr_i32(r);
    return finish(r, "FindCoordinator", err);
}

/* ---- JoinGroup ---------------------------------------------------------------------------------- */

int kc_join_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                          const kc_join_group_req *req)
{
    if (version < KC_JOIN_GROUP_MIN || version > KC_JOIN_GROUP_MAX)
        return -1;
    size_t start = kc_group_request_begin(b, KC_API_JOIN_GROUP, version, correlation_id, client_id);
    kc_kw_cstring(b, req->group_id);
    kc_kw_i32(b, req->session_timeout_ms);
    kc_kw_i32(b, req->rebalance_timeout_ms);
    kc_kw_cstring(b, req->member_id ? req->member_id : "");
    kc_kw_cstring(b, NULL); /* group instance id: Connect never uses static membership */
    kc_kw_cstring(b, req->protocol_type);
    kc_kw_uvarint(b, (uint64_t)req->protocol_count + 1);
    for (size_t i = 0; i < req->protocol_count; i++) {
        kc_kw_cstring(b, req->protocols[i].name);
        kc_kw_cbytes(b, req->protocols[i].metadata ? (const void *)req->protocols[i].metadata : "",
                     req->protocols[i].metadata_len);
        kc_kw_no_tags(b);
    }
    if (version >= 8) {
        if (req->reason) {
            size_t n = strlen(req->reason);
            if (n > 255)
                n = 255;
            kc_kw_uvarint(b, (uint64_t)n + 1);
            kc_kw_raw(b, req->reason, n);
        } else {
            kc_kw_cstring(b, NULL);
        }
    }
    kc_kw_no_tags(b);
    return kc_kafka_request_end(b, start);
}

int kc_join_group_response(kc_kreader *r, int16_t version, kc_join_group_resp *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->throttle_time_ms = kc_kr_i32(r);
    out->error_code = kc_kr_i16(r);
    out->generation_id = kc_kr_i32(r);
    out->protocol_type_null = 1;
    if (version >= 7)
        read_str(r, out->protocol_type, sizeof out->protocol_type, &out->protocol_type_null);
    read_str(r, out->protocol_name, sizeof out->protocol_name, &out->protocol_name_null);
    read_str(r, out->leader, sizeof out->leader, NULL);
    if (version >= 9)
        out->skip_assignment = kc_kr_i8(r) != 0;
    read_str(r, out->member_id, sizeof out->member_id, NULL);
    uint64_t n = kc_kr_uvarint(r);
    if (!r->bad && n > 1) {
        n -= 1;
        /* each member takes at least 3 bytes: a bound against a forged count */
        if (n > kc_kr_remaining(r) / 3) {
            r->bad = 1;
        } else {
            out->members = calloc((size_t)n, sizeof *out->members);
            if (!out->members)
                return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
            out->member_count = (size_t)n;
            for (size_t i = 0; i < out->member_count && !r->bad; i++) {
                kc_join_member *m = &out->members[i];
                char instance[KC_GROUP_STR_MAX];
                read_str(r, m->member_id, sizeof m->member_id, NULL);
                read_str(r, instance, sizeof instance, NULL);
                kc_kr_cbytes(r, &m->metadata, &m->metadata_len);
                kc_kr_skip_tags(r);
            }
        }
    }
    if (finish(r, "JoinGroup", err)) {
        kc_join_group_resp_free(out);
        return -1;
    }
    return 0;
}

void kc_join_group_resp_free(kc_join_group_resp *out)
{
    free(out->members);
    out->members = NULL;
    out->member_count = 0;
}

/* ---- SyncGroup ---------------------------------------------------------------------------------- */

int kc_sync_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                          const kc_sync_group_req *req)
{
    if (version < KC_SYNC_GROUP_MIN || version > KC_SYNC_GROUP_MAX)
        return -1;
    size_t start = kc_group_request_begin(b, KC_API_SYNC_GROUP, version, correlation_id, client_id);
    kc_kw_cstring(b, req->group_id);
    kc_kw_i32(b, req->generation_id);
    kc_kw_cstring(b, req->member_id);
    kc_kw_cstring(b, NULL); /* group instance id */
    if (version >= 5) {
        kc_kw_cstring(b, req->protocol_type);
        kc_kw_cstring(b, req->protocol_name);
    }
    kc_kw_uvarint(b, (uint64_t)req->assignment_count + 1);
    for (size_t i = 0; i < req->assignment_count; i++) {
        kc_kw_cstring(b, req->assignments[i].member_id);
        kc_kw_cbytes(b, req->assignments[i].data ? (const void *)req->assignments[i].data : "",
                     req->assignments[i].len);
        kc_kw_no_tags(b);
    }
    kc_kw_no_tags(b);
    return kc_kafka_request_end(b, start);
}

int kc_sync_group_response(kc_kreader *r, int16_t version, kc_sync_group_resp *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->throttle_time_ms = kc_kr_i32(r);
    out->error_code = kc_kr_i16(r);
    out->protocol_type_null = out->protocol_name_null = 1;
    if (version >= 5) {
        read_str(r, out->protocol_type, sizeof out->protocol_type, &out->protocol_type_null);
        read_str(r, out->protocol_name, sizeof out->protocol_name, &out->protocol_name_null);
    }
    kc_kr_cbytes(r, &out->assignment, &out->assignment_len);
    return finish(r, "SyncGroup", err);
}

/* ---- Heartbeat ---------------------------------------------------------------------------------- */

int kc_heartbeat_request(kc_kbuf *b, int32_t correlation_id, const char *client_id, const char *group_id,
                         int32_t generation_id, const char *member_id)
{
    size_t start = kc_group_request_begin(b, KC_API_HEARTBEAT, KC_HEARTBEAT_VERSION, correlation_id, client_id);
    kc_kw_cstring(b, group_id);
    kc_kw_i32(b, generation_id);
    kc_kw_cstring(b, member_id);
    kc_kw_cstring(b, NULL); /* group instance id */
    kc_kw_no_tags(b);
    return kc_kafka_request_end(b, start);
}

int kc_heartbeat_response(kc_kreader *r, kc_heartbeat_resp *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->throttle_time_ms = kc_kr_i32(r);
    out->error_code = kc_kr_i16(r);
    return finish(r, "Heartbeat", err);
}

/* ---- LeaveGroup --------------------------------------------------------------------------------- */

int kc_leave_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                           const char *group_id, const char *member_id, const char *reason)
{
    if (version < KC_LEAVE_GROUP_MIN || version > KC_LEAVE_GROUP_MAX)
        return -1;
    size_t start = kc_group_request_begin(b, KC_API_LEAVE_GROUP, version, correlation_id, client_id);
    kc_kw_cstring(b, group_id);
    kc_kw_uvarint(b, 2); /* one member */
    kc_kw_cstring(b, member_id);
    kc_kw_cstring(b, NULL); /* group instance id */
    if (version >= 5)
        kc_kw_cstring(b, reason);
    kc_kw_no_tags(b);
    kc_kw_no_tags(b);
    return kc_kafka_request_end(b, start);
}

int kc_leave_group_response(kc_kreader *r, kc_leave_group_resp *out, kc_error *err)
{
    memset(out, 0, sizeof *out);
    out->throttle_time_ms = kc_kr_i32(r);
    out->error_code = kc_kr_i16(r);
    uint64_t n = kc_kr_uvarint(r);
    for (uint64_t i = 1; i < n && !r->bad; i++) {
        char id[KC_GROUP_STR_MAX];
        read_str(r, id, sizeof id, NULL);
        read_str(r, id, sizeof id, NULL);
        int16_t e = kc_kr_i16(r);
        if (i == 1)
            out->member_error_code = e;
        kc_kr_skip_tags(r);
    }
    return finish(r, "LeaveGroup", err);
}
