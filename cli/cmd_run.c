/* cmd_run.c - `raftsim run`: a plain cluster, headless, printing its trace. */
#include "cli.h"
#include "i18n.h"

#include "client_history.h"
#include "outfile.h"
#include "scn.h"
#include "sim.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char run_usage[] = N_(
    "usage: raftsim run [FILE] [--nodes N] [--seed S] [--for DURATION] [--trace FILE|-]\n"
    "                   [--format text|jsonl|shiviz|mermaid] [--from TIME] [--to TIME]\n"
    "                   [--history FILE [--format edn|porcupine-json]]\n"
    "                   [--bug NAME]...\n"
    "Runs a cluster with the default settings (or the scenario FILE) headless and\n"
    "prints one line per event.  --nodes 1..255 (default 5), --seed (default 1),\n"
    "--for the virtual time to run (default 2s), --trace where the trace goes\n"
    "(default -, stdout), --format shiviz a ShiViz log, mermaid a Mermaid sequence\n"
    "diagram of the interval --from..--to (docs/trace.md), --history the clients'\n"
    "operations as a Jepsen history (EDN, for Knossos) or Porcupine JSON, --bug\n"
    "switches off one rule of Raft (repeatable):\n"
    "  %s\n"
    "--max-events N (default 100000000) and --max-memory SIZE\n"
    "(default 1GiB, the simulator's own accounting) bound the run; 0: no limit.\n"
    "Exit 0 ok, 1 if the safety checker finds a violation (with the command that\n"
    "reproduces it), 2 bad usage, 3 a resource limit (a budget ran out, or out of\n"
    "memory).\n");

int cli_parse_budget(int argc, char **argv, int *i, uint64_t *events, uint64_t *bytes)
{
	const char *a = argv[*i], *v;
	if (cli_flag_is(a, "--max-events")) {
		if (!(v = cli_flag_value(argc, argv, i, "--max-events")) ||
		    !cli_parse_u64("--max-events", v, 0, SCN_MAX_EVENTS_MAX, events))
			return -1;
		if (*events == 0)
			*events = UINT64_MAX; /* no limit (0 in an option means "unset") */
		return 1;
	}
	if (cli_flag_is(a, "--max-memory")) {
		if (!(v = cli_flag_value(argc, argv, i, "--max-memory")))
			return -1;
		int rc = scn_size_parse(v, strlen(v), bytes);
		if (rc == -1) {
			fprintf(stderr, _("raftsim: --max-memory: '%s' is not a size (expected e.g. 512MiB "
			                "or 2GiB; units B, KiB, MiB, GiB, TiB; 0: no limit)\n"), v);
			return -1;
		}
		if (rc == -2 || *bytes > SCN_MAX_MEMORY_MAX) {
			fprintf(stderr, _("raftsim: --max-memory: %s is out of range (expected 0..1TiB)\n"), v);
			return -1;
		}
		if (*bytes == 0)
			*bytes = UINT64_MAX;
		return 1;
	}
	return 0;
}

int cli_history_write(const char *path, int hist_fmt, const struct sim *s)
{
	char err[512];
	struct sim_out *o = sim_out_open(path, err, sizeof err);
	if (!o) {
		fprintf(stderr, _("raftsim: --history: %s\n"), err);
		return -1;
	}
	if (sim_history_write(s, (enum sim_history_format)hist_fmt, sim_out_stream(o)) != 0) {
		sim_out_abort(o);
		fprintf(stderr, _("raftsim: --history: %s: the history could not be written\n"), path);
		return -1;
	}
	if (sim_out_commit(o, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: --history: %s\n"), err);
		return -1;
	}
	return 0;
}

int cli_run(int argc, char **argv)
{
	struct sim_config c;
	sim_config_default(&c);
	int64_t for_us = 2000000;
	const char *trace = "-", *history = NULL;
	struct cli_trace_opts topt;
	cli_trace_opts_default(&topt);
	uint64_t max_events = 0, max_memory = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		uint64_t u;
		int b;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf(_(run_usage), RAFT_BUG_NAMES);
			return 0;
		} else if ((b = cli_parse_budget(argc, argv, &i, &max_events, &max_memory)) != 0) {
			if (b < 0)
				return 2;
		} else if (!strncmp(a, "--nodes", 7) && (a[7] == 0 || a[7] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--nodes")) ||
			    !cli_parse_u64("--nodes", v, 1, 255, &u))
				return 2;
			c.nodes = (uint16_t)u;
		} else if (!strncmp(a, "--seed", 6) && (a[6] == 0 || a[6] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seed")) ||
			    !cli_parse_u64("--seed", v, 0, UINT64_MAX, &c.seed))
				return 2;
		} else if (!strncmp(a, "--for", 5) && (a[5] == 0 || a[5] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--for")) ||
			    !cli_parse_duration("--for", v, &for_us))
				return 2;
		} else if (!strncmp(a, "--trace", 7) && (a[7] == 0 || a[7] == '=')) {
			if (!(trace = cli_flag_value(argc, argv, &i, "--trace")))
				return 2;
		} else if ((b = cli_parse_trace_opts(argc, argv, &i, &topt)) != 0) {
			if (b < 0)
				return 2;
		} else if (cli_flag_is(a, "--history")) {
			if (!(history = cli_flag_value(argc, argv, &i, "--history")))
				return 2;
		} else if (!strncmp(a, "--bug", 5) && (a[5] == 0 || a[5] == '=')) {
			if (!(v = cli_flag_value(argc, argv, &i, "--bug")) ||
			    !cli_parse_bug("--bug", v, &c.bugs))
				return 2;
		} else {
			static const char *const flags[] = {
				"--nodes", "--seed", "--for", "--trace", "--format", "--from", "--to",
				"--history", "--bug", "--max-events", "--max-memory", "--help", NULL};
			return cli_unknown_flag("run", a, flags);
		}
	}
	if (max_events)
		c.max_events = max_events == UINT64_MAX ? 0 : max_events;
	if (max_memory)
		c.max_memory_bytes = max_memory == UINT64_MAX ? 0 : max_memory;
	if (history && !cli_output_ok("--history", history, NULL))
		return 2;
	static struct cli_trace o;
	if (!cli_trace_opts_check(&topt) || cli_trace_open(&o, trace, &topt) != 0)
		return 2;
	struct sim *s = sim_new(&c);
	if (!s) {
		fprintf(stderr, _("raftsim: out of memory at 0.000ms virtual time, seed %llu: the "
		                "simulator could not be created\n"), (unsigned long long)c.seed);
		cli_trace_close(&o, false);
		return CLI_EXIT_RESOURCE;
	}
	sim_set_trace(s, cli_trace_write, &o);
	sim_run_until(s, for_us);
	if (!strcmp(trace, "-") && cli_stdout_flush() != 0) {
		sim_free(s);
		cli_trace_close(&o, false);
		return 2;
	}
	int rc = 0;
	const struct sim_violation *v = sim_violation(s);
	if (v && sim_halt(s) != SIM_ESTOPPED) {
		char why[400];
		sim_halt_format(s, why, sizeof why);
		fprintf(stderr, _("raftsim: %s%s\n"), why,
		        sim_halt(s) == SIM_ELIMIT ? _(" (raise it with --max-events / --max-memory)")
		                                  : "");
		rc = CLI_EXIT_RESOURCE;
	} else if (v) {
		fprintf(stderr,
		        _("raftsim: safety violation: %s: %s (at %lld us, seed %llu)\n"
		        "reproduce: raftsim run --nodes %u --seed %llu --for %lldus"),
		        v->invariant, v->detail, (long long)v->time_us, (unsigned long long)v->seed,
		        c.nodes, (unsigned long long)c.seed, (long long)v->time_us + 1);
		const char *bug;
		for (uint32_t left = c.bugs; (bug = raft_bug_next(&left));)
			fprintf(stderr, " --bug %s", bug);
		fputc('\n', stderr);
		rc = 1;
	}
	uint8_t l = sim_stable_leader(s);
	const struct sim_counters *k = sim_counters(s);
	fprintf(stderr, _("# %u node%s, seed %llu, %lld ms virtual: "), c.nodes,
	        c.nodes == 1 ? "" : "s", (unsigned long long)c.seed,
	        (long long)(sim_now_us(s) / 1000));
	if (l)
		fprintf(stderr, _("leader n%u term %llu"), l,
		        (unsigned long long)raft_term(sim_node(s, l)));
	else
		fprintf(stderr, _("no stable leader"));
	fprintf(stderr, _(", %llu event%s, %llu message%s\n"), (unsigned long long)k->events,
	        k->events == 1 ? "" : "s", (unsigned long long)k->msgs_sent,
	        k->msgs_sent == 1 ? "" : "s");
	if (history && cli_history_write(history, topt.hist_fmt, s) != 0)
		rc = 2;
	sim_free(s);
	if (cli_trace_close(&o, true) != 0)
		return 2;
	return rc;
}
