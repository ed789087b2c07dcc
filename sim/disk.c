/* disk.c - one node's simulated disk: durable bytes, writes in flight,
 * crashes that lose them, and boots from the durable state alone. */
#include "disk.h"
#include "sim.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t sim_disk_last_index(const struct sim_disk *d)
{
	return d->last;
}

uint64_t sim_disk_term_at(const struct sim_disk *d, uint64_t index)
{
	if (index > d->base && index <= d->last)
		return d->log[index - d->base - 1].term;
	if (index == d->base)
		return d->base_term;
	if (index == d->snap_index)
		return d->snap_term;
	return 0;
}

static int log_reserve(struct sim_disk *d, uint64_t last)
{
	uint64_t len = last - d->base;
	if (len <= d->log_cap)
		return SIM_OK;
	uint64_t cap = d->log_cap ? d->log_cap : 64;
	while (cap < len)
		cap *= 2;
	if (cap > SIZE_MAX / sizeof(struct raft_entry))
		return SIM_ENOMEM;
	struct raft_entry *e = realloc(d->log, (size_t)cap * sizeof *e);
	if (!e)
		return SIM_ENOMEM;
	d->log = e;
	d->log_cap = cap;
	return SIM_OK;
}

/* Drops durable entries base + 1 .. upto (upto <= last). */
static void log_drop(struct sim_disk *d, uint64_t upto)
{
	if (upto <= d->base || upto > d->last)
		return;
	uint64_t term = sim_disk_term_at(d, upto);
	uint64_t keep = d->last - upto;
	memmove(d->log, &d->log[upto - d->base], (size_t)keep * sizeof *d->log);
	d->base = upto;
	d->base_term = term;
}

/* Writes entries [from, from + count) after discarding everything from
 * from on; entries the snapshot covers are never rewritten. */
static int log_write(struct sim_disk *d, uint64_t from, const struct raft_entry *e,
                     uint64_t count)
{
	uint64_t floor = (d->base > d->snap_index ? d->base : d->snap_index) + 1;
	if (from < floor) {
		uint64_t skip = floor - from;
		if (skip >= count) {
			count = 0;
		} else {
			e += skip;
			count -= skip;
		}
		from = floor;
	}
	if (from - 1 < d->last)
		d->last = from - 1;
	if (count == 0 || from > d->last + 1)
		return SIM_OK; /* nothing to write, or a hole: the node's claim fails the check */
	if (log_reserve(d, from - 1 + count) != SIM_OK)
		return SIM_ENOMEM;
	memcpy(&d->log[from - d->base - 1], e, (size_t)count * sizeof *e);
	d->last = from - 1 + count;
	return SIM_OK;
}

static struct sim_disk_write *q_at(const struct sim_disk *d, size_t k)
{
	return &d->q[(d->q_head + k) % d->q_cap];
}

/* A finished or lost write's buffer becomes the spare if it is the larger. */
static void write_release(struct sim_disk *d, struct sim_disk_write *w)
{
	if (!w->entries)
		return;
	if (w->cap > d->spare_cap) {
		free(d->spare);
		d->spare = w->entries;
		d->spare_cap = w->cap;
	} else {
		free(w->entries);
	}
	w->entries = NULL;
	w->cap = 0;
}

/* The term entry index would have once every write in flight landed (0:
 * none). */
static uint64_t projected_term_at(const struct sim_disk *d, uint64_t index)
{
	uint64_t t = index <= d->last ? sim_disk_term_at(d, index) : 0;
	for (size_t k = 0; k < d->q_n; k++) {
		const struct sim_disk_write *w = q_at(d, k);
		if (w->from == 0 || w->from > index)
			continue;
		t = w->to >= index ? w->entries[index - w->from].term : 0;
	}
	return t;
}

/* A snapshot is written at once.  In issue order it comes after the writes
 * in flight, so whether the log after it survives (Figure 13, step 6) is
 * decided on the log they will leave; if it does not (step 7), their log
 * parts are void. */
static int write_snapshot(struct sim_disk *d, const struct raft_ready *rd,
                          const struct raft_node *n)
{
	size_t count = raft_snapshot_count(n);
	if (count > d->snap_cap) {
		struct raft_entry *s = realloc(d->snap, count * sizeof *s);
		if (!s)
			return SIM_ENOMEM;
		d->snap = s;
		d->snap_cap = count;
	}
	if (count)
		memcpy(d->snap, raft_snapshot_entries(n), count * sizeof *d->snap);
	d->snap_n = count;
	uint64_t idx = rd->snapshot_index, term = rd->snapshot_term;
	bool keep = projected_term_at(d, idx) == term && term != 0;
	bool durable = idx >= d->base && idx <= d->last && sim_disk_term_at(d, idx) == term;
	if (!keep)
		for (size_t k = 0; k < d->q_n; k++) {
			struct sim_disk_write *w = q_at(d, k);
			write_release(d, w);
			w->from = w->to = 0;
		}
	if (keep && durable) {
		log_drop(d, idx);
	} else {
		d->base = d->last = idx;
		d->base_term = term;
	}
	d->snap_index = idx;
	d->snap_term = term;
	return SIM_OK;
}

int sim_disk_issue(struct sim_disk *d, const struct raft_ready *rd, const struct raft_node *n)
{
	if (rd->snapshot_index && write_snapshot(d, rd, n) != SIM_OK)
		return SIM_ENOMEM;
	/* what the node compacted, the disk drops too (never past its
	 * snapshot) */
	uint64_t drop = raft_log_first(n) - 1;
	if (drop > d->snap_index)
		drop = d->snap_index;
	log_drop(d, drop);
	if (!rd->hard_state_changed && !rd->persist_from)
		return SIM_OK;
	if (d->q_n == d->q_cap) {
		size_t cap = d->q_cap ? d->q_cap * 2 : 8;
		struct sim_disk_write *q = malloc(cap * sizeof *q);
		if (!q)
			return SIM_ENOMEM;
		for (size_t k = 0; k < d->q_n; k++)
			q[k] = *q_at(d, k);
		free(d->q);
		d->q = q;
		d->q_cap = cap;
		d->q_head = 0;
	}
	struct sim_disk_write w = {.term = rd->term, .vote = rd->voted_for};
	if (rd->persist_from && rd->persist_to >= rd->persist_from) {
		uint64_t count = rd->persist_to - rd->persist_from + 1;
		const struct raft_entry *src = raft_entry_at(n, rd->persist_from);
		if (!src || !raft_entry_at(n, rd->persist_to))
			return SIM_EINVAL;
		if (d->spare_cap >= count) {
			w.entries = d->spare;
			w.cap = d->spare_cap;
			d->spare = NULL;
			d->spare_cap = 0;
		} else {
			w.entries = malloc((size_t)count * sizeof *w.entries);
			if (!w.entries)
				return SIM_ENOMEM;
			w.cap = (size_t)count;
		}
		memcpy(w.entries, src, (size_t)count * sizeof *w.entries);
		w.from = rd->persist_from;
		w.to = rd->persist_to;
	}
	*q_at(d, d->q_n++) = w;
	return SIM_OK;
}

int sim_disk_complete(struct sim_disk *d)
{
	if (d->q_n == 0)
		return SIM_OK;
	struct sim_disk_write *w = q_at(d, 0);
	d->term = w->term;
	d->vote = w->vote;
	int rv = SIM_OK;
	if (w->from)
		rv = log_write(d, w->from, w->entries, w->to - w->from + 1);
	write_release(d, w);
	d->q_head = (d->q_head + 1) % d->q_cap;
	d->q_n--;
	return rv;
}

void sim_disk_crash(struct sim_disk *d, uint64_t torn_keep)
{
	if (d->q_n && torn_keep) {
		/* a torn write: the hard state and a prefix of the entries */
		struct sim_disk_write *w = q_at(d, 0);
		if (w->from) {
			uint64_t count = w->to - w->from + 1;
			d->term = w->term;
			d->vote = w->vote;
			/* out of memory here keeps less of the prefix: still a
			 * torn write */
			(void)log_write(d, w->from, w->entries, torn_keep < count ? torn_keep : count);
		}
	}
	for (size_t k = 0; k < d->q_n; k++)
		write_release(d, q_at(d, k));
	d->q_n = 0;
	d->q_head = 0;
}

struct raft_node *sim_disk_boot(const struct sim_disk *d, const struct raft_config *c,
                                int64_t now_us)
{
	struct raft_durable dur = {
	    .term = d->term,
	    .voted_for = d->vote,
	    .snapshot_index = d->snap_index,
	    .snapshot_term = d->snap_term,
	    .snapshot = d->snap,
	    .snapshot_count = d->snap_n,
	    .log_base = d->base,
	    .log_base_term = d->base_term,
	    .entries = d->log,
	    .n_entries = d->last - d->base,
	};
	return raft_restore(c, now_us, &dur);
}

bool sim_disk_check(const struct sim_disk *d, const struct raft_node *n, char *why, size_t cap)
{
	uint64_t p = raft_persisted_index(n);
	if (p > d->last) {
		snprintf(why, cap,
		         "counts its log up to index %" PRIu64 " as durable; the disk holds %" PRIu64,
		         p, d->last);
		return false;
	}
	uint64_t mine = raft_term_at(n, p), disk = sim_disk_term_at(d, p);
	if (p > 0 && mine && disk && mine != disk) {
		snprintf(why, cap,
		         "counts entry %" PRIu64 " (term %" PRIu64 ") as durable; the disk holds "
		         "term %" PRIu64 " there",
		         p, mine, disk);
		return false;
	}
	return true;
}

int sim_disk_copy(struct sim_disk *dst, const struct sim_disk *src)
{
	*dst = *src;
	dst->snap = NULL;
	dst->snap_cap = 0;
	dst->log = NULL;
	dst->log_cap = 0;
	dst->q = NULL;
	dst->q_cap = dst->q_n = dst->q_head = 0;
	dst->spare = NULL; /* the copy starts without a spare */
	dst->spare_cap = 0;
	if (src->snap_n) {
		dst->snap = malloc(src->snap_n * sizeof *dst->snap);
		if (!dst->snap)
			goto fail;
		memcpy(dst->snap, src->snap, src->snap_n * sizeof *dst->snap);
		dst->snap_cap = src->snap_n;
	}
	if (src->last > src->base) {
		if (log_reserve(dst, src->last) != SIM_OK)
			goto fail;
		memcpy(dst->log, src->log, (size_t)(src->last - src->base) * sizeof *dst->log);
	}
	if (src->q_n) {
		dst->q = calloc(src->q_n, sizeof *dst->q);
		if (!dst->q)
			goto fail;
		dst->q_cap = src->q_n;
		for (size_t k = 0; k < src->q_n; k++) {
			struct sim_disk_write w = *q_at(src, k);
			if (w.from) {
				size_t count = (size_t)(w.to - w.from + 1);
				w.entries = malloc(count * sizeof *w.entries);
				if (!w.entries)
					goto fail;
				w.cap = count;
				memcpy(w.entries, q_at(src, k)->entries, count * sizeof *w.entries);
			}
			dst->q[k] = w;
			dst->q_n = k + 1;
		}
	}
	return SIM_OK;
fail:
	sim_disk_free(dst);
	return SIM_ENOMEM;
}

void sim_disk_free(struct sim_disk *d)
{
	for (size_t k = 0; k < d->q_n; k++)
		free(q_at(d, k)->entries);
	free(d->q);
	free(d->log);
	free(d->snap);
	free(d->spare);
	memset(d, 0, sizeof *d);
}

uint64_t sim_disk_bytes(const struct sim_disk *d)
{
	uint64_t b = (uint64_t)d->log_cap * sizeof *d->log + d->snap_cap * sizeof *d->snap +
	             d->q_cap * sizeof *d->q + d->spare_cap * sizeof *d->spare;
	for (size_t k = 0; k < d->q_n; k++)
		if (q_at(d, k)->from)
			b += (q_at(d, k)->to - q_at(d, k)->from + 1) * sizeof(struct raft_entry);
	return b;
}
