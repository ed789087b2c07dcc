/* raft_internal.h - the node's private state, shared by the .c files of raft/ only. */
#ifndef RAFT_RAFT_INTERNAL_H
#define RAFT_RAFT_INTERNAL_H

#include "raft.h"

#include <string.h>

/* What a leader knows about one peer's log (Figure 2, "Volatile state on
 * leaders").  In replicate mode the leader streams entries and advances
 * next optimistically (pipelining); in probe mode it sends one
 * AppendEntries from next and waits for the answer or the next heartbeat. */
/* Replicate mode sends ahead of the replies by at most this many full
 * AppendEntries. */
#define RAFT_PIPELINE_MSGS 8

/* A follower's progress state (etcd-io/raft tracker.StateType, cowsql's
 * progress.c):
 *   PROBE      nextIndex is a guess: one AppendEntries at a time, wait
 *              for its answer (or the next heartbeat) before the next;
 *   REPLICATE  nextIndex is known good: stream entries ahead of replies;
 *   SNAPSHOT   the entries it needs were compacted: an InstallSnapshot is
 *              out, wait for its answer (or the next heartbeat). */
enum raft_progress_state {
	RAFT_PROGRESS_PROBE = 0,
	RAFT_PROGRESS_REPLICATE = 1,
	RAFT_PROGRESS_SNAPSHOT = 2,
};

struct raft_peer {
	uint64_t next;   /* nextIndex */
	uint64_t match;  /* matchIndex; the leader's own slot holds its persisted index */
	uint8_t state;   /* enum raft_progress_state */
	bool sent;       /* PROBE, SNAPSHOT: a message is out, wait */
	/* The newest clock_us of this leader's messages the peer echoed in
	 * an APPEND_REPLY of this term (lease reads); INT64_MIN: none. */
	int64_t acked_us;
};

/* A configuration: who votes, and who only listens (learners).  Members
 * are the voters and the learners: the leader replicates to them all. */
struct raft_conf {
	uint8_t n_voters, n_members;
	uint8_t voters[RAFT_NODES_MAX];  /* ids, ascending */
	uint8_t members[RAFT_NODES_MAX]; /* voters and learners, ascending */
	uint64_t voter_bits[4];          /* bit id: id is a voter */
	uint64_t learner_bits[4];        /* bit id: id is a learner */
};

/* The applied key-value map: open addressing, linear probing; a slot holds
 * the last applied entry for its key (len == 0: empty slot). */
struct raft_kv {
	struct raft_entry *slots;
	uint64_t *hashes; /* the key hash of each slot, compared before the key */
	size_t cap; /* 0 or a power of two */
	size_t count;
};

struct raft_node {
	struct raft_config cfg;
	/* Membership (dissertation chapter 4).  conf is in force: the last
	 * configuration entry in the log (at conf_index), else snap_conf, the
	 * configuration as of the snapshot's last index (the first one when
	 * there is no snapshot).  The leader holds a requested change
	 * (held_type, held_id) while its no-op is not committed (the 2015
	 * fix). */
	struct raft_conf conf;
	struct raft_conf snap_conf;
	struct raft_conf initial_conf;
	uint64_t conf_index;
	bool held;
	uint8_t held_type, held_id;
	uint64_t rng; /* splitmix64 state */
	uint8_t role; /* enum raft_role */
	/* An allocation failed (sticky): some work was left undone, so the
	 * node no longer behaves as Raft says; raft_out_of_memory() tells the
	 * driver, which must stop trusting the run. */
	bool oom;

	/* Figure 2 "Persistent state on all servers", in memory. */
	uint64_t term;     /* currentTerm */
	uint8_t voted_for; /* votedFor, 0: none */
	uint8_t leader;    /* the leader heard from in this term, 0: none */
	/* The log in memory: entries log_base + 1 .. log_len, entry i at
	 * log[i - log_base - 1] (raft_log_at); base_term is the term of entry
	 * log_base (0 when log_base == 0).  log_cap counts array slots. */
	struct raft_entry *log;
	uint64_t log_base, base_term, log_len, log_cap;

	/* The snapshot (section 7), durable: the map as of snap_index, packed
	 * as snap_n entries (snap_cap allocated).  log_base <= snap_index. */
	uint64_t snap_index, snap_term;
	struct raft_entry *snap;
	size_t snap_n, snap_cap;
	bool snap_new, snap_installed; /* for the pending ready batch */

	/* Figure 2 "Volatile state on all servers". */
	uint64_t commit;  /* commitIndex */
	uint64_t applied; /* lastApplied */

	/* What the disk holds: log[1..persisted] and (hs_term, hs_vote). */
	uint64_t persisted;
	uint64_t hs_term;
	uint8_t hs_vote;

	/* Timers. */
	int64_t election_deadline_us, election_timeout_us;
	int64_t heartbeat_deadline_us; /* leader only */
	/* When the node last heard from the leader of its term (AppendEntries,
	 * InstallSnapshot); a leader: when it became one.  PreVote and
	 * CheckQuorum refuse votes while it is recent. */
	int64_t leader_heard_us;
	/* The node's clock as of its latest input (messages carry it), and
	 * when it last booted from its disk (INT64_MIN: never; lease reads
	 * refuse votes for a minimum election timeout after a boot). */
	int64_t clock_us, booted_us;
	/* Leader: its clock when it became leader; echoed clocks before it
	 * answer an older leadership and give no lease. */
	int64_t led_since_us;
	/* CheckQuorum, leader only: the next check, and the voters heard from
	 * since the last one (bit per id, itself included). */
	int64_t quorum_deadline_us;
	uint64_t active[4];
	/* Leadership transfer (section 3.10), leader only: the target (0:
	 * none), when the leader gives up, and whether TimeoutNow went out. */
	uint8_t transfer_to;
	bool transfer_sent;
	int64_t transfer_deadline_us;

	/* Candidate and leader: who granted its vote this term (bit per id). */
	uint64_t votes[4];
	unsigned n_votes;

	/* Leader state.  peers[id] for id 1..n_nodes, peers[self] included.
	 * The commit rule counts voters whose match >= commit_thr; only when
	 * commit_cnt reaches a majority is the majority-th largest match
	 * selected (O(n_nodes) per commit advance, O(1) per reply). */
	struct raft_peer *peers;
	uint64_t *scratch;   /* n_nodes match values for the selection */
	uint64_t first_cur;  /* first index of currentTerm in the log, 0: none */
	uint64_t commit_thr; /* UINT64_MAX: nothing can commit yet */
	unsigned commit_cnt;
	bool flush_all; /* proposals appended since the last raft_take_ready() */

	/* The pending ready batch. */
	bool stepped;     /* raft_step() was called since the last batch */
	uint64_t wr_from; /* lowest log index written since the last batch, 0: none */
	bool wr_trunc;    /* an existing entry was deleted or overwritten */
	uint64_t rd_term; /* hard state and applied index of the last batch */
	uint8_t rd_vote;
	uint8_t rd_role; /* a role change alone (a leader stepping down in its
	                    own term, CheckQuorum) is a batch too, so drivers
	                    see it */
	uint64_t rd_applied;
	/* Pending messages.  APPEND entries are kept as (index, n_entries)
	 * and only turned into pointers into the log by raft_take_ready(),
	 * because the log may be reallocated before that. */
	struct raft_msg *msgs;
	size_t n_msgs, msgs_cap;

	struct raft_kv kv;
};

/* quorum.c */
/* Voters 1..n_voters. */
void raft_conf_init(struct raft_conf *c, uint8_t n_voters);
/* Rebuilds the id lists from the bit sets. */
void raft_conf_from_bits(struct raft_conf *c, const uint64_t *voters, const uint64_t *learners);
static inline bool raft_conf_is_voter(const struct raft_conf *c, unsigned id)
{
	return id < 256 && ((c->voter_bits[id / 64] >> (id % 64)) & 1u);
}
static inline bool raft_conf_is_learner(const struct raft_conf *c, unsigned id)
{
	return id < 256 && ((c->learner_bits[id / 64] >> (id % 64)) & 1u);
}
static inline bool raft_conf_same(const struct raft_conf *a, const struct raft_conf *b)
{
	return !memcmp(a->voter_bits, b->voter_bits, sizeof a->voter_bits) &&
	       !memcmp(a->learner_bits, b->learner_bits, sizeof a->learner_bits);
}
/* A configuration entry of this term holding c. */
void raft_conf_encode(const struct raft_conf *c, uint64_t term, struct raft_entry *e);
/* Reads a configuration entry whose ids are all 1..max_id; RAFT_EINVAL if
 * malformed (c is then unchanged). */
int raft_conf_decode(const struct raft_entry *e, uint8_t max_id, struct raft_conf *c);
/* Votes that make a majority of the voters. */
unsigned raft_quorum(const struct raft_conf *c);
/* Whether the voters with their bit set in granted (bit per id) are a
 * majority. */
bool raft_quorum_has(const struct raft_conf *c, const uint64_t *granted);
/* The highest index a majority of voters match (peers[id].match), using
 * scratch (room for n_voters values). */
uint64_t raft_quorum_match(const struct raft_conf *c, const struct raft_peer *peers,
                           uint64_t *scratch);

/* membership.c */
/* The configuration in force as of index (index <= log_len): the last
 * configuration entry at or before it, else snap_conf.  *at gets that
 * entry's index (0 for snap_conf). */
void raft_conf_as_of(const struct raft_node *n, uint64_t index, struct raft_conf *c,
                     uint64_t *at);
/* The log changed from index at on (entries there were replaced or
 * appended); last_conf is the last configuration entry written (0: none).
 * Puts the configuration in force. */
void raft_conf_log_written(struct raft_node *n, uint64_t at, uint64_t last_conf);
/* Boot from durable state: snap_conf from the snapshot's configuration
 * entry (initial_conf without one), conf from the log. */
void raft_conf_boot(struct raft_node *n);
/* Snapshot at index: sets snap_conf to the configuration as of index and,
 * unless it is the first one, writes it as a configuration entry at
 * n->snap[k] (room reserved); returns the new count. */
size_t raft_conf_snapshot(struct raft_node *n, uint64_t index, size_t k);
/* The log was cut to log_len (restart): the configuration in force again. */
void raft_conf_recompute(struct raft_node *n);
/* Leader, after the commit index moved: releases a held change once an
 * entry of its term committed, and steps down once its own removal
 * committed. */
void raft_conf_committed(struct raft_node *n);
/* Whether this server's election timer may make it campaign: it votes in
 * the configuration in force, or it did until an entry not yet known to
 * be committed removed it. */
bool raft_conf_may_campaign(const struct raft_node *n);
/* The leader's progress for a member it just added. */
void raft_conf_peer_added(struct raft_node *n, uint8_t id);

/* node.c */
void raft_timer_reset(struct raft_node *n, int64_t now_us);
/* Appends a zeroed message of type from this node in its current term;
 * NULL on allocation failure (the message is lost, which Raft tolerates). */
struct raft_msg *raft_msg_push(struct raft_node *n, uint8_t type, uint8_t to);

/* log.c */
static inline struct raft_entry *raft_log_at(const struct raft_node *n, uint64_t index)
{
	return &n->log[index - n->log_base - 1];
}
/* Room for entries up to index last. */
int raft_log_reserve(struct raft_node *n, uint64_t last);
/* Writes count entries at index at (1 <= at <= log_len + 1) after
 * raft_log_reserve(n, at - 1 + count).  Existing entries from at on are
 * deleted first unless keep_suffix (RAFT_BUG_NO_TRUNCATE: overwrite in
 * place).  Records the write for the next ready batch. */
void raft_log_write(struct raft_node *n, uint64_t at, const struct raft_entry *e,
                    uint64_t count, bool keep_suffix);
/* First index <= hi whose term is term (hi has that term). */
uint64_t raft_log_first_of_term(const struct raft_node *n, uint64_t term, uint64_t hi);
/* Last index holding term, 0 if the log has no entry of that term. */
uint64_t raft_log_last_of_term(const struct raft_node *n, uint64_t term);
/* Drops the pending AppendEntries that carry any entry in lo..hi, as if
 * the network lost them: those entries are about to change or leave
 * memory, and raft_take_ready() could not point at them. */
void raft_log_drop_appends(struct raft_node *n, uint64_t lo, uint64_t hi);
/* Drops entries log_base + 1 .. upto (upto <= log_len) from memory. */
void raft_log_compact(struct raft_node *n, uint64_t upto);

/* snapshot.c */
/* Takes a snapshot if the configuration asks for one (start of a batch). */
void raft_snapshot_maybe(struct raft_node *n);
void raft_snapshot_send(struct raft_node *n, uint8_t to);
void raft_recv_snapshot(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* Restores the map from the snapshot (restart). */
int raft_snapshot_restore(struct raft_node *n);

/* election.c */
/* The election timer fired: a pre-vote round with PreVote, else an
 * election. */
void raft_election_timeout(struct raft_node *n, int64_t now_us);
void raft_election_start(struct raft_node *n, int64_t now_us);
/* A leader of this term was heard from within the minimum election timeout
 * (a leader counts itself). */
bool raft_leader_recent(const struct raft_node *n, int64_t now_us);
/* RequestVote is ignored now (section 4.2.3 with CheckQuorum, or lease
 * reads' promise). */
bool raft_vote_held(const struct raft_node *n, int64_t now_us);
void raft_recv_prevote(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
void raft_recv_prevote_reply(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* CheckQuorum, leader: m's sender was heard from; the check itself. */
void raft_quorum_heard(struct raft_node *n, uint8_t from);
void raft_quorum_check(struct raft_node *n, int64_t now_us);
void raft_become_follower(struct raft_node *n, int64_t now_us, uint64_t term);
void raft_recv_vote(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
void raft_recv_vote_reply(struct raft_node *n, int64_t now_us, const struct raft_msg *m);

/* transfer.c */
/* The target's matchIndex may have reached the leader's last index: send
 * TimeoutNow once it has. */
void raft_transfer_progress(struct raft_node *n);
/* Leader, raft_tick(): the transfer ran out of time. */
void raft_transfer_tick(struct raft_node *n, int64_t now_us);
/* TimeoutNow arrived: campaign at once. */
void raft_recv_timeout_now(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* Starts an election now, without PreVote; its RequestVotes carry the
 * transfer flag. */
void raft_election_transfer(struct raft_node *n, int64_t now_us);
/* The hard state is durable: a lone voter's candidacy becomes leadership. */
void raft_election_durable(struct raft_node *n);
/* lease.c */
/* Leader: peer from echoed clock_us in an APPEND_REPLY of this term. */
void raft_lease_acked(struct raft_node *n, uint8_t from, int64_t clock_us);
/* Leader: its lease ends for good (it sent TimeoutNow). */
void raft_lease_void(struct raft_node *n);

/* replication.c */
void raft_repl_start(struct raft_node *n, int64_t now_us);
void raft_repl_heartbeat(struct raft_node *n, int64_t now_us);
void raft_repl_flush(struct raft_node *n);
/* Sends to peer `to` now what it lacks (a transfer's target). */
void raft_repl_send_now(struct raft_node *n, uint8_t to);
void raft_repl_self_persisted(struct raft_node *n);
/* The commit rule again, after the configuration changed. */
void raft_repl_recount(struct raft_node *n);
/* Appends a new entry of this type (enum raft_entry_type) as leader. */
int raft_repl_propose(struct raft_node *n, const char *cmd, size_t len, uint8_t type,
                      uint64_t *index);
void raft_recv_append(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* AppendEntries and InstallSnapshot from a leader: false (after replying
 * to a stale term) if m must be ignored; else the node follows m's sender
 * and restarts its election timer. */
bool raft_accept_leader(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* Queues an APPEND_REPLY to m (index = m->index). */
void raft_append_reply(struct raft_node *n, const struct raft_msg *m, bool success,
                       uint64_t commit, uint64_t conflict_term);
void raft_recv_append_reply(struct raft_node *n, const struct raft_msg *m);

/* kv.c */
int raft_cmd_check(const char *cmd, size_t len);
/* Applies committed, durable entries: log[lastApplied+1 ..
 * min(commitIndex, persisted)]. */
void raft_apply(struct raft_node *n);
void raft_kv_clear(struct raft_kv *kv);
int raft_kv_copy(struct raft_kv *dst, const struct raft_kv *src);
int raft_kv_set(struct raft_kv *kv, const struct raft_entry *e);
void raft_kv_free(struct raft_kv *kv);

#endif
