/* test_sim.c - the simulator: determinism, faults, crashes, clients,
 * checkpoints and the teaching bugs the checker must catch. */
#include <criterion/criterion.h>

#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS 1000LL
#define SEC 1000000LL

/* A growing buffer collecting the text trace. */
struct tracebuf {
	char *s;
	size_t n, cap;
};

static void collect(void *ctx, const struct sim_trace *t)
{
	struct tracebuf *b = ctx;
	char line[4096];
	size_t n = sim_trace_format(t, SIM_TRACE_TEXT, line, sizeof line);
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		cr_assert(b->s);
	}
	memcpy(b->s + b->n, line, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static struct sim *make(uint16_t nodes, uint64_t seed)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = nodes;
	c.seed = seed;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	return s;
}

/* Runs until a stable leader exists; returns it. */
static uint8_t await_leader(struct sim *s, int64_t within_us)
{
	int64_t end = sim_now_us(s) + within_us;
	while (sim_now_us(s) < end) {
		uint8_t l = sim_stable_leader(s);
		if (l)
			return l;
		cr_assert(sim_step(s), "the simulation stopped: %s",
		          sim_violation(s) ? sim_violation(s)->detail : "no events");
	}
	return sim_stable_leader(s);
}

static bool committed_on(const struct sim *s, uint8_t node, const char *cmd)
{
	const struct raft_node *r = sim_node(s, node);
	for (uint64_t i = 1; i <= raft_commit_index(r); i++) {
		const struct raft_entry *e = raft_entry_at(r, i);
		if (e->len == strlen(cmd) && !memcmp(e->cmd, cmd, e->len))
			return true;
	}
	return false;
}

static void run_for(struct sim *s, int64_t us)
{
	cr_assert_eq(sim_run_until(s, sim_now_us(s) + us), SIM_OK, "violation: %s",
	             sim_violation(s) ? sim_violation(s)->detail : "");
}

static char *trace_of(uint64_t seed, int64_t until)
{
	struct tracebuf b = {0};
	struct sim *s = make(5, seed);
	sim_set_trace(s, collect, &b);
	sim_run_until(s, 300 * MS);
	sim_client_put(s, "x=sally", 7, 0);
	sim_run_until(s, until);
	sim_free(s);
	return b.s;
}

Test(sim, same_seed_same_trace_different_seed_different_trace)
{
	char *a = trace_of(7, 3 * SEC), *b = trace_of(7, 3 * SEC), *c = trace_of(8, 3 * SEC);
	cr_assert(a && strlen(a) > 1000);
	cr_assert_str_eq(a, b);
	cr_assert_str_neq(a, c);
	cr_assert(strstr(a, "timeout → candidate term 1"), "%.400s", a);
	cr_assert(strstr(a, "leader term 1 (votes "));
	cr_assert(strstr(a, "(x=sally)"));
	free(a);
	free(b);
	free(c);
}

Test(sim, elects_one_leader_and_commits_a_client_put_everywhere)
{
	struct sim *s = make(5, 3);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert(l);
	cr_assert_gt(sim_client_put(s, "x=sally", 7, 0), 0);
	run_for(s, 1 * SEC);
	for (uint8_t i = 1; i <= 5; i++) {
		cr_assert(committed_on(s, i, "x=sally"), "n%u", i);
		size_t vlen = 0;
		const char *v = raft_map_get(sim_node(s, i), "x", 1, &vlen);
		cr_assert(v && vlen == 5 && !memcmp(v, "sally", 5), "n%u applied it", i);
	}
	cr_assert_eq(sim_counters(s)->client_acks, 1);
	sim_free(s);
}

Test(sim, partitioned_minority_never_commits_and_heal_converges)
{
	struct sim *s = make(5, 11);
	uint8_t a = await_leader(s, 5 * SEC);
	cr_assert(a);
	/* the old leader and one follower on one side */
	uint8_t buddy = a % 5 + 1;
	uint8_t group[5];
	for (int i = 0; i < 5; i++)
		group[i] = (i + 1 == a || i + 1 == buddy) ? 1 : 2;
	cr_assert_eq(sim_partition(s, group, 5), SIM_OK);
	uint64_t minority_commit = raft_commit_index(sim_node(s, a));
	cr_assert_eq(sim_propose(s, a, "old=1", 5), SIM_OK); /* A still believes it leads */
	uint8_t b = await_leader(s, 10 * SEC);
	cr_assert(b && b != a && b != buddy, "the majority elects its own leader");
	cr_assert_eq(sim_propose(s, b, "new=2", 5), SIM_OK);
	run_for(s, 3 * SEC);
	cr_assert_eq(raft_role(sim_node(s, a)), RAFT_LEADER, "A keeps believing (no CheckQuorum)");
	cr_assert_eq(raft_commit_index(sim_node(s, a)), minority_commit);
	cr_assert_eq(raft_commit_index(sim_node(s, buddy)), minority_commit);
	cr_assert(committed_on(s, b, "new=2"));
	sim_heal(s);
	run_for(s, 2 * SEC);
	cr_assert_eq(raft_role(sim_node(s, a)), RAFT_FOLLOWER);
	cr_assert(!committed_on(s, a, "old=1") && committed_on(s, a, "new=2"),
	          "A's uncommitted entry was replaced");
	uint64_t last = raft_last_index(sim_node(s, b));
	for (uint8_t i = 1; i <= 5; i++) {
		cr_assert_eq(raft_last_index(sim_node(s, i)), last, "n%u converged", i);
		cr_assert_eq(raft_term(sim_node(s, i)), raft_term(sim_node(s, b)));
	}
	sim_free(s);
}

Test(sim, cut_link_drops_messages_in_flight)
{
	struct sim *s = make(3, 5);
	uint8_t l = await_leader(s, 5 * SEC);
	uint8_t f = l % 3 + 1;
	/* step until a message from l to f is in flight, then cut the link */
	const struct sim_msg *found = NULL;
	for (int k = 0; k < 10000 && !found; k++) {
		sim_step(s);
		for (size_t i = 0; i < sim_msg_capacity(s); i++) {
			const struct sim_msg *m = sim_msg_slot(s, i);
			if (m && m->m.from == l && m->m.to == f)
				found = m;
		}
	}
	cr_assert(found);
	uint64_t dropped = sim_counters(s)->msgs_dropped;
	int64_t arrive = found->deliver_us;
	sim_link_set(s, l, f, false);
	cr_assert(!sim_link_up(s, l, f) && sim_link_up(s, f, l));
	cr_assert_eq(sim_link_changed_us(s, l, f), sim_now_us(s));
	sim_run_until(s, arrive);
	cr_assert_gt(sim_counters(s)->msgs_dropped, dropped);
	const struct sim_drop *d;
	size_t nd = sim_drops(s, &d);
	cr_assert(nd > 0 && d[nd - 1].from == l && d[nd - 1].to == f);
	sim_free(s);
}

Test(sim, lossy_and_duplicating_network_stays_safe_and_commits)
{
	for (uint64_t seed = 1; seed <= 10; seed++) {
		struct sim_config c;
		sim_config_default(&c);
		c.seed = seed;
		c.drop_ppm = 200000; /* 20% */
		c.dup_ppm = 200000;
		struct sim *s = sim_new(&c);
		cr_assert(s);
		run_for(s, 2 * SEC);
		char cmd[16];
		for (int k = 0; k < 20; k++) {
			int n = snprintf(cmd, sizeof cmd, "k%d=%d", k, k);
			cr_assert_gt(sim_client_put(s, cmd, (size_t)n, 0), 0);
			run_for(s, 200 * MS);
		}
		run_for(s, 20 * SEC);
		cr_assert_null(sim_violation(s));
		cr_assert_gt(sim_counters(s)->msgs_dropped, 0);
		cr_assert_gt(sim_counters(s)->msgs_duplicated, 0);
		cr_assert_eq(sim_counters(s)->client_acks, 20, "seed %llu: every put commits",
		             (unsigned long long)seed);
		sim_free(s);
	}
}

Test(sim, crash_keeps_persisted_state_and_restart_relearns_commit)
{
	struct sim_config c;
	sim_config_default(&c);
	c.seed = 21;
	c.disk_us = 2 * MS;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	uint8_t l = await_leader(s, 5 * SEC);
	sim_client_put(s, "x=1", 3, 0);
	run_for(s, 1 * SEC);
	uint8_t f = l % 5 + 1;
	const struct raft_node *r = sim_node(s, f);
	uint64_t term = raft_term(r), last = raft_last_index(r);
	uint8_t vote = raft_voted_for(r);
	cr_assert_geq(raft_commit_index(r), 1);
	cr_assert_eq(sim_crash(s, f), SIM_OK);
	cr_assert(!sim_node_up(s, f));
	cr_assert_eq(sim_crash(s, f), SIM_EINVAL, "crashing a crashed node is an error");
	run_for(s, 500 * MS);
	cr_assert_eq(sim_restart(s, f), SIM_OK);
	r = sim_node(s, f);
	cr_assert_eq(raft_term(r), term);
	cr_assert_eq(raft_voted_for(r), vote);
	cr_assert_eq(raft_last_index(r), last, "the persisted log survives");
	cr_assert_eq(raft_commit_index(r), 0, "commitIndex is volatile");
	cr_assert_eq(raft_map_count(r), 0, "the state machine is rebuilt by re-applying");
	run_for(s, 1 * SEC);
	cr_assert_geq(raft_commit_index(r), 1, "re-learned from the leader");
	cr_assert(committed_on(s, f, "x=1"));
	sim_free(s);
}

Test(sim, crash_loses_writes_not_yet_on_disk)
{
	struct sim_config c;
	sim_config_default(&c);
	c.seed = 4;
	c.disk_us = 50 * MS;
	struct sim *s = sim_new(&c);
	uint8_t l = await_leader(s, 5 * SEC);
	run_for(s, 500 * MS);
	uint64_t before = raft_last_index(sim_node(s, l));
	cr_assert_eq(sim_propose(s, l, "y=2", 3), SIM_OK);
	run_for(s, 1 * MS); /* appended in memory, the disk write takes 50 ms */
	cr_assert_eq(raft_last_index(sim_node(s, l)), before + 1);
	sim_crash(s, l);
	sim_restart(s, l);
	cr_assert_eq(raft_last_index(sim_node(s, l)), before);
	sim_free(s);
}

Test(sim, checkpoint_restore_replays_identically)
{
	struct tracebuf a = {0}, b = {0};
	struct sim_config c;
	sim_config_default(&c);
	c.seed = 99;
	c.drop_ppm = 50000;
	c.dup_ppm = 50000;
	c.disk_us = 3 * MS;
	struct sim *s = sim_new(&c);
	run_for(s, 1 * SEC);
	sim_client_put(s, "a=1", 3, 0);
	run_for(s, 333 * MS);
	struct sim *cp = sim_clone(s);
	cr_assert(cp);
	sim_set_trace(s, collect, &a);
	sim_set_trace(cp, collect, &b);
	for (struct sim *x = s;; x = cp) {
		sim_client_put(x, "b=2", 3, 0);
		sim_crash(x, 2);
		run_for(x, 2 * SEC);
		sim_restart(x, 2);
		run_for(x, 2 * SEC);
		if (x == cp)
			break;
	}
	cr_assert(a.n > 1000);
	cr_assert_str_eq(a.s, b.s);
	cr_assert_eq(sim_counters(s)->events, sim_counters(cp)->events);
	sim_free(s);
	sim_free(cp);
	free(a.s);
	free(b.s);
}

Test(sim, message_sent_over_a_cut_link_says_so_when_it_arrives_after_the_heal)
{
	struct sim *s = make(3, 5);
	struct tracebuf tb = {0};
	uint8_t l = await_leader(s, 5 * SEC);
	uint8_t f = l % 3 + 1;
	sim_link_set(s, l, f, false);
	/* step until the leader sends to f over the cut link */
	const struct sim_msg *found = NULL;
	for (int k = 0; k < 10000 && !found; k++) {
		sim_step(s);
		for (size_t i = 0; i < sim_msg_capacity(s); i++) {
			const struct sim_msg *m = sim_msg_slot(s, i);
			if (m && m->m.from == l && m->m.to == f && m->send_us == sim_now_us(s))
				found = m;
		}
	}
	cr_assert(found);
	int64_t arrive = found->deliver_us;
	sim_set_trace(s, collect, &tb);
	sim_heal(s); /* before it arrives; drop is 0%: nothing is lost at random */
	sim_run_until(s, arrive);
	cr_assert(tb.s && strstr(tb.s, "dropped (cut link)"), "%s", tb.s ? tb.s : "");
	cr_assert_null(strstr(tb.s, "dropped (lost)"), "%s", tb.s);
	free(tb.s);
	sim_free(s);
}

/* A message to a node that crashes and restarts before it arrives dies on
 * arrival: the new process never had the connection it was sent on.  One
 * sent while the receiver was already down, and delivered after it is back,
 * arrives. */
Test(sim, message_to_a_receiver_restarted_since_it_was_sent_is_dropped)
{
	struct sim *s = make(3, 5);
	struct tracebuf tb = {0};
	uint8_t l = await_leader(s, 5 * SEC);
	uint8_t f = l % 3 + 1;
	const struct sim_msg *found = NULL;
	for (int k = 0; k < 10000 && !found; k++) {
		sim_step(s);
		for (size_t i = 0; i < sim_msg_capacity(s); i++) {
			const struct sim_msg *m = sim_msg_slot(s, i);
			if (m && m->m.from == l && m->m.to == f && m->send_us == sim_now_us(s) &&
			    m->deliver_us > sim_now_us(s))
				found = m;
		}
	}
	cr_assert(found);
	uint64_t id = found->id;
	int64_t arrive = found->deliver_us;
	sim_set_trace(s, collect, &tb);
	cr_assert_eq(sim_crash(s, f), SIM_OK);
	cr_assert_eq(sim_restart(s, f), SIM_OK);
	sim_run_until(s, arrive);
	char want[64];
	snprintf(want, sizeof want, "dropped (restarted) id=%llu", (unsigned long long)id);
	cr_assert(tb.s && strstr(tb.s, want), "no '%s' in:\n%s", want, tb.s ? tb.s : "");
	free(tb.s);
	sim_free(s);
}

Test(sim, a_two_way_cut_is_one_event_naming_both_directions)
{
	struct sim *s = make(3, 5);
	struct tracebuf tb = {0};
	sim_set_trace(s, collect, &tb);
	cr_assert_eq(sim_link_set_both(s, 1, 2, false), SIM_OK);
	cr_assert(!sim_link_up(s, 1, 2) && !sim_link_up(s, 2, 1) && sim_link_up(s, 1, 3));
	cr_assert_str_eq(tb.s, "[    0.000ms] cut n1 ↔ n2\n");
	cr_assert_eq(sim_link_set_both(s, 2, 1, true), SIM_OK);
	cr_assert(sim_link_up(s, 1, 2) && sim_link_up(s, 2, 1));
	cr_assert_eq(sim_link_set_both(s, 2, 2, true), SIM_EINVAL);
	free(tb.s);
	sim_free(s);

	char buf[256];
	struct sim_trace both = {.kind = SIM_T_LINK, .node = 1, .peer = 2, .both = true};
	sim_trace_explain(&both, buf, sizeof buf);
	cr_assert_str_eq(buf, "The link between n1 and n2 is cut, both ways.");
	sim_trace_format(&both, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"both\":true"), "%s", buf);
	struct sim_trace one = {.kind = SIM_T_LINK, .node = 2, .peer = 1, .success = true};
	sim_trace_explain(&one, buf, sizeof buf);
	cr_assert_str_eq(buf, "The link from n2 to n1 is mended.");
	sim_trace_format(&one, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[    0.000ms] mend n2 → n1\n");
}

/* A skew sentence says only what changed: a jump, a rate, both, or the
 * clock back at real time. */
Test(sim, skew_sentences_say_what_changed)
{
	char buf[256];
	struct sim_trace t = {.kind = SIM_T_SKEW, .node = 1, .rate_ppm = SIM_PPM / 10};
	sim_trace_explain(&t, buf, sizeof buf);
	cr_assert_str_eq(buf, "n1's clock now runs at 0.1 times real time: its timers fire early or late.");
	t.rate_ppm = SIM_PPM;
	sim_trace_explain(&t, buf, sizeof buf);
	cr_assert_str_eq(buf, "n1's clock runs at real time again.");
	t.skew_us = 20000;
	sim_trace_explain(&t, buf, sizeof buf);
	cr_assert_str_eq(buf, "n1's clock jumps by 20 ms: its timers fire that much early or late.");
	t.rate_ppm = 2 * SIM_PPM;
	sim_trace_explain(&t, buf, sizeof buf);
	cr_assert_str_eq(buf, "n1's clock jumps by 20 ms and runs at 2 times real time: its timers fire early or late.");
}

Test(sim, restart_counts_its_log_entries_in_words)
{
	char buf[256];
	struct sim_trace r = {.kind = SIM_T_RESTART, .node = 2, .term = 3, .index = 1};
	sim_trace_explain(&r, buf, sizeof buf);
	cr_assert_str_eq(buf, "n2 restarts from disk: term 3, 1 log entry, as a follower.");
	r.index = 0;
	sim_trace_explain(&r, buf, sizeof buf);
	cr_assert_str_eq(buf, "n2 restarts from disk: term 3, 0 log entries, as a follower.");
	r.index = 4;
	sim_trace_explain(&r, buf, sizeof buf);
	cr_assert_str_eq(buf, "n2 restarts from disk: term 3, 4 log entries, as a follower.");
}

Test(sim, trace_formats)
{
	char buf[256];
	struct raft_msg m = {.type = RAFT_MSG_VOTE, .from = 3, .to = 1, .term = 2};
	struct sim_trace t = {.kind = SIM_T_SEND, .time_us = 212345, .node = 3, .peer = 1,
	                      .msg = &m};
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[  212.345ms] n3 → n1 RequestVote(term 2, last 0/0)\n");
	sim_trace_format(&t, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"t_us\":212345,\"kind\":\"send\",\"node\":3,\"peer\":1"), "%s", buf);
	t.msg_id = 17;
	t.due_us = 218000;
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[  212.345ms] n3 → n1 RequestVote(term 2, last 0/0) id=17 due=218.000ms\n");
	sim_trace_format(&t, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"peer\":1,\"id\":17,\"due_us\":218000,\"msg\":{"), "%s", buf);
	t.kind = SIM_T_DELIVER;
	t.time_us = 218000;
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[  218.000ms] n3 → n1 RequestVote delivered id=17\n");
	sim_trace_format(&t, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"kind\":\"deliver\",\"node\":3,\"peer\":1,\"id\":17,\"msg\":{"), "%s", buf);
	t.kind = SIM_T_DROP;
	t.text = "receiver down";
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[  218.000ms] n3 → n1 RequestVote dropped (receiver down) id=17\n");
	sim_trace_format(&t, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"id\":17,\"msg\":{") && strstr(buf, "\"why\":\"receiver down\""), "%s", buf);
	cr_assert_null(strstr(buf, "due_us"), "%s", buf);
	t.kind = SIM_T_SEND;
	t.time_us = 212345;
	t.text = NULL;
	t.msg_id = 0;
	struct sim_trace to = {.kind = SIM_T_TIMEOUT, .time_us = 212345, .node = 3, .term = 2};
	sim_trace_format(&to, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[  212.345ms] n3 timeout → candidate term 2\n");
	sim_trace_explain(&to, buf, sizeof buf);
	cr_assert_str_eq(buf, "n3's election timeout fired: it becomes a candidate for term 2 and "
	                      "asks for votes.");
	struct raft_entry e = {.term = 2, .len = 7};
	memcpy(e.cmd, "x=sally", 7);
	struct sim_trace cm = {.kind = SIM_T_COMMIT, .time_us = 1000, .node = 2, .index = 4,
	                       .first = 4, .entry = &e};
	sim_trace_format(&cm, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_assert_str_eq(buf, "[    1.000ms] n2 commit 4 (x=sally)\n");
	struct sim_trace say = {.kind = SIM_T_SAY, .text = "a \"quoted\"\nline"};
	sim_trace_format(&say, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_assert(strstr(buf, "\"text\":\"a \\\"quoted\\\"\\u000aline\""), "%s", buf);
	/* truncation keeps one line */
	char small[16];
	size_t n = sim_trace_format(&to, SIM_TRACE_TEXT, small, sizeof small);
	cr_assert_eq(n, 15);
	cr_assert_eq(small[14], '\n');
}

Test(sim, bad_config_is_rejected_with_a_reason)
{
	struct sim_config c;
	char err[128];
	sim_config_default(&c);
	c.nodes = 0;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_EINVAL);
	cr_assert(strstr(err, "nodes"));
	cr_assert_null(sim_new(&c));
	sim_config_default(&c);
	c.election_us_min = 300 * MS;
	c.election_us_max = 150 * MS;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_EINVAL);
	cr_assert(strstr(err, "election"));
	sim_config_default(&c);
	c.drop_ppm = SIM_PPM + 1;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_EINVAL);
	struct sim *s = make(3, 1);
	cr_assert_eq(sim_crash(s, 4), SIM_EINVAL);
	cr_assert_eq(sim_client_put(s, "novalue", 7, 0), SIM_EINVAL);
	cr_assert_eq(sim_client_put(s, "=x", 2, 0), SIM_EINVAL);
	cr_assert_eq(sim_client_put(s, "a b=c", 5, 0), SIM_EINVAL);
	cr_assert_eq(sim_client_put(s, "x=1", 3, 9), SIM_EINVAL);
	sim_free(s);
}

/* The teaching bugs: each one, switched on, lets the checker find a
 * violation on some seed of a faulty run; the same runs without the bug stay
 * clean.  The fault mix: crashes, partitions and client load. */
static const struct sim_violation *faulty_run(struct sim *s, uint64_t seed)
{
	uint64_t st = seed * 7919;
	char cmd[16];
	for (int round = 0; round < 40 && !sim_violation(s); round++) {
		st = st * 6364136223846793005ull + 1442695040888963407ull;
		uint8_t a = (uint8_t)((st >> 33) % 5 + 1);
		uint8_t b = (uint8_t)((st >> 40) % 5 + 1);
		int n = snprintf(cmd, sizeof cmd, "k%d=%d", round % 3, round);
		sim_client_put(s, cmd, (size_t)n, 0);
		switch ((st >> 50) % 4) {
		case 0:
			if (sim_node_up(s, a))
				sim_crash(s, a);
			break;
		case 1: {
			uint8_t g[5];
			for (int i = 0; i < 5; i++)
				g[i] = (uint8_t)((st >> (10 + i)) & 1);
			sim_partition(s, g, 5);
			break;
		}
		case 2:
			sim_heal(s);
			for (uint8_t i = 1; i <= 5; i++)
				if (!sim_node_up(s, i))
					sim_restart(s, i);
			break;
		default:
			if (sim_node_up(s, b))
				sim_timeout(s, b);
		}
		sim_run_until(s, sim_now_us(s) + 50 * MS + (int64_t)((st >> 20) % 400) * MS);
	}
	return sim_violation(s);
}

static uint64_t first_violating_seed_snap(uint32_t bugs, const char *invariant,
                                         uint64_t max_seed, uint32_t snapshot)
{
	for (uint64_t seed = 1; seed <= max_seed; seed++) {
		struct sim_config c;
		sim_config_default(&c);
		c.seed = seed;
		c.bugs = bugs;
		c.snapshot_threshold = snapshot;
		c.snapshot_trailing = snapshot / 4;
		struct sim *s = sim_new(&c);
		const struct sim_violation *v = faulty_run(s, seed);
		bool hit = v && (!invariant || !strcmp(v->invariant, invariant));
		if (v)
			cr_assert_eq(v->seed, seed);
		sim_free(s);
		if (hit)
			return seed;
	}
	return 0;
}

static uint64_t first_violating_seed(uint32_t bugs, const char *invariant, uint64_t max_seed)
{
	return first_violating_seed_snap(bugs, invariant, max_seed, 0);
}

/* With logs compacted at every few entries (3 keys: a snapshot every 3 or
 * 4 applied entries), runs stay clean and the bugs are still caught. */
Test(sim, snapshots_keep_runs_clean_and_bugs_caught)
{
	cr_assert_eq(first_violating_seed_snap(0, NULL, 60, 3), 0);
	cr_assert_neq(first_violating_seed_snap(RAFT_BUG_VOTE_TWICE, "Election Safety", 300, 3), 0);
	cr_assert_neq(first_violating_seed_snap(RAFT_BUG_NO_TRUNCATE, NULL, 300, 3), 0);
	cr_assert_neq(first_violating_seed_snap(RAFT_BUG_NO_LOG_CHECK, NULL, 300, 3), 0);
}

static void count_installs(void *ctx, const struct sim_trace *t)
{
	unsigned *installs = ctx;
	if (t->kind == SIM_T_SNAPSHOT && t->success)
		installs[t->node]++;
}

/* A long run with compaction: a follower down for a while comes back
 * through InstallSnapshot; the checker's per-index records stay bounded. */
Test(sim, long_run_with_snapshots_installs_and_bounds_the_checker)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.snapshot_threshold = 16;
	c.snapshot_trailing = 4;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	unsigned installs[4] = {0};
	sim_set_trace(s, count_installs, installs);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert(l);
	uint8_t down = l == 3 ? 2 : 3;
	char cmd[32];
	for (int round = 0; round < 60; round++) {
		if (round == 20)
			sim_crash(s, down);
		if (round == 40)
			sim_restart(s, down);
		for (int k = 0; k < 100; k++) {
			int n = snprintf(cmd, sizeof cmd, "k%d=%d", k % 10, round * 100 + k);
			cr_assert_eq(sim_propose(s, sim_stable_leader(s), cmd, (size_t)n), SIM_OK);
		}
		run_for(s, 500 * MS);
	}
	run_for(s, 2 * SEC);
	cr_assert_gt(installs[down], 0, "n%u caught up through InstallSnapshot", down);
	const struct raft_node *r1 = sim_node(s, 1);
	for (uint8_t i = 1; i <= 3; i++) {
		const struct raft_node *r = sim_node(s, i);
		cr_assert_eq(raft_last_applied(r), 6000, "n%u applied %llu", i,
		             (unsigned long long)raft_last_applied(r));
		cr_assert_gt(raft_log_first(r), 5000, "n%u compacted", i);
		cr_assert_eq(raft_map_count(r), 10);
		for (size_t k = 0; k < raft_map_count(r); k++) {
			char key[32];
			snprintf(key, sizeof key, "k%zu", k);
			size_t a = 0, z = 0;
			const char *va = raft_map_get(r1, key, strlen(key), &a);
			const char *vz = raft_map_get(r, key, strlen(key), &z);
			cr_assert(va && vz && a == z && !memcmp(va, vz, a), "n%u %s differs", i, key);
		}
	}
	cr_assert_gt(s->checker.off, 4000, "the checker dropped compacted records");
	/* 2000 entries were committed while n_down kept its log: 4096 slots */
	cr_assert_leq(s->checker.committed_cap, 4096);
	sim_free(s);
}

Test(sim, faulty_runs_without_bugs_are_clean)
{
	cr_assert_eq(first_violating_seed(0, NULL, 60), 0);
}

Test(sim, checker_catches_vote_twice)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_VOTE_TWICE, "Election Safety", 300), 0);
}

Test(sim, checker_catches_no_truncate)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_NO_TRUNCATE, NULL, 300), 0);
}

Test(sim, checker_catches_no_log_check)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_NO_LOG_CHECK, NULL, 300), 0);
}

/* ---- Resources ------------------------------------------------------------ */

Test(sim, timers_below_one_millisecond_are_refused)
{
	struct sim_config c;
	char err[200];
	sim_config_default(&c);
	c.heartbeat_us = 999;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_EINVAL);
	cr_assert(strstr(err, "heartbeat below 1ms"), "%s", err);
	sim_config_default(&c);
	c.election_us_min = 1;
	c.election_us_max = 1;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_EINVAL);
	cr_assert(strstr(err, "election timeout below 1ms"), "%s", err);
	sim_config_default(&c);
	c.election_us_min = c.election_us_max = c.heartbeat_us = 1000;
	c.latency_us_min = c.latency_us_max = 0;
	cr_assert_eq(sim_config_validate(&c, err, sizeof err), SIM_OK);
}

Test(sim, the_event_budget_stops_the_run_as_a_limit_not_a_violation)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.max_events = 1000;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	cr_assert_eq(sim_run_until(s, 60 * SEC), SIM_ELIMIT);
	cr_assert_eq(sim_halt(s), SIM_ELIMIT);
	cr_assert_eq(sim_counters(s)->events, 1000);
	cr_assert_lt(sim_now_us(s), 60 * SEC);
	char line[300];
	sim_halt_format(s, line, sizeof line);
	char want[200];
	snprintf(want, sizeof want,
	         "resource limit: the event budget (max_events=1000 events) ran out at ");
	cr_assert(!strncmp(line, want, strlen(want)), "%s", line);
	cr_assert(strstr(line, "ms virtual time, seed 1"), "%s", line);
	cr_assert_str_eq(sim_violation(s)->invariant, "resource limit");
	cr_assert(!sim_step(s));
	sim_free(s);
	/* 0: no limit */
	c.max_events = 0;
	s = sim_new(&c);
	cr_assert_eq(sim_run_until(s, 10 * SEC), SIM_OK);
	cr_assert_gt(sim_counters(s)->events, 1000);
	sim_free(s);
}

Test(sim, the_memory_budget_counts_what_the_simulator_holds)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	uint64_t empty = sim_memory_bytes(s);
	for (int k = 0; k < 5000; k++) {
		char cmd[32];
		snprintf(cmd, sizeof cmd, "k%d=%d", k, k);
		cr_assert_gt(sim_client_put(s, cmd, strlen(cmd), 0), 0);
	}
	cr_assert_eq(sim_run_until(s, 20 * SEC), SIM_OK);
	uint64_t full = sim_memory_bytes(s);
	/* three logs of 5,000 entries, three maps, the checker, the requests */
	cr_assert_gt(full - empty, 3 * 5000 * sizeof(struct raft_entry), "%llu -> %llu",
	             (unsigned long long)empty, (unsigned long long)full);
	sim_free(s);
	c.max_memory_bytes = empty + (full - empty) / 2;
	s = sim_new(&c);
	for (int k = 0; k < 5000; k++) {
		char cmd[32];
		snprintf(cmd, sizeof cmd, "k%d=%d", k, k);
		sim_client_put(s, cmd, strlen(cmd), 0);
	}
	cr_assert_eq(sim_run_until(s, 20 * SEC), SIM_ELIMIT);
	char line[300];
	sim_halt_format(s, line, sizeof line);
	cr_assert(strstr(line, "the memory budget (max_memory="), "%s", line);
	sim_free(s);
}

/* A put still waiting at the stable leader that accepted it is not sent
 * again, however long the commit takes. */
Test(sim, a_put_waiting_at_a_working_leader_is_not_resent)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	cr_assert(await_leader(s, 10 * SEC));
	c.disk_us = 100 * MS;        /* every commit takes a while ... */
	c.client_retry_us = 20 * MS; /* ... far longer than the client waits */
	cr_assert_eq(sim_reconfigure(s, &c), SIM_OK);
	uint8_t l = sim_stable_leader(s);
	uint64_t last = raft_last_index(sim_node(s, l));
	cr_assert_gt(sim_client_put(s, "x=1", 3, 0), 0);
	run_for(s, 5 * SEC);
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 0, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_ACKED);
	cr_assert_eq(ci.attempts, 1, "the put was sent %u times", ci.attempts);
	cr_assert_eq(raft_last_index(sim_node(s, l)), last + 1, "the log holds %llu copies",
	             (unsigned long long)(raft_last_index(sim_node(s, l)) - last));
	sim_free(s);
}

/* With every node down, a client's retries back off: 3 at the base wait,
 * then doubling to 8 x retry, with jitter. */
Test(sim, retries_back_off)
{
	struct sim *s = make(3, 1);
	for (uint8_t i = 1; i <= 3; i++)
		cr_assert_eq(sim_crash(s, i), SIM_OK);
	cr_assert_gt(sim_client_put(s, "x=1", 3, 0), 0);
	run_for(s, 60 * SEC);
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 0, &ci));
	/* a fixed 1 s retry makes about 60 attempts; backing off: 3 + 2 s +
	 * 4 s + 8..12 s each after that, 10 or so */
	cr_assert_geq(ci.attempts, 6, "%u attempts", ci.attempts);
	cr_assert_leq(ci.attempts, 14, "%u attempts", ci.attempts);
	/* and the jitter comes from the seed: same seed, same attempts */
	struct sim *t = make(3, 1);
	for (uint8_t i = 1; i <= 3; i++)
		sim_crash(t, i);
	sim_client_put(t, "x=1", 3, 0);
	run_for(t, 60 * SEC);
	struct sim_client_info cj;
	sim_client_info(t, 0, &cj);
	cr_assert_eq(cj.attempts, ci.attempts);
	sim_free(t);
	sim_free(s);
}

/* The disk is the simulator's, so durability bugs in raft/ are caught. */
Test(sim, checker_catches_lazy_vote)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_LAZY_VOTE, "Durability", 300), 0);
}

Test(sim, checker_catches_keep_persisted)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_KEEP_PERSISTED, "Durability", 300), 0);
}

/* A leader's matchIndex must be what the follower holds. */
Test(sim, checker_catches_match_from_next)
{
	cr_assert_neq(first_violating_seed(RAFT_BUG_MATCH_FROM_NEXT, "Match Index", 50), 0);
}

/* A put re-sent while its first copy still waits at the same leader (the
 * leader lost its majority for a moment) is accepted there again: the
 * leader's waiting list must hold it once, at its new index, or requests
 * behind the stale copy are looked at only after compaction dropped them
 * and are written again. */
Test(sim, a_put_reaccepted_by_the_same_leader_waits_there_once)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.seed = 3;
	c.client_retry_us = 20 * MS;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert(l);
	run_for(s, 200 * MS);
	cr_assert(sim_client_put(s, "a=1", 3, l) >= 0);
	run_for(s, 1 * MS);
	cr_assert_eq(sim_isolate(s, l), SIM_OK);
	unsigned most = 0;
	for (int k = 0; k < 200; k++) {
		run_for(s, 1 * MS);
		const struct sim_client_queue *q = &s->clients.waiting[l];
		unsigned copies = 0;
		for (size_t j = 0; j < q->n; j++) {
			uint64_t w = q->v[(q->head + j) % q->cap];
			/* a copy it would wait for: request 0, current generation */
			copies += (uint32_t)w == 0 && (uint16_t)(w >> 32) == s->clients.reqs[0].gen;
		}
		if (copies > most)
			most = copies;
	}
	cr_assert_leq(most, 1, "the leader waited for the put %u times", most);
	sim_heal(s);
	run_for(s, 2 * SEC);
	sim_free(s);
}

/* Torn writes (a crash keeps the hard state and a prefix of the oldest
 * write in flight) on a slow disk, with and without compaction: still safe,
 * and the checker still catches a durability bug. */
Test(sim, torn_writes_stay_safe)
{
	unsigned caught = 0;
	for (uint64_t seed = 1; seed <= 40; seed++)
		for (uint32_t bugs = 0; bugs <= RAFT_BUG_KEEP_PERSISTED; bugs += RAFT_BUG_KEEP_PERSISTED) {
			struct sim_config c;
			sim_config_default(&c);
			c.seed = seed;
			c.disk_us = 5 * MS;
			c.torn_writes = true;
			c.snapshot_threshold = seed % 2 ? 4 : 0;
			c.bugs = bugs;
			struct sim *s = sim_new(&c);
			cr_assert(s);
			const struct sim_violation *v = faulty_run(s, seed);
			if (!bugs)
				cr_assert_null(v, "seed %llu: %s: %s", (unsigned long long)seed,
				               v ? v->invariant : "", v ? v->detail : "");
			else
				caught += v != NULL;
			sim_free(s);
		}
	cr_assert_gt(caught, 0);
}

/* What could happen next: the earliest message on each link and each live
 * node's next timer, earliest first; deliver next moves a message to now. */
Test(sim, next_events_list_the_earliest_message_per_link_and_each_timer)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	struct sim *s = sim_new(&c);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert(l);
	struct sim_next nx[64];
	size_t n = sim_next_events(s, nx, 64);
	unsigned timers = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			cr_assert_leq(nx[i - 1].time_us, nx[i].time_us, "not earliest first");
		cr_assert_geq(nx[i].time_us, sim_now_us(s));
		if (nx[i].kind == SIM_NEXT_TIMER) {
			timers++;
			cr_assert_eq(nx[i].heartbeat, nx[i].node == l);
			continue;
		}
		const struct sim_msg *m = sim_msg_find(s, nx[i].msg_id);
		cr_assert(m && m->m.from == nx[i].from && m->m.to == nx[i].node);
		cr_assert_eq(m->deliver_us, nx[i].time_us);
		/* no message on the same link is due earlier */
		for (size_t k = 0; k < sim_msg_capacity(s); k++) {
			const struct sim_msg *o = sim_msg_slot(s, k);
			if (o && o->m.from == m->m.from && o->m.to == m->m.to)
				cr_assert_geq(o->deliver_us, m->deliver_us);
		}
		for (size_t k = 0; k < i; k++)
			cr_assert(nx[k].kind != SIM_NEXT_MSG || nx[k].from != nx[i].from ||
			          nx[k].node != nx[i].node, "two entries for one link");
	}
	cr_assert_eq(timers, 3);
	/* the latest message in flight, delivered next */
	const struct sim_msg *late = NULL;
	for (size_t k = 0; k < sim_msg_capacity(s); k++) {
		const struct sim_msg *o = sim_msg_slot(s, k);
		if (o && (!late || o->deliver_us > late->deliver_us))
			late = o;
	}
	cr_assert(late && late->deliver_us > sim_now_us(s));
	uint64_t id = late->id;
	cr_assert_eq(sim_msg_retime(s, id, sim_now_us(s) - 1), SIM_EINVAL, "back in time");
	cr_assert_eq(sim_msg_retime(s, id, sim_now_us(s)), SIM_OK);
	cr_assert_eq(sim_next_event_us(s), sim_now_us(s));
	int64_t before = sim_now_us(s);
	uint64_t delivered = sim_counters(s)->msgs_delivered;
	sim_step(s);
	cr_assert_eq(sim_now_us(s), before);
	cr_assert_null(sim_msg_find(s, id));
	cr_assert_eq(sim_counters(s)->msgs_delivered, delivered + 1);
	cr_assert_eq(sim_msg_drop(s, id), SIM_EINVAL, "no longer in flight");
	sim_free(s);
}

/* PreVote and CheckQuorum in the simulator: the settings reach every node,
 * and the trace names the pre-candidate and the leader that steps down in
 * its own term (a role change alone is a batch of its own). */
Test(sim, prevote_and_checkquorum_in_the_trace)
{
	struct tracebuf b = {0};
	struct sim_config c;
	sim_config_default(&c);
	c.seed = 3;
	c.prevote = true;
	c.checkquorum = true;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	sim_set_trace(s, collect, &b);
	uint8_t l = await_leader(s, 2 * SEC);
	cr_assert(l);
	cr_assert(strstr(b.s, "timeout → precandidate term 0"), "%.600s", b.s);
	cr_assert(strstr(b.s, "PreVote(term 1, last 0/0)"), "%.600s", b.s);
	cr_assert(strstr(b.s, "PreVoteReply(term 1, granted)"), "%.600s", b.s);
	uint64_t term = raft_term(sim_node(s, l));
	cr_assert_eq(sim_isolate(s, l), SIM_OK);
	run_for(s, 400 * MS);
	cr_assert_neq(raft_role(sim_node(s, l)), RAFT_LEADER);
	char want[64];
	snprintf(want, sizeof want, "n%u steps down → follower term %llu (no quorum)", l,
	         (unsigned long long)term);
	cr_assert(strstr(b.s, want), "no '%s' in the trace", want);
	sim_free(s);
	free(b.s);
}

/* ---- Membership changes ------------------------------------------------- */

static bool votes_in(const struct sim *s, uint8_t on, uint8_t who)
{
	return raft_is_voter(sim_node(s, on), who);
}

Test(members, add_a_spare_then_remove_the_leader)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 4;
	c.voters = 3;
	c.seed = 7;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	struct tracebuf tb = {0};
	sim_set_trace(s, collect, &tb);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert_neq(l, 0);
	cr_assert_leq(l, 3, "the spare does not lead");
	cr_assert_eq(sim_member_remove(s, 4), SIM_EINVAL, "not a member");
	cr_assert_eq(sim_member_add(s, 2), SIM_EINVAL, "already a member");
	cr_assert_eq(sim_member_add(s, 4), SIM_OK);
	cr_assert_eq(sim_member_pending(s, 4), 1);
	int64_t end = sim_now_us(s) + 5 * SEC;
	while (sim_member_pending(s, 4) && sim_now_us(s) < end)
		cr_assert(sim_step(s));
	cr_assert_eq(sim_member_pending(s, 4), 0, "the add finished");
	cr_assert(sim_run_until(s, sim_now_us(s) + 1 * SEC) == SIM_OK);
	for (uint8_t i = 1; i <= 4; i++)
		cr_assert(votes_in(s, i, 4), "n%u counts n4 as a voter", i);
	cr_assert(strstr(tb.s, "add n4\n"));
	cr_assert(strstr(tb.s, "learners n4\n"), "it was a learner first:\n%s", tb.s);
	cr_assert(strstr(tb.s, "config voters n1,n2,n3,n4"));
	/* the leader removes itself; the others go on */
	l = sim_stable_leader(s);
	cr_assert_neq(l, 0);
	cr_assert_eq(sim_member_remove(s, l), SIM_OK);
	end = sim_now_us(s) + 5 * SEC;
	while (sim_member_pending(s, l) && sim_now_us(s) < end)
		cr_assert(sim_step(s));
	cr_assert_eq(sim_member_pending(s, l), 0);
	uint8_t l2 = await_leader(s, 5 * SEC);
	cr_assert_neq(l2, 0);
	cr_assert_neq(l2, l, "the removed leader stepped down");
	char want[64];
	snprintf(want, sizeof want, "n%u steps down → follower term", l);
	const char *at = strstr(tb.s, want);
	cr_assert(at && !strncmp(strchr(at, '(') ? strchr(at, '(') : "", "(removed)", 9),
	          "the trace says why it stepped down");
	cr_assert_not(votes_in(s, l2, l));
	cr_assert_eq(sim_client_put(s, "x=1", 3, 0) > 0, true);
	cr_assert(sim_run_until(s, sim_now_us(s) + 3 * SEC) == SIM_OK);
	cr_assert(committed_on(s, l2, "x=1"));
	cr_assert_null(sim_violation(s));
	sim_free(s);
	free(tb.s);
}

/* Leadership transfer: traced at its start and its end (done when the
 * target wins; aborted when it cannot within an election timeout), and a
 * put sent meanwhile is refused, retried and committed under the new
 * leader. */
Test(sim, leadership_transfer_is_traced_from_start_to_end)
{
	struct tracebuf b = {0};
	struct sim *s = make(5, 3);
	sim_set_trace(s, collect, &b);
	uint8_t l = await_leader(s, 2 * SEC);
	cr_assert(l);
	uint8_t to = (uint8_t)(l % 5 + 1);
	cr_expect_eq(sim_transfer(s, l), SIM_EINVAL, "the leader already");
	cr_expect_eq(sim_transfer(s, 6), SIM_EINVAL);
	cr_assert_eq(sim_transfer(s, to), SIM_OK);
	cr_expect_eq(sim_transfer(s, to), SIM_ETRANSFER);
	cr_assert_gt(sim_client_put(s, "x=1", 3, l), 0);
	run_for(s, 500 * MS);
	cr_expect_eq(sim_stable_leader(s), to);
	cr_expect(committed_on(s, to, "x=1"));
	char want[64];
	snprintf(want, sizeof want, "n%u transfer → n%u\n", l, to);
	cr_expect(strstr(b.s, want), "%s", b.s);
	snprintf(want, sizeof want, "n%u transfer → n%u done\n", l, to);
	cr_expect(strstr(b.s, want), "%s", b.s);
	cr_expect(strstr(b.s, "TimeoutNow(term"), "%s", b.s);
	cr_expect(strstr(b.s, "the leader is transferring leadership; retrying"), "%s", b.s);
	/* a transfer to a crashed node is aborted after an election timeout */
	uint8_t l2 = sim_stable_leader(s), dead = (uint8_t)(l2 % 5 + 1);
	cr_assert_eq(sim_crash(s, dead), SIM_OK);
	b.n = 0;
	cr_assert_eq(sim_transfer(s, dead), SIM_OK);
	run_for(s, 400 * MS);
	snprintf(want, sizeof want, "n%u transfer → n%u aborted (timeout)\n", l2, dead);
	cr_expect(strstr(b.s, want), "%s", b.s);
	cr_expect_eq(sim_stable_leader(s), l2);
	/* refusals are traced: the leader itself, and no leader at all */
	cr_assert_eq(sim_crash(s, l2), SIM_OK);
	b.n = 0;
	cr_expect_eq(sim_transfer(s, dead), SIM_ENOLEADER);
	snprintf(want, sizeof want, "transfer → n%u refused (no leader)\n", dead);
	cr_expect(strstr(b.s, want), "%s", b.s);
	sim_free(s);
	free(b.s);
}

/* Clock skew: a node reads its own clock, jumped and running at its rate,
 * and its timers fire by it. */
Test(sim, skew_moves_a_nodes_clock_and_timers)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	struct sim *s = sim_new(&c);
	cr_assert_eq(sim_skew(s, 3, 0, 10000000), SIM_OK); /* ten times as fast */
	sim_run_until(s, 40 * MS);
	cr_assert_eq(sim_node_clock_us(s, 3), 400 * MS);
	cr_assert_eq(sim_node_clock_us(s, 1), 40 * MS);
	cr_assert_neq(raft_role(sim_node(s, 3)), RAFT_FOLLOWER,
	              "its 150..300 ms timeout ran out within 30 ms of virtual time");
	cr_assert_eq(raft_role(sim_node(s, 1)), RAFT_FOLLOWER);
	/* a jump back, then true time again; the reading stays continuous */
	cr_assert_eq(sim_skew(s, 2, -20 * MS, 0), SIM_OK);
	cr_assert_eq(sim_node_clock_us(s, 2), 20 * MS);
	cr_assert_eq(sim_skew(s, 3, 0, 1000000), SIM_OK);
	sim_run_until(s, 50 * MS);
	cr_assert_eq(sim_node_clock_us(s, 3), 410 * MS);
	cr_assert_eq(sim_node_rate_ppm(s, 3), 1000000);
	/* a rate that does not divide evenly: readings round down, never back */
	cr_assert_eq(sim_skew(s, 1, 0, 333333), SIM_OK);
	int64_t last = sim_node_clock_us(s, 1);
	for (int k = 1; k <= 7; k++) {
		sim_run_until(s, 50 * MS + k);
		cr_assert_geq(sim_node_clock_us(s, 1), last);
		last = sim_node_clock_us(s, 1);
	}
	cr_assert_eq(last, 50 * MS + 2, "7 us at a third of the rate");
	cr_assert_eq(sim_skew(s, 0, 0, 0), SIM_EINVAL);
	cr_assert_eq(sim_skew(s, 1, 0, 99999), SIM_EINVAL, "below 0.1x");
	cr_assert_eq(sim_skew(s, 1, 2 * 3600LL * 1000 * 1000, 0), SIM_EINVAL);
	sim_free(s);
}
