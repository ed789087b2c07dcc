/* membership.c - configuration changes one server at a time (dissertation chapter 4, with the 2015 fix): configuration entries, the configuration in force, learners, removing the leader. */
#include "raft_internal.h"

#include <assert.h>
#include <string.h>

/* From section 4.1: "a server always uses the latest configuration in its
 * log, regardless of whether the entry is committed."  The search walks
 * back from index only as far as the entries in memory; configurations
 * before them are summed up by the snapshot's. */
void raft_conf_as_of(const struct raft_node *n, uint64_t index, struct raft_conf *c,
                     uint64_t *at)
{
	if (n->conf_index <= index) { /* nothing after it: it is in force */
		*c = n->conf;
		*at = n->conf_index;
		return;
	}
	for (uint64_t i = index; i > n->log_base; i--) {
		const struct raft_entry *e = raft_log_at(n, i);
		if (e->type == RAFT_ENTRY_CONFIG && raft_conf_decode(e, n->cfg.n_nodes, c) == RAFT_OK) {
			*at = i;
			return;
		}
	}
	*c = n->snap_conf;
	*at = 0;
}

void raft_conf_recompute(struct raft_node *n)
{
	if (n->conf_index == 0 || n->conf_index <= n->log_len)
		return; /* the entry in force is still in the log */
	raft_conf_as_of(n, n->log_len, &n->conf, &n->conf_index);
}

void raft_conf_log_written(struct raft_node *n, uint64_t at, uint64_t last_conf)
{
	/* From section 4.1: "if the latest configuration entry is removed
	 * from the log (through a log truncation), the server reverts to the
	 * previous configuration". */
	if (n->conf_index >= at)
		raft_conf_as_of(n, at - 1, &n->conf, &n->conf_index);
	if (last_conf != 0 &&
	    raft_conf_decode(raft_log_at(n, last_conf), n->cfg.n_nodes, &n->conf) == RAFT_OK)
		n->conf_index = last_conf;
}

void raft_conf_boot(struct raft_node *n)
{
	n->snap_conf = n->initial_conf;
	for (size_t i = n->snap_n; i > 0; i--)
		if (n->snap[i - 1].type == RAFT_ENTRY_CONFIG &&
		    raft_conf_decode(&n->snap[i - 1], n->cfg.n_nodes, &n->snap_conf) == RAFT_OK)
			break;
	n->conf_index = UINT64_MAX; /* unknown: search the whole log */
	raft_conf_as_of(n, n->log_len, &n->conf, &n->conf_index);
}

size_t raft_conf_snapshot(struct raft_node *n, uint64_t index, size_t k)
{
	uint64_t at;
	raft_conf_as_of(n, index, &n->snap_conf, &at);
	if (raft_conf_same(&n->snap_conf, &n->initial_conf))
		return k;
	raft_conf_encode(&n->snap_conf, raft_term_at(n, index), &n->snap[k]);
	return k + 1;
}

/* From section 4.2.2: "a server that is not part of its own latest
 * configuration should still start new elections, as it might still be
 * needed until the C_new entry is committed": the only copy of the entry
 * that removed it may be its own, and the voters that need that entry to
 * elect anyone would refuse everyone else. */
bool raft_conf_may_campaign(const struct raft_node *n)
{
	if (raft_conf_is_voter(&n->conf, n->cfg.id))
		return true;
	if (n->conf_index == 0 || n->conf_index <= n->commit)
		return false;
	struct raft_conf prev;
	uint64_t at;
	raft_conf_as_of(n, n->conf_index - 1, &prev, &at);
	return raft_conf_is_voter(&prev, n->cfg.id);
}

void raft_conf_peer_added(struct raft_node *n, uint8_t id)
{
	struct raft_peer *p = &n->peers[id];
	p->next = n->log_len + 1;
	p->match = 0;
	p->state = RAFT_PROGRESS_PROBE;
	p->sent = false;
}

/* The configuration after the change, or RAFT_EINVAL. */
static int change_apply(const struct raft_node *n, uint8_t type, uint8_t id, struct raft_conf *out)
{
	const struct raft_conf *c = &n->conf;
	if (id < 1 || id > n->cfg.n_nodes)
		return RAFT_EINVAL;
	uint64_t v[4], l[4], bit = (uint64_t)1 << (id % 64);
	memcpy(v, c->voter_bits, sizeof v);
	memcpy(l, c->learner_bits, sizeof l);
	bool voter = raft_conf_is_voter(c, id), learner = raft_conf_is_learner(c, id);
	switch ((enum raft_change)type) {
	case RAFT_CHANGE_ADD_LEARNER:
		if (voter || learner || c->n_members >= RAFT_CONF_MEMBERS_MAX)
			return RAFT_EINVAL;
		l[id / 64] |= bit;
		break;
	case RAFT_CHANGE_PROMOTE:
		if (!learner)
			return RAFT_EINVAL;
		l[id / 64] &= ~bit;
		v[id / 64] |= bit;
		break;
	case RAFT_CHANGE_REMOVE:
		if ((!voter && !learner) || (voter && c->n_voters == 1))
			return RAFT_EINVAL;
		l[id / 64] &= ~bit;
		v[id / 64] &= ~bit;
		break;
	default:
		return RAFT_EINVAL; /* a value outside the enum */
	}
	raft_conf_from_bits(out, v, l);
	return RAFT_OK;
}

/* Appends the configuration entry: it is in force from now on, here. */
static int change_append(struct raft_node *n, uint8_t type, uint8_t id, uint64_t *index)
{
	struct raft_conf next;
	int rv = change_apply(n, type, id, &next);
	if (rv != RAFT_OK)
		return rv;
	struct raft_entry e;
	raft_conf_encode(&next, n->term, &e);
	rv = raft_repl_propose(n, e.cmd, e.len, RAFT_ENTRY_CONFIG, index);
	if (rv != RAFT_OK)
		return rv;
	/* raft_log_write() put next in force; a new member starts probing */
	if (type == RAFT_CHANGE_ADD_LEARNER)
		raft_conf_peer_added(n, id);
	raft_repl_recount(n); /* the quorum changed */
	return RAFT_OK;
}

/* A leader "has committed an entry of its own term" (the 2015 fix). */
static bool own_term_committed(const struct raft_node *n)
{
	return n->first_cur != 0 && n->commit >= n->first_cur;
}

int raft_propose_change(struct raft_node *n, int64_t now_us, enum raft_change type, uint8_t id,
                        uint64_t *index, uint8_t *leader_hint)
{
	assert(n != NULL);
	(void)now_us;
	if (index != NULL)
		*index = 0;
	if (n->role != RAFT_LEADER) {
		if (leader_hint != NULL)
			*leader_hint = n->leader;
		return RAFT_ENOTLEADER;
	}
	/* From section 4.1: "a leader [does not] begin a new configuration
	 * change until the previous one has committed". */
	if (n->held)
		return RAFT_EBUSY;
	if (n->conf_index > n->commit) {
		/* A configuration entry of an earlier term, not known to be
		 * committed: only an entry of this term commits it (Figure 8),
		 * so one is appended (once) to let the change finish. */
		if (n->first_cur == 0 && !(n->cfg.bugs & RAFT_BUG_CONFIG_BEFORE_NOOP) &&
		    raft_repl_propose(n, "", 0, RAFT_ENTRY_NOOP, NULL) != RAFT_OK)
			return RAFT_ENOMEM;
		return RAFT_EBUSY;
	}
	struct raft_conf next;
	int rv = change_apply(n, (uint8_t)type, id, &next);
	if (rv != RAFT_OK)
		return rv;
	if (own_term_committed(n) || (n->cfg.bugs & RAFT_BUG_CONFIG_BEFORE_NOOP))
		return change_append(n, (uint8_t)type, id, index);
	/* The 2015 fix: "a leader may not append a new configuration entry
	 * until it has committed an entry from its current term."  A no-op
	 * commits one; the change waits for it. */
	if (n->first_cur == 0) {
		rv = raft_repl_propose(n, "", 0, RAFT_ENTRY_NOOP, NULL);
		if (rv != RAFT_OK)
			return rv;
	}
	n->held = true;
	n->held_type = (uint8_t)type;
	n->held_id = id;
	return RAFT_OK;
}

void raft_conf_committed(struct raft_node *n)
{
	if (n->role != RAFT_LEADER)
		return;
	if (n->held && own_term_committed(n)) {
		n->held = false;
		/* the configuration cannot have changed since (only this
		 * leader appends, and it appended no other change); out of
		 * memory drops the change, as a lost request */
		(void)change_append(n, n->held_type, n->held_id, NULL);
	}
	/* From section 4.2.2: the removed leader "steps down once the
	 * C_new entry is committed". */
	if (!raft_conf_is_voter(&n->conf, n->cfg.id) && n->commit >= n->conf_index) {
		n->role = RAFT_FOLLOWER;
		n->leader = 0;
		n->flush_all = false;
		n->held = false;
		memset(n->votes, 0, sizeof n->votes);
		n->n_votes = 0;
	}
}

/* ---- Introspection ------------------------------------------------------- */

bool raft_is_voter(const struct raft_node *n, uint8_t id) { return raft_conf_is_voter(&n->conf, id); }
bool raft_is_learner(const struct raft_node *n, uint8_t id)
{
	return raft_conf_is_learner(&n->conf, id);
}
uint64_t raft_conf_index(const struct raft_node *n) { return n->conf_index; }

bool raft_change_pending(const struct raft_node *n)
{
	return n->role == RAFT_LEADER && (n->held || n->conf_index > n->commit);
}

int raft_entry_conf(const struct raft_entry *e, uint8_t *voters, unsigned *n_voters,
                    uint8_t *learners, unsigned *n_learners)
{
	struct raft_conf c;
	int rv = raft_conf_decode(e, RAFT_NODES_MAX, &c);
	if (rv != RAFT_OK)
		return rv;
	*n_voters = 0;
	*n_learners = 0;
	for (unsigned i = 0; i < c.n_members; i++) {
		uint8_t id = c.members[i];
		if (raft_conf_is_voter(&c, id))
			voters[(*n_voters)++] = id;
		else
			learners[(*n_learners)++] = id;
	}
	return RAFT_OK;
}
