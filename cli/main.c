/* main.c - the raftsim command line: dispatches to the subcommands. */
#include "cli.h"
#include "i18n.h"

#include "scn.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = N_(
    "usage: raftsim COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run [FILE] [--nodes N] [--seed S] [--for DURATION] [--trace FILE|-] [--format FMT]\n"
    "                  run a cluster (or a scenario script) headless and print its trace\n"
    "  check FILE... [--seed S | --seeds A..B] [--bug NAME]...\n"
    "                  run scenario scripts and report PASS/FAIL\n"
    "  view [FILE]     open the visualizer (default scenarios/tutorial.scn, or\n"
    "                  scenarios/zh/tutorial.scn in Chinese)\n"
    "  render FILE --at TIME --out PNG [--size WxH] [--every DURATION]\n"
    "                  draw what the window shows at a virtual time, without a display\n"
    "  fuzz [--seeds A..B] [--nodes N|MIN..MAX] [--for DURATION] [--jobs J] [--bug NAME]...\n"
    "                  randomized fault campaigns with the safety checker\n"
    "  experiment FILE [--seeds A..B] [--vary KEY=V1,V2,...]... [--jobs J] [--out DIR] [--log-x]\n"
    "                  run a script over seeds and settings: its measurements as CSV, table, CDF plots\n"
    "  lint FILE... [--seed S]\n"
    "                  find narration the window never shows\n"
    "  bench [--workload steady|idle] [--entries N] [--nodes N] [--snapshot N[:T]] [--render] [--step-back]\n"
    "                  measure the simulator\n"
    "\n"
    "Every command takes --lang zh|en (default: the locale, LANG=zh_CN.UTF-8 is Chinese).\n"
    "`raftsim COMMAND --help` describes each command.  Exit codes: 0 ok, 1 a safety\n"
    "violation or failed expectation, 2 bad usage or bad input, 3 a resource limit\n"
    "(a run's event or memory budget ran out, or memory did).\n");

/* `raftsim run` takes a scenario FILE anywhere among its flags: the first
 * argument that is neither a flag nor a flag's value.  Every flag of run
 * takes a value, so a second word after a flag is a stray piece of that
 * value ("--for 5 min"), unless it names a file. */
static int run(int argc, char **argv)
{
	int value_of = -2; /* the flag whose value argv[value_of + 1] was */
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] == '-' && a[1] != '\0') {
			if (!strchr(a, '=') && strcmp(a, "--help") && strcmp(a, "-h") && i + 1 < argc) {
				value_of = i;
				i++;
			}
			continue;
		}
		size_t n = strlen(a);
		bool scn = n > 4 && !strcmp(a + n - 4, ".scn");
		if (value_of >= 0 && value_of == i - 2 && !scn && access(a, F_OK) != 0) {
			fprintf(stderr,
			        _("raftsim run: unexpected '%s' after '%s %s' (a flag takes one word; no "
			        "scenario file '%s' either)\n"),
			        a, argv[i - 2], argv[i - 1], a);
			return 2;
		}
		return cli_run_script(argc, argv);
	}
	return cli_run(argc, argv);
}

static const char *const commands[] = {"run",   "check", "view", "render", "fuzz",
                                       "bench", "lint",  "help", "experiment", NULL};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(_(usage), stderr);
		return 2;
	}
	/* --lang anywhere, before the command or among its flags */
	int n_args = argc - 1;
	int rc = cli_lang_setup(&n_args, argv + 1);
	if (rc != 0)
		return rc;
	argc = n_args + 1;
	if (argc < 2) {
		fputs(_(usage), stderr);
		return 2;
	}
	const char *cmd = argv[1];
	int sub_argc = argc - 2;
	char **sub_argv = argv + 2;
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(_(usage), stdout);
		rc = 0;
	} else if (!strcmp(cmd, "--version")) {
		puts("raftsim 0.1.0");
		rc = 0;
	} else if (!strcmp(cmd, "run")) {
		rc = run(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "check")) {
		rc = cli_check(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "view")) {
		rc = cli_view(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "render")) {
		rc = cli_render(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "bench")) {
		rc = cli_bench(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "fuzz")) {
		rc = cli_fuzz(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "lint")) {
		rc = cli_lint(sub_argc, sub_argv);
	} else if (!strcmp(cmd, "experiment")) {
		rc = cli_experiment(sub_argc, sub_argv);
	} else {
		const char *s = scn_suggest(cmd, strlen(cmd), commands);
		if (s)
			fprintf(stderr, _("raftsim: unknown command '%s': did you mean '%s'? (raftsim --help)\n"),
			        cmd, s);
		else
			fprintf(stderr,
			        _("raftsim: unknown command '%s' (try: run, check, view, render, fuzz, bench, lint, "
			        "experiment; "
			        "raftsim --help)\n"),
			        cmd);
		return 2;
	}
	/* a command that failed (2) has said why; one line is enough */
	if (rc != 2 && cli_stdout_flush() != 0)
		rc = 2;
	return rc;
}
