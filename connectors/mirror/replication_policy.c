/* ReplicationPolicy: the vtable, Java's interface defaults, and the Default, Identity and Mapping
 * policies; see replication_policy.h. */
#include "connectors/mirror/replication_policy.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct kc_mirror_policy {
    const kc_mirror_policy_ops *ops;
    void *state;
};

/* ---- string helpers ------------------------------------------------------------------------- */

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

/* *out = the concatenation of the NULL-terminated argument strings. */
static int concat(char **out, kc_error *err, ...)
{
    va_list ap;
    size_t len = 0;
    va_start(ap, err);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
        len += strlen(s);
    va_end(ap);
    char *r = malloc(len + 1), *w = r;
    if (!r) {
        *out = NULL;
        return oom(err);
    }
    va_start(ap, err);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        size_t n = strlen(s);
        memcpy(w, s, n);
        w += n;
    }
    va_end(ap);
    *w = '\0';
    *out = r;
    return 0;
}

static int copy_n(const char *s, size_t n, char **out, kc_error *err)
{
    *out = strndup(s, n);
    return *out ? 0 : oom(err);
}

static bool starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* ---- Java's interface defaults (ReplicationPolicy's default methods) ------------------------- */

static int default_original_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    char *cur = strdup(topic);
    if (!cur)
        return *out = NULL, oom(err);
    for (int hop = 0; hop < KC_MIRROR_POLICY_MAX_HOPS; hop++) {
        char *up;
        if (kc_mirror_policy_upstream_topic(p, cur, &up, err) < 0) {
            free(cur);
            return *out = NULL, -1;
        }
        if (!up || strcmp(up, cur) == 0) {
            free(up);
            *out = cur;
            return 0;
        }
        free(cur);
        cur = up;
    }
    free(cur);
    *out = NULL;
    return kc_error_set(err, KC_ERR_INVALID,
                        "replication policy %s: the upstream topics of '%s' do not end after %d hops",
                        p->ops->class_name, topic, KC_MIRROR_POLICY_MAX_HOPS);
}

static int default_is_heartbeats_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    char *orig;
    if (kc_mirror_policy_original_topic(p, topic, &orig, err) < 0)
        return -1;
    int r = strcmp(kc_mirror_policy_heartbeats_topic(p), orig) == 0;
    free(orig);
    return r;
}

static int default_is_mm2_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (starts_with(topic, "mm2") && ends_with(topic, ".internal"))
        return 1;
    return kc_mirror_policy_is_checkpoints_topic(p, topic, err);
}

/* ---- DefaultReplicationPolicy and IdentityReplicationPolicy --------------------------------- */

typedef struct builtin_state {
    char *separator;
    bool internal_separator; /* replication.policy.internal.topic.separator.enabled */
    char *source_alias;      /* Identity: source.cluster.alias, NULL when not configured */
} builtin_state;

static const builtin_state *builtin(const kc_mirror_policy *p) { return p->state; }

static const char *isep(const kc_mirror_policy *p)
{
    return builtin(p)->internal_separator ? builtin(p)->separator : ".";
}

static void builtin_free(void *state)
{
    builtin_state *s = state;
    if (!s)
        return;
    free(s->separator);
    free(s->source_alias);
    free(s);
}

static int dflt_format_remote_topic(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                                    char **out, kc_error *err)
{
    return concat(out, err, source_alias, builtin(p)->separator, topic, (const char *)NULL);
}

/* Length of the first piece of Pattern.split(quote(sep)) when there are at least two pieces after
 * trailing empty ones are dropped; -1 when the topic is local. */
static long split_source_len(const char *topic, const char *sep)
{
    size_t n = strlen(sep);
    if (n == 0) { /* an empty pattern splits between characters: the first (UTF-8) character */
        if (!topic[0])
            return -1;
        size_t first = 1;
        while (((unsigned char)topic[first] & 0xC0) == 0x80)
            first++;
        return topic[first] ? (long)first : -1;
    }
    const char *hit = strstr(topic, sep);
    if (!hit)
        return -1;
    const char *rest = hit + n;
    while (strncmp(rest, sep, n) == 0) /* only separators left: every later piece is empty */
        rest += n;
    return *rest ? (long)(hit - topic) : -1;
}

static int dflt_topic_source(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    long len = split_source_len(topic, builtin(p)->separator);
    if (len < 0)
        return *out = NULL, 0;
    return copy_n(topic, (size_t)len, out, err);
}

static int dflt_upstream_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    long len = split_source_len(topic, builtin(p)->separator);
    if (len < 0)
        return *out = NULL, 0;
    const char *up = topic + len + strlen(builtin(p)->separator);
    return copy_n(up, strlen(up), out, err);
}

static int dflt_offset_syncs_topic(const kc_mirror_policy *p, const char *alias, char **out, kc_error *err)
{
    return concat(out, err, "mm2-offset-syncs", isep(p), alias, isep(p), "internal", (const char *)NULL);
}

static int dflt_checkpoints_topic(const kc_mirror_policy *p, const char *alias, char **out, kc_error *err)
{
    return concat(out, err, alias, isep(p), "checkpoints", isep(p), "internal", (const char *)NULL);
}

static int dflt_is_checkpoints_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    char *suffix;
    if (concat(&suffix, err, isep(p), "checkpoints", isep(p), "internal", (const char *)NULL) < 0)
        return -1;
    int r = ends_with(topic, suffix);
    free(suffix);
    return r;
}

static int dflt_is_mm2_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (starts_with(topic, "mm2")) {
        char *suffix;
        if (concat(&suffix, err, isep(p), "internal", (const char *)NULL) < 0)
            return -1;
        int r = ends_with(topic, suffix);
        free(suffix);
        if (r)
            return 1;
    }
    return kc_mirror_policy_is_checkpoints_topic(p, topic, err);
}

static bool looks_like_heartbeat(const kc_mirror_policy *p, const char *topic)
{
    return ends_with(topic, kc_mirror_policy_heartbeats_topic(p));
}

static int ident_format_remote_topic(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                                     char **out, kc_error *err)
{
    if (looks_like_heartbeat(p, topic))
        return dflt_format_remote_topic(p, source_alias, topic, out, err);
    return copy_n(topic, strlen(topic), out, err);
}

static int ident_topic_source(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    if (looks_like_heartbeat(p, topic))
        return dflt_topic_source(p, topic, out, err);
    const char *alias = builtin(p)->source_alias;
    if (!alias)
        return *out = NULL, 0;
    return copy_n(alias, strlen(alias), out, err);
}

static int ident_upstream_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    if (looks_like_heartbeat(p, topic))
        return dflt_upstream_topic(p, topic, out, err);
    return copy_n(topic, strlen(topic), out, err);
}

static const kc_mirror_policy_ops default_ops = {
    .class_name = KC_MIRROR_DEFAULT_POLICY_CLASS,
    .format_remote_topic = dflt_format_remote_topic,
    .topic_source = dflt_topic_source,
    .upstream_topic = dflt_upstream_topic,
    .offset_syncs_topic = dflt_offset_syncs_topic,
    .checkpoints_topic = dflt_checkpoints_topic,
    .is_checkpoints_topic = dflt_is_checkpoints_topic,
    .is_mm2_internal_topic = dflt_is_mm2_internal_topic,
    .free_state = builtin_free,
};

static const kc_mirror_policy_ops identity_ops = {
    .class_name = KC_MIRROR_IDENTITY_POLICY_CLASS,
    .format_remote_topic = ident_format_remote_topic,
    .topic_source = ident_topic_source,
    .upstream_topic = ident_upstream_topic,
    .offset_syncs_topic = dflt_offset_syncs_topic,
    .checkpoints_topic = dflt_checkpoints_topic,
    .is_checkpoints_topic = dflt_is_checkpoints_topic,
    .is_mm2_internal_topic = dflt_is_mm2_internal_topic,
    .free_state = builtin_free,
};

/* DefaultReplicationPolicy.configure (+ IdentityReplicationPolicy's alias when identity). */
static kc_mirror_policy *builtin_new(const kc_mirror_policy_ops *ops, const kc_props *config, bool identity,
                                     kc_error *err)
{
    builtin_state *s = calloc(1, sizeof *s);
    if (!s)
        return oom(err), NULL;
    s->internal_separator = true;
    const char *sep = kc_props_get(config, KC_MIRROR_POLICY_SEPARATOR_CONFIG);
    s->separator = strdup(sep ? sep : KC_MIRROR_POLICY_SEPARATOR_DEFAULT);
    if (sep) {
        const char *enabled = kc_props_get(config, KC_MIRROR_POLICY_INTERNAL_SEPARATOR_CONFIG);
        if (enabled) { /* Boolean.parseBoolean: "true" ignoring ASCII case, nothing else */
            static const char t[] = "true";
            bool yes = strlen(enabled) == 4;
            for (size_t i = 0; yes && i < 4; i++)
                yes = (enabled[i] | 0x20) == t[i];
            s->internal_separator = yes;
        }
    }
    const char *alias = identity ? kc_props_get(config, KC_MIRROR_POLICY_SOURCE_ALIAS_CONFIG) : NULL;
    if (alias)
        s->source_alias = strdup(alias);
    if (!s->separator || (alias && !s->source_alias)) {
        builtin_free(s);
        return oom(err), NULL;
    }
    return kc_mirror_policy_new_custom(ops, s, err);
}

static kc_mirror_policy *new_default(const kc_props *config, kc_error *err)
{
    return builtin_new(&default_ops, config, false, err);
}

static kc_mirror_policy *new_identity(const kc_props *config, kc_error *err)
{
    return builtin_new(&identity_ops, config, true, err);
}

/* ---- MappingReplicationPolicy (kconnect, spec 8.3) ------------------------------------------ */

typedef struct mapping_state {
    builtin_state base; /* first: builtin(p) and the Identity ops read it */
    size_t n;
    char **sources, **targets;
} mapping_state;

static const mapping_state *mapping(const kc_mirror_policy *p) { return p->state; }

static void mapping_free(void *state)
{
    mapping_state *m = state;
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->sources[i]);
        free(m->targets[i]);
    }
    free(m->sources);
    free(m->targets);
    free(m->base.separator);
    free(m->base.source_alias);
    free(m);
}

/* Index of name among names[0..n), or -1. */
static long index_of(char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return (long)i;
    return -1;
}

static int map_format_remote_topic(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                                   char **out, kc_error *err)
{
    if (looks_like_heartbeat(p, topic))
        return dflt_format_remote_topic(p, source_alias, topic, out, err);
    long i = index_of(mapping(p)->sources, mapping(p)->n, topic);
    const char *name = i >= 0 ? mapping(p)->targets[i] : topic;
    return copy_n(name, strlen(name), out, err);
}

static int map_upstream_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    if (looks_like_heartbeat(p, topic))
        return dflt_upstream_topic(p, topic, out, err);
    long i = index_of(mapping(p)->targets, mapping(p)->n, topic);
    const char *name = i >= 0 ? mapping(p)->sources[i] : topic;
    return copy_n(name, strlen(name), out, err);
}

static const kc_mirror_policy_ops mapping_ops = {
    .class_name = KC_MIRROR_MAPPING_POLICY_CLASS,
    .format_remote_topic = map_format_remote_topic,
    .topic_source = ident_topic_source,
    .upstream_topic = map_upstream_topic,
    .offset_syncs_topic = dflt_offset_syncs_topic,
    .checkpoints_topic = dflt_checkpoints_topic,
    .is_checkpoints_topic = dflt_is_checkpoints_topic,
    .is_mm2_internal_topic = dflt_is_mm2_internal_topic,
    .free_state = mapping_free,
};

/* Parses "src1:dst1, src2:dst2" (elements trimmed, empty elements skipped) into m. */
static int parse_mapping(mapping_state *m, const char *value, kc_error *err)
{
    const char *key = KC_MIRROR_POLICY_TOPIC_MAPPING_CONFIG;
    size_t cap = 1;
    for (const char *c = value; *c; c++)
        cap += *c == ',';
    if (!(m->sources = calloc(cap, sizeof *m->sources)) || !(m->targets = calloc(cap, sizeof *m->targets)))
        return oom(err);
    const char *cur = value;
    for (;;) {
        const char *end = strchr(cur, ',');
        size_t len = end ? (size_t)(end - cur) : strlen(cur);
        while (len && (unsigned char)*cur <= ' ')
            cur++, len--;
        while (len && (unsigned char)cur[len - 1] <= ' ')
            len--;
        if (len) {
            const char *colon = memchr(cur, ':', len);
            size_t slen = colon ? (size_t)(colon - cur) : 0, tlen = colon ? len - slen - 1 : 0;
            if (!colon || !slen || !tlen || memchr(colon + 1, ':', tlen))
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Invalid value %s for configuration %s: '%.*s' is not a source:target pair",
                                    value, key, (int)len, cur);
            char *src = strndup(cur, slen), *dst = strndup(colon + 1, tlen);
            if (!src || !dst) {
                free(src);
                free(dst);
                return oom(err);
            }
            m->sources[m->n] = src;
            m->targets[m->n] = dst;
            m->n++;
            const char *dup = index_of(m->sources, m->n - 1, src) >= 0   ? "source topic"
                              : index_of(m->targets, m->n - 1, dst) >= 0 ? "target topic"
                                                                         : NULL;
            if (dup)
                return kc_error_set(err, KC_ERR_INVALID,
                                    "Invalid value %s for configuration %s: %s '%s' is mapped twice", value, key,
                                    dup, strcmp(dup, "source topic") == 0 ? src : dst);
        }
        if (!end)
            break;
        cur = end + 1;
    }
    for (size_t i = 0; i < m->n; i++) {
        long j = index_of(m->sources, m->n, m->targets[i]);
        if (j >= 0 && (size_t)j != i)
            return kc_error_set(err, KC_ERR_INVALID,
                                "Invalid value %s for configuration %s: '%s' is both a target and the source of "
                                "another pair",
                                value, key, m->targets[i]);
    }
    return 0;
}

static kc_mirror_policy *new_mapping(const kc_props *config, kc_error *err)
{
    mapping_state *m = calloc(1, sizeof *m);
    if (!m)
        return oom(err), NULL;
    /* Identity's configure reads the separator and the alias; take its state over */
    kc_mirror_policy *tmp = builtin_new(&identity_ops, config, true, err);
    if (!tmp) {
        free(m);
        return NULL;
    }
    builtin_state *b = kc_mirror_policy_state(tmp);
    m->base = *b;
    *b = (builtin_state){0};
    kc_mirror_policy_free(tmp);
    const char *value = kc_props_get(config, KC_MIRROR_POLICY_TOPIC_MAPPING_CONFIG);
    if (value && parse_mapping(m, value, err) < 0) {
        mapping_free(m);
        return NULL;
    }
    return kc_mirror_policy_new_custom(&mapping_ops, m, err);
}

/* The classes replication.policy.class may name. */
static const struct factory {
    const char *class_name;
    const char *simple_name;
    kc_mirror_policy *(*create)(const kc_props *config, kc_error *err);
} factories[] = {
    {KC_MIRROR_DEFAULT_POLICY_CLASS, "DefaultReplicationPolicy", new_default},
    {KC_MIRROR_IDENTITY_POLICY_CLASS, "IdentityReplicationPolicy", new_identity},
    {KC_MIRROR_MAPPING_POLICY_CLASS, "MappingReplicationPolicy", new_mapping},
};

static const struct factory *find_factory(const char *name)
{
    for (size_t i = 0; i < sizeof factories / sizeof factories[0]; i++)
        if (strcmp(name, factories[i].class_name) == 0 || strcmp(name, factories[i].simple_name) == 0)
            return &factories[i];
    return NULL;
}

int kc_mirror_policy_class_known(const char *name) { return name && find_factory(name) != NULL; }

kc_mirror_policy *kc_mirror_policy_new(const kc_props *config, kc_error *err)
{
    const char *raw = kc_props_get(config, KC_MIRROR_POLICY_CLASS_CONFIG);
    if (!raw)
        return new_default(config, err);
    /* ConfigDef trims a CLASS value as String.trim() does */
    size_t start = 0, end = strlen(raw);
    while (start < end && (unsigned char)raw[start] <= ' ')
        start++;
    while (end > start && (unsigned char)raw[end - 1] <= ' ')
        end--;
    char *name = strndup(raw + start, end - start);
    if (!name)
        return oom(err), NULL;
    const struct factory *f = find_factory(name);
    if (!f) {
        kc_error_set(err, KC_ERR_INVALID,
                     "Invalid value %s for configuration %s: Class %s could not be found. kconnect provides "
                     "%s, %s and %s",
                     raw, KC_MIRROR_POLICY_CLASS_CONFIG, name, KC_MIRROR_DEFAULT_POLICY_CLASS,
                     KC_MIRROR_IDENTITY_POLICY_CLASS, KC_MIRROR_MAPPING_POLICY_CLASS);
        free(name);
        return NULL;
    }
    free(name);
    return f->create(config, err);
}

kc_mirror_policy *kc_mirror_policy_new_custom(const kc_mirror_policy_ops *ops, void *state, kc_error *err)
{
    if (!ops || !ops->class_name || !ops->format_remote_topic || !ops->topic_source || !ops->upstream_topic) {
        if (ops && ops->free_state)
            ops->free_state(state);
        kc_error_set(err, KC_ERR_INVALID,
                     "a replication policy needs a class name, format_remote_topic, topic_source and upstream_topic");
        return NULL;
    }
    kc_mirror_policy *p = malloc(sizeof *p);
    if (!p) {
        if (ops->free_state)
            ops->free_state(state);
        return oom(err), NULL;
    }
    p->ops = ops;
    p->state = state;
    return p;
}

void kc_mirror_policy_free(kc_mirror_policy *p)
{
    if (!p)
        return;
    if (p->ops->free_state)
        p->ops->free_state(p->state);
    free(p);
}

void *kc_mirror_policy_state(const kc_mirror_policy *p) { return p->state; }

const char *kc_mirror_policy_class_name(const kc_mirror_policy *p) { return p->ops->class_name; }

/* ---- dispatch ------------------------------------------------------------------------------- */

int kc_mirror_policy_format_remote_topic(const kc_mirror_policy *p, const char *source_alias, const char *topic,
                                         char **out, kc_error *err)
{
    return p->ops->format_remote_topic(p, source_alias, topic, out, err);
}

int kc_mirror_policy_topic_source(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    return p->ops->topic_source(p, topic, out, err);
}

int kc_mirror_policy_upstream_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    return p->ops->upstream_topic(p, topic, out, err);
}

int kc_mirror_policy_original_topic(const kc_mirror_policy *p, const char *topic, char **out, kc_error *err)
{
    if (p->ops->original_topic)
        return p->ops->original_topic(p, topic, out, err);
    return default_original_topic(p, topic, out, err);
}

const char *kc_mirror_policy_heartbeats_topic(const kc_mirror_policy *p)
{
    return p->ops->heartbeats_topic ? p->ops->heartbeats_topic(p) : "heartbeats";
}

int kc_mirror_policy_offset_syncs_topic(const kc_mirror_policy *p, const char *cluster_alias, char **out,
                                        kc_error *err)
{
    if (p->ops->offset_syncs_topic)
        return p->ops->offset_syncs_topic(p, cluster_alias, out, err);
    return concat(out, err, "mm2-offset-syncs.", cluster_alias, ".internal", (const char *)NULL);
}

int kc_mirror_policy_checkpoints_topic(const kc_mirror_policy *p, const char *cluster_alias, char **out,
                                       kc_error *err)
{
    if (p->ops->checkpoints_topic)
        return p->ops->checkpoints_topic(p, cluster_alias, out, err);
    return concat(out, err, cluster_alias, ".checkpoints.internal", (const char *)NULL);
}

int kc_mirror_policy_is_heartbeats_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (p->ops->is_heartbeats_topic)
        return p->ops->is_heartbeats_topic(p, topic, err);
    return default_is_heartbeats_topic(p, topic, err);
}

int kc_mirror_policy_is_checkpoints_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (p->ops->is_checkpoints_topic)
        return p->ops->is_checkpoints_topic(p, topic, err);
    return ends_with(topic, ".checkpoints.internal");
}

int kc_mirror_policy_is_mm2_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (p->ops->is_mm2_internal_topic)
        return p->ops->is_mm2_internal_topic(p, topic, err);
    return default_is_mm2_internal_topic(p, topic, err);
}

int kc_mirror_policy_is_internal_topic(const kc_mirror_policy *p, const char *topic, kc_error *err)
{
    if (p->ops->is_internal_topic)
        return p->ops->is_internal_topic(p, topic, err);
    if (starts_with(topic, "__") || starts_with(topic, "."))
        return 1;
    return kc_mirror_policy_is_mm2_internal_topic(p, topic, err);
}
