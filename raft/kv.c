/* kv.c - the state machine: "KEY=VALUE" commands applied to a hash map. */
#include "raft_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int raft_cmd_check(const char *cmd, size_t len)
{
	if (cmd == NULL || len < 2 || len > RAFT_CMD_MAX)
		return RAFT_EINVAL;
	if (memchr(cmd, '\0', len) != NULL || memchr(cmd, '\n', len) != NULL)
		return RAFT_EINVAL;
	const char *eq = memchr(cmd, '=', len);
	if (eq == NULL || eq == cmd)
		return RAFT_EINVAL; /* no '=' or an empty KEY */
	return RAFT_OK;
}

static size_t entry_len(const struct raft_entry *e)
{
	return e->len <= RAFT_CMD_MAX ? e->len : RAFT_CMD_MAX;
}

size_t raft_cmd_key_len(const struct raft_entry *e)
{
	size_t len = entry_len(e);
	const char *eq = memchr(e->cmd, '=', len);
	return eq != NULL ? (size_t)(eq - e->cmd) : len;
}

/* FNV-1a over a key. */
static uint64_t key_hash(const char *key, size_t klen)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < klen; i++) {
		h ^= (unsigned char)key[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The slot holding key (which has no '=') with hash h, or the empty slot
 * where it would go (the table is never full).  A slot's key is its command
 * up to the first '=', so "same hash, cmd starts with key '='" matches. */
static size_t kv_slot(const struct raft_kv *kv, const char *key, size_t klen, uint64_t h)
{
	size_t mask = kv->cap - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		const struct raft_entry *s = &kv->slots[i];
		if (s->len == 0)
			return i;
		if (kv->hashes[i] != h)
			continue;
		size_t len = entry_len(s), k = 0;
		if (klen < len ? s->cmd[klen] != '=' : klen != len)
			continue;
		while (k < klen && s->cmd[k] == key[k]) /* keys are short: no call */
			k++;
		if (k == klen)
			return i;
	}
}

static int kv_grow(struct raft_kv *kv)
{
	size_t cap = kv->cap ? kv->cap * 2 : 16;
	if (cap > SIZE_MAX / sizeof(struct raft_entry))
		return RAFT_ENOMEM;
	struct raft_entry *slots = calloc(cap, sizeof *slots);
	uint64_t *hashes = calloc(cap, sizeof *hashes);
	if (slots == NULL || hashes == NULL) {
		free(slots);
		free(hashes);
		return RAFT_ENOMEM;
	}
	struct raft_kv old = *kv;
	kv->slots = slots;
	kv->hashes = hashes;
	kv->cap = cap;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.slots[i].len == 0)
			continue;
		size_t j = (size_t)old.hashes[i] & (cap - 1);
		while (slots[j].len != 0)
			j = (j + 1) & (cap - 1);
		slots[j] = old.slots[i];
		hashes[j] = old.hashes[i];
	}
	free(old.slots);
	free(old.hashes);
	return RAFT_OK;
}

/* Applying "k=v" sets map[k] = v: the slot keeps the entry itself. */
int raft_kv_set(struct raft_kv *kv, const struct raft_entry *e)
{
	if (e->len == 0 || e->type != RAFT_ENTRY_COMMAND)
		return RAFT_OK; /* not a command (a read, a no-op): nothing to apply */
	if ((kv->count + 1) * 4 > kv->cap * 3) { /* load factor <= 3/4 */
		int rv = kv_grow(kv);
		if (rv != RAFT_OK)
			return rv;
	}
	/* the key's length and hash in one pass */
	size_t len = entry_len(e), klen = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	for (; klen < len && e->cmd[klen] != '='; klen++) {
		h ^= (unsigned char)e->cmd[klen];
		h *= 0x100000001b3ull;
	}
	size_t i = kv_slot(kv, e->cmd, klen, h);
	if (kv->slots[i].len == 0)
		kv->count++;
	kv->slots[i] = *e;
	kv->slots[i].len = (uint8_t)len;
	kv->hashes[i] = h;
	return RAFT_OK;
}

/* From Figure 2 (All Servers): "If commitIndex > lastApplied: increment
 * lastApplied, apply log[lastApplied] to state machine (section 5.3)."
 * Only entries already on this node's disk are applied, so a restart
 * never forgets an applied entry. */
void raft_apply(struct raft_node *n)
{
	uint64_t to = n->commit < n->persisted ? n->commit : n->persisted;
	while (n->applied < to) {
		const struct raft_entry *e = raft_log_at(n, n->applied + 1);
		if (e->type == RAFT_ENTRY_COMMAND && raft_kv_set(&n->kv, e) != RAFT_OK) {
			n->oom = true; /* the driver is told; retried on the next advance */
			return;
		}
		n->applied++;
	}
}

void raft_kv_clear(struct raft_kv *kv)
{
	if (kv->cap > 0)
		memset(kv->slots, 0, kv->cap * sizeof *kv->slots);
	kv->count = 0; /* (hashes of empty slots are never read) */
}

int raft_kv_copy(struct raft_kv *dst, const struct raft_kv *src)
{
	dst->slots = NULL;
	dst->hashes = NULL;
	dst->cap = 0;
	dst->count = 0;
	if (src->cap == 0)
		return RAFT_OK;
	dst->slots = malloc(src->cap * sizeof *src->slots);
	dst->hashes = malloc(src->cap * sizeof *src->hashes);
	if (dst->slots == NULL || dst->hashes == NULL) {
		free(dst->slots);
		free(dst->hashes);
		dst->slots = NULL;
		dst->hashes = NULL;
		return RAFT_ENOMEM;
	}
	memcpy(dst->slots, src->slots, src->cap * sizeof *src->slots);
	memcpy(dst->hashes, src->hashes, src->cap * sizeof *src->hashes);
	dst->cap = src->cap;
	dst->count = src->count;
	return RAFT_OK;
}

void raft_kv_free(struct raft_kv *kv)
{
	free(kv->slots);
	free(kv->hashes);
	kv->slots = NULL;
	kv->hashes = NULL;
	kv->cap = 0;
	kv->count = 0;
}

/* ---- The map, read-only ------------------------------------------------- */

const char *raft_map_get(const struct raft_node *n, const char *key, size_t klen, size_t *vlen)
{
	const struct raft_kv *kv = &n->kv;
	if (kv->cap == 0 || key == NULL || klen == 0 || klen > RAFT_CMD_MAX ||
	    memchr(key, '=', klen) != NULL)
		return NULL;
	const struct raft_entry *s = &kv->slots[kv_slot(kv, key, klen, key_hash(key, klen))];
	if (s->len == 0)
		return NULL;
	size_t len = entry_len(s);
	size_t skip = klen < len ? klen + 1 : len; /* past the '=' */
	if (vlen != NULL)
		*vlen = len - skip;
	return s->cmd + skip;
}

size_t raft_map_count(const struct raft_node *n) { return n->kv.count; }
size_t raft_map_capacity(const struct raft_node *n) { return n->kv.cap; }

const struct raft_entry *raft_map_at(const struct raft_node *n, size_t i)
{
	if (i >= n->kv.cap || n->kv.slots[i].len == 0)
		return NULL;
	return &n->kv.slots[i];
}
