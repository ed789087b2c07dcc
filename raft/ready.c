/* ready.c - the ready batch, durability acknowledgements and crash-restart. */
#include "raft_internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool raft_has_ready(const struct raft_node *n)
{
	return n->n_msgs > 0 || n->wr_from != 0 || n->snap_new || n->term != n->rd_term ||
	       n->voted_for != n->rd_vote || n->applied != n->rd_applied || n->role != n->rd_role ||
	       (n->role == RAFT_LEADER && n->flush_all);
}

void raft_take_ready(struct raft_node *n, struct raft_ready *rd)
{
	assert(n != NULL && rd != NULL);
	raft_snapshot_maybe(n);
	raft_repl_flush(n);
	memset(rd, 0, sizeof *rd);

	rd->hard_state_changed = n->term != n->rd_term || n->voted_for != n->rd_vote;
	rd->term = n->term;
	rd->voted_for = n->voted_for;
	if ((n->cfg.bugs & RAFT_BUG_LAZY_VOTE) && n->term == n->rd_term &&
	    n->voted_for != n->rd_vote) {
		/* the bug: a vote in a term already durable is left for the
		 * next write, and the reply does not wait for it */
		rd->hard_state_changed = false;
		rd->voted_for = n->rd_vote;
	}

	if (n->wr_from != 0) {
		assert(n->wr_from > n->log_base && n->wr_from <= n->log_len);
		rd->persist_from = n->wr_from;
		rd->persist_to = n->log_len;
		rd->persist_term = raft_term_at(n, n->log_len);
		rd->truncated = n->wr_trunc;
	}

	/* Pending AppendEntries hold (prevLogIndex, n_entries); their entries
	 * are log[prevLogIndex + 1 ..], still in place (raft_log_write() drops
	 * messages whose entries it changes). */
	for (size_t i = 0; i < n->n_msgs; i++) {
		struct raft_msg *m = &n->msgs[i];
		if (m->type == RAFT_MSG_SNAPSHOT) {
			m->index = n->snap_index;
			m->log_term = n->snap_term;
			m->n_entries = (uint32_t)n->snap_n;
			m->entries = n->snap;
			continue;
		}
		if (m->type != RAFT_MSG_APPEND || m->n_entries == 0)
			continue;
		assert(m->index >= n->log_base && m->index + m->n_entries <= n->log_len);
		m->entries = raft_log_at(n, m->index + 1);
	}
	rd->msgs = n->n_msgs > 0 ? n->msgs : NULL;
	rd->n_msgs = n->n_msgs;

	rd->apply_from = n->rd_applied;
	rd->apply_to = n->applied;
	if (n->snap_new) {
		rd->snapshot_index = n->snap_index;
		rd->snapshot_term = n->snap_term;
		rd->snapshot_installed = n->snap_installed;
	}

	/* Start the next batch; the message array is reused by the next
	 * call, which is what "valid until the next non-const call" allows. */
	n->wr_from = 0;
	n->wr_trunc = false;
	n->snap_new = false;
	n->snap_installed = false;
	n->stepped = false;
	n->rd_term = n->term;
	n->rd_vote = n->voted_for;
	n->rd_role = n->role;
	n->rd_applied = n->applied;
	n->n_msgs = 0;
}

/* The disk model: it holds log[1..persisted] of the in-memory log and the
 * hard state (hs_term, hs_vote).  A write that ended at (index, term) only
 * counts if the log still holds that entry; a truncation has already
 * lowered persisted below any stale write. */
void raft_persisted(struct raft_node *n, uint64_t index, uint64_t term, uint64_t hs_term,
                    uint8_t hs_vote)
{
	assert(n != NULL);
	n->hs_term = hs_term;
	n->hs_vote = hs_vote;
	raft_election_durable(n);
	if (index == 0 || index <= n->persisted || index > n->log_len ||
	    raft_term_at(n, index) != term)
		return;
	n->persisted = index;
	raft_repl_self_persisted(n); /* a leader counts itself from now on */
	raft_apply(n);
}

void raft_restart(struct raft_node *n, int64_t now_us)
{
	assert(n != NULL);
	if (n->cfg.bugs & RAFT_BUG_FORGET_VOTE)
		n->hs_vote = 0; /* the bug: votedFor never reached the disk */
	n->role = RAFT_FOLLOWER;
	n->term = n->hs_term;
	n->voted_for = n->hs_vote;
	n->leader = 0;
	if (n->log_len > n->persisted)
		n->log_len = n->persisted;
	/* Volatile state is lost: commitIndex and lastApplied restart at the
	 * snapshot (0 without one), the map is rebuilt from the snapshot and
	 * by applying again.  (Out of memory while rebuilding leaves a
	 * partial map, as a failed allocation in raft_apply() would.) */
	n->commit = n->snap_index;
	n->applied = n->snap_index;
	(void)raft_snapshot_restore(n);
	memset(n->votes, 0, sizeof n->votes);
	n->n_votes = 0;
	memset(n->peers, 0, ((size_t)n->cfg.n_nodes + 1) * sizeof *n->peers);
	n->first_cur = 0;
	n->held = false;
	raft_conf_recompute(n); /* the log may have lost its tail */
	n->commit_thr = UINT64_MAX;
	n->commit_cnt = 0;
	n->flush_all = false;
	n->transfer_to = 0;
	n->heartbeat_deadline_us = 0;
	/* Whatever was not yet taken is gone with the process. */
	n->wr_from = 0;
	n->wr_trunc = false;
	n->snap_new = false;
	n->snap_installed = false;
	n->n_msgs = 0;
	n->stepped = false;
	n->rd_term = n->term;
	n->rd_vote = n->voted_for;
	n->rd_role = n->role;
	n->rd_applied = n->applied;
	n->clock_us = n->booted_us = now_us;
	raft_timer_reset(n, now_us);
}

struct raft_node *raft_restore(const struct raft_config *c, int64_t now_us,
                               const struct raft_durable *d)
{
	if (d == NULL || d->snapshot_index < d->log_base ||
	    d->snapshot_index - d->log_base > d->n_entries ||
	    (d->n_entries > 0 && d->entries == NULL) ||
	    (d->snapshot_count > 0 && d->snapshot == NULL) ||
	    d->n_entries > UINT64_MAX - d->log_base)
		return NULL;
	struct raft_node *n = raft_new(c, now_us);
	if (n == NULL)
		return NULL;
	n->term = n->hs_term = n->rd_term = d->term;
	n->voted_for = n->hs_vote = n->rd_vote = d->voted_for;
	if (n->cfg.bugs & RAFT_BUG_FORGET_VOTE)
		n->voted_for = n->rd_vote = 0; /* the bug: votedFor is not read back */
	n->log_base = d->log_base;
	n->base_term = d->log_base_term;
	n->log_len = d->log_base;
	if (d->n_entries > 0) {
		if (raft_log_reserve(n, d->log_base + d->n_entries) != RAFT_OK)
			goto fail;
		memcpy(n->log, d->entries, (size_t)d->n_entries * sizeof *n->log);
		n->log_len = d->log_base + d->n_entries;
		for (uint64_t i = 0; i < d->n_entries; i++)
			if (n->log[i].len > RAFT_CMD_MAX)
				n->log[i].len = RAFT_CMD_MAX;
	}
	n->persisted = n->log_len;
	if (d->snapshot_count > 0) {
		n->snap = malloc(d->snapshot_count * sizeof *n->snap);
		if (n->snap == NULL)
			goto fail;
		memcpy(n->snap, d->snapshot, d->snapshot_count * sizeof *n->snap);
		n->snap_cap = n->snap_n = d->snapshot_count;
		for (size_t i = 0; i < n->snap_n; i++)
			if (n->snap[i].len > RAFT_CMD_MAX)
				n->snap[i].len = RAFT_CMD_MAX;
	}
	n->snap_index = d->snapshot_index;
	n->snap_term = d->snapshot_term;
	n->commit = n->applied = n->rd_applied = d->snapshot_index;
	if (raft_snapshot_restore(n) != RAFT_OK)
		goto fail;
	n->booted_us = now_us;
	raft_conf_boot(n);
	return n;
fail:
	raft_free(n);
	return NULL;
}
