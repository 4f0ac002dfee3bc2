/* Registration of the built-in transformations and predicates; see connect/worker/transforms.h. */
#include "connect/worker/transforms.h"

#include "connect/api/plugin.h"
#include "connect/worker/transforms/smt.h"

#define PKG "org.apache.kafka.connect.transforms."
#define TRANSFORM(name, p) {KC_PLUGIN_TRANSFORMATION, PKG name, NULL, &(p)}
#define PREDICATE(name, p) {KC_PLUGIN_PREDICATE, PKG "predicates." name, NULL, &(p)}

/* The class names repeat the vtables' (the unit tests check that they agree). */
static const kc_plugin_desc builtins[] = {
    TRANSFORM("Cast$Key", kc_smt_cast_key),
    TRANSFORM("Cast$Value", kc_smt_cast_value),
    TRANSFORM("DropHeaders", kc_smt_drop_headers),
    TRANSFORM("ExtractField$Key", kc_smt_extract_field_key),
    TRANSFORM("ExtractField$Value", kc_smt_extract_field_value),
    TRANSFORM("Filter", kc_smt_filter),
    TRANSFORM("HeaderFrom$Key", kc_smt_header_from_key),
    TRANSFORM("HeaderFrom$Value", kc_smt_header_from_value),
    TRANSFORM("InsertField$Key", kc_smt_insert_field_key),
    TRANSFORM("InsertField$Value", kc_smt_insert_field_value),
    TRANSFORM("InsertHeader", kc_smt_insert_header),
    TRANSFORM("MaskField$Key", kc_smt_mask_field_key),
    TRANSFORM("MaskField$Value", kc_smt_mask_field_value),
    TRANSFORM("RegexRouter", kc_smt_regex_router),
    TRANSFORM("ReplaceField$Key", kc_smt_replace_field_key),
    TRANSFORM("ReplaceField$Value", kc_smt_replace_field_value),
    TRANSFORM("TimestampRouter", kc_smt_timestamp_router),
    TRANSFORM("ValueToKey", kc_smt_value_to_key),
    PREDICATE("HasHeaderKey", kc_smt_has_header_key),
    PREDICATE("RecordIsTombstone", kc_smt_record_is_tombstone),
    PREDICATE("TopicNameMatches", kc_smt_topic_name_matches),
};

int kc_transforms_register_builtins(kc_error *err)
{
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (kc_plugins_register(&builtins[i], err) < 0)
            return -1;
    return 0;
}
