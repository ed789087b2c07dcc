/* net.c - the simulated network: latency, loss, duplication, cut links and
 * partitions, and the messages in flight. */
#include "sim_internal.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void emit_copy(struct sim *s, enum sim_trace_kind kind, const struct sim_msg *sm,
                      const char *why, uint64_t copy_of)
{
	if (!s->trace_fn)
		return;
	const struct raft_msg *m = &sm->m;
	struct sim_trace t = {.kind = kind, .node = m->from, .peer = m->to, .msg = m,
	                      .term = m->term, .text = why, .msg_id = sm->id,
	                      .due_us = sm->deliver_us, .copy_of = copy_of};
	sim_emit(s, &t);
}

static void emit_msg(struct sim *s, enum sim_trace_kind kind, const struct sim_msg *sm,
                     const char *why)
{
	emit_copy(s, kind, sm, why, 0);
}

/* ---- Messages ----------------------------------------------------------------- */

static uint32_t slot_alloc(struct sim *s)
{
	if (s->net.free_head != SIM_NONE) {
		uint32_t i = s->net.free_head;
		s->net.free_head = s->net.slots[i].next;
		return i;
	}
	if (s->net.slots_n == s->net.slots_cap) {
		uint32_t cap = s->net.slots_cap ? s->net.slots_cap * 2 : 64;
		struct sim_slot *sl = realloc(s->net.slots, cap * sizeof *sl);
		if (!sl)
			return SIM_NONE;
		s->net.slots = sl;
		s->net.slots_cap = cap;
	}
	uint32_t i = s->net.slots_n++;
	memset(&s->net.slots[i], 0, sizeof s->net.slots[i]);
	return i;
}

void sim_slot_free(struct sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->net.slots[i];
	if (sl->state == SIM_SLOT_FLIGHT)
		s->net.in_flight--;
	sl->state = SIM_SLOT_FREE;
	sl->gen++;
	sl->next = s->net.free_head;
	s->net.free_head = i;
}

/* Copies m (and its entries) into a new slot; SIM_NONE on ENOMEM. */
uint32_t sim_msg_store(struct sim *s, const struct raft_msg *m)
{
	uint32_t i = slot_alloc(s);
	if (i == SIM_NONE)
		return SIM_NONE;
	struct sim_slot *sl = &s->net.slots[i];
	if (m->n_entries > sl->buf_cap) {
		uint32_t cap = sl->buf_cap ? sl->buf_cap : 8;
		while (cap < m->n_entries)
			cap *= 2;
		struct raft_entry *b = realloc(sl->buf, cap * sizeof *b);
		if (!b) {
			sim_slot_free(s, i);
			return SIM_NONE;
		}
		s->net.slot_buf_bytes += (uint64_t)(cap - sl->buf_cap) * sizeof *b;
		sl->buf = b;
		sl->buf_cap = cap;
	}
	sl->msg.m = *m;
	if (m->n_entries)
		memcpy(sl->buf, m->entries, m->n_entries * sizeof *sl->buf);
	sl->msg.m.entries = sl->buf;
	sl->msg.lost = false;
	sl->msg.sent_cut = false;
	sl->msg.duplicate = false;
	sl->state = SIM_SLOT_HELD;
	sl->next = SIM_NONE;
	return i;
}

static uint32_t msg_copy(struct sim *s, uint32_t i);

/* Puts a stored message on the wire: latency, loss and duplication. */
void sim_msg_launch(struct sim *s, uint32_t i)
{
	(void)sim_reply_durable(s, &s->net.slots[i].msg.m); /* a violation stops the run */
	struct sim_slot *sl = &s->net.slots[i];
	struct sim_msg *sm = &sl->msg;
	sl->state = SIM_SLOT_FLIGHT;
	s->net.in_flight++;
	sm->id = ++s->net.next_msg_id;
	sm->send_us = s->now_us;
	sm->deliver_us =
	    s->now_us + sim_rand_range(&s->net.rng, s->cfg.latency_us_min, s->cfg.latency_us_max);
	/* no draw at all without slow messages: runs without them keep their
	 * traces */
	if (s->cfg.slow_ppm && sim_rand_ppm(&s->net.rng, s->cfg.slow_ppm))
		sm->deliver_us += sim_rand_range(&s->net.rng, s->cfg.slow_us_min, s->cfg.slow_us_max);
	sm->sent_cut = !s->net.link_up[sim_link_at(s, sm->m.from, sm->m.to)];
	sm->to_boot = s->nodes[sm->m.to].incarnation;
	sm->lost = sm->sent_cut || sim_rand_ppm(&s->net.rng, s->cfg.drop_ppm);
	s->counters.msgs_sent++;
	emit_msg(s, SIM_T_SEND, sm, NULL);
	if (sim_queue_push(&s->q, sm->deliver_us, SIM_EV_DELIVER, sm->m.to, i, sl->gen) != SIM_OK) {
		sim_stop_oom(s, "an event for a message in flight");
		return;
	}
	if (!sim_rand_ppm(&s->net.rng, s->cfg.dup_ppm))
		return;
	(void)msg_copy(s, i);
}

/* The network copies the message in flight in slot i: the copy gets the
 * next id and a latency of its own from now.  Its slot, or SIM_NONE. */
static uint32_t msg_copy(struct sim *s, uint32_t i)
{
	struct raft_msg copy = s->net.slots[i].msg.m; /* msg_store may move the slots */
	uint32_t j = sim_msg_store(s, &copy);
	if (j == SIM_NONE) {
		sim_stop_oom(s, "a duplicated message");
		return SIM_NONE;
	}
	struct sim_slot *dl = &s->net.slots[j];
	dl->state = SIM_SLOT_FLIGHT;
	s->net.in_flight++;
	dl->msg.id = ++s->net.next_msg_id;
	dl->msg.duplicate = true;
	dl->msg.send_us = s->now_us;
	dl->msg.deliver_us =
	    s->now_us + sim_rand_range(&s->net.rng, s->cfg.latency_us_min, s->cfg.latency_us_max);
	dl->msg.lost = s->net.slots[i].msg.lost;
	dl->msg.sent_cut = s->net.slots[i].msg.sent_cut;
	dl->msg.to_boot = s->net.slots[i].msg.to_boot;
	s->counters.msgs_duplicated++;
	emit_copy(s, SIM_T_DUPLICATE, &dl->msg, NULL, s->net.slots[i].msg.id);
	if (sim_queue_push(&s->q, dl->msg.deliver_us, SIM_EV_DELIVER, dl->msg.m.to, j, dl->gen) !=
	    SIM_OK) {
		sim_stop_oom(s, "an event for a duplicated message");
		return SIM_NONE;
	}
	return j;
}

static void record_drop(struct sim *s, const struct sim_msg *sm, const char *why)
{
	s->counters.msgs_dropped++;
	if (s->net.drops_n == SIM_DROPS_MAX) /* keep the newest, oldest first */
		memmove(s->net.drops, s->net.drops + 1, (SIM_DROPS_MAX - 1) * sizeof s->net.drops[0]);
	else
		s->net.drops_n++;
	s->net.drops[s->net.drops_n - 1] = (struct sim_drop){
	    .time_us = s->now_us, .send_us = sm->send_us, .from = sm->m.from, .to = sm->m.to,
	    .type = sm->m.type, .success = sm->m.success, .n_entries = sm->m.n_entries};
	emit_msg(s, SIM_T_DROP, sm, why);
}

void sim_net_deliver(struct sim *s, uint32_t slot)
{
	struct sim_msg *sm = &s->net.slots[slot].msg;
	uint8_t to = sm->m.to;
	const char *why = NULL;
	if (sm->lost)
		why = !s->net.link_up[sim_link_at(s, sm->m.from, to)] ? N_("link down")
		      : sm->sent_cut                          ? N_("cut link")
		                                              : N_("lost");
	else if (!s->net.link_up[sim_link_at(s, sm->m.from, to)])
		why = N_("link down");
	else if (!s->nodes[to].up)
		why = N_("receiver down");
	else if (s->nodes[to].incarnation != sm->to_boot)
		why = N_("restarted"); /* it crashed after the send: a new process */
	if (why) {
		record_drop(s, sm, why);
		sim_slot_free(s, slot);
		return;
	}
	s->counters.msgs_delivered++;
	emit_msg(s, SIM_T_DELIVER, sm, NULL);
	raft_step(s->nodes[to].raft, sim_local_us(s, to), &sm->m);
	uint8_t type = sm->m.type, from = sm->m.from;
	uint64_t term = sm->m.term;
	int64_t sent_us = sm->send_us;
	sim_slot_free(s, slot);
	sim_flush(s, to);
	sim_client_heard(s, to, type, from, term, sent_us);
}

static void link_put(struct sim *s, uint8_t from, uint8_t to, bool up)
{
	size_t k = sim_link_at(s, from, to);
	if (s->net.link_up[k] != up) {
		s->net.link_up[k] = up;
		s->net.link_changed_us[k] = s->now_us;
	}
}

int sim_link_set(struct sim *s, uint8_t from, uint8_t to, bool up)
{
	if (!sim_valid_node(s, from) || !sim_valid_node(s, to) || from == to)
		return SIM_EINVAL;
	link_put(s, from, to, up);
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_LINK, .node = from, .peer = to, .success = up};
		sim_emit(s, &t);
	}
	return SIM_OK;
}

int sim_link_set_both(struct sim *s, uint8_t a, uint8_t b, bool up)
{
	if (!sim_valid_node(s, a) || !sim_valid_node(s, b) || a == b)
		return SIM_EINVAL;
	link_put(s, a, b, up);
	link_put(s, b, a, up);
	if (s->trace_fn) {
		struct sim_trace t = {
		    .kind = SIM_T_LINK, .node = a, .peer = b, .success = up, .both = true};
		sim_emit(s, &t);
	}
	return SIM_OK;
}

int sim_partition(struct sim *s, const uint8_t *group, size_t n)
{
	if (n != s->cfg.nodes)
		return SIM_EINVAL;
	for (uint16_t a = 1; a <= n; a++)
		for (uint16_t b = 1; b <= n; b++)
			if (a != b)
				link_put(s, (uint8_t)a, (uint8_t)b, group[a - 1] == group[b - 1]);
	if (s->trace_fn) {
		/* "{n1 n2} {n3 n4 n5}", groups in order of their first node */
		char text[2048];
		size_t len = 0;
		bool done[RAFT_NODES_MAX + 1] = {false};
		for (uint16_t a = 1; a <= n && len < sizeof text - 16; a++) {
			if (done[a])
				continue;
			len += (size_t)snprintf(text + len, sizeof text - len, "%s{", len ? " " : "");
			bool first = true;
			for (uint16_t b = a; b <= n && len < sizeof text - 8; b++)
				if (!done[b] && group[b - 1] == group[a - 1]) {
					done[b] = true;
					len += (size_t)snprintf(text + len, sizeof text - len, "%sn%u",
					                        first ? "" : " ", b);
					first = false;
				}
			len += (size_t)snprintf(text + len, sizeof text - len, "}");
		}
		sim_emit_text(s, SIM_T_PARTITION, 0, text);
	}
	return SIM_OK;
}

int sim_isolate(struct sim *s, uint8_t i)
{
	if (!sim_valid_node(s, i))
		return SIM_EINVAL;
	for (uint16_t j = 1; j <= s->cfg.nodes; j++)
		if (j != i) {
			link_put(s, i, (uint8_t)j, false);
			link_put(s, (uint8_t)j, i, false);
		}
	if (s->trace_fn) {
		char text[32];
		snprintf(text, sizeof text, "n%u isolated", i);
		sim_emit_text(s, SIM_T_PARTITION, i, text);
	}
	return SIM_OK;
}

void sim_heal(struct sim *s)
{
	for (uint16_t a = 1; a <= s->cfg.nodes; a++)
		for (uint16_t b = 1; b <= s->cfg.nodes; b++)
			if (a != b)
				link_put(s, (uint8_t)a, (uint8_t)b, true);
	sim_emit_text(s, SIM_T_HEAL, 0, NULL);
}

bool sim_link_up(const struct sim *s, uint8_t from, uint8_t to)
{
	if (!sim_valid_node(s, from) || !sim_valid_node(s, to))
		return false;
	return from == to || s->net.link_up[sim_link_at(s, from, to)];
}

int64_t sim_link_changed_us(const struct sim *s, uint8_t from, uint8_t to)
{
	if (!sim_valid_node(s, from) || !sim_valid_node(s, to))
		return 0;
	return s->net.link_changed_us[sim_link_at(s, from, to)];
}

size_t sim_msg_capacity(const struct sim *s)
{
	return s->net.slots_n;
}

const struct sim_msg *sim_msg_slot(const struct sim *s, size_t i)
{
	if (i >= s->net.slots_n || s->net.slots[i].state != SIM_SLOT_FLIGHT)
		return NULL;
	return &s->net.slots[i].msg;
}

size_t sim_msgs_in_flight(const struct sim *s)
{
	return s->net.in_flight;
}

size_t sim_drops(const struct sim *s, const struct sim_drop **out)
{
	*out = s->net.drops;
	return s->net.drops_n;
}

/* ---- Messages by id ---------------------------------------------------------- */

/* The slot of the message in flight with this id, or SIM_NONE. */
static uint32_t find_slot(const struct sim *s, uint64_t id)
{
	for (uint32_t i = 0; i < s->net.slots_n; i++)
		if (s->net.slots[i].state == SIM_SLOT_FLIGHT && s->net.slots[i].msg.id == id)
			return i;
	return SIM_NONE;
}

const struct sim_msg *sim_msg_find(const struct sim *s, uint64_t id)
{
	uint32_t i = find_slot(s, id);
	return i == SIM_NONE ? NULL : &s->net.slots[i].msg;
}

uint64_t sim_msg_last_id(const struct sim *s)
{
	return s->net.next_msg_id;
}

int sim_msg_drop(struct sim *s, uint64_t id)
{
	uint32_t i = find_slot(s, id);
	if (i == SIM_NONE)
		return SIM_EINVAL;
	record_drop(s, &s->net.slots[i].msg, "by command");
	sim_slot_free(s, i); /* its delivery event is stale now */
	return SIM_OK;
}

int64_t sim_msg_duplicate(struct sim *s, uint64_t id)
{
	uint32_t i = find_slot(s, id);
	if (i == SIM_NONE)
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	uint32_t j = msg_copy(s, i);
	return j == SIM_NONE ? SIM_ENOMEM : (int64_t)s->net.slots[j].msg.id;
}

int sim_msg_retime(struct sim *s, uint64_t id, int64_t due_us)
{
	uint32_t i = find_slot(s, id);
	if (i == SIM_NONE || due_us < s->now_us)
		return SIM_EINVAL;
	struct sim_slot *sl = &s->net.slots[i];
	sl->gen++; /* the old delivery event is stale */
	sl->msg.deliver_us = due_us;
	emit_msg(s, SIM_T_DELAY, &sl->msg, NULL);
	if (sim_queue_push(&s->q, due_us, SIM_EV_DELIVER, sl->msg.m.to, i, sl->gen) != SIM_OK) {
		sim_stop_oom(s, "an event for a message in flight");
		return SIM_ENOMEM;
	}
	return SIM_OK;
}

size_t sim_net_next(const struct sim *s, struct sim_next *out, size_t cap)
{
	size_t n = 0;
	for (uint32_t i = 0; i < s->net.slots_n; i++) {
		const struct sim_slot *sl = &s->net.slots[i];
		if (sl->state != SIM_SLOT_FLIGHT)
			continue;
		const struct sim_msg *m = &sl->msg;
		size_t k = 0;
		while (k < n && !(out[k].from == m->m.from && out[k].node == m->m.to))
			k++;
		if (k < n && (out[k].time_us < m->deliver_us ||
		              (out[k].time_us == m->deliver_us && out[k].msg_id < m->id)))
			continue; /* an earlier one on this link */
		if (k == n) {
			if (n == cap)
				continue;
			n++;
		}
		out[k] = (struct sim_next){.kind = SIM_NEXT_MSG, .time_us = m->deliver_us,
		                           .node = m->m.to, .from = m->m.from, .msg_id = m->id,
		                           .type = m->m.type, .lost = m->lost};
	}
	return n;
}

/* ---- State ------------------------------------------------------------------ */

int sim_net_init(struct sim_net *net, uint16_t n, uint64_t rng)
{
	memset(net, 0, sizeof *net);
	net->rng = rng;
	net->free_head = SIM_NONE;
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	net->link_up = malloc(links);
	net->link_changed_us = calloc(links, sizeof *net->link_changed_us);
	if (!net->link_up || !net->link_changed_us)
		return SIM_ENOMEM;
	memset(net->link_up, 1, links);
	return SIM_OK;
}

void sim_net_free(struct sim_net *net)
{
	free(net->link_up);
	free(net->link_changed_us);
	for (uint32_t i = 0; i < net->slots_n; i++)
		free(net->slots[i].buf);
	free(net->slots);
	memset(net, 0, sizeof *net);
}

int sim_net_copy(struct sim_net *d, const struct sim_net *s, uint16_t n)
{
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	*d = *s;
	d->slots = NULL;
	d->slots_n = d->slots_cap = 0;
	d->slot_buf_bytes = 0;
	d->link_up = sim_dup_array(s->link_up, links, 1);
	d->link_changed_us = sim_dup_array(s->link_changed_us, links, sizeof *s->link_changed_us);
	if (!d->link_up || !d->link_changed_us)
		return SIM_ENOMEM;
	if (s->slots_cap) {
		d->slots = calloc(s->slots_cap, sizeof *d->slots);
		if (!d->slots)
			return SIM_ENOMEM;
		d->slots_cap = s->slots_cap;
		for (uint32_t i = 0; i < s->slots_n; i++) {
			const struct sim_slot *ss = &s->slots[i];
			struct sim_slot *ds = &d->slots[i];
			*ds = *ss;
			ds->buf = NULL;
			ds->buf_cap = 0;
			d->slots_n = i + 1;
			if (ss->state != SIM_SLOT_FREE && ss->msg.m.n_entries) {
				ds->buf = sim_dup_array(ss->buf, ss->msg.m.n_entries, sizeof *ss->buf);
				if (!ds->buf)
					return SIM_ENOMEM;
				ds->buf_cap = ss->msg.m.n_entries;
				d->slot_buf_bytes += (uint64_t)ds->buf_cap * sizeof *ds->buf;
			}
			ds->msg.m.entries = ds->buf;
		}
	}
	return SIM_OK;
}

uint64_t sim_net_bytes(const struct sim_net *net, uint16_t n)
{
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	return links * (1 + sizeof *net->link_changed_us) +
	       (uint64_t)net->slots_cap * sizeof *net->slots + net->slot_buf_bytes;
}
