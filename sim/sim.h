/* sim.h - the world around the Raft nodes: a deterministic discrete-event
 * simulator with a virtual clock, a faulty network, a disk, crashes,
 * clients and an always-on safety checker.
 *
 * Events are ordered by (time, sequence number); one seed feeds one master
 * PRNG from which every node, the network, the disk and the clients derive
 * their own streams.  Same config + same calls => byte-identical trace.
 *
 * Ownership: struct sim owns everything it hands out; const pointers stay
 * valid until the next non-const call on the sim.  Functions returning int
 * return 0 or a negative SIM_E* code.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "raft.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	SIM_OK = 0,
	SIM_ENOMEM = -1,
	SIM_EINVAL = -2,    /* bad node id, bad command, bad config value */
	SIM_ENOLEADER = -3, /* an action needed a leader and there is none */
	SIM_ESTOPPED = -4,  /* the checker found a violation; the run is over */
	SIM_ELIMIT = -5,    /* a budget (max_events, max_memory) ran out; the run is over */
	SIM_ETRANSFER = -6, /* a leadership transfer is already under way */
};

#define SIM_PPM 1000000u /* probabilities are parts per million */

/* How a leader answers a client's get (dissertation 6.4).
 * LOG: the read goes through the log like a write (raft_propose_read());
 * the leader that accepted it answers from its map once it applied it.
 * READINDEX: it notes its commit index (once an entry of its own term is
 * committed), waits for a majority to answer one of its AppendEntries sent
 * after the read arrived (it still leads), and for its state machine to
 * apply up to the noted index; then it answers from its map.
 * LOCAL: it answers from its map at once, without any check - the
 * teaching bug a deposed leader serves stale data with (--bug stale-read
 * forces it). */
enum sim_reads { SIM_READS_READINDEX, SIM_READS_LOCAL, SIM_READS_LOG, SIM_READS_LEASE };
/* LEASE (dissertation 6.4.1): the leader notes its commit index (once an
 * entry of its own term is committed) and answers from its map, without a
 * round trip, while its lease holds (raft_lease_read_ok): the lease starts
 * at the leader's clock when it made an AppendEntries round a majority
 * acknowledged and lasts sim_lease_us(), the minimum election timeout
 * shortened by the drift bound.  The nodes then ignore RequestVote within
 * a minimum election timeout of hearing from a leader (raft_config.lease). */

struct sim_config {
	uint16_t nodes;                  /* 1..RAFT_NODES_MAX, default 5 */
	/* The first configuration: voters n1..n<voters>; the others are
	 * spares, running but not members until sim_member_add().  0 (the
	 * default): every node votes. */
	uint16_t voters;
	uint64_t seed;                   /* default 1 */
	int64_t election_us_min;         /* default 150 ms */
	int64_t election_us_max;         /* default 300 ms */
	int64_t heartbeat_us;            /* default 50 ms */
	int64_t latency_us_min;          /* one-way, default 5 ms */
	int64_t latency_us_max;          /* default 15 ms, inclusive */
	int64_t disk_us;                 /* persist latency, default 0 */
	uint32_t drop_ppm;               /* per message, default 0 */
	uint32_t dup_ppm;                /* per message, default 0 */
	/* Slow messages (a stalled switch, a paused process): each message is
	 * slow with this chance and arrives slow_us_min..slow_us_max later
	 * than its latency says.  Default 0 (none); 300 ms..3 s. */
	uint32_t slow_ppm;
	int64_t slow_us_min, slow_us_max;
	uint32_t entries_per_msg_max;    /* default 64 */
	uint32_t bugs;                   /* enum raft_bug bits */
	/* Log compaction: snapshot every this many applied entries (0, the
	 * default: never), keeping snapshot_trailing entries before it. */
	uint32_t snapshot_threshold;
	uint32_t snapshot_trailing;
	/* PreVote (dissertation section 9.6) and CheckQuorum (section 6.2),
	 * raft_config's fields of the same names; default off. */
	bool prevote, checkquorum;
	int64_t client_retry_us;         /* client gives up on a request, default 1 s */
	enum sim_reads reads;            /* how a leader answers a get, default readindex */
	/* Lease reads: the bound on how much faster one node's clock may run
	 * than another's, in percent (0..100, default 10). */
	uint32_t drift_pct;
	bool checker;                    /* default true */
	/* A crash tears the oldest write in flight: the disk keeps its hard
	 * state and a random prefix (possibly empty) of its entries.  Default
	 * false: a crash loses every write in flight whole. */
	bool torn_writes;
	/* Budgets: the run stops (sim_halt() == SIM_ELIMIT) once it has
	 * processed max_events events, or once the simulator holds more than
	 * max_memory_bytes (sim_memory_bytes(), checked every
	 * SIM_MEMORY_CHECK_EVENTS events).  0: no limit. */
	uint64_t max_events;             /* default SIM_MAX_EVENTS_DEFAULT */
	uint64_t max_memory_bytes;       /* default SIM_MAX_MEMORY_DEFAULT */
};

#define SIM_MAX_EVENTS_DEFAULT 100000000ull      /* 100 M events */
#define SIM_MAX_MEMORY_DEFAULT (1ull << 30)      /* 1 GiB */
#define SIM_MEMORY_CHECK_EVENTS 1024u
/* Timers (election timeout, heartbeat) shorter than this are refused: they
 * make virtual time crawl (a 1 us heartbeat on 255 nodes is 65 billion
 * messages per virtual second). */
#define SIM_TIMER_US_MIN 1000
/* A client's retries back off: after SIM_CLIENT_BACKOFF_AFTER retries at
 * the base wait (client_retry_us, or the election timeout while no leader
 * is known), each retry doubles it, up to SIM_CLIENT_BACKOFF_MAX times
 * client_retry_us, plus up to half of that again as jitter. */
#define SIM_CLIENT_BACKOFF_AFTER 3
#define SIM_CLIENT_BACKOFF_MAX 8

void sim_config_default(struct sim_config *c);
/* Checks ranges; on error writes a one-line reason into err (may be NULL). */
int sim_config_validate(const struct sim_config *c, char *err, size_t errcap);

struct sim;

/* NULL on allocation failure or invalid config. */
struct sim *sim_new(const struct sim_config *c);
void sim_free(struct sim *s);
/* A checkpoint: a deep copy of the whole state (nodes, queue, network,
 * PRNGs, clients, checker, counters).  Running the copy with the same calls
 * produces the same events.  The trace sink is copied too. */
struct sim *sim_clone(const struct sim *s);

/* Changes what can change mid-run: everything but nodes, seed, bugs,
 * entries_per_msg_max and checker, which stay as they are. */
int sim_reconfigure(struct sim *s, const struct sim_config *c);
const struct sim_config *sim_config(const struct sim *s);

/* ---- Driving ---------------------------------------------------------- */
int64_t sim_now_us(const struct sim *s);
int64_t sim_next_event_us(const struct sim *s); /* INT64_MAX if none */
/* Processes the next event and advances the clock to its time.
 * Returns false if there is none or the run is stopped by a violation. */
bool sim_step(struct sim *s);
/* Processes every event with time <= t_us, then sets the clock to t_us.
 * Stops early when the run stops, returning why (sim_halt()): SIM_ESTOPPED
 * on a violation, SIM_ENOMEM out of memory, SIM_ELIMIT a budget. */
int sim_run_until(struct sim *s, int64_t t_us);

/* ---- Faults and actions (all are traced) ------------------------------ */
int sim_crash(struct sim *s, uint8_t node);
int sim_restart(struct sim *s, uint8_t node);
int sim_timeout(struct sim *s, uint8_t node); /* election timer fires now */
/* The node's next timer fires now: a follower's or candidate's election
 * timer (as sim_timeout), a leader's heartbeat timer (it acts as at its
 * deadline: heartbeats go out now, the next ones a heartbeat later). */
int sim_fire_timer(struct sim *s, uint8_t node);
/* Leadership transfer (raft_transfer): the stable leader hands over to
 * target.  SIM_ENOLEADER without a stable leader, SIM_EINVAL if target is
 * the leader or not a voter, SIM_ETRANSFER if the leader is already handing
 * over: a refusal is traced too (SIM_T_TRANSFER, success false, text why).
 * Its end is traced as SIM_T_TRANSFER_END. */
int sim_transfer(struct sim *s, uint8_t target);
/* One direction; messages in flight on a cut link die on arrival. */
int sim_link_set(struct sim *s, uint8_t from, uint8_t to, bool up);
/* Both directions between a and b, traced as one event (both = true). */
int sim_link_set_both(struct sim *s, uint8_t a, uint8_t b, bool up);
/* group[i] is the group of node i+1 (n entries); links between different
 * groups are cut, links inside a group are up. */
int sim_partition(struct sim *s, const uint8_t *group, size_t n);
int sim_isolate(struct sim *s, uint8_t node);
void sim_heal(struct sim *s);
/* A client submits "KEY=VALUE" to node `to` (0: the node it believes
 * leads, initially the current stable leader or n1).  It travels like a
 * message; a rejection redirects the client to the hinted leader, a lost
 * request or one not acknowledged within client_retry_us is retried, until
 * the command is applied on the leader that accepted it.  Retries back off
 * exponentially with jitter (SIM_CLIENT_BACKOFF_MAX), and a put still
 * waiting in the log of the stable leader that accepted it (same term) is
 * waited for, not sent again.  Returns the request id (>= 1) or a negative
 * code. */
int64_t sim_client_put(struct sim *s, const char *cmd, size_t len, uint8_t to);
/* A client reads KEY (len bytes, no '='), sent like a put; the leader
 * answers by the read path of config.reads.  A get not answered within
 * client_retry_us, or whose leader stops leading, is sent again.  Returns
 * the request id (>= 1) or a negative code. */
int64_t sim_client_get(struct sim *s, const char *key, size_t len, uint8_t to);
/* Clock skew: node's clock jumps by jump_us (+/- 1h at most) now and,
 * if rate_ppm is not 0, runs at rate_ppm / 1e6 of virtual time from now
 * on (SIM_SKEW_RATE_PPM_MIN..MAX); its timers fire early or late
 * accordingly.  Traced as SIM_T_SKEW. */
#define SIM_SKEW_RATE_PPM_MIN 100000u  /* 0.1x */
#define SIM_SKEW_RATE_PPM_MAX 10000000u /* 10x */
int sim_skew(struct sim *s, uint8_t node, int64_t jump_us, uint32_t rate_ppm);
/* The node's clock now (what it reads), and its rate (1e6: true). */
int64_t sim_node_clock_us(const struct sim *s, uint8_t node);
uint32_t sim_node_rate_ppm(const struct sim *s, uint8_t node);
/* The lease a leader takes (its own clock): the minimum election timeout
 * * 100 / (100 + drift_pct). */
int64_t sim_lease_us(const struct sim_config *c);
/* What is left of node's lease on its own clock, 0: none (not a leader,
 * no acknowledged round, reads not lease, or run out). */
int64_t sim_lease_left_us(const struct sim *s, uint8_t node);
/* Proposes directly on a node, now, bypassing the client (benchmarks). */
int sim_propose(struct sim *s, uint8_t node, const char *cmd, size_t len);
/* Membership changes, one server at a time (dissertation chapter 4).
 * sim_member_add: node joins as a learner, catches up (the leader's
 * matchIndex for it reaches the leader's last index), then becomes a
 * voter; sim_member_remove: node leaves.  The request is the operator's:
 * it is handed to whichever node leads (a held or uncommitted change
 * waits) until the leader's configuration says it is done.  SIM_EINVAL:
 * a bad node id, a node already a member (add) or not one (remove), or
 * the last voter (remove). */
int sim_member_add(struct sim *s, uint8_t node);
int sim_member_remove(struct sim *s, uint8_t node);
/* The membership change asked for node that is not yet done: 0 none,
 * 1 add, 2 remove. */
int sim_member_pending(const struct sim *s, uint8_t node);
/* Narration, put into the trace as a `say` line. */
void sim_say(struct sim *s, const char *text);

/* ---- Reading (const) --------------------------------------------------- */
uint16_t sim_n_nodes(const struct sim *s);
uint64_t sim_seed(const struct sim *s);
const struct raft_node *sim_node(const struct sim *s, uint8_t node);
/* What node's disk holds: exactly what the node boots from after a crash
 * (writes still in flight are not in it). */
struct sim_durable {
	uint64_t term;
	uint8_t voted_for;
	uint64_t log_first, last_index, last_term; /* the log after compaction */
	uint64_t snapshot_index, snapshot_term;    /* 0: no snapshot */
	size_t snapshot_count;                     /* keys in it */
	size_t writes_in_flight;
};
void sim_node_durable(const struct sim *s, uint8_t node, struct sim_durable *out);
bool sim_node_up(const struct sim *s, uint8_t node);
bool sim_link_up(const struct sim *s, uint8_t from, uint8_t to);
int64_t sim_link_changed_us(const struct sim *s, uint8_t from, uint8_t to);
/* The stable leader: a live leader L whose term is shared by a majority of
 * the cluster (counting L) that L reaches both ways; 0 if none. */
uint8_t sim_stable_leader(const struct sim *s);

/* A message in flight. */
struct sim_msg {
	uint64_t id;          /* unique per run, in send order */
	int64_t send_us;      /* when it left the sender */
	int64_t deliver_us;   /* when it arrives (or dies) */
	bool lost;            /* will be dropped on arrival (random loss or cut link) */
	bool sent_cut;        /* sent over a cut link (lost, even if mended since) */
	bool duplicate;       /* a copy made by the network */
	uint16_t to_boot;     /* the receiver's incarnation when it was sent: a
	                       * receiver restarted since drops it on arrival */
	struct raft_msg m;    /* m.entries points into sim-owned memory */
};
/* Slots 0..sim_msg_capacity()-1; sim_msg_slot() is NULL for a free slot. */
size_t sim_msg_capacity(const struct sim *s);
const struct sim_msg *sim_msg_slot(const struct sim *s, size_t i);
size_t sim_msgs_in_flight(const struct sim *s);

/* ---- Messages by id (scenario commands drop/duplicate/delay msg) ------- */
/* The message with this id if it is in flight, else NULL. */
const struct sim_msg *sim_msg_find(const struct sim *s, uint64_t id);
/* The id of the last message sent so far (0: none yet). */
uint64_t sim_msg_last_id(const struct sim *s);
/* Each returns SIM_EINVAL if no message with this id is in flight. */
/* It dies now: traced as a drop, why "by command". */
int sim_msg_drop(struct sim *s, uint64_t id);
/* The network copies it now: the copy (traced as a duplicate, with a new id)
 * takes a latency of its own from now.  Returns the copy's id (>= 1). */
int64_t sim_msg_duplicate(struct sim *s, uint64_t id);
/* Moves its arrival to due_us (SIM_EINVAL if that is before now): traced
 * as SIM_T_DELAY.  Among events due at the same instant, it comes after
 * those scheduled before. */
int sim_msg_retime(struct sim *s, uint64_t id, int64_t due_us);

/* What could happen next, for a "deliver next" list: the earliest message
 * in flight on each link (from -> node) and the next timer of each live
 * node, earliest first.  Returns how many it wrote (at most cap). */
enum sim_next_kind { SIM_NEXT_MSG, SIM_NEXT_TIMER };
struct sim_next {
	enum sim_next_kind kind;
	int64_t time_us;  /* when it is due (timers overdue: now) */
	uint8_t node;     /* MSG: the receiver; TIMER: the node */
	uint8_t from;     /* MSG: the sender */
	uint64_t msg_id;  /* MSG */
	uint8_t type;     /* MSG: enum raft_msg_type */
	bool lost;        /* MSG: it will be dropped on arrival */
	bool heartbeat;   /* TIMER: a leader's heartbeat, else an election timeout */
};
size_t sim_next_events(const struct sim *s, struct sim_next *out, size_t cap);

/* Recently dropped messages (newest last), so a viewer can show them die. */
struct sim_drop {
	int64_t time_us; /* when it died */
	int64_t send_us;
	uint8_t from, to, type;
	bool success;
	uint32_t n_entries;
};
size_t sim_drops(const struct sim *s, const struct sim_drop **out); /* up to 64 */

struct sim_counters {
	uint64_t events;
	uint64_t msgs_sent, msgs_delivered, msgs_dropped, msgs_duplicated;
	uint64_t elections;     /* nodes becoming candidate */
	uint64_t leaders;       /* nodes becoming leader */
	uint64_t commits;       /* highest index committed anywhere */
	uint64_t disk_writes;
	uint64_t client_requests, client_acks;
	uint64_t transfers;     /* leadership transfers started */
};
const struct sim_counters *sim_counters(const struct sim *s);

/* Client requests, in submission order (id - 1). */
enum sim_client_state { SIM_CLIENT_TRAVELLING, SIM_CLIENT_WAITING, SIM_CLIENT_ACKED };
struct sim_client_info {
	enum sim_client_state state;
	uint8_t node;         /* where it travels to / was accepted */
	uint64_t index, term; /* WAITING/ACKED: where it sits in that node's log */
	const char *cmd;      /* not NUL-terminated */
	size_t len;
	uint32_t attempts;
	bool get;             /* a get: cmd is its KEY */
};
size_t sim_client_count(const struct sim *s);
bool sim_client_info(const struct sim *s, size_t i, struct sim_client_info *out);

/* ---- Trace ------------------------------------------------------------ */
enum sim_trace_kind {
	SIM_T_TIMEOUT,    /* node: election timeout, now candidate of term;
	                     success: after a majority of pre-votes (PreVote) */
	SIM_T_LEADER,     /* node: became leader of term (votes in mask) */
	SIM_T_FOLLOWER,   /* node: follower of a new term; success: it stepped
	                     down from candidate/leader */
	SIM_T_SEND,       /* msg, msg_id, due_us: it left its sender and is due
	                     at its receiver at due_us */
	SIM_T_DROP,       /* msg, msg_id; text: why ("lost", "link down",
	                     "cut link", "receiver down", "restarted", "by command") */
	SIM_T_DUPLICATE,  /* msg: the network duplicated it; msg_id and due_us
	                     are the new copy's, copy_of the original's id */
	SIM_T_COMMIT,     /* node: commitIndex advanced to index; entry */
	SIM_T_CRASH,      /* node */
	SIM_T_RESTART,    /* node: rebooted, term, index = last log index */
	SIM_T_LINK,       /* node -> peer (both: and back): up (success) or cut */
	SIM_T_HEAL,       /* every link up */
	SIM_T_PARTITION,  /* text: the groups, "{n1 n2} {n3 n4 n5}" */
	SIM_T_CLIENT,     /* text: what happened to a client request */
	SIM_T_SAY,        /* text */
	SIM_T_SET,        /* text: the settings changed */
	SIM_T_SNAPSHOT,   /* node: a snapshot up to index (term); success: it
	                     was installed from the leader, else the node
	                     compacted its own log; peer: the leader */
	SIM_T_VIOLATION,  /* text: the report */
	SIM_T_DELIVER,    /* msg, msg_id: handed to its (live) receiver */
	SIM_T_DELAY,      /* msg, msg_id, due_us: its arrival moved to due_us
	                     (delay, hurry, deliver next) */
	SIM_T_CONFIG,     /* membership.  node 0: a change was asked for peer,
	                     success: add, else remove.  node: the configuration
	                     in force on node changed (an entry at index
	                     appended or truncated, a snapshot, a restart):
	                     text is "voters n1,n2,n3 learners n4" */
	SIM_T_TRANSFER,   /* node: the leader starts handing leadership to peer
	                     (success); or a transfer to peer was refused, text:
	                     why ("no leader", "already leader", "busy") */
	SIM_T_TRANSFER_END, /* node -> peer: the transfer ended; success: peer
	                       became leader; else aborted, text: why
	                       ("timeout": not done within an election timeout,
	                       "other leader": another node won) */
	SIM_T_SKEW,       /* node: its clock jumped by skew_us and runs at
	                     rate_ppm; clock_us: what it reads now */
};

struct sim_trace {
	enum sim_trace_kind kind;
	int64_t time_us;
	uint8_t node, peer;
	bool success;
	bool both;                      /* LINK: both directions */
	uint64_t term, index;
	uint64_t first;                 /* COMMIT: first newly committed index */
	const struct raft_msg *msg;     /* SEND, DROP, DUPLICATE, DELIVER */
	uint64_t msg_id;                /* the same: the message's id (sim_msg.id) */
	int64_t due_us;                 /* SEND, DUPLICATE, DELAY: when it is due */
	uint64_t copy_of;               /* DUPLICATE: the original's id */
	const struct raft_entry *entry; /* COMMIT */
	const char *text;
	uint64_t votes_mask[4];         /* LEADER: bit (i-1) for voter i */
	/* TIMEOUT: the node is a pre-candidate (PreVote: its term did not
	 * rise).  FOLLOWER: a leader stepped down in its own term, having not
	 * heard from a majority (CheckQuorum). */
	bool prevote, quorum_lost;
	/* CLIENT: the note's English format, "%s ... n%llu ... %llu", and its
	 * arguments (the command, then a and b, or a and note_value when that
	 * is set), so a reader's sentence can be in the reader's language */
	const char *note_fmt, *note_cmd, *note_value;
	uint64_t note_a, note_b;
	int64_t skew_us, clock_us; /* SKEW */
	uint32_t rate_ppm;         /* SKEW */
	/* FOLLOWER: a leader stepped down in its own term because the
	 * configuration that removes it committed (section 4.2.2). */
	bool removed;
};

typedef void sim_trace_fn(void *ctx, const struct sim_trace *t);
/* fn may be NULL (no trace: the fast path). */
void sim_set_trace(struct sim *s, sim_trace_fn *fn, void *ctx);

enum sim_trace_format {
	SIM_TRACE_TEXT,
	SIM_TRACE_JSONL,
	SIM_TRACE_SHIVIZ,  /* stateful: through struct sim_export */
	SIM_TRACE_MERMAID, /* stateful: through struct sim_export */
};
/* One line, with a trailing newline, NUL-terminated; returns its length
 * (truncated to cap-1 if longer).  SHIVIZ and MERMAID give the text line. */
size_t sim_trace_format(const struct sim_trace *t, enum sim_trace_format f, char *buf,
                        size_t cap);
/* Traces other tools read, built from the records of one run in order
 * (docs/trace.md): SIM_TRACE_SHIVIZ, ShiViz's log (a vector clock per
 * node, a tick per event, a merge on receive), written as the run goes;
 * SIM_TRACE_MERMAID, a Mermaid sequenceDiagram of the records between
 * from_us and to_us (inclusive), all written at the end.  NULL on ENOMEM. */
struct sim_export;
struct sim_export *sim_export_new(enum sim_trace_format f, int64_t from_us, int64_t to_us);
void sim_export_free(struct sim_export *x);
/* The text record t adds now (maybe empty); valid until the next call. */
const char *sim_export_record(struct sim_export *x, const struct sim_trace *t, size_t *len);
/* The text that ends the output (for Mermaid: all of it). */
const char *sim_export_end(struct sim_export *x, size_t *len);
/* An allocation failed: the output is incomplete. */
bool sim_export_failed(const struct sim_export *x);
/* A plain-language sentence for a teacher's caption, e.g. "n3's election
 * timeout fired: it becomes a candidate for term 2 and asks for votes." */
size_t sim_trace_explain(const struct sim_trace *t, char *buf, size_t cap);
/* "[  212.345ms]"-style time, as used in the text trace. */
size_t sim_format_time(int64_t us, char *buf, size_t cap);

/* ---- Safety checker --------------------------------------------------- */
struct sim_violation {
	const char *invariant; /* "Election Safety", "Leader Append-Only", ... */
	int64_t time_us;
	uint64_t seed;
	uint8_t node_a, node_b;
	uint64_t index, term;
	char detail[256]; /* one line */
};
/* NULL while the run goes on.  Non-NULL once it has stopped, for any
 * reason (see sim_halt()): for a stop that is not a safety violation,
 * invariant is "out of memory" or "resource limit" and detail says which
 * budget, so a caller that only asks "has it stopped?" keeps working; a
 * caller that reports must ask sim_halt() first. */
const struct sim_violation *sim_violation(const struct sim *s);

/* Why the run stopped: SIM_OK while it goes on; SIM_ESTOPPED a safety
 * violation; SIM_ENOMEM an allocation failed (anywhere: simulator, checker
 * or a Raft node), so the run cannot go on faithfully; SIM_ELIMIT the event
 * or memory budget ran out. */
int sim_halt(const struct sim *s);
/* For SIM_ENOMEM and SIM_ELIMIT, one phrase without newline: "out of
 * memory at 1500.000ms virtual time, seed 3: a message could not be
 * allocated" or "resource limit: the event budget (max_events=1000 events)
 * ran out at 2000.000ms virtual time, seed 3"; "" otherwise.  Like
 * snprintf, returns the length it needed. */
size_t sim_halt_format(const struct sim *s, char *buf, size_t cap);
/* Bytes the simulator holds for this run (its own accounting, not the
 * process's RSS): log entries, snapshots and state machines of every node,
 * messages, the event queue, client requests, the checker's records. */
uint64_t sim_memory_bytes(const struct sim *s);

#endif
