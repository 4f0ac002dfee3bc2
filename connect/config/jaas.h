/*
 * sasl.jaas.config values, parsed with the rules of Kafka's JaasConfig (a StreamTokenizer):
 *
 *   <loginModuleClass> <controlFlag> (<optionName>=<optionValue>)* ;
 *
 * Tokens are separated by bytes 0..32; ';' and '=' stand alone; '"' and '\'' quote a value (with
 * the tokenizer's escapes \n \t \r \b \f \a \v, octal \ooo, and \x for any other x; a quoted string
 * also ends at a line end); '/' starts a comment ("//", "/ * ... * /" and a lone '/' to the end of the
 * line). The control flag is required|requisite|sufficient|optional in any case.
 *
 * Owns: a kc_jaas holds the first login module's class name and its options (kc_props, so values
 * are copied). Memory: kc_jaas_parse returns a new kc_jaas freed with kc_jaas_free.
 * Threads: any. Secrets: error messages quote option names and module names, never option values.
 */
#ifndef KC_CONFIG_JAAS_H
#define KC_CONFIG_JAAS_H

#include "connect/api/error.h"
#include "connect/config/properties.h"

#define KC_JAAS_PLAIN_MODULE "org.apache.kafka.common.security.plain.PlainLoginModule"
#define KC_JAAS_SCRAM_MODULE "org.apache.kafka.common.security.scram.ScramLoginModule"
#define KC_JAAS_MAX_BYTES 65536

typedef struct kc_jaas {
    char *login_module;   /* class name as written */
    char *control_flag;   /* lower-cased: required, requisite, sufficient, optional */
    kc_props *options;    /* option name -> value, in order */
    int module_count;     /* how many login modules the text named (only the first is kept) */
} kc_jaas;

/* Parses text. NULL with err (KC_ERR_INVALID, Java's wording where it has one) on bad syntax. */
kc_jaas *kc_jaas_parse(const char *text, kc_error *err);

void kc_jaas_free(kc_jaas *jaas);

#endif
