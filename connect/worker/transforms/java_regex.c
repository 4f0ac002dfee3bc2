/* Java regular expressions translated to POSIX extended expressions; see java_regex.h. */
#include "connect/worker/transforms/java_regex.h"

#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 128
#define MAX_GROUPS 1000
#define POSIX_DUP_MAX 32767

typedef struct named_group {
    char *name;
    size_t group; /* Java group number */
} named_group;

struct kc_java_regex {
    regex_t re;
    size_t groups;       /* Java's groupCount() */
    size_t *posix_of;    /* [0..groups]: the POSIX subexpression of each Java group */
    named_group *names;
    size_t nnames;
    size_t nsub;         /* POSIX subexpressions */
    bool compiled;       /* re holds a regcomp result */
};

typedef struct buf {
    char *p;
    size_t len, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *g = realloc(b->p, cap);
        if (!g) {
            b->oom = true;
            return;
        }
        b->p = g;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

/* Inserts s at position at. */
static void insert(buf *b, size_t at, const char *s)
{
    size_t n = strlen(s), old = b->len;
    put(b, s, n); /* grow */
    if (b->oom)
        return;
    memmove(b->p + at + n, b->p + at, old - at);
    memcpy(b->p + at, s, n);
    b->p[b->len] = '\0';
}

typedef struct tr {
    const char *p;
    size_t n, i;
    buf out;
    kc_java_regex *re;
    size_t stack[MAX_NESTING]; /* output position of each open '(' */
    int depth;
    bool have_atom;         /* something a quantifier may follow */
    bool atom_multibyte;    /* ... and it is one non-ASCII character (several bytes) */
    bool after_quantifier;
    size_t atom_start;
    bool dotall;
    int cflags;
    kc_error *err;
} tr;

/* Java's PatternSyntaxException.getMessage(): "<desc> near index <i>\n<pattern>[\n   ^]". */
static int fail(tr *t, size_t index, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(tr *t, size_t index, const char *fmt, ...)
{
    char desc[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(desc, sizeof desc, fmt, ap);
    va_end(ap);
    char caret[KC_ERROR_MSG_MAX] = "";
    if (index == (size_t)-1) { /* Java's index -1: no position */
        kc_error_set(t->err, KC_ERR_INVALID, "%s\n%s", desc, t->p);
        return -1;
    }
    if (index < t->n && index < sizeof caret - 3) {
        caret[0] = '\n';
        memset(caret + 1, ' ', index);
        caret[index + 1] = '^';
        caret[index + 2] = '\0';
    }
    kc_error_set(t->err, KC_ERR_INVALID, "%s near index %zu\n%s%s", desc, index, t->p, caret);
    return -1;
}

static int unsupported(tr *t, size_t index, const char *what)
{
    return fail(t, index, "%s is not supported by kconnect's regular expressions (POSIX)", what);
}

/* ---- output helpers ------------------------------------------------------------------------- */

static void atom_begin(tr *t)
{
    t->atom_start = t->out.len;
    t->have_atom = true;
    t->atom_multibyte = false;
    t->after_quantifier = false;
}

static void emit_literal_byte(tr *t, unsigned char c)
{
    char tmp[3] = {0};
    if (c == ']' || c == '}') {
        puts_(&t->out, c == ']' ? "[]]" : "[}]");
        return;
    }
    if (strchr(".[()*+?{|^$\\", c) && c) {
        tmp[0] = '\\';
        tmp[1] = (char)c;
    } else {
        tmp[0] = (char)c;
    }
    puts_(&t->out, tmp);
}

static size_t utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* A literal character as one atom. */
static int emit_codepoint(tr *t, uint32_t cp, size_t index)
{
    if (cp == 0)
        return unsupported(t, index, "The NUL character");
    atom_begin(t);
    if (cp < 0x80) {
        emit_literal_byte(t, (unsigned char)cp);
        return 0;
    }
    char tmp[4];
    size_t n = utf8_encode(cp, tmp);
    put(&t->out, tmp, n);
    t->atom_multibyte = true;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* ---- escapes shared by classes and the top level ---------------------------------------------- */

typedef enum esc_kind { ESC_CHAR, ESC_SET, ESC_QUOTE, ESC_BACKREF, ESC_NAMED_BACKREF } esc_kind;

typedef struct esc {
    esc_kind kind;
    uint32_t cp;          /* ESC_CHAR */
    const char *set;      /* ESC_SET: POSIX bracket contents, e.g. "0-9" or "[:alpha:]" */
    bool negated;         /* ESC_SET */
} esc;

static const struct {
    const char *java, *posix;
} posix_classes[] = {
    {"Lower", "[:lower:]"}, {"Upper", "[:upper:]"}, {"Alpha", "[:alpha:]"}, {"Digit", "[:digit:]"},
    {"Alnum", "[:alnum:]"}, {"Punct", "[:punct:]"}, {"Graph", "[:graph:]"}, {"Print", "[:print:]"},
    {"Blank", "[:blank:]"}, {"Cntrl", "[:cntrl:]"}, {"XDigit", "[:xdigit:]"}, {"Space", "[:space:]"},
};

/* Parses the escape at t->i (pointing at the backslash); leaves t->i after it. */
static int parse_escape(tr *t, esc *e)
{
    size_t at = t->i;
    if (at + 1 >= t->n)
        return fail(t, t->n, "Unexpected internal error");
    char d = t->p[at + 1];
    t->i = at + 2;
    e->kind = ESC_CHAR;
    e->negated = false;
    switch (d) {
    case 't': e->cp = '\t'; return 0;
    case 'n': e->cp = '\n'; return 0;
    case 'r': e->cp = '\r'; return 0;
    case 'f': e->cp = '\f'; return 0;
    case 'a': e->cp = 7; return 0;
    case 'e': e->cp = 27; return 0;
    case 'c':
        if (t->i >= t->n)
            return fail(t, t->i, "Illegal control escape sequence");
        e->cp = (uint32_t)(unsigned char)t->p[t->i++] ^ 64;
        return 0;
    case '0': {
        int digits = 0;
        uint32_t v = 0;
        while (t->i < t->n && digits < 3 && t->p[t->i] >= '0' && t->p[t->i] <= '7') {
            uint32_t nv = v * 8 + (uint32_t)(t->p[t->i] - '0');
            if (nv > 0377)
                break;
            v = nv;
            t->i++;
            digits++;
        }
        if (!digits)
            return fail(t, t->i, "Illegal octal escape sequence");
        e->cp = v;
        return 0;
    }
    case 'x': {
        uint32_t v = 0;
        if (t->i < t->n && t->p[t->i] == '{') {
            size_t j = t->i + 1;
            int digits = 0;
            while (j < t->n && hexval(t->p[j]) >= 0 && digits < 8)
                v = v * 16 + (uint32_t)hexval(t->p[j++]), digits++;
            if (!digits || j >= t->n || t->p[j] != '}' || v > 0x10ffff)
                return fail(t, j, "Unclosed hexadecimal escape sequence");
            t->i = j + 1;
        } else {
            if (t->i + 2 > t->n || hexval(t->p[t->i]) < 0 || hexval(t->p[t->i + 1]) < 0)
                return fail(t, t->i, "Illegal hexadecimal escape sequence");
            v = (uint32_t)(hexval(t->p[t->i]) * 16 + hexval(t->p[t->i + 1]));
            t->i += 2;
        }
        e->cp = v;
        return 0;
    }
    case 'u': {
        uint32_t v = 0;
        for (int k = 0; k < 4; k++) {
            if (t->i >= t->n || hexval(t->p[t->i]) < 0)
                return fail(t, t->i, "Illegal Unicode escape sequence");
            v = v * 16 + (uint32_t)hexval(t->p[t->i++]);
        }
        if (v >= 0xd800 && v < 0xdc00 && t->i + 6 <= t->n && t->p[t->i] == '\\' && t->p[t->i + 1] == 'u') {
            uint32_t lo = 0;
            bool ok = true;
            for (int k = 0; k < 4; k++) {
                int h = hexval(t->p[t->i + 2 + k]);
                if (h < 0)
                    ok = false;
                else
                    lo = lo * 16 + (uint32_t)h;
            }
            if (ok && lo >= 0xdc00 && lo < 0xe000) {
                v = 0x10000 + ((v - 0xd800) << 10) + (lo - 0xdc00);
                t->i += 6;
            }
        }
        e->cp = v;
        return 0;
    }
    case 'd': e->kind = ESC_SET; e->set = "0-9"; return 0;
    case 'D': e->kind = ESC_SET; e->set = "0-9"; e->negated = true; return 0;
    case 'w': e->kind = ESC_SET; e->set = "a-zA-Z0-9_"; return 0;
    case 'W': e->kind = ESC_SET; e->set = "a-zA-Z0-9_"; e->negated = true; return 0;
    case 's': e->kind = ESC_SET; e->set = " \t\n\v\f\r"; return 0;
    case 'S': e->kind = ESC_SET; e->set = " \t\n\v\f\r"; e->negated = true; return 0;
    case 'p':
    case 'P': {
        char name[32];
        size_t len = 0;
        if (t->i < t->n && t->p[t->i] == '{') {
            size_t j = t->i + 1;
            while (j < t->n && t->p[j] != '}')
                j++;
            if (j >= t->n)
                return fail(t, t->i, "Unclosed character family");
            len = j - t->i - 1;
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, t->p + t->i + 1, len);
            t->i = j + 1;
        } else if (t->i < t->n) {
            name[0] = t->p[t->i++];
            len = 1;
        }
        name[len] = '\0';
        for (size_t k = 0; k < sizeof posix_classes / sizeof posix_classes[0]; k++)
            if (strcmp(name, posix_classes[k].java) == 0) {
                e->kind = ESC_SET;
                e->set = posix_classes[k].posix;
                e->negated = d == 'P';
                return 0;
            }
        return unsupported(t, at, "This character property (only the ASCII classes \\p{Lower} \\p{Upper} "
                                  "\\p{Alpha} \\p{Digit} \\p{Alnum} \\p{Punct} \\p{Graph} \\p{Print} "
                                  "\\p{Blank} \\p{Cntrl} \\p{XDigit} \\p{Space} are)");
    }
    case 'Q': e->kind = ESC_QUOTE; return 0;
    case 'k': e->kind = ESC_NAMED_BACKREF; return 0;
    case 'b': case 'B': case 'A': case 'G': case 'Z': case 'z':
        return unsupported(t, at, "The boundary matcher \\b \\B \\A \\G \\Z \\z");
    case 'h': case 'H': case 'v': case 'V': case 'R': case 'X': case 'N':
        return unsupported(t, at, "The escape \\h \\H \\v \\V \\R \\X \\N");
    default:
        break;
    }
    if (d >= '1' && d <= '9') {
        e->kind = ESC_BACKREF;
        t->i = at + 1; /* the digits are read by the caller */
        return 0;
    }
    if ((d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))
        return fail(t, at + 1, "Illegal/unsupported escape sequence");
    if ((unsigned char)d >= 0x80)
        return unsupported(t, at, "Escaping a non-ASCII character");
    e->cp = (uint32_t)(unsigned char)d;
    return 0;
}

/* ---- character classes ---------------------------------------------------------------------- */

typedef struct cset {
    bool chars[128];
    const char *classes[16]; /* "[:alpha:]"-style members */
    size_t nclasses;
} cset;

static void cset_add_spec(cset *s, const char *spec)
{
    if (spec[0] == '[') {
        if (s->nclasses < 16)
            s->classes[s->nclasses++] = spec;
        return;
    }
    for (size_t i = 0; spec[i]; i++) {
        if (spec[i + 1] == '-' && spec[i + 2]) {
            for (int c = (unsigned char)spec[i]; c <= (unsigned char)spec[i + 2]; c++)
                s->chars[c] = true;
            i += 2;
        } else {
            s->chars[(unsigned char)spec[i]] = true;
        }
    }
}

static void emit_cset(tr *t, const cset *s, bool negated)
{
    size_t members = s->nclasses;
    for (int c = 1; c < 128; c++)
        members += s->chars[c];
    if (!negated && s->nclasses == 0 && members == 1) { /* a single character */
        for (int c = 1; c < 128; c++)
            if (s->chars[c])
                emit_literal_byte(t, (unsigned char)c);
        return;
    }
    buf *o = &t->out;
    puts_(o, negated ? "[^" : "[");
    bool first = true;
    if (s->chars[']']) {
        puts_(o, "]");
        first = false;
    }
    if (!negated && first && s->chars['^'] && s->chars['-'] && members == 2) {
        puts_(o, "-^]"); /* "[^-]" would be a negation */
        return;
    }
    for (int c = 1; c < 128; c++) {
        if (!s->chars[c] || c == ']' || c == '^' || c == '-' || c == '[')
            continue;
        /* collapse runs into ranges */
        int e = c;
        while (e + 1 < 128 && s->chars[e + 1] && e + 1 != ']' && e + 1 != '^' && e + 1 != '-' && e + 1 != '[')
            e++;
        char tmp[4] = {(char)c, 0, 0, 0};
        if (e >= c + 2) {
            tmp[1] = '-';
            tmp[2] = (char)e;
        } else if (e == c + 1) {
            tmp[1] = (char)e;
        }
        puts_(o, tmp);
        first = false;
        c = e;
    }
    for (size_t k = 0; k < s->nclasses; k++) {
        puts_(o, s->classes[k]);
        first = false;
    }
    if (s->chars['[']) {
        puts_(o, "[");
        first = false;
    }
    if (s->chars['^']) {
        if (first && !negated)
            puts_(o, "\\"); /* unreachable in practice: single '^' is emitted as a literal above */
        puts_(o, "^");
    }
    if (s->chars['-'])
        puts_(o, "-");
    puts_(o, "]");
}

/* One member of a class: a character (*cp) or a set (added to s directly). Returns 1 for a char. */
static int class_member(tr *t, cset *s, uint32_t *cp, bool *quote)
{
    char c = t->p[t->i];
    if (*quote) {
        if (c == '\\' && t->i + 1 < t->n && t->p[t->i + 1] == 'E') {
            *quote = false;
            t->i += 2;
            return 2; /* nothing */
        }
        if ((unsigned char)c >= 0x80)
            return unsupported(t, t->i, "A non-ASCII character inside [...]");
        *cp = (unsigned char)c;
        t->i++;
        return 1;
    }
    if (c == '\\') {
        size_t at = t->i;
        esc e;
        if (parse_escape(t, &e) < 0)
            return -1;
        switch (e.kind) {
        case ESC_CHAR:
            if (e.cp == 0)
                return unsupported(t, at, "The NUL character");
            if (e.cp >= 0x80)
                return unsupported(t, at, "A non-ASCII character inside [...]");
            *cp = e.cp;
            return 1;
        case ESC_SET:
            if (e.negated)
                return unsupported(t, at, "A negated class (\\D \\W \\S \\P) inside [...]");
            cset_add_spec(s, e.set);
            return 0;
        case ESC_QUOTE: *quote = true; return 2;
        default: return unsupported(t, at, "A back reference inside [...]");
        }
    }
    if ((unsigned char)c >= 0x80)
        return unsupported(t, t->i, "A non-ASCII character inside [...]");
    *cp = (unsigned char)c;
    t->i++;
    return 1;
}

static int parse_class(tr *t)
{
    size_t open = t->i;
    t->i++;
    bool negated = false, first = true, quote = false;
    if (t->i < t->n && t->p[t->i] == '^') {
        negated = true;
        t->i++;
    }
    cset s;
    memset(&s, 0, sizeof s);
    for (;;) {
        if (t->i >= t->n)
            return fail(t, t->n - 1, "Unclosed character class");
        char c = t->p[t->i];
        if (!quote && c == ']' && !first) {
            t->i++;
            break;
        }
        if (!quote && c == '[')
            return unsupported(t, t->i, "A class union [a[b]]");
        if (!quote && c == '&' && t->i + 1 < t->n && t->p[t->i + 1] == '&')
            return unsupported(t, t->i, "A class intersection [a&&b]");
        uint32_t lo = 0;
        int m = class_member(t, &s, &lo, &quote);
        if (m < 0)
            return -1;
        first = false;
        if (m != 1)
            continue;
        if (!quote && t->i + 1 < t->n && t->p[t->i] == '-' && t->p[t->i + 1] != ']') {
            size_t hi_at = t->i + 1;
            t->i++;
            if (t->p[t->i] == '[')
                return unsupported(t, t->i, "A class union [a[b]]");
            uint32_t hi = 0;
            bool q2 = false;
            int m2 = class_member(t, &s, &hi, &q2);
            if (m2 < 0)
                return -1;
            if (m2 != 1 || q2)
                return fail(t, t->i - 1, "Illegal character range");
            if (hi < lo)
                return fail(t, hi_at, "Illegal character range");
            for (uint32_t k = lo; k <= hi; k++)
                s.chars[k] = true;
        } else {
            s.chars[lo] = true;
        }
    }
    (void)open;
    atom_begin(t);
    emit_cset(t, &s, negated);
    return 0;
}

/* ---- groups, quantifiers and the top level ---------------------------------------------------- */

static int open_group(tr *t, bool capturing, const char *name, size_t index)
{
    if (t->depth == MAX_NESTING)
        return unsupported(t, index, "Nesting groups this deep");
    kc_java_regex *re = t->re;
    t->stack[t->depth++] = t->out.len;
    re->nsub++;
    if (capturing) {
        if (re->groups + 1 >= MAX_GROUPS)
            return unsupported(t, index, "More than 999 groups");
        size_t *g = realloc(re->posix_of, (re->groups + 2) * sizeof *g);
        if (!g)
            return kc_error_set(t->err, KC_ERR_INTERNAL, "out of memory");
        re->posix_of = g;
        re->groups++;
        re->posix_of[re->groups] = re->nsub;
        if (name) {
            named_group *ng = realloc(re->names, (re->nnames + 1) * sizeof *ng);
            if (!ng)
                return kc_error_set(t->err, KC_ERR_INTERNAL, "out of memory");
            re->names = ng;
            if (!(ng[re->nnames].name = strdup(name)))
                return kc_error_set(t->err, KC_ERR_INTERNAL, "out of memory");
            ng[re->nnames++].group = re->groups;
        }
    }
    puts_(&t->out, "(");
    t->have_atom = false;
    t->after_quantifier = false;
    return 0;
}

static int parse_group(tr *t)
{
    size_t at = t->i;
    if (at + 1 < t->n && t->p[at + 1] == '?') {
        size_t j = at + 2;
        if (j >= t->n)
            return fail(t, j, "Unknown inline modifier");
        char c = t->p[j];
        if (c == ':') {
            t->i = j + 1;
            return open_group(t, false, NULL, at);
        }
        if (c == '=' || c == '!')
            return unsupported(t, at, "Lookahead (?= (?!");
        if (c == '>')
            return unsupported(t, at, "An atomic group (?>");
        if (c == '<') {
            if (j + 1 < t->n && (t->p[j + 1] == '=' || t->p[j + 1] == '!'))
                return unsupported(t, at, "Lookbehind (?<= (?<!");
            size_t k = j + 1;
            if (k >= t->n || !((t->p[k] >= 'a' && t->p[k] <= 'z') || (t->p[k] >= 'A' && t->p[k] <= 'Z')))
                return fail(t, k, "capturing group name does not start with a Latin letter");
            while (k < t->n && ((t->p[k] >= 'a' && t->p[k] <= 'z') || (t->p[k] >= 'A' && t->p[k] <= 'Z') ||
                                (t->p[k] >= '0' && t->p[k] <= '9')))
                k++;
            if (k >= t->n || t->p[k] != '>')
                return fail(t, k, "named capturing group is missing trailing '>'");
            char name[128];
            size_t len = k - j - 1 < sizeof name - 1 ? k - j - 1 : sizeof name - 1;
            memcpy(name, t->p + j + 1, len);
            name[len] = '\0';
            for (size_t g = 0; g < t->re->nnames; g++)
                if (strcmp(t->re->names[g].name, name) == 0)
                    return fail(t, k, "Named capturing group <%s> is already defined", name);
            t->i = k + 1;
            return open_group(t, true, name, at);
        }
        /* inline flags */
        size_t k = j;
        int cflags = 0;
        bool dotall = false, minus = false, other = false;
        while (k < t->n && strchr("idmsuxUc-", t->p[k]) && t->p[k]) {
            char f = t->p[k];
            if (f == '-')
                minus = true;
            else if (f == 'i')
                cflags |= REG_ICASE;
            else if (f == 's')
                dotall = true;
            else if (f == 'x' || f == 'U' || f == 'c')
                other = true;
            k++;
        }
        if (k >= t->n || (t->p[k] != ')' && t->p[k] != ':'))
            return fail(t, k, "Unknown inline modifier");
        if (t->p[k] == ':')
            return unsupported(t, at, "A group with inline flags (?i:...)");
        if (minus || other)
            return unsupported(t, at, "Inline flags other than (?i) (?s) (?m) (?d) (?u)");
        if (t->out.len != 0 || t->depth != 0)
            return unsupported(t, at, "An inline flag not at the start of the pattern");
        t->cflags |= cflags;
        t->dotall = t->dotall || dotall;
        t->i = k + 1;
        return 0;
    }
    t->i = at + 1;
    return open_group(t, true, NULL, at);
}

static int quantifier(tr *t)
{
    size_t at = t->i;
    char c = t->p[at];
    char text[48];
    if (c == '{') {
        size_t j = at + 1;
        uint64_t lo = 0, hi = 0;
        bool has_lo = false, comma = false, has_hi = false;
        while (j < t->n && t->p[j] >= '0' && t->p[j] <= '9') {
            lo = lo * 10 + (uint64_t)(t->p[j++] - '0');
            has_lo = true;
            if (lo > INT32_MAX)
                return fail(t, j, "Illegal repetition range");
        }
        if (!has_lo)
            return fail(t, at + 1, "Illegal repetition");
        if (j < t->n && t->p[j] == ',') {
            comma = true;
            j++;
            while (j < t->n && t->p[j] >= '0' && t->p[j] <= '9') {
                hi = hi * 10 + (uint64_t)(t->p[j++] - '0');
                has_hi = true;
                if (hi > INT32_MAX)
                    return fail(t, j, "Illegal repetition range");
            }
        }
        if (j >= t->n || t->p[j] != '}')
            return fail(t, j, "Unclosed counted closure");
        if (comma && has_hi && hi < lo)
            return fail(t, j, "Illegal repetition range");
        if (lo > POSIX_DUP_MAX || hi > POSIX_DUP_MAX)
            return unsupported(t, at, "A repetition count above 32767");
        if (!comma)
            snprintf(text, sizeof text, "{%llu}", (unsigned long long)lo);
        else if (!has_hi)
            snprintf(text, sizeof text, "{%llu,}", (unsigned long long)lo);
        else
            snprintf(text, sizeof text, "{%llu,%llu}", (unsigned long long)lo, (unsigned long long)hi);
        t->i = j + 1;
    } else {
        text[0] = c;
        text[1] = '\0';
        t->i = at + 1;
    }
    if (t->i < t->n && t->p[t->i] == '?')
        return unsupported(t, t->i, "A reluctant quantifier (*? +? ?? {n}?)");
    if (t->i < t->n && t->p[t->i] == '+')
        return unsupported(t, t->i, "A possessive quantifier (*+ ++ ?+ {n}+)");
    if (t->atom_multibyte) { /* make the whole character the operand */
        insert(&t->out, t->atom_start, "(");
        puts_(&t->out, ")");
        t->re->nsub++;
        t->atom_multibyte = false;
    }
    puts_(&t->out, text);
    t->after_quantifier = true;
    return 0;
}

static int backref(tr *t, size_t at, size_t group)
{
    if (group == 0 || group > t->re->groups)
        return unsupported(t, at, "A back reference to a group not defined before it");
    size_t posix = t->re->posix_of[group];
    if (posix > 9)
        return unsupported(t, at, "A back reference to a group past POSIX's ninth subexpression");
    char tmp[4] = {'\\', (char)('0' + posix), 0, 0};
    atom_begin(t);
    puts_(&t->out, tmp);
    return 0;
}

static int parse_top(tr *t)
{
    bool quote = false;
    while (t->i < t->n) {
        char c = t->p[t->i];
        size_t at = t->i;
        if (quote) {
            if (c == '\\' && at + 1 < t->n && t->p[at + 1] == 'E') {
                quote = false;
                t->i += 2;
                continue;
            }
        } else if (c == '*' || c == '+' || c == '?' || (c == '{' && t->have_atom && !t->after_quantifier)) {
            if (!t->have_atom || t->after_quantifier)
                return fail(t, at, "Dangling meta character '%c'", c);
            if (quantifier(t) < 0)
                return -1;
            continue;
        }
        if (quote || ((unsigned char)c >= 0x80)) {
            uint32_t cp = (unsigned char)c;
            size_t len = 1;
            if (cp >= 0x80) { /* copy one UTF-8 sequence as one character */
                len = cp >= 0xf0 ? 4 : cp >= 0xe0 ? 3 : cp >= 0xc0 ? 2 : 1;
                if (at + len > t->n)
                    len = t->n - at;
                atom_begin(t);
                put(&t->out, t->p + at, len);
                t->atom_multibyte = len > 1;
                t->i += len;
                continue;
            }
            if (emit_codepoint(t, cp, at) < 0)
                return -1;
            t->i++;
            continue;
        }
        switch (c) {
        case '\\': {
            esc e;
            if (parse_escape(t, &e) < 0)
                return -1;
            if (e.kind == ESC_CHAR) {
                if (emit_codepoint(t, e.cp, at) < 0)
                    return -1;
            } else if (e.kind == ESC_SET) {
                atom_begin(t);
                puts_(&t->out, e.negated ? "[^" : "[");
                puts_(&t->out, e.set);
                puts_(&t->out, "]");
            } else if (e.kind == ESC_QUOTE) {
                quote = true;
            } else if (e.kind == ESC_BACKREF) {
                /* Java reads digits while the number stays a valid group */
                size_t g = (size_t)(t->p[t->i] - '0');
                t->i++;
                while (t->i < t->n && t->p[t->i] >= '0' && t->p[t->i] <= '9') {
                    size_t ng = g * 10 + (size_t)(t->p[t->i] - '0');
                    if (ng > t->re->groups)
                        break;
                    g = ng;
                    t->i++;
                }
                if (backref(t, at, g) < 0)
                    return -1;
            } else { /* \k<name> */
                size_t j = t->i;
                if (j >= t->n || t->p[j] != '<')
                    return fail(t, j, "\\k is not followed by '<' for named capturing group");
                size_t k = j + 1;
                while (k < t->n && t->p[k] != '>')
                    k++;
                if (k >= t->n)
                    return fail(t, k, "named capturing group is missing trailing '>'");
                size_t g = 0;
                for (size_t x = 0; x < t->re->nnames; x++)
                    if (strlen(t->re->names[x].name) == k - j - 1 &&
                        strncmp(t->re->names[x].name, t->p + j + 1, k - j - 1) == 0)
                        g = t->re->names[x].group;
                if (!g)
                    return fail(t, k, "named capturing group <%.*s> does not exist", (int)(k - j - 1), t->p + j + 1);
                t->i = k + 1;
                if (backref(t, at, g) < 0)
                    return -1;
            }
            break;
        }
        case '[':
            if (parse_class(t) < 0)
                return -1;
            break;
        case '(':
            if (parse_group(t) < 0)
                return -1;
            break;
        case ')':
            if (t->depth == 0) /* Java reports the character before the parenthesis */
                return fail(t, at - 1, "Unmatched closing ')'");
            t->depth--;
            puts_(&t->out, ")");
            t->atom_start = t->stack[t->depth];
            t->have_atom = true;
            t->atom_multibyte = false;
            t->after_quantifier = false;
            t->i++;
            break;
        case '|':
            puts_(&t->out, "|");
            t->have_atom = false;
            t->after_quantifier = false;
            t->i++;
            break;
        case '{':
            return fail(t, at + 1, "Illegal repetition");
        case '^':
        case '$':
            puts_(&t->out, c == '^' ? "^" : "$");
            t->have_atom = false;
            t->after_quantifier = false;
            t->i++;
            break;
        case '.':
            atom_begin(t);
            puts_(&t->out, t->dotall ? "." : "[^\n\r]");
            t->i++;
            break;
        default:
            if (emit_codepoint(t, (unsigned char)c, at) < 0)
                return -1;
            t->i++;
            break;
        }
    }
    if (t->depth > 0)
        return fail(t, t->n, "Unclosed group");
    return 0;
}

void kc_java_regex_free(kc_java_regex *re)
{
    if (!re)
        return;
    if (re->compiled)
        regfree(&re->re);
    for (size_t i = 0; i < re->nnames; i++)
        free(re->names[i].name);
    free(re->names);
    free(re->posix_of);
    free(re);
}

kc_java_regex *kc_java_regex_new(const char *pattern, kc_error *err)
{
    kc_java_regex *re = calloc(1, sizeof *re);
    tr t = {.p = pattern, .n = strlen(pattern), .err = err, .re = re};
    if (!re || !(re->posix_of = calloc(1, sizeof *re->posix_of))) {
        free(re);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    re->nsub = 1; /* the wrapper group of "^(...)$" */
    re->posix_of[0] = 1;
    if (parse_top(&t) < 0)
        goto fail;
    if (t.out.oom) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    buf full = {0};
    puts_(&full, "^(");
    if (t.out.p)
        puts_(&full, t.out.p);
    puts_(&full, ")$");
    free(t.out.p);
    t.out.p = NULL;
    if (full.oom) {
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    int rc = regcomp(&re->re, full.p, REG_EXTENDED | t.cflags);
    free(full.p);
    if (rc != 0) {
        char msg[200];
        regerror(rc, &re->re, msg, sizeof msg);
        kc_error_set(err, KC_ERR_INVALID, "%s (in the POSIX translation of the pattern) near index 0\n%s", msg,
                     pattern);
        goto fail;
    }
    re->compiled = true;
    return re;
fail:
    free(t.out.p);
    kc_java_regex_free(re);
    return NULL;
}

static int exec_full(const kc_java_regex *re, const char *text, regmatch_t *m, size_t nm, kc_error *err)
{
    int rc = regexec(&re->re, text, nm, m, 0);
    if (rc == REG_NOMATCH)
        return 0;
    if (rc != 0) {
        char msg[200];
        regerror(rc, &re->re, msg, sizeof msg);
        return kc_error_set(err, KC_ERR_INTERNAL, "regexec failed: %s", msg);
    }
    return 1;
}

int kc_java_regex_matches(const kc_java_regex *re, const char *text, kc_error *err)
{
    regmatch_t m[1];
    return exec_full(re, text, m, 0, err);
}

int kc_java_regex_replace(const kc_java_regex *re, const char *text, const char *rep, char **out, kc_error *err)
{
    *out = NULL;
    size_t nm = re->nsub + 1;
    regmatch_t *m = calloc(nm, sizeof *m);
    if (!m)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    int rc = exec_full(re, text, m, nm, err);
    if (rc <= 0) {
        free(m);
        return rc;
    }
    buf b = {0};
    size_t n = strlen(rep);
    for (size_t i = 0; i < n;) {
        char c = rep[i];
        if (c == '\\') {
            if (++i == n) {
                rc = kc_error_set(err, KC_ERR_INVALID, "character to be escaped is missing");
                goto out;
            }
            put(&b, &rep[i++], 1);
            continue;
        }
        if (c != '$') {
            put(&b, &rep[i++], 1);
            continue;
        }
        if (++i == n) {
            rc = kc_error_set(err, KC_ERR_INVALID, "Illegal group reference: group index is missing");
            goto out;
        }
        size_t group;
        if (rep[i] == '{') {
            size_t j = ++i;
            while (j < n && ((rep[j] >= 'a' && rep[j] <= 'z') || (rep[j] >= 'A' && rep[j] <= 'Z') ||
                             (rep[j] >= '0' && rep[j] <= '9')))
                j++;
            if (j == i) {
                rc = kc_error_set(err, KC_ERR_INVALID, "named capturing group has 0 length name");
                goto out;
            }
            if (j >= n || rep[j] != '}') {
                rc = kc_error_set(err, KC_ERR_INVALID, "named capturing group is missing trailing '}'");
                goto out;
            }
            int len = (int)(j - i);
            if (rep[i] >= '0' && rep[i] <= '9') {
                rc = kc_error_set(err, KC_ERR_INVALID, "capturing group name {%.*s} starts with digit character",
                                  len, rep + i);
                goto out;
            }
            group = 0;
            for (size_t x = 0; x < re->nnames; x++)
                if (strlen(re->names[x].name) == (size_t)len && strncmp(re->names[x].name, rep + i, (size_t)len) == 0)
                    group = re->names[x].group;
            if (!group) {
                rc = kc_error_set(err, KC_ERR_INVALID, "No group with name {%.*s}", len, rep + i);
                goto out;
            }
            i = j + 1;
        } else {
            if (rep[i] < '0' || rep[i] > '9') {
                rc = kc_error_set(err, KC_ERR_INVALID, "Illegal group reference");
                goto out;
            }
            group = (size_t)(rep[i++] - '0');
            while (i < n && rep[i] >= '0' && rep[i] <= '9') {
                size_t ng = group * 10 + (size_t)(rep[i] - '0');
                if (ng > re->groups)
                    break;
                group = ng;
                i++;
            }
            if (group > re->groups) {
                rc = kc_error_set(err, KC_ERR_INVALID, "No group %zu", group);
                goto out;
            }
        }
        regmatch_t g = m[re->posix_of[group]];
        if (g.rm_so >= 0)
            put(&b, text + g.rm_so, (size_t)(g.rm_eo - g.rm_so));
    }
    if (b.oom) {
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        goto out;
    }
    *out = b.p ? b.p : strdup("");
    b.p = NULL;
    if (!*out)
        rc = kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    else
        rc = 1;
out:
    free(b.p);
    free(m);
    return rc;
}
