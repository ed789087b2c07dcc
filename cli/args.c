/* args.c - flag parsing shared by the subcommands: one-line errors naming
 * the flag, never a silent default for a bad value. */
#include "cli.h"
#include "client_history.h"
#include "i18n.h"

#include "raft.h"
#include "scn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool cli_flag_is(const char *a, const char *flag)
{
	size_t n = strlen(flag);
	return !strncmp(a, flag, n) && (a[n] == '\0' || a[n] == '=');
}

const char *cli_flag_value(int argc, char **argv, int *i, const char *flag)
{
	const char *a = argv[*i];
	size_t n = strlen(flag);
	if (!strncmp(a, flag, n) && a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc) {
		fprintf(stderr, _("raftsim: %s: missing value\n"), flag);
		return NULL;
	}
	return argv[++*i];
}

bool cli_parse_u64(const char *flag, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!*s || *s == '-' || *s == '+') {
		fprintf(stderr, _("raftsim: %s: '%s' is not a number (expected %llu..%llu)\n"), flag, s,
		        (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno) {
		fprintf(stderr, _("raftsim: %s: '%s' is not a number (expected %llu..%llu)\n"), flag, s,
		        (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	if (v < min || v > max) {
		fprintf(stderr, _("raftsim: %s: %llu is out of range (expected %llu..%llu)\n"), flag, v,
		        (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	*out = v;
	return true;
}

bool cli_parse_duration(const char *flag, const char *s, int64_t *out_us)
{
	/* DIGITS[.DIGITS](us|ms|s|m|h), integer arithmetic only */
	const char *p = s;
	uint64_t whole = 0, frac = 0, frac_div = 1;
	int digits = 0;
	while (*p >= '0' && *p <= '9' && whole < 100000000000ull) {
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9' && frac_div < 1000000) {
			frac = frac * 10 + (uint64_t)(*p++ - '0');
			frac_div *= 10;
			digits++;
		}
	}
	uint64_t unit = 0;
	if (!strcmp(p, "us"))
		unit = 1;
	else if (!strcmp(p, "ms"))
		unit = 1000;
	else if (!strcmp(p, "s"))
		unit = 1000000;
	else if (!strcmp(p, "m"))
		unit = 60000000;
	else if (!strcmp(p, "h"))
		unit = 3600000000ull;
	if (!digits || !unit) {
		fprintf(stderr,
		        _("raftsim: %s: '%s' is not a duration (expected a number with us, ms, s, m or "
		        "h, e.g. 500ms)\n"),
		        flag, s);
		return false;
	}
	if (frac * unit % frac_div != 0) {
		fprintf(stderr, _("raftsim: %s: '%s' is too precise: durations are whole microseconds\n"),
		        flag, s);
		return false;
	}
	uint64_t us = whole * unit + frac * unit / frac_div;
	if (us > 24ull * 3600000000ull) {
		fprintf(stderr, _("raftsim: %s: '%s' is too long (at most 24h)\n"), flag, s);
		return false;
	}
	*out_us = (int64_t)us;
	return true;
}

bool cli_parse_bug(const char *flag, const char *s, uint32_t *bugs)
{
	uint32_t bit = raft_bug_from_name(s);
	if (!bit) {
		fprintf(stderr, _("raftsim: %s: unknown bug '%s' (one of: %s)\n"), flag, s,
		        RAFT_BUG_NAMES);
		return false;
	}
	*bugs |= bit;
	return true;
}

int cli_stdout_flush(void)
{
	int e = fflush(stdout) != 0 ? errno : 0;
	if (!e && !ferror(stdout))
		return 0;
	fprintf(stderr, _("raftsim: cannot write standard output%s%s\n"), e ? ": " : "",
	        e ? strerror(e) : "");
	return -1;
}

int cli_unknown_flag(const char *cmd, const char *arg, const char *const *flags)
{
	int n = (int)strcspn(arg, "=");
	const char *s = scn_suggest(arg, (size_t)n, flags);
	if (s)
		fprintf(stderr, _("raftsim %s: unknown flag '%.*s': did you mean '%s'? (raftsim %s --help)\n"),
		        cmd, n, arg, s, cmd);
	else
		fprintf(stderr, _("raftsim %s: unknown flag '%.*s' (raftsim %s --help)\n"), cmd, n, arg,
		        cmd);
	return 2;
}

bool cli_script_sets(const char *cmd, const char *arg)
{
	static const struct {
		const char *flag, *why;
	} set_by_script[] = {
	    {"--nodes", N_("it sets 'cluster nodes='")},
	    {"--for", N_("its run commands say how long it runs")},
	};
	for (size_t i = 0; i < sizeof set_by_script / sizeof set_by_script[0]; i++) {
		size_t n = strlen(set_by_script[i].flag);
		if (!strncmp(arg, set_by_script[i].flag, n) && (arg[n] == '\0' || arg[n] == '=')) {
			fprintf(stderr, _("raftsim %s: %s cannot be combined with a scenario script (%s)\n"),
			        cmd, set_by_script[i].flag, _(set_by_script[i].why));
			return true;
		}
	}
	return false;
}

const char *cli_shell_word(const char *s, char *buf, size_t cap)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,/:@%",
		            *p))
			plain = false;
	if (plain)
		return s;
	size_t n = 0;
	if (cap < 3)
		return s;
	buf[n++] = '\'';
	for (const char *p = s; *p && n + 6 < cap; p++) {
		if (*p == '\'') {
			memcpy(buf + n, "'\\''", 4); /* close, escaped quote, reopen */
			n += 4;
		} else {
			buf[n++] = *p;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

void cli_trace_opts_default(struct cli_trace_opts *o)
{
	*o = (struct cli_trace_opts){
	    .fmt = SIM_TRACE_TEXT, .hist_fmt = SIM_HISTORY_EDN, .from_us = 0, .to_us = INT64_MAX};
}

int cli_parse_trace_opts(int argc, char **argv, int *i, struct cli_trace_opts *o)
{
	const char *a = argv[*i], *v;
	if (cli_flag_is(a, "--format")) {
		static const char *const names[] = {"text", "jsonl", "shiviz", "mermaid", NULL};
		static const enum sim_trace_format fmts[] = {SIM_TRACE_TEXT, SIM_TRACE_JSONL,
		                                             SIM_TRACE_SHIVIZ, SIM_TRACE_MERMAID};
		if (!(v = cli_flag_value(argc, argv, i, "--format")))
			return -1;
		for (size_t k = 0; names[k]; k++)
			if (!strcmp(v, names[k])) {
				o->fmt = fmts[k];
				return 1;
			}
		if (!strcmp(v, "edn") || !strcmp(v, "porcupine-json")) {
			o->hist_fmt = v[0] == 'e' ? SIM_HISTORY_EDN : SIM_HISTORY_PORCUPINE_JSON;
			return 1;
		}
		fprintf(stderr, _("raftsim: --format: '%s' is not a format (text, jsonl, shiviz or "
		                "mermaid for the trace, edn or porcupine-json for --history)\n"), v);
		return -1;
	}
	bool from = cli_flag_is(a, "--from");
	if (from || cli_flag_is(a, "--to")) {
		const char *flag = from ? "--from" : "--to";
		if (!(v = cli_flag_value(argc, argv, i, flag)) ||
		    !cli_parse_duration(flag, v, from ? &o->from_us : &o->to_us))
			return -1;
		o->window = true;
		return 1;
	}
	return 0;
}

bool cli_trace_opts_check(const struct cli_trace_opts *o)
{
	if (o->window && o->fmt != SIM_TRACE_MERMAID) {
		fprintf(stderr, _("raftsim: --from/--to choose the interval of --format mermaid (the "
		                "other formats trace the whole run)\n"));
		return false;
	}
	if (o->from_us > o->to_us) {
		fprintf(stderr, _("raftsim: --from must not be after --to\n"));
		return false;
	}
	return true;
}

int cli_trace_open(struct cli_trace *t, const char *path, const struct cli_trace_opts *o)
{
	char err[512];
	t->fmt = o->fmt;
	t->x = NULL;
	if ((o->fmt == SIM_TRACE_SHIVIZ || o->fmt == SIM_TRACE_MERMAID) &&
	    !(t->x = sim_export_new(o->fmt, o->from_us, o->to_us))) {
		fprintf(stderr, _("raftsim: --trace: out of memory\n"));
		return -1;
	}
	if (!(t->out = sim_out_open(path, err, sizeof err))) {
		fprintf(stderr, _("raftsim: --trace: %s\n"), err);
		sim_export_free(t->x);
		t->x = NULL;
		return -1;
	}
	return 0;
}

void cli_trace_write(void *ctx, const struct sim_trace *tr)
{
	struct cli_trace *t = ctx;
	if (t->x) {
		size_t n;
		const char *text = sim_export_record(t->x, tr, &n);
		sim_out_write(t->out, text, n);
		return;
	}
	size_t n = sim_trace_format(tr, t->fmt, t->line, sizeof t->line);
	sim_out_write(t->out, t->line, n);
}

int cli_trace_close(struct cli_trace *t, bool keep)
{
	char err[512];
	struct sim_out *o = t->out;
	struct sim_export *x = t->x;
	t->out = NULL;
	t->x = NULL;
	if (!o) {
		sim_export_free(x);
		return 0;
	}
	bool failed = false;
	if (x && keep) {
		size_t n;
		const char *text = sim_export_end(x, &n);
		sim_out_write(o, text, n);
		if (sim_export_failed(x)) {
			fprintf(stderr, _("raftsim: --trace: out of memory: the %s output is incomplete\n"),
			        t->fmt == SIM_TRACE_SHIVIZ ? "ShiViz" : "Mermaid");
			keep = false;
			failed = true;
		}
	}
	sim_export_free(x);
	if (!keep) {
		sim_out_abort(o);
		return failed ? -1 : 0;
	}
	if (sim_out_commit(o, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: --trace: %s\n"), err);
		return -1;
	}
	return 0;
}

int cli_write_atomic(const char *path, const char *text, char *err, size_t errcap)
{
	return sim_out_write_file(path, text, strlen(text), err, errcap);
}

bool cli_output_ok(const char *flag, const char *path, const char *input)
{
	char err[512];
	if (sim_out_check(path, input, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: %s: %s\n"), flag, err);
		return false;
	}
	return true;
}
