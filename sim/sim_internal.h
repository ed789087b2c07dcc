/* sim_internal.h - the simulator's private structures, shared by the files of sim/. */
#ifndef SIM_SIM_INTERNAL_H
#define SIM_SIM_INTERNAL_H

#include "checker.h"
#include "disk.h"
#include "sim.h"

/* ---- PRNG: splitmix64, one state per stream ---------------------------- */
static inline uint64_t sim_rand_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi] (inclusive), integers only. */
static inline int64_t sim_rand_range(uint64_t *state, int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)(hi - lo) + 1u;
	if (span == 0)
		return lo + (int64_t)sim_rand_next(state);
	return lo + (int64_t)(sim_rand_next(state) % span);
}

/* True with probability ppm / 1e6. */
static inline bool sim_rand_ppm(uint64_t *state, uint32_t ppm)
{
	return ppm > 0 && sim_rand_next(state) % SIM_PPM < ppm;
}

/* A malloc()ed copy of n elements of size bytes; NULL if p is NULL, n is 0
 * or memory runs out. */
void *sim_dup_array(const void *p, size_t n, size_t size);

/* ---- Event queue: a binary min-heap ordered by (time, seq) ------------- */
enum sim_event_kind {
	SIM_EV_TIMER,   /* node's raft deadline; arg: timer generation */
	SIM_EV_DELIVER, /* arg: message slot */
	SIM_EV_DISK,    /* node's oldest pending write completes; arg: incarnation */
	SIM_EV_CLIENT,  /* arg: client request index; gen: its generation */
};

struct sim_event {
	int64_t time_us;
	uint64_t seq;
	uint32_t arg;
	uint16_t gen;
	uint8_t kind;
	uint8_t node;
};

struct sim_queue {
	struct sim_event *ev;
	size_t n, cap;
	uint64_t next_seq;
};

int sim_queue_push(struct sim_queue *q, int64_t time_us, uint8_t kind, uint8_t node,
                   uint32_t arg, uint16_t gen);
bool sim_queue_pop(struct sim_queue *q, struct sim_event *out);
int sim_queue_copy(struct sim_queue *dst, const struct sim_queue *src);
void sim_queue_free(struct sim_queue *q);

/* ---- Messages ------------------------------------------------------------ */
enum sim_slot_state { SIM_SLOT_FREE, SIM_SLOT_HELD, SIM_SLOT_FLIGHT };

struct sim_slot {
	struct sim_msg msg;
	struct raft_entry *buf; /* owned; msg.m.entries points here */
	uint32_t buf_cap;
	uint32_t next;          /* free list / held list link */
	uint8_t state;
	uint16_t gen;           /* bumped when freed or retimed: stale
	                           delivery events die */
};

/* A write the disk is doing for a node, with the messages it holds back. */
struct sim_write {
	uint64_t index, term, hs_term;
	uint8_t hs_vote;
	uint32_t held_first, held_n; /* a chain of held slots through .next */
};

#define SIM_NONE UINT32_MAX

/* A node's clock (clock.c): it reads local_us at virtual time base_us and
 * advances rate_ppm / 1e6 us per virtual us from there. */
struct sim_clock {
	int64_t base_us, local_us;
	uint32_t rate_ppm;
};
void sim_clock_init(struct sim_clock *c);
/* The clock's reading at virtual time virtual_us (>= base_us). */
int64_t sim_clock_local(const struct sim_clock *c, int64_t virtual_us);
/* The first virtual time at which the clock reads local_us or more
 * (base_us if it already does; INT64_MAX for INT64_MAX). */
int64_t sim_clock_virtual(const struct sim_clock *c, int64_t local_us);
/* At virtual now_us the clock jumps by jump_us and, rate_ppm != 0, runs at
 * rate_ppm from then on. */
void sim_clock_skew(struct sim_clock *c, int64_t now_us, int64_t jump_us, uint32_t rate_ppm);

struct sim_nodestate {
	struct raft_node *raft;
	struct sim_clock clock; /* what the node reads as now (skew) */
	bool up;
	uint16_t incarnation;  /* bumped at crash: stale disk events die */
	uint16_t timer_gen;    /* the live timer event's generation */
	int64_t timer_at;      /* its time; INT64_MAX if none */
	/* what the trace last reported */
	uint8_t role;
	uint64_t term;
	uint64_t commit;
	uint64_t conf_index;  /* raft_conf_index() */
	bool conf_known;      /* conf_index was reported once */
	uint8_t transfer_to; /* a leadership transfer to it was traced, its end not yet */
	struct sim_disk disk; /* the node's durable state and writes in flight */
	/* the messages held behind each write in flight, in step with the
	 * disk's own queue */
	struct sim_write *writes;
	size_t writes_head, writes_n, writes_cap;
	/* as leader of heard_term: when each peer sent the latest reply to its
	 * AppendEntries (a ReadIndex read needs a majority after it arrived) */
	uint64_t heard_term;
	int64_t heard_us[RAFT_NODES_MAX + 1];
};

/* ---- Clients ------------------------------------------------------------- */
enum sim_req_state { SIM_REQ_TRAVEL, SIM_REQ_WAIT, SIM_REQ_DONE };
enum sim_req_op { SIM_REQ_PUT, SIM_REQ_GET };

struct sim_req {
	char cmd[RAFT_CMD_MAX]; /* put: "KEY=VALUE"; get: "KEY" */
	uint8_t len;
	uint8_t state;
	uint8_t op;       /* enum sim_req_op */
	/* the history: invoked when submitted, completed when acknowledged */
	int64_t invoke_us, complete_us;
	/* a get: what it read (found: the key had a value) */
	bool found;
	uint8_t result_len;
	char result[RAFT_CMD_MAX];
	/* a put: when its current attempt began.  A put accepted into a log
	 * and then sent again may take effect once per accepted copy (Raft
	 * without client sessions, dissertation 6.3), so each attempt that
	 * was accepted is its own operation in the history: the earlier ones
	 * of unknown outcome (struct sim_hop), the last one the acknowledged */
	int64_t attempt_us;
	/* a get waiting at a leader (READINDEX): when it arrived there, and
	 * the commit index it waits to apply (0: not noted yet) */
	int64_t read_start_us;
	uint64_t read_index;
	bool via_log;     /* a get waiting for its entry to apply (LOG) */
	uint8_t target;   /* node it travels to / was accepted by */
	uint16_t gen;     /* bumped to invalidate pending events */
	uint64_t index, term; /* where it was accepted */
	uint32_t attempts;
	uint32_t retries; /* back-off exponent: retries so far */
};

/* A put's attempt that was accepted by a leader and then given up on: an
 * operation of unknown outcome in the history. */
struct sim_hop {
	uint32_t req;
	int64_t invoke_us;
};

/* ---- The simulator -------------------------------------------------------- */
#define SIM_DROPS_MAX 64

/* The network (net.c): links, and every message from the moment its
 * sender hands it over (held behind a disk write, then in flight) until it
 * is delivered or dropped. */
struct sim_net {
	uint64_t rng;        /* latency, loss, duplication */
	uint8_t *link_up;    /* [from * (n+1) + to] */
	int64_t *link_changed_us;
	struct sim_slot *slots;
	uint32_t slots_n, slots_cap, free_head;
	uint64_t slot_buf_bytes; /* sum of the slots' buf_cap entries, in bytes */
	size_t in_flight;
	uint64_t next_msg_id;
	struct sim_drop drops[SIM_DROPS_MAX];
	size_t drops_n;
};

int sim_net_init(struct sim_net *net, uint16_t n, uint64_t rng);
void sim_net_free(struct sim_net *net);
/* A deep copy of src (n nodes) into dst, which must be zeroed; on failure
 * dst holds what was copied, for sim_net_free. */
int sim_net_copy(struct sim_net *dst, const struct sim_net *src, uint16_t n);
uint64_t sim_net_bytes(const struct sim_net *net, uint16_t n);

/* The clients (client.c): their requests, and per node the requests it
 * accepted and has not applied yet. */
struct sim_client_queue {
	/* request index | its generation when accepted << 32 */
	uint64_t *v;
	size_t head, n, cap;
};

struct sim_clients {
	uint64_t rng; /* travel times, back-off jitter */
	struct sim_req *reqs;
	size_t reqs_n, reqs_cap;
	uint8_t leader; /* the leader clients believe in */
	struct sim_client_queue *waiting; /* [1..n] */
	/* gets draw from their own stream and change no state puts depend on
	 * (not even the leader clients believe in), so adding reads to a run
	 * leaves everything else it does as it was */
	uint64_t rng_read;
	/* the ReadIndex gets waiting at a leader (SIM_REQ_WAIT, not via_log):
	 * their request indexes, ascending */
	uint32_t *reads;
	size_t reads_waiting, reads_cap;
	struct sim_hop *hops;  /* puts' abandoned accepted attempts, in order */
	size_t hops_n, hops_cap;
};

int sim_clients_init(struct sim_clients *c, uint16_t n, uint64_t rng);
void sim_clients_free(struct sim_clients *c, uint16_t n);
int sim_clients_copy(struct sim_clients *dst, const struct sim_clients *src, uint16_t n);
uint64_t sim_clients_bytes(const struct sim_clients *c, uint16_t n);
/* Node i crashed: what it accepted is forgotten (the clients time out). */
void sim_clients_crash(struct sim_clients *c, uint8_t i);

struct sim {
	struct sim_config cfg;
	int64_t now_us;
	struct sim_queue q;
	uint64_t rng_disk;
	struct sim_nodestate *nodes; /* [1..n] */
	struct sim_net net;
	struct sim_clients clients;
	struct sim_counters counters;
	/* nodes proposed to directly, to flush before the next event */
	uint8_t dirty[RAFT_NODES_MAX];
	uint16_t n_dirty;
	struct sim_checker checker;
	/* Membership changes asked for and not yet done (members.c): 0 none,
	 * 1 add, 2 remove, per node; how many are pending. */
	uint8_t member_want[RAFT_NODES_MAX + 1];
	uint16_t member_pending;
	bool stopped;
	int halt; /* why it stopped: SIM_ESTOPPED, SIM_ENOMEM or SIM_ELIMIT */
	struct sim_violation violation;
	sim_trace_fn *trace_fn;
	void *trace_ctx;
};

static inline bool sim_valid_node(const struct sim *s, uint8_t i)
{
	return i >= 1 && i <= s->cfg.nodes;
}

static inline size_t sim_link_at(const struct sim *s, uint8_t from, uint8_t to)
{
	return (size_t)from * ((size_t)s->cfg.nodes + 1) + to;
}

#define SIM_HOUR_US (3600LL * 1000 * 1000)

/* ---- Shared by the files of sim/ ------------------------------------------ */
/* sim.c: the trace (trace_fn must be set for sim_emit), stopping the run,
 * and driving a node. */
void sim_emit(struct sim *s, struct sim_trace *t);
/* members.c: hands pending membership changes to the leader; traces a
 * node's configuration when it changed. */
void sim_members_drive(struct sim *s);
void sim_members_observe(struct sim *s, uint8_t i);
/* Whether node i votes in the configuration leader l has in force. */
bool sim_member_votes(const struct sim *s, uint8_t l, uint8_t i);
/* "voters n1,n2,n3 learners n4" of node i's configuration. */
size_t sim_members_format(const struct sim *s, uint8_t i, char *buf, size_t cap);
void sim_emit_text(struct sim *s, enum sim_trace_kind kind, uint8_t node, const char *text);
/* An allocation failed: the run stops as out of memory, naming what. */
void sim_stop_oom(struct sim *s, const char *what);
/* The checker found v: the run stops (as out of memory if the checker ran
 * out of it). */
void sim_stop_violation(struct sim *s, const struct sim_violation *v);
/* False (and the run stopped) if m promises state its sender's disk does
 * not hold yet. */
bool sim_reply_durable(struct sim *s, const struct raft_msg *m);
/* Hands node i's batches to the disk and the network until it has none. */
void sim_flush(struct sim *s, uint8_t i);
/* Node i's clock now: what it is given as now_us. */
static inline int64_t sim_local_us(const struct sim *s, uint8_t i)
{
	return sim_clock_local(&s->nodes[i].clock, s->now_us);
}
/* Schedules node i's timer event at its next deadline (clock.c, after a
 * skew moved it). */
void sim_node_rearm(struct sim *s, uint8_t i);

/* net.c: messages in slots. */
/* Copies m (and its entries) into a new slot, held; SIM_NONE on ENOMEM. */
uint32_t sim_msg_store(struct sim *s, const struct raft_msg *m);
/* Puts a stored message on the wire: latency, loss and duplication. */
void sim_msg_launch(struct sim *s, uint32_t i);
void sim_slot_free(struct sim *s, uint32_t i);
/* The message in slot reaches its receiver's end: delivered or dropped. */
void sim_net_deliver(struct sim *s, uint32_t slot);
/* The earliest message in flight on each link, in no order (sim_next_events). */
size_t sim_net_next(const struct sim *s, struct sim_next *out, size_t cap);

/* client.c: the events of client requests. */
void sim_client_arrive(struct sim *s, uint32_t r);
void sim_client_timeout(struct sim *s, uint32_t r);
/* Node i applied up to index applied: acknowledge what it accepted. */
void sim_client_applied(struct sim *s, uint8_t i, uint64_t applied);
/* Node `to` just took a message (type, from, term, sent at sent_us): notes
 * a leader's AppendEntries replies and answers the gets waiting at it that
 * can be answered now. */
void sim_client_heard(struct sim *s, uint8_t to, uint8_t type, uint8_t from, uint64_t term,
                      int64_t sent_us);

#endif
