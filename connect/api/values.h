/*
 * org.apache.kafka.connect.data.Values: the text form of Connect values that
 * SimpleHeaderConverter writes and reads.
 *
 * kc_values_convert_to_string is Values.convertToString: numbers as Java prints them, strings
 * raw at the top level and quoted (with `\` and `"` escaped) inside containers, bytes as Base64,
 * lists as [a,b], maps as {k:v}, structs as {"field":value} (defaults applied), dates as
 * yyyy-MM-dd, times as HH:mm:ss.SSS'Z' and timestamps as yyyy-MM-dd'T'HH:mm:ss.SSS'Z'.
 * kc_values_parse_string is Values.parseString: it infers a schema and value from text (booleans,
 * the narrowest integer type, float32 before float64, big numbers as Decimal, ISO dates/times/
 * timestamps, arrays and maps with a common element schema, else the whole text as a string).
 *
 * Deviations from Java: dates are formatted and parsed in UTC (Java uses the JVM's default time
 * zone, which Connect deployments normally set to UTC) on the proleptic Gregorian calendar (Java
 * switches to the Julian calendar before 1582-10-15); only ASCII digits count as digits.
 * Memory: results are new (schema reference + value) and belong to the caller.
 * Threads: no shared state.
 */
#ifndef KC_API_VALUES_H
#define KC_API_VALUES_H

#include <stddef.h>

#include "connect/api/data.h"
#include "connect/api/error.h"

/* Values.convertToString(schema, value). *out gets a new NUL-terminated string to free() (*len its
 * length), or NULL when value is null. -1 with err on failure. */
int kc_values_convert_to_string(const kc_schema *schema, const kc_value *value, char **out,
                                size_t *len, kc_error *err);

/* Values.parseString(text). out gets the inferred schema and value; both NULL when the text is
 * the literal null (Java returns no SchemaAndValue at all). Text Java cannot parse is returned as
 * a string, as Java does. -1 with err only when out of memory (KC_ERR_INTERNAL) or when arrays/maps
 * nest deeper than KC_DATA_MAX_DEPTH (KC_ERR_INVALID; Java overflows its stack there). */
int kc_values_parse_string(const char *text, size_t len, kc_schema_and_value *out, kc_error *err);

#endif
