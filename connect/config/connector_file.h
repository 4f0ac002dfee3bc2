/*
 * Connector configuration files given on the command line of `kconnect standalone`, as
 * ConnectStandalone reads them: Java .properties, or JSON when the name ends in ".json" — either
 * {"name": "...", "config": {...}} (a CreateConnectorRequest) or a flat object of keys. JSON values
 * that are not strings are kept as their JSON text (Jackson's coercion of numbers and booleans);
 * nulls are dropped.
 *
 * Memory: returns a new kc_props (kc_props_free). Threads: any.
 */
#ifndef KC_CONFIG_CONNECTOR_FILE_H
#define KC_CONFIG_CONNECTOR_FILE_H

#include "connect/api/error.h"
#include "connect/config/properties.h"

kc_props *kc_connector_file_load(const char *path, kc_error *err);

/* The same for JSON text already in memory (origin names it in errors). */
kc_props *kc_connector_json_parse(const char *text, size_t len, const char *origin, kc_error *err);

#endif
