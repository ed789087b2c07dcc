/* clients.c - the client timeline's model and geometry: the history of the moment, its verdict cached between frames, the rows, the bars and the time axis (render.h).  SDL-free. */
#include "render.h"
#include "client_history.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- The history and its verdict ---------------------------------------------- */
static uint64_t mix(uint64_t h, uint64_t v)
{
	/* a word at a time (it runs over the whole history every frame) */
	h = (h ^ v) * 0x100000001b3ull;
	return h ^ (h >> 29);
}

static uint64_t mix_bytes(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = 0;
		memcpy(&w, p + i, n - i < 8 ? n - i : 8);
		h = mix(h, w);
	}
	return h;
}

/* What the checker's answer depends on: every operation's kind, outcome,
 * times and values (an open operation's completion time means nothing). */
static uint64_t history_hash(const struct sim_lin_op *ops, size_t n)
{
	uint64_t h = mix(0xcbf29ce484222325ull, n);
	for (size_t i = 0; i < n; i++) {
		const struct sim_lin_op *o = &ops[i];
		h = mix(h, (uint64_t)o->f << 8 | (uint64_t)o->type);
		h = mix(h, (uint64_t)o->invoke_us);
		if (o->type == SIM_LIN_OK)
			h = mix(h, (uint64_t)o->complete_us);
		h = mix(h, (uint64_t)o->key_len << 32 | (uint64_t)(o->value ? o->value_len + 1 : 0));
		h = mix_bytes(h, o->key, o->key_len);
		if (o->value)
			h = mix_bytes(h, o->value, o->value_len);
	}
	return h;
}

bool render_clients_state_update(struct render_clients_state *st, const struct sim *s)
{
	size_t n = sim_history_len(s);
	if (n > st->cap) {
		size_t cap = st->cap ? st->cap : 16;
		while (cap < n)
			cap *= 2;
		struct sim_lin_op *ops = realloc(st->ops, cap * sizeof *ops);
		if (!ops) {
			st->n = st->n_requests = 0;
			st->rc = -1;
			st->checked = false;
			return false;
		}
		st->ops = ops;
		st->cap = cap;
	}
	if (n)
		sim_history_ops(s, st->ops);
	st->n = n;
	st->n_requests = sim_client_count(s);
	uint64_t h = history_hash(st->ops, n);
	if (st->checked && st->rc == 0 && h == st->hash)
		return false;
	st->hash = h;
	st->checked = true;
	st->checks++;
	st->rc = sim_lin_check(st->ops, n, NULL, &st->res);
	return true;
}

void render_clients_state_free(struct render_clients_state *st)
{
	free(st->ops);
	memset(st, 0, sizeof *st);
}

bool render_clients_culprit(const struct render_clients_state *st, size_t op)
{
	if (!st || !st->checked || st->rc != 0 || st->res.verdict != SIM_LIN_VIOLATION)
		return false;
	size_t k = st->res.n_culprits < SIM_LIN_CULPRITS_MAX ? st->res.n_culprits
	                                                     : SIM_LIN_CULPRITS_MAX;
	for (size_t i = 0; i < k; i++)
		if (st->res.culprits[i] == op)
			return true;
	return false;
}

/* ---- Rows, bars and the axis ---------------------------------------------------- */
/* The request whose row shows history operation op: itself, or for an
 * abandoned attempt the request it belongs to (the attempts of a request
 * share its command's storage). */
static size_t request_of(const struct render_clients_state *st, size_t op)
{
	if (op < st->n_requests)
		return op;
	for (size_t r = 0; r < st->n_requests; r++)
		if (st->ops[r].f == SIM_LIN_PUT && st->ops[r].key == st->ops[op].key)
			return r;
	return (size_t)-1;
}

static bool chosen(const size_t *rows, unsigned n, size_t r)
{
	for (unsigned i = 0; i < n; i++)
		if (rows[i] == r)
			return true;
	return false;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* When abandoned attempt op (a hop) ended: when the next attempt of its
 * request began. */
static int64_t attempt_end(const struct render_clients_state *st, size_t op, size_t req)
{
	for (size_t j = op + 1; j < st->n; j++)
		if (st->ops[j].key == st->ops[op].key)
			return st->ops[j].invoke_us;
	return st->ops[req].invoke_us;
}

static void add_bar(struct render_clients_view *v, const struct render_clients_state *st,
                    size_t op, unsigned row, size_t req, int64_t now)
{
	if (v->n_bars >= RENDER_CLIENT_BARS_MAX)
		return;
	const struct sim_lin_op *o = &st->ops[op];
	struct render_client_bar *b = &v->bars[v->n_bars++];
	memset(b, 0, sizeof *b);
	b->op = op;
	b->row = row;
	b->t0_us = o->invoke_us;
	b->culprit = render_clients_culprit(st, op);
	if (op >= st->n_requests) {
		b->end = RENDER_CLIENT_UNKNOWN;
		b->t1_us = attempt_end(st, op, req);
	} else {
		switch (o->type) {
		case SIM_LIN_OK:
			b->end = RENDER_CLIENT_OK;
			b->t1_us = o->complete_us;
			break;
		case SIM_LIN_INFO:
			b->end = RENDER_CLIENT_PENDING;
			b->t1_us = now;
			break;
		case SIM_LIN_FAIL:
			b->end = RENDER_CLIENT_FAILED;
			b->t1_us = o->complete_us;
			break;
		}
	}
	if (b->t1_us > now)
		b->t1_us = now;
	if (b->t1_us < b->t0_us)
		b->t1_us = b->t0_us;
}

void render_clients_view_compute(struct render_clients_view *v, const struct render_layout *l,
                                 const struct render_clients_state *st, int64_t now_us)
{
	memset(v, 0, sizeof *v);
	const struct render_rect *p = &l->clients;
	float u = l->u;
	int left = (int)lroundf(44 * u), head = (int)lroundf(48 * u), foot = (int)lroundf(42 * u);
	v->area = (struct render_rect){p->x + left, p->y + head, p->w - left - (int)lroundf(12 * u),
	                               p->h - head - foot};
	v->now_us = v->t0_us = now_us;
	/* room after now for its label */
	float aw = (float)v->area.w - 30 * u;
	v->now_x = (float)v->area.x + aw;
	if (!st || !st->n_requests || v->area.w < 20 || v->area.h < 10)
		return;

	/* the rows: the requests the checker names, then the newest */
	unsigned max_rows = (unsigned)((float)v->area.h / (18 * u));
	if (max_rows < 1)
		max_rows = 1;
	if (max_rows > RENDER_CLIENT_ROWS_MAX)
		max_rows = RENDER_CLIENT_ROWS_MAX;
	if (st->checked && st->rc == 0 && st->res.verdict == SIM_LIN_VIOLATION) {
		size_t k = st->res.n_culprits < SIM_LIN_CULPRITS_MAX ? st->res.n_culprits
		                                                     : SIM_LIN_CULPRITS_MAX;
		for (size_t i = 0; i < k && v->n_rows < max_rows; i++) {
			size_t r = request_of(st, st->res.culprits[i]);
			if (r < st->n_requests && !chosen(v->row_req, v->n_rows, r))
				v->row_req[v->n_rows++] = r;
		}
	}
	for (size_t r = st->n_requests; r-- > 0 && v->n_rows < max_rows;)
		if (!chosen(v->row_req, v->n_rows, r))
			v->row_req[v->n_rows++] = r;
	qsort(v->row_req, v->n_rows, sizeof *v->row_req, cmp_size);
	v->row_h = fminf((float)v->area.h / (float)v->n_rows, 30 * u);

	/* the bars: each row's request, and its abandoned attempts */
	for (unsigned row = 0; row < v->n_rows; row++) {
		size_t r = v->row_req[row];
		if (st->ops[r].f == SIM_LIN_PUT)
			for (size_t j = st->n_requests; j < st->n; j++)
				if (st->ops[j].key == st->ops[r].key)
					add_bar(v, st, j, row, r, now_us);
		add_bar(v, st, r, row, r, now_us);
	}

	/* the axis: every invocation and completion shown, and now */
	int64_t t[2 * RENDER_CLIENT_BARS_MAX + 1];
	size_t nt = 0;
	for (size_t i = 0; i < v->n_bars; i++) {
		t[nt++] = v->bars[i].t0_us;
		if (v->bars[i].end != RENDER_CLIENT_PENDING)
			t[nt++] = v->bars[i].t1_us;
	}
	t[nt++] = now_us;
	qsort(t, nt, sizeof *t, cmp_i64);
	size_t m = 0;
	for (size_t i = 0; i < nt; i++)
		if (t[i] <= now_us && (m == 0 || t[i] != t[m - 1]))
			t[m++] = t[i];
	/* at most one moment per 28 px: the newest */
	size_t keep = (size_t)(aw / (28 * u));
	if (keep < 2)
		keep = 2;
	if (keep > RENDER_CLIENT_TICKS_MAX)
		keep = RENDER_CLIENT_TICKS_MAX;
	size_t first = m > keep ? m - keep : 0;
	v->n_ticks = m - first;
	memcpy(v->tick_us, t + first, v->n_ticks * sizeof *t);
	v->t0_us = v->tick_us[0];
	size_t gaps = v->n_ticks - 1;
	int64_t span = now_us - v->t0_us;
	for (size_t k = 0; k < v->n_ticks; k++) {
		double f = gaps ? 0.5 * (double)k / (double)gaps : 1.0;
		if (span > 0)
			f += 0.5 * (double)(v->tick_us[k] - v->t0_us) / (double)span;
		else if (gaps)
			f *= 2;
		v->tick_x[k] = (float)v->area.x + aw * (float)f;
	}
	for (size_t i = 0; i < v->n_bars; i++)
		v->bars[i].cut = v->bars[i].t0_us < v->t0_us;
}

float render_clients_x(const struct render_clients_view *v, int64_t t_us)
{
	if (v->n_ticks == 0 || t_us >= v->now_us)
		return v->now_x;
	if (t_us <= v->tick_us[0])
		return v->tick_x[0];
	size_t lo = 0, hi = v->n_ticks - 1; /* tick_us[lo] < t <= tick_us[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (v->tick_us[mid] < t_us)
			lo = mid;
		else
			hi = mid;
	}
	double f = (double)(t_us - v->tick_us[lo]) / (double)(v->tick_us[hi] - v->tick_us[lo]);
	return v->tick_x[lo] + (v->tick_x[hi] - v->tick_x[lo]) * (float)f;
}

void render_clients_bar_rect(const struct render_clients_view *v, size_t i, float *x, float *y,
                             float *w, float *h)
{
	const struct render_client_bar *b = &v->bars[i];
	float x0 = render_clients_x(v, b->t0_us), x1 = render_clients_x(v, b->t1_us);
	float minw = 4 * (v->row_h / 30 > 0.6f ? v->row_h / 30 : 0.6f);
	if (x1 - x0 < minw)
		x1 = x0 + minw;
	*x = x0;
	*w = x1 - x0;
	*y = (float)v->area.y + v->row_h * ((float)b->row + 0.2f);
	*h = v->row_h * 0.6f;
}

int render_clients_hit(const struct render_clients_view *v, float x, float y)
{
	int best = -1;
	float slack = v->row_h * 0.2f;
	for (size_t i = 0; i < v->n_bars; i++) {
		float bx, by, bw, bh;
		render_clients_bar_rect(v, i, &bx, &by, &bw, &bh);
		if (x >= bx - 3 && x <= bx + bw + 3 && y >= by - slack && y <= by + bh + slack)
			best = (int)i; /* the later one: drawn on top */
	}
	return best;
}
