/* render.h - the raftsim visualizer: the layout, one function that draws a
 * frame into an SDL_Renderer, the window, headless PNG frames and benches.
 *
 * Everything here reads the simulation through the const sim/ and
 * scenarios/ APIs and changes it only through scenario command lines (see
 * history.h), so every action in the window can be replayed and saved.
 * Only render/ and cli/cmd_view.c know SDL and the wall clock.
 *
 * Ownership: functions returning a pointer hand over ownership unless they
 * say otherwise; errors come back as a one-line message in err (no
 * newline) and a non-zero return.
 */
#ifndef RENDER_RENDER_H
#define RENDER_RENDER_H

#include "history.h"
#include "scn.h"
#include "sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct SDL_Renderer;

#define RENDER_NODES_MAX 15    /* the ring view draws 1..15 nodes */
#define RENDER_DEFAULT_W 1280
#define RENDER_DEFAULT_H 720

/* ---- Layout (pure arithmetic, no SDL) ------------------------------------ */
struct render_rect {
	int x, y, w, h;
};

/* Where everything goes for a window of w x h pixels and n nodes.  All
 * coordinates are pixels from the top-left corner. */
struct render_layout {
	int w, h;
	unsigned n_nodes;
	float u;                    /* scale: 1.0 at 1280x720 */
	struct render_rect caption; /* narration + the event line, top */
	float caption_events_y;     /* the event line's first row, from caption.y */
	struct render_rect cluster; /* the ring of nodes and messages */
	struct render_rect log;     /* the log panel */
	struct render_rect details; /* the selected node's state */
	struct render_rect timeline;/* the whole bottom bar */
	struct render_rect bar;     /* the seekable part of the timeline */
	struct render_rect play;    /* the play/pause button */
	struct render_rect diagram; /* the space-time diagram, w = 0 when off */
	int64_t diagram_t0_us, diagram_t1_us; /* the time it shows, top to bottom */
	float ring_cx, ring_cy, ring_r;
	float node_r;               /* radius of every node disc */
	/* log panel geometry */
	int log_label_w;            /* the "n1" column */
	int log_header_h;           /* legend + index numbers */
	int log_row_h, log_cell_w, log_cell_h;
	unsigned log_cells;         /* visible indices per row */
	unsigned log_follow;        /* the node the log rows follow, 0: what matters
	                             * (set by the caller, 0 after compute) */
	/* Text sizes in pixels (font size), the smallest each part uses; at
	 * 1280x720 at least 28 (narration), 24 (node names, five nodes), 16
	 * (details, message legend) and 14 (commands in log cells).  All
	 * scale with the window's height (u). */
	int say_px, name_px, details_px, legend_px, log_cmd_px;
};

/* Widens the log cells so that the commands of the entries in view (up to
 * RENDER_LOG_CMD_CHARS characters) fit at log_cmd_px without being cut,
 * and recounts log_cells (fewer, wider cells: the rows scroll).  The width
 * is estimated from the character count (DejaVu Sans Bold is at most
 * RENDER_LOG_EM_PER_CHAR em wide per character of a KEY=VALUE on average). */
#define RENDER_LOG_CMD_CHARS 11
#define RENDER_LOG_EM_PER_CHAR 0.74f
void render_layout_fit_log(struct render_layout *l, const struct sim *s);

/* Computes the layout; n_nodes is clamped to 1..RENDER_NODES_MAX. */
void render_layout_compute(struct render_layout *l, int w, int h, unsigned n_nodes);
/* The same with the space-time diagram on or off: on, it takes a column
 * between the ring (narrower) and the log and details. */
void render_layout_compute_view(struct render_layout *l, int w, int h, unsigned n_nodes,
                                bool diagram);
/* Whether the diagram is on when the window opens: when the window is at
 * least RENDER_DIAGRAM_MIN_W pixels wide at the scale of 1280x720. */
#define RENDER_DIAGRAM_MIN_W 1300
bool render_layout_diagram_default(int w, int h);
/* The diagram alone on the whole w x h canvas (render --diagram-only). */
void render_layout_diagram_only(struct render_layout *l, int w, int h, unsigned n_nodes);
/* The size of a diagram-only picture of span_us of virtual time of s: wide
 * enough for its nodes, tall enough for the window's scale of time (at most
 * 8192 pixels; the time is squeezed beyond). */
void render_diagram_only_size(const struct sim *s, int64_t span_us, int *w, int *h);

/* ---- The space-time diagram's geometry ------------------------------------
 * One vertical lifeline per node, virtual time flowing downwards from
 * diagram_t0_us at the top of the lifelines to diagram_t1_us at the
 * bottom; a message is an arrow from (its sender, its send time) toward
 * (its receiver, its due time), drawn up to its delivery, its drop or now. */
#define RENDER_DIAGRAM_HEAD 40   /* node names over the lifelines, at scale 1 */
#define RENDER_DIAGRAM_GUTTER 54 /* the time labels on the left, at scale 1 */
/* How much virtual time the live diagram shows: 8 one-way latencies
 * (the slowest) or 8 heartbeat intervals, whichever is shorter, at least
 * 20 ms. */
int64_t render_diagram_span_us(const struct sim *s);
/* Sets the time window shown (t1 > t0). */
void render_layout_diagram_time(struct render_layout *l, int64_t t0_us, int64_t t1_us);
float render_layout_diagram_x(const struct render_layout *l, unsigned node);
float render_layout_diagram_y(const struct render_layout *l, int64_t t_us);
int64_t render_layout_diagram_time_at(const struct render_layout *l, float y);
/* When message m is due as seen from position seq (a delay command moves it). */
int64_t render_msgrec_due_us(const struct render_msgrec *m, uint64_t seq);
/* Message m's arrow as drawn at the position seq (render_history_seq) and
 * time now_us: from (x0, y0) to (x1, y1), and how it ends (enum
 * render_msg_end; FLYING: the tip is where it is now).  False when it is
 * not sent yet at seq or lies outside the time shown. */
bool render_layout_diagram_msg(const struct render_layout *l, const struct render_msgrec *m,
                               uint64_t seq, int64_t now_us, float *x0, float *y0, float *x1,
                               float *y1, int *end);
/* What is under (x, y) on the diagram: a lifeline event (preferred, within
 * 8 px at scale 1) or a message arrow (within 6 px), and the moment to seek
 * to (the event's time; the point of the arrow under the pointer). */
struct render_diagram_hit {
	const struct render_msgrec *msg; /* or NULL */
	const struct render_lifeev *life; /* or NULL */
	int64_t time_us;
	unsigned node;
};
/* The first of msgs (in send order) that can show from t0_us on. */
size_t render_diagram_first_msg(const struct render_msgrec *msgs, size_t n, int64_t t0_us);
/* The message in flight drawn on the ring nearest (x, y), within 12 px at
 * scale 1: its id, 0 for none. */
uint64_t render_layout_hit_msg(const struct render_layout *l, const struct sim *s, float x,
                               float y);
bool render_layout_diagram_hit(const struct render_layout *l, const struct render_msgrec *msgs,
                               size_t n_msgs, const struct render_lifeev *life, size_t n_life,
                               uint64_t seq, int64_t now_us, float x, float y,
                               struct render_diagram_hit *out);
/* The narration in the caption band: a `say` is drawn in DejaVu Sans Bold
 * of *px pixels, word-wrapped to lines of *max_w pixels, and the window
 * shows RENDER_SAY_LINES of them (the last one cut with "…" when more
 * text follows). */
#define RENDER_SAY_LINES 2
void render_layout_say(const struct render_layout *l, int *px, float *max_w);
/* Centre and radius of node 1..n; false for a node outside 1..n. */
bool render_layout_node(const struct render_layout *l, unsigned node, float *cx, float *cy,
                        float *r);
/* The first log index shown.  The rows follow the selected node
 * (log_follow): its newest entry and the free cell after it.  With none
 * selected they show the newest entry of any node and the free cell after
 * it, unless a running follower is catching up (its next entry, the lowest
 * nextIndex, is too far behind to show both): then they start one entry
 * before that follower's next one. */
uint64_t render_layout_log_first(const struct render_layout *l, const struct sim *s);
/* The cell of (node, index) as drawn for sim s (with the cells widened by
 * render_layout_fit_log, as render_layout_log_first counts them too);
 * false when that index is scrolled out of view or the node is out of
 * range. */
bool render_layout_log_cell(const struct render_layout *l, const struct sim *s,
                            unsigned node, uint64_t index, struct render_rect *out);
/* Where a message from -> to is drawn when frac (0..1) of its flight is
 * done: in the lane of that direction (to the right of travel); false for
 * a node out of range. */
bool render_layout_msg_pos(const struct render_layout *l, unsigned from, unsigned to,
                           float frac, float *x, float *y);
/* Busy lanes: when more than RENDER_BUNDLE_MIN messages of one kind travel
 * one lane (from -> to), they are drawn as one bundle with their count, at
 * the position of the oldest, so node names and the ring stay readable.
 * Messages from or to node `selected` are never bundled. */
#define RENDER_BUNDLE_MIN 4
struct render_bundle {
	uint8_t from, to;
	uint8_t kind;     /* enum render_msg_kind */
	unsigned count;   /* messages in it */
	float frac;       /* the oldest's part of its flight done */
	float x, y;       /* where the oldest is */
};
/* The bundles of sim s (at most cap written); returns how many there are. */
size_t render_layout_bundles(const struct render_layout *l, const struct sim *s,
                             unsigned selected, struct render_bundle *out, size_t cap);
/* The node under (x, y), 0 for none. */
unsigned render_layout_hit_node(const struct render_layout *l, float x, float y);
/* The link under (x, y): true and the two nodes, *a being the end nearer
 * the point.  Clicks on node discs are not links. */
bool render_layout_hit_link(const struct render_layout *l, float x, float y, unsigned *a,
                            unsigned *b);
/* Virtual time at x on the timeline bar for a timeline ending at end_us. */
int64_t render_layout_time_at(const struct render_layout *l, float x, int64_t end_us);
/* The x of virtual time t on the timeline bar. */
float render_layout_time_x(const struct render_layout *l, int64_t t_us, int64_t end_us);
/* The right end of the timeline for a session explored to end_us, now at
 * now_us: a round number with some room ahead. */
int64_t render_timeline_span(int64_t end_us, int64_t now_us);

/* ---- The node context menu ------------------------------------------------ */
#define RENDER_MENU_MAX 6
struct render_menu_item {
	char label[48];    /* "Crash n3" */
	char key[4];       /* the keyboard shortcut shown, "c" */
	char command[64];  /* the scenario command it runs, "crash n3" */
};
/* The items for node (what makes sense in its state); put is the value a
 * client request would write ("x=1").  Returns the count. */
size_t render_menu_items(const struct sim *s, unsigned node, const char *put,
                         struct render_menu_item *items);
/* The menu's rectangle when opened at (x, y) with n items, kept inside the
 * window, and the item under (px, py) (-1 none). */
struct render_rect render_menu_rect(const struct render_layout *l, int x, int y, size_t n);
int render_menu_hit(const struct render_layout *l, int x, int y, size_t n, int px, int py);

/* The command a deterministic client request writes: the k-th put of the
 * session (0-based) is "x=1", "y=2", "z=3", "w=4", "x=5", ... */
void render_put_value(size_t k, char *buf, size_t cap);

/* ---- One frame ------------------------------------------------------------ */
/* What a frame shows besides the simulation: the view state.  The window
 * fills every field; headless frames leave the interactive ones zero. */
struct render_frame {
	const struct sim *sim;             /* required */
	const char *title;                 /* scenario title, may be NULL */
	const char *say;                   /* latest narration, may be NULL */
	const char *event;                 /* latest event explained, may be NULL */
	int event_kind;                    /* enum sim_trace_kind, -1 none */
	/* The event line, newest first (when set, drawn instead of event):
	 * the newest in full, the older ones fading. */
	const struct render_event_line *events;
	size_t n_events;
	/* Entries rolled back recently: each is drawn as a struck-through
	 * ghost in its old log cell for ghost_us of virtual time after its
	 * removal (0: RENDER_GHOST_US). */
	const struct render_rollback *rollbacks;
	size_t n_rollbacks;
	int64_t ghost_us;
	const struct render_marker *markers;
	size_t n_markers;
	int64_t timeline_end_us;           /* 0: from now */
	const char *banner;                /* an error / violation line, may be NULL */
	bool playing;
	bool at_pause;                     /* stopped by the script's `pause` */
	double speed;                      /* virtual seconds per real second */
	bool pace_auto;                    /* speed is auto pace's of the moment */
	unsigned selected;                 /* node shown in the details panel, 0 none */
	unsigned hover_node;
	unsigned hover_link_a, hover_link_b;
	bool help;                         /* the help overlay */
	bool hide_legend;                  /* no message legend in the corner */
	bool menu_open;
	int menu_x, menu_y;
	int menu_hover;
	size_t menu_n;
	const struct render_menu_item *menu_items;
	const char *toast;                 /* a short confirmation, may be NULL */
	bool interactive;                  /* show clickable hints */
	/* The space-time diagram: shown when diagram is set (diagram_only: it
	 * alone, over diagram_from_us..diagram_to_us), from the session's
	 * recorded messages and lifeline events up to the position seq. */
	bool diagram, diagram_only;
	int64_t diagram_from_us, diagram_to_us;
	const struct render_msgrec *msgs;
	size_t n_msgs;
	const struct render_lifeev *life;
	size_t n_life;
	uint64_t seq;
	uint64_t sel_msg;                  /* the selected message's id, 0 none */
	uint64_t hover_msg;                /* the one under the pointer, 0 none */
};

/* Drawing resources for one SDL_Renderer: fonts, cached text textures,
 * geometry.  Fonts come from render_assets_dir(). */
struct render_gfx;
struct render_gfx *render_gfx_new(struct SDL_Renderer *r, char *err, size_t errcap);
void render_gfx_free(struct render_gfx *g);

/* Draws one whole frame of w x h pixels.  Never changes the simulation. */
void render_draw(struct render_gfx *g, const struct render_frame *f, int w, int h);

/* Over a frame drawn by render_draw(): the progress of a long move in
 * progress (what it does, how far along, "Esc stops here") over the
 * cluster, and a mark at a seek's target on the timeline of a session whose
 * timeline ends at timeline_end_us.  Nothing for RENDER_MOVE_NONE. */
void render_draw_progress(struct render_gfx *g, const struct render_layout *l,
                          const struct render_move *m, int64_t timeline_end_us);

/* The details header's words on who leads: "leader n4", "2 nodes believe
 * they lead (n1 term 1, n4 term 2)", "no leader" only when no live node is
 * in the leader role.  Returns the length (snprintf-like). */
size_t render_leader_summary(const struct sim *s, char *buf, size_t cap);
/* A small note of up to four lines (separated by \n) in the top right
 * corner of the cluster (the lecture's state: "You changed the run: the
 * script's checks are off"). */
void render_draw_note(struct render_gfx *g, const struct render_layout *l, const char *text);
/* A one-line question over the bottom of the window ("Quit without
 * saving?"). */
void render_draw_prompt(struct render_gfx *g, const struct render_layout *l, const char *text);

/* The lesson picker (O): one row per scenario, its title and the first
 * line of its narration; sel is the highlighted row (-1 none), typed the
 * path being typed in, note a warning in the corner (may be NULL). */
#define RENDER_PICK_MAX 48
struct render_pick_item {
	char path[512];
	char title[SCN_STRING_MAX + 1];
	char first[SCN_STRING_MAX + 1];
};
void render_draw_picker(struct render_gfx *g, const struct render_layout *l,
                        const struct render_pick_item *items, size_t n, int sel, const char *typed,
                        const char *note);
/* The same list for "what can happen next" (E): heading and hint of its
 * own, no path to type. */
void render_draw_next_picker(struct render_gfx *g, const struct render_layout *l,
                             const struct render_pick_item *items, size_t n, int sel);
/* The row under (x, y) of the picker drawn with the same n and sel, -1 none. */
int render_picker_hit(const struct render_layout *l, size_t n, int sel, float x, float y);

/* The frame fields the history provides (sim, title, say, caption,
 * markers, banner); the caller sets the view state. */
void render_frame_from_history(struct render_frame *f, const struct render_history *h);
/* The time window the diagram of frame f shows (diagram_t0_us..t1_us of
 * l): the interval of a diagram-only frame, else render_diagram_span_us()
 * around now, four fifths of it past and one fifth ahead (where the
 * messages in flight are due). */
void render_diagram_frame_time(struct render_layout *l, const struct render_frame *f);

/* ---- The visual vocabulary (shapes.c) ------------------------------------
 * Every message kind and every role has a shape of its own, so the picture
 * reads in greyscale, for every colour-vision deficiency and on a
 * washed-out projector.  Colour comes second and names the family
 * (elections orange, the log blue, snapshots yellow); terms have a palette
 * of their own (a lavender ramp) used only for log cells and term badges.
 * One table per vocabulary: the ring, the legend, the help overlay and the
 * tests all read them. */
enum render_msg_kind {
	RENDER_MSG_VOTE,            /* RequestVote: a filled diamond */
	RENDER_MSG_HEARTBEAT,       /* AppendEntries without entries: a small filled dot */
	RENDER_MSG_ENTRIES,         /* AppendEntries with entries: a filled square, the count */
	RENDER_MSG_SNAPSHOT,        /* InstallSnapshot: a filled page with a folded corner */
	RENDER_MSG_VOTE_GRANTED,    /* a hollow diamond, solid rim, a check */
	RENDER_MSG_VOTE_DENIED,     /* a hollow diamond, broken rim, a cross */
	RENDER_MSG_APPEND_OK,       /* a hollow square, solid rim, a check */
	RENDER_MSG_APPEND_REJECTED, /* a hollow square, broken rim, a cross */
	RENDER_MSG_PREVOTE,         /* PreVote: a filled triangle */
	RENDER_MSG_PREVOTE_GRANTED, /* a hollow triangle, a check */
	RENDER_MSG_PREVOTE_DENIED,  /* a hollow triangle, a cross */
	RENDER_MSG_TIMEOUT_NOW,     /* TimeoutNow: two filled triangles pointing ahead
	                               (fast-forward: campaign now) */
};
#define RENDER_MSG_KINDS 12

enum render_role_look {
	RENDER_ROLE_FOLLOWER,  /* a plain circle, thin rim */
	RENDER_ROLE_CANDIDATE, /* a dashed inner ring */
	RENDER_ROLE_LEADER,    /* a thick rim and a star */
	RENDER_ROLE_CRASHED,   /* grey, a thin grey rim, an X */
	RENDER_ROLE_PRECANDIDATE, /* a dashed halo outside the rim */
};
#define RENDER_ROLE_LOOKS 5
#define RENDER_TERM_COLOURS 5 /* terms cycle through this many colours */

/* What a message of this type is drawn as; RENDER_MSG_KINDS for a type
 * the view does not know (drawn as nothing rather than as the wrong thing). */
enum render_msg_kind render_msg_kind_of(uint8_t type, bool success, uint32_t n_entries);
/* The legend's words: a label ("vote granted") and a short form for the
 * strip ("vote reply": neighbours with the same short form share it, their
 * marks telling them apart); NULL outside the enum. */
const char *render_msg_kind_label(enum render_msg_kind k);
const char *render_msg_kind_brief(enum render_msg_kind k);
/* Many of them, for a bundle's count: "entries" in "×40 entries". */
const char *render_msg_kind_many(enum render_msg_kind k);
/* Colours as 0xRRGGBB. */
uint32_t render_msg_kind_rgb(enum render_msg_kind k);
uint32_t render_role_rgb(enum render_role_look r);
uint32_t render_term_rgb(uint64_t term); /* term 0 (no election yet): white */
/* How node (1..n) of s is drawn. */
enum render_role_look render_role_look_of(const struct sim *s, unsigned node);
/* "follower: plain circle, thin rim" (the help overlay); NULL outside the enum. */
const char *render_role_look_label(enum render_role_look r);
/* One message kind (with one entry) or one role (a node of radius 46u),
 * alone in the centre of a cleared w x h canvas at scale u.  mono paints
 * every colour of the vocabulary one mid grey: what is left is the shape. */
void render_draw_msg_specimen(struct render_gfx *g, enum render_msg_kind k, int w, int h, float u,
                              bool mono);
void render_draw_role_specimen(struct render_gfx *g, enum render_role_look r, int w, int h,
                               float u, bool mono);

/* ---- Assets ---------------------------------------------------------------- */
/* The directory holding DejaVuSans.ttf: $RAFTSIM_ASSETS, else the one
 * compiled in, else ../assets and ./assets next to the executable.  NULL
 * (and the places tried in err) if none has the font. */
const char *render_assets_dir(char *buf, size_t cap, char *err, size_t errcap);
/* The font file that draws what DejaVu Sans cannot (Chinese):
 * $RAFTSIM_CJK_FONT, else WenQuanYi Micro Hei found through fontconfig,
 * else Debian's fonts-wqy-microhei path.  0, or -1 with a one-line err
 * saying which package to install. */
int render_cjk_font(char *buf, size_t cap, char *err, size_t errcap);

/* ---- Headless -------------------------------------------------------------- */
/* Starts SDL without a display (no video subsystem: the software renderer
 * draws into a surface) and SDL_ttf; pair with render_headless_quit().
 * 0 or -1 with err. */
int render_headless_init(char *err, size_t errcap);
void render_headless_quit(void);

/* An offscreen w x h canvas drawn by SDL's software renderer: exactly what
 * the window shows, without a display.  NULL with err on failure. */
struct render_offscreen;
struct render_offscreen *render_offscreen_new(int w, int h, char *err, size_t errcap);
void render_offscreen_free(struct render_offscreen *o);
void render_offscreen_draw(struct render_offscreen *o, const struct render_frame *f);
/* The pixel at (x, y) of the last frame as 0xRRGGBB (0 outside). */
uint32_t render_offscreen_pixel(const struct render_offscreen *o, int x, int y);
/* The SDL_Surface it draws into (void * keeps SDL out of this header). */
void *render_offscreen_surface(const struct render_offscreen *o);
/* Saves the last frame as PNG: written to a temporary name in the same
 * directory, then renamed over path.  0 or -1 with err. */
int render_offscreen_save_png(const struct render_offscreen *o, const char *path, char *err,
                              size_t errcap);
/* One-shot: draws f at w x h and saves it to path. */
int render_frame_png(const struct render_frame *f, int w, int h, const char *path, char *err,
                     size_t errcap);

/* ---- Measuring narration without a window ------------------------------------ */
/* The fonts the window uses, for measuring text.  Call
 * render_headless_init() first.  NULL with err when the font is missing. */
struct render_caption_meter;
struct render_caption_meter *render_caption_meter_new(char *err, size_t errcap);
void render_caption_meter_free(struct render_caption_meter *m);
/* The lines `say` takes in the caption of a w x h window, wrapped by the
 * same code that draws it; a word wider than a whole line counts as one
 * line more than there is room for (the window cuts it).  The caption
 * fits when this is at most RENDER_SAY_LINES. */
int render_caption_lines(struct render_caption_meter *m, const char *say, int w, int h);
/* The width in pixels of s drawn in DejaVu Sans (Bold if bold) of px
 * pixels, glyphs it lacks in the CJK font, as the renderer measures it. */
int render_caption_text_w(struct render_caption_meter *m, int px, bool bold, const char *s);
/* The first code point of s that no font of the window has a glyph for
 * (it would be drawn as a box), or 0 when every glyph is there. */
uint32_t render_caption_missing_glyph(struct render_caption_meter *m, const char *s);
/* s broken into at most max_lines lines of max_w pixels by the window's
 * rules (render_gfx_wrap): each line's byte offsets in starts/ends. */
int render_caption_wrap(struct render_caption_meter *m, int px, bool bold, const char *s,
                        int max_w, int max_lines, size_t *starts, size_t *ends);

/* ---- Pace and reading time (pace.c) ------------------------------------------ */
/* Pace: virtual seconds per wall second.  Auto pace plays a message that
 * matters (RequestVote and its reply, AppendEntries carrying entries and
 * its reply or a refusal, InstallSnapshot) so that one flight takes about
 * RENDER_PACE_FLIGHT_S of wall time, and a quiet cluster (heartbeats or
 * nothing) at RENDER_PACE_QUIET. */
#define RENDER_PACE_FLIGHT_S 1.5
#define RENDER_PACE_QUIET 0.5      /* a quiet virtual second in about 2 s */
#define RENDER_PACE_SLOWEST 0.0001 /* 1/10000 */
#define RENDER_PACE_DOUBLE_S 0.25  /* speeding up doubles the pace at most this often */
bool render_pace_matters(const struct raft_msg *m);
/* The auto pace for the messages in flight in s. */
double render_pace_auto_target(const struct sim *s);
/* The pace dt_s wall seconds later when heading from pace to target: it
 * slows down at once and speeds up gradually, so the clock never lurches. */
double render_pace_ease(double pace, double target, double dt_s);
/* The pace the script set last along r's run (`set pace=`): -1 none, 0
 * auto, N for 1/N. */
long render_script_pace(const struct scn_runner *r);
/* The readout: "auto (1/40 now)", "1/20", "real time". */
void render_pace_text(bool is_auto, double pace, char *buf, size_t cap);

/* A narration stays on screen at least its reading time, about
 * RENDER_SAY_S_PER_WORD of wall time per word and RENDER_SAY_MIN_S at
 * least, before the next one may replace it; the window holds the
 * simulation meanwhile. */
#define RENDER_SAY_S_PER_WORD 0.25
#define RENDER_SAY_MIN_S 2.0
double render_say_read_s(const char *say);
struct render_say_hold {
	char shown[SCN_STRING_MAX + 1]; /* the narration on screen */
	double since_s;                 /* since when (wall) */
	double until_s;                 /* > 0: held on screen until then */
};
/* After playing moved the simulation (wall time now_s, narration say):
 * true while the narration on screen must stay (the window holds the
 * simulation until h->until_s and shows h->shown); false once say is on
 * screen. */
bool render_say_hold_update(struct render_say_hold *h, const char *say, double now_s);
/* Each frame: a hold that is over ends; without a hold, say is what is
 * on screen (a step, a seek, a restart show their narration at once). */
void render_say_hold_sync(struct render_say_hold *h, const char *say, double now_s);
/* The user acted: show say now, whatever was held. */
void render_say_hold_reset(struct render_say_hold *h, const char *say, double now_s);
/* What the caption shows. */
const char *render_say_hold_text(const struct render_say_hold *h, const char *say, double now_s);

/* ---- The window ------------------------------------------------------------ */
/* The fixed pace + and - start from: virtual time at 1/RENDER_PACE_DIV of
 * wall time (app.c's DEFAULT_SPEED).  The window starts at auto pace (see
 * pace.c), which is faster than this whenever nothing that matters flies;
 * the lint's rule about long narrated runs measures them at this pace. */
#define RENDER_PACE_DIV 20
/* A rolled-back entry's ghost stays about 2 s of wall time at the default
 * pace: 2 s / RENDER_PACE_DIV of virtual time (headless frames use this;
 * a window at another pace may pass its own in render_frame.ghost_us). */
#define RENDER_GHOST_US (2000000 / RENDER_PACE_DIV)
struct render_view_options {
	const char *path;        /* the script's path, for messages */
	int w, h;                /* initial window size, 0: about 85% of the
	                          * display's usable area */
	bool fullscreen;         /* start full screen (F or F11 toggles) */
	double speed;            /* a fixed pace; 0: auto */
	double quit_after_s;     /* > 0: close the window after this long (benches) */
	const char *lessons_dir; /* the shipped scenarios, for the picker (O);
	                          * NULL: the script's own directory */
	double *idle_cpu;        /* non-NULL: set to the CPU used from 1 s after
	                          * opening to closing, in % of one core */
	const struct scn_options *scn;  /* may be NULL */
};
/* Opens the window on script s and runs until it is closed.  Returns the
 * process exit code (0, or 2 with a message on stderr when there is no
 * display or the cluster is too large). */
int render_view_run(const struct scn_script *s, const struct render_view_options *o);

/* ---- Benchmarks --------------------------------------------------------------- */
/* Draws `frames` frames of w x h with the software renderer of a cluster of
 * `nodes` nodes with at least min_msgs_in_flight messages in flight (high
 * latency, a fast heartbeat and a steady client load), timing each frame
 * with the wall clock.  0, or -1 if the cluster could not be built. */
int render_bench_frames(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                        double *p50_ms, double *p99_ms);
/* The same with the space-time diagram on (diagram) or off. */
int render_bench_frames_diagram(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                                bool diagram, double *p50_ms, double *p99_ms);
/* A busy run 10 virtual minutes in, then one step back with the window's
 * checkpoint mechanism; *ms is the wall time of that step.  0 or -1. */
int render_bench_step_back(double *ms);
/* Opens the window (a display is needed) on a scenario that stops at a
 * pause, leaves it alone for `seconds` and sets *pct to the CPU it used
 * meanwhile, in % of one core.  0, or the window's exit code (2: no
 * display). */
int render_bench_idle_cpu(double seconds, double *pct);

/* Seconds of the monotonic wall clock (SDL-free, for benches and the
 * window). */
double render_wall_seconds(void);

#endif
