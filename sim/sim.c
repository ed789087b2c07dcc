/* sim.c - the discrete-event simulator: clock, network, disk, crashes,
 * clients, driving the Raft nodes and feeding the safety checker. */
#include "sim_internal.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_US (3600LL * 1000 * 1000)

void sim_config_default(struct sim_config *c)
{
	memset(c, 0, sizeof *c);
	c->nodes = 5;
	c->seed = 1;
	c->election_us_min = 150000;
	c->election_us_max = 300000;
	c->heartbeat_us = 50000;
	c->latency_us_min = 5000;
	c->latency_us_max = 15000;
	c->disk_us = 0;
	c->entries_per_msg_max = 64;
	c->client_retry_us = 1000000;
	c->checker = true;
	c->max_events = SIM_MAX_EVENTS_DEFAULT;
	c->max_memory_bytes = SIM_MAX_MEMORY_DEFAULT;
}

int sim_config_validate(const struct sim_config *c, char *err, size_t errcap)
{
	const char *why = NULL;
	if (c->nodes < 1 || c->nodes > RAFT_NODES_MAX)
		why = "nodes must be 1..255";
	else if (c->election_us_min <= 0 || c->election_us_max < c->election_us_min ||
	         c->election_us_max > HOUR_US)
		why = "election timeout must be a range MIN..MAX with 0 < MIN <= MAX <= 1h";
	else if (c->election_us_min < SIM_TIMER_US_MIN)
		why = "election timeout below 1ms: timers that short make virtual time crawl (use 1ms or more)";
	else if (c->heartbeat_us <= 0 || c->heartbeat_us > HOUR_US)
		why = "heartbeat must be > 0 and <= 1h";
	else if (c->heartbeat_us < SIM_TIMER_US_MIN)
		why = "heartbeat below 1ms: timers that short make virtual time crawl (use 1ms or more)";
	else if (c->latency_us_min < 0 || c->latency_us_max < c->latency_us_min ||
	         c->latency_us_max > HOUR_US)
		why = "latency must be a range MIN..MAX with 0 <= MIN <= MAX <= 1h";
	else if (c->disk_us < 0 || c->disk_us > HOUR_US)
		why = "disk latency must be 0..1h";
	else if (c->drop_ppm > SIM_PPM || c->dup_ppm > SIM_PPM)
		why = "drop and duplicate must be 0%..100%";
	else if (c->entries_per_msg_max < 1 || c->entries_per_msg_max > 65536)
		why = "entries per message must be 1..65536";
	else if (c->snapshot_threshold > 1000000000u || c->snapshot_trailing > 1000000000u)
		why = "snapshot settings must be 0..1000000000 entries";
	else if (c->client_retry_us <= 0 || c->client_retry_us > HOUR_US)
		why = "client retry must be > 0 and <= 1h";
	if (why && err && errcap)
		snprintf(err, errcap, "%s", why);
	return why ? SIM_EINVAL : SIM_OK;
}

static uint64_t derive_seed(uint64_t seed, uint64_t stream)
{
	uint64_t st = seed ^ (stream * 0xd1b54a32d192ed03ull);
	return sim_rand_next(&st);
}

/* ---- Trace plumbing ------------------------------------------------------- */

static void emit(struct sim *s, struct sim_trace *t)
{
	t->time_us = s->now_us;
	s->trace_fn(s->trace_ctx, t);
}

static void emit_text(struct sim *s, enum sim_trace_kind kind, uint8_t node, const char *text)
{
	if (!s->trace_fn)
		return;
	struct sim_trace t = {.kind = kind, .node = node, .text = text};
	emit(s, &t);
}

static void emit_msg(struct sim *s, enum sim_trace_kind kind, const struct raft_msg *m,
                     const char *why)
{
	if (!s->trace_fn)
		return;
	struct sim_trace t = {.kind = kind, .node = m->from, .peer = m->to, .msg = m,
	                      .term = m->term, .text = why};
	emit(s, &t);
}

/* ---- Construction ------------------------------------------------------------ */

static size_t link_at(const struct sim *s, uint8_t from, uint8_t to)
{
	return (size_t)from * ((size_t)s->cfg.nodes + 1) + to;
}

static void node_timer(struct sim *s, uint8_t i);

/* Node i's configuration, from the simulator's current one; each boot
 * (incarnation) draws from a PRNG stream of its own. */
static void node_config(const struct sim *s, uint8_t i, struct raft_config *rc)
{
	const struct sim_config *c = &s->cfg;
	raft_config_default(rc, i, (uint8_t)c->nodes);
	rc->election_timeout_us_min = c->election_us_min;
	rc->election_timeout_us_max = c->election_us_max;
	rc->heartbeat_us = c->heartbeat_us;
	rc->entries_per_msg_max = c->entries_per_msg_max;
	rc->bugs = c->bugs;
	rc->snapshot_threshold = c->snapshot_threshold;
	rc->snapshot_trailing = c->snapshot_trailing;
	rc->prevote = c->prevote;
	rc->checkquorum = c->checkquorum;
	uint64_t boot = s->nodes ? s->nodes[i].incarnation : 0;
	rc->seed = derive_seed(c->seed, 1000 + i + boot * 0x10000u);
}

struct sim *sim_new(const struct sim_config *c)
{
	if (sim_config_validate(c, NULL, 0) != SIM_OK)
		return NULL;
	struct sim *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *c;
	uint16_t n = c->nodes;
	s->rng_net = derive_seed(c->seed, 1);
	s->rng_client = derive_seed(c->seed, 2);
	s->rng_disk = derive_seed(c->seed, 3);
	s->free_head = SIM_NONE;
	s->nodes = calloc((size_t)n + 1, sizeof *s->nodes);
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	s->link_up = malloc(links);
	s->link_changed_us = calloc(links, sizeof *s->link_changed_us);
	if (!s->nodes || !s->link_up || !s->link_changed_us)
		goto fail;
	memset(s->link_up, 1, links);
	if (c->checker && sim_checker_init(&s->checker, n) != SIM_OK)
		goto fail;
	for (uint16_t i = 1; i <= n; i++) {
		struct raft_config rc;
		node_config(s, (uint8_t)i, &rc);
		struct sim_nodestate *ns = &s->nodes[i];
		ns->raft = raft_new(&rc, 0);
		if (!ns->raft)
			goto fail;
		ns->up = true;
		ns->timer_at = INT64_MAX;
	}
	for (uint16_t i = 1; i <= n; i++)
		node_timer(s, (uint8_t)i);
	return s;
fail:
	sim_free(s);
	return NULL;
}

void sim_free(struct sim *s)
{
	if (!s)
		return;
	if (s->nodes)
		for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
			raft_free(s->nodes[i].raft);
			sim_disk_free(&s->nodes[i].disk);
			free(s->nodes[i].writes);
			free(s->nodes[i].waiting);
		}
	free(s->nodes);
	free(s->link_up);
	free(s->link_changed_us);
	for (uint32_t i = 0; i < s->slots_n; i++)
		free(s->slots[i].buf);
	free(s->slots);
	free(s->reqs);
	sim_queue_free(&s->q);
	sim_checker_free(&s->checker);
	free(s);
}

void *sim_dup_array(const void *p, size_t n, size_t size)
{
	if (!p || n == 0)
		return NULL;
	void *q = malloc(n * size);
	if (q)
		memcpy(q, p, n * size);
	return q;
}

struct sim *sim_clone(const struct sim *s)
{
	struct sim *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	*d = *s;
	uint16_t n = s->cfg.nodes;
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	d->nodes = NULL;
	d->link_up = NULL;
	d->link_changed_us = NULL;
	d->slots = NULL;
	d->slots_n = d->slots_cap = 0;
	d->slot_buf_bytes = 0;
	d->reqs = NULL;
	memset(&d->q, 0, sizeof d->q);
	memset(&d->checker, 0, sizeof d->checker);

	d->nodes = calloc((size_t)n + 1, sizeof *d->nodes);
	if (!d->nodes)
		goto fail;
	for (uint16_t i = 1; i <= n; i++) {
		const struct sim_nodestate *sn = &s->nodes[i];
		struct sim_nodestate *dn = &d->nodes[i];
		*dn = *sn;
		memset(&dn->disk, 0, sizeof dn->disk);
		dn->raft = raft_clone(sn->raft);
		if (sim_disk_copy(&dn->disk, &sn->disk) != SIM_OK) {
			dn->writes = NULL;
			dn->waiting = NULL;
			dn->writes_cap = dn->waiting_cap = 0;
			goto fail;
		}
		dn->writes = sim_dup_array(sn->writes, sn->writes_cap, sizeof *sn->writes);
		dn->waiting = sim_dup_array(sn->waiting, sn->waiting_cap, sizeof *sn->waiting);
		if (!dn->raft || (sn->writes_cap && !dn->writes) ||
		    (sn->waiting_cap && !dn->waiting)) {
			if (!dn->writes)
				dn->writes_cap = 0;
			if (!dn->waiting)
				dn->waiting_cap = 0;
			goto fail;
		}
	}
	d->link_up = sim_dup_array(s->link_up, links, 1);
	d->link_changed_us = sim_dup_array(s->link_changed_us, links, sizeof *s->link_changed_us);
	if (!d->link_up || !d->link_changed_us)
		goto fail;
	if (s->slots_cap) {
		d->slots = calloc(s->slots_cap, sizeof *d->slots);
		if (!d->slots)
			goto fail;
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
					goto fail;
				ds->buf_cap = ss->msg.m.n_entries;
				d->slot_buf_bytes += (uint64_t)ds->buf_cap * sizeof *ds->buf;
			}
			ds->msg.m.entries = ds->buf;
		}
	}
	if (s->reqs_cap) {
		d->reqs = sim_dup_array(s->reqs, s->reqs_cap, sizeof *s->reqs);
		if (!d->reqs)
			goto fail;
	}
	if (sim_queue_copy(&d->q, &s->q) != SIM_OK)
		goto fail;
	if (s->cfg.checker && sim_checker_copy(&d->checker, &s->checker) != SIM_OK)
		goto fail;
	return d;
fail:
	if (!d->reqs)
		d->reqs_cap = 0;
	sim_free(d);
	return NULL;
}

/* ---- Messages ----------------------------------------------------------------- */

static uint32_t slot_alloc(struct sim *s)
{
	if (s->free_head != SIM_NONE) {
		uint32_t i = s->free_head;
		s->free_head = s->slots[i].next;
		return i;
	}
	if (s->slots_n == s->slots_cap) {
		uint32_t cap = s->slots_cap ? s->slots_cap * 2 : 64;
		struct sim_slot *sl = realloc(s->slots, cap * sizeof *sl);
		if (!sl)
			return SIM_NONE;
		s->slots = sl;
		s->slots_cap = cap;
	}
	uint32_t i = s->slots_n++;
	memset(&s->slots[i], 0, sizeof s->slots[i]);
	return i;
}

static void slot_free(struct sim *s, uint32_t i)
{
	struct sim_slot *sl = &s->slots[i];
	if (sl->state == SIM_SLOT_FLIGHT)
		s->in_flight--;
	sl->state = SIM_SLOT_FREE;
	sl->next = s->free_head;
	s->free_head = i;
}

/* Copies m (and its entries) into a new slot; SIM_NONE on ENOMEM. */
static uint32_t msg_store(struct sim *s, const struct raft_msg *m)
{
	uint32_t i = slot_alloc(s);
	if (i == SIM_NONE)
		return SIM_NONE;
	struct sim_slot *sl = &s->slots[i];
	if (m->n_entries > sl->buf_cap) {
		uint32_t cap = sl->buf_cap ? sl->buf_cap : 8;
		while (cap < m->n_entries)
			cap *= 2;
		struct raft_entry *b = realloc(sl->buf, cap * sizeof *b);
		if (!b) {
			slot_free(s, i);
			return SIM_NONE;
		}
		s->slot_buf_bytes += (uint64_t)(cap - sl->buf_cap) * sizeof *b;
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

/* Stops the run for a reason that is not a safety violation. */
static void halt(struct sim *s, int why, const char *invariant, const char *detail)
{
	if (s->stopped)
		return;
	s->stopped = true;
	s->halt = why;
	memset(&s->violation, 0, sizeof s->violation);
	s->violation.invariant = invariant;
	s->violation.time_us = s->now_us;
	s->violation.seed = s->cfg.seed;
	snprintf(s->violation.detail, sizeof s->violation.detail, "%s", detail);
}

/* An allocation failed: whatever needed it (a message, an event, a log
 * entry, a checker record) would otherwise be silently missing, so the run
 * stops and says so. */
static void stop_oom(struct sim *s, const char *what)
{
	char d[200];
	snprintf(d, sizeof d, "%s could not be allocated", what);
	halt(s, SIM_ENOMEM, "out of memory", d);
}

/* Puts a stored message on the wire: latency, loss and duplication. */
static bool reply_durable(struct sim *s, const struct raft_msg *m);

static void msg_launch(struct sim *s, uint32_t i)
{
	(void)reply_durable(s, &s->slots[i].msg.m); /* a violation stops the run */
	struct sim_slot *sl = &s->slots[i];
	struct sim_msg *sm = &sl->msg;
	sl->state = SIM_SLOT_FLIGHT;
	s->in_flight++;
	sm->id = ++s->next_msg_id;
	sm->send_us = s->now_us;
	sm->deliver_us =
	    s->now_us + sim_rand_range(&s->rng_net, s->cfg.latency_us_min, s->cfg.latency_us_max);
	sm->sent_cut = !s->link_up[link_at(s, sm->m.from, sm->m.to)];
	sm->lost = sm->sent_cut || sim_rand_ppm(&s->rng_net, s->cfg.drop_ppm);
	s->counters.msgs_sent++;
	emit_msg(s, SIM_T_SEND, &sm->m, NULL);
	if (sim_queue_push(&s->q, sm->deliver_us, SIM_EV_DELIVER, sm->m.to, i, 0) != SIM_OK) {
		stop_oom(s, "an event for a message in flight");
		return;
	}
	if (!sim_rand_ppm(&s->rng_net, s->cfg.dup_ppm))
		return;
	struct raft_msg copy = s->slots[i].msg.m; /* msg_store may move the slots */
	uint32_t j = msg_store(s, &copy);
	if (j == SIM_NONE) {
		stop_oom(s, "a duplicated message");
		return;
	}
	struct sim_slot *dl = &s->slots[j];
	dl->state = SIM_SLOT_FLIGHT;
	s->in_flight++;
	dl->msg.id = ++s->next_msg_id;
	dl->msg.duplicate = true;
	dl->msg.send_us = s->now_us;
	dl->msg.deliver_us =
	    s->now_us + sim_rand_range(&s->rng_net, s->cfg.latency_us_min, s->cfg.latency_us_max);
	dl->msg.lost = s->slots[i].msg.lost;
	dl->msg.sent_cut = s->slots[i].msg.sent_cut;
	s->counters.msgs_duplicated++;
	emit_msg(s, SIM_T_DUPLICATE, &dl->msg.m, NULL);
	if (sim_queue_push(&s->q, dl->msg.deliver_us, SIM_EV_DELIVER, dl->msg.m.to, j, 0) !=
	    SIM_OK)
		stop_oom(s, "an event for a duplicated message");
}

static void record_drop(struct sim *s, const struct sim_msg *sm, const char *why)
{
	s->counters.msgs_dropped++;
	if (s->drops_n == SIM_DROPS_MAX) /* keep the newest, oldest first */
		memmove(s->drops, s->drops + 1, (SIM_DROPS_MAX - 1) * sizeof s->drops[0]);
	else
		s->drops_n++;
	s->drops[s->drops_n - 1] = (struct sim_drop){
	    .time_us = s->now_us, .send_us = sm->send_us, .from = sm->m.from, .to = sm->m.to,
	    .type = sm->m.type, .success = sm->m.success, .n_entries = sm->m.n_entries};
	emit_msg(s, SIM_T_DROP, &sm->m, why);
}

/* ---- Nodes ------------------------------------------------------------------- */

static void node_timer(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	if (!ns->up)
		return;
	int64_t d = raft_next_deadline_us(ns->raft);
	if (d < s->now_us)
		d = s->now_us;
	if (ns->timer_at <= d)
		return; /* an earlier event is pending; it re-arms when it fires */
	ns->timer_gen++;
	ns->timer_at = d;
	if (sim_queue_push(&s->q, d, SIM_EV_TIMER, i, 0, ns->timer_gen) != SIM_OK)
		stop_oom(s, "a timer event");
}

static void client_applied(struct sim *s, uint8_t i, uint64_t applied);

static void violation(struct sim *s, const struct sim_violation *v)
{
	if (s->checker.oom) { /* not a violation: the checker ran out of memory */
		stop_oom(s, "a safety checker record");
		return;
	}
	if (s->stopped)
		return;
	s->stopped = true;
	s->halt = SIM_ESTOPPED;
	s->violation = *v;
	s->violation.time_us = s->now_us;
	s->violation.seed = s->cfg.seed;
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_VIOLATION, .node = v->node_a, .peer = v->node_b,
		                      .term = v->term, .index = v->index, .text = v->detail};
		emit(s, &t);
	}
}

/* The node's own idea of what is durable must agree with its disk. */
static void check_disk(struct sim *s, uint8_t i)
{
	if (!s->cfg.checker || s->stopped)
		return;
	struct sim_violation v = {.invariant = "Durability", .node_a = i};
	const struct raft_node *r = s->nodes[i].raft;
	char why[200];
	if (sim_disk_check(&s->nodes[i].disk, r, why, sizeof why))
		return;
	v.index = raft_persisted_index(r);
	v.term = raft_term(r);
	snprintf(v.detail, sizeof v.detail, "n%u %s", i, why);
	violation(s, &v);
}

/* A reply that promises durable state may leave only once its sender's
 * disk holds that state: a granted vote (the vote, in its term) and an
 * AppendEntries success (the log up to the index it matches). */
static bool reply_durable(struct sim *s, const struct raft_msg *m)
{
	if (!s->cfg.checker || !m->success ||
	    (m->type != RAFT_MSG_VOTE_REPLY && m->type != RAFT_MSG_APPEND_REPLY))
		return true;
	const struct sim_disk *d = &s->nodes[m->from].disk;
	struct sim_violation v = {.invariant = "Durability", .node_a = m->from, .node_b = m->to,
	                          .term = m->term};
	if (m->type == RAFT_MSG_VOTE_REPLY) {
		if (d->term == m->term && d->vote == m->to)
			return true;
		snprintf(v.detail, sizeof v.detail,
		         "n%u granted its vote to n%u in term %" PRIu64
		         " before it was durable (the disk holds term %" PRIu64 ", vote %u)",
		         m->from, m->to, m->term, d->term, d->vote);
	} else {
		if (sim_disk_last_index(d) >= m->commit)
			return true;
		v.index = m->commit;
		snprintf(v.detail, sizeof v.detail,
		         "n%u told n%u it matches up to index %" PRIu64
		         " before it was durable (the disk holds %" PRIu64 ")",
		         m->from, m->to, m->commit, sim_disk_last_index(d));
	}
	violation(s, &v);
	return false;
}

/* Traces what changed in node i and runs the checker over its batch. */
static void observe(struct sim *s, uint8_t i, const struct raft_ready *rd)
{
	struct sim_nodestate *ns = &s->nodes[i];
	const struct raft_node *r = ns->raft;
	enum raft_role role = raft_role(r);
	uint64_t term = raft_term(r);
	if (role != ns->role || term != ns->term) {
		struct sim_trace t = {.node = i, .term = term};
		if (role == RAFT_CANDIDATE) {
			s->counters.elections++;
			t.kind = SIM_T_TIMEOUT;
			t.success = ns->role == RAFT_PRECANDIDATE; /* it won its pre-votes */
		} else if (role == RAFT_PRECANDIDATE) {
			t.kind = SIM_T_TIMEOUT;
			t.prevote = true;
		} else if (role == RAFT_LEADER) {
			s->counters.leaders++;
			t.kind = SIM_T_LEADER;
			for (uint16_t v = 1; v <= s->cfg.nodes; v++)
				if (raft_vote_granted_by(r, (uint8_t)v))
					t.votes_mask[(v - 1) / 64] |= 1ull << ((v - 1) % 64);
		} else {
			t.kind = SIM_T_FOLLOWER;
			t.success = ns->role != RAFT_FOLLOWER;
			t.quorum_lost = ns->role == RAFT_LEADER && term == ns->term;
		}
		ns->role = (uint8_t)role;
		ns->term = term;
		if (s->trace_fn)
			emit(s, &t);
	}
	if (rd && rd->snapshot_index && s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_SNAPSHOT, .node = i, .index = rd->snapshot_index,
		                      .term = rd->snapshot_term, .success = rd->snapshot_installed,
		                      .peer = rd->snapshot_installed ? raft_leader_hint(r) : 0};
		emit(s, &t);
	}
	uint64_t commit = raft_commit_index(r);
	if (commit > ns->commit) {
		if (commit > s->counters.commits)
			s->counters.commits = commit;
		if (s->trace_fn) {
			struct sim_trace t = {.kind = SIM_T_COMMIT, .node = i, .index = commit,
			                      .first = ns->commit + 1, .term = raft_term_at(r, commit),
			                      .entry = raft_entry_at(r, commit)};
			emit(s, &t);
		}
	}
	ns->commit = commit;
	struct sim_violation v;
	if (s->cfg.checker && sim_checker_observe(&s->checker, i, r, rd, &v))
		violation(s, &v);
}

/* Hands node i's batches to the disk and the network until it has none. */
static void flush(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	struct raft_ready rd;
	if (raft_out_of_memory(ns->raft)) {
		stop_oom(s, "memory for a Raft node's log, messages or state machine");
		return;
	}
	while (!s->stopped && ns->up && raft_has_ready(ns->raft)) {
		raft_take_ready(ns->raft, &rd);
		if (raft_out_of_memory(ns->raft)) {
			stop_oom(s, "memory for a Raft node's log, messages or state machine");
			return;
		}
		observe(s, i, &rd);
		if (s->stopped)
			return;
		bool persist = rd.hard_state_changed || rd.persist_from;
		/* behind writes in flight even if the disk has become fast
		 * meanwhile: the disk completes writes in order */
		bool wait = (s->cfg.disk_us > 0 && persist) || ns->writes_n > 0;
		if (sim_disk_issue(&ns->disk, &rd, ns->raft) != SIM_OK) {
			stop_oom(s, "a disk write");
			return;
		}
		if (!wait) {
			/* the disk writes at once; then the messages leave, then
			 * the node hears that its batch is durable */
			if (persist && sim_disk_complete(&ns->disk) != SIM_OK) {
				stop_oom(s, "a disk write");
				return;
			}
			check_disk(s, i);
			for (size_t k = 0; k < rd.n_msgs && !s->stopped; k++) {
				uint32_t j = msg_store(s, &rd.msgs[k]);
				if (j == SIM_NONE) {
					stop_oom(s, "a message");
					return;
				}
				msg_launch(s, j);
			}
			if (persist) {
				s->counters.disk_writes++;
				raft_persisted(ns->raft, rd.persist_from ? rd.persist_to : 0,
				               rd.persist_term, rd.term, rd.voted_for);
				check_disk(s, i);
			}
		} else {
			check_disk(s, i);
			if (persist && ns->writes_n == ns->writes_cap) {
				/* unroll the ring into a bigger array */
				size_t cap = ns->writes_cap ? ns->writes_cap * 2 : 8;
				struct sim_write *w = malloc(cap * sizeof *w);
				if (!w) {
					stop_oom(s, "a disk write");
					return;
				}
				for (size_t k = 0; k < ns->writes_n; k++)
					w[k] = ns->writes[(ns->writes_head + k) % ns->writes_cap];
				free(ns->writes);
				ns->writes = w;
				ns->writes_cap = cap;
				ns->writes_head = 0;
			}
			struct sim_write *w;
			if (persist) {
				w = &ns->writes[(ns->writes_head + ns->writes_n++) % ns->writes_cap];
				*w = (struct sim_write){.index = rd.persist_from ? rd.persist_to : 0,
				                        .term = rd.persist_term, .hs_term = rd.term,
				                        .hs_vote = rd.voted_for, .held_first = SIM_NONE};
				if (sim_queue_push(&s->q, s->now_us + s->cfg.disk_us, SIM_EV_DISK, i,
				                   ns->incarnation, 0) != SIM_OK) {
					stop_oom(s, "a disk event");
					return;
				}
			} else {
				/* nothing new to write: its messages wait behind the
				 * writes in progress */
				w = &ns->writes[(ns->writes_head + ns->writes_n - 1) % ns->writes_cap];
			}
			uint32_t tail = w->held_first;
			while (tail != SIM_NONE && s->slots[tail].next != SIM_NONE)
				tail = s->slots[tail].next;
			for (size_t k = 0; k < rd.n_msgs; k++) {
				uint32_t j = msg_store(s, &rd.msgs[k]);
				if (j == SIM_NONE) {
					stop_oom(s, "a message");
					return;
				}
				if (tail == SIM_NONE)
					w->held_first = j;
				else
					s->slots[tail].next = j;
				tail = j;
				w->held_n++;
			}
		}
		if (rd.apply_to > rd.apply_from && ns->waiting_n)
			client_applied(s, i, rd.apply_to);
	}
	node_timer(s, i);
}

/* Nodes proposed to directly (sim_propose) flush before the next event, so
 * that a burst of proposals leaves as one message per peer. */
static void flush_pending(struct sim *s)
{
	while (s->n_dirty && !s->stopped)
		flush(s, s->dirty[--s->n_dirty]);
	s->n_dirty = 0;
}

static void disk_done(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	struct sim_write w = ns->writes[ns->writes_head];
	ns->writes_head = (ns->writes_head + 1) % ns->writes_cap;
	ns->writes_n--;
	s->counters.disk_writes++;
	if (sim_disk_complete(&ns->disk) != SIM_OK) {
		stop_oom(s, "a disk write");
		return;
	}
	for (uint32_t j = w.held_first; j != SIM_NONE;) {
		uint32_t next = s->slots[j].next;
		if (s->stopped)
			slot_free(s, j);
		else
			msg_launch(s, j);
		j = next;
	}
	if (s->stopped)
		return;
	raft_persisted(ns->raft, w.index, w.term, w.hs_term, w.hs_vote);
	check_disk(s, i);
	flush(s, i);
}

static void deliver(struct sim *s, uint32_t slot)
{
	struct sim_msg *sm = &s->slots[slot].msg;
	uint8_t to = sm->m.to;
	const char *why = NULL;
	if (sm->lost)
		why = !s->link_up[link_at(s, sm->m.from, to)] ? "link down"
		      : sm->sent_cut                          ? "cut link"
		                                              : "lost";
	else if (!s->link_up[link_at(s, sm->m.from, to)])
		why = "link down";
	else if (!s->nodes[to].up)
		why = "receiver down";
	if (why) {
		record_drop(s, sm, why);
		slot_free(s, slot);
		return;
	}
	s->counters.msgs_delivered++;
	raft_step(s->nodes[to].raft, s->now_us, &sm->m);
	slot_free(s, slot);
	flush(s, to);
}

/* ---- Clients --------------------------------------------------------------- */

static uint8_t next_node(const struct sim *s, uint8_t i)
{
	return (uint8_t)(i % s->cfg.nodes + 1);
}

static void client_send(struct sim *s, uint32_t r, uint8_t to, int64_t delay_us)
{
	struct sim_req *q = &s->reqs[r];
	q->state = SIM_REQ_TRAVEL;
	q->target = to;
	q->gen++;
	int64_t at = s->now_us + delay_us +
	             sim_rand_range(&s->rng_client, s->cfg.latency_us_min, s->cfg.latency_us_max);
	if (sim_queue_push(&s->q, at, SIM_EV_CLIENT, to, r, q->gen) != SIM_OK)
		stop_oom(s, "a client event");
}

/* How long a client waits before its next try.  The first
 * SIM_CLIENT_BACKOFF_AFTER retries of a put wait exactly base (and draw
 * nothing), as a client that just missed a leader change should; after
 * that the wait doubles with every retry, capped at SIM_CLIENT_BACKOFF_MAX
 * times the retry time (and 1h), plus up to half of it again as jitter
 * drawn from the clients' own stream. */
static int64_t client_wait_us(struct sim *s, const struct sim_req *q, int64_t base_us)
{
	if (q->retries < SIM_CLIENT_BACKOFF_AFTER)
		return base_us;
	int64_t cap = s->cfg.client_retry_us * SIM_CLIENT_BACKOFF_MAX;
	if (cap > HOUR_US)
		cap = HOUR_US;
	if (cap < base_us)
		cap = base_us;
	int64_t d = base_us;
	for (uint32_t k = SIM_CLIENT_BACKOFF_AFTER - 1; k < q->retries && d < cap; k++)
		d *= 2;
	if (d > cap)
		d = cap;
	return d + sim_rand_range(&s->rng_client, 0, d / 2);
}

static void client_retried(struct sim_req *q)
{
	if (q->retries < UINT32_MAX)
		q->retries++;
}

/* The put's first copy is still in the log of the node that accepted it,
 * that node still leads the same term and is the stable leader (it reaches
 * a majority): it will commit, so sending another copy would only grow the
 * log. */
static bool client_copy_alive(const struct sim *s, const struct sim_req *q)
{
	const struct sim_nodestate *ns = &s->nodes[q->target];
	return ns->up && raft_role(ns->raft) == RAFT_LEADER && raft_term(ns->raft) == q->term &&
	       raft_term_at(ns->raft, q->index) == q->term && sim_stable_leader(s) == q->target;
}

static void client_note(struct sim *s, uint8_t node, const char *fmt, const struct sim_req *q,
                        uint64_t a, uint64_t b)
{
	if (!s->trace_fn)
		return;
	char text[160], cmd[RAFT_CMD_MAX + 1];
	memcpy(cmd, q->cmd, q->len);
	cmd[q->len] = '\0';
	snprintf(text, sizeof text, fmt, cmd, (unsigned long long)a, (unsigned long long)b);
	emit_text(s, SIM_T_CLIENT, node, text);
}

static int valid_cmd(const char *cmd, size_t len)
{
	if (len < 3 || len > RAFT_CMD_MAX || cmd[0] == '=')
		return SIM_EINVAL;
	bool eq = false;
	for (size_t k = 0; k < len; k++) {
		unsigned char ch = (unsigned char)cmd[k];
		if (ch <= ' ' || ch >= 127)
			return SIM_EINVAL;
		if (ch == '=')
			eq = true;
	}
	return eq ? SIM_OK : SIM_EINVAL;
}

int64_t sim_client_put(struct sim *s, const char *cmd, size_t len, uint8_t to)
{
	if (valid_cmd(cmd, len) != SIM_OK || to > s->cfg.nodes)
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	if (s->reqs_n == s->reqs_cap) {
		size_t cap = s->reqs_cap ? s->reqs_cap * 2 : 16;
		struct sim_req *r = realloc(s->reqs, cap * sizeof *r);
		if (!r) {
			stop_oom(s, "a client request");
			return SIM_ENOMEM;
		}
		s->reqs = r;
		s->reqs_cap = cap;
	}
	uint32_t r = (uint32_t)s->reqs_n++;
	struct sim_req *q = &s->reqs[r];
	memset(q, 0, sizeof *q);
	memcpy(q->cmd, cmd, len);
	q->len = (uint8_t)len;
	if (!to) {
		to = sim_stable_leader(s);
		if (!to)
			to = s->client_leader ? s->client_leader : 1;
	}
	s->counters.client_requests++;
	client_note(s, to, "put %s sent to n%llu", q, to, 0);
	client_send(s, r, to, 0);
	return (int64_t)r + 1;
}

/* Queues request r, accepted with generation gen: a copy accepted again
 * (by the same node, after a retry) has a new generation, so the old entry
 * is skipped rather than waited for. */
static int push_waiting(struct sim_nodestate *ns, uint32_t r, uint16_t gen)
{
	if (ns->waiting_n == ns->waiting_cap) {
		size_t cap = ns->waiting_cap ? ns->waiting_cap * 2 : 16;
		uint64_t *w = malloc(cap * sizeof *w);
		if (!w)
			return SIM_ENOMEM;
		for (size_t k = 0; k < ns->waiting_n; k++)
			w[k] = ns->waiting[(ns->waiting_head + k) % ns->waiting_cap];
		free(ns->waiting);
		ns->waiting = w;
		ns->waiting_cap = cap;
		ns->waiting_head = 0;
	}
	ns->waiting[(ns->waiting_head + ns->waiting_n++) % ns->waiting_cap] =
	    (uint64_t)gen << 32 | r;
	return SIM_OK;
}

static void client_arrive(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->reqs[r];
	uint8_t to = q->target;
	struct sim_nodestate *ns = &s->nodes[to];
	q->attempts++;
	if (!ns->up) {
		client_note(s, to, "put %s to n%llu lost: the node is down; retrying", q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.client_retry_us);
		client_retried(q);
		client_send(s, r, next_node(s, to), wait);
		return;
	}
	uint64_t index = 0;
	uint8_t hint = 0;
	int rc = raft_propose(ns->raft, s->now_us, q->cmd, q->len, &index, &hint);
	if (rc == RAFT_OK) {
		q->state = SIM_REQ_WAIT;
		q->index = index;
		q->term = raft_term(ns->raft);
		q->gen++;
		s->client_leader = to;
		client_note(s, to, "put %s accepted by n%llu at index %llu", q, to, index);
		if (push_waiting(ns, r, q->gen) != SIM_OK ||
		    sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
		                   SIM_EV_CLIENT, to, r, q->gen) != SIM_OK) {
			stop_oom(s, "a client's wait");
			return;
		}
		flush(s, to);
		return;
	}
	if (hint && hint != to) {
		client_note(s, to, "put %s rejected by n%llu: not the leader, try n%llu", q, to, hint);
		s->client_leader = hint;
		client_send(s, r, hint, 0);
	} else {
		client_note(s, to, "put %s rejected by n%llu: no leader known; retrying", q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.election_us_min);
		client_retried(q);
		client_send(s, r, next_node(s, to), wait);
	}
}

static void client_timeout(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->reqs[r];
	client_retried(q);
	if (client_copy_alive(s, q)) {
		client_note(s, q->target,
		            "put %s still waiting at leader n%llu, index %llu: waiting longer", q,
		            q->target, q->index);
		if (sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
		                   SIM_EV_CLIENT, q->target, r, q->gen) != SIM_OK)
			stop_oom(s, "a client's wait");
		return;
	}
	client_note(s, q->target, "put %s not committed within the retry time at n%llu; retrying",
	            q, q->target, 0);
	uint8_t to = s->client_leader && s->client_leader != q->target ? s->client_leader
	                                                               : next_node(s, q->target);
	client_send(s, r, to, 0);
}

static void client_applied(struct sim *s, uint8_t i, uint64_t applied)
{
	struct sim_nodestate *ns = &s->nodes[i];
	while (ns->waiting_n) {
		uint32_t r = (uint32_t)ns->waiting[ns->waiting_head];
		uint16_t gen = (uint16_t)(ns->waiting[ns->waiting_head] >> 32);
		struct sim_req *q = &s->reqs[r];
		bool mine = q->state == SIM_REQ_WAIT && q->target == i && q->gen == gen;
		if (mine && q->index > applied)
			break;
		ns->waiting_head = (ns->waiting_head + 1) % ns->waiting_cap;
		ns->waiting_n--;
		if (!mine)
			continue;
		if (raft_term_at(ns->raft, q->index) == q->term) {
			struct sim_violation v;
			if (s->cfg.checker && sim_checker_acked(&s->checker, i, ns->raft, q->index,
			                                        q->cmd, q->len, &v)) {
				violation(s, &v);
				return;
			}
			q->state = SIM_REQ_DONE;
			q->gen++;
			s->counters.client_acks++;
			client_note(s, i, "put %s committed: n%llu applied it at index %llu", q, i,
			            q->index);
		} else if (raft_term_at(ns->raft, q->index) == 0) {
			/* the node installed a snapshot past it: whether the put is
			 * in it is unknown here, so the client asks again */
			client_note(s, i, "put %s: n%llu skipped index %llu by a snapshot; retrying", q,
			            i, q->index);
			client_retried(q);
			client_send(s, r, s->client_leader ? s->client_leader : next_node(s, i), 0);
		} else {
			client_note(s, i, "put %s was overwritten at n%llu index %llu; retrying", q, i,
			            q->index);
			client_retried(q);
			client_send(s, r, s->client_leader ? s->client_leader : next_node(s, i), 0);
		}
	}
}

int sim_propose(struct sim *s, uint8_t node, const char *cmd, size_t len)
{
	if (node < 1 || node > s->cfg.nodes || !s->nodes[node].up)
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	int rc = raft_propose(s->nodes[node].raft, s->now_us, cmd, len, NULL, NULL);
	if (rc == RAFT_OK) {
		bool listed = false;
		for (uint16_t k = 0; k < s->n_dirty && !listed; k++)
			listed = s->dirty[k] == node;
		if (!listed)
			s->dirty[s->n_dirty++] = node;
	}
	if (rc == RAFT_ENOTLEADER)
		return SIM_ENOLEADER;
	if (rc == RAFT_ENOMEM) {
		stop_oom(s, "a log entry for a proposal");
		return SIM_ENOMEM;
	}
	return rc == RAFT_OK ? SIM_OK : SIM_EINVAL;
}

/* ---- Driving ----------------------------------------------------------------- */

static bool stale(const struct sim *s, const struct sim_event *e)
{
	switch (e->kind) {
	case SIM_EV_TIMER:
		return !s->nodes[e->node].up || e->gen != s->nodes[e->node].timer_gen;
	case SIM_EV_DISK:
		return !s->nodes[e->node].up || e->arg != s->nodes[e->node].incarnation;
	case SIM_EV_CLIENT:
		return s->reqs[e->arg].gen != e->gen || s->reqs[e->arg].state == SIM_REQ_DONE;
	default:
		return false;
	}
}

/* Drops stale events from the top of the queue; the next live one or NULL. */
static const struct sim_event *peek_live(struct sim *s)
{
	struct sim_event e;
	while (s->q.n) {
		if (!stale(s, &s->q.ev[0]))
			return &s->q.ev[0];
		sim_queue_pop(&s->q, &e);
	}
	return NULL;
}

int64_t sim_now_us(const struct sim *s)
{
	return s->now_us;
}

int64_t sim_next_event_us(const struct sim *s)
{
	/* peek_live only discards events that can never fire */
	const struct sim_event *e = peek_live((struct sim *)s);
	return e ? e->time_us : INT64_MAX;
}

static void stop_limit(struct sim *s, const char *budget, const char *key, uint64_t limit,
                       const char *unit)
{
	char d[200];
	snprintf(d, sizeof d, "the %s budget (%s=%llu %s) ran out", budget, key,
	         (unsigned long long)limit, unit);
	halt(s, SIM_ELIMIT, "resource limit", d);
}

bool sim_step(struct sim *s)
{
	if (s->stopped)
		return false;
	flush_pending(s);
	if (s->stopped || !peek_live(s))
		return false;
	if (s->cfg.max_events && s->counters.events >= s->cfg.max_events) {
		stop_limit(s, "event", "max_events", s->cfg.max_events, "events");
		return false;
	}
	struct sim_event e;
	sim_queue_pop(&s->q, &e);
	s->now_us = e.time_us;
	s->counters.events++;
	switch (e.kind) {
	case SIM_EV_TIMER: {
		struct sim_nodestate *ns = &s->nodes[e.node];
		ns->timer_at = INT64_MAX;
		raft_tick(ns->raft, s->now_us);
		flush(s, e.node);
		break;
	}
	case SIM_EV_DELIVER:
		deliver(s, e.arg);
		break;
	case SIM_EV_DISK:
		disk_done(s, e.node);
		break;
	case SIM_EV_CLIENT:
		if (s->reqs[e.arg].state == SIM_REQ_TRAVEL)
			client_arrive(s, e.arg);
		else
			client_timeout(s, e.arg);
		break;
	}
	if (s->cfg.max_memory_bytes && s->counters.events % SIM_MEMORY_CHECK_EVENTS == 0 &&
	    !s->stopped && sim_memory_bytes(s) > s->cfg.max_memory_bytes)
		stop_limit(s, "memory", "max_memory", s->cfg.max_memory_bytes, "bytes");
	return true;
}

int sim_run_until(struct sim *s, int64_t t_us)
{
	flush_pending(s);
	while (!s->stopped) {
		const struct sim_event *e = peek_live(s);
		if (!e || e->time_us > t_us)
			break;
		sim_step(s);
	}
	if (s->stopped)
		return s->halt;
	if (t_us > s->now_us)
		s->now_us = t_us;
	return SIM_OK;
}

/* ---- Faults ----------------------------------------------------------------- */

static bool valid_node(const struct sim *s, uint8_t i)
{
	return i >= 1 && i <= s->cfg.nodes;
}

int sim_crash(struct sim *s, uint8_t i)
{
	if (!valid_node(s, i) || !s->nodes[i].up)
		return SIM_EINVAL;
	struct sim_nodestate *ns = &s->nodes[i];
	ns->up = false;
	ns->incarnation++;
	ns->timer_gen++;
	ns->timer_at = INT64_MAX;
	/* writes in progress never reach the disk; their messages are never sent */
	for (size_t k = 0; k < ns->writes_n; k++) {
		struct sim_write *w = &ns->writes[(ns->writes_head + k) % ns->writes_cap];
		for (uint32_t j = w->held_first; j != SIM_NONE;) {
			uint32_t next = s->slots[j].next;
			slot_free(s, j);
			j = next;
		}
	}
	ns->writes_n = 0;
	uint64_t torn = 0;
	if (s->cfg.torn_writes && ns->disk.q_n && ns->disk.q[ns->disk.q_head].from) {
		const struct sim_disk_write *w = &ns->disk.q[ns->disk.q_head];
		torn = (uint64_t)sim_rand_range(&s->rng_disk, 0, (int64_t)(w->to - w->from + 1));
	}
	sim_disk_crash(&ns->disk, torn);
	ns->waiting_n = 0;
	if (s->cfg.checker)
		sim_checker_crash(&s->checker, i);
	emit_text(s, SIM_T_CRASH, i, NULL);
	return SIM_OK;
}

int sim_restart(struct sim *s, uint8_t i)
{
	if (!valid_node(s, i) || s->nodes[i].up)
		return SIM_EINVAL;
	struct sim_nodestate *ns = &s->nodes[i];
	/* a fresh process: the node is built from its disk alone */
	struct raft_config rc;
	node_config(s, i, &rc);
	struct raft_node *fresh = sim_disk_boot(&ns->disk, &rc, s->now_us);
	if (!fresh) {
		stop_oom(s, "a restarted Raft node");
		return SIM_ENOMEM;
	}
	raft_free(ns->raft);
	ns->raft = fresh;
	ns->up = true;
	ns->role = (uint8_t)raft_role(ns->raft);
	ns->term = raft_term(ns->raft);
	ns->commit = raft_commit_index(ns->raft);
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_RESTART, .node = i, .term = ns->term,
		                      .index = raft_last_index(ns->raft)};
		emit(s, &t);
	}
	struct sim_violation v;
	if (s->cfg.checker && sim_checker_observe(&s->checker, i, ns->raft, NULL, &v))
		violation(s, &v);
	flush(s, i);
	return SIM_OK;
}

int sim_timeout(struct sim *s, uint8_t i)
{
	if (!valid_node(s, i) || !s->nodes[i].up)
		return SIM_EINVAL;
	raft_timeout_now(s->nodes[i].raft, s->now_us);
	flush(s, i);
	return SIM_OK;
}

static void link_put(struct sim *s, uint8_t from, uint8_t to, bool up)
{
	size_t k = link_at(s, from, to);
	if (s->link_up[k] != up) {
		s->link_up[k] = up;
		s->link_changed_us[k] = s->now_us;
	}
}

int sim_link_set(struct sim *s, uint8_t from, uint8_t to, bool up)
{
	if (!valid_node(s, from) || !valid_node(s, to) || from == to)
		return SIM_EINVAL;
	link_put(s, from, to, up);
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_LINK, .node = from, .peer = to, .success = up};
		emit(s, &t);
	}
	return SIM_OK;
}

int sim_link_set_both(struct sim *s, uint8_t a, uint8_t b, bool up)
{
	if (!valid_node(s, a) || !valid_node(s, b) || a == b)
		return SIM_EINVAL;
	link_put(s, a, b, up);
	link_put(s, b, a, up);
	if (s->trace_fn) {
		struct sim_trace t = {
		    .kind = SIM_T_LINK, .node = a, .peer = b, .success = up, .both = true};
		emit(s, &t);
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
		emit_text(s, SIM_T_PARTITION, 0, text);
	}
	return SIM_OK;
}

int sim_isolate(struct sim *s, uint8_t i)
{
	if (!valid_node(s, i))
		return SIM_EINVAL;
	for (uint16_t j = 1; j <= s->cfg.nodes; j++)
		if (j != i) {
			link_put(s, i, (uint8_t)j, false);
			link_put(s, (uint8_t)j, i, false);
		}
	if (s->trace_fn) {
		char text[32];
		snprintf(text, sizeof text, "n%u isolated", i);
		emit_text(s, SIM_T_PARTITION, i, text);
	}
	return SIM_OK;
}

void sim_heal(struct sim *s)
{
	for (uint16_t a = 1; a <= s->cfg.nodes; a++)
		for (uint16_t b = 1; b <= s->cfg.nodes; b++)
			if (a != b)
				link_put(s, (uint8_t)a, (uint8_t)b, true);
	emit_text(s, SIM_T_HEAL, 0, NULL);
}

void sim_say(struct sim *s, const char *text)
{
	emit_text(s, SIM_T_SAY, 0, text);
}

static size_t fmt_dur(char *buf, size_t cap, int64_t us)
{
	if (us % 1000000 == 0 && us)
		return (size_t)snprintf(buf, cap, "%llds", (long long)(us / 1000000));
	if (us % 1000 == 0)
		return (size_t)snprintf(buf, cap, "%lldms", (long long)(us / 1000));
	return (size_t)snprintf(buf, cap, "%lldus", (long long)us);
}

static size_t fmt_pct(char *buf, size_t cap, uint32_t ppm)
{
	if (ppm % 10000 == 0)
		return (size_t)snprintf(buf, cap, "%u%%", ppm / 10000);
	return (size_t)snprintf(buf, cap, "%u.%04u%%", ppm / 10000, ppm % 10000);
}

int sim_reconfigure(struct sim *s, const struct sim_config *c)
{
	if (sim_config_validate(c, NULL, 0) != SIM_OK || c->nodes != s->cfg.nodes)
		return SIM_EINVAL;
	struct sim_config old = s->cfg;
	s->cfg.election_us_min = c->election_us_min;
	s->cfg.election_us_max = c->election_us_max;
	s->cfg.heartbeat_us = c->heartbeat_us;
	s->cfg.latency_us_min = c->latency_us_min;
	s->cfg.latency_us_max = c->latency_us_max;
	s->cfg.disk_us = c->disk_us;
	s->cfg.drop_ppm = c->drop_ppm;
	s->cfg.dup_ppm = c->dup_ppm;
	s->cfg.client_retry_us = c->client_retry_us;
	s->cfg.snapshot_threshold = c->snapshot_threshold;
	s->cfg.snapshot_trailing = c->snapshot_trailing;
	s->cfg.max_events = c->max_events;
	s->cfg.max_memory_bytes = c->max_memory_bytes;
	s->cfg.torn_writes = c->torn_writes;
	s->cfg.prevote = c->prevote;
	s->cfg.checkquorum = c->checkquorum;
	if (old.prevote != c->prevote || old.checkquorum != c->checkquorum)
		for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
			raft_set_extensions(s->nodes[i].raft, s->now_us, c->prevote, c->checkquorum);
			node_timer(s, (uint8_t)i);
		}
	if (old.snapshot_threshold != c->snapshot_threshold ||
	    old.snapshot_trailing != c->snapshot_trailing)
		for (uint16_t i = 1; i <= s->cfg.nodes; i++)
			raft_set_snapshot(s->nodes[i].raft, c->snapshot_threshold,
			                  c->snapshot_trailing);
	if (old.election_us_min != c->election_us_min || old.election_us_max != c->election_us_max ||
	    old.heartbeat_us != c->heartbeat_us)
		for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
			raft_set_timing(s->nodes[i].raft, c->election_us_min, c->election_us_max,
			                c->heartbeat_us);
			node_timer(s, (uint8_t)i);
		}
	if (s->trace_fn) {
		char text[256], a[32], b[32];
		size_t len = 0;
		text[0] = '\0';
#define ADD(...) len += (size_t)snprintf(text + len, sizeof text - len, __VA_ARGS__)
		if (old.election_us_min != c->election_us_min ||
		    old.election_us_max != c->election_us_max) {
			fmt_dur(a, sizeof a, c->election_us_min);
			fmt_dur(b, sizeof b, c->election_us_max);
			ADD(" election=%s..%s", a, b);
		}
		if (old.heartbeat_us != c->heartbeat_us) {
			fmt_dur(a, sizeof a, c->heartbeat_us);
			ADD(" heartbeat=%s", a);
		}
		if (old.latency_us_min != c->latency_us_min || old.latency_us_max != c->latency_us_max) {
			fmt_dur(a, sizeof a, c->latency_us_min);
			fmt_dur(b, sizeof b, c->latency_us_max);
			ADD(" latency=%s..%s", a, b);
		}
		if (old.disk_us != c->disk_us) {
			fmt_dur(a, sizeof a, c->disk_us);
			ADD(" disk=%s", a);
		}
		if (old.drop_ppm != c->drop_ppm) {
			fmt_pct(a, sizeof a, c->drop_ppm);
			ADD(" drop=%s", a);
		}
		if (old.dup_ppm != c->dup_ppm) {
			fmt_pct(a, sizeof a, c->dup_ppm);
			ADD(" duplicate=%s", a);
		}
		if (old.snapshot_threshold != c->snapshot_threshold ||
		    old.snapshot_trailing != c->snapshot_trailing)
			ADD(" snapshot=%u trailing=%u", c->snapshot_threshold, c->snapshot_trailing);
		if (old.prevote != c->prevote)
			ADD(" prevote=%s", c->prevote ? "on" : "off");
		if (old.checkquorum != c->checkquorum)
			ADD(" checkquorum=%s", c->checkquorum ? "on" : "off");
		if (old.max_events != c->max_events)
			ADD(" max_events=%llu", (unsigned long long)c->max_events);
		if (old.max_memory_bytes != c->max_memory_bytes)
			ADD(" max_memory=%llu", (unsigned long long)c->max_memory_bytes);
#undef ADD
		if (len)
			emit_text(s, SIM_T_SET, 0, text + 1);
	}
	return SIM_OK;
}

const struct sim_config *sim_config(const struct sim *s)
{
	return &s->cfg;
}

void sim_set_trace(struct sim *s, sim_trace_fn *fn, void *ctx)
{
	s->trace_fn = fn;
	s->trace_ctx = ctx;
}

/* ---- Reading ---------------------------------------------------------------- */

uint16_t sim_n_nodes(const struct sim *s)
{
	return s->cfg.nodes;
}

uint64_t sim_seed(const struct sim *s)
{
	return s->cfg.seed;
}

const struct raft_node *sim_node(const struct sim *s, uint8_t i)
{
	return valid_node(s, i) ? s->nodes[i].raft : NULL;
}

void sim_node_durable(const struct sim *s, uint8_t i, struct sim_durable *out)
{
	memset(out, 0, sizeof *out);
	if (!valid_node(s, i))
		return;
	const struct sim_disk *d = &s->nodes[i].disk;
	out->term = d->term;
	out->voted_for = d->vote;
	out->log_first = d->base + 1;
	out->last_index = sim_disk_last_index(d);
	out->last_term = sim_disk_term_at(d, out->last_index);
	out->snapshot_index = d->snap_index;
	out->snapshot_term = d->snap_term;
	out->snapshot_count = d->snap_n;
	out->writes_in_flight = d->q_n;
}

bool sim_node_up(const struct sim *s, uint8_t i)
{
	return valid_node(s, i) && s->nodes[i].up;
}

bool sim_link_up(const struct sim *s, uint8_t from, uint8_t to)
{
	if (!valid_node(s, from) || !valid_node(s, to))
		return false;
	return from == to || s->link_up[link_at(s, from, to)];
}

int64_t sim_link_changed_us(const struct sim *s, uint8_t from, uint8_t to)
{
	if (!valid_node(s, from) || !valid_node(s, to))
		return 0;
	return s->link_changed_us[link_at(s, from, to)];
}

uint8_t sim_stable_leader(const struct sim *s)
{
	uint16_t n = s->cfg.nodes;
	for (uint16_t l = 1; l <= n; l++) {
		const struct sim_nodestate *ls = &s->nodes[l];
		if (!ls->up || raft_role(ls->raft) != RAFT_LEADER)
			continue;
		uint64_t term = raft_term(ls->raft);
		unsigned count = 1;
		for (uint16_t j = 1; j <= n; j++)
			if (j != l && s->nodes[j].up && raft_term(s->nodes[j].raft) == term &&
			    s->link_up[link_at(s, (uint8_t)l, (uint8_t)j)] &&
			    s->link_up[link_at(s, (uint8_t)j, (uint8_t)l)])
				count++;
		if (count * 2 > n)
			return (uint8_t)l;
	}
	return 0;
}

size_t sim_msg_capacity(const struct sim *s)
{
	return s->slots_n;
}

const struct sim_msg *sim_msg_slot(const struct sim *s, size_t i)
{
	if (i >= s->slots_n || s->slots[i].state != SIM_SLOT_FLIGHT)
		return NULL;
	return &s->slots[i].msg;
}

size_t sim_msgs_in_flight(const struct sim *s)
{
	return s->in_flight;
}

size_t sim_drops(const struct sim *s, const struct sim_drop **out)
{
	*out = s->drops;
	return s->drops_n;
}

const struct sim_counters *sim_counters(const struct sim *s)
{
	return &s->counters;
}

size_t sim_client_count(const struct sim *s)
{
	return s->reqs_n;
}

bool sim_client_info(const struct sim *s, size_t i, struct sim_client_info *out)
{
	if (i >= s->reqs_n)
		return false;
	const struct sim_req *q = &s->reqs[i];
	out->state = q->state == SIM_REQ_DONE   ? SIM_CLIENT_ACKED
	             : q->state == SIM_REQ_WAIT ? SIM_CLIENT_WAITING
	                                        : SIM_CLIENT_TRAVELLING;
	out->node = q->target;
	out->index = q->index;
	out->term = q->term;
	out->cmd = q->cmd;
	out->len = q->len;
	out->attempts = q->attempts;
	return true;
}

const struct sim_violation *sim_violation(const struct sim *s)
{
	return s->stopped ? &s->violation : NULL;
}

int sim_halt(const struct sim *s)
{
	return s->stopped ? s->halt : SIM_OK;
}

size_t sim_halt_format(const struct sim *s, char *buf, size_t cap)
{
	char t[48], at[48];
	size_t n = 0;
	sim_format_time(s->violation.time_us, t, sizeof t);
	for (const char *p = t; *p && n + 1 < sizeof at; p++)
		if (*p != '[' && *p != ']' && *p != ' ')
			at[n++] = *p;
	at[n] = '\0';
	int len = 0;
	int h = sim_halt(s);
	if (h == SIM_ENOMEM)
		len = snprintf(buf, cap, "out of memory at %s virtual time, seed %llu: %s", at,
		               (unsigned long long)s->violation.seed, s->violation.detail);
	else if (h == SIM_ELIMIT)
		len = snprintf(buf, cap, "resource limit: %s at %s virtual time, seed %llu",
		               s->violation.detail, at, (unsigned long long)s->violation.seed);
	else if (cap)
		buf[0] = '\0';
	return len < 0 ? 0 : (size_t)len;
}

uint64_t sim_memory_bytes(const struct sim *s)
{
	uint64_t b = sizeof *s;
	uint16_t n = s->cfg.nodes;
	size_t links = ((size_t)n + 1) * ((size_t)n + 1);
	b += links * (1 + sizeof *s->link_changed_us);
	b += ((uint64_t)n + 1) * sizeof *s->nodes;
	for (uint16_t i = 1; i <= n; i++) {
		b += sim_disk_bytes(&s->nodes[i].disk);
		const struct sim_nodestate *ns = &s->nodes[i];
		const struct raft_node *r = ns->raft;
		/* entries held: the log in memory, the snapshot, the map */
		uint64_t first = raft_log_first(r), last = raft_last_index(r);
		uint64_t held = last >= first ? last - first + 1 : 0;
		held += raft_snapshot_count(r);
		b += held * sizeof(struct raft_entry);
		b += (uint64_t)raft_map_capacity(r) * (sizeof(struct raft_entry) + sizeof(uint64_t));
		b += ns->writes_cap * sizeof *ns->writes + ns->waiting_cap * sizeof *ns->waiting;
	}
	b += (uint64_t)s->slots_cap * sizeof *s->slots + s->slot_buf_bytes;
	b += s->q.cap * sizeof *s->q.ev;
	b += s->reqs_cap * sizeof *s->reqs;
	const struct sim_checker *c = &s->checker;
	if (s->cfg.checker && c->nodes) {
		for (uint16_t i = 1; i <= c->n; i++)
			b += c->nodes[i].cap * sizeof(uint64_t);
		b += c->leader_of_term_cap;
		b += c->first_cap * (sizeof *c->first + 1);
		b += c->seen_cap * sizeof *c->seen;
		b += c->committed_cap * 5 * sizeof(uint64_t) + c->kv_cap * sizeof *c->kv;
	}
	return b;
}
