/* snapshot.c - log compaction and InstallSnapshot (paper section 7).
 *
 * A snapshot is the key-value map as of an applied index, packed as one
 * entry per key.  Taking one lets the node drop its log up to that index
 * (minus a few trailing entries); a follower that needs entries the leader
 * no longer holds gets the snapshot instead, and answers it with an
 * ordinary AppendEntries reply.  The snapshot is durable as soon as it is
 * taken or installed: a restart rebuilds the map from it.
 */
#include "raft_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int snap_reserve(struct raft_node *n, size_t count)
{
	if (count <= n->snap_cap)
		return RAFT_OK;
	size_t cap = n->snap_cap ? n->snap_cap : 16;
	while (cap < count)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof(struct raft_entry)) {
		n->oom = true;
		return RAFT_ENOMEM;
	}
	struct raft_entry *s = realloc(n->snap, cap * sizeof *s);
	if (s == NULL) {
		n->oom = true;
		return RAFT_ENOMEM;
	}
	n->snap = s;
	n->snap_cap = cap;
	return RAFT_OK;
}

/* Called at the start of raft_take_ready(), between batches: takes a
 * snapshot when one is due, then drops the log behind the snapshot (minus
 * the trailing entries).  The entries applied in the batch being taken
 * stay in memory, so the caller can still read the range the batch reports
 * as applied. */
void raft_snapshot_maybe(struct raft_node *n)
{
	uint64_t thr = n->cfg.snapshot_threshold;
	if (thr == 0)
		return;
	uint64_t since = n->applied - n->snap_index;
	if (n->applied > n->snap_index && n->applied <= n->log_len && since >= thr &&
	    since >= n->kv.count && /* a snapshot costs O(keys): one per O(keys) entries */
	    snap_reserve(n, n->kv.count + 1) == RAFT_OK) {
		size_t k = 0;
		for (size_t i = 0; i < n->kv.cap; i++)
			if (n->kv.slots[i].len != 0)
				n->snap[k++] = n->kv.slots[i];
		/* the snapshot carries the configuration as of its index */
		n->snap_n = raft_conf_snapshot(n, n->applied, k);
		n->snap_term = raft_term_at(n, n->applied);
		n->snap_index = n->applied;
		n->snap_new = true;
		n->snap_installed = false;
	}
	uint64_t upto = n->rd_applied < n->snap_index ? n->rd_applied : n->snap_index;
	uint64_t trailing = n->cfg.snapshot_trailing;
	if (upto > trailing && upto - trailing > n->log_base && upto <= n->log_len)
		raft_log_compact(n, upto - trailing);
}

/* The message's snapshot fields are filled by raft_take_ready(), which
 * always sends the latest snapshot. */
void raft_snapshot_send(struct raft_node *n, uint8_t to)
{
	struct raft_msg *m = raft_msg_push(n, RAFT_MSG_SNAPSHOT, to);
	if (m != NULL)
		m->commit = n->commit;
}

int raft_snapshot_restore(struct raft_node *n)
{
	raft_kv_clear(&n->kv);
	for (size_t i = 0; i < n->snap_n; i++)
		if (raft_kv_set(&n->kv, &n->snap[i]) != RAFT_OK) {
			n->oom = true;
			return RAFT_ENOMEM;
		}
	return RAFT_OK;
}

/* From Figure 13, InstallSnapshot RPC, receiver implementation:
 *   1. Reply immediately if term < currentTerm
 *   5. Save snapshot file, discard any existing or partial snapshot
 *   6. If existing log entry has same index and term as snapshot's last
 *      included entry, retain log entries following it and reply
 *   7. Discard the entire log
 *   8. Reset state machine using snapshot contents
 * (steps 2-4 split a snapshot into chunks; here it travels whole). */
void raft_recv_snapshot(struct raft_node *n, int64_t now_us, const struct raft_msg *m)
{
	if (!raft_accept_leader(n, now_us, m))
		return;

	uint64_t idx = m->index;
	if (idx <= n->commit) { /* it holds all of it already */
		raft_append_reply(n, m, true, idx, 0);
		return;
	}
	if (m->n_entries > 0 && m->entries == NULL)
		return; /* malformed */
	/* The new map first, so running out of memory changes nothing. */
	struct raft_kv kv = {0};
	for (uint32_t i = 0; i < m->n_entries; i++)
		if (raft_kv_set(&kv, &m->entries[i]) != RAFT_OK) {
			raft_kv_free(&kv);
			n->oom = true;
			return; /* as if the message were lost; the driver is told */
		}
	if (snap_reserve(n, m->n_entries) != RAFT_OK) {
		raft_kv_free(&kv);
		return;
	}
	if (m->n_entries > 0)
		memcpy(n->snap, m->entries, m->n_entries * sizeof *n->snap);
	n->snap_n = m->n_entries;
	for (size_t i = 0; i < n->snap_n; i++)
		if (n->snap[i].len > RAFT_CMD_MAX)
			n->snap[i].len = RAFT_CMD_MAX;
	if (n->cfg.bugs & RAFT_BUG_SNAPSHOT_KEEPS_MAP) {
		raft_kv_free(&kv); /* the bug: step 8 is skipped */
	} else {
		raft_kv_free(&n->kv);
		n->kv = kv;
	}

	if (idx > n->log_base && idx <= n->log_len && raft_term_at(n, idx) == m->log_term) {
		raft_log_compact(n, idx); /* 6. keep what follows */
	} else {
		n->log_base = n->log_len = idx; /* 7. */
		n->base_term = m->log_term;
		raft_log_drop_appends(n, 1, UINT64_MAX); /* only a node that just led has some */
	}
	if (n->wr_from != 0 && n->wr_from <= idx)
		n->wr_from = idx < n->log_len ? idx + 1 : 0;
	/* The snapshot is durable: the disk holds it and, after step 6, the
	 * durable part of the log after it; after step 7 nothing more (the
	 * log it had is gone, so a write of it still in flight counts for
	 * nothing). */
	if (n->persisted < idx || n->log_len == idx)
		n->persisted = idx;
	n->snap_index = idx;
	n->snap_term = m->log_term;
	/* The configuration comes with the snapshot; a configuration entry
	 * kept after it (step 6) stays in force. */
	raft_conf_boot(n);
	n->snap_new = true;
	n->snap_installed = true;
	n->commit = n->applied = idx;
	n->rd_applied = idx; /* nothing was applied entry by entry */
	raft_append_reply(n, m, true, idx, 0);
}
