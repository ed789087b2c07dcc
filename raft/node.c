/* node.c - a node's life cycle, timers, input dispatch and introspection. */
#include "raft_internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void raft_config_default(struct raft_config *c, uint8_t id, uint8_t n_nodes)
{
	assert(c != NULL);
	memset(c, 0, sizeof *c);
	c->id = id;
	c->n_nodes = n_nodes;
	c->n_voters = 0;
	c->election_timeout_us_min = 150000;
	c->election_timeout_us_max = 300000;
	c->heartbeat_us = 50000;
	c->entries_per_msg_max = 64;
	c->bugs = 0;
	c->seed = id;
}

/* malloc + zero fill (raft/ uses malloc, realloc and free only). */
static void *zalloc(size_t count, size_t size)
{
	if (count != 0 && size > SIZE_MAX / count)
		return NULL;
	void *p = malloc(count * size);
	if (p != NULL)
		memset(p, 0, count * size);
	return p;
}

static bool timing_valid(int64_t min_us, int64_t max_us, int64_t heartbeat_us)
{
	return min_us > 0 && min_us <= max_us && heartbeat_us > 0;
}

/* splitmix64: one stream per node, seeded by the caller. */
static uint64_t rand_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (inclusive), by rejection: no modulo bias. */
static int64_t rand_range(uint64_t *state, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1u;
	uint64_t r = rand_next(state);
	if (span == 0) /* the whole 64-bit range */
		return (int64_t)((uint64_t)lo + r);
	uint64_t reject_below = (0u - span) % span; /* 2^64 mod span */
	while (r < reject_below)
		r = rand_next(state);
	return (int64_t)((uint64_t)lo + r % span);
}

/* From Figure 2 (Followers, Candidates): the election timer, redrawn from
 * [min, max] each time it is reset. */
void raft_timer_reset(struct raft_node *n, int64_t now_us)
{
	n->election_timeout_us = rand_range(&n->rng, n->cfg.election_timeout_us_min,
	                                    n->cfg.election_timeout_us_max);
	n->election_deadline_us = now_us + n->election_timeout_us;
}

struct raft_msg *raft_msg_push(struct raft_node *n, uint8_t type, uint8_t to)
{
	if (n->n_msgs == n->msgs_cap) {
		size_t cap = n->msgs_cap ? n->msgs_cap * 2 : 16;
		struct raft_msg *m = realloc(n->msgs, cap * sizeof *m);
		if (m == NULL) {
			n->oom = true;
			return NULL;
		}
		n->msgs = m;
		n->msgs_cap = cap;
	}
	struct raft_msg *m = &n->msgs[n->n_msgs++];
	memset(m, 0, sizeof *m);
	m->type = type;
	m->from = n->cfg.id;
	m->to = to;
	m->term = n->term;
	m->clock_us = n->clock_us;
	return m;
}

struct raft_node *raft_new(const struct raft_config *c, int64_t now_us)
{
	if (c == NULL || c->n_nodes < 1 || c->id < 1 || c->id > c->n_nodes ||
	    c->n_voters > c->n_nodes ||
	    !timing_valid(c->election_timeout_us_min, c->election_timeout_us_max,
	                  c->heartbeat_us) ||
	    c->entries_per_msg_max < 1)
		return NULL;
	struct raft_node *n = zalloc(1, sizeof *n);
	if (n == NULL)
		return NULL;
	n->cfg = *c;
	raft_conf_init(&n->initial_conf, c->n_voters ? c->n_voters : c->n_nodes);
	n->conf = n->snap_conf = n->initial_conf;
	n->rng = c->seed;
	n->role = RAFT_FOLLOWER;
	n->commit_thr = UINT64_MAX;
	n->peers = zalloc((size_t)c->n_nodes + 1, sizeof *n->peers);
	n->scratch = zalloc((size_t)c->n_nodes + 1, sizeof *n->scratch);
	if (n->peers == NULL || n->scratch == NULL) {
		raft_free(n);
		return NULL;
	}
	n->clock_us = now_us;
	n->booted_us = INT64_MIN;
	raft_timer_reset(n, now_us);
	return n;
}

void raft_free(struct raft_node *n)
{
	if (n == NULL)
		return;
	free(n->log);
	free(n->snap);
	free(n->peers);
	free(n->scratch);
	free(n->msgs);
	raft_kv_free(&n->kv);
	free(n);
}

static void *dup_array(const void *src, size_t count, size_t size)
{
	if (count == 0)
		return NULL;
	void *p = malloc(count * size);
	if (p != NULL)
		memcpy(p, src, count * size);
	return p;
}

struct raft_node *raft_clone(const struct raft_node *n)
{
	assert(n != NULL);
	struct raft_node *c = malloc(sizeof *c);
	if (c == NULL)
		return NULL;
	*c = *n;
	c->log = NULL;
	c->log_cap = 0;
	c->snap = NULL;
	c->snap_cap = 0;
	c->msgs = NULL;
	c->msgs_cap = 0;
	c->kv.slots = NULL;
	c->kv.hashes = NULL;
	c->kv.cap = 0;
	size_t peers = (size_t)n->cfg.n_nodes + 1;
	c->peers = dup_array(n->peers, peers, sizeof *n->peers);
	c->scratch = zalloc(peers, sizeof *c->scratch);
	if (c->peers == NULL || c->scratch == NULL)
		goto fail;
	if (n->log_len > n->log_base) {
		size_t len = (size_t)(n->log_len - n->log_base);
		c->log = dup_array(n->log, len, sizeof *n->log);
		if (c->log == NULL)
			goto fail;
		c->log_cap = len;
	}
	if (n->snap_n > 0) {
		c->snap = dup_array(n->snap, n->snap_n, sizeof *n->snap);
		if (c->snap == NULL)
			goto fail;
		c->snap_cap = n->snap_n;
	}
	if (n->n_msgs > 0) {
		c->msgs = dup_array(n->msgs, n->n_msgs, sizeof *n->msgs);
		if (c->msgs == NULL)
			goto fail;
		c->msgs_cap = n->n_msgs;
	}
	if (raft_kv_copy(&c->kv, &n->kv) != 0)
		goto fail;
	return c;
fail:
	raft_free(c);
	return NULL;
}

/* ---- Inputs -------------------------------------------------------------- */

void raft_tick(struct raft_node *n, int64_t now_us)
{
	assert(n != NULL);
	n->clock_us = now_us;
	if (n->role == RAFT_LEADER)
		raft_quorum_check(n, now_us); /* CheckQuorum: it may step down */
	if (n->role == RAFT_LEADER) {
		raft_transfer_tick(n, now_us); /* a transfer may run out of time */
		/* From Figure 2 (Leaders): repeat heartbeats during idle
		 * periods to prevent election timeouts (section 5.2). */
		if (now_us >= n->heartbeat_deadline_us)
			raft_repl_heartbeat(n, now_us);
		return;
	}
	/* From Figure 2 (Followers): if election timeout elapses without
	 * receiving AppendEntries RPC from current leader or granting vote to
	 * candidate: convert to candidate.  (Candidates): if election timeout
	 * elapses: start new election. */
	if (now_us >= n->election_deadline_us)
		raft_election_timeout(n, now_us);
}

void raft_timeout_now(struct raft_node *n, int64_t now_us)
{
	assert(n != NULL);
	n->clock_us = now_us;
	if (n->role != RAFT_LEADER)
		raft_election_timeout(n, now_us);
}

void raft_step(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	assert(n != NULL && m != NULL);
	/* One message per batch (raft.h): a second one could change or drop
	 * the entries the pending batch is about to write or acknowledge. */
	assert(!n->stepped && "raft_step() twice in one batch");
	const struct raft_msg_desc *d = raft_msg_desc(m->type);
	if (m->from < 1 || m->from > n->cfg.n_nodes || m->from == n->cfg.id ||
	    m->to != n->cfg.id || d == NULL)
		return; /* not addressed to this node: a caller bug, ignored */
	n->clock_us = now_us;
	/* From Figure 2 (All Servers): if RPC request or response contains
	 * term T > currentTerm: set currentTerm = T, convert to follower
	 * (section 5.1). */
	/* Section 4.2.3 (with CheckQuorum): "if a server receives a
	 * RequestVote request within the minimum election timeout of hearing
	 * from a current leader, it does not update its term or grant its
	 * vote" - unless the leader itself handed over (section 3.10: the
	 * candidate's RequestVote says so). */
	if (m->type == RAFT_MSG_VOTE && !m->transfer && raft_vote_held(n, now_us))
		return;
	/* A PreVote and a granted PreVote reply carry a term nobody is in yet
	 * (section 9.6): they change no term. */
	bool future = m->type == RAFT_MSG_PREVOTE || (m->type == RAFT_MSG_PREVOTE_REPLY && m->success);
	if (m->term > n->term && !future) {
		if (d->reply && (n->cfg.bugs & RAFT_BUG_NO_STEP_DOWN)) {
			/* the bug: the node takes the reply's term but does not
			 * convert to follower, so a leader or candidate carries its
			 * role (and a candidate its votes) into a term it never won */
			n->term = m->term;
			n->voted_for = 0;
			n->leader = n->role == RAFT_LEADER ? n->cfg.id : 0;
			return;
		}
		raft_become_follower(n, now_us, m->term);
	}
	if (n->role == RAFT_LEADER && m->term == n->term)
		raft_quorum_heard(n, m->from); /* CheckQuorum */
	switch ((enum raft_msg_type)m->type) {
	case RAFT_MSG_VOTE:
		raft_recv_vote(n, now_us, m);
		break;
	case RAFT_MSG_VOTE_REPLY:
		raft_recv_vote_reply(n, now_us, m);
		break;
	case RAFT_MSG_APPEND:
		raft_recv_append(n, now_us, m);
		break;
	case RAFT_MSG_APPEND_REPLY:
		raft_recv_append_reply(n, m);
		break;
	case RAFT_MSG_SNAPSHOT:
		raft_recv_snapshot(n, now_us, m);
		break;
	case RAFT_MSG_PREVOTE:
		raft_recv_prevote(n, now_us, m);
		break;
	case RAFT_MSG_PREVOTE_REPLY:
		raft_recv_prevote_reply(n, now_us, m);
		break;
	case RAFT_MSG_TIMEOUT_NOW:
		raft_recv_timeout_now(n, now_us, m);
		break;
	}
	n->stepped = raft_has_ready(n); /* this batch now answers m */
}

int raft_propose(struct raft_node *n, int64_t now_us, const char *cmd, size_t len,
                 uint64_t *index, uint8_t *leader_hint)
{
	assert(n != NULL);
	n->clock_us = now_us;
	int rv = raft_cmd_check(cmd, len);
	if (rv != RAFT_OK)
		return rv;
	if (n->role != RAFT_LEADER) {
		if (leader_hint != NULL)
			*leader_hint = n->leader;
		return RAFT_ENOTLEADER;
	}
	if (n->transfer_to != 0)
		return RAFT_ETRANSFER; /* handing over: no new writes (section 3.10) */
	return raft_repl_propose(n, cmd, len, RAFT_ENTRY_COMMAND, index);
}

int raft_propose_read(struct raft_node *n, int64_t now_us, const char *key, size_t len,
                      uint64_t *index, uint8_t *leader_hint)
{
	assert(n != NULL);
	n->clock_us = now_us;
	if (key == NULL || len < 1 || len > RAFT_CMD_MAX || memchr(key, '=', len) != NULL ||
	    memchr(key, '\0', len) != NULL || memchr(key, '\n', len) != NULL)
		return RAFT_EINVAL;
	if (n->role != RAFT_LEADER) {
		if (leader_hint != NULL)
			*leader_hint = n->leader;
		return RAFT_ENOTLEADER;
	}
	return raft_repl_propose(n, key, len, RAFT_ENTRY_READ, index);
}

void raft_set_timing(struct raft_node *n, int64_t election_timeout_us_min,
                     int64_t election_timeout_us_max, int64_t heartbeat_us)
{
	assert(n != NULL);
	if (!timing_valid(election_timeout_us_min, election_timeout_us_max, heartbeat_us))
		return; /* invalid values are ignored; callers validate first */
	n->cfg.election_timeout_us_min = election_timeout_us_min;
	n->cfg.election_timeout_us_max = election_timeout_us_max;
	n->cfg.heartbeat_us = heartbeat_us;
}

void raft_set_batch(struct raft_node *n, uint32_t entries_per_msg_max)
{
	assert(n != NULL);
	if (entries_per_msg_max >= 1) /* callers validate first */
		n->cfg.entries_per_msg_max = entries_per_msg_max;
}

void raft_set_extensions(struct raft_node *n, int64_t now_us, bool prevote, bool checkquorum)
{
	assert(n != NULL);
	if (checkquorum && !n->cfg.checkquorum && n->role == RAFT_LEADER) {
		/* a fresh round: the leader has heard from nobody yet */
		memset(n->active, 0, sizeof n->active);
		raft_quorum_heard(n, n->cfg.id);
		n->quorum_deadline_us = now_us + n->cfg.election_timeout_us_min;
	}
	n->cfg.prevote = prevote;
	n->cfg.checkquorum = checkquorum;
}

void raft_set_snapshot(struct raft_node *n, uint32_t threshold, uint32_t trailing)
{
	assert(n != NULL);
	n->cfg.snapshot_threshold = threshold;
	n->cfg.snapshot_trailing = trailing;
}

int64_t raft_next_deadline_us(const struct raft_node *n)
{
	if (n->role != RAFT_LEADER)
		return n->election_deadline_us;
	int64_t d = n->heartbeat_deadline_us;
	if (n->cfg.checkquorum && n->quorum_deadline_us < d)
		d = n->quorum_deadline_us;
	if (n->transfer_to != 0 && n->transfer_deadline_us < d)
		d = n->transfer_deadline_us;
	return d;
}

/* ---- Introspection ------------------------------------------------------- */

uint8_t raft_id(const struct raft_node *n) { return n->cfg.id; }
uint8_t raft_n_nodes(const struct raft_node *n) { return n->cfg.n_nodes; }
enum raft_role raft_role(const struct raft_node *n) { return (enum raft_role)n->role; }
uint64_t raft_term(const struct raft_node *n) { return n->term; }
uint8_t raft_voted_for(const struct raft_node *n) { return n->voted_for; }
uint8_t raft_leader_hint(const struct raft_node *n) { return n->leader; }

bool raft_vote_granted_by(const struct raft_node *n, uint8_t voter)
{
	if (n->role == RAFT_FOLLOWER || voter < 1 || voter > n->cfg.n_nodes)
		return false;
	return (n->votes[voter / 64] >> (voter % 64)) & 1u;
}

unsigned raft_votes(const struct raft_node *n)
{
	return n->role == RAFT_FOLLOWER ? 0 : n->n_votes;
}

int64_t raft_election_deadline_us(const struct raft_node *n) { return n->election_deadline_us; }
int64_t raft_election_timeout_us(const struct raft_node *n) { return n->election_timeout_us; }
uint64_t raft_last_index(const struct raft_node *n) { return n->log_len; }
uint64_t raft_last_term(const struct raft_node *n) { return raft_term_at(n, n->log_len); }

uint64_t raft_log_first(const struct raft_node *n) { return n->log_base + 1; }

const struct raft_entry *raft_entry_at(const struct raft_node *n, uint64_t index)
{
	if (index <= n->log_base || index > n->log_len)
		return NULL;
	return raft_log_at(n, index);
}

uint64_t raft_term_at(const struct raft_node *n, uint64_t index)
{
	if (index > n->log_base && index <= n->log_len)
		return raft_log_at(n, index)->term;
	if (index == n->log_base)
		return n->base_term;
	if (index == n->snap_index)
		return n->snap_term;
	return 0;
}

uint64_t raft_snapshot_index(const struct raft_node *n) { return n->snap_index; }
uint64_t raft_snapshot_term(const struct raft_node *n) { return n->snap_term; }
size_t raft_snapshot_count(const struct raft_node *n) { return n->snap_n; }
const struct raft_entry *raft_snapshot_entries(const struct raft_node *n) { return n->snap; }

uint64_t raft_commit_index(const struct raft_node *n) { return n->commit; }
uint64_t raft_last_applied(const struct raft_node *n) { return n->applied; }
uint64_t raft_persisted_index(const struct raft_node *n) { return n->persisted; }
bool raft_out_of_memory(const struct raft_node *n) { return n->oom; }

uint64_t raft_next_index(const struct raft_node *n, uint8_t peer)
{
	if (n->role != RAFT_LEADER || peer < 1 || peer > n->cfg.n_nodes ||
	    (!raft_conf_is_voter(&n->conf, peer) && !raft_conf_is_learner(&n->conf, peer)))
		return 0;
	return peer == n->cfg.id ? n->log_len + 1 : n->peers[peer].next;
}

uint64_t raft_match_index(const struct raft_node *n, uint8_t peer)
{
	if (n->role != RAFT_LEADER || peer < 1 || peer > n->cfg.n_nodes ||
	    (peer != n->cfg.id && !raft_conf_is_voter(&n->conf, peer) &&
	     !raft_conf_is_learner(&n->conf, peer)))
		return 0;
	return n->peers[peer].match;
}
