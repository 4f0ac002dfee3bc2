/*
 * Connect's embedded group protocol: the bytes a worker puts in JoinGroup (member metadata, "worker
 * state") and the bytes the leader hands out in SyncGroup (assignments), for the protocols
 * "default" (eager, version 0), "compatible" (incremental cooperative, version 1) and "sessioned"
 * (version 2). Byte-exact with Apache Kafka's ConnectProtocol / IncrementalCooperativeConnectProtocol
 * (spec/connect-group-protocol.md §4). Classic encoding: int16-length strings, int32-length bytes,
 * int32-count arrays, big-endian.
 *
 * Decoding is as tolerant as Java (§4.5): any version >= 0 is read with the v1 layout, fields wholly
 * absent at the end take defaults, trailing bytes are ignored, null arrays read as empty. A field cut
 * part-way, a negative version, a null string or a null inner task array is an error naming the field.
 * Every length is checked against the remaining bytes and counts are capped (KC_CP_MAX_ITEMS).
 *
 * Memory: decoded structs own their strings and arrays; free them with kc_cp_assignment_clear /
 * kc_cp_metadata_clear. Encoders return a malloc'd buffer the caller frees with free().
 * Threads: any; nothing is shared.
 */
#ifndef KC_CLUSTER_CONNECT_PROTOCOL_H
#define KC_CLUSTER_CONNECT_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "connect/api/error.h"

#define KC_CP_PROTOCOL_TYPE "connect"

/* Caps on what a decoder accepts: connector entries plus task ids in one list, and string bytes. */
#define KC_CP_MAX_ITEMS 1000000
#define KC_CP_MAX_ENCODED (64u * 1024u * 1024u)

/* Task id -1 on the wire stands for the connector instance itself. */
#define KC_CP_CONNECTOR_TASK (-1)

#define KC_CP_ERROR_NONE 0
#define KC_CP_ERROR_CONFIG_MISMATCH 1

/* The sub-protocol versions; the value is the version written in the headers. */
typedef enum kc_cp_protocol {
    KC_CP_EAGER = 0,      /* "default"    (connect.protocol=eager) */
    KC_CP_COMPATIBLE = 1, /* "compatible" (connect.protocol=compatible) */
    KC_CP_SESSIONED = 2   /* "sessioned"  (connect.protocol=sessioned, the default) */
} kc_cp_protocol;

/* The JoinGroup protocol name of p: "default", "compatible" or "sessioned". Static string. */
const char *kc_cp_protocol_name(kc_cp_protocol p);
/* The protocol selected by the coordinator, from its name (exact match). 0, or -1 with err. */
int kc_cp_protocol_from_name(const char *name, kc_cp_protocol *out, kc_error *err);
/* Parses a connect.protocol value ("eager", "compatible", "sessioned", case-insensitive).
 * 0, or -1 with err (KC_ERR_INVALID). */
int kc_cp_protocol_parse_mode(const char *mode, kc_cp_protocol *out, kc_error *err);
/* The protocols a worker in mode offers in JoinGroup, in preference order (§4.1): writes up to 3
 * entries to out and returns their count. */
size_t kc_cp_protocols_offered(kc_cp_protocol mode, kc_cp_protocol out[3]);

/* ---- connectors and tasks --------------------------------------------------------------------- */

typedef struct kc_cp_task {
    char *connector;  /* owned */
    int32_t task;
} kc_cp_task;

/* A list of connectors and a list of tasks, in the order decoded / added. Owns everything. */
typedef struct kc_cp_work {
    char **connectors;
    size_t nconnectors;
    kc_cp_task *tasks;
    size_t ntasks;
} kc_cp_work;

/* Appends a copy of the connector name / the task. 0, or -1 with err when out of memory. */
int kc_cp_work_add_connector(kc_cp_work *w, const char *connector, kc_error *err);
int kc_cp_work_add_task(kc_cp_work *w, const char *connector, int32_t task, kc_error *err);
void kc_cp_work_clear(kc_cp_work *w);
/* Deep copy of src into *dst (dst is overwritten, not freed). 0, or -1 with err. */
int kc_cp_work_copy(kc_cp_work *dst, const kc_cp_work *src, kc_error *err);

/* ---- assignment (SyncGroup bytes) ------------------------------------------------------------- */

typedef struct kc_cp_assignment {
    int16_t version;       /* 0, 1 or 2 (decoded: what arrived) */
    int16_t error;         /* KC_CP_ERROR_* */
    char *leader;          /* owned, never NULL once decoded */
    char *leader_url;      /* owned, never NULL once decoded */
    int64_t config_offset;
    kc_cp_work assigned;   /* v0: the full assignment; v1/v2: newly assigned */
    kc_cp_work revoked;    /* v1/v2 only */
    int32_t delay;         /* v1/v2 only: ms until every member should rejoin; 0 = none */
} kc_cp_assignment;

void kc_cp_assignment_clear(kc_cp_assignment *a);

/* Encodes a with header version `version` (0 writes the v0 layout: no revoked, no delay; 1 and 2 the
 * v1 layout). a->version is ignored. NULL leader/url are written as "". Returns a malloc'd buffer
 * (caller frees) with *len, or NULL with err. */
unsigned char *kc_cp_assignment_encode(const kc_cp_assignment *a, int16_t version, size_t *len, kc_error *err);
/* Decodes SyncGroup assignment bytes into *out (overwritten; clear it afterwards). 0, or -1 with err
 * (KC_ERR_INVALID, naming the malformed field); on error *out holds nothing. */
int kc_cp_assignment_decode(const void *data, size_t len, kc_cp_assignment *out, kc_error *err);

/* ---- member metadata (JoinGroup bytes) -------------------------------------------------------- */

typedef struct kc_cp_metadata {
    int16_t version;
    char *url;                      /* owned */
    int64_t config_offset;
    kc_cp_assignment *allocation;   /* owned; NULL = none (v0 or null allocation) */
} kc_cp_metadata;

void kc_cp_metadata_clear(kc_cp_metadata *m);

/* Encodes the worker state for protocol p: v0 is version + url + offset; v1/v2 add the allocation
 * (NULL writes null), itself encoded with version p whatever version it arrived with (§4.6).
 * Returns a malloc'd buffer with *len, or NULL with err. */
unsigned char *kc_cp_metadata_encode(kc_cp_protocol p, const char *url, int64_t config_offset,
                                     const kc_cp_assignment *allocation, size_t *len, kc_error *err);
/* Decodes any member metadata with the v1 layout (§4.5). 0, or -1 with err; *out overwritten. */
int kc_cp_metadata_decode(const void *data, size_t len, kc_cp_metadata *out, kc_error *err);

#endif
