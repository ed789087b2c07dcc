/* log.c - the log: one contiguous array of entries, writes, term search and
 * compaction. */
#include "raft_internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int raft_log_reserve(struct raft_node *n, uint64_t last)
{
	uint64_t len = last - n->log_base;
	if (len <= n->log_cap)
		return RAFT_OK;
	uint64_t cap = n->log_cap ? n->log_cap : 64;
	while (cap < len)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof(struct raft_entry)) {
		n->oom = true;
		return RAFT_ENOMEM;
	}
	struct raft_entry *e = realloc(n->log, (size_t)cap * sizeof *e);
	if (e == NULL) {
		n->oom = true;
		return RAFT_ENOMEM;
	}
	n->log = e;
	n->log_cap = cap;
	return RAFT_OK;
}

void raft_log_drop_appends(struct raft_node *n, uint64_t lo, uint64_t hi)
{
	size_t k = 0;
	for (size_t i = 0; i < n->n_msgs; i++) {
		const struct raft_msg *m = &n->msgs[i];
		if (m->type == RAFT_MSG_APPEND && m->n_entries > 0 && m->index + 1 <= hi &&
		    m->index + m->n_entries >= lo)
			continue;
		if (k != i)
			n->msgs[k] = *m;
		k++;
	}
	n->n_msgs = k;
}

void raft_log_write(struct raft_node *n, uint64_t at, const struct raft_entry *e,
                    uint64_t count, bool keep_suffix)
{
	assert(at > n->log_base && at <= n->log_len + 1);
	assert(at - 1 + count - n->log_base <= n->log_cap);
	if (at <= n->log_len) {
		/* Existing entries change: the disk holds log[1..at-1] of the
		 * new log at most. */
		if (n->persisted >= at && !(n->cfg.bugs & RAFT_BUG_KEEP_PERSISTED))
			n->persisted = at - 1;
		n->wr_trunc = true;
		/* AppendEntries still pending, built while this node led an
		 * earlier term, may carry the entries about to change */
		raft_log_drop_appends(n, at, UINT64_MAX);
		if (!keep_suffix)
			n->log_len = at - 1;
	}
	if (n->wr_from == 0 || at < n->wr_from)
		n->wr_from = at;
	if (count == 0) {
		if (n->conf_index >= at)
			raft_conf_log_written(n, at, 0);
		return;
	}
	struct raft_entry *dst = raft_log_at(n, at);
	memcpy(dst, e, (size_t)count * sizeof *e);
	uint64_t last_conf = 0;
	for (uint64_t i = 0; i < count; i++) {
		if (dst[i].len > RAFT_CMD_MAX)
			dst[i].len = RAFT_CMD_MAX; /* a malformed message */
		if (dst[i].type == RAFT_ENTRY_CONFIG)
			last_conf = at + i;
	}
	if (at - 1 + count > n->log_len)
		n->log_len = at - 1 + count;
	if (last_conf != 0 || n->conf_index >= at)
		raft_conf_log_written(n, at, last_conf);
}

/* Terms never decrease along a Raft log, so both searches are binary.  On a
 * log broken by a teaching bug they still return some index, which is only
 * a hint (the leader clamps it). */
uint64_t raft_log_first_of_term(const struct raft_node *n, uint64_t term, uint64_t hi)
{
	uint64_t lo = n->log_base + 1;
	if (hi > n->log_len)
		hi = n->log_len;
	if (hi < lo)
		return hi;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (raft_term_at(n, mid) >= term)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

uint64_t raft_log_last_of_term(const struct raft_node *n, uint64_t term)
{
	uint64_t lo = n->log_base, hi = n->log_len;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (raft_term_at(n, mid) <= term)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo > 0 && raft_term_at(n, lo) == term ? lo : 0;
}

/* Pending AppendEntries whose entries start at or below the new base are
 * dropped, as if lost: their entries are about to leave memory. */
void raft_log_compact(struct raft_node *n, uint64_t upto)
{
	assert(upto <= n->log_len);
	if (upto <= n->log_base)
		return;
	uint64_t term = raft_term_at(n, upto);
	uint64_t keep = n->log_len - upto;
	memmove(n->log, raft_log_at(n, upto + 1), (size_t)keep * sizeof *n->log);
	n->log_base = upto;
	n->base_term = term;
	raft_log_drop_appends(n, 1, upto);
}
