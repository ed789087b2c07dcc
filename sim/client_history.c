/* client_history.c - the clients' history (client_history.h): the requests of client.c
 * seen as Jepsen operations, checked by linear.c, written as EDN or JSON. */
#include "client_history.h"

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t sim_history_len(const struct sim *s)
{
	return s->clients.reqs_n + s->clients.hops_n;
}

static void put_op(const struct sim_req *q, struct sim_lin_op *o)
{
	const char *eq = memchr(q->cmd, '=', q->len);
	size_t k = eq ? (size_t)(eq - q->cmd) : q->len;
	o->f = SIM_LIN_PUT;
	o->key = q->cmd;
	o->key_len = k;
	o->value = q->cmd + (k < q->len ? k + 1 : k);
	o->value_len = k < q->len ? q->len - k - 1 : 0;
}

void sim_history_ops(const struct sim *s, struct sim_lin_op *out)
{
	for (size_t i = 0; i < s->clients.reqs_n; i++) {
		const struct sim_req *q = &s->clients.reqs[i];
		struct sim_lin_op *o = &out[i];
		memset(o, 0, sizeof *o);
		o->process = (uint32_t)i;
		o->invoke_us = q->op == SIM_REQ_PUT ? q->attempt_us : q->invoke_us;
		o->complete_us = q->complete_us;
		o->type = q->state == SIM_REQ_DONE ? SIM_LIN_OK : SIM_LIN_INFO;
		if (q->op == SIM_REQ_GET) {
			o->f = SIM_LIN_GET;
			o->key = q->cmd;
			o->key_len = q->len;
			if (o->type == SIM_LIN_OK && q->found) {
				o->value = q->result;
				o->value_len = q->result_len;
			}
		} else {
			put_op(q, o);
		}
	}
	for (size_t k = 0; k < s->clients.hops_n; k++) {
		struct sim_lin_op *o = &out[s->clients.reqs_n + k];
		memset(o, 0, sizeof *o);
		put_op(&s->clients.reqs[s->clients.hops[k].req], o);
		o->process = (uint32_t)(s->clients.reqs_n + k);
		o->type = SIM_LIN_INFO;
		o->invoke_us = s->clients.hops[k].invoke_us;
	}
}

int sim_history_check(struct sim *s, struct sim_lin_result *out)
{
	struct sim_lin_result local;
	if (!out)
		out = &local;
	memset(out, 0, sizeof *out);
	if (s->stopped)
		return SIM_ESTOPPED;
	size_t n = sim_history_len(s);
	struct sim_lin_op *ops = malloc((n ? n : 1) * sizeof *ops);
	if (!ops) {
		sim_stop_oom(s, "the linearizability check");
		return SIM_ENOMEM;
	}
	sim_history_ops(s, ops);
	if (sim_lin_check(ops, n, NULL, out) != 0) {
		free(ops);
		sim_stop_oom(s, "the linearizability check");
		return SIM_ENOMEM;
	}
	if (out->verdict == SIM_LIN_UNKNOWN && s->trace_fn) {
		/* not a violation, but not a proof either: say so */
		char text[256];
		size_t k = (size_t)snprintf(text, sizeof text, "history: ");
		sim_lin_format(ops, out, text + k, sizeof text - k);
		sim_emit_text(s, SIM_T_CLIENT, 0, text);
	}
	if (out->verdict == SIM_LIN_VIOLATION) {
		struct sim_violation v = {.invariant = "Linearizability"};
		sim_lin_format(ops, out, v.detail, sizeof v.detail);
		sim_stop_violation(s, &v);
		free(ops);
		return SIM_ESTOPPED;
	}
	free(ops);
	return SIM_OK;
}

/* ---- Writing ---------------------------------------------------------------- */

struct hist_event {
	int64_t time_us;
	uint32_t done; /* 0 invoke, 1 completion */
	uint32_t op;
};

static int event_cmp(const void *a, const void *b)
{
	const struct hist_event *x = a, *y = b;
	if (x->time_us != y->time_us)
		return x->time_us < y->time_us ? -1 : 1;
	if (x->done != y->done)
		return x->done < y->done ? -1 : 1;
	return x->op < y->op ? -1 : x->op > y->op;
}

/* A string in double quotes, with EDN's and JSON's common escapes (the
 * simulator's keys and values are printable ASCII). */
static void put_string(FILE *f, const char *p, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '"' || p[i] == '\\')
			fputc('\\', f);
		fputc(p[i], f);
	}
	fputc('"', f);
}

/* EDN values: a canonical decimal integer as a number (what Knossos's
 * register models compare), anything else as a string. */
static void put_edn_value(FILE *f, const char *p, size_t len)
{
	size_t i = len && p[0] == '-' ? 1 : 0;
	bool num = len > i && len - i <= 18 && (p[i] != '0' || len - i == 1) && !(i && p[i] == '0');
	for (size_t k = i; k < len && num; k++)
		num = p[k] >= '0' && p[k] <= '9';
	if (num)
		fprintf(f, "%.*s", (int)len, p);
	else
		put_string(f, p, len);
}

static void write_edn(const struct sim_lin_op *ops, const struct hist_event *ev, size_t n_ev,
                      FILE *f)
{
	for (size_t k = 0; k < n_ev; k++) {
		const struct sim_lin_op *o = &ops[ev[k].op];
		const char *type = !ev[k].done ? "invoke" : o->type == SIM_LIN_OK ? "ok" : "info";
		fprintf(f, "{:process %u, :type :%s, :f :%s, :key ", (unsigned)o->process, type,
		        o->f == SIM_LIN_PUT ? "write" : "read");
		put_string(f, o->key, o->key_len);
		fputs(", :value ", f);
		if (o->f == SIM_LIN_PUT)
			put_edn_value(f, o->value, o->value_len);
		else if (ev[k].done && o->type == SIM_LIN_OK && o->value)
			put_edn_value(f, o->value, o->value_len);
		else
			fputs("nil", f);
		fprintf(f, ", :time %lld}\n", (long long)ev[k].time_us * 1000);
	}
}

/* Porcupine's Operation {ClientId, Input, Call, Output, Return}, with the
 * kv model's input {Op: 0 get, 1 put; Key; Value} and output {Value} ("":
 * no value).  A put of unknown outcome returns at the end of time
 * (Output.Unknown true); a get of unknown outcome tells nothing and is
 * left out. */
static void write_porcupine(const struct sim_lin_op *ops, size_t n, FILE *f)
{
	fputs("[", f);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		const struct sim_lin_op *o = &ops[i];
		bool put = o->f == SIM_LIN_PUT;
		if (!put && o->type != SIM_LIN_OK)
			continue;
		fprintf(f, "%s\n{\"ClientId\": %u, \"Input\": {\"Op\": %d, \"Key\": ", first ? "" : ",",
		        (unsigned)o->process, put ? 1 : 0);
		first = false;
		put_string(f, o->key, o->key_len);
		fputs(", \"Value\": ", f);
		if (put)
			put_string(f, o->value, o->value_len);
		else
			fputs("\"\"", f);
		fprintf(f, "}, \"Call\": %lld, \"Output\": {\"Value\": ", (long long)o->invoke_us * 1000);
		if (!put && o->value)
			put_string(f, o->value, o->value_len);
		else
			fputs("\"\"", f);
		if (o->type == SIM_LIN_OK)
			fprintf(f, "}, \"Return\": %lld}", (long long)o->complete_us * 1000);
		else
			fputs(", \"Unknown\": true}, \"Return\": 9223372036854775807}", f);
	}
	fputs(first ? "]\n" : "\n]\n", f);
}

/* When the attempt after abandoned attempt k began. */
static int64_t next_attempt_us(const struct sim *s, size_t k)
{
	uint32_t r = s->clients.hops[k].req;
	for (size_t j = k + 1; j < s->clients.hops_n; j++)
		if (s->clients.hops[j].req == r)
			return s->clients.hops[j].invoke_us;
	return s->clients.reqs[r].attempt_us;
}

int sim_history_write(const struct sim *s, enum sim_history_format fmt, FILE *f)
{
	size_t n = sim_history_len(s);
	struct sim_lin_op *ops = malloc((n ? n : 1) * sizeof *ops);
	struct hist_event *ev = malloc((n ? 2 * n : 1) * sizeof *ev);
	if (!ops || !ev) {
		free(ops);
		free(ev);
		return -1;
	}
	sim_history_ops(s, ops);
	size_t n_ev = 0;
	for (size_t i = 0; i < n; i++) {
		ev[n_ev++] = (struct hist_event){ops[i].invoke_us, 0, (uint32_t)i};
		/* an open or abandoned operation ends as info: an abandoned
		 * attempt when the next began (its process then moves on), an
		 * open one at the end of the history */
		int64_t t = ops[i].type == SIM_LIN_OK ? ops[i].complete_us : s->now_us;
		if (i >= s->clients.reqs_n)
			t = next_attempt_us(s, i - s->clients.reqs_n);
		ev[n_ev++] = (struct hist_event){t, 1, (uint32_t)i};
	}
	qsort(ev, n_ev, sizeof *ev, event_cmp);
	switch (fmt) {
	case SIM_HISTORY_EDN:
		write_edn(ops, ev, n_ev, f);
		break;
	case SIM_HISTORY_PORCUPINE_JSON:
		write_porcupine(ops, n, f);
		break;
	}
	free(ops);
	free(ev);
	return ferror(f) ? -1 : 0;
}
