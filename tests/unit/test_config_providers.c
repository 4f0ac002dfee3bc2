/*
 * Unit tests of connect/config/config_providers: ConfigTransformer's variable pattern and
 * replacement, FileConfigProvider, DirectoryConfigProvider, EnvVarConfigProvider, allowed.paths
 * (KIP-993), allowlist.pattern (KIP-887), the reverse transform of task configs and the resolution
 * of the worker config itself. Expected values and messages are those of Apache Kafka's
 * ConfigTransformer / *ConfigProvider / AllowedPaths / AbstractConfig / Plugins.
 */
#include "connect/config/config_providers.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kc_test.h"

static char dir[256];

/* src with every "@" replaced by the test directory, into out (2048 bytes). */
static const char *expand(const char *src, char *out)
{
    char *o = out;
    for (const char *v = src; *v; v++) {
        if (*v == '@')
            o += sprintf(o, "%s", dir);
        else
            *o++ = *v;
    }
    *o = '\0';
    return out;
}

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void setup_dir(void)
{
    if (dir[0])
        return;
    snprintf(dir, sizeof dir, "/tmp/kc-config-providers-XXXXXX");
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    write_file("s.properties", "pw=s3cret\nuser = alice\ncolon\\:key=c\n");
    char sub[512];
    snprintf(sub, sizeof sub, "%s/secrets", dir);
    mkdir(sub, 0755);
    write_file("secrets/password", "dir-secret\n");
    write_file("secrets/token", "t0k");
    snprintf(sub, sizeof sub, "%s/secrets/nested", dir);
    mkdir(sub, 0755);
    snprintf(sub, sizeof sub, "%s/other", dir);
    mkdir(sub, 0755);
    write_file("other/x.properties", "pw=other\n");
}

/* Worker props: "config.providers" list plus key/value pairs (NULL-terminated). */
static kc_props *worker(const char *first, ...)
{
    kc_props *p = kc_props_new();
    va_list ap;
    va_start(ap, first);
    for (const char *k = first; k; k = va_arg(ap, const char *)) {
        char expanded[2048]; /* "@" in a value stands for the test directory */
        kc_props_set(p, k, expand(va_arg(ap, const char *), expanded));
    }
    va_end(ap);
    return p;
}

static kc_config_providers *standard(kc_error *err)
{
    kc_props *w = worker("config.providers", "file, dir,env", "config.providers.file.class", KC_FILE_CONFIG_PROVIDER,
                         "config.providers.dir.class", KC_DIRECTORY_CONFIG_PROVIDER, "config.providers.env.class",
                         KC_ENV_VAR_CONFIG_PROVIDER, NULL);
    kc_error_clear(err);
    kc_config_providers *ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, err);
    kc_props_free(w);
    return ps;
}

/* Resolves value (with "@" standing for the test directory); asserts success; returns a new string. */
static char *resolve(const kc_config_providers *ps, const char *value)
{
    char expanded[2048];
    expand(value, expanded);
    kc_error err;
    kc_error_clear(&err);
    char *r = kc_config_providers_resolve_new(ps, expanded, &err);
    if (!r)
        fprintf(stderr, "\n  unexpected error: %s\n", err.msg);
    CU_ASSERT_PTR_NOT_NULL(r);
    return r;
}

static void assert_resolves(const kc_config_providers *ps, const char *value, const char *expected)
{
    char *r = resolve(ps, value);
    char exp[2048];
    expand(expected, exp);
    if (r && strcmp(r, exp) != 0)
        fprintf(stderr, "\n  %s -> %s, expected %s\n", value, r, exp);
    CU_ASSERT(r && strcmp(r, exp) == 0);
    free(r);
}

/* ---- pattern and replacement ------------------------------------------------------------------ */

static void test_has_reference(void)
{
    CU_ASSERT_EQUAL(kc_config_has_reference("${file:/a:b}"), 1);
    CU_ASSERT_EQUAL(kc_config_has_reference("x ${env:A} y"), 1);
    CU_ASSERT_EQUAL(kc_config_has_reference("${a:}"), 1);
    CU_ASSERT_EQUAL(kc_config_has_reference("${:x}"), 1);
    CU_ASSERT_EQUAL(kc_config_has_reference("${noColon}"), 0);
    CU_ASSERT_EQUAL(kc_config_has_reference("${a:b"), 0);
    CU_ASSERT_EQUAL(kc_config_has_reference("$ {a:b}"), 0);
    CU_ASSERT_EQUAL(kc_config_has_reference("plain"), 0);
    CU_ASSERT_EQUAL(kc_config_has_reference(""), 0);
    CU_ASSERT_EQUAL(kc_config_has_reference(NULL), 0);
    /* the first '}' closes: ${x}:y} has no ':' before it, the next "${" is searched */
    CU_ASSERT_EQUAL(kc_config_has_reference("${x}:y}"), 0);
}

static void test_file_provider(void)
{
    setup_dir();
    kc_error err;
    kc_config_providers *ps = standard(&err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    CU_ASSERT_EQUAL(kc_config_providers_count(ps), 3);
    assert_resolves(ps, "${file:@/s.properties:pw}", "s3cret");
    assert_resolves(ps, "${file:@/s.properties:user}", "alice");
    /* anywhere in a value, any number of times */
    assert_resolves(ps, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        "${file:@/s.properties:user}\" password=\"${file:@/s.properties:pw}\";",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"alice\" "
                    "password=\"s3cret\";");
    /* key after the second ':' may hold ':' */
    assert_resolves(ps, "${file:@/s.properties:colon:key}", "c");
    /* missing key, unknown provider, no path: left as written */
    assert_resolves(ps, "${file:@/s.properties:nope}", "${file:@/s.properties:nope}");
    assert_resolves(ps, "a${vault:/x:y}b${file:@/s.properties:pw}", "a${vault:/x:y}bs3cret");
    assert_resolves(ps, "${file:pw}", "${file:pw}");
    /* not a reference */
    assert_resolves(ps, "${pw}", "${pw}");
    assert_resolves(ps, "$${file:@/s.properties:pw}}", "$s3cret}");
    kc_config_providers_free(ps);
}

static void test_file_provider_missing_file(void)
{
    setup_dir();
    kc_error err;
    kc_config_providers *ps = standard(&err);
    kc_error_clear(&err);
    char *r = kc_config_providers_resolve_new(ps, "${file:/nonexistent/kc.properties:pw}", &err);
    CU_ASSERT_PTR_NULL(r);
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(err.msg, "Could not read properties from file /nonexistent/kc.properties");
    /* a directory is no properties file */
    char value[600], expected[700];
    snprintf(value, sizeof value, "${file:%s/secrets:pw}", dir);
    snprintf(expected, sizeof expected, "Could not read properties from file %s/secrets", dir);
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_resolve_new(ps, value, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, expected);
    kc_config_providers_free(ps);
}

static void test_directory_provider(void)
{
    setup_dir();
    kc_error err;
    kc_config_providers *ps = standard(&err);
    /* the whole content, trailing newline included */
    assert_resolves(ps, "${dir:@/secrets:password}", "dir-secret\n");
    assert_resolves(ps, "${dir:@/secrets:token}", "t0k");
    /* not a regular file, not there, not one name, not a directory: left as written */
    assert_resolves(ps, "${dir:@/secrets:nested}", "${dir:@/secrets:nested}");
    assert_resolves(ps, "${dir:@/secrets:absent}", "${dir:@/secrets:absent}");
    assert_resolves(ps, "${dir:@:secrets/token}", "${dir:@:secrets/token}");
    assert_resolves(ps, "${dir:@/s.properties:pw}", "${dir:@/s.properties:pw}");
    assert_resolves(ps, "${dir:/nonexistent:pw}", "${dir:/nonexistent:pw}");
    kc_config_providers_free(ps);
}

static void test_env_provider(void)
{
    setenv("KC_TEST_SECRET", "from-env", 1);
    setenv("OTHER_TEST_SECRET", "other", 1);
    kc_error err;
    kc_config_providers *ps = standard(&err);
    assert_resolves(ps, "${env:KC_TEST_SECRET}", "from-env");
    assert_resolves(ps, "${env::KC_TEST_SECRET}", "from-env"); /* empty path */
    assert_resolves(ps, "${env:KC_TEST_UNSET_VAR}", "${env:KC_TEST_UNSET_VAR}");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_resolve_new(ps, "${env:/p:KC_TEST_SECRET}", &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Path is not supported for EnvVarConfigProvider, invalid value '/p'");
    kc_config_providers_free(ps);

    /* allowlist.pattern: the whole name must match */
    kc_props *w = worker("config.providers", "env", "config.providers.env.class", KC_ENV_VAR_CONFIG_PROVIDER,
                         "config.providers.env.param.allowlist.pattern", "KC_.*", NULL);
    ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    assert_resolves(ps, "${env:KC_TEST_SECRET}", "from-env");
    assert_resolves(ps, "${env:OTHER_TEST_SECRET}", "${env:OTHER_TEST_SECRET}");
    kc_config_providers_free(ps);
    kc_props_set(w, "config.providers.env.param.allowlist.pattern", "TEST");
    ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    assert_resolves(ps, "${env:KC_TEST_SECRET}", "${env:KC_TEST_SECRET}");
    kc_config_providers_free(ps);
    kc_props_set(w, "config.providers.env.param.allowlist.pattern", "KC_(");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err));
    CU_ASSERT_EQUAL(err.code, KC_ERR_INVALID);
    kc_props_free(w);
}

static void test_allowed_paths(void)
{
    setup_dir();
    kc_props *w = worker("config.providers", "file,dir", "config.providers.file.class", KC_FILE_CONFIG_PROVIDER,
                         "config.providers.file.param.allowed.paths", "@/secrets,@/s.properties",
                         "config.providers.dir.class", KC_DIRECTORY_CONFIG_PROVIDER,
                         "config.providers.dir.param.allowed.paths", "@/secrets/", NULL);
    kc_error err;
    kc_error_clear(&err);
    kc_config_providers *ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    assert_resolves(ps, "${file:@/s.properties:pw}", "s3cret");
    assert_resolves(ps, "${dir:@/secrets:token}", "t0k");
    assert_resolves(ps, "${dir:@/secrets/./nested/..:token}", "t0k");
    /* outside: refused with a warning, left as written (no error) */
    assert_resolves(ps, "${file:@/other/x.properties:pw}", "${file:@/other/x.properties:pw}");
    assert_resolves(ps, "${file:@/secrets/../other/x.properties:pw}", "${file:@/secrets/../other/x.properties:pw}");
    assert_resolves(ps, "${dir:@/secretsX:token}", "${dir:@/secretsX:token}");
    assert_resolves(ps, "${dir:secrets:token}", "${dir:secrets:token}");
    kc_config_providers_free(ps);

    char expected[600];
    kc_props_set(w, "config.providers.file.param.allowed.paths", "relative/path");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Path relative/path is not absolute");
    /* entries are not trimmed */
    snprintf(expected, sizeof expected, "%s/secrets, %s", dir, dir);
    kc_props_set(w, "config.providers.file.param.allowed.paths", expected);
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err));
    snprintf(expected, sizeof expected, "Path  %s is not absolute", dir);
    CU_ASSERT_STRING_EQUAL(err.msg, expected);
    kc_props_set(w, "config.providers.file.param.allowed.paths", "/nonexistent/a/../b");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Path /nonexistent/b does not exist");
    /* trailing commas are dropped (String.split) */
    snprintf(expected, sizeof expected, "%s/secrets,,", dir);
    kc_props_set(w, "config.providers.file.param.allowed.paths", expected);
    kc_error_clear(&err);
    ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_PTR_NOT_NULL(ps);
    kc_config_providers_free(ps);
    kc_props_free(w);
}

/* ---- building the providers ------------------------------------------------------------------- */

static void test_unknown_class(void)
{
    kc_props *w = worker("config.providers", "vault", "config.providers.vault.class", "com.example.VaultConfigProvider",
                         NULL);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_WORKER_CONFIG, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid value com.example.VaultConfigProvider for configuration "
                                    "config.providers.vault.class: Could not load config provider class or one of "
                                    "its dependencies");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err));
    static const char prefix[] = "Failed to find any class that implements ConfigProvider and which name matches "
                                 "com.example.VaultConfigProvider, available ConfigProviders are: ";
    CU_ASSERT(strncmp(err.msg, prefix, strlen(prefix)) == 0);
    /* an alias is not a class name for AbstractConfig either */
    kc_props_set(w, "config.providers.vault.class", "FileConfigProvider");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_new(w, KC_PROVIDERS_WORKER_CONFIG, &err));
    kc_props_free(w);
}

static void test_names(void)
{
    setup_dir();
    /* a listed name without .class is skipped; not listed names are not configured */
    kc_props *w = worker("config.providers", "file,nothing", "config.providers.file.class", KC_FILE_CONFIG_PROVIDER,
                         "config.providers.env.class", KC_ENV_VAR_CONFIG_PROVIDER, NULL);
    kc_error err;
    kc_error_clear(&err);
    kc_config_providers *ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ps);
    CU_ASSERT_EQUAL(kc_config_providers_count(ps), 1);
    setenv("KC_TEST_SECRET", "from-env", 1);
    assert_resolves(ps, "${env:KC_TEST_SECRET}", "${env:KC_TEST_SECRET}");
    kc_config_providers_free(ps);
    /* AbstractConfig splits on "," without trimming: " env" has no class key */
    kc_props_set(w, "config.providers", "file, env");
    ps = kc_config_providers_new(w, KC_PROVIDERS_WORKER_CONFIG, &err);
    CU_ASSERT_EQUAL(kc_config_providers_count(ps), 1);
    kc_config_providers_free(ps);
    ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_EQUAL(kc_config_providers_count(ps), 2);
    kc_config_providers_free(ps);
    /* none */
    kc_props_remove(w, "config.providers");
    ps = kc_config_providers_new(w, KC_PROVIDERS_CONNECT, &err);
    CU_ASSERT_EQUAL(kc_config_providers_count(ps), 0);
    assert_resolves(ps, "${file:@/s.properties:pw}", "${file:@/s.properties:pw}");
    kc_config_providers_free(ps);
    assert_resolves(NULL, "${file:@/s.properties:pw}", "${file:@/s.properties:pw}");
    kc_props_free(w);
}

/* ---- whole configs ---------------------------------------------------------------------------- */

static void test_transform_config(void)
{
    setup_dir();
    kc_error err;
    kc_config_providers *ps = standard(&err);
    setenv("KC_TEST_SECRET", "from-env", 1);
    kc_props *c = worker("name", "c1", "connector.class", "FileStreamSource", "a.password", "${file:@/s.properties:pw}",
                         "b.token", "${dir:@/secrets:token}", "c.env", "x-${env:KC_TEST_SECRET}-y", "d.left",
                         "${vault:k}", NULL);
    kc_props *r = kc_config_providers_transform_new(ps, c, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(kc_props_count(r), 6);
    CU_ASSERT_STRING_EQUAL(kc_props_key_at(r, 2), "a.password");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "name"), "c1");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "a.password"), "s3cret");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "b.token"), "t0k");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "c.env"), "x-from-env-y");
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "d.left"), "${vault:k}");
    kc_props_free(r);
    /* one failing reference fails the whole config */
    kc_props_set(c, "e.bad", "${file:/nonexistent/x.properties:pw}");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_transform_new(ps, c, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Could not read properties from file /nonexistent/x.properties");
    kc_props_free(c);
    kc_config_providers_free(ps);
}

static void test_reverse_transform(void)
{
    kc_props *raw = worker("name", "m", "source.cluster.sasl.jaas.config", "x password=\"${file:/s:pw}\";",
                           "only.in.connector", "${env:A}", "plain", "p", "unknown.provider", "${vault:k}", NULL);
    kc_props *task = worker("name", "m", "source.cluster.sasl.jaas.config", "x password=\"s3cret\";", "plain", "p2",
                            "unknown.provider", "resolved", "task.class", "T", NULL);
    kc_error err;
    kc_error_clear(&err);
    CU_ASSERT_EQUAL(kc_config_providers_reverse_transform(raw, task, &err), 0);
    CU_ASSERT_EQUAL(kc_props_count(task), 5);
    CU_ASSERT_STRING_EQUAL(kc_props_get(task, "source.cluster.sasl.jaas.config"), "x password=\"${file:/s:pw}\";");
    CU_ASSERT_STRING_EQUAL(kc_props_get(task, "plain"), "p2");
    CU_ASSERT_STRING_EQUAL(kc_props_get(task, "unknown.provider"), "${vault:k}");
    CU_ASSERT_PTR_NULL(kc_props_get(task, "only.in.connector"));
    CU_ASSERT_STRING_EQUAL(kc_props_get(task, "task.class"), "T");
    kc_props_free(raw);
    kc_props_free(task);
}

static void test_resolve_worker(void)
{
    setup_dir();
    kc_props *w = worker("bootstrap.servers", "localhost:9092", "config.providers", "file",
                         "config.providers.file.class", KC_FILE_CONFIG_PROVIDER, "sasl.jaas.config",
                         "m required password=\"${file:@/s.properties:pw}\";", "producer.other",
                         "${file:@/s.properties:missing}", NULL);
    kc_error err;
    kc_error_clear(&err);
    kc_props *r = kc_config_providers_resolve_worker_new(w, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(kc_props_count(r), kc_props_count(w));
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "sasl.jaas.config"), "m required password=\"s3cret\";");
    CU_ASSERT(strstr(kc_props_get(r, "producer.other"), "${file:") != NULL);
    CU_ASSERT_STRING_EQUAL(kc_props_get(r, "config.providers"), "file");
    kc_props_free(r);
    /* no providers: an unchanged copy */
    kc_props_remove(w, "config.providers");
    r = kc_config_providers_resolve_worker_new(w, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT(strstr(kc_props_get(r, "sasl.jaas.config"), "${file:") != NULL);
    kc_props_free(r);
    /* an unreadable file stops the worker */
    kc_props_set(w, "config.providers", "file");
    kc_props_set(w, "producer.other", "${file:/nonexistent/w.properties:k}");
    kc_error_clear(&err);
    CU_ASSERT_PTR_NULL(kc_config_providers_resolve_worker_new(w, &err));
    CU_ASSERT_STRING_EQUAL(err.msg, "Could not read properties from file /nonexistent/w.properties");
    kc_props_free(w);
}

static void cleanup(void)
{
    if (!dir[0])
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

static void test_cleanup(void) { cleanup(); }

int main(void)
{
    static const kc_test_case cases[] = {
        {"has reference", test_has_reference},
        {"file provider", test_file_provider},
        {"file provider missing file", test_file_provider_missing_file},
        {"directory provider", test_directory_provider},
        {"env provider", test_env_provider},
        {"allowed paths", test_allowed_paths},
        {"unknown class", test_unknown_class},
        {"provider names", test_names},
        {"transform config", test_transform_config},
        {"reverse transform", test_reverse_transform},
        {"resolve worker config", test_resolve_worker},
        {"cleanup", test_cleanup},
        {NULL, NULL},
    };
    return kc_test_run("config_providers", cases);
}
