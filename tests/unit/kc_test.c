#include "kc_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kc_test_run(const char *suite_name, const kc_test_case *cases)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    if (!suite)
        return 2;
    for (const kc_test_case *c = cases; c->name; c++)
        if (!CU_add_test(suite, c->name, c->fn))
            return 2;
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned asserts = CU_get_number_of_asserts();
    CU_cleanup_registry();
    if (asserts == 0) {
        fprintf(stderr, "%s: no assertion ran\n", suite_name);
        return 1;
    }
    return failed ? 1 : 0;
}

#define KC_TESTBED_MAX_VARS 256

static struct {
    int loaded;
    int count;
    char *names[KC_TESTBED_MAX_VARS];
    char *values[KC_TESTBED_MAX_VARS];
} env_file;

static void testbed_load(void)
{
    if (env_file.loaded)
        return;
    env_file.loaded = 1;
    const char *path = getenv("KC_TESTBED_ENV");
    if (!path)
        return;
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof line, f) && env_file.count < KC_TESTBED_MAX_VARS) {
        line[strcspn(line, "\r\n")] = '\0';
        char *s = line;
        if (strncmp(s, "export ", 7) == 0)
            s += 7;
        char *eq = strchr(s, '=');
        if (!eq || *s == '#')
            continue;
        *eq = '\0';
        char *v = eq + 1;
        size_t n = strlen(v);
        if (n >= 2 && (v[0] == '\'' || v[0] == '"') && v[n - 1] == v[0]) {
            v[n - 1] = '\0';
            v++;
        }
        env_file.names[env_file.count] = strdup(s);
        env_file.values[env_file.count] = strdup(v);
        env_file.count++;
    }
    fclose(f);
}

const char *kc_testbed(const char *name)
{
    testbed_load();
    for (int i = 0; i < env_file.count; i++)
        if (strcmp(env_file.names[i], name) == 0)
            return env_file.values[i];
    return NULL;
}

const char *kc_testbed_require(const char *name)
{
    const char *v = kc_testbed(name);
    if (!v) {
        fprintf(stderr, "test bed variable %s is missing (KC_TESTBED_ENV=%s); run tests/env/testbed up\n",
                name, getenv("KC_TESTBED_ENV") ? getenv("KC_TESTBED_ENV") : "(unset)");
        exit(1);
    }
    return v;
}
