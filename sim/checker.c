/* checker.c - the five safety properties of the Raft paper's Figure 3,
 * checked incrementally after every batch a node hands back.
 *
 * Each node's log is summarised by a chain hash per index (the hash of the
 * entry and of every entry before it), so "these two logs are identical up
 * to index k" is one comparison.  Work per event is O(entries written +
 * entries newly committed), never a scan of whole logs.
 *
 * Log compaction: a node's log may start after a snapshot.  Its hashes
 * then start at its base (the snapshot's side of the log), whose chain hash
 * is the committed one: a snapshot may only hold committed entries, which
 * is checked when the base moves.  Per-index records below every node's
 * base are dropped, so memory follows the logs in memory, not the run.
 */
#include "sim_internal.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The chain hash of an entry: its term and command, folded into the hash
 * of everything before it. */
static uint64_t entry_hash(uint64_t prev, const struct raft_entry *e)
{
	size_t len = e->len <= RAFT_CMD_MAX ? e->len : RAFT_CMD_MAX;
	/* one multiplication spreads the term; the final mix64 mixes it all */
	uint64_t h = prev ^ ((e->term + 0x9e3779b97f4a7c15ull) * 0xbf58476d1ce4e5b9ull) ^ len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, e->cmd + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	if (i < len) { /* 1..7 bytes: constant-size copies the compiler inlines */
		uint64_t w = 0;
		const char *p = e->cmd + i;
		switch (len - i) {
		case 1: memcpy(&w, p, 1); break;
		case 2: memcpy(&w, p, 2); break;
		case 3: memcpy(&w, p, 3); break;
		case 4: memcpy(&w, p, 4); break;
		case 5: memcpy(&w, p, 5); break;
		case 6: memcpy(&w, p, 6); break;
		default: memcpy(&w, p, 7); break;
		}
		h = (h ^ w) * 0x100000001b3ull;
	}
	return mix64(h);
}

static int grow_u64(uint64_t **a, uint64_t *cap, uint64_t need)
{
	if (need <= *cap)
		return 0;
	uint64_t c = *cap ? *cap : 64;
	while (c < need)
		c *= 2;
	uint64_t *p = realloc(*a, c * sizeof *p);
	if (!p)
		return -1;
	*a = p;
	*cap = c;
	return 0;
}

int sim_checker_init(struct sim_checker *c, uint16_t n)
{
	memset(c, 0, sizeof *c);
	c->n = n;
	c->nodes = calloc((size_t)n + 1, sizeof *c->nodes);
	if (!c->nodes)
		return SIM_ENOMEM;
	for (uint16_t i = 1; i <= n; i++) {
		if (grow_u64(&c->nodes[i].hash, &c->nodes[i].cap, 64) != 0)
			return SIM_ENOMEM;
		c->nodes[i].hash[0] = 0;
	}
	return SIM_OK;
}

/* ---- Windowed per-index records ------------------------------------------ */

static uint64_t *node_hash(const struct sim_checker_node *cn, uint64_t k)
{
	return &cn->hash[k - cn->base];
}

static uint64_t ctd_term(const struct sim_checker *c, uint64_t k)
{
	return c->committed_term[k - c->off];
}

static uint64_t ctd_hash(const struct sim_checker *c, uint64_t k)
{
	return c->committed_hash[k - c->off];
}

static uint64_t ctd_in(const struct sim_checker *c, uint64_t k)
{
	return c->committed_in[k - c->off];
}

/* Drops the records at indices every node has compacted, once they
 * outnumber the live ones (amortised O(1) per index). */
static void window_advance(struct sim_checker *c)
{
	uint64_t lo = UINT64_MAX;
	for (uint16_t i = 1; i <= c->n; i++)
		if (c->nodes[i].base < lo)
			lo = c->nodes[i].base;
	if (lo > c->committed)
		lo = c->committed;
	if (lo > c->first_len)
		lo = c->first_len;
	uint64_t dead = lo - c->off;
	uint64_t top = c->committed > c->first_len ? c->committed : c->first_len;
	if (dead < 1024 || dead < top - lo)
		return;
	uint64_t nf = c->first_len - lo + 1, nc = c->committed - lo + 1;
	memmove(c->first, c->first + dead, nf * sizeof *c->first);
	memmove(c->first_node, c->first_node + dead, nf);
	memmove(c->committed_term, c->committed_term + dead, nc * 8);
	memmove(c->committed_hash, c->committed_hash + dead, nc * 8);
	memmove(c->committed_in, c->committed_in + dead, nc * 8);
	memmove(c->committed_map, c->committed_map + dead, nc * 8);
	memmove(c->committed_cmd, c->committed_cmd + dead, nc * 8);
	c->off = lo;
}

void sim_checker_free(struct sim_checker *c)
{
	if (c->nodes)
		for (uint16_t i = 1; i <= c->n; i++)
			free(c->nodes[i].hash);
	free(c->nodes);
	free(c->leader_of_term);
	free(c->seen);
	free(c->first);
	free(c->first_node);
	free(c->committed_term);
	free(c->committed_hash);
	free(c->committed_in);
	free(c->committed_map);
	free(c->committed_cmd);
	free(c->kv);
	memset(c, 0, sizeof *c);
}

int sim_checker_copy(struct sim_checker *dst, const struct sim_checker *src)
{
	*dst = *src;
	dst->nodes = calloc((size_t)src->n + 1, sizeof *dst->nodes);
	dst->leader_of_term = sim_dup_array(src->leader_of_term, src->leader_of_term_cap, 1);
	dst->seen = sim_dup_array(src->seen, src->seen_cap, sizeof *src->seen);
	dst->first = sim_dup_array(src->first, src->first_cap, sizeof *src->first);
	dst->first_node = sim_dup_array(src->first_node, src->first_cap, 1);
	dst->committed_term = sim_dup_array(src->committed_term, src->committed_cap, 8);
	dst->committed_hash = sim_dup_array(src->committed_hash, src->committed_cap, 8);
	dst->committed_in = sim_dup_array(src->committed_in, src->committed_cap, 8);
	dst->committed_map = sim_dup_array(src->committed_map, src->committed_cap, 8);
	dst->committed_cmd = sim_dup_array(src->committed_cmd, src->committed_cap, 8);
	dst->kv = sim_dup_array(src->kv, src->kv_cap, sizeof *src->kv);
	bool ok = dst->nodes && (!src->leader_of_term || dst->leader_of_term) &&
	          (!src->seen || dst->seen) && (!src->first || dst->first) &&
	          (!src->first_node || dst->first_node) &&
	          (!src->committed_term || dst->committed_term) &&
	          (!src->committed_hash || dst->committed_hash) &&
	          (!src->committed_in || dst->committed_in) &&
	          (!src->committed_map || dst->committed_map) &&
	          (!src->committed_cmd || dst->committed_cmd) && (!src->kv || dst->kv);
	for (uint16_t i = 1; ok && i <= src->n; i++) {
		dst->nodes[i] = src->nodes[i];
		dst->nodes[i].hash = sim_dup_array(src->nodes[i].hash, src->nodes[i].cap, 8);
		ok = dst->nodes[i].hash != NULL;
	}
	if (!ok) {
		if (dst->nodes)
			for (uint16_t i = 1; i <= src->n; i++)
				if (dst->nodes[i].hash == src->nodes[i].hash)
					dst->nodes[i].hash = NULL;
		sim_checker_free(dst);
		return SIM_ENOMEM;
	}
	return SIM_OK;
}

/* ---- The (index, term) -> first chain hash table ---------------------- */

static size_t seen_slot(uint64_t index, uint64_t term, size_t cap)
{
	return (size_t)mix64(index * 0x9e3779b97f4a7c15ull ^ term) & (cap - 1);
}

static int seen_grow(struct sim_checker *c)
{
	size_t cap = c->seen_cap ? c->seen_cap * 2 : 1024;
	struct sim_checker_pair *t = calloc(cap, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < c->seen_cap; i++) {
		struct sim_checker_pair *p = &c->seen[i];
		if (!p->index)
			continue;
		size_t j = seen_slot(p->index, p->term, cap);
		while (t[j].index)
			j = (j + 1) & (cap - 1);
		t[j] = *p;
	}
	free(c->seen);
	c->seen = t;
	c->seen_cap = cap;
	return 0;
}

static const struct sim_checker_pair *seen_table_get(struct sim_checker *c, uint64_t index,
                                               uint64_t term, uint64_t hash, uint8_t node)
{
	if ((c->seen_n + 1) * 4 > c->seen_cap * 3 && seen_grow(c) != 0)
		return NULL;
	size_t j = seen_slot(index, term, c->seen_cap);
	while (c->seen[j].index) {
		if (c->seen[j].index == index && c->seen[j].term == term)
			return &c->seen[j];
		j = (j + 1) & (c->seen_cap - 1);
	}
	c->seen[j] = (struct sim_checker_pair){index, term, hash, node};
	c->seen_n++;
	return &c->seen[j];
}

/* Checks (index, term, hash) against the first hash seen for that index and
 * term, recording it if new.  Returns 0 if consistent, the node that first
 * wrote a different history there, or -1 on allocation failure.  Almost
 * every index only ever holds one term, so the first one lives in dense
 * arrays (written in index order: only the used part is touched); other
 * terms go to the table. */
static int seen_check(struct sim_checker *c, uint64_t index, uint64_t term, uint64_t hash,
                      uint8_t node)
{
	uint64_t at = index - c->off; /* index > every node's base >= off */
	if (at >= c->first_cap) {
		uint64_t cap = c->first_cap ? c->first_cap : 1024;
		while (cap <= at)
			cap *= 2;
		struct sim_checker_first *f = realloc(c->first, cap * sizeof *f);
		if (!f)
			return -1;
		c->first = f;
		uint8_t *fn = realloc(c->first_node, cap);
		if (!fn)
			return -1;
		c->first_node = fn;
		c->first_cap = cap;
	}
	if (index > c->first_len) {
		memset(c->first + (c->first_len - c->off) + 1, 0,
		       (index - c->first_len) * sizeof *c->first);
		c->first_len = index;
	}
	struct sim_checker_first *f = &c->first[at];
	if (!f->term) {
		f->term = term;
		f->hash = hash;
		c->first_node[at] = node;
		return 0;
	}
	if (f->term == term)
		return f->hash == hash ? 0 : c->first_node[at];
	const struct sim_checker_pair *p = seen_table_get(c, index, term, hash, node);
	if (!p)
		return -1;
	return p->hash == hash ? 0 : p->node;
}

/* ---- Reports -------------------------------------------------------------- */

static void cmd_str(const struct raft_entry *e, char *buf, size_t cap)
{
	if (!e) {
		snprintf(buf, cap, _("missing"));
		return;
	}
	snprintf(buf, cap, "%.*s", (int)e->len, e->cmd);
}

static bool report(struct sim_violation *v, const char *invariant, uint8_t a, uint8_t b,
                   uint64_t index, uint64_t term)
{
	memset(v, 0, sizeof *v);
	v->invariant = invariant;
	v->node_a = a;
	v->node_b = b;
	v->index = index;
	v->term = term;
	return true;
}

/* First index k in base+1..upto where node's log differs from the
 * committed one (its snapshot, up to base, is committed). */
static uint64_t first_committed_mismatch(const struct sim_checker *c,
                                         const struct sim_checker_node *cn, uint64_t upto)
{
	uint64_t lo = cn->base + 1, hi = upto; /* the answer is in [lo, hi] */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (mid <= cn->len && *node_hash(cn, mid) == ctd_hash(c, mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool leader_has(const struct sim_checker *c, const struct sim_checker_node *cn,
                       uint64_t k)
{
	return k <= cn->base || (k <= cn->len && *node_hash(cn, k) == ctd_hash(c, k));
}

/* Leader Completeness for a node that just became leader of `term`: it holds
 * every entry committed in an earlier term.  Commit terms grow with index,
 * so only the last such index needs comparing. */
static bool check_new_leader(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                             uint64_t term, struct sim_violation *v)
{
	/* largest k with committed_in[k] < term; below off every node holds
	 * the committed entries in its snapshot, so off will do */
	uint64_t lo = c->off, hi = c->committed;
	while (lo < hi) {
		uint64_t mid = hi - (hi - lo) / 2;
		if (ctd_in(c, mid) < term)
			lo = mid;
		else
			hi = mid - 1;
	}
	const struct sim_checker_node *cn = &c->nodes[id];
	if (leader_has(c, cn, lo))
		return false;
	uint64_t k = first_committed_mismatch(c, cn, lo);
	report(v, "Leader Completeness", id, 0, k, term);
	char have[40];
	cmd_str(raft_entry_at(n, k), have, sizeof have);
	snprintf(v->detail, sizeof v->detail,
	         _("n%u became leader of term %llu without committed entry %llu (term %llu); its "
	         "entry %llu is %s"),
	         id, (unsigned long long)term, (unsigned long long)k,
	         (unsigned long long)ctd_term(c, k), (unsigned long long)k, have);
	return true;
}

static void leaders_remove(struct sim_checker *c, uint8_t id)
{
	for (uint16_t i = 0; i < c->n_leaders; i++)
		if (c->leaders[i] == id) {
			c->leaders[i] = c->leaders[--c->n_leaders];
			return;
		}
}

void sim_checker_crash(struct sim_checker *c, uint8_t id)
{
	if (c->nodes[id].role == RAFT_LEADER)
		leaders_remove(c, id);
	c->nodes[id].role = RAFT_FOLLOWER;
	/* The node boots from its disk, which may hold an older log than its
	 * memory did (a truncating write lost in the crash): its whole log is
	 * hashed again when it is next observed. */
	c->nodes[id].len = c->nodes[id].base;
	c->nodes[id].down = true;
}

/* Out of memory is not a violation: the checker can no longer vouch for
 * the run, so it says so (c->oom) and the simulator stops as out of memory. */
static bool oom(struct sim_checker *c, struct sim_violation *v)
{
	c->oom = true;
	memset(v, 0, sizeof *v);
	return true;
}

/* The node's log now starts after base: it compacted its log or installed
 * a snapshot.  A snapshot holds applied, hence committed, entries only:
 * the entry at base must be the committed one.  If the node still holds
 * the committed entry there, its hashes after it stay; otherwise (a
 * snapshot replaced its log) they start again from the committed hash. */
static bool observe_base(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                         uint64_t base, struct sim_violation *v)
{
	struct sim_checker_node *cn = &c->nodes[id];
	uint64_t term = raft_term_at(n, base);
	if (base < cn->base || base > c->committed || base < c->off) {
		report(v, "State Machine Safety", id, 0, base, term);
		snprintf(v->detail, sizeof v->detail,
		         _("n%u's snapshot reaches index %llu (term %llu), but only %llu entries "
		         "are committed"),
		         id, (unsigned long long)base, (unsigned long long)term,
		         (unsigned long long)c->committed);
		return true;
	}
	if (base <= cn->len && *node_hash(cn, base) == ctd_hash(c, base)) {
		uint64_t drop = base - cn->base;
		memmove(cn->hash, cn->hash + drop, (cn->len - base + 1) * sizeof *cn->hash);
		cn->base = base;
	} else {
		if (term != ctd_term(c, base)) {
			report(v, "State Machine Safety", id, 0, base, term);
			snprintf(v->detail, sizeof v->detail,
			         _("n%u holds a snapshot up to index %llu with term %llu, but index %llu "
			         "was committed with term %llu"),
			         id, (unsigned long long)base, (unsigned long long)term,
			         (unsigned long long)base, (unsigned long long)ctd_term(c, base));
			return true;
		}
		cn->base = cn->len = base;
		cn->hash[0] = ctd_hash(c, base);
	}
	if (cn->commit < base)
		cn->commit = base;
	window_advance(c);
	return false;
}

/* Log writes: rehash what changed and check Log Matching and Leader
 * Append-Only. */
static bool observe_log(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                        const struct raft_ready *rd, struct sim_violation *v)
{
	struct sim_checker_node *cn = &c->nodes[id];
	uint64_t base = raft_log_first(n) - 1;
	if (base != cn->base && observe_base(c, id, n, base, v))
		return true;
	uint64_t last = raft_last_index(n);
	uint64_t from = cn->len + 1;
	if (rd && rd->persist_from && rd->persist_from < from)
		from = rd->persist_from;
	if (last < cn->len || (rd && rd->truncated)) {
		if (cn->role == RAFT_LEADER && raft_role(n) == RAFT_LEADER &&
		    cn->term == raft_term(n)) {
			uint64_t k = last < cn->len ? last + 1 : rd->persist_from;
			report(v, "Leader Append-Only", id, 0, k, cn->term);
			snprintf(v->detail, sizeof v->detail,
			         _("n%u, leader of term %llu, deleted its entries from index %llu on"),
			         id, (unsigned long long)cn->term, (unsigned long long)k);
			return true;
		}
	}
	if (last < from) {
		cn->len = last;
		return false;
	}
	if (grow_u64(&cn->hash, &cn->cap, last - cn->base + 1) != 0)
		return oom(c, v);
	const struct raft_entry *e = raft_entry_at(n, from); /* contiguous */
	uint64_t *hp = node_hash(cn, from);
	for (uint64_t k = from; k <= last; k++, e++, hp++) {
		uint64_t h = entry_hash(hp[-1], e);
		*hp = h;
		int other = seen_check(c, k, e->term, h, id);
		if (other < 0)
			return oom(c, v);
		if (other) {
			report(v, "Log Matching", (uint8_t)other, id, k, e->term);
			if (other == id)
				snprintf(v->detail, sizeof v->detail,
				         _("n%u still holds its entry at index %llu with term %llu, but the "
				         "entries before it changed: it no longer matches the log it was "
				         "copied from"),
				         id, (unsigned long long)k, (unsigned long long)e->term);
			else
				snprintf(v->detail, sizeof v->detail,
				         _("n%d and n%u both hold an entry at index %llu with term %llu, "
				         "but their logs differ up to it"),
				         other, id, (unsigned long long)k, (unsigned long long)e->term);
			cn->len = k;
			return true;
		}
	}
	cn->len = last;
	return false;
}

/* Roles: Election Safety and Leader Completeness. */
static bool observe_role(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                         struct sim_violation *v)
{
	struct sim_checker_node *cn = &c->nodes[id];
	enum raft_role role = raft_role(n);
	uint64_t term = raft_term(n);
	bool was_leader = cn->role == RAFT_LEADER;
	bool new_leader = role == RAFT_LEADER && !(was_leader && cn->term == term);
	if (was_leader && role != RAFT_LEADER)
		leaders_remove(c, id);
	cn->role = (uint8_t)role;
	cn->term = term;
	if (!new_leader)
		return false;
	if (!was_leader)
		c->leaders[c->n_leaders++] = id;
	if (term >= c->leader_of_term_cap) {
		size_t cap = c->leader_of_term_cap ? c->leader_of_term_cap : 64;
		while (cap <= term)
			cap *= 2;
		uint8_t *t = realloc(c->leader_of_term, cap);
		if (!t)
			return oom(c, v);
		memset(t + c->leader_of_term_cap, 0, cap - c->leader_of_term_cap);
		c->leader_of_term = t;
		c->leader_of_term_cap = cap;
	}
	uint8_t other = c->leader_of_term[term];
	if (other && other != id) {
		report(v, "Election Safety", other, id, 0, term);
		snprintf(v->detail, sizeof v->detail, _("n%u and n%u are both leaders of term %llu"),
		         other, id, (unsigned long long)term);
		return true;
	}
	c->leader_of_term[term] = id;
	return check_new_leader(c, id, n, term, v);
}

/* A leader's matchIndex for a peer must be true: the peer (as last
 * observed, ever observed, in no later term, and up) holds the leader's entry at that
 * index, same chain hash; below the peer's snapshot it is committed.
 * O(nodes) per leader batch. */
static bool observe_match(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                          struct sim_violation *v)
{
	if (raft_role(n) != RAFT_LEADER)
		return false;
	const struct sim_checker_node *cn = &c->nodes[id];
	uint64_t term = raft_term(n);
	for (uint16_t p = 1; p <= c->n; p++) {
		const struct sim_checker_node *pn = &c->nodes[p];
		uint64_t m = raft_match_index(n, (uint8_t)p);
		if (p == id || m == 0 || !pn->seen || pn->down || pn->term > term || m <= pn->base)
			continue;
		bool held = m <= pn->len;
		if (held && m >= cn->base && m <= cn->len &&
		    *node_hash(pn, m) == *node_hash(cn, m))
			continue;
		if (held && (m < cn->base || m > cn->len))
			continue;
		report(v, "Match Index", id, (uint8_t)p, m, term);
		snprintf(v->detail, sizeof v->detail,
		         _("n%u, leader of term %llu, counts n%u as matching its log up to index %llu, "
		         "but n%u %s"),
		         id, (unsigned long long)term, p, (unsigned long long)m, p,
		         held ? _("holds another entry there") : _("does not hold that index"));
		return true;
	}
	return false;
}

/* Commits: State Machine Safety (no two nodes commit, hence apply,
 * different entries at one index) and Leader Completeness for the leaders
 * that already exist. */
/* ---- The committed history's state machine ---------------------------- */

/* The hash of a command ("KEY=VALUE" and its length; not the term), and
 * of its key alone (never 0).  The command and its length byte are four
 * 8-byte words after the term; bytes past the length are masked off, so a
 * hash costs four multiplications and one mix (snapshots hash every key). */
static uint64_t bytes_hash(const struct raft_entry *e, size_t len)
{
	unsigned char b[32] = {0};
	b[0] = (unsigned char)len;
	memcpy(b + 1, e->cmd, len);
	uint64_t w[4];
	memcpy(w, b, sizeof w);
	return mix64(w[0] * 0x9e3779b97f4a7c15ull + w[1] * 0xc2b2ae3d27d4eb4full +
	             w[2] * 0x165667b19e3779f9ull + w[3] * 0xd6e8feb86659fd93ull);
}

static uint64_t cmd_hash(const struct raft_entry *e)
{
	return bytes_hash(e, e->len <= RAFT_CMD_MAX ? e->len : RAFT_CMD_MAX);
}

/* The hash of a command (as cmd_hash()) and of its key alone (never 0),
 * from one copy of its bytes: the key's are the command's with the bytes
 * after the key cleared and its length in byte 0. */
static void cmd_and_key_hash(const struct raft_entry *e, uint64_t *cmd, uint64_t *key)
{
	size_t len = e->len <= RAFT_CMD_MAX ? e->len : RAFT_CMD_MAX;
	unsigned char b[32] = {0};
	b[0] = (unsigned char)len;
	memcpy(b + 1, e->cmd, len);
	uint64_t w[4];
	memcpy(w, b, sizeof w);
	*cmd = mix64(w[0] * 0x9e3779b97f4a7c15ull + w[1] * 0xc2b2ae3d27d4eb4full +
	             w[2] * 0x165667b19e3779f9ull + w[3] * 0xd6e8feb86659fd93ull);
	const char *eq = memchr(e->cmd, '=', len);
	size_t klen = eq ? (size_t)(eq - e->cmd) : len;
	b[0] = (unsigned char)klen;
	memset(b + 1 + klen, 0, sizeof b - 1 - klen);
	memcpy(w, b, sizeof w);
	*key = (mix64(w[0] * 0x9e3779b97f4a7c15ull + w[1] * 0xc2b2ae3d27d4eb4full +
	              w[2] * 0x165667b19e3779f9ull + w[3] * 0xd6e8feb86659fd93ull) ^
	        0x5bd1e9955bd1e995ull) |
	       1u;
}

static int kv_grow(struct sim_checker *c)
{
	size_t cap = c->kv_cap ? c->kv_cap * 2 : 64;
	struct sim_checker_kv *t = calloc(cap, sizeof *t);
	if (!t)
		return -1;
	for (size_t i = 0; i < c->kv_cap; i++) {
		if (!c->kv[i].key)
			continue;
		size_t j = (size_t)c->kv[i].key & (cap - 1);
		while (t[j].key)
			j = (j + 1) & (cap - 1);
		t[j] = c->kv[i];
	}
	free(c->kv);
	c->kv = t;
	c->kv_cap = cap;
	return 0;
}

/* Applies committed entry e (NULL: not seen) to the history's map; *cmd
 * gets the command's hash (0 for none). */
static int map_apply(struct sim_checker *c, const struct raft_entry *e, uint64_t *cmd)
{
	*cmd = 0;
	if (!e) {
		c->map_unknown = true;
		return 0;
	}
	if (e->type != RAFT_ENTRY_COMMAND)
		return 0; /* a read through the log (or a no-op): the map does not change */
	if ((c->kv_n + 1) * 4 > c->kv_cap * 3 && kv_grow(c) != 0)
		return -1;
	uint64_t key, h;
	cmd_and_key_hash(e, &h, &key);
	size_t j = (size_t)key & (c->kv_cap - 1);
	while (c->kv[j].key && c->kv[j].key != key)
		j = (j + 1) & (c->kv_cap - 1);
	if (c->kv[j].key) {
		c->map_hash -= c->kv[j].cmd;
	} else {
		c->kv[j].key = key;
		c->kv_n++;
	}
	c->kv[j].cmd = h;
	c->map_hash += h;
	*cmd = h;
	return 0;
}

/* The same hash over a map given as one entry per key. */
static uint64_t entries_map_hash(const struct raft_entry *e, size_t n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].type == RAFT_ENTRY_COMMAND) /* not the configuration it carries */
			h += cmd_hash(&e[i]);
	return h;
}

static uint64_t node_map_hash(const struct raft_node *n)
{
	uint64_t h = 0;
	for (size_t i = 0; i < raft_map_capacity(n); i++) {
		const struct raft_entry *e = raft_map_at(n, i);
		if (e)
			h += cmd_hash(e);
	}
	return h;
}

/* At a snapshot (taken or installed), the snapshot's contents and the
 * node's map must both be the committed history's state machine at their
 * index: compared as map hashes, O(keys), paid once per snapshot. */
static bool observe_state_machine(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                                  const struct raft_ready *rd, struct sim_violation *v)
{
	if (!rd || !rd->snapshot_index || c->map_unknown)
		return false;
	/* Every installed snapshot; of the ones a node takes itself, the
	 * first and then every SIM_CHECK_SNAPSHOT_EVERY-th (hashing every key
	 * at every compaction would cost a third of a steady run). */
	struct sim_checker_node *cn = &c->nodes[id];
	if (!rd->snapshot_installed && cn->snapshots++ % SIM_CHECK_SNAPSHOT_EVERY != 0)
		return false;
	uint64_t k = rd->snapshot_index;
	if (k >= c->off && k <= c->committed &&
	    entries_map_hash(raft_snapshot_entries(n), raft_snapshot_count(n)) !=
	        c->committed_map[k - c->off]) {
		report(v, "State Machine Safety", id, 0, k, rd->snapshot_term);
		snprintf(v->detail, sizeof v->detail,
		         _("n%u's snapshot at index %llu (%zu keys) is not the state of the committed "
		         "history at that index"),
		         id, (unsigned long long)k, raft_snapshot_count(n));
		return true;
	}
	/* a snapshot taken is a copy of the map, compared above; an installed
	 * one must also have replaced the map (Figure 13, step 8) */
	if (!rd->snapshot_installed)
		return false;
	k = raft_last_applied(n);
	if (k >= c->off && k <= c->committed && node_map_hash(n) != c->committed_map[k - c->off]) {
		report(v, "State Machine Safety", id, 0, k, 0);
		snprintf(v->detail, sizeof v->detail,
		         _("n%u's key-value map (%zu keys) after applying index %llu is not the "
		         "state of the committed history at that index"),
		         id, raft_map_count(n), (unsigned long long)k);
		return true;
	}
	return false;
}

static bool observe_commit(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                           const struct raft_ready *rd, struct sim_violation *v)
{
	struct sim_checker_node *cn = &c->nodes[id];
	uint64_t commit = raft_commit_index(n);
	if (commit < cn->commit)
		cn->commit = commit; /* restarted: it re-learns */
	if (commit > c->committed) {
		uint64_t need = commit - c->off + 1, cap = c->committed_cap;
		if (grow_u64(&c->committed_term, &cap, need) != 0)
			return oom(c, v);
		cap = c->committed_cap;
		if (grow_u64(&c->committed_hash, &cap, need) != 0)
			return oom(c, v);
		cap = c->committed_cap;
		if (grow_u64(&c->committed_in, &cap, need) != 0)
			return oom(c, v);
		cap = c->committed_cap;
		if (grow_u64(&c->committed_map, &cap, need) != 0)
			return oom(c, v);
		cap = c->committed_cap;
		if (grow_u64(&c->committed_cmd, &cap, need) != 0)
			return oom(c, v);
		c->committed_cap = cap;
		if (c->off == 0)
			c->committed_term[0] = c->committed_hash[0] = c->committed_in[0] =
			    c->committed_map[0] = c->committed_cmd[0] = 0;
	}
	for (uint64_t k = cn->commit + 1; k <= commit; k++) {
		if (k > cn->len) {
			report(v, "State Machine Safety", id, 0, k, 0);
			snprintf(v->detail, sizeof v->detail,
			         _("n%u commits index %llu beyond its log (last %llu)"), id,
			         (unsigned long long)k, (unsigned long long)cn->len);
			return true;
		}
		if (k <= c->committed) {
			if (*node_hash(cn, k) == ctd_hash(c, k))
				continue;
			const struct raft_entry *e = raft_entry_at(n, k);
			char have[40];
			cmd_str(e, have, sizeof have);
			report(v, "State Machine Safety", id, 0, k, e->term);
			snprintf(v->detail, sizeof v->detail,
			         _("n%u commits index %llu as %s (term %llu), but index %llu was "
			         "already committed with term %llu and a different history"),
			         id, (unsigned long long)k, have, (unsigned long long)e->term,
			         (unsigned long long)k, (unsigned long long)ctd_term(c, k));
			cn->commit = k - 1;
			return true;
		}
		uint64_t term = raft_term_at(n, k);
		c->committed_term[k - c->off] = term;
		c->committed_hash[k - c->off] = *node_hash(cn, k);
		c->committed_in[k - c->off] = raft_term(n);
		if (map_apply(c, raft_entry_at(n, k), &c->committed_cmd[k - c->off]) != 0)
			return oom(c, v);
		c->committed_map[k - c->off] = c->map_hash;
		c->committed = k;
		for (uint16_t i = 0; i < c->n_leaders; i++) {
			uint8_t l = c->leaders[i];
			const struct sim_checker_node *ln = &c->nodes[l];
			if (ln->term <= ctd_in(c, k) || leader_has(c, ln, k))
				continue;
			report(v, "Leader Completeness", l, id, k, ln->term);
			snprintf(v->detail, sizeof v->detail,
			         _("entry %llu (term %llu) was committed in term %llu, but n%u, leader "
			         "of later term %llu, does not hold it"),
			         (unsigned long long)k, (unsigned long long)term,
			         (unsigned long long)ctd_in(c, k), l,
			         (unsigned long long)ln->term);
			return true;
		}
	}
	cn->commit = commit;
	if (rd && rd->apply_to > commit) {
		report(v, "State Machine Safety", id, 0, rd->apply_to, 0);
		snprintf(v->detail, sizeof v->detail,
		         _("n%u applied index %llu before committing it (commit %llu)"), id,
		         (unsigned long long)rd->apply_to, (unsigned long long)commit);
		return true;
	}
	return false;
}

bool sim_checker_observe(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                         const struct raft_ready *rd, struct sim_violation *v)
{
	c->nodes[id].down = false;
	c->nodes[id].seen = true;
	return observe_log(c, id, n, rd, v) || observe_role(c, id, n, v) ||
	       observe_match(c, id, n, v) ||
	       observe_commit(c, id, n, rd, v) || observe_state_machine(c, id, n, rd, v);
}

bool sim_checker_acked(const struct sim_checker *c, uint8_t id, const struct raft_node *n,
                       uint64_t index, const char *cmd, size_t len, struct sim_violation *v)
{
	(void)n;
	struct raft_entry e = {.len = (uint8_t)(len <= RAFT_CMD_MAX ? len : RAFT_CMD_MAX)};
	memcpy(e.cmd, cmd, e.len);
	const char *why = NULL;
	if (index > c->committed)
		why = _("the index is not committed");
	else if (index >= c->off && index > 0 && c->committed_cmd[index - c->off] &&
	         c->committed_cmd[index - c->off] != cmd_hash(&e))
		why = _("the committed history holds another command there");
	if (!why)
		return false;
	report(v, "Acknowledged Writes", id, 0, index, 0);
	snprintf(v->detail, sizeof v->detail,
	         _("n%u told a client that %.*s is committed at index %llu, but %s"), id, (int)len,
	         cmd, (unsigned long long)index, why);
	return true;
}
