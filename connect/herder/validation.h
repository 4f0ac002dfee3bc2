/*
 * Connector configuration validation, as AbstractHerder.validateConnectorConfig does it: the base
 * keys (ConnectorConfig + SinkConnectorConfig / SourceConnectorConfig) enriched with the keys of
 * every transformation and predicate alias, the connector's own keys, the sink multi-key rules, the
 * connector's validate(), null values, and the client override policy — answered as ConfigInfos.
 *
 * Threads: any (uses only immutable registries). Memory: results are new (json_decref / free).
 */
#ifndef KC_HERDER_VALIDATION_H
#define KC_HERDER_VALIDATION_H

#include <jansson.h>

#include "connect/api/connector.h"
#include "connect/api/error.h"
#include "connect/config/properties.h"

/* Validates config (null_keys: keys given as JSON null; may be NULL). Returns the ConfigInfos JSON
 * and its error count, or NULL with err: KC_ERR_INVALID (400) "Connector config {...} contains no
 * connector type", KC_ERR_NOT_FOUND for an unknown class (the REST layer answers 500, as Java).
 * plugin (optional) receives the resolved connector plugin. */
json_t *kc_validate_connector_config(const kc_props *config, const kc_props *null_keys, const char *override_policy,
                                     int *error_count, const kc_connector_plugin **plugin, kc_error *err);

/* The 400 message of create/update for a ConfigInfos with errors: "Connector configuration is
 * invalid and contains the following <n> error(s):\n<e1>\n...You can also find ...". New string. */
char *kc_validation_error_message(json_t *infos, int error_count);

/* Java prints a config map in messages as {k=v, k2=v2}. New string. */
char *kc_props_java_string(const kc_props *p);

#endif
