/* draw_diagram.c - the space-time diagram: a lifeline per node, virtual time flowing down, every message an arrow from its send to its delivery (or an X where it died). */
#include "draw_internal.h"
#include "i18n.h"

#include <stdlib.h>

#define C_LIFE RGBA(70, 72, 80, 255)
#define C_BAND RGBA(213, 94, 0, 40) /* vermillion, faint: a node cut off */
#define C_NOW RGBA(20, 20, 24, 255)

/* A round step of virtual time giving about `want` ticks over span. */
static int64_t tick_step(int64_t span, int want)
{
	static const int64_t steps[] = {1000,    2000,    5000,    10000,   20000,  50000,
	                                100000,  200000,  500000,  1000000, 2000000, 5000000,
	                                10000000, 30000000, 60000000};
	for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
		if (span / steps[i] <= want)
			return steps[i];
	return 60000000;
}

static void fmt_tick(int64_t us, int64_t step, char *buf, size_t cap)
{
	if (step < 10000)
		snprintf(buf, cap, "%lld.%03lld", (long long)(us / 1000000),
		         (long long)(us % 1000000 / 1000));
	else if (step < 100000)
		snprintf(buf, cap, "%lld.%02lld", (long long)(us / 1000000),
		         (long long)(us % 1000000 / 10000));
	else
		snprintf(buf, cap, "%lld.%lld s", (long long)(us / 1000000),
		         (long long)(us % 1000000 / 100000));
}

/* The time axis: round ticks with faint rules across the lifelines. */
static void draw_axis(struct render_dc *c, float top, float bottom)
{
	const struct render_layout *l = &c->l;
	float u = c->u, x0 = (float)l->diagram.x, x1 = (float)(l->diagram.x + l->diagram.w);
	int64_t t0 = l->diagram_t0_us, t1 = l->diagram_t1_us;
	int want = (int)((bottom - top) / (44 * u));
	int64_t step = tick_step(t1 - t0, want < 2 ? 2 : want);
	int tp = px(c, 12);
	/* no ticks before the run began (t0 < 0 early on) */
	for (int64_t t = t0 > 0 ? (t0 + step - 1) / step * step : 0; t <= t1; t += step) {
		float y = render_layout_diagram_y(l, t);
		if (!c->f->diagram_only && fabsf(y - render_layout_diagram_y(l, c->now)) < 14 * u)
			continue; /* "now" is written there */
		render_gfx_line(c->g, x0 + RENDER_DIAGRAM_GUTTER * u - 4 * u, y, x1 - 4 * u, y, 1,
		                C_PANEL2);
		char b[32];
		fmt_tick(t, step, b, sizeof b);
		render_gfx_text(c->g, tp, false, C_INK3, b, x0 + RENDER_DIAGRAM_GUTTER * u - 8 * u, y,
		                GFX_RIGHT | GFX_MIDDLE);
	}
}

/* Per node, as the lifeline events go: the role and whether it is up or
 * cut off, for drawing the lifeline in stretches. */
struct life_state {
	uint8_t role; /* enum render_role_look */
	uint64_t cut; /* peers it cannot reach */
	int64_t since;
};

static void draw_stretch(struct render_dc *c, unsigned node, const struct life_state *st,
                         int64_t a, int64_t b)
{
	const struct render_layout *l = &c->l;
	if (b < l->diagram_t0_us || a > l->diagram_t1_us || b <= a)
		return;
	if (a < l->diagram_t0_us)
		a = l->diagram_t0_us;
	if (b > l->diagram_t1_us)
		b = l->diagram_t1_us;
	float u = c->u, x = render_layout_diagram_x(l, node);
	float y0 = render_layout_diagram_y(l, a), y1 = render_layout_diagram_y(l, b);
	if (st->cut) /* a partition: a band round the lifeline */
		render_gfx_rect(c->g, x - 9 * u, y0, 18 * u, y1 - y0, C_BAND);
	switch ((enum render_role_look)st->role) {
	case RENDER_ROLE_CRASHED:
		render_gfx_dashed_line(c->g, x, y0, x, y1, 2 * u, 4 * u, 5 * u, C_CRASH);
		break;
	case RENDER_ROLE_LEADER:
		render_gfx_rect(c->g, x - 3 * u, y0, 6 * u, y1 - y0,
		                render_role_colour(RENDER_ROLE_LEADER));
		break;
	case RENDER_ROLE_CANDIDATE:
	case RENDER_ROLE_PRECANDIDATE:
		render_gfx_dashed_line(c->g, x, y0, x, y1, 4 * u, 6 * u, 3 * u,
		                       render_role_colour((enum render_role_look)st->role));
		break;
	case RENDER_ROLE_FOLLOWER:
		render_gfx_rect(c->g, x - 1 * u, y0, 2 * u, y1 - y0, C_LIFE);
		break;
	}
}

/* The lifelines, in stretches of one role, and the partition bands. */
static void draw_lifelines(struct render_dc *c)
{
	const struct render_frame *f = c->f;
	struct life_state st[RENDER_NODES_MAX + 1];
	for (unsigned i = 0; i <= RENDER_NODES_MAX; i++)
		st[i] = (struct life_state){.role = RENDER_ROLE_FOLLOWER, .since = INT64_MIN / 2};
	int64_t end = c->f->diagram_only ? c->l.diagram_t1_us : c->now;
	for (size_t k = 0; k < f->n_life; k++) {
		const struct render_lifeev *e = &f->life[k];
		if (e->seq > f->seq || e->time_us > end)
			break;
		if (e->node < 1 || e->node > c->n)
			continue;
		struct life_state *s = &st[e->node], next = *s;
		switch ((enum render_life_kind)e->kind) {
		case RENDER_LIFE_TIMEOUT:
			next.role = RENDER_ROLE_CANDIDATE;
			break;
		case RENDER_LIFE_LEADER:
			next.role = RENDER_ROLE_LEADER;
			break;
		case RENDER_LIFE_FOLLOWER:
		case RENDER_LIFE_RESTART:
			next.role = RENDER_ROLE_FOLLOWER;
			break;
		case RENDER_LIFE_CRASH:
			next.role = RENDER_ROLE_CRASHED;
			break;
		case RENDER_LIFE_NET:
			next.cut = e->a;
			break;
		case RENDER_LIFE_COMMIT:
		case RENDER_LIFE_CLIENT:
		case RENDER_LIFE_SNAPSHOT:
			continue;
		}
		if (next.role == s->role && next.cut == s->cut)
			continue;
		draw_stretch(c, e->node, s, s->since, e->time_us);
		*s = next;
		s->since = e->time_us;
	}
	for (unsigned i = 1; i <= c->n; i++) {
		/* the present state as the simulator has it (the events before
		 * the recording began are not in the log) */
		if (!f->diagram_only && st[i].since == INT64_MIN / 2)
			st[i].role = (uint8_t)render_role_look_of(c->s, i);
		draw_stretch(c, i, &st[i], st[i].since, end);
		if (!f->diagram_only && end < c->l.diagram_t1_us) {
			float x = render_layout_diagram_x(&c->l, i);
			render_gfx_dashed_line(c->g, x, render_layout_diagram_y(&c->l, end), x,
			                       render_layout_diagram_y(&c->l, c->l.diagram_t1_us),
			                       1.5f * c->u, 2 * c->u, 4 * c->u, C_INK3);
		}
	}
}

static void draw_life_marks(struct render_dc *c)
{
	const struct render_frame *f = c->f;
	const struct render_layout *l = &c->l;
	float u = c->u;
	int tp = px(c, 11);
	int64_t end = f->diagram_only ? l->diagram_t1_us : c->now;
	for (size_t k = 0; k < f->n_life; k++) {
		const struct render_lifeev *e = &f->life[k];
		if (e->seq > f->seq || e->time_us > end)
			break;
		if (e->node < 1 || e->node > c->n || e->time_us < l->diagram_t0_us)
			continue;
		float x = render_layout_diagram_x(l, e->node), y = render_layout_diagram_y(l, e->time_us);
		/* labels to the right of the lifeline, to the left of the last one */
		bool left = e->node == c->n && c->n > 1;
		int al = (left ? GFX_RIGHT : GFX_LEFT) | GFX_MIDDLE;
		float sgn = left ? -1.0f : 1.0f;
		char b[48];
		switch ((enum render_life_kind)e->kind) {
		case RENDER_LIFE_TIMEOUT:
			render_shape_role(c->g, RENDER_ROLE_CANDIDATE, x, y, 8 * u, true, false);
			snprintf(b, sizeof b, "t%llu", (unsigned long long)e->a);
			render_gfx_text(c->g, tp, true, C_INK2, b, x + sgn * 11 * u, y, al);
			break;
		case RENDER_LIFE_LEADER:
			render_shape_role(c->g, RENDER_ROLE_LEADER, x, y, 9 * u, true, false);
			snprintf(b, sizeof b, _("leader t%llu"), (unsigned long long)e->a);
			render_gfx_text(c->g, tp, true, C_INK, b, x + sgn * 12 * u, y, al);
			break;
		case RENDER_LIFE_FOLLOWER:
			render_shape_role(c->g, RENDER_ROLE_FOLLOWER, x, y, 6 * u, true, false);
			break;
		case RENDER_LIFE_CRASH:
			render_gfx_cross(c->g, x, y, 8 * u, 3 * u, C_INK);
			render_gfx_text(c->g, tp, true, C_INK, _("crash"), x + sgn * 11 * u, y, al);
			break;
		case RENDER_LIFE_RESTART:
			render_shape_role(c->g, RENDER_ROLE_FOLLOWER, x, y, 7 * u, true, false);
			render_gfx_text(c->g, tp, true, C_INK, _("restart"), x + sgn * 10 * u, y, al);
			break;
		case RENDER_LIFE_COMMIT:
			render_gfx_rect(c->g, x - 7 * u, y - 1.5f * u, 14 * u, 3 * u, C_INK);
			snprintf(b, sizeof b, "c%llu", (unsigned long long)e->a);
			render_gfx_text(c->g, tp, false, C_INK2, b, x - 9 * u, y, GFX_RIGHT | GFX_MIDDLE);
			break;
		case RENDER_LIFE_CLIENT:
			render_dc_pill(c, e->text, x, y, C_WHITE, C_INK, tp);
			break;
		case RENDER_LIFE_SNAPSHOT:
			render_shape_msg(c->g, RENDER_MSG_SNAPSHOT, 0, x, y, u * 0.6f, 1, false);
			break;
		case RENDER_LIFE_NET:
			break;
		}
	}
}

/* A line in short pieces: the software renderer fills a triangle by testing
 * every pixel of its bounding box, which for a long slanted line is most of
 * the panel. */
static void seg_line(struct render_gfx *g, float x0, float y0, float x1, float y1, float w,
                     struct rgba col)
{
	float dx = x1 - x0, dy = y1 - y0;
	/* pieces whose boxes hold about 800 pixels each */
	int k = (int)sqrtf(fabsf(dx) * fabsf(dy) / 800.0f) + 1;
	if (k > 48)
		k = 48;
	if (fabsf(dx) < 1 || fabsf(dy) < 1)
		k = 1; /* upright or level: a rectangle */
	for (int i = 0; i < k; i++) {
		float a = (float)i / (float)k, b = (float)(i + 1) / (float)k;
		render_gfx_line(g, x0 + dx * a, y0 + dy * a, x0 + dx * b, y0 + dy * b, w, col);
	}
}

/* Beyond this many arrows in view, every one is a plain line (a busy
 * cluster: the picture is a texture then, and must stay cheap to draw). */
#define BUSY_ARROWS 80

/* The end marks already drawn this frame, by kind, end and cell of the
 * panel: on a busy diagram hundreds of flights end on the "now" rule, and a
 * plain mark landing in the cell of one of its kind drawn before adds
 * nothing anyone can see (and costs its whole outline to draw). */
#define MARK_SLOTS 4096
struct mark_set {
	uint32_t key[MARK_SLOTS]; /* 0: empty */
};

/* Whether a mark of kind k and end e at (x, y) was not there yet (and now
 * is); always true without a set. */
static bool mark_new(struct mark_set *ms, int k, int e, float x, float y, float cell)
{
	if (!ms)
		return true;
	uint32_t cx = (uint32_t)(int)(x / cell) & 0x3ff, cy = (uint32_t)(int)(y / cell) & 0x3ff;
	uint32_t key = ((uint32_t)k << 24 | (uint32_t)e << 20 | cy << 10 | cx) + 1;
	uint32_t h = key * 2654435761u;
	for (uint32_t i = 0; i < MARK_SLOTS; i++) {
		uint32_t *slot = &ms->key[(h + i) & (MARK_SLOTS - 1)];
		if (*slot == key)
			return false;
		if (!*slot) {
			*slot = key;
			return true;
		}
	}
	return true;
}

static bool is_reply(enum render_msg_kind k)
{
	switch (k) {
	case RENDER_MSG_VOTE_GRANTED:
	case RENDER_MSG_VOTE_DENIED:
	case RENDER_MSG_APPEND_OK:
	case RENDER_MSG_APPEND_REJECTED:
	case RENDER_MSG_PREVOTE_GRANTED:
	case RENDER_MSG_PREVOTE_DENIED:
		return true;
	case RENDER_MSG_VOTE:
	case RENDER_MSG_HEARTBEAT:
	case RENDER_MSG_ENTRIES:
	case RENDER_MSG_SNAPSHOT:
	case RENDER_MSG_PREVOTE:
	case RENDER_MSG_TIMEOUT_NOW:
		return false;
	}
	return false;
}

/* What one pass over the messages draws: the plain lines (heartbeats and
 * their answers, every line of a busy diagram), then the other lines over
 * them, then every end over every line, so crossing arrows never hide where
 * one lands. */
enum msg_pass { PASS_PLAIN, PASS_LINES, PASS_ENDS };

/* Message m's part of pass p: its line, or its end (the arrowhead, the X or
 * the kind's shape). */
static void draw_msg(struct render_dc *c, const struct render_msgrec *m, bool hot, bool busy,
                     enum msg_pass p, struct mark_set *ms)
{
	const struct render_layout *l = &c->l;
	float x0, y0, x1, y1;
	int end;
	int64_t now = c->f->diagram_only ? l->diagram_t1_us : c->now;
	if (!render_layout_diagram_msg(l, m, c->f->seq, now, &x0, &y0, &x1, &y1, &end))
		return;
	float u = c->u;
	enum render_msg_kind k = render_msg_kind_of(m->type, m->success, m->n_entries);
	if (k == RENDER_MSG_KINDS)
		return;
	struct rgba col = render_msg_colour(k);
	bool quiet = !hot && (busy || k == RENDER_MSG_HEARTBEAT ||
	                      (k == RENDER_MSG_APPEND_OK && m->n_entries == 0));
	/* answers thinner than requests: a burst of votes reads as requests
	 * going out and lighter answers coming back */
	bool reply = is_reply(k);
	float w = (quiet || reply ? 1.5f : 2.5f) * u;
	if (p != PASS_ENDS) {
		if ((p == PASS_PLAIN) != quiet)
			return;
		/* only the part inside the time shown: a long thin line far off
		 * the panel still costs its whole bounding box to rasterise */
		float ytop = render_layout_diagram_y(l, l->diagram_t0_us) - 4 * u;
		if (y0 < ytop && y1 > y0) {
			x0 += (x1 - x0) * (ytop - y0) / (y1 - y0);
			y0 = ytop;
		}
	}
	switch (p) {
	case PASS_PLAIN: {
		/* one pixel wide (two on a large screen), in the colour it would
		 * have at 4/5 over the panel */
		struct rgba pc = C_PANEL, lc = {(uint8_t)((col.r * 4 + pc.r) / 5),
		                                (uint8_t)((col.g * 4 + pc.g) / 5),
		                                (uint8_t)((col.b * 4 + pc.b) / 5), 255};
		render_gfx_hairline(c->g, x0, y0, x1, y1, lc);
		if (u >= 1.5f)
			render_gfx_hairline(c->g, x0 + 1, y0, x1 + 1, y1, lc);
		return;
	}
	case PASS_LINES: {
		if (hot)
			seg_line(c->g, x0, y0, x1, y1, w + 6 * u, rgba_alpha(OI_YELLOW, 0.9f));
		/* a dark core under the colour keeps the arrow readable in grey */
		seg_line(c->g, x0, y0, x1, y1, w + (reply ? 1.0f : 1.5f) * u,
		         rgba_alpha(C_INK, reply ? 0.45f : 0.6f));
		seg_line(c->g, x0, y0, x1, y1, w, col);
		int64_t due = render_msgrec_due_us(m, c->f->seq);
		if (end == RENDER_END_FLYING && !c->f->diagram_only && due > now) {
			/* where it is due: dotted, below now, up to the bottom (not
			 * for heartbeats: there are too many and they say little) */
			float xa = render_layout_diagram_x(l, m->from), xb = render_layout_diagram_x(l, m->to);
			int64_t t = due < l->diagram_t1_us ? due : l->diagram_t1_us;
			float fr = due > m->send_us
			               ? (float)((double)(t - m->send_us) / (double)(due - m->send_us))
			               : 1;
			render_gfx_dashed_line(c->g, x1, y1, xa + (xb - xa) * fr,
			                       render_layout_diagram_y(l, t), 1.5f * u, 3 * u, 3 * u,
			                       rgba_alpha(col, 0.8f));
		}
		return;
	}
	case PASS_ENDS:
		break;
	}
	if (quiet && !mark_new(ms, (int)k, end, x1, y1, 8 * u))
		return;
	float dx = x1 - x0, dy = y1 - y0, d = sqrtf(dx * dx + dy * dy);
	if (d < 1)
		d = 1;
	switch ((enum render_msg_end)end) {
	case RENDER_END_DELIVERED: {
		float s = (quiet || reply ? 8 : 11) * u;
		float bx = x1 - dx / d * s, by = y1 - dy / d * s;
		render_gfx_triangle(c->g, x1, y1, bx - dy / d * s * 0.5f, by + dx / d * s * 0.5f,
		                    bx + dy / d * s * 0.5f, by - dx / d * s * 0.5f, C_INK);
		if (!quiet && d > 70 * u) /* the kind's shape half way, as on the ring */
			render_shape_msg(c->g, k, m->n_entries, x0 + dx * 0.5f, y0 + dy * 0.5f, u * 0.55f, 1,
			                 false);
		break;
	}
	case RENDER_END_DROPPED:
		render_gfx_cross(c->g, x1, y1, 7 * u, 3 * u, OI_VERMILLION);
		break;
	case RENDER_END_FLYING:
		render_shape_msg(c->g, k, m->n_entries, x1, y1, u * (quiet ? 0.5f : 0.62f), 1, false);
		break;
	}
}

static void draw_msgs(struct render_dc *c, const struct render_rect *band)
{
	const struct render_frame *f = c->f;
	const struct render_msgrec *hot[2] = {NULL, NULL};
	size_t first = render_diagram_first_msg(f->msgs, f->n_msgs, c->l.diagram_t0_us);
	size_t shown = 0;
	int64_t now = f->diagram_only ? c->l.diagram_t1_us : c->now;
	for (size_t i = first; i < f->n_msgs && shown <= BUSY_ARROWS; i++) {
		float x0, y0, x1, y1;
		int end;
		if (f->msgs[i].send_seq > f->seq || f->msgs[i].send_us > c->l.diagram_t1_us)
			break;
		shown += render_layout_diagram_msg(&c->l, &f->msgs[i], f->seq, now, &x0, &y0, &x1, &y1,
		                                   &end);
	}
	bool busy = shown > BUSY_ARROWS;
	struct mark_set *ms = busy ? calloc(1, sizeof *ms) : NULL;
	for (int p = PASS_PLAIN; p <= PASS_ENDS; p++) {
		if (p == PASS_PLAIN)
			render_gfx_hairlines_begin(c->g, band);
		for (size_t i = first; i < f->n_msgs; i++) {
			const struct render_msgrec *m = &f->msgs[i];
			if (m->send_seq > f->seq || m->send_us > c->l.diagram_t1_us)
				break;
			if (f->sel_msg && m->id == f->sel_msg) {
				hot[0] = m;
				continue;
			}
			if (f->hover_msg && m->id == f->hover_msg) {
				hot[1] = m;
				continue;
			}
			draw_msg(c, m, false, busy, (enum msg_pass)p, ms);
		}
		if (p == PASS_PLAIN)
			render_gfx_hairlines_end(c->g);
	}
	free(ms);
	for (int i = 1; i >= 0; i--)
		if (hot[i]) {
			draw_msg(c, hot[i], true, false, PASS_LINES, NULL);
			draw_msg(c, hot[i], true, false, PASS_ENDS, NULL);
		}
}

/* The node names over the lifelines, each with its role's chip. */
static void draw_heads(struct render_dc *c)
{
	const struct render_layout *l = &c->l;
	float u = c->u, y = (float)l->diagram.y + RENDER_DIAGRAM_HEAD * u / 2;
	int tp = px(c, 15);
	render_gfx_text(c->g, px(c, 12), false, C_INK3, "s \xe2\x86\x93",
	                (float)l->diagram.x + RENDER_DIAGRAM_GUTTER * u - 8 * u, y,
	                GFX_RIGHT | GFX_MIDDLE);
	/* a chip left of each lifeline and the name right of it, where the
	 * widest name and the next chip fit in a column; else the names alone
	 * (the lifelines show the roles too) */
	char b[8];
	snprintf(b, sizeof b, "n%u", c->n);
	float col = c->n > 1 ? render_layout_diagram_x(l, 2) - render_layout_diagram_x(l, 1) : 1e9f;
	bool chips = !c->f->diagram_only &&
	             (float)render_gfx_text_w(c->g, tp, true, b) + 26 * u <= col;
	for (unsigned i = 1; i <= c->n; i++) {
		float x = render_layout_diagram_x(l, i);
		snprintf(b, sizeof b, "n%u", i);
		if (chips)
			role_chip(c, i, x - 12 * u, y, 8 * u);
		render_gfx_text(c->g, tp, true, c->f->selected == i ? C_INK : C_INK2, b,
		                chips ? x + 2 * u : x, y, (chips ? GFX_LEFT : GFX_CENTER) | GFX_MIDDLE);
	}
}

void render_draw_diagram(struct render_dc *c)
{
	const struct render_layout *l = &c->l;
	const struct render_rect *d = &l->diagram;
	if (d->w <= 0 || d->h <= 0)
		return;
	float u = c->u;
	render_gfx_round_rect(c->g, (float)d->x, (float)d->y, (float)d->w, (float)d->h, 10 * u,
	                      C_PANEL);
	float top = (float)d->y + RENDER_DIAGRAM_HEAD * u, bottom = (float)(d->y + d->h) - 10 * u;
	render_gfx_clip(c->g, d);
	draw_axis(c, top, bottom);
	draw_heads(c);
	struct render_rect band = {d->x, (int)top - 2, d->w, (int)(bottom - top) + 12};
	render_gfx_clip(c->g, &band);
	draw_lifelines(c);
	draw_msgs(c, &band);
	draw_life_marks(c);
	if (!c->f->diagram_only) { /* now, and what is due next below it */
		float y = render_layout_diagram_y(l, c->now);
		render_gfx_line(c->g, (float)d->x + RENDER_DIAGRAM_GUTTER * u - 4 * u, y,
		                (float)(d->x + d->w) - 4 * u, y, 2 * u, C_NOW);
		render_gfx_text(c->g, px(c, 12), true, C_INK, _("now"),
		                (float)d->x + RENDER_DIAGRAM_GUTTER * u - 8 * u, y,
		                GFX_RIGHT | GFX_MIDDLE);
	}
	render_gfx_clip(c->g, NULL);
}
