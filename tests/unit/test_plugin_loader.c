/* plugin.path: a connector from a shared object registers under its class name and aliases; a
 * directory is searched; foreign objects are skipped; broken ones fail with the file name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "connect/api/plugin.h"
#include "connect/worker/plugin_loader.h"
#include "kc_test.h"

static void test_load_directory(void)
{
    const char *dir = getenv("KC_PLUGIN_DIR");
    CU_ASSERT_FATAL(dir != NULL);
    char *entries[] = {(char *)dir, "/nonexistent/plugins"};
    kc_error err;
    int n = kc_plugin_path_load(entries, 2, &err);
    CU_ASSERT_EQUAL(n, 1);
    const kc_plugin_desc *d = kc_plugins_find(KC_PLUGIN_SOURCE, "SampleSource", &err);
    CU_ASSERT_FATAL(d != NULL);
    CU_ASSERT_STRING_EQUAL(d->class_name, "com.example.SampleSourceConnector");
    CU_ASSERT_STRING_EQUAL(d->version, "1.2.3");
    CU_ASSERT(kc_plugins_find(KC_PLUGIN_SOURCE, "com.example.SampleSourceConnector", &err) == d);
    /* loading the same object again registers the class twice: an error naming the file */
    CU_ASSERT_EQUAL(kc_plugin_path_load(entries, 1, &err), -1);
    CU_ASSERT(strstr(err.msg, "sample_plugin") != NULL);
    CU_ASSERT(strstr(err.msg, "registered twice") != NULL);
}

static void test_broken_object(void)
{
    char path[] = "/tmp/kc-broken-XXXXXX.so";
    int fd = mkstemps(path, 3);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, "not an ELF file", 15) == 15);
    close(fd);
    char *entries[] = {path};
    kc_error err;
    CU_ASSERT_EQUAL(kc_plugin_path_load(entries, 1, &err), -1);
    CU_ASSERT(strstr(err.msg, path) != NULL);
    CU_ASSERT(strstr(err.msg, "cannot load") != NULL);
    unlink(path);
}

int main(void)
{
    static const kc_test_case cases[] = {
        {"a plugin directory registers its connector with Java's aliases", test_load_directory},
        {"an object that does not load names the file", test_broken_object},
        {NULL, NULL},
    };
    return kc_test_run("plugin_loader", cases);
}
