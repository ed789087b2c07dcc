/* cmd_lint.c - `raftsim lint`: narration a viewer never sees (a say replaced at the same instant, a caption cut with "…", a long silent run), found by running each script and measuring its captions with the window's fonts. */
#include "cli.h"
#include "i18n.h"

#include "render.h"
#include "scn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest a viewer watches the window at its default pace without a
 * new caption or a pause. */
#define LINT_QUIET_WALL_S 30
#define LINT_QUIET_US ((int64_t)LINT_QUIET_WALL_S * 1000000 / RENDER_PACE_DIV)

static const char lint_usage[] = N_(
	"usage: raftsim lint FILE... [--seed S]\n"
	"Checks that the narration of each scenario is seen in the window.  It runs\n"
	"the script (pauses ignored) with its cluster seed and prints one line per\n"
	"problem, 'FILE:LINE: warning: ...', for:\n"
	"  - a say replaced by another say at the same virtual time, no pause between;\n"
	"  - a say that does not fit in the caption's two lines at 1280x720 (measured\n"
	"    with the window's font and wrapping);\n"
	"  - in a script that narrates, a run that goes on for more than 30 s of wall\n"
	"    time at the window's default pace (1/20) since the last say or pause.\n"
	"  --seed S  run with seed S instead of the script's cluster seed\n"
	"Exit 0 if every script is clean, 1 if any warning, 2 for bad usage or a bad\n"
	"script (one line: FILE:LINE:COL: message).\n");

struct lint_warning {
	int line;
	size_t order; /* found order, to keep the sort stable */
	char text[512];
};

struct lint_list {
	struct lint_warning *w;
	size_t n, cap;
	bool oom;
};

static void lint_add(struct lint_list *l, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lint_add(struct lint_list *l, int line, const char *fmt, ...)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct lint_warning *w = realloc(l->w, nc * sizeof *w);
		if (!w) {
			l->oom = true;
			return;
		}
		l->w = w;
		l->cap = nc;
	}
	struct lint_warning *w = &l->w[l->n];
	w->line = line;
	w->order = l->n++;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof w->text, fmt, ap);
	va_end(ap);
}

static int lint_cmp(const void *a, const void *b)
{
	const struct lint_warning *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* "5.531 s": virtual time to the millisecond, as the trace shows it. */
static void lint_secs(int64_t us, char *buf, size_t cap)
{
	snprintf(buf, cap, "%lld.%03lld s", (long long)(us / 1000000),
	         (long long)(us % 1000000 / 1000));
}

static bool lint_is_run(enum scn_cmd_kind k)
{
	return k == SCN_CMD_RUN || k == SCN_CMD_RUN_UNTIL || k == SCN_CMD_STEP ||
	       k == SCN_CMD_RUN_BETWEEN || k == SCN_CMD_MEASURE;
}

/* A say replaced at the same virtual time before a pause shows it. */
static void lint_unseen(const struct scn_record *h, size_t n, struct lint_list *l)
{
	for (size_t i = 0; i < n; i++) {
		if (h[i].kind != SCN_REC_EXEC || h[i].cmd.kind != SCN_CMD_SAY || h[i].user)
			continue;
		for (size_t j = i + 1; j < n; j++) {
			if (h[j].kind != SCN_REC_EXEC)
				continue;
			if (h[j].cmd.kind == SCN_CMD_PAUSE)
				break;
			if (h[j].cmd.kind != SCN_CMD_SAY)
				continue;
			if (h[j].time_us == h[i].time_us) {
				char t[48];
				lint_secs(h[i].time_us, t, sizeof t);
				lint_add(l, h[i].cmd.line,
				         _("say is never seen: the say at line %d replaces it at the same "
				         "virtual time, %s, with no pause between (add a pause, or merge them)"),
				         h[j].cmd.line, t);
			}
			break;
		}
	}
}

/* Runs that keep the viewer waiting without a new caption or a pause. */
static void lint_quiet(const struct scn_record *h, size_t n, int64_t end_us,
                       struct lint_list *l)
{
	int64_t quiet_from_us = 0;
	int quiet_line = 0; /* 0: the start of the script */
	int warn_line = 0;  /* the run that went past the limit, 0: none yet */
	for (size_t i = 0; i <= n; i++) {
		bool mark = i == n || (h[i].kind == SCN_REC_EXEC && (h[i].cmd.kind == SCN_CMD_SAY ||
		                                                     h[i].cmd.kind == SCN_CMD_PAUSE));
		if (mark) {
			int64_t stop_us = i == n ? end_us : h[i].time_us;
			if (warn_line) {
				char d[48];
				int64_t quiet_us = stop_us - quiet_from_us;
				lint_secs(quiet_us, d, sizeof d);
				char since[64];
				if (quiet_line)
					snprintf(since, sizeof since, _("since the say or pause at line %d"),
					         quiet_line);
				else
					snprintf(since, sizeof since, "%s", _("from the start"));
				lint_add(l, warn_line,
				         _("%" PRId64 " s of the window's default pace (1/%d) without a say or "
				         "pause: %s of virtual time %s (at most %d s; add a say or pause, or "
				         "run less)"),
				         quiet_us * RENDER_PACE_DIV / 1000000, RENDER_PACE_DIV, d, since,
				         LINT_QUIET_WALL_S);
			}
			if (i == n)
				break;
			quiet_from_us = h[i].time_us;
			quiet_line = h[i].cmd.line;
			warn_line = 0;
			continue;
		}
		if (warn_line || h[i].kind != SCN_REC_EXEC || h[i].user || !lint_is_run(h[i].cmd.kind))
			continue;
		/* the run lasts until the next thing recorded, or the end */
		int64_t until_us = i + 1 < n ? h[i + 1].time_us : end_us;
		if (until_us - quiet_from_us > LINT_QUIET_US)
			warn_line = h[i].cmd.line;
	}
}

static int cli_lint_script(const struct scn_script *s, bool has_seed, uint64_t seed,
                    struct render_caption_meter *m)
{
	struct lint_list l = {0};
	const char *path = scn_script_path(s);
	bool narrated = false;
	int rc = 0;
	/* captions: every say of the script, whether or not this run reaches it */
	for (size_t i = 0; i < scn_script_n_cmds(s); i++) {
		const struct scn_cmd *c = scn_script_cmd(s, i);
		if (c->kind != SCN_CMD_SAY)
			continue;
		narrated = true;
		int lines = render_caption_lines(m, c->str, RENDER_DEFAULT_W, RENDER_DEFAULT_H);
		if (lines > RENDER_SAY_LINES)
			lint_add(&l, c->line,
			         _("say does not fit in the caption's two lines at %dx%d: it needs %d, and the "
			         "window cuts it with \"…\" (shorten it, or split it with a pause)"),
			         RENDER_DEFAULT_W, RENDER_DEFAULT_H, lines);
	}
	/* the timeline: when each say and pause happens for this seed */
	struct scn_options o = {.has_seed = has_seed, .seed = seed};
	struct scn_runner *r = scn_runner_new(s, &o);
	if (!r) {
		fprintf(stderr, _("raftsim lint: %s: cannot start the simulation (out of memory)\n"), path);
		rc = 2;
		goto cleanup;
	}
	scn_runner_run_all(r); /* a failing script is linted up to where it stopped */
	size_t n;
	const struct scn_record *h = scn_runner_history(r, &n);
	lint_unseen(h, n, &l);
	if (narrated)
		lint_quiet(h, n, scn_runner_now_us(r), &l);
	scn_runner_free(r);
	if (l.oom) {
		fprintf(stderr, _("raftsim lint: out of memory\n"));
		rc = 2;
		goto cleanup;
	}
	if (l.n)
		qsort(l.w, l.n, sizeof *l.w, lint_cmp);
	for (size_t i = 0; i < l.n; i++)
		printf(_("%s:%d: warning: %s\n"), path, l.w[i].line, l.w[i].text);
	rc = l.n ? 1 : 0;
cleanup:
	free(l.w);
	return rc;
}

int cli_lint_scripts(struct scn_script *const *scripts, int n, bool has_seed, uint64_t seed)
{
	char err[512];
	if (render_headless_init(err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim lint: cannot measure captions: %s\n"), err);
		return 2;
	}
	struct render_caption_meter *m = render_caption_meter_new(err, sizeof err);
	if (!m) {
		fprintf(stderr, _("raftsim lint: cannot measure captions: %s\n"), err);
		render_headless_quit();
		return 2;
	}
	int rc = 0;
	for (int i = 0; i < n && rc != 2; i++) {
		int st = cli_lint_script(scripts[i], has_seed, seed, m);
		rc = st > rc ? st : rc;
	}
	fflush(stdout);
	render_caption_meter_free(m);
	render_headless_quit();
	return rc;
}

int cli_lint(int argc, char **argv)
{
	struct scn_script **scripts = calloc((size_t)argc + 1, sizeof *scripts);
	const char **files = calloc((size_t)argc + 1, sizeof *files);
	bool has_seed = false;
	uint64_t seed = 0;
	int n = 0, rc = 0;
	if (!scripts || !files) {
		fprintf(stderr, _("raftsim: out of memory\n"));
		rc = 2;
		goto cleanup;
	}
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(_(lint_usage), stdout);
			goto cleanup;
		} else if (!strcmp(a, "--seed") || !strncmp(a, "--seed=", 7)) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seed")) ||
			    !cli_parse_u64("--seed", v, 0, UINT64_MAX, &seed)) {
				rc = 2;
				goto cleanup;
			}
			has_seed = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr, _("raftsim lint: unknown argument '%s' (raftsim lint --help)\n"), a);
			rc = 2;
			goto cleanup;
		} else {
			files[n++] = a;
		}
	}
	if (n == 0) {
		fprintf(stderr, _("raftsim lint: missing scenario FILE (raftsim lint --help)\n"));
		rc = 2;
		goto cleanup;
	}
	/* Every script must load before any is linted: one error line. */
	for (int i = 0; i < n; i++) {
		char err[SCN_ERR_MAX];
		scripts[i] = scn_load(files[i], err, sizeof err);
		if (scripts[i] && scn_script_check(scripts[i], err, sizeof err) != 0) {
			scn_script_free(scripts[i]);
			scripts[i] = NULL;
		}
		if (!scripts[i]) {
			fprintf(stderr, _("%s\n"), err);
			rc = 2;
			goto cleanup;
		}
	}
	rc = cli_lint_scripts(scripts, n, has_seed, seed);
cleanup:
	if (scripts)
		for (int i = 0; i < n; i++)
			scn_script_free(scripts[i]);
	free(scripts);
	free(files);
	return rc;
}
