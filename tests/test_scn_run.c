/* test_scn_run.c - the scenario runner: the library passes, failures name their line, pause/step/clone/save. */
#include "scn.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif

static const char *const library[] = {
	"tutorial.scn",          "leader_crash.scn",      "split_vote.scn",
	"partition_two_leaders.scn", "follower_catch_up.scn", "log_repair.scn",
	"figure8.scn",           "crash_restart_persistence.scn", "lossy_network.scn",
	"snapshot.scn",          "disruptive_server.scn", "stale_leader.scn",
	"stale_read.scn",        "transfer_leader.scn",   "add_server.scn",
	"remove_leader.scn",     "lease_read.scn",
	/* the Chinese lessons: the same commands and checks, narrated in Chinese */
	"zh/tutorial.scn",       "zh/split_vote.scn",     "zh/partition_two_leaders.scn",
	"zh/leader_crash.scn",
};

static void scenario_path(const char *name, char *buf, size_t cap)
{
	const char *root = getenv("SOURCE_ROOT");
	snprintf(buf, cap, "%s/scenarios/%s", root && *root ? root : SOURCE_ROOT, name);
}

static struct scn_script *load(const char *name)
{
	char path[1024], err[SCN_ERR_MAX];
	scenario_path(name, path, sizeof path);
	struct scn_script *s = scn_load(path, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	return s;
}

static struct scn_script *parse(const char *text)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("x.scn", text, strlen(text), err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	return s;
}

static struct scn_runner *runner(const char *text, const struct scn_options *o)
{
	struct scn_script *s = parse(text);
	struct scn_runner *r = scn_runner_new(s, o);
	scn_script_free(s);
	cr_assert_not_null(r);
	return r;
}

/* A trace collected as text. */
struct trace {
	char *p;
	size_t len, cap;
};

static void on_trace(void *ctx, const struct sim_trace *t)
{
	struct trace *tr = ctx;
	char line[4096];
	size_t n = sim_trace_format(t, SIM_TRACE_TEXT, line, sizeof line);
	if (tr->len + n + 1 > tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 65536;
		while (cap < tr->len + n + 1)
			cap *= 2;
		tr->p = realloc(tr->p, cap);
		cr_assert_not_null(tr->p);
		tr->cap = cap;
	}
	memcpy(tr->p + tr->len, line, n);
	tr->len += n;
	tr->p[tr->len] = '\0';
}

/* Same nodes, terms, votes, roles, logs, commit indexes, clock, counters. */
static void expect_same_state(const struct sim *a, const struct sim *b)
{
	cr_assert_eq(sim_n_nodes(a), sim_n_nodes(b));
	cr_expect_eq(sim_now_us(a), sim_now_us(b));
	cr_expect_eq(sim_counters(a)->events, sim_counters(b)->events);
	cr_expect_eq(sim_counters(a)->msgs_sent, sim_counters(b)->msgs_sent);
	cr_expect_eq(sim_next_event_us(a), sim_next_event_us(b));
	for (unsigned i = 1; i <= sim_n_nodes(a); i++) {
		const struct raft_node *x = sim_node(a, (uint8_t)i), *y = sim_node(b, (uint8_t)i);
		cr_expect_eq(sim_node_up(a, (uint8_t)i), sim_node_up(b, (uint8_t)i), "n%u up", i);
		cr_expect_eq(raft_term(x), raft_term(y), "n%u term", i);
		cr_expect_eq(raft_voted_for(x), raft_voted_for(y), "n%u vote", i);
		cr_expect_eq(raft_role(x), raft_role(y), "n%u role", i);
		cr_expect_eq(raft_commit_index(x), raft_commit_index(y), "n%u commit", i);
		cr_assert_eq(raft_last_index(x), raft_last_index(y), "n%u log length", i);
		cr_assert_eq(raft_log_first(x), raft_log_first(y), "n%u compacted log", i);
		cr_expect_eq(raft_snapshot_index(x), raft_snapshot_index(y), "n%u snapshot", i);
		for (uint64_t k = raft_log_first(x); k <= raft_last_index(x); k++) {
			const struct raft_entry *e = raft_entry_at(x, k), *f = raft_entry_at(y, k);
			cr_expect(e->term == f->term && e->len == f->len &&
			              memcmp(e->cmd, f->cmd, e->len) == 0,
			          "n%u entry %llu", i, (unsigned long long)k);
		}
	}
}

/* ---- The library ---------------------------------------------------------- */

Test(scn_run, library_passes)
{
	for (size_t i = 0; i < sizeof library / sizeof library[0]; i++) {
		struct scn_script *s = load(library[i]);
		char err[SCN_ERR_MAX];
		cr_expect_eq(scn_script_check(s, err, sizeof err), 0, "%s", err);
		cr_expect_neq(scn_script_title(s)[0], '\0', "%s has a title", library[i]);
		bool says = false;
		for (size_t k = 0; k < scn_script_n_cmds(s); k++)
			says |= scn_script_cmd(s, k)->kind == SCN_CMD_SAY;
		cr_expect(says, "%s narrates", library[i]);
		/* Its own seed, and a few others. */
		for (uint64_t seed = 0; seed <= 3; seed++) {
			struct scn_options o = {.has_seed = seed != 0, .seed = seed};
			struct scn_runner *r = scn_runner_new(s, &o);
			cr_assert_not_null(r);
			int st = scn_runner_run_all(r);
			cr_expect_eq(st, SCN_DONE, "%s seed %llu: %s", library[i],
			             (unsigned long long)seed, scn_runner_error(r));
			cr_expect_null(sim_violation(scn_runner_sim(r)));
			scn_runner_free(r);
		}
		scn_script_free(s);
	}
}

Test(scn_run, figure8_with_the_bug_fails_at_step_c)
{
	struct scn_script *s = load("figure8.scn");
	struct scn_options o = {.bugs = RAFT_BUG_COMMIT_OLD_TERM};
	struct scn_runner *r = scn_runner_new(s, &o);
	cr_assert_eq(scn_runner_run_all(r), SCN_FAILED);
	const char *e = scn_runner_error(r);
	cr_expect(strstr(e, ": expect not committed y=old on any (y=old committed on") != NULL, "%s", e);
	cr_expect(strncmp(e, "FAIL ", 5) == 0, "%s", e);
	scn_runner_free(r);
	scn_script_free(s);
}

/* ---- Failures name their line ---------------------------------------------- */

/* The clients' history is checked at the end of every script: a stale
 * read fails it like a safety violation, unless the script states the
 * verdict itself; `got` and `waiting` see the answers. */
static const char stale_script[] =
    "cluster nodes=3 seed=1\n"
    "set reads=local\n"
    "timeout n1\n"
    "run until leader == n1 within 1s\n"
    "client put x=1\n"
    "run until waiting == 0 within 1s\n"
    "isolate n1\n"
    "timeout n2\n"
    "run until leaders == 2 within 1s\n"
    "client put x=2 to n2\n"
    "run until waiting == 0 within 1s\n"
    "run 10ms\n"
    "client get x to n1\n"
    "run until got x == 1 within 1s\n"
    "expect not got x == 2\n";

Test(scn_run, history_checked_at_the_end)
{
	struct scn_runner *r = runner(stale_script, NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	const char *e = scn_runner_error(r);
	cr_expect(strstr(e, "FAIL x.scn: after the last command (safety violation: Linearizability: "
	                    "key \"x\": 3 operations cannot be ordered"),
	          "%s", e);
	scn_runner_free(r);
	char text[sizeof stale_script + 64];
	snprintf(text, sizeof text, "%sexpect not linearizable\n", stale_script);
	r = runner(text, NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
	/* with ReadIndex the deposed leader cannot answer, and all is well */
	snprintf(text, sizeof text, "%s", stale_script);
	memcpy(strstr(text, "reads=local"), "reads=rdidx", 11);
	char *p = strstr(text, "reads=rdidx");
	memmove(p + 15, p + 11, strlen(p + 11) + 1);
	memcpy(p, "reads=readindex", 15);
	*strstr(text, "run until got x == 1") = '\0';
	strcat(text, "run 500ms\nexpect waiting == 1\nexpect not got x == 1\n");
	r = runner(text, NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

Test(scn_run, wrong_expectation_fails_at_its_line)
{
	struct scn_runner *r = runner("cluster nodes=3 seed=1\n"
	                              "timeout n1\n"
	                              "run until leader == n1 within 1s\n"
	                              "# a comment\n"
	                              "expect   leader == n2   # wrong on purpose\n"
	                              "crash n3\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect_str_eq(scn_runner_error(r), "FAIL x.scn:5: expect   leader == n2 (leader is n1, term 1)");
	cr_expect_eq(scn_runner_line(r), 5);
	cr_expect(sim_node_up(scn_runner_sim(r), 3), "nothing after the failure ran");
	/* Every later call says FAILED. */
	cr_expect_eq(scn_runner_advance(r, 10000000), SCN_FAILED);
	cr_expect_eq(scn_runner_step_event(r), SCN_FAILED);
	cr_expect_eq(scn_runner_status(r), SCN_FAILED);
	scn_runner_free(r);
}

Test(scn_run, leader_with_no_leader_fails_at_its_line)
{
	struct scn_runner *r = runner("cluster nodes=3\nrun 10ms\ncrash leader\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect_str_eq(scn_runner_error(r),
	                 "FAIL x.scn:3: crash leader (there is no stable leader: n1 follower t0, n2 "
	                 "follower t0, n3 follower t0)");
	scn_runner_free(r);

	/* In a condition, `leader` with no leader is false even under `not`. */
	r = runner("cluster nodes=3\nexpect not role leader == candidate\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect(strncmp(scn_runner_error(r),
	                  "FAIL x.scn:2: expect not role leader == candidate (there is no stable leader",
	                  74) == 0,
	          "%s", scn_runner_error(r));
	scn_runner_free(r);
	/* ... while `not leader == n1` is simply true. */
	r = runner("cluster nodes=3\nexpect not leader == n1\nexpect no-leader\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

Test(scn_run, run_until_not_reached)
{
	struct scn_runner *r = runner("cluster nodes=3\nsay \"x\"\nrun until leader within 10ms\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect_str_eq(scn_runner_error(r),
	                 "FAIL x.scn:3: run until leader within 10ms (not reached by 10.000ms: there "
	                 "is no stable leader: n1 follower t0, n2 follower t0, n3 follower t0)");
	cr_expect_eq(scn_runner_now_us(r), 10000);
	scn_runner_free(r);
}

Test(scn_run, actions_that_cannot_apply_fail)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{"cluster nodes=3\ncrash n2\ncrash n2\n", "FAIL x.scn:3: crash n2 (n2 is down)"},
		{"cluster nodes=3\nrestart n2\n", "FAIL x.scn:2: restart n2 (n2 is up: only a crashed node restarts)"},
		{"cluster nodes=3\ncrash n1\ntimeout n1\n", "FAIL x.scn:3: timeout n1 (n1 is down)"},
		{"cluster nodes=3\ntimeout n1\nrun until leader within 1s\ncut leader->n1\n",
		 "FAIL x.scn:4: cut leader->n1 (the leader is n1: a link joins two different nodes)"},
		{"cluster nodes=3\ntimeout n1\nrun until leader within 1s\npartition {n1 n2} {leader}\n",
		 "FAIL x.scn:4: partition {n1 n2} {leader} (the leader is n1, which another group lists too)"},
		{"cluster nodes=3\nexpect committed x=1 on any\n",
		 "FAIL x.scn:2: expect committed x=1 on any (x=1 committed on no node; not on n1 (commit 0, log 0) n2 (commit 0, log 0) n3 (commit 0, log 0))"},
		{"cluster nodes=3\ncrash n3\nexpect role n3 == follower\n", "FAIL x.scn:3: expect role n3 == follower (n3 is down)"},
		{"cluster nodes=3\nexpect sent > 0\n", "FAIL x.scn:2: expect sent > 0 (0 messages sent)"},
		{"cluster nodes=3\nexpect term n2 >= 1\n", "FAIL x.scn:2: expect term n2 >= 1 (n2 is at term 0)"},
		{"cluster nodes=3\nexpect leaders == 1\n", "FAIL x.scn:2: expect leaders == 1 (0 leaders)"},
		{"cluster nodes=3\nexpect value n1 x == 1\n", "FAIL x.scn:2: expect value n1 x == 1 (n1 has no x)"},
		{"cluster nodes=3\ncrash n1\nexpect up n1\n", "FAIL x.scn:3: expect up n1 (n1 is down)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct scn_runner *r = runner(cases[i].text, NULL);
		cr_expect_eq(scn_runner_run_all(r), SCN_FAILED, "%s", cases[i].text);
		cr_expect_str_eq(scn_runner_error(r), cases[i].err);
		scn_runner_free(r);
	}
}

Test(scn_run, conditions_hold)
{
	struct scn_runner *r = runner("cluster nodes=5 seed=3\n"
	                              "timeout n2\n"
	                              "run until leader == n2 within 1s\n"
	                              "expect leader != n1\n"
	                              "expect leader in {n2 n5}\n"
	                              "expect leaders == 1\n"
	                              "expect candidates == 0\n"
	                              "expect role n2 == leader\n"
	                              "expect role leader == leader\n"
	                              "expect role n1 != leader\n"
	                              "expect votes n2 >= 3\n"
	                              "expect term n2 == 1\n"
	                              "client put x=1\n"
	                              "client putmany 3 k to leader\n"
	                              "run until committed x=1 on all within 1s\n"
	                              "run until committed k3=3 on {n1 n3} within 1s\n"
	                              "run 100ms\n"
	                              "expect terms-agree\n"
	                              "expect committed k1=1 on majority\n"
	                              "expect logged k2=2 on leader\n"
	                              "expect commit n4 >= 4\n"
	                              "expect log n4 == 4\n"
	                              "expect value n3 k3 == 3\n"
	                              "expect value n3 k3 != 4\n"
	                              "expect not value n3 k4 == 4\n"
	                              "expect logs-match\n"
	                              "expect sent > 10\n"
	                              "expect up n1\n"
	                              "crash n5\n"
	                              "expect not up n5\n"
	                              "expect committed x=1 on all\n"
	                              "expect logs-match\n"
	                              "expect terms-agree\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

Test(scn_run, acked_committed_waits_for_every_follower)
{
	/* n1 leads; n5 is cut off, so the puts are acknowledged (a majority
	 * has them) before n5 holds them: acked-committed is false until the
	 * link is mended and n5 catches up. */
	struct scn_runner *r = runner("cluster nodes=5 seed=3\n"
	                              "timeout n1\n"
	                              "run until leader == n1 within 1s\n"
	                              "expect acked-committed\n"
	                              "isolate n5\n"
	                              "client putmany 3 k\n"
	                              "run until committed k3=3 on n1 within 1s\n"
	                              "run 200ms\n"
	                              "expect not acked-committed\n"
	                              "heal\n"
	                              "run until acked-committed within 2s\n"
	                              "expect committed k3=3 on n5\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
	char err[SCN_ERR_MAX];
	cr_expect_null(scn_parse("x.scn", "cluster nodes=3\nexpect acked-committed n1\n", 37, err,
	                         sizeof err));
}

/* With compaction on, the conditions read what a node still holds: the log
 * from raft_log_first() on, and its state machine for what was compacted. */
#define COMPACTED                                                                          \
	"cluster nodes=3 seed=3\n"                                                             \
	"set snapshot=8 trailing=2\n"                                                          \
	"timeout n1\n"                                                                         \
	"run until leader == n1 within 1s\n"                                                   \
	"client put x=1\n"                                                                     \
	"run until committed x=1 on all within 1s\n"                                           \
	"crash n3\n"                                                                           \
	"client putmany 4 k\n"                                                                 \
	"client putmany 4 k\n"                                                                 \
	"run until commit n2 >= 9 within 2s\n"                                                 \
	"client putmany 4 k\n"                                                                 \
	"client putmany 4 k\n"                                                                 \
	"run until commit n2 >= 17 within 2s\n"                                                \
	"run until snapshot n2 >= 9 within 1s\n"

Test(scn_run, conditions_on_compacted_logs)
{
	struct scn_runner *r = runner(COMPACTED
	                              "expect snapshot n1 >= 9\n"
	                              "expect snapshot n3 == 0\n"
	                              "expect log n1 == 17\n"
	                              /* x=1 (index 1) is compacted on n1 and n2 */
	                              "expect committed x=1 on {n1 n2}\n"
	                              "run until committed x=1 on {n1 n2} within 1s\n"
	                              "expect logged x=1 on all\n"
	                              "expect logged x=1 on n3\n"
	                              "expect committed k4=4 on majority\n"
	                              "expect not logged nope=1 on any\n"
	                              "expect logs-match\n"
	                              "expect acked-committed\n"
	                              "run until acked-committed within 1s\n"
	                              /* a crashed node: its snapshot is durable */
	                              "crash n2\n"
	                              "expect logged x=1 on n2\n"
	                              "expect snapshot n2 >= 9\n"
	                              "expect not committed x=1 on n2\n"
	                              "restart n2\n"
	                              "restart n3\n"
	                              "run until snapshot n3 >= 9 within 2s\n"
	                              "run until commit n3 >= 17 within 2s\n"
	                              "run until commit n2 >= 17 within 2s\n"
	                              "expect committed x=1 on all\n"
	                              "expect value n3 k4 == 4\n"
	                              "expect logs-match\n"
	                              "expect acked-committed\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	cr_expect_null(sim_violation(scn_runner_sim(r)));
	const struct raft_node *n1 = sim_node(scn_runner_sim(r), 1);
	cr_expect_gt(raft_log_first(n1), 2, "the leader compacted past n3's log");
	scn_runner_free(r);
}

Test(scn_run, observations_on_compacted_logs)
{
	struct scn_runner *r = runner(COMPACTED, NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	const struct raft_node *n1 = sim_node(scn_runner_sim(r), 1);
	cr_assert_gt(raft_log_first(n1), 1);
	char err[SCN_ERR_MAX], want[256];
	cr_expect_eq(scn_runner_exec(r, "expect log n1 == 0", err, sizeof err), -2);
	snprintf(want, sizeof want,
	         "FAIL expect log n1 == 0 (n1's log has 17 entries (last term 1; 1..%llu compacted))",
	         (unsigned long long)raft_log_first(n1) - 1);
	cr_expect_str_eq(err, want);
	cr_expect_eq(scn_runner_exec(r, "expect snapshot n3 > 0", err, sizeof err), -2);
	cr_expect_str_eq(err, "FAIL expect snapshot n3 > 0 (n3 has no snapshot)");
	cr_expect_eq(scn_runner_exec(r, "expect snapshot n1 == 0", err, sizeof err), -2);
	snprintf(want, sizeof want,
	         "FAIL expect snapshot n1 == 0 (n1's snapshot holds the log up to index %llu "
	         "(term 1, 5 keys))",
	         (unsigned long long)raft_snapshot_index(n1));
	cr_expect_str_eq(err, want);
	cr_expect_eq(scn_runner_exec(r, "expect not logs-match", err, sizeof err), -2);
	cr_expect(strstr(err, "(every live node has the same 17 entries (compared from index ") != NULL,
	          "%s", err);
	cr_expect(strstr(err, " on; the ones before are in snapshots))") != NULL, "%s", err);
	scn_runner_free(r);
}

Test(scn_run, snapshot_settings)
{
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t};
	struct scn_runner *r = runner("cluster nodes=3 seed=2\n"
	                              "set snapshot=8 trailing=2\n"
	                              "run until leader within 1s\n"
	                              "set trailing=4\n"
	                              "set snapshot=0\n"
	                              "set snapshot=0\n",
	                              &o);
	const struct sim *s = scn_runner_sim(r);
	cr_expect_eq(sim_config(s)->snapshot_threshold, 8, "folded into the initial config");
	cr_expect_eq(sim_config(s)->snapshot_trailing, 2);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	cr_expect_eq(sim_config(s)->snapshot_threshold, 0);
	cr_expect_eq(sim_config(s)->snapshot_trailing, 4);
	cr_assert_not_null(t.p);
	cr_expect(strstr(t.p, "] set snapshot=8 trailing=4\n") != NULL, "%s", t.p);
	cr_expect(strstr(t.p, "] set snapshot=0 trailing=4\n") != NULL, "%s", t.p);
	char *text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, " retry=1s snapshot=8 trailing=2\n") != NULL, "%s", text);
	free(text);
	scn_runner_free(r);
	free(t.p);
	/* a session without compaction saves as it always did */
	r = runner("cluster nodes=3\nrun 10ms\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "snapshot") == NULL, "%s", text);
	free(text);
	scn_runner_free(r);
}

/* The read path and the drift bound set before the cluster runs are in the
 * saved session's header, so the replay reads the same way. */
Test(scn_run, saved_session_keeps_the_read_path_and_drift)
{
	struct scn_runner *r = runner("cluster nodes=3\nset reads=lease drift=20%\nrun 10ms\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	char *text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, " reads=lease") && strstr(text, " drift=20%"), "%s", text);
	free(text);
	scn_runner_free(r);
	/* the defaults are left out, as before */
	r = runner("cluster nodes=3\nrun 10ms\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(!strstr(text, "reads=") && !strstr(text, "drift="), "%s", text);
	free(text);
	scn_runner_free(r);
}

/* ---- Runner semantics for the visualizer ----------------------------------- */

Test(scn_run, pause_and_done_semantics)
{
	struct scn_runner *r = runner("title \"T\"\n"
	                              "cluster nodes=3\n"
	                              "say \"one\"\n"
	                              "pause\n"
	                              "run 100ms\n"
	                              "say \"two\"\n"
	                              "pause\n"
	                              "run 50ms\n",
	                              NULL);
	cr_expect_str_eq(scn_runner_title(r), "T");
	cr_expect_str_eq(scn_runner_say(r), "");
	cr_expect(!scn_runner_paused(r));
	cr_expect_eq(scn_runner_advance(r, 1000000), SCN_PAUSED);
	cr_expect(scn_runner_paused(r));
	cr_expect_eq(scn_runner_now_us(r), 0);
	cr_expect_str_eq(scn_runner_say(r), "one");
	cr_expect_eq(scn_runner_line(r), 5, "the next command is run 100ms");
	/* Resumes after the pause, stops at the next. */
	cr_expect_eq(scn_runner_advance(r, 40000), SCN_RUNNING);
	cr_expect(!scn_runner_paused(r));
	cr_expect_eq(scn_runner_now_us(r), 40000);
	cr_expect_eq(scn_runner_line(r), 5, "still in run 100ms");
	cr_expect_eq(scn_runner_advance(r, 1000000), SCN_PAUSED);
	cr_expect_eq(scn_runner_now_us(r), 100000);
	cr_expect_str_eq(scn_runner_say(r), "two");
	/* DONE once, at the moment the script ends, then free running. */
	cr_expect_eq(scn_runner_advance(r, 1000000), SCN_DONE);
	cr_expect_eq(scn_runner_now_us(r), 150000);
	cr_expect(scn_runner_script_done(r));
	cr_expect_eq(scn_runner_line(r), 0);
	cr_expect_eq(scn_runner_advance(r, 1000000), SCN_RUNNING);
	cr_expect_eq(scn_runner_now_us(r), 1000000);
	cr_expect(sim_stable_leader(scn_runner_sim(r)) != 0, "the cluster kept running");
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	/* The history: every command with its time. */
	size_t n;
	const struct scn_record *h = scn_runner_history(r, &n);
	cr_assert_eq(n, 8);
	cr_expect_eq(h[0].cmd.kind, SCN_CMD_TITLE);
	cr_expect_eq(h[3].cmd.kind, SCN_CMD_PAUSE);
	cr_expect_eq(h[3].time_us, 0);
	cr_expect_eq(h[4].cmd.kind, SCN_CMD_RUN);
	cr_expect_eq(h[5].cmd.kind, SCN_CMD_SAY);
	cr_expect_eq(h[5].time_us, 100000);
	cr_expect_eq(h[5].cmd.line, 6);
	cr_expect_str_eq(h[5].cmd.text, "say \"two\"");
	scn_runner_free(r);

	/* Headless: pauses are ignored. */
	r = runner("cluster nodes=3\npause\nrun 100ms\npause\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	cr_expect_eq(scn_runner_now_us(r), 100000);
	scn_runner_free(r);
}

Test(scn_run, advance_into_the_past_runs_due_commands_only)
{
	struct scn_runner *r = runner("cluster nodes=3\nrun 100ms\ncrash n1\nrun 100ms\n", NULL);
	cr_expect_eq(scn_runner_advance(r, 99999), SCN_RUNNING);
	cr_expect(sim_node_up(scn_runner_sim(r), 1), "the crash is not due before 100ms");
	cr_expect_eq(scn_runner_advance(r, 100000), SCN_RUNNING);
	cr_expect(!sim_node_up(scn_runner_sim(r), 1), "reaching 100ms makes the crash due");
	cr_expect_eq(scn_runner_advance(r, 5), SCN_RUNNING);
	cr_expect_eq(scn_runner_now_us(r), 100000, "time never goes back");
	cr_expect_eq(scn_runner_advance(r, 200000), SCN_DONE);
	scn_runner_free(r);
}

Test(scn_run, step_event_processes_one_event)
{
	struct scn_runner *r = runner("cluster nodes=5 seed=2\n"
	                              "say \"a\"\n"
	                              "timeout n1\n"
	                              "run until leader within 1s\n"
	                              "say \"b\"\n"
	                              "step 3\n"
	                              "say \"c\"\n",
	                              NULL);
	const struct sim *s = scn_runner_sim(r);
	uint64_t ev = sim_counters(s)->events;
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_str_eq(scn_runner_say(r), "a");
	cr_expect_eq(raft_role(sim_node(s, 1)), RAFT_CANDIDATE, "commands before the event ran");
	cr_expect_eq(sim_counters(s)->events, ev + 1);
	/* One event per call until "b" runs (right after the leader is found,
	 * in the call that also processes the first event of step 3). */
	for (int guard = 0; strcmp(scn_runner_say(r), "b") != 0; guard++) {
		cr_assert(guard < 10000);
		uint64_t prev = sim_counters(s)->events;
		cr_assert_eq(scn_runner_step_event(r), SCN_RUNNING);
		cr_assert_eq(sim_counters(s)->events, prev + 1);
	}
	cr_expect(sim_stable_leader(s) != 0);
	uint64_t at_b = sim_counters(s)->events;
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_str_eq(scn_runner_say(r), "b");
	cr_expect_eq(sim_counters(s)->events, at_b + 2);
	cr_expect_eq(scn_runner_step_event(r), SCN_DONE, "say c, then the end, before any event");
	cr_expect_str_eq(scn_runner_say(r), "c");
	cr_expect_eq(sim_counters(s)->events, at_b + 2);
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_eq(sim_counters(s)->events, at_b + 3);
	scn_runner_free(r);
}

Test(scn_run, step_event_with_nothing_left_keeps_the_clock)
{
	struct scn_runner *r = runner("cluster nodes=1\ncrash n1\nrun 10ms\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_eq(scn_runner_now_us(r), 10000);
	cr_expect_eq(scn_runner_advance(r, 20000), SCN_RUNNING);
	cr_expect_eq(scn_runner_now_us(r), 20000);
	scn_runner_free(r);
}

Test(scn_run, options_seed_bugs_and_folded_settings)
{
	struct scn_options o = {.has_seed = true, .seed = 77, .bugs = RAFT_BUG_VOTE_TWICE};
	struct scn_runner *r = runner("cluster nodes=3 seed=5 bug=no-truncate\n"
	                              "say \"slow timers from the start\"\n"
	                              "set election=1..2s\n"
	                              "run 900ms\n"
	                              "expect no-leader\n"
	                              "set election=150..300ms heartbeat=20ms\n",
	                              &o);
	const struct sim *s = scn_runner_sim(r);
	cr_expect_eq(sim_seed(s), 77);
	cr_expect_eq(sim_config(s)->bugs, RAFT_BUG_VOTE_TWICE | RAFT_BUG_NO_TRUNCATE);
	cr_expect_eq(sim_config(s)->election_us_min, 1000000, "folded into the initial config");
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	cr_expect_eq(sim_config(s)->heartbeat_us, 20000);
	size_t n;
	const struct scn_record *h = scn_runner_history(r, &n);
	cr_assert_eq(n, 6);
	cr_expect(h[2].folded);
	cr_expect(!h[5].folded);
	scn_runner_free(r);
}

Test(scn_run, exec_injects_commands)
{
	struct scn_runner *r = runner("cluster nodes=5 seed=4\nrun until leader within 1s\nrun 1s\n", NULL);
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_exec(r, "crash leader", err, sizeof err), -2);
	cr_expect_str_eq(err, "FAIL crash leader (there is no stable leader: n1 follower t0, n2 "
	                      "follower t0, n3 follower t0, n4 follower t0, n5 follower t0)");
	cr_expect_eq(scn_runner_exec(r, "crash n9", err, sizeof err), -1);
	cr_expect_str_eq(err, "command:1:7: unknown node 'n9': the cluster has nodes n1..n5");
	cr_expect_eq(scn_runner_exec(r, "run 1s", err, sizeof err), -1);
	cr_expect_str_eq(err, "command:1:1: 'run' cannot be executed here: advance the runner instead");
	cr_expect_eq(scn_runner_exec(r, "cluster nodes=3", err, sizeof err), -1);
	cr_expect_str_eq(err, "command:1:1: 'cluster' belongs at the top of a script");
	cr_expect_eq(scn_runner_exec(r, "", err, sizeof err), -1);
	cr_expect_eq(scn_runner_exec(r, "heal\nheal", err, sizeof err), -1);
	cr_expect_eq(scn_runner_advance(r, 500000), SCN_RUNNING);
	const struct sim *s = scn_runner_sim(r);
	uint8_t l = sim_stable_leader(s);
	cr_assert(l != 0);
	cr_expect_eq(scn_runner_exec(r, "crash leader", err, sizeof err), 0, "%s", err);
	cr_expect(!sim_node_up(s, l));
	cr_expect_eq(scn_runner_exec(r, "expect no-leader", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "expect leader", err, sizeof err), -2);
	cr_expect(strncmp(err, "FAIL expect leader (there is no stable leader", 45) == 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "say \"typed\"  # comment", err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(scn_runner_say(r), "typed");
	cr_expect_eq(scn_runner_exec(r, "set drop=1%", err, sizeof err), 0, "%s", err);
	cr_expect_eq(sim_config(s)->drop_ppm, 10000);
	/* A failed expectation does not stop the runner. */
	cr_expect_eq(scn_runner_status(r), SCN_RUNNING);
	size_t n;
	const struct scn_record *h = scn_runner_history(r, &n);
	cr_assert(n >= 3);
	cr_expect(h[n - 1].user && h[n - 1].cmd.kind == SCN_CMD_SET);
	cr_expect(h[n - 3].user && h[n - 3].cmd.kind == SCN_CMD_EXPECT);
	cr_expect_eq(h[n - 4].cmd.kind, SCN_CMD_CRASH);
	cr_expect_eq(h[n - 4].cmd.a, l, "recorded with the leader resolved");
	cr_expect_str_eq(h[n - 4].cmd.text, "crash leader");
	cr_expect_eq(h[n - 4].time_us, 500000);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

Test(scn_run, abandon_after_a_failure)
{
	struct scn_runner *r = runner("cluster nodes=3\nexpect leader\nrun 1s\n", NULL);
	cr_expect_eq(scn_runner_advance(r, 100000), SCN_FAILED);
	cr_expect_eq(scn_runner_abandon(r), SCN_RUNNING);
	cr_expect_str_eq(scn_runner_error(r), "");
	cr_expect_eq(scn_runner_advance(r, 2000000), SCN_RUNNING);
	cr_expect_eq(scn_runner_now_us(r), 2000000);
	cr_expect(sim_stable_leader(scn_runner_sim(r)) != 0);
	scn_runner_free(r);
}

Test(scn_run, a_safety_violation_fails_the_run)
{
	/* Figure 8 without its assertions: with the old-term bug the checker
	 * catches the overwrite of a committed entry. */
	struct scn_script *s = load("figure8.scn");
	char path[1024];
	scenario_path("figure8.scn", path, sizeof path);
	FILE *f = fopen(path, "r");
	cr_assert_not_null(f);
	static char text[32768];
	size_t n = 0;
	char line[1100];
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "expect not", 10) != 0) {
			memcpy(text + n, line, strlen(line));
			n += strlen(line);
		}
	text[n] = '\0';
	fclose(f);
	scn_script_free(s);
	struct scn_options o = {.bugs = RAFT_BUG_COMMIT_OLD_TERM};
	struct scn_runner *r = runner(text, &o);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	const char *e = scn_runner_error(r);
	cr_expect(strstr(e, "(safety violation: ") != NULL, "%s", e);
	cr_expect(strstr(e, ", seed 8)") != NULL, "%s", e);
	cr_expect_not_null(sim_violation(scn_runner_sim(r)));
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_exec(r, "heal", err, sizeof err), -2);
	cr_expect(strncmp(err, "FAIL heal (safety violation: ", 29) == 0, "%s", err);
	cr_expect_eq(scn_runner_abandon(r), SCN_FAILED, "a violation cannot be abandoned");
	scn_runner_free(r);
}

/* ---- Checkpoints and replays ------------------------------------------------- */

Test(scn_run, clone_gives_the_identical_continuation)
{
	struct scn_script *s = load("partition_two_leaders.scn");
	struct trace ta = {0}, tb = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &ta};
	struct scn_runner *a = scn_runner_new(s, &o);
	scn_script_free(s);
	int st;
	while ((st = scn_runner_advance(a, 150000)) == SCN_PAUSED)
		;
	cr_assert_eq(st, SCN_RUNNING, "%d %s", st, scn_runner_error(a));
	cr_assert(!scn_runner_script_done(a));
	for (int i = 0; i < 7; i++)
		scn_runner_step_event(a);
	struct scn_runner *b = scn_runner_clone(a);
	cr_assert_not_null(b);
	expect_same_state(scn_runner_sim(a), scn_runner_sim(b));
	cr_expect_eq(scn_runner_pc(a), scn_runner_pc(b));
	scn_runner_set_trace(b, on_trace, &tb);
	size_t mark = ta.len;
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_exec(a, "cut n3->n4", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(b, "cut n3->n4", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_run_all(a), SCN_DONE, "%s", scn_runner_error(a));
	cr_expect_eq(scn_runner_run_all(b), SCN_DONE, "%s", scn_runner_error(b));
	cr_expect_eq(scn_runner_advance(a, scn_runner_now_us(a) + 300000), SCN_RUNNING);
	cr_expect_eq(scn_runner_advance(b, scn_runner_now_us(b) + 300000), SCN_RUNNING);
	expect_same_state(scn_runner_sim(a), scn_runner_sim(b));
	cr_assert_not_null(tb.p);
	cr_expect_eq(ta.len - mark, tb.len);
	cr_expect(memcmp(ta.p + mark, tb.p, tb.len) == 0, "the traces differ");
	size_t na, nb;
	scn_runner_history(a, &na);
	scn_runner_history(b, &nb);
	cr_expect_eq(na, nb);
	scn_runner_free(a);
	/* The clone outlives the original and its script. */
	cr_expect_str_eq(scn_script_path(scn_runner_script(b)) + strlen(scn_script_path(scn_runner_script(b))) - 25,
	                 "partition_two_leaders.scn");
	scn_runner_free(b);
	free(ta.p);
	free(tb.p);
}

/* Drops comments (and comment-only lines) from a saved script, in place:
 * a comment starts at "#" at the start of a line or at "  #" after the last
 * quote of the line. */
static void strip_comments(char *s)
{
	char *w = s;
	for (char *line = s; *line;) {
		char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *from = line;
		for (size_t i = 0; i < n; i++)
			if (line[i] == '"')
				from = line + i;
		if (line[0] == '#')
			n = 0;
		for (const char *p = from; p + 3 <= line + n; p++)
			if (memcmp(p, "  #", 3) == 0) {
				n = (size_t)(p - line);
				break;
			}
		if (n) {
			memmove(w, line, n);
			w += n;
			*w++ = '\n';
		}
		line += nl ? (size_t)(nl - line) + 1 : strlen(line);
	}
	*w = '\0';
}

/* Runs a saved session and compares it with the original. */
static void replay_matches(struct scn_runner *orig, const struct trace *orig_trace)
{
	char path[] = "/tmp/test_scn_run_XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	char err[SCN_ERR_MAX];
	cr_assert_eq(scn_runner_save(orig, path, err, sizeof err), 0, "%s", err);
	struct scn_script *s = scn_load(path, err, sizeof err);
	cr_assert_not_null(s, "the saved script does not parse: %s", err);
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t};
	struct scn_runner *r = scn_runner_new(s, &o);
	cr_assert_not_null(r);
	int st = scn_runner_run_all(r);
	cr_expect_eq(st, SCN_DONE, "%s", scn_runner_error(r));
	expect_same_state(scn_runner_sim(orig), scn_runner_sim(r));
	cr_assert_not_null(t.p);
	cr_expect_eq(t.len, orig_trace->len);
	bool same = t.len == orig_trace->len && memcmp(t.p, orig_trace->p, t.len) == 0;
	cr_expect(same, "the replayed trace differs");
	if (!same && getenv("SCN_DUMP")) {
		FILE *f = fopen("/tmp/trace_orig.txt", "w");
		fwrite(orig_trace->p, 1, orig_trace->len, f);
		fclose(f);
		f = fopen("/tmp/trace_replay.txt", "w");
		fwrite(t.p, 1, t.len, f);
		fclose(f);
		char *a = scn_runner_save_text(orig);
		f = fopen("/tmp/saved.scn", "w");
		fputs(a, f);
		fclose(f);
		free(a);
	}
	/* Saving the replay gives the same commands again. */
	char *a = scn_runner_save_text(orig), *b = scn_runner_save_text(r);
	cr_assert(a && b);
	strip_comments(a);
	strip_comments(b);
	cr_expect(strcmp(a, b) == 0, "the replay saves differently");
	if (strcmp(a, b) != 0 && getenv("SCN_DUMP")) {
		FILE *f = fopen("/tmp/save_a.scn", "w");
		fputs(a, f);
		fclose(f);
		f = fopen("/tmp/save_b.scn", "w");
		fputs(b, f);
		fclose(f);
	}
	free(a);
	free(b);
	scn_runner_free(r);
	scn_script_free(s);
	free(t.p);
	remove(path);
}

Test(scn_run, save_and_replay_a_library_session)
{
	struct scn_script *s = load("tutorial.scn");
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t, .has_seed = true, .seed = 11};
	struct scn_runner *r = scn_runner_new(s, &o);
	scn_script_free(s);
	char err[SCN_ERR_MAX];
	/* At the first pause, before the clock starts: a setting typed in. */
	cr_expect_eq(scn_runner_advance(r, 50000), SCN_PAUSED);
	cr_expect_eq(scn_runner_exec(r, "set heartbeat=40ms", err, sizeof err), 0, "%s", err);
	int st;
	while ((st = scn_runner_advance(r, 450000)) == SCN_PAUSED)
		;
	for (int i = 0; i < 5; i++)
		scn_runner_step_event(r);
	cr_expect_eq(scn_runner_exec(r, "client put y=1", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "say \"typed \\\"in\\\"\"", err, sizeof err), 0, "%s", err);
	cr_expect_str_eq(scn_runner_say(r), "typed \"in\"");
	while ((st = scn_runner_advance(r, 2000000)) == SCN_PAUSED)
		;
	cr_expect_eq(st, SCN_DONE, "%s", scn_runner_error(r));
	cr_expect_eq(scn_runner_advance(r, 2345678), SCN_RUNNING);
	replay_matches(r, &t);
	scn_runner_free(r);
	free(t.p);
}

/* `timeout followers` and `timeout {..}`: every named timer runs out at one
 * instant, so a five-node cluster with four candidates cannot elect anyone in
 * that term (at most 2 votes each); the session replays it exactly. */
Test(scn_run, timeouts_at_one_instant_split_the_vote)
{
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t};
	struct scn_runner *r = runner("cluster nodes=5 seed=2\n"
	                              "run until leader within 2s\n"
	                              "run 100ms\n"
	                              "timeout followers\n"
	                              "run 140ms\n"
	                              "expect no-leader\n"
	                              "expect candidates == 4\n"
	                              "expect followers == 1\n"
	                              "run until leader within 3s\n"
	                              "run 100ms\n"
	                              "timeout {n1 n3}\n",
	                              &o);
	int st = scn_runner_run_all(r);
	cr_assert_eq(st, SCN_DONE, "%s", scn_runner_error(r));
	/* the four timeouts share one timestamp */
	char stamp[32] = "";
	int same = 0;
	for (const char *l = t.p; (l = strstr(l, " timeout → candidate term 2")); l++) {
		const char *bol = l;
		while (bol > t.p && bol[-1] != '\n')
			bol--;
		char s2[32];
		snprintf(s2, sizeof s2, "%.*s", (int)(strchr(bol, ']') - bol), bol);
		if (!stamp[0])
			snprintf(stamp, sizeof stamp, "%s", s2);
		same += !strcmp(stamp, s2);
	}
	cr_expect_eq(same, 4, "four timeouts at %s, got %d", stamp, same);
	/* the session names the nodes it resolved to */
	char *text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "timeout {") != NULL, "%s", text);
	cr_expect(strstr(text, "\ntimeout followers") == NULL, "%s", text);
	cr_expect(strstr(text, "timeout {n1 n3}") != NULL, "%s", text);
	free(text);
	replay_matches(r, &t);
	scn_runner_free(r);
	free(t.p);
}

Test(scn_run, timeouts_at_one_instant_refuse_crashed_nodes)
{
	struct scn_runner *r = runner("cluster nodes=3 seed=1\n"
	                              "crash n2\n"
	                              "timeout {n1 n2}\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect(strstr(scn_runner_error(r), "n2 is down") != NULL, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

/* A fixed latency makes many events share an instant, so single steps and
 * typed commands split instants; the replay must split them the same way. */
Test(scn_run, save_and_replay_reach_the_identical_state)
{
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t};
	struct scn_runner *r = runner("title \"session\"\n"
	                              "cluster nodes=5 seed=3\n"
	                              "set latency=10ms\n"
	                              "say \"start\"\n"
	                              "pause\n"
	                              "run until leader within 2s\n"
	                              "say \"leader\"\n"
	                              "pause\n"
	                              "run 300ms\n"
	                              "step 2\n"
	                              "client put a=1\n"
	                              "run until committed a=1 on all within 1s\n"
	                              "pause\n"
	                              "run 500ms\n",
	                              &o);
	const struct sim *sim = scn_runner_sim(r);
	char err[SCN_ERR_MAX], cmd[64];
	cr_expect_eq(scn_runner_advance(r, 0), SCN_PAUSED);
	cr_expect_eq(scn_runner_exec(r, "set heartbeat=30ms", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_advance(r, 10000000), SCN_PAUSED);
	uint8_t l = sim_stable_leader(sim);
	cr_assert(l != 0);
	for (int i = 0; i < 3; i++)
		cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	cr_expect_eq(scn_runner_exec(r, "client put u=1", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_step_event(r), SCN_RUNNING);
	snprintf(cmd, sizeof cmd, "cut n%u->n%u", l, l % 5 + 1);
	cr_expect_eq(scn_runner_exec(r, cmd, err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "say \"typed\"", err, sizeof err), 0, "%s", err);
	for (int i = 0; i < 9; i++)
		scn_runner_step_event(r);
	snprintf(cmd, sizeof cmd, "mend n%u->n%u", l, l % 5 + 1);
	cr_expect_eq(scn_runner_exec(r, cmd, err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_advance(r, scn_runner_now_us(r) + 123456), SCN_RUNNING);
	snprintf(cmd, sizeof cmd, "crash n%u", l % 5 + 2);
	cr_expect_eq(scn_runner_exec(r, cmd, err, sizeof err), 0, "%s", err);
	int st;
	while ((st = scn_runner_step_event(r)) == SCN_RUNNING)
		;
	cr_expect_eq(st, SCN_PAUSED, "%s", scn_runner_error(r));
	scn_runner_step_event(r);
	scn_runner_step_event(r);
	cr_expect_eq(scn_runner_exec(r, "client putmany 3 p to leader", err, sizeof err), 0, "%s", err);
	replay_matches(r, &t);

	/* On to the end of the script and beyond. */
	while ((st = scn_runner_advance(r, scn_runner_now_us(r) + 100000)) != SCN_DONE)
		cr_assert_neq(st, SCN_FAILED, "%s", scn_runner_error(r));
	snprintf(cmd, sizeof cmd, "restart n%u", l % 5 + 2);
	cr_expect_eq(scn_runner_exec(r, cmd, err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "partition {leader} {n1 n2}", err, sizeof err) == 0 ||
	                 scn_runner_exec(r, "isolate leader", err, sizeof err) == 0,
	             true, "%s", err);
	cr_expect_eq(scn_runner_advance(r, scn_runner_now_us(r) + 4000000), SCN_RUNNING);
	cr_expect_eq(scn_runner_exec(r, "heal", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_advance(r, scn_runner_now_us(r) + 1000000), SCN_RUNNING);
	cr_expect_eq(scn_runner_exec(r, "expect leader", err, sizeof err), 0, "%s", err);
	scn_runner_step_event(r);

	/* The session did split instants. */
	size_t n;
	const struct scn_record *h = scn_runner_history(r, &n);
	bool split = false;
	for (size_t i = 0; i < n; i++)
		split |= h[i].mid_slice && h[i].user;
	cr_expect(split, "no command was typed in the middle of an instant");
	replay_matches(r, &t);
	scn_runner_free(r);
	free(t.p);
}

/* A session with compaction, typed settings and an InstallSnapshot. */
Test(scn_run, save_and_replay_with_snapshots)
{
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t};
	struct scn_runner *r = runner(COMPACTED "restart n3\nrun until snapshot n3 > 0 within 2s\n", &o);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_exec(r, "set snapshot=4 trailing=0", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_exec(r, "client putmany 6 q", err, sizeof err), 0, "%s", err);
	cr_expect_eq(scn_runner_advance(r, scn_runner_now_us(r) + 500000), SCN_RUNNING);
	cr_assert_not_null(t.p);
	cr_expect(strstr(t.p, " n3 installs snapshot ") != NULL, "%s", t.p);
	replay_matches(r, &t);
	scn_runner_free(r);
	free(t.p);
}

Test(scn_run, save_writes_atomically_and_reports_errors)
{
	struct scn_runner *r = runner("title \"Saved \\\"session\\\"\"\ncluster nodes=3 seed=9 bug=vote-twice\n"
	                              "set latency=1..2ms drop=0.5%\nrun 100ms\ncrash n2\nrun 5s\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE);
	char *text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "\ntitle \"Saved \\\"session\\\"\"\n") != NULL, "%s", text);
	cr_expect(strstr(text, "\ncluster nodes=3 seed=9 bug=vote-twice\n") != NULL, "%s", text);
	cr_expect(strstr(text, "\nset election=150..300ms heartbeat=50ms latency=1..2ms disk=0ms drop=0.5% duplicate=0% retry=1s\n") != NULL,
	          "%s", text);
	cr_expect(strstr(text, "\nrun 100ms\ncrash n2  # line 5\nrun 5s\n") != NULL, "%s", text);
	free(text);
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_save(r, "/nonexistent/dir/s.scn", err, sizeof err), -1);
	cr_expect(strncmp(err, "/nonexistent/dir/s.scn: cannot write: ", 38) == 0, "%s", err);
	scn_runner_free(r);
}

Test(scn_run, long_gaps_split_into_hour_long_runs)
{
	struct scn_runner *r = runner("cluster nodes=1\nset heartbeat=1s election=3000..3600s\n"
	                              "run 3600s\nrun 3600s\ncrash n1\nrun 1s\n", NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	char *text = scn_runner_save_text(r);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "\nrun 3600s\nrun 3600s\ncrash n1  # line 5\nrun 1s\n") != NULL, "%s", text);
	free(text);
	scn_runner_free(r);
}

/* ---- Budgets ------------------------------------------------------------- */

Test(scn_run, a_budget_is_a_limit_line_not_a_failure)
{
	struct scn_runner *r = runner("cluster nodes=3\nset max_events=2000\nrun 60s\n", NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_assert_eq(scn_runner_halt(r), SIM_ELIMIT);
	const char *e = scn_runner_error(r);
	const char *want = "LIMIT x.scn:3: run 60s (resource limit: the event budget "
	                   "(max_events=2000 events) ran out at ";
	cr_assert(!strncmp(e, want, strlen(want)), "%s", e);
	char why[300];
	scn_runner_halt_text(r, why, sizeof why);
	cr_assert(!strncmp(why, "resource limit: ", 16), "%s", why);
	/* a command typed afterwards is refused with the same reason */
	char err[512];
	cr_assert_eq(scn_runner_exec(r, "crash n1", err, sizeof err), -2);
	cr_assert(strstr(err, "resource limit: the event budget"), "%s", err);
	scn_runner_free(r);
	/* the caller's budget wins over the script's; UINT64_MAX: none */
	struct scn_options o = {.max_events = UINT64_MAX};
	r = runner("cluster nodes=3\nset max_events=2000\nrun 60s\n", &o);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	cr_assert_eq(scn_runner_halt(r), SIM_OK);
	scn_runner_free(r);
	/* a failed expectation is not a halt */
	r = runner("cluster nodes=3\nexpect leader\n", NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_assert_eq(scn_runner_halt(r), SIM_OK);
	scn_runner_free(r);
}

Test(scn_run, a_saved_session_keeps_its_budgets)
{
	struct scn_runner *r =
	    runner("cluster nodes=3\nset max_events=900000 max_memory=64MiB\nrun 1s\n", NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE);
	char *text = scn_runner_save_text(r);
	cr_assert(text);
	cr_assert(strstr(text, " max_events=900000 max_memory=64MiB\n"), "%s", text);
	free(text);
	scn_runner_free(r);
	/* defaults are left out, so older sessions read the same */
	r = runner("cluster nodes=3\nrun 1s\n", NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE);
	text = scn_runner_save_text(r);
	cr_assert(!strstr(text, "max_"), "%s", text);
	free(text);
	scn_runner_free(r);
}

/* ---- Measurements --------------------------------------------------------- */

/* The measurements of a script run to its end with seed `seed`. */
static size_t measure_all(const char *text, uint64_t seed, struct scn_measurement *out, size_t cap,
                          struct trace *t)
{
	struct scn_options o = {.has_seed = true, .seed = seed, .trace_fn = t ? on_trace : NULL,
	                        .trace_ctx = t};
	struct scn_runner *r = runner(text, &o);
	int st = scn_runner_run_all(r);
	cr_assert_eq(st, SCN_DONE, "%s", scn_runner_error(r));
	size_t n;
	const struct scn_measurement *m = scn_runner_measurements(r, &n);
	cr_assert_leq(n, cap);
	memcpy(out, m, n * sizeof *m);
	scn_runner_free(r);
	return n;
}

/* `measure` records the virtual time a condition took, from its own start
 * or from a mark; the value is exactly the time between the two moments
 * (checked against the clock at the mark and at the end). */
Test(scn_run, measure_records_the_time_a_condition_took)
{
	struct scn_runner *r = runner("cluster nodes=5 seed=4\n"
	                              "run until leader within 5s\n"
	                              "run 30ms\n"
	                              "mark crashed\n"
	                              "crash leader\n"
	                              "run 20ms\n"
	                              "measure election until leader within 10s\n"
	                              "measure total since crashed until leader\n"
	                              "measure at-once until leader\n",
	                              NULL);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	size_t n;
	const struct scn_measurement *m = scn_runner_measurements(r, &n);
	cr_assert_eq(n, 3);
	/* when the mark was set and `election` was reached: the history */
	size_t nh;
	const struct scn_record *h = scn_runner_history(r, &nh);
	int64_t reached = -1, t_mark = -1;
	for (size_t i = 0; i < nh; i++) {
		if (h[i].kind == SCN_REC_REACHED && h[i].cmd.kind == SCN_CMD_MEASURE &&
		    !strcmp(h[i].cmd.name, "election"))
			reached = h[i].time_us;
		if (h[i].kind == SCN_REC_EXEC && h[i].cmd.kind == SCN_CMD_MARK)
			t_mark = h[i].time_us;
	}
	cr_assert_gt(reached, 0);
	cr_assert_gt(t_mark, 30000);
	cr_expect_str_eq(m[0].name, "election");
	cr_expect_eq(m[0].line, 7);
	cr_expect_not(m[0].timed_out);
	cr_expect_eq(m[0].start_us, t_mark + 20000);
	cr_expect_eq(m[0].value_us, reached - (t_mark + 20000));
	cr_expect_gt(m[0].value_us, 0, "a new leader takes an election timeout at least");
	cr_expect_str_eq(m[1].name, "total");
	cr_expect_eq(m[1].start_us, t_mark);
	cr_expect_eq(m[1].value_us, m[0].value_us + 20000);
	cr_expect_str_eq(m[2].name, "at-once");
	cr_expect_eq(m[2].value_us, 0, "a condition that holds already takes no time");
	scn_runner_free(r);
}

/* A `within` that runs out records a timeout and the script goes on. */
Test(scn_run, measure_that_runs_out_records_a_timeout)
{
	struct scn_measurement m[4];
	size_t n = measure_all("cluster nodes=3 seed=1\n"
	                       "run until leader within 5s\n"
	                       "measure never until leaders == 2 within 1500ms\n"
	                       "expect leader\n"
	                       "measure after until leader within 1s\n",
	                       1, m, 4, NULL);
	cr_assert_eq(n, 2);
	cr_expect(m[0].timed_out);
	cr_expect_eq(m[0].value_us, 1500000);
	cr_expect_not(m[1].timed_out);
	cr_expect_eq(m[1].value_us, 0);
}

/* `run between A and B` waits a uniform random time in [A, B] drawn from
 * the scenario's own stream: the same seed draws the same waits, other
 * seeds others, and the simulator's randomness is untouched (the trace is
 * the one of a plain `run` of the wait drawn). */
Test(scn_run, run_between_draws_from_its_own_seeded_stream)
{
	static const char *const text = "cluster nodes=3 seed=1\n"
	                                "run until leader within 5s\n"
	                                "mark a\n"
	                                "run between 10ms and 75ms\n"
	                                "measure waited since a until leader within 0ms\n";
	bool seen[66] = {false};
	int distinct = 0;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct scn_measurement m[2], m2[2];
		cr_assert_eq(measure_all(text, seed, m, 2, NULL), 1);
		cr_assert_eq(measure_all(text, seed, m2, 2, NULL), 1);
		cr_expect_eq(m[0].value_us, m2[0].value_us, "seed %llu draws the same",
		             (unsigned long long)seed);
		cr_assert_geq(m[0].value_us, 10000);
		cr_assert_leq(m[0].value_us, 75000);
		int64_t ms = m[0].value_us / 1000;
		if (!seen[ms - 10]) {
			seen[ms - 10] = true;
			distinct++;
		}
	}
	cr_expect_geq(distinct, 20, "40 seeds drew only %d distinct waits", distinct);
	/* the same trace as `run D` for the D drawn */
	struct trace t1 = {0}, t2 = {0};
	struct scn_measurement m[2];
	measure_all(text, 7, m, 2, &t1);
	char plain[512], d[32];
	snprintf(d, sizeof d, "%lldus", (long long)m[0].value_us);
	snprintf(plain, sizeof plain,
	         "cluster nodes=3 seed=1\nrun until leader within 5s\nrun %s\nrun 0ms\n", d);
	struct scn_options o = {.has_seed = true, .seed = 7, .trace_fn = on_trace, .trace_ctx = &t2};
	struct scn_runner *r = runner(plain, &o);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE);
	scn_runner_free(r);
	cr_assert(t1.p && t2.p);
	cr_expect_str_eq(t1.p, t2.p);
	free(t1.p);
	free(t2.p);
	/* a point interval is no wait at all beyond it */
	cr_assert_eq(measure_all("cluster nodes=3 seed=1\nmark a\nrun between 5ms and 5ms\n"
	                         "measure w since a until not leaders == 9 within 0ms\n",
	                         3, m, 2, NULL),
	             1);
	cr_expect_eq(m[0].value_us, 5000);
}

/* `run between` and `measure` cannot be typed in; `mark` can. */
Test(scn_run, exec_marks_but_does_not_measure)
{
	struct scn_runner *r = runner("cluster nodes=3 seed=1\nrun 10ms\n", NULL);
	char err[SCN_ERR_MAX];
	cr_expect_eq(scn_runner_exec(r, "measure x until leader", err, sizeof err), -1);
	cr_expect_str_eq(err, "command:1:1: 'measure' cannot be executed here: advance the runner instead");
	cr_expect_eq(scn_runner_exec(r, "run between 1ms and 2ms", err, sizeof err), -1);
	cr_expect_eq(scn_runner_exec(r, "mark here", err, sizeof err), 0, "%s", err);
	scn_runner_free(r);
}

/* --vary: options.vary wins over the script's `set` of the same key, in the
 * initial config and in a later `set`, and leaves other keys alone. */
Test(scn_run, options_vary_wins_over_the_scripts_set)
{
	struct scn_options o = {.vary = {.mask = SCN_SET_ELECTION, .election_us_min = 400000,
	                                 .election_us_max = 401000}};
	struct scn_runner *r = runner("cluster nodes=3 seed=1\n"
	                              "set election=150..300ms heartbeat=40ms\n"
	                              "run 1ms\n"
	                              "set election=10..20ms heartbeat=30ms\n",
	                              &o);
	const struct sim_config *c = sim_config(scn_runner_sim(r));
	cr_expect_eq(c->election_us_min, 400000);
	cr_expect_eq(c->heartbeat_us, 40000);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	c = sim_config(scn_runner_sim(r));
	cr_expect_eq(c->election_us_min, 400000);
	cr_expect_eq(c->election_us_max, 401000);
	cr_expect_eq(c->heartbeat_us, 30000);
	scn_runner_free(r);
}

/* A saved session replays its measurements: the same values, reached or
 * timed out, and the same trace. */
Test(scn_run, save_and_replay_measurements)
{
	static const char *const text = "cluster nodes=5 seed=3\n"
	                                "run until leader within 5s\n"
	                                "run between 0ms and 75ms\n"
	                                "mark crashed\n"
	                                "crash leader\n"
	                                "measure election until leader within 10s\n"
	                                "measure total since crashed until leader within 1s\n"
	                                "measure never since election until leaders == 2 within 300ms\n"
	                                "run 50ms\n";
	struct trace t = {0};
	struct scn_options o = {.trace_fn = on_trace, .trace_ctx = &t, .has_seed = true, .seed = 9};
	struct scn_runner *r = runner(text, &o);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	replay_matches(r, &t);
	/* the replay measures the same */
	char *saved = scn_runner_save_text(r);
	cr_assert_not_null(saved);
	struct scn_runner *r2 = runner(saved, NULL);
	cr_assert_eq(scn_runner_run_all(r2), SCN_DONE, "%s", scn_runner_error(r2));
	size_t n1, n2;
	const struct scn_measurement *a = scn_runner_measurements(r, &n1);
	const struct scn_measurement *b = scn_runner_measurements(r2, &n2);
	cr_assert_eq(n1, 3);
	cr_assert_eq(n2, n1);
	for (size_t i = 0; i < n1; i++) {
		cr_expect_str_eq(b[i].name, a[i].name);
		cr_expect_eq(b[i].value_us, a[i].value_us, "%s", a[i].name);
		cr_expect_eq(b[i].timed_out, a[i].timed_out, "%s", a[i].name);
	}
	cr_expect(a[2].timed_out);
	free(saved);
	scn_runner_free(r2);
	scn_runner_free(r);
	free(t.p);
}

/* Membership: spares are no members; add makes one a learner, then a
 * voter; remove takes one out; nonsense requests fail at their line, and
 * the conditions say what they saw. */
Test(scn_run, add_and_remove_servers)
{
	struct scn_runner *r = runner("cluster nodes=4 voters=3 seed=2\n"
	                              "timeout n1\n"
	                              "run until leader == n1 within 1s\n"
	                              "expect members == {n1 n2 n3}\n"
	                              "expect not learner n4\n"
	                              "client put x=1\n"
	                              "run until committed x=1 on all within 1s\n"
	                              "expect log n4 == 0\n"
	                              "add n4\n"
	                              "expect learner n4\n"
	                              "run until members == {n1 n2 n3 n4} within 1s\n"
	                              "remove n2\n"
	                              "run until members == {leader n3 n4} within 1s\n"
	                              "client put y=2\n"
	                              "run until committed y=2 on all within 1s\n"
	                              "expect not committed y=2 on n2\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
	static const struct {
		const char *text, *err;
	} cases[] = {
		{"cluster nodes=3\ntimeout n1\nrun until leader within 1s\nadd n2\n",
		 "FAIL x.scn:4: add n2 (n2 is a member already)"},
		{"cluster nodes=3 voters=2\ntimeout n1\nrun until leader within 1s\nremove n3\n",
		 "FAIL x.scn:4: remove n3 (n3 is not a member, or the last voter)"},
		{"cluster nodes=3 voters=2\ntimeout n1\nrun until leader within 1s\nexpect members == {n1 n2 n3}\n",
		 "FAIL x.scn:4: expect members == {n1 n2 n3} (leader n1's voters are {n1 n2})"},
		{"cluster nodes=3\nexpect learner n3\n", "FAIL x.scn:2: expect learner n3 (no stable leader)"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = runner(cases[i].text, NULL);
		cr_expect_eq(scn_runner_run_all(r), SCN_FAILED, "%s", cases[i].text);
		cr_expect_str_eq(scn_runner_error(r), cases[i].err);
		scn_runner_free(r);
	}
}

/* transfer: the leader hands over (no new writes meanwhile: transferring),
 * the target leads within a round trip; without a leader it only notes
 * why in the trace and the script goes on. */
Test(scn_run, transfer_hands_leadership_over)
{
	struct scn_runner *r = runner("cluster nodes=5 seed=3\n"
	                              "transfer n4\n"
	                              "timeout n2\n"
	                              "run until leader == n2 within 1s\n"
	                              "expect not transferring\n"
	                              "transfer n4\n"
	                              "expect transferring\n"
	                              "client put x=1\n"
	                              "run until leader == n4 within 100ms\n"
	                              "expect not transferring\n"
	                              "run until committed x=1 on all within 1s\n"
	                              "transfer n4\n"
	                              "crash n1\n"
	                              "transfer n1\n"
	                              "expect transferring\n"
	                              "run 150ms\n"
	                              "expect not transferring\n"
	                              "expect leader == n4\n",
	                              NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
	r = runner("cluster nodes=3\ntimeout n1\nrun until leader within 1s\ntransfer n2\n"
	           "expect not transferring\n",
	           NULL);
	cr_expect_eq(scn_runner_run_all(r), SCN_FAILED);
	cr_expect_str_eq(scn_runner_error(r), "FAIL x.scn:5: expect not transferring (leader n1 is "
	                                      "handing leadership over to n2)");
	scn_runner_free(r);
}
