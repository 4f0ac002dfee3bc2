/* plugin.path: connectors from shared objects; see plugin_loader.h. */
#include "plugin_loader.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "connect/api/log.h"

#define LOGGER "kconnect.plugins"
#define MAX_FILES 1024

typedef int (*register_fn)(kc_error *err);

static int ends_with_so(const char *name)
{
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".so") == 0;
}

static int load_one(const char *path, kc_error *err)
{
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!handle)
        return kc_error_set(err, KC_ERR_INVALID, "plugin.path: cannot load %s: %s", path, dlerror());
    register_fn fn;
    *(void **)&fn = dlsym(handle, KC_PLUGIN_REGISTER_SYMBOL);
    if (!fn) {
        kc_log(KC_LOG_WARN, LOGGER, "%s has no %s function; it is not a kconnect plugin and is skipped", path,
               KC_PLUGIN_REGISTER_SYMBOL);
        dlclose(handle);
        return 0;
    }
    kc_error_clear(err);
    if (fn(err) != 0) {
        kc_error_prefix(err, "plugin.path: %s failed to register its plugins", path);
        return -1; /* stays loaded: it may have registered part of its plugins */
    }
    kc_log(KC_LOG_INFO, LOGGER, "Loaded plugins from %s", path);
    return 1;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The *.so files of dir (and of its sub-directories when depth allows), appended to files. */
static void collect(const char *dir, int depth, char **files, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && *count < MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth > 0)
            collect(path, depth - 1, files, count);
        else if (S_ISREG(st.st_mode) && ends_with_so(e->d_name))
            files[(*count)++] = strdup(path);
    }
    closedir(d);
}

int kc_plugin_path_load(char *const *entries, size_t count, kc_error *err)
{
    int loaded = 0;
    for (size_t i = 0; i < count; i++) {
        const char *entry = entries[i];
        struct stat st;
        if (!entry || !*entry)
            continue;
        if (stat(entry, &st) != 0) {
            kc_log(KC_LOG_WARN, LOGGER, "plugin.path entry %s: %s; skipped", entry, strerror(errno));
            continue;
        }
        char **files = calloc(MAX_FILES, sizeof *files);
        if (!files)
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        size_t n = 0;
        if (S_ISDIR(st.st_mode))
            collect(entry, 1, files, &n);
        else
            files[n++] = strdup(entry);
        qsort(files, n, sizeof *files, by_name);
        int rc = 0;
        for (size_t k = 0; k < n && rc >= 0; k++) {
            if (!files[k])
                continue;
            rc = load_one(files[k], err);
            if (rc > 0)
                loaded++;
        }
        for (size_t k = 0; k < n; k++)
            free(files[k]);
        free(files);
        if (rc < 0)
            return -1;
    }
    return loaded;
}
