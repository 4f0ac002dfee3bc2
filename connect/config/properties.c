/*
 * Java .properties parsing (java.util.Properties.load(Reader) rules) and an ordered key/value list.
 *
 * Layout: the entries live in a growable array in insertion order; an open-addressing hash table
 * of entry indices (index + 1, 0 = empty slot, never more than half full) gives constant-time
 * lookup. Removal shifts the array and rebuilds the table in place (no allocation).
 *
 * Parsing mirrors Properties.LineReader.readLine / load0 / loadConvert on the UTF-8 bytes: every
 * character with a meaning there ('\\', '=', ':', '#', '!', space, \t, \f, \r, \n, 'u' and hex
 * digits) is ASCII, and UTF-8 multi-byte sequences never contain ASCII bytes, so working on bytes
 * gives the same logical lines as Java working on UTF-16 chars.
 *
 * Deliberate choices where C strings or the contract differ from Java:
 *  - A UTF-8 byte-order mark at the start is NOT skipped: Java's Reader hands U+FEFF to the parser,
 *    where it becomes part of the first key (or turns a first-line comment into an entry).
 *  - Ill-formed UTF-8 is replaced by U+FFFD, one per maximal ill-formed subpart, before parsing,
 *    as Java's UTF-8 decoder (an InputStreamReader) does.
 *  - A NUL byte in the input, and a \u0000 escape, are refused (a C string cannot hold NUL).
 *  - A lone surrogate from a \uXXXX escape is stored as U+FFFD; a high + low escape pair becomes
 *    one 4-byte UTF-8 character.
 *  - Error lines: a NUL names the line it is on; a malformed \u escape names the natural line of
 *    its backslash (Java gives no line at all).
 */
#include "properties.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct kc_entry {
    char *key;
    char *value;
} kc_entry;

struct kc_props {
    kc_entry *items;
    size_t count;
    size_t cap;
    size_t *slots;  /* hash table: entry index + 1, 0 = empty */
    size_t nslots;  /* 0 or a power of two, >= 2 * count */
};

/* ---- ordered map ---------------------------------------------------------------------------- */

static size_t hash_key(const char *key)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)key; *s; s++) {
        h ^= *s;
        h *= 1099511628211ull;
    }
    return (size_t)h;
}

static void index_insert(kc_props *p, size_t idx)
{
    size_t mask = p->nslots - 1;
    size_t i = hash_key(p->items[idx].key) & mask;
    while (p->slots[i])
        i = (i + 1) & mask;
    p->slots[i] = idx + 1;
}

static void index_rebuild(kc_props *p)
{
    if (!p->nslots)
        return;
    memset(p->slots, 0, p->nslots * sizeof *p->slots);
    for (size_t i = 0; i < p->count; i++)
        index_insert(p, i);
}

/* Index of key, or SIZE_MAX when absent. */
static size_t find(const kc_props *p, const char *key)
{
    if (!p || !key || !p->nslots)
        return SIZE_MAX;
    size_t mask = p->nslots - 1;
    for (size_t i = hash_key(key) & mask; p->slots[i]; i = (i + 1) & mask) {
        size_t idx = p->slots[i] - 1;
        if (strcmp(p->items[idx].key, key) == 0)
            return idx;
    }
    return SIZE_MAX;
}

/* Makes room for one more entry (array and hash table). 0, or -1 when out of memory. */
static int reserve_one(kc_props *p)
{
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        if (cap > SIZE_MAX / sizeof *p->items)
            return -1;
        kc_entry *items = realloc(p->items, cap * sizeof *items);
        if (!items)
            return -1;
        p->items = items;
        p->cap = cap;
    }
    if ((p->count + 1) * 2 > p->nslots) {
        size_t n = p->nslots ? p->nslots * 2 : 32;
        if (n > SIZE_MAX / sizeof *p->slots)
            return -1;
        size_t *slots = calloc(n, sizeof *slots);
        if (!slots)
            return -1;
        free(p->slots);
        p->slots = slots;
        p->nslots = n;
        index_rebuild(p);
    }
    return 0;
}

/* Sets key to value, taking ownership of both strings (freed on every path). 0 or -1 (OOM). */
static int put_owned(kc_props *p, char *key, char *value)
{
    size_t idx = find(p, key);
    if (idx != SIZE_MAX) {
        free(key);
        free(p->items[idx].value);
        p->items[idx].value = value;
        return 0;
    }
    if (reserve_one(p) != 0) {
        free(key);
        free(value);
        return -1;
    }
    p->items[p->count].key = key;
    p->items[p->count].value = value;
    p->count++;
    index_insert(p, p->count - 1);
    return 0;
}

kc_props *kc_props_new(void)
{
    return calloc(1, sizeof(kc_props));
}

void kc_props_free(kc_props *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->count; i++) {
        free(p->items[i].key);
        free(p->items[i].value);
    }
    free(p->items);
    free(p->slots);
    free(p);
}

kc_props *kc_props_copy(const kc_props *p)
{
    kc_props *c = kc_props_new();
    if (!c)
        return NULL;
    if (p && kc_props_merge(c, p) != 0) {
        kc_props_free(c);
        return NULL;
    }
    return c;
}

const char *kc_props_get(const kc_props *p, const char *key)
{
    size_t idx = find(p, key);
    return idx == SIZE_MAX ? NULL : p->items[idx].value;
}

int kc_props_set(kc_props *p, const char *key, const char *value)
{
    if (!p || !key || !value)
        return -1;
    size_t idx = find(p, key);
    char *v = strdup(value);
    if (!v)
        return -1;
    if (idx != SIZE_MAX) { /* copy first: value may point into the old one */
        free(p->items[idx].value);
        p->items[idx].value = v;
        return 0;
    }
    char *k = strdup(key);
    if (!k) {
        free(v);
        return -1;
    }
    return put_owned(p, k, v);
}

int kc_props_remove(kc_props *p, const char *key)
{
    size_t idx = find(p, key);
    if (idx == SIZE_MAX)
        return 0;
    free(p->items[idx].key);
    free(p->items[idx].value);
    memmove(&p->items[idx], &p->items[idx + 1], (p->count - idx - 1) * sizeof *p->items);
    p->count--;
    index_rebuild(p);
    return 1;
}

size_t kc_props_count(const kc_props *p)
{
    return p ? p->count : 0;
}

const char *kc_props_key_at(const kc_props *p, size_t i)
{
    return p && i < p->count ? p->items[i].key : NULL;
}

const char *kc_props_value_at(const kc_props *p, size_t i)
{
    return p && i < p->count ? p->items[i].value : NULL;
}

kc_props *kc_props_subset(const kc_props *p, const char *prefix, int strip)
{
    kc_props *out = kc_props_new();
    if (!out)
        return NULL;
    if (!prefix)
        prefix = "";
    size_t plen = strlen(prefix);
    for (size_t i = 0; p && i < p->count; i++) {
        const char *k = p->items[i].key;
        if (strncmp(k, prefix, plen) != 0)
            continue;
        if (strip && k[plen] == '\0')
            continue;
        if (kc_props_set(out, strip ? k + plen : k, p->items[i].value) != 0) {
            kc_props_free(out);
            return NULL;
        }
    }
    return out;
}

int kc_props_merge(kc_props *dst, const kc_props *src)
{
    if (!dst)
        return -1;
    for (size_t i = 0; src && i < src->count; i++)
        if (kc_props_set(dst, src->items[i].key, src->items[i].value) != 0)
            return -1;
    return 0;
}

/* ---- UTF-8 input ---------------------------------------------------------------------------- */

/* Length (1-4) of the well-formed UTF-8 sequence at s (n > 0 bytes available), or 0 when it is
 * ill-formed; then *bad is the length of its maximal subpart, which one U+FFFD replaces. This is
 * the Unicode "maximal subpart" practice, except that Java's decoder takes ED A0..BF xx (an
 * encoded surrogate, or its truncated ED A0..BF start) as one subpart, so this does too. */
static size_t utf8_check(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c == 0xE0)
        need = 2, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEF)
        need = 2;
    else if (c == 0xF0)
        need = 3, lo = 0x90;
    else if (c == 0xF4)
        need = 3, hi = 0x8F;
    else if (c >= 0xF1 && c <= 0xF3)
        need = 3;
    else {
        *bad = 1;
        return 0;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *bad = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xBF;
    }
    if (c == 0xED && s[1] >= 0xA0) { /* an encoded surrogate: Java replaces all 3 bytes at once */
        *bad = 3;
        return 0;
    }
    return need + 1;
}

/* Writes the code point cp (not a surrogate, <= 0x10FFFF) as UTF-8; returns the byte count. */
static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* *out = text with ill-formed UTF-8 replaced (malloc'd; NULL when text is already well-formed).
 * 0, or -1 when out of memory. */
static int utf8_sanitize(const unsigned char *text, size_t len, char **out, size_t *out_len)
{
    size_t i = 0, bad = 0, n;
    *out = NULL;
    while (i < len && (n = utf8_check(text + i, len - i, &bad)) != 0)
        i += n;
    if (i == len)
        return 0;
    /* every replaced subpart is >= 1 byte and becomes 3: the result is at most 3 * len */
    char *buf = malloc(len * 3 + 1);
    if (!buf)
        return -1;
    memcpy(buf, text, i);
    size_t o = i;
    while (i < len) {
        n = utf8_check(text + i, len - i, &bad);
        if (n) {
            memcpy(buf + o, text + i, n);
            o += n;
            i += n;
        } else {
            o += utf8_put(buf + o, 0xFFFD);
            i += bad;
        }
    }
    *out = buf;
    *out_len = o;
    return 0;
}

/* ---- logical lines (Properties.LineReader) -------------------------------------------------- */

typedef struct loader {
    const unsigned char *s;
    size_t len;
    size_t pos;
    size_t line;       /* natural line (1-based) of the byte at pos */
    const char *origin;
    kc_error *err;
    char *buf;         /* the current logical line, without continuations */
    size_t blen, bcap;
    size_t start_line; /* natural line of buf[0] */
    size_t *joins;     /* buf offsets where a continued natural line begins */
    size_t njoins, jcap;
} loader;

static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\f';
}

static int is_eol(int c)
{
    return c == '\n' || c == '\r';
}

static int oom(loader *ld)
{
    return kc_error_set(ld->err, KC_ERR_INTERNAL, "%s: out of memory", ld->origin);
}

/* The next byte (pos < len), counting natural lines: \r, \n and \r\n each end one. -1 on NUL. */
static int take(loader *ld)
{
    unsigned char c = ld->s[ld->pos++];
    if (c == '\0')
        return kc_error_set(ld->err, KC_ERR_INVALID, "%s:%zu: NUL byte in input", ld->origin,
                            ld->line);
    if (c == '\r' || (c == '\n' && !(ld->pos >= 2 && ld->s[ld->pos - 2] == '\r')))
        ld->line++;
    return c;
}

static int buf_push(loader *ld, char c)
{
    if (ld->blen == ld->bcap) {
        size_t cap = ld->bcap ? ld->bcap * 2 : 256;
        char *b = realloc(ld->buf, cap);
        if (!b)
            return oom(ld);
        ld->buf = b;
        ld->bcap = cap;
    }
    ld->buf[ld->blen++] = c;
    return 0;
}

static int join_push(loader *ld, size_t off)
{
    if (ld->njoins == ld->jcap) {
        size_t cap = ld->jcap ? ld->jcap * 2 : 8;
        size_t *j = realloc(ld->joins, cap * sizeof *j);
        if (!j)
            return oom(ld);
        ld->joins = j;
        ld->jcap = cap;
    }
    ld->joins[ld->njoins++] = off;
    return 0;
}

/* Natural line of buf[off]. */
static size_t line_of(const loader *ld, size_t off)
{
    size_t line = ld->start_line;
    for (size_t i = 0; i < ld->njoins; i++)
        if (ld->joins[i] <= off)
            line++;
    return line;
}

/* Reads the next logical line into buf. 1 = a line (possibly empty), 0 = end of input,
 * -1 = error (err set). Comment lines and blank lines are consumed here. */
static int next_line(loader *ld)
{
    int skip_ws = 1;  /* skipping leading whitespace of a natural line */
    int joined = 0;   /* ... of a continuation line: a line end there ends the logical line */
    int odd_bs = 0;   /* buf ends with an odd number of backslashes */
    ld->blen = 0;
    ld->njoins = 0;
    for (;;) {
        if (ld->pos >= ld->len) {
            if (ld->blen == 0)
                return 0;
            if (odd_bs) /* a backslash at end of input is dropped */
                ld->blen--;
            return 1;
        }
        size_t line = ld->line;
        int c = take(ld);
        if (c < 0)
            return -1;
        if (skip_ws) {
            if (is_blank(c) || (!joined && is_eol(c)))
                continue;
            skip_ws = 0;
            joined = 0;
        }
        if (ld->blen == 0 && (c == '#' || c == '!')) {
            /* a comment runs to the end of its natural line; it is never continued */
            while (ld->pos < ld->len) {
                if ((c = take(ld)) < 0)
                    return -1;
                if (is_eol(c))
                    break;
            }
            ld->njoins = 0;
            skip_ws = 1;
            continue;
        }
        if (!is_eol(c)) {
            if (ld->blen == 0 && ld->njoins == 0)
                ld->start_line = line;
            if (buf_push(ld, (char)c) != 0)
                return -1;
            odd_bs = c == '\\' ? !odd_bs : 0;
            continue;
        }
        /* end of a natural line */
        if (ld->blen == 0) { /* nothing but a continuation so far: no line */
            ld->njoins = 0;
            skip_ws = 1;
            continue;
        }
        if (ld->pos >= ld->len) {
            if (odd_bs)
                ld->blen--;
            return 1;
        }
        if (!odd_bs)
            return 1;
        /* continuation: drop the backslash, join the next natural line without its indent */
        ld->blen--;
        odd_bs = 0;
        skip_ws = 1;
        joined = 1;
        if (join_push(ld, ld->blen) != 0)
            return -1;
        if (c == '\r' && ld->s[ld->pos] == '\n')
            (void)take(ld);
    }
}

/* ---- escapes (Properties.loadConvert) ------------------------------------------------------- */

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* buf[off, end) with its escapes resolved, as a new string; NULL with err set on error. */
static char *convert(loader *ld, size_t off, size_t end)
{
    const char *in = ld->buf;
    char *out = malloc(end - off + 1); /* no escape produces more bytes than it spans */
    if (!out) {
        oom(ld);
        return NULL;
    }
    size_t o = 0;
    while (off < end) {
        char c = in[off++];
        if (c != '\\') {
            out[o++] = c;
            continue;
        }
        /* next_line never leaves an unpaired backslash at the end of a line, and a key ends
         * only at an unescaped separator, so a character follows */
        size_t at = off - 1;
        c = in[off++];
        switch (c) {
        case 't': out[o++] = '\t'; continue;
        case 'n': out[o++] = '\n'; continue;
        case 'r': out[o++] = '\r'; continue;
        case 'f': out[o++] = '\f'; continue;
        case 'u': break;
        default: out[o++] = c; continue;
        }
        int cu = end - off >= 4 ? hex4(in + off) : -1;
        if (cu < 0) {
            kc_error_set(ld->err, KC_ERR_INVALID, "%s:%zu: Malformed \\uxxxx encoding.",
                         ld->origin, line_of(ld, at));
            free(out);
            return NULL;
        }
        off += 4;
        uint32_t cp = (uint32_t)cu;
        if (cp == 0) {
            kc_error_set(ld->err, KC_ERR_INVALID, "%s:%zu: \\u0000 (NUL) is not supported",
                         ld->origin, line_of(ld, at));
            free(out);
            return NULL;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            int lo = (end - off >= 6 && in[off] == '\\' && in[off + 1] == 'u') ? hex4(in + off + 2)
                                                                                : -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                off += 6;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        o += utf8_put(out + o, cp);
    }
    out[o] = '\0';
    return out;
}

/* ---- loading -------------------------------------------------------------------------------- */

/* Splits buf into key and value as Properties.load0 does and stores them. 0 or -1. */
static int store_line(kc_props *p, loader *ld)
{
    const char *b = ld->buf;
    size_t limit = ld->blen, key_end = 0, val = limit;
    int has_sep = 0, odd_bs = 0;
    for (; key_end < limit; key_end++) {
        char c = b[key_end];
        if (!odd_bs && (c == '=' || c == ':')) {
            val = key_end + 1;
            has_sep = 1;
            break;
        }
        if (!odd_bs && is_blank(c)) {
            val = key_end + 1;
            break;
        }
        odd_bs = c == '\\' ? !odd_bs : 0;
    }
    for (; val < limit; val++) {
        char c = b[val];
        if (is_blank(c))
            continue;
        if (has_sep || (c != '=' && c != ':'))
            break;
        has_sep = 1;
    }
    char *key = convert(ld, 0, key_end);
    if (!key)
        return -1;
    char *value = convert(ld, val, limit);
    if (!value) {
        free(key);
        return -1;
    }
    if (put_owned(p, key, value) != 0)
        return oom(ld);
    return 0;
}

int kc_props_load_string(kc_props *p, const char *text, size_t len, const char *origin,
                         kc_error *err)
{
    if (!origin)
        origin = "<string>";
    if (!p || (!text && len))
        return kc_error_set(err, KC_ERR_INVALID, "%s: no properties or no text", origin);
    if (len > KC_PROPS_MAX_BYTES)
        return kc_error_set(err, KC_ERR_INVALID, "%s: larger than %u bytes (%zu)", origin,
                            KC_PROPS_MAX_BYTES, len);
    char *clean = NULL;
    size_t clean_len = 0;
    if (utf8_sanitize((const unsigned char *)text, len, &clean, &clean_len) != 0)
        return kc_error_set(err, KC_ERR_INTERNAL, "%s: out of memory", origin);
    loader ld = {
        .s = (const unsigned char *)(clean ? clean : text),
        .len = clean ? clean_len : len,
        .line = 1,
        .origin = origin,
        .err = err,
    };
    int rc, ret = 0;
    while ((rc = next_line(&ld)) > 0)
        if (store_line(p, &ld) != 0) {
            ret = -1;
            break;
        }
    if (rc < 0)
        ret = -1;
    free(ld.buf);
    free(ld.joins);
    free(clean);
    return ret;
}

int kc_props_load_file(kc_props *p, const char *path, kc_error *err)
{
    if (!p || !path)
        return kc_error_set(err, KC_ERR_INVALID, "no properties or no path");
    FILE *f = fopen(path, "rb");
    if (!f)
        return kc_error_set(err, KC_ERR_IO, "%s: %s", path, strerror(errno));
    char *data = NULL;
    size_t len = 0, cap = 0;
    int ret = 0;
    for (;;) {
        if (len == cap) {
            if (cap > KC_PROPS_MAX_BYTES) {
                ret = kc_error_set(err, KC_ERR_INVALID, "%s: larger than %u bytes", path,
                                   KC_PROPS_MAX_BYTES);
                break;
            }
            /* grow up to one byte past the limit, enough to tell "too large" */
            size_t ncap = cap ? cap * 2 : 8192;
            if (ncap > (size_t)KC_PROPS_MAX_BYTES + 1)
                ncap = (size_t)KC_PROPS_MAX_BYTES + 1;
            char *d = realloc(data, ncap);
            if (!d) {
                ret = kc_error_set(err, KC_ERR_INTERNAL, "%s: out of memory", path);
                break;
            }
            data = d;
            cap = ncap;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                ret = kc_error_set(err, KC_ERR_IO, "%s: %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (ret == 0)
        ret = kc_props_load_string(p, data, len, path, err);
    free(data);
    return ret;
}
