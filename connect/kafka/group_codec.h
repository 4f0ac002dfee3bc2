/*
 * Codecs of the classic group-membership APIs kconnect speaks itself (spec/connect-group-protocol.md
 * §1.5): FindCoordinator v3, JoinGroup v6..v9, SyncGroup v4..v5, Heartbeat v4, LeaveGroup v4..v5.
 * Every version used here is flexible: request header v2, response header v1, compact types.
 * Field layouts follow Apache Kafka's clients/src/main/resources/common/message/<Name>*.json.
 *
 * Encoders write a whole frame (size + header + body) into a kc_kbuf and return 0, or -1 when
 * the buffer failed (too large / out of memory) or the version is outside the range above.
 * Decoders parse a response body (the reader positioned after the header, see
 * kc_group_response_begin) and return 0, or -1 with err (KC_ERR_IO) when malformed.
 * Short strings (ids, names, host) are copied into fixed fields and a longer one is an error;
 * metadata and assignment bytes are borrowed from the frame parsed.
 *
 * Memory: kc_join_group_resp owns a malloc'd members array (kc_join_group_resp_free).
 * Threads: any; nothing shared. Never logs.
 */
#ifndef KC_KAFKA_GROUP_CODEC_H
#define KC_KAFKA_GROUP_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"
#include "connect/kafka/protocol.h"

#define KC_API_FIND_COORDINATOR 10
#define KC_API_JOIN_GROUP 11
#define KC_API_HEARTBEAT 12
#define KC_API_LEAVE_GROUP 13
#define KC_API_SYNC_GROUP 14

#define KC_KAFKA_ERR_UNKNOWN_SERVER_ERROR (-1)
#define KC_KAFKA_ERR_COORDINATOR_LOAD_IN_PROGRESS 14
#define KC_KAFKA_ERR_COORDINATOR_NOT_AVAILABLE 15
#define KC_KAFKA_ERR_NOT_COORDINATOR 16
#define KC_KAFKA_ERR_ILLEGAL_GENERATION 22
#define KC_KAFKA_ERR_INCONSISTENT_GROUP_PROTOCOL 23
#define KC_KAFKA_ERR_INVALID_GROUP_ID 24
#define KC_KAFKA_ERR_UNKNOWN_MEMBER_ID 25
#define KC_KAFKA_ERR_INVALID_SESSION_TIMEOUT 26
#define KC_KAFKA_ERR_REBALANCE_IN_PROGRESS 27
#define KC_KAFKA_ERR_GROUP_AUTHORIZATION_FAILED 30
#define KC_KAFKA_ERR_INVALID_REQUEST 42
#define KC_KAFKA_ERR_MEMBER_ID_REQUIRED 79
#define KC_KAFKA_ERR_GROUP_MAX_SIZE_REACHED 81
#define KC_KAFKA_ERR_FENCED_INSTANCE_ID 82

/* kconnect's version ranges (min..max); the version used is min(max, broker max). */
#define KC_FIND_COORDINATOR_VERSION 3
#define KC_JOIN_GROUP_MIN 6
#define KC_JOIN_GROUP_MAX 9
#define KC_SYNC_GROUP_MIN 4
#define KC_SYNC_GROUP_MAX 5
#define KC_HEARTBEAT_VERSION 4
#define KC_LEAVE_GROUP_MIN 4
#define KC_LEAVE_GROUP_MAX 5

/* Longest id / name / host accepted in a response (longer ones are refused as malformed). */
#define KC_GROUP_STR_MAX 512

/* The name of a Kafka error code ("REBALANCE_IN_PROGRESS"), or "UNKNOWN(<n>)"-style "error". */
const char *kc_group_error_name(int16_t code);

/* Starts a flexible request frame (header v2) and returns the offset for kc_kafka_request_end. */
size_t kc_group_request_begin(kc_kbuf *b, int16_t api_key, int16_t api_version, int32_t correlation_id,
                              const char *client_id);
/* Reads response header v1 (correlation id + tagged fields) and leaves r at the body. */
int kc_group_response_begin(kc_kreader *r, const void *payload, size_t len, int32_t *correlation_id, kc_error *err);

/* ---- FindCoordinator v3 (key type group) ----------------------------------------------------- */

int kc_find_coordinator_request(kc_kbuf *b, int32_t correlation_id, const char *client_id, const char *group_id);

typedef struct kc_find_coordinator_resp {
    int32_t throttle_time_ms;
    int16_t error_code;
    char error_message[KC_GROUP_STR_MAX];   /* "" when null */
    int32_t node_id;
    char host[KC_GROUP_STR_MAX];
    int32_t port;
} kc_find_coordinator_resp;

int kc_find_coordinator_response(kc_kreader *r, kc_find_coordinator_resp *out, kc_error *err);

/* ---- JoinGroup v6..v9 ------------------------------------------------------------------------ */

typedef struct kc_group_protocol {
    const char *name;
    const unsigned char *metadata;
    size_t metadata_len;
} kc_group_protocol;

typedef struct kc_join_group_req {
    const char *group_id;
    int32_t session_timeout_ms;
    int32_t rebalance_timeout_ms;
    const char *member_id;            /* "" on the first join */
    const char *protocol_type;        /* "connect" */
    const kc_group_protocol *protocols;
    size_t protocol_count;
    const char *reason;               /* v8+; NULL = null; truncated to 255 bytes */
} kc_join_group_req;

int kc_join_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                          const kc_join_group_req *req);

typedef struct kc_join_member {
    char member_id[KC_GROUP_STR_MAX];
    const unsigned char *metadata;    /* borrowed from the frame */
    size_t metadata_len;
} kc_join_member;

typedef struct kc_join_group_resp {
    int32_t throttle_time_ms;
    int16_t error_code;
    int32_t generation_id;
    int protocol_type_null;
    char protocol_type[KC_GROUP_STR_MAX];
    int protocol_name_null;
    char protocol_name[KC_GROUP_STR_MAX];
    char leader[KC_GROUP_STR_MAX];
    int skip_assignment;              /* v9+ */
    char member_id[KC_GROUP_STR_MAX];
    kc_join_member *members;          /* malloc'd; non-empty only for the leader */
    size_t member_count;
} kc_join_group_resp;

int kc_join_group_response(kc_kreader *r, int16_t version, kc_join_group_resp *out, kc_error *err);
void kc_join_group_resp_free(kc_join_group_resp *out);

/* ---- SyncGroup v4..v5 ------------------------------------------------------------------------ */

typedef struct kc_group_assignment {
    const char *member_id;
    const unsigned char *data;
    size_t len;
} kc_group_assignment;

typedef struct kc_sync_group_req {
    const char *group_id;
    int32_t generation_id;
    const char *member_id;
    const char *protocol_type;        /* v5+ */
    const char *protocol_name;        /* v5+ */
    const kc_group_assignment *assignments;  /* leader: one per member; follower: none */
    size_t assignment_count;
} kc_sync_group_req;

int kc_sync_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                          const kc_sync_group_req *req);

typedef struct kc_sync_group_resp {
    int32_t throttle_time_ms;
    int16_t error_code;
    int protocol_type_null;           /* v5+: 1 when null (always 1 for v4) */
    char protocol_type[KC_GROUP_STR_MAX];
    int protocol_name_null;
    char protocol_name[KC_GROUP_STR_MAX];
    const unsigned char *assignment;  /* borrowed */
    size_t assignment_len;
} kc_sync_group_resp;

int kc_sync_group_response(kc_kreader *r, int16_t version, kc_sync_group_resp *out, kc_error *err);

/* ---- Heartbeat v4 ---------------------------------------------------------------------------- */

int kc_heartbeat_request(kc_kbuf *b, int32_t correlation_id, const char *client_id, const char *group_id,
                         int32_t generation_id, const char *member_id);

typedef struct kc_heartbeat_resp {
    int32_t throttle_time_ms;
    int16_t error_code;
} kc_heartbeat_resp;

int kc_heartbeat_response(kc_kreader *r, kc_heartbeat_resp *out, kc_error *err);

/* ---- LeaveGroup v4..v5 (one member: ourselves) ------------------------------------------------ */

int kc_leave_group_request(kc_kbuf *b, int16_t version, int32_t correlation_id, const char *client_id,
                           const char *group_id, const char *member_id, const char *reason);

typedef struct kc_leave_group_resp {
    int32_t throttle_time_ms;
    int16_t error_code;
    int16_t member_error_code;        /* the first member's error (0 when none listed) */
} kc_leave_group_resp;

int kc_leave_group_response(kc_kreader *r, kc_leave_group_resp *out, kc_error *err);

#endif
