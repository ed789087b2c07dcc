/* test_checker.c - the safety checker catches violations planted by hand:
 * real Raft nodes are driven into states a correct cluster can never reach
 * (by feeding them forged messages) and shown to the checker, which must
 * name exactly the broken invariant, the nodes, the index and the term. */
#include <criterion/criterion.h>

#include "sim_internal.h"

#include <stdio.h>
#include <string.h>

static struct raft_node *node(uint8_t id, uint8_t n)
{
	struct raft_config c;
	raft_config_default(&c, id, n);
	struct raft_node *r = raft_new(&c, 0);
	cr_assert(r);
	return r;
}

/* Takes every batch, makes it durable at once, shows it to the checker. */
static const struct sim_violation *settle(struct sim_checker *ck, struct raft_node *r,
                                          struct sim_violation *v)
{
	struct raft_ready rd;
	while (raft_has_ready(r)) {
		raft_take_ready(r, &rd);
		if (sim_checker_observe(ck, raft_id(r), r, &rd, v))
			return v;
		raft_persisted(r, rd.persist_from ? rd.persist_to : 0, rd.persist_term, rd.term,
		               rd.voted_for);
	}
	if (sim_checker_observe(ck, raft_id(r), r, NULL, v))
		return v;
	return NULL;
}

/* One message per batch (raft.h): a batch the previous message left is
 * made durable first (the checker sees the node's state at the next
 * settle()). */
static void deliver(struct raft_node *r, struct raft_msg m)
{
	struct raft_ready rd;
	if (raft_has_ready(r)) {
		raft_take_ready(r, &rd);
		raft_persisted(r, rd.persist_from ? rd.persist_to : 0, rd.persist_term, rd.term,
		               rd.voted_for);
	}
	m.to = raft_id(r);
	raft_step(r, 0, &m);
}

/* Makes r a leader of `term` with forged votes from voters[]. */
static void make_leader(struct raft_node *r, uint64_t term, const uint8_t *voters, int n)
{
	while (raft_term(r) < term)
		raft_timeout_now(r, 0);
	cr_assert_eq(raft_role(r), RAFT_CANDIDATE);
	for (int i = 0; i < n; i++)
		deliver(r, (struct raft_msg){.type = RAFT_MSG_VOTE_REPLY, .from = voters[i],
		                             .term = term, .success = true});
	cr_assert_eq(raft_role(r), RAFT_LEADER);
}

/* Leader r commits cmd at the next index with forged acknowledgements. */
static void leader_commits(struct sim_checker *ck, struct raft_node *r, const char *cmd,
                           const uint8_t *ackers, int n)
{
	struct sim_violation v;
	uint64_t index;
	cr_assert_eq(raft_propose(r, 0, cmd, strlen(cmd), &index, NULL), RAFT_OK);
	cr_assert_null(settle(ck, r, &v));
	for (int i = 0; i < n; i++)
		deliver(r, (struct raft_msg){.type = RAFT_MSG_APPEND_REPLY, .from = ackers[i],
		                             .term = raft_term(r), .success = true, .commit = index});
	cr_assert_null(settle(ck, r, &v));
	cr_assert_eq(raft_commit_index(r), index);
}

/* Follower r receives entries from a forged leader of `term`. */
static void forged_append(struct raft_node *r, uint8_t from, uint64_t term,
                          const struct raft_entry *e, uint32_t n, uint64_t commit)
{
	deliver(r, (struct raft_msg){.type = RAFT_MSG_APPEND, .from = from, .term = term,
	                             .index = 0, .log_term = 0, .commit = commit,
	                             .n_entries = n, .entries = e});
}

static struct raft_entry entry(uint64_t term, const char *cmd)
{
	struct raft_entry e = {.term = term, .len = (uint8_t)strlen(cmd)};
	memcpy(e.cmd, cmd, e.len);
	return e;
}

Test(checker, two_leaders_in_one_term_break_election_safety)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *a = node(1, 5), *b = node(4, 5);
	make_leader(a, 1, (uint8_t[]){2, 3}, 2);
	cr_assert_null(settle(&ck, a, &v));
	make_leader(b, 1, (uint8_t[]){5, 2}, 2); /* n2 voted twice */
	const struct sim_violation *got = settle(&ck, b, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "Election Safety");
	cr_assert_eq(got->node_a, 1);
	cr_assert_eq(got->node_b, 4);
	cr_assert_eq(got->term, 1);
	cr_assert(strstr(got->detail, "n1 and n4 are both leaders of term 1"), "%s", got->detail);
	raft_free(a);
	raft_free(b);
	sim_checker_free(&ck);
}

Test(checker, overwriting_a_committed_entry_breaks_state_machine_safety)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *a = node(1, 5), *c = node(3, 5);
	make_leader(a, 1, (uint8_t[]){2, 3}, 2);
	leader_commits(&ck, a, "x=1", (uint8_t[]){2, 3}, 2);
	struct raft_entry e = entry(2, "y=2");
	forged_append(c, 5, 2, &e, 1, 1); /* a forged term-2 leader commits y=2 at 1 */
	const struct sim_violation *got = settle(&ck, c, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "State Machine Safety");
	cr_assert_eq(got->node_a, 3);
	cr_assert_eq(got->index, 1);
	cr_assert(strstr(got->detail, "y=2"), "%s", got->detail);
	raft_free(a);
	raft_free(c);
	sim_checker_free(&ck);
}

Test(checker, same_index_and_term_with_different_history_breaks_log_matching)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *p = node(2, 5), *q = node(3, 5);
	struct raft_entry ep[2] = {entry(1, "a=1"), entry(2, "b=2")};
	struct raft_entry eq[2] = {entry(1, "a=1"), entry(2, "b=2")};
	forged_append(p, 5, 2, ep, 2, 0);
	cr_assert_null(settle(&ck, p, &v));
	forged_append(q, 5, 2, eq, 2, 0); /* identical: fine */
	cr_assert_null(settle(&ck, q, &v));
	struct raft_node *r = node(4, 5);
	struct raft_entry er[2] = {entry(1, "z=9"), entry(2, "b=2")};
	forged_append(r, 5, 2, er, 2, 0);
	const struct sim_violation *got = settle(&ck, r, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "Log Matching");
	cr_assert_eq(got->node_a, 2);
	cr_assert_eq(got->node_b, 4);
	cr_assert_eq(got->index, 1);
	cr_assert_eq(got->term, 1);
	raft_free(p);
	raft_free(q);
	raft_free(r);
	sim_checker_free(&ck);
}

Test(checker, leader_without_a_committed_entry_breaks_leader_completeness)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *a = node(1, 5), *e = node(5, 5);
	make_leader(a, 1, (uint8_t[]){2, 3}, 2);
	leader_commits(&ck, a, "x=1", (uint8_t[]){2, 3}, 2);
	make_leader(e, 2, (uint8_t[]){3, 4}, 2); /* empty log, yet elected */
	const struct sim_violation *got = settle(&ck, e, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "Leader Completeness");
	cr_assert_eq(got->node_a, 5);
	cr_assert_eq(got->index, 1);
	cr_assert_eq(got->term, 2);
	raft_free(a);
	raft_free(e);
	sim_checker_free(&ck);
}

Test(checker, a_stale_leader_of_an_older_term_may_lack_newer_commits)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *old = node(1, 5), *cur = node(2, 5);
	make_leader(old, 1, (uint8_t[]){4, 5}, 2);
	cr_assert_null(settle(&ck, old, &v));
	make_leader(cur, 2, (uint8_t[]){3, 4}, 2);
	cr_assert_null(settle(&ck, cur, &v));
	leader_commits(&ck, cur, "x=1", (uint8_t[]){3, 4}, 2);
	raft_free(old);
	raft_free(cur);
	sim_checker_free(&ck);
}

Test(checker, a_leader_deleting_its_entries_breaks_leader_append_only)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_node *a = node(1, 3);
	make_leader(a, 1, (uint8_t[]){2}, 1);
	cr_assert_eq(raft_propose(a, 0, "x=1", 3, NULL, NULL), RAFT_OK);
	cr_assert_null(settle(&ck, a, &v));
	/* a forged batch in which the leader rewrote index 1 */
	struct raft_ready rd = {.persist_from = 1, .persist_to = 1, .persist_term = 1,
	                        .truncated = true};
	cr_assert(sim_checker_observe(&ck, 1, a, &rd, &v));
	cr_assert_str_eq(v.invariant, "Leader Append-Only");
	cr_assert_eq(v.node_a, 1);
	cr_assert_eq(v.index, 1);
	raft_free(a);
	sim_checker_free(&ck);
}

Test(checker, copies_are_independent)
{
	struct sim_checker ck, cp;
	struct sim_violation v;
	sim_checker_init(&ck, 5);
	struct raft_node *a = node(1, 5), *b = node(4, 5);
	make_leader(a, 1, (uint8_t[]){2, 3}, 2);
	cr_assert_null(settle(&ck, a, &v));
	cr_assert_eq(sim_checker_copy(&cp, &ck), SIM_OK);
	sim_checker_free(&ck);
	make_leader(b, 1, (uint8_t[]){5, 2}, 2);
	cr_assert(settle(&cp, b, &v), "the copy remembers n1 led term 1");
	raft_free(a);
	raft_free(b);
	sim_checker_free(&cp);
}

/* ---- Snapshots ------------------------------------------------------------ */

static struct raft_msg forged_snapshot(uint8_t from, uint64_t term, uint64_t last,
                                       uint64_t last_term, const struct raft_entry *e,
                                       uint32_t n)
{
	return (struct raft_msg){.type = RAFT_MSG_SNAPSHOT, .from = from, .term = term,
	                         .index = last, .log_term = last_term, .n_entries = n,
	                         .entries = e};
}

Test(checker, compaction_and_a_true_snapshot_pass)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_node *a = node(1, 3), *c = node(3, 3);
	raft_set_snapshot(a, 2, 1);
	make_leader(a, 1, (uint8_t[]){2}, 1);
	const char *cmds[] = {"x=1", "y=2", "x=3", "z=4", "x=5", "y=6", "x=7", "z=8"};
	for (int i = 0; i < 8; i++)
		leader_commits(&ck, a, cmds[i], (uint8_t[]){2}, 1);
	cr_assert_null(settle(&ck, a, &v));
	cr_assert_gt(raft_log_first(a), 2, "the leader compacted its log");
	cr_assert_eq(ck.nodes[1].base, raft_log_first(a) - 1, "the checker followed it");
	/* n3 installs the leader's real snapshot */
	struct raft_msg m = forged_snapshot(1, 1, raft_snapshot_index(a), 1,
	                                    raft_snapshot_entries(a),
	                                    (uint32_t)raft_snapshot_count(a));
	deliver(c, m);
	cr_assert_null(settle(&ck, c, &v));
	cr_assert_eq(raft_log_first(c), raft_snapshot_index(a) + 1);
	/* and takes entries after it: Log Matching still holds against n1 */
	uint64_t s = raft_snapshot_index(a);
	deliver(c, (struct raft_msg){.type = RAFT_MSG_APPEND, .from = 1, .term = 1, .index = s,
	                             .log_term = 1, .commit = 8,
	                             .n_entries = (uint32_t)(8 - s),
	                             .entries = raft_entry_at(a, s + 1)});
	cr_assert_null(settle(&ck, c, &v));
	cr_assert_eq(raft_commit_index(c), 8);
	raft_free(a);
	raft_free(c);
	sim_checker_free(&ck);
}

Test(checker, a_snapshot_beyond_the_committed_entries_breaks_state_machine_safety)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_node *a = node(1, 3), *c = node(3, 3);
	make_leader(a, 1, (uint8_t[]){2}, 1);
	leader_commits(&ck, a, "x=1", (uint8_t[]){2}, 1);
	struct raft_entry e = entry(1, "x=9");
	deliver(c, forged_snapshot(1, 1, 4, 1, &e, 1)); /* only 1 entry is committed */
	const struct sim_violation *got = settle(&ck, c, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "State Machine Safety");
	cr_assert_eq(got->node_a, 3);
	cr_assert_eq(got->index, 4);
	cr_assert(strstr(got->detail, "snapshot reaches index 4"), "%s", got->detail);
	raft_free(a);
	raft_free(c);
	sim_checker_free(&ck);
}

Test(checker, a_snapshot_of_another_history_breaks_state_machine_safety)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_node *a = node(1, 3), *c = node(3, 3);
	make_leader(a, 2, (uint8_t[]){2}, 1);
	leader_commits(&ck, a, "x=1", (uint8_t[]){2}, 1);
	leader_commits(&ck, a, "x=2", (uint8_t[]){2}, 1);
	struct raft_entry e = entry(1, "x=9");
	/* index 2 was committed with term 2; this snapshot says term 1 */
	deliver(c, forged_snapshot(1, 2, 2, 1, &e, 1));
	const struct sim_violation *got = settle(&ck, c, &v);
	cr_assert(got);
	cr_assert_str_eq(got->invariant, "State Machine Safety");
	cr_assert_eq(got->index, 2);
	cr_assert(strstr(got->detail, "was committed with term 2"), "%s", got->detail);
	raft_free(a);
	raft_free(c);
	sim_checker_free(&ck);
}

/* ---- State machines compared with the committed history's -------------- */

/* A follower misses writes while down and, once back, gets the leader's
 * snapshot.  Returns the violation the checker reports (NULL: none). */
static const struct sim_violation *snapshot_catch_up(struct sim *s)
{
	int64_t end = 5000000;
	while (!sim_stable_leader(s) && sim_now_us(s) < end)
		cr_assert(sim_step(s));
	uint8_t l = sim_stable_leader(s);
	cr_assert(l);
	uint8_t f = l % 3 + 1;
	cr_assert_eq(sim_crash(s, f), SIM_OK);
	char cmd[16];
	for (int i = 0; i < 12; i++) {
		int len = snprintf(cmd, sizeof cmd, "k%d=%d", i % 4, i);
		cr_assert_eq(sim_propose(s, l, cmd, (size_t)len), SIM_OK);
		sim_run_until(s, sim_now_us(s) + 20000);
	}
	sim_restart(s, f);
	sim_run_until(s, sim_now_us(s) + 1000000);
	return sim_violation(s);
}

static struct sim *compacting(uint32_t bugs)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.seed = 5;
	c.snapshot_threshold = 4;
	c.snapshot_trailing = 0;
	c.bugs = bugs;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	return s;
}

Test(checker, a_snapshot_install_that_keeps_the_old_map_breaks_state_machine_safety)
{
	struct sim *s = compacting(0);
	cr_assert_null(snapshot_catch_up(s), "clean: %s",
	               sim_violation(s) ? sim_violation(s)->detail : "");
	sim_free(s);
	s = compacting(RAFT_BUG_SNAPSHOT_KEEPS_MAP);
	const struct sim_violation *v = snapshot_catch_up(s);
	cr_assert_not_null(v);
	cr_assert_str_eq(v->invariant, "State Machine Safety");
	cr_assert(strstr(v->detail, "key-value map"), "%s", v->detail);
	sim_free(s);
}

/* A snapshot whose contents are not the history's state at its index is
 * reported even when its index and term are right. */
Test(checker, a_snapshot_with_other_contents_breaks_state_machine_safety)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_config cfg;
	struct raft_entry e[3] = {entry(1, "a=1"), entry(1, "b=2"), entry(1, "c=3")};
	raft_config_default(&cfg, 2, 3);
	struct raft_node *r = raft_new(&cfg, 0);
	forged_append(r, 1, 1, e, 3, 3);
	cr_assert_null(settle(&ck, r, &v));
	cr_assert_eq(raft_commit_index(r), 3);
	raft_config_default(&cfg, 3, 3);
	struct raft_node *r3 = raft_new(&cfg, 0);
	forged_append(r3, 1, 1, e, 3, 1);
	cr_assert_null(settle(&ck, r3, &v));
	/* the right index and term, the wrong contents: a=1 alone */
	struct raft_entry only = entry(1, "a=1");
	deliver(r3, (struct raft_msg){.type = RAFT_MSG_SNAPSHOT, .from = 1, .term = 1, .index = 3,
	                              .log_term = 1, .commit = 3, .n_entries = 1,
	                              .entries = &only});
	const struct sim_violation *got = settle(&ck, r3, &v);
	cr_assert_not_null(got);
	cr_assert_str_eq(got->invariant, "State Machine Safety");
	cr_assert(strstr(got->detail, "snapshot at index 3"), "%s", got->detail);
	raft_free(r);
	raft_free(r3);
	sim_checker_free(&ck);
}

/* ---- Acknowledged writes ------------------------------------------------- */

/* A put acknowledged as committed must be the committed entry at its index
 * (checked at the acknowledgement; committed entries never change after,
 * which State Machine Safety checks on every node's every commit). */
Test(checker, an_acknowledgement_must_name_the_committed_entry)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_config cfg;
	raft_config_default(&cfg, 2, 3);
	struct raft_node *r = raft_new(&cfg, 0);
	struct raft_entry e[3] = {entry(1, "a=1"), entry(1, "b=2"), entry(1, "c=3")};
	forged_append(r, 1, 1, e, 3, 2);
	cr_assert_null(settle(&ck, r, &v));
	cr_assert(!sim_checker_acked(&ck, 2, r, 2, "b=2", 3, &v));
	cr_assert(sim_checker_acked(&ck, 2, r, 2, "x=9", 3, &v), "another command");
	cr_assert_str_eq(v.invariant, "Acknowledged Writes");
	cr_assert_eq(v.index, 2);
	cr_assert(sim_checker_acked(&ck, 2, r, 3, "c=3", 3, &v), "not committed yet");
	cr_assert(strstr(v.detail, "not committed"), "%s", v.detail);
	raft_free(r);
	sim_checker_free(&ck);
}

/* A crash can lose a truncating write: the node boots from its disk with
 * the older suffix its memory had already replaced.  That is durable state,
 * not a broken log. */
Test(checker, a_restart_may_bring_back_a_suffix_whose_replacement_was_lost)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_config cfg;
	raft_config_default(&cfg, 3, 3);
	struct raft_node *r = raft_new(&cfg, 0);
	struct raft_entry old[3] = {entry(1, "a=1"), entry(1, "b=2"), entry(1, "c=3")};
	forged_append(r, 1, 1, old, 3, 1);
	cr_assert_null(settle(&ck, r, &v));
	/* a leader of term 2 replaces 2..3 with one entry (in memory) */
	struct raft_entry repl = entry(2, "d=4");
	deliver(r, (struct raft_msg){.type = RAFT_MSG_APPEND, .from = 2, .term = 2, .index = 1,
	                             .log_term = 1, .commit = 1, .n_entries = 1, .entries = &repl});
	cr_assert_null(settle(&ck, r, &v));
	cr_assert_eq(raft_last_index(r), 2);
	/* the write never completed: the disk still holds the old log */
	sim_checker_crash(&ck, 3);
	struct raft_durable d = {.term = 2, .n_entries = 3, .entries = old};
	struct raft_node *booted = raft_restore(&cfg, 0, &d);
	cr_assert(booted);
	cr_assert_eq(raft_last_index(booted), 3);
	const struct sim_violation *got = sim_checker_observe(&ck, 3, booted, NULL, &v) ? &v : NULL;
	cr_assert_null(got, "%s: %s", got ? got->invariant : "", got ? got->detail : "");
	raft_free(r);
	raft_free(booted);
	sim_checker_free(&ck);
}

/* A leader that counts a follower as matching entries it does not hold is
 * reported, even before anything is committed from it. */
Test(checker, a_leader_matchindex_above_the_followers_log_is_reported)
{
	struct sim_checker ck;
	struct sim_violation v;
	sim_checker_init(&ck, 3);
	struct raft_config cfg;
	raft_config_default(&cfg, 1, 3);
	struct raft_node *l = raft_new(&cfg, 0);
	raft_config_default(&cfg, 2, 3);
	struct raft_node *f = raft_new(&cfg, 0);
	make_leader(l, 1, (const uint8_t[]){2}, 1);
	cr_assert_null(settle(&ck, l, &v));
	uint64_t index;
	cr_assert_eq(raft_propose(l, 0, "a=1", 3, &index, NULL), RAFT_OK);
	cr_assert_null(settle(&ck, l, &v));
	cr_assert_null(settle(&ck, f, &v)); /* n2 holds nothing */
	deliver(l, (struct raft_msg){.type = RAFT_MSG_APPEND_REPLY, .from = 2, .term = 1,
	                             .success = true, .commit = index});
	const struct sim_violation *got = settle(&ck, l, &v);
	cr_assert_not_null(got);
	cr_assert_str_eq(got->invariant, "Match Index");
	cr_assert_eq(got->node_b, 2);
	raft_free(l);
	raft_free(f);
	sim_checker_free(&ck);
}
