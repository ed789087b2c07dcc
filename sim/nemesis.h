/* nemesis.h - randomized fault schedules (swarm testing, as in FoundationDB's
 * simulation and TigerBeetle's VOPR): each seed draws its own fault mix
 * (drop and duplicate rates, latency range, how often nodes crash, the
 * network splits, links are cut one way, clients write), then a stream of
 * actions from it.  The soak test applies actions to a sim directly; the
 * fuzzer turns them into scenario commands so a failure becomes a script. */
#ifndef SIM_NEMESIS_H
#define SIM_NEMESIS_H

#include "sim.h"

enum sim_action_kind {
	SIM_A_RUN,       /* advance virtual time by us */
	SIM_A_CRASH,     /* a */
	SIM_A_RESTART,   /* a */
	SIM_A_TIMEOUT,   /* a */
	SIM_A_PARTITION, /* group[0..n-1] */
	SIM_A_ISOLATE,   /* a */
	SIM_A_CUT,       /* a -> b, one way */
	SIM_A_CUT_BOTH,  /* a <-> b */
	SIM_A_MEND_BOTH, /* a <-> b */
	SIM_A_HEAL,      /* every link up */
	SIM_A_PUT,       /* client put cmd */
	SIM_A_SET,       /* network: drop_ppm, dup_ppm, latency */
	SIM_A_GET,       /* client get cmd (a key) */
};

struct sim_action {
	uint8_t kind;
	uint8_t a, b;
	int64_t us;
	uint32_t drop_ppm, dup_ppm;
	int64_t latency_us_min, latency_us_max;
	uint32_t slow_ppm; /* SET: slow messages (0: none, and no slow range) */
	int64_t slow_us_min, slow_us_max;
	char cmd[RAFT_CMD_MAX + 1];
	uint8_t group[RAFT_NODES_MAX];
};

/* The per-seed fault mix: weights of each action kind (out of their sum)
 * and the network's misbehaviour. */
struct sim_nemesis {
	uint64_t rng;
	uint16_t nodes;
	uint32_t w_crash, w_restart, w_timeout, w_partition, w_isolate, w_cut, w_heal, w_put;
	/* gets: false after sim_nemesis_init.  A caller that wants reads in
	 * the load sets it: every put is then followed by a get of one of the
	 * keys, chosen without drawing from rng, so the schedule of everything
	 * else stays what it was (and so does the run: gets draw from their own
	 * stream) */
	bool gets;
	/* gets_to_deposed: a get goes to the node that believes it leads in
	 * the oldest term, when more than one does (a client whose leader
	 * cache is stale: it asks the leader it knew, deposed meanwhile); else
	 * to the stable leader.  Draws nothing from rng. */
	bool gets_to_deposed;
	char get_key[8]; /* the get due next ("": none) */
	int64_t gap_us_min, gap_us_max;
	uint32_t drop_ppm, dup_ppm;
	int64_t latency_us_min, latency_us_max;
	uint32_t puts;
	/* Latency spikes (a stalled switch, a paused process): the network's
	 * latency jumps to spike_us_min..spike_us_max for one short run, then
	 * comes back, so the messages of that moment arrive long after
	 * elections have moved on.  Weight 0 on most seeds. */
	uint32_t w_spike;
	/* Leader-minority partitions (Jepsen's partition of the leader): the
	 * newest live leader and fewer than half of the others on one side, so
	 * it keeps writes the majority side will overwrite. */
	uint32_t w_minority;
	/* Slow messages (buggify): a few messages arrive 0.2-4 s late while
	 * the rest flow, so replies outlive the terms they answer. */
	uint32_t slow_ppm;
	int64_t slow_us_min, slow_us_max;
	int64_t spike_us_min, spike_us_max;
	uint8_t spike_phase; /* 1: the spike is set, run briefly; 2: set it back */
	bool pending_run; /* actions alternate with runs */
	bool set_done;
};

void sim_nemesis_init(struct sim_nemesis *n, uint64_t seed, uint16_t nodes);
/* The next action, chosen with the cluster's current state in mind (only
 * crashed nodes restart, and at least one node stays up). */
void sim_nemesis_next(struct sim_nemesis *n, const struct sim *s, struct sim_action *out);
/* A clean network for a liveness phase: no loss, no duplicates, and the
 * seed's normal latency (never a spike left on). */
void sim_nemesis_calm(const struct sim_nemesis *n, struct sim_config *c);
/* Applies an action; SIM_OK or the sim's error. */
int sim_action_apply(struct sim *s, const struct sim_action *a);

#endif
