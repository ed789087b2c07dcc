/* export.c - traces other tools read: ShiViz's vector-clock log and a
 * Mermaid sequence diagram, built from the trace records in order. */
#include "sim_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOSTS (RAFT_NODES_MAX + 1)

/* A message between its send and its arrival. */
struct pending {
	uint64_t id, copy_of; /* copy_of: the original of a network duplicate */
	int64_t send_us;
	uint32_t *clock;      /* ShiViz: the sender's clock at the send */
};

struct sim_export {
	enum sim_trace_format fmt;
	int64_t from_us, to_us;
	bool started, oom;
	uint16_t max_node;
	uint32_t *clock; /* [node * HOSTS + host]: each node's vector clock */
	struct pending *p;
	size_t p_n, p_cap;
	char *out;             /* text to hand out */
	size_t out_len, out_cap;
	char line[8192];
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void out_add(struct sim_export *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || x->oom)
		return;
	if (x->out_len + (size_t)n + 1 > x->out_cap) {
		size_t cap = x->out_cap ? x->out_cap : 4096;
		while (cap < x->out_len + (size_t)n + 1)
			cap *= 2;
		char *o = realloc(x->out, cap);
		if (!o) {
			x->oom = true;
			return;
		}
		x->out = o;
		x->out_cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(x->out + x->out_len, x->out_cap - x->out_len, fmt, ap);
	va_end(ap);
	x->out_len += (size_t)n;
}

struct sim_export *sim_export_new(enum sim_trace_format f, int64_t from_us, int64_t to_us)
{
	struct sim_export *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->fmt = f;
	x->from_us = from_us;
	x->to_us = to_us;
	if (f == SIM_TRACE_SHIVIZ && !(x->clock = calloc((size_t)HOSTS * HOSTS, sizeof *x->clock))) {
		free(x);
		return NULL;
	}
	return x;
}

void sim_export_free(struct sim_export *x)
{
	if (!x)
		return;
	for (size_t i = 0; i < x->p_n; i++)
		free(x->p[i].clock);
	free(x->p);
	free(x->clock);
	free(x->out);
	free(x);
}

static struct pending *pending_find(struct sim_export *x, uint64_t id)
{
	for (size_t i = x->p_n; i-- > 0;)
		if (x->p[i].id == id)
			return &x->p[i];
	return NULL;
}

static void pending_remove(struct sim_export *x, struct pending *p)
{
	free(p->clock);
	*p = x->p[--x->p_n];
}

/* Remembers message id, sent now by node from (or copied from orig). */
static void pending_add(struct sim_export *x, const struct sim_trace *t, uint64_t copy_of)
{
	if (x->p_n == x->p_cap) {
		size_t cap = x->p_cap ? x->p_cap * 2 : 64;
		struct pending *p = realloc(x->p, cap * sizeof *p);
		if (!p) {
			x->oom = true;
			return;
		}
		x->p = p;
		x->p_cap = cap;
	}
	const struct pending *orig = copy_of ? pending_find(x, copy_of) : NULL;
	struct pending *p = &x->p[x->p_n];
	*p = (struct pending){.id = t->msg_id, .copy_of = copy_of, .send_us = t->time_us};
	if (x->clock) {
		/* a copy carries the clock of its original's send */
		p->clock = malloc(HOSTS * sizeof *p->clock);
		if (!p->clock) {
			x->oom = true;
			return;
		}
		memcpy(p->clock, orig ? orig->clock : &x->clock[(size_t)t->node * HOSTS],
		       HOSTS * sizeof *p->clock);
	}
	if (orig)
		p->send_us = orig->send_us;
	x->p_n++;
}

/* The text trace's line for t, without its time and newline. */
static const char *text_of(struct sim_export *x, const struct sim_trace *t, bool with_time)
{
	size_t n = sim_trace_format(t, SIM_TRACE_TEXT, x->line, sizeof x->line);
	while (n && x->line[n - 1] == '\n')
		x->line[--n] = '\0';
	const char *s = x->line;
	if (!with_time && *s == '[') {
		const char *e = strchr(s, ']');
		if (e)
			s = e + (e[1] == ' ' ? 2 : 1);
	}
	return s;
}

/* ---- ShiViz ------------------------------------------------------------------ */

/* One event on node's lifeline: tick its own entry (after merging the
 * sender's clock for a receive) and write the description and the clock. */
static void shiviz_event(struct sim_export *x, uint8_t node, const uint32_t *merge,
                         const char *desc, const char *suffix)
{
	uint32_t *c = &x->clock[(size_t)node * HOSTS];
	if (merge)
		for (size_t h = 1; h < HOSTS; h++)
			if (merge[h] > c[h])
				c[h] = merge[h];
	c[node]++;
	out_add(x, "%s%s\nn%u {", desc, suffix, node);
	bool first = true;
	for (size_t h = 1; h < HOSTS; h++)
		if (c[h]) {
			out_add(x, "%s\"n%zu\":%u", first ? "" : ",", h, c[h]);
			first = false;
		}
	out_add(x, "}\n");
}

static void shiviz_record(struct sim_export *x, const struct sim_trace *t)
{
	if (!x->started) {
		/* ShiViz's parser: the regular expression, then an empty line
		 * (no delimiter between executions: one run) */
		out_add(x, "(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})\n\n");
		x->started = true;
	}
	char suffix[64] = "";
	switch (t->kind) {
	case SIM_T_SEND:
		shiviz_event(x, t->node, NULL, text_of(x, t, true), "");
		pending_add(x, t, 0);
		return;
	case SIM_T_DUPLICATE:
		/* the network's doing: no event, but the copy's receive merges
		 * the original's send */
		pending_add(x, t, t->copy_of);
		return;
	case SIM_T_DELAY:
		return;
	case SIM_T_DELIVER: {
		struct pending *p = pending_find(x, t->msg_id);
		if (p && p->copy_of)
			snprintf(suffix, sizeof suffix, " (copy of id=%llu)",
			         (unsigned long long)p->copy_of);
		shiviz_event(x, t->peer, p ? p->clock : NULL, text_of(x, t, true), suffix);
		if (p)
			pending_remove(x, p);
		return;
	}
	case SIM_T_DROP: {
		/* nobody takes part: the send stays without a receive */
		struct pending *p = pending_find(x, t->msg_id);
		if (p)
			pending_remove(x, p);
		return;
	}
	case SIM_T_TIMEOUT:
	case SIM_T_LEADER:
	case SIM_T_FOLLOWER:
	case SIM_T_COMMIT:
	case SIM_T_CRASH:
	case SIM_T_RESTART:
	case SIM_T_SNAPSHOT:
	case SIM_T_CLIENT:
	case SIM_T_VIOLATION:
	case SIM_T_CONFIG:
	case SIM_T_TRANSFER:
	case SIM_T_TRANSFER_END:
	case SIM_T_SKEW:
		if (t->node)
			shiviz_event(x, t->node, NULL, text_of(x, t, true), "");
		return;
	case SIM_T_LINK:
	case SIM_T_HEAL:
	case SIM_T_PARTITION:
	case SIM_T_SAY:
	case SIM_T_SET:
		return; /* the network's or the narrator's, not a node's */
	}
}

/* ---- Mermaid ----------------------------------------------------------------- */

/* Mermaid text: '#' and ';' written as entity codes. */
static void mermaid_text(struct sim_export *x, const char *s)
{
	for (; *s; s++) {
		if (*s == '#')
			out_add(x, "#35;");
		else if (*s == ';')
			out_add(x, "#59;");
		else
			out_add(x, "%c", *s);
	}
}

/* "n3 → n1 RequestVote(...)" without "n3 → n1 ". */
static const char *skip_route(const char *s)
{
	const char *a = strstr(s, "→ n");
	const char *sp = a ? strchr(a + strlen("→ "), ' ') : NULL;
	return sp ? sp + 1 : s;
}

static void mermaid_time(struct sim_export *x, int64_t us)
{
	out_add(x, "%lld.%03lldms", (long long)(us / 1000), (long long)(us % 1000));
}

static void mermaid_record(struct sim_export *x, const struct sim_trace *t)
{
	if (t->node > x->max_node)
		x->max_node = t->node;
	if (t->peer > x->max_node)
		x->max_node = t->peer;
	if (t->kind == SIM_T_SEND || t->kind == SIM_T_DUPLICATE) {
		pending_add(x, t, t->copy_of);
		return;
	}
	bool in = t->time_us >= x->from_us && t->time_us <= x->to_us;
	if (t->kind == SIM_T_DELIVER || t->kind == SIM_T_DROP) {
		struct pending *p = pending_find(x, t->msg_id);
		if (in) {
			/* the arrow is drawn when the message arrives (or dies),
			 * so the receiver's reaction comes after it */
			struct sim_trace s = *t;
			s.kind = SIM_T_SEND;
			s.msg_id = 0;
			out_add(x, "    n%u%sn%u: ", t->node, t->kind == SIM_T_DROP ? "-x" : "->>", t->peer);
			mermaid_text(x, skip_route(text_of(x, &s, false)));
			out_add(x, " id %llu", (unsigned long long)t->msg_id);
			if (p && p->copy_of)
				out_add(x, " (copy of %llu)", (unsigned long long)p->copy_of);
			if (p) {
				out_add(x, ", sent ");
				mermaid_time(x, p->send_us);
			}
			if (t->kind == SIM_T_DROP)
				out_add(x, ", dropped: %s", t->text ? t->text : "lost");
			out_add(x, "\n");
		}
		if (p)
			pending_remove(x, p);
		return;
	}
	if (!in)
		return;
	const char *text = text_of(x, t, false);
	switch (t->kind) {
	case SIM_T_TIMEOUT:
	case SIM_T_LEADER:
	case SIM_T_FOLLOWER:
	case SIM_T_COMMIT:
	case SIM_T_CRASH:
	case SIM_T_RESTART:
	case SIM_T_TRANSFER:
	case SIM_T_TRANSFER_END:
	case SIM_T_SNAPSHOT:
	case SIM_T_CLIENT:
	case SIM_T_VIOLATION:
	case SIM_T_SKEW:
	case SIM_T_CONFIG:
		if (t->node) {
			out_add(x, "    Note over n%u: ", t->node);
			break;
		}
		/* fall through */
	case SIM_T_LINK:
	case SIM_T_HEAL:
	case SIM_T_PARTITION:
	case SIM_T_SAY:
	case SIM_T_SET:
		out_add(x, "    Note over @ALL@: ");
		break;
	case SIM_T_DELAY:
		out_add(x, "    Note over n%u,n%u: ", t->node, t->peer);
		break;
	case SIM_T_SEND:
	case SIM_T_DUPLICATE:
	case SIM_T_DELIVER:
	case SIM_T_DROP:
		return;
	}
	mermaid_time(x, t->time_us);
	out_add(x, " ");
	mermaid_text(x, text);
	out_add(x, "\n");
}

/* The body with its header: participants n1..nN, and notes over all of
 * them spelt out now that N is known. */
static void mermaid_end(struct sim_export *x)
{
	char *body = x->out;
	size_t body_len = x->out_len;
	x->out = NULL;
	x->out_len = x->out_cap = 0;
	uint16_t n = x->max_node ? x->max_node : 1;
	out_add(x, "sequenceDiagram\n");
	for (uint16_t i = 1; i <= n; i++)
		out_add(x, "    participant n%u\n", i);
	char all[32];
	snprintf(all, sizeof all, n > 1 ? "n1,n%u" : "n1", n);
	const char *s = body;
	while (s && s < body + body_len) {
		const char *at = strstr(s, "@ALL@");
		if (!at) {
			out_add(x, "%s", s);
			break;
		}
		out_add(x, "%.*s%s", (int)(at - s), s, all);
		s = at + 5;
	}
	free(body);
}

/* ---- Entry points --------------------------------------------------------------- */

const char *sim_export_record(struct sim_export *x, const struct sim_trace *t, size_t *len)
{
	if (x->fmt == SIM_TRACE_SHIVIZ) {
		x->out_len = 0;
		shiviz_record(x, t);
	} else {
		mermaid_record(x, t);
	}
	if (x->fmt == SIM_TRACE_MERMAID || x->oom || !x->out) {
		*len = 0;
		return "";
	}
	*len = x->out_len;
	return x->out;
}

const char *sim_export_end(struct sim_export *x, size_t *len)
{
	if (x->fmt == SIM_TRACE_SHIVIZ) {
		x->out_len = 0;
		if (!x->started)
			out_add(x, "(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})\n\n");
		x->started = true;
	} else {
		mermaid_end(x);
	}
	if (x->oom || !x->out) {
		*len = 0;
		return "";
	}
	*len = x->out_len;
	return x->out;
}

bool sim_export_failed(const struct sim_export *x)
{
	return x->oom;
}
