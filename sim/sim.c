/* sim.c - the discrete-event simulator: the clock and the event loop,
 * settings, crashes and restarts, driving the Raft nodes through their
 * disks (disk.c) and feeding the safety checker.  The network is net.c, the
 * clients client.c. */
#include "sim_internal.h"
#include "i18n.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	c->slow_us_min = 300000;
	c->slow_us_max = 3000000;
	c->client_retry_us = 1000000;
	c->reads = SIM_READS_READINDEX;
	c->drift_pct = 10;
	c->checker = true;
	c->max_events = SIM_MAX_EVENTS_DEFAULT;
	c->max_memory_bytes = SIM_MAX_MEMORY_DEFAULT;
}

int sim_config_validate(const struct sim_config *c, char *err, size_t errcap)
{
	const char *why = NULL;
	if (c->nodes < 1 || c->nodes > RAFT_NODES_MAX)
		why = _("nodes must be 1..255");
	else if (c->voters > c->nodes)
		why = _("voters must be 1..nodes (the first configuration: n1..n<voters>)");
	else if (c->election_us_min <= 0 || c->election_us_max < c->election_us_min ||
	         c->election_us_max > SIM_HOUR_US)
		why = _("election timeout must be a range MIN..MAX with 0 < MIN <= MAX <= 1h");
	else if (c->election_us_min < SIM_TIMER_US_MIN)
		why = _("election timeout below 1ms: timers that short make virtual time crawl (use 1ms or more)");
	else if (c->heartbeat_us <= 0 || c->heartbeat_us > SIM_HOUR_US)
		why = _("heartbeat must be > 0 and <= 1h");
	else if (c->heartbeat_us < SIM_TIMER_US_MIN)
		why = _("heartbeat below 1ms: timers that short make virtual time crawl (use 1ms or more)");
	else if (c->latency_us_min < 0 || c->latency_us_max < c->latency_us_min ||
	         c->latency_us_max > SIM_HOUR_US)
		why = _("latency must be a range MIN..MAX with 0 <= MIN <= MAX <= 1h");
	else if (c->disk_us < 0 || c->disk_us > SIM_HOUR_US)
		why = _("disk latency must be 0..1h");
	else if (c->drop_ppm > SIM_PPM || c->dup_ppm > SIM_PPM)
		why = _("drop and duplicate must be 0%..100%");
	else if (c->slow_ppm > SIM_PPM || c->slow_us_min < 0 || c->slow_us_max < c->slow_us_min ||
	         c->slow_us_max > SIM_HOUR_US)
		why = _("slow must be 0%..100% and slow_latency a range MIN..MAX with 0 <= MIN <= MAX <= 1h");
	else if (c->entries_per_msg_max < 1 || c->entries_per_msg_max > 65536)
		why = _("entries per message must be 1..65536");
	else if (c->snapshot_threshold > 1000000000u || c->snapshot_trailing > 1000000000u)
		why = _("snapshot settings must be 0..1000000000 entries");
	else if (c->client_retry_us <= 0 || c->client_retry_us > SIM_HOUR_US)
		why = _("client retry must be > 0 and <= 1h");
	else if (c->drift_pct > 100)
		why = _("drift must be 0%..100%");
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

void sim_emit(struct sim *s, struct sim_trace *t)
{
	t->time_us = s->now_us;
	s->trace_fn(s->trace_ctx, t);
}

void sim_emit_text(struct sim *s, enum sim_trace_kind kind, uint8_t node, const char *text)
{
	if (!s->trace_fn)
		return;
	struct sim_trace t = {.kind = kind, .node = node, .text = text};
	sim_emit(s, &t);
}

/* ---- Construction ------------------------------------------------------------ */

static void node_timer(struct sim *s, uint8_t i);

/* Node i's configuration, from the simulator's current one: the one place
 * where settings pass from the simulator to the Raft nodes (at creation, at
 * a restart and in sim_reconfigure).  Each boot (incarnation) draws from a
 * PRNG stream of its own. */
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
	rc->lease = c->reads == SIM_READS_LEASE;
	rc->n_voters = (uint8_t)c->voters;
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
	s->rng_disk = derive_seed(c->seed, 3);
	s->nodes = calloc((size_t)n + 1, sizeof *s->nodes);
	if (!s->nodes || sim_net_init(&s->net, n, derive_seed(c->seed, 1)) != SIM_OK ||
	    sim_clients_init(&s->clients, n, derive_seed(c->seed, 2)) != SIM_OK)
		goto fail;
	s->clients.rng_read = derive_seed(c->seed, 4);
	if (c->checker && sim_checker_init(&s->checker, n) != SIM_OK)
		goto fail;
	for (uint16_t i = 1; i <= n; i++) {
		struct raft_config rc;
		node_config(s, (uint8_t)i, &rc);
		struct sim_nodestate *ns = &s->nodes[i];
		sim_clock_init(&ns->clock);
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
		}
	free(s->nodes);
	sim_net_free(&s->net);
	sim_clients_free(&s->clients, s->cfg.nodes);
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
	d->nodes = NULL;
	memset(&d->net, 0, sizeof d->net);
	memset(&d->clients, 0, sizeof d->clients);
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
			dn->writes_cap = 0;
			goto fail;
		}
		dn->writes = sim_dup_array(sn->writes, sn->writes_cap, sizeof *sn->writes);
		if (!dn->raft || (sn->writes_cap && !dn->writes)) {
			if (!dn->writes)
				dn->writes_cap = 0;
			goto fail;
		}
	}
	if (sim_net_copy(&d->net, &s->net, n) != SIM_OK ||
	    sim_clients_copy(&d->clients, &s->clients, n) != SIM_OK)
		goto fail;
	if (sim_queue_copy(&d->q, &s->q) != SIM_OK)
		goto fail;
	if (s->cfg.checker && sim_checker_copy(&d->checker, &s->checker) != SIM_OK)
		goto fail;
	return d;
fail:
	sim_free(d);
	return NULL;
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
void sim_stop_oom(struct sim *s, const char *what)
{
	char d[200];
	snprintf(d, sizeof d, _("%s could not be allocated"), what);
	halt(s, SIM_ENOMEM, "out of memory", d);
}

/* ---- Nodes ------------------------------------------------------------------- */

static void node_timer(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	if (!ns->up)
		return;
	int64_t d = sim_clock_virtual(&ns->clock, raft_next_deadline_us(ns->raft));
	if (d < s->now_us)
		d = s->now_us;
	if (ns->timer_at <= d)
		return; /* an earlier event is pending; it re-arms when it fires */
	ns->timer_gen++;
	ns->timer_at = d;
	if (sim_queue_push(&s->q, d, SIM_EV_TIMER, i, 0, ns->timer_gen) != SIM_OK)
		sim_stop_oom(s, _("a timer event"));
}

void sim_node_rearm(struct sim *s, uint8_t i)
{
	node_timer(s, i);
}

void sim_stop_violation(struct sim *s, const struct sim_violation *v)
{
	if (s->checker.oom) { /* not a violation: the checker ran out of memory */
		sim_stop_oom(s, _("a safety checker record"));
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
		sim_emit(s, &t);
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
	sim_stop_violation(s, &v);
}

/* A reply that promises durable state may leave only once its sender's
 * disk holds that state: a granted vote (the vote, in its term) and an
 * AppendEntries success (the log up to the index it matches). */
bool sim_reply_durable(struct sim *s, const struct raft_msg *m)
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
		         _("n%u granted its vote to n%u in term %" PRIu64
		         " before it was durable (the disk holds term %" PRIu64 ", vote %u)"),
		         m->from, m->to, m->term, d->term, d->vote);
	} else {
		if (sim_disk_last_index(d) >= m->commit)
			return true;
		v.index = m->commit;
		snprintf(v.detail, sizeof v.detail,
		         _("n%u told n%u it matches up to index %" PRIu64
		         " before it was durable (the disk holds %" PRIu64 ")"),
		         m->from, m->to, m->commit, sim_disk_last_index(d));
	}
	sim_stop_violation(s, &v);
	return false;
}

/* A success reply held behind a write promises the log up to its match
 * index; a snapshot installed while the write was in flight replaced that
 * log (the write's log part is void, sim/disk.c), so the reply is no longer
 * true and is withdrawn, never sent: the node answers from what it holds
 * now when it is asked again. */
static bool reply_withdrawn(const struct sim_nodestate *ns, const struct raft_msg *m)
{
	return m->type == RAFT_MSG_APPEND_REPLY && m->success &&
	       sim_disk_last_index(&ns->disk) < m->commit;
}

/* The leadership transfer from node i (as traced) ends. */
static void transfer_end(struct sim *s, uint8_t i, bool done, const char *why)
{
	struct sim_nodestate *ns = &s->nodes[i];
	struct sim_trace t = {.kind = SIM_T_TRANSFER_END, .node = i, .peer = ns->transfer_to,
	                      .success = done, .text = why};
	ns->transfer_to = 0;
	if (s->trace_fn)
		sim_emit(s, &t);
}

/* Node i became leader: it ends every transfer traced as under way, done
 * if it was their target. */
static void transfer_elected(struct sim *s, uint8_t i)
{
	for (uint16_t k = 1; k <= s->cfg.nodes; k++)
		if (s->nodes[k].transfer_to)
			transfer_end(s, (uint8_t)k, s->nodes[k].transfer_to == i,
			             s->nodes[k].transfer_to == i ? NULL : "other leader");
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
			if (t.quorum_lost && !raft_is_voter(r, i) &&
			    raft_commit_index(r) >= raft_conf_index(r)) {
				t.quorum_lost = false;
				t.removed = true;
			}
		}
		ns->role = (uint8_t)role;
		ns->term = term;
		if (s->trace_fn)
			sim_emit(s, &t);
		if (role == RAFT_LEADER)
			transfer_elected(s, i);
	}
	if (rd && rd->snapshot_index && s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_SNAPSHOT, .node = i, .index = rd->snapshot_index,
		                      .term = rd->snapshot_term, .success = rd->snapshot_installed,
		                      .peer = rd->snapshot_installed ? raft_leader_hint(r) : 0};
		sim_emit(s, &t);
	}
	uint64_t commit = raft_commit_index(r);
	if (commit > ns->commit) {
		if (commit > s->counters.commits)
			s->counters.commits = commit;
		if (s->trace_fn) {
			struct sim_trace t = {.kind = SIM_T_COMMIT, .node = i, .index = commit,
			                      .first = ns->commit + 1, .term = raft_term_at(r, commit),
			                      .entry = raft_entry_at(r, commit)};
			sim_emit(s, &t);
		}
	}
	ns->commit = commit;
	if (raft_conf_index(r) != ns->conf_index || !ns->conf_known)
		sim_members_observe(s, i);
	struct sim_violation v;
	if (s->cfg.checker && sim_checker_observe(&s->checker, i, r, rd, &v))
		sim_stop_violation(s, &v);
}

/* Hands node i's batches to the disk and the network until it has none. */
void sim_flush(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	struct raft_ready rd;
	if (raft_out_of_memory(ns->raft)) {
		sim_stop_oom(s, _("memory for a Raft node's log, messages or state machine"));
		return;
	}
	while (!s->stopped && ns->up && raft_has_ready(ns->raft)) {
		raft_take_ready(ns->raft, &rd);
		if (raft_out_of_memory(ns->raft)) {
			sim_stop_oom(s, _("memory for a Raft node's log, messages or state machine"));
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
			sim_stop_oom(s, _("a disk write"));
			return;
		}
		if (!wait) {
			/* the disk writes at once; then the messages leave, then
			 * the node hears that its batch is durable */
			if (persist && sim_disk_complete(&ns->disk) != SIM_OK) {
				sim_stop_oom(s, _("a disk write"));
				return;
			}
			check_disk(s, i);
			for (size_t k = 0; k < rd.n_msgs && !s->stopped; k++) {
				uint32_t j = sim_msg_store(s, &rd.msgs[k]);
				if (j == SIM_NONE) {
					sim_stop_oom(s, _("a message"));
					return;
				}
				sim_msg_launch(s, j);
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
					sim_stop_oom(s, _("a disk write"));
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
					sim_stop_oom(s, _("a disk event"));
					return;
				}
			} else {
				/* nothing new to write: its messages wait behind the
				 * writes in progress */
				w = &ns->writes[(ns->writes_head + ns->writes_n - 1) % ns->writes_cap];
			}
			uint32_t tail = w->held_first;
			while (tail != SIM_NONE && s->net.slots[tail].next != SIM_NONE)
				tail = s->net.slots[tail].next;
			for (size_t k = 0; k < rd.n_msgs; k++) {
				uint32_t j = sim_msg_store(s, &rd.msgs[k]);
				if (j == SIM_NONE) {
					sim_stop_oom(s, _("a message"));
					return;
				}
				if (tail == SIM_NONE)
					w->held_first = j;
				else
					s->net.slots[tail].next = j;
				tail = j;
				w->held_n++;
			}
		}
		if (rd.apply_to > rd.apply_from && (s->clients.waiting[i].n || s->clients.reads_waiting))
			sim_client_applied(s, i, rd.apply_to);
	}
	/* a leader that gave up its transfer (an election timeout passed) */
	if (ns->transfer_to && ns->up && raft_role(ns->raft) == RAFT_LEADER &&
	    raft_transfer_target(ns->raft) == 0)
		transfer_end(s, i, false, "timeout");
	node_timer(s, i);
}

/* Nodes proposed to directly (sim_propose) flush before the next event, so
 * that a burst of proposals leaves as one message per peer. */
static void flush_pending(struct sim *s)
{
	while (s->n_dirty && !s->stopped)
		sim_flush(s, s->dirty[--s->n_dirty]);
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
		sim_stop_oom(s, _("a disk write"));
		return;
	}
	for (uint32_t j = w.held_first; j != SIM_NONE;) {
		uint32_t next = s->net.slots[j].next;
		if (s->stopped || reply_withdrawn(ns, &s->net.slots[j].msg.m))
			sim_slot_free(s, j);
		else
			sim_msg_launch(s, j);
		j = next;
	}
	if (s->stopped)
		return;
	raft_persisted(ns->raft, w.index, w.term, w.hs_term, w.hs_vote);
	check_disk(s, i);
	sim_flush(s, i);
}

int sim_propose(struct sim *s, uint8_t node, const char *cmd, size_t len)
{
	if (node < 1 || node > s->cfg.nodes || !s->nodes[node].up)
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	int rc = raft_propose(s->nodes[node].raft, sim_local_us(s, node), cmd, len, NULL, NULL);
	if (rc == RAFT_OK) {
		bool listed = false;
		for (uint16_t k = 0; k < s->n_dirty && !listed; k++)
			listed = s->dirty[k] == node;
		if (!listed)
			s->dirty[s->n_dirty++] = node;
	}
	if (rc == RAFT_ENOTLEADER)
		return SIM_ENOLEADER;
	if (rc == RAFT_ETRANSFER)
		return SIM_ETRANSFER;
	if (rc == RAFT_ENOMEM) {
		sim_stop_oom(s, _("a log entry for a proposal"));
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
		return s->clients.reqs[e->arg].gen != e->gen || s->clients.reqs[e->arg].state == SIM_REQ_DONE;
	case SIM_EV_DELIVER:
		return s->net.slots[e->arg].state != SIM_SLOT_FLIGHT ||
		       s->net.slots[e->arg].gen != e->gen;
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
	snprintf(d, sizeof d, _("the %s budget (%s=%llu %s) ran out"), budget, key,
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
		stop_limit(s, _("event"), "max_events", s->cfg.max_events, _("events"));
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
		raft_tick(ns->raft, sim_local_us(s, e.node));
		sim_flush(s, e.node);
		break;
	}
	case SIM_EV_DELIVER:
		sim_net_deliver(s, e.arg);
		break;
	case SIM_EV_DISK:
		disk_done(s, e.node);
		break;
	case SIM_EV_CLIENT:
		if (s->clients.reqs[e.arg].state == SIM_REQ_TRAVEL)
			sim_client_arrive(s, e.arg);
		else
			sim_client_timeout(s, e.arg);
		break;
	}
	if (s->member_pending && !s->stopped)
		sim_members_drive(s);
	if (s->cfg.max_memory_bytes && s->counters.events % SIM_MEMORY_CHECK_EVENTS == 0 &&
	    !s->stopped && sim_memory_bytes(s) > s->cfg.max_memory_bytes)
		stop_limit(s, _("memory"), "max_memory", s->cfg.max_memory_bytes, _("bytes"));
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

int sim_crash(struct sim *s, uint8_t i)
{
	if (!sim_valid_node(s, i) || !s->nodes[i].up)
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
			uint32_t next = s->net.slots[j].next;
			sim_slot_free(s, j);
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
	sim_clients_crash(&s->clients, i);
	if (s->cfg.checker)
		sim_checker_crash(&s->checker, i);
	sim_emit_text(s, SIM_T_CRASH, i, NULL);
	return SIM_OK;
}

int sim_restart(struct sim *s, uint8_t i)
{
	if (!sim_valid_node(s, i) || s->nodes[i].up)
		return SIM_EINVAL;
	struct sim_nodestate *ns = &s->nodes[i];
	/* a fresh process: the node is built from its disk alone */
	struct raft_config rc;
	node_config(s, i, &rc);
	struct raft_node *fresh = sim_disk_boot(&ns->disk, &rc, sim_local_us(s, i));
	if (!fresh) {
		sim_stop_oom(s, _("a restarted Raft node"));
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
		sim_emit(s, &t);
	}
	struct sim_violation v;
	if (s->cfg.checker && sim_checker_observe(&s->checker, i, ns->raft, NULL, &v))
		sim_stop_violation(s, &v);
	sim_flush(s, i);
	return SIM_OK;
}

int sim_timeout(struct sim *s, uint8_t i)
{
	if (!sim_valid_node(s, i) || !s->nodes[i].up)
		return SIM_EINVAL;
	raft_timeout_now(s->nodes[i].raft, sim_local_us(s, i));
	sim_flush(s, i);
	return SIM_OK;
}

int sim_transfer(struct sim *s, uint8_t target)
{
	if (!sim_valid_node(s, target))
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	uint8_t leader = sim_stable_leader(s);
	int rc = leader ? raft_transfer(s->nodes[leader].raft, s->now_us, target) : RAFT_ENOTLEADER;
	rc = rc == RAFT_OK            ? SIM_OK
	     : rc == RAFT_ENOTLEADER  ? SIM_ENOLEADER
	     : rc == RAFT_ETRANSFER   ? SIM_ETRANSFER
	                              : SIM_EINVAL;
	if (rc == SIM_OK) {
		s->nodes[leader].transfer_to = target;
		s->counters.transfers++;
	}
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_TRANSFER, .node = leader, .peer = target,
		                      .success = rc == SIM_OK};
		t.text = rc == SIM_OK           ? NULL
		         : rc == SIM_ENOLEADER  ? "no leader"
		         : rc == SIM_ETRANSFER  ? "busy"
		         : target == leader     ? "already leader"
		                                : "not a voter";
		sim_emit(s, &t);
	}
	if (rc == SIM_OK)
		sim_flush(s, leader);
	return rc;
}

int sim_fire_timer(struct sim *s, uint8_t i)
{
	if (!sim_valid_node(s, i) || !s->nodes[i].up)
		return SIM_EINVAL;
	struct raft_node *r = s->nodes[i].raft;
	if (raft_role(r) != RAFT_LEADER) {
		raft_timeout_now(r, sim_local_us(s, i)); /* the election timer */
	} else {
		/* the heartbeat timer: the leader acts as at its deadline */
		int64_t d = raft_next_deadline_us(r);
		if (d == INT64_MAX)
			return SIM_EINVAL;
		int64_t now = sim_local_us(s, i);
		raft_tick(r, d > now ? d : now);
	}
	sim_flush(s, i);
	return SIM_OK;
}

static bool next_after(const struct sim_next *x, const struct sim_next *y)
{
	if (x->time_us != y->time_us)
		return x->time_us > y->time_us;
	if (x->kind != y->kind)
		return x->kind > y->kind;
	if (x->node != y->node)
		return x->node > y->node;
	return x->msg_id > y->msg_id;
}

size_t sim_next_events(const struct sim *s, struct sim_next *out, size_t cap)
{
	size_t n = sim_net_next(s, out, cap);
	for (uint16_t i = 1; i <= s->cfg.nodes && n < cap; i++) {
		const struct sim_nodestate *ns = &s->nodes[i];
		int64_t d = ns->up ? sim_clock_virtual(&ns->clock, raft_next_deadline_us(ns->raft))
		                   : INT64_MAX;
		if (d == INT64_MAX)
			continue;
		out[n++] = (struct sim_next){.kind = SIM_NEXT_TIMER,
		                             .time_us = d < s->now_us ? s->now_us : d,
		                             .node = (uint8_t)i,
		                             .heartbeat = raft_role(ns->raft) == RAFT_LEADER};
	}
	/* earliest first; ties: messages before timers, then by node and id */
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && next_after(&out[b - 1], &out[b]); b--) {
			struct sim_next t = out[b - 1];
			out[b - 1] = out[b];
			out[b] = t;
		}
	return n;
}

void sim_say(struct sim *s, const char *text)
{
	sim_emit_text(s, SIM_T_SAY, 0, text);
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

/* What a running simulator cannot change: the cluster's size and seed, the
 * bugs its nodes were built with, and whether the checker (built with it)
 * runs.  Everything else sim_reconfigure takes. */
static void keep_fixed_settings(struct sim_config *next, const struct sim_config *cur)
{
	next->nodes = cur->nodes;
	next->seed = cur->seed;
	next->bugs = cur->bugs;
	next->checker = cur->checker;
}

int sim_reconfigure(struct sim *s, const struct sim_config *c)
{
	if (sim_config_validate(c, NULL, 0) != SIM_OK || c->nodes != s->cfg.nodes)
		return SIM_EINVAL;
	struct sim_config old = s->cfg;
	s->cfg = *c;
	keep_fixed_settings(&s->cfg, &old);
	bool snapshot = old.snapshot_threshold != c->snapshot_threshold ||
	                old.snapshot_trailing != c->snapshot_trailing;
	bool timing = old.election_us_min != c->election_us_min ||
	              old.election_us_max != c->election_us_max ||
	              old.heartbeat_us != c->heartbeat_us;
	bool batch = old.entries_per_msg_max != c->entries_per_msg_max;
	if ((old.reads == SIM_READS_LEASE) != (c->reads == SIM_READS_LEASE))
		for (uint16_t i = 1; i <= s->cfg.nodes; i++)
			raft_set_lease(s->nodes[i].raft, c->reads == SIM_READS_LEASE);
	if (old.prevote != c->prevote || old.checkquorum != c->checkquorum)
		for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
			raft_set_extensions(s->nodes[i].raft, sim_local_us(s, (uint8_t)i), c->prevote,
			                    c->checkquorum);
			node_timer(s, (uint8_t)i);
		}
	for (uint16_t i = 1; i <= s->cfg.nodes && (snapshot || timing || batch); i++) {
		/* the nodes take the new settings through node_config, as
		 * they took the first ones */
		struct raft_config rc;
		node_config(s, (uint8_t)i, &rc);
		if (snapshot)
			raft_set_snapshot(s->nodes[i].raft, rc.snapshot_threshold, rc.snapshot_trailing);
		if (batch)
			raft_set_batch(s->nodes[i].raft, rc.entries_per_msg_max);
		if (timing) {
			raft_set_timing(s->nodes[i].raft, rc.election_timeout_us_min,
			                rc.election_timeout_us_max, rc.heartbeat_us);
			node_timer(s, (uint8_t)i);
		}
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
		if (old.slow_ppm != c->slow_ppm) {
			fmt_pct(a, sizeof a, c->slow_ppm);
			ADD(" slow=%s", a);
		}
		if (old.slow_us_min != c->slow_us_min || old.slow_us_max != c->slow_us_max) {
			fmt_dur(a, sizeof a, c->slow_us_min);
			fmt_dur(b, sizeof b, c->slow_us_max);
			ADD(" slow_latency=%s..%s", a, b);
		}
		if (old.snapshot_threshold != c->snapshot_threshold ||
		    old.snapshot_trailing != c->snapshot_trailing)
			ADD(" snapshot=%u trailing=%u", c->snapshot_threshold, c->snapshot_trailing);
		if (batch)
			ADD(" batch=%u", c->entries_per_msg_max);
		if (old.torn_writes != c->torn_writes)
			ADD(" torn=%s", c->torn_writes ? "on" : "off");
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
			sim_emit_text(s, SIM_T_SET, 0, text + 1);
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
	return sim_valid_node(s, i) ? s->nodes[i].raft : NULL;
}

void sim_node_durable(const struct sim *s, uint8_t i, struct sim_durable *out)
{
	memset(out, 0, sizeof *out);
	if (!sim_valid_node(s, i))
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
	return sim_valid_node(s, i) && s->nodes[i].up;
}

uint8_t sim_stable_leader(const struct sim *s)
{
	uint16_t n = s->cfg.nodes;
	for (uint16_t l = 1; l <= n; l++) {
		const struct sim_nodestate *ls = &s->nodes[l];
		if (!ls->up || raft_role(ls->raft) != RAFT_LEADER)
			continue;
		uint64_t term = raft_term(ls->raft);
		/* a majority of the voters of the configuration L has in force */
		unsigned count = 0, voters = 0;
		for (uint16_t j = 1; j <= n; j++) {
			if (!raft_is_voter(ls->raft, (uint8_t)j))
				continue;
			voters++;
			if (j == l || (s->nodes[j].up && raft_term(s->nodes[j].raft) == term &&
			               s->net.link_up[sim_link_at(s, (uint8_t)l, (uint8_t)j)] &&
			               s->net.link_up[sim_link_at(s, (uint8_t)j, (uint8_t)l)]))
				count++;
		}
		if (count * 2 > voters)
			return (uint8_t)l;
	}
	return 0;
}

const struct sim_counters *sim_counters(const struct sim *s)
{
	return &s->counters;
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
		len = snprintf(buf, cap, _("out of memory at %s virtual time, seed %llu: %s"), at,
		               (unsigned long long)s->violation.seed, s->violation.detail);
	else if (h == SIM_ELIMIT)
		len = snprintf(buf, cap, _("resource limit: %s at %s virtual time, seed %llu"),
		               s->violation.detail, at, (unsigned long long)s->violation.seed);
	else if (cap)
		buf[0] = '\0';
	return len < 0 ? 0 : (size_t)len;
}

uint64_t sim_memory_bytes(const struct sim *s)
{
	uint64_t b = sizeof *s;
	uint16_t n = s->cfg.nodes;
	b += sim_net_bytes(&s->net, n) + sim_clients_bytes(&s->clients, n);
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
		b += ns->writes_cap * sizeof *ns->writes;
	}
	b += s->q.cap * sizeof *s->q.ev;
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
