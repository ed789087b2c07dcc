/* raft.h - one Raft node as a pure, sans-IO state machine.
 *
 * The node never reads a clock, never calls rand(), never does I/O.  Its only
 * inputs are:
 *   raft_tick()        time passed (the caller calls it at or after
 *                      raft_next_deadline_us(); calling it early is harmless)
 *   raft_step()        a message arrived
 *   raft_propose()     a client proposal
 *   raft_timeout_now() admin: the election timer fires now
 *   raft_persisted()   the caller's disk finished writing a ready batch
 *   raft_restart()     the node crashed and boots again from durable state
 * Its outputs are collected into one "ready" batch (etcd's Ready), taken with
 * raft_take_ready():
 *   - hard state (term, votedFor) and log entries to make durable,
 *   - messages to send, which the caller must send only AFTER the batch's
 *     persistent state is durable (this is how a vote or an AppendEntries
 *     success is never sent before the state that justifies it is on disk),
 *   - the range of committed entries the node applied to its key-value map,
 *   - a snapshot taken (log compaction) or installed from the leader.
 *
 * One message per batch: after raft_step(), take the batch
 * (raft_take_ready()) before stepping the next message (a debug build
 * asserts it).  Two messages in one batch could overwrite entries the batch
 * is about to write, or whose acknowledgement it is about to send.
 * raft_tick(), raft_propose(), raft_timeout_now() and raft_persisted() may
 * be called several times per batch.
 *
 * Time is an int64_t count of microseconds.  Randomness is a per-node
 * splitmix64/xoshiro stream seeded by the caller.  Memory: every node owns
 * its log and map; pointers handed out stay valid until the next call that
 * takes a non-const node.  Functions that can fail return 0 or a negative
 * RAFT_E* code; allocation failure is reported, never aborted on.
 */
#ifndef RAFT_RAFT_H
#define RAFT_RAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAFT_NODES_MAX 255 /* node ids are 1..RAFT_NODES_MAX; 0 means none */
#define RAFT_CMD_MAX 31    /* bytes of one "KEY=VALUE" command, without NUL */

enum {
	RAFT_OK = 0,
	RAFT_ENOMEM = -1,
	RAFT_ENOTLEADER = -2, /* proposal to a node that is not leader */
	RAFT_EINVAL = -3,     /* malformed command or configuration */
	RAFT_ETRANSFER = -4,  /* the leader is transferring leadership: it takes
	                         no new writes (raft_propose) and no second
	                         transfer until this one ends */
	RAFT_EBUSY = -5,      /* a configuration change is still in progress */
};

/* Roles.  Every role and message type has one entry in vocab.c's tables;
 * code that switches on them names every case (no default:), so a new one
 * cannot be treated as the wrong thing. */
enum raft_role {
	RAFT_FOLLOWER = 0,
	RAFT_CANDIDATE = 1,
	RAFT_LEADER = 2,
	RAFT_PRECANDIDATE = 3, /* PreVote (dissertation section 9.6): asks whether
	                          it could win before it raises its term */
};
#define RAFT_ROLES 4

/* Teaching bugs (issue "robustness"): each switches off one rule of Raft. */
enum raft_bug {
	RAFT_BUG_COMMIT_OLD_TERM = 1u << 0, /* count replicas of old-term entries (Figure 8) */
	RAFT_BUG_VOTE_TWICE = 1u << 1,      /* grant more than one vote per term */
	RAFT_BUG_NO_LOG_CHECK = 1u << 2,    /* skip the up-to-date check when voting */
	RAFT_BUG_NO_TRUNCATE = 1u << 3,     /* overwrite in place, keep a conflicting suffix */
	RAFT_BUG_FORGET_VOTE = 1u << 4,     /* votedFor is not persisted across a restart */
	RAFT_BUG_NO_STEP_DOWN = 1u << 5,    /* a higher term in a reply is adopted without
	                                       converting to follower */
	RAFT_BUG_LAZY_VOTE = 1u << 6,       /* votedFor alone is not made durable before
	                                       the vote reply leaves */
	RAFT_BUG_KEEP_PERSISTED = 1u << 7,  /* persisted is not lowered when entries
	                                       are replaced */
	RAFT_BUG_SNAPSHOT_KEEPS_MAP = 1u << 8, /* InstallSnapshot keeps the old
	                                          key-value map */
	RAFT_BUG_STALE_REPLY = 1u << 9,     /* AppendEntries replies from older terms
	                                       are used */
	RAFT_BUG_MATCH_FROM_NEXT = 1u << 10, /* the leader sets matchIndex from the
	                                        optimistic nextIndex */
	RAFT_BUG_STALE_READ = 1u << 11,      /* a leader answers a read from its own map
	                                        without checking it still leads
	                                        (the simulator's read path `local`) */
	RAFT_BUG_LEASE_SKEW = 1u << 12,      /* a leader's lease ignores clock drift: it
	                                        lasts the whole minimum election timeout
	                                        (the simulator's lease reads; the fuzzer
	                                        then skews clocks far past any bound) */
	RAFT_BUG_CONFIG_BEFORE_NOOP = 1u << 13, /* a new leader appends a configuration
	                                           entry before an entry of its own term
	                                           committed (the 2015 fix is off) */
};

/* "commit-old-term" etc. -> the bit; 0 for an unknown name.  raft_bug_name
 * is the reverse (NULL for anything but a single known bit).  RAFT_BUG_NAMES
 * lists every name, for messages. */
#define RAFT_BUG_NAMES                                                                    \
	"commit-old-term, vote-twice, no-log-check, no-truncate, forget-vote, no-step-down, "   \
	"lazy-vote, keep-persisted, snapshot-keeps-map, stale-reply, match-from-next, "        \
	"stale-read, lease-skew, config-before-noop"
uint32_t raft_bug_from_name(const char *name);
const char *raft_bug_name(uint32_t bit);
/* The name of the first bug set in *bits (table order), which it clears;
 * NULL once none is left.  Walks a set of several bugs:
 *     for (uint32_t left = bugs; (name = raft_bug_next(&left));) ... */
const char *raft_bug_next(uint32_t *bits);

/* What a log entry holds.  Only commands change the key-value map. */
enum raft_entry_type {
	RAFT_ENTRY_COMMAND = 0, /* a client's "KEY=VALUE" */
	RAFT_ENTRY_CONFIG = 1,  /* a configuration: who votes, who only listens
	                           (raft_entry_conf() reads it) */
	RAFT_ENTRY_NOOP = 2,    /* nothing: a leader's first entry of its term */
	RAFT_ENTRY_READ = 3,    /* a read through the log: just the key (raft_propose_read) */
};

/* One log entry: 40 bytes, the command stored inline (len and type share
 * one byte). */
struct raft_entry {
	uint64_t term;
	uint8_t len : 6;         /* bytes used in cmd (<= RAFT_CMD_MAX) */
	uint8_t type : 2;        /* enum raft_entry_type; 0: a command */
	char cmd[RAFT_CMD_MAX];  /* "KEY=VALUE", not NUL-terminated */
};
_Static_assert(sizeof(struct raft_entry) == 40, "a log entry stays 40 bytes");

enum raft_msg_type {
	RAFT_MSG_VOTE = 0,         /* RequestVote */
	RAFT_MSG_VOTE_REPLY = 1,   /* RequestVote response */
	RAFT_MSG_APPEND = 2,       /* AppendEntries (a heartbeat when n_entries == 0) */
	RAFT_MSG_APPEND_REPLY = 3, /* AppendEntries response */
	RAFT_MSG_SNAPSHOT = 4,     /* InstallSnapshot (paper section 7); answered
	                              with an APPEND_REPLY */
	RAFT_MSG_PREVOTE = 5,      /* PreVote request (section 9.6): term is the
	                              term the sender would campaign in; it
	                              changes nobody's term or vote */
	RAFT_MSG_PREVOTE_REPLY = 6, /* PreVote response: granted, with the
	                               request's term; refused, with the
	                               voter's own term */
	RAFT_MSG_TIMEOUT_NOW = 7,  /* leadership transfer (dissertation section
	                              3.10): the leader tells a caught-up
	                              follower to start an election at once;
	                              no reply (its RequestVote follows) */
};
#define RAFT_MSG_TYPES 8

struct raft_msg {
	uint8_t type; /* enum raft_msg_type */
	uint8_t from, to;
	bool success;  /* (PRE)VOTE_REPLY: vote granted; APPEND_REPLY: entries matched */
	bool transfer; /* VOTE: the candidate campaigns because its leader handed
	                  over (TimeoutNow), so CheckQuorum's "a leader is
	                  recent" rule does not hold the vote back (etcd's
	                  campaignTransfer) */
	uint64_t term; /* sender's currentTerm */
	/* VOTE, PREVOTE: candidate's last log index/term.
	 * APPEND: prevLogIndex/prevLogTerm.
	 * SNAPSHOT: lastIncludedIndex/lastIncludedTerm.
	 * APPEND_REPLY: index is the prevLogIndex of the AppendEntries (or
	 * the lastIncludedIndex of the snapshot) it answers (the leader uses
	 * it to ignore answers to old messages). */
	uint64_t index, log_term;
	/* APPEND: leaderCommit.
	 * APPEND_REPLY success: the last index the follower now matches.
	 * APPEND_REPLY failure: conflict hint, the first index the leader
	 * should try next (fast back-up, paper section 5.3).  */
	uint64_t commit;
	/* APPEND_REPLY failure: the term of the follower's conflicting entry
	 * (0 when its log is simply too short). */
	uint64_t conflict_term;
	/* APPEND: the entries; SNAPSHOT: the state machine as of
	 * lastIncludedIndex, one entry per key (the last applied "KEY=VALUE").
	 * In a message handed out by raft_take_ready() they point into the
	 * sender's memory and are valid until the next non-const call on that
	 * node; the caller copies what it keeps. */
	uint32_t n_entries;
	const struct raft_entry *entries;
	/* APPEND, SNAPSHOT: the sender's clock when it made the message.
	 * APPEND_REPLY: the clock_us of the message it answers, echoed, so a
	 * leader knows which of its rounds a majority acknowledged (lease
	 * reads, dissertation section 6.4.1).  Other types: the sender's
	 * clock, unused. */
	int64_t clock_us;
};

struct raft_config {
	uint8_t id;      /* 1..n_nodes */
	uint8_t n_nodes; /* servers that exist: 1..n_nodes */
	/* The first configuration: voters 1..n_voters (0, the default: all
	 * n_nodes).  The others are spares: they run, but are not members
	 * until a configuration entry adds them (raft_propose_change()). */
	uint8_t n_voters;
	int64_t election_timeout_us_min; /* default 150 ms */
	int64_t election_timeout_us_max; /* default 300 ms, inclusive */
	int64_t heartbeat_us;            /* default 50 ms */
	uint32_t entries_per_msg_max;    /* cap per AppendEntries, default 64 */
	uint32_t bugs;                   /* enum raft_bug bits, default 0 */
	/* Log compaction (paper section 7): once this many applied entries
	 * follow the last snapshot (and at least as many as the map has keys,
	 * so a snapshot's O(keys) copy is paid once per O(keys) entries), the
	 * node snapshots its map and drops its log up to the last applied
	 * entry, keeping snapshot_trailing entries before it so a follower
	 * that lags a little still gets entries rather than a snapshot.
	 * 0 (the default): never compact. */
	uint32_t snapshot_threshold;
	uint32_t snapshot_trailing;
	/* PreVote (dissertation section 9.6): a node whose election timer
	 * fires becomes a pre-candidate and raises its term only once a
	 * majority would vote for it; a server grants a pre-vote only if the
	 * candidate's log is up to date and it has not heard from a leader
	 * within the minimum election timeout.  Default off. */
	bool prevote;
	/* CheckQuorum (section 6.2): a leader that has not heard from a
	 * majority within the minimum election timeout steps down; and
	 * (section 4.2.3) a server that heard from a leader within the minimum
	 * election timeout ignores RequestVote (neither its term nor its vote
	 * changes).  Default off. */
	bool checkquorum;
	/* Lease reads (dissertation section 6.4.1): a leader's lease rests on
	 * the promise that no server votes for another leader within the
	 * minimum election timeout of hearing from it.  With lease on, a
	 * server that heard from a leader within the minimum election timeout,
	 * or booted (raft_restore, raft_restart) less than that ago, ignores
	 * RequestVote, as CheckQuorum's section 4.2.3 rule does.  Default off. */
	bool lease;
	uint64_t seed;                   /* this node's PRNG seed */
};

/* Fills *c with the defaults above for node id of n nodes. */
void raft_config_default(struct raft_config *c, uint8_t id, uint8_t n_nodes);

/* The batch of work the node hands back.  Filled by raft_take_ready(). */
struct raft_ready {
	/* Hard state to make durable (always the node's current values;
	 * hard_state_changed tells whether they differ from the last batch). */
	bool hard_state_changed;
	uint64_t term;
	uint8_t voted_for;
	/* Log entries [persist_from, persist_to] to write, after discarding
	 * anything the disk holds from persist_from on.  persist_from == 0:
	 * no log write.  If truncated is true, entries at persist_from and
	 * above were deleted (a conflicting suffix), not only appended.  */
	uint64_t persist_from, persist_to;
	uint64_t persist_term; /* term of entry persist_to */
	bool truncated;
	/* Messages to send once the above is durable. */
	const struct raft_msg *msgs;
	size_t n_msgs;
	/* Entries (apply_from, apply_to] were applied to the map during the
	 * batch; apply_from == apply_to: none. */
	uint64_t apply_from, apply_to;
	/* A snapshot reached the disk in this batch: the node's map as of
	 * snapshot_index (term snapshot_term), and the log from
	 * raft_log_first() on.  installed: it came from the leader (the log
	 * before it was discarded and the map replaced); else the node
	 * compacted its own log.  snapshot_index == 0: none. */
	uint64_t snapshot_index, snapshot_term;
	bool snapshot_installed;
};

struct raft_node;

/* Creates a node on first boot: term 0, votedFor none, empty log, follower,
 * election deadline drawn from now_us.  Returns NULL on allocation failure
 * or an invalid configuration.  Free with raft_free(). */
struct raft_node *raft_new(const struct raft_config *c, int64_t now_us);
void raft_free(struct raft_node *n);
/* Deep copy (log, map, PRNG, pending batch): a checkpoint.  NULL on ENOMEM. */
struct raft_node *raft_clone(const struct raft_node *n);

/* Inputs. */
void raft_tick(struct raft_node *n, int64_t now_us);
void raft_step(struct raft_node *n, int64_t now_us, const struct raft_msg *m);
/* cmd must be "KEY=VALUE" with a non-empty KEY and len <= RAFT_CMD_MAX.
 * On success stores the new entry's index in *index (may be NULL).
 * RAFT_ENOTLEADER: *leader_hint (may be NULL) gets the leader this node
 * believes in (0 if none). */
int raft_propose(struct raft_node *n, int64_t now_us, const char *cmd, size_t len,
                 uint64_t *index, uint8_t *leader_hint);
/* A read through the log (dissertation 6.4's simplest way): appends an
 * entry holding just KEY (1..RAFT_CMD_MAX bytes, no '=', no NUL or
 * newline), which the state machine ignores when it applies it; the
 * driver answers the read from the map once the entry is applied with its
 * term.  Returns like raft_propose(). */
int raft_propose_read(struct raft_node *n, int64_t now_us, const char *key, size_t len,
                      uint64_t *index, uint8_t *leader_hint);
void raft_timeout_now(struct raft_node *n, int64_t now_us);
/* Leadership transfer (dissertation section 3.10), leader only: from now
 * on the leader refuses new writes (raft_propose: RAFT_ETRANSFER), brings
 * target up to date, and once target's matchIndex reaches its last index
 * sends it a TimeoutNow, on which target starts an election at once
 * (without PreVote).  The transfer ends when the leader steps down (it
 * hears the target's higher term), or is aborted when it has not within
 * the minimum election timeout: the leader takes writes again.
 * RAFT_ENOTLEADER; RAFT_EINVAL for itself or a node that is not a voter;
 * RAFT_ETRANSFER while a transfer is under way. */
int raft_transfer(struct raft_node *n, int64_t now_us, uint8_t target);

/* Membership changes (dissertation chapter 4), one server at a time.  A
 * configuration entry takes effect on every server as soon as it is in its
 * log (not when committed), and is undone if the entry is truncated.
 *   RAFT_CHANGE_ADD_LEARNER  id joins as a learner: it receives entries
 *                            but neither votes nor counts in a quorum
 *   RAFT_CHANGE_PROMOTE      the learner id becomes a voter (once caught up)
 *   RAFT_CHANGE_REMOVE       id (a voter or a learner) leaves; a leader
 *                            that removes itself keeps replicating without
 *                            counting itself and steps down once the
 *                            change commits (section 4.2.2)
 * Leader only.  RAFT_EBUSY while an earlier change is uncommitted (one
 * change at a time); RAFT_EINVAL if the change makes no sense (adding a
 * member, promoting a non-learner, removing the last voter, an id outside
 * 1..n_nodes, more than RAFT_CONF_MEMBERS_MAX members).  The 2015 fix: a
 * leader that has not yet committed an entry of its own term first
 * appends a no-op and holds the change until the no-op commits; then
 * *index gets 0, else the configuration entry's index. */
enum raft_change {
	RAFT_CHANGE_ADD_LEARNER = 0,
	RAFT_CHANGE_PROMOTE = 1,
	RAFT_CHANGE_REMOVE = 2,
};
/* (An earlier change still uncommitted at a leader that has no entry of
 * its own term yet: RAFT_EBUSY, and a no-op is appended so that it
 * commits.) */
#define RAFT_CONF_MEMBERS_MAX (RAFT_CMD_MAX - 1)
int raft_propose_change(struct raft_node *n, int64_t now_us, enum raft_change type, uint8_t id,
                        uint64_t *index, uint8_t *leader_hint);
/* Changes timing for the next timer draws (scenario `set`). */
void raft_set_timing(struct raft_node *n, int64_t election_timeout_us_min,
                     int64_t election_timeout_us_max, int64_t heartbeat_us);
/* Changes the cap of entries per AppendEntries (scenario `set batch`). */
void raft_set_batch(struct raft_node *n, uint32_t entries_per_msg_max);
/* Switches PreVote and CheckQuorum (scenario `set prevote=`, `set
 * checkquorum=`); they take effect from the next timeout or message. */
void raft_set_extensions(struct raft_node *n, int64_t now_us, bool prevote, bool checkquorum);
/* Switches lease reads' vote rule (raft_config.lease; scenario `set
 * reads=lease`). */
void raft_set_lease(struct raft_node *n, bool lease);
/* Lease reads (dissertation section 6.4.1).  A leader's lease starts at
 * the newest clock time (its own clock, as given to raft_tick/raft_step)
 * at which it made an AppendEntries round a majority (itself included)
 * has acknowledged in its term; INT64_MIN when none has been, or when the
 * node does not lead.  raft_lease_read_ok: the leader may answer a read
 * from its map at now_us (after applying up to raft_commit_index()): it
 * leads, it has committed an entry of its term (so it knows everything
 * committed), and now_us < the lease's start + lease_us, where lease_us
 * is the minimum election timeout shortened by a bound on clock drift. */
int64_t raft_lease_start_us(const struct raft_node *n);
bool raft_lease_read_ok(const struct raft_node *n, int64_t now_us, int64_t lease_us);
/* Changes the log compaction settings (scenario `set snapshot`). */
void raft_set_snapshot(struct raft_node *n, uint32_t threshold, uint32_t trailing);
/* The disk wrote the batch whose log part ended at (index, term) and whose
 * hard state was (hs_term, hs_vote).  index == 0: no log part.  Lets the
 * leader count itself and a follower apply committed entries. */
void raft_persisted(struct raft_node *n, uint64_t index, uint64_t term,
                    uint64_t hs_term, uint8_t hs_vote);
/* Crash + boot: forget everything but the durable state (the hard state
 * last acknowledged by raft_persisted() and the log up to the last durable
 * index).  commitIndex, lastApplied, the map, nextIndex/matchIndex and role
 * are lost; the node boots as a follower with a fresh election deadline. */
void raft_restart(struct raft_node *n, int64_t now_us);

/* What a node's disk holds: everything a restarted node may know. */
struct raft_durable {
	uint64_t term;     /* currentTerm */
	uint8_t voted_for; /* votedFor, 0: none */
	/* The snapshot (0: none): the map as of snapshot_index, one entry per
	 * key. */
	uint64_t snapshot_index, snapshot_term;
	const struct raft_entry *snapshot;
	size_t snapshot_count;
	/* The log: entries log_base + 1 .. log_base + n_entries (entries[0]
	 * is entry log_base + 1); log_base_term is the term of entry log_base
	 * (0 when log_base == 0).  log_base <= snapshot_index <= log_base +
	 * n_entries. */
	uint64_t log_base, log_base_term;
	const struct raft_entry *entries;
	uint64_t n_entries;
};

/* Boots a node from its durable state only (a crash, then a restart with
 * a fresh process): follower, commitIndex and lastApplied at the snapshot,
 * the map rebuilt from the snapshot, everything on disk counted as
 * persisted, a fresh election deadline from now_us.  NULL on allocation
 * failure or invalid input. */
struct raft_node *raft_restore(const struct raft_config *c, int64_t now_us,
                               const struct raft_durable *d);

/* Output. */
bool raft_has_ready(const struct raft_node *n);
/* Takes the pending batch and starts a new one.  Pointers inside *rd stay
 * valid until the next non-const call on n. */
void raft_take_ready(struct raft_node *n, struct raft_ready *rd);
/* The earliest time raft_tick() has work to do. */
int64_t raft_next_deadline_us(const struct raft_node *n);

/* Introspection (const; for visualizers and checkers). */
uint8_t raft_id(const struct raft_node *n);
uint8_t raft_n_nodes(const struct raft_node *n);
enum raft_role raft_role(const struct raft_node *n);
uint64_t raft_term(const struct raft_node *n);
uint8_t raft_voted_for(const struct raft_node *n);
uint8_t raft_leader_hint(const struct raft_node *n); /* leader of this term, or 0 */
/* Leader only: the node it is transferring leadership to (0: none), and
 * when it gives up (raft_transfer). */
uint8_t raft_transfer_target(const struct raft_node *n);
int64_t raft_transfer_deadline_us(const struct raft_node *n);
/* Whether voter granted this node its vote in the current term (candidate
 * or leader); raft_votes() counts them, self included. */
bool raft_vote_granted_by(const struct raft_node *n, uint8_t voter);
unsigned raft_votes(const struct raft_node *n);
int64_t raft_election_deadline_us(const struct raft_node *n);
int64_t raft_election_timeout_us(const struct raft_node *n); /* the drawn length */
uint64_t raft_last_index(const struct raft_node *n);
uint64_t raft_last_term(const struct raft_node *n);
/* The log in memory holds raft_log_first() .. raft_last_index(); entries
 * before it were compacted into a snapshot (1 when nothing was).
 * Entry at index raft_log_first()..raft_last_index(), NULL outside.  The
 * log is one array: raft_entry_at(n, i) + 1 == raft_entry_at(n, i + 1)
 * inside it. */
uint64_t raft_log_first(const struct raft_node *n);
const struct raft_entry *raft_entry_at(const struct raft_node *n, uint64_t index);
/* Term of the entry at index: also known for raft_log_first() - 1 and for
 * the snapshot's last index; 0 for anything else outside the log. */
uint64_t raft_term_at(const struct raft_node *n, uint64_t index);
/* The last snapshot: lastIncludedIndex/Term (0: none), and its map as
 * raft_snapshot_count() entries, one per key. */
uint64_t raft_snapshot_index(const struct raft_node *n);
uint64_t raft_snapshot_term(const struct raft_node *n);
size_t raft_snapshot_count(const struct raft_node *n);
const struct raft_entry *raft_snapshot_entries(const struct raft_node *n);
uint64_t raft_commit_index(const struct raft_node *n);
uint64_t raft_last_applied(const struct raft_node *n);
uint64_t raft_persisted_index(const struct raft_node *n);
/* An allocation failed in this node at some point (sticky): it dropped
 * work (a message, an append, an apply) it could not do, so a driver that
 * wants a faithful run must stop and say so. */
bool raft_out_of_memory(const struct raft_node *n);
/* Leader only (0 otherwise): nextIndex / matchIndex for peer 1..n_nodes, a
 * member of its configuration (0 for a spare or a removed server). */
uint64_t raft_next_index(const struct raft_node *n, uint8_t peer);
uint64_t raft_match_index(const struct raft_node *n, uint8_t peer);
/* The applied key-value map.  raft_map_get: value of key (klen bytes) or
 * NULL; *vlen gets its length.  raft_map_count / raft_map_at iterate in an
 * unspecified but deterministic order (i < raft_map_capacity; NULL for an
 * empty slot). */
const char *raft_map_get(const struct raft_node *n, const char *key, size_t klen, size_t *vlen);
size_t raft_map_count(const struct raft_node *n);
size_t raft_map_capacity(const struct raft_node *n);
const struct raft_entry *raft_map_at(const struct raft_node *n, size_t i);

/* The configuration in force (the last configuration entry in the log,
 * else the snapshot's, else the first one). */
bool raft_is_voter(const struct raft_node *n, uint8_t id);
bool raft_is_learner(const struct raft_node *n, uint8_t id);
/* Index of the configuration entry in force (0: the first configuration,
 * or one that arrived in a snapshot without its index kept). */
uint64_t raft_conf_index(const struct raft_node *n);
/* Leader: a change is held (waiting for the no-op) or uncommitted. */
bool raft_change_pending(const struct raft_node *n);
/* Reads a configuration entry: its voters and learners, ascending, into
 * the arrays (room for RAFT_CONF_MEMBERS_MAX each).  RAFT_EINVAL if e is
 * not a well-formed configuration entry. */
int raft_entry_conf(const struct raft_entry *e, uint8_t *voters, unsigned *n_voters,
                    uint8_t *learners, unsigned *n_learners);

/* The vocabulary (vocab.c): one descriptor per message type and per role,
 * which the trace, the scenario language and the window read. */
struct raft_msg_desc {
	const char *name;       /* "RequestVote": the JSONL type, raft_msg_type_name() */
	const char *short_name; /* "Vote": what the text trace calls it */
	bool reply;             /* an answer to a request */
	enum raft_msg_type pair; /* a request's reply type, a reply's request type */
	const char *gloss;      /* one phrase for legends and docs */
};
struct raft_role_desc {
	const char *name;   /* "follower": trace, scenario words, raft_role_name() */
	const char *plural; /* "followers": the counting condition */
	const char *gloss;  /* one phrase for legends and docs */
};
/* NULL for a value outside the enum (a malformed message). */
const struct raft_msg_desc *raft_msg_desc(unsigned type);
const struct raft_role_desc *raft_role_desc(unsigned role);
/* "follower", ...; "?" outside the enum. */
const char *raft_role_name(enum raft_role r);
/* "RequestVote", ...; "?" outside the enum. */
const char *raft_msg_type_name(enum raft_msg_type t);
/* The role named name (its name or plural, as plural says); -1: none. */
int raft_role_from_name(const char *name, size_t len, bool plural);

/* Helpers. */
/* Splits an entry's "KEY=VALUE" at the first '='. */
size_t raft_cmd_key_len(const struct raft_entry *e);

#endif
