/* Record lists and task configuration lists; see connector.h. */
#include "connector.h"

#include <stdlib.h>

int kc_record_list_add(kc_record_list *l, kc_record *r)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        kc_record **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown) {
            kc_record_free(r);
            return -1;
        }
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->count++] = r;
    return 0;
}

void kc_record_list_clear(kc_record_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        kc_record_free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = l->cap = 0;
}

void kc_task_configs_clear(kc_task_configs *c)
{
    for (size_t i = 0; i < c->count; i++)
        kc_props_free(c->items[i]);
    free(c->items);
    c->items = NULL;
    c->count = 0;
}

int kc_task_configs_add(kc_task_configs *c, kc_props *props)
{
    kc_props **grown = realloc(c->items, (c->count + 1) * sizeof *grown);
    if (!grown) {
        kc_props_free(props);
        return -1;
    }
    c->items = grown;
    c->items[c->count++] = props;
    return 0;
}
