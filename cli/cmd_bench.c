/* cmd_bench.c - `raftsim bench`: simulator throughput on the reference
 * workloads, scale with N, memory per entry, frame time and step-back
 * latency.  One line per figure: `name: key=value ...`. */
#include "cli.h"
#include "i18n.h"

#include "client_history.h"
#include "render.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MS 1000LL
#define BATCH 100

static const char bench_usage[] = N_(
    /* xgettext:no-c-format */
    "usage: raftsim bench [--workload steady|idle] [--entries N] [--events N] [--nodes N]\n"
    "                     [--snapshot N[:TRAILING]] [--render] [--step-back] [--seek]\n"
    "                     [--idle-cpu] [--linear]\n"
    "steady: 5 voters (or --nodes), election timeout 1000-2000 ms, heartbeat 100 ms,\n"
    "  one-way latency 15 ms, disk latency 10 ms; a client submits batches of 100 puts\n"
    "  (8-byte values) to the leader and waits until every node applied the batch,\n"
    "  until --entries (default 100000) are applied everywhere.  Checker on.  Logs are\n"
    "  compacted every --snapshot N applied entries keeping TRAILING (default 64:32,\n"
    "  the anchor's setting; 0 keeps every entry in memory).\n"
    "idle: the same cluster with no clients, heartbeats only, for --events (default\n"
    "  2000000) simulator events.  Checker on.\n"
    "--render: 1000 frames at 1280x720, 9 nodes, >= 300 messages in flight, software\n"
    "  renderer.  --step-back: one step back 10 virtual minutes into a busy run.\n"
    "--linear: the linearizability checker's speed: a 5-node run with 2%% loss and\n"
    "  crashes where clients put and get 10 keys (--entries operations, default\n"
    "  100000, 20 at a time), then its history checked; operations checked per second.\n"
    "--seek: a seek 20 s -> 50 s of a busy 15-node cluster in slices of 100 events,\n"
    "  as the window runs it between frames: the slices' wall time, p99 and longest.\n"
    "--idle-cpu: opens the window (a display is needed) at a script pause and\n"
    "  measures the CPU it uses over 5 s left alone, in % of one core.\n"
    "The run's event and memory budgets are off: --entries and --events bound it.\n"
    "Exit 0 ok, 1 the workload failed (a violation, no leader), 2 bad usage, 3 out\n"
    "of memory.\n");

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			sscanf(line + 6, "%ld", &kb);
	fclose(f);
	return kb;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static uint64_t snap_threshold = 64, snap_trailing = 32;

static struct sim *steady_cluster(uint16_t nodes, uint64_t seed)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = nodes;
	c.seed = seed;
	c.election_us_min = 1000 * MS;
	c.election_us_max = 2000 * MS;
	c.heartbeat_us = 100 * MS;
	c.latency_us_min = c.latency_us_max = 15 * MS;
	c.disk_us = 10 * MS;
	c.entries_per_msg_max = 128;
	c.snapshot_threshold = (uint32_t)snap_threshold;
	c.snapshot_trailing = (uint32_t)snap_trailing;
	c.max_events = 0;       /* --entries / --events bound the run */
	c.max_memory_bytes = 0;
	return sim_new(&c);
}

static uint8_t await_leader(struct sim *s)
{
	for (int guard = 0; guard < 10000000; guard++) {
		uint8_t l = sim_stable_leader(s);
		if (l)
			return l;
		if (!sim_step(s))
			return 0;
	}
	return 0;
}

static uint64_t min_applied(const struct sim *s)
{
	uint64_t m = UINT64_MAX;
	for (uint16_t i = 1; i <= sim_n_nodes(s); i++) {
		uint64_t a = raft_last_applied(sim_node(s, (uint8_t)i));
		if (a < m)
			m = a;
	}
	return m;
}

/* Says why a benchmark stopped and returns the exit code.  s is NULL when
 * the simulator could not be created (the config is valid: out of memory);
 * out of memory is exit 3, never a failed workload. */
static int fail(const char *what, const struct sim *s)
{
	if (!s) {
		fprintf(stderr, _("raftsim: out of memory at 0.000ms virtual time: the simulator could "
		                "not be created\n"));
		return CLI_EXIT_RESOURCE;
	}
	int h = sim_halt(s);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT) {
		char why[400];
		sim_halt_format(s, why, sizeof why);
		fprintf(stderr, _("raftsim: %s\n"), why);
		return CLI_EXIT_RESOURCE;
	}
	const struct sim_violation *v = sim_violation(s);
	fprintf(stderr, _("raftsim bench: %s%s%s\n"), what, v ? ": " : "", v ? v->detail : "");
	return 1;
}

static int bench_steady(uint16_t nodes, uint64_t entries)
{
	struct sim *s = steady_cluster(nodes, 1);
	if (!s)
		return fail(_("out of memory"), NULL);
	uint8_t leader = await_leader(s);
	if (!leader) {
		int rc = fail(_("no leader"), s);
		sim_free(s);
		return rc;
	}
	long base_kb = rss_kb();
	uint64_t events0 = sim_counters(s)->events, applied0 = min_applied(s);
	int64_t virt0 = sim_now_us(s);
	double t0 = wall_s();
	char cmd[32] = "k00=00000000";
	for (uint64_t e = 0; e < entries; e += BATCH) {
		leader = sim_stable_leader(s);
		if (!leader && !(leader = await_leader(s)))
			break;
		/* "kNN=VVVVVVVV": 100 keys, 8-byte values (the fixture's payload),
		 * formatted by hand so the harness costs little next to the sim */
		for (int k = 0; k < BATCH; k++) {
			cmd[1] = (char)('0' + k / 10);
			cmd[2] = (char)('0' + k % 10);
			if (sim_propose(s, leader, cmd, 12) != SIM_OK)
				break; /* out of memory stops the sim: reported below */
			for (int d = 11; d >= 4 && ++cmd[d] > '9'; d--) /* the value counts up */
				cmd[d] = '0';
		}
		/* wait until every node applied the batch: scan for the first node
		 * still behind, resuming where the last scan stopped (O(1) a step) */
		uint64_t want = applied0 + e + BATCH;
		uint16_t lag = 1;
		while (lag <= nodes) {
			if (raft_last_applied(sim_node(s, (uint8_t)lag)) >= want)
				lag++;
			else if (!sim_step(s))
				break;
		}
		if (sim_violation(s)) /* a violation, or out of memory */
			break;
	}
	double wall = wall_s() - t0;
	uint64_t applied = min_applied(s) - applied0;
	uint64_t events = sim_counters(s)->events - events0;
	long peak_kb = peak_rss_kb();
	int rc = sim_violation(s) || applied < entries ? 1 : 0;
	if (sim_halt(s) == SIM_ENOMEM) { /* no figures from a run cut short */
		rc = fail(_("out of memory"), s);
		sim_free(s);
		return rc;
	}
	printf("steady: nodes=%u snapshot=%llu:%llu entries=%llu applied_min=%llu events=%llu "
	       "events_per_entry=%.2f "
	       "wall_s=%.3f virtual_s=%.1f entries_per_s=%.0f events_per_s=%.0f peak_rss_kb=%ld "
	       "base_rss_kb=%ld bytes_per_entry_node=%.1f\n",
	       nodes, (unsigned long long)snap_threshold, (unsigned long long)snap_trailing,
	       (unsigned long long)entries, (unsigned long long)applied,
	       (unsigned long long)events, applied ? (double)events / (double)applied : 0.0, wall,
	       (double)(sim_now_us(s) - virt0) / 1e6, (double)applied / wall,
	       (double)events / wall, peak_kb, base_kb,
	       applied ? (double)(peak_kb - base_kb) * 1024.0 / ((double)applied * nodes) : 0.0);
	if (rc)
		rc = fail(_("the workload did not complete"), s);
	sim_free(s);
	return rc;
}

/* The linearizability checker on a history the simulator made: puts and
 * gets of 10 keys, 20 in flight at a time, on 5 nodes with 2% loss and a
 * leader crash now and then; the check is timed alone. */
static int bench_linear(uint64_t ops)
{
	struct sim_config c;
	sim_config_default(&c);
	c.seed = 1;
	c.drop_ppm = 20000;
	c.max_events = c.max_memory_bytes = 0;
	struct sim *s = sim_new(&c);
	if (!s)
		return fail("out of memory", NULL);
	char cmd[32];
	uint64_t sent = 0;
	for (uint64_t round = 0; sent < ops && !sim_violation(s); round++) {
		for (int k = 0; k < 20 && sent < ops; k++, sent++) {
			unsigned key = (unsigned)(sent * 7 % 10);
			if (sent % 2) {
				int n = snprintf(cmd, sizeof cmd, "k%u", key);
				sim_client_get(s, cmd, (size_t)n, 0);
			} else {
				int n = snprintf(cmd, sizeof cmd, "k%u=%llu", key, (unsigned long long)sent);
				sim_client_put(s, cmd, (size_t)n, 0);
			}
		}
		if (round % 50 == 49 && sim_stable_leader(s)) { /* a leader change */
			uint8_t l = sim_stable_leader(s);
			sim_crash(s, l);
			sim_run_until(s, sim_now_us(s) + 300 * MS);
			sim_restart(s, l);
		}
		sim_run_until(s, sim_now_us(s) + 100 * MS);
	}
	sim_run_until(s, sim_now_us(s) + 10000 * MS);
	size_t n = sim_history_len(s);
	struct sim_lin_op *h = malloc((n ? n : 1) * sizeof *h);
	if (!h) {
		sim_free(s);
		return fail("out of memory", NULL);
	}
	sim_history_ops(s, h);
	struct sim_lin_result r;
	double t0 = wall_s();
	int rc = sim_lin_check(h, n, NULL, &r);
	double wall = wall_s() - t0;
	if (rc != 0) {
		free(h);
		sim_free(s);
		return fail("out of memory", NULL);
	}
	printf("linear: ops=%zu keys=%zu verdict=%s steps=%llu wall_s=%.3f ops_per_s=%.0f "
	       "steps_per_s=%.0f\n",
	       r.ops_checked, r.keys,
	       r.verdict == SIM_LIN_LINEARIZABLE ? "linearizable"
	       : r.verdict == SIM_LIN_VIOLATION  ? "violation"
	                                         : "unknown",
	       (unsigned long long)r.steps, wall, wall > 0 ? (double)r.ops_checked / wall : 0.0,
	       wall > 0 ? (double)r.steps / wall : 0.0);
	free(h);
	rc = r.verdict == SIM_LIN_VIOLATION || sim_violation(s) ? fail("violation", s) : 0;
	sim_free(s);
	return rc;
}

static int bench_idle(uint16_t nodes, uint64_t events)
{
	struct sim *s = steady_cluster(nodes, 1);
	if (!s)
		return fail(_("out of memory"), NULL);
	if (!await_leader(s)) {
		int rc = fail(_("no leader"), s);
		sim_free(s);
		return rc;
	}
	uint64_t e0 = sim_counters(s)->events;
	int64_t v0 = sim_now_us(s);
	double t0 = wall_s();
	while (sim_counters(s)->events - e0 < events && sim_step(s))
		;
	double wall = wall_s() - t0;
	uint64_t done = sim_counters(s)->events - e0;
	printf("idle: nodes=%u events=%llu wall_s=%.3f virtual_s=%.1f events_per_s=%.0f "
	       "ns_per_event=%.1f peak_rss_kb=%ld\n",
	       nodes, (unsigned long long)done, wall, (double)(sim_now_us(s) - v0) / 1e6,
	       (double)done / wall, wall * 1e9 / (double)done, peak_rss_kb());
	int rc = sim_violation(s) ? fail(_("violation"), s) : 0;
	sim_free(s);
	return rc;
}

int cli_bench(int argc, char **argv)
{
	const char *workload = "steady";
	uint64_t entries = 100000, events = 2000000, nodes = 5;
	bool render = false, step_back = false, idle_cpu = false, linear = false, seek = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(_(bench_usage), stdout);
			return 0;
		} else if (!strncmp(a, "--workload", 10) && (a[10] == 0 || a[10] == '=')) {
			if (!(workload = cli_flag_value(argc, argv, &i, "--workload")))
				return 2;
			if (strcmp(workload, "steady") && strcmp(workload, "idle")) {
				fprintf(stderr, _("raftsim: --workload: '%s' is not a workload (steady or idle)\n"),
				        workload);
				return 2;
			}
		} else if (!strncmp(a, "--entries", 9) && (a[9] == 0 || a[9] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--entries")) ||
			    !cli_parse_u64("--entries", v, BATCH, 100000000, &entries))
				return 2;
		} else if (!strncmp(a, "--events", 8) && (a[8] == 0 || a[8] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--events")) ||
			    !cli_parse_u64("--events", v, 1, 10000000000ull, &events))
				return 2;
		} else if (!strncmp(a, "--nodes", 7) && (a[7] == 0 || a[7] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--nodes")) ||
			    !cli_parse_u64("--nodes", v, 1, 255, &nodes))
				return 2;
		} else if (!strncmp(a, "--snapshot", 10) && (a[10] == 0 || a[10] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--snapshot")))
				return 2;
			char num[32];
			const char *colon = strchr(v, ':');
			size_t len = colon ? (size_t)(colon - v) : strlen(v);
			snprintf(num, sizeof num, "%.*s", (int)(len < 31 ? len : 31), v);
			snap_trailing = 0;
			if (!cli_parse_u64("--snapshot", num, 0, 1000000000, &snap_threshold) ||
			    (colon && !cli_parse_u64("--snapshot", colon + 1, 0, 1000000000,
			                             &snap_trailing)))
				return 2;
		} else if (!strcmp(a, "--render")) {
			render = true;
		} else if (!strcmp(a, "--step-back")) {
			step_back = true;
		} else if (!strcmp(a, "--seek")) {
			seek = true;
		} else if (!strcmp(a, "--idle-cpu")) {
			idle_cpu = true;
		} else if (!strcmp(a, "--linear")) {
			linear = true;
		} else {
			fprintf(stderr, _("raftsim bench: unknown argument '%s' (raftsim bench --help)\n"), a);
			return 2;
		}
	}
	int rc = 0;
	if (render) {
		double p50, p99;
		if (render_bench_frames(1000, 1280, 720, 9, 300, &p50, &p99) != 0) {
			fprintf(stderr, _("raftsim bench: the frame benchmark failed\n"));
			return 1;
		}
		printf("render: frames=1000 size=1280x720 nodes=9 frame_p50_ms=%.3f frame_p99_ms=%.3f\n",
		       p50, p99);
		if (render_bench_frames_diagram(1000, 1280, 720, 9, 300, true, &p50, &p99) != 0) {
			fprintf(stderr, _("raftsim bench: the frame benchmark with the diagram failed\n"));
			return 1;
		}
		printf("render_diagram: frames=1000 size=1280x720 nodes=9 frame_p50_ms=%.3f "
		       "frame_p99_ms=%.3f\n",
		       p50, p99);
		if (render_bench_frames_clients(1000, 1280, 720, 9, 300, &p50, &p99) != 0) {
			fprintf(stderr, "raftsim bench: the frame benchmark with the client timeline "
			                "failed\n");
			return 1;
		}
		printf("render_clients: frames=1000 size=1280x720 nodes=9 frame_p50_ms=%.3f "
		       "frame_p99_ms=%.3f\n",
		       p50, p99);
	}
	if (step_back) {
		double ms;
		if (render_bench_step_back(&ms) != 0) {
			fprintf(stderr, _("raftsim bench: the step-back benchmark failed\n"));
			return 1;
		}
		printf("step_back: virtual_min=10 step_back_ms=%.3f\n", ms);
	}
	if (seek) {
		double p99, max;
		size_t n;
		if (render_bench_seek(&p99, &max, &n) != 0) {
			fprintf(stderr, "raftsim bench: the seek benchmark failed\n");
			return 1;
		}
		printf("seek: nodes=15 from_s=20 to_s=50 slices=%zu slice_events=100 slice_p99_ms=%.3f "
		       "slice_max_ms=%.3f\n",
		       n, p99, max);
	}
	if (idle_cpu) {
		double pct;
		int vrc = render_bench_idle_cpu(5, &pct);
		if (vrc != 0)
			return vrc;
		if (pct < 0) {
			fprintf(stderr, _("raftsim bench: the idle window closed too early\n"));
			return 1;
		}
		printf("idle_cpu: seconds=5 state=paused cpu_percent=%.2f\n", pct);
	}
	if (linear)
		return bench_linear(entries);
	if (render || step_back || idle_cpu || seek)
		return rc;
	if (!strcmp(workload, "idle"))
		return bench_idle((uint16_t)nodes, events);
	return bench_steady((uint16_t)nodes, entries);
}
