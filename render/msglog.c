/* msglog.c - the messages and lifeline events of a viewer session, recorded from the trace for the space-time diagram (SDL-free). */
#include "msglog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many records the oldest half is forgotten: the diagram shows
 * the recent past, a long session must not grow without bound. */
#define MSGS_MAX 400000u
#define LIFE_MAX 200000u

void render_msglog_free(struct render_msglog *g)
{
	free(g->msgs);
	free(g->life);
	memset(g, 0, sizeof *g);
}

/* The whole capacity is reserved at the first record: growing by realloc
 * copied tens of megabytes in one go on a busy cluster, a frame's worth of
 * time in the middle of a seek.  Untouched pages cost no memory. */
static bool grow(void **p, size_t *cap, size_t n, size_t size, size_t max)
{
	if (n < *cap)
		return true;
	if (n >= max || *cap)
		return false;
	void *q = malloc(max * size);
	if (!q)
		return false; /* decoration: the diagram misses one */
	*p = q;
	*cap = max;
	return true;
}

static struct render_msgrec *add_msg(struct render_msglog *g)
{
	if (g->n_msgs >= MSGS_MAX) {
		size_t half = g->n_msgs / 2;
		memmove(g->msgs, g->msgs + half, (g->n_msgs - half) * sizeof *g->msgs);
		g->n_msgs -= half;
	}
	if (!grow((void **)&g->msgs, &g->cap_msgs, g->n_msgs, sizeof *g->msgs, MSGS_MAX))
		return NULL;
	struct render_msgrec *m = &g->msgs[g->n_msgs++];
	memset(m, 0, sizeof *m);
	return m;
}

static struct render_lifeev *add_life(struct render_msglog *g, const struct sim_trace *t,
                                      uint64_t seq, enum render_life_kind k, uint8_t node,
                                      uint64_t a)
{
	if (g->n_life >= LIFE_MAX) {
		size_t half = g->n_life / 2;
		memmove(g->life, g->life + half, (g->n_life - half) * sizeof *g->life);
		g->n_life -= half;
	}
	if (!grow((void **)&g->life, &g->cap_life, g->n_life, sizeof *g->life, LIFE_MAX))
		return NULL;
	struct render_lifeev *e = &g->life[g->n_life++];
	*e = (struct render_lifeev){
	    .time_us = t->time_us, .seq = seq, .kind = (uint8_t)k, .node = node, .a = a};
	return e;
}

const struct render_msgrec *render_msgrec_find(const struct render_msgrec *msgs, size_t n,
                                               uint64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (msgs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && msgs[lo].id == id ? &msgs[lo] : NULL;
}

struct render_msgrec *render_msglog_find(const struct render_msglog *g, uint64_t id)
{
	const struct render_msgrec *m = render_msgrec_find(g->msgs, g->n_msgs, id);
	return m ? &g->msgs[m - g->msgs] : NULL; /* the log's own, writable record */
}

static void record_send(struct render_msglog *g, const struct sim_trace *t, uint64_t seq)
{
	const struct raft_msg *rm = t->msg;
	if (!rm)
		return;
	/* ids grow in send order; a replay never records twice */
	if (g->n_msgs && g->msgs[g->n_msgs - 1].id >= t->msg_id)
		return;
	struct render_msgrec *m = add_msg(g);
	if (!m)
		return;
	m->id = t->msg_id;
	m->send_seq = seq;
	m->send_us = t->time_us;
	m->due_us = m->due0_us = t->due_us;
	m->end = RENDER_END_FLYING;
	m->from = rm->from;
	m->to = rm->to;
	m->type = rm->type;
	m->success = rm->success;
	m->duplicate = t->kind == SIM_T_DUPLICATE;
	m->n_entries = rm->n_entries;
	m->term = rm->term;
	m->index = rm->index;
	m->log_term = rm->log_term;
	m->commit = rm->commit;
	m->conflict_term = rm->conflict_term;
}

static void record_end(struct render_msglog *g, const struct sim_trace *t, uint64_t seq,
                       enum render_msg_end end)
{
	struct render_msgrec *m = render_msglog_find(g, t->msg_id);
	if (!m || m->end != RENDER_END_FLYING)
		return;
	m->end = (uint8_t)end;
	m->end_seq = seq;
	m->end_us = t->time_us;
	if (end == RENDER_END_DROPPED)
		snprintf(m->why, sizeof m->why, "%s", t->text ? t->text : "lost");
}

/* Each node's mask of peers it cannot talk to both ways, as of now. */
static void record_net(struct render_msglog *g, const struct sim *s, const struct sim_trace *t,
                       uint64_t seq)
{
	if (!s)
		return;
	unsigned n = sim_n_nodes(s);
	if (n > 64)
		return;
	for (unsigned i = 1; i <= n; i++) {
		uint64_t mask = 0;
		for (unsigned j = 1; j <= n; j++)
			if (j != i && (!sim_link_up(s, (uint8_t)i, (uint8_t)j) ||
			               !sim_link_up(s, (uint8_t)j, (uint8_t)i)))
				mask |= 1ull << (j - 1);
		add_life(g, t, seq, RENDER_LIFE_NET, (uint8_t)i, mask);
	}
}

/* "put x=1 accepted by n2 at index 3": the command, or "" if not that. */
static bool accepted_cmd(const char *text, char *cmd, size_t cap)
{
	if (!text || strncmp(text, "put ", 4) != 0 || !strstr(text, " accepted by "))
		return false;
	const char *a = text + 4, *b = strchr(a, ' ');
	snprintf(cmd, cap, "%.*s", (int)(b - a), a);
	return true;
}

void render_msglog_trace(struct render_msglog *g, const struct sim *s, const struct sim_trace *t,
                         uint64_t seq, bool fresh)
{
	if (!fresh)
		return; /* a replay of a stretch already recorded */
	switch (t->kind) {
	case SIM_T_SEND:
	case SIM_T_DUPLICATE:
		record_send(g, t, seq);
		break;
	case SIM_T_DELIVER:
		record_end(g, t, seq, RENDER_END_DELIVERED);
		break;
	case SIM_T_DROP:
		record_end(g, t, seq, RENDER_END_DROPPED);
		break;
	case SIM_T_DELAY: {
		struct render_msgrec *m = render_msglog_find(g, t->msg_id);
		if (m && m->end == RENDER_END_FLYING) {
			m->due_us = t->due_us;
			m->retime_seq = seq;
		}
		break;
	}
	case SIM_T_TIMEOUT:
		add_life(g, t, seq, RENDER_LIFE_TIMEOUT, t->node, t->term);
		break;
	case SIM_T_LEADER:
		add_life(g, t, seq, RENDER_LIFE_LEADER, t->node, t->term);
		break;
	case SIM_T_FOLLOWER:
		if (t->success)
			add_life(g, t, seq, RENDER_LIFE_FOLLOWER, t->node, t->term);
		break;
	case SIM_T_CRASH:
		add_life(g, t, seq, RENDER_LIFE_CRASH, t->node, 0);
		break;
	case SIM_T_RESTART:
		add_life(g, t, seq, RENDER_LIFE_RESTART, t->node, t->term);
		break;
	case SIM_T_COMMIT:
		add_life(g, t, seq, RENDER_LIFE_COMMIT, t->node, t->index);
		break;
	case SIM_T_SNAPSHOT:
		if (t->success)
			add_life(g, t, seq, RENDER_LIFE_SNAPSHOT, t->node, t->index);
		break;
	case SIM_T_CLIENT: {
		char cmd[RAFT_CMD_MAX + 1];
		if (accepted_cmd(t->text, cmd, sizeof cmd)) {
			struct render_lifeev *e =
			    add_life(g, t, seq, RENDER_LIFE_CLIENT, t->node, 0);
			if (e)
				snprintf(e->text, sizeof e->text, "%s", cmd);
		}
		break;
	}
	case SIM_T_LINK:
	case SIM_T_PARTITION:
	case SIM_T_HEAL:
		record_net(g, s, t, seq);
		break;
	case SIM_T_SAY:
	case SIM_T_SET:
	case SIM_T_CONFIG:
	case SIM_T_VIOLATION:
	case SIM_T_TRANSFER:
	case SIM_T_TRANSFER_END:
	case SIM_T_SKEW:
		break;
	}
}

void render_msglog_truncate(struct render_msglog *g, uint64_t seq)
{
	while (g->n_msgs > 0 && g->msgs[g->n_msgs - 1].send_seq > seq)
		g->n_msgs--;
	for (size_t i = 0; i < g->n_msgs; i++) {
		struct render_msgrec *m = &g->msgs[i];
		if (m->retime_seq > seq) {
			m->due_us = m->due0_us;
			m->retime_seq = 0;
		}
		if (m->end != RENDER_END_FLYING && m->end_seq > seq) {
			m->end = RENDER_END_FLYING;
			m->end_seq = 0;
			m->end_us = 0;
			m->why[0] = '\0';
		}
	}
	while (g->n_life > 0 && g->life[g->n_life - 1].seq > seq)
		g->n_life--;
}
