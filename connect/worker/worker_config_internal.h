/*
 * Shared between worker_config.c and worker_config_keys.c. Not for other modules.
 */
#ifndef KC_WORKER_WORKER_CONFIG_INTERNAL_H
#define KC_WORKER_WORKER_CONFIG_INTERNAL_H

#include "connect/worker/worker_config.h"

/* Java's Utils.isBlank: NULL, or only characters <= ' ' (what String.trim() removes). */
bool kc_worker_is_blank(const char *s);

#endif
