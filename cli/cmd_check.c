/* cmd_check.c - `raftsim check` (run scenarios, verdict per run) and `raftsim run FILE`. */
#include "cli.h"
#include "i18n.h"

#include "client_history.h"
#include "scn.h"
#include "sim.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char check_usage[] = N_(
	"usage: raftsim check FILE... [--seed S | --seeds A..B] [--bug NAME]... [--lint]\n"
	"Runs each scenario headless to its end (pauses ignored) and prints one line\n"
	"per run: 'PASS FILE' or 'FAIL FILE:LINE: COMMAND (what was observed)'.\n"
	"  --seed S      run with seed S instead of the script's cluster seed\n"
	"  --seeds A..B  run every seed from A to B (PASS lines then name the seed)\n"
	"  --bug NAME    switch off one rule of Raft (repeatable): commit-old-term,\n"
	"                vote-twice, no-log-check, no-truncate, forget-vote, no-step-down\n"
	"  --lint        also report narration the window never shows (raftsim lint)\n"
	"  --max-events N, --max-memory SIZE  budgets per run (default 100000000\n"
	"                events and 1GiB; 0: no limit), over the script's `set`\n"
	"A safety violation found by the checker is a FAIL too, with a command that\n"
	"reproduces it.  A run that exhausts a budget or runs out of memory prints\n"
	"'LIMIT ...' or 'OOM ...' instead: no verdict on the script.  Exit 0 if every\n"
	"run passed, 1 if any failed, 2 for bad usage or a bad script (one line:\n"
	"FILE:LINE:COL: message), 3 if none failed but one hit a resource limit.\n");

static const char run_script_usage[] = N_(
	"usage: raftsim run FILE [--trace FILE|-] [--format text|jsonl|shiviz|mermaid]\n"
	"                        [--from TIME] [--to TIME] [--seed S] [--bug NAME]...\n"
	"                        [--history FILE [--format edn|porcupine-json]]\n"
	"Runs the scenario FILE headless to its end and prints its trace, one line\n"
	"per event, narration (say) included.  --trace where the trace goes (default\n"
	"-, stdout); --format shiviz writes a ShiViz log, mermaid a Mermaid sequence\n"
	"diagram of the interval --from..--to (docs/trace.md).  --history writes the\n"
	"clients' operations (EDN for Knossos, or Porcupine JSON).  The verdict (PASS\n"
	"or FAIL) goes to stderr.  --max-events N and\n"
	"--max-memory SIZE bound the run (default 100000000 events, 1GiB; 0: none).\n"
	"Exit 0 if the script passed, 1 if it failed, 2 for bad usage or a bad\n"
	"script, 3 for a resource limit (a budget ran out, or out of memory).\n");

/* Flags shared by check and run. */
struct check_flags {
	bool has_seed, has_range;
	bool lint; /* check --lint */
	uint64_t seed, seed_lo, seed_hi;
	uint32_t bugs;
	uint64_t max_events, max_memory; /* 0: not given; UINT64_MAX: no limit */
	const char *trace;
	struct cli_trace_opts topt; /* also --history's format */
	const char *history; /* run --history FILE */
};

static bool parse_seeds(const char *v, uint64_t *lo, uint64_t *hi)
{
	const char *dots = strstr(v, "..");
	if (!dots) {
		fprintf(stderr, _("raftsim: --seeds: '%s' is not a range (expected A..B, like 1..50)\n"), v);
		return false;
	}
	char a[32];
	size_t n = (size_t)(dots - v);
	if (n == 0 || n >= sizeof a) {
		fprintf(stderr, _("raftsim: --seeds: '%s' is not a range (expected A..B, like 1..50)\n"), v);
		return false;
	}
	memcpy(a, v, n);
	a[n] = '\0';
	if (!cli_parse_u64("--seeds", a, 0, UINT64_MAX, lo) ||
	    !cli_parse_u64("--seeds", dots + 2, 0, UINT64_MAX, hi))
		return false;
	if (*lo > *hi) {
		fprintf(stderr, _("raftsim: --seeds: %s: the first seed must not exceed the last\n"), v);
		return false;
	}
	return true;
}


/* Parses flags; non-flag arguments go to files[].  Returns 0, 1 for --help,
 * 2 for bad usage. */
static int parse_flags(int argc, char **argv, bool run, struct check_flags *f,
                       const char **files, int *n_files)
{
	const char *usage = run ? run_script_usage : check_usage;
	const char *name = run ? "run" : "check";
	memset(f, 0, sizeof *f);
	f->trace = "-";
	cli_trace_opts_default(&f->topt);
	*n_files = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int b;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(_(usage), stdout);
			return 1;
		} else if ((b = cli_parse_budget(argc, argv, &i, &f->max_events, &f->max_memory)) != 0) {
			if (b < 0)
				return 2;
		} else if (cli_flag_is(a, "--seeds") && !run) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seeds")) ||
			    !parse_seeds(v, &f->seed_lo, &f->seed_hi))
				return 2;
			f->has_range = true;
		} else if (cli_flag_is(a, "--seed")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seed")) ||
			    !cli_parse_u64("--seed", v, 0, UINT64_MAX, &f->seed))
				return 2;
			f->has_seed = true;
		} else if (cli_flag_is(a, "--bug")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--bug")) || !cli_parse_bug("--bug", v, &f->bugs))
				return 2;
		} else if (!strcmp(a, "--lint") && !run) {
			f->lint = true;
		} else if (cli_flag_is(a, "--trace") && run) {
			if (!(f->trace = cli_flag_value(argc, argv, &i, "--trace")))
				return 2;
		} else if (run && (b = cli_parse_trace_opts(argc, argv, &i, &f->topt)) != 0) {
			if (b < 0)
				return 2;
		} else if (cli_flag_is(a, "--history") && run) {
			if (!(f->history = cli_flag_value(argc, argv, &i, "--history")))
				return 2;
		} else if (cli_script_sets(name, a)) {
			return 2;
		} else if (a[0] == '-' && a[1] != '\0') {
			static const char *const run_flags[] = {
				"--seed", "--bug", "--trace", "--format", "--from", "--to", "--history",
				"--max-events",
				"--max-memory", "--help", NULL};
			static const char *const check_flags[] = {
				"--seed", "--seeds", "--bug", "--lint", "--max-events", "--max-memory",
				"--help", NULL};
			return cli_unknown_flag(name, a, run ? run_flags : check_flags);
		} else {
			files[(*n_files)++] = a;
		}
	}
	if (f->has_seed && f->has_range) {
		fprintf(stderr, _("raftsim check: --seed and --seeds exclude each other: give one\n"));
		return 2;
	}
	if (*n_files == 0) {
		fprintf(stderr, _("raftsim %s: missing scenario FILE (raftsim %s --help)\n"), name, name);
		return 2;
	}
	if (run && *n_files > 1) {
		fprintf(stderr, _("raftsim run: one scenario FILE at a time, got '%s' and '%s'\n"),
		        files[0], files[1]);
		return 2;
	}
	return 0;
}

static struct scn_script *load_checked(const char *path)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_load(path, err, sizeof err);
	if (s && scn_script_check(s, err, sizeof err) != 0) {
		scn_script_free(s);
		s = NULL;
	}
	if (!s)
		fprintf(stderr, _("%s\n"), err);
	return s;
}

/* The command that reproduces a run: the seed it used and the bugs the
 * command line added to the script's own. */
static void print_reproduce(FILE *out, const struct scn_script *s, const struct sim *sim)
{
	char q[16400];
	uint32_t bugs = sim_config(sim)->bugs & ~scn_script_bugs(s);
	fprintf(out, "  reproduce: raftsim check %s --seed %" PRIu64,
	        cli_shell_word(scn_script_path(s), q, sizeof q), sim_seed(sim));
	const char *bug;
	for (uint32_t left = bugs; (bug = raft_bug_next(&left));)
		fprintf(out, " --bug %s", bug);
	fputc('\n', out);
}

/* One run of one script; prints its verdict.  0 pass, 1 fail, 3 a
 * resource limit (no verdict). */
static int check_one(const struct scn_script *s, const struct check_flags *f, bool has_seed,
                     uint64_t seed, bool say_seed)
{
	struct scn_options o = {.has_seed = has_seed, .seed = seed, .bugs = f->bugs,
	                        .max_events = f->max_events, .max_memory_bytes = f->max_memory};
	const char *path = scn_script_path(s);
	struct scn_runner *r = scn_runner_new(s, &o);
	if (!r) {
		printf(_("OOM %s (out of memory at 0.000ms virtual time: the simulation could not be "
		       "created)\n"), path);
		return CLI_EXIT_RESOURCE;
	}
	int st = scn_runner_run_all(r);
	const struct sim *sim = scn_runner_sim(r);
	uint64_t used = sim_seed(sim);
	int rc = 0;
	if (st == SCN_DONE) {
		if (say_seed)
			printf("PASS %s seed %" PRIu64 "\n", path, used);
		else
			printf("PASS %s\n", path);
	} else if (scn_runner_halt(r) == SIM_ENOMEM || scn_runner_halt(r) == SIM_ELIMIT) {
		printf("%s\n", scn_runner_error(r));
		rc = CLI_EXIT_RESOURCE;
	} else {
		printf("%s\n", scn_runner_error(r));
		print_reproduce(stdout, s, sim);
		rc = 1;
	}
	scn_runner_free(r);
	return rc;
}

/* Failures win over resource limits. */
static int worst(int a, int b)
{
	if (a == 1 || b == 1)
		return 1;
	return a > b ? a : b;
}

int cli_check(int argc, char **argv)
{
	struct check_flags f;
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	struct scn_script **scripts = calloc((size_t)argc + 1, sizeof *scripts);
	int n = 0, rc = 0;
	if (!files || !scripts) {
		fprintf(stderr, _("raftsim: out of memory\n"));
		rc = 2;
		goto cleanup;
	}
	rc = parse_flags(argc, argv, false, &f, files, &n);
	if (rc != 0) {
		rc = rc == 1 ? 0 : 2;
		goto cleanup;
	}
	/* Every script must parse before any runs. */
	for (int i = 0; i < n; i++)
		if (!(scripts[i] = load_checked(files[i])))
			rc = 2;
	if (rc != 0)
		goto cleanup;
	for (int i = 0; i < n; i++) {
		if (!f.has_range) {
			rc = worst(rc, check_one(scripts[i], &f, f.has_seed, f.seed, false));
			continue;
		}
		for (uint64_t seed = f.seed_lo;; seed++) {
			rc = worst(rc, check_one(scripts[i], &f, true, seed, true));
			if (seed == f.seed_hi)
				break;
		}
	}
	if (f.lint) {
		int lint = cli_lint_scripts(scripts, n, f.has_seed, f.seed);
		rc = lint == 2 ? 2 : rc | lint;
	}
	fflush(stdout);
cleanup:
	if (scripts)
		for (int i = 0; i < n; i++)
			scn_script_free(scripts[i]);
	free(scripts);
	free(files);
	return rc;
}


int cli_run_script(int argc, char **argv)
{
	struct check_flags f;
	const char *files[2] = {NULL, NULL};
	const char **fl = calloc((size_t)argc + 1, sizeof *fl);
	struct cli_trace *o = calloc(1, sizeof *o);
	struct scn_script *s = NULL;
	struct scn_runner *r = NULL;
	int n = 0, rc = 0;
	if (!fl || !o) {
		fprintf(stderr, _("raftsim: out of memory\n"));
		rc = 2;
		goto cleanup;
	}
	rc = parse_flags(argc, argv, true, &f, fl, &n);
	if (rc != 0) {
		rc = rc == 1 ? 0 : 2;
		goto cleanup;
	}
	files[0] = fl[0];
	if (!(s = load_checked(files[0]))) {
		rc = 2;
		goto cleanup;
	}
	if (!cli_output_ok("--trace", f.trace, files[0]) || !cli_trace_opts_check(&f.topt) ||
	    (f.history && !cli_output_ok("--history", f.history, files[0])) ||
	    cli_trace_open(o, f.trace, &f.topt) != 0) {
		rc = 2;
		goto cleanup;
	}
	struct scn_options opt = {.has_seed = f.has_seed, .seed = f.seed, .bugs = f.bugs,
	                          .trace_fn = cli_trace_write, .trace_ctx = o,
	                          .max_events = f.max_events, .max_memory_bytes = f.max_memory};
	if (!(r = scn_runner_new(s, &opt))) {
		fprintf(stderr, _("raftsim: out of memory at 0.000ms virtual time: the simulation "
		                "could not be created\n"));
		rc = CLI_EXIT_RESOURCE;
		goto cleanup;
	}
	int st = scn_runner_run_all(r);
	const struct sim *sim = scn_runner_sim(r);
	if (!strcmp(f.trace, "-") && cli_stdout_flush() != 0) {
		rc = 2;
	} else if (st == SCN_DONE) {
		fprintf(stderr, "PASS %s (seed %" PRIu64 ", %s)\n", files[0], sim_seed(sim),
		        scn_runner_title(r)[0] ? scn_runner_title(r) : "untitled");
	} else if (scn_runner_halt(r) == SIM_ENOMEM || scn_runner_halt(r) == SIM_ELIMIT) {
		char why[512];
		scn_runner_halt_text(r, why, sizeof why);
		if (scn_runner_line(r))
			fprintf(stderr, _("raftsim: %s (%s:%d)\n"), why, files[0], scn_runner_line(r));
		else
			fprintf(stderr, _("raftsim: %s (%s, after the last command)\n"), why, files[0]);
		rc = CLI_EXIT_RESOURCE;
	} else {
		fprintf(stderr, _("%s\n"), scn_runner_error(r));
		print_reproduce(stderr, s, sim);
		rc = 1;
	}
	if (f.history && cli_history_write(f.history, f.topt.hist_fmt, sim) != 0)
		rc = 2;
cleanup:
	if (o && cli_trace_close(o, rc != 2) != 0 && rc == 0)
		rc = 2;
	scn_runner_free(r);
	scn_script_free(s);
	free(o);
	free(fl);
	return rc;
}
