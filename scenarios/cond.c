/* cond.c - evaluating conditions (expect, run until) against a sim. */
#include "scn_internal.h"
#include "i18n.h"

#include "client_history.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Every switch over an enum names every value (no default:). */
#pragma GCC diagnostic error "-Wswitch-enum"

void scn_describe_roles(const struct sim *s, char *buf, size_t cap)
{
	size_t len = 0;
	if (cap)
		buf[0] = '\0';
	uint16_t n = sim_n_nodes(s);
	for (unsigned i = 1; i <= n; i++) {
		const char *sep = i > 1 ? ", " : "";
		if (len + 32 >= cap && i < n) {
			scn_appendf(buf, cap, &len, "%s...", sep);
			return;
		}
		const struct raft_node *rn = sim_node(s, (uint8_t)i);
		if (!sim_node_up(s, (uint8_t)i))
			scn_appendf(buf, cap, &len, _("%sn%u down"), sep, i);
		else
			scn_appendf(buf, cap, &len, "%sn%u %s t%" PRIu64, sep, i,
			            raft_role_name(raft_role(rn)), raft_term(rn));
	}
}

static int scn_no_leader(const struct sim *s, char *obs, size_t cap, size_t *len)
{
	char roles[200];
	scn_describe_roles(s, roles, sizeof roles);
	scn_appendf(obs, cap, len, _("there is no stable leader: %s"), roles);
	return SCN_UNRESOLVED;
}

/* Resolves a NODE operand: SCN_LEADER becomes the stable leader. */
static int scn_resolve(const struct sim *s, uint8_t node, uint8_t *out, char *obs, size_t cap,
                       size_t *len)
{
	if (node != SCN_LEADER) {
		*out = node;
		return SCN_TRUE;
	}
	*out = sim_stable_leader(s);
	if (*out == 0)
		return scn_no_leader(s, obs, cap, len);
	return SCN_TRUE;
}

static bool scn_compare(uint64_t a, enum scn_op op, uint64_t b)
{
	switch (op) {
	case SCN_OP_EQ:
		return a == b;
	case SCN_OP_NE:
		return a != b;
	case SCN_OP_GE:
		return a >= b;
	case SCN_OP_LE:
		return a <= b;
	case SCN_OP_GT:
		return a > b;
	case SCN_OP_LT:
		return a < b;
	}
	return false;
}

static bool scn_entry_is(const struct raft_entry *e, const struct scn_cond *c)
{
	return e->len == c->kv_len && e->cmd[0] == c->kv[0] && memcmp(e->cmd, c->kv, c->kv_len) == 0;
}

/* The first index <= limit holding the condition's KEY=VALUE in the part of
 * n's log that is in memory (raft_log_first()..last; entries before it were
 * compacted into a snapshot), or 0. */
static uint64_t scn_find(const struct raft_node *n, const struct scn_cond *c, uint64_t limit,
                         uint8_t node, struct scn_find_cache *fc)
{
	uint64_t last = raft_last_index(n), first = raft_log_first(n);
	if (limit > last)
		limit = last;
	if (last < first || limit == 0)
		return 0;
	const struct raft_entry *log = raft_entry_at(n, first); /* contiguous: log[i - first] */
	if (!fc) {
		for (uint64_t i = first; i <= limit; i++)
			if (scn_entry_is(&log[i - first], c))
				return i;
		return 0;
	}
	/* forget what a rewritten log no longer holds, and a match compacted
	 * away (its term can no longer be checked); a scan position before
	 * the log in memory has no term either, so the scan restarts there */
	if (fc->found[node] && (fc->found[node] > last || fc->found[node] < first ||
	                        raft_term_at(n, fc->found[node]) != fc->found_term[node]))
		fc->found[node] = 0;
	if (fc->scanned[node] && (fc->scanned[node] > last ||
	                          raft_term_at(n, fc->scanned[node]) != fc->scanned_term[node]))
		fc->scanned[node] = fc->found[node] = 0;
	uint64_t from = fc->scanned[node] + 1 > first ? fc->scanned[node] + 1 : first;
	for (uint64_t i = from; i <= last && !fc->found[node]; i++)
		if (scn_entry_is(&log[i - first], c)) {
			fc->found[node] = i;
			fc->found_term[node] = log[i - first].term;
		}
	if (!fc->found[node]) {
		fc->scanned[node] = last;
		fc->scanned_term[node] = log[last - first].term;
	}
	return fc->found[node] && fc->found[node] <= limit ? fc->found[node] : 0;
}

/* Whether KEY=VALUE went into n's state machine: its applied map holds it
 * (up), or its snapshot does (down: the map is volatile, the snapshot
 * durable).  Either means some put KEY=VALUE was committed at or before
 * the last applied index. */
static bool scn_in_state(const struct raft_node *n, bool up, const struct scn_cond *c)
{
	const char *want = c->kv + c->key_len + 1;
	size_t wlen = (size_t)c->kv_len - c->key_len - 1;
	if (up) {
		size_t vlen = 0;
		const char *v = raft_map_get(n, c->kv, c->key_len, &vlen);
		return v && vlen == wlen && memcmp(v, want, wlen) == 0;
	}
	const struct raft_entry *e = raft_snapshot_entries(n);
	for (size_t i = 0; i < raft_snapshot_count(n); i++)
		if (scn_entry_is(&e[i], c))
			return true;
	return false;
}

/* COMMITTED / LOGGED on one node: the index where it is, or 0.  A node that
 * compacted its log no longer holds the entries before raft_log_first():
 * those are committed, and a command among them still counts when the
 * node's state machine shows it (it was not overwritten since); it is then
 * reported at raft_log_first() - 1, the last compacted index. */
static uint64_t scn_has_kv(const struct sim *s, uint8_t node, const struct scn_cond *c,
                           struct scn_find_cache *fc)
{
	const struct raft_node *n = sim_node(s, node);
	bool up = sim_node_up(s, node);
	if (c->kind == SCN_C_COMMITTED && !up)
		return 0;
	uint64_t at = scn_find(n, c, c->kind == SCN_C_COMMITTED ? raft_commit_index(n)
	                                                       : raft_last_index(n),
	                       node, fc);
	if (at == 0 && raft_log_first(n) > 1 && scn_in_state(n, up, c))
		at = raft_log_first(n) - 1;
	return at;
}

/* The nodes `all`, `majority`, `any` and acked-committed speak of: the
 * members (voters and learners) of the stable leader's configuration, so
 * that spares and removed servers, which get no entries, do not count; every
 * node while there is no stable leader.  Returns that leader's node (NULL:
 * every node counts). */
static const struct raft_node *scn_conf_of(const struct sim *s)
{
	uint8_t l = sim_stable_leader(s);
	return l ? sim_node(s, l) : NULL;
}

static bool scn_in_conf(const struct raft_node *conf, uint8_t i)
{
	return !conf || raft_is_voter(conf, i) || raft_is_learner(conf, i);
}

/* committed, logged */
int scn_cond_eval_kv(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                     size_t *len, struct scn_find_cache *fc)
{
	uint16_t n = sim_n_nodes(s);
	struct scn_nodeset want = c->set;
	if (c->where == SCN_ON_NODES && want.leader) {
		uint8_t l;
		if (scn_resolve(s, SCN_LEADER, &l, obs, cap, len) != SCN_TRUE)
			return SCN_UNRESOLVED;
		scn_set_add(&want, l);
	}
	const char *what = c->kind == SCN_C_COMMITTED ? _("committed") : _("in the log");
	const struct raft_node *conf = c->where == SCN_ON_NODES ? NULL : scn_conf_of(s);
	if (conf) {
		uint16_t members = 0;
		for (unsigned i = 1; i <= sim_n_nodes(s); i++)
			members += scn_in_conf(conf, (uint8_t)i);
		n = members;
	}
	unsigned yes = 0, no = 0, live = 0;
	bool all_wanted = true;
	size_t start = *len;
	char no_list[160];
	size_t no_len = 0;
	no_list[0] = '\0';
	scn_appendf(obs, cap, len, _("%.*s %s on"), (int)c->kv_len, c->kv, what);
	for (unsigned i = 1; i <= n; i++) {
		bool up = sim_node_up(s, (uint8_t)i);
		bool listed = c->where == SCN_ON_NODES ? scn_set_has(&want, i)
		                                       : up && scn_in_conf(conf, (uint8_t)i);
		if (up)
			live++;
		if (!listed)
			continue;
		uint64_t at = scn_has_kv(s, (uint8_t)i, c, fc);
		if (at) {
			yes++;
			scn_appendf(obs, cap, len, " n%u", i);
		} else {
			no++;
			all_wanted = false;
			const struct raft_node *rn = sim_node(s, (uint8_t)i);
			if (!up)
				scn_appendf(no_list, sizeof no_list, &no_len, _(" n%u (down)"), i);
			else if (c->kind == SCN_C_COMMITTED)
				scn_appendf(no_list, sizeof no_list, &no_len,
				            _(" n%u (commit %" PRIu64 ", log %" PRIu64 ")"), i,
				            raft_commit_index(rn), raft_last_index(rn));
			else
				scn_appendf(no_list, sizeof no_list, &no_len, _(" n%u (log %" PRIu64 ")"), i,
				            raft_last_index(rn));
		}
	}
	if (yes == 0) {
		*len = start;
		if (cap > start)
			obs[start] = '\0';
		scn_appendf(obs, cap, len, _("%.*s %s on no node"), (int)c->kv_len, c->kv, what);
	}
	if (no)
		scn_appendf(obs, cap, len, _("; not on%s"), no_list);
	switch (c->where) {
	case SCN_ON_ALL:
		if (live == 0)
			scn_appendf(obs, cap, len, _("; no node is up"));
		return live > 0 && all_wanted;
	case SCN_ON_MAJORITY:
		scn_appendf(obs, cap, len, _(" (%u of %u nodes)"), yes, (unsigned)n);
		return yes > n / 2u;
	case SCN_ON_ANY:
		return yes > 0;
	case SCN_ON_NODES:
		return all_wanted;
	}
	return SCN_FALSE;
}

/* The clients' history so far, checked for linearizability (history.h). */
int scn_cond_eval_linearizable(const struct sim *s, const struct scn_cond *c, char *obs,
                               size_t cap, size_t *len, struct scn_find_cache *fc)
{
	(void)c;
	(void)fc;
	size_t n = sim_history_len(s);
	struct sim_lin_op *ops = malloc((n ? n : 1) * sizeof *ops);
	struct sim_lin_result res;
	if (!ops || (sim_history_ops(s, ops), sim_lin_check(ops, n, NULL, &res)) != 0) {
		free(ops);
		scn_appendf(obs, cap, len, _("out of memory checking the history"));
		return false;
	}
	char text[512];
	sim_lin_format(ops, &res, text, sizeof text);
	free(ops);
	switch (res.verdict) {
	case SIM_LIN_LINEARIZABLE:
		scn_appendf(obs, cap, len, "%s", text);
		return true;
	case SIM_LIN_VIOLATION:
		scn_appendf(obs, cap, len, _("not linearizable: %s"), text);
		return false;
	case SIM_LIN_UNKNOWN:
		break;
	}
	scn_appendf(obs, cap, len, "%s", text);
	return SCN_UNRESOLVED;
}

/* What the latest get of KEY read. */
int scn_cond_eval_got(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                      size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	size_t n = sim_client_count(s);
	struct sim_client_info ci;
	size_t r = n;
	while (r-- > 0)
		if (sim_client_info(s, r, &ci) && ci.get && ci.len == c->key_len &&
		    memcmp(ci.cmd, c->kv, c->key_len) == 0)
			break;
	if (r == SIZE_MAX) {
		scn_appendf(obs, cap, len, _("no get of %.*s yet"), (int)c->key_len, c->kv);
		return SCN_FALSE;
	}
	if (ci.state != SIM_CLIENT_ACKED) {
		scn_appendf(obs, cap, len, _("the get of %.*s is not answered yet"), (int)c->key_len,
		            c->kv);
		return SCN_FALSE;
	}
	struct sim_lin_op op;
	struct sim_lin_op *ops = malloc(sim_history_len(s) * sizeof *ops);
	if (!ops) {
		scn_appendf(obs, cap, len, _("out of memory"));
		return SCN_FALSE;
	}
	sim_history_ops(s, ops);
	op = ops[r];
	free(ops);
	const char *want = c->kv + c->key_len + 1;
	size_t wlen = (size_t)c->kv_len - c->key_len - 1;
	bool none = wlen == 4 && !memcmp(want, "none", 4);
	bool eq = op.value ? op.value_len == wlen && memcmp(op.value, want, wlen) == 0 : none;
	if (op.value)
		scn_appendf(obs, cap, len, _("the get of %.*s read %.*s"), (int)c->key_len, c->kv,
		            (int)op.value_len, op.value);
	else
		scn_appendf(obs, cap, len, _("the get of %.*s read no value"), (int)c->key_len, c->kv);
	return eq == (c->op == SCN_OP_EQ);
}

/* acked-committed: every client put that was acknowledged (applied by the
 * leader that accepted it) sits, with the same term, at or below the commit
 * index of every live node. */
int scn_cond_eval_acked(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                        size_t *len, struct scn_find_cache *fc)
{
	(void)c;
	(void)fc;
	struct sim_client_info ci;
	size_t acked = 0;
	const struct raft_node *conf = scn_conf_of(s);
	for (size_t r = 0; r < sim_client_count(s); r++) {
		sim_client_info(s, r, &ci);
		if (ci.state != SIM_CLIENT_ACKED || ci.get)
			continue;
		acked++;
		for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
			const struct raft_node *n = sim_node(s, (uint8_t)i);
			if (!sim_node_up(s, (uint8_t)i) || !scn_in_conf(conf, (uint8_t)i))
				continue;
			if (raft_commit_index(n) >= ci.index && raft_term_at(n, ci.index) == ci.term)
				continue;
			/* compacted into n's snapshot: committed there, its term no
			 * longer known (the safety checker compares what was applied) */
			if (ci.index < raft_log_first(n) && raft_term_at(n, ci.index) == 0)
				continue;
			scn_appendf(obs, cap, len,
			            _("acknowledged put %.*s (index %" PRIu64 ", term %" PRIu64
			            ") is not committed on n%u (commit %" PRIu64 ")"),
			            (int)ci.len, ci.cmd, ci.index, ci.term, i, raft_commit_index(n));
			return false;
		}
	}
	scn_appendf(obs, cap, len, _("all %zu acknowledged puts are committed on every live node"),
	            acked);
	return true;
}

/* Every live node's log holds the same entries.  Where a node compacted its
 * log, only the overlap of what both nodes hold in memory is compared (from
 * the larger raft_log_first() on), plus the term just before it, which both
 * still know: the entries before it are committed, and committed entries
 * agree (that is the checker's business, not this condition's). */
int scn_cond_eval_logs_match(const struct sim *s, const struct scn_cond *c, char *obs,
                             size_t cap, size_t *len, struct scn_find_cache *fc)
{
	(void)c;
	(void)fc;
	uint16_t n = sim_n_nodes(s);
	const struct raft_node *ref = NULL;
	unsigned ref_id = 0;
	uint64_t first_max = 1;
	for (unsigned i = 1; i <= n; i++) {
		if (!sim_node_up(s, (uint8_t)i))
			continue;
		const struct raft_node *rn = sim_node(s, (uint8_t)i);
		if (raft_log_first(rn) > first_max)
			first_max = raft_log_first(rn);
		if (!ref) {
			ref = rn;
			ref_id = i;
			continue;
		}
		uint64_t a = raft_last_index(ref), b = raft_last_index(rn);
		uint64_t m = a < b ? a : b;
		uint64_t fa = raft_log_first(ref), fb = raft_log_first(rn);
		uint64_t lo = fa > fb ? fa : fb;
		if (lo > 1 && lo - 1 <= m && raft_term_at(ref, lo - 1) != raft_term_at(rn, lo - 1)) {
			scn_appendf(obs, cap, len,
			            _("n%u and n%u differ at index %" PRIu64 ": term %" PRIu64
			            " vs term %" PRIu64),
			            ref_id, i, lo - 1, raft_term_at(ref, lo - 1), raft_term_at(rn, lo - 1));
			return SCN_FALSE;
		}
		for (uint64_t k = lo; k <= m; k++) {
			const struct raft_entry *x = raft_entry_at(ref, k), *y = raft_entry_at(rn, k);
			if (x->term != y->term || x->len != y->len || memcmp(x->cmd, y->cmd, x->len) != 0) {
				scn_appendf(obs, cap, len,
				            _("n%u and n%u differ at index %" PRIu64 ": %.*s (term %" PRIu64
				            ") vs %.*s (term %" PRIu64 ")"),
				            ref_id, i, k, (int)x->len, x->cmd, x->term, (int)y->len, y->cmd,
				            y->term);
				return SCN_FALSE;
			}
		}
		if (a != b) {
			scn_appendf(obs, cap, len,
			            _("n%u has %" PRIu64 " entries, n%u has %" PRIu64), ref_id, a, i, b);
			return SCN_FALSE;
		}
	}
	if (!ref) {
		scn_appendf(obs, cap, len, _("no node is up"));
		return SCN_FALSE;
	}
	scn_appendf(obs, cap, len, _("every live node has the same %" PRIu64 " entries"),
	            raft_last_index(ref));
	if (first_max > 1)
		scn_appendf(obs, cap, len, _(" (compared from index %" PRIu64
		            " on; the ones before are in snapshots)"), first_max);
	return SCN_TRUE;
}

int scn_cond_eval_terms_agree(const struct sim *s, const struct scn_cond *c, char *obs,
                              size_t cap, size_t *len, struct scn_find_cache *fc)
{
	(void)c;
	(void)fc;
	uint16_t n = sim_n_nodes(s);
	bool have = false, agree = true;
	uint64_t t0 = 0;
	scn_appendf(obs, cap, len, _("terms"));
	for (unsigned i = 1; i <= n; i++) {
		if (!sim_node_up(s, (uint8_t)i)) {
			scn_appendf(obs, cap, len, _(" n%u=down"), i);
			continue;
		}
		uint64_t t = raft_term(sim_node(s, (uint8_t)i));
		scn_appendf(obs, cap, len, " n%u=%" PRIu64, i, t);
		if (have && t != t0)
			agree = false;
		have = true;
		t0 = t;
	}
	return have && agree;
}

int scn_cond_eval_leader(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                         size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t l = sim_stable_leader(s);
	if (l == 0) {
		scn_no_leader(s, obs, cap, len);
		return SCN_FALSE;
	}
	scn_appendf(obs, cap, len, _("leader is n%u, term %" PRIu64), l, raft_term(sim_node(s, l)));
	if (c->kind == SCN_C_LEADER)
		return SCN_TRUE;
	if (c->kind == SCN_C_LEADER_IN)
		return c->set.leader || scn_set_has(&c->set, l);
	uint8_t want = c->node == SCN_LEADER ? l : c->node;
	return c->op == SCN_OP_EQ ? l == want : l != want;
}

int scn_cond_eval_count(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                        size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	unsigned k = 0;
	const char *name = raft_role_name(c->role);
	char list[160];
	size_t ll = 0;
	list[0] = '\0';
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *x = sim_node(s, (uint8_t)i);
		if (!sim_node_up(s, (uint8_t)i) || raft_role(x) != c->role)
			continue;
		k++;
		scn_appendf(list, sizeof list, &ll, _("%sn%u (term %" PRIu64 ")"), k > 1 ? ", " : "", i,
		            raft_term(x));
	}
	scn_appendf(obs, cap, len, "%u %s%s%s%s", k, name, k == 1 ? "" : "s", k ? ": " : "", list);
	return scn_compare(k, c->op, c->k);
}

int scn_cond_eval_waiting(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                          size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	struct sim_client_info ci;
	uint64_t k = 0;
	for (size_t r = 0; r < sim_client_count(s); r++)
		k += sim_client_info(s, r, &ci) && ci.state != SIM_CLIENT_ACKED;
	scn_appendf(obs, cap, len, _("%" PRIu64 " client request%s not answered"), k,
	            k == 1 ? "" : "s");
	return scn_compare(k, c->op, c->k);
}

int scn_cond_eval_transferring(const struct sim *s, const struct scn_cond *c, char *obs,
                               size_t cap, size_t *len, struct scn_find_cache *fc)
{
	(void)c;
	(void)fc;
	bool any = false;
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		uint8_t to = sim_node_up(s, (uint8_t)i) ? raft_transfer_target(sim_node(s, (uint8_t)i)) : 0;
		if (!to)
			continue;
		scn_appendf(obs, cap, len, "%sleader n%u is handing leadership over to n%u",
		            any ? "; " : "", i, to);
		any = true;
	}
	if (!any)
		scn_appendf(obs, cap, len, "no leader is handing leadership over");
	return any;
}

static int scn_cond_node(const struct sim *s, const struct scn_cond *c, uint8_t *node, char *obs,
                         size_t cap, size_t *len);

/* The voters of the stable leader's configuration against the set (the
 * set's `leader` is the stable leader itself). */
int scn_cond_eval_members(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                          size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t l = sim_stable_leader(s);
	if (!l) {
		scn_appendf(obs, cap, len, "%s", _("no stable leader"));
		return SCN_UNRESOLVED;
	}
	const struct raft_node *r = sim_node(s, l);
	bool same = true;
	scn_appendf(obs, cap, len, _("leader n%u's voters are {"), l);
	for (unsigned i = 1, first = 1; i <= sim_n_nodes(s); i++) {
		bool voter = raft_is_voter(r, (uint8_t)i);
		bool want = scn_set_has(&c->set, i) || (c->set.leader && i == l);
		same = same && voter == want;
		if (voter) {
			scn_appendf(obs, cap, len, "%sn%u", first ? "" : " ", i);
			first = 0;
		}
	}
	scn_appendf(obs, cap, len, "}");
	return c->op == SCN_OP_EQ ? same : !same;
}

int scn_cond_eval_learner(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                          size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	if (scn_cond_node(s, c, &node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	uint8_t l = sim_stable_leader(s);
	if (!l) {
		scn_appendf(obs, cap, len, "%s", _("no stable leader"));
		return SCN_UNRESOLVED;
	}
	const struct raft_node *r = sim_node(s, l);
	bool learner = raft_is_learner(r, node);
	scn_appendf(obs, cap, len, _("n%u is %s in leader n%u's configuration"), node,
	            learner                    ? _("a learner")
	            : raft_is_voter(r, node) ? _("a voter")
	                                     : _("not a member"),
	            l);
	return learner;
}

int scn_cond_eval_sent(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                       size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint64_t sent = sim_counters(s)->msgs_sent;
	scn_appendf(obs, cap, len, _("%" PRIu64 " messages sent"), sent);
	return scn_compare(sent, c->op, c->k);
}

/* The conditions about one node: its NODE operand, resolved (the leader's
 * absence is unresolved). */
static int scn_cond_node(const struct sim *s, const struct scn_cond *c, uint8_t *node, char *obs,
                         size_t cap, size_t *len)
{
	return scn_resolve(s, c->node, node, obs, cap, len);
}

/* ... and those that need it up: a node that is down makes them false. */
static int scn_cond_live_node(const struct sim *s, const struct scn_cond *c, uint8_t *node,
                              char *obs, size_t cap, size_t *len)
{
	if (scn_cond_node(s, c, node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	if (!sim_node_up(s, *node)) {
		scn_appendf(obs, cap, len, _("n%u is down"), *node);
		return SCN_FALSE;
	}
	return SCN_TRUE;
}

int scn_cond_eval_up(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                     size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	if (scn_cond_node(s, c, &node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	bool up = sim_node_up(s, node);
	scn_appendf(obs, cap, len, _("n%u is %s"), node, up ? _("up") : _("down"));
	return up;
}

int scn_cond_eval_term(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                       size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	struct sim_durable dur;
	if (scn_cond_node(s, c, &node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	/* a crashed node: what its disk holds, which it boots from */
	sim_node_durable(s, node, &dur);
	if (!sim_node_up(s, node)) {
		scn_appendf(obs, cap, len, _("n%u is down; its disk holds term %" PRIu64), node, dur.term);
		return scn_compare(dur.term, c->op, c->k);
	}
	const struct raft_node *rn = sim_node(s, node);
	scn_appendf(obs, cap, len, _("n%u is at term %" PRIu64), node, raft_term(rn));
	return scn_compare(raft_term(rn), c->op, c->k);
}

int scn_cond_eval_log(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                      size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	struct sim_durable dur;
	if (scn_cond_node(s, c, &node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	const struct raft_node *rn = sim_node(s, node);
	bool up = sim_node_up(s, node);
	sim_node_durable(s, node, &dur);
	uint64_t last = up ? raft_last_index(rn) : dur.last_index;
	uint64_t last_term = up ? raft_last_term(rn) : dur.last_term;
	uint64_t first = up ? raft_log_first(rn) : dur.log_first;
	scn_appendf(obs, cap, len,
	            up ? _("n%u's log has %" PRIu64 " entries (last term %" PRIu64)
	               : _("n%u is down; its disk holds %" PRIu64 " entries (last term %" PRIu64),
	            node, last, last_term);
	if (first > 1)
		scn_appendf(obs, cap, len, _("; 1..%" PRIu64 " compacted"), first - 1);
	scn_appendf(obs, cap, len, ")");
	return scn_compare(last, c->op, c->k);
}

/* durable, like the log */
int scn_cond_eval_snapshot(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                           size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	struct sim_durable dur;
	if (scn_cond_node(s, c, &node, obs, cap, len) != SCN_TRUE)
		return SCN_UNRESOLVED;
	const struct raft_node *rn = sim_node(s, node);
	bool up = sim_node_up(s, node);
	sim_node_durable(s, node, &dur);
	uint64_t idx = up ? raft_snapshot_index(rn) : dur.snapshot_index;
	uint64_t term = up ? raft_snapshot_term(rn) : dur.snapshot_term;
	size_t keys = up ? raft_snapshot_count(rn) : dur.snapshot_count;
	if (idx)
		scn_appendf(obs, cap, len,
		            _("n%u's snapshot holds the log up to index %" PRIu64 " (term %" PRIu64
		            ", %zu key%s)"),
		            node, idx, term, keys, keys == 1 ? "" : "s");
	else
		scn_appendf(obs, cap, len, _("n%u has no snapshot"), node);
	return scn_compare(idx, c->op, c->k);
}

int scn_cond_eval_role(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                       size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	int r = scn_cond_live_node(s, c, &node, obs, cap, len);
	if (r != SCN_TRUE)
		return r;
	const struct raft_node *rn = sim_node(s, node);
	scn_appendf(obs, cap, len, _("n%u is %s, term %" PRIu64), node, raft_role_name(raft_role(rn)),
	            raft_term(rn));
	return (raft_role(rn) == c->role) == (c->op == SCN_OP_EQ);
}

int scn_cond_eval_commit(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                         size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	int r = scn_cond_live_node(s, c, &node, obs, cap, len);
	if (r != SCN_TRUE)
		return r;
	const struct raft_node *rn = sim_node(s, node);
	scn_appendf(obs, cap, len, _("n%u's commit index is %" PRIu64), node, raft_commit_index(rn));
	return scn_compare(raft_commit_index(rn), c->op, c->k);
}

int scn_cond_eval_votes(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                        size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	int r = scn_cond_live_node(s, c, &node, obs, cap, len);
	if (r != SCN_TRUE)
		return r;
	const struct raft_node *rn = sim_node(s, node);
	scn_appendf(obs, cap, len, _("n%u is %s with %u vote%s, term %" PRIu64), node,
	            raft_role_name(raft_role(rn)), raft_votes(rn), raft_votes(rn) == 1 ? "" : "s",
	            raft_term(rn));
	return scn_compare(raft_votes(rn), c->op, c->k);
}

int scn_cond_eval_value(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                        size_t *len, struct scn_find_cache *fc)
{
	(void)fc;
	uint8_t node;
	int r = scn_cond_live_node(s, c, &node, obs, cap, len);
	if (r != SCN_TRUE)
		return r;
	const struct raft_node *rn = sim_node(s, node);
	size_t vlen = 0;
	const char *v = raft_map_get(rn, c->kv, c->key_len, &vlen);
	const char *want = c->kv + c->key_len + 1;
	size_t wlen = (size_t)c->kv_len - c->key_len - 1;
	if (!v)
		scn_appendf(obs, cap, len, _("n%u has no %.*s"), node, (int)c->key_len, c->kv);
	else
		scn_appendf(obs, cap, len, _("n%u has %.*s=%.*s"), node, (int)c->key_len, c->kv, (int)vlen,
		            v);
	bool eq = v && vlen == wlen && memcmp(v, want, wlen) == 0;
	return eq == (c->op == SCN_OP_EQ);
}

bool scn_cond_eval_cached(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                          struct scn_find_cache *fc)
{
	size_t len = 0;
	if (cap)
		obs[0] = '\0';
	int r = scn_cond_desc_of(c->kind)->eval(s, c, obs, cap, &len, fc);
	if (r == SCN_UNRESOLVED)
		return false;
	return (r == SCN_TRUE) != c->negate;
}

bool scn_cond_eval(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap)
{
	return scn_cond_eval_cached(s, c, obs, cap, NULL);
}
