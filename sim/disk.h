/* disk.h - one node's simulated disk, owned by the simulator.
 *
 * The disk holds what a node made durable, as bytes: the hard state (term,
 * votedFor), the log and the snapshot.  A write is copied from the node's
 * ready batch when it is issued (sim_disk_issue) and reaches the durable
 * state only when it completes (sim_disk_complete, in issue order); a crash
 * (sim_disk_crash) loses every write in flight, or keeps a prefix of the
 * oldest one's entries (a torn write).  A restart boots a fresh node from
 * the durable state alone (sim_disk_boot), never from the old node's
 * memory, and the node's own idea of what is durable is checked against
 * the disk (sim_disk_check).
 *
 * A snapshot is durable as soon as the node hands it out (raft.h: "a
 * snapshot reached the disk in this batch"), so it is written when issued,
 * ahead of the writes still in flight; the disk then keeps the log after
 * it only if it holds the snapshot's last entry with the same term
 * (Figure 13, steps 6 and 7), and drops what the node compacted.
 */
#ifndef SIM_DISK_H
#define SIM_DISK_H

#include "raft.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One write in flight: the hard state and the log entries [from, to] (from
 * == 0: no log part), which replace everything the disk holds from from on. */
struct sim_disk_write {
	uint64_t term;
	uint8_t vote;
	uint64_t from, to;
	struct raft_entry *entries; /* to - from + 1, owned */
	size_t cap;                 /* entries' capacity */
};

struct sim_disk {
	/* durable */
	uint64_t term;
	uint8_t vote;
	uint64_t snap_index, snap_term;
	struct raft_entry *snap;
	size_t snap_n, snap_cap;
	/* entries base + 1 .. last at log[i - base - 1]; base_term: term of
	 * entry base (0 when base == 0) */
	uint64_t base, base_term, last;
	struct raft_entry *log;
	uint64_t log_cap;
	/* in flight, oldest first (a ring) */
	struct sim_disk_write *q;
	size_t q_head, q_n, q_cap;
	/* the buffer of a finished write, kept for the next one (a steady
	 * stream of writes then allocates nothing) */
	struct raft_entry *spare;
	size_t spare_cap;
};

/* Copies the durable part of batch rd, just taken from node n: the hard
 * state and entries [rd->persist_from, rd->persist_to] go in flight (when
 * rd asks for a write: hard_state_changed or persist_from), a snapshot is
 * written at once.  Returns 0 or SIM_ENOMEM. */
int sim_disk_issue(struct sim_disk *d, const struct raft_ready *rd, const struct raft_node *n);
/* The oldest write in flight completes.  0 or SIM_ENOMEM. */
int sim_disk_complete(struct sim_disk *d);
/* The node crashed: writes in flight are lost, except that torn_keep > 0
 * keeps up to that many leading entries of the oldest write's log part. */
void sim_disk_crash(struct sim_disk *d, uint64_t torn_keep);
/* A fresh node booted from the durable state; NULL on allocation failure. */
struct raft_node *sim_disk_boot(const struct sim_disk *d, const struct raft_config *c,
                                int64_t now_us);
/* Last durable index (the snapshot's when the log after it is empty). */
uint64_t sim_disk_last_index(const struct sim_disk *d);
/* Term of durable entry index (known for base .. last and the snapshot's
 * index), 0 otherwise. */
uint64_t sim_disk_term_at(const struct sim_disk *d, uint64_t index);
/* Whether node n's bookkeeping agrees with the disk: everything up to its
 * persisted index is durable, with the same terms.  Fills why (one line)
 * when it does not. */
bool sim_disk_check(const struct sim_disk *d, const struct raft_node *n, char *why, size_t cap);
int sim_disk_copy(struct sim_disk *dst, const struct sim_disk *src);
void sim_disk_free(struct sim_disk *d);
uint64_t sim_disk_bytes(const struct sim_disk *d);

#endif
