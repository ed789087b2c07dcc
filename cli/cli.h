/* cli.h - the raftsim subcommands; each takes the arguments after its name
 * and returns the process exit code (0 ok, 1 failure found, 2 bad usage,
 * 3 a resource limit: out of memory or a run's event/memory budget). */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include "outfile.h"
#include "sim.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

int cli_run(int argc, char **argv);        /* cmd_run.c: a plain cluster */
int cli_run_script(int argc, char **argv); /* cmd_check.c: `run FILE` */
int cli_check(int argc, char **argv);      /* cmd_check.c */
int cli_view(int argc, char **argv);       /* cmd_view.c */
int cli_render(int argc, char **argv);     /* cmd_view.c */
int cli_bench(int argc, char **argv);      /* cmd_bench.c */
int cli_fuzz(int argc, char **argv);       /* cmd_fuzz.c */
int cli_lint(int argc, char **argv);       /* cmd_lint.c */
int cli_experiment(int argc, char **argv); /* cmd_experiment.c */

struct scn_script;
/* cmd_lint.c, for `check --lint`: lints loaded scripts (each with its own
 * seed, or seed when has_seed), warnings on stdout.  0 clean, 1 warnings,
 * 2 with a message on stderr when the captions cannot be measured. */
int cli_lint_scripts(struct scn_script *const *scripts, int n, bool has_seed, uint64_t seed);

/* Shared flag parsing; each prints `raftsim: --flag: what was wrong` on
 * stderr and returns false for a bad value. */
bool cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out);
bool cli_parse_duration(const char *flag, const char *s, int64_t *out_us);
bool cli_parse_bug(const char *flag, const char *s, uint32_t *bugs);
/* Budgets (cmd_run.c): --max-events N (0..10^12, 0: no limit) and
 * --max-memory SIZE (512MiB, 2GiB, ...; 0: no limit).  If argv[*i] is one
 * of them, parses its value into *events / *bytes and returns 1; 0 if it is
 * another flag; -1 (message printed) for a bad value. */
int cli_parse_budget(int argc, char **argv, int *i, uint64_t *events, uint64_t *bytes);
/* The exit code for a resource stop. */
#define CLI_EXIT_RESOURCE 3

/* True if a is flag itself or "flag=...". */
bool cli_flag_is(const char *a, const char *flag);
/* A value for flag argv[*i] ("--x V" or "--x=V"); NULL + message if missing. */
const char *cli_flag_value(int argc, char **argv, int *i, const char *flag);

/* Flushes standard output; if that or any earlier write to it failed
 * (a full disk, a closed pipe), prints one line naming standard output and
 * returns -1.  Every command's output passes this check before exit 0 or 1. */
int cli_stdout_flush(void);
/* "raftsim CMD: unknown flag '--node': did you mean '--nodes'?" for the
 * closest of the NULL-terminated flags; returns 2, the exit code. */
int cli_unknown_flag(const char *cmd, const char *arg, const char *const *flags);
/* True (and a one-line error) if arg is a flag of `raftsim run` without a
 * script that a script sets itself (--nodes, --for). */
bool cli_script_sets(const char *cmd, const char *arg);

/* s as one shell word: s itself when it needs no quoting, else a quoted
 * copy in buf (for the reproduce: lines, which users paste into a shell). */
const char *cli_shell_word(const char *s, char *buf, size_t cap);

/* A trace sink: stdout for "-", else a file written by sim/outfile.c's
 * rules (a regular file is replaced only when the run finishes; devices and
 * FIFOs are written in place), so an interrupted run never leaves half a
 * trace over a good one.  open/close print a one-line error naming --trace
 * and return -1 on failure. */
struct cli_trace {
	struct sim_out *out;
	enum sim_trace_format fmt;
	struct sim_export *x; /* shiviz, mermaid */
	char line[8192];
};
/* What --format, --from and --to asked for. */
struct cli_trace_opts {
	enum sim_trace_format fmt;
	int64_t from_us, to_us; /* mermaid's interval, default all */
	bool window;            /* --from or --to given */
};
void cli_trace_opts_default(struct cli_trace_opts *o);
/* argv[*i] is --format, --from or --to: 1 (consumed, *i moved past its
 * value), -1 bad (said why), 0 another flag. */
int cli_parse_trace_opts(int argc, char **argv, int *i, struct cli_trace_opts *o);
/* After every flag: --from/--to need --format mermaid and FROM <= TO. */
bool cli_trace_opts_check(const struct cli_trace_opts *o);
int cli_trace_open(struct cli_trace *t, const char *path, const struct cli_trace_opts *o);
sim_trace_fn cli_trace_write;
int cli_trace_close(struct cli_trace *t, bool keep);
/* Writes text to path by the same rules; -1 with a one-line message in err. */
int cli_write_atomic(const char *path, const char *text, char *err, size_t errcap);
/* Refuses, before a run, an output path that cannot be written, is a
 * directory, is empty or is the input script (input may be NULL): prints
 * `raftsim: FLAG: PATH: why` and returns false. */
bool cli_output_ok(const char *flag, const char *path, const char *input);

#endif
