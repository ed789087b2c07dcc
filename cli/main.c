/* main.c - the raftsim command line: dispatches to the subcommands. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: raftsim COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  run [FILE] [--nodes N] [--seed S] [--for DURATION] [--trace FILE|-] [--format text|jsonl]\n"
    "                  run a cluster (or a scenario script) headless and print its trace\n"
    "  check FILE... [--seed S | --seeds A..B] [--bug NAME]...\n"
    "                  run scenario scripts and report PASS/FAIL\n"
    "  view [FILE]     open the visualizer (default scenarios/tutorial.scn)\n"
    "  render FILE --at TIME --out PNG [--size WxH] [--every DURATION]\n"
    "                  draw what the window shows at a virtual time, without a display\n"
    "  fuzz [--seeds A..B] [--nodes N|MIN..MAX] [--for DURATION] [--jobs J] [--bug NAME]...\n"
    "                  randomized fault campaigns with the safety checker\n"
    "  bench [--workload steady|idle] [--entries N] [--nodes N] [--snapshot N[:T]] [--render] [--step-back]\n"
    "                  measure the simulator\n"
    "\n"
    "`raftsim COMMAND --help` describes each command.  Exit codes: 0 ok, 1 a safety\n"
    "violation or failed expectation, 2 bad usage or bad input.\n";

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	int sub_argc = argc - 2;
	char **sub_argv = argv + 2;
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		puts("raftsim 0.1.0");
		return 0;
	}
	if (!strcmp(cmd, "run")) {
		/* a first argument that is not a flag is a scenario file */
		for (int i = 0; i < sub_argc; i++)
			if (sub_argv[i][0] != '-' && (i == 0 || sub_argv[i - 1][0] != '-' ||
			                              strchr(sub_argv[i - 1], '=')))
				return cli_run_script(sub_argc, sub_argv);
		return cli_run(sub_argc, sub_argv);
	}
	if (!strcmp(cmd, "check"))
		return cli_check(sub_argc, sub_argv);
	if (!strcmp(cmd, "view"))
		return cli_view(sub_argc, sub_argv);
	if (!strcmp(cmd, "render"))
		return cli_render(sub_argc, sub_argv);
	if (!strcmp(cmd, "bench"))
		return cli_bench(sub_argc, sub_argv);
	if (!strcmp(cmd, "fuzz"))
		return cli_fuzz(sub_argc, sub_argv);
	fprintf(stderr, "raftsim: unknown command '%s' (try: run, check, view, render, fuzz, bench; "
	                "raftsim --help)\n", cmd);
	return 2;
}
