/* Offsets as bytes and the standalone offsets file in Java's serialization format; see offset_file.h. */
#include "offset_file.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct entry {
    unsigned char *key, *value;
    size_t key_len, value_len;
} entry;

struct kc_offset_map {
    entry *entries;  /* sorted by key bytes */
    size_t count, cap;
};

kc_offset_map *kc_offset_map_new(void) { return calloc(1, sizeof(kc_offset_map)); }

void kc_offset_map_free(kc_offset_map *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->count; i++) {
        free(m->entries[i].key);
        free(m->entries[i].value);
    }
    free(m->entries);
    free(m);
}

static int compare(const void *a, size_t alen, const void *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* Index of key, or -(insertion point) - 1. */
static long find(const kc_offset_map *m, const void *key, size_t key_len)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compare(m->entries[mid].key, m->entries[mid].key_len, key, key_len);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

int kc_offset_map_put(kc_offset_map *m, const void *key, size_t key_len, const void *value, size_t value_len,
                      kc_error *err)
{
    if (key_len > KC_OFFSET_MAX_ENTRY_BYTES || (value && value_len > KC_OFFSET_MAX_ENTRY_BYTES))
        return kc_error_set(err, KC_ERR_INVALID, "offset key or value larger than %u bytes",
                            KC_OFFSET_MAX_ENTRY_BYTES);
    long at = find(m, key, key_len);
    if (!value) {
        if (at >= 0) {
            free(m->entries[at].key);
            free(m->entries[at].value);
            memmove(&m->entries[at], &m->entries[at + 1], (m->count - (size_t)at - 1) * sizeof(entry));
            m->count--;
        }
        return 0;
    }
    unsigned char *v = malloc(value_len ? value_len : 1);
    if (!v)
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    memcpy(v, value, value_len);
    if (at >= 0) {
        free(m->entries[at].value);
        m->entries[at].value = v;
        m->entries[at].value_len = value_len;
        return 0;
    }
    unsigned char *k = malloc(key_len ? key_len : 1);
    if (!k) {
        free(v);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    memcpy(k, key, key_len);
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        entry *grown = realloc(m->entries, cap * sizeof(entry));
        if (!grown) {
            free(k);
            free(v);
            return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        }
        m->entries = grown;
        m->cap = cap;
    }
    size_t pos = (size_t)(-at - 1);
    memmove(&m->entries[pos + 1], &m->entries[pos], (m->count - pos) * sizeof(entry));
    m->entries[pos] = (entry){k, v, key_len, value_len};
    m->count++;
    return 0;
}

const void *kc_offset_map_get(const kc_offset_map *m, const void *key, size_t key_len, size_t *value_len)
{
    long at = find(m, key, key_len);
    if (at < 0)
        return NULL;
    if (value_len)
        *value_len = m->entries[at].value_len;
    return m->entries[at].value;
}

size_t kc_offset_map_count(const kc_offset_map *m) { return m->count; }

void kc_offset_map_at(const kc_offset_map *m, size_t i, const void **key, size_t *key_len, const void **value,
                      size_t *value_len)
{
    *key = m->entries[i].key;
    *key_len = m->entries[i].key_len;
    *value = m->entries[i].value;
    *value_len = m->entries[i].value_len;
}

/* ---- Java Object Serialization, the subset HashMap<byte[], byte[]> needs ------------------------ */

enum {
    TC_NULL = 0x70,
    TC_REFERENCE = 0x71,
    TC_CLASSDESC = 0x72,
    TC_OBJECT = 0x73,
    TC_ARRAY = 0x75,
    TC_BLOCKDATA = 0x77,
    TC_ENDBLOCKDATA = 0x78,
    BASE_HANDLE = 0x7e0000
};

static const unsigned char hashmap_desc[] = {
    0x72, 0x00, 0x11, 'j', 'a', 'v', 'a', '.', 'u', 't', 'i', 'l', '.', 'H', 'a', 's', 'h', 'M', 'a', 'p',
    0x05, 0x07, 0xda, 0xc1, 0xc3, 0x16, 0x60, 0xd1, /* serialVersionUID 362498820763181265 */
    0x03, 0x00, 0x02,                               /* SC_SERIALIZABLE | SC_WRITE_METHOD, 2 fields */
    'F', 0x00, 0x0a, 'l', 'o', 'a', 'd', 'F', 'a', 'c', 't', 'o', 'r',
    'I', 0x00, 0x09, 't', 'h', 'r', 'e', 's', 'h', 'o', 'l', 'd',
    0x78, 0x70};
static const unsigned char bytes_desc[] = {
    0x72, 0x00, 0x02, '[', 'B', 0xac, 0xf3, 0x17, 0xf8, 0x06, 0x08, 0x54, 0xe0, 0x02, 0x00, 0x00, 0x78, 0x70};

typedef struct out_buf {
    unsigned char *p;
    size_t len, cap;
    int failed;
} out_buf;

static void put(out_buf *o, const void *data, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + n)
            cap *= 2;
        unsigned char *g = realloc(o->p, cap);
        if (!g) {
            o->failed = 1;
            return;
        }
        o->p = g;
        o->cap = cap;
    }
    memcpy(o->p + o->len, data, n);
    o->len += n;
}

static void put_u8(out_buf *o, unsigned v)
{
    unsigned char b = (unsigned char)v;
    put(o, &b, 1);
}

static void put_u32(out_buf *o, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    put(o, b, 4);
}

static void put_array(out_buf *o, const void *data, size_t n, int *desc_written)
{
    put_u8(o, TC_ARRAY);
    if (!*desc_written) {
        put(o, bytes_desc, sizeof bytes_desc);
        *desc_written = 1;
    } else {
        put_u8(o, TC_REFERENCE);
        put_u32(o, BASE_HANDLE + 2); /* handles: 0 HashMap desc, 1 the map, 2 the "[B" desc */
    }
    put_u32(o, (uint32_t)n);
    put(o, data, n);
}

unsigned char *kc_offset_file_encode(const kc_offset_map *m, size_t *len, kc_error *err)
{
    out_buf o = {0};
    static const unsigned char magic[] = {0xac, 0xed, 0x00, 0x05, TC_OBJECT};
    put(&o, magic, sizeof magic);
    put(&o, hashmap_desc, sizeof hashmap_desc);
    /* a default HashMap filled by puts: 16 buckets up to 12 entries, doubling past 3/4 full */
    uint32_t buckets = 16;
    while (m->count > buckets / 4 * 3)
        buckets *= 2;
    uint32_t threshold = m->count ? buckets / 4 * 3 : 0;
    put_u32(&o, 0x3f400000); /* loadFactor 0.75f */
    put_u32(&o, threshold);
    put_u8(&o, TC_BLOCKDATA);
    put_u8(&o, 8);
    put_u32(&o, buckets);
    put_u32(&o, (uint32_t)m->count);
    int desc_written = 0;
    for (size_t i = 0; i < m->count; i++) {
        put_array(&o, m->entries[i].key, m->entries[i].key_len, &desc_written);
        put_array(&o, m->entries[i].value, m->entries[i].value_len, &desc_written);
    }
    put_u8(&o, TC_ENDBLOCKDATA);
    if (o.failed) {
        free(o.p);
        kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    *len = o.len;
    return o.p;
}

typedef struct in_buf {
    const unsigned char *p;
    size_t len, pos;
    const char *origin;
    kc_error *err;
} in_buf;

static int fail(in_buf *in, const char *what)
{
    return kc_error_set(in->err, KC_ERR_INVALID,
                        "%s: not a Connect offsets file (Java serialization of a HashMap<byte[], byte[]>): %s at byte %zu",
                        in->origin, what, in->pos);
}

static int need(in_buf *in, size_t n)
{
    if (in->len - in->pos < n)
        return fail(in, "unexpected end of file");
    return 0;
}

static int get_u8(in_buf *in, unsigned *v)
{
    if (need(in, 1))
        return -1;
    *v = in->p[in->pos++];
    return 0;
}

static int get_u32(in_buf *in, uint32_t *v)
{
    if (need(in, 4))
        return -1;
    const unsigned char *b = in->p + in->pos;
    *v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    in->pos += 4;
    return 0;
}

static int expect(in_buf *in, const unsigned char *bytes, size_t n, const char *what)
{
    if (need(in, n))
        return -1;
    if (memcmp(in->p + in->pos, bytes, n) != 0)
        return fail(in, what);
    in->pos += n;
    return 0;
}

/* One byte[] or null. *data NULL for TC_NULL. Tracks object handles to know the "[B" descriptor. */
static int get_array(in_buf *in, uint32_t *next_handle, uint32_t *bytes_handle, const unsigned char **data,
                     size_t *n)
{
    unsigned tc;
    if (get_u8(in, &tc))
        return -1;
    if (tc == TC_NULL) {
        *data = NULL;
        *n = 0;
        return 0;
    }
    if (tc != TC_ARRAY)
        return fail(in, "expected a byte array");
    if (get_u8(in, &tc))
        return -1;
    if (tc == TC_CLASSDESC) {
        in->pos--;
        if (expect(in, bytes_desc, sizeof bytes_desc, "expected the byte[] class descriptor"))
            return -1;
        *bytes_handle = (*next_handle)++;
    } else if (tc == TC_REFERENCE) {
        uint32_t h;
        if (get_u32(in, &h))
            return -1;
        if (h != *bytes_handle)
            return fail(in, "reference to a class other than byte[]");
    } else {
        return fail(in, "expected a class descriptor");
    }
    (*next_handle)++; /* the array object itself */
    uint32_t len;
    if (get_u32(in, &len))
        return -1;
    if (len > KC_OFFSET_MAX_ENTRY_BYTES)
        return fail(in, "byte array too large");
    if (need(in, len))
        return -1;
    *data = in->p + in->pos;
    *n = len;
    in->pos += len;
    return 0;
}

int kc_offset_file_decode(const unsigned char *buf, size_t len, const char *origin, kc_offset_map *m,
                          kc_error *err)
{
    in_buf in = {buf, len, 0, origin, err};
    static const unsigned char magic[] = {0xac, 0xed, 0x00, 0x05, TC_OBJECT};
    if (expect(&in, magic, sizeof magic, "bad stream header"))
        return -1;
    if (expect(&in, hashmap_desc, sizeof hashmap_desc, "Expected HashMap"))
        return -1;
    uint32_t next_handle = 2, bytes_handle = UINT32_MAX; /* 0: HashMap desc, 1: the map */
    next_handle += BASE_HANDLE;
    uint32_t load_factor, threshold, buckets, size;
    unsigned tc, blen;
    if (get_u32(&in, &load_factor) || get_u32(&in, &threshold) || get_u8(&in, &tc) || get_u8(&in, &blen))
        return -1;
    if (tc != TC_BLOCKDATA || blen != 8)
        return fail(&in, "expected the HashMap's bucket count and size");
    if (get_u32(&in, &buckets) || get_u32(&in, &size))
        return -1;
    if (size > (len - in.pos) / 2)
        return fail(&in, "entry count larger than the file");
    for (uint32_t i = 0; i < size; i++) {
        const unsigned char *k, *v;
        size_t kn, vn;
        if (get_array(&in, &next_handle, &bytes_handle, &k, &kn) ||
            get_array(&in, &next_handle, &bytes_handle, &v, &vn))
            return -1;
        if (!k)
            return fail(&in, "null key");
        /* Java keeps key -> null entries; they read as absent, so they are not kept */
        if (v && kc_offset_map_put(m, k, kn, v, vn, err))
            return -1;
    }
    if (get_u8(&in, &tc))
        return -1;
    if (tc != TC_ENDBLOCKDATA)
        return fail(&in, "expected the end of the HashMap");
    if (in.pos != len)
        return fail(&in, "trailing bytes after the HashMap");
    return 0;
}

int kc_offset_file_load(const char *path, kc_offset_map *m, kc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        return kc_error_set(err, KC_ERR_IO, "cannot read offsets file %s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || (uint64_t)st.st_size > KC_OFFSET_FILE_MAX_BYTES) {
        fclose(f);
        return kc_error_set(err, KC_ERR_IO, "offsets file %s is larger than %u bytes", path, KC_OFFSET_FILE_MAX_BYTES);
    }
    size_t n = (size_t)st.st_size;
    unsigned char *buf = malloc(n ? n : 1);
    if (!buf) {
        fclose(f);
        return kc_error_set(err, KC_ERR_INTERNAL, "out of memory");
    }
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    int rc = got == n ? kc_offset_file_decode(buf, n, path, m, err)
                      : kc_error_set(err, KC_ERR_IO, "cannot read offsets file %s", path);
    free(buf);
    return rc;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int kc_offset_file_save(const char *path, const kc_offset_map *m, kc_error *err)
{
    size_t len;
    unsigned char *buf = kc_offset_file_encode(m, &len, err);
    if (!buf)
        return -1;
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        free(buf);
        return kc_error_set(err, KC_ERR_IO, "offsets file path too long: %s", path);
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        free(buf);
        return kc_error_set(err, KC_ERR_IO, "cannot write offsets file %s: %s", tmp, strerror(errno));
    }
    int rc = write_all(fd, buf, len) == 0 && fsync(fd) == 0 ? 0 : -1;
    int saved = errno;
    close(fd);
    free(buf);
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        return kc_error_set(err, KC_ERR_IO, "cannot write offsets file %s: %s", path, strerror(saved));
    }
    /* make the rename itself durable */
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    int dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}
