/* transfer.c - leadership transfer (dissertation section 3.10): the leader stops taking writes, brings the target up to date and tells it to campaign at once (TimeoutNow); it gives up after an election timeout. */
#include "raft_internal.h"

#include <assert.h>

/* "The prior leader stops accepting new client requests" and the transfer
 * "should be aborted if it does not complete within an election timeout". */
int raft_transfer(struct raft_node *n, int64_t now_us, uint8_t target)
{
	assert(n != NULL);
	if (n->role != RAFT_LEADER)
		return RAFT_ENOTLEADER;
	if (target == n->cfg.id || !raft_conf_is_voter(&n->conf, target))
		return RAFT_EINVAL;
	if (n->transfer_to != 0)
		return RAFT_ETRANSFER;
	n->transfer_to = target;
	n->transfer_sent = false;
	n->transfer_deadline_us = now_us + n->cfg.election_timeout_us_min;
	/* "The prior leader sends AppendEntries requests to the target server
	 * using the normal log replication rules" - at once, not at the next
	 * heartbeat; a target already caught up gets its TimeoutNow now. */
	raft_transfer_progress(n);
	if (!n->transfer_sent)
		raft_repl_send_now(n, target);
	return RAFT_OK;
}

/* "Once the target server catches up, the prior leader sends it a
 * TimeoutNow request", once. */
void raft_transfer_progress(struct raft_node *n)
{
	uint8_t to = n->transfer_to;
	if (n->role != RAFT_LEADER || to == 0 || n->transfer_sent ||
	    n->peers[to].match < n->log_len)
		return;
	if (raft_msg_push(n, RAFT_MSG_TIMEOUT_NOW, to) != NULL)
		n->transfer_sent = true;
}

void raft_transfer_tick(struct raft_node *n, int64_t now_us)
{
	if (n->transfer_to != 0 && now_us >= n->transfer_deadline_us) {
		n->transfer_to = 0; /* aborted: the leader takes writes again */
		n->transfer_sent = false;
	}
}

/* "This request has the same effect as the target server's election timer
 * firing": it starts an election at once, skipping PreVote (etcd does the
 * same), from its leader of this term only. */
void raft_recv_timeout_now(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	if (m->term != n->term || n->role == RAFT_LEADER)
		return; /* stale */
	raft_election_transfer(n, now_us);
}

uint8_t raft_transfer_target(const struct raft_node *n)
{
	return n->role == RAFT_LEADER ? n->transfer_to : 0;
}

int64_t raft_transfer_deadline_us(const struct raft_node *n)
{
	return raft_transfer_target(n) ? n->transfer_deadline_us : 0;
}
