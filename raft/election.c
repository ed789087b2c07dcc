/* election.c - leader election: timeouts, RequestVote and its replies, PreVote (dissertation section 9.6) and CheckQuorum (section 6.2). */
#include "raft_internal.h"

#include <assert.h>
#include <string.h>

static void votes_clear(struct raft_node *n)
{
	memset(n->votes, 0, sizeof n->votes);
	n->n_votes = 0;
}

static void vote_record(struct raft_node *n, uint8_t voter)
{
	uint64_t bit = (uint64_t)1 << (voter % 64);
	if (n->votes[voter / 64] & bit)
		return;
	n->votes[voter / 64] |= bit;
	n->n_votes++;
}

static void become_leader(struct raft_node *n, int64_t now_us)
{
	n->role = RAFT_LEADER;
	n->leader = n->cfg.id;
	n->transfer_to = 0;
	n->leader_heard_us = now_us;
	n->led_since_us = now_us;
	memset(n->active, 0, sizeof n->active);
	raft_quorum_heard(n, n->cfg.id);
	n->quorum_deadline_us = now_us + n->cfg.election_timeout_us_min;
	raft_repl_start(n, now_us);
	/* Elected only to commit the entry that removed it (section 4.2.2):
	 * an entry of its own term does that; then it steps down. */
	if (!raft_conf_is_voter(&n->conf, n->cfg.id))
		(void)raft_repl_propose(n, "", 0, RAFT_ENTRY_NOOP, NULL);
}

/* Sends a RequestVote or PreVote for term to every other voter. */
static void ask_votes(struct raft_node *n, uint8_t type, uint64_t term, bool transfer)
{
	uint64_t last = n->log_len, last_term = raft_term_at(n, n->log_len);
	for (unsigned i = 0; i < n->conf.n_voters; i++) {
		uint8_t id = n->conf.voters[i];
		if (id == n->cfg.id)
			continue;
		struct raft_msg *m = raft_msg_push(n, type, id);
		if (m == NULL)
			continue;
		m->term = term;
		m->index = last;          /* lastLogIndex */
		m->log_term = last_term; /* lastLogTerm */
		m->transfer = transfer;
	}
}

bool raft_leader_recent(const struct raft_node *n, int64_t now_us)
{
	if (n->role == RAFT_LEADER)
		return true;
	return n->leader != 0 && now_us - n->leader_heard_us < n->cfg.election_timeout_us_min;
}

/* From section 9.6: "a candidate only increments its term if it first
 * learns from a majority of the cluster that they would be willing to
 * grant the candidate their votes".  The pre-candidate keeps its term and
 * its vote; it asks for votes in the term it would campaign in. */
static void prevote_start(struct raft_node *n, int64_t now_us)
{
	n->role = RAFT_PRECANDIDATE;
	n->leader = 0;
	n->flush_all = false;
	votes_clear(n);
	vote_record(n, n->cfg.id);
	raft_timer_reset(n, now_us);
	if (raft_quorum_has(&n->conf, n->votes)) { /* a one-node cluster */
		raft_election_start(n, now_us);
		return;
	}
	ask_votes(n, RAFT_MSG_PREVOTE, n->term + 1, false);
}

void raft_election_timeout(struct raft_node *n, int64_t now_us)
{
	if (!raft_conf_may_campaign(n)) {
		/* A learner, a spare or a removed server (that knows it) does
		 * not campaign: it would have no vote to count (section 4.2.1). */
		raft_timer_reset(n, now_us);
		return;
	}
	if (n->cfg.prevote)
		prevote_start(n, now_us);
	else
		raft_election_start(n, now_us);
}

/* Steps down to follower; with term > currentTerm the new term is adopted
 * and votedFor cleared.  A leader has no election timer, so one stepping
 * down gets a fresh one; a candidate or follower keeps its own. */
void raft_become_follower(struct raft_node *n, int64_t now_us, uint64_t term)
{
	bool was_leader = n->role == RAFT_LEADER;
	if (term > n->term) {
		n->term = term;
		n->voted_for = 0;
		n->leader = 0;
	}
	n->role = RAFT_FOLLOWER;
	n->flush_all = false;
	n->held = false; /* a held change is dropped, as a lost request */
	n->transfer_to = 0;
	votes_clear(n);
	if (was_leader)
		raft_timer_reset(n, now_us);
}

/* From Figure 2 (Candidates): on conversion to candidate, start election:
 *   - Increment currentTerm
 *   - Vote for self
 *   - Reset election timer
 *   - Send RequestVote RPCs to all other servers */
static void election_begin(struct raft_node *n, int64_t now_us, bool transfer)
{
	n->role = RAFT_CANDIDATE;
	n->term++;
	n->voted_for = n->cfg.id;
	n->leader = 0;
	n->flush_all = false;
	votes_clear(n);
	vote_record(n, n->cfg.id);
	raft_timer_reset(n, now_us);
	/* a lone voter holds a majority already, but leads only once its vote
	 * is durable (raft_election_durable) */
	if (!raft_quorum_has(&n->conf, n->votes))
		ask_votes(n, RAFT_MSG_VOTE, n->term, transfer);
}

/* The hard state became durable.  A candidate whose own vote makes a
 * majority (the only voter of its configuration) leads from now on: had it
 * led before, a crash could lose the term with the vote, and it could lead
 * the same term again with another log.  Other candidates win on their
 * votes, which come after their RequestVotes, sent once the term was
 * durable. */
void raft_election_durable(struct raft_node *n)
{
	if (n->role == RAFT_CANDIDATE && n->hs_term == n->term && n->hs_vote == n->cfg.id &&
	    raft_quorum_has(&n->conf, n->votes))
		become_leader(n, n->clock_us);
}

void raft_election_start(struct raft_node *n, int64_t now_us)
{
	election_begin(n, now_us, false);
}

void raft_election_transfer(struct raft_node *n, int64_t now_us)
{
	election_begin(n, now_us, true);
}

/* Section 5.4.1: "Raft determines which of two logs is more up-to-date by
 * comparing the index and term of the last entries in the logs.  If the
 * logs have last entries with different terms, then the log with the later
 * term is more up-to-date.  If the logs end with the same term, then
 * whichever log is longer is more up-to-date." */
static bool candidate_up_to_date(const struct raft_node *n, const struct raft_msg *m)
{
	uint64_t last_term = raft_term_at(n, n->log_len);
	if (m->log_term != last_term)
		return m->log_term > last_term;
	return m->index >= n->log_len;
}

/* From Figure 2, RequestVote RPC, receiver implementation:
 *   1. Reply false if term < currentTerm (section 5.1)
 *   2. If votedFor is null or candidateId, and candidate's log is at least
 *      as up-to-date as receiver's log, grant vote (sections 5.2, 5.4)
 * The reply leaves in the ready batch that carries the new votedFor, so it
 * is sent only once the vote is durable ("Updated on stable storage before
 * responding to RPCs"). */
void raft_recv_vote(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	uint32_t bugs = n->cfg.bugs;
	bool grant = false;
	if (m->term == n->term) { /* a higher term was adopted by raft_step() */
		bool free_vote = n->voted_for == 0 || n->voted_for == m->from ||
		                 (bugs & RAFT_BUG_VOTE_TWICE);
		bool log_ok = (bugs & RAFT_BUG_NO_LOG_CHECK) || candidate_up_to_date(n, m);
		grant = free_vote && log_ok;
	}
	if (grant) {
		n->voted_for = m->from;
		/* Granting a vote resets the election timer (Figure 2,
		 * Followers). */
		raft_timer_reset(n, now_us);
	}
	struct raft_msg *r = raft_msg_push(n, RAFT_MSG_VOTE_REPLY, m->from);
	if (r != NULL)
		r->success = grant;
}

/* From Figure 2 (Candidates): if votes received from majority of servers:
 * become leader. */
void raft_recv_vote_reply(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	if (n->role != RAFT_CANDIDATE || m->term != n->term || !m->success)
		return; /* stale, or not a vote */
	vote_record(n, m->from);
	if (raft_quorum_has(&n->conf, n->votes))
		become_leader(n, now_us);
}

/* From section 9.6: a server grants a pre-vote "if the candidate's log is
 * sufficiently up-to-date, and the voters have not received heartbeats from
 * a valid leader for at least a baseline election timeout".  Nothing
 * changes on the voter: not its term, not its vote, not its timer.  A
 * grant carries the request's term, a refusal the voter's own (which makes
 * a pre-candidate behind in terms catch up). */
void raft_recv_prevote(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	bool log_ok = (n->cfg.bugs & RAFT_BUG_NO_LOG_CHECK) || candidate_up_to_date(n, m);
	bool grant = m->term > n->term && log_ok && !raft_leader_recent(n, now_us);
	struct raft_msg *r = raft_msg_push(n, RAFT_MSG_PREVOTE_REPLY, m->from);
	if (r == NULL)
		return;
	r->success = grant;
	if (grant)
		r->term = m->term;
}

/* A majority of pre-votes: the real election starts (term + 1). */
void raft_recv_prevote_reply(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	if (n->role != RAFT_PRECANDIDATE || m->term != n->term + 1 || !m->success)
		return; /* stale, or refused */
	vote_record(n, m->from);
	if (raft_quorum_has(&n->conf, n->votes))
		raft_election_start(n, now_us);
}

/* ---- CheckQuorum (section 6.2) -------------------------------------------
 * "A leader in Raft steps down if an election timeout elapses without a
 * successful round of heartbeats to a majority of its cluster."  The leader
 * notes every voter it hears from in its term; each minimum election
 * timeout it checks that they (with itself) are a majority, and forgets
 * them. */
void raft_quorum_heard(struct raft_node *n, uint8_t from)
{
	n->active[from / 64] |= (uint64_t)1 << (from % 64);
}

void raft_quorum_check(struct raft_node *n, int64_t now_us)
{
	if (n->role != RAFT_LEADER || !n->cfg.checkquorum || now_us < n->quorum_deadline_us)
		return;
	if (!raft_quorum_has(&n->conf, n->active)) {
		raft_become_follower(n, now_us, n->term);
		n->leader = 0;
		return;
	}
	memset(n->active, 0, sizeof n->active);
	raft_quorum_heard(n, n->cfg.id);
	n->quorum_deadline_us = now_us + n->cfg.election_timeout_us_min;
}
