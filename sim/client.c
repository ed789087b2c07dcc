/* client.c - the simulated clients: requests that travel to a node, are
 * redirected, retried with back-off, and acknowledged once applied. */
#include "sim_internal.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Clients --------------------------------------------------------------- */

static void get_arrive(struct sim *s, uint32_t r);
static void get_retry(struct sim *s, uint32_t r, const char *why);
static void get_answer(struct sim *s, uint32_t r, uint8_t i);
static void get_poll(struct sim *s, uint8_t i);

static uint8_t next_node(const struct sim *s, uint8_t i)
{
	return (uint8_t)(i % s->cfg.nodes + 1);
}

static void client_send(struct sim *s, uint32_t r, uint8_t to, int64_t delay_us)
{
	struct sim_req *q = &s->clients.reqs[r];
	q->state = SIM_REQ_TRAVEL;
	q->target = to;
	q->gen++;
	uint64_t *rng = q->op == SIM_REQ_GET ? &s->clients.rng_read : &s->clients.rng;
	int64_t at = s->now_us + delay_us +
	             sim_rand_range(rng, s->cfg.latency_us_min, s->cfg.latency_us_max);
	if (sim_queue_push(&s->q, at, SIM_EV_CLIENT, to, r, q->gen) != SIM_OK)
		sim_stop_oom(s, "a client event");
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
	if (cap > SIM_HOUR_US)
		cap = SIM_HOUR_US;
	if (cap < base_us)
		cap = base_us;
	int64_t d = base_us;
	for (uint32_t k = SIM_CLIENT_BACKOFF_AFTER - 1; k < q->retries && d < cap; k++)
		d *= 2;
	if (d > cap)
		d = cap;
	return d + sim_rand_range(q->op == SIM_REQ_GET ? &s->clients.rng_read : &s->clients.rng, 0, d / 2);
}

/* Put r, accepted in its current attempt, is sent again: that attempt
 * stays in the history with an unknown outcome, and a new one begins. */
static void client_new_attempt(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
	if (s->clients.hops_n == s->clients.hops_cap) {
		size_t cap = s->clients.hops_cap ? s->clients.hops_cap * 2 : 16;
		struct sim_hop *h = realloc(s->clients.hops, cap * sizeof *h);
		if (!h) {
			sim_stop_oom(s, "a client's history");
			return;
		}
		s->clients.hops = h;
		s->clients.hops_cap = cap;
	}
	s->clients.hops[s->clients.hops_n++] = (struct sim_hop){r, q->attempt_us};
	q->attempt_us = s->now_us;
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
	char text[160], cmd[RAFT_CMD_MAX + 5];
	memcpy(cmd, q->op == SIM_REQ_GET ? "get " : "put ", 4);
	memcpy(cmd + 4, q->cmd, q->len);
	cmd[q->len + 4] = '\0';
	snprintf(text, sizeof text, fmt, cmd, (unsigned long long)a, (unsigned long long)b);
	/* the text stays English (the trace); the format and its arguments let
	 * a reader's sentence be in the reader's language (sim_trace_explain) */
	struct sim_trace t = {.kind = SIM_T_CLIENT, .node = node, .text = text, .note_fmt = fmt,
	                      .note_cmd = cmd, .note_a = a, .note_b = b};
	sim_emit(s, &t);
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

/* A new request (a put's command or a get's key), invoked now; NULL when
 * out of memory (the run stops). */
static struct sim_req *req_new(struct sim *s, const char *cmd, size_t len, uint8_t op,
                               uint32_t *index)
{
	if (s->clients.reqs_n == s->clients.reqs_cap) {
		size_t cap = s->clients.reqs_cap ? s->clients.reqs_cap * 2 : 16;
		struct sim_req *nr = realloc(s->clients.reqs, cap * sizeof *nr);
		if (!nr) {
			sim_stop_oom(s, "a client request");
			return NULL;
		}
		s->clients.reqs = nr;
		s->clients.reqs_cap = cap;
	}
	*index = (uint32_t)s->clients.reqs_n++;
	struct sim_req *q = &s->clients.reqs[*index];
	memset(q, 0, sizeof *q);
	memcpy(q->cmd, cmd, len);
	q->len = (uint8_t)len;
	q->op = op;
	q->invoke_us = s->now_us;
	return q;
}

int64_t sim_client_put(struct sim *s, const char *cmd, size_t len, uint8_t to)
{
	if (valid_cmd(cmd, len) != SIM_OK || to > s->cfg.nodes)
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	uint32_t r;
	struct sim_req *q = req_new(s, cmd, len, SIM_REQ_PUT, &r);
	if (!q)
		return SIM_ENOMEM;
	q->attempt_us = s->now_us;
	if (!to) {
		to = sim_stable_leader(s);
		if (!to)
			to = s->clients.leader ? s->clients.leader : 1;
	}
	s->counters.client_requests++;
	client_note(s, to, N_("%s sent to n%llu"), q, to, 0);
	client_send(s, r, to, 0);
	return (int64_t)r + 1;
}

/* Queues request r, accepted with generation gen: a copy accepted again
 * (by the same node, after a retry) has a new generation, so the old entry
 * is skipped rather than waited for. */
static int push_waiting(struct sim_client_queue *w, uint32_t r, uint16_t gen)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		uint64_t *v = malloc(cap * sizeof *v);
		if (!v)
			return SIM_ENOMEM;
		for (size_t k = 0; k < w->n; k++)
			v[k] = w->v[(w->head + k) % w->cap];
		free(w->v);
		w->v = v;
		w->cap = cap;
		w->head = 0;
	}
	w->v[(w->head + w->n++) % w->cap] = (uint64_t)gen << 32 | r;
	return SIM_OK;
}

/* Request r was accepted into node to's log: it waits there until applied
 * (or until its retry time runs out), and the node's batch goes out now. */
static void await_apply(struct sim *s, uint32_t r, uint8_t to)
{
	struct sim_req *q = &s->clients.reqs[r];
	if (push_waiting(&s->clients.waiting[to], r, q->gen) != SIM_OK ||
	    sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
	                   SIM_EV_CLIENT, to, r, q->gen) != SIM_OK) {
		sim_stop_oom(s, "a client's wait");
		return;
	}
	sim_flush(s, to);
}

void sim_client_arrive(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
	uint8_t to = q->target;
	struct sim_nodestate *ns = &s->nodes[to];
	q->attempts++;
	if (!ns->up) {
		client_note(s, to, N_("%s to n%llu lost: the node is down; retrying"), q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.client_retry_us);
		client_retried(q);
		client_send(s, r, next_node(s, to), wait);
		return;
	}
	if (q->op == SIM_REQ_GET) {
		get_arrive(s, r);
		return;
	}
	uint64_t index = 0;
	uint8_t hint = 0;
	int rc = raft_propose(ns->raft, sim_local_us(s, to), q->cmd, q->len, &index, &hint);
	if (rc == RAFT_OK) {
		q->state = SIM_REQ_WAIT;
		q->index = index;
		q->term = raft_term(ns->raft);
		q->gen++;
		s->clients.leader = to;
		client_note(s, to, N_("%s accepted by n%llu at index %llu"), q, to, index);
		await_apply(s, r, to);
		return;
	}
	if (rc == RAFT_ETRANSFER) {
		/* it will hand over within an election timeout: ask again then,
		 * at whichever node leads */
		client_note(s, to, N_("%s rejected by n%llu: the leader is transferring leadership; retrying"),
		            q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.election_us_min);
		client_retried(q);
		client_send(s, r, to, wait);
	} else if (hint && hint != to) {
		client_note(s, to, N_("%s rejected by n%llu: not the leader, try n%llu"), q, to, hint);
		s->clients.leader = hint;
		client_send(s, r, hint, 0);
	} else {
		client_note(s, to, N_("%s rejected by n%llu: no leader known; retrying"), q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.election_us_min);
		client_retried(q);
		client_send(s, r, next_node(s, to), wait);
	}
}

void sim_client_timeout(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
	client_retried(q);
	if (q->op == SIM_REQ_GET) {
		get_retry(s, r, N_("%s not answered within the retry time at n%llu; retrying"));
		return;
	}
	if (client_copy_alive(s, q)) {
		client_note(s, q->target,
		            N_("%s still waiting at leader n%llu, index %llu: waiting longer"), q,
		            q->target, q->index);
		if (sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
		                   SIM_EV_CLIENT, q->target, r, q->gen) != SIM_OK)
			sim_stop_oom(s, "a client's wait");
		return;
	}
	client_note(s, q->target, N_("%s not committed within the retry time at n%llu; retrying"),
	            q, q->target, 0);
	if (q->state == SIM_REQ_WAIT)
		client_new_attempt(s, r);
	uint8_t to = s->clients.leader && s->clients.leader != q->target ? s->clients.leader
	                                                               : next_node(s, q->target);
	client_send(s, r, to, 0);
}

void sim_client_applied(struct sim *s, uint8_t i, uint64_t applied)
{
	struct sim_nodestate *ns = &s->nodes[i];
	if (s->clients.reads_waiting)
		get_poll(s, i);
	struct sim_client_queue *w = &s->clients.waiting[i];
	while (w->n) {
		uint32_t r = (uint32_t)w->v[w->head];
		uint16_t gen = (uint16_t)(w->v[w->head] >> 32);
		struct sim_req *q = &s->clients.reqs[r];
		bool mine = q->state == SIM_REQ_WAIT && q->target == i && q->gen == gen;
		if (mine && q->index > applied)
			break;
		w->head = (w->head + 1) % w->cap;
		w->n--;
		if (!mine)
			continue;
		if (q->op == SIM_REQ_GET) { /* a read through the log */
			if (raft_term_at(ns->raft, q->index) == q->term) {
				q->via_log = false;
				get_answer(s, r, i);
			} else {
				client_retried(q);
				get_retry(s, r, N_("%s: its read entry at n%llu was lost; retrying"));
			}
			continue;
		}
		if (raft_term_at(ns->raft, q->index) == q->term) {
			struct sim_violation v;
			if (s->cfg.checker && sim_checker_acked(&s->checker, i, ns->raft, q->index,
			                                        q->cmd, q->len, &v)) {
				sim_stop_violation(s, &v);
				return;
			}
			q->state = SIM_REQ_DONE;
			q->complete_us = s->now_us;
			q->gen++;
			s->counters.client_acks++;
			client_note(s, i, N_("%s committed: n%llu applied it at index %llu"), q, i,
			            q->index);
		} else if (raft_term_at(ns->raft, q->index) == 0) {
			/* the node installed a snapshot past it: whether the put is
			 * in it is unknown here, so the client asks again */
			client_note(s, i, N_("%s: n%llu skipped index %llu by a snapshot; retrying"), q,
			            i, q->index);
			client_retried(q);
			client_new_attempt(s, r);
			client_send(s, r, s->clients.leader ? s->clients.leader : next_node(s, i), 0);
		} else {
			client_note(s, i, N_("%s was overwritten at n%llu index %llu; retrying"), q, i,
			            q->index);
			client_retried(q);
			client_new_attempt(s, r);
			client_send(s, r, s->clients.leader ? s->clients.leader : next_node(s, i), 0);
		}
	}
}

/* ---- Gets ------------------------------------------------------------------ */

int64_t sim_client_get(struct sim *s, const char *key, size_t len, uint8_t to)
{
	if (len < 1 || len > RAFT_CMD_MAX || to > s->cfg.nodes)
		return SIM_EINVAL;
	for (size_t k = 0; k < len; k++) {
		unsigned char ch = (unsigned char)key[k];
		if (ch <= ' ' || ch >= 127 || ch == '=')
			return SIM_EINVAL;
	}
	if (s->stopped)
		return SIM_ESTOPPED;
	uint32_t r;
	struct sim_req *q = req_new(s, key, len, SIM_REQ_GET, &r);
	if (!q)
		return SIM_ENOMEM;
	if (!to) {
		to = sim_stable_leader(s);
		if (!to)
			to = s->clients.leader ? s->clients.leader : 1;
	}
	client_note(s, to, N_("%s sent to n%llu"), q, to, 0);
	client_send(s, r, to, 0);
	return (int64_t)r + 1;
}

/* The waiting ReadIndex gets, kept in ascending request order. */
static int reads_add(struct sim *s, uint32_t r)
{
	if (s->clients.reads_waiting == s->clients.reads_cap) {
		size_t cap = s->clients.reads_cap ? s->clients.reads_cap * 2 : 16;
		uint32_t *p = realloc(s->clients.reads, cap * sizeof *p);
		if (!p)
			return SIM_ENOMEM;
		s->clients.reads = p;
		s->clients.reads_cap = cap;
	}
	size_t k = s->clients.reads_waiting;
	while (k > 0 && s->clients.reads[k - 1] > r) {
		s->clients.reads[k] = s->clients.reads[k - 1];
		k--;
	}
	s->clients.reads[k] = r;
	s->clients.reads_waiting++;
	return SIM_OK;
}

static void reads_remove(struct sim *s, uint32_t r)
{
	for (size_t k = 0; k < s->clients.reads_waiting; k++)
		if (s->clients.reads[k] == r) {
			memmove(s->clients.reads + k, s->clients.reads + k + 1,
			        (s->clients.reads_waiting - k - 1) * sizeof *s->clients.reads);
			s->clients.reads_waiting--;
			return;
		}
}

/* Node i answers get r from its map, now. */
static void get_answer(struct sim *s, uint32_t r, uint8_t i)
{
	struct sim_req *q = &s->clients.reqs[r];
	size_t vlen = 0;
	const char *v = raft_map_get(s->nodes[i].raft, q->cmd, q->len, &vlen);
	q->found = v != NULL;
	q->result_len = (uint8_t)(v && vlen <= RAFT_CMD_MAX ? vlen : 0);
	if (v)
		memcpy(q->result, v, q->result_len);
	q->state = SIM_REQ_DONE;
	q->complete_us = s->now_us;
	q->gen++;
	if (!s->trace_fn)
		return;
	char text[160], val[RAFT_CMD_MAX + 1], cmd[RAFT_CMD_MAX + 5];
	memcpy(val, q->result, q->result_len);
	val[q->result_len] = '\0';
	snprintf(cmd, sizeof cmd, "get %.*s", (int)q->len, q->cmd);
	const char *fmt = v ? N_("%s answered by n%llu: %s") : N_("%s answered by n%llu: no value");
	snprintf(text, sizeof text, fmt, cmd, (unsigned long long)i, val);
	struct sim_trace t = {.kind = SIM_T_CLIENT, .node = i, .text = text, .note_fmt = fmt,
	                      .note_cmd = cmd, .note_a = i, .note_value = val};
	sim_emit(s, &t);
}

/* Get r stops waiting where it was and is sent again. */
static void get_retry(struct sim *s, uint32_t r, const char *why)
{
	struct sim_req *q = &s->clients.reqs[r];
	if (q->state == SIM_REQ_WAIT && !q->via_log)
		reads_remove(s, r);
	q->via_log = false;
	client_note(s, q->target, why, q, q->target, 0);
	uint8_t to = s->clients.leader && s->clients.leader != q->target ? s->clients.leader
	                                                               : next_node(s, q->target);
	client_send(s, r, to, client_wait_us(s, q, 0));
}

static void get_arrive(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
	uint8_t to = q->target;
	const struct raft_node *n = s->nodes[to].raft;
	if (raft_role(n) != RAFT_LEADER) {
		uint8_t hint = raft_leader_hint(n);
		if (hint && hint != to) {
			client_note(s, to, N_("%s rejected by n%llu: not the leader, try n%llu"), q, to, hint);
			client_send(s, r, hint, 0);
		} else {
			client_note(s, to, N_("%s rejected by n%llu: no leader known; retrying"), q, to, 0);
			int64_t wait = client_wait_us(s, q, s->cfg.election_us_min);
			client_retried(q);
			client_send(s, r, next_node(s, to), wait);
		}
		return;
	}
	bool local = s->cfg.reads == SIM_READS_LOCAL || (s->cfg.bugs & RAFT_BUG_STALE_READ);
	if (local) {
		get_answer(s, r, to);
		return;
	}
	if (s->cfg.reads == SIM_READS_LOG) {
		uint64_t index = 0;
		if (raft_propose_read(s->nodes[to].raft, sim_local_us(s, to), q->cmd, q->len, &index, NULL) !=
		    RAFT_OK) {
			sim_stop_oom(s, "a read entry");
			return;
		}
		q->state = SIM_REQ_WAIT;
		q->via_log = true;
		q->target = to;
		q->index = index;
		q->term = raft_term(n);
		q->gen++;
		client_note(s, to, N_("%s accepted by n%llu at index %llu: a read through the log"), q, to,
		            index);
		await_apply(s, r, to);
		return;
	}
	q->state = SIM_REQ_WAIT;
	q->term = raft_term(n);
	q->read_start_us = s->now_us;
	q->read_index = 0;
	q->gen++;
	if (reads_add(s, r) != SIM_OK) {
		sim_stop_oom(s, "a waiting read");
		return;
	}
	client_note(s, to,
	            s->cfg.reads == SIM_READS_LEASE ? N_("%s at leader n%llu: a lease read")
	                                            : N_("%s waits at leader n%llu: ReadIndex"),
	            q, to, 0);
	if (sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
	                   SIM_EV_CLIENT, to, r, q->gen) != SIM_OK) {
		sim_stop_oom(s, "a client's wait");
		return;
	}
	get_poll(s, to);
}

/* The gets waiting at leader i: answered once a majority has replied to
 * AppendEntries sent after the get arrived (i still led then) - or, with
 * lease reads, while i's lease holds on its own clock - and i has applied
 * the commit index it noted; given up when i no longer leads the term the
 * get arrived in. */
static void get_poll(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	const struct raft_node *n = ns->raft;
	for (size_t k = 0; k < s->clients.reads_waiting;) {
		uint32_t r = s->clients.reads[k];
		struct sim_req *q = &s->clients.reqs[r];
		if (q->target != i) {
			k++;
			continue;
		}
		if (!ns->up || raft_role(n) != RAFT_LEADER || raft_term(n) != q->term) {
			client_retried(q);
			get_retry(s, r, N_("%s at n%llu: it no longer leads; retrying")); /* removes it */
			continue;
		}
		/* a new leader's commit index may lag: it knows what is committed
		 * once an entry of its own term is (dissertation 6.4, step 1) */
		if (!q->read_index) {
			uint64_t c = raft_commit_index(n);
			if (!c || raft_term_at(n, c) != q->term) {
				k++;
				continue;
			}
			q->read_index = c;
		}
		if (s->cfg.reads == SIM_READS_LEASE) {
			if (!raft_lease_read_ok(n, sim_local_us(s, i), sim_lease_us(&s->cfg)) ||
			    raft_last_applied(n) < q->read_index) {
				k++;
				continue;
			}
			reads_remove(s, r);
			get_answer(s, r, i);
			continue;
		}
		/* a majority of the voters of the leader's configuration */
		unsigned heard = 0, voters = 0;
		for (uint8_t p = 1; p <= s->cfg.nodes; p++) {
			if (!raft_is_voter(n, p))
				continue;
			voters++;
			if (p == i || (ns->heard_term == q->term && ns->heard_us[p] >= q->read_start_us))
				heard++;
		}
		if (heard < voters / 2 + 1 || raft_last_applied(n) < q->read_index) {
			k++;
			continue;
		}
		reads_remove(s, r);
		get_answer(s, r, i);
	}
}

void sim_client_heard(struct sim *s, uint8_t to, uint8_t type, uint8_t from, uint64_t term,
                      int64_t sent_us)
{
	struct sim_nodestate *ns = &s->nodes[to];
	if (type == RAFT_MSG_APPEND_REPLY && raft_role(ns->raft) == RAFT_LEADER &&
	    term == raft_term(ns->raft) && from <= s->cfg.nodes) {
		if (ns->heard_term != term) {
			ns->heard_term = term;
			for (size_t p = 0; p <= RAFT_NODES_MAX; p++)
				ns->heard_us[p] = INT64_MIN;
		}
		if (sent_us > ns->heard_us[from])
			ns->heard_us[from] = sent_us;
	}
	if (s->clients.reads_waiting)
		get_poll(s, to);
}

size_t sim_client_count(const struct sim *s)
{
	return s->clients.reqs_n;
}

bool sim_client_info(const struct sim *s, size_t i, struct sim_client_info *out)
{
	if (i >= s->clients.reqs_n)
		return false;
	const struct sim_req *q = &s->clients.reqs[i];
	out->state = q->state == SIM_REQ_DONE   ? SIM_CLIENT_ACKED
	             : q->state == SIM_REQ_WAIT ? SIM_CLIENT_WAITING
	                                        : SIM_CLIENT_TRAVELLING;
	out->node = q->target;
	out->index = q->index;
	out->term = q->term;
	out->cmd = q->cmd;
	out->len = q->len;
	out->attempts = q->attempts;
	out->get = q->op == SIM_REQ_GET;
	return true;
}

/* ---- State ------------------------------------------------------------------ */

int sim_clients_init(struct sim_clients *c, uint16_t n, uint64_t rng)
{
	memset(c, 0, sizeof *c);
	c->rng = rng;
	c->waiting = calloc((size_t)n + 1, sizeof *c->waiting);
	return c->waiting ? SIM_OK : SIM_ENOMEM;
}

void sim_clients_free(struct sim_clients *c, uint16_t n)
{
	if (c->waiting)
		for (uint16_t i = 1; i <= n; i++)
			free(c->waiting[i].v);
	free(c->waiting);
	free(c->reqs);
	free(c->reads);
	free(c->hops);
	memset(c, 0, sizeof *c);
}

int sim_clients_copy(struct sim_clients *dst, const struct sim_clients *src, uint16_t n)
{
	*dst = *src;
	dst->reqs = NULL;
	dst->reqs_cap = 0;
	dst->reads = NULL;
	dst->reads_cap = dst->reads_waiting = 0;
	dst->hops = NULL;
	dst->hops_cap = dst->hops_n = 0;
	dst->waiting = calloc((size_t)n + 1, sizeof *dst->waiting);
	if (!dst->waiting)
		return SIM_ENOMEM;
	if (src->reads_cap) {
		if (!(dst->reads = sim_dup_array(src->reads, src->reads_cap, sizeof *src->reads)))
			return SIM_ENOMEM;
		dst->reads_cap = src->reads_cap;
		dst->reads_waiting = src->reads_waiting;
	}
	if (src->hops_cap) {
		if (!(dst->hops = sim_dup_array(src->hops, src->hops_cap, sizeof *src->hops)))
			return SIM_ENOMEM;
		dst->hops_cap = src->hops_cap;
		dst->hops_n = src->hops_n;
	}
	if (src->reqs_cap) {
		if (!(dst->reqs = sim_dup_array(src->reqs, src->reqs_cap, sizeof *src->reqs)))
			return SIM_ENOMEM;
		dst->reqs_cap = src->reqs_cap;
	}
	for (uint16_t i = 1; i <= n; i++) {
		const struct sim_client_queue *w = &src->waiting[i];
		if (!w->cap)
			continue;
		uint64_t *v = sim_dup_array(w->v, w->cap, sizeof *w->v);
		if (!v)
			return SIM_ENOMEM;
		dst->waiting[i] = *w;
		dst->waiting[i].v = v;
	}
	return SIM_OK;
}

uint64_t sim_clients_bytes(const struct sim_clients *c, uint16_t n)
{
	uint64_t b = c->reqs_cap * sizeof *c->reqs + ((uint64_t)n + 1) * sizeof *c->waiting +
	             c->reads_cap * sizeof *c->reads + c->hops_cap * sizeof *c->hops;
	for (uint16_t i = 1; i <= n; i++)
		b += c->waiting[i].cap * sizeof *c->waiting[i].v;
	return b;
}

void sim_clients_crash(struct sim_clients *c, uint8_t i)
{
	c->waiting[i].n = 0;
}
