/* app.c - the interactive window: input -> update -> draw, where update is the one place virtual time is derived from wall time. */
#include "gfx.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

static const double speeds[] = {1.0,       1.0 / 2,   1.0 / 5,   1.0 / 10,  1.0 / 20,
                                1.0 / 50,  1.0 / 100, 1.0 / 200, 1.0 / 500, 1.0 / 1000};
#define N_SPEEDS (int)(sizeof speeds / sizeof speeds[0])
#define DEFAULT_SPEED 4 /* 1/20: an election takes a few seconds on screen */
#define LEADER_LIMIT_US (120LL * 1000000)
#define PAUSE_LIMIT_US (120LL * 1000000) /* PageDown looks this far for a pause */
#define CHANGED_NOTE _("You changed the run:\nthe script's checks are off.\nShift+R: back to the script")
/* A long move (seek, step back, leader search) runs between frames, about
 * this much wall time per frame, in calls of at most SLICE_EVENTS events. */
#define SLICE_S 0.016
#define SLICE_EVENTS 100u
#define LATER_MAX 64 /* input kept for after the move */
#define IDLE_WAIT_MS 500 /* an idle window wakes up this often at most */
#define WINDOW_SHARE_PCT 85 /* of the display's usable area, without --size */
#define WINDOW_MIN_W 640
#define WINDOW_MIN_H 400

struct app {
	SDL_Window *win;
	SDL_Renderer *ren;
	struct render_gfx *g;
	struct render_history *h;
	bool quit;
	bool playing;
	int speed;       /* fixed pace: speeds[speed] */
	bool pace_auto;  /* auto pace (the default; + and - leave it, A returns) */
	double pace;     /* auto pace of the moment */
	size_t pace_records; /* the runner records when the script's pace was last read */
	long script_pace;    /* the script's `set pace=` seen last (-1 none) */
	struct render_say_hold hold; /* the narration on screen, held for reading */
	double carry_us; /* fraction of a microsecond not yet advanced */
	double last_wall;
	unsigned selected, hover_node, hover_a, hover_b;
	bool help, hide_legend;
	/* the space-time diagram: on by default in a wide window, D toggles
	 * it (and then the width no longer decides) */
	bool diagram, diagram_chosen;
	uint64_t sel_msg, hover_msg; /* message ids, 0 none */
	/* the client timeline (K) in the details panel's place: the history
	 * of the moment and its verdict, checked again only when it changed */
	bool clients;
	struct render_clients_state clients_st;
	size_t sel_op;   /* the selected operation's history index + 1, 0 none */
	size_t hover_op; /* the one under the pointer, the same way */
	bool blank; /* B or .: the picture is black, the world holds */
	bool hidden;    /* minimized or hidden: the world holds, nothing is drawn */
	bool unfocused; /* another window has the keyboard: the same */
	bool unsaved;      /* actions of the user since the last Ctrl+S */
	bool confirm_quit; /* q with unsaved actions: the prompt is open */
	/* the lesson picker (O) */
	bool picker, picker_skip_text;
	bool picker_next; /* the picker lists what can happen next (E), not lessons */
	struct render_pick_item *picks;
	size_t n_picks;
	int pick_sel;
	char typed[512];
	char pick_note[SCN_ERR_MAX];
	char lessons_dir[1024];
	struct scn_options scn_opt; /* for the lessons opened in the window */
	bool redraw; /* something changed that the next idle frame must show */
	double quit_at; /* > 0: close the window then (benches) */
	double *idle_cpu, idle_cpu0, idle_wall0; /* the idle benchmark */
	bool menu_open;
	int menu_x, menu_y, menu_hover;
	unsigned menu_node;
	size_t menu_n;
	struct render_menu_item menu[RENDER_MENU_MAX];
	bool dragging;
	bool was_playing;
	char toast[1200];
	double toast_until;
	int out_w, out_h; /* renderer pixels */
	float scale;      /* renderer pixels per window point */
	struct render_layout lay;
	SDL_Cursor *arrow, *hand;
	bool hand_on;
	/* the move in progress (render_history_moving): a timeline click sets
	 * seek_next, started once per frame so a drag restores at most one
	 * checkpoint per frame */
	bool seek_next;
	int64_t seek_next_us;
	int64_t leader_from_us; /* N: where the search began */
	SDL_Event later[LATER_MAX]; /* input that waits for the move */
	size_t n_later;
	/* RAFTSIM_FRAME_LOG: frame times and moves on stderr */
	bool frame_log;
	double move_wall0, move_worst_s, frame_work_s;
	unsigned move_frames;
};

static void toast(struct app *a, const char *fmt, const char *arg)
{
	snprintf(a->toast, sizeof a->toast, fmt, arg);
	a->toast_until = render_wall_seconds() + 2.5;
}

static void local_stamp(char *buf, size_t cap)
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, cap, "%Y%m%d-%H%M%S", &tm);
}

/* A file name in the current directory that does not exist yet. */
static void fresh_name(const char *prefix, const char *ext, char *buf, size_t cap)
{
	char stamp[32];
	local_stamp(stamp, sizeof stamp);
	snprintf(buf, cap, "%s-%s.%s", prefix, stamp, ext);
	for (int i = 2; i < 1000 && access(buf, F_OK) == 0; i++)
		snprintf(buf, cap, "%s-%s-%d.%s", prefix, stamp, i, ext);
}

static void build_frame(const struct app *a, struct render_frame *f, bool for_screen)
{
	memset(f, 0, sizeof *f);
	render_frame_from_history(f, a->h);
	f->say = render_say_hold_text(&a->hold, f->say, render_wall_seconds());
	f->playing = a->playing;
	f->speed = a->pace_auto ? a->pace : speeds[a->speed];
	f->pace_auto = a->pace_auto;
	f->selected = a->selected;
	f->interactive = true;
	f->hide_legend = a->hide_legend;
	f->diagram = a->diagram;
	f->clients = a->clients;
	f->clients_st = a->clients ? &a->clients_st : NULL;
	f->sel_op = a->clients && a->sel_op <= a->clients_st.n ? a->sel_op : 0;
	f->sel_msg = render_history_msg(a->h, a->sel_msg) ? a->sel_msg : 0;
	if (!for_screen)
		return;
	f->hover_msg = a->hover_msg;
	f->hover_op = a->clients && a->hover_op <= a->clients_st.n ? a->hover_op : 0;
	f->hover_node = a->hover_node;
	f->hover_link_a = a->hover_a;
	f->hover_link_b = a->hover_b;
	f->help = a->help;
	f->menu_open = a->menu_open;
	f->menu_x = a->menu_x;
	f->menu_y = a->menu_y;
	f->menu_hover = a->menu_hover;
	f->menu_n = a->menu_n;
	f->menu_items = a->menu;
	if (render_wall_seconds() < a->toast_until && !render_history_moving(a->h))
		f->toast = a->toast;
}

static const struct sim *sim_of(const struct app *a)
{
	return render_history_sim(a->h);
}

/* ---- Actions: everything that changes the simulation is a command line ---- */
static void run_command(struct app *a, const char *line)
{
	char err[SCN_ERR_MAX];
	int rc = render_history_exec(a->h, line, err, sizeof err);
	if (rc != 0) {
		toast(a, "%s", err);
	} else {
		toast(a, "%s", line);
		a->unsaved = true;
	}
}

static void next_put(struct app *a, char *buf, size_t cap)
{
	render_put_value(render_history_puts(a->h), buf, cap);
}

static void node_action(struct app *a, unsigned node, char key)
{
	char line[96], put[32];
	if (!node) {
		toast(a, "%s", _("Select a node first (click it)"));
		return;
	}
	switch (key) {
	case 'c':
		snprintf(line, sizeof line, "crash n%u", node);
		break;
	case 'r':
		snprintf(line, sizeof line, "restart n%u", node);
		break;
	case 't':
		snprintf(line, sizeof line, "timeout n%u", node);
		break;
	case 'i':
		snprintf(line, sizeof line, "isolate n%u", node);
		break;
	case 'p':
		next_put(a, put, sizeof put);
		snprintf(line, sizeof line, "client put %s to n%u", put, node);
		break;
	default:
		return;
	}
	run_command(a, line);
}

static void link_click(struct app *a, unsigned near, unsigned far, bool one_way)
{
	const struct sim *s = sim_of(a);
	char line[64];
	if (one_way) {
		bool up = sim_link_up(s, (uint8_t)far, (uint8_t)near);
		snprintf(line, sizeof line, "%s n%u->n%u", up ? "cut" : "mend", far, near);
	} else {
		bool up = sim_link_up(s, (uint8_t)near, (uint8_t)far) &&
		          sim_link_up(s, (uint8_t)far, (uint8_t)near);
		unsigned x = near < far ? near : far, y = near < far ? far : near;
		snprintf(line, sizeof line, "%s n%u<->n%u", up ? "cut" : "mend", x, y);
	}
	run_command(a, line);
}

/* X, U, [ and ] on the selected message: drop it, duplicate it, delay or
 * hurry it by one latency step (the slowest one-way latency). */
static void msg_action(struct app *a, SDL_Keycode sym)
{
	const struct render_msgrec *m = a->sel_msg ? render_history_msg(a->h, a->sel_msg) : NULL;
	if (!m) {
		toast(a, "%s", _("Select a message first (click it on the ring or the diagram)"));
		return;
	}
	if (m->end_seq && m->end_seq <= render_history_seq(a->h)) {
		toast(a, "%s", _("That message has arrived or died already"));
		return;
	}
	int64_t step = sim_config(sim_of(a))->latency_us_max;
	char by[32], line[96];
	if (step % 1000 == 0)
		snprintf(by, sizeof by, "%lldms", (long long)(step / 1000));
	else
		snprintf(by, sizeof by, "%lldus", (long long)step);
	unsigned long long id = (unsigned long long)m->id;
	switch (sym) {
	case SDLK_x:
		snprintf(line, sizeof line, "drop msg %llu", id);
		break;
	case SDLK_u:
		snprintf(line, sizeof line, "duplicate msg %llu", id);
		break;
	case SDLK_LEFTBRACKET:
		snprintf(line, sizeof line, "delay msg %llu by %s", id, by);
		break;
	default:
		snprintf(line, sizeof line, "hurry msg %llu by %s", id, by);
		break;
	}
	a->playing = false;
	run_command(a, line);
}

static void screenshot(struct app *a)
{
	char path[128], err[512];
	fresh_name("raftsim", "png", path, sizeof path);
	if (a->clients)
		render_clients_state_update(&a->clients_st, sim_of(a));
	struct render_frame f;
	build_frame(a, &f, false);
	if (render_frame_png(&f, a->out_w, a->out_h, path, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: screenshot: %s\n"), err);
		toast(a, _("Screenshot failed: %s"), err);
		return;
	}
	printf("screenshot: %s\n", path);
	fflush(stdout);
	toast(a, _("Saved %s"), path);
}

static void save_session(struct app *a)
{
	char path[128], err[512];
	fresh_name("raftsim-session", "scn", path, sizeof path);
	if (render_history_save(a->h, path, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim: save: %s\n"), err);
		toast(a, _("Save failed: %s"), err);
		return;
	}
	printf("session: %s\n", path);
	fflush(stdout);
	a->unsaved = false;
	toast(a, _("Saved %s (replay: raftsim view FILE)"), path);
}

/* RAFTSIM_FRAME_LOG: where the lesson stands, for tests and troubleshooting. */
static void log_lesson(const struct app *a, int rc)
{
	if (!a->frame_log || (rc != SCN_PAUSED && rc != SCN_DONE))
		return;
	fprintf(stderr, "lesson: %s at %.6f s\n", rc == SCN_PAUSED ? "pause" : "end of the script",
	        (double)render_history_now_us(a->h) / 1e6);
}

/* Reports what a move of the history returned. */
static void after_move(struct app *a, int rc)
{
	log_lesson(a, rc);
	if (rc == SCN_PAUSED) {
		a->playing = false;
	} else if (rc == SCN_FAILED) {
		a->playing = false;
	} else if (rc == SCN_DONE) {
		toast(a, "%s", _("End of the script: the cluster keeps running"));
	}
}

static double seconds(int64_t t_us)
{
	return (double)t_us / 1e6;
}

/* A move begins: its progress shows from the next frame on. */
static void move_started(struct app *a, const char *what)
{
	a->move_wall0 = render_wall_seconds();
	a->move_worst_s = 0;
	a->move_frames = 0;
	if (a->frame_log) {
		struct render_move m;
		render_history_move(a->h, &m);
		fprintf(stderr, "move: %s %.3f s from %.3f s\n", what, seconds(m.target_us),
		        seconds(render_history_now_us(a->h)));
	}
}

/* Seeks to the time under x on the timeline: a new target for the seek in
 * progress, if any.  Started by update(), once per frame. */
static void seek_to_x(struct app *a, float x)
{
	struct render_frame f;
	build_frame(a, &f, false);
	a->seek_next_us = render_layout_time_at(&a->lay, x, f.timeline_end_us);
	a->seek_next = true;
}

static void start_seek(struct app *a)
{
	a->seek_next = false;
	struct render_move m;
	render_history_move(a->h, &m);
	bool again = m.kind == RENDER_MOVE_SEEK;
	if (again && m.target_us == a->seek_next_us)
		return;
	if (render_history_seek_begin(a->h, a->seek_next_us) != 0) {
		toast(a, "%s", _("Out of memory"));
		return;
	}
	move_started(a, again ? "seek retargeted to" : "seek to");
}

/* Esc during a move: it stops where it stands, a state the session
 * really passes through; the input kept for after it is dropped. */
static void cancel_move(struct app *a)
{
	char msg[64];
	snprintf(msg, sizeof msg, "%.3f s", seconds(render_history_now_us(a->h)));
	render_history_cancel(a->h);
	a->seek_next = false;
	a->n_later = 0;
	toast(a, _("Stopped at %s"), msg);
	if (a->frame_log)
		fprintf(stderr, "move: cancelled at %s\n", msg);
}

/* ---- Input ------------------------------------------------------------------ */
static void open_menu(struct app *a, unsigned node, int x, int y)
{
	char put[32];
	next_put(a, put, sizeof put);
	a->menu_n = render_menu_items(sim_of(a), node, put, a->menu);
	a->menu_open = a->menu_n > 0;
	a->menu_node = node;
	a->menu_x = x;
	a->menu_y = y;
	a->menu_hover = -1;
	a->selected = node;
}

/* ---- The lesson picker (O) ------------------------------------------------ */
static void read_script_pace(struct app *a);

static int pick_cmp(const void *x, const void *y)
{
	const struct render_pick_item *p = x, *q = y;
	/* the tutorial first, the teaching bugs last, by name in between */
	bool pt = strstr(p->path, "/tutorial.scn") != NULL, qt = strstr(q->path, "/tutorial.scn") != NULL;
	bool pb = strstr(p->path, "/bugs/") != NULL, qb = strstr(q->path, "/bugs/") != NULL;
	if (pt != qt)
		return pt ? -1 : 1;
	if (pb != qb)
		return pb ? 1 : -1;
	return strcmp(p->path, q->path);
}

/* Adds the .scn files of dir to the picker: title and first narration. */
static void scan_lessons(struct app *a, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && a->n_picks < RENDER_PICK_MAX) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".scn") != 0)
			continue;
		struct render_pick_item *it = &a->picks[a->n_picks];
		snprintf(it->path, sizeof it->path, "%s/%s", dir, e->d_name);
		char err[SCN_ERR_MAX];
		struct scn_script *s = scn_load(it->path, err, sizeof err);
		if (!s)
			continue;
		snprintf(it->title, sizeof it->title, "%s", scn_script_title(s));
		it->first[0] = '\0';
		for (size_t i = 0; i < scn_script_n_cmds(s); i++) {
			const struct scn_cmd *c = scn_script_cmd(s, i);
			if (c->kind == SCN_CMD_SAY && c->str) {
				snprintf(it->first, sizeof it->first, "%s", c->str);
				break;
			}
		}
		scn_script_free(s);
		a->n_picks++;
	}
	closedir(d);
}

static void open_picker(struct app *a)
{
	if (!a->picks && !(a->picks = calloc(RENDER_PICK_MAX, sizeof *a->picks))) {
		toast(a, "%s", _("Out of memory"));
		return;
	}
	a->n_picks = 0;
	scan_lessons(a, a->lessons_dir);
	char bugs[1100];
	snprintf(bugs, sizeof bugs, "%s/bugs", a->lessons_dir);
	scan_lessons(a, bugs);
	qsort(a->picks, a->n_picks, sizeof *a->picks, pick_cmp);
	a->picker = true;
	a->picker_next = false;
	a->picker_skip_text = true; /* the O itself arrives as text too */
	a->pick_sel = a->n_picks ? 0 : -1;
	a->typed[0] = '\0';
	a->pick_note[0] = '\0';
	a->playing = false;
}

static void load_lesson(struct app *a, const char *path);

/* "What can happen next" (E): the earliest message on each link and each
 * node's next timer; picking one makes it happen now, before the rest
 * (DSLabs' stepping on a live cluster), as a command Ctrl+S records. */
static void open_next_picker(struct app *a)
{
	if (!a->picks && !(a->picks = calloc(RENDER_PICK_MAX, sizeof *a->picks))) {
		toast(a, "%s", _("Out of memory"));
		return;
	}
	const struct sim *s = sim_of(a);
	struct sim_next nx[RENDER_PICK_MAX];
	size_t n = sim_next_events(s, nx, RENDER_PICK_MAX);
	int64_t now = sim_now_us(s);
	for (size_t i = 0; i < n; i++) {
		struct render_pick_item *it = &a->picks[i];
		double in_ms = (double)(nx[i].time_us - now) / 1000.0;
		if (nx[i].kind == SIM_NEXT_MSG) {
			snprintf(it->title, sizeof it->title, "n%u \xe2\x86\x92 n%u %s #%llu", nx[i].from,
			         nx[i].node, raft_msg_type_name((enum raft_msg_type)nx[i].type),
			         (unsigned long long)nx[i].msg_id);
			snprintf(it->first, sizeof it->first, _("arrives in %.3f ms%s"), in_ms,
			         nx[i].lost ? _(" (and dies: lost or cut)") : "");
			snprintf(it->path, sizeof it->path, "deliver next msg %llu",
			         (unsigned long long)nx[i].msg_id);
		} else {
			snprintf(it->title, sizeof it->title, "n%u %s", nx[i].node,
			         nx[i].heartbeat ? _("heartbeat timer") : _("election timeout"));
			snprintf(it->first, sizeof it->first, _("fires in %.3f ms"), in_ms);
			snprintf(it->path, sizeof it->path, "fire next timer n%u", nx[i].node);
		}
	}
	a->n_picks = n;
	a->picker = a->picker_next = true;
	a->picker_skip_text = true;
	a->pick_sel = n ? 0 : -1;
	a->typed[0] = '\0';
	a->pick_note[0] = '\0';
	a->playing = false;
}

/* The picker's row i was chosen. */
static void pick(struct app *a, int i)
{
	if (a->picker_next) {
		a->picker = false;
		run_command(a, a->picks[i].path);
	} else {
		load_lesson(a, a->picks[i].path);
	}
}

static void set_title(struct app *a, const struct scn_script *s, const char *path)
{
	char title[300];
	const char *st = scn_script_title(s);
	snprintf(title, sizeof title, "raftsim \xe2\x80\x94 %s", st && *st ? st : path);
	if (a->win)
		SDL_SetWindowTitle(a->win, title);
}

/* Opens another scenario in this window, or says in the picker why not. */
static void load_lesson(struct app *a, const char *path)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_load(path, err, sizeof err);
	if (!s) {
		snprintf(a->pick_note, sizeof a->pick_note, "%s", err);
		return;
	}
	struct render_history *h = NULL;
	if (scn_script_check(s, err, sizeof err) != 0) {
		snprintf(a->pick_note, sizeof a->pick_note, "%s", err);
	} else if (scn_script_nodes(s) > RENDER_NODES_MAX) {
		snprintf(a->pick_note, sizeof a->pick_note, _("%s: the view draws at most %d nodes"), path,
		         RENDER_NODES_MAX);
	} else if (!(h = render_history_new(s, &a->scn_opt, NULL, err, sizeof err))) {
		snprintf(a->pick_note, sizeof a->pick_note, "%s", err);
	}
	if (!h) {
		scn_script_free(s);
		return;
	}
	set_title(a, s, path);
	scn_script_free(s);
	render_history_free(a->h);
	a->h = h;
	a->picker = false;
	a->playing = a->help = a->menu_open = a->blank = a->confirm_quit = a->unsaved = false;
	a->selected = a->hover_node = a->hover_a = a->hover_b = 0;
	a->sel_op = a->hover_op = 0;
	a->seek_next = false;
	a->n_later = 0;
	a->carry_us = 0;
	a->script_pace = -1;
	a->pace_records = 0;
	if (a->frame_log)
		fprintf(stderr, "view: opened %s\n", path);
	log_lesson(a, render_history_advance(a->h, 0, false));
	render_say_hold_reset(&a->hold, scn_runner_say(render_history_runner(a->h)),
	                      render_wall_seconds());
	read_script_pace(a);
	toast(a, _("Opened %s"), path);
}

static void picker_key(struct app *a, SDL_Keycode sym, bool ctrl)
{
	switch (sym) {
	case SDLK_ESCAPE:
		a->picker = false;
		break;
	case SDLK_UP:
		if (a->pick_sel > 0)
			a->pick_sel--;
		break;
	case SDLK_DOWN:
		if (a->pick_sel + 1 < (int)a->n_picks)
			a->pick_sel++;
		break;
	case SDLK_RETURN:
	case SDLK_KP_ENTER:
		if (a->typed[0] && !a->picker_next)
			load_lesson(a, a->typed);
		else if (a->pick_sel >= 0)
			pick(a, a->pick_sel);
		break;
	case SDLK_BACKSPACE: {
		size_t n = strlen(a->typed);
		while (n > 0 && ((unsigned char)a->typed[n - 1] & 0xC0) == 0x80)
			n--; /* a whole UTF-8 character */
		if (n > 0)
			n--;
		a->typed[n] = '\0';
		break;
	}
	case SDLK_s:
		if (ctrl)
			save_session(a);
		break;
	case SDLK_q:
	case SDLK_w:
		if (ctrl)
			a->quit = true;
		break;
	default:
		break;
	}
}

/* Nearest fixed speed to pace. */
static int nearest_speed(double pace)
{
	int best = DEFAULT_SPEED;
	double d = 1e9;
	for (int i = 0; i < N_SPEEDS; i++)
		if (fabs(log(speeds[i] / pace)) < d) {
			d = fabs(log(speeds[i] / pace));
			best = i;
		}
	return best;
}

/* + and - leave auto pace from the speed it had. */
static void fixed_pace(struct app *a)
{
	if (!a->pace_auto)
		return;
	a->pace_auto = false;
	a->speed = nearest_speed(a->pace > 0 ? a->pace : speeds[DEFAULT_SPEED]);
}

/* A `set pace=` the script executed since the last look wins. */
static void read_script_pace(struct app *a)
{
	size_t n = 0;
	scn_runner_history(render_history_runner(a->h), &n);
	if (n == a->pace_records)
		return;
	long p = render_script_pace(render_history_runner(a->h));
	bool newer = n > a->pace_records;
	a->pace_records = n;
	if (!newer || p == a->script_pace) {
		a->script_pace = p;
		return;
	}
	a->script_pace = p;
	if (p == 0) {
		a->pace_auto = true;
	} else if (p > 0) {
		a->pace_auto = false;
		a->speed = nearest_speed(1.0 / (double)p);
	}
}

static void on_key(struct app *a, const SDL_KeyboardEvent *k)
{
	SDL_Keycode sym = k->keysym.sym;
	bool shift = (k->keysym.mod & KMOD_SHIFT) != 0;
	bool ctrl = (k->keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
	if (a->picker) {
		picker_key(a, sym, ctrl);
		return;
	}
	if (a->confirm_quit) {
		/* Y (or q again) quits, Ctrl+S saves first, anything else stays */
		a->confirm_quit = false;
		a->last_wall = render_wall_seconds();
		if (ctrl && sym == SDLK_s) {
			save_session(a);
			a->quit = !a->unsaved;
		} else if (sym == SDLK_y || sym == SDLK_q || sym == SDLK_RETURN ||
		           (ctrl && sym == SDLK_q)) {
			a->quit = true;
		}
		return;
	}
	if (sym == SDLK_ESCAPE) {
		if (a->menu_open)
			a->menu_open = false;
		else if (a->help)
			a->help = false;
		else
			a->selected = 0;
		return;
	}
	if (a->menu_open && sym >= SDLK_a && sym <= SDLK_z) {
		/* a menu item's shortcut */
		for (size_t i = 0; i < a->menu_n; i++)
			if (a->menu[i].key[0] == (char)(shift ? sym - 32 : sym)) {
				a->menu_open = false;
				run_command(a, a->menu[i].command);
				return;
			}
	}
	a->menu_open = false;
	if (a->blank) {
		/* any key brings the picture back; B and . only that */
		a->blank = false;
		a->last_wall = render_wall_seconds();
		if (sym == SDLK_b || sym == SDLK_PERIOD)
			return;
	}
	if (ctrl) {
		if (sym == SDLK_s)
			save_session(a);
		else if (sym == SDLK_q || sym == SDLK_w)
			a->quit = true;
		return;
	}
	switch (sym) {
	case SDLK_SPACE:
		if (render_history_at_pause(a->h))
			a->playing = true; /* resumes after the script's pause */
		else
			a->playing = !a->playing;
		a->last_wall = render_wall_seconds();
		break;
	case SDLK_PAGEDOWN:
		/* a clicker's "next": play on to the next pause; pressed again
		 * on the way, go straight there */
		if (scn_runner_script_done(render_history_runner(a->h)) && a->playing) {
			toast(a, "%s", _("End of the script: no pause ahead (PageUp goes back)"));
		} else if (a->playing && !render_history_at_pause(a->h)) {
			a->playing = false;
			render_history_next_pause_begin(a->h, PAUSE_LIMIT_US);
			move_started(a, "next pause within");
		} else {
			a->playing = true;
			a->last_wall = render_wall_seconds();
		}
		break;
	case SDLK_PAGEUP:
		a->playing = false;
		if (render_history_prev_pause_begin(a->h) == 0) {
			move_started(a, "previous pause");
		} else if (render_history_now_us(a->h) > 0) {
			a->seek_next_us = 0;
			start_seek(a);
		} else {
			toast(a, "%s", _("At the start"));
		}
		break;
	case SDLK_b:
	case SDLK_PERIOD:
		a->blank = true;
		break;
	case SDLK_o:
		open_picker(a);
		break;
	case SDLK_e:
		open_next_picker(a);
		break;
	case SDLK_f:
	case SDLK_F11: {
		bool full = (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) ==
		            SDL_WINDOW_FULLSCREEN_DESKTOP;
		int rc = SDL_SetWindowFullscreen(a->win, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
		if (rc != 0)
			toast(a, _("Full screen: %s"), SDL_GetError());
		if (a->frame_log)
			fprintf(stderr, "view: full screen %s%s\n", full ? "off" : "on",
			        rc != 0 ? " failed" : "");
		break;
	}
	case SDLK_RIGHT:
		a->playing = false;
		after_move(a, render_history_step(a->h));
		break;
	case SDLK_LEFT:
		a->playing = false;
		if (render_history_step_back_begin(a->h) < 0)
			toast(a, "%s", _("At the start"));
		else
			move_started(a, "step back from");
		break;
	case SDLK_n:
		a->playing = false;
		a->leader_from_us = render_history_now_us(a->h);
		render_history_next_leader_begin(a->h, LEADER_LIMIT_US);
		move_started(a, "leader search until");
		break;
	case SDLK_PLUS:
	case SDLK_EQUALS:
	case SDLK_KP_PLUS:
		fixed_pace(a);
		if (a->speed > 0)
			a->speed--;
		break;
	case SDLK_MINUS:
	case SDLK_KP_MINUS:
	case SDLK_UNDERSCORE:
		fixed_pace(a);
		if (a->speed < N_SPEEDS - 1)
			a->speed++;
		break;
	case SDLK_a:
		a->pace_auto = true;
		toast(a, "%s", _("Pace: auto (slow motion while a message that matters flies)"));
		break;
	case SDLK_c:
		if (shift) {
			char put[32], line[64];
			next_put(a, put, sizeof put);
			snprintf(line, sizeof line, "client put %s", put);
			run_command(a, line);
		} else {
			node_action(a, a->selected, 'c');
		}
		break;
	case SDLK_r:
		if (shift) {
			bool acted = render_history_n_actions(a->h) > 0;
			int rc = render_history_back_to_script_begin(a->h);
			a->unsaved = false;
			a->playing = false;
			if (rc == 0)
				move_started(a, "back to the script at");
			else if (rc > 0)
				render_history_advance(a->h, 0, false);
			toast(a, "%s",
			      acted ? _("Back to the script: your changes are forgotten")
			            : _("Restarted the scenario"));
		} else {
			node_action(a, a->selected, 'r');
		}
		break;
	case SDLK_t:
	case SDLK_i:
	case SDLK_p:
		node_action(a, a->selected, (char)sym);
		break;
	case SDLK_h:
		if (shift)
			run_command(a, "heal");
		else
			a->help = !a->help;
		break;
	case SDLK_SLASH:
	case SDLK_QUESTION:
		a->help = !a->help;
		break;
	case SDLK_s:
		screenshot(a);
		break;
	case SDLK_l:
		a->hide_legend = !a->hide_legend;
		break;
	case SDLK_x:
	case SDLK_u:
	case SDLK_LEFTBRACKET:
	case SDLK_RIGHTBRACKET:
		msg_action(a, sym);
		break;
	case SDLK_d:
		a->diagram = !a->diagram;
		a->diagram_chosen = true;
		toast(a, "%s", a->diagram ? _("Diagram on: time flows down, one line per node (D hides it)")
		                          : _("Diagram off (D shows it)"));
		break;
	case SDLK_k:
		a->clients = !a->clients;
		if (a->clients)
			render_clients_state_update(&a->clients_st, sim_of(a));
		toast(a, "%s",
		      a->clients ? _("Client timeline on: one row per request, checked as it grows (K "
		                     "hides it)")
		                 : _("Client timeline off (K shows it)"));
		break;
	case SDLK_q:
		/* q asks when there is something to lose; Q quits at once */
		if (!shift && a->unsaved)
			a->confirm_quit = true;
		else
			a->quit = true;
		break;
	default:
		break;
	}
}

static bool in_rect(const struct render_rect *r, float x, float y)
{
	return x >= (float)r->x && x < (float)(r->x + r->w) && y >= (float)r->y &&
	       y < (float)(r->y + r->h);
}

static bool on_timeline(const struct app *a, float x, float y)
{
	const struct render_rect *b = &a->lay.bar;
	return y >= (float)a->lay.timeline.y && x >= (float)b->x - 8 * a->lay.u &&
	       x <= (float)(b->x + b->w) + 8 * a->lay.u;
}

/* What is under (x, y) on the diagram, if it is on. */
static bool diagram_hit(const struct app *a, float x, float y, struct render_diagram_hit *out)
{
	if (!a->diagram)
		return false;
	struct render_frame f;
	build_frame(a, &f, false);
	return render_layout_diagram_hit(&a->lay, f.msgs, f.n_msgs, f.life, f.n_life, f.seq,
	                                 sim_now_us(f.sim), x, y, out);
}

/* The history operation under (x, y) on the client timeline, -1 none. */
static int clients_hit(struct app *a, float x, float y)
{
	if (!a->clients || !in_rect(&a->lay.clients, x, y))
		return -1;
	render_clients_state_update(&a->clients_st, sim_of(a));
	struct render_clients_view v;
	render_clients_view_compute(&v, &a->lay, &a->clients_st, sim_now_us(sim_of(a)));
	int i = render_clients_hit(&v, x, y);
	return i < 0 ? -1 : (int)v.bars[i].op;
}

static void on_button(struct app *a, const SDL_MouseButtonEvent *b)
{
	float x = (float)b->x * a->scale, y = (float)b->y * a->scale;
	bool shift = (SDL_GetModState() & KMOD_SHIFT) != 0;
	if (a->menu_open) {
		int i = render_menu_hit(&a->lay, a->menu_x, a->menu_y, a->menu_n, (int)x, (int)y);
		a->menu_open = false;
		if (i >= 0 && b->button == SDL_BUTTON_LEFT)
			run_command(a, a->menu[i].command);
		if (i >= 0 || b->button == SDL_BUTTON_LEFT)
			return;
	}
	if (a->help) {
		a->help = false;
		return;
	}
	if (a->confirm_quit) {
		a->confirm_quit = false; /* a click stays */
		return;
	}
	if (a->picker) {
		int i = render_picker_hit(&a->lay, a->n_picks, a->pick_sel, x, y);
		if (i >= 0 && b->button == SDL_BUTTON_LEFT)
			pick(a, i);
		return;
	}
	if (b->button == SDL_BUTTON_RIGHT) {
		unsigned n = render_layout_hit_node(&a->lay, x, y);
		if (n)
			open_menu(a, n, (int)x, (int)y);
		return;
	}
	if (b->button != SDL_BUTTON_LEFT)
		return;
	if (in_rect(&a->lay.play, x, y)) {
		if (render_history_at_pause(a->h))
			a->playing = true;
		else
			a->playing = !a->playing;
		a->last_wall = render_wall_seconds();
		return;
	}
	if (on_timeline(a, x, y)) {
		a->dragging = true;
		a->was_playing = a->playing;
		a->playing = false;
		seek_to_x(a, x);
		return;
	}
	int op = clients_hit(a, x, y);
	if (op >= 0) {
		/* to the moment it was invoked, and selected */
		a->playing = false;
		a->sel_op = (size_t)op + 1;
		a->seek_next_us = a->clients_st.ops[op].invoke_us;
		a->seek_next = true;
		return;
	}
	struct render_diagram_hit dh;
	if (diagram_hit(a, x, y, &dh)) {
		/* the whole view goes to that moment, the thing clicked selected */
		a->playing = false;
		if (dh.msg)
			a->sel_msg = dh.msg->id;
		else
			a->selected = dh.node;
		a->seek_next_us = dh.time_us;
		a->seek_next = true;
		return;
	}
	uint64_t mid = render_layout_hit_msg(&a->lay, sim_of(a), x, y);
	if (mid) {
		a->sel_msg = a->sel_msg == mid ? 0 : mid;
		return;
	}
	unsigned n = render_layout_hit_node(&a->lay, x, y);
	if (n) {
		a->selected = a->selected == n ? 0 : n;
		return;
	}
	unsigned near, far;
	if (render_layout_hit_link(&a->lay, x, y, &near, &far)) {
		link_click(a, near, far, shift);
		return;
	}
	if (in_rect(&a->lay.cluster, x, y) || in_rect(&a->lay.diagram, x, y)) {
		a->selected = 0;
		a->sel_msg = 0;
	}
	if (a->clients && in_rect(&a->lay.clients, x, y))
		a->sel_op = 0;
}

static void on_motion(struct app *a, const SDL_MouseMotionEvent *m)
{
	float x = (float)m->x * a->scale, y = (float)m->y * a->scale;
	if (a->dragging) {
		seek_to_x(a, x);
		return;
	}
	if (a->picker) {
		int i = render_picker_hit(&a->lay, a->n_picks, a->pick_sel, x, y);
		if (i >= 0)
			a->pick_sel = i;
		return;
	}
	if (a->menu_open) {
		a->menu_hover = render_menu_hit(&a->lay, a->menu_x, a->menu_y, a->menu_n, (int)x, (int)y);
		return;
	}
	struct render_diagram_hit dh;
	bool on_diagram = diagram_hit(a, x, y, &dh);
	a->hover_msg = on_diagram && dh.msg ? dh.msg->id
	                                    : render_layout_hit_msg(&a->lay, sim_of(a), x, y);
	a->hover_node = a->hover_msg || on_diagram ? 0 : render_layout_hit_node(&a->lay, x, y);
	a->hover_a = a->hover_b = 0;
	if (!a->hover_node && !a->hover_msg && !on_diagram)
		render_layout_hit_link(&a->lay, x, y, &a->hover_a, &a->hover_b);
	/* a hand over whatever a click acts on */
	int op = clients_hit(a, x, y);
	a->hover_op = op >= 0 ? (size_t)op + 1 : 0;
	bool hand = a->hover_node || a->hover_a || a->hover_msg || on_diagram || op >= 0 ||
	            on_timeline(a, x, y) || in_rect(&a->lay.play, x, y);
	if (hand != a->hand_on && a->hand && a->arrow) {
		SDL_SetCursor(hand ? a->hand : a->arrow);
		a->hand_on = hand;
	}
}

/* Input while a move is in progress: quitting and the timeline act at
 * once, Esc stops the move, the rest waits for the end of the move (kept
 * in order, replayed then).  True if e was taken care of here. */
static bool on_event_moving(struct app *a, const SDL_Event *e)
{
	if (e->type == SDL_KEYDOWN) {
		SDL_Keycode sym = e->key.keysym.sym;
		bool ctrl = (e->key.keysym.mod & (KMOD_CTRL | KMOD_GUI)) != 0;
		if (sym == SDLK_ESCAPE) {
			cancel_move(a);
			return true;
		}
		if (sym == SDLK_q || (ctrl && sym == SDLK_w))
			return false;
	} else if (e->type == SDL_MOUSEBUTTONDOWN) {
		float x = (float)e->button.x * a->scale, y = (float)e->button.y * a->scale;
		if (e->button.button == SDL_BUTTON_LEFT && !a->menu_open && !a->help &&
		    on_timeline(a, x, y))
			return false;
	} else {
		return false; /* motion, button up, quit, window events */
	}
	if (a->n_later < LATER_MAX)
		a->later[a->n_later++] = *e;
	return true;
}

static void on_event(struct app *a, const SDL_Event *e)
{
	if (render_history_moving(a->h) && on_event_moving(a, e))
		return;
	if (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN) {
		/* the user acts: what is on screen follows at once */
		render_say_hold_reset(&a->hold, scn_runner_say(render_history_runner(a->h)),
		                      render_wall_seconds());
		if (a->unfocused) {
			a->unfocused = false; /* input reaches us: we have the focus */
			a->last_wall = render_wall_seconds();
		}
	}
	switch (e->type) {
	case SDL_QUIT:
		a->quit = true;
		break;
	case SDL_KEYDOWN:
		on_key(a, &e->key);
		break;
	case SDL_MOUSEBUTTONDOWN:
		on_button(a, &e->button);
		break;
	case SDL_MOUSEBUTTONUP:
		if (a->dragging) {
			a->dragging = false;
			a->playing = a->was_playing;
			a->last_wall = render_wall_seconds();
		}
		break;
	case SDL_MOUSEMOTION:
		on_motion(a, &e->motion);
		break;
	case SDL_TEXTINPUT:
		if (a->picker && a->picker_skip_text) {
			a->picker_skip_text = false;
		} else if (a->picker && !a->picker_next) {
			size_t n = strlen(a->typed);
			snprintf(a->typed + n, sizeof a->typed - n, "%s", e->text.text);
		}
		break;
	case SDL_WINDOWEVENT:
		switch (e->window.event) {
		case SDL_WINDOWEVENT_HIDDEN:
		case SDL_WINDOWEVENT_MINIMIZED:
			a->hidden = true;
			break;
		case SDL_WINDOWEVENT_FOCUS_LOST:
			a->unfocused = true;
			break;
		case SDL_WINDOWEVENT_FOCUS_GAINED:
			a->unfocused = false;
			a->last_wall = render_wall_seconds();
			break;
		case SDL_WINDOWEVENT_SHOWN:
		case SDL_WINDOWEVENT_RESTORED:
		case SDL_WINDOWEVENT_MAXIMIZED:
		case SDL_WINDOWEVENT_EXPOSED:
			a->hidden = false;
			a->last_wall = render_wall_seconds();
			break;
		default:
			break;
		}
		break;
	default:
		break;
	}
}

/* ---- The loop ------------------------------------------------------------------ */
static void update_size(struct app *a)
{
	int ww, wh;
	SDL_GetWindowSize(a->win, &ww, &wh);
	SDL_GetRendererOutputSize(a->ren, &a->out_w, &a->out_h);
	a->scale = ww > 0 ? (float)a->out_w / (float)ww : 1.0f;
	if (!a->diagram_chosen)
		a->diagram = render_layout_diagram_default(a->out_w, a->out_h);
	render_layout_compute_panels(&a->lay, a->out_w, a->out_h, sim_n_nodes(sim_of(a)), a->diagram,
	                             a->clients);
	struct render_frame f;
	build_frame(a, &f, false);
	render_diagram_frame_time(&a->lay, &f);
}

/* A move is over: report it, then the input that waited for it. */
static void move_done(struct app *a, int kind, int result)
{
	double took = render_wall_seconds() - a->move_wall0;
	if (a->frame_log)
		fprintf(stderr,
		        "move: done at %.3f s in %.3f s wall, %u frames, longest frame work %.1f ms\n",
		        seconds(render_history_now_us(a->h)), took, a->move_frames,
		        a->move_worst_s * 1000);
	switch ((enum render_move_kind)kind) {
	case RENDER_MOVE_NONE:
	case RENDER_MOVE_SEEK:
		break;
	case RENDER_MOVE_STEP_BACK:
		if (result < 0)
			toast(a, "%s", _("At the start"));
		break;
	case RENDER_MOVE_NEXT_PAUSE:
		log_lesson(a, result);
		a->playing = false;
		if (result == SCN_DONE)
			toast(a, "%s", _("End of the script: the cluster keeps running"));
		else if (result == SCN_RUNNING)
			toast(a, "%s", _("No pause within 2 minutes of virtual time"));
		else if (result == SCN_FAILED)
			after_move(a, result);
		break;
	case RENDER_MOVE_PREV_PAUSE:
		log_lesson(a, result);
		a->playing = false;
		break;
	case RENDER_MOVE_NEXT_LEADER:
		if (result == 1) {
			toast(a, "%s", _("A new leader"));
		} else {
			/* nothing to show: back where we were */
			toast(a, "%s", _("No leader change within 2 minutes of virtual time"));
			a->seek_next_us = a->leader_from_us;
			start_seek(a);
			return;
		}
		break;
	}
	size_t i = 0;
	while (i < a->n_later && !render_history_moving(a->h) && !a->seek_next && !a->quit)
		on_event(a, &a->later[i++]);
	memmove(a->later, a->later + i, (a->n_later - i) * sizeof *a->later);
	a->n_later -= i;
}

/* Runs the move in progress for about SLICE_S of wall time. */
static void work(struct app *a)
{
	if (a->seek_next)
		start_seek(a);
	if (!render_history_moving(a->h))
		return;
	struct render_move m;
	render_history_move(a->h, &m);
	double t0 = render_wall_seconds();
	int rc, result = -1;
	do
		rc = render_history_work(a->h, SLICE_EVENTS, &result);
	while (rc == 1 && render_wall_seconds() - t0 < SLICE_S && !a->quit);
	double spent = render_wall_seconds() - t0;
	a->frame_work_s = spent;
	if (spent > a->move_worst_s)
		a->move_worst_s = spent;
	a->move_frames++;
	if (rc == 0)
		move_done(a, m.kind, result);
}

/* Nothing moves on its own: paused, a modal overlay open, the picture
 * blanked or the window hidden. */
static bool world_still(const struct app *a)
{
	return !a->playing || a->menu_open || a->help || a->blank || a->hidden || a->unfocused ||
	       a->confirm_quit || a->picker;
}

/* When an idle window must draw again by itself (a toast or a held
 * narration ends), 0 for never. */
static double idle_deadline(const struct app *a, double now)
{
	double d = 0;
	if (a->toast_until > now)
		d = a->toast_until;
	if (a->hold.until_s > now && (d == 0 || a->hold.until_s < d))
		d = a->hold.until_s;
	return d;
}

/* The only place where wall time becomes virtual time. */
static void update(struct app *a)
{
	double now = render_wall_seconds();
	double dt = now - a->last_wall;
	a->last_wall = now;
	if (a->seek_next || render_history_moving(a->h)) {
		/* the world holds still while a move replays it */
		work(a);
		a->last_wall = render_wall_seconds();
		return;
	}
	/* the world holds still while a menu or the help is open */
	if (world_still(a))
		return;
	/* ... and while the narration on screen still needs reading */
	render_say_hold_sync(&a->hold, scn_runner_say(render_history_runner(a->h)), now);
	if (a->hold.until_s > now)
		return;
	if (dt > 0.1)
		dt = 0.1; /* after a stall, do not jump */
	if (dt < 0)
		dt = 0;
	if (a->pace_auto)
		a->pace = render_pace_ease(a->pace, render_pace_auto_target(sim_of(a)), dt);
	a->carry_us += dt * 1e6 * (a->pace_auto ? a->pace : speeds[a->speed]);
	int64_t step = (int64_t)a->carry_us;
	a->carry_us -= (double)step;
	int64_t target = render_history_now_us(a->h) + step;
	if (render_history_at_pause(a->h) && step == 0)
		target = render_history_now_us(a->h); /* resume right away */
	after_move(a, render_history_advance(a->h, target, false));
	render_say_hold_update(&a->hold, scn_runner_say(render_history_runner(a->h)), now);
	read_script_pace(a);
}

/* CPU time of the process: with the wall clock, tells a slow frame from a
 * busy machine in the frame log. */
static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int loop(struct app *a)
{
	bool vsync = false;
	SDL_RendererInfo info;
	if (SDL_GetRendererInfo(a->ren, &info) == 0)
		vsync = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
	a->last_wall = render_wall_seconds();
	/* the frame log: the previous frame's input time and costs */
	double prev_in = 0, prev_cpu = 0, draw_s = 0, present_s = 0;
	bool prev_moving = false;
	double opened = render_wall_seconds();
	update_size(a);
	if (a->frame_log) {
		int ww, wh;
		SDL_GetWindowSize(a->win, &ww, &wh);
		fprintf(stderr, "view: window %dx%d%s\n", ww, wh,
		        (SDL_GetWindowFlags(a->win) & SDL_WINDOW_FULLSCREEN_DESKTOP) ==
		                SDL_WINDOW_FULLSCREEN_DESKTOP
		            ? " full screen"
		            : "");
	}
	if (a->frame_log)
		fprintf(stderr, "view: renderer %s%s\n", info.name ? info.name : "?",
		        vsync ? " (vsync)" : "");
	if (a->frame_log)
		fprintf(stderr, "view: timeline bar x=%d y=%d w=%d h=%d (window points)\n",
		        (int)((float)a->lay.bar.x / a->scale), (int)((float)a->lay.bar.y / a->scale),
		        (int)((float)a->lay.bar.w / a->scale), (int)((float)a->lay.bar.h / a->scale));
	while (!a->quit) {
		double frame_start = render_wall_seconds();
		SDL_Event e;
		update_size(a);
		bool moving = a->seek_next || render_history_moving(a->h), waited = false;
		bool idle = world_still(a) && !a->dragging && !moving, redraw = a->redraw;
		a->redraw = false;
		if (a->idle_cpu && a->idle_wall0 == 0 && frame_start >= opened + 1) {
			a->idle_wall0 = frame_start;
			a->idle_cpu0 = cpu_seconds();
		}
		if (a->quit_at > 0 && frame_start >= a->quit_at)
			break;
		if (idle) {
			/* idle: sleep until something happens, and draw only then */
			waited = true;
			double deadline = idle_deadline(a, frame_start);
			int ms = IDLE_WAIT_MS;
			if (deadline > 0 && (deadline - frame_start) * 1000 + 20 < ms)
				ms = (int)((deadline - frame_start) * 1000) + 20;
			if (SDL_WaitEventTimeout(&e, ms)) {
				on_event(a, &e);
				redraw = true;
			} else if (deadline > 0 && render_wall_seconds() >= deadline) {
				redraw = true;
			}
		}
		if (a->frame_log) {
			/* how long input waited since the last frame of a move (not
			 * when the window was idle, waiting for input) */
			double in = render_wall_seconds(), cpu = cpu_seconds();
			if (prev_moving && !waited)
				fprintf(stderr,
				        "frame: %.1f ms (work %.1f ms, draw %.1f ms, present %.1f ms, cpu "
				        "%.1f ms)\n",
				        (in - prev_in) * 1000, a->frame_work_s * 1000, draw_s * 1000,
				        present_s * 1000, (cpu - prev_cpu) * 1000);
			prev_in = in;
			prev_cpu = cpu;
			a->frame_work_s = 0;
		}
		while (SDL_PollEvent(&e)) {
			on_event(a, &e);
			redraw = true;
		}
		if (a->quit)
			break;
		if (idle && !redraw && world_still(a))
			continue; /* nothing new to show */
		update_size(a);
		update(a);
		render_say_hold_sync(&a->hold, scn_runner_say(render_history_runner(a->h)),
		                     render_wall_seconds());
		read_script_pace(a);
		prev_moving = a->frame_work_s > 0; /* this frame did some of a move */
		if (a->clients) /* checks again only when the history changed */
			render_clients_state_update(&a->clients_st, sim_of(a));
		double t_draw = render_wall_seconds();
		struct render_frame f;
		build_frame(a, &f, true);
		if (a->blank) {
			SDL_SetRenderDrawColor(a->ren, 0, 0, 0, 255);
			SDL_RenderClear(a->ren);
		} else {
			render_draw(a->g, &f, a->out_w, a->out_h);
			struct render_move m;
			render_history_move(a->h, &m);
			if (render_history_changed(a->h) &&
			    !scn_runner_script_done(render_history_runner(a->h)))
				render_draw_note(a->g, &a->lay, CHANGED_NOTE);
			render_draw_progress(a->g, &a->lay, &m, f.timeline_end_us);
			if (a->picker) {
				char note[SCN_ERR_MAX + 80];
				size_t n = render_history_n_actions(a->h);
				if (a->pick_note[0])
					snprintf(note, sizeof note, "%s", a->pick_note);
				else if (a->unsaved)
					snprintf(note, sizeof note,
					         NG_("Your %zu action is not saved: Ctrl+S saves the session",
					             "Your %zu actions are not saved: Ctrl+S saves the session", n),
					         n);
				else
					note[0] = '\0';
				if (a->picker_next)
					render_draw_next_picker(a->g, &a->lay, a->picks, a->n_picks, a->pick_sel);
				else
					render_draw_picker(a->g, &a->lay, a->picks, a->n_picks, a->pick_sel,
					                   a->typed, note);
			}
			if (a->confirm_quit) {
				char q[160];
				size_t n = render_history_n_actions(a->h);
				snprintf(q, sizeof q,
				         NG_("Quit? Your %zu action is not saved.  Y quits · Ctrl+S saves "
				             "and quits · any other key stays",
				             "Quit? Your %zu actions are not saved.  Y quits · Ctrl+S saves "
				             "and quits · any other key stays",
				             n),
				         n);
				render_draw_prompt(a->g, &a->lay, q);
			}
		}
		double t_present = render_wall_seconds();
		SDL_RenderPresent(a->ren);
		draw_s = t_present - t_draw;
		present_s = render_wall_seconds() - t_present;
		if (!vsync) {
			double spent = render_wall_seconds() - frame_start;
			if (spent < 1.0 / 60)
				SDL_Delay((Uint32)((1.0 / 60 - spent) * 1000));
		}
	}
	return 0;
}

int render_view_run(const struct scn_script *s, const struct render_view_options *o)
{
	char err[1024];
	unsigned n = scn_script_nodes(s);
	if (n > RENDER_NODES_MAX) {
		fprintf(stderr,
		        _("raftsim: %s: the view draws at most %d nodes and this cluster has %u (use "
		        "`raftsim run` for larger clusters)\n"),
		        o->path, RENDER_NODES_MAX, n);
		return 2;
	}
	const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY"),
	           *drv = getenv("SDL_VIDEODRIVER");
	if (!(x11 && *x11) && !(wl && *wl) && !(drv && *drv)) {
		fprintf(stderr,
		        _("raftsim: view: cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY "
		        "are not set; `raftsim render` draws frames without one)\n"));
		return 2;
	}
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr,
		        _("raftsim: view: cannot open a window: %s (no display? `raftsim render` draws "
		        "frames without one)\n"),
		        SDL_GetError());
		return 2;
	}
	const char *driver = SDL_GetCurrentVideoDriver();
	const char *asked = SDL_getenv("SDL_VIDEODRIVER");
	if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) &&
	    !(asked && *asked)) {
		/* SDL falls back to an invisible window when there is no display */
		fprintf(stderr,
		        _("raftsim: view: cannot open a window: no display (DISPLAY and WAYLAND_DISPLAY "
		        "are not set; `raftsim render` draws frames without one)\n"));
		SDL_Quit();
		return 2;
	}
	if (TTF_Init() != 0) {
		fprintf(stderr, _("raftsim: view: cannot start SDL_ttf: %s\n"), TTF_GetError());
		SDL_Quit();
		return 2;
	}
	struct app a = {.speed = DEFAULT_SPEED, .pace_auto = true, .pace = RENDER_PACE_QUIET,
	                .script_pace = -1};
	const char *frame_log = getenv("RAFTSIM_FRAME_LOG");
	a.frame_log = frame_log && *frame_log && strcmp(frame_log, "0") != 0;
	if (o->speed > 0) {
		a.pace_auto = false;
		a.speed = nearest_speed(o->speed);
	}
	int rc = 2;
	double quit_s = 0;
	a.h = render_history_new(s, o->scn, NULL, err, sizeof err);
	if (!a.h) {
		fprintf(stderr, _("raftsim: %s\n"), err);
		goto out;
	}
	/* the commands due at time 0: the first narration, maybe a pause */
	log_lesson(&a, render_history_advance(a.h, 0, false));
	render_say_hold_reset(&a.hold, scn_runner_say(render_history_runner(a.h)),
	                      render_wall_seconds());
	read_script_pace(&a);
	if (o->speed > 0) { /* --speed wins over the script's pace at the start */
		a.pace_auto = false;
		a.speed = nearest_speed(o->speed);
	}
	int w = o->w > 0 ? o->w : RENDER_DEFAULT_W, h = o->h > 0 ? o->h : RENDER_DEFAULT_H;
	SDL_Rect usable;
	if (o->w <= 0 && SDL_GetDisplayUsableBounds(0, &usable) == 0 && usable.w > 0 &&
	    usable.h > 0) {
		/* fill most of the screen: a projector's 1920x1080 gets 1632x918 */
		w = usable.w * WINDOW_SHARE_PCT / 100;
		h = usable.h * WINDOW_SHARE_PCT / 100;
		if (w < WINDOW_MIN_W)
			w = usable.w < WINDOW_MIN_W ? usable.w : WINDOW_MIN_W;
		if (h < WINDOW_MIN_H)
			h = usable.h < WINDOW_MIN_H ? usable.h : WINDOW_MIN_H;
	}
	char title[300];
	const char *st = scn_script_title(s);
	snprintf(title, sizeof title, "raftsim — %s", st && *st ? st : o->path);
	if (o->scn)
		a.scn_opt = *o->scn;
	a.scn_opt.has_seed = false; /* another lesson runs with its own seed, */
	a.scn_opt.bugs = 0;         /* and its own bugs */
	if (o->lessons_dir) {
		snprintf(a.lessons_dir, sizeof a.lessons_dir, "%s", o->lessons_dir);
	} else {
		const char *slash = strrchr(o->path, '/');
		if (slash)
			snprintf(a.lessons_dir, sizeof a.lessons_dir, "%.*s", (int)(slash - o->path), o->path);
		else
			snprintf(a.lessons_dir, sizeof a.lessons_dir, ".");
	}
	SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
	a.win = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w, h,
	                         SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI |
	                             (o->fullscreen ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0));
	if (!a.win) {
		fprintf(stderr, _("raftsim: view: cannot open a window: %s\n"), SDL_GetError());
		goto out;
	}
	SDL_SetWindowMinimumSize(a.win, WINDOW_MIN_W, WINDOW_MIN_H);
	a.ren = SDL_CreateRenderer(a.win, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
	if (!a.ren)
		a.ren = SDL_CreateRenderer(a.win, -1, SDL_RENDERER_SOFTWARE);
	if (!a.ren) {
		fprintf(stderr, _("raftsim: view: cannot create a renderer: %s\n"), SDL_GetError());
		goto out;
	}
	a.g = render_gfx_new(a.ren, err, sizeof err);
	if (!a.g) {
		fprintf(stderr, _("raftsim: view: %s\n"), err);
		goto out;
	}
	if (o->quit_after_s > 0)
		a.quit_at = render_wall_seconds() + o->quit_after_s;
	a.idle_cpu = o->idle_cpu;
	a.arrow = SDL_CreateSystemCursor(SDL_SYSTEM_CURSOR_ARROW);
	a.hand = SDL_CreateSystemCursor(SDL_SYSTEM_CURSOR_HAND);
	rc = loop(&a);
	quit_s = render_wall_seconds();
	if (a.idle_cpu && a.idle_wall0 > 0 && quit_s > a.idle_wall0)
		*a.idle_cpu = (cpu_seconds() - a.idle_cpu0) / (quit_s - a.idle_wall0) * 100;
out:
	if (a.hand)
		SDL_FreeCursor(a.hand);
	if (a.arrow)
		SDL_FreeCursor(a.arrow);
	render_gfx_free(a.g);
	if (a.ren)
		SDL_DestroyRenderer(a.ren);
	if (a.win)
		SDL_DestroyWindow(a.win);
	render_history_free(a.h);
	render_clients_state_free(&a.clients_st);
	free(a.picks);
	TTF_Quit();
	SDL_Quit();
	if (a.frame_log && rc == 0)
		fprintf(stderr, "view: closed in %.1f ms\n", (render_wall_seconds() - quit_s) * 1000);
	return rc;
}
