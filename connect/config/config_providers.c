/* Config providers and ConfigTransformer; see config_providers.h. */
#include "connect/config/config_providers.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "connect/api/log.h"

#define FILE_LOGGER "org.apache.kafka.common.config.provider.FileConfigProvider"
#define DIR_LOGGER "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
#define ENV_LOGGER "org.apache.kafka.common.config.provider.EnvVarConfigProvider"

extern char **environ;

typedef enum provider_kind { KIND_FILE, KIND_DIRECTORY, KIND_ENV, KIND_CALLBACK } provider_kind;

typedef struct provider {
    char *name;
    provider_kind kind;
    char **allowed;         /* normalised allowed.paths; NULL when every path is allowed */
    size_t allowed_count;
    kc_props *env;          /* KIND_ENV: the filtered environment */
    kc_config_provider_fn fn; /* KIND_CALLBACK */
    void *opaque;
} provider;

struct kc_config_providers {
    provider *items;
    size_t count;
};

static int oom(kc_error *err) { return kc_error_set(err, KC_ERR_INTERNAL, "out of memory"); }

/* ---- the variable pattern ---------------------------------------------------------------------- */

typedef struct var_match {
    size_t start, end;                  /* the whole ${...}: [start, end) */
    const char *provider; size_t provider_len;
    const char *path; size_t path_len;  /* "" when absent */
    const char *key; size_t key_len;
} var_match;

/* The next match of \$\{([^}]*?):(([^}]*?):)?([^}]*?)\} in s at or after from (Matcher.find). */
static bool next_var(const char *s, size_t from, var_match *m)
{
    for (size_t p = from; s[p]; p++) {
        if (s[p] != '$' || s[p + 1] != '{')
            continue;
        const char *body = s + p + 2;
        const char *close = strchr(body, '}');
        if (!close)
            return false; /* no later start can find a '}' either */
        const char *colon = memchr(body, ':', (size_t)(close - body));
        if (!colon)
            continue;
        m->start = p;
        m->end = (size_t)(close - s) + 1;
        m->provider = body;
        m->provider_len = (size_t)(colon - body);
        const char *colon2 = memchr(colon + 1, ':', (size_t)(close - colon - 1));
        if (colon2) {
            m->path = colon + 1;
            m->path_len = (size_t)(colon2 - colon - 1);
            m->key = colon2 + 1;
        } else {
            m->path = "";
            m->path_len = 0;
            m->key = colon + 1;
        }
        m->key_len = (size_t)(close - m->key);
        return true;
    }
    return false;
}

int kc_config_has_reference(const char *value)
{
    var_match m;
    return value && next_var(value, 0, &m) ? 1 : 0;
}

/* ---- paths (java.nio UnixPath: parse, normalize, startsWith) ------------------------------------ */

/* The normalised form of path: no empty or "." components, "name/.." pairs removed, leading ".."
 * dropped when absolute. New string, NULL when out of memory. */
static char *normalize_path(const char *path)
{
    size_t len = strlen(path);
    char *copy = strdup(path), *out = malloc(len + 2);
    const char **parts = calloc(len / 2 + 2, sizeof *parts);
    if (!copy || !out || !parts) {
        free(copy);
        free(out);
        free(parts);
        return NULL;
    }
    bool absolute = path[0] == '/';
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (n > 0 && strcmp(parts[n - 1], "..") != 0) {
                n--;
                continue;
            }
            if (absolute)
                continue;
        }
        parts[n++] = tok;
    }
    size_t o = 0;
    if (absolute)
        out[o++] = '/';
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            out[o++] = '/';
        size_t l = strlen(parts[i]);
        memcpy(out + o, parts[i], l);
        o += l;
    }
    out[o] = '\0';
    free(parts);
    free(copy);
    return out;
}

/* Path.startsWith by whole components; both normalised. */
static bool path_starts_with(const char *path, const char *prefix)
{
    if ((path[0] == '/') != (prefix[0] == '/'))
        return false;
    if (strcmp(prefix, "/") == 0)
        return true;
    size_t l = strlen(prefix);
    return strncmp(path, prefix, l) == 0 && (path[l] == '\0' || path[l] == '/');
}

/* AllowedPaths.parseUntrustedPath: the path to open (new string), or NULL with *refused set when
 * allowed.paths does not cover it (NULL with *refused false: out of memory). */
static char *untrusted_path(const provider *pr, const char *path, bool *refused)
{
    *refused = false;
    if (!pr->allowed)
        return strdup(path);
    char *norm = normalize_path(path);
    if (!norm)
        return NULL;
    for (size_t i = 0; i < pr->allowed_count; i++)
        if (path_starts_with(norm, pr->allowed[i]))
            return norm;
    free(norm);
    *refused = true;
    return NULL;
}

/* AllowedPaths(configValue). */
static int parse_allowed_paths(provider *pr, const char *value, kc_error *err)
{
    if (!value || !*value)
        return 0;
    /* String.split(","): trailing empty strings are dropped */
    size_t len = strlen(value);
    while (len > 0 && value[len - 1] == ',')
        len--;
    size_t count = 1;
    for (size_t i = 0; i < len; i++)
        count += value[i] == ',';
    if (!(pr->allowed = calloc(count, sizeof *pr->allowed)))
        return oom(err);
    const char *p = value, *end = value + len;
    while (len > 0) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t l = comma ? (size_t)(comma - p) : (size_t)(end - p);
        char *entry = strndup(p, l);
        char *norm = entry ? normalize_path(entry) : NULL;
        free(entry);
        if (!norm)
            return oom(err);
        pr->allowed[pr->allowed_count++] = norm;
        struct stat st;
        if (norm[0] != '/')
            return kc_error_set(err, KC_ERR_INVALID, "Path %s is not absolute", norm);
        if (stat(norm, &st) != 0)
            return kc_error_set(err, KC_ERR_INVALID, "Path %s does not exist", norm);
        if (!comma)
            break;
        p = comma + 1;
    }
    return 0;
}

/* ---- providers --------------------------------------------------------------------------------- */

static int configure_env(provider *pr, const kc_props *params, kc_error *err)
{
    const char *pattern = kc_props_get(params, "allowlist.pattern");
    if (!pattern)
        kc_log(KC_LOG_INFO, ENV_LOGGER, "No pattern for environment variables provided. Using default pattern '(.*)'.");
    regex_t re;
    memset(&re, 0, sizeof re);
    char *anchored = NULL;
    if (pattern) {
        size_t l = strlen(pattern) + 5;
        if (!(anchored = malloc(l)))
            return oom(err);
        snprintf(anchored, l, "^(%s)$", pattern);
        int rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
        free(anchored);
        if (rc != 0) {
            char msg[200];
            regerror(rc, &re, msg, sizeof msg);
            return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration allowlist.pattern of config "
                                                     "provider %s: %s", pattern, pr->name, msg);
        }
    }
    int rc = 0;
    if (!(pr->env = kc_props_new()))
        rc = oom(err);
    for (char **e = environ; rc == 0 && e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq)
            continue;
        char *name = strndup(*e, (size_t)(eq - *e));
        if (!name) {
            rc = oom(err);
            break;
        }
        if ((!pattern || regexec(&re, name, 0, NULL, 0) == 0) && kc_props_set(pr->env, name, eq + 1) < 0)
            rc = oom(err);
        free(name);
    }
    if (pattern)
        regfree(&re);
    return rc;
}

static void provider_clear(provider *pr)
{
    free(pr->name);
    for (size_t i = 0; i < pr->allowed_count; i++)
        free(pr->allowed[i]);
    free(pr->allowed);
    kc_props_free(pr->env);
}

static int add_provider(kc_config_providers *ps, const kc_props *worker, const char *name, const char *cls,
                        kc_config_providers_rules rules, kc_error *err)
{
    provider_kind kind;
    if (strcmp(cls, KC_FILE_CONFIG_PROVIDER) == 0)
        kind = KIND_FILE;
    else if (strcmp(cls, KC_DIRECTORY_CONFIG_PROVIDER) == 0)
        kind = KIND_DIRECTORY;
    else if (strcmp(cls, KC_ENV_VAR_CONFIG_PROVIDER) == 0)
        kind = KIND_ENV;
    else if (rules == KC_PROVIDERS_WORKER_CONFIG)
        return kc_error_set(err, KC_ERR_INVALID, "Invalid value %s for configuration config.providers.%s.class: Could "
                                                 "not load config provider class or one of its dependencies", cls, name);
    else
        return kc_error_set(err, KC_ERR_INVALID, "Failed to find any class that implements ConfigProvider and which "
                                                 "name matches %s, available ConfigProviders are: "
                                                 KC_DIRECTORY_CONFIG_PROVIDER ", " KC_ENV_VAR_CONFIG_PROVIDER ", "
                                                 KC_FILE_CONFIG_PROVIDER, cls);
    /* a name listed twice: Java's map keeps the last instance */
    provider *pr = NULL;
    for (size_t i = 0; i < ps->count; i++)
        if (strcmp(ps->items[i].name, name) == 0) {
            provider_clear(&ps->items[i]);
            pr = &ps->items[i];
        }
    if (!pr) {
        provider *grown = realloc(ps->items, (ps->count + 1) * sizeof *grown);
        if (!grown)
            return oom(err);
        ps->items = grown;
        pr = &ps->items[ps->count++];
    }
    memset(pr, 0, sizeof *pr);
    pr->kind = kind;
    if (!(pr->name = strdup(name)))
        return oom(err);
    char prefix[600];
    snprintf(prefix, sizeof prefix, "config.providers.%s.param.", name);
    kc_props *params = kc_props_subset(worker, prefix, 1);
    if (!params)
        return oom(err);
    int rc = kind == KIND_ENV ? configure_env(pr, params, err)
                              : parse_allowed_paths(pr, kc_props_get(params, "allowed.paths"), err);
    kc_props_free(params);
    return rc;
}

int kc_config_providers_add_callback(kc_config_providers *ps, const char *name, kc_config_provider_fn fn, void *opaque,
                                     kc_error *err)
{
    provider *grown = realloc(ps->items, (ps->count + 1) * sizeof *grown);
    if (!grown)
        return oom(err);
    ps->items = grown;
    provider *pr = &ps->items[ps->count];
    memset(pr, 0, sizeof *pr);
    pr->kind = KIND_CALLBACK;
    pr->fn = fn;
    pr->opaque = opaque;
    if (!(pr->name = strdup(name)))
        return oom(err);
    ps->count++;
    return 0;
}

kc_config_providers *kc_config_providers_new(const kc_props *worker, kc_config_providers_rules rules, kc_error *err)
{
    kc_config_providers *ps = calloc(1, sizeof *ps);
    if (!ps) {
        oom(err);
        return NULL;
    }
    const char *list = worker ? kc_props_get(worker, "config.providers") : NULL;
    if (!list || !*list)
        return ps;
    char *copy = strdup(list);
    if (!copy) {
        oom(err);
        goto fail;
    }
    char *p = copy;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        char *name = p;
        if (rules == KC_PROVIDERS_CONNECT) { /* ConfigDef LIST: trimmed around the commas */
            while (*name == ' ' || *name == '\t' || *name == '\n' || *name == '\r' || *name == '\f')
                name++;
            size_t l = strlen(name);
            while (l > 0 && strchr(" \t\n\r\f", name[l - 1]))
                name[--l] = '\0';
        }
        char key[600];
        snprintf(key, sizeof key, "config.providers.%s.class", name);
        const char *cls = kc_props_get(worker, key);
        if (cls && add_provider(ps, worker, name, cls, rules, err) < 0) {
            free(copy);
            goto fail;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return ps;
fail:
    kc_config_providers_free(ps);
    return NULL;
}

void kc_config_providers_free(kc_config_providers *ps)
{
    if (!ps)
        return;
    for (size_t i = 0; i < ps->count; i++)
        provider_clear(&ps->items[i]);
    free(ps->items);
    free(ps);
}

size_t kc_config_providers_count(const kc_config_providers *ps) { return ps ? ps->count : 0; }

static const provider *find_provider(const kc_config_providers *ps, const char *name, size_t len)
{
    for (size_t i = 0; ps && i < ps->count; i++)
        if (strlen(ps->items[i].name) == len && memcmp(ps->items[i].name, name, len) == 0)
            return &ps->items[i];
    return NULL;
}

/* Reads a whole file (bounded by KC_PROPS_MAX_BYTES) into a new string. NULL with errno set. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t len = 0, cap = 4096;
    char *data = malloc(cap + 1);
    while (data) {
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                int e = errno;
                free(data);
                data = NULL;
                errno = e ? e : EIO;
            }
            break;
        }
        if (len == cap) {
            if (cap > KC_PROPS_MAX_BYTES) {
                free(data);
                data = NULL;
                errno = EFBIG;
                break;
            }
            char *grown = realloc(data, cap * 2 + 1);
            if (!grown) {
                free(data);
                data = NULL;
                errno = ENOMEM;
                break;
            }
            data = grown;
            cap *= 2;
        }
    }
    fclose(f);
    if (data)
        data[len] = '\0';
    return data;
}

/* ConfigProvider.get(path, keys) into data (keys: the requested keys as the keys of a kc_props). */
static int provider_get(const provider *pr, const char *path, const kc_props *keys, kc_props *data, kc_error *err)
{
    if (pr->kind == KIND_CALLBACK) {
        for (size_t i = 0; i < kc_props_count(keys); i++) {
            char *v = pr->fn(pr->opaque, path, kc_props_key_at(keys, i));
            int rc = v ? kc_props_set(data, kc_props_key_at(keys, i), v) : 0;
            if (v) {
                memset(v, 0, strlen(v)); /* a secret: not left behind in freed memory */
                free(v);
            }
            if (rc < 0)
                return oom(err);
        }
        return 0;
    }
    if (pr->kind == KIND_ENV) {
        if (*path)
            return kc_error_set(err, KC_ERR_INVALID, "Path is not supported for EnvVarConfigProvider, invalid value '%s'",
                                path);
        for (size_t i = 0; i < kc_props_count(keys); i++) {
            const char *v = kc_props_get(pr->env, kc_props_key_at(keys, i));
            if (v && kc_props_set(data, kc_props_key_at(keys, i), v) < 0)
                return oom(err);
        }
        return 0;
    }
    if (!*path)
        return 0;
    bool refused;
    char *real = untrusted_path(pr, path, &refused);
    if (!real) {
        if (!refused)
            return oom(err);
        kc_log(KC_LOG_WARN, pr->kind == KIND_FILE ? FILE_LOGGER : DIR_LOGGER,
               "The path %s is not allowed to be accessed", path);
        return 0;
    }
    int rc = 0;
    if (pr->kind == KIND_FILE) {
        kc_props *file = kc_props_new();
        kc_error ferr;
        kc_error_clear(&ferr);
        if (!file) {
            rc = oom(err);
        } else if (kc_props_load_file(file, real, &ferr) != 0) {
            if (ferr.code == KC_ERR_IO || ferr.code == KC_ERR_INVALID) {
                kc_log(KC_LOG_ERROR, FILE_LOGGER, "Could not read properties from file %s: %s", path, ferr.msg);
                rc = kc_error_set(err, KC_ERR_INVALID, "Could not read properties from file %s", path);
            } else {
                rc = kc_error_set(err, ferr.code, "%s", ferr.msg);
            }
        } else {
            for (size_t i = 0; rc == 0 && i < kc_props_count(keys); i++) {
                const char *v = kc_props_get(file, kc_props_key_at(keys, i));
                if (v && kc_props_set(data, kc_props_key_at(keys, i), v) < 0)
                    rc = oom(err);
            }
        }
        kc_props_free(file);
        free(real);
        return rc;
    }
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISDIR(st.st_mode)) {
        kc_log(KC_LOG_WARN, DIR_LOGGER, "The path %s is not a directory", path);
        free(real);
        return 0;
    }
    size_t rl = strlen(real);
    for (size_t i = 0; rc == 0 && i < kc_props_count(keys); i++) {
        const char *key = kc_props_key_at(keys, i);
        /* Files.list names: one component, never "." or ".." */
        if (!*key || strchr(key, '/') || strcmp(key, ".") == 0 || strcmp(key, "..") == 0)
            continue;
        size_t fl = rl + strlen(key) + 2;
        char *file = malloc(fl);
        if (!file) {
            rc = oom(err);
            break;
        }
        snprintf(file, fl, "%s%s%s", real, rl > 0 && real[rl - 1] == '/' ? "" : "/", key);
        if (stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
            char *content = read_all(file);
            if (!content) {
                kc_log(KC_LOG_ERROR, DIR_LOGGER, "Could not read file %s for property %s: %s", file, key,
                       strerror(errno));
                rc = kc_error_set(err, KC_ERR_INVALID, "Could not read file %s for property %s", file, key);
            } else if (kc_props_set(data, key, content) < 0) {
                rc = oom(err);
            }
            free(content);
        }
        free(file);
    }
    free(real);
    return rc;
}

/* ---- ConfigTransformer -------------------------------------------------------------------------- */

typedef struct lookup {
    const provider *provider;
    char *path;
    kc_props *keys;   /* the keys asked (values unused) */
    kc_props *data;   /* the provider's answer */
} lookup;

typedef struct lookups {
    lookup *items;
    size_t count;
} lookups;

static void lookups_clear(lookups *ls)
{
    for (size_t i = 0; i < ls->count; i++) {
        free(ls->items[i].path);
        kc_props_free(ls->items[i].keys);
        kc_props_free(ls->items[i].data);
    }
    free(ls->items);
}

static lookup *find_lookup(const lookups *ls, const provider *pr, const char *path, size_t path_len)
{
    for (size_t i = 0; i < ls->count; i++)
        if (ls->items[i].provider == pr && strlen(ls->items[i].path) == path_len &&
            memcmp(ls->items[i].path, path, path_len) == 0)
            return &ls->items[i];
    return NULL;
}

/* Records the references of value to configured providers. */
static int collect(const kc_config_providers *ps, const char *value, lookups *ls, kc_error *err)
{
    var_match m;
    for (size_t from = 0; value && next_var(value, from, &m); from = m.end) {
        const provider *pr = find_provider(ps, m.provider, m.provider_len);
        if (!pr)
            continue;
        lookup *l = find_lookup(ls, pr, m.path, m.path_len);
        if (!l) {
            lookup *grown = realloc(ls->items, (ls->count + 1) * sizeof *grown);
            if (!grown)
                return oom(err);
            ls->items = grown;
            l = &ls->items[ls->count];
            memset(l, 0, sizeof *l);
            l->provider = pr;
            ls->count++;
            if (!(l->path = strndup(m.path, m.path_len)) || !(l->keys = kc_props_new()) || !(l->data = kc_props_new()))
                return oom(err);
        }
        char *key = strndup(m.key, m.key_len);
        int rc = key ? kc_props_set(l->keys, key, "") : -1;
        free(key);
        if (rc < 0)
            return oom(err);
    }
    return 0;
}

/* ConfigTransformer.replace: a new string. */
static char *replace(const kc_config_providers *ps, const lookups *ls, const char *value)
{
    size_t cap = strlen(value) + 1, len = 0, i = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    var_match m;
    for (size_t from = 0; next_var(value, from, &m); from = m.end) {
        const provider *pr = find_provider(ps, m.provider, m.provider_len);
        if (!pr)
            continue; /* the text stays, copied with what follows */
        const lookup *l = find_lookup(ls, pr, m.path, m.path_len);
        char *key = strndup(m.key, m.key_len);
        if (!key) {
            free(out);
            return NULL;
        }
        const char *replacement = l ? kc_props_get(l->data, key) : NULL;
        free(key);
        size_t rlen = replacement ? strlen(replacement) : m.end - m.start;
        size_t need = len + (m.start - i) + rlen + strlen(value + m.end) + 1;
        if (need > cap) {
            char *grown = realloc(out, need);
            if (!grown) {
                free(out);
                return NULL;
            }
            out = grown;
            cap = need;
        }
        memcpy(out + len, value + i, m.start - i);
        len += m.start - i;
        memcpy(out + len, replacement ? replacement : value + m.start, rlen);
        len += rlen;
        i = m.end;
    }
    size_t rest = strlen(value + i);
    if (len + rest + 1 > cap) {
        char *grown = realloc(out, len + rest + 1);
        if (!grown) {
            free(out);
            return NULL;
        }
        out = grown;
    }
    memcpy(out + len, value + i, rest + 1);
    return out;
}

static int fetch_all(lookups *ls, kc_error *err)
{
    for (size_t i = 0; i < ls->count; i++)
        if (provider_get(ls->items[i].provider, ls->items[i].path, ls->items[i].keys, ls->items[i].data, err) < 0)
            return -1;
    return 0;
}

kc_props *kc_config_providers_transform_new(const kc_config_providers *ps, const kc_props *config, kc_error *err)
{
    lookups ls = {NULL, 0};
    kc_props *out = NULL;
    size_t n = kc_props_count(config);
    for (size_t i = 0; i < n; i++)
        if (collect(ps, kc_props_value_at(config, i), &ls, err) < 0)
            goto done;
    if (fetch_all(&ls, err) < 0)
        goto done;
    if (!(out = kc_props_new())) {
        oom(err);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        char *v = replace(ps, &ls, kc_props_value_at(config, i));
        int rc = v ? kc_props_set(out, kc_props_key_at(config, i), v) : -1;
        free(v);
        if (rc < 0) {
            kc_props_free(out);
            out = NULL;
            oom(err);
            goto done;
        }
    }
done:
    lookups_clear(&ls);
    return out;
}

char *kc_config_providers_resolve_new(const kc_config_providers *ps, const char *value, kc_error *err)
{
    lookups ls = {NULL, 0};
    char *out = NULL;
    if (collect(ps, value, &ls, err) == 0 && fetch_all(&ls, err) == 0 && !(out = replace(ps, &ls, value)))
        oom(err);
    lookups_clear(&ls);
    return out;
}

int kc_config_providers_reverse_transform(const kc_props *raw_connector, kc_props *task_config, kc_error *err)
{
    for (size_t i = 0; raw_connector && i < kc_props_count(raw_connector); i++) {
        const char *key = kc_props_key_at(raw_connector, i), *raw = kc_props_value_at(raw_connector, i);
        if (kc_config_has_reference(raw) && kc_props_get(task_config, key) && kc_props_set(task_config, key, raw) < 0)
            return oom(err);
    }
    return 0;
}

kc_props *kc_config_providers_resolve_worker_new(const kc_props *worker, kc_error *err)
{
    kc_config_providers *ps = kc_config_providers_new(worker, KC_PROVIDERS_WORKER_CONFIG, err);
    if (!ps)
        return NULL;
    kc_props *out;
    if (ps->count == 0) {
        if (!(out = kc_props_copy(worker)))
            oom(err);
    } else {
        out = kc_config_providers_transform_new(ps, worker, err);
    }
    kc_config_providers_free(ps);
    return out;
}
