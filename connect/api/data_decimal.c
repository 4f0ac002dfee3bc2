/* java.math.BigDecimal as a value: parsing its text form, printing BigDecimal.toString, and the
 * big-integer arithmetic both need (two's-complement byte strings, as BigInteger.toByteArray). */
#include <stdlib.h>
#include <string.h>

#include "connect/api/data_internal.h"

/* Digits beyond this are refused (Jackson refuses JSON numbers over 1000 characters anyway). */
#define KC_DECIMAL_MAX_DIGITS 10000

/* Magnitude of a two's-complement big-endian number as little-endian 32-bit limbs. */
static uint32_t *twos_to_limbs(const uint8_t *twos, size_t len, size_t *nlimbs, bool *negative)
{
    *negative = len > 0 && (twos[0] & 0x80);
    size_t n = (len + 3) / 4;
    uint32_t *limbs = calloc(n ? n : 1, sizeof *limbs);
    if (!limbs)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        uint8_t byte = twos[len - 1 - i];
        limbs[i / 4] |= (uint32_t)byte << (8 * (i % 4));
    }
    if (*negative) {
        /* Sign-extend the top limb, then negate (invert and add one). */
        size_t used = len % 4;
        if (used)
            limbs[n - 1] |= 0xFFFFFFFFu << (8 * used);
        uint64_t carry = 1;
        for (size_t i = 0; i < n; i++) {
            uint64_t x = (uint64_t)(uint32_t)~limbs[i] + carry;
            limbs[i] = (uint32_t)x;
            carry = x >> 32;
        }
    }
    while (n > 1 && limbs[n - 1] == 0)
        n--;
    *nlimbs = n;
    return limbs;
}

/* Decimal digits of |value|, most significant first, NUL-terminated. */
static char *limbs_to_digits(uint32_t *limbs, size_t n)
{
    size_t cap = n * 10 + 2;
    char *rev = malloc(cap);
    if (!rev)
        return NULL;
    size_t len = 0;
    while (n > 0 && !(n == 1 && limbs[0] == 0)) {
        uint64_t rem = 0;
        for (size_t i = n; i-- > 0;) {
            uint64_t cur = (rem << 32) | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rem = cur % 1000000000u;
        }
        while (n > 1 && limbs[n - 1] == 0)
            n--;
        if (n == 1 && limbs[0] == 0)
            n = 0;
        for (int k = 0; k < 9; k++) {
            rev[len++] = (char)('0' + rem % 10);
            rem /= 10;
            if (n == 0 && rem == 0)
                break;
        }
    }
    if (len == 0)
        rev[len++] = '0';
    while (len > 1 && rev[len - 1] == '0')
        len--;
    char *out = malloc(len + 1);
    if (!out) {
        free(rev);
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        out[i] = rev[len - 1 - i];
    out[len] = '\0';
    free(rev);
    return out;
}

static char *magnitude_digits(const uint8_t *twos, size_t len, bool *negative)
{
    size_t n;
    uint32_t *limbs = twos_to_limbs(twos, len, &n, negative);
    if (!limbs)
        return NULL;
    char *digits = limbs_to_digits(limbs, n);
    free(limbs);
    return digits;
}

char *kc__bigint_to_string(const uint8_t *twos, size_t len)
{
    bool neg;
    char *digits = magnitude_digits(twos, len, &neg);
    if (!digits || !neg)
        return digits;
    size_t n = strlen(digits);
    char *out = malloc(n + 2);
    if (out) {
        out[0] = '-';
        memcpy(out + 1, digits, n + 1);
    }
    free(digits);
    return out;
}

size_t kc__bigint_digits(const uint8_t *twos, size_t len)
{
    bool neg;
    char *digits = magnitude_digits(twos, len, &neg);
    size_t n = digits ? strlen(digits) : 1;
    free(digits);
    return n;
}

char *kc_value_decimal_to_string(const kc_value *v)
{
    if (kc_value_get_type(v) != KC_VALUE_DECIMAL)
        return NULL;
    bool neg;
    char *coeff = magnitude_digits(v->u.dec.unscaled, v->u.dec.len, &neg);
    if (!coeff)
        return NULL;
    size_t clen = strlen(coeff);
    int64_t scale = v->u.dec.scale;
    int64_t adjusted = -scale + (int64_t)(clen - 1);
    kc_sbuf b = {0};
    if (neg)
        kc__sbuf_putc(&b, '-');
    if (scale == 0) {
        kc__sbuf_puts(&b, coeff);
    } else if (scale > 0 && adjusted >= -6) {
        if ((int64_t)clen > scale) {
            kc__sbuf_put(&b, coeff, clen - (size_t)scale);
            kc__sbuf_putc(&b, '.');
            kc__sbuf_puts(&b, coeff + clen - (size_t)scale);
        } else {
            kc__sbuf_puts(&b, "0.");
            for (int64_t i = 0; i < scale - (int64_t)clen; i++)
                kc__sbuf_putc(&b, '0');
            kc__sbuf_puts(&b, coeff);
        }
    } else {
        kc__sbuf_putc(&b, coeff[0]);
        if (clen > 1) {
            kc__sbuf_putc(&b, '.');
            kc__sbuf_puts(&b, coeff + 1);
        }
        kc__sbuf_printf(&b, "E%s%lld", adjusted >= 0 ? "+" : "", (long long)adjusted);
    }
    free(coeff);
    return kc__sbuf_take(&b, NULL);
}

/* Two's-complement big-endian bytes of the integer whose decimal digits are given. */
static uint8_t *digits_to_twos(const char *digits, size_t ndigits, bool negative, size_t *out_len)
{
    size_t cap = ndigits / 9 + 2;
    uint32_t *limbs = calloc(cap, sizeof *limbs);
    if (!limbs)
        return NULL;
    size_t n = 1;
    for (size_t i = 0; i < ndigits; i++) {
        uint64_t carry = (uint64_t)(digits[i] - '0');
        for (size_t k = 0; k < n; k++) {
            uint64_t x = (uint64_t)limbs[k] * 10 + carry;
            limbs[k] = (uint32_t)x;
            carry = x >> 32;
        }
        if (carry && n < cap)
            limbs[n++] = (uint32_t)carry;
    }
    /* Big-endian magnitude with one spare byte for the sign, then negate if needed. */
    size_t blen = n * 4 + 1;
    uint8_t *bytes = calloc(blen, 1);
    if (!bytes) {
        free(limbs);
        return NULL;
    }
    for (size_t i = 0; i < n * 4; i++)
        bytes[blen - 1 - i] = (uint8_t)(limbs[i / 4] >> (8 * (i % 4)));
    free(limbs);
    if (negative) {
        unsigned carry = 1;
        for (size_t i = blen; i-- > 0;) {
            unsigned x = (unsigned)(uint8_t)~bytes[i] + carry;
            bytes[i] = (uint8_t)x;
            carry = x >> 8;
        }
    }
    *out_len = blen;
    return bytes;
}

int kc__decimal_parse(const char *text, size_t len, kc_value **out, kc_error *err)
{
    size_t i = 0;
    bool neg = false;
    if (i < len && (text[i] == '+' || text[i] == '-'))
        neg = text[i++] == '-';
    char *digits = malloc(len + 1);
    if (!digits)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory parsing a decimal");
    size_t nd = 0;
    int64_t frac = 0;
    bool dot = false;
    for (; i < len; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            digits[nd++] = c;
            if (dot)
                frac++;
        } else if (c == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    int64_t exp = 0;
    if (nd == 0)
        goto bad;
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (text[i] == '+' || text[i] == '-'))
            eneg = text[i++] == '-';
        size_t start = i;
        for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
            exp = exp * 10 + (text[i] - '0');
            if (exp > (int64_t)INT32_MAX + 1)
                goto bad;
        }
        if (i == start)
            goto bad;
        if (eneg)
            exp = -exp;
    }
    if (i != len || nd > KC_DECIMAL_MAX_DIGITS)
        goto bad;
    int64_t scale = frac - exp;
    if (scale > INT32_MAX || scale < INT32_MIN)
        goto bad;
    size_t blen;
    uint8_t *bytes = digits_to_twos(digits, nd, neg, &blen);
    free(digits);
    if (!bytes)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory parsing a decimal");
    *out = kc_value_decimal(bytes, blen, (int32_t)scale);
    free(bytes);
    if (!*out)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory parsing a decimal");
    return 0;
bad:
    free(digits);
    return kc_error_set(err, KC_ERR_INVALID, "Character array is not a valid decimal number: \"%.*s\"",
                        (int)(len > 200 ? 200 : len), text);
}
