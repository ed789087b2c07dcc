/* format.c - commands back to canonical .scn text, bug names, settings. */
#include "scn_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void scn_vappendf(char *buf, size_t cap, size_t *len, const char *fmt, va_list ap)
{
	if (cap == 0)
		return; /* nobody reads the text: do not format it */
	size_t at = *len < cap ? *len : (cap ? cap - 1 : 0);
	int n = vsnprintf(cap ? buf + at : NULL, cap ? cap - at : 0, fmt, ap);
	if (n > 0)
		*len += (size_t)n;
}

void scn_appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	scn_vappendf(buf, cap, len, fmt, ap);
	va_end(ap);
}

char *scn_str_take(struct scn_str *s)
{
	if (!s->oom)
		return s->p;
	free(s->p);
	s->p = NULL;
	return NULL;
}

void scn_str_addf(struct scn_str *s, const char *fmt, ...)
{
	if (s->oom)
		return;
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		size_t room = s->cap - s->len;
		int n = vsnprintf(s->p ? s->p + s->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->oom = true;
			return;
		}
		if ((size_t)n < room) {
			s->len += (size_t)n;
			return;
		}
		size_t nc = s->cap ? s->cap * 2 : 4096;
		while (nc - s->len <= (size_t)n)
			nc *= 2;
		char *p = realloc(s->p, nc);
		if (!p) {
			s->oom = true;
			return;
		}
		s->p = p;
		s->cap = nc;
	}
}

/* ---- Settings ----------------------------------------------------------- */

void scn_settings_apply(const struct scn_settings *st, struct sim_config *c)
{
	if (st->mask & SCN_SET_ELECTION) {
		c->election_us_min = st->election_us_min;
		c->election_us_max = st->election_us_max;
	}
	if (st->mask & SCN_SET_HEARTBEAT)
		c->heartbeat_us = st->heartbeat_us;
	if (st->mask & SCN_SET_LATENCY) {
		c->latency_us_min = st->latency_us_min;
		c->latency_us_max = st->latency_us_max;
	}
	if (st->mask & SCN_SET_DISK)
		c->disk_us = st->disk_us;
	if (st->mask & SCN_SET_DROP)
		c->drop_ppm = st->drop_ppm;
	if (st->mask & SCN_SET_DUPLICATE)
		c->dup_ppm = st->dup_ppm;
	if (st->mask & SCN_SET_RETRY)
		c->client_retry_us = st->retry_us;
	if (st->mask & SCN_SET_READS)
		c->reads = st->reads;
	if (st->mask & SCN_SET_DRIFT)
		c->drift_pct = st->drift_pct;
	if (st->mask & SCN_SET_SNAPSHOT)
		c->snapshot_threshold = st->snapshot_threshold;
	if (st->mask & SCN_SET_TRAILING)
		c->snapshot_trailing = st->snapshot_trailing;
	if (st->mask & SCN_SET_MAX_EVENTS)
		c->max_events = st->max_events;
	if (st->mask & SCN_SET_MAX_MEMORY)
		c->max_memory_bytes = st->max_memory_bytes;
	if (st->mask & SCN_SET_BATCH)
		c->entries_per_msg_max = st->batch;
	if (st->mask & SCN_SET_TORN)
		c->torn_writes = st->torn;
	if (st->mask & SCN_SET_SLOW)
		c->slow_ppm = st->slow_ppm;
	if (st->mask & SCN_SET_SLOW_LATENCY) {
		c->slow_us_min = st->slow_us_min;
		c->slow_us_max = st->slow_us_max;
	}
	if (st->mask & SCN_SET_PREVOTE)
		c->prevote = st->prevote;
	if (st->mask & SCN_SET_CHECKQUORUM)
		c->checkquorum = st->checkquorum;
}

void scn_settings_from_config(const struct sim_config *c, struct scn_settings *st)
{
	memset(st, 0, sizeof *st);
	st->mask = SCN_SET_ELECTION | SCN_SET_HEARTBEAT | SCN_SET_LATENCY | SCN_SET_DISK |
	           SCN_SET_DROP | SCN_SET_DUPLICATE | SCN_SET_RETRY;
	st->election_us_min = c->election_us_min;
	st->election_us_max = c->election_us_max;
	st->heartbeat_us = c->heartbeat_us;
	st->latency_us_min = c->latency_us_min;
	st->latency_us_max = c->latency_us_max;
	st->disk_us = c->disk_us;
	st->drop_ppm = c->drop_ppm;
	st->dup_ppm = c->dup_ppm;
	st->retry_us = c->client_retry_us;
	/* Compaction only when it is on, so a saved session without it reads
	 * as before (a script starts with it off). */
	if (c->snapshot_threshold || c->snapshot_trailing) {
		st->mask |= SCN_SET_SNAPSHOT | SCN_SET_TRAILING;
		st->snapshot_threshold = c->snapshot_threshold;
		st->snapshot_trailing = c->snapshot_trailing;
	}
	/* PreVote and CheckQuorum only when on, likewise. */
	if (c->prevote) {
		st->mask |= SCN_SET_PREVOTE;
		st->prevote = true;
	}
	if (c->checkquorum) {
		st->mask |= SCN_SET_CHECKQUORUM;
		st->checkquorum = true;
	}
	/* Budgets only when they differ from the defaults, likewise. */
	if (c->max_events != SIM_MAX_EVENTS_DEFAULT) {
		st->mask |= SCN_SET_MAX_EVENTS;
		st->max_events = c->max_events;
	}
	if (c->max_memory_bytes != SIM_MAX_MEMORY_DEFAULT) {
		st->mask |= SCN_SET_MAX_MEMORY;
		st->max_memory_bytes = c->max_memory_bytes;
	}
	/* The message cap and torn writes likewise, only when not defaults. */
	struct sim_config d;
	sim_config_default(&d);
	if (c->entries_per_msg_max != d.entries_per_msg_max) {
		st->mask |= SCN_SET_BATCH;
		st->batch = c->entries_per_msg_max;
	}
	if (c->torn_writes) {
		st->mask |= SCN_SET_TORN;
		st->torn = true;
	}
	if (c->reads != d.reads) {
		st->mask |= SCN_SET_READS;
		st->reads = c->reads;
	}
	if (c->drift_pct != d.drift_pct) {
		st->mask |= SCN_SET_DRIFT;
		st->drift_pct = c->drift_pct;
	}
	if (c->slow_ppm) {
		st->mask |= SCN_SET_SLOW;
		st->slow_ppm = c->slow_ppm;
	}
	if (c->slow_us_min != d.slow_us_min || c->slow_us_max != d.slow_us_max) {
		st->mask |= SCN_SET_SLOW_LATENCY;
		st->slow_us_min = c->slow_us_min;
		st->slow_us_max = c->slow_us_max;
	}
}

/* ---- Canonical text ----------------------------------------------------- */

size_t scn_duration_format(int64_t us, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	if (us != 0 && us % 1000000 == 0)
		scn_appendf(buf, cap, &len, "%" PRId64 "s", us / 1000000);
	else if (us != 0 && us % 1000 == 0)
		scn_appendf(buf, cap, &len, "%" PRId64 "ms", us / 1000);
	else if (us == 0)
		scn_appendf(buf, cap, &len, "0ms");
	else
		scn_appendf(buf, cap, &len, "%" PRId64 "us", us);
	return len;
}

static void scn_add_duration(char *buf, size_t cap, size_t *len, int64_t us)
{
	char d[32];
	scn_duration_format(us, d, sizeof d);
	scn_appendf(buf, cap, len, "%s", d);
}

/* "A..B" with one unit when both share it, else both spelled out. */
static void scn_add_range(char *buf, size_t cap, size_t *len, int64_t lo, int64_t hi)
{
	if (lo == hi) {
		scn_add_duration(buf, cap, len, lo);
		return;
	}
	int64_t unit = (lo % 1000000 == 0 && hi % 1000000 == 0) ? 1000000
	               : (lo % 1000 == 0 && hi % 1000 == 0)     ? 1000
	                                                        : 1;
	const char *u = unit == 1000000 ? "s" : unit == 1000 ? "ms" : "us";
	scn_appendf(buf, cap, len, "%" PRId64 "..%" PRId64 "%s", lo / unit, hi / unit, u);
}

static void scn_add_percent(char *buf, size_t cap, size_t *len, uint32_t ppm)
{
	unsigned whole = ppm / 10000, frac = ppm % 10000;
	if (frac == 0) {
		scn_appendf(buf, cap, len, "%u%%", whole);
		return;
	}
	char f[8];
	snprintf(f, sizeof f, "%04u", frac);
	size_t n = strlen(f);
	while (n > 0 && f[n - 1] == '0')
		f[--n] = '\0';
	scn_appendf(buf, cap, len, "%u.%s%%", whole, f);
}

size_t scn_percent_format(uint32_t ppm, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	scn_add_percent(buf, cap, &len, ppm);
	return len;
}

static void scn_add_node(char *buf, size_t cap, size_t *len, uint8_t node)
{
	if (node == SCN_LEADER)
		scn_appendf(buf, cap, len, "leader");
	else
		scn_appendf(buf, cap, len, "n%u", node);
}

static void scn_add_set(char *buf, size_t cap, size_t *len, const struct scn_nodeset *s)
{
	const char *sep = "";
	scn_appendf(buf, cap, len, "{");
	if (s->leader) {
		scn_appendf(buf, cap, len, "leader");
		sep = " ";
	}
	for (unsigned i = 1; i < 256; i++)
		if (scn_set_has(s, i)) {
			scn_appendf(buf, cap, len, "%sn%u", sep, i);
			sep = " ";
		}
	scn_appendf(buf, cap, len, "}");
}

static void scn_add_string(char *buf, size_t cap, size_t *len, const char *s)
{
	scn_appendf(buf, cap, len, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			scn_appendf(buf, cap, len, "\\%c", *s);
		else
			scn_appendf(buf, cap, len, "%c", *s);
	}
	scn_appendf(buf, cap, len, "\"");
}

static const char *const scn_op_text[] = {"==", "!=", ">=", "<=", ">", "<"};

/* The rows' formatters (conds.c): the condition after any `not`. */

void scn_cond_format_leader(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                            size_t cap, size_t *len)
{
	(void)d;
	if (c->kind == SCN_C_LEADER_IS) {
		scn_appendf(buf, cap, len, "leader %s ", scn_op_text[c->op]);
		scn_add_node(buf, cap, len, c->node);
	} else if (c->kind == SCN_C_LEADER_IN) {
		scn_appendf(buf, cap, len, "leader in ");
		scn_add_set(buf, cap, len, &c->set);
	} else {
		scn_appendf(buf, cap, len, "leader");
	}
}

void scn_cond_format_members(const struct scn_cond_desc *d, const struct scn_cond *c,
                             char *buf, size_t cap, size_t *len)
{
	(void)d;
	scn_appendf(buf, cap, len, "members %s ", scn_op_text[c->op]);
	scn_add_set(buf, cap, len, &c->set);
}

void scn_cond_format_count(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                           size_t cap, size_t *len)
{
	(void)d;
	scn_appendf(buf, cap, len, "%s %s %" PRIu64, raft_role_desc(c->role)->plural,
	            scn_op_text[c->op], c->k);
}

void scn_cond_format_role(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                          size_t cap, size_t *len)
{
	(void)d;
	scn_appendf(buf, cap, len, "role ");
	scn_add_node(buf, cap, len, c->node);
	scn_appendf(buf, cap, len, " %s %s", scn_op_text[c->op], raft_role_name(c->role));
}

/* WORD NODE */
void scn_cond_format_node(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                          size_t cap, size_t *len)
{
	scn_appendf(buf, cap, len, "%s ", d->name);
	scn_add_node(buf, cap, len, c->node);
}

/* WORD NODE OP K */
void scn_cond_format_node_op_k(const struct scn_cond_desc *d, const struct scn_cond *c,
                               char *buf, size_t cap, size_t *len)
{
	scn_appendf(buf, cap, len, "%s ", d->name);
	scn_add_node(buf, cap, len, c->node);
	scn_appendf(buf, cap, len, " %s %" PRIu64, scn_op_text[c->op], c->k);
}

/* WORD OP K */
void scn_cond_format_op_k(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                          size_t cap, size_t *len)
{
	scn_appendf(buf, cap, len, "%s %s %" PRIu64, d->name, scn_op_text[c->op], c->k);
}

/* WORD KEY=VALUE on WHERE */
void scn_cond_format_kv_on(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                           size_t cap, size_t *len)
{
	scn_appendf(buf, cap, len, "%s %.*s on ", d->name, (int)c->kv_len, c->kv);
	if (c->where == SCN_ON_ALL)
		scn_appendf(buf, cap, len, "all");
	else if (c->where == SCN_ON_MAJORITY)
		scn_appendf(buf, cap, len, "majority");
	else if (c->where == SCN_ON_ANY)
		scn_appendf(buf, cap, len, "any");
	else
		scn_add_set(buf, cap, len, &c->set);
}

void scn_cond_format_value(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                           size_t cap, size_t *len)
{
	(void)d;
	scn_appendf(buf, cap, len, "value ");
	scn_add_node(buf, cap, len, c->node);
	scn_appendf(buf, cap, len, " %.*s %s %.*s", (int)c->key_len, c->kv, scn_op_text[c->op],
	            (int)(c->kv_len - c->key_len - 1), c->kv + c->key_len + 1);
}

void scn_cond_format_got(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
                         size_t cap, size_t *len)
{
	(void)d;
	scn_appendf(buf, cap, len, "got %.*s %s %.*s", (int)c->key_len, c->kv, scn_op_text[c->op],
	            (int)(c->kv_len - c->key_len - 1), c->kv + c->key_len + 1);
}

/* [not ]CONDITION, or the one word that spells its negation (no-leader). */
static void scn_add_cond(char *buf, size_t cap, size_t *len, const struct scn_cond *c)
{
	const struct scn_cond_desc *neg = c->negate ? scn_cond_desc_negated(c->kind) : NULL;
	if (neg) {
		scn_appendf(buf, cap, len, "%s", neg->name);
		return;
	}
	if (c->negate)
		scn_appendf(buf, cap, len, "not ");
	const struct scn_cond_desc *d = scn_cond_desc_of(c->kind);
	if (d->format)
		d->format(d, c, buf, cap, len);
	else
		scn_appendf(buf, cap, len, "%s", d->name);
}

size_t scn_cond_format(const struct scn_cond *c, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	scn_add_cond(buf, cap, &len, c);
	return len;
}

static void scn_add_settings(char *buf, size_t cap, size_t *len, const struct scn_settings *st)
{
	if (st->mask & SCN_SET_ELECTION) {
		scn_appendf(buf, cap, len, " election=");
		scn_add_range(buf, cap, len, st->election_us_min, st->election_us_max);
	}
	if (st->mask & SCN_SET_HEARTBEAT) {
		scn_appendf(buf, cap, len, " heartbeat=");
		scn_add_duration(buf, cap, len, st->heartbeat_us);
	}
	if (st->mask & SCN_SET_LATENCY) {
		scn_appendf(buf, cap, len, " latency=");
		scn_add_range(buf, cap, len, st->latency_us_min, st->latency_us_max);
	}
	if (st->mask & SCN_SET_DISK) {
		scn_appendf(buf, cap, len, " disk=");
		scn_add_duration(buf, cap, len, st->disk_us);
	}
	if (st->mask & SCN_SET_DROP) {
		scn_appendf(buf, cap, len, " drop=");
		scn_add_percent(buf, cap, len, st->drop_ppm);
	}
	if (st->mask & SCN_SET_DUPLICATE) {
		scn_appendf(buf, cap, len, " duplicate=");
		scn_add_percent(buf, cap, len, st->dup_ppm);
	}
	if (st->mask & SCN_SET_RETRY) {
		scn_appendf(buf, cap, len, " retry=");
		scn_add_duration(buf, cap, len, st->retry_us);
	}
	if (st->mask & SCN_SET_SNAPSHOT)
		scn_appendf(buf, cap, len, " snapshot=%u", st->snapshot_threshold);
	if (st->mask & SCN_SET_TRAILING)
		scn_appendf(buf, cap, len, " trailing=%u", st->snapshot_trailing);
	if (st->mask & SCN_SET_MAX_EVENTS)
		scn_appendf(buf, cap, len, " max_events=%llu", (unsigned long long)st->max_events);
	if (st->mask & SCN_SET_PREVOTE)
		scn_appendf(buf, cap, len, " prevote=%s", st->prevote ? "on" : "off");
	if (st->mask & SCN_SET_CHECKQUORUM)
		scn_appendf(buf, cap, len, " checkquorum=%s", st->checkquorum ? "on" : "off");
	if (st->mask & SCN_SET_MAX_MEMORY) {
		char z[32];
		scn_size_format(st->max_memory_bytes, z, sizeof z);
		scn_appendf(buf, cap, len, " max_memory=%s", z);
	}
	if (st->mask & SCN_SET_BATCH)
		scn_appendf(buf, cap, len, " batch=%u", st->batch);
	if (st->mask & SCN_SET_TORN)
		scn_appendf(buf, cap, len, " torn=%s", st->torn ? "on" : "off");
	if (st->mask & SCN_SET_SLOW) {
		scn_appendf(buf, cap, len, " slow=");
		scn_add_percent(buf, cap, len, st->slow_ppm);
	}
	if (st->mask & SCN_SET_SLOW_LATENCY) {
		scn_appendf(buf, cap, len, " slow_latency=");
		scn_add_range(buf, cap, len, st->slow_us_min, st->slow_us_max);
	}
	if (st->mask & SCN_SET_READS)
		scn_appendf(buf, cap, len, " reads=%s",
		            st->reads == SIM_READS_LOCAL   ? "local"
		            : st->reads == SIM_READS_LOG   ? "log"
		            : st->reads == SIM_READS_LEASE ? "lease"
		                                           : "readindex");
	if (st->mask & SCN_SET_DRIFT)
		scn_appendf(buf, cap, len, " drift=%u%%", st->drift_pct);
	if (st->mask & SCN_SET_PACE) {
		if (st->pace_div)
			scn_appendf(buf, cap, len, " pace=1/%u", st->pace_div);
		else
			scn_appendf(buf, cap, len, " pace=auto");
	}
}

size_t scn_cmd_format(const struct scn_cmd *c, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	switch (c->kind) {
	case SCN_CMD_TITLE:
		scn_appendf(buf, cap, &len, "title ");
		scn_add_string(buf, cap, &len, c->str ? c->str : "");
		break;
	case SCN_CMD_CLUSTER:
		/* The cluster line lives in the script, not in the command. */
		scn_appendf(buf, cap, &len, "cluster");
		break;
	case SCN_CMD_SET:
		scn_appendf(buf, cap, &len, "set");
		scn_add_settings(buf, cap, &len, &c->set);
		break;
	case SCN_CMD_SAY:
		scn_appendf(buf, cap, &len, "say ");
		scn_add_string(buf, cap, &len, c->str ? c->str : "");
		break;
	case SCN_CMD_PAUSE:
		scn_appendf(buf, cap, &len, "pause");
		break;
	case SCN_CMD_RUN:
		scn_appendf(buf, cap, &len, "run ");
		scn_add_duration(buf, cap, &len, c->us);
		break;
	case SCN_CMD_RUN_UNTIL:
		scn_appendf(buf, cap, &len, "run until ");
		scn_add_cond(buf, cap, &len, &c->cond);
		scn_appendf(buf, cap, &len, " within ");
		scn_add_duration(buf, cap, &len, c->us);
		break;
	case SCN_CMD_STEP:
		scn_appendf(buf, cap, &len, "step %" PRIu64, c->count);
		break;
	case SCN_CMD_RUN_BETWEEN:
		scn_appendf(buf, cap, &len, "run between ");
		scn_add_duration(buf, cap, &len, c->us);
		scn_appendf(buf, cap, &len, " and ");
		scn_add_duration(buf, cap, &len, c->us_max);
		break;
	case SCN_CMD_MARK:
		scn_appendf(buf, cap, &len, "mark %s", c->name);
		break;
	case SCN_CMD_MEASURE:
		scn_appendf(buf, cap, &len, "measure %s", c->name);
		if (c->since[0])
			scn_appendf(buf, cap, &len, " since %s", c->since);
		scn_appendf(buf, cap, &len, " until ");
		scn_add_cond(buf, cap, &len, &c->cond);
		scn_appendf(buf, cap, &len, " within ");
		scn_add_duration(buf, cap, &len, c->us);
		break;
	case SCN_CMD_EXPECT:
		scn_appendf(buf, cap, &len, "expect ");
		scn_add_cond(buf, cap, &len, &c->cond);
		break;
	case SCN_CMD_CRASH:
	case SCN_CMD_RESTART:
	case SCN_CMD_TIMEOUT:
	case SCN_CMD_ISOLATE:
		if (c->kind == SCN_CMD_TIMEOUT && c->followers) {
			scn_appendf(buf, cap, &len, "timeout followers");
			break;
		}
		if (c->kind == SCN_CMD_TIMEOUT && c->n_groups) {
			scn_appendf(buf, cap, &len, "timeout ");
			scn_add_set(buf, cap, &len, &c->groups[0]);
			break;
		}
		scn_appendf(buf, cap, &len, "%s ",
		            c->kind == SCN_CMD_CRASH     ? "crash"
		            : c->kind == SCN_CMD_RESTART ? "restart"
		            : c->kind == SCN_CMD_TIMEOUT ? "timeout"
		                                         : "isolate");
		scn_add_node(buf, cap, &len, c->a);
		break;
	case SCN_CMD_PARTITION:
		scn_appendf(buf, cap, &len, "partition");
		for (size_t i = 0; i < c->n_groups; i++) {
			scn_appendf(buf, cap, &len, " ");
			scn_add_set(buf, cap, &len, &c->groups[i]);
		}
		break;
	case SCN_CMD_HEAL:
		scn_appendf(buf, cap, &len, "heal");
		break;
	case SCN_CMD_MSG_DROP:
	case SCN_CMD_MSG_DUPLICATE:
	case SCN_CMD_MSG_DELAY:
	case SCN_CMD_MSG_HURRY:
	case SCN_CMD_DELIVER_NEXT:
		scn_appendf(buf, cap, &len, "%s msg %" PRIu64,
		            c->kind == SCN_CMD_MSG_DROP        ? "drop"
		            : c->kind == SCN_CMD_MSG_DUPLICATE ? "duplicate"
		            : c->kind == SCN_CMD_MSG_DELAY     ? "delay"
		            : c->kind == SCN_CMD_MSG_HURRY     ? "hurry"
		                                               : "deliver next",
		            c->count);
		if (c->kind == SCN_CMD_MSG_DELAY || c->kind == SCN_CMD_MSG_HURRY) {
			scn_appendf(buf, cap, &len, " by ");
			scn_add_duration(buf, cap, &len, c->us);
		}
		break;
	case SCN_CMD_FIRE_TIMER:
		scn_appendf(buf, cap, &len, "fire next timer ");
		scn_add_node(buf, cap, &len, c->a);
		break;
	case SCN_CMD_TRANSFER:
		scn_appendf(buf, cap, &len, "transfer ");
		scn_add_node(buf, cap, &len, c->a);
		break;
	case SCN_CMD_SKEW:
		scn_appendf(buf, cap, &len, "skew ");
		scn_add_node(buf, cap, &len, c->a);
		if (c->us) {
			scn_appendf(buf, cap, &len, " %c", c->us < 0 ? '-' : '+');
			scn_add_duration(buf, cap, &len, c->us < 0 ? -c->us : c->us);
		}
		if (c->count) {
			unsigned frac = (unsigned)(c->count % SIM_PPM), digits = 6;
			while (frac && frac % 10 == 0) {
				frac /= 10;
				digits--;
			}
			scn_appendf(buf, cap, &len, " rate=%u", (unsigned)(c->count / SIM_PPM));
			if (frac)
				scn_appendf(buf, cap, &len, ".%0*u", (int)digits, frac);
		}
		break;
	case SCN_CMD_ADD:
	case SCN_CMD_REMOVE:
		scn_appendf(buf, cap, &len, c->kind == SCN_CMD_ADD ? "add " : "remove ");
		scn_add_node(buf, cap, &len, c->a);
		break;
	case SCN_CMD_CUT:
	case SCN_CMD_MEND:
		scn_appendf(buf, cap, &len, "%s ", c->kind == SCN_CMD_CUT ? "cut" : "mend");
		scn_add_node(buf, cap, &len, c->a);
		scn_appendf(buf, cap, &len, "%s", c->both ? "<->" : "->");
		scn_add_node(buf, cap, &len, c->b);
		break;
	case SCN_CMD_PUT:
	case SCN_CMD_PUTMANY:
		if (c->kind == SCN_CMD_PUT)
			scn_appendf(buf, cap, &len, "client put %.*s", (int)c->kv_len, c->kv);
		else
			scn_appendf(buf, cap, &len, "client putmany %" PRIu64 " %.*s", c->count,
			            (int)c->kv_len, c->kv);
		if (c->has_to) {
			scn_appendf(buf, cap, &len, " to ");
			scn_add_node(buf, cap, &len, c->a);
		}
		break;
	case SCN_CMD_GET:
		scn_appendf(buf, cap, &len, "client get %.*s", (int)c->kv_len, c->kv);
		if (c->has_to) {
			scn_appendf(buf, cap, &len, " to ");
			scn_add_node(buf, cap, &len, c->a);
		}
		break;
	}
	return len;
}
