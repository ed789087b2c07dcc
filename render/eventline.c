/* eventline.c - the teacher's event line (the last few meaningful events, key moments never swallowed) and rolled-back log entries noticed by comparing each node's log with a copy (SDL-free). */
#include "eventline.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The event line ------------------------------------------------------------ */
/* How much a record matters to a class (0: background, never shown) and
 * whether it is one of the moments that carry the lesson. */
static int priority(const struct sim_trace *t, bool *key)
{
	const struct raft_msg *m = t->msg;
	*key = false;
	switch (t->kind) {
	case SIM_T_VIOLATION:
		*key = true;
		return 9;
	case SIM_T_LEADER:
		*key = true;
		return 8;
	case SIM_T_CRASH:
	case SIM_T_TRANSFER:
	case SIM_T_TRANSFER_END:
		*key = true;
		return 7;
	case SIM_T_TIMEOUT:
	case SIM_T_RESTART:
	case SIM_T_PARTITION:
	case SIM_T_HEAL:
	case SIM_T_LINK:
	case SIM_T_SET:
	case SIM_T_SKEW:
		return 7;
	case SIM_T_SNAPSHOT:
		/* installing the leader's snapshot is the news; a node compacting
		 * its own log is worth a line when nothing else happens */
		return t->success ? 7 : 4;
	case SIM_T_COMMIT:
		*key = true;
		return 6;
	case SIM_T_CLIENT:
		return 5;
	case SIM_T_FOLLOWER:
		/* a leader or candidate stepping down is news; a follower
		 * moving to a newer term is not */
		*key = t->success;
		return t->success ? 8 : 0;
	case SIM_T_SEND:
	case SIM_T_DROP:
		/* heartbeats and their acknowledgements are the background */
		if (!m || (m->type == RAFT_MSG_APPEND && m->n_entries == 0) ||
		    (m->type == RAFT_MSG_APPEND_REPLY && m->success))
			return 0;
		return t->kind == SIM_T_DROP ? 4 : 3;
	case SIM_T_DUPLICATE:
	case SIM_T_DELIVER:
	case SIM_T_DELAY:
	case SIM_T_SAY:
		return 0; /* duplicates, arrivals; `say` is shown on its own */
	case SIM_T_CONFIG:
		*key = t->node == 0; /* the request; each node's switch is detail */
		return 7;
	}
	return 0;
}

/* "n1, n3 and n4" for the nodes in mask. */
static size_t node_list(const uint64_t mask[4], char *buf, size_t cap)
{
	unsigned ids[256], n = 0;
	for (unsigned i = 0; i < 256; i++)
		if (mask[i / 64] >> (i % 64) & 1)
			ids[n++] = i + 1;
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned k = 0; k < n && len < cap; k++) {
		/* TRANSLATORS: the separators of "n1, n3 and n4" */
		const char *sep = k == 0 ? "" : k + 1 == n ? _(" and ") : _(", ");
		int w = snprintf(buf + len, cap - len, "%sn%u", sep, ids[k]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return n;
}

static void push_line(struct render_evstate *st, const struct render_event_line *l)
{
	memmove(&st->lines[1], &st->lines[0], (RENDER_EVENT_LINES - 1) * sizeof st->lines[0]);
	st->lines[0] = *l;
	if (st->n_lines < RENDER_EVENT_LINES)
		st->n_lines++;
}

/* Places line l: key lines always get a line of their own (commits of one
 * index share theirs).  Any other line is left out while a stronger line
 * younger than the hold is on top; it replaces a younger top line of no
 * higher priority unless that one is key, and otherwise gets its own. */
static void offer(struct render_evstate *st, const struct render_event_line *l)
{
	struct render_event_line *top = st->n_lines ? &st->lines[0] : NULL;
	bool young = top && l->time_us - top->time_us < RENDER_EVENT_HOLD_US;
	if (l->key || !young) {
		push_line(st, l);
		return;
	}
	if (top->prio > l->prio)
		return;
	if (top->key)
		push_line(st, l);
	else
		*top = *l;
}

void render_ev_trace(struct render_evstate *st, const struct sim_trace *t)
{
	bool key;
	int prio = priority(t, &key);
	if (prio <= 0)
		return;
	struct render_event_line l = {
	    .time_us = t->time_us, .kind = (int)t->kind, .prio = prio, .key = key,
	    .node = t->node, .index = t->index};
	if (t->node >= 1)
		l.nodes[(t->node - 1) / 64] |= 1ull << ((t->node - 1) % 64);
	sim_trace_explain(t, l.text, sizeof l.text);
	struct render_event_line *top = st->n_lines ? &st->lines[0] : NULL;
	/* TRANSLATORS: as in "n2 now knows entry 3 (x=1) is committed" */
	const char *needle = _(" now knows ");
	const char *knows = strstr(l.text, needle);
	if (t->kind == SIM_T_COMMIT && top && top->kind == SIM_T_COMMIT && top->index == t->index &&
	    knows) {
		/* the followers learning what the leader committed: one line */
		for (int i = 0; i < 4; i++)
			l.nodes[i] |= top->nodes[i];
		char who[160];
		size_t n = node_list(l.nodes, who, sizeof who);
		char rest[RENDER_CAPTION_MAX];
		snprintf(rest, sizeof rest, "%s", knows + strlen(needle));
		if (snprintf(l.text, sizeof l.text, NG_("%s now knows %s", "%s now know %s", n), who,
		             rest) < 0)
			return;
		*top = l;
		return;
	}
	offer(st, &l);
}

/* ---- Rollbacks ------------------------------------------------------------------ */
struct shadow_entry {
	uint64_t term;
	uint8_t len;
	char cmd[RAFT_CMD_MAX];
};

/* One node's log as last seen: entries base .. base + n - 1. */
struct shadow_log {
	uint64_t base;
	size_t n, cap;
	struct shadow_entry *e;
	uint64_t commit; /* its commitIndex as last seen */
};

struct render_shadow {
	struct shadow_log logs[RAFT_NODES_MAX];
	unsigned n;
};

/* Committed entries far behind the commit index are dropped from the copy
 * once it holds this many of them: only a broken Raft removes those. */
#define SHADOW_KEEP_COMMITTED 256u

struct render_shadow *render_shadow_new(void)
{
	return calloc(1, sizeof(struct render_shadow));
}

void render_shadow_free(struct render_shadow *sh)
{
	if (!sh)
		return;
	for (unsigned i = 0; i < RAFT_NODES_MAX; i++)
		free(sh->logs[i].e);
	free(sh);
}

static uint64_t shadow_last(const struct shadow_log *l)
{
	return l->base + l->n - 1;
}

/* Copies n's entries from index `from` to its end into l (l already holds
 * what comes before from).  A failed allocation leaves the copy shorter:
 * the view misses a ghost, nothing worse. */
static void copy_from(struct shadow_log *l, const struct raft_node *n, uint64_t from)
{
	uint64_t last = raft_last_index(n);
	uint64_t first = raft_log_first(n);
	if (from < first || from < l->base || from > l->base + l->n) {
		/* compacted, or a gap: start the copy over at the log's first entry */
		l->base = first;
		l->n = 0;
		from = first;
	}
	l->n = (size_t)(from - l->base);
	/* drop committed entries the copy no longer needs */
	uint64_t commit = raft_commit_index(n);
	if (commit > l->base + 2 * SHADOW_KEEP_COMMITTED && l->n > 2 * SHADOW_KEEP_COMMITTED) {
		size_t drop = (size_t)(commit - SHADOW_KEEP_COMMITTED - l->base);
		if (drop > l->n)
			drop = l->n;
		memmove(l->e, l->e + drop, (l->n - drop) * sizeof *l->e);
		l->n -= drop;
		l->base += drop;
	}
	if (last + 1 < from)
		return;
	size_t need = l->n + (size_t)(last + 1 - from);
	if (need > l->cap) {
		size_t cap = l->cap ? l->cap : 16;
		while (cap < need)
			cap *= 2;
		struct shadow_entry *e = realloc(l->e, cap * sizeof *e);
		if (!e)
			return;
		l->e = e;
		l->cap = cap;
	}
	for (uint64_t i = from; i <= last; i++) {
		const struct raft_entry *re = raft_entry_at(n, i);
		struct shadow_entry *se = &l->e[l->n++];
		se->term = re ? re->term : 0;
		se->len = re ? re->len : 0;
		if (re)
			memcpy(se->cmd, re->cmd, re->len);
	}
}

void render_shadow_resync(struct render_shadow *sh, const struct sim *s, uint8_t node)
{
	if (node < 1 || node > sh->n)
		return;
	struct shadow_log *l = &sh->logs[node - 1];
	const struct raft_node *n = sim_node(s, node);
	/* committed entries far behind the commit index are not copied: only
	 * a broken Raft removes those (and copying whole logs would make
	 * every step back as slow as a checkpoint's copy) */
	uint64_t commit = raft_commit_index(n), base = raft_log_first(n);
	if (commit > SHADOW_KEEP_COMMITTED && commit - SHADOW_KEEP_COMMITTED > base)
		base = commit - SHADOW_KEEP_COMMITTED;
	l->n = 0;
	l->base = base;
	copy_from(l, n, base);
	l->commit = commit;
}

void render_shadow_reset(struct render_shadow *sh, const struct sim *s)
{
	unsigned n = sim_n_nodes(s);
	sh->n = n > RAFT_NODES_MAX ? RAFT_NODES_MAX : n;
	for (unsigned i = 1; i <= sh->n; i++)
		render_shadow_resync(sh, s, (uint8_t)i);
}

/* The copy's term at index i (0 outside it). */
static uint64_t shadow_term(const struct shadow_log *l, uint64_t i)
{
	if (i < l->base || i >= l->base + l->n)
		return 0;
	return l->e[i - l->base].term;
}

/* Whether some node committed the entry (index, term): its commit index
 * reaches index and it holds that term there. */
static bool committed_anywhere(const struct sim *s, uint64_t index, uint64_t term)
{
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		if (raft_commit_index(n) >= index && raft_term_at(n, index) == term)
			return true;
	}
	return false;
}

static void record(struct render_evstate *st, const struct render_rollback *r)
{
	if (st->n_rb == RENDER_ROLLBACKS_MAX) {
		memmove(&st->rb[0], &st->rb[1], (RENDER_ROLLBACKS_MAX - 1) * sizeof st->rb[0]);
		st->n_rb--;
	}
	st->rb[st->n_rb++] = *r;
}

/* Node `node` lost the copy's entries from index `from` on: one rollback
 * record per entry and one line for them all. */
static void report(struct render_evstate *st, const struct sim *s, uint8_t node,
                   const struct shadow_log *l, uint64_t from, int64_t now)
{
	const struct raft_node *n = sim_node(s, node);
	uint64_t to = shadow_last(l), count = to - from + 1;
	uint64_t new_term = raft_last_index(n) >= from ? raft_term_at(n, from) : 0;
	bool any_committed = false;
	char cmds[160];
	size_t len = 0;
	cmds[0] = '\0';
	for (uint64_t i = from; i <= to; i++) {
		const struct shadow_entry *e = &l->e[i - l->base];
		struct render_rollback r = {.time_us = now, .node = node, .index = i, .term = e->term};
		r.new_term = raft_last_index(n) >= i ? raft_term_at(n, i) : 0;
		r.committed = i <= l->commit || committed_anywhere(s, i, e->term);
		any_committed = any_committed || r.committed;
		memcpy(r.cmd, e->cmd, e->len);
		r.cmd[e->len] = '\0';
		record(st, &r);
		if (i - from < 2 && len < sizeof cmds) {
			int w = snprintf(cmds + len, sizeof cmds - len, "%s%s", i == from ? "" : ", ",
			                 r.cmd[0] ? r.cmd : _("(no-op)"));
			if (w > 0)
				len += (size_t)w;
		}
	}
	struct render_event_line line = {
	    .time_us = now, .kind = RENDER_EV_ROLLBACK, .prio = 8, .key = true, .node = node,
	    .index = from};
	line.nodes[(node - 1) / 64] |= 1ull << ((node - 1) % 64);
	char what[200], why[160];
	if (count == 1)
		snprintf(what, sizeof what, _("%s at index %llu"), cmds, (unsigned long long)from);
	else
		snprintf(what, sizeof what, _("%s%s at indices %llu–%llu"), cmds, count > 2 ? ", …" : "",
		         (unsigned long long)from, (unsigned long long)to);
	const char *state = any_committed ? _("it had been committed") : _("never committed");
	if (new_term)
		snprintf(why, sizeof why,
		         NG_("%s; replaced by term %llu's entry", "%s; replaced by term %llu's entries",
		             count),
		         state, (unsigned long long)new_term);
	else
		snprintf(why, sizeof why, _("%s; its log now ends at index %llu"), state,
		         (unsigned long long)raft_last_index(n));
	if (snprintf(line.text, sizeof line.text, _("n%u dropped %s (%s)"), node, what, why) < 0)
		return;
	offer(st, &line);
}

void render_shadow_check(struct render_shadow *sh, const struct sim *s, struct render_evstate *st,
                         int64_t now_us)
{
	for (unsigned i = 1; i <= sh->n; i++) {
		struct shadow_log *l = &sh->logs[i - 1];
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		uint64_t last = raft_last_index(n), slast = l->n ? shadow_last(l) : l->base - 1;
		uint64_t common = last < slast ? last : slast;
		uint64_t commit = raft_commit_index(n);
		/* Log Matching: the same term at the same index means the same
		 * log up to there, so one comparison tells when nothing changed */
		if (last == slast && (l->n == 0 || shadow_term(l, last) == raft_term_at(n, last))) {
			l->commit = commit > l->commit ? commit : l->commit;
			continue;
		}
		if (!sim_node_up(s, (uint8_t)i)) {
			/* a crashed node's log changes only at its restart */
			render_shadow_resync(sh, s, (uint8_t)i);
			continue;
		}
		/* the first index where the copy and the log differ: terms agree
		 * on a prefix (Log Matching), so search for its end */
		uint64_t lo = l->base, hi = common + 1; /* the answer lies in [lo, hi] */
		uint64_t first = raft_log_first(n);
		if (lo < first)
			lo = first;
		while (lo < hi) {
			uint64_t mid = lo + (hi - lo) / 2;
			if (shadow_term(l, mid) == raft_term_at(n, mid))
				lo = mid + 1;
			else
				hi = mid;
		}
		if (l->n && lo <= slast && lo >= l->base)
			report(st, s, (uint8_t)i, l, lo, now_us);
		copy_from(l, n, lo);
		l->commit = commit;
	}
}
