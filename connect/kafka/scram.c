/* SASL SCRAM and PLAIN client messages; see scram.h. */
#include "scram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define NONCE_LEN 32
#define MSG_MAX 4096

struct kc_scram {
    kc_sasl_mech mech;
    const EVP_MD *md;
    size_t hlen;                 /* digest length */
    char *password;
    char client_first[MSG_MAX];  /* "n,,n=...,r=..." */
    size_t client_first_len;
    size_t bare_offset;          /* client-first-bare starts after the gs2 header "n,," */
    char nonce[NONCE_LEN + 1];
    char client_final[MSG_MAX];
    size_t client_final_len;
    unsigned char server_signature[EVP_MAX_MD_SIZE];
    int have_signature;
};

int kc_sasl_mech_parse(const char *name, kc_sasl_mech *mech)
{
    if (strcmp(name, "PLAIN") == 0)
        *mech = KC_SASL_PLAIN;
    else if (strcmp(name, "SCRAM-SHA-256") == 0)
        *mech = KC_SASL_SCRAM_SHA_256;
    else if (strcmp(name, "SCRAM-SHA-512") == 0)
        *mech = KC_SASL_SCRAM_SHA_512;
    else
        return -1;
    return 0;
}

const char *kc_sasl_mech_name(kc_sasl_mech mech)
{
    switch (mech) {
    case KC_SASL_PLAIN: return "PLAIN";
    case KC_SASL_SCRAM_SHA_256: return "SCRAM-SHA-256";
    case KC_SASL_SCRAM_SHA_512: return "SCRAM-SHA-512";
    }
    return "?";
}

long kc_sasl_plain_message(const char *user, const char *password, char *out, size_t cap)
{
    size_t u = strlen(user), p = strlen(password);
    if (u + p + 2 > cap || u + p + 2 < u)
        return -1;
    out[0] = '\0';
    memcpy(out + 1, user, u);
    out[1 + u] = '\0';
    memcpy(out + 2 + u, password, p);
    return (long)(u + p + 2);
}

char *kc_scram_saslname(const char *user)
{
    size_t n = 0;
    for (const char *c = user; *c; c++)
        n += (*c == '=' || *c == ',') ? 3 : 1;
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *c = user; *c; c++) {
        if (*c == '=') {
            memcpy(o, "=3D", 3);
            o += 3;
        } else if (*c == ',') {
            memcpy(o, "=2C", 3);
            o += 3;
        } else {
            *o++ = *c;
        }
    }
    *o = '\0';
    return out;
}

static int random_nonce(char out[NONCE_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[NONCE_LEN];
    if (RAND_bytes(raw, sizeof raw) != 1)
        return -1;
    for (size_t i = 0; i < NONCE_LEN; i++)
        out[i] = alphabet[raw[i] % 62]; /* bias is irrelevant for a nonce */
    out[NONCE_LEN] = '\0';
    return 0;
}

kc_scram *kc_scram_new(kc_sasl_mech mech, const char *user, const char *password, const char *nonce,
                       kc_error *err)
{
    if (mech != KC_SASL_SCRAM_SHA_256 && mech != KC_SASL_SCRAM_SHA_512) {
        kc_error_set(err, KC_ERR_INVALID, "%s is not a SCRAM mechanism", kc_sasl_mech_name(mech));
        return NULL;
    }
    if (nonce && (strlen(nonce) > NONCE_LEN || !*nonce || strchr(nonce, ','))) {
        kc_error_set(err, KC_ERR_INVALID, "SCRAM nonce must be 1..%d printable characters without ','", NONCE_LEN);
        return NULL;
    }
    kc_scram *s = calloc(1, sizeof *s);
    char *name = kc_scram_saslname(user);
    if (!s || !name || !(s->password = strdup(password))) {
        free(name);
        kc_scram_free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    s->mech = mech;
    s->md = mech == KC_SASL_SCRAM_SHA_256 ? EVP_sha256() : EVP_sha512();
    s->hlen = (size_t)EVP_MD_get_size(s->md);
    if (nonce)
        snprintf(s->nonce, sizeof s->nonce, "%s", nonce);
    else if (random_nonce(s->nonce)) {
        free(name);
        kc_scram_free(s);
        kc_error_set(err, KC_ERR_INTERNAL, "no random bytes for the SCRAM nonce");
        return NULL;
    }
    int n = snprintf(s->client_first, sizeof s->client_first, "n,,n=%s,r=%s", name, s->nonce);
    free(name);
    if (n < 0 || (size_t)n >= sizeof s->client_first) {
        kc_scram_free(s);
        kc_error_set(err, KC_ERR_INVALID, "SCRAM user name too long");
        return NULL;
    }
    s->client_first_len = (size_t)n;
    s->bare_offset = 3;
    return s;
}

void kc_scram_free(kc_scram *s)
{
    if (!s)
        return;
    if (s->password) {
        OPENSSL_cleanse(s->password, strlen(s->password));
        free(s->password);
    }
    OPENSSL_cleanse(s, sizeof *s);
    free(s);
}

const char *kc_scram_client_first(kc_scram *s, size_t *len)
{
    if (len)
        *len = s->client_first_len;
    return s->client_first;
}

/* Finds "<key>=" as an attribute of msg (at its start or after a ','); value up to the next ','. */
static int attribute(const char *msg, size_t len, char key, const char **value, size_t *value_len)
{
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && msg[end] != ',')
            end++;
        if (end - i >= 2 && msg[i] == key && msg[i + 1] == '=') {
            *value = msg + i + 2;
            *value_len = end - i - 2;
            return 0;
        }
        i = end + 1;
    }
    return -1;
}

static int b64_decode(const char *in, size_t len, unsigned char *out, size_t cap, size_t *out_len)
{
    if (len == 0 || len % 4 != 0 || (len / 4) * 3 > cap)
        return -1;
    int n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)len);
    if (n < 0)
        return -1;
    size_t pad = 0;
    if (in[len - 1] == '=')
        pad++;
    if (len >= 2 && in[len - 2] == '=')
        pad++;
    *out_len = (size_t)n - pad;
    return 0;
}

static int hmac(const EVP_MD *md, const unsigned char *key, size_t key_len, const void *data, size_t len,
                unsigned char *out)
{
    unsigned int n = 0;
    return HMAC(md, key, (int)key_len, data, len, out, &n) ? 0 : -1;
}

static int server_error(kc_error *err, const char *msg, size_t len)
{
    const char *e;
    size_t elen;
    if (attribute(msg, len, 'e', &e, &elen) != 0)
        return 0;
    return kc_error_set(err, KC_ERR_AUTH, "SCRAM server error: %.*s", (int)(elen > 200 ? 200 : elen), e);
}

int kc_scram_client_final(kc_scram *s, const char *server_first, size_t len, const char **out, size_t *out_len,
                          kc_error *err)
{
    if (server_error(err, server_first, len))
        return -1;
    const char *nonce, *salt64, *iter;
    size_t nonce_len, salt64_len, iter_len;
    if (len > MSG_MAX || attribute(server_first, len, 'r', &nonce, &nonce_len) ||
        attribute(server_first, len, 's', &salt64, &salt64_len) ||
        attribute(server_first, len, 'i', &iter, &iter_len) || server_first[0] != 'r')
        return kc_error_set(err, KC_ERR_AUTH, "malformed SCRAM server-first message");
    size_t cn = strlen(s->nonce);
    if (nonce_len <= cn || memcmp(nonce, s->nonce, cn) != 0)
        return kc_error_set(err, KC_ERR_AUTH, "SCRAM server nonce does not extend the client nonce");
    long iterations = 0;
    for (size_t i = 0; i < iter_len; i++) {
        if (iter[i] < '0' || iter[i] > '9' || iterations > KC_SCRAM_MAX_ITERATIONS)
            return kc_error_set(err, KC_ERR_AUTH, "malformed SCRAM iteration count");
        iterations = iterations * 10 + (iter[i] - '0');
    }
    if (iter_len == 0 || iterations < KC_SCRAM_MIN_ITERATIONS || iterations > KC_SCRAM_MAX_ITERATIONS)
        return kc_error_set(err, KC_ERR_AUTH, "SCRAM iteration count %ld outside %d..%d", iterations,
                            KC_SCRAM_MIN_ITERATIONS, KC_SCRAM_MAX_ITERATIONS);
    unsigned char salt[MSG_MAX];
    size_t salt_len;
    if (b64_decode(salt64, salt64_len, salt, sizeof salt, &salt_len))
        return kc_error_set(err, KC_ERR_AUTH, "malformed SCRAM salt");

    /* client-final-without-proof, then AuthMessage = client-first-bare "," server-first "," that */
    int n = snprintf(s->client_final, sizeof s->client_final, "c=biws,r=%.*s", (int)nonce_len, nonce);
    if (n < 0 || (size_t)n >= sizeof s->client_final)
        return kc_error_set(err, KC_ERR_AUTH, "SCRAM server nonce too long");
    size_t without_proof = (size_t)n;
    size_t bare_len = s->client_first_len - s->bare_offset;
    size_t am_len = bare_len + 1 + len + 1 + without_proof;
    char *auth_message = malloc(am_len);
    if (!auth_message)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    memcpy(auth_message, s->client_first + s->bare_offset, bare_len);
    auth_message[bare_len] = ',';
    memcpy(auth_message + bare_len + 1, server_first, len);
    auth_message[bare_len + 1 + len] = ',';
    memcpy(auth_message + bare_len + 2 + len, s->client_final, without_proof);

    unsigned char salted[EVP_MAX_MD_SIZE], client_key[EVP_MAX_MD_SIZE], stored_key[EVP_MAX_MD_SIZE];
    unsigned char client_sig[EVP_MAX_MD_SIZE], proof[EVP_MAX_MD_SIZE], server_key[EVP_MAX_MD_SIZE];
    unsigned int stored_len = 0;
    int rc = -1;
    if (PKCS5_PBKDF2_HMAC(s->password, (int)strlen(s->password), salt, (int)salt_len, (int)iterations, s->md,
                          (int)s->hlen, salted) != 1 ||
        hmac(s->md, salted, s->hlen, "Client Key", 10, client_key) ||
        EVP_Digest(client_key, s->hlen, stored_key, &stored_len, s->md, NULL) != 1 ||
        hmac(s->md, stored_key, s->hlen, auth_message, am_len, client_sig) ||
        hmac(s->md, salted, s->hlen, "Server Key", 10, server_key) ||
        hmac(s->md, server_key, s->hlen, auth_message, am_len, s->server_signature)) {
        kc_error_set(err, KC_ERR_INTERNAL, "SCRAM key derivation failed (OpenSSL)");
        goto out;
    }
    for (size_t i = 0; i < s->hlen; i++)
        proof[i] = client_key[i] ^ client_sig[i];
    s->have_signature = 1;
    char proof64[EVP_MAX_MD_SIZE * 2];
    int p64 = EVP_EncodeBlock((unsigned char *)proof64, proof, (int)s->hlen);
    if (without_proof + 3 + (size_t)p64 + 1 > sizeof s->client_final) {
        kc_error_set(err, KC_ERR_AUTH, "SCRAM server nonce too long");
        goto out;
    }
    memcpy(s->client_final + without_proof, ",p=", 3);
    memcpy(s->client_final + without_proof + 3, proof64, (size_t)p64);
    s->client_final_len = without_proof + 3 + (size_t)p64;
    s->client_final[s->client_final_len] = '\0';
    *out = s->client_final;
    *out_len = s->client_final_len;
    rc = 0;
out:
    OPENSSL_cleanse(salted, sizeof salted);
    OPENSSL_cleanse(client_key, sizeof client_key);
    OPENSSL_cleanse(stored_key, sizeof stored_key);
    OPENSSL_cleanse(client_sig, sizeof client_sig);
    OPENSSL_cleanse(server_key, sizeof server_key);
    OPENSSL_cleanse(proof, sizeof proof);
    free(auth_message);
    return rc;
}

int kc_scram_server_final(kc_scram *s, const char *server_final, size_t len, kc_error *err)
{
    if (server_error(err, server_final, len))
        return -1;
    const char *v;
    size_t vlen;
    unsigned char sig[EVP_MAX_MD_SIZE * 2];
    size_t sig_len;
    if (!s->have_signature || attribute(server_final, len, 'v', &v, &vlen) ||
        b64_decode(v, vlen, sig, sizeof sig, &sig_len))
        return kc_error_set(err, KC_ERR_AUTH, "malformed SCRAM server-final message");
    if (sig_len != s->hlen || CRYPTO_memcmp(sig, s->server_signature, s->hlen) != 0)
        return kc_error_set(err, KC_ERR_AUTH,
                            "SCRAM server signature mismatch: the broker does not know this user's credentials");
    return 0;
}
