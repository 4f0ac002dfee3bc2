/* sasl.jaas.config parser; see jaas.h for the grammar. Token rules follow java.io.StreamTokenizer
 * as Kafka's JaasConfig configures it. */
#include "jaas.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tok_type { TOK_EOF, TOK_WORD, TOK_QUOTED, TOK_SEMI, TOK_EQ };

typedef struct lexer {
    const char *s;
    size_t pos, len;
    char buf[KC_JAAS_MAX_BYTES];
    enum tok_type type;
} lexer;

static int is_space(unsigned char c) { return c <= ' '; }

/* Java makes every char above ' ' a word character but for the specials below (and the C1 controls
 * U+0081..U+009F, which never occur as single UTF-8 bytes), so every byte >= 0x80 of a UTF-8
 * sequence is part of a word here. */
static int is_word(unsigned char c)
{
    return c > ' ' && c != ';' && c != '=' && c != '/' && c != '"' && c != '\'';
}

/* Skips white space and comments. */
static void skip_blank(lexer *lx)
{
    for (;;) {
        while (lx->pos < lx->len && is_space((unsigned char)lx->s[lx->pos]))
            lx->pos++;
        if (lx->pos >= lx->len || lx->s[lx->pos] != '/')
            return;
        if (lx->pos + 1 < lx->len && lx->s[lx->pos + 1] == '*') {
            const char *end = strstr(lx->s + lx->pos + 2, "*/");
            lx->pos = end ? (size_t)(end - lx->s) + 2 : lx->len;
        } else {
            /* "//" and a lone '/' (comment character) both run to the end of the line */
            while (lx->pos < lx->len && lx->s[lx->pos] != '\n' && lx->s[lx->pos] != '\r')
                lx->pos++;
        }
    }
}

static void next_token(lexer *lx)
{
    skip_blank(lx);
    size_t n = 0;
    if (lx->pos >= lx->len) {
        lx->type = TOK_EOF;
        return;
    }
    char c = lx->s[lx->pos];
    if (c == ';' || c == '=') {
        lx->pos++;
        lx->type = c == ';' ? TOK_SEMI : TOK_EQ;
        return;
    }
    if (c == '"' || c == '\'') {
        char quote = c;
        lx->pos++;
        while (lx->pos < lx->len) {
            char ch = lx->s[lx->pos];
            if (ch == quote) {
                lx->pos++;
                break;
            }
            if (ch == '\n' || ch == '\r')
                break; /* StreamTokenizer ends an unterminated quoted string at the line end */
            lx->pos++;
            if (ch == '\\' && lx->pos < lx->len) {
                ch = lx->s[lx->pos++];
                switch (ch) {
                case 'a': ch = 7; break;
                case 'b': ch = '\b'; break;
                case 'f': ch = 0xC; break;
                case 'n': ch = '\n'; break;
                case 'r': ch = '\r'; break;
                case 't': ch = '\t'; break;
                case 'v': ch = 0xB; break;
                default:
                    if (ch >= '0' && ch <= '7') {
                        int v = ch - '0';
                        int max_digits = ch <= '3' ? 3 : 2;
                        for (int d = 1; d < max_digits && lx->pos < lx->len &&
                                        lx->s[lx->pos] >= '0' && lx->s[lx->pos] <= '7'; d++)
                            v = v * 8 + (lx->s[lx->pos++] - '0');
                        ch = (char)v;
                    }
                }
            }
            lx->buf[n++] = ch;
        }
        lx->buf[n] = '\0';
        lx->type = TOK_QUOTED;
        return;
    }
    while (lx->pos < lx->len && is_word((unsigned char)lx->s[lx->pos]))
        lx->buf[n++] = lx->s[lx->pos++];
    lx->buf[n] = '\0';
    lx->type = TOK_WORD;
}

void kc_jaas_free(kc_jaas *jaas)
{
    if (!jaas)
        return;
    free(jaas->login_module);
    free(jaas->control_flag);
    kc_props_free(jaas->options);
    free(jaas);
}

static int valid_flag(const char *flag)
{
    static const char *const flags[] = {"required", "requisite", "sufficient", "optional"};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
        if (strcasecmp(flag, flags[i]) == 0)
            return 1;
    return 0;
}

kc_jaas *kc_jaas_parse(const char *text, kc_error *err)
{
    size_t len = text ? strlen(text) : 0;
    if (len >= KC_JAAS_MAX_BYTES) {
        kc_error_set(err, KC_ERR_INVALID, "JAAS config is longer than %d bytes", KC_JAAS_MAX_BYTES);
        return NULL;
    }
    lexer *lx = calloc(1, sizeof *lx);
    kc_jaas *jaas = calloc(1, sizeof *jaas);
    if (!lx || !jaas || !(jaas->options = kc_props_new())) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    lx->s = text ? text : "";
    lx->len = len;

    for (next_token(lx); lx->type != TOK_EOF; next_token(lx)) {
        int first = jaas->module_count == 0;
        jaas->module_count++;
        if (lx->type != TOK_WORD && lx->type != TOK_QUOTED) {
            kc_error_set(err, KC_ERR_INVALID, "Login module not specified in JAAS config");
            goto fail;
        }
        if (first && !(jaas->login_module = strdup(lx->buf)))
            goto oom;
        next_token(lx);
        if (lx->type == TOK_EOF) {
            kc_error_set(err, KC_ERR_INVALID, "Login module control flag not specified in JAAS config");
            goto fail;
        }
        if ((lx->type != TOK_WORD && lx->type != TOK_QUOTED) || !valid_flag(lx->buf)) {
            kc_error_set(err, KC_ERR_INVALID, "Invalid login module control flag '%s' in JAAS config",
                         lx->type == TOK_SEMI ? ";" : lx->type == TOK_EQ ? "=" : lx->buf);
            goto fail;
        }
        if (first) {
            if (!(jaas->control_flag = strdup(lx->buf)))
                goto oom;
            for (char *p = jaas->control_flag; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        }
        for (next_token(lx); lx->type != TOK_EOF && lx->type != TOK_SEMI; next_token(lx)) {
            char key[256];
            if (lx->type != TOK_WORD && lx->type != TOK_QUOTED) {
                kc_error_set(err, KC_ERR_INVALID, "Value not specified for key '%s' in JAAS config",
                             lx->type == TOK_EQ ? "=" : "null");
                goto fail;
            }
            size_t klen = strlen(lx->buf);
            if (klen >= sizeof key) {
                kc_error_set(err, KC_ERR_INVALID, "JAAS config option name longer than %zu bytes",
                             sizeof key - 1);
                goto fail;
            }
            memcpy(key, lx->buf, klen + 1);
            next_token(lx);
            if (lx->type != TOK_EQ) {
                kc_error_set(err, KC_ERR_INVALID, "Value not specified for key '%s' in JAAS config", key);
                goto fail;
            }
            next_token(lx);
            if (lx->type != TOK_WORD && lx->type != TOK_QUOTED) {
                kc_error_set(err, KC_ERR_INVALID, "Value not specified for key '%s' in JAAS config", key);
                goto fail;
            }
            if (first && kc_props_set(jaas->options, key, lx->buf) != 0)
                goto oom;
        }
        if (lx->type != TOK_SEMI) {
            kc_error_set(err, KC_ERR_INVALID, "JAAS config entry not terminated by semi-colon");
            goto fail;
        }
    }
    if (jaas->module_count == 0) {
        kc_error_set(err, KC_ERR_INVALID, "Login module not specified in JAAS config");
        goto fail;
    }
    free(lx);
    return jaas;
oom:
    kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
fail:
    free(lx);
    kc_jaas_free(jaas);
    return NULL;
}
