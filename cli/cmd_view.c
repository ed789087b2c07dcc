/* cmd_view.c - `raftsim view` (the window) and `raftsim render` (the same frames as PNG files, no display needed). */
#include "cli.h"
#include "i18n.h"

#include "render.h"
#include "scn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <strings.h>
#include <unistd.h>

#define DEFAULT_SCRIPT "scenarios/tutorial.scn"
#define DEFAULT_SCRIPT_ZH "scenarios/zh/tutorial.scn"
#define FRAMES_MAX 100000

static const char view_usage[] = N_(
    "usage: raftsim view [FILE] [--size WxH] [--fullscreen] [--speed 1/N] [--seed S]\n"
    "                    [--bug NAME]...\n"
    "Opens the visualizer on the scenario FILE (default %s).\n"
    "  --size WxH   initial window size (default: about 85%% of the screen; resizable)\n"
    "  --fullscreen start full screen (F or F11 toggles it)\n"
    "  --speed 1/N  a fixed pace, virtual time per real time, 1 (real time) to 1/1000\n"
    "               (default auto: slow motion while a vote or an entry flies)\n"
    "  --seed S     run with seed S instead of the script's cluster seed\n"
    "  --bug NAME   switch off one rule of Raft (repeatable)\n"
    "  --max-events N, --max-memory SIZE  budgets per run, as for `raftsim run`\n"
    "  --lang zh|en the language (default: the locale, LANG=zh_CN.UTF-8 is Chinese);\n"
    "               in Chinese, no FILE opens %s\n"
    "Space plays, arrows step, ? shows every control (docs/controls.md).  Everything\n"
    "you do is a scenario command: Ctrl+S saves the session as a .scn that replays it.\n"
    "Exit 0, 2 for bad usage, a bad script or no display, 3 a resource limit.\n");

static const char render_usage[] = N_(
    "usage: raftsim render FILE --at TIME --out PNG [--size WxH] [--every DURATION]\n"
    "                      [--select NODE] [--diagram] [--clients] [--seed S] [--bug NAME]...\n"
    "       raftsim render FILE --diagram-only --from T1 --to T2 --out PNG [--size WxH]\n"
    "Draws exactly what the window shows at virtual time TIME (pauses are ignored)\n"
    "with SDL's software renderer, without a display, into the PNG file PNG.\n"
    "  --at TIME        virtual time, e.g. 1.5s or 800ms\n"
    "  --out PNG        the file to write (a finished PNG or none: docs/robustness.md)\n"
    "  --size WxH       frame size (default 1280x720)\n"
    "  --every DURATION write a numbered sequence PNG-0000.png, PNG-0001.png, ...\n"
    "                   one frame every DURATION from 0 up to TIME\n"
    "  --select NODE    show node NODE (e.g. n2) in the details panel\n"
    "  --diagram        with the space-time diagram beside the ring (D in the window)\n"
    "  --clients        with the client timeline and the linearizability verdict of\n"
    "                   the history so far, in the details panel's place (K)\n"
    "  --diagram-only   only the diagram, of virtual time T1 to T2 (--from, --to), as\n"
    "                   a tall picture (default size: its width for the cluster, its\n"
    "                   height at the window's scale of time)\n"
    "  --seed S, --bug NAME, --max-events N, --max-memory SIZE  as for `raftsim run`\n"
    "  --lang zh|en     the language of the panels (default: the locale)\n"
    "Exit 0, 2 for bad usage, a bad script or an unwritable PNG, 3 a resource limit\n"
    "(the run's event or memory budget ran out before TIME, or memory did).\n");

static bool parse_size(const char *v, int *w, int *h)
{
	char extra;
	unsigned a, b;
	if (sscanf(v, "%ux%u%c", &a, &b, &extra) != 2 || a < 320 || b < 240 || a > 8192 ||
	    b > 8192) {
		fprintf(stderr,
		        _("raftsim: --size: '%s' is not a size (expected WxH, 320x240 to 8192x8192, e.g. "
		        "1280x720)\n"),
		        v);
		return false;
	}
	*w = (int)a;
	*h = (int)b;
	return true;
}

static bool parse_speed(const char *v, double *speed)
{
	unsigned long d;
	char extra;
	double x;
	if (!strcmp(v, "auto")) {
		*speed = 0; /* the window's default */
		return true;
	}
	if (sscanf(v, "1/%lu%c", &d, &extra) == 1 && d >= 1 && d <= 1000) {
		*speed = 1.0 / (double)d;
		return true;
	}
	if (sscanf(v, "%lf%c", &x, &extra) == 1 && x >= 0.001 && x <= 1) {
		*speed = x;
		return true;
	}
	fprintf(stderr,
	        _("raftsim: --speed: '%s' is not a speed (expected auto or 1/N with N from 1 to "
	        "1000, e.g. 1/20)\n"),
	        v);
	return false;
}

static bool parse_node(const char *v, unsigned *node)
{
	uint64_t n;
	const char *p = v[0] == 'n' ? v + 1 : v;
	char msg[64];
	snprintf(msg, sizeof msg, "--select");
	if (!cli_parse_u64(msg, p, 1, RENDER_NODES_MAX, &n))
		return false;
	*node = (unsigned)n;
	return true;
}

/* Flags common to view and render. */
struct view_flags {
	const char *file;
	int w, h;
	double speed;
	int64_t at_us, every_us;
	bool has_at;
	const char *out;
	unsigned select;
	bool fullscreen;
	bool diagram, diagram_only, has_from, has_to, size_given;
	bool clients;
	int64_t from_us, to_us;
	struct scn_options scn;
};

/* 0 ok, 1 --help printed, 2 bad usage (message printed). */
static int parse(int argc, char **argv, bool render, struct view_flags *f)
{
	memset(f, 0, sizeof *f);
	f->w = RENDER_DEFAULT_W;
	f->h = RENDER_DEFAULT_H;
	bool size_given = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int b;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			if (render)
				fputs(_(render_usage), stdout);
			else
				printf(_(view_usage), DEFAULT_SCRIPT, DEFAULT_SCRIPT_ZH);
			return 1;
		} else if (cli_flag_is(a, "--size")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--size")) || !parse_size(v, &f->w, &f->h))
				return 2;
			size_given = true;
		} else if (!render && !strcmp(a, "--fullscreen")) {
			f->fullscreen = true;
		} else if (cli_flag_is(a, "--seed")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seed")) ||
			    !cli_parse_u64("--seed", v, 0, UINT64_MAX, &f->scn.seed))
				return 2;
			f->scn.has_seed = true;
		} else if (cli_flag_is(a, "--bug")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--bug")) ||
			    !cli_parse_bug("--bug", v, &f->scn.bugs))
				return 2;
		} else if (!render && cli_flag_is(a, "--speed")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--speed")) || !parse_speed(v, &f->speed))
				return 2;
		} else if (render && cli_flag_is(a, "--at")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--at")) ||
			    !cli_parse_duration("--at", v, &f->at_us))
				return 2;
			f->has_at = true;
		} else if (render && cli_flag_is(a, "--every")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--every")) ||
			    !cli_parse_duration("--every", v, &f->every_us))
				return 2;
			if (f->every_us <= 0) {
				fprintf(stderr, _("raftsim: --every: must be longer than 0 (e.g. 100ms)\n"));
				return 2;
			}
		} else if (render && cli_flag_is(a, "--out")) {
			if (!(f->out = cli_flag_value(argc, argv, &i, "--out")))
				return 2;
			if (!*f->out) {
				fprintf(stderr, _("raftsim: --out: empty file name\n"));
				return 2;
			}
			/* a file name says what it holds; a device or a FIFO
			 * (--out /dev/stdout) names no format */
			size_t n = strlen(f->out);
			struct stat st;
			bool special = stat(f->out, &st) == 0 && !S_ISREG(st.st_mode) &&
			               !S_ISDIR(st.st_mode);
			if (!special && (n < 4 || strcasecmp(f->out + n - 4, ".png") != 0)) {
				fprintf(stderr,
				        _("raftsim: --out: '%s' is not a .png name (render writes PNG files, "
				        "e.g. --out frame.png)\n"),
				        f->out);
				return 2;
			}
		} else if (render && !strcmp(a, "--diagram")) {
			f->diagram = true;
		} else if (render && !strcmp(a, "--clients")) {
			f->clients = true;
		} else if (render && !strcmp(a, "--diagram-only")) {
			f->diagram_only = true;
		} else if (render && cli_flag_is(a, "--from")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--from")) ||
			    !cli_parse_duration("--from", v, &f->from_us))
				return 2;
			f->has_from = true;
		} else if (render && cli_flag_is(a, "--to")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--to")) ||
			    !cli_parse_duration("--to", v, &f->to_us))
				return 2;
			f->has_to = true;
		} else if (render && cli_flag_is(a, "--select")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--select")) || !parse_node(v, &f->select))
				return 2;
		} else if ((b = cli_parse_budget(argc, argv, &i, &f->scn.max_events,
		                                 &f->scn.max_memory_bytes)) != 0) {
			if (b < 0)
				return 2;
		} else if (cli_script_sets(render ? "render" : "view", a)) {
			return 2;
		} else if (a[0] == '-' && a[1]) {
			static const char *const view_flags[] = {
				"--size", "--fullscreen", "--speed", "--seed", "--bug", "--max-events",
				"--max-memory", "--help", NULL};
			static const char *const render_flags[] = {
				"--at", "--out", "--size", "--every", "--select", "--diagram",
				"--clients", "--diagram-only", "--from", "--to", "--seed", "--bug",
				"--max-events", "--max-memory", "--help", NULL};
			return cli_unknown_flag(render ? "render" : "view", a,
			                        render ? render_flags : view_flags);
		} else if (!f->file) {
			f->file = a;
		} else {
			fprintf(stderr, _("raftsim: %s: only one scenario file, please (got %s and %s)\n"), a,
			        f->file, a);
			return 2;
		}
	}
	if (!render && !size_given)
		f->w = f->h = 0;
	f->size_given = size_given;
	if (render) {
		if (!f->file) {
			fprintf(stderr, _("raftsim: render: missing FILE (usage: raftsim render FILE --at "
			                "TIME --out PNG)\n"));
			return 2;
		}
		if (f->diagram_only) {
			if (!f->has_from || !f->has_to) {
				fprintf(stderr, _("raftsim: --diagram-only: needs --from T1 and --to T2 (the "
				                "interval to draw, e.g. --from 0 --to 1s)\n"));
				return 2;
			}
			if (f->to_us <= f->from_us) {
				fprintf(stderr, _("raftsim: --to: must be later than --from\n"));
				return 2;
			}
			if (f->has_at || f->every_us || f->diagram || f->clients) {
				fprintf(stderr, _("raftsim: --diagram-only: draws the interval --from..--to; "
				                "leave out --at, --every, --diagram and --clients\n"));
				return 2;
			}
			f->at_us = f->to_us;
			f->has_at = true;
		} else if (f->has_from || f->has_to) {
			fprintf(stderr, _("raftsim: --from/--to: only with --diagram-only\n"));
			return 2;
		}
		if (!f->has_at) {
			fprintf(stderr, _("raftsim: --at: missing (the virtual time to draw, e.g. --at 1.5s)\n"));
			return 2;
		}
		if (!f->out) {
			fprintf(stderr, _("raftsim: --out: missing (the PNG file to write, e.g. --out "
			                "frame.png)\n"));
			return 2;
		}
		if (f->every_us && f->at_us / f->every_us >= FRAMES_MAX) {
			fprintf(stderr, _("raftsim: --every: that is more than %d frames up to --at\n"),
			        FRAMES_MAX);
			return 2;
		}
	}
	return 0;
}

/* Loads and checks a script; prints its one-line error. */
static struct scn_script *load(const char *path)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_load(path, err, sizeof err);
	if (!s) {
		fprintf(stderr, _("%s\n"), err);
		return NULL;
	}
	if (scn_script_check(s, err, sizeof err) != 0) {
		fprintf(stderr, _("%s\n"), err);
		scn_script_free(s);
		return NULL;
	}
	return s;
}

/* The tutorial (in Chinese with --lang zh) next to the assets when not
 * run from the source tree. */
static const char *default_script(char *buf, size_t cap)
{
	const char *want = cli_lang_zh() ? DEFAULT_SCRIPT_ZH : DEFAULT_SCRIPT;
	if (access(want, R_OK) == 0)
		return want;
	char dir[4096], err[256];
	if (render_assets_dir(dir, sizeof dir, err, sizeof err)) {
		snprintf(buf, cap, "%s/../%s", dir, want);
		if (access(buf, R_OK) == 0)
			return buf;
	}
	return want;
}

int cli_view(int argc, char **argv)
{
	struct view_flags f;
	int rc = parse(argc, argv, false, &f);
	if (rc)
		return rc == 1 ? 0 : rc;
	char buf[4200], lessons[4200];
	const char *tutorial = default_script(buf, sizeof buf);
	if (!f.file)
		f.file = tutorial;
	struct scn_script *s = load(f.file);
	if (!s)
		return 2;
	/* the picker (O) lists the shipped scenarios, beside the tutorial */
	const char *slash = strrchr(tutorial, '/');
	snprintf(lessons, sizeof lessons, "%.*s", (int)(slash ? slash - tutorial : 1),
	         slash ? tutorial : ".");
	struct render_view_options o = {.path = f.file,
	                                .w = f.w,
	                                .h = f.h,
	                                .speed = f.speed,
	                                .scn = &f.scn,
	                                .fullscreen = f.fullscreen,
	                                .lessons_dir = lessons};
	rc = render_view_run(s, &o);
	scn_script_free(s);
	return rc;
}

/* "frame.png" + 7 -> "frame-0007.png" */
static void numbered(const char *out, unsigned k, char *buf, size_t cap)
{
	const char *dot = strrchr(out, '.');
	const char *slash = strrchr(out, '/');
	if (!dot || (slash && dot < slash))
		snprintf(buf, cap, "%s-%04u", out, k);
	else
		snprintf(buf, cap, "%.*s-%04u%s", (int)(dot - out), out, k, dot);
}

int cli_render(int argc, char **argv)
{
	struct view_flags f;
	int rc = parse(argc, argv, true, &f);
	if (rc)
		return rc == 1 ? 0 : rc;
	struct scn_script *s = load(f.file);
	if (!s)
		return 2;
	/* a bad output path is refused before any frame is drawn */
	char first_out[4200];
	if (f.every_us)
		numbered(f.out, 0, first_out, sizeof first_out);
	else
		snprintf(first_out, sizeof first_out, "%s", f.out);
	if (!cli_output_ok("--out", first_out, f.file)) {
		scn_script_free(s);
		return 2;
	}
	if (scn_script_nodes(s) > RENDER_NODES_MAX) {
		fprintf(stderr, _("raftsim: %s: the view draws at most %d nodes and this cluster has %u\n"),
		        f.file, RENDER_NODES_MAX, scn_script_nodes(s));
		scn_script_free(s);
		return 2;
	}
	if (f.select > scn_script_nodes(s)) {
		fprintf(stderr, _("raftsim: --select: n%u is not in the cluster (%s has n1..n%u)\n"),
		        f.select, f.file, scn_script_nodes(s));
		scn_script_free(s);
		return 2;
	}
	char err[1024];
	if (render_headless_init(err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: render: %s\n"), err);
		scn_script_free(s);
		return 2;
	}
	rc = 2;
	struct render_offscreen *o = NULL;
	struct render_history *h = render_history_new(s, &f.scn, NULL, err, sizeof err);
	if (!h) {
		fprintf(stderr, _("raftsim: %s\n"), err);
		goto out;
	}
	if (f.diagram_only && !f.size_given)
		render_diagram_only_size(render_history_sim(h), f.to_us - f.from_us, &f.w, &f.h);
	o = render_offscreen_new(f.w, f.h, err, sizeof err);
	if (!o) {
		fprintf(stderr, _("raftsim: render: %s\n"), err);
		goto out;
	}
	unsigned frames = f.every_us ? (unsigned)(f.at_us / f.every_us) + 1 : 1;
	for (unsigned k = 0; k < frames; k++) {
		int64_t t = f.every_us ? (int64_t)k * f.every_us : f.at_us;
		render_history_advance(h, t, true);
		/* a run stopped by a budget or by memory has no frame at t */
		const char *stop = render_history_error(h);
		if (stop && (!strncmp(stop, "LIMIT ", 6) || !strncmp(stop, "OOM ", 4))) {
			fprintf(stderr, _("raftsim: %s\n"), stop);
			rc = 3;
			goto out;
		}
		struct render_frame fr = {0};
		render_frame_from_history(&fr, h);
		fr.at_pause = false; /* pauses are ignored headless */
		fr.selected = f.select;
		fr.speed = 0;
		fr.diagram = f.diagram;
		fr.clients = f.clients;
		fr.diagram_only = f.diagram_only;
		fr.diagram_from_us = f.from_us;
		fr.diagram_to_us = f.to_us;
		render_offscreen_draw(o, &fr);
		char path[4200];
		if (f.every_us)
			numbered(f.out, k, path, sizeof path);
		else
			snprintf(path, sizeof path, "%s", f.out);
		if (render_offscreen_save_png(o, path, err, sizeof err) != 0) {
			fprintf(stderr, _("raftsim: --out: %s\n"), err);
			goto out;
		}
	}
	const char *e = render_history_error(h);
	if (e && *e)
		fprintf(stderr, _("raftsim: note: the scenario stopped being checked: %s\n"), e);
	if (f.every_us) {
		char first[4200], last[4200];
		numbered(f.out, 0, first, sizeof first);
		numbered(f.out, frames - 1, last, sizeof last);
		printf(_("wrote %u frames: %s .. %s\n"), frames, first, last);
	} else {
		printf(_("wrote %s\n"), f.out);
	}
	rc = 0;
out:
	render_offscreen_free(o);
	render_history_free(h);
	render_headless_quit();
	scn_script_free(s);
	return rc;
}
