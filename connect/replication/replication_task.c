/* Replication tasks: the spec, its JSON form, validation, update and cross-task rules; see
 * replication_task.h. The connector configs are in replication_task_connectors.c. */
#include "connect/replication/replication_task.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "connectors/mirror/filters.h"

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

static bool present(const char *s) { return s && *s; }

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* ---- enum names ------------------------------------------------------------------------------ */

static const char *const direction_names[] = {"pull", "push", "both", NULL};
static const char *const security_names[] = {"PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", NULL};
static const char *const mechanism_names[] = {"", "PLAIN", "SCRAM-SHA-512", "SCRAM-SHA-256", NULL};
static const char *const start_offset_names[] = {"earliest", "latest", NULL};
static const char *const compression_names[] = {"none", "gzip", "snappy", "lz4", "zstd", NULL};

const char *kc_replication_direction_name(kc_replication_direction d) { return direction_names[d]; }
const char *kc_replication_security_name(kc_replication_security s) { return security_names[s]; }
const char *kc_replication_mechanism_name(kc_replication_mechanism m)
{
    return m == KC_REPLICATION_MECHANISM_NONE ? NULL : mechanism_names[m];
}
const char *kc_replication_start_offset_name(kc_replication_start_offset o) { return start_offset_names[o]; }
const char *kc_replication_compression_name(kc_replication_compression c) { return compression_names[c]; }

/* ---- the spec -------------------------------------------------------------------------------- */

kc_replication_spec *kc_replication_spec_new(void)
{
    kc_replication_spec *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->start_immediately = true;
    s->tasks = KC_REPLICATION_TASKS_DEFAULT;
    s->sync_interval_seconds = KC_REPLICATION_SYNC_INTERVAL_DEFAULT;
    return s;
}

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

void kc_replication_spec_free(kc_replication_spec *s)
{
    if (!s)
        return;
    free(s->name);
    free(s->current_alias);
    free(s->peer_alias);
    free(s->peer_bootstrap_servers);
    free(s->peer_username);
    free(s->peer_password);
    free(s->peer_ca_certificate);
    free_strings(s->topics, s->topic_count);
    free(s->topics_regex);
    for (size_t i = 0; i < s->mapping_count; i++) {
        free(s->topic_mapping[i].source);
        free(s->topic_mapping[i].target);
    }
    free(s->topic_mapping);
    free(s);
}

/* *dst = copy of src (NULL stays NULL). false on OOM. */
static bool dup_opt(char **dst, const char *src)
{
    *dst = src ? strdup(src) : NULL;
    return !src || *dst;
}

kc_replication_spec *kc_replication_spec_copy(const kc_replication_spec *s)
{
    kc_replication_spec *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    *c = *s;
    c->name = c->current_alias = c->peer_alias = c->peer_bootstrap_servers = NULL;
    c->peer_username = c->peer_password = c->peer_ca_certificate = c->topics_regex = NULL;
    c->topics = NULL;
    c->topic_mapping = NULL;
    c->topic_count = c->mapping_count = 0;
    bool ok = dup_opt(&c->name, s->name) && dup_opt(&c->current_alias, s->current_alias) &&
              dup_opt(&c->peer_alias, s->peer_alias) &&
              dup_opt(&c->peer_bootstrap_servers, s->peer_bootstrap_servers) &&
              dup_opt(&c->peer_username, s->peer_username) && dup_opt(&c->peer_password, s->peer_password) &&
              dup_opt(&c->peer_ca_certificate, s->peer_ca_certificate) &&
              dup_opt(&c->topics_regex, s->topics_regex);
    if (ok && s->topics) {
        ok = (c->topics = calloc(s->topic_count ? s->topic_count : 1, sizeof *c->topics)) != NULL;
        for (size_t i = 0; ok && i < s->topic_count; i++, c->topic_count++)
            ok = dup_opt(&c->topics[i], s->topics[i]);
    }
    if (ok && s->mapping_count) {
        ok = (c->topic_mapping = calloc(s->mapping_count, sizeof *c->topic_mapping)) != NULL;
        for (size_t i = 0; ok && i < s->mapping_count; i++, c->mapping_count++)
            ok = dup_opt(&c->topic_mapping[i].source, s->topic_mapping[i].source) &&
                 dup_opt(&c->topic_mapping[i].target, s->topic_mapping[i].target);
    }
    if (!ok) { /* the counts include the entry that failed (zeroed by calloc) */
        kc_replication_spec_free(c);
        return NULL;
    }
    return c;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static const char *const known_fields[] = {
    "name", "start_immediately", "current_alias", "peer_alias", "peer_bootstrap_servers",
    "peer_security_protocol", "peer_sasl_mechanism", "peer_username", "peer_password", "peer_ca_certificate",
    "direction", "topics", "topics_regex", "tasks", "rename_topics", "add_source_header",
    "sync_consumer_offsets", "sync_interval_seconds", "replicas", "start_offset", "compression",
    "topic_mapping", NULL};

/* The value of key in body, NULL when absent or JSON null. */
static const json_t *field(const json_t *body, const char *key)
{
    const json_t *v = json_object_get(body, key);
    return v && !json_is_null(v) ? v : NULL;
}

static int get_string(const json_t *body, const char *key, char **dst, kc_error *err)
{
    const json_t *v = field(body, key);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return kc_error_set(err, KC_ERR_INVALID, "%s must be a string", key);
    free(*dst);
    if (!(*dst = strdup(json_string_value(v))))
        return oom(err);
    return 0;
}

static int get_bool(const json_t *body, const char *key, bool *dst, bool *given, kc_error *err)
{
    const json_t *v = field(body, key);
    if (given)
        *given = v != NULL;
    if (!v)
        return 0;
    if (!json_is_boolean(v))
        return kc_error_set(err, KC_ERR_INVALID, "%s must be true or false", key);
    *dst = json_is_true(v);
    return 0;
}

static int get_int(const json_t *body, const char *key, int *dst, kc_error *err)
{
    const json_t *v = field(body, key);
    if (!v)
        return 0;
    if (!json_is_integer(v))
        return kc_error_set(err, KC_ERR_INVALID, "%s must be an integer", key);
    json_int_t i = json_integer_value(v);
    if (i < INT_MIN || i > INT_MAX)
        return kc_error_set(err, KC_ERR_INVALID, "%s %lld is out of range", key, (long long)i);
    *dst = (int)i;
    return 0;
}

/* names: NULL-terminated; names[0] may be "" (not selectable). */
static int get_enum(const json_t *body, const char *key, const char *const *names, int *dst, kc_error *err)
{
    const json_t *v = field(body, key);
    if (!v)
        return 0;
    if (!json_is_string(v))
        return kc_error_set(err, KC_ERR_INVALID, "%s must be a string", key);
    const char *s = json_string_value(v);
    for (int i = 0; names[i]; i++)
        if (names[i][0] && strcasecmp(s, names[i]) == 0) {
            *dst = i;
            return 0;
        }
    char expected[160] = "";
    size_t n = 0;
    for (int i = 0; names[i]; i++)
        n += names[i][0] != '\0';
    for (int i = 0, k = 0; names[i]; i++) {
        if (!names[i][0])
            continue;
        size_t len = strlen(expected);
        snprintf(expected + len, sizeof expected - len, "%s%s", k == 0 ? "" : (size_t)k + 1 == n ? " or " : ", ",
                 names[i]);
        k++;
    }
    return kc_error_set(err, KC_ERR_INVALID, "%s '%s' is invalid: expected %s", key, s, expected);
}

static int get_topics(const json_t *body, kc_replication_spec *s, kc_error *err)
{
    const json_t *v = field(body, "topics");
    if (!v)
        return 0;
    if (!json_is_array(v))
        return kc_error_set(err, KC_ERR_INVALID, "topics must be an array of topic names");
    size_t n = json_array_size(v);
    if (!(s->topics = calloc(n ? n : 1, sizeof *s->topics)))
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        const json_t *t = json_array_get(v, i);
        if (!json_is_string(t))
            return kc_error_set(err, KC_ERR_INVALID, "topics[%zu] must be a string", i);
        if (!(s->topics[i] = strdup(json_string_value(t))))
            return oom(err);
        s->topic_count++;
    }
    return 0;
}

static int get_mapping(const json_t *body, kc_replication_spec *s, kc_error *err)
{
    const json_t *v = field(body, "topic_mapping");
    if (!v)
        return 0;
    if (!json_is_array(v))
        return kc_error_set(err, KC_ERR_INVALID,
                            "topic_mapping must be an array of {\"source\": ..., \"target\": ...} objects");
    size_t n = json_array_size(v);
    if (n && !(s->topic_mapping = calloc(n, sizeof *s->topic_mapping)))
        return oom(err);
    for (size_t i = 0; i < n; i++) {
        const json_t *pair = json_array_get(v, i), *src = json_object_get(pair, "source"),
                     *dst = json_object_get(pair, "target");
        if (!json_is_object(pair) || !json_is_string(src) || !json_is_string(dst))
            return kc_error_set(err, KC_ERR_INVALID,
                                "topic_mapping[%zu] must be an object with the strings source and target", i);
        const char *k;
        const json_t *unused;
        json_object_foreach((json_t *)pair, k, unused)
            if (strcmp(k, "source") != 0 && strcmp(k, "target") != 0)
                return kc_error_set(err, KC_ERR_INVALID, "topic_mapping[%zu] has an unknown field '%s'", i, k);
        kc_replication_mapping *m = &s->topic_mapping[s->mapping_count++];
        if (!(m->source = strdup(json_string_value(src))) || !(m->target = strdup(json_string_value(dst))))
            return oom(err);
    }
    return 0;
}

kc_replication_spec *kc_replication_spec_from_json(const json_t *body, kc_error *err)
{
    if (!json_is_object(body)) {
        kc_error_set(err, KC_ERR_INVALID, "the replication must be a JSON object");
        return NULL;
    }
    const char *k;
    const json_t *unused;
    json_object_foreach((json_t *)body, k, unused) {
        bool known = false;
        for (size_t i = 0; !known && known_fields[i]; i++)
            known = strcmp(k, known_fields[i]) == 0;
        if (!known) {
            kc_error_set(err, KC_ERR_INVALID, "unknown field '%s'", k);
            return NULL;
        }
    }
    kc_replication_spec *s = kc_replication_spec_new();
    if (!s) {
        oom(err);
        return NULL;
    }
    int direction = 0, security = 0, mechanism = 0, start = 0, compression = 0;
    bool header_given = false;
    const json_t *replicas = field(body, "replicas");
    if (get_string(body, "name", &s->name, err) || get_bool(body, "start_immediately", &s->start_immediately, NULL, err) ||
        get_string(body, "current_alias", &s->current_alias, err) || get_string(body, "peer_alias", &s->peer_alias, err) ||
        get_string(body, "peer_bootstrap_servers", &s->peer_bootstrap_servers, err) ||
        get_enum(body, "peer_security_protocol", security_names, &security, err) ||
        get_enum(body, "peer_sasl_mechanism", mechanism_names, &mechanism, err) ||
        get_string(body, "peer_username", &s->peer_username, err) ||
        get_string(body, "peer_password", &s->peer_password, err) ||
        get_string(body, "peer_ca_certificate", &s->peer_ca_certificate, err) ||
        get_enum(body, "direction", direction_names, &direction, err) || get_topics(body, s, err) ||
        get_string(body, "topics_regex", &s->topics_regex, err) || get_int(body, "tasks", &s->tasks, err) ||
        get_bool(body, "rename_topics", &s->rename_topics, NULL, err) ||
        get_bool(body, "add_source_header", &s->add_source_header, &header_given, err) ||
        get_bool(body, "sync_consumer_offsets", &s->sync_consumer_offsets, NULL, err) ||
        get_int(body, "sync_interval_seconds", &s->sync_interval_seconds, err) ||
        get_int(body, "replicas", &s->replicas, err) || get_enum(body, "start_offset", start_offset_names, &start, err) ||
        get_enum(body, "compression", compression_names, &compression, err) || get_mapping(body, s, err)) {
        kc_replication_spec_free(s);
        return NULL;
    }
    s->direction = (kc_replication_direction)direction;
    s->peer_security_protocol = (kc_replication_security)security;
    s->peer_sasl_mechanism = (kc_replication_mechanism)mechanism;
    s->start_offset = (kc_replication_start_offset)start;
    s->compression = (kc_replication_compression)compression;
    if (!header_given)
        s->add_source_header = s->direction == KC_REPLICATION_BOTH;
    if (replicas && s->replicas < 1) {
        kc_error_set(err, KC_ERR_INVALID, "replicas must be between 1 and 32767 (got %d)", s->replicas);
        kc_replication_spec_free(s);
        return NULL;
    }
    if (s->peer_password && strcmp(s->peer_password, KC_REPLICATION_HIDDEN) == 0) {
        free(s->peer_password);
        s->peer_password = NULL;
    }
    if (!field(body, "direction")) /* absent: validate says "direction is required" */
        s->direction = KC_REPLICATION_DIRECTION_UNSET;
    return s;
}

static int set_str(json_t *o, const char *key, const char *value)
{
    return value ? json_object_set_new(o, key, json_string(value)) : 0;
}

json_t *kc_replication_spec_to_json(const kc_replication_spec *s, bool include_secrets)
{
    json_t *o = json_object(), *topics = NULL, *mapping = NULL;
    if (!o)
        return NULL;
    int rc = set_str(o, "name", s->name);
    rc |= json_object_set_new(o, "start_immediately", json_boolean(s->start_immediately));
    rc |= set_str(o, "current_alias", s->current_alias);
    rc |= set_str(o, "peer_alias", s->peer_alias);
    rc |= set_str(o, "peer_bootstrap_servers", s->peer_bootstrap_servers);
    rc |= set_str(o, "peer_security_protocol", kc_replication_security_name(s->peer_security_protocol));
    rc |= set_str(o, "peer_sasl_mechanism", kc_replication_mechanism_name(s->peer_sasl_mechanism));
    rc |= set_str(o, "peer_username", s->peer_username);
    if (s->peer_password)
        rc |= set_str(o, "peer_password", include_secrets ? s->peer_password : KC_REPLICATION_HIDDEN);
    rc |= set_str(o, "peer_ca_certificate", s->peer_ca_certificate);
    if ((unsigned)s->direction <= KC_REPLICATION_BOTH)
        rc |= set_str(o, "direction", kc_replication_direction_name(s->direction));
    if (s->topics) {
        rc |= !(topics = json_array());
        for (size_t i = 0; topics && i < s->topic_count; i++)
            rc |= json_array_append_new(topics, json_string(s->topics[i]));
        if (topics)
            rc |= json_object_set_new(o, "topics", topics);
    }
    rc |= set_str(o, "topics_regex", s->topics_regex);
    rc |= json_object_set_new(o, "tasks", json_integer(s->tasks));
    rc |= json_object_set_new(o, "rename_topics", json_boolean(s->rename_topics));
    rc |= json_object_set_new(o, "add_source_header", json_boolean(s->add_source_header));
    rc |= json_object_set_new(o, "sync_consumer_offsets", json_boolean(s->sync_consumer_offsets));
    rc |= json_object_set_new(o, "sync_interval_seconds", json_integer(s->sync_interval_seconds));
    if (s->replicas > 0)
        rc |= json_object_set_new(o, "replicas", json_integer(s->replicas));
    rc |= set_str(o, "start_offset", kc_replication_start_offset_name(s->start_offset));
    rc |= set_str(o, "compression", kc_replication_compression_name(s->compression));
    if (s->mapping_count) {
        rc |= !(mapping = json_array());
        for (size_t i = 0; mapping && i < s->mapping_count; i++)
            rc |= json_array_append_new(mapping, json_pack("{s:s, s:s}", "source", s->topic_mapping[i].source,
                                                           "target", s->topic_mapping[i].target));
        if (mapping)
            rc |= json_object_set_new(o, "topic_mapping", mapping);
    }
    if (rc) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ---- validation of one spec ------------------------------------------------------------------ */

static bool name_chars(const char *s)
{
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

static int check_identifier(const char *field_name, const char *value, int min, int max, kc_error *err)
{
    if (!value)
        return kc_error_set(err, KC_ERR_INVALID, "%s is required", field_name);
    size_t n = strlen(value);
    if (n < (size_t)min || n > (size_t)max || !name_chars(value))
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s '%s' is invalid: it must be %d-%d characters long and contain only letters, "
                            "digits, '-' and '_'",
                            field_name, value, min, max);
    return 0;
}

int kc_replication_check_topic_name(const char *what, const char *name, kc_error *err)
{
    size_t n = strlen(name);
    if (n == 0)
        return kc_error_set(err, KC_ERR_INVALID, "%s is empty: a topic name is required", what);
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return kc_error_set(err, KC_ERR_INVALID, "%s '%s' is not a valid Kafka topic name: it cannot be '.' or '..'",
                            what, name);
    if (n > KC_REPLICATION_TOPIC_MAX_LEN)
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s '%.40s...' is not a valid Kafka topic name: it is %zu characters long, at most %d "
                            "are allowed",
                            what, name, n, KC_REPLICATION_TOPIC_MAX_LEN);
    for (const char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
            return kc_error_set(err, KC_ERR_INVALID,
                                "%s '%s' is not a valid Kafka topic name: only letters, digits, '.', '_' and '-' "
                                "are allowed",
                                what, name);
    return 0;
}

int kc_replication_topic_excluded(const char *topic)
{
    return ends_with(topic, "internal") || strncmp(topic, "__", 2) == 0 || ends_with(topic, ".replica");
}

/* A valid topic name that the product may replicate. */
static int check_replicable(const char *what, const char *name, kc_error *err)
{
    if (kc_replication_check_topic_name(what, name, err))
        return -1;
    if (ends_with(name, "internal"))
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s '%s' is never replicated: topics whose names end with 'internal' are internal", what,
                            name);
    if (strncmp(name, "__", 2) == 0)
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s '%s' is never replicated: names starting with '__' are internal to Kafka", what, name);
    if (ends_with(name, ".replica"))
        return kc_error_set(err, KC_ERR_INVALID,
                            "%s '%s' is never replicated: names ending with '.replica' are excluded by MirrorMaker 2",
                            what, name);
    return 0;
}

static int check_bootstrap(const char *servers, kc_error *err)
{
    if (!present(servers))
        return kc_error_set(err, KC_ERR_INVALID, "peer_bootstrap_servers is required");
    const char *cur = servers;
    for (;;) {
        const char *end = strchr(cur, ',');
        size_t len = end ? (size_t)(end - cur) : strlen(cur);
        while (len && isspace((unsigned char)*cur))
            cur++, len--;
        while (len && isspace((unsigned char)cur[len - 1]))
            len--;
        const char *colon = len ? memrchr(cur, ':', len) : NULL;
        bool ok = colon && colon > cur && (size_t)(colon - cur) + 1 < len;
        long port = 0;
        for (const char *c = colon ? colon + 1 : cur; ok && c < cur + len; c++) {
            ok = isdigit((unsigned char)*c) && port <= 65535;
            port = port * 10 + (*c - '0');
        }
        for (const char *c = cur; ok && c < colon; c++)
            ok = isgraph((unsigned char)*c);
        if (!ok || port < 1 || port > 65535)
            return kc_error_set(err, KC_ERR_INVALID,
                                "peer_bootstrap_servers '%s' is invalid: '%.*s' is not host:port (port 1-65535)",
                                servers, (int)len, cur);
        if (!end)
            return 0;
        cur = end + 1;
    }
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static int check_security(const kc_replication_spec *s, kc_error *err)
{
    const char *proto = kc_replication_security_name(s->peer_security_protocol);
    bool sasl = s->peer_security_protocol != KC_REPLICATION_PLAINTEXT;
    struct {
        const char *field;
        bool given;
    } sasl_fields[] = {{"peer_sasl_mechanism", s->peer_sasl_mechanism != KC_REPLICATION_MECHANISM_NONE},
                       {"peer_username", present(s->peer_username)},
                       {"peer_password", present(s->peer_password)}};
    for (size_t i = 0; i < 3; i++) {
        if (sasl && !sasl_fields[i].given)
            return kc_error_set(err, KC_ERR_INVALID, "%s is required when peer_security_protocol is %s",
                                sasl_fields[i].field, proto);
        if (!sasl && sasl_fields[i].given)
            return kc_error_set(err, KC_ERR_INVALID,
                                "%s is only used with SASL_PLAINTEXT or SASL_SSL (peer_security_protocol is %s)",
                                sasl_fields[i].field, proto);
    }
    if (sasl && has_control(s->peer_username))
        return kc_error_set(err, KC_ERR_INVALID, "peer_username must not contain control characters");
    if (sasl && has_control(s->peer_password))
        return kc_error_set(err, KC_ERR_INVALID, "peer_password must not contain control characters");
    const char *ca = s->peer_ca_certificate;
    if (!present(ca))
        return 0;
    if (s->peer_security_protocol != KC_REPLICATION_SASL_SSL)
        return kc_error_set(err, KC_ERR_INVALID,
                            "peer_ca_certificate is only used with SASL_SSL (peer_security_protocol is %s)", proto);
    if (strstr(ca, "-----BEGIN")) {
        if (!strstr(ca, "-----BEGIN CERTIFICATE-----") || !strstr(ca, "-----END CERTIFICATE-----"))
            return kc_error_set(err, KC_ERR_INVALID,
                                "peer_ca_certificate is PEM text without a complete certificate "
                                "(-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
        return 0;
    }
    if (ca[0] != '/' || has_control(ca))
        return kc_error_set(err, KC_ERR_INVALID,
                            "peer_ca_certificate '%.200s' is invalid: give the CA certificates as PEM text or as the "
                            "absolute path of a PEM file",
                            ca);
    return 0;
}

/* A topics regex must compile as a Java regex and contain no ','. */
static int check_regex(const char *regex, kc_error *err)
{
    if (!*regex)
        return kc_error_set(err, KC_ERR_INVALID, "topics_regex must not be empty");
    if (strchr(regex, ','))
        return kc_error_set(err, KC_ERR_INVALID,
                            "topics_regex '%s' must not contain ',': MirrorMaker 2 splits its topics setting on "
                            "commas (use '|' to combine patterns)",
                            regex);
    char *items[] = {(char *)regex};
    kc_mirror_patterns *p = kc_mirror_patterns_new("topics_regex", items, 1, err);
    if (!p)
        return -1;
    kc_mirror_patterns_free(p);
    return 0;
}

/* 1 when the Java regex matches name fully, 0 when not, -1 with err. */
static int regex_matches(const char *regex, const char *name, kc_error *err)
{
    char *items[] = {(char *)regex};
    kc_mirror_patterns *p = kc_mirror_patterns_new("topics_regex", items, 1, err);
    if (!p)
        return -1;
    int r = kc_mirror_patterns_matches(p, name, err);
    kc_mirror_patterns_free(p);
    return r;
}

static int check_topics(const kc_replication_spec *s, const kc_replication_limits *lim, kc_error *err)
{
    bool list = s->topics != NULL, regex = s->topics_regex != NULL;
    if (list && regex)
        return kc_error_set(err, KC_ERR_INVALID, "topics and topics_regex are exclusive: give one of them");
    if (!list && !regex && s->mapping_count == 0)
        return kc_error_set(err, KC_ERR_INVALID, "one of topics or topics_regex is required");
    if (list && s->topic_count == 0)
        return kc_error_set(err, KC_ERR_INVALID,
                            "topics must not be empty: give at least one topic name, or topics_regex");
    if (s->topic_count > (size_t)lim->max_topics)
        return kc_error_set(err, KC_ERR_INVALID, "topics lists %zu names; at most %d are allowed", s->topic_count,
                            lim->max_topics);
    for (size_t i = 0; i < s->topic_count; i++) {
        char what[32];
        snprintf(what, sizeof what, "topics[%zu]", i);
        if (check_replicable(what, s->topics[i], err))
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->topics[i], s->topics[j]) == 0)
                return kc_error_set(err, KC_ERR_INVALID, "topics lists '%s' twice", s->topics[i]);
    }
    return regex ? check_regex(s->topics_regex, err) : 0;
}

static int check_mapping(const kc_replication_spec *s, const kc_replication_limits *lim, kc_error *err)
{
    if (s->mapping_count == 0)
        return 0;
    if (s->rename_topics)
        return kc_error_set(err, KC_ERR_INVALID,
                            "topic_mapping and rename_topics are exclusive: a mapping names the target topics itself");
    if (s->mapping_count > (size_t)lim->max_mappings)
        return kc_error_set(err, KC_ERR_INVALID, "topic_mapping has %zu pairs; at most %d are allowed",
                            s->mapping_count, lim->max_mappings);
    for (size_t i = 0; i < s->mapping_count; i++) {
        const kc_replication_mapping *m = &s->topic_mapping[i];
        char what[48];
        snprintf(what, sizeof what, "topic_mapping[%zu].source", i);
        if (check_replicable(what, m->source, err))
            return -1;
        snprintf(what, sizeof what, "topic_mapping[%zu].target", i);
        if (check_replicable(what, m->target, err))
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(m->source, s->topic_mapping[j].source) == 0)
                return kc_error_set(err, KC_ERR_INVALID, "topic_mapping maps source '%s' twice", m->source);
            if (strcmp(m->target, s->topic_mapping[j].target) == 0)
                return kc_error_set(err, KC_ERR_INVALID, "topic_mapping maps both '%s' and '%s' to target '%s'",
                                    s->topic_mapping[j].source, m->source, m->target);
        }
    }
    for (size_t i = 0; i < s->mapping_count; i++) {
        const char *target = s->topic_mapping[i].target;
        for (size_t j = 0; j < s->mapping_count; j++)
            if (j != i && strcmp(target, s->topic_mapping[j].source) == 0)
                return kc_error_set(err, KC_ERR_INVALID,
                                    "topic_mapping[%zu].target '%s' is the source of topic_mapping[%zu]: a mapped "
                                    "topic cannot be replicated onto another mapped topic",
                                    i, target, j);
        for (size_t j = 0; j < s->topic_count; j++) {
            bool mapped = false;
            for (size_t k = 0; k < s->mapping_count; k++)
                mapped |= strcmp(s->topics[j], s->topic_mapping[k].source) == 0;
            if (!mapped && strcmp(target, s->topics[j]) == 0)
                return kc_error_set(err, KC_ERR_INVALID,
                                    "topic_mapping[%zu].target '%s' is also in topics: that topic would be "
                                    "replicated onto the same target topic",
                                    i, target);
        }
        if (s->topics_regex) {
            int r = regex_matches(s->topics_regex, target, err);
            if (r < 0)
                return -1;
            if (r)
                return kc_error_set(err, KC_ERR_INVALID,
                                    "topic_mapping[%zu].target '%s' matches topics_regex '%s': a source topic of that "
                                    "name would be replicated onto the same target topic",
                                    i, target, s->topics_regex);
        }
    }
    return 0;
}

int kc_replication_spec_validate(const kc_replication_spec *s, const kc_replication_limits *limits, kc_error *err)
{
    kc_replication_limits lim = limits ? *limits : KC_REPLICATION_LIMITS_DEFAULT;
    if (check_identifier("name", s->name, lim.name_min, lim.name_max, err) ||
        check_identifier("current_alias", s->current_alias, lim.alias_min, lim.alias_max, err) ||
        check_identifier("peer_alias", s->peer_alias, lim.alias_min, lim.alias_max, err))
        return -1;
    if (strcmp(s->current_alias, s->peer_alias) == 0)
        return kc_error_set(err, KC_ERR_INVALID, "peer_alias '%s' must differ from current_alias '%s'",
                            s->peer_alias, s->current_alias);
    if (check_bootstrap(s->peer_bootstrap_servers, err) || check_security(s, err))
        return -1;
    if ((unsigned)s->direction > KC_REPLICATION_BOTH)
        return kc_error_set(err, KC_ERR_INVALID, "direction is required: pull, push or both");
    if (check_topics(s, &lim, err) || check_mapping(s, &lim, err))
        return -1;
    if (s->tasks < 1)
        return kc_error_set(err, KC_ERR_INVALID, "tasks must be at least 1 (got %d)", s->tasks);
    if (s->sync_interval_seconds < 1)
        return kc_error_set(err, KC_ERR_INVALID, "sync_interval_seconds must be at least 1 (got %d)",
                            s->sync_interval_seconds);
    if (s->replicas < 0 || s->replicas > 32767)
        return kc_error_set(err, KC_ERR_INVALID, "replicas must be between 1 and 32767 (got %d)", s->replicas);
    if (s->direction == KC_REPLICATION_BOTH && !s->rename_topics && !s->add_source_header)
        return kc_error_set(err, KC_ERR_INVALID,
                            "direction both requires rename_topics or add_source_header: otherwise every record "
                            "replicated to one side is replicated back (an endless loop)");
    return 0;
}

/* ---- updates --------------------------------------------------------------------------------- */

int kc_replication_spec_keep_password(kc_replication_spec *upd, const kc_replication_spec *old, kc_error *err)
{
    if (upd->peer_password || !old->peer_password)
        return 0;
    if (!(upd->peer_password = strdup(old->peer_password)))
        return oom(err);
    return 0;
}

static bool str_eq(const char *a, const char *b) { return (!a && !b) || (a && b && strcmp(a, b) == 0); }

static const char RECREATE[] = "delete and re-create the replication";

int kc_replication_check_update(const kc_replication_spec *old, const kc_replication_spec *upd, kc_error *err)
{
    const char *aliases = "the aliases are part of the remote topic names, the internal topic names and the stored "
                          "source offsets";
    if (!str_eq(old->name, upd->name))
        return kc_error_set(err, KC_ERR_INVALID,
                            "name cannot be changed ('%s' -> '%s'): the connector names and their stored offsets "
                            "derive from it; %s",
                            old->name, upd->name ? upd->name : "", RECREATE);
    if (!str_eq(old->current_alias, upd->current_alias))
        return kc_error_set(err, KC_ERR_INVALID, "current_alias cannot be changed ('%s' -> '%s'): %s; %s",
                            old->current_alias, upd->current_alias ? upd->current_alias : "", aliases, RECREATE);
    if (!str_eq(old->peer_alias, upd->peer_alias))
        return kc_error_set(err, KC_ERR_INVALID, "peer_alias cannot be changed ('%s' -> '%s'): %s; %s",
                            old->peer_alias, upd->peer_alias ? upd->peer_alias : "", aliases, RECREATE);
    if (old->direction != upd->direction)
        return kc_error_set(err, KC_ERR_INVALID,
                            "direction cannot be changed (%s -> %s): the offsets and internal topics of the existing "
                            "flows depend on it; %s",
                            kc_replication_direction_name(old->direction),
                            kc_replication_direction_name(upd->direction), RECREATE);
    if (!str_eq(old->peer_bootstrap_servers, upd->peer_bootstrap_servers))
        return kc_error_set(err, KC_ERR_INVALID,
                            "peer_bootstrap_servers cannot be changed ('%s' -> '%s'): the stored source offsets and "
                            "offset syncs belong to the cluster they were read from; %s",
                            old->peer_bootstrap_servers, upd->peer_bootstrap_servers ? upd->peer_bootstrap_servers : "",
                            RECREATE);
    const char *auth = "the peer's authentication is fixed when the replication is created (only the password "
                       "and the CA certificate may change)";
    if (old->peer_security_protocol != upd->peer_security_protocol)
        return kc_error_set(err, KC_ERR_INVALID, "peer_security_protocol cannot be changed (%s -> %s): %s; %s",
                            kc_replication_security_name(old->peer_security_protocol),
                            kc_replication_security_name(upd->peer_security_protocol), auth, RECREATE);
    if (old->peer_sasl_mechanism != upd->peer_sasl_mechanism) {
        const char *a = kc_replication_mechanism_name(old->peer_sasl_mechanism),
                   *b = kc_replication_mechanism_name(upd->peer_sasl_mechanism);
        return kc_error_set(err, KC_ERR_INVALID, "peer_sasl_mechanism cannot be changed (%s -> %s): %s; %s",
                            a ? a : "none", b ? b : "none", auth, RECREATE);
    }
    if (!str_eq(old->peer_username, upd->peer_username))
        return kc_error_set(err, KC_ERR_INVALID, "peer_username cannot be changed ('%s' -> '%s'): %s; %s",
                            old->peer_username ? old->peer_username : "", upd->peer_username ? upd->peer_username : "",
                            auth, RECREATE);
    const char *naming = "it decides the names of the replicated topics, so the existing copies and their "
                         "translated consumer offsets would be abandoned";
    if (old->rename_topics != upd->rename_topics)
        return kc_error_set(err, KC_ERR_INVALID, "rename_topics cannot be changed (%s -> %s): %s; %s",
                            old->rename_topics ? "true" : "false", upd->rename_topics ? "true" : "false", naming,
                            RECREATE);
    bool same_mapping = old->mapping_count == upd->mapping_count;
    for (size_t i = 0; same_mapping && i < old->mapping_count; i++)
        same_mapping = str_eq(old->topic_mapping[i].source, upd->topic_mapping[i].source) &&
                       str_eq(old->topic_mapping[i].target, upd->topic_mapping[i].target);
    if (!same_mapping)
        return kc_error_set(err, KC_ERR_INVALID, "topic_mapping cannot be changed: %s; %s", naming, RECREATE);
    if (old->start_offset != upd->start_offset)
        return kc_error_set(err, KC_ERR_INVALID,
                            "start_offset cannot be changed (%s -> %s): it applied when the replication was created; "
                            "the stored source offsets now decide where each partition resumes",
                            kc_replication_start_offset_name(old->start_offset),
                            kc_replication_start_offset_name(upd->start_offset));
    return 0;
}

/* ---- replicas -------------------------------------------------------------------------------- */

int kc_replication_spec_resolve_replicas(kc_replication_spec *s, int local_brokers, int peer_brokers, kc_error *err)
{
    bool local_receives = s->direction != KC_REPLICATION_PUSH, peer_receives = s->direction != KC_REPLICATION_PULL;
    int fewest = KC_REPLICATION_REPLICAS_AUTO_MAX;
    if (local_receives && local_brokers > 0 && local_brokers < fewest)
        fewest = local_brokers;
    if (peer_receives && peer_brokers > 0 && peer_brokers < fewest)
        fewest = peer_brokers;
    if (s->replicas == 0) {
        s->replicas = fewest;
        return 0;
    }
    if (local_receives && local_brokers > 0 && s->replicas > local_brokers)
        return kc_error_set(err, KC_ERR_INVALID,
                            "replicas %d exceeds the %d broker%s of the current cluster '%s', which receives the "
                            "replicated topics",
                            s->replicas, local_brokers, local_brokers == 1 ? "" : "s",
                            s->current_alias ? s->current_alias : "");
    if (peer_receives && peer_brokers > 0 && s->replicas > peer_brokers)
        return kc_error_set(err, KC_ERR_INVALID,
                            "replicas %d exceeds the %d broker%s of the peer cluster '%s', which receives the "
                            "replicated topics",
                            s->replicas, peer_brokers, peer_brokers == 1 ? "" : "s",
                            s->peer_alias ? s->peer_alias : "");
    return 0;
}

/* ---- rules across tasks ---------------------------------------------------------------------- */

/* 1 when the two bootstrap lists share a host:port (compared trimmed, case-insensitively). */
static bool same_servers(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    for (const char *x = a;;) {
        const char *xe = strchr(x, ',');
        size_t xl = xe ? (size_t)(xe - x) : strlen(x);
        while (xl && isspace((unsigned char)*x))
            x++, xl--;
        while (xl && isspace((unsigned char)x[xl - 1]))
            xl--;
        for (const char *y = b;;) {
            const char *ye = strchr(y, ',');
            size_t yl = ye ? (size_t)(ye - y) : strlen(y);
            while (yl && isspace((unsigned char)*y))
                y++, yl--;
            while (yl && isspace((unsigned char)y[yl - 1]))
                yl--;
            if (xl && xl == yl && strncasecmp(x, y, xl) == 0)
                return true;
            if (!ye)
                break;
            y = ye + 1;
        }
        if (!xe)
            return false;
        x = xe + 1;
    }
}

static bool is_listed(const kc_replication_spec *s, const char *topic)
{
    for (size_t i = 0; i < s->topic_count; i++)
        if (strcmp(s->topics[i], topic) == 0)
            return true;
    for (size_t i = 0; i < s->mapping_count; i++)
        if (strcmp(s->topic_mapping[i].source, topic) == 0)
            return true;
    return false;
}

/* Whether a and b may replicate a common topic (from the same cluster). 1 with what describing it
 * ("topic 'x'", "topics matching 'r'"), 0, or -1 with err. */
static int selections_overlap(const kc_replication_spec *a, const kc_replication_spec *b, char *what, size_t size,
                              kc_error *err)
{
    const kc_replication_spec *pair[2][2] = {{a, b}, {b, a}};
    for (int k = 0; k < 2; k++) {
        const kc_replication_spec *x = pair[k][0], *y = pair[k][1];
        size_t n = x->topic_count + x->mapping_count;
        for (size_t i = 0; i < n; i++) {
            const char *t = i < x->topic_count ? x->topics[i] : x->topic_mapping[i - x->topic_count].source;
            int hit = is_listed(y, t);
            if (!hit && y->topics_regex && (hit = regex_matches(y->topics_regex, t, err)) < 0)
                return -1;
            if (hit) {
                snprintf(what, size, "topic '%s'", t);
                return 1;
            }
        }
    }
    if (a->topics_regex && b->topics_regex && strcmp(a->topics_regex, b->topics_regex) == 0) {
        snprintf(what, size, "the topics matching '%s'", a->topics_regex);
        return 1;
    }
    return 0;
}

static bool pulls(const kc_replication_spec *s) { return s->direction != KC_REPLICATION_PUSH; }
static bool pushes(const kc_replication_spec *s) { return s->direction != KC_REPLICATION_PULL; }

int kc_replication_check_against(const kc_replication_spec *s, const kc_replication_spec *const *existing, size_t n,
                                 const kc_replication_limits *limits, const char *replacing, kc_error *err)
{
    kc_replication_limits lim = limits ? *limits : KC_REPLICATION_LIMITS_DEFAULT;
    size_t others = 0;
    for (size_t i = 0; i < n; i++) {
        const kc_replication_spec *o = existing[i];
        if (replacing && str_eq(o->name, replacing))
            continue;
        others++;
        if (str_eq(o->name, s->name))
            return kc_error_set(err, KC_ERR_CONFLICT, "a replication named '%s' already exists", s->name);
    }
    if (others >= (size_t)lim.max_replications)
        return kc_error_set(err, KC_ERR_INVALID,
                            "at most %d replication tasks can be created for an instance; %zu exist already",
                            lim.max_replications, others);
    for (size_t i = 0; i < n; i++) {
        const kc_replication_spec *o = existing[i];
        if (replacing && str_eq(o->name, replacing))
            continue;
        if (str_eq(o->peer_alias, s->peer_alias))
            return kc_error_set(err, KC_ERR_CONFLICT,
                                "peer_alias '%s' is already used by replication '%s': two replications of one "
                                "instance must not share a peer alias (their internal topics, e.g. "
                                "mm2-offset-syncs.%s.internal, would collide)",
                                s->peer_alias, o->name, s->peer_alias);
        if (!same_servers(o->peer_bootstrap_servers, s->peer_bootstrap_servers))
            continue;
        char what[320];
        int r = selections_overlap(s, o, what, sizeof what, err);
        if (r < 0)
            return -1;
        if (!r)
            continue;
        if ((pulls(s) && pulls(o)) || (pushes(s) && pushes(o))) {
            bool pull = pulls(s) && pulls(o);
            return kc_error_set(err, KC_ERR_CONFLICT,
                                "replication '%s' overlaps replication '%s': both %s %s %s peer cluster '%s' (every "
                                "record would be replicated twice)",
                                s->name, o->name, pull ? "pull" : "push", what, pull ? "from" : "to",
                                s->peer_bootstrap_servers);
        }
        bool breaks_loop = s->rename_topics || s->add_source_header || o->rename_topics || o->add_source_header;
        if (!breaks_loop)
            return kc_error_set(err, KC_ERR_CONFLICT,
                                "replication '%s' and replication '%s' replicate %s in opposite directions between "
                                "this instance and peer cluster '%s' without rename_topics or add_source_header: "
                                "records would be replicated back and forth forever",
                                s->name, o->name, what, s->peer_bootstrap_servers);
    }
    return 0;
}

/* ---- secrets --------------------------------------------------------------------------------- */

char *kc_replication_password_key_new(const char *name)
{
    char *out = NULL;
    return asprintf(&out, "%s.peer.password", name) < 0 ? NULL : out;
}

char *kc_replication_file_secret_ref_new(const char *path, const char *key)
{
    char *out = NULL;
    return asprintf(&out, "${file:%s:%s}", path, key) < 0 ? NULL : out;
}
