/* members.c - the operator's membership changes (add, remove a server), handed to whoever leads until done, and the trace of each node's configuration. */
#include "sim_internal.h"

#include <stdio.h>
#include <string.h>

enum { WANT_NONE = 0, WANT_ADD = 1, WANT_REMOVE = 2 };

/* The live leader of the highest term (0: none). */
static uint8_t leader(const struct sim *s)
{
	uint8_t best = 0;
	uint64_t term = 0;
	for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
		const struct sim_nodestate *ns = &s->nodes[i];
		if (ns->up && raft_role(ns->raft) == RAFT_LEADER && raft_term(ns->raft) >= term) {
			best = (uint8_t)i;
			term = raft_term(ns->raft);
		}
	}
	return best;
}

bool sim_member_votes(const struct sim *s, uint8_t l, uint8_t i)
{
	return raft_is_voter(s->nodes[l].raft, i);
}

static int member_ask(struct sim *s, uint8_t node, uint8_t want)
{
	if (!sim_valid_node(s, node))
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	/* judged against the configuration the leader (else the node
	 * itself) has in force */
	uint8_t l = leader(s);
	const struct raft_node *r = s->nodes[l ? l : node].raft;
	bool member = raft_is_voter(r, node) || raft_is_learner(r, node);
	if (want == WANT_ADD && member && s->member_want[node] != WANT_REMOVE)
		return SIM_EINVAL;
	if (want == WANT_REMOVE && !member && s->member_want[node] != WANT_ADD)
		return SIM_EINVAL;
	if (want == WANT_REMOVE && raft_is_voter(r, node)) {
		unsigned voters = 0;
		for (uint16_t i = 1; i <= s->cfg.nodes; i++)
			voters += raft_is_voter(r, (uint8_t)i);
		if (voters == 1)
			return SIM_EINVAL;
	}
	if (s->member_want[node] == WANT_NONE)
		s->member_pending++;
	s->member_want[node] = want;
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_CONFIG, .peer = node, .success = want == WANT_ADD};
		sim_emit(s, &t);
	}
	sim_members_drive(s);
	return SIM_OK;
}

int sim_member_add(struct sim *s, uint8_t node) { return member_ask(s, node, WANT_ADD); }
int sim_member_remove(struct sim *s, uint8_t node) { return member_ask(s, node, WANT_REMOVE); }

int sim_member_pending(const struct sim *s, uint8_t node)
{
	return sim_valid_node(s, node) ? s->member_want[node] : 0;
}

/* Node l was proposed to: it flushes before the next event. */
static void mark_dirty(struct sim *s, uint8_t l)
{
	for (uint16_t k = 0; k < s->n_dirty; k++)
		if (s->dirty[k] == l)
			return;
	s->dirty[s->n_dirty++] = l;
}

static void done(struct sim *s, uint8_t node)
{
	s->member_want[node] = WANT_NONE;
	s->member_pending--;
}

/* Called after every event while a change is pending: at most one
 * proposal per call (the leader takes one change at a time anyway). */
void sim_members_drive(struct sim *s)
{
	uint8_t l = leader(s);
	if (l == 0 || s->stopped)
		return;
	struct raft_node *r = s->nodes[l].raft;
	bool busy = raft_change_pending(r);
	for (uint16_t i = 1; i <= s->cfg.nodes; i++) {
		uint8_t node = (uint8_t)i, want = s->member_want[i];
		if (want == WANT_NONE)
			continue;
		bool voter = raft_is_voter(r, node), learner = raft_is_learner(r, node);
		enum raft_change ch;
		/* done once the leader's configuration says so, committed */
		if ((want == WANT_ADD && voter) || (want == WANT_REMOVE && !voter && !learner)) {
			if (!busy) {
				done(s, node);
				continue;
			}
		}
		if (busy) {
			/* a new leader may need a no-op to commit the earlier
			 * change (raft_propose_change() appends it, once) */
			uint64_t last = raft_last_index(r);
			int rc = raft_propose_change(r, s->now_us, RAFT_CHANGE_PROMOTE, node, NULL, NULL);
			if (rc == RAFT_ENOMEM)
				sim_stop_oom(s, "a no-op entry");
			else if (raft_last_index(r) != last)
				mark_dirty(s, l);
			return;
		}
		if (want == WANT_ADD && learner) {
			/* From section 4.2.1: the new server catches up before it
			 * counts in any quorum. */
			if (raft_match_index(r, node) < raft_last_index(r))
				continue;
			ch = RAFT_CHANGE_PROMOTE;
		} else {
			ch = want == WANT_ADD ? RAFT_CHANGE_ADD_LEARNER : RAFT_CHANGE_REMOVE;
		}
		int rc = raft_propose_change(r, s->now_us, ch, node, NULL, NULL);
		if (rc == RAFT_ENOMEM) {
			sim_stop_oom(s, "a configuration entry");
			return;
		}
		if (rc == RAFT_EINVAL) { /* the last voter: nothing can be done */
			done(s, node);
			continue;
		}
		if (rc == RAFT_OK)
			mark_dirty(s, l);
		return;
	}
}

size_t sim_members_format(const struct sim *s, uint8_t i, char *buf, size_t cap)
{
	const struct raft_node *r = s->nodes[i].raft;
	size_t n = 0;
	bool any = false;
	if (cap)
		buf[0] = '\0';
	for (int pass = 0; pass < 2; pass++) {
		bool first = true;
		for (uint16_t j = 1; j <= s->cfg.nodes; j++) {
			bool in = pass == 0 ? raft_is_voter(r, (uint8_t)j) : raft_is_learner(r, (uint8_t)j);
			if (!in)
				continue;
			int k = snprintf(buf + n, n < cap ? cap - n : 0, "%s%sn%u",
			                 first ? (pass == 0 ? "voters " : (any ? " learners " : "learners "))
			                       : "",
			                 first ? "" : ",", j);
			if (k > 0)
				n += (size_t)k;
			first = false;
			any = true;
		}
	}
	return n < cap ? n : (cap ? cap - 1 : 0);
}

void sim_members_observe(struct sim *s, uint8_t i)
{
	struct sim_nodestate *ns = &s->nodes[i];
	uint64_t at = raft_conf_index(ns->raft);
	if (at == ns->conf_index && ns->conf_known)
		return;
	bool first = !ns->conf_known;
	ns->conf_index = at;
	ns->conf_known = true;
	if (first && at == 0)
		return; /* the first configuration, known to all */
	if (s->trace_fn) {
		char text[RAFT_NODES_MAX * 5 + 32];
		sim_members_format(s, i, text, sizeof text);
		struct sim_trace t = {.kind = SIM_T_CONFIG, .node = i, .index = at,
		                      .term = raft_term_at(ns->raft, at), .text = text};
		sim_emit(s, &t);
	}
}
