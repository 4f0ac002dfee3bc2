/*
 * FileStreamSource and FileStreamSink (Java's org.apache.kafka.connect.file connectors), the
 * examples and end-to-end tests of the runtime.
 *
 * Source: reads lines (ending in \n, \r or \r\n) from `file` (standard input when unset) into
 * `topic`, at most `batch.size` per poll, value schema STRING, no key, timestamp = read time.
 * Source partition {"filename": <file>}, offset {"position": <byte offset after the line>}; on start
 * it skips to the stored position. (Java counts UTF-16 characters but skips bytes, which goes wrong
 * for non-ASCII files; kconnect counts bytes, which is what the skip needs.)
 * Sink: appends each record's value as Java's toString prints it, one per line, to `file`
 * (standard output when unset); flush flushes the stream.
 * Threads and memory: as connector.h says for every connector.
 */
#ifndef KC_CONNECTORS_FILE_H
#define KC_CONNECTORS_FILE_H

#include "connect/api/connector.h"

extern const kc_connector_plugin kc_file_source_connector;
extern const kc_connector_plugin kc_file_sink_connector;

/* Registers both with the plugin registry. */
int kc_file_connectors_register(kc_error *err);

#endif
