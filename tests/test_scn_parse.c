/* test_scn_parse.c - the .scn parser: every command, condition, limit and error. */
#include "scn.h"
#include "scn_internal.h" /* the condition table */

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR "cluster nodes=5 seed=42\n"

static struct scn_script *parse_ok(const char *text)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("x.scn", text, strlen(text), err, sizeof err);
	cr_assert_not_null(s, "unexpected error for <<%s>>: %s", text, err);
	return s;
}

/* The one command after the header line. */
static const struct scn_cmd *one(struct scn_script *s)
{
	cr_assert_eq(scn_script_n_cmds(s), 2);
	return scn_script_cmd(s, 1);
}

static void format_is(const char *line, const char *want)
{
	char buf[2048], out[1024];
	snprintf(buf, sizeof buf, HDR "%s\n", line);
	struct scn_script *s = parse_ok(buf);
	scn_cmd_format(one(s), out, sizeof out);
	cr_expect_str_eq(out, want, "format of <<%s>>", line);
	/* Canonical text parses back to itself. */
	snprintf(buf, sizeof buf, HDR "%s\n", out);
	struct scn_script *s2 = parse_ok(buf);
	char out2[1024];
	scn_cmd_format(one(s2), out2, sizeof out2);
	cr_expect_str_eq(out2, out, "round trip of <<%s>>", line);
	scn_script_free(s2);
	scn_script_free(s);
}

Test(scn_parse, header_and_title)
{
	struct scn_script *s = parse_ok("# a comment\n\n  title \"Leader \\\"election\\\"\"  # c\n"
	                                "cluster nodes=7 seed=99 bug=vote-twice,no-truncate\n");
	cr_expect_str_eq(scn_script_title(s), "Leader \"election\"");
	cr_expect_eq(scn_script_nodes(s), 7);
	cr_expect_eq(scn_script_seed(s), 99);
	cr_expect_eq(scn_script_bugs(s), RAFT_BUG_VOTE_TWICE | RAFT_BUG_NO_TRUNCATE);
	cr_expect_str_eq(scn_script_path(s), "x.scn");
	cr_assert_eq(scn_script_n_cmds(s), 2);
	const struct scn_cmd *t = scn_script_cmd(s, 0);
	cr_expect_eq(t->kind, SCN_CMD_TITLE);
	cr_expect_eq(t->line, 3);
	cr_expect_eq(t->col, 3);
	cr_expect_str_eq(t->text, "title \"Leader \\\"election\\\"\"");
	cr_expect_eq(scn_script_cmd(s, 1)->kind, SCN_CMD_CLUSTER);
	cr_expect_eq(scn_script_cmd(s, 1)->line, 4);
	cr_expect_null(scn_script_cmd(s, 2));
	scn_script_free(s);
}

Test(scn_parse, defaults)
{
	struct scn_script *s = parse_ok("cluster\n");
	cr_expect_eq(scn_script_nodes(s), 5);
	cr_expect_eq(scn_script_seed(s), 1);
	cr_expect_eq(scn_script_bugs(s), 0);
	cr_expect_str_eq(scn_script_title(s), "");
	scn_script_free(s);
}

Test(scn_parse, every_command)
{
	const char *text =
		HDR
		"set election=150..300ms heartbeat=50ms latency=5..15ms disk=0ms drop=0% duplicate=0%\n"
		"say \"Followers wait.\"\n"
		"pause\n"
		"run 500ms\n"
		"run until leader within 2s\n"
		"run until leader\n"
		"step\n"
		"step 3\n"
		"expect leader == n3\n"
		"crash n1\n"
		"restart leader\n"
		"timeout n2\n"
		"partition {n1 n2} {n3 n4 n5}\n"
		"isolate leader\n"
		"heal\n"
		"cut n1->n2\n"
		"cut n1<->n2\n"
		"mend n1 -> n2\n"
		"mend leader<->n5\n"
		"client put x=sally\n"
		"client put x=1 to n4\n"
		"client putmany 100 k to leader\n"
		"set retry=2s drop=0.5%\n";
	struct scn_script *s = parse_ok(text);
	cr_assert_eq(scn_script_n_cmds(s), 24);
	const struct scn_cmd *c = scn_script_cmd(s, 1);
	cr_expect_eq(c->kind, SCN_CMD_SET);
	cr_expect_eq(c->set.mask, SCN_SET_ELECTION | SCN_SET_HEARTBEAT | SCN_SET_LATENCY |
	                                  SCN_SET_DISK | SCN_SET_DROP | SCN_SET_DUPLICATE);
	cr_expect_eq(c->set.election_us_min, 150000);
	cr_expect_eq(c->set.election_us_max, 300000);
	cr_expect_eq(c->set.heartbeat_us, 50000);
	cr_expect_eq(c->set.latency_us_min, 5000);
	cr_expect_eq(c->set.latency_us_max, 15000);
	cr_expect_eq(c->set.disk_us, 0);
	c = scn_script_cmd(s, 2);
	cr_expect_eq(c->kind, SCN_CMD_SAY);
	cr_expect_str_eq(c->str, "Followers wait.");
	cr_expect_eq(scn_script_cmd(s, 3)->kind, SCN_CMD_PAUSE);
	c = scn_script_cmd(s, 4);
	cr_expect_eq(c->kind, SCN_CMD_RUN);
	cr_expect_eq(c->us, 500000);
	c = scn_script_cmd(s, 5);
	cr_expect_eq(c->kind, SCN_CMD_RUN_UNTIL);
	cr_expect_eq(c->us, 2000000);
	cr_expect_eq(c->cond.kind, SCN_C_LEADER);
	cr_expect_eq(scn_script_cmd(s, 6)->us, 10000000, "default within is 10s");
	cr_expect_eq(scn_script_cmd(s, 7)->kind, SCN_CMD_STEP);
	cr_expect_eq(scn_script_cmd(s, 7)->count, 1);
	cr_expect_eq(scn_script_cmd(s, 8)->count, 3);
	c = scn_script_cmd(s, 9);
	cr_expect_eq(c->kind, SCN_CMD_EXPECT);
	cr_expect_eq(c->cond.kind, SCN_C_LEADER_IS);
	cr_expect_eq(c->cond.node, 3);
	c = scn_script_cmd(s, 10);
	cr_expect_eq(c->kind, SCN_CMD_CRASH);
	cr_expect_eq(c->a, 1);
	c = scn_script_cmd(s, 11);
	cr_expect_eq(c->kind, SCN_CMD_RESTART);
	cr_expect_eq(c->a, SCN_LEADER);
	cr_expect_eq(scn_script_cmd(s, 12)->kind, SCN_CMD_TIMEOUT);
	c = scn_script_cmd(s, 13);
	cr_expect_eq(c->kind, SCN_CMD_PARTITION);
	cr_assert_eq(c->n_groups, 2);
	cr_expect_eq(c->groups[0].bits[0], (1u << 1) | (1u << 2));
	cr_expect_eq(c->groups[1].bits[0], (1u << 3) | (1u << 4) | (1u << 5));
	cr_expect_eq(scn_script_cmd(s, 14)->kind, SCN_CMD_ISOLATE);
	cr_expect_eq(scn_script_cmd(s, 15)->kind, SCN_CMD_HEAL);
	c = scn_script_cmd(s, 16);
	cr_expect_eq(c->kind, SCN_CMD_CUT);
	cr_expect(c->a == 1 && c->b == 2 && !c->both);
	cr_expect(scn_script_cmd(s, 17)->both);
	c = scn_script_cmd(s, 18);
	cr_expect_eq(c->kind, SCN_CMD_MEND);
	cr_expect(c->a == 1 && c->b == 2 && !c->both);
	c = scn_script_cmd(s, 19);
	cr_expect(c->a == SCN_LEADER && c->b == 5 && c->both);
	c = scn_script_cmd(s, 20);
	cr_expect_eq(c->kind, SCN_CMD_PUT);
	cr_expect_str_eq(c->kv, "x=sally");
	cr_expect(!c->has_to);
	c = scn_script_cmd(s, 21);
	cr_expect(c->has_to && c->a == 4);
	c = scn_script_cmd(s, 22);
	cr_expect_eq(c->kind, SCN_CMD_PUTMANY);
	cr_expect_eq(c->count, 100);
	cr_expect_str_eq(c->kv, "k");
	cr_expect(c->has_to && c->a == SCN_LEADER);
	c = scn_script_cmd(s, 23);
	cr_expect_eq(c->set.mask, SCN_SET_RETRY | SCN_SET_DROP);
	cr_expect_eq(c->set.retry_us, 2000000);
	cr_expect_eq(c->set.drop_ppm, 5000);
	/* Line numbers and source text, comments dropped. */
	cr_expect_eq(scn_script_cmd(s, 23)->line, 24);
	cr_expect_str_eq(scn_script_cmd(s, 18)->text, "mend n1 -> n2");
	scn_script_free(s);
}

Test(scn_parse, canonical_round_trip)
{
	format_is("set election=150..300ms heartbeat=50ms", "set election=150..300ms heartbeat=50ms");
	format_is("set election=1.5..3s latency=5ms", "set election=1500..3000ms latency=5ms");
	format_is("set election=1..2s", "set election=1..2s");
	format_is("set latency=500us..1ms disk=1500us", "set latency=500..1000us disk=1500us");
	format_is("set batch=4 torn=on", "set batch=4 torn=on");
	format_is("set slow=2% slow_latency=300ms..3s", "set slow=2% slow_latency=300..3000ms");
	format_is("set torn=off batch=65536", "set batch=65536 torn=off");
	format_is("set drop=0.5% duplicate=12.25% retry=60s",
	          "set drop=0.5% duplicate=12.25% retry=60s");
	format_is("set drop=0.0001% duplicate=100%", "set drop=0.0001% duplicate=100%");
	format_is("set snapshot=64 trailing=32", "set snapshot=64 trailing=32");
	format_is("set trailing=2 snapshot=8", "set snapshot=8 trailing=2");
	format_is("set snapshot=0", "set snapshot=0");
	format_is("set checkquorum=on prevote=off", "set prevote=off checkquorum=on");
	format_is("set prevote=on", "set prevote=on");
	format_is("set drift=5% reads=lease", "set reads=lease drift=5%");
	format_is("skew n2 -20ms", "skew n2 -20ms");
	format_is("skew leader +1.5s rate=1.05", "skew leader +1500ms rate=1.05");
	format_is("skew n1 rate=0.5", "skew n1 rate=0.5");
	format_is("skew n1 rate=2.000001", "skew n1 rate=2.000001");
	format_is("set trailing=0007", "set trailing=7");
	format_is("set heartbeat=20ms snapshot=1000000000 drop=1%",
	          "set heartbeat=20ms drop=1% snapshot=1000000000");
	format_is("say   \"a \\\"quoted\\\" \\\\ word\"", "say \"a \\\"quoted\\\" \\\\ word\"");
	format_is("pause", "pause");
	format_is("run 1.5s", "run 1500ms");
	format_is("run 0ms", "run 0ms");
	format_is("run 3600s", "run 3600s");
	format_is("run 7us", "run 7us");
	format_is("run until no-leader within 1s", "run until no-leader within 1s");
	format_is("step", "step 1");
	format_is("crash leader", "crash leader");
	format_is("drop  msg 0042", "drop msg 42");
	format_is("duplicate msg 7", "duplicate msg 7");
	format_is("delay msg 7 by 0.02s", "delay msg 7 by 20ms");
	format_is("hurry msg 18446744073709551615 by 1s", "hurry msg 18446744073709551615 by 1s");
	format_is("deliver next msg 3", "deliver next msg 3");
	format_is("fire   next timer leader", "fire next timer leader");
	format_is("fire next timer n2", "fire next timer n2");
	format_is("transfer   n3", "transfer n3");
	format_is("add  n5", "add n5");
	format_is("remove leader", "remove leader");
	format_is("timeout  {n4 n2 leader}", "timeout {leader n2 n4}");
	format_is("timeout followers", "timeout followers");
	format_is("partition {n3 n1}   {leader}", "partition {n1 n3} {leader}");
	format_is("cut n1 <-> n2", "cut n1<->n2");
	format_is("mend leader->n3", "mend leader->n3");
	format_is("client putmany 10 key to n2", "client putmany 10 key to n2");
	format_is("client put a=b=c", "client put a=b=c");
}

/* Every condition, with its canonical spelling. */
Test(scn_parse, every_condition)
{
	static const char *const conds[][2] = {
		{"leader", "leader"},
		{"not leader", "no-leader"},
		{"no-leader", "no-leader"},
		{"not no-leader", "leader"},
		{"not not leader", "leader"},
		{"leader == n3", "leader == n3"},
		{"leader != leader", "leader != leader"},
		{"leader in {n3 n4 n5}", "leader in {n3 n4 n5}"},
		{"not leader in {n1}", "not leader in {n1}"},
		{"leaders == 2", "leaders == 2"},
		{"candidates >= 1", "candidates >= 1"},
		{"followers < 5", "followers < 5"},
		{"role n1 == follower", "role n1 == follower"},
		{"role leader == leader", "role leader == leader"},
		{"role n2 != candidate", "role n2 != candidate"},
		{"role n3 == precandidate", "role n3 == precandidate"},
		{"precandidates == 0", "precandidates == 0"},
		{"term n1 == 3", "term n1 == 3"},
		{"term n1 >= 3", "term n1 >= 3"},
		{"term leader <= 3", "term leader <= 3"},
		{"terms-agree", "terms-agree"},
		{"commit n2 >= 4", "commit n2 >= 4"},
		{"log n5 > 0", "log n5 > 0"},
		{"votes n1 == 3", "votes n1 == 3"},
		{"committed x=1 on all", "committed x=1 on all"},
		{"committed x=1 on majority", "committed x=1 on majority"},
		{"committed x=1 on any", "committed x=1 on any"},
		{"committed x=1 on n3", "committed x=1 on {n3}"},
		{"committed x=1 on leader", "committed x=1 on {leader}"},
		{"committed x=1 on {n1 n2}", "committed x=1 on {n1 n2}"},
		{"not committed x=1 on any", "not committed x=1 on any"},
		{"logged k=v on {leader n5}", "logged k=v on {leader n5}"},
		{"value n1 x == sally", "value n1 x == sally"},
		{"value leader x != 1", "value leader x != 1"},
		{"logs-match", "logs-match"},
		{"sent <= 100", "sent <= 100"},
		{"up n4", "up n4"},
		{"not up n4", "not up n4"},
		{"snapshot n3 >= 8", "snapshot n3 >= 8"},
		{"snapshot leader == 0", "snapshot leader == 0"},
		{"not snapshot n1 > 100", "not snapshot n1 > 100"},
		{"acked-committed", "acked-committed"},
		{"linearizable", "linearizable"},
		{"got x == none", "got x == none"},
		{"not got k != v", "not got k != v"},
		{"waiting >= 02", "waiting >= 2"},
		{"transferring", "transferring"},
		{"not transferring", "not transferring"},
		{"members == {n3 n1  n2}", "members == {n1 n2 n3}"},
		{"not members != {leader n4}", "not members != {leader n4}"},
		{"learner  n4", "learner n4"},
	};
	for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
		char a[256], b[256];
		snprintf(a, sizeof a, "expect %s", conds[i][0]);
		snprintf(b, sizeof b, "expect %s", conds[i][1]);
		format_is(a, b);
		snprintf(a, sizeof a, "run until %s within 1s", conds[i][0]);
		snprintf(b, sizeof b, "run until %s within 1s", conds[i][1]);
		format_is(a, b);
	}
}

Test(scn_parse, condition_fields)
{
	struct scn_script *s = parse_ok(HDR "expect value n2 color == blue\n");
	const struct scn_cond *c = &one(s)->cond;
	cr_expect_eq(c->kind, SCN_C_VALUE);
	cr_expect_eq(c->node, 2);
	cr_expect_str_eq(c->kv, "color=blue");
	cr_expect_eq(c->key_len, 5);
	scn_script_free(s);
	s = parse_ok(HDR "expect not committed x=sally on majority\n");
	c = &one(s)->cond;
	cr_expect_eq(c->kind, SCN_C_COMMITTED);
	cr_expect(c->negate);
	cr_expect_eq(c->where, SCN_ON_MAJORITY);
	cr_expect_eq(c->kv_len, 7);
	cr_expect_eq(c->key_len, 1);
	scn_script_free(s);
	s = parse_ok(HDR "expect sent <= 18446744073709551615\n");
	cr_expect_eq(one(s)->cond.k, UINT64_MAX);
	scn_script_free(s);
}

/* set snapshot=N trailing=N: log compaction, in entries. */
Test(scn_parse, snapshot_settings)
{
	struct scn_script *s = parse_ok(HDR "set snapshot=64 trailing=32\n");
	const struct scn_cmd *c = one(s);
	cr_expect_eq(c->set.mask, SCN_SET_SNAPSHOT | SCN_SET_TRAILING);
	cr_expect_eq(c->set.snapshot_threshold, 64);
	cr_expect_eq(c->set.snapshot_trailing, 32);
	scn_script_free(s);
	s = parse_ok(HDR "set trailing=1000000000\n");
	cr_expect_eq(one(s)->set.mask, SCN_SET_TRAILING);
	cr_expect_eq(one(s)->set.snapshot_trailing, 1000000000u);
	scn_script_free(s);
	s = parse_ok(HDR "set snapshot=0\n");
	cr_expect_eq(one(s)->set.mask, SCN_SET_SNAPSHOT);
	cr_expect_eq(one(s)->set.snapshot_threshold, 0);
	scn_script_free(s);
	/* the condition reading it */
	s = parse_ok(HDR "expect snapshot n2 >= 16\n");
	cr_expect_eq(one(s)->cond.kind, SCN_C_SNAPSHOT);
	cr_expect_eq(one(s)->cond.node, 2);
	cr_expect_eq(one(s)->cond.op, SCN_OP_GE);
	cr_expect_eq(one(s)->cond.k, 16);
	scn_script_free(s);
}

Test(scn_parse, budget_settings)
{
	struct scn_script *s = parse_ok(HDR "set max_events=5000 max_memory=64MiB\n");
	const struct scn_cmd *c = one(s);
	cr_expect_eq(c->set.mask, SCN_SET_MAX_EVENTS | SCN_SET_MAX_MEMORY);
	cr_expect_eq(c->set.max_events, 5000);
	cr_expect_eq(c->set.max_memory_bytes, 64ull << 20);
	char buf[128];
	scn_cmd_format(c, buf, sizeof buf);
	cr_expect_str_eq(buf, "set max_events=5000 max_memory=64MiB");
	scn_script_free(s);
	s = parse_ok(HDR "set max_memory=1000 max_events=0\n");
	cr_expect_eq(one(s)->set.max_memory_bytes, 1000);
	cr_expect_eq(one(s)->set.max_events, 0);
	scn_script_free(s);
	/* sizes */
	uint64_t b = 0;
	cr_expect_eq(scn_size_parse("2GiB", 4, &b), 0);
	cr_expect_eq(b, 2ull << 30);
	cr_expect_eq(scn_size_parse("3K", 2, &b), 0);
	cr_expect_eq(b, 3072);
	cr_expect_eq(scn_size_parse("17", 2, &b), 0);
	cr_expect_eq(b, 17);
	cr_expect_eq(scn_size_parse("MiB", 3, &b), -1);
	cr_expect_eq(scn_size_parse("5XB", 3, &b), -1);
	cr_expect_eq(scn_size_parse("99999999999999TiB", 17, &b), -2);
	scn_size_format(3ull << 30, buf, sizeof buf);
	cr_expect_str_eq(buf, "3GiB");
	scn_size_format(1000, buf, sizeof buf);
	cr_expect_str_eq(buf, "1000B");
	/* the timer floor: 1 ms is fine */
	s = parse_ok(HDR "set election=1..2ms heartbeat=1ms\n");
	scn_script_free(s);
}

Test(scn_parse, durations_and_percentages)
{
	static const struct {
		const char *text;
		int64_t us;
	} d[] = {
		{"0us", 0},          {"1us", 1},       {"15ms", 15000}, {"1.5s", 1500000},
		{"0.001ms", 1},      {"2.25ms", 2250}, {"1s", 1000000}, {"3600s", 3600000000ll},
		{"3600000ms", 3600000000ll}, {"0.000001s", 1},
	};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		char buf[128];
		snprintf(buf, sizeof buf, HDR "run %s\n", d[i].text);
		struct scn_script *s = parse_ok(buf);
		cr_expect_eq(one(s)->us, d[i].us, "%s", d[i].text);
		scn_script_free(s);
	}
	static const struct {
		const char *text;
		uint32_t ppm;
	} p[] = {{"0%", 0}, {"1%", 10000}, {"0.5%", 5000}, {"12.3456%", 123456}, {"100%", 1000000},
	         {"100.0%", 1000000}, {"0.0001%", 1}};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
		char buf[128];
		snprintf(buf, sizeof buf, HDR "set drop=%s duplicate=%s\n", p[i].text, p[i].text);
		struct scn_script *s = parse_ok(buf);
		cr_expect_eq(one(s)->set.drop_ppm, p[i].ppm, "%s", p[i].text);
		cr_expect_eq(one(s)->set.dup_ppm, p[i].ppm, "%s", p[i].text);
		scn_script_free(s);
	}
}

/* A bad script -> exactly one line, path:line:col: message. */
struct bad {
	const char *text;
	const char *err; /* the expected message (a prefix of it) */
};

static void expect_error(const char *text, size_t len, const char *want)
{
	char err[SCN_ERR_MAX];
	memset(err, 'z', sizeof err);
	struct scn_script *s = scn_parse("x.scn", text, len, err, sizeof err);
	cr_expect_null(s, "<<%.60s>> parsed but should fail with %s", text, want);
	scn_script_free(s);
	cr_expect(strncmp(err, want, strlen(want)) == 0, "<<%.60s>>\n  got  %s\n  want %s", text,
	          err, want);
	cr_expect_null(strchr(err, '\n'), "one line: %s", err);
}

Test(scn_parse, errors)
{
	static const struct bad bad[] = {
		/* the cluster line */
		{"", "x.scn:1:1: missing 'cluster' line: a script starts with e.g. 'cluster nodes=5 seed=1'"},
		{"# only a comment\ntitle \"t\"\n", "x.scn:1:1: missing 'cluster' line"},
		{"run 1s\ncluster\n", "x.scn:1:1: 'run' before the 'cluster' line: a script starts with e.g. 'cluster nodes=5 seed=1' (after comments and title)"},
		{"title \"t\"\ncrash n1\ncluster\n", "x.scn:2:1: 'crash' before the 'cluster' line"},
		{HDR "run 1s\ncluster nodes=3\n", "x.scn:3:1: second 'cluster' line: a script describes its cluster once, at the top"},
		{"cluster nodes=0\n", "x.scn:1:15: nodes=0 is out of range: a cluster has 1..255 nodes"},
		{"cluster nodes=3 voters=4\n", "x.scn:1:24: voters=4 is more than the 3 nodes: the first configuration is n1..n<voters>"},
		{"cluster voters=0\n", "x.scn:1:16: bad voter count 'voters=0': expected voters=K with K in 1..nodes"},
		{HDR "add\n", "x.scn:2:5: missing node after 'add': expected n1..n5 or leader"},
		{HDR "remove n2 n3\n", "x.scn:2:11: unexpected 'n3' after 'remove NODE': put comments after '#'"},
		{HDR "expect members n1\n", "x.scn:2:16: expected members == {..} or members != {..}, like members == {n1 n2 n3}"},
		{HDR "expect learner\n", "x.scn:2:16: missing node after 'learner': expected n1..n5 or leader"},
		{"cluster nodes=256\n", "x.scn:1:15: nodes=256 is out of range: a cluster has 1..255 nodes"},
		{"cluster nodes=99999999999999999999999\n", "x.scn:1:15: nodes=99999999999999999999999 is out of range"},
		{"cluster nodes=five\n", "x.scn:1:15: bad node count 'nodes=five': expected nodes=N with N in 1..255"},
		{"cluster seed=-1\n", "x.scn:1:14: bad seed 'seed=-1': expected seed=S with S a whole number"},
		{"cluster seed=18446744073709551616\n", "x.scn:1:14: seed=18446744073709551616 is out of range"},
		{"cluster size=5\n", "x.scn:1:9: unknown cluster setting 'size=5': expected nodes=N (1..255), seed=S or bug=NAME"},
		{"cluster nodes=3 nodes=4\n", "x.scn:1:17: nodes= is given twice"},
		{"cluster bug=sleepy\n", "x.scn:1:13: unknown bug 'sleepy': expected one of commit-old-term, vote-twice"},
		{"cluster bug=vote-twice,\n", "x.scn:1:24: bad bug name in 'bug=vote-twice,'"},
		{"title \"a\"\ntitle \"b\"\ncluster\n", "x.scn:2:1: a script has one title"},
		/* unknown commands */
		{HDR "crsh n1\n", "x.scn:2:1: unknown command 'crsh': did you mean 'crash'?"},
		{HDR "transfer\n", "x.scn:2:10: missing node after 'transfer': expected n1..n5 or leader"},
		{HDR "transfer n9\n", "x.scn:2:10: unknown node 'n9': the cluster has nodes n1..n5"},
		{HDR "transfer leader\n", "x.scn:2:10: 'transfer leader' names the leader itself: name the node that takes over, like transfer n2"},
		{HDR "transfer n2 n3\n", "x.scn:2:13: unexpected 'n3' after 'transfer NODE': put comments after '#'"},
		{HDR "tranfser n2\n", "x.scn:2:1: unknown command 'tranfser': did you mean 'transfer'?"},
		{HDR "frobnicate\n", "x.scn:2:1: unknown command 'frobnicate': expected title, cluster, set, say, pause, run, step, expect, crash, restart, timeout, partition, isolate, heal, cut, mend, client, mark, measure, drop, duplicate, delay, hurry, deliver, fire, transfer, skew, add or remove"},
		{HDR "  {n1}\n", "x.scn:2:3: expected a command at the start of the line, e.g. run 1s"},
		{HDR "\"hi\"\n", "x.scn:2:1: expected a command at the start of the line"},
		/* nodes */
		{HDR "crash n9\n", "x.scn:2:7: unknown node 'n9': the cluster has nodes n1..n5"},
		{HDR "crash n0\n", "x.scn:2:7: unknown node 'n0': the cluster has nodes n1..n5"},
		{HDR "crash n256\n", "x.scn:2:7: unknown node 'n256': the cluster has nodes n1..n5"},
		{HDR "crash n99999999999999999999999\n", "x.scn:2:7: unknown node 'n99999999999999999999999': the cluster has nodes n1..n5"},
		{"cluster nodes=1\ncrash n2\n", "x.scn:2:7: unknown node 'n2': the cluster has one node, n1"},
		{HDR "crash x3\n", "x.scn:2:7: bad node 'x3': expected n1..n5 or leader"},
		{HDR "crash n\n", "x.scn:2:7: bad node 'n': expected n1..n5 or leader"},
		{HDR "crash N1\n", "x.scn:2:7: bad node 'N1': expected n1..n5 or leader"},
		{HDR "crash n01\n", "x.scn:2:7: bad node 'n01': write node numbers without leading zeros"},
		{HDR "crash\n", "x.scn:2:7: missing node after 'crash': expected n1..n5 or leader"},
		{HDR "restart {n1}\n", "x.scn:2:9: expected a node after 'restart': n1..n5 or leader"},
		{HDR "crash n1 n2\n", "x.scn:2:10: unexpected 'n2' after 'crash NODE': put comments after '#'"},
		{HDR "timeout n1 \"x\"\n", "x.scn:2:12: unexpected string after 'timeout NODE'"},
		{HDR "heal now\n", "x.scn:2:6: unexpected 'now' after 'heal'"},
		{HDR "pause 1s\n", "x.scn:2:7: unexpected '1s' after 'pause'"},
		/* durations */
		{HDR "run\n", "x.scn:2:5: missing duration after 'run': expected e.g. run 500ms or run until leader"},
		{HDR "run 5\n", "x.scn:2:5: bad duration '5': expected a number with a unit us, ms or s, like 500ms or 1.5s"},
		{HDR "run 5m\n", "x.scn:2:5: bad duration '5m': expected a number with a unit us, ms or s"},
		{HDR "run 1h\n", "x.scn:2:5: bad duration '1h'"},
		{HDR "run -5ms\n", "x.scn:2:5: bad duration '-5ms'"},
		{HDR "run ms\n", "x.scn:2:5: bad duration 'ms'"},
		{HDR "run 1.s\n", "x.scn:2:5: bad duration '1.s'"},
		{HDR "run .5s\n", "x.scn:2:5: bad duration '.5s'"},
		{HDR "run 1,5s\n", "x.scn:2:5: bad duration '1,5s'"},
		{HDR "run 0.5us\n", "x.scn:2:5: duration '0.5us' is too precise: durations are whole microseconds"},
		{HDR "run 1.0000001s\n", "x.scn:2:5: duration '1.0000001s' is too precise"},
		{HDR "run 3601s\n", "x.scn:2:5: duration '3601s' is out of range: at most 1 hour (3600s)"},
		{HDR "run 3600.000001s\n", "x.scn:2:5: duration '3600.000001s' is out of range"},
		{HDR "run 99999999999999999999s\n", "x.scn:2:5: duration '99999999999999999999s' is out of range"},
		{HDR "run 1s 2s\n", "x.scn:2:8: unexpected '2s' after the duration"},
		{HDR "run until leader within 2h\n", "x.scn:2:25: bad duration '2h'"},
		{HDR "run until leader within\n", "x.scn:2:25: missing duration after 'within'"},
		{HDR "run until leader 2s\n", "x.scn:2:18: unexpected '2s' after the condition: expected 'within DURATION' or the end of the line"},
		{HDR "step 0\n", "x.scn:2:6: step count 0 is out of range: expected 1..1000000"},
		{HDR "step x\n", "x.scn:2:6: bad step count 'x': expected a number 1..1000000"},
		/* conditions */
		{HDR "run until\n", "x.scn:2:11: missing condition after 'run until': e.g. leader, leader == n1, committed x=1 on all"},
		{HDR "expect\n", "x.scn:2:8: missing condition after 'expect'"},
		{HDR "expect not\n", "x.scn:2:12: missing condition after 'expect'"},
		{HDR "expect ledaer\n", "x.scn:2:8: unknown condition 'ledaer': did you mean 'leader'?"},
		{HDR "expect happiness\n", "x.scn:2:8: unknown condition 'happiness': expected leader, no-leader, followers, candidates, leaders, precandidates, role, term, terms-agree, commit, log, snapshot, votes, committed, logged, value, logs-match, acked-committed, sent, up, linearizable, got, waiting, members, learner, transferring (or not COND)"},
		{HDR "expect folowers == 1\n", "x.scn:2:8: unknown condition 'folowers': did you mean 'followers'?"},
		{HDR "expect snapshto n1 == 0\n", "x.scn:2:8: unknown condition 'snapshto': did you mean 'snapshot'?"},
		{HDR "expect {n1}\n", "x.scn:2:8: expected a condition after 'expect'"},
		{HDR "expect leader = n1\n", "x.scn:2:15: bad operator after 'leader': expected leader == NODE, leader != NODE or leader in {..}"},
		{HDR "expect leader == n7\n", "x.scn:2:18: unknown node 'n7': the cluster has nodes n1..n5"},
		{HDR "expect leader ==\n", "x.scn:2:18: missing node after 'leader =='"},
		{HDR "expect leader n1\n", "x.scn:2:15: unexpected 'n1' after the condition"},
		{HDR "expect leader in n1\n", "x.scn:2:18: expected a group of nodes like {n1 n2} after 'leader in'"},
		{HDR "expect leader in {n1 n1}\n", "x.scn:2:22: n1 is listed twice in this group"},
		{HDR "expect leaders 2\n", "x.scn:2:16: bad operator '2' after 'leaders': expected ==, !=, >=, <=, > or < (with spaces around it)"},
		{HDR "expect leaders == 256\n", "x.scn:2:19: count 256 is out of range: expected 0..255"},
		{HDR "expect term n1 = 2\n", "x.scn:2:16: bad operator '=' after 'term NODE': expected ==, !=, >=, <=, > or <"},
		{HDR "expect term n1>=2\n", "x.scn:2:13: bad node 'n1>=2': expected n1..n5 or leader (separate words with spaces)"},
		{HDR "expect term n1 >= x\n", "x.scn:2:19: bad number 'x': expected a number 0..18446744073709551615"},
		{HDR "expect term n1 >=\n", "x.scn:2:19: missing number: expected a number 0..18446744073709551615"},
		{HDR "expect term n1 >= 18446744073709551616\n", "x.scn:2:19: number 18446744073709551616 is out of range"},
		{HDR "expect role n1 == boss\n", "x.scn:2:19: unknown role 'boss': expected follower, candidate, leader or precandidate"},
		{HDR "expect role n1 >= leader\n", "x.scn:2:16: bad operator '>=' after 'role NODE': expected == or !="},
		{HDR "expect role n1 ==\n", "x.scn:2:19: missing role: expected follower, candidate, leader or precandidate"},
		{HDR "expect committed x=1\n", "x.scn:2:22: expected 'on' after 'committed x=1': e.g. committed x=1 on all"},
		{HDR "expect committed x=1 on\n", "x.scn:2:25: missing nodes after 'on': expected all, majority, any, a node or {n1 n2}"},
		{HDR "expect committed x=1 on nowhere\n", "x.scn:2:25: bad nodes 'nowhere' after 'on': expected all, majority, any, a node or {n1 n2}"},
		{HDR "expect committed x=1 on n6\n", "x.scn:2:25: unknown node 'n6'"},
		{HDR "expect committed x on all\n", "x.scn:2:18: 'x' is not KEY=VALUE: write it like x=1"},
		{HDR "expect value n1 x=1\n", "x.scn:2:17: bad key 'x=1': write value NODE KEY == VALUE, with spaces, like value n1 x == 1"},
		{HDR "expect value n1 x ==\n", "x.scn:2:22: missing VALUE: e.g. value n1 x == 1"},
		{HDR "expect value n1 x > 1\n", "x.scn:2:19: bad operator '>' after 'value NODE KEY': expected == or !="},
		{HDR "expect value n1 abcdefghijklmnop == abcdefghijklmnop\n", "x.scn:2:17: KEY=VALUE is 33 bytes: at most 31"},
		{HDR "expect sent < -1\n", "x.scn:2:15: bad number '-1'"},
		{HDR "expect leader within 1s\n", "x.scn:2:15: 'within' belongs to 'run until': expect checks the present moment"},
		/* strings */
		{HDR "say \"hello\n", "x.scn:2:5: unterminated string: close it with '\"' on the same line"},
		{HDR "say \"hello\\\"\n", "x.scn:2:5: unterminated string"},
		{HDR "say hello\n", "x.scn:2:5: expected text in double quotes after say, like say \"Hello\""},
		{HDR "say\n", "x.scn:2:5: missing text after say: write it in double quotes, like say \"Hello\""},
		{HDR "say \"a\\qb\"\n", "x.scn:2:7: unknown escape '\\q' in string: only \\\" and \\\\ are escapes"},
		{HDR "say \"a\" \"b\"\n", "x.scn:2:9: unexpected string after the text"},
		{"title x\ncluster\n", "x.scn:1:7: expected text in double quotes after title"},
		/* KEY=VALUE and client */
		{HDR "client\n", "x.scn:2:8: missing client command: expected 'client put KEY=VALUE', 'client putmany COUNT PREFIX' or 'client get KEY'"},
		{HDR "client fetch x\n", "x.scn:2:8: unknown client command 'fetch': expected 'client put KEY=VALUE', 'client putmany COUNT PREFIX' or 'client get KEY'"},
		{HDR "client get\n", "x.scn:2:12: missing KEY after 'client get': e.g. client get x"},
		{HDR "client get x=1\n", "x.scn:2:12: expected a KEY like x after 'client get' (no '=', no quotes)"},
		{HDR "set reads=leases\n", "x.scn:2:11: bad reads 'leases': expected log (through the log like a write), readindex (the leader confirms it still leads, dissertation 6.4), lease (the leader answers while its lease holds, 6.4.1) or local (answers from its own state: stale reads)"},
		{HDR "set drift=2.5%\n", "x.scn:2:11: bad drift '2.5%': expected a whole percent 0%..100%, the most one clock may run faster than another (lease reads)"},
		{HDR "skew n1\n", "x.scn:2:9: missing clock change after 'skew NODE': expected skew NODE +20ms, skew NODE -20ms or skew NODE rate=1.05"},
		{HDR "skew n1 20ms\n", "x.scn:2:9: unexpected '20ms' in skew: expected skew NODE +20ms, skew NODE -20ms or skew NODE rate=1.05"},
		{HDR "skew n1 rate=20\n", "x.scn:2:14: bad rate '20': expected how fast the clock runs against real time, 0.1..10 (up to 6 decimals), like rate=1.05"},
		{HDR "client put\n", "x.scn:2:12: missing KEY=VALUE after 'client put': write it like x=1"},
		{HDR "client put x\n", "x.scn:2:12: 'x' is not KEY=VALUE: write it like x=1"},
		{HDR "client put x = 1\n", "x.scn:2:12: 'x' is not KEY=VALUE: write it like x=1"},
		{HDR "client put =1\n", "x.scn:2:12: empty key in '=1': write it like x=1"},
		{HDR "client put \"x=1\"\n", "x.scn:2:12: expected KEY=VALUE after 'client put', like x=1 (no quotes)"},
		{HDR "client put abcdefghijklmnop=abcdefghijklmno\n", "x.scn:2:12: 'abcdefghijklmnop=abcdefghijklmno' is 32 bytes: KEY=VALUE is at most 31 bytes"},
		{HDR "client put x=\n", "x.scn:2:12: empty value in 'x=': write it like x=1"},
		{HDR "client put x=caf\xc3\xa9\n", "x.scn:2:17: byte 0xC3 in KEY=VALUE: keys and values are printable ASCII without spaces"},
		{HDR "expect value n1 k\xc3\xa9 == 1\n", "x.scn:2:18: byte 0xC3 in KEY: keys and values are printable ASCII without spaces"},
		{HDR "client putmany 3 \xc3\xa9\n", "x.scn:2:18: byte 0xC3 in PREFIX"},
		{HDR "client put x=1 to n7\n", "x.scn:2:19: unknown node 'n7': the cluster has nodes n1..n5"},
		{HDR "client put x=1 to\n", "x.scn:2:19: missing node after 'to'"},
		{HDR "client put x=1 for n1\n", "x.scn:2:16: unexpected 'for': expected 'to NODE' or the end of the line"},
		{HDR "client put k=a{b\n", "x.scn:2:15: '{' in KEY=VALUE 'k=a{b': keys and values are printable ASCII without spaces, quotes or braces"},
		{HDR "client put k={b}\n", "x.scn:2:14: '{' in KEY=VALUE 'k={b}': keys and values are printable ASCII without spaces, quotes or braces"},
		{HDR "client put k=a\"b\"\n", "x.scn:2:15: '\"' in KEY=VALUE 'k=a\"b\"': keys and values are printable ASCII without spaces, quotes or braces"},
		{HDR "client put x=1 {n1}\n", "x.scn:2:16: unexpected '{': expected 'to NODE' or the end of the line"},
		{HDR "client put x=1 \"n1\"\n", "x.scn:2:16: unexpected '\"': expected 'to NODE' or the end of the line"},
		{HDR "client put x=1 to n1 now\n", "x.scn:2:22: unexpected 'now' after the client command"},
		{HDR "client putmany 0 k\n", "x.scn:2:16: count 0 is out of range: expected 1..1000000"},
		{HDR "client putmany 1000001 k\n", "x.scn:2:16: count 1000001 is out of range: expected 1..1000000"},
		{HDR "client putmany many k\n", "x.scn:2:16: bad count 'many': expected a number 1..1000000"},
		{HDR "client putmany 10\n", "x.scn:2:19: missing PREFIX after 'client putmany 10': e.g. client putmany 100 k"},
		{HDR "client putmany 10 a=b\n", "x.scn:2:19: bad PREFIX 'a=b': it may not contain '='"},
		{HDR "client putmany 1000000 abcdefghijklmnopq\n", "x.scn:2:24: PREFIX 'abcdefghijklmnopq' is too long for 1000000 puts: the last one would be 32 bytes, KEY=VALUE is at most 31"},
		/* partitions and links */
		{HDR "partition\n", "x.scn:2:11: expected a group of nodes like {n1 n2} after 'partition'"},
		{HDR "partition n1\n", "x.scn:2:11: expected a group of nodes like {n1 n2} after 'partition'"},
		{HDR "partition {n1 n2\n", "x.scn:2:18: missing '}' to close the group opened at column 11"},
		{HDR "partition {}\n", "x.scn:2:11: empty group: list at least one node, like {n1 n2}"},
		{HDR "partition {n1 n2} {n2 n3}\n", "x.scn:2:19: n2 is in two groups: a node belongs to one group"},
		{HDR "partition {leader} {leader n3}\n", "x.scn:2:20: 'leader' is in two groups"},
		{HDR "partition {n1} n2\n", "x.scn:2:16: expected a group of nodes like {n1 n2} after a group"},
		{HDR "partition {n1 n9}\n", "x.scn:2:15: unknown node 'n9'"},
		{HDR "cut\n", "x.scn:2:5: missing link after 'cut': expected e.g. n1->n2 or n1<->n2"},
		{HDR "cut n1\n", "x.scn:2:8: missing arrow: expected a link like n1->n2 or n1<->n2"},
		{HDR "cut n1 n2\n", "x.scn:2:8: expected '->' or '<->' in the link, like n1->n2"},
		{HDR "cut n1->\n", "x.scn:2:9: missing node after '->' in 'n1->'"},
		{HDR "cut ->n2\n", "x.scn:2:5: missing node before '->' in '->n2'"},
		{HDR "cut n1->n1\n", "x.scn:2:5: a link joins two different nodes, not n1 and n1"},
		{HDR "mend leader<->leader\n", "x.scn:2:6: a link joins two different nodes, not leader and leader"},
		{HDR "cut n1->n9\n", "x.scn:2:9: unknown node 'n9': the cluster has nodes n1..n5"},
		{HDR "cut n1<->n2 n3\n", "x.scn:2:13: unexpected 'n3' after the link"},
		{HDR "mend n1 -> n2 -> n3\n", "x.scn:2:15: unexpected '->' after the link"},
		/* settings */
		{HDR "set\n", "x.scn:2:5: missing settings after 'set': e.g. set election=150..300ms heartbeat=50ms"},
		{HDR "set foo=1\n", "x.scn:2:5: unknown setting 'foo': expected election, heartbeat, latency, disk, drop, duplicate, retry, snapshot, trailing, max_events, max_memory, pace, batch, torn, slow, slow_latency, prevote, checkquorum, reads or drift"},
		{HDR "set batch=0\n", "x.scn:2:11: bad batch '0': expected the most entries one AppendEntries carries, 1..65536"},
		{HDR "set batch=65537\n", "x.scn:2:11: bad batch '65537': expected the most entries one AppendEntries carries, 1..65536"},
		{HDR "set torn=yes\n", "x.scn:2:10: bad torn 'yes': expected on (a crash keeps only a prefix of the oldest write in flight) or off"},
		{HDR "set torn\n", "x.scn:2:5: missing value in 'torn': write it like torn=on"},
		{HDR "set prevote=maybe\n", "x.scn:2:13: bad prevote 'maybe': expected on or off"},
		{HDR "expect role n1 == precandidat\n", "x.scn:2:19: unknown role 'precandidat': expected follower, candidate, leader or precandidate"},
		{HDR "set heartbeat=1us\n", "x.scn:2:15: heartbeat 1us is below 1ms: timers that short make virtual time crawl (millions of events per virtual second); use 1ms or more"},
		{HDR "set election=1us..2ms\n", "x.scn:2:14: election timeout 1us..2ms is below 1ms: timers that short make virtual time crawl (millions of events per virtual second); use 1ms or more"},
		{HDR "set max_events=lots\n", "x.scn:2:16: bad max_events 'lots': expected a number of simulator events 0..1000000000000 (0: no limit)"},
		{HDR "set max_events=1000000000001\n", "x.scn:2:16: max_events 1000000000001 is out of range: expected 0..1000000000000 events"},
		{HDR "set max_memory=12parsecs\n", "x.scn:2:16: bad max_memory '12parsecs': expected a size like 512MiB or 2GiB (units B, KiB, MiB, GiB, TiB; 0: no limit)"},
		{HDR "set max_memory=2TiB\n", "x.scn:2:16: max_memory 2TiB is out of range: expected 0..1TiB"},
		{HDR "set max_memory\n", "x.scn:2:5: missing value in 'max_memory': write it like max_memory=512MiB"},
		{HDR "set snapshto=8\n", "x.scn:2:5: unknown setting 'snapshto': did you mean 'snapshot'?"},
		{HDR "set snapshot\n", "x.scn:2:5: missing value in 'snapshot': write it like snapshot=64"},
		{HDR "set trailing=\n", "x.scn:2:5: missing value in 'trailing=': write it like trailing=8"},
		{HDR "set snapshot=64ms\n", "x.scn:2:14: bad snapshot '64ms': expected a number of log entries 0..1000000000 (0 turns compaction off)"},
		{HDR "set snapshot=-1\n", "x.scn:2:14: bad snapshot '-1': expected a number of log entries 0..1000000000"},
		{HDR "set trailing=x\n", "x.scn:2:14: bad trailing 'x': expected a number of log entries 0..1000000000"},
		{HDR "set snapshot=1000000001\n", "x.scn:2:14: snapshot 1000000001 is out of range: expected 0..1000000000 entries"},
		{HDR "set trailing=99999999999999999999999\n", "x.scn:2:14: trailing 99999999999999999999999 is out of range: expected 0..1000000000 entries"},
		{HDR "set snapshot=8 trailing=2 snapshot=9\n", "x.scn:2:27: 'snapshot' is set twice in this line"},
		{HDR "set heartbaet=1ms\n", "x.scn:2:5: unknown setting 'heartbaet': did you mean 'heartbeat'?"},
		{HDR "set heartbeat\n", "x.scn:2:5: missing value in 'heartbeat': write it like heartbeat=50ms"},
		{HDR "set election=\n", "x.scn:2:5: missing value in 'election=': write it like election=150..300ms"},
		{HDR "set heartbeat=50ms heartbeat=60ms\n", "x.scn:2:20: 'heartbeat' is set twice in this line"},
		{HDR "set heartbeat=0ms\n", "x.scn:2:15: heartbeat must be positive"},
		{HDR "set election=0..10ms\n", "x.scn:2:14: election timeout must be positive"},
		{HDR "set election=300..150ms\n", "x.scn:2:14: bad range '300..150ms': the first value must not exceed the second"},
		{HDR "set election=150..\n", "x.scn:2:19: bad duration ''"},
		{HDR "set latency=5..15\n", "x.scn:2:16: bad duration '15'"},
		{HDR "set latency=5h..15ms\n", "x.scn:2:13: bad duration '5h'"},
		{HDR "set disk=1h\n", "x.scn:2:10: bad duration '1h'"},
		{HDR "set drop=5\n", "x.scn:2:10: bad percentage '5': expected e.g. 5% or 0.5%"},
		{HDR "set drop=%\n", "x.scn:2:10: bad percentage '%'"},
		{HDR "set drop=1.%\n", "x.scn:2:10: bad percentage '1.%'"},
		{HDR "set drop=101%\n", "x.scn:2:10: percentage '101%' is out of range: expected 0%..100%"},
		{HDR "set duplicate=0.00001%\n", "x.scn:2:15: percentage '0.00001%' is too precise: at most 4 decimals (0.0001% = 1 in a million)"},
		{HDR "set retry=0s\n", "x.scn:2:11: retry must be positive"},
		{HDR "set \"x\"\n", "x.scn:2:5: expected a setting like heartbeat=50ms after 'set'"},
		/* timers that run out together */
		{HDR "timeout {}\n", "x.scn:2:9: empty group: list at least one node, like {n1 n2}"},
		{HDR "timeout {n2 n2}\n", "x.scn:2:13: n2 is listed twice in this group"},
		{HDR "timeout {n2 n9}\n", "x.scn:2:13: unknown node 'n9'"},
		{HDR "timeout followers n2\n", "x.scn:2:19: unexpected 'n2' after 'timeout followers'"},
		{HDR "timeout {n2} {n3}\n", "x.scn:2:14: unexpected '{' after 'timeout {..}'"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_error(bad[i].text, strlen(bad[i].text), bad[i].err);
}

Test(scn_parse, binary_and_encoding)
{
	static const char nul[] = "cluster\ncr\0sh n1\n";
	expect_error(nul, sizeof nul - 1,
	             "x.scn:2:3: binary data (byte 0x00): a script is a text file without NUL or control characters");
	expect_error("cluster\nsay \"\x01\"\n", 15, "x.scn:2:6: binary data (byte 0x01)");
	expect_error("\x89PNG\r\n\x1a\n", 8, "x.scn:1:1: binary data (byte 0x89 is not UTF-8 text): a script is a text file");
	expect_error("cluster\nsay \"caf\xc3\"\n", 18, "x.scn:2:9: binary data (byte 0xC3 is not UTF-8 text)");
	expect_error("cluster\nsay \"\xed\xa0\x80\"\n", 18, "x.scn:2:6: binary data (byte 0xED is not UTF-8 text)");
	expect_error("cluster\nsay \"\xc0\xaf\"\n", 17, "x.scn:2:6: binary data (byte 0xC0 is not UTF-8 text)");
	expect_error("cluster\nheal\x7f\n", 13, "x.scn:2:5: binary data (byte 0x7F)");
	expect_error("cluster\r\nheal\rx\n", 16, "x.scn:2:5: binary data (byte 0x0D)");
	/* A byte-order mark opens the file invisibly: skipped, and not counted
	 * in columns; anywhere else it is an unknown word. */
	struct scn_script *bom = parse_ok("\xef\xbb\xbf" "cluster nodes=3\nheal\n");
	cr_expect_eq(scn_script_nodes(bom), 3);
	scn_script_free(bom);
	expect_error("\xef\xbb\xbf" "cluster nodes=0\n", 19, "x.scn:1:15: nodes=0 is out of range");
	expect_error("\xef\xbb\xbf" "\xef\xbb\xbf" "cluster\n", 11, "x.scn:1:1: unknown command");
	expect_error("cluster\n\xef\xbb\xbf" "heal\n", 16, "x.scn:2:1: unknown command");
	/* UTF-8 text, tabs and CRLF line ends are fine. */
	const char *ok = "title \"Raft \xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85 \xf0\x9f\x9a\x80\"\r\n"
	                 "cluster\tnodes=3\r\n\tsay \"caf\xc3\xa9\"\r\n";
	struct scn_script *s = parse_ok(ok);
	cr_expect_str_eq(scn_script_title(s), "Raft \xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85 \xf0\x9f\x9a\x80");
	cr_expect_str_eq(scn_script_cmd(s, 2)->str, "caf\xc3\xa9");
	cr_expect_str_eq(scn_script_cmd(s, 2)->text, "say \"caf\xc3\xa9\"");
	scn_script_free(s);
}

Test(scn_parse, limits)
{
	size_t cap = SCN_FILE_MAX + 4096;
	char *buf = malloc(cap);
	cr_assert_not_null(buf);
	char err[SCN_ERR_MAX];

	/* A line of exactly 1024 bytes is fine, 1025 is not. */
	size_t n = (size_t)snprintf(buf, cap, HDR "say \"");
	memset(buf + n, 'a', 320);
	n += 320;
	n += (size_t)snprintf(buf + n, cap - n, "\"");
	memset(buf + n, ' ', 1024 - 326);
	n += 1024 - 326;
	buf[n++] = '#';
	buf[n++] = '\n';
	struct scn_script *s = scn_parse("x.scn", buf, n, err, sizeof err);
	cr_expect_null(s, "1025 bytes");
	cr_expect_str_eq(err, "x.scn:2:1025: line too long (1025 bytes): the limit is 1024 bytes");
	n -= 2;
	buf[n++] = '\n';
	buf[n] = '\0';
	s = parse_ok(buf);
	cr_expect_eq(strlen(scn_script_cmd(s, 1)->str), SCN_STRING_MAX);
	scn_script_free(s);

	/* Strings: 320 bytes fine (above), 321 not. */
	n = (size_t)snprintf(buf, cap, HDR "say \"");
	memset(buf + n, 'b', 321);
	n += 321;
	n += (size_t)snprintf(buf + n, cap - n, "\"\n");
	expect_error(buf, n, "x.scn:2:5: string too long (321 bytes): the limit is 320 bytes");

	/* KEY=VALUE: 31 bytes fine. */
	s = parse_ok(HDR "client put abcdefghijklmnop=abcdefghijklmn\n");
	cr_expect_eq(one(s)->kv_len, 31);
	scn_script_free(s);
	/* putmany: COUNT up to a million, with a prefix that fits. */
	s = parse_ok(HDR "client putmany 1000000 abcdefghijklmnop\n");
	cr_expect_eq(one(s)->count, 1000000);
	scn_script_free(s);
	/* nodes 1..255 */
	s = parse_ok("cluster nodes=255\ncrash n255\n");
	cr_expect_eq(scn_script_nodes(s), 255);
	cr_expect_eq(one(s)->a, 255);
	scn_script_free(s);
	s = parse_ok("cluster nodes=1\n");
	scn_script_free(s);

	/* Commands: 100000 fine, 100001 not. */
	n = (size_t)snprintf(buf, cap, "cluster\n");
	for (unsigned i = 1; i < SCN_CMDS_MAX; i++) {
		memcpy(buf + n, "heal\n", 5);
		n += 5;
	}
	s = scn_parse("x.scn", buf, n, err, sizeof err);
	cr_expect_not_null(s, "%s", err);
	cr_expect_eq(scn_script_n_cmds(s), SCN_CMDS_MAX);
	scn_script_free(s);
	memcpy(buf + n, "heal\n", 5);
	n += 5;
	expect_error(buf, n, "x.scn:100001:1: too many commands: the limit is 100000 per script");

	/* Files: 1 MiB fine, one byte more not. */
	n = (size_t)snprintf(buf, cap, "cluster\n");
	memset(buf + n, '#', SCN_FILE_MAX - n);
	for (size_t i = n + 1000; i < SCN_FILE_MAX; i += 1000)
		buf[i] = '\n';
	s = scn_parse("x.scn", buf, SCN_FILE_MAX, err, sizeof err);
	cr_expect_not_null(s, "%s", err);
	scn_script_free(s);
	buf[SCN_FILE_MAX] = '\n';
	expect_error(buf, SCN_FILE_MAX + 1,
	             "x.scn:1:1: file too large (1048577 bytes): the limit is 1048576 bytes (1 MiB)");
	free(buf);
}

Test(scn_parse, comments_and_text)
{
	struct scn_script *s = parse_ok("cluster nodes=3 # three\n"
	                                "say \"a # not a comment\"   # a comment\n"
	                                "   crash    n2#at once\n"
	                                "partition {n1}{n2 n3}\n");
	cr_expect_str_eq(scn_script_cmd(s, 0)->text, "cluster nodes=3");
	cr_expect_str_eq(scn_script_cmd(s, 1)->str, "a # not a comment");
	cr_expect_str_eq(scn_script_cmd(s, 1)->text, "say \"a # not a comment\"");
	cr_expect_str_eq(scn_script_cmd(s, 2)->text, "crash    n2");
	cr_expect_eq(scn_script_cmd(s, 2)->col, 4);
	cr_expect_eq(scn_script_cmd(s, 3)->n_groups, 2);
	scn_script_free(s);
}

Test(scn_parse, load)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_load("/nonexistent/dir/x.scn", err, sizeof err);
	cr_expect_null(s);
	cr_expect_str_eq(err, "/nonexistent/dir/x.scn: cannot read: No such file or directory");
	char path[] = "/tmp/test_scn_parse_XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("cluster nodes=3\nrun 1s\ncrash n4\n", f);
	fclose(f);
	s = scn_load(path, err, sizeof err);
	cr_expect_null(s);
	char want[256];
	snprintf(want, sizeof want, "%s:3:7: unknown node 'n4': the cluster has nodes n1..n3", path);
	cr_expect_str_eq(err, want);
	f = fopen(path, "w");
	fputs("cluster nodes=3\nrun 1s\n", f);
	fclose(f);
	s = scn_load(path, err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	cr_expect_str_eq(scn_script_path(s), path);
	scn_script_free(s);
	/* Too large on disk. */
	f = fopen(path, "w");
	for (unsigned i = 0; i < SCN_FILE_MAX / 8 + 1; i++)
		fputs("# ....\n\n", f);
	fclose(f);
	s = scn_load(path, err, sizeof err);
	cr_expect_null(s);
	snprintf(want, sizeof want, "%s:1:1: file too large (%u bytes): the limit is 1048576 bytes (1 MiB)",
	         path, (SCN_FILE_MAX / 8 + 1) * 8);
	cr_expect_str_eq(err, want);
	remove(path);
	/* A directory cannot be read. */
	s = scn_load("/tmp", err, sizeof err);
	cr_expect_null(s);
	cr_expect(strncmp(err, "/tmp: cannot read: ", 19) == 0, "%s", err);
}

Test(scn_parse, small_error_buffers)
{
	char err[8];
	struct scn_script *s = scn_parse("x.scn", "crash", 5, err, sizeof err);
	cr_expect_null(s);
	cr_expect_str_eq(err, "x.scn:1");
	s = scn_parse("x.scn", "crash", 5, NULL, 0);
	cr_expect_null(s);
}

Test(scn_parse, bug_names)
{
	uint32_t bits = 0;
	static const char *const names[] = {"commit-old-term", "vote-twice", "no-log-check",
	                                    "no-truncate", "forget-vote", "no-step-down"};
	static const uint32_t want[] = {RAFT_BUG_COMMIT_OLD_TERM, RAFT_BUG_VOTE_TWICE,
	                                RAFT_BUG_NO_LOG_CHECK, RAFT_BUG_NO_TRUNCATE,
	                                RAFT_BUG_FORGET_VOTE, RAFT_BUG_NO_STEP_DOWN};
	for (size_t i = 0; i < 6; i++) {
		cr_expect_eq(raft_bug_from_name(names[i]), want[i]);
		cr_expect_str_eq(raft_bug_name(want[i]), names[i]);
		bits |= raft_bug_from_name(names[i]);
	}
	cr_expect_eq(bits, 63);
	cr_expect_eq(raft_bug_from_name("nope"), 0);
	cr_expect_null(raft_bug_name(3));
}

Test(scn_parse, bug_next_names_every_bit)
{
	/* two bugs at once: both names, in table order, then NULL */
	uint32_t left = RAFT_BUG_NO_TRUNCATE | RAFT_BUG_VOTE_TWICE;
	cr_expect_str_eq(raft_bug_next(&left), "vote-twice");
	cr_expect_str_eq(raft_bug_next(&left), "no-truncate");
	cr_expect_null(raft_bug_next(&left));
	cr_expect_eq(left, 0);
	/* every bug, and an unknown bit is skipped */
	left = 63u | (1u << 30);
	int n = 0;
	while (raft_bug_next(&left))
		n++;
	cr_expect_eq(n, 6);
	cr_expect_eq(left, 0);
}

Test(scn_parse, duration_format)
{
	char b[32];
	static const struct {
		int64_t us;
		const char *s;
	} d[] = {{0, "0ms"}, {1, "1us"}, {1000, "1ms"}, {1500, "1500us"}, {1000000, "1s"},
	         {1500000, "1500ms"}, {3600000000ll, "3600s"}};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
		scn_duration_format(d[i].us, b, sizeof b);
		cr_expect_str_eq(b, d[i].s);
	}
}

/* ---- Measurements: measure, mark, run between ---------------------------- */

Test(scn_parse, measure_mark_and_run_between)
{
	struct scn_script *s = parse_ok(HDR "mark crashed\n"
	                                    "run between 0ms and 75ms\n"
	                                    "measure election until leader within 5s\n"
	                                    "measure recovery since crashed until committed x=1 on all\n"
	                                    "measure again since election until leader\n");
	cr_assert_eq(scn_script_n_cmds(s), 6);
	const struct scn_cmd *c = scn_script_cmd(s, 1);
	cr_expect_eq(c->kind, SCN_CMD_MARK);
	cr_expect_str_eq(c->name, "crashed");
	c = scn_script_cmd(s, 2);
	cr_expect_eq(c->kind, SCN_CMD_RUN_BETWEEN);
	cr_expect_eq(c->us, 0);
	cr_expect_eq(c->us_max, 75000);
	c = scn_script_cmd(s, 3);
	cr_expect_eq(c->kind, SCN_CMD_MEASURE);
	cr_expect_str_eq(c->name, "election");
	cr_expect_str_eq(c->since, "");
	cr_expect_eq(c->cond.kind, SCN_C_LEADER);
	cr_expect_eq(c->us, 5000000);
	c = scn_script_cmd(s, 4);
	cr_expect_str_eq(c->since, "crashed");
	cr_expect_eq(c->cond.kind, SCN_C_COMMITTED);
	cr_expect_eq(c->us, 10000000, "within defaults to 10s like run until");
	/* a measure without `since` marks its own name */
	cr_expect_str_eq(scn_script_cmd(s, 5)->since, "election");
	scn_script_free(s);

	format_is("run between 0ms  and 75ms", "run between 0ms and 75ms");
	format_is("run between 1.5s and 1.5s", "run between 1500ms and 1500ms");
	format_is("mark t0", "mark t0");
	format_is("measure elect until leader", "measure elect until leader within 10s");
	format_is("measure e-2_b until not leader within 1s", "measure e-2_b until no-leader within 1s");
}

Test(scn_parse, measure_errors)
{
	static const struct bad bad[] = {
		{HDR "mesure x until leader\n", "x.scn:2:1: unknown command 'mesure': did you mean 'measure'?"},
		{HDR "mak x\n", "x.scn:2:1: unknown command 'mak': did you mean 'mark'?"},
		{HDR "measure\n", "x.scn:2:9: missing name after 'measure': e.g. measure election"},
		{HDR "measure 9x until leader\n", "x.scn:2:9: bad name '9x' after 'measure'"},
		{HDR "measure a,b until leader\n", "x.scn:2:9: bad name 'a,b'"},
		{HDR "measure x leader\n", "x.scn:2:11: expected 'until' instead of 'leader'"},
		{HDR "measure x\n", "x.scn:2:11: missing 'until' after the name"},
		{HDR "measure x until\n", "x.scn:2:17: missing condition after 'until'"},
		{HDR "measure x until leader within\n", "x.scn:2:31: missing duration after 'within'"},
		{HDR "measure x until leader soon\n", "x.scn:2:24: unexpected 'soon' after the condition"},
		{HDR "measure x since crash until leader\n",
		 "x.scn:2:17: no mark 'crash' before this line: set one earlier with 'mark crash'"},
		{HDR "mark crashed\nmeasure x since crash until leader\n",
		 "x.scn:3:17: no mark 'crash' before this line: did you mean 'crashed'?"},
		{HDR "measure x since y until leader\nmark y\n", "x.scn:2:17: no mark 'y' before this line"},
		{HDR "measure x until leader\nmeasure x until no-leader\n",
		 "x.scn:3:9: 'x' is measured already (line 2): give each measurement its own name"},
		{HDR "mark\n", "x.scn:2:6: missing name after 'mark': e.g. mark election"},
		{HDR "mark a b\n", "x.scn:2:8: unexpected 'b' after the mark's name"},
		{HDR "run between 75ms and 0ms\n", "x.scn:2:13: empty interval"},
		{HDR "run between 0ms 75ms\n", "x.scn:2:17: expected 'and' instead of '75ms'"},
		{HDR "run between 0ms\n", "x.scn:2:17: missing 'and' after the first duration"},
		{HDR "run between 0ms and\n", "x.scn:2:21: missing duration after 'and'"},
		{HDR "run between 0 and 5ms\n", "x.scn:2:13: bad duration '0'"},
		{HDR "run between 0ms and 5ms x\n", "x.scn:2:25: unexpected 'x' after the second duration"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_error(bad[i].text, strlen(bad[i].text), bad[i].err);
	/* names up to SCN_NAME_MAX bytes */
	char text[256];
	snprintf(text, sizeof text, HDR "mark %0*d\n", SCN_NAME_MAX, 0);
	expect_error(text, strlen(text), "x.scn:2:6: bad name");
	snprintf(text, sizeof text, HDR "mark a%0*d\n", SCN_NAME_MAX - 1, 0);
	scn_script_free(parse_ok(text));
}

Test(scn_parse, too_many_measurements)
{
	size_t cap = (SCN_MEASURES_MAX + 2) * 40 + 64;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	size_t len = (size_t)snprintf(text, cap, HDR);
	for (int i = 0; i <= SCN_MEASURES_MAX; i++)
		len += (size_t)snprintf(text + len, cap - len, "measure m%d until leader\n", i);
	char want[64];
	snprintf(want, sizeof want, "x.scn:%d:9: too many measurements", SCN_MEASURES_MAX + 2);
	expect_error(text, len, want);
	free(text);
}

/* The condition table and the docs agree: every first word in the table,
 * and every role's plural, has its row in docs/scenarios.md's table of
 * conditions. */
Test(scn_parse, every_condition_in_the_table_is_documented)
{
	const char *root = getenv("SOURCE_ROOT");
	char path[1024];
	snprintf(path, sizeof path, "%s/docs/scenarios.md", root && *root ? root : SOURCE_ROOT);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	static char doc[1 << 17];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	const char *sec = strstr(doc, "## Conditions");
	cr_assert_not_null(sec);
	size_t count = 0;
	const struct scn_cond_desc *d = scn_cond_descs(&count);
	cr_assert_gt(count, 10);
	for (size_t i = 0; i < count; i++) {
		char a[64], b[64];
		if (!d[i].name)
			continue; /* the role plurals, checked below */
		snprintf(a, sizeof a, "| `%s`", d[i].name);
		snprintf(b, sizeof b, "| `%s ", d[i].name);
		cr_expect(strstr(sec, a) || strstr(sec, b), "condition '%s' has no row in %s",
		          d[i].name, path);
		cr_expect(d[i].syntax && d[i].help, "%s", d[i].name);
	}
	for (unsigned r = 0; r < RAFT_ROLES; r++) {
		char a[64];
		snprintf(a, sizeof a, "`%s OP K`", raft_role_desc(r)->plural);
		cr_expect(strstr(sec, a), "'%s' is not in %s", a, path);
	}
}

/* Every kind of condition has exactly one row that evaluates and formats
 * it, and every row's first word parses into a condition its logic (or, for
 * an alias, its kind's row) handles. */
Test(scn_parse, every_kind_has_its_row)
{
	size_t count = 0;
	const struct scn_cond_desc *d = scn_cond_descs(&count);
	for (unsigned k = 0; k < SCN_C_KINDS; k++) {
		unsigned rows = 0;
		for (size_t i = 0; i < count; i++)
			rows += (d[i].kinds & SCN_KIND(k)) != 0;
		cr_expect_eq(rows, 1, "kind %u is handled by %u rows", k, rows);
		const struct scn_cond_desc *r = scn_cond_desc_of((enum scn_cond_kind)k);
		cr_expect(r->kinds & SCN_KIND(k));
		cr_expect_not_null(r->eval, "kind %u", k);
	}
	for (size_t i = 0; i < count; i++) {
		cr_expect(d[i].kinds == 0 || (d[i].kinds & SCN_KIND(d[i].kind)), "row %zu", i);
		cr_expect(d[i].kinds != 0 || d[i].negated, "row %zu is an alias of nothing", i);
		cr_expect(d[i].name || d[i].parse, "row %zu", i);
	}
	cr_expect_eq(scn_cond_desc_negated(SCN_C_LEADER)->negated, true);
	cr_expect_null(scn_cond_desc_negated(SCN_C_UP));
}
