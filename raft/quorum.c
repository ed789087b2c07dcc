/* quorum.c - the configuration (who votes) and the quorum arithmetic over it, as etcd-io/raft's tracker and quorum packages and cowsql's configuration.c: elections, the commit rule and CheckQuorum count voters here, never 1..n_nodes. */
#include "raft_internal.h"

#include <assert.h>
#include <string.h>

void raft_conf_init(struct raft_conf *c, uint8_t n_voters)
{
	memset(c, 0, sizeof *c);
	for (unsigned id = 1; id <= n_voters; id++) {
		c->voters[c->n_voters++] = (uint8_t)id;
		c->voter_bits[id / 64] |= (uint64_t)1 << (id % 64);
	}
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
