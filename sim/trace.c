/* trace.c - the trace formats (text for people, jsonl for tools) and the
 * plain-language captions a teacher's screen shows. */
#include "sim_internal.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A bounded string builder: never overflows, always NUL-terminated. */
struct sb {
	char *buf;
	size_t cap, len;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void sb_add(struct sb *b, const char *fmt, ...)
{
	if (b->len + 1 >= b->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void sb_json_str(struct sb *b, const char *s, size_t n)
{
	sb_add(b, "\"");
	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_add(b, "\\%c", c);
		else if (c < 0x20)
			sb_add(b, "\\u%04x", c);
		else
			sb_add(b, "%c", c);
	}
	sb_add(b, "\"");
}

static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

size_t sim_format_time(int64_t us, char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "[%5lld.%03lldms]", (long long)(us / 1000),
	                 (long long)(us % 1000));
	return n < 0 ? 0 : (size_t)n;
}

static const char *msg_short_name(const struct raft_msg *m)
{
	const struct raft_msg_desc *d = raft_msg_desc(m->type);
	return d ? d->short_name : "?";
}

/* A clock rate in parts per million as a decimal: 1050000 -> "1.05". */
static void sb_rate(struct sb *b, uint32_t ppm)
{
	unsigned frac = ppm % SIM_PPM, digits = 6;
	while (frac && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (frac)
		sb_add(b, "%u.%0*u", ppm / SIM_PPM, (int)digits, frac);
	else
		sb_add(b, "%u", ppm / SIM_PPM);
}

/* "voters n1,n2,n3 learners n4": a configuration entry's members. */
static void sb_conf(struct sb *b, const struct raft_entry *e)
{
	uint8_t v[RAFT_CONF_MEMBERS_MAX], l[RAFT_CONF_MEMBERS_MAX];
	unsigned nv = 0, nl = 0;
	if (raft_entry_conf(e, v, &nv, l, &nl) != RAFT_OK) {
		sb_add(b, "config ?");
		return;
	}
	sb_add(b, "config voters ");
	for (unsigned i = 0; i < nv; i++)
		sb_add(b, "%sn%u", i ? "," : "", v[i]);
	for (unsigned i = 0; i < nl; i++)
		sb_add(b, "%sn%u", i ? "," : " learners ", l[i]);
}

static void sb_entry(struct sb *b, const struct raft_entry *e)
{
	if (e && e->type == RAFT_ENTRY_CONFIG)
		sb_conf(b, e);
	else if (e && e->type == RAFT_ENTRY_NOOP)
		sb_add(b, "no-op");
	else if (e)
		sb_add(b, "%.*s", (int)e->len, e->cmd);
}

/* An entry's command as a JSON string (a configuration: its members). */
static void sb_json_cmd(struct sb *b, const struct raft_entry *e)
{
	if (e->type != RAFT_ENTRY_CONFIG) {
		sb_json_str(b, e->cmd, e->len);
		return;
	}
	char text[RAFT_CONF_MEMBERS_MAX * 5 + 32];
	struct sb c = {text, sizeof text, 0};
	text[0] = '\0';
	sb_conf(&c, e);
	sb_json_str(b, text, c.len);
}

/* "RequestVote(term 2, last 0/0)" and friends. */
static void sb_msg(struct sb *b, const struct raft_msg *m)
{
	sb_add(b, "%s(term %llu, ", msg_short_name(m), ull(m->term));
	switch ((enum raft_msg_type)m->type) { /* every type (no default) */
	case RAFT_MSG_VOTE:
	case RAFT_MSG_PREVOTE:
		sb_add(b, "last %llu/%llu%s)", ull(m->index), ull(m->log_term),
		       m->transfer ? ", transfer" : "");
		break;
	case RAFT_MSG_TIMEOUT_NOW:
		sb_add(b, "campaign now)");
		break;
	case RAFT_MSG_VOTE_REPLY:
	case RAFT_MSG_PREVOTE_REPLY:
		sb_add(b, "%s)", m->success ? "granted" : "denied");
		break;
	case RAFT_MSG_APPEND:
		sb_add(b, "prev %llu/%llu, ", ull(m->index), ull(m->log_term));
		if (m->n_entries == 0)
			sb_add(b, "heartbeat, ");
		else if (m->n_entries == 1) {
			sb_add(b, "entry %llu ", ull(m->index + 1));
			sb_entry(b, &m->entries[0]);
			sb_add(b, ", ");
		} else {
			sb_add(b, "entries %llu..%llu, ", ull(m->index + 1),
			       ull(m->index + m->n_entries));
		}
		sb_add(b, "commit %llu)", ull(m->commit));
		break;
	case RAFT_MSG_SNAPSHOT:
		sb_add(b, "last %llu/%llu, %u key%s, commit %llu)", ull(m->index), ull(m->log_term),
		       m->n_entries, m->n_entries == 1 ? "" : "s", ull(m->commit));
		break;
	case RAFT_MSG_APPEND_REPLY:
		if (m->success)
			sb_add(b, "ok, match %llu)", ull(m->commit));
		else if (m->conflict_term)
			sb_add(b, "reject, hint %llu, conflict term %llu)", ull(m->commit),
			       ull(m->conflict_term));
		else
			sb_add(b, "reject, hint %llu)", ull(m->commit));
	}
}

static void sb_votes(struct sb *b, const uint64_t *mask)
{
	bool first = true;
	for (unsigned v = 1; v <= RAFT_NODES_MAX; v++)
		if (mask[(v - 1) / 64] & (1ull << ((v - 1) % 64))) {
			sb_add(b, "%sn%u", first ? "" : ",", v);
			first = false;
		}
}

/* " id=17", and " due=218.345ms" when due: a message's identity in the
 * text trace (nothing for a record without an id). */
static void sb_msg_id(struct sb *b, const struct sim_trace *t, bool due)
{
	if (!t->msg_id)
		return;
	sb_add(b, " id=%llu", ull(t->msg_id));
	if (due)
		sb_add(b, " due=%lld.%03lldms", (long long)(t->due_us / 1000),
		       (long long)(t->due_us % 1000));
}

static void format_text(struct sb *b, const struct sim_trace *t)
{
	char ts[32];
	sim_format_time(t->time_us, ts, sizeof ts);
	sb_add(b, "%s ", ts);
	switch (t->kind) {
	case SIM_T_TIMEOUT:
		if (t->prevote)
			sb_add(b, "n%u timeout → %s term %llu", t->node, raft_role_name(RAFT_PRECANDIDATE),
			       ull(t->term));
		else
			sb_add(b, "n%u timeout → candidate term %llu", t->node, ull(t->term));
		break;
	case SIM_T_LEADER:
		sb_add(b, "n%u leader term %llu (votes ", t->node, ull(t->term));
		sb_votes(b, t->votes_mask);
		sb_add(b, ")");
		break;
	case SIM_T_FOLLOWER:
		if (t->quorum_lost)
			sb_add(b, "n%u steps down → follower term %llu (no quorum)", t->node,
			       ull(t->term));
		else if (t->removed)
			sb_add(b, "n%u steps down → follower term %llu (removed)", t->node,
			       ull(t->term));
		else if (t->success)
			sb_add(b, "n%u steps down → follower term %llu", t->node, ull(t->term));
		else
			sb_add(b, "n%u follower term %llu", t->node, ull(t->term));
		break;
	case SIM_T_SEND:
		sb_add(b, "n%u → n%u ", t->node, t->peer);
		sb_msg(b, t->msg);
		sb_msg_id(b, t, true);
		break;
	case SIM_T_DROP:
		sb_add(b, "n%u → n%u %s dropped (%s)", t->node, t->peer, msg_short_name(t->msg),
		       t->text ? t->text : "lost");
		sb_msg_id(b, t, false);
		break;
	case SIM_T_DUPLICATE:
		sb_add(b, "n%u → n%u %s duplicated", t->node, t->peer, msg_short_name(t->msg));
		sb_msg_id(b, t, true);
		if (t->copy_of)
			sb_add(b, " (copy of id=%llu)", ull(t->copy_of));
		break;
	case SIM_T_DELAY:
		sb_add(b, "n%u → n%u %s rescheduled", t->node, t->peer, msg_short_name(t->msg));
		sb_msg_id(b, t, true);
		break;
	case SIM_T_DELIVER:
		sb_add(b, "n%u → n%u %s delivered", t->node, t->peer, msg_short_name(t->msg));
		sb_msg_id(b, t, false);
		break;
	case SIM_T_COMMIT:
		if (t->first == t->index)
			sb_add(b, "n%u commit %llu (", t->node, ull(t->index));
		else
			sb_add(b, "n%u commit %llu..%llu (%s", t->node, ull(t->first), ull(t->index),
			       t->entry ? "last " : "");
		/* no entry: the commit came with a snapshot, the log no longer
		 * holds it */
		if (t->entry)
			sb_entry(b, t->entry);
		else
			sb_add(b, "in the snapshot");
		sb_add(b, ")");
		break;
	case SIM_T_CRASH:
		sb_add(b, "n%u crash", t->node);
		break;
	case SIM_T_RESTART:
		sb_add(b, "n%u restart (term %llu, log %llu)", t->node, ull(t->term), ull(t->index));
		break;
	case SIM_T_LINK:
		sb_add(b, "%s n%u %s n%u", t->success ? "mend" : "cut", t->node, t->both ? "↔" : "→",
		       t->peer);
		break;
	case SIM_T_HEAL:
		sb_add(b, "heal");
		break;
	case SIM_T_PARTITION:
		if (t->node)
			sb_add(b, "isolate n%u", t->node);
		else
			sb_add(b, "partition %s", t->text ? t->text : "");
		break;
	case SIM_T_CLIENT:
		sb_add(b, "client %s", t->text ? t->text : "");
		break;
	case SIM_T_SAY:
		sb_add(b, "say \"%s\"", t->text ? t->text : "");
		break;
	case SIM_T_SET:
		sb_add(b, "set %s", t->text ? t->text : "");
		break;
	case SIM_T_SNAPSHOT:
		if (t->success)
			sb_add(b, "n%u installs snapshot %llu/%llu from n%u", t->node, ull(t->index),
			       ull(t->term), t->peer);
		else
			sb_add(b, "n%u snapshot %llu/%llu", t->node, ull(t->index), ull(t->term));
		break;
	case SIM_T_VIOLATION:
		sb_add(b, "VIOLATION %s", t->text ? t->text : "");
		break;
	case SIM_T_CONFIG:
		if (t->node)
			sb_add(b, "n%u config %llu: %s", t->node, ull(t->index), t->text ? t->text : "");
		else
			sb_add(b, "%s n%u", t->success ? "add" : "remove", t->peer);
		break;
	case SIM_T_TRANSFER:
		if (t->success)
			sb_add(b, "n%u transfer → n%u", t->node, t->peer);
		else
			sb_add(b, "transfer → n%u refused (%s)", t->peer, t->text ? t->text : "");
		break;
	case SIM_T_TRANSFER_END:
		if (t->success)
			sb_add(b, "n%u transfer → n%u done", t->node, t->peer);
		else
			sb_add(b, "n%u transfer → n%u aborted (%s)", t->node, t->peer,
			       t->text ? t->text : "timeout");
		break;
	case SIM_T_SKEW:
		sb_add(b, "n%u skew %s%lld.%03lldms rate ", t->node, t->skew_us < 0 ? "-" : "+",
		       (long long)(llabs(t->skew_us) / 1000), (long long)(llabs(t->skew_us) % 1000));
		sb_rate(b, t->rate_ppm);
		sb_add(b, " (its clock reads %lld.%03lldms)", (long long)(t->clock_us / 1000),
		       (long long)(llabs(t->clock_us) % 1000));
		break;
	}
	sb_add(b, "\n");
}

static const char *kind_name(enum sim_trace_kind k)
{
	static const char *const names[] = {
	    [SIM_T_TIMEOUT] = "timeout",   [SIM_T_LEADER] = "leader",
	    [SIM_T_FOLLOWER] = "follower", [SIM_T_SEND] = "send",
	    [SIM_T_DROP] = "drop",         [SIM_T_DUPLICATE] = "duplicate",
	    [SIM_T_COMMIT] = "commit",     [SIM_T_CRASH] = "crash",
	    [SIM_T_RESTART] = "restart",   [SIM_T_LINK] = "link",
	    [SIM_T_HEAL] = "heal",         [SIM_T_PARTITION] = "partition",
	    [SIM_T_CLIENT] = "client",     [SIM_T_SAY] = "say",
	    [SIM_T_SET] = "set",           [SIM_T_VIOLATION] = "violation",
	    [SIM_T_SNAPSHOT] = "snapshot", [SIM_T_DELIVER] = "deliver",
	    [SIM_T_DELAY] = "delay",       [SIM_T_TRANSFER] = "transfer",
	    [SIM_T_TRANSFER_END] = "transfer_end",
	    [SIM_T_SKEW] = "skew",
	    [SIM_T_CONFIG] = "config",
	};
	return names[k];
}

/* A message's entries as [{"term":T,"cmd":"..."},...], closing its array. */
static void sb_json_entries(struct sb *b, const struct raft_msg *m)
{
	for (uint32_t k = 0; k < m->n_entries; k++) {
		sb_add(b, "%s{\"term\":%llu,\"cmd\":", k ? "," : "", ull(m->entries[k].term));
		sb_json_cmd(b, &m->entries[k]);
		sb_add(b, "}");
	}
	sb_add(b, "]");
}

static void format_json(struct sb *b, const struct sim_trace *t)
{
	sb_add(b, "{\"t_us\":%lld,\"kind\":\"%s\"", (long long)t->time_us, kind_name(t->kind));
	if (t->node)
		sb_add(b, ",\"node\":%u", t->node);
	if (t->peer)
		sb_add(b, ",\"peer\":%u", t->peer);
	switch (t->kind) {
	case SIM_T_TIMEOUT:
	case SIM_T_FOLLOWER:
		sb_add(b, ",\"term\":%llu", ull(t->term));
		if (t->kind == SIM_T_FOLLOWER)
			sb_add(b, ",\"stepped_down\":%s", t->success ? "true" : "false");
		if (t->prevote)
			sb_add(b, ",\"prevote\":true");
		if (t->quorum_lost)
			sb_add(b, ",\"quorum_lost\":true");
		if (t->removed)
			sb_add(b, ",\"removed\":true");
		break;
	case SIM_T_LEADER:
		sb_add(b, ",\"term\":%llu,\"votes\":[", ull(t->term));
		for (unsigned v = 1, first = 1; v <= RAFT_NODES_MAX; v++)
			if (t->votes_mask[(v - 1) / 64] & (1ull << ((v - 1) % 64))) {
				sb_add(b, "%s%u", first ? "" : ",", v);
				first = 0;
			}
		sb_add(b, "]");
		break;
	case SIM_T_SEND:
	case SIM_T_DROP:
	case SIM_T_DUPLICATE:
	case SIM_T_DELIVER:
	case SIM_T_DELAY: {
		const struct raft_msg *m = t->msg;
		if (t->msg_id)
			sb_add(b, ",\"id\":%llu", ull(t->msg_id));
		if (t->msg_id && (t->kind == SIM_T_SEND || t->kind == SIM_T_DUPLICATE ||
		                  t->kind == SIM_T_DELAY))
			sb_add(b, ",\"due_us\":%lld", (long long)t->due_us);
		if (t->copy_of)
			sb_add(b, ",\"copy_of\":%llu", ull(t->copy_of));
		sb_add(b, ",\"msg\":{\"type\":\"%s\",\"term\":%llu,\"success\":%s",
		       raft_msg_type_name((enum raft_msg_type)m->type), ull(m->term),
		       m->success ? "true" : "false");
		if (m->type == RAFT_MSG_VOTE || m->type == RAFT_MSG_PREVOTE)
			sb_add(b, ",\"last_index\":%llu,\"last_term\":%llu", ull(m->index),
			       ull(m->log_term));
		if (m->transfer)
			sb_add(b, ",\"transfer\":true");
		if (m->type == RAFT_MSG_APPEND) {
			sb_add(b, ",\"prev_index\":%llu,\"prev_term\":%llu,\"commit\":%llu,\"entries\":[",
			       ull(m->index), ull(m->log_term), ull(m->commit));
			sb_json_entries(b, m);
		}
		if (m->type == RAFT_MSG_SNAPSHOT) {
			sb_add(b, ",\"last_index\":%llu,\"last_term\":%llu,\"commit\":%llu,\"keys\":[",
			       ull(m->index), ull(m->log_term), ull(m->commit));
			sb_json_entries(b, m);
		}
		if (m->type == RAFT_MSG_APPEND_REPLY)
			sb_add(b, ",\"%s\":%llu,\"conflict_term\":%llu",
			       m->success ? "match" : "hint", ull(m->commit), ull(m->conflict_term));
		sb_add(b, "}");
		if (t->kind == SIM_T_DROP) {
			sb_add(b, ",\"why\":");
			sb_json_str(b, t->text ? t->text : "lost", 64);
		}
		break;
	}
	case SIM_T_COMMIT:
		sb_add(b, ",\"first\":%llu,\"index\":%llu,\"term\":%llu,\"cmd\":", ull(t->first),
		       ull(t->index), ull(t->term));
		if (t->entry)
			sb_json_cmd(b, t->entry);
		else
			sb_add(b, "null");
		break;
	case SIM_T_RESTART:
		sb_add(b, ",\"term\":%llu,\"last_index\":%llu", ull(t->term), ull(t->index));
		break;
	case SIM_T_LINK:
		sb_add(b, ",\"up\":%s,\"both\":%s", t->success ? "true" : "false",
		       t->both ? "true" : "false");
		break;
	case SIM_T_VIOLATION:
		sb_add(b, ",\"term\":%llu,\"index\":%llu", ull(t->term), ull(t->index));
		break;
	case SIM_T_SNAPSHOT:
		sb_add(b, ",\"index\":%llu,\"term\":%llu,\"installed\":%s", ull(t->index),
		       ull(t->term), t->success ? "true" : "false");
		break;
	case SIM_T_CONFIG:
		if (t->node)
			sb_add(b, ",\"index\":%llu", ull(t->index));
		else
			sb_add(b, ",\"change\":\"%s\"", t->success ? "add" : "remove");
		break;
	case SIM_T_TRANSFER:
		sb_add(b, ",\"started\":%s", t->success ? "true" : "false");
		if (!t->success) {
			sb_add(b, ",\"why\":");
			sb_json_str(b, t->text ? t->text : "", 64);
		}
		break;
	case SIM_T_TRANSFER_END:
		sb_add(b, ",\"done\":%s", t->success ? "true" : "false");
		if (!t->success) {
			sb_add(b, ",\"why\":");
			sb_json_str(b, t->text ? t->text : "timeout", 64);
		}
		break;
	case SIM_T_SKEW:
		sb_add(b, ",\"jump_us\":%lld,\"rate_ppm\":%u,\"clock_us\":%lld", (long long)t->skew_us,
		       t->rate_ppm, (long long)t->clock_us);
		break;
	default:
		break;
	}
	if (t->text && t->kind != SIM_T_DROP && t->kind != SIM_T_TRANSFER &&
	    t->kind != SIM_T_TRANSFER_END) {
		sb_add(b, ",\"text\":");
		sb_json_str(b, t->text, 4096);
	}
	sb_add(b, "}\n");
}

size_t sim_trace_format(const struct sim_trace *t, enum sim_trace_format f, char *buf,
                        size_t cap)
{
	struct sb b = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	if (f == SIM_TRACE_JSONL)
		format_json(&b, t);
	else
		format_text(&b, t);
	if (cap && b.len + 1 >= cap && b.len > 0)
		buf[b.len - 1] = '\n'; /* truncated: still one line */
	return b.len;
}

/* A node's configuration changed: t->text is "voters n1,n2[ learners n4]"
 * (sim_members_format), told without its English words. */
static void explain_config(struct sb *b, const struct sim_trace *t)
{
	const char *v = t->text ? t->text : "";
	if (!strncmp(v, "voters ", 7))
		v += 7;
	const char *l = strstr(v, " learners ");
	int vlen = l ? (int)(l - v) : (int)strlen(v);
	if (t->index && l)
		sb_add(b,
		       _("n%u now uses the configuration of entry %llu: voters %.*s, learners %s. A "
		         "configuration counts as soon as it is in the log, committed or not."),
		       t->node, ull(t->index), vlen, v, l + 10);
	else if (t->index)
		sb_add(b,
		       _("n%u now uses the configuration of entry %llu: voters %.*s. A configuration "
		         "counts as soon as it is in the log, committed or not."),
		       t->node, ull(t->index), vlen, v);
	else if (l)
		sb_add(b, _("n%u now uses the configuration voters %.*s, learners %s."), t->node, vlen,
		       v, l + 10);
	else
		sb_add(b, _("n%u now uses the configuration voters %.*s."), t->node, vlen, v);
}

size_t sim_trace_explain(const struct sim_trace *t, char *buf, size_t cap)
{
	struct sb b = {buf, cap, 0};
	if (cap)
		buf[0] = '\0';
	const struct raft_msg *m = t->msg;
	switch (t->kind) {
	case SIM_T_TIMEOUT:
		if (t->prevote)
			sb_add(&b,
			       _("n%u's election timeout fired: it becomes a pre-candidate, still in term "
			       "%llu, and asks whether the others would vote for it (PreVote)."),
			       t->node, ull(t->term));
		else if (t->success)
			sb_add(&b,
			       _("A majority would vote for n%u, so it becomes a candidate for term %llu "
			       "and asks for votes."),
			       t->node, ull(t->term));
		else
			sb_add(&b,
			       _("n%u's election timeout fired: it becomes a candidate for term %llu and asks "
			       "for votes."),
			       t->node, ull(t->term));
		break;
	case SIM_T_LEADER:
		sb_add(&b, _("n%u won a majority of votes ("), t->node);
		sb_votes(&b, t->votes_mask);
		sb_add(&b, _(") and is now the leader of term %llu; it sends heartbeats."),
		       ull(t->term));
		break;
	case SIM_T_FOLLOWER:
		if (t->quorum_lost)
			sb_add(&b,
			       _("Leader n%u has not heard from a majority within an election timeout, so "
			       "it steps down to follower in term %llu (CheckQuorum)."),
			       t->node, ull(t->term));
		else if (t->removed)
			sb_add(&b,
			       _("Leader n%u removed itself: the configuration without it is committed, "
			         "so it steps down (term %llu) and the remaining voters elect a leader."),
			       t->node, ull(t->term));
		else if (t->success)
			sb_add(&b, _("n%u saw a higher term (%llu) and steps down to follower."), t->node,
			       ull(t->term));
		else
			sb_add(&b, _("n%u learns of term %llu and follows it."), t->node, ull(t->term));
		break;
	case SIM_T_SEND:
		switch ((enum raft_msg_type)m->type) { /* every type (no default) */
		case RAFT_MSG_VOTE:
			sb_add(&b, _("n%u asks n%u to vote for it in term %llu."), t->node, t->peer,
			       ull(m->term));
			break;
		case RAFT_MSG_VOTE_REPLY:
			sb_add(&b, _("n%u %s n%u its vote for term %llu."), t->node,
			       m->success ? _("grants") : _("refuses"), t->peer, ull(m->term));
			break;
		case RAFT_MSG_PREVOTE:
			sb_add(&b,
			       _("n%u asks n%u whether it would vote for it in term %llu, without raising "
			       "its own term (PreVote)."),
			       t->node, t->peer, ull(m->term));
			break;
		case RAFT_MSG_PREVOTE_REPLY:
			if (m->success)
				sb_add(&b, _("n%u would vote for n%u in term %llu: it grants the pre-vote."),
				       t->node, t->peer, ull(m->term));
			else
				sb_add(&b,
				       _("n%u refuses n%u a pre-vote: its log is more up to date, or it "
				       "heard from a leader recently (term %llu)."),
				       t->node, t->peer, ull(m->term));
			break;
		case RAFT_MSG_TIMEOUT_NOW:
			sb_add(&b,
			       _("Leader n%u tells n%u, whose log is now up to date, to start an election "
			         "at once (TimeoutNow)."),
			       t->node, t->peer);
			break;
		case RAFT_MSG_APPEND:
			if (m->n_entries)
				sb_add(&b,
				       NG_("Leader n%u sends n%u %u new log entry.",
				           "Leader n%u sends n%u %u new log entries.", m->n_entries),
				       t->node, t->peer, m->n_entries);
			else
				sb_add(&b, _("Leader n%u sends n%u a heartbeat."), t->node, t->peer);
			break;
		case RAFT_MSG_SNAPSHOT:
			sb_add(&b,
			       _("Leader n%u no longer holds the entries n%u needs, so it sends its "
			       "snapshot (everything up to index %llu) instead."),
			       t->node, t->peer, ull(m->index));
			break;
		case RAFT_MSG_APPEND_REPLY:
			if (m->success)
				sb_add(&b, _("n%u tells leader n%u its log matches up to index %llu."),
				       t->node, t->peer, ull(m->commit));
			else
				sb_add(&b,
				       _("n%u tells leader n%u its log does not match; the leader "
				       "will retry from index %llu."),
				       t->node, t->peer, ull(m->commit));
		}
		break;
	case SIM_T_DROP:
		if (t->text && !strcmp(t->text, "restarted"))
			sb_add(&b,
			       _("A message from n%u to n%u was dropped: n%u crashed and restarted "
			         "after it was sent, and the new process never gets it."),
			       t->node, t->peer, t->peer);
		else
			sb_add(&b, _("A message from n%u to n%u was lost (%s)."), t->node, t->peer,
			       t->text ? _(t->text) : _("lost"));
		break;
	case SIM_T_DUPLICATE:
		sb_add(&b, _("The network duplicated a message from n%u to n%u."), t->node, t->peer);
		break;
	case SIM_T_DELIVER:
		sb_add(&b, _("n%u receives n%u's %s."), t->peer, t->node, msg_short_name(m));
		break;
	case SIM_T_DELAY:
		sb_add(&b, _("The %s from n%u to n%u will now arrive at %lld.%03lld ms."),
		       msg_short_name(m), t->node, t->peer, (long long)(t->due_us / 1000),
		       (long long)(t->due_us % 1000));
		break;
	case SIM_T_COMMIT:
		if (!t->entry) {
			sb_add(&b,
			       _("n%u now knows entries up to %llu are committed: they came applied, in "
			       "the leader's snapshot."),
			       t->node, ull(t->index));
			break;
		}
		sb_add(&b, _("n%u now knows entry %llu ("), t->node, ull(t->index));
		sb_entry(&b, t->entry);
		sb_add(&b, _(") is committed: stored on a majority, it is applied."));
		break;
	case SIM_T_CRASH:
		sb_add(&b, _("n%u crashed: it keeps only what it wrote to disk."), t->node);
		break;
	case SIM_T_RESTART:
		sb_add(&b,
		       NG_("n%u restarts from disk: term %llu, %llu log entry, as a follower.",
		           "n%u restarts from disk: term %llu, %llu log entries, as a follower.", t->index),
		       t->node, ull(t->term), ull(t->index));
		break;
	case SIM_T_LINK:
		if (t->both)
			sb_add(&b, _("The link between n%u and n%u is %s, both ways."), t->node, t->peer,
			       t->success ? _("mended") : _("cut"));
		else
			sb_add(&b, _("The link from n%u to n%u is %s."), t->node, t->peer,
			       t->success ? _("mended") : _("cut"));
		break;
	case SIM_T_HEAL:
		sb_add(&b, _("The network is healed: every link works again."));
		break;
	case SIM_T_PARTITION:
		if (t->node)
			sb_add(&b, _("n%u is cut off from every other node."), t->node);
		else
			sb_add(&b, _("The network splits into %s."), t->text ? t->text : _("groups"));
		break;
	case SIM_T_CLIENT:
		if (t->note_fmt) {
			/* the note in the reader's language: its format translated,
			 * its arguments as they were */
			char note[200];
			if (t->note_value)
				snprintf(note, sizeof note, _(t->note_fmt), t->note_cmd, ull(t->note_a),
				         t->note_value);
			else
				snprintf(note, sizeof note, _(t->note_fmt), t->note_cmd, ull(t->note_a),
				         ull(t->note_b));
			sb_add(&b, _("Client: %s."), note);
		} else {
			sb_add(&b, _("Client: %s."), t->text ? t->text : "");
		}
		break;
	case SIM_T_SAY:
		sb_add(&b, "%s", t->text ? t->text : "");
		break;
	case SIM_T_SET:
		sb_add(&b, _("Settings changed: %s."), t->text ? t->text : "");
		break;
	case SIM_T_SNAPSHOT:
		if (t->success)
			sb_add(&b,
			       _("n%u replaces its log with leader n%u's snapshot up to index %llu and "
			       "rebuilds its state from it."),
			       t->node, t->peer, ull(t->index));
		else
			sb_add(&b,
			       _("n%u saved its state as of index %llu in a snapshot and dropped the "
			       "log entries before it."),
			       t->node, ull(t->index));
		break;
	case SIM_T_VIOLATION:
		sb_add(&b, _("Safety violation! %s"), t->text ? t->text : "");
		break;
	case SIM_T_CONFIG:
		if (!t->node && t->success)
			sb_add(&b,
			       _("The operator asks to add n%u: the leader makes it a learner, which "
			         "receives the log without voting, and a voter once it has caught up."),
			       t->peer);
		else if (!t->node)
			sb_add(&b, _("The operator asks to remove n%u from the cluster."), t->peer);
		else
			explain_config(&b, t);
		break;
	case SIM_T_TRANSFER:
		if (t->success)
			sb_add(&b,
			       _("Leader n%u hands leadership over to n%u: it stops taking new writes, "
			         "brings n%u's log up to date, then tells it to start an election at once."),
			       t->node, t->peer, t->peer);
		else if (t->text && !strcmp(t->text, "no leader"))
			sb_add(&b, _("No leadership transfer to n%u: there is no leader to hand over."),
			       t->peer);
		else if (t->text && !strcmp(t->text, "busy"))
			sb_add(&b,
			       _("No leadership transfer to n%u: leader n%u is already handing over."),
			       t->peer, t->node);
		else if (t->text && !strcmp(t->text, "already leader"))
			sb_add(&b, _("No leadership transfer to n%u: it is the leader already."), t->peer);
		else
			sb_add(&b, _("No leadership transfer to n%u: it is not a voter."), t->peer);
		break;
	case SIM_T_TRANSFER_END:
		if (t->success)
			sb_add(&b, _("The leadership transfer is done: n%u took over from n%u."), t->peer,
			       t->node);
		else if (t->text && !strcmp(t->text, "other leader"))
			sb_add(&b,
			       _("The leadership transfer from n%u to n%u is over: another node became "
			         "leader."),
			       t->node, t->peer);
		else
			sb_add(&b,
			       _("The leadership transfer from n%u to n%u did not finish within an election "
			         "timeout: n%u gives up and takes writes again."),
			       t->node, t->peer, t->node);
		break;
	case SIM_T_SKEW:
		if (t->rate_ppm == SIM_PPM && t->skew_us == 0) {
			sb_add(&b, _("n%u's clock runs at real time again."), t->node);
			break;
		}
		if (t->rate_ppm == SIM_PPM) { /* a jump alone */
			sb_add(&b, _("n%u's clock jumps by %lld ms: its timers fire that much early or late."),
			       t->node, (long long)(t->skew_us / 1000));
			break;
		}
		if (t->skew_us != 0)
			sb_add(&b, _("n%u's clock jumps by %lld ms and runs at "), t->node,
			       (long long)(t->skew_us / 1000));
		else
			sb_add(&b, _("n%u's clock now runs at "), t->node);
		sb_rate(&b, t->rate_ppm);
		sb_add(&b, _(" times real time: its timers fire early or late."));
		break;
	}
	return b.len;
}
