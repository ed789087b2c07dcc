/* lease.c - lease reads (dissertation section 6.4.1): the leader's lease, from the rounds of AppendEntries a majority acknowledged, and the vote rule it rests on. */
#include "raft_internal.h"

#include <assert.h>

void raft_set_lease(struct raft_node *n, bool lease)
{
	assert(n != NULL);
	n->cfg.lease = lease;
}

/* From section 6.4.1: "the leader would use its heartbeat mechanism to
 * maintain a lease.  Once the leader's heartbeats were acknowledged by a
 * majority of the cluster, it would extend its lease to start + election
 * timeout / clock drift bound, since the followers shouldn't time out
 * before then."  The majority's promise is the vote rule below: a follower
 * that heard from the leader at its clock's t ignores RequestVote until
 * t + the minimum election timeout, and it heard the message after the
 * leader made it at start. */
void raft_lease_acked(struct raft_node *n, uint8_t from, int64_t clock_us)
{
	if (n->role == RAFT_LEADER && from <= n->cfg.n_nodes && clock_us >= n->led_since_us &&
	    clock_us > n->peers[from].acked_us)
		n->peers[from].acked_us = clock_us;
}

/* TimeoutNow lets the target's RequestVote past the vote rule the lease
 * rests on, so a leader that sent it keeps no lease for the rest of its
 * leadership, even if the transfer is aborted later: the target may win
 * without the leader hearing of it. */
void raft_lease_void(struct raft_node *n)
{
	n->led_since_us = INT64_MAX; /* no later acknowledgement counts */
	for (unsigned id = 0; id <= n->cfg.n_nodes; id++)
		n->peers[id].acked_us = INT64_MIN;
}

int64_t raft_lease_start_us(const struct raft_node *n)
{
	assert(n != NULL);
	if (n->role != RAFT_LEADER)
		return INT64_MIN;
	/* the quorum-th largest acknowledgement, the leader's own counting as
	 * the newest (it needs no message to believe itself) */
	const struct raft_conf *c = &n->conf;
	unsigned need = raft_quorum(c);
	int64_t best = INT64_MIN;
	for (unsigned i = 0; i < c->n_voters; i++) {
		uint8_t id = c->voters[i];
		int64_t t = id == n->cfg.id ? INT64_MAX : n->peers[id].acked_us;
		if (t <= best)
			continue;
		unsigned k = 0;
		for (unsigned j = 0; j < c->n_voters; j++) {
			uint8_t o = c->voters[j];
			k += o == n->cfg.id || n->peers[o].acked_us >= t;
		}
		if (k >= need)
			best = t;
	}
	return best == INT64_MAX ? n->clock_us : best; /* a cluster of one: now */
}

bool raft_lease_read_ok(const struct raft_node *n, int64_t now_us, int64_t lease_us)
{
	assert(n != NULL);
	if (n->role != RAFT_LEADER || n->commit == 0 || raft_term_at(n, n->commit) != n->term)
		return false; /* section 6.4, step 1: an entry of its term is committed */
	int64_t start = raft_lease_start_us(n);
	return start != INT64_MIN && lease_us > 0 && now_us - start < lease_us;
}

/* Section 4.2.3: "if a server receives a RequestVote request within the
 * minimum election timeout of hearing from a current leader, it does not
 * update its term or grant its vote".  Lease reads need it too, and a
 * server that just booted cannot know whom it heard from before the crash,
 * so it waits a minimum election timeout before it votes. */
bool raft_vote_held(const struct raft_node *n, int64_t now_us)
{
	if (n->cfg.checkquorum && raft_leader_recent(n, now_us))
		return true;
	if (!n->cfg.lease)
		return false;
	return raft_leader_recent(n, now_us) ||
	       (n->booted_us != INT64_MIN && now_us - n->booted_us < n->cfg.election_timeout_us_min);
}
