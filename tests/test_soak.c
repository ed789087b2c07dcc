/* test_soak.c - 200 seeds x 5 nodes x 30 virtual seconds of random crashes,
 * restarts, partitions, one-way cuts, drops and duplicates: zero safety
 * violations, a leader re-elected after every heal once a majority is up,
 * and, after a final heal-and-restart, every acknowledged put committed on
 * every node.  Every other seed runs with log compaction at a small
 * threshold, so snapshots are taken and installed under the same faults. */
#include <criterion/criterion.h>

#include "nemesis.h"

#include <stdio.h>
#include <string.h>

#define MS 1000LL
#define SEC 1000000LL
#define SEEDS 200
#define NODES 5

static unsigned up_count(const struct sim *s)
{
	unsigned up = 0;
	for (uint8_t i = 1; i <= NODES; i++)
		up += sim_node_up(s, i);
	return up;
}

/* Counts InstallSnapshot messages accepted, to show the faults exercise them. */
static unsigned snapshots_installed;
static void count_installs(void *ctx, const struct sim_trace *t)
{
	(void)ctx;
	if (t->kind == SIM_T_SNAPSHOT && t->success)
		snapshots_installed++;
}

static bool await_leader(struct sim *s, int64_t within_us)
{
	int64_t end = sim_now_us(s) + within_us;
	while (!sim_stable_leader(s) && sim_now_us(s) < end)
		if (!sim_step(s))
			return false;
	return sim_stable_leader(s) != 0;
}

static void explain(const struct sim *s, uint64_t seed, const char *what)
{
	const struct sim_violation *v = sim_violation(s);
	cr_assert_fail("seed %llu: %s%s%s%s%s", (unsigned long long)seed, what, v ? ": " : "",
	               v ? v->invariant : "", v ? ": " : "", v ? v->detail : "");
}

static void soak_one(uint64_t seed, unsigned *heals_checked)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = NODES;
	c.seed = seed;
	if (seed % 2) {
		c.snapshot_threshold = 4 + (uint32_t)(seed % 8);
		c.snapshot_trailing = (uint32_t)(seed % 3);
	}
	struct sim *s = sim_new(&c);
	cr_assert(s);
	sim_set_trace(s, count_installs, NULL);
	struct sim_nemesis n;
	sim_nemesis_init(&n, seed, NODES);
	struct sim_action a;
	/* safety phase: faults on */
	while (sim_now_us(s) < 30 * SEC && !sim_violation(s)) {
		sim_nemesis_next(&n, s, &a);
		sim_action_apply(s, &a);
		if (a.kind == SIM_A_HEAL && up_count(s) > NODES / 2 && !sim_violation(s)) {
			/* after a heal with a majority up, a leader must emerge */
			struct sim_config quiet = *sim_config(s);
			int64_t was_drop = quiet.drop_ppm;
			quiet.drop_ppm = quiet.drop_ppm > 200000 ? 200000 : quiet.drop_ppm;
			sim_reconfigure(s, &quiet);
			if (!await_leader(s, 20 * SEC))
				explain(s, seed, "no leader after a heal");
			quiet.drop_ppm = (uint32_t)was_drop;
			sim_reconfigure(s, &quiet);
			(*heals_checked)++;
		}
	}
	if (sim_violation(s))
		explain(s, seed, "safety violation");
	/* liveness phase: heal everything, restart every node, a clean network */
	sim_heal(s);
	for (uint8_t i = 1; i <= NODES; i++)
		if (!sim_node_up(s, i))
			sim_restart(s, i);
	struct sim_config calm = *sim_config(s);
	calm.drop_ppm = calm.dup_ppm = 0;
	sim_reconfigure(s, &calm);
	if (!await_leader(s, 10 * SEC))
		explain(s, seed, "no leader in the liveness phase");
	/* Plain Figure 2 Raft has no no-op entry: a new leader commits older
	 * entries only with an entry of its own term, so keep a client
	 * writing until one of its puts is committed on every node. */
	struct sim_client_info ci;
	bool settled = false;
	for (int k = 0; k < 20 && !settled && !sim_violation(s); k++) {
		char cmd[16];
		snprintf(cmd, sizeof cmd, "final=%d", k);
		sim_client_put(s, cmd, strlen(cmd), 0);
		sim_run_until(s, sim_now_us(s) + 1 * SEC);
		sim_client_info(s, sim_client_count(s) - 1, &ci);
		settled = ci.state == SIM_CLIENT_ACKED;
		uint64_t acked_max = 0;
		for (size_t r = 0; r < sim_client_count(s); r++) {
			struct sim_client_info ri;
			sim_client_info(s, r, &ri);
			if (ri.state == SIM_CLIENT_ACKED && ri.index > acked_max)
				acked_max = ri.index;
		}
		for (uint8_t i = 1; i <= NODES && settled; i++)
			settled = raft_commit_index(sim_node(s, i)) >= acked_max;
	}
	if (!settled)
		explain(s, seed, "the cluster did not commit a client put after healing");
	if (sim_violation(s))
		explain(s, seed, "safety violation in the liveness phase");
	for (size_t r = 0; r < sim_client_count(s); r++) {
		sim_client_info(s, r, &ci);
		if (ci.state != SIM_CLIENT_ACKED)
			continue;
		for (uint8_t i = 1; i <= NODES; i++) {
			const struct raft_node *node = sim_node(s, i);
			/* an entry in the node's snapshot was checked committed */
			bool in_snapshot = ci.index < raft_log_first(node);
			if (raft_commit_index(node) < ci.index ||
			    (!in_snapshot && raft_term_at(node, ci.index) != ci.term)) {
				char what[128];
				snprintf(what, sizeof what,
				         "acknowledged put %.*s (index %llu term %llu) not committed on n%u "
				         "(commit %llu, term there %llu)",
				         (int)ci.len, ci.cmd, (unsigned long long)ci.index,
				         (unsigned long long)ci.term, i,
				         (unsigned long long)raft_commit_index(node),
				         (unsigned long long)raft_term_at(node, ci.index));
				explain(s, seed, what);
			}
		}
	}
	sim_free(s);
}

Test(soak, two_hundred_seeds_of_faults, .timeout = 600)
{
	unsigned heals = 0;
	for (uint64_t seed = 1; seed <= SEEDS; seed++)
		soak_one(seed, &heals);
	cr_assert_gt(heals, SEEDS, "heals were exercised (%u)", heals);
	cr_log_info("snapshots installed: %u", snapshots_installed);
	cr_assert_gt(snapshots_installed, SEEDS / 4, "snapshots were installed (%u)",
	             snapshots_installed);
}
