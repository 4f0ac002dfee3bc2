/* Registration of the built-in MM2 connectors; see mirror.h. */
#include "connectors/mirror/mirror.h"

#include "connectors/mirror/mirror_config.h"

int kc_mirror_connectors_register(kc_error *err)
{
    /* the registered copy carries the ConfigDef table of mirror_config.c (written once, before any
     * worker thread starts) */
    static kc_connector_plugin source;
    source = kc_mirror_source_connector;
    kc_config_table t = kc_mirror_source_config_table();
    source.config = t.keys;
    source.config_count = t.count;
    static kc_plugin_desc descs[1];
    descs[0] = (kc_plugin_desc){.kind = KC_PLUGIN_SOURCE, .class_name = source.class_name, .vtable = &source};
    for (size_t i = 0; i < sizeof descs / sizeof descs[0]; i++)
        if (kc_plugins_register(&descs[i], err) != 0)
            return -1;
    return 0;
}
