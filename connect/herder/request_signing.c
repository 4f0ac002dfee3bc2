/* Internal request signatures and session keys (KIP-507); see request_signing.h. */
#include "connect/herder/request_signing.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "connect/worker/worker_config.h"

static const unsigned char empty_body[1];

/* The OpenSSL digest of a JCA HMAC name, or NULL with Java's NoSuchAlgorithmException text. */
static const EVP_MD *hmac_md(const char *java_alg, kc_error *err)
{
    const char *digest = kc_worker_config_hmac_digest(java_alg);
    const EVP_MD *md = digest ? EVP_get_digestbyname(digest) : NULL;
    if (!md)
        kc_error_set(err, KC_ERR_INVALID, "Algorithm %s not available", java_alg ? java_alg : "null");
    return md;
}

/* HMAC into mac (KC_REQUEST_MAC_MAX bytes). 0, or -1 with err. */
static int compute_mac(const EVP_MD *md, const void *key, size_t key_len, const void *body, size_t body_len,
                       unsigned char *mac, unsigned int *mac_len, kc_error *err)
{
    if (!key || key_len == 0 || key_len > INT_MAX)
        return kc_error_set(err, KC_ERR_INVALID, "a signing key must have 1 to %d bytes", INT_MAX);
    if ((size_t)EVP_MD_get_size(md) > KC_REQUEST_MAC_MAX)
        return kc_error_set(err, KC_ERR_INTERNAL, "digest %s is larger than %d bytes", EVP_MD_get0_name(md),
                            KC_REQUEST_MAC_MAX);
    if (!HMAC(md, key, (int)key_len, body_len ? body : empty_body, body_len, mac, mac_len))
        return kc_error_set(err, KC_ERR_INTERNAL, "HMAC with %s failed", EVP_MD_get0_name(md));
    return 0;
}

int kc_request_sign(const char *java_alg, const void *key, size_t key_len, const void *body, size_t body_len,
                    char *out_b64, size_t out_size, kc_error *err)
{
    const EVP_MD *md = hmac_md(java_alg, err);
    if (!md)
        return -1;
    unsigned char mac[KC_REQUEST_MAC_MAX];
    unsigned int mac_len = 0;
    if (compute_mac(md, key, key_len, body, body_len, mac, &mac_len, err))
        return -1;
    size_t need = 4 * (((size_t)mac_len + 2) / 3) + 1;
    if (!out_b64 || out_size < need) {
        OPENSSL_cleanse(mac, sizeof mac);
        return kc_error_set(err, KC_ERR_INVALID, "signature buffer of %zu bytes is too small (%zu needed)", out_size,
                            need);
    }
    EVP_EncodeBlock((unsigned char *)out_b64, mac, (int)mac_len); /* standard alphabet, padded, NUL */
    OPENSSL_cleanse(mac, sizeof mac);
    return 0;
}

/* ---- java.util.Base64.getDecoder() ----------------------------------------------------------- */

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return c == '=' ? -2 : -1;
}

static void emit(unsigned char *dst, size_t cap, size_t *dp, unsigned char byte)
{
    if (*dp < cap)
        dst[*dp] = byte;
    (*dp)++;
}

/* Decodes src with the rules and messages of Java's basic (RFC 4648) decoder: no white space, padding
 * optional but checked when present, nothing after it. Each byte of src stands for one ISO-8859-1
 * character, as Java's decode(String) sees it. *out_len is the decoded length, which may exceed cap
 * (then only the first cap bytes are stored). 0, or -1 with err (KC_ERR_INVALID, Java's text). */
static int java_b64_decode(const char *src, unsigned char *dst, size_t cap, size_t *out_len, kc_error *err)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t sl = strlen(src), sp = 0, dp = 0;
    *out_len = 0;
    if (sl == 0)
        return 0;
    if (sl < 2)
        return kc_error_set(err, KC_ERR_INVALID, "Input byte[] should at least have 2 bytes for base64 bytes");
    unsigned long bits = 0;
    int shift = 18;
    while (sp < sl) {
        int b = b64_value(s[sp++]);
        if (b == -2) { /* '=': only "xx==" and "xxx=" end a unit */
            if ((shift == 6 && (sp == sl || s[sp++] != '=')) || shift == 18)
                return kc_error_set(err, KC_ERR_INVALID, "Input byte array has wrong 4-byte ending unit");
            break;
        }
        if (b < 0) { /* Java prints the (signed) byte in hex */
            int v = (signed char)s[sp - 1];
            return kc_error_set(err, KC_ERR_INVALID, "Illegal base64 character %s%x", v < 0 ? "-" : "",
                                (unsigned)(v < 0 ? -v : v));
        }
        bits |= (unsigned long)b << shift;
        shift -= 6;
        if (shift < 0) {
            emit(dst, cap, &dp, (unsigned char)(bits >> 16));
            emit(dst, cap, &dp, (unsigned char)(bits >> 8));
            emit(dst, cap, &dp, (unsigned char)bits);
            shift = 18;
            bits = 0;
        }
    }
    if (shift == 6) {
        emit(dst, cap, &dp, (unsigned char)(bits >> 16));
    } else if (shift == 0) {
        emit(dst, cap, &dp, (unsigned char)(bits >> 16));
        emit(dst, cap, &dp, (unsigned char)(bits >> 8));
    } else if (shift == 12) {
        return kc_error_set(err, KC_ERR_INVALID, "Last unit does not have enough valid bits");
    }
    if (sp < sl)
        return kc_error_set(err, KC_ERR_INVALID, "Input byte array has incorrect ending byte at %zu", sp);
    *out_len = dp;
    return 0;
}

/* ---- verification -------------------------------------------------------------------------------- */

/* Java's List.toString of the permitted algorithms: "[a, b]". */
static void format_list(const char *const *items, size_t count, char *buf, size_t size)
{
    int n = snprintf(buf, size, "[");
    size_t o = n > 0 ? (size_t)n : 0;
    for (size_t i = 0; i < count && o < size; i++) {
        n = snprintf(buf + o, size - o, "%s%s", i ? ", " : "", items[i] ? items[i] : "null");
        o += n > 0 ? (size_t)n : 0;
    }
    if (o < size)
        snprintf(buf + o, size - o, "]");
}

int kc_request_verify(const char *authorization, const char *algorithm, const char *const *permitted,
                      size_t permitted_count, const void *key, size_t key_len, const void *body, size_t body_len,
                      kc_error *err)
{
    /* InternalRequestSignature.fromHeaders (the REST resource) */
    if (!authorization || !algorithm) {
        kc_error_set(err, KC_ERR_INVALID, "Internal request missing required signature");
        return 400;
    }
    const EVP_MD *md = hmac_md(algorithm, err);
    if (!md)
        return 400;
    unsigned char sent[KC_REQUEST_MAC_MAX];
    size_t sent_len = 0;
    if (java_b64_decode(authorization, sent, sizeof sent, &sent_len, err))
        return 400;
    /* DistributedHerder.requestNotSignedProperly */
    int allowed = 0;
    for (size_t i = 0; i < permitted_count && !allowed; i++)
        allowed = permitted[i] && strcmp(permitted[i], algorithm) == 0;
    if (!allowed) {
        char list[KC_ERROR_MSG_MAX];
        format_list(permitted, permitted_count, list, sizeof list);
        kc_error_set(err, KC_ERR_INVALID,
                     "This worker does not support the '%s' key signing algorithm used by other workers. "
                     "This worker is currently configured to use: %s. Check that all workers' configuration "
                     "files permit the same set of signature algorithms, and correct any misconfigured worker "
                     "and restart it.",
                     algorithm, list);
        return 400;
    }
    if (!key || key_len == 0) {
        kc_error_set(err, KC_ERR_UNAVAILABLE, "This worker is still starting up and has not been able to read a "
                                              "session key from the config topic yet");
        return 503;
    }
    unsigned char mac[KC_REQUEST_MAC_MAX];
    unsigned int mac_len = 0;
    if (compute_mac(md, key, key_len, body, body_len, mac, &mac_len, err))
        return 500;
    /* the lengths are public (the algorithm says them); the bytes are compared in constant time */
    int equal = sent_len == mac_len && CRYPTO_memcmp(sent, mac, mac_len) == 0;
    OPENSSL_cleanse(mac, sizeof mac);
    if (!equal) {
        kc_error_set(err, KC_ERR_FORBIDDEN, "Internal request contained invalid signature.");
        return 403;
    }
    return 0;
}

/* ---- session keys ---------------------------------------------------------------------------------- */

int kc_session_key_generate(const char *java_alg, int key_size_bits, unsigned char *out, size_t *len,
                            kc_error *err)
{
    const char *digest = kc_worker_config_hmac_digest(java_alg);
    const EVP_MD *md = digest ? EVP_get_digestbyname(digest) : NULL;
    if (!md)
        return kc_error_set(err, KC_ERR_INVALID, "Algorithm %s not available", java_alg ? java_alg : "null");
    size_t bytes;
    if (key_size_bits <= 0) /* SunJCE: HmacMD5 / HmacSHA1 generate 64 bytes, the others the digest size */
        bytes = strcmp(digest, "MD5") == 0 || strcmp(digest, "SHA1") == 0 ? 64 : (size_t)EVP_MD_get_size(md);
    else if (key_size_bits < 40)
        return kc_error_set(err, KC_ERR_INVALID, "Key length must be at least 40 bits");
    else
        bytes = ((size_t)key_size_bits + 7) / 8;
    if (!out || !len || *len < bytes)
        return kc_error_set(err, KC_ERR_INVALID, "a %zu-byte session key does not fit in %zu bytes", bytes,
                            len ? *len : 0);
    if (RAND_bytes(out, (int)bytes) != 1)
        return kc_error_set(err, KC_ERR_INTERNAL, "the random generator failed to make a session key");
    *len = bytes;
    return 0;
}
