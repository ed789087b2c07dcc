/* test_disk.c - the simulated disk owned by the simulator: a write is
 * durable only once it completes, a crash loses writes in flight, a restart
 * boots a fresh node from the disk alone, the node's own bookkeeping is
 * checked against the disk, and conditions on a crashed node read its disk. */
#include <criterion/criterion.h>

#include "scn.h"
#include "sim.h"

#include <stdio.h>
#include <string.h>

#define MS 1000LL
#define SEC 1000000LL

static uint8_t await_leader(struct sim *s, int64_t within_us)
{
	int64_t end = sim_now_us(s) + within_us;
	while (sim_now_us(s) < end && !sim_stable_leader(s))
		cr_assert(sim_step(s), "the simulation stopped");
	return sim_stable_leader(s);
}

static void run_for(struct sim *s, int64_t us)
{
	cr_assert_eq(sim_run_until(s, sim_now_us(s) + us), SIM_OK, "violation: %s",
	             sim_violation(s) ? sim_violation(s)->detail : "");
}

static struct sim *slow_disk(uint64_t seed, uint32_t bugs)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.seed = seed;
	c.disk_us = 50 * MS;
	c.bugs = bugs;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	return s;
}

/* An entry appended in memory is on disk only once its write completes; a
 * crash before that loses it, and the restarted node has exactly the disk. */
Test(disk, durable_only_once_the_write_completes)
{
	struct sim *s = slow_disk(4, 0);
	uint8_t l = await_leader(s, 5 * SEC);
	cr_assert(l);
	run_for(s, 500 * MS);
	struct sim_durable d;
	sim_node_durable(s, l, &d);
	uint64_t before = d.last_index;
	cr_assert_eq(before, raft_last_index(sim_node(s, l)));
	cr_assert_eq(sim_propose(s, l, "y=2", 3), SIM_OK);
	run_for(s, 1 * MS);
	cr_assert_eq(raft_last_index(sim_node(s, l)), before + 1, "in memory at once");
	sim_node_durable(s, l, &d);
	cr_assert_eq(d.last_index, before, "not on disk before the write completes");
	cr_assert_eq(d.writes_in_flight, 1);
	run_for(s, 60 * MS);
	sim_node_durable(s, l, &d);
	cr_assert_eq(d.last_index, before + 1, "on disk once it completes");
	cr_assert_eq(d.writes_in_flight, 0);
	sim_free(s);
}

Test(disk, crash_loses_writes_in_flight_and_restart_boots_from_the_disk)
{
	struct sim *s = slow_disk(4, 0);
	uint8_t l = await_leader(s, 5 * SEC);
	run_for(s, 500 * MS);
	struct sim_durable d;
	sim_node_durable(s, l, &d);
	uint64_t before = d.last_index, term = d.term;
	cr_assert_eq(sim_propose(s, l, "y=2", 3), SIM_OK);
	cr_assert_eq(sim_propose(s, l, "z=3", 3), SIM_OK);
	run_for(s, 1 * MS);
	cr_assert_eq(sim_crash(s, l), SIM_OK);
	sim_node_durable(s, l, &d);
	cr_assert_eq(d.writes_in_flight, 0, "the crash lost the write in flight");
	cr_assert_eq(d.last_index, before);
	/* the crashed node's memory still holds what never reached the disk */
	cr_assert_eq(raft_last_index(sim_node(s, l)), before + 2);
	cr_assert_eq(sim_restart(s, l), SIM_OK);
	const struct raft_node *r = sim_node(s, l);
	cr_assert_eq(raft_last_index(r), before, "booted from the disk, not from memory");
	cr_assert_eq(raft_persisted_index(r), before);
	cr_assert_eq(raft_term(r), term);
	cr_assert_eq(raft_commit_index(r), 0);
	cr_assert_eq(raft_role(r), RAFT_FOLLOWER);
	run_for(s, 2 * SEC);
	sim_free(s);
}

/* Defect: `term`, `log` and `snapshot` of a crashed node must read its
 * disk, not the frozen memory that holds writes which never completed. */
Test(disk, conditions_on_a_crashed_node_read_its_disk)
{
	const char *text = "cluster nodes=3 seed=2\n"
	                   "timeout n1\n"
	                   "run until leader == n1 within 2s\n"
	                   "client put a=1\n"
	                   "run until committed a=1 on all within 1s\n"
	                   "expect log n1 == 1\n"
	                   "set disk=300ms election=1s..2s\n"
	                   "client put b=2\n"
	                   "run 100ms\n"
	                   "expect log n1 == 2\n"
	                   "crash n1\n"
	                   "expect log n1 == 1\n"
	                   "expect term n1 == 1\n"
	                   "restart n1\n"
	                   "expect log n1 == 1\n";
	char err[SCN_ERR_MAX];
	struct scn_script *sc = scn_parse("x.scn", text, strlen(text), err, sizeof err);
	cr_assert_not_null(sc, "%s", err);
	struct scn_options o = {0};
	struct scn_runner *r = scn_runner_new(sc, &o);
	scn_script_free(sc);
	cr_assert_not_null(r);
	int st = scn_runner_run_all(r);
	cr_assert_eq(st, SCN_DONE, "%s", scn_runner_error(r));
	scn_runner_free(r);
}

/* Defect: an InstallSnapshot over a longer, conflicting log discards the
 * whole log (Figure 13, step 7), so nothing after the snapshot may still
 * count as durable. */
Test(disk, install_snapshot_over_a_conflicting_log_lowers_persisted)
{
	struct raft_config c;
	raft_config_default(&c, 2, 3);
	struct raft_node *n = raft_new(&c, 0);
	cr_assert(n);
	struct raft_entry e[40];
	memset(e, 0, sizeof e);
	for (int i = 0; i < 40; i++) {
		e[i].term = 1;
		e[i].len = (uint8_t)snprintf(e[i].cmd, sizeof e[i].cmd, "k=%d", i);
	}
	struct raft_msg m = {.type = RAFT_MSG_APPEND, .from = 1, .to = 2, .term = 1,
	                     .n_entries = 40, .entries = e};
	raft_step(n, 1, &m);
	struct raft_ready rd;
	raft_take_ready(n, &rd);
	raft_persisted(n, rd.persist_to, rd.persist_term, rd.term, rd.voted_for);
	cr_assert_eq(raft_persisted_index(n), 40);
	struct raft_entry kv = {.term = 2, .len = 3, .cmd = "a=1"};
	struct raft_msg snap = {.type = RAFT_MSG_SNAPSHOT, .from = 3, .to = 2, .term = 2,
	                        .index = 10, .log_term = 2, .n_entries = 1, .entries = &kv};
	raft_step(n, 2, &snap);
	raft_take_ready(n, &rd);
	cr_assert_eq(raft_last_index(n), 10, "step 7: the log is discarded");
	cr_assert_leq(raft_persisted_index(n), raft_last_index(n),
	              "persisted %llu is above the last index %llu",
	              (unsigned long long)raft_persisted_index(n),
	              (unsigned long long)raft_last_index(n));
	raft_free(n);
}

/* A torn write keeps a prefix of the entries in flight: some seed keeps
 * part of a three-entry append, and the node boots with exactly that. */
Test(disk, a_torn_write_keeps_a_prefix)
{
	bool partial = false;
	for (uint64_t seed = 1; seed <= 30 && !partial; seed++) {
		struct sim_config c;
		sim_config_default(&c);
		c.nodes = 3;
		c.seed = seed;
		c.disk_us = 50 * MS;
		c.torn_writes = true;
		struct sim *s = sim_new(&c);
		cr_assert(s);
		uint8_t l = await_leader(s, 5 * SEC);
		run_for(s, 500 * MS);
		struct sim_durable d;
		sim_node_durable(s, l, &d);
		uint64_t before = d.last_index;
		cr_assert_eq(sim_propose(s, l, "a=1", 3), SIM_OK);
		cr_assert_eq(sim_propose(s, l, "b=2", 3), SIM_OK);
		cr_assert_eq(sim_propose(s, l, "c=3", 3), SIM_OK);
		run_for(s, 1 * MS);
		cr_assert_eq(sim_crash(s, l), SIM_OK);
		sim_node_durable(s, l, &d);
		cr_assert_geq(d.last_index, before);
		cr_assert_leq(d.last_index, before + 3);
		partial = d.last_index > before && d.last_index < before + 3;
		cr_assert_eq(sim_restart(s, l), SIM_OK);
		cr_assert_eq(raft_last_index(sim_node(s, l)), d.last_index);
		run_for(s, 1 * SEC);
		sim_free(s);
	}
	cr_assert(partial, "no seed tore the write in the middle");
}
