/* checker.h - the safety checker's state and its calls, for the files of
 * sim/: it watches every node's batches from outside and stops the run on a
 * violation of Election Safety, Leader Append-Only, Log Matching, Leader
 * Completeness, State Machine Safety or Durability. */
#ifndef SIM_CHECKER_H
#define SIM_CHECKER_H

#include "sim.h"

struct sim_checker_node {
	/* chain hash of the node's log [base..len] at hash[k - base]; base is
	 * the index before the node's first entry in memory (0 without a
	 * snapshot; hash[0] is then 0), and hash[0] is the committed chain
	 * hash at base. */
	uint64_t *hash;
	uint64_t base, len, cap;
	uint8_t role;
	uint64_t term;
	uint64_t commit;
	bool down; /* crashed, not observed since */
	bool seen; /* observed at least once */
	uint64_t snapshots; /* snapshots it took (compaction) */
};

/* A node's compaction snapshots whose contents are compared with the
 * history: the first and then one in this many (installs: every one). */
#define SIM_CHECK_SNAPSHOT_EVERY 8

struct sim_checker_pair { uint64_t index, term, hash; uint8_t node; };
struct sim_checker_first { uint64_t term, hash; };
struct sim_checker_kv { uint64_t key, cmd; };

struct sim_checker {
	uint16_t n;
	struct sim_checker_node *nodes; /* [1..n] */
	uint8_t *leader_of_term;        /* [term] */
	size_t leader_of_term_cap;
	/* The dense per-index arrays below hold index k at [k - off]: indices
	 * at or below every node's base (compacted everywhere) are dropped. */
	uint64_t off;
	/* The first (term, chain hash, node) seen at each index, dense; other
	 * terms at an index go to the open-addressing table `seen`. */
	struct sim_checker_first *first;
	uint8_t *first_node;
	uint64_t first_len, first_cap;
	struct sim_checker_pair *seen;
	size_t seen_n, seen_cap;
	/* the committed prefix [off..committed]: entry term, chain hash, and
	 * the term in which the commit was first seen */
	uint64_t *committed_term, *committed_hash, *committed_in;
	uint64_t committed, committed_cap;
	/* The state machine of the committed history: committed_map[k] is the
	 * hash of the key-value map after applying 1..k (the sum over keys of
	 * the hash of the key's last "KEY=VALUE"); kv is that map now, as
	 * (key hash, command hash) pairs in an open-addressing table (key hash
	 * 0: empty slot); map_hash the sum.  map_unknown: a committed entry
	 * was never seen (compacted everywhere first), so no comparison. */
	uint64_t *committed_map;
	uint64_t *committed_cmd; /* hash of the command committed at each index */
	struct sim_checker_kv *kv;
	size_t kv_n, kv_cap;
	uint64_t map_hash;
	bool map_unknown;
	uint8_t leaders[RAFT_NODES_MAX]; /* nodes now in the leader role */
	uint16_t n_leaders;
	bool oom; /* an allocation failed: the checks are incomplete from here */
};

int sim_checker_init(struct sim_checker *c, uint16_t n);
void sim_checker_free(struct sim_checker *c);
int sim_checker_copy(struct sim_checker *dst, const struct sim_checker *src);
/* Called after every batch a node hands back (rd may be NULL after a
 * restart).  Returns true and fills *v on a violation, or returns true with
 * c->oom set when it ran out of memory (not a violation: the run must stop
 * as out of memory). */
bool sim_checker_observe(struct sim_checker *c, uint8_t id, const struct raft_node *n,
                         const struct raft_ready *rd, struct sim_violation *v);
/* Node id just told a client that cmd (len bytes) is committed at index:
 * its entry there must be that command and the committed history's.
 * Returns true and fills *v when it is not. */
bool sim_checker_acked(const struct sim_checker *c, uint8_t id, const struct raft_node *n,
                       uint64_t index, const char *cmd, size_t len, struct sim_violation *v);
/* The node crashed: it holds no role any more. */
void sim_checker_crash(struct sim_checker *c, uint8_t id);

#endif
