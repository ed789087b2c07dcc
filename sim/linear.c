/* linear.c - the linearizability checker of linear.h: Wing & Gong's search
 * with Lowe's memo, one key at a time (P-compositionality), as Porcupine's
 * checkSingle does; then, for a violation, the smallest failing prefix and
 * a reduced set of its operations that still cannot be ordered.
 *
 * The search walks a list of call and return events sorted by time.  At a
 * call it tries to linearize that operation now (the model accepts it in
 * the current state): the operation's two events leave the list ("lift")
 * and the walk restarts from the head.  Reaching a return means an
 * operation that had to be linearized by then was not: undo the last
 * choice ("unlift") and try the next call after it.  The memo remembers
 * every (set of linearized operations, state) reached, so no configuration
 * is explored twice (Lowe, "Testing for linearizability", 2017). */
#include "linear.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define RET_NEVER INT64_MAX /* an info put: may take effect any time, or never */

/* One operation of one key's sub-history, as the search sees it. */
struct kop {
	size_t src;      /* index in the caller's array */
	bool put;
	uint32_t value;  /* put: the value id written; get: the id read (0: no value) */
	int64_t call_us, ret_us;
};

static uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ull;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* ---- The memo: a set of (bitset, state), open addressing ------------- */

struct memo_slot {
	uint64_t hash;
	uint64_t off;    /* into words; UINT64_MAX: empty */
	uint32_t state;
};

struct memo {
	struct memo_slot *slots;
	size_t cap, used;
	uint64_t *words;
	size_t words_len, words_cap;
	size_t w;        /* words per bitset */
	uint64_t bytes_max;
};

static void memo_free(struct memo *m)
{
	free(m->slots);
	free(m->words);
}

static uint64_t memo_bytes(const struct memo *m)
{
	return (uint64_t)m->cap * sizeof *m->slots + (uint64_t)m->words_cap * sizeof *m->words;
}

static int memo_grow_slots(struct memo *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct memo_slot *s = malloc(cap * sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < cap; i++)
		s[i].off = UINT64_MAX;
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].off == UINT64_MAX)
			continue;
		size_t j = (size_t)(m->slots[i].hash ^ m->slots[i].state) & (cap - 1);
		while (s[j].off != UINT64_MAX)
			j = (j + 1) & (cap - 1);
		s[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = s;
	m->cap = cap;
	return 0;
}

/* 1: inserted (new), 0: already there, -1: out of memory, -2: over the
 * byte budget. */
static int memo_insert(struct memo *m, const uint64_t *bits, uint64_t hash, uint32_t state)
{
	if ((m->used + 1) * 2 > m->cap && memo_grow_slots(m) < 0)
		return -1;
	size_t j = (size_t)(hash ^ state) & (m->cap - 1);
	while (m->slots[j].off != UINT64_MAX) {
		const struct memo_slot *s = &m->slots[j];
		if (s->hash == hash && s->state == state &&
		    memcmp(m->words + s->off, bits, m->w * sizeof *bits) == 0)
			return 0;
		j = (j + 1) & (m->cap - 1);
	}
	if (m->words_len + m->w > m->words_cap) {
		size_t c = m->words_cap ? m->words_cap * 2 : 4096;
		while (c < m->words_len + m->w)
			c *= 2;
		uint64_t *p = realloc(m->words, c * sizeof *p);
		if (!p)
			return -1;
		m->words = p;
		m->words_cap = c;
	}
	if (memo_bytes(m) > m->bytes_max)
		return -2;
	memcpy(m->words + m->words_len, bits, m->w * sizeof *bits);
	m->slots[j] = (struct memo_slot){.hash = hash, .off = m->words_len, .state = state};
	m->words_len += m->w;
	m->used++;
	return 1;
}

/* ---- The search ------------------------------------------------------- */

struct event {
	int64_t time_us;
	uint32_t ret; /* 0: call, 1: return (calls first at equal times) */
	uint32_t op;
};

static int event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	if (x->time_us != y->time_us)
		return x->time_us < y->time_us ? -1 : 1;
	if (x->ret != y->ret)
		return x->ret < y->ret ? -1 : 1;
	return x->op < y->op ? -1 : x->op > y->op;
}

struct frame {
	uint32_t node;  /* the call event linearized */
	uint32_t state; /* the state before it */
	bool forced;    /* a get linearized as soon as it could be: no
	                   alternative to it needs trying */
};

struct same {
	uint32_t value;
	int64_t call_us;
	uint32_t op;
};

static int same_cmp(const void *a, const void *b)
{
	const struct same *x = a, *y = b;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	if (x->call_us != y->call_us)
		return x->call_us < y->call_us ? -1 : 1;
	return x->op < y->op ? -1 : x->op > y->op;
}

/* Is ops[0..m-1] linearizable from the empty key?  Adds the steps taken to
 * *steps.  SIM_LIN_* verdict, or -1 out of memory. */
static int search_raw(const struct kop *ops, size_t m, const struct sim_lin_limits *lim,
                  uint64_t *steps)
{
	if (m == 0)
		return SIM_LIN_LINEARIZABLE;
	int rc = -1;
	uint64_t taken = 0;
	size_t n_ev = 2 * m;
	struct event *ev = malloc(n_ev * sizeof *ev);
	/* list nodes: 0 the head, 1..n_ev the events in time order */
	uint32_t *next = malloc((n_ev + 1) * sizeof *next);
	uint32_t *prev = malloc((n_ev + 1) * sizeof *prev);
	uint32_t *match = malloc((n_ev + 1) * sizeof *match);
	uint32_t *node_op = malloc((n_ev + 1) * sizeof *node_op);
	size_t w = (m + 63) / 64;
	uint64_t *bits = calloc(w, sizeof *bits);
	uint64_t *zob = malloc(m * sizeof *zob);
	struct frame *stack = malloc(m * sizeof *stack);
	uint32_t *prev_same = malloc(m * sizeof *prev_same);
	struct memo memo = {.w = w, .bytes_max = lim->memo_bytes_per_key};
	if (!ev || !next || !prev || !match || !node_op || !bits || !zob || !stack || !prev_same)
		goto cleanup;

	for (size_t i = 0; i < m; i++) {
		ev[2 * i] = (struct event){ops[i].call_us, 0, (uint32_t)i};
		int64_t r = ops[i].ret_us < ops[i].call_us ? ops[i].call_us : ops[i].ret_us;
		ev[2 * i + 1] = (struct event){r, 1, (uint32_t)i};
		zob[i] = mix64(i * 0x2545f4914f6cdd1dull + 1);
	}
	qsort(ev, n_ev, sizeof *ev, event_cmp);
	for (size_t k = 0; k < n_ev; k++) {
		uint32_t nd = (uint32_t)k + 1;
		node_op[nd] = ev[k].op;
		prev[nd] = nd - 1;
		next[nd] = k + 1 < n_ev ? nd + 1 : NIL;
	}
	next[0] = 1;
	prev[0] = NIL;
	/* match[call] = its return (a call precedes its return); NIL for returns */
	for (uint32_t nd = 1; nd <= n_ev; nd++) {
		match[nd] = NIL;
		if (!ev[nd - 1].ret)
			stack[node_op[nd]].node = nd; /* the stack is empty yet: scratch */
		else
			match[stack[node_op[nd]].node] = nd;
	}

	/* Two cuts of the search that keep its answer:
	 *   - a get that reads the current state and whose call has come
	 *     (before the first pending return) is linearized at once, and no
	 *     alternative to it is tried: any order that places it later can
	 *     place it here instead (a read changes nothing);
	 *   - maybe-puts of the same value are taken in the order of their
	 *     calls: any order using some of them can use the earliest ones
	 *     instead, matched in order (their windows never close). */
	{
		struct same *sm = malloc(m * sizeof *sm);
		if (!sm)
			goto cleanup;
		size_t k = 0;
		for (size_t i = 0; i < m; i++) {
			prev_same[i] = NIL;
			if (ops[i].put && ops[i].ret_us == RET_NEVER)
				sm[k++] = (struct same){ops[i].value, ops[i].call_us, (uint32_t)i};
		}
		qsort(sm, k, sizeof *sm, same_cmp);
		for (size_t j = 1; j < k; j++)
			if (sm[j].value == sm[j - 1].value)
				prev_same[sm[j].op] = sm[j - 1].op;
		free(sm);
	}

	uint32_t state = 0;
	uint64_t hash = 0;
	size_t depth = 0;
	uint32_t cur = next[0];
	bool forcing = true;
	while (next[0] != NIL) {
		if (++taken > lim->steps_per_key) {
			rc = SIM_LIN_UNKNOWN;
			goto cleanup;
		}
		uint32_t pick = NIL;
		bool forced = false, back = false;
		if (forcing) {
			forcing = false;
			for (uint32_t nd = next[0]; nd != NIL && match[nd] != NIL; nd = next[nd]) {
				const struct kop *g = &ops[node_op[nd]];
				if (!g->put && g->value == state) {
					pick = nd;
					forced = true;
					break;
				}
			}
		}
		if (pick == NIL) {
			if (match[cur] == NIL) { /* a return whose operation is not linearized */
				back = true;
			} else {
				const struct kop *o = &ops[node_op[cur]];
				uint32_t ps = prev_same[node_op[cur]];
				if ((!o->put && o->value != state) ||
				    (ps != NIL && !(bits[ps / 64] >> (ps % 64) & 1))) {
					cur = next[cur];
					continue;
				}
				pick = cur;
			}
		}
		if (!back) { /* linearize pick now */
			const struct kop *o = &ops[node_op[pick]];
			uint32_t ns = o->put ? o->value : state;
			uint32_t op = node_op[pick];
			bits[op / 64] |= 1ull << (op % 64);
			hash ^= zob[op];
			int ins = memo_insert(&memo, bits, hash, ns);
			if (ins < 0) {
				rc = ins == -2 ? SIM_LIN_UNKNOWN : -1;
				goto cleanup;
			}
			if (ins > 0) {
				stack[depth++] = (struct frame){pick, state, forced};
				state = ns;
				/* lift: the call and its return leave the list */
				uint32_t r = match[pick];
				next[prev[pick]] = next[pick];
				if (next[pick] != NIL)
					prev[next[pick]] = prev[pick];
				next[prev[r]] = next[r];
				if (next[r] != NIL)
					prev[next[r]] = prev[r];
				cur = next[0];
				forcing = true;
				continue;
			}
			/* been here: this choice leads nowhere new */
			bits[op / 64] &= ~(1ull << (op % 64));
			hash ^= zob[op];
			if (!forced) {
				cur = next[cur];
				continue;
			}
		}
		/* backtrack: undo the last choice (and the forced gets above it) */
		struct frame f;
		do {
			if (depth == 0) {
				rc = SIM_LIN_VIOLATION;
				goto cleanup;
			}
			f = stack[--depth];
			uint32_t op = node_op[f.node];
			state = f.state;
			bits[op / 64] &= ~(1ull << (op % 64));
			hash ^= zob[op];
			/* unlift, in the reverse order */
			uint32_t r = match[f.node];
			next[prev[r]] = r;
			if (next[r] != NIL)
				prev[next[r]] = r;
			next[prev[f.node]] = f.node;
			if (next[f.node] != NIL)
				prev[next[f.node]] = f.node;
		} while (f.forced);
		cur = next[f.node];
	}
	rc = SIM_LIN_LINEARIZABLE;
cleanup:
	*steps += taken;
	memo_free(&memo);
	free(ev);
	free(next);
	free(prev);
	free(match);
	free(node_op);
	free(bits);
	free(zob);
	free(stack);
	free(prev_same);
	return rc;
}

/* Puts of unknown outcome are what makes the search explode: each may be
 * left out or placed anywhere after its call, so n of them open 2^n
 * subsets.  Two rewritings keep the answer and close most of them:
 *   - a maybe-put whose value no get read is left out: placed last (or
 *     never) it changes nothing any get saw, and any order of the others
 *     stays one without it;
 *   - a maybe-put whose value only it wrote, and some get read, took effect
 *     before the earliest of those gets completed: it gets that completion
 *     as its own (when that is not before its call).
 * Then the search (search_raw) on what remains. */
static int search(const struct kop *ops, size_t m, const struct sim_lin_limits *lim,
                  uint64_t *steps)
{
	uint32_t vmax = 0;
	for (size_t i = 0; i < m; i++)
		if (ops[i].value > vmax)
			vmax = ops[i].value;
	uint32_t *writers = calloc((size_t)vmax + 1, sizeof *writers);
	int64_t *first_read = malloc(((size_t)vmax + 1) * sizeof *first_read);
	struct kop *w = malloc((m ? m : 1) * sizeof *w);
	int rc = -1;
	if (!writers || !first_read || !w)
		goto cleanup;
	for (uint32_t v = 0; v <= vmax; v++)
		first_read[v] = RET_NEVER;
	for (size_t i = 0; i < m; i++) {
		if (ops[i].put)
			writers[ops[i].value]++;
		else if (ops[i].ret_us < first_read[ops[i].value])
			first_read[ops[i].value] = ops[i].ret_us;
	}
	size_t n = 0;
	for (size_t i = 0; i < m; i++) {
		struct kop o = ops[i];
		if (o.put && o.ret_us == RET_NEVER) {
			int64_t r = first_read[o.value];
			if (r == RET_NEVER)
				continue;
			if (writers[o.value] == 1 && r >= o.call_us)
				o.ret_us = r;
		}
		w[n++] = o;
	}
	rc = search_raw(w, n, lim, steps);
cleanup:
	free(writers);
	free(first_read);
	free(w);
	return rc;
}

/* ---- Per key: building the sub-history, explaining a violation ------- */

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	size_t n = al < bl ? al : bl;
	int c = n ? memcmp(a, b, n) : 0;
	if (c)
		return c;
	return al < bl ? -1 : al > bl;
}

struct sort_ctx_item {
	const struct sim_lin_op *op;
	size_t i;
};

static int by_key_then_time(const void *a, const void *b)
{
	const struct sort_ctx_item *x = a, *y = b;
	int c = bytes_cmp(x->op->key, x->op->key_len, y->op->key, y->op->key_len);
	if (c)
		return c;
	if (x->op->invoke_us != y->op->invoke_us)
		return x->op->invoke_us < y->op->invoke_us ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int by_value(const void *a, const void *b)
{
	const struct sort_ctx_item *x = a, *y = b;
	int c = bytes_cmp(x->op->value, x->op->value_len, y->op->value, y->op->value_len);
	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

static bool takes_part(const struct sim_lin_op *o)
{
	if (o->type == SIM_LIN_FAIL)
		return false;
	if (o->f == SIM_LIN_GET && o->type == SIM_LIN_INFO)
		return false; /* a read that returned nothing tells nothing */
	return true;
}

/* The key's operations items[0..m-1] (sorted by invocation) as kops, with
 * values numbered 1.. by content.  NULL when out of memory. */
static struct kop *build_kops(const struct sort_ctx_item *items, size_t m)
{
	struct kop *k = malloc(m * sizeof *k);
	struct sort_ctx_item *v = malloc(m * sizeof *v);
	if (!k || !v) {
		free(k);
		free(v);
		return NULL;
	}
	size_t nv = 0;
	for (size_t j = 0; j < m; j++) {
		const struct sim_lin_op *o = items[j].op;
		k[j] = (struct kop){.src = items[j].i, .put = o->f == SIM_LIN_PUT, .value = 0,
		                    .call_us = o->invoke_us,
		                    .ret_us = o->type == SIM_LIN_INFO ? RET_NEVER : o->complete_us};
		if (o->value)
			v[nv++] = (struct sort_ctx_item){.op = o, .i = j};
	}
	qsort(v, nv, sizeof *v, by_value);
	uint32_t id = 0;
	for (size_t j = 0; j < nv; j++) {
		const struct sim_lin_op *a = v[j ? j - 1 : 0].op, *o = v[j].op;
		if (j == 0 || bytes_cmp(a->value, a->value_len, o->value, o->value_len) != 0)
			id++;
		k[v[j].i].value = id;
	}
	free(v);
	return k;
}

/* The prefix of the history up to time t: operations invoked by then;
 * those not yet complete are pending (a put may or may not take effect, a
 * get is dropped).  Writes into out, returns its length. */
static size_t prefix_at(const struct kop *k, size_t m, int64_t t, struct kop *out)
{
	size_t n = 0;
	for (size_t j = 0; j < m; j++) {
		if (k[j].call_us > t)
			continue;
		if (k[j].ret_us <= t) {
			out[n++] = k[j];
		} else if (k[j].put) {
			out[n] = k[j];
			out[n++].ret_us = RET_NEVER;
		}
	}
	return n;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The earliest completion time t such that the prefix up to t cannot be
 * ordered; its operations are left in pre[0..*np-1].  -1 out of memory. */
static int smallest_prefix(const struct kop *k, size_t m, const struct sim_lin_limits *lim,
                           uint64_t *steps, struct kop *pre, size_t *np, int64_t *fail_us)
{
	int64_t *t = malloc(m * sizeof *t);
	if (!t)
		return -1;
	size_t nt = 0;
	for (size_t j = 0; j < m; j++)
		if (k[j].ret_us != RET_NEVER)
			t[nt++] = k[j].ret_us;
	qsort(t, nt, sizeof *t, cmp_i64);
	size_t u = 0;
	for (size_t j = 0; j < nt; j++)
		if (u == 0 || t[u - 1] != t[j])
			t[u++] = t[j];
	/* the whole history fails; find the first t that fails (a longer
	 * prefix of a failing prefix fails too) */
	size_t lo = 0, hi = u; /* answer in [lo, hi]; hi == u: the whole history */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		size_t n = prefix_at(k, m, t[mid], pre);
		int v = search(pre, n, lim, steps);
		if (v < 0) {
			free(t);
			return -1;
		}
		if (v == SIM_LIN_VIOLATION)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (hi < u) {
		*np = prefix_at(k, m, t[hi], pre);
		*fail_us = t[hi];
	} else {
		memcpy(pre, k, m * sizeof *k);
		*np = m;
		*fail_us = u ? t[u - 1] : 0;
	}
	free(t);
	return 0;
}

/* Removes from pre[] every operation whose removal (a get, or a put whose
 * value no remaining get reads) keeps the set impossible to order, and
 * lets every put that can be treated as "maybe, any time after its call"
 * be so.  Each such change only loosens the constraints, so the set that
 * remains still proves the history wrong.  -1 out of memory. */
static int reduce(struct kop *pre, size_t *np, const struct sim_lin_limits *lim,
                  uint64_t *steps)
{
	size_t n = *np;
	struct kop *tmp = malloc((n ? n : 1) * sizeof *tmp);
	if (!tmp)
		return -1;
	/* the whole reduction shares one key's budget */
	uint64_t spent = 0;
	bool changed = true;
	while (changed && spent < lim->steps_per_key) {
		changed = false;
		for (size_t j = n; j-- > 0 && spent < lim->steps_per_key;) {
			bool read = false;
			if (pre[j].put)
				for (size_t i = 0; i < n; i++)
					if (!pre[i].put && pre[i].value == pre[j].value)
						read = true;
			size_t tn = 0;
			if (!pre[j].put || !read) { /* try without it */
				for (size_t i = 0; i < n; i++)
					if (i != j)
						tmp[tn++] = pre[i];
			} else if (pre[j].ret_us != RET_NEVER) { /* try it as "maybe" */
				memcpy(tmp, pre, n * sizeof *tmp);
				tmp[j].ret_us = RET_NEVER;
				tn = n;
			} else {
				continue;
			}
			uint64_t before = *steps;
			int v = search(tmp, tn, lim, steps);
			spent += *steps - before;
			if (v < 0) {
				free(tmp);
				return -1;
			}
			if (v != SIM_LIN_VIOLATION)
				continue;
			memcpy(pre, tmp, tn * sizeof *tmp);
			n = tn;
			changed = true;
		}
	}
	free(tmp);
	*np = n;
	return 0;
}

static int cmp_call(const void *a, const void *b)
{
	const struct kop *x = a, *y = b;
	if (x->call_us != y->call_us)
		return x->call_us < y->call_us ? -1 : 1;
	return x->src < y->src ? -1 : x->src > y->src;
}

int sim_lin_check(const struct sim_lin_op *ops, size_t n, const struct sim_lin_limits *lim_in,
                  struct sim_lin_result *out)
{
	struct sim_lin_limits lim = {SIM_LIN_STEPS_DEFAULT, SIM_LIN_MEMO_BYTES_DEFAULT};
	if (lim_in && lim_in->steps_per_key)
		lim.steps_per_key = lim_in->steps_per_key;
	if (lim_in && lim_in->memo_bytes_per_key)
		lim.memo_bytes_per_key = lim_in->memo_bytes_per_key;
	memset(out, 0, sizeof *out);
	out->verdict = SIM_LIN_LINEARIZABLE;

	int rc = -1;
	struct sort_ctx_item *items = malloc((n ? n : 1) * sizeof *items);
	struct kop *best = NULL;
	size_t n_best = 0;
	bool unknown = false;
	if (!items)
		goto cleanup;
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (takes_part(&ops[i]))
			items[m++] = (struct sort_ctx_item){.op = &ops[i], .i = i};
	out->ops_checked = m;
	qsort(items, m, sizeof *items, by_key_then_time);

	for (size_t a = 0; a < m;) {
		size_t b = a + 1;
		while (b < m && bytes_cmp(items[a].op->key, items[a].op->key_len, items[b].op->key,
		                          items[b].op->key_len) == 0)
			b++;
		out->keys++;
		struct kop *k = build_kops(items + a, b - a);
		if (!k)
			goto cleanup;
		int v = search(k, b - a, &lim, &out->steps);
		if (v < 0) {
			free(k);
			goto cleanup;
		}
		if (v == SIM_LIN_UNKNOWN && !unknown) {
			unknown = true;
			if (out->verdict != SIM_LIN_VIOLATION)
				out->key_op = items[a].i;
		}
		if (v == SIM_LIN_VIOLATION) {
			struct kop *p = malloc((b - a) * sizeof *p);
			size_t np = 0;
			int64_t fail_us = 0;
			if (!p || smallest_prefix(k, b - a, &lim, &out->steps, p, &np, &fail_us) < 0) {
				free(p);
				free(k);
				goto cleanup;
			}
			/* report the key that went wrong first */
			if (out->verdict != SIM_LIN_VIOLATION || fail_us < out->fail_us) {
				out->verdict = SIM_LIN_VIOLATION;
				out->fail_us = fail_us;
				out->key_op = items[a].i;
				free(best);
				best = p;
				n_best = np;
			} else {
				free(p);
			}
		}
		free(k);
		a = b;
	}
	if (out->verdict == SIM_LIN_VIOLATION) {
		if (reduce(best, &n_best, &lim, &out->steps) < 0)
			goto cleanup;
		qsort(best, n_best, sizeof *best, cmp_call);
		out->n_culprits = n_best;
		for (size_t j = 0; j < n_best && j < SIM_LIN_CULPRITS_MAX; j++)
			out->culprits[j] = best[j].src;
	} else if (unknown) {
		out->verdict = SIM_LIN_UNKNOWN;
	}
	rc = 0;
cleanup:
	free(items);
	free(best);
	return rc;
}

/* ---- Reports ---------------------------------------------------------- */

struct buf {
	char *p;
	size_t cap, len;
};

static void put_str(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_str(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *at = b->len < b->cap ? b->p + b->len : NULL;
	size_t room = b->len < b->cap ? b->cap - b->len : 0;
	int k = vsnprintf(at, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		b->len += (size_t)k;
}

/* Bytes as text: printable ASCII kept, anything else '?', at most 24. */
static void put_bytes(struct buf *b, const char *s, size_t len)
{
	char tmp[32];
	size_t n = 0;
	for (size_t i = 0; i < len && n < 24; i++)
		tmp[n++] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	tmp[n] = 0;
	put_str(b, "%s%s", tmp, len > 24 ? "..." : "");
}

static void put_time(struct buf *b, int64_t us)
{
	put_str(b, "%s%lld.%03lldms", us < 0 ? "-" : "", (long long)(us < 0 ? -us : us) / 1000,
	        (long long)(us < 0 ? -us : us) % 1000);
}

static void put_op(struct buf *b, const struct sim_lin_op *o)
{
	if (o->f == SIM_LIN_PUT) {
		put_str(b, "put ");
		put_bytes(b, o->key, o->key_len);
		put_str(b, "=");
		put_bytes(b, o->value, o->value_len);
	} else {
		put_str(b, "get ");
		put_bytes(b, o->key, o->key_len);
		if (o->type == SIM_LIN_OK) {
			put_str(b, " -> ");
			if (o->value)
				put_bytes(b, o->value, o->value_len);
			else
				put_str(b, "(none)");
		}
	}
	put_str(b, " by c%u [", (unsigned)o->process);
	put_time(b, o->invoke_us);
	put_str(b, ", ");
	if (o->type == SIM_LIN_INFO)
		put_str(b, "?");
	else
		put_time(b, o->complete_us);
	put_str(b, "] %s",
	        o->type == SIM_LIN_OK ? "ok" : o->type == SIM_LIN_FAIL ? "fail" : "unknown outcome");
}

size_t sim_lin_format_op(const struct sim_lin_op *op, char *buf, size_t cap)
{
	struct buf b = {buf, cap, 0};
	if (cap)
		buf[0] = 0;
	put_op(&b, op);
	return b.len;
}

size_t sim_lin_format(const struct sim_lin_op *ops, const struct sim_lin_result *r, char *buf,
                      size_t cap)
{
	struct buf b = {buf, cap, 0};
	if (cap)
		buf[0] = 0;
	if (r->verdict == SIM_LIN_LINEARIZABLE) {
		put_str(&b, _("%zu operations on %zu keys are linearizable"), r->ops_checked, r->keys);
		return b.len;
	}
	const struct sim_lin_op *k = &ops[r->key_op];
	put_str(&b, _("key \""));
	put_bytes(&b, k->key, k->key_len);
	if (r->verdict == SIM_LIN_UNKNOWN) {
		put_str(&b, _("\": unknown, the search hit its limit before deciding"));
		return b.len;
	}
	put_str(&b, _("\": %zu operation%s cannot be ordered (by "), r->n_culprits,
	        r->n_culprits == 1 ? "" : "s");
	put_time(&b, r->fail_us);
	put_str(&b, "): ");
	for (size_t j = 0; j < r->n_culprits && j < SIM_LIN_CULPRITS_MAX; j++) {
		if (j)
			put_str(&b, "; ");
		put_op(&b, &ops[r->culprits[j]]);
	}
	if (r->n_culprits > SIM_LIN_CULPRITS_MAX)
		put_str(&b, "; ...");
	return b.len;
}
