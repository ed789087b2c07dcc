/* replication.c - log replication: AppendEntries, its replies, the commit rule. */
#include "raft_internal.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

/* ---- The leader's commit rule --------------------------------------------
 * From Figure 2 (Leaders): "If there exists an N such that N > commitIndex,
 * a majority of matchIndex[i] >= N, and log[N].term == currentTerm: set
 * commitIndex = N (sections 5.3, 5.4)."  The leader counts itself with its
 * persisted index.
 *
 * Terms never decrease along the leader's log, and the leader only appends
 * entries of currentTerm, so "log[N].term == currentTerm" is "N >= the
 * first index of currentTerm".  The node counts the voters whose match is
 * at least thr = max(commitIndex + 1, that first index); a reply only bumps
 * the count, and the majority-th largest match is selected only when the
 * count reaches a majority. */

static uint64_t commit_threshold(const struct raft_node *n)
{
	if (n->cfg.bugs & RAFT_BUG_COMMIT_OLD_TERM)
		return n->commit + 1; /* the bug: any term will do (Figure 8) */
	if (n->first_cur == 0)
		return UINT64_MAX; /* no entry of currentTerm yet */
	return n->first_cur > n->commit ? n->first_cur : n->commit + 1;
}

static void commit_recount(struct raft_node *n)
{
	const struct raft_conf *conf = &n->conf;
	uint64_t before = n->commit;
	for (;;) {
		uint64_t thr = commit_threshold(n);
		unsigned cnt = 0;
		if (thr != UINT64_MAX)
			for (unsigned i = 0; i < conf->n_voters; i++)
				cnt += n->peers[conf->voters[i]].match >= thr;
		n->commit_thr = thr;
		n->commit_cnt = cnt;
		if (cnt < raft_quorum(conf))
			break;
		uint64_t N = raft_quorum_match(conf, n->peers, n->scratch);
		bool term_ok = raft_term_at(n, N) == n->term ||
		               (n->cfg.bugs & RAFT_BUG_COMMIT_OLD_TERM);
		if (N <= n->commit || !term_ok)
			break; /* unreachable: N >= thr */
		n->commit = N;
		raft_apply(n);
	}
	if (n->commit != before && (n->held || n->conf_index != 0))
		raft_conf_committed(n);
}

void raft_repl_recount(struct raft_node *n)
{
	commit_recount(n);
}

/* matchIndex[id] = max(matchIndex[id], match). */
static void match_raise(struct raft_node *n, uint8_t id, uint64_t match)
{
	struct raft_peer *p = &n->peers[id];
	uint64_t old = p->match;
	if (match <= old)
		return;
	p->match = match;
	if (old < n->commit_thr && match >= n->commit_thr && raft_conf_is_voter(&n->conf, id) &&
	    ++n->commit_cnt >= raft_quorum(&n->conf))
		commit_recount(n);
}

void raft_repl_self_persisted(struct raft_node *n)
{
	if (n->role == RAFT_LEADER)
		match_raise(n, n->cfg.id, n->persisted);
}

/* ---- Sending ------------------------------------------------------------- */

static bool send_append(struct raft_node *n, uint8_t to, uint64_t next, uint64_t count)
{
	struct raft_msg *m = raft_msg_push(n, RAFT_MSG_APPEND, to);
	if (m == NULL)
		return false;
	m->index = next - 1;                       /* prevLogIndex */
	m->log_term = raft_term_at(n, next - 1); /* prevLogTerm */
	m->commit = n->commit;                     /* leaderCommit */
	m->n_entries = (uint32_t)count; /* entries: set by raft_take_ready() */
	return true;
}

/* How many entries from next fit in one AppendEntries. */
static uint64_t chunk(const struct raft_node *n, uint64_t next)
{
	uint64_t avail = n->log_len >= next ? n->log_len - next + 1 : 0;
	return avail < n->cfg.entries_per_msg_max ? avail : n->cfg.entries_per_msg_max;
}

/* From Figure 2 (Leaders): "If last log index >= nextIndex for a follower:
 * send AppendEntries RPC with log entries starting at nextIndex."
 * heartbeat: the peer gets a message even if it has nothing new. */
static void send_to(struct raft_node *n, uint8_t to, bool heartbeat)
{
	struct raft_peer *p = &n->peers[to];
	if (p->next <= n->log_base) {
		/* The entries it needs were compacted: send the snapshot and
		 * wait for the answer (or the next heartbeat to resend it). */
		if (p->state != RAFT_PROGRESS_REPLICATE && p->sent && !heartbeat)
			return;
		raft_snapshot_send(n, to);
		p->state = RAFT_PROGRESS_SNAPSHOT;
		p->sent = true;
		return;
	}
	if (p->state != RAFT_PROGRESS_REPLICATE) {
		if (p->sent && !heartbeat)
			return; /* wait for the reply or the next heartbeat */
		if (send_append(n, to, p->next, chunk(n, p->next)))
			p->sent = true;
		return;
	}
	if (heartbeat) {
		send_append(n, to, p->next, 0);
		return;
	}
	/* Pipelining: no wait for replies, but at most RAFT_PIPELINE_MSGS
	 * messages' worth of entries unacknowledged (flow control, as etcd's
	 * inflight window): on a network that reorders, a burst that arrives
	 * out of order is rejected and resent, and an unbounded burst would
	 * be resent whole each time. */
	uint64_t window = (uint64_t)RAFT_PIPELINE_MSGS * n->cfg.entries_per_msg_max;
	while (p->next <= n->log_len && p->next - p->match - 1 < window) {
		uint64_t count = chunk(n, p->next);
		if (!send_append(n, to, p->next, count)) {
			p->state = RAFT_PROGRESS_PROBE; /* out of memory (n->oom is set): the heartbeat re-probes */
			p->sent = false;
			return;
		}
		p->next += count;
	}
}

/* From Figure 2 (Leaders): "Upon election: send initial empty
 * AppendEntries RPCs (heartbeat) to each server"; nextIndex initialized
 * to leader last log index + 1, matchIndex initialized to 0. */
void raft_repl_start(struct raft_node *n, int64_t now_us)
{
	uint8_t self = n->cfg.id;
	for (unsigned i = 0; i < n->conf.n_members; i++) {
		struct raft_peer *p = &n->peers[n->conf.members[i]];
		p->next = n->log_len + 1;
		p->match = 0;
		p->state = RAFT_PROGRESS_PROBE;
		p->sent = false;
		p->acked_us = INT64_MIN;
	}
	n->peers[self].match = n->persisted;
	n->first_cur = raft_term_at(n, n->log_len) == n->term
	                       ? raft_log_first_of_term(n, n->term, n->log_len)
	                       : 0;
	n->flush_all = false;
	commit_recount(n);
	raft_repl_heartbeat(n, now_us);
}

void raft_repl_heartbeat(struct raft_node *n, int64_t now_us)
{
	for (unsigned i = 0; i < n->conf.n_members; i++)
		if (n->conf.members[i] != n->cfg.id)
			send_to(n, n->conf.members[i], true);
	n->heartbeat_deadline_us = now_us + n->cfg.heartbeat_us;
}

void raft_repl_send_now(struct raft_node *n, uint8_t to)
{
	/* what is in flight may be lost: probe again from what it matches */
	struct raft_peer *p = &n->peers[to];
	if (p->state == RAFT_PROGRESS_REPLICATE) {
		p->next = p->match + 1;
		p->state = RAFT_PROGRESS_PROBE;
	}
	send_to(n, to, true);
}

void raft_repl_flush(struct raft_node *n)
{
	if (n->role != RAFT_LEADER || !n->flush_all)
		return;
	n->flush_all = false;
	for (unsigned i = 0; i < n->conf.n_members; i++)
		if (n->conf.members[i] != n->cfg.id)
			send_to(n, n->conf.members[i], false);
}

/* From Figure 2 (Leaders): "If command received from client: append entry
 * to local log".  Sending waits for raft_take_ready(), so proposals made
 * in a row travel together. */
int raft_repl_propose(struct raft_node *n, const char *cmd, size_t len, uint8_t type,
                      uint64_t *index)
{
	assert(n->role == RAFT_LEADER && len <= RAFT_CMD_MAX);
	if (raft_log_reserve(n, n->log_len + 1) != RAFT_OK)
		return RAFT_ENOMEM;
	struct raft_entry e;
	memset(&e, 0, sizeof e);
	e.term = n->term;
	e.len = (uint8_t)len;
	e.type = type & 3u;
	memcpy(e.cmd, cmd, len);
	raft_log_write(n, n->log_len + 1, &e, 1, false);
	if (n->first_cur == 0) {
		n->first_cur = n->log_len;
		commit_recount(n); /* the threshold moved */
	}
	n->flush_all = true;
	if (index != NULL)
		*index = n->log_len;
	return RAFT_OK;
}

/* ---- Receiving AppendEntries --------------------------------------------- */

/* The reply carries the request's prevLogIndex in index, so the leader can
 * recognise the answer to an old message. */
void raft_append_reply(struct raft_node *n, const struct raft_msg *m, bool success,
                       uint64_t commit, uint64_t conflict_term)
{
	struct raft_msg *r = raft_msg_push(n, RAFT_MSG_APPEND_REPLY, m->from);
	if (r == NULL)
		return;
	r->success = success;
	r->index = m->index;
	r->clock_us = m->clock_us; /* echoed: which round this answers */
	r->commit = commit;
	r->conflict_term = conflict_term;
}

/* From Figure 2, AppendEntries RPC, receiver implementation.  The reply
 * leaves in the ready batch that writes the entries it acknowledges
 * ("Updated on stable storage before responding to RPCs"). */
bool raft_accept_leader(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	/* 1. Reply false if term < currentTerm (section 5.1). */
	if (m->term < n->term) {
		raft_append_reply(n, m, false, 0, 0);
		return false;
	}
	if (n->role == RAFT_LEADER)
		return false; /* a second leader of this term: only a teaching bug makes one */
	/* From Figure 2 (Candidates): "If AppendEntries RPC received from
	 * new leader: convert to follower". */
	if (n->role == RAFT_CANDIDATE || n->role == RAFT_PRECANDIDATE)
		raft_become_follower(n, now_us, m->term);
	n->leader = m->from;
	n->leader_heard_us = now_us;
	raft_timer_reset(n, now_us);
	return true;
}

void raft_recv_append(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	if (!raft_accept_leader(n, now_us, m))
		return;

	/* 2. Reply false if log doesn't contain an entry at prevLogIndex whose
	 * term matches prevLogTerm (section 5.3).  The failure carries a hint
	 * (section 5.3, "the follower can include the term of the conflicting
	 * entry and the first index it stores for that term"). */
	uint64_t prev = m->index, prev_term = m->log_term;
	uint64_t count = m->n_entries;
	const struct raft_entry *e = m->entries;
	if (count > 0 && e == NULL)
		return; /* malformed */
	if (prev < n->log_base) {
		/* Entries up to log_base are in this node's snapshot: committed,
		 * so the leader holds the same ones.  Skip them. */
		uint64_t skip = n->log_base - prev;
		if (skip >= count) {
			raft_append_reply(n, m, true, prev + count, 0);
			return;
		}
		prev_term = e[skip - 1].term;
		prev = n->log_base;
		e += skip;
		count -= skip;
	}
	if (prev > n->log_len) {
		raft_append_reply(n, m, false, n->log_len + 1, 0);
		return;
	}
	if (prev > 0 && raft_term_at(n, prev) != prev_term) {
		uint64_t ct = raft_term_at(n, prev);
		raft_append_reply(n, m, false, raft_log_first_of_term(n, ct, prev), ct);
		return;
	}

	/* 3. If an existing entry conflicts with a new one (same index but
	 * different terms), delete the existing entry and all that follow it
	 * (section 5.3).
	 * 4. Append any new entries not already in the log.
	 * Entries that match are left alone, so a duplicated, reordered or
	 * stale AppendEntries never truncates the log. */
	uint64_t i = 0;
	while (i < count && prev + 1 + i <= n->log_len &&
	       raft_log_at(n, prev + 1 + i)->term == e[i].term)
		i++;
	if (i < count) {
		uint64_t at = prev + 1 + i;
		if (raft_log_reserve(n, at - 1 + (count - i)) != RAFT_OK)
			return; /* out of memory (n->oom is set): as if the message were lost */
		bool keep_suffix = at <= n->log_len && (n->cfg.bugs & RAFT_BUG_NO_TRUNCATE);
		raft_log_write(n, at, e + i, count - i, keep_suffix);
	}

	/* 5. If leaderCommit > commitIndex, set commitIndex = min(leaderCommit,
	 * index of last new entry). */
	uint64_t last_new = prev + count;
	if (m->commit > n->commit) {
		uint64_t c = m->commit < last_new ? m->commit : last_new;
		if (c > n->commit) { /* commitIndex never decreases */
			n->commit = c;
			raft_apply(n);
		}
	}
	raft_append_reply(n, m, true, last_new, 0);
}

/* ---- Receiving AppendEntries replies -------------------------------------- */

void raft_recv_append_reply(struct raft_node *n, const struct raft_msg *m)
{
	if (n->role != RAFT_LEADER ||
	    (m->term != n->term && !(n->cfg.bugs & RAFT_BUG_STALE_REPLY)))
		return; /* stale (the bug: a reply of an older term counts) */
	if (!raft_conf_is_voter(&n->conf, m->from) && !raft_conf_is_learner(&n->conf, m->from))
		return; /* removed meanwhile: the leader tracks members only */
	struct raft_peer *p = &n->peers[m->from];
	if (m->term == n->term) /* success or not, it heard this round */
		raft_lease_acked(n, m->from, m->clock_us);
	if (m->success) {
		/* "If successful: update nextIndex and matchIndex for
		 * follower (section 5.3)." */
		uint64_t match = m->commit;
		if (n->cfg.bugs & RAFT_BUG_MATCH_FROM_NEXT)
			match = p->next - 1; /* the bug: what was sent, not what matched */
		match_raise(n, m->from, match < n->log_len ? match : n->log_len);
		if (p->next < p->match + 1)
			p->next = p->match + 1;
		p->state = RAFT_PROGRESS_REPLICATE;
		p->sent = false;
		send_to(n, m->from, false);
		raft_transfer_progress(n); /* a transfer's target may have caught up */
		return;
	}
	/* "If AppendEntries fails because of log inconsistency: decrement
	 * nextIndex and retry (section 5.3)", jumping by the hint.  A
	 * rejection at or below matchIndex, or one answering an earlier probe,
	 * is stale. */
	if (m->index <= p->match ||
	    (p->state != RAFT_PROGRESS_REPLICATE && m->index + 1 != p->next))
		return;
	uint64_t next = m->commit;
	if (m->conflict_term != 0) {
		uint64_t last = raft_log_last_of_term(n, m->conflict_term);
		if (last != 0)
			next = last + 1;
	}
	if (next > m->index) /* the entry at prevLogIndex did not match */
		next = m->index;
	if (next > n->log_len + 1)
		next = n->log_len + 1;
	if (next < p->match + 1)
		next = p->match + 1;
	p->next = next;
	p->state = RAFT_PROGRESS_PROBE;
	p->sent = false;
	send_to(n, m->from, false);
}
