/* quorum.c - the configuration (who votes) and the quorum arithmetic over it, as etcd-io/raft's tracker and quorum packages and cowsql's configuration.c: elections, the commit rule and CheckQuorum count voters here, never 1..n_nodes. */
#include "raft_internal.h"

#include <assert.h>
#include <string.h>

void raft_conf_init(struct raft_conf *c, uint8_t n_voters)
{
	memset(c, 0, sizeof *c);
	for (unsigned id = 1; id <= n_voters; id++) {
		c->voters[c->n_voters++] = (uint8_t)id;
		c->members[c->n_members++] = (uint8_t)id;
		c->voter_bits[id / 64] |= (uint64_t)1 << (id % 64);
	}
}

void raft_conf_from_bits(struct raft_conf *c, const uint64_t *voters, const uint64_t *learners)
{
	uint64_t v[4], l[4];
	memcpy(v, voters, sizeof v);
	memcpy(l, learners, sizeof l);
	memset(c, 0, sizeof *c);
	for (unsigned id = 1; id < 256; id++) {
		uint64_t bit = (uint64_t)1 << (id % 64);
		if (v[id / 64] & bit) {
			c->voter_bits[id / 64] |= bit;
			c->voters[c->n_voters++] = (uint8_t)id;
			c->members[c->n_members++] = (uint8_t)id;
		} else if (l[id / 64] & bit) {
			c->learner_bits[id / 64] |= bit;
			c->members[c->n_members++] = (uint8_t)id;
		}
	}
}

/* The payload: the number of voters, then the voters' ids, then the
 * learners' ids, each list ascending (one byte per id). */
void raft_conf_encode(const struct raft_conf *c, uint64_t term, struct raft_entry *e)
{
	assert(c->n_members <= RAFT_CONF_MEMBERS_MAX);
	memset(e, 0, sizeof *e);
	e->term = term;
	e->type = RAFT_ENTRY_CONFIG;
	size_t k = 0;
	e->cmd[k++] = (char)c->n_voters;
	for (unsigned i = 0; i < c->n_voters; i++)
		e->cmd[k++] = (char)c->voters[i];
	for (unsigned i = 0; i < c->n_members; i++)
		if (!raft_conf_is_voter(c, c->members[i]))
			e->cmd[k++] = (char)c->members[i];
	e->len = (uint8_t)k;
}

int raft_conf_decode(const struct raft_entry *e, uint8_t max_id, struct raft_conf *c)
{
	if (e->type != RAFT_ENTRY_CONFIG || e->len < 2 || e->len > RAFT_CMD_MAX)
		return RAFT_EINVAL;
	const unsigned char *b = (const unsigned char *)e->cmd;
	unsigned nv = b[0];
	if (nv < 1 || nv + 1u > e->len)
		return RAFT_EINVAL;
	uint64_t v[4] = {0}, l[4] = {0};
	for (unsigned i = 1; i < e->len; i++) {
		unsigned id = b[i];
		uint64_t bit = (uint64_t)1 << (id % 64);
		if (id < 1 || id > max_id || (v[id / 64] & bit) || (l[id / 64] & bit))
			return RAFT_EINVAL;
		if (i <= nv)
			v[id / 64] |= bit;
		else
			l[id / 64] |= bit;
	}
	raft_conf_from_bits(c, v, l);
	return RAFT_OK;
}

unsigned raft_quorum(const struct raft_conf *c)
{
	return c->n_voters / 2u + 1u;
}

bool raft_quorum_has(const struct raft_conf *c, const uint64_t *granted)
{
	unsigned k = 0;
	for (unsigned i = 0; i < c->n_voters; i++) {
		uint8_t id = c->voters[i];
		k += (granted[id / 64] >> (id % 64)) & 1u;
	}
	return k >= raft_quorum(c);
}

/* The k-th largest (1 <= k <= len) of a[0..len); reorders a. */
static uint64_t kth_largest(uint64_t *a, size_t len, size_t k)
{
	size_t lo = 0, hi = len - 1, want = k - 1;
	for (;;) {
		if (lo == hi)
			return a[lo];
		uint64_t pivot = a[lo + (hi - lo) / 2];
		/* a[lo..lt) > pivot, a[lt..i) == pivot, a[gt..hi] < pivot */
		size_t lt = lo, i = lo, gt = hi + 1;
		while (i < gt) {
			uint64_t v = a[i];
			if (v > pivot) {
				a[i++] = a[lt];
				a[lt++] = v;
			} else if (v < pivot) {
				a[i] = a[--gt];
				a[gt] = v;
			} else {
				i++;
			}
		}
		if (want < lt)
			hi = lt - 1;
		else if (want >= gt)
			lo = gt;
		else
			return pivot;
	}
}

uint64_t raft_quorum_match(const struct raft_conf *c, const struct raft_peer *peers,
                           uint64_t *scratch)
{
	assert(c->n_voters > 0);
	for (unsigned i = 0; i < c->n_voters; i++)
		scratch[i] = peers[c->voters[i]].match;
	return kth_largest(scratch, c->n_voters, raft_quorum(c));
}
