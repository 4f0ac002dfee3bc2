/*
 * Connectors (and transformations, predicates) from shared objects: the C counterpart of Java's
 * `plugin.path`.
 *
 * Each entry of plugin.path is a shared object (*.so) or a directory; a directory is searched for
 * *.so files, itself and its immediate sub-directories (one plugin per sub-directory, as Java's
 * plugin layout has it), in name order. Each object is loaded with dlopen(RTLD_NOW | RTLD_LOCAL) and
 * must export
 *
 *     int kc_plugin_register(kc_error *err);
 *
 * which registers its plugins with kc_plugins_register (connect/api/plugin.h; the kconnect binary
 * exports its symbols for that). An object without that symbol is skipped with a warning, as Java
 * skips jars without plugins; an object that does not load, or whose registration fails, is a
 * start-up error naming the file. Objects stay loaded for the life of the process.
 *
 * Threads: call from main before any worker thread starts.
 */
#ifndef KC_WORKER_PLUGIN_LOADER_H
#define KC_WORKER_PLUGIN_LOADER_H

#include <stddef.h>

#include "connect/api/error.h"

#define KC_PLUGIN_REGISTER_SYMBOL "kc_plugin_register"

/* Loads every plugin of the given plugin.path entries. Returns the number of objects that
 * registered plugins, or -1 with err. */
int kc_plugin_path_load(char *const *entries, size_t count, kc_error *err);

#endif
