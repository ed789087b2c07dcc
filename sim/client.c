/* client.c - the simulated clients: requests that travel to a node, are
 * redirected, retried with back-off, and acknowledged once applied. */
#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Clients --------------------------------------------------------------- */

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
	int64_t at = s->now_us + delay_us +
	             sim_rand_range(&s->clients.rng, s->cfg.latency_us_min, s->cfg.latency_us_max);
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
	return d + sim_rand_range(&s->clients.rng, 0, d / 2);
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
	sim_emit_text(s, SIM_T_CLIENT, node, text);
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
	if (s->clients.reqs_n == s->clients.reqs_cap) {
		size_t cap = s->clients.reqs_cap ? s->clients.reqs_cap * 2 : 16;
		struct sim_req *r = realloc(s->clients.reqs, cap * sizeof *r);
		if (!r) {
			sim_stop_oom(s, "a client request");
			return SIM_ENOMEM;
		}
		s->clients.reqs = r;
		s->clients.reqs_cap = cap;
	}
	uint32_t r = (uint32_t)s->clients.reqs_n++;
	struct sim_req *q = &s->clients.reqs[r];
	memset(q, 0, sizeof *q);
	memcpy(q->cmd, cmd, len);
	q->len = (uint8_t)len;
	if (!to) {
		to = sim_stable_leader(s);
		if (!to)
			to = s->clients.leader ? s->clients.leader : 1;
	}
	s->counters.client_requests++;
	client_note(s, to, "put %s sent to n%llu", q, to, 0);
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

void sim_client_arrive(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
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
		s->clients.leader = to;
		client_note(s, to, "put %s accepted by n%llu at index %llu", q, to, index);
		if (push_waiting(&s->clients.waiting[to], r, q->gen) != SIM_OK ||
		    sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
		                   SIM_EV_CLIENT, to, r, q->gen) != SIM_OK) {
			sim_stop_oom(s, "a client's wait");
			return;
		}
		sim_flush(s, to);
		return;
	}
	if (hint && hint != to) {
		client_note(s, to, "put %s rejected by n%llu: not the leader, try n%llu", q, to, hint);
		s->clients.leader = hint;
		client_send(s, r, hint, 0);
	} else {
		client_note(s, to, "put %s rejected by n%llu: no leader known; retrying", q, to, 0);
		int64_t wait = client_wait_us(s, q, s->cfg.election_us_min);
		client_retried(q);
		client_send(s, r, next_node(s, to), wait);
	}
}

void sim_client_timeout(struct sim *s, uint32_t r)
{
	struct sim_req *q = &s->clients.reqs[r];
	client_retried(q);
	if (client_copy_alive(s, q)) {
		client_note(s, q->target,
		            "put %s still waiting at leader n%llu, index %llu: waiting longer", q,
		            q->target, q->index);
		if (sim_queue_push(&s->q, s->now_us + client_wait_us(s, q, s->cfg.client_retry_us),
		                   SIM_EV_CLIENT, q->target, r, q->gen) != SIM_OK)
			sim_stop_oom(s, "a client's wait");
		return;
	}
	client_note(s, q->target, "put %s not committed within the retry time at n%llu; retrying",
	            q, q->target, 0);
	uint8_t to = s->clients.leader && s->clients.leader != q->target ? s->clients.leader
	                                                               : next_node(s, q->target);
	client_send(s, r, to, 0);
}

void sim_client_applied(struct sim *s, uint8_t i, uint64_t applied)
{
	struct sim_nodestate *ns = &s->nodes[i];
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
		if (raft_term_at(ns->raft, q->index) == q->term) {
			struct sim_violation v;
			if (s->cfg.checker && sim_checker_acked(&s->checker, i, ns->raft, q->index,
			                                        q->cmd, q->len, &v)) {
				sim_stop_violation(s, &v);
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
			client_send(s, r, s->clients.leader ? s->clients.leader : next_node(s, i), 0);
		} else {
			client_note(s, i, "put %s was overwritten at n%llu index %llu; retrying", q, i,
			            q->index);
			client_retried(q);
			client_send(s, r, s->clients.leader ? s->clients.leader : next_node(s, i), 0);
		}
	}
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
	memset(c, 0, sizeof *c);
}

int sim_clients_copy(struct sim_clients *dst, const struct sim_clients *src, uint16_t n)
{
	*dst = *src;
	dst->reqs = NULL;
	dst->reqs_cap = 0;
	dst->waiting = calloc((size_t)n + 1, sizeof *dst->waiting);
	if (!dst->waiting)
		return SIM_ENOMEM;
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
	uint64_t b = c->reqs_cap * sizeof *c->reqs + ((uint64_t)n + 1) * sizeof *c->waiting;
	for (uint16_t i = 1; i <= n; i++)
		b += c->waiting[i].cap * sizeof *c->waiting[i].v;
	return b;
}

void sim_clients_crash(struct sim_clients *c, uint8_t i)
{
	c->waiting[i].n = 0;
}
