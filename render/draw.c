/* draw.c - draws one frame (caption, ring of nodes, messages, links, log, details, timeline, overlays) from the const simulation API. */
#include "gfx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PI_F 3.14159265358979f

/* ---- Palette and helpers ------------------------------------------------------------ */
#define C_CAPBG RGBA(27, 36, 48, 255)      /* the caption band */
#define C_CAPTEXT RGBA(255, 255, 255, 255)
#define C_CAPDIM RGBA(170, 185, 200, 255)
#define C_CAPEVENT RGBA(240, 228, 66, 255) /* Okabe-Ito yellow reads on the band */
#define C_SELECT OI_YELLOW

struct cut_label {
	float x, y;
	int64_t since;
	char text[64];
};

struct ctx {
	struct render_gfx *g;
	const struct render_frame *f;
	const struct sim *s;
	struct render_layout l;
	float u;
	int64_t now;
	unsigned n;
	uint8_t leader; /* the leader whose nextIndex/matchIndex are drawn */
	struct cut_label cuts[RENDER_NODES_MAX * RENDER_NODES_MAX / 2 + 1];
	size_t n_cuts;
};

static int px(const struct ctx *c, float size)
{
	int p = (int)lroundf(size * c->u);
	return p < 9 ? 9 : p;
}

static struct rgba node_color(const struct sim *s, unsigned i)
{
	return render_role_colour(render_role_look_of(s, i));
}

/* A node's small role chip in the panels: the node's shape in little. */
static void role_chip(struct ctx *c, unsigned i, float x, float y, float r)
{
	render_shape_role(c->g, render_role_look_of(c->s, i), x, y, r, true, false);
}

static void fmt_secs(int64_t us, char *buf, size_t cap)
{
	snprintf(buf, cap, "%lld.%03lld s", (long long)(us / 1000000),
	         (long long)(us % 1000000 / 1000));
}

static void fmt_dur(int64_t us, char *buf, size_t cap)
{
	if (us < 0)
		us = 0;
	if (us < 1000000)
		snprintf(buf, cap, "%lld ms", (long long)(us / 1000));
	else if (us < 60000000)
		snprintf(buf, cap, "%lld.%lld s", (long long)(us / 1000000),
		         (long long)(us % 1000000 / 100000));
	else
		snprintf(buf, cap, "%lld min %lld s", (long long)(us / 60000000),
		         (long long)(us % 60000000 / 1000000));
}

static void node_pos(const struct ctx *c, unsigned i, float *x, float *y, float *r)
{
	render_layout_node(&c->l, i, x, y, r);
}

/* The point on node i's rim toward node j, shifted into the lane of
 * messages travelling i -> j (to the right of that direction). */
static void lane_end(const struct ctx *c, unsigned i, unsigned j, float lane, float *x,
                     float *y)
{
	float xi, yi, xj, yj, r;
	node_pos(c, i, &xi, &yi, &r);
	node_pos(c, j, &xj, &yj, &r);
	float dx = xj - xi, dy = yj - yi, l = sqrtf(dx * dx + dy * dy);
	if (l < 1)
		l = 1;
	dx /= l;
	dy /= l;
	*x = xi + dx * (r + 2 * c->u) - dy * lane;
	*y = yi + dy * (r + 2 * c->u) + dx * lane;
}

/* ---- Caption ------------------------------------------------------------------------ */
static void draw_caption(struct ctx *c)
{
	const struct render_rect *r = &c->l.caption;
	render_gfx_rect(c->g, (float)r->x, (float)r->y, (float)r->w, (float)r->h, C_CAPBG);
	float pad = 16 * c->u, x = (float)r->x + pad, maxw = (float)r->w - 2 * pad;
	float y = (float)r->y + 7 * c->u;
	const char *title = c->f->title && *c->f->title ? c->f->title : "raftsim";
	render_gfx_text_fit(c->g, px(c, 15), true, C_CAPDIM, title, x, y, GFX_LEFT, maxw * 0.7f);
	y += 21 * c->u;
	int say_px = c->l.say_px;
	float lh = 34 * c->u;
	if (c->f->say && *c->f->say)
		render_gfx_text_wrap(c->g, say_px, true, C_CAPTEXT, c->f->say, x, y, maxw, 2, lh, true);
	else if (c->f->interactive)
		render_gfx_text(c->g, say_px, false, C_CAPDIM, "Press Space to play · ? for help", x, y,
		         GFX_LEFT);
	else if (c->f->title && *c->f->title)
		render_gfx_text_wrap(c->g, say_px, true, C_CAPDIM, c->f->title, x, y, maxw, 2, lh, true);
	float ey = (float)(r->y + r->h) - 8 * c->u;
	if (c->f->at_pause && c->f->interactive) {
		/* the script is waiting for the teacher: say so where they read */
		const char *msg = "❚❚ paused by the script · press Space";
		int p = px(c, 16);
		float tw = (float)render_gfx_text_w(c->g, p, true, msg);
		float ph = (float)render_gfx_line_h(c->g, p, true) + 6 * c->u, pw = tw + 24 * c->u;
		/* top right, beside the title, clear of narration and events */
		float bx = (float)(r->x + r->w) - pad - pw, by = (float)r->y + 3 * c->u;
		render_gfx_round_rect(c->g, bx, by, pw, ph, ph / 2, OI_ORANGE);
		render_gfx_text(c->g, p, true, C_INK, msg, bx + pw / 2, by + ph / 2, GFX_CENTER | GFX_MIDDLE);
	}
	/* the event line: the newest event in full, two older ones fading */
	const struct render_event_line *ev = c->f->events;
	size_t n_ev = c->f->n_events;
	if (!ev || !n_ev) {
		if (c->f->event && *c->f->event) {
			float dot = 6 * c->u;
			render_gfx_disc(c->g, x + dot, ey - 11 * c->u, dot, C_CAPEVENT);
			render_gfx_text_fit(c->g, px(c, 18), false, C_CAPEVENT, c->f->event, x + 3 * dot,
			                    ey, GFX_LEFT | GFX_BOTTOM, maxw - 3 * dot);
		}
		return;
	}
	float y0 = (float)r->y + c->l.caption_events_y;
	for (size_t i = 0; i < n_ev && i < RENDER_EVENT_LINES; i++) {
		static const float fade[RENDER_EVENT_LINES] = {1.0f, 0.62f, 0.40f};
		int p = px(c, i == 0 ? 18 : 15);
		float elh = (i == 0 ? 22 : 18) * c->u;
		struct rgba k = rgba_alpha(C_CAPEVENT, fade[i]);
		float dot = (i == 0 ? 6 : 4.5f) * c->u, dx = x + 6 * c->u;
		if (ev[i].key)
			render_gfx_disc(c->g, dx, y0 + elh / 2, dot, k);
		else
			render_gfx_ring(c->g, dx, y0 + elh / 2, dot - 1.6f * c->u, dot, k);
		render_gfx_text_fit(c->g, p, i == 0, k, ev[i].text, x + 18 * c->u, y0 + elh / 2,
		                    GFX_LEFT | GFX_MIDDLE, maxw - 18 * c->u);
		y0 += elh;
	}
}

/* ---- Links --------------------------------------------------------------------------- */
static void arrow_head(struct render_gfx *g, float x, float y, float dx, float dy, float s,
                       struct rgba col)
{
	/* a triangle pointing along (dx, dy), tip at (x, y) */
	float bx = x - dx * s, by = y - dy * s;
	render_gfx_triangle(g, x, y, bx - dy * s * 0.6f, by + dx * s * 0.6f, bx + dy * s * 0.6f,
	             by - dx * s * 0.6f, col);
}

static void pill_text(struct ctx *c, const char *s, float x, float y, struct rgba bg,
                      struct rgba fg, int size)
{
	int w = render_gfx_text_w(c->g, size, true, s);
	float h = (float)render_gfx_line_h(c->g, size, true);
	float pw = (float)w + 12 * c->u, ph = h + 2 * c->u;
	render_gfx_round_rect(c->g, x - pw / 2, y - ph / 2, pw, ph, ph / 2, bg);
	render_gfx_text(c->g, size, true, fg, s, x, y, GFX_CENTER | GFX_MIDDLE);
}


static void draw_links(struct ctx *c)
{
	float lane = 7 * c->u;
	struct cut_label cuts[RENDER_NODES_MAX * RENDER_NODES_MAX / 2 + 1];
	size_t n_cuts = 0;
	render_gfx_layer_begin(c->g, &c->l.cluster);
	/* healthy links first, cut ones on top of them */
	for (int pass = 0; pass < 2; pass++)
	for (unsigned a = 1; a <= c->n; a++)
		for (unsigned b = a + 1; b <= c->n; b++) {
			bool ab = sim_link_up(c->s, (uint8_t)a, (uint8_t)b);
			bool ba = sim_link_up(c->s, (uint8_t)b, (uint8_t)a);
			if ((pass == 0) != (ab && ba))
				continue;
			bool hover = (c->f->hover_link_a == a && c->f->hover_link_b == b) ||
			             (c->f->hover_link_a == b && c->f->hover_link_b == a);
			float x0, y0, x1, y1;
			lane_end(c, a, b, 0, &x0, &y0);
			lane_end(c, b, a, 0, &x1, &y1);
			float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
			if (len < 1)
				continue;
			dx /= len;
			dy /= len;
			/* labels sit a little inside the ring, clear of node labels */
			float mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
			mx += (c->l.ring_cx - mx) * 0.4f;
			my += (c->l.ring_cy - my) * 0.4f;
			bool dead = !sim_node_up(c->s, (uint8_t)a) || !sim_node_up(c->s, (uint8_t)b);
			if (ab && ba) {
				int64_t ch = sim_link_changed_us(c->s, (uint8_t)a, (uint8_t)b);
				int64_t ch2 = sim_link_changed_us(c->s, (uint8_t)b, (uint8_t)a);
				if (ch2 > ch)
					ch = ch2;
				int64_t age = c->now - ch;
				struct rgba col = dead ? rgba_alpha(C_LINE, 0.45f) : C_LINE;
				float w = 2.5f * c->u;
				if (ch > 0 && age >= 0 && age < 400000) {
					/* just mended: a green flash fading to grey */
					float t = (float)age / 400000.0f;
					col = RGBA((uint8_t)(0 + 200 * t), (uint8_t)(158 + 42 * t),
					           (uint8_t)(115 + 81 * t), 255);
					w = (5 - 2.5f * t) * c->u;
				}
				if (hover)
					col = C_INK2, w = 4 * c->u;
				render_gfx_line(c->g, x0, y0, x1, y1, w, col);
				continue;
			}
			struct rgba red = OI_VERMILLION;
			float w = (hover ? 5.5f : 4.0f) * c->u;
			float dash = 12 * c->u, gap = 8 * c->u;
			int64_t since = 0;
			char label[64], dur[32];
			if (!ab && !ba) {
				render_gfx_dashed_line(c->g, x0, y0, x1, y1, w, dash, gap, red);
				since = sim_link_changed_us(c->s, (uint8_t)a, (uint8_t)b);
				int64_t s2 = sim_link_changed_us(c->s, (uint8_t)b, (uint8_t)a);
				if (s2 > since)
					since = s2;
				fmt_dur(c->now - since, dur, sizeof dur);
				snprintf(label, sizeof label, "cut for %s", dur);
			} else {
				/* one way: the blocked lane dashed red with an arrow
				 * into the node it can no longer reach */
				unsigned from = ab ? b : a, to = ab ? a : b;
				float fx, fy, tx, ty;
				lane_end(c, from, to, lane, &fx, &fy);
				lane_end(c, to, from, -lane, &tx, &ty);
				float ux = tx - fx, uy = ty - fy, ul = sqrtf(ux * ux + uy * uy);
				ux /= ul;
				uy /= ul;
				float ox, oy, px2, py2;
				lane_end(c, to, from, lane, &ox, &oy);
				lane_end(c, from, to, -lane, &px2, &py2);
				render_gfx_line(c->g, ox, oy, px2, py2, 2.5f * c->u, C_LINE);
				render_gfx_dashed_line(c->g, fx, fy, tx - ux * 12 * c->u, ty - uy * 12 * c->u, w,
				                dash, gap, red);
				arrow_head(c->g, tx, ty, ux, uy, 16 * c->u, red);
				since = sim_link_changed_us(c->s, (uint8_t)from, (uint8_t)to);
				fmt_dur(c->now - since, dur, sizeof dur);
				snprintf(label, sizeof label, "n%u→n%u cut for %s", from, to, dur);
			}
			struct cut_label *k = &cuts[n_cuts++];
			k->x = mx;
			k->y = my;
			k->since = since;
			snprintf(k->text, sizeof k->text, "%s", label);
		}
	render_gfx_layer_end(c->g);
	c->n_cuts = n_cuts;
	memcpy(c->cuts, cuts, n_cuts * sizeof cuts[0]);
}

/* The hovered link: what a click would do. */
static void draw_link_hint(struct ctx *c)
{
	unsigned a = c->f->hover_link_a, b = c->f->hover_link_b;
	if (!c->f->interactive || !a || !b || a > c->n || b > c->n || c->f->menu_open)
		return;
	float xa, ya, xb, yb, r;
	render_layout_node(&c->l, a, &xa, &ya, &r);
	render_layout_node(&c->l, b, &xb, &yb, &r);
	bool up = sim_link_up(c->s, (uint8_t)a, (uint8_t)b) && sim_link_up(c->s, (uint8_t)b, (uint8_t)a);
	char hint[96];
	snprintf(hint, sizeof hint, "click: %s n%u↔n%u · shift-click: only toward n%u",
	         up ? "cut" : "mend", a < b ? a : b, a < b ? b : a, a);
	pill_text(c, hint, (xa + xb) / 2, (ya + yb) / 2 - 18 * c->u, RGBA(27, 36, 48, 235),
	          C_WHITE, px(c, 13));
}

/* The cut links' labels, drawn over the nodes. */
static void draw_link_labels(struct ctx *c)
{
	struct cut_label *cuts = c->cuts;
	size_t n_cuts = c->n_cuts;
	bool same = true;
	for (size_t i = 1; i < n_cuts; i++)
		same = same && cuts[i].since == cuts[0].since;
	if (n_cuts <= 3 || !same) {
		for (size_t i = 0; i < n_cuts && i < 6; i++)
			pill_text(c, cuts[i].text, cuts[i].x, cuts[i].y, rgba_alpha(C_WHITE, 0.92f),
			          OI_VERMILLION, px(c, 13));
	}
	if (n_cuts > 3) {
		char t[40], d[32], msg[128];
		fmt_secs(cuts[0].since, t, sizeof t);
		fmt_dur(c->now - cuts[0].since, d, sizeof d);
		if (same)
			snprintf(msg, sizeof msg, "%zu links cut at %s (for %s)", n_cuts, t, d);
		else
			snprintf(msg, sizeof msg, "%zu links cut", n_cuts);
		const struct render_rect *cl = &c->l.cluster;
		int p = px(c, 15);
		float w = (float)render_gfx_text_w(c->g, p, true, msg) + 44 * c->u;
		float h = (float)render_gfx_line_h(c->g, p, true) + 10 * c->u;
		float x = (float)cl->x + 16 * c->u, y = (float)(cl->y + cl->h) - h - 12 * c->u;
		render_gfx_round_rect(c->g, x, y, w, h, h / 2, rgba_alpha(C_WHITE, 0.95f));
		render_gfx_dashed_line(c->g, x + 10 * c->u, y + h / 2, x + 30 * c->u, y + h / 2, 3.5f * c->u,
		                6 * c->u, 4 * c->u, OI_VERMILLION);
		render_gfx_text(c->g, p, true, OI_VERMILLION, msg, x + 36 * c->u, y + h / 2,
		         GFX_LEFT | GFX_MIDDLE);
	}
}

/* ---- Messages -------------------------------------------------------------------------- */
static void draw_msg_dot_scaled(struct ctx *c, float x, float y, uint8_t type, bool success,
                                uint32_t n_entries, float alpha, float k)
{
	render_shape_msg(c->g, render_msg_kind_of(type, success, n_entries), n_entries, x, y, c->u * k,
	                 alpha, false);
}

/* A busy lane's messages as one: the shape of the kind stacked three
 * deep at the oldest's place (label false), or the pill with the count
 * ("×40 entries") just ahead of it on the lane (label true, drawn over the
 * nodes so it stays readable). */
static void draw_bundle(struct ctx *c, const struct render_bundle *b, float k, bool label)
{
	float u = c->u, x0, y0, x1, y1;
	render_layout_msg_pos(&c->l, b->from, b->to, 0, &x0, &y0);
	render_layout_msg_pos(&c->l, b->from, b->to, 1, &x1, &y1);
	float dx = x1 - x0, dy = y1 - y0, d = sqrtf(dx * dx + dy * dy);
	if (d < 1)
		d = 1;
	dx /= d;
	dy /= d;
	enum render_msg_kind kind = (enum render_msg_kind)b->kind;
	if (!label) {
		for (int i = 2; i >= 0; i--) {
			float back = (float)i * 5 * u; /* the younger ones, behind */
			render_shape_msg(c->g, kind, 1, b->x - dx * back, b->y - dy * back, u * k, 1, false);
		}
		return;
	}
	char text[48];
	snprintf(text, sizeof text, "×%u %s", b->count, render_msg_kind_many(kind));
	int p = px(c, 13);
	float tw = (float)render_gfx_text_w(c->g, p, true, text) + 12 * u;
	float th = (float)render_gfx_line_h(c->g, p, true) + 2 * u;
	/* ahead of the shape, along the lane */
	float off = 12 * u + tw / 2 * fabsf(dx) + th / 2 * fabsf(dy);
	float lx = b->x + dx * off, ly = b->y + dy * off;
	struct rgba ink = render_msg_colour(kind);
	render_gfx_round_rect(c->g, lx - tw / 2 - 1.5f * u, ly - th / 2 - 1.5f * u, tw + 3 * u,
	                      th + 3 * u, th / 2 + 1.5f * u, rgba_shade(ink, 0.2f));
	pill_text(c, text, lx, ly, C_WHITE, C_INK, p);
}

static void draw_messages(struct ctx *c)
{
	float lane = 7 * c->u;
	size_t cap = sim_msg_capacity(c->s);
	/* busy lanes first: which (from, to, kind) are drawn as one bundle */
	enum { N = RENDER_NODES_MAX, K = RENDER_MSG_KINDS };
	struct render_bundle bundles[64];
	size_t nb = render_layout_bundles(&c->l, c->s, c->f->selected, bundles, 64);
	if (nb > 64)
		nb = 64;
	bool bundled[N * N * K];
	memset(bundled, 0, sizeof bundled);
	for (size_t i = 0; i < nb; i++)
		bundled[((size_t)(bundles[i].from - 1) * N + (bundles[i].to - 1)) * K + bundles[i].kind] =
		    true;
	/* a crowded network gets smaller dots */
	float k = 1.0f - ((float)sim_msgs_in_flight(c->s) - 60.0f) / 400.0f;
	k = k > 1 ? 1 : k < 0.6f ? 0.6f : k;
	for (size_t i = 0; i < cap; i++) {
		const struct sim_msg *m = sim_msg_slot(c->s, i);
		if (!m || m->m.from < 1 || m->m.to < 1 || m->m.from > c->n || m->m.to > c->n)
			continue;
		float f = 1;
		if (m->deliver_us > m->send_us)
			f = (float)((double)(c->now - m->send_us) / (double)(m->deliver_us - m->send_us));
		if (f < 0)
			continue; /* not sent yet (held until the disk write is done) */
		if (f > 1)
			f = 1;
		enum render_msg_kind mk = render_msg_kind_of(m->m.type, m->m.success, m->m.n_entries);
		if (!m->lost && mk < RENDER_MSG_KINDS &&
		    bundled[((size_t)(m->m.from - 1) * N + (m->m.to - 1)) * K + mk])
			continue;
		float x0, y0, x1, y1;
		lane_end(c, m->m.from, m->m.to, lane, &x0, &y0);
		lane_end(c, m->m.to, m->m.from, -lane, &x1, &y1);
		float x = x0 + (x1 - x0) * f, y = y0 + (y1 - y0) * f;
		float alpha = m->lost ? 1.0f - 0.8f * f : 1.0f;
		draw_msg_dot_scaled(c, x, y, m->m.type, m->m.success, m->m.n_entries, alpha, k);
		if (m->lost && f > 0.5f)
			render_gfx_cross(c->g, x, y, 7 * c->u, 3 * c->u, rgba_alpha(OI_VERMILLION, f));
	}
	for (size_t i = 0; i < nb; i++)
		draw_bundle(c, &bundles[i], k, false);
	/* messages that died recently: an X where they died, fading */
	const struct sim_drop *d;
	size_t nd = sim_drops(c->s, &d);
	int64_t fade = 2 * sim_config(c->s)->latency_us_max;
	if (fade < 80000)
		fade = 80000;
	for (size_t i = 0; i < nd; i++) {
		int64_t age = c->now - d[i].time_us;
		if (age < 0 || age > fade || d[i].from < 1 || d[i].to < 1 || d[i].from > c->n ||
		    d[i].to > c->n)
			continue;
		float a = 1.0f - (float)age / (float)fade;
		float x, y;
		lane_end(c, d[i].to, d[i].from, -lane, &x, &y);
		/* pulled back a little from the receiver's rim */
		float x0, y0;
		lane_end(c, d[i].from, d[i].to, lane, &x0, &y0);
		float dx = x0 - x, dy = y0 - y, l = sqrtf(dx * dx + dy * dy);
		if (l > 1) {
			x += dx / l * 10 * c->u;
			y += dy / l * 10 * c->u;
		}
		render_gfx_cross(c->g, x, y, 9 * c->u, 6 * c->u, rgba_alpha(C_WHITE, a * 0.9f));
		render_gfx_cross(c->g, x, y, 8 * c->u, 3.5f * c->u, rgba_alpha(OI_VERMILLION, a));
	}
}

/* The busy lanes' counts, over the nodes. */
static void draw_bundle_labels(struct ctx *c)
{
	struct render_bundle bundles[64];
	size_t nb = render_layout_bundles(&c->l, c->s, c->f->selected, bundles, 64);
	for (size_t i = 0; i < nb && i < 64; i++)
		draw_bundle(c, &bundles[i], 1, true);
}

/* ---- Nodes ------------------------------------------------------------------------------ */
static void draw_node(struct ctx *c, unsigned i)
{
	float x, y, r;
	node_pos(c, i, &x, &y, &r);
	const struct raft_node *rn = sim_node(c->s, (uint8_t)i);
	bool up = sim_node_up(c->s, (uint8_t)i);
	enum raft_role role = raft_role(rn);
	struct rgba fill = node_color(c->s, i);
	struct rgba ink = C_INK;
	float u = c->u;

	if (c->f->selected == i) {
		render_gfx_ring(c->g, x, y, r + 13 * u, r + 19 * u, C_SELECT);
		render_gfx_ring(c->g, x, y, r + 18.5f * u, r + 20 * u, C_INK2);
		render_gfx_ring(c->g, x, y, r + 12 * u, r + 13.5f * u, C_INK2);
	} else if (c->f->hover_node == i) {
		render_gfx_ring(c->g, x, y, r + 13 * u, r + 18 * u, rgba_alpha(C_SELECT, 0.7f));
	}

	/* election timer: the arc left before the timeout fires */
	if (up && role != RAFT_LEADER) {
		int64_t total = raft_election_timeout_us(rn);
		int64_t left = raft_election_deadline_us(rn) - c->now;
		float frac = total > 0 ? (float)left / (float)total : 0;
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		render_gfx_ring(c->g, x, y, r + 5 * u, r + 11 * u, RGBA(228, 228, 222, 255));
		struct rgba tc = frac < 0.2f ? OI_VERMILLION : RGBA(112, 124, 140, 255);
		render_gfx_arc(c->g, x, y, r + 5 * u, r + 11 * u, 0, 2 * PI_F * frac, tc);
	}

	/* the disc: its shape tells the role as much as its colour */
	render_shape_role(c->g, render_role_look_of(c->s, i), x, y, r, false, false);
	struct rgba tc = up ? render_gfx_text_on(fill) : RGBA(60, 60, 60, 255);
	char name[16], term[32];
	snprintf(name, sizeof name, "n%u", i);
	snprintf(term, sizeof term, "term %llu", (unsigned long long)raft_term(rn));
	int name_px = c->l.name_px, term_px = (int)lroundf(r * 0.30f);
	if (term_px < 9)
		term_px = 9;
	if (!up) {
		/* the X passes behind the name, which stays readable */
		float nw = (float)render_gfx_text_w(c->g, name_px, true, name) + 2 * u;
		float nh = (float)render_gfx_line_h(c->g, name_px, true) * 0.8f;
		render_gfx_round_rect(c->g, x - nw / 2, y - r * 0.14f - nh / 2, nw, nh, nh / 3, fill);
	}
	render_gfx_text(c->g, name_px, true, tc, name, x, y - r * 0.14f, GFX_CENTER | GFX_MIDDLE);
	/* the term badge, in the term's own colour: the colour of its log cells */
	struct rgba tb = render_term_colour(raft_term(rn));
	float bw = (float)render_gfx_text_w(c->g, term_px, false, term) + 10 * u;
	float bh = (float)render_gfx_line_h(c->g, term_px, false) + 1 * u, by = y + r * 0.42f;
	render_gfx_round_rect(c->g, x - bw / 2 - 1.2f * u, by - bh / 2 - 1.2f * u, bw + 2.4f * u,
	                      bh + 2.4f * u, bh / 2 + 1.2f * u, up ? ink : RGBA(120, 120, 120, 255));
	render_gfx_round_rect(c->g, x - bw / 2, by - bh / 2, bw, bh, bh / 2, tb);
	render_gfx_text(c->g, term_px, false, render_gfx_text_on(tb), term, x, by,
	                GFX_CENTER | GFX_MIDDLE);

	/* label under the node */
	float ly = y + r + 20 * u;
	const char *label = !up                       ? "CRASHED"
	                    : role == RAFT_LEADER     ? "LEADER"
	                    : role == RAFT_CANDIDATE  ? "candidate"
	                    : role == RAFT_PRECANDIDATE ? "pre-candidate"
	                                              : "follower";
	int lpx = px(c, c->n > 9 ? 13 : 16);
	struct rgba lc = !up ? C_INK2 : role == RAFT_LEADER ? OI_BLUE
	                 : role == RAFT_CANDIDATE           ? RGBA(160, 100, 0, 255)
	                 : role == RAFT_PRECANDIDATE        ? RGBA(0, 110, 80, 255)
	                                                    : C_INK2;
	/* in a big ring "follower" under every node is noise: the default
	 * needs no label, the others always have one */
	if (role != RAFT_FOLLOWER || !up || c->n <= 6) {
		/* a soft backdrop keeps it readable over passing messages */
		bool bold = role != RAFT_FOLLOWER || !up;
		float tw = (float)render_gfx_text_w(c->g, lpx, bold, label);
		float th = (float)render_gfx_line_h(c->g, lpx, bold);
		render_gfx_round_rect(c->g, x - tw / 2 - 4 * u, ly, tw + 8 * u, th, th / 3,
		                      rgba_alpha(C_BG, 0.85f));
	}
	if (role != RAFT_FOLLOWER || !up || c->n <= 6)
		render_gfx_text(c->g, lpx, role != RAFT_FOLLOWER || !up, lc, label, x, ly,
		         GFX_CENTER | GFX_TOP);

	/* a candidate's votes (a pre-candidate's pre-votes): one pip per node,
	 * filled when granted */
	if (up && (role == RAFT_CANDIDATE || role == RAFT_PRECANDIDATE)) {
		float pr = (c->n > 9 ? 4.0f : 6.0f) * u, sp = pr * 2.6f;
		float py = ly + (float)render_gfx_line_h(c->g, lpx, true) + pr + 2 * u;
		char votes[32];
		snprintf(votes, sizeof votes, "%u/%u", raft_votes(rn), c->n / 2 + 1);
		int vp = px(c, c->n > 9 ? 11 : 14);
		float vw = (float)render_gfx_text_w(c->g, vp, true, votes) + 6 * u;
		float px0 = x - (sp * (float)(c->n - 1) + vw) / 2;
		render_gfx_text(c->g, vp, true, RGBA(160, 100, 0, 255), votes,
		         px0 + sp * (float)(c->n - 1) + pr + 6 * u, py, GFX_LEFT | GFX_MIDDLE);
		for (unsigned v = 1; v <= c->n; v++) {
			float vx = px0 + sp * (float)(v - 1);
			if (raft_vote_granted_by(rn, (uint8_t)v)) {
				render_gfx_disc(c->g, vx, py, pr + 1.2f * u, ink);
				render_gfx_disc(c->g, vx, py, pr, OI_ORANGE);
			} else {
				render_gfx_ring(c->g, vx, py, pr - 1.5f * u, pr, C_INK3);
			}
		}
	}
}

#define LEGEND_ROWS RENDER_MSG_KINDS

/* The message legend as a column (the help overlay). */
static void draw_legend_at(struct ctx *c, float x, float y)
{
	float u = c->u;
	int tp = px(c, 13);
	float lh = 21 * u;
	for (size_t i = 0; i < LEGEND_ROWS; i++) {
		render_shape_msg(c->g, (enum render_msg_kind)i, 1, x + 11 * u, y + lh * (float)i + lh / 2,
		                 u * 0.72f, 1, false);
		render_gfx_text(c->g, tp, false, C_INK2, render_msg_kind_label((enum render_msg_kind)i),
		                x + 28 * u,
		         y + lh * (float)i + lh / 2, GFX_LEFT | GFX_MIDDLE);
	}
	float yy = y + lh * (float)LEGEND_ROWS + lh / 2;
	render_gfx_cross(c->g, x + 11 * u, yy, 6 * u, 3 * u, OI_VERMILLION);
	render_gfx_text(c->g, tp, false, C_INK2, "message lost", x + 28 * u, yy, GFX_LEFT | GFX_MIDDLE);
}

/* Kinds a..b-1 of the legend strip (and "lost"), as one row: its width, or
 * drawn from x when draw is set.  Neighbours with the same short form (a
 * granted and a denied vote) share one label after both their shapes. */
static float legend_row(struct ctx *c, size_t a, size_t b, bool lost, float x, float y, int tp,
                        float icon, float gap, float k, bool draw)
{
	float u = c->u, x0 = x;
	for (size_t i = a; i < b; i++) {
		const char *brief = render_msg_kind_brief((enum render_msg_kind)i);
		if (draw)
			render_shape_msg(c->g, (enum render_msg_kind)i, 1, x + 10 * u * k, y, u * k * 0.78f, 1,
			                 false);
		if (i + 1 < b && !strcmp(brief, render_msg_kind_brief((enum render_msg_kind)(i + 1)))) {
			x += icon - 3 * u; /* the next shape, then the shared label */
			continue;
		}
		if (draw)
			x += icon + render_gfx_text(c->g, tp, false, C_INK2, brief, x + icon, y,
			                            GFX_LEFT | GFX_MIDDLE);
		else
			x += icon + (float)render_gfx_text_w(c->g, tp, false, brief);
		if (i + 1 < b || lost)
			x += gap;
	}
	if (lost) {
		if (draw) {
			render_gfx_cross(c->g, x + 8 * u * k, y, 6 * u * k, 3 * u * k, OI_VERMILLION);
			render_gfx_text(c->g, tp, false, C_INK2, "lost", x + icon, y, GFX_LEFT | GFX_MIDDLE);
		}
		x += icon + (float)render_gfx_text_w(c->g, tp, false, "lost");
	}
	return x - x0;
}

/* The message legend along the top of the cluster area: one strip at the
 * largest text that fits; in small windows two, requests (and losses)
 * above replies.  The kinds come in the enum's order, requests first. */
static void draw_legend(struct ctx *c)
{
	const struct render_rect *cl = &c->l.cluster;
	float u = c->u, y = (float)cl->y + 14 * u, cx = (float)cl->x + (float)cl->w / 2;
	float gap = 10 * u, icon = 25 * u;
	float avail = (float)cl->w - 24 * u;
	size_t split = RENDER_MSG_VOTE_GRANTED; /* the first reply */
	int tp = c->l.legend_px;
	float w = legend_row(c, 0, LEGEND_ROWS, true, 0, 0, tp, icon, gap, 1, false);
	if (w <= avail) {
		legend_row(c, 0, LEGEND_ROWS, true, cx - w / 2, y + 8 * u, tp, icon, gap, 1, true);
		return;
	}
	/* two rows, requests (and losses) above replies, at the same size
	 * unless even that does not fit */
	float k = 1.0f;
	for (float size = 16; size >= 9; size -= 1) {
		tp = px(c, size);
		float w1 = legend_row(c, 0, split, true, 0, 0, tp, icon, gap, k, false);
		float w2 = legend_row(c, split, LEGEND_ROWS, false, 0, 0, tp, icon, gap, k, false);
		if (fmaxf(w1, w2) <= avail)
			break;
	}
	float w1 = legend_row(c, 0, split, true, 0, 0, tp, icon, gap, k, false);
	float w2 = legend_row(c, split, LEGEND_ROWS, false, 0, 0, tp, icon, gap, k, false);
	y -= 2 * u;
	legend_row(c, 0, split, true, cx - w1 / 2, y, tp, icon, gap, k, true);
	legend_row(c, split, LEGEND_ROWS, false, cx - w2 / 2, y + 22 * u, tp, icon, gap, k, true);
}

/* The largest size from hi down to lo at which s fits max_w (lo if none). */
static int shrink_to_fit(struct ctx *c, const char *s, float hi, float lo, float max_w)
{
	for (float size = hi; size > lo; size -= 1) {
		int p = px(c, size);
		if ((float)render_gfx_text_w(c->g, p, true, s) <= max_w)
			return p;
	}
	return px(c, lo);
}

/* ---- Log panel ------------------------------------------------------------------------------ */
/* A node's compacted prefix (indices first..mem_first-1 of the view) as one
 * block, "snapshot ≤ N"; when it is scrolled out of view to the left, a
 * narrow tab before the row's first cell says a snapshot is there. */
static void draw_log_snapshot(struct ctx *c, const struct raft_node *rn, bool up, uint64_t first,
                              uint64_t mem_first, float cx0, float ry, float gap)
{
	const struct render_layout *l = &c->l;
	float u = c->u, ch = (float)l->log_cell_h;
	struct rgba fill = C_PANEL2, edge = C_INK2;
	char label[48], tag[40];
	unsigned long long snap = (unsigned long long)raft_snapshot_index(rn);
	if (mem_first <= first) {
		float tw = 6 * u, tx = cx0 - tw - gap;
		render_gfx_round_rect(c->g, tx - 1.5f * u, ry - 1.5f * u, tw + 3 * u, ch + 3 * u, 2.5f * u,
		                      edge);
		render_gfx_round_rect(c->g, tx, ry, tw, ch, 1.5f * u, fill);
		return;
	}
	uint64_t end = mem_first - 1; /* the last compacted index in view */
	if (end >= first + l->log_cells)
		end = first + l->log_cells - 1;
	float step = (float)l->log_cell_w + gap;
	float x = cx0, w = (float)(end - first) * step + (float)l->log_cell_w;
	render_gfx_round_rect(c->g, x, ry, w, ch, 4 * u, edge);
	render_gfx_round_rect(c->g, x + 2 * u, ry + 2 * u, w - 4 * u, ch - 4 * u, 3 * u, fill);
	snprintf(label, sizeof label, "snapshot ≤ %llu", snap);
	size_t keys = raft_snapshot_count(rn);
	snprintf(tag, sizeof tag, "t%llu · %zu key%s", (unsigned long long)raft_snapshot_term(rn), keys,
	         keys == 1 ? "" : "s");
	bool two = ch >= 28 * u;
	float tx = x + w / 2, ty = two ? ry + ch - 3 * u : ry + ch / 2;
	int align = GFX_CENTER | (two ? GFX_BOTTOM : GFX_MIDDLE);
	int lp = px(c, 14);
	if ((float)render_gfx_text_w(c->g, lp, true, label) > w - 10 * u)
		snprintf(label, sizeof label, "≤ %llu", snap); /* one cell: the tag says what it is */
	lp = shrink_to_fit(c, label, 14, 10, w - 8 * u);
	render_gfx_text_fit(c->g, lp, true, C_INK, label, tx, ty, align, w - 8 * u);
	if (two) {
		if ((float)render_gfx_text_w(c->g, px(c, 11), false, tag) > w - 8 * u)
			snprintf(tag, sizeof tag, "snapshot");
		render_gfx_text_fit(c->g, px(c, 11), false, C_INK2, tag, x + 5 * u, ry + 2 * u, GFX_LEFT,
		                    w - 8 * u);
	}
	if (!up)
		render_gfx_round_rect(c->g, x, ry, w, ch, 4 * u, rgba_alpha(C_PANEL, 0.55f));
}

/* A rectangle's outline in dashes of width t inside its edge: the
 * ghost's rim, told from a hollow uncommitted cell by its shape. */
static void dashed_box(struct ctx *c, float x, float y, float w, float h, float t, struct rgba col)
{
	float d = 7 * c->u, g = 4 * c->u, o = t / 2;
	render_gfx_dashed_line(c->g, x, y + o, x + w, y + o, t, d, g, col);
	render_gfx_dashed_line(c->g, x, y + h - o, x + w, y + h - o, t, d, g, col);
	render_gfx_dashed_line(c->g, x + o, y, x + o, y + h, t, d, g, col);
	render_gfx_dashed_line(c->g, x + w - o, y, x + w - o, y + h, t, d, g, col);
}

/* Entries node i rolled back a moment ago: each a ghost over its old cell,
 * its command struck through, fading out over the second half of the
 * ghost's time.  What took its place shows through as it fades. */
static void draw_log_ghosts(struct ctx *c, unsigned i, uint64_t first, float cx0, float ry,
                            float gap)
{
	const struct render_layout *l = &c->l;
	float u = c->u, w = (float)l->log_cell_w, ch = (float)l->log_cell_h;
	int64_t span = c->f->ghost_us > 0 ? c->f->ghost_us : RENDER_GHOST_US;
	for (size_t k = 0; k < c->f->n_rollbacks; k++) {
		const struct render_rollback *rb = &c->f->rollbacks[k];
		int64_t age = c->now - rb->time_us;
		if (rb->node != i || age < 0 || age >= span || rb->index < first ||
		    rb->index >= first + l->log_cells)
			continue;
		float a = age < span / 2 ? 1.0f : 2.0f * (1.0f - (float)age / (float)span);
		float x = cx0 + (float)(rb->index - first) * ((float)l->log_cell_w + gap);
		struct rgba red = OI_VERMILLION;
		render_gfx_rect(c->g, x, ry, w, ch, rgba_alpha(RGBA(236, 236, 232, 255), a));
		dashed_box(c, x, ry, w, ch, 3 * u, rgba_alpha(red, a));
		char tl[24];
		snprintf(tl, sizeof tl, "t%llu", (unsigned long long)rb->term);
		const char *label = rb->cmd[0] ? rb->cmd : "·";
		struct rgba ink = rgba_alpha(C_INK2, a);
		float ty, tw;
		int cp;
		if (ch >= 28 * u) {
			render_gfx_text(c->g, px(c, 11), false, ink, tl, x + 4 * u, ry + 1 * u, GFX_LEFT);
			cp = shrink_to_fit(c, label, 15, 14, w - 6 * u);
			ty = ry + ch * 0.56f;
		} else {
			cp = shrink_to_fit(c, label, 13, 9, w - 4 * u);
			ty = ry + ch / 2;
		}
		render_gfx_text_fit(c->g, cp, true, ink, label, x + w / 2, ty, GFX_CENTER | GFX_MIDDLE,
		                    w - 6 * u);
		/* struck through */
		tw = fminf((float)render_gfx_text_w(c->g, cp, true, label), w - 6 * u);
		float sy = ty + (float)render_gfx_line_h(c->g, cp, true) * 0.1f; /* mid x-height */
		render_gfx_line(c->g, x + w / 2 - tw / 2 - 2 * u, sy, x + w / 2 + tw / 2 + 2 * u, sy,
		                2.5f * u, rgba_alpha(red, a));
	}
}

static void draw_log(struct ctx *c)
{
	const struct render_layout *l = &c->l;
	const struct render_rect *p = &l->log;
	float u = c->u;
	render_gfx_round_rect(c->g, (float)p->x, (float)p->y, (float)p->w, (float)p->h, 10 * u, C_PANEL);
	float x0 = (float)p->x + 12 * u, y0 = (float)p->y + 7 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, "Logs", x0, y0, GFX_LEFT);

	/* the legend, right of the title */
	int lp = px(c, 12);
	float lx = x0 + 56 * u, ly = y0 + 10 * u, sq = 12 * u;
	struct rgba tc = render_term_colour(1);
	render_gfx_rect(c->g, lx, ly - sq / 2, sq, sq, tc);
	lx += sq + 4 * u;
	lx += render_gfx_text(c->g, lp, false, C_INK2, "committed", lx, ly, GFX_LEFT | GFX_MIDDLE) + 10 * u;
	render_gfx_rect(c->g, lx, ly - sq / 2, sq, sq, C_WHITE);
	render_gfx_rect_outline(c->g, lx, ly - sq / 2, sq, sq, 2.5f * u, rgba_shade(tc, 0.45f));
	lx += sq + 4 * u;
	lx += render_gfx_text(c->g, lp, false, C_INK2, "not yet", lx, ly, GFX_LEFT | GFX_MIDDLE) + 10 * u;
	render_gfx_rect(c->g, lx, ly - sq / 2 - 2 * u, 4 * u, sq + 4 * u, C_INK);
	lx += 8 * u;
	lx += render_gfx_text(c->g, lp, false, C_INK2, "commitIndex", lx, ly, GFX_LEFT | GFX_MIDDLE) + 10 * u;
	render_gfx_triangle(c->g, lx + 6 * u, ly - 6 * u, lx + 12 * u, ly + 5 * u, lx, ly + 5 * u, OI_BLUE);
	lx += 16 * u;
	lx += render_gfx_text(c->g, lp, false, C_INK2, "next", lx, ly, GFX_LEFT | GFX_MIDDLE) + 10 * u;
	render_gfx_rect(c->g, lx, ly + 2 * u, 16 * u, 4 * u, OI_BLUE);
	lx += 20 * u;
	lx += render_gfx_text(c->g, lp, false, C_INK2, "match", lx, ly, GFX_LEFT | GFX_MIDDLE) + 10 * u;
	/* a rolled-back entry: a dashed rim, struck through */
	dashed_box(c, lx, ly - sq / 2 - 1 * u, sq + 6 * u, sq + 2 * u, 2 * u, OI_VERMILLION);
	render_gfx_line(c->g, lx + 2 * u, ly, lx + sq + 4 * u, ly, 2 * u, OI_VERMILLION);
	lx += sq + 10 * u;
	render_gfx_text(c->g, lp, false, C_INK2, "rolled back", lx, ly, GFX_LEFT | GFX_MIDDLE);

	uint64_t first = render_layout_log_first(l, c->s);
	int gap = (int)lroundf(4 * u);
	float cx0 = (float)(p->x + l->log_label_w);
	float hy = (float)(p->y + l->log_header_h) - 3 * u;
	/* index numbers */
	for (unsigned k = 0; k < l->log_cells; k++) {
		char num[24];
		snprintf(num, sizeof num, "%llu", (unsigned long long)(first + k));
		render_gfx_text(c->g, px(c, 12), false, C_INK3, num,
		         cx0 + (float)(k * (unsigned)(l->log_cell_w + gap)) + (float)l->log_cell_w / 2,
		         hy, GFX_CENTER | GFX_BOTTOM);
	}
	if (first > 1) {
		char more[32];
		snprintf(more, sizeof more, "◀ %llu", (unsigned long long)(first - 1));
		render_gfx_text(c->g, px(c, 12), false, C_INK3, more, cx0 - 6 * u, hy,
		         GFX_RIGHT | GFX_BOTTOM);
	}

	for (unsigned i = 1; i <= c->n; i++) {
		const struct raft_node *rn = sim_node(c->s, (uint8_t)i);
		bool up = sim_node_up(c->s, (uint8_t)i);
		float ry = (float)(p->y + l->log_header_h + (int)(i - 1) * l->log_row_h);
		if (c->f->selected == i)
			render_gfx_round_rect(c->g, (float)p->x + 4 * u, ry - 2 * u, (float)p->w - 8 * u,
			               (float)l->log_row_h, 6 * u, rgba_alpha(C_SELECT, 0.45f));
		float ch = (float)l->log_cell_h;
		/* name and role chip */
		float chip = fminf(ch * 0.28f, 8 * u);
		role_chip(c, i, (float)p->x + 14 * u + chip, ry + ch / 2, chip + 1.2f * u);
		char name[8];
		snprintf(name, sizeof name, "n%u", i);
		int npx = px(c, l->log_row_h < 30 * u ? 13 : 17);
		render_gfx_text(c->g, npx, true, up ? C_INK : C_INK3, name, (float)p->x + 20 * u + 2 * chip,
		         ry + ch / 2, GFX_LEFT | GFX_MIDDLE);

		uint64_t last = raft_last_index(rn), commit = raft_commit_index(rn);
		/* entries before raft_log_first() live only in the snapshot */
		uint64_t mem_first = raft_log_first(rn);
		if (mem_first > 1)
			draw_log_snapshot(c, rn, up, first, mem_first, cx0, ry, (float)gap);
		for (unsigned k = 0; k < l->log_cells; k++) {
			uint64_t idx = first + k;
			float x = cx0 + (float)(k * (unsigned)(l->log_cell_w + gap));
			float w = (float)l->log_cell_w;
			if (idx < mem_first)
				continue;
			if (idx > last) {
				render_gfx_rect_outline(c->g, x, ry, w, ch, 1.0f * u, RGBA(214, 214, 208, 255));
				continue;
			}
			const struct raft_entry *e = raft_entry_at(rn, idx);
			uint64_t et = e ? e->term : 0;
			struct rgba col = render_term_colour(et);
			bool committed = idx <= commit;
			struct rgba text;
			if (committed) {
				render_gfx_rect(c->g, x, ry, w, ch, col);
				text = render_gfx_text_on(col);
			} else {
				render_gfx_rect(c->g, x, ry, w, ch, C_WHITE);
				/* hollow: what is not committed has only an outline */
				render_gfx_rect_outline(c->g, x, ry, w, ch, 3.5f * u, rgba_shade(col, 0.45f));
				text = C_INK;
			}
			if (!up)
				render_gfx_rect(c->g, x, ry, w, ch, rgba_alpha(C_PANEL, 0.55f));
			char cmd[RAFT_CMD_MAX + 1] = "";
			if (e && e->len)
				snprintf(cmd, sizeof cmd, "%.*s", (int)e->len, e->cmd);
			char tl[24];
			snprintf(tl, sizeof tl, "t%llu", (unsigned long long)et);
			const char *label = cmd[0] ? cmd : "·";
			if (ch >= 28 * u) {
				render_gfx_text(c->g, px(c, 11), false, text, tl, x + 4 * u, ry + 1 * u, GFX_LEFT);
				int cp = shrink_to_fit(c, label, 15, 14, w - 6 * u);
				render_gfx_text_fit(c->g, cp, true, text, label, x + w / 2, ry + ch - 2 * u,
				             GFX_CENTER | GFX_BOTTOM, w - 6 * u);
			} else {
				int cp = shrink_to_fit(c, cmd[0] ? cmd : tl, 13, 9, w - 4 * u);
				render_gfx_text_fit(c->g, cp, true, text, cmd[0] ? cmd : tl, x + w / 2, ry + ch / 2,
				             GFX_CENTER | GFX_MIDDLE, w - 4 * u);
			}
		}
		/* commitIndex: a bar after the last committed cell (a crashed
		 * node has none: it is volatile) */
		if (!up)
			;
		else if (commit >= first && commit < first + l->log_cells) {
			float bx = cx0 + (float)((commit - first + 1) * (uint64_t)(l->log_cell_w + gap)) -
			           (float)gap / 2;
			render_gfx_rect(c->g, bx - 2.5f * u, ry - 3 * u, 5 * u, ch + 6 * u, C_INK);
		} else if (commit >= first + l->log_cells) {
			float bx = cx0 + (float)(l->log_cells * (unsigned)(l->log_cell_w + gap));
			render_gfx_rect(c->g, bx - 2.5f * u, ry - 3 * u, 5 * u, ch + 6 * u, C_INK);
		}

		draw_log_ghosts(c, i, first, cx0, ry, (float)gap);

		/* the leader's view of this follower */
		if (c->leader && c->leader != i) {
			const struct raft_node *ln = sim_node(c->s, c->leader);
			uint64_t next = raft_next_index(ln, (uint8_t)i);
			uint64_t match = raft_match_index(ln, (uint8_t)i);
			float sy = ry + ch + 2 * u, sh = (float)l->log_row_h - ch - 3 * u;
			if (match >= first) {
				uint64_t m_end = match < first + l->log_cells ? match : first + l->log_cells - 1;
				float mx1 = cx0 + (float)((m_end - first + 1) * (uint64_t)(l->log_cell_w + gap)) -
				            (float)gap;
				render_gfx_rect(c->g, cx0, sy + 1 * u, mx1 - cx0, fmaxf(3 * u, sh * 0.28f), OI_BLUE);
			}
			if (next >= first && next < first + l->log_cells) {
				float nx = cx0 + (float)((next - first) * (uint64_t)(l->log_cell_w + gap)) +
				           (float)l->log_cell_w / 2;
				/* a small arrow pointing up into the cell it names */
				float th = fminf(fmaxf(sh * 0.75f, 5 * u), 9 * u);
				render_gfx_triangle(c->g, nx, sy - 1 * u, nx + th * 0.8f, sy + th, nx - th * 0.8f,
				             sy + th, OI_BLUE);
			}
		}
	}
}

/* ---- Details panel ------------------------------------------------------------------------- */
static float stat(struct ctx *c, float x, float y, const char *label, const char *value)
{
	render_gfx_text(c->g, px(c, 14), false, C_INK2, label, x, y, GFX_LEFT);
	float w1 = (float)render_gfx_text_w(c->g, px(c, 14), false, label);
	float w2 = render_gfx_text(c->g, px(c, 22), true, C_INK, value, x, y + 17 * c->u, GFX_LEFT);
	return fmaxf(w1, w2) + 22 * c->u;
}

/* A volatile value (commitIndex, lastApplied): "—" while the node is
 * crashed, for a crash loses it. */
static void volatile_value(const struct raft_node *rn, bool up, uint64_t v, char *buf, size_t cap)
{
	(void)rn;
	if (up)
		snprintf(buf, cap, "%llu", (unsigned long long)v);
	else
		snprintf(buf, cap, "—");
}

/* The header's word on leadership: the stable leader, and every other
 * node that believes it leads (a star is drawn on each). */
size_t render_leader_summary(const struct sim *s, char *buf, size_t cap)
{
	uint8_t stable = sim_stable_leader(s);
	unsigned n = sim_n_nodes(s), k = 0;
	char others[160] = "";
	size_t len = 0;
	for (unsigned i = 1; i <= n; i++) {
		const struct raft_node *rn = sim_node(s, (uint8_t)i);
		if (i == stable || !sim_node_up(s, (uint8_t)i) || raft_role(rn) != RAFT_LEADER)
			continue;
		k++;
		if (len < sizeof others) {
			int w = snprintf(others + len, sizeof others - len, "%sn%u term %llu",
			                 k > 1 ? ", " : "", i, (unsigned long long)raft_term(rn));
			if (w > 0)
				len += (size_t)w;
		}
	}
	int w;
	if (stable && !k)
		w = snprintf(buf, cap, "leader n%u", stable);
	else if (stable)
		w = snprintf(buf, cap, "leader n%u (term %llu); %s still believe%s %s lead%s (%s)",
		             stable, (unsigned long long)raft_term(sim_node(s, stable)),
		             k == 1 ? "1 more" : "more", k == 1 ? "s" : "", k == 1 ? "it" : "they",
		             k == 1 ? "s" : "", others);
	else if (k == 1)
		w = snprintf(buf, cap, "no stable leader; 1 node believes it leads (%s)", others);
	else if (k)
		w = snprintf(buf, cap, "%u nodes believe they lead (%s)", k, others);
	else
		w = snprintf(buf, cap, "no leader");
	return w > 0 ? (size_t)w : 0;
}

/* With no node selected: one row per node, the state a teacher points at. */
static void draw_cluster_table(struct ctx *c, float x, float y, float maxw, float bottom)
{
	float u = c->u;
	char buf[400], v[224];
	const struct sim_counters *k = sim_counters(c->s);
	render_leader_summary(c->s, v, sizeof v);
	if (strchr(v, '('))
		/* more than one node believes it leads: that is the headline */
		snprintf(buf, sizeof buf, "Cluster · %s", v);
	else
		snprintf(buf, sizeof buf, "Cluster · %s · %zu message%s in flight · %llu election%s", v,
		         sim_msgs_in_flight(c->s), sim_msgs_in_flight(c->s) == 1 ? "" : "s",
		         (unsigned long long)k->elections, k->elections == 1 ? "" : "s");
	render_gfx_text_fit(c->g, shrink_to_fit(c, buf, 17, 13, maxw), true, C_INK, buf, x, y,
	                    GFX_LEFT, maxw);
	y += 28 * u;
	static const char *const head[] = {"node", "role", "term", "votedFor", "log",
	                                   "commit", "applied", "timeout in"};
	static const float colx[] = {0, 62, 168, 222, 300, 356, 422, 492};
	float sc = fminf(1.0f, maxw / (560 * u));
	int hp = px(c, 14);
	for (size_t i = 0; i < 8; i++)
		render_gfx_text(c->g, hp, false, C_INK2, head[i], x + colx[i] * u * sc, y, GFX_LEFT);
	y += 18 * u;
	float avail = bottom - y;
	float lh = fminf(24 * u, avail / (float)c->n);
	if (lh < 13 * u) {
		render_gfx_text(c->g, hp, false, C_INK2, "(select a node for its details)", x, y, GFX_LEFT);
		return;
	}
	int tp = lh >= 22 * u ? c->l.details_px : px(c, lh >= 17 * u ? 13 : 11);
	for (unsigned i = 1; i <= c->n; i++) {
		const struct raft_node *rn = sim_node(c->s, (uint8_t)i);
		bool up = sim_node_up(c->s, (uint8_t)i);
		enum raft_role role = raft_role(rn);
		float ry = y + lh * (float)(i - 1), mid = ry + lh / 2;
		if (i % 2 == 0)
			render_gfx_rect(c->g, x - 4 * u, ry, maxw + 8 * u, lh, RGBA(229, 229, 223, 255));
		struct rgba ink = up ? C_INK : C_INK3;
		float chip = fminf(lh * 0.28f, 7 * u);
		role_chip(c, i, x + chip + 1 * u, mid, chip + 1.2f * u);
		snprintf(buf, sizeof buf, "n%u", i);
		render_gfx_text(c->g, tp, true, ink, buf, x + 2 * chip + 8 * u, mid, GFX_LEFT | GFX_MIDDLE);
		const char *rname = up ? raft_role_name(role) : "crashed";
		render_gfx_text_fit(c->g, tp, role == RAFT_LEADER && up, ink, rname, x + colx[1] * u * sc,
		                    mid, GFX_LEFT | GFX_MIDDLE, (colx[2] - colx[1] - 6) * u * sc);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)raft_term(rn));
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[2] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
		uint8_t vf = raft_voted_for(rn);
		snprintf(buf, sizeof buf, vf ? "n%u" : "—", vf);
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[3] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
		snprintf(buf, sizeof buf, "%llu", (unsigned long long)raft_last_index(rn));
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[4] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
		volatile_value(rn, up, raft_commit_index(rn), buf, sizeof buf);
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[5] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
		volatile_value(rn, up, raft_last_applied(rn), buf, sizeof buf);
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[6] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
		if (up && role != RAFT_LEADER)
			fmt_dur(raft_election_deadline_us(rn) - c->now, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "—");
		render_gfx_text(c->g, tp, false, ink, buf, x + colx[7] * u * sc, mid, GFX_LEFT | GFX_MIDDLE);
	}
}

/* Keys in natural order: v2 before v10. */
static int cmp_entry(const void *a, const void *b)
{
	const struct raft_entry *x = *(const struct raft_entry *const *)a;
	const struct raft_entry *y = *(const struct raft_entry *const *)b;
	size_t i = 0, j = 0;
	while (i < x->len && j < y->len) {
		char p = x->cmd[i], q = y->cmd[j];
		if (p >= '0' && p <= '9' && q >= '0' && q <= '9') {
			unsigned long long u = 0, v = 0;
			while (i < x->len && x->cmd[i] >= '0' && x->cmd[i] <= '9')
				u = u * 10 + (unsigned)(x->cmd[i++] - '0');
			while (j < y->len && y->cmd[j] >= '0' && y->cmd[j] <= '9')
				v = v * 10 + (unsigned)(y->cmd[j++] - '0');
			if (u != v)
				return u < v ? -1 : 1;
			continue;
		}
		if (p != q)
			return (unsigned char)p < (unsigned char)q ? -1 : 1;
		i++;
		j++;
	}
	return (int)(x->len - i) - (int)(y->len - j);
}

static void draw_details(struct ctx *c)
{
	const struct render_rect *p = &c->l.details;
	if (p->h < 40 * c->u)
		return;
	float u = c->u;
	render_gfx_round_rect(c->g, (float)p->x, (float)p->y, (float)p->w, (float)p->h, 10 * u, C_PANEL);
	float x = (float)p->x + 12 * u, y = (float)p->y + 8 * u, maxw = (float)p->w - 24 * u;
	float bottom = (float)(p->y + p->h) - 6 * u;
	char buf[256], v[64];
	unsigned sel = c->f->selected;
	if (sel < 1 || sel > c->n) {
		draw_cluster_table(c, x, y, maxw, bottom);
		return;
	}
	const struct raft_node *rn = sim_node(c->s, (uint8_t)sel);
	bool up = sim_node_up(c->s, (uint8_t)sel);
	enum raft_role role = raft_role(rn);
	role_chip(c, sel, x + 9 * u, y + 11 * u, 10 * u);
	if (up)
		snprintf(buf, sizeof buf, "n%u · %s · term %llu", sel, raft_role_name(role),
		         (unsigned long long)raft_term(rn));
	else
		snprintf(buf, sizeof buf, "n%u · crashed · term %llu (on disk)", sel,
		         (unsigned long long)raft_term(rn));
	render_gfx_text_fit(c->g, px(c, 17), true, C_INK, buf, x + 26 * u, y + 11 * u,
	             GFX_LEFT | GFX_MIDDLE, maxw - 26 * u);
	y += 30 * u;
	float sx = x;
	uint8_t vf = raft_voted_for(rn);
	if (vf)
		snprintf(v, sizeof v, "n%u", vf);
	else
		snprintf(v, sizeof v, "—");
	sx += stat(c, sx, y, "votedFor", v);
	/* volatile state dies with the process: a crashed node has none */
	volatile_value(rn, up, raft_commit_index(rn), v, sizeof v);
	sx += stat(c, sx, y, "commitIndex", v);
	volatile_value(rn, up, raft_last_applied(rn), v, sizeof v);
	sx += stat(c, sx, y, "lastApplied", v);
	snprintf(v, sizeof v, "%llu", (unsigned long long)raft_last_index(rn));
	sx += stat(c, sx, y, "log length", v);
	if (up && role != RAFT_LEADER) {
		fmt_dur(raft_election_deadline_us(rn) - c->now, v, sizeof v);
		sx += stat(c, sx, y, "timeout in", v);
	}
	if (up && (role == RAFT_CANDIDATE || role == RAFT_PRECANDIDATE)) {
		snprintf(v, sizeof v, "%u/%u", raft_votes(rn), c->n / 2 + 1);
		stat(c, sx, y, role == RAFT_CANDIDATE ? "votes / needed" : "pre-votes / needed", v);
	}
	y += 54 * u;
	int sp = c->l.details_px;
	float lh = 22 * u;
	if (raft_snapshot_index(rn) && y + lh < bottom) {
		/* log compaction: what the snapshot covers, what is left in memory */
		size_t keys = raft_snapshot_count(rn);
		uint64_t mf = raft_log_first(rn), last = raft_last_index(rn);
		char mem[64];
		if (mf <= last)
			snprintf(mem, sizeof mem, "the log holds %llu..%llu", (unsigned long long)mf,
			         (unsigned long long)last);
		else
			snprintf(mem, sizeof mem, "the log is empty after it");
		snprintf(buf, sizeof buf, "snapshot ≤ %llu (term %llu, %zu key%s) · %s",
		         (unsigned long long)raft_snapshot_index(rn),
		         (unsigned long long)raft_snapshot_term(rn), keys, keys == 1 ? "" : "s", mem);
		float r = 7 * u;
		render_gfx_round_rect(c->g, x, y + 1 * u, 2 * r + 3 * u, 2 * r + 3 * u, 3 * u, C_INK2);
		render_gfx_round_rect(c->g, x + 1.5f * u, y + 2.5f * u, 2 * r, 2 * r, 2 * u, C_PANEL2);
		render_gfx_text_fit(c->g, sp, true, C_INK, buf, x + 2 * r + 10 * u, y + r + 2.5f * u,
		                    GFX_LEFT | GFX_MIDDLE, maxw - 2 * r - 10 * u);
		y += lh + 8 * u;
	}
	if (!up && y + lh < bottom) {
		render_gfx_text_wrap(c->g, sp, false, C_INK2,
		                     "Kept on disk: currentTerm, votedFor and the log. Gone with the "
		                     "process: commitIndex, lastApplied, nextIndex / matchIndex and the "
		                     "key-value map (rebuilt from the log after a restart).",
		                     x, y, maxw, (int)((bottom - y) / lh), lh, true);
		return;
	}
	if (up && role == RAFT_LEADER && y + lh < bottom) {
		render_gfx_text(c->g, px(c, 14), false, C_INK2, "per follower: nextIndex / matchIndex", x, y,
		         GFX_LEFT);
		y += 19 * u;
		float colw = 118 * u, cx = x;
		for (unsigned i = 1; i <= c->n; i++) {
			if (i == sel)
				continue;
			if (cx + colw > x + maxw + 1) {
				cx = x;
				y += lh;
			}
			if (y + lh > bottom)
				break;
			snprintf(buf, sizeof buf, "n%u  %llu / %llu", i,
			         (unsigned long long)raft_next_index(rn, (uint8_t)i),
			         (unsigned long long)raft_match_index(rn, (uint8_t)i));
			render_gfx_text(c->g, sp, false, C_INK, buf, cx, y, GFX_LEFT);
			cx += colw;
		}
		y += lh + 6 * u;
	}
	if (y + lh < bottom) {
		size_t nk = raft_map_count(rn);
		snprintf(buf, sizeof buf, "key-value map (%zu key%s)", nk, nk == 1 ? "" : "s");
		render_gfx_text(c->g, px(c, 14), false, C_INK2, buf, x, y, GFX_LEFT);
		y += 19 * u;
		char kv[1024];
		size_t len = 0;
		kv[0] = '\0';
		/* sorted by key, the first few dozen */
		const struct raft_entry *keys[48];
		size_t nkeys = 0, capn = raft_map_capacity(rn);
		for (size_t i = 0; i < capn && nkeys < 48; i++) {
			const struct raft_entry *e = raft_map_at(rn, i);
			if (e)
				keys[nkeys++] = e;
		}
		qsort(keys, nkeys, sizeof keys[0], cmp_entry);
		for (size_t i = 0; i < nkeys && len + 40 < sizeof kv; i++) {
			int n = snprintf(kv + len, sizeof kv - len, "%s%.*s", len ? "   " : "",
			                 (int)keys[i]->len, keys[i]->cmd);
			if (n > 0)
				len += (size_t)n;
		}
		if (!len)
			snprintf(kv, sizeof kv, "(empty: nothing applied yet)");
		int lines = (int)((bottom - y) / lh);
		if (lines > 0)
			render_gfx_text_wrap(c->g, sp, true, C_INK, kv, x, y, maxw, lines, lh, true);
	}
}

/* ---- Timeline ------------------------------------------------------------------------------- */
static void draw_timeline(struct ctx *c)
{
	const struct render_layout *l = &c->l;
	const struct render_rect *t = &l->timeline;
	float u = c->u;
	render_gfx_rect(c->g, (float)t->x, (float)t->y, (float)t->w, (float)t->h, C_PANEL);
	render_gfx_rect(c->g, (float)t->x, (float)t->y, (float)t->w, 1.5f * u, C_PANEL2);

	/* play / pause button */
	const struct render_rect *b = &l->play;
	float bx = (float)b->x + (float)b->w / 2, by = (float)b->y + (float)b->h / 2,
	      br = (float)b->w / 2;
	render_gfx_disc(c->g, bx, by, br, c->f->at_pause ? OI_ORANGE : C_INK);
	if (c->f->playing) {
		render_gfx_rect(c->g, bx - br * 0.36f, by - br * 0.4f, br * 0.24f, br * 0.8f, C_WHITE);
		render_gfx_rect(c->g, bx + br * 0.12f, by - br * 0.4f, br * 0.24f, br * 0.8f, C_WHITE);
	} else {
		render_gfx_triangle(c->g, bx - br * 0.3f, by - br * 0.45f, bx + br * 0.5f, by,
		             bx - br * 0.3f, by + br * 0.45f, C_WHITE);
	}

	char buf[96], sp[48];
	float tx = (float)(b->x + b->w) + 14 * u;
	fmt_secs(c->now, buf, sizeof buf);
	render_gfx_text(c->g, px(c, 22), true, C_INK, buf, tx, by - 2 * u, GFX_LEFT | GFX_BOTTOM);
	double speed = c->f->speed > 0 ? c->f->speed : 0;
	if (c->f->pace_auto && speed > 0)
		render_pace_text(true, speed, sp, sizeof sp); /* "auto (1/40 now)" */
	else if (speed >= 1)
		snprintf(sp, sizeof sp, "real time");
	else if (speed > 0)
		snprintf(sp, sizeof sp, "speed 1/%.0f", 1.0 / speed);
	else
		sp[0] = '\0';
	const char *state = c->f->at_pause  ? "paused by the script"
	                    : c->f->playing ? "playing"
	                    : c->f->interactive ? "paused"
	                                        : "";
	snprintf(buf, sizeof buf, "%s%s%s", state, *state && *sp ? " · " : "", sp);
	render_gfx_text(c->g, px(c, 13), false, c->f->at_pause ? RGBA(160, 100, 0, 255) : C_INK2, buf, tx,
	         by + 2 * u, GFX_LEFT | GFX_TOP);

	/* the bar */
	const struct render_rect *r = &l->bar;
	int64_t end = c->f->timeline_end_us > 0 ? c->f->timeline_end_us
	                                        : render_timeline_span(c->now, c->now);
	float ry = (float)r->y, rh = (float)r->h;
	float track_y = ry + rh * 0.35f, track_h = rh * 0.34f;
	render_gfx_round_rect(c->g, (float)r->x, track_y, (float)r->w, track_h, track_h / 2, C_PANEL2);
	float nx = render_layout_time_x(l, c->now, end);
	render_gfx_round_rect(c->g, (float)r->x, track_y, nx - (float)r->x, track_h, track_h / 2,
	               rgba_tint(OI_SKY, 0.35f));
	/* markers: one per pixel column and kind */
	float last_x[RENDER_MK_KINDS];
	for (int k = 0; k < RENDER_MK_KINDS; k++)
		last_x[k] = -1e9f;
	for (size_t i = 0; i < c->f->n_markers; i++) {
		const struct render_marker *m = &c->f->markers[i];
		float mx = render_layout_time_x(l, m->time_us, end);
		if (m->kind < RENDER_MK_KINDS && mx - last_x[m->kind] < 2.5f * u)
			continue;
		if (m->kind < RENDER_MK_KINDS)
			last_x[m->kind] = mx;
		switch (m->kind) {
		case RENDER_MK_ELECTION:
			render_gfx_rect(c->g, mx - 1.2f * u, ry - 2 * u, 2.5f * u, rh * 0.38f, OI_ORANGE);
			break;
		case RENDER_MK_LEADER:
			render_gfx_star(c->g, mx, ry + 1 * u, 7 * u, 3 * u, 5, OI_BLUE);
			break;
		case RENDER_MK_CRASH:
			render_gfx_cross(c->g, mx, track_y + track_h / 2, 5 * u, 2.5f * u, C_INK);
			break;
		case RENDER_MK_RESTART:
			render_gfx_triangle(c->g, mx, track_y - 1 * u, mx + 5 * u, track_y + track_h + 1 * u,
			             mx - 5 * u, track_y + track_h + 1 * u, OI_GREEN);
			break;
		case RENDER_MK_NETWORK:
			render_gfx_rect(c->g, mx - 1.5f * u, track_y - 3 * u, 3 * u, track_h + 6 * u, OI_VERMILLION);
			break;
		case RENDER_MK_HEAL:
			render_gfx_rect(c->g, mx - 1.5f * u, track_y - 3 * u, 3 * u, track_h + 6 * u, OI_GREEN);
			break;
		case RENDER_MK_COMMIT:
			render_gfx_disc(c->g, mx, ry + rh - 1 * u, 2.2f * u, OI_GREEN);
			break;
		case RENDER_MK_VIOLATION:
			render_gfx_cross(c->g, mx, track_y + track_h / 2, 7 * u, 3 * u, OI_VERMILLION);
			break;
		case RENDER_MK_SNAPSHOT: /* the InstallSnapshot page, small */
			render_shape_msg(c->g, RENDER_MSG_SNAPSHOT, 0, mx, ry + 1 * u, u * 0.55f, 1, false);
			break;
		default:
			break;
		}
	}
	/* the playhead */
	render_gfx_rect(c->g, nx - 1.5f * u, ry - 4 * u, 3 * u, rh + 8 * u, C_INK);
	render_gfx_disc(c->g, nx, track_y + track_h / 2, 6.5f * u, C_INK);
	/* scale */
	fmt_dur(end, buf, sizeof buf);
	render_gfx_text(c->g, px(c, 11), false, C_INK3, "0", (float)r->x, ry + rh + 1 * u, GFX_LEFT);
	render_gfx_text(c->g, px(c, 11), false, C_INK3, buf, (float)(r->x + r->w), ry + rh + 1 * u,
	         GFX_RIGHT);
	if (c->f->interactive)
		render_gfx_text(c->g, px(c, 15), true, C_INK2, "? help", (float)(t->x + t->w) - 12 * u,
		         by, GFX_RIGHT | GFX_MIDDLE);
	else
		render_gfx_text(c->g, px(c, 12), false, C_INK3, "raftsim", (float)(t->x + t->w) - 12 * u, by,
		         GFX_RIGHT | GFX_MIDDLE);
}

/* ---- Overlays ------------------------------------------------------------------------------ */
static void draw_banner(struct ctx *c, const char *s, struct rgba bg)
{
	const struct render_rect *cl = &c->l.cluster;
	float u = c->u, w = (float)cl->w - 40 * u;
	int p = px(c, 15);
	float h = (float)render_gfx_line_h(c->g, p, true) * 2 + 12 * u;
	float x = (float)cl->x + 20 * u, y = (float)(cl->y + cl->h) - h - 10 * u;
	render_gfx_round_rect(c->g, x, y, w, h, 8 * u, bg);
	render_gfx_text_wrap(c->g, p, true, C_WHITE, s, x + 12 * u, y + 6 * u, w - 24 * u, 2,
	              (float)render_gfx_line_h(c->g, p, true), true);
}

static void draw_menu(struct ctx *c)
{
	const struct render_layout *l = &c->l;
	struct render_rect r = render_menu_rect(l, c->f->menu_x, c->f->menu_y, c->f->menu_n);
	float u = c->u, ih = 38 * u, pad = 6 * u;
	render_gfx_round_rect(c->g, (float)r.x + 3 * u, (float)r.y + 4 * u, (float)r.w, (float)r.h, 8 * u,
	               RGBA(0, 0, 0, 60));
	render_gfx_round_rect(c->g, (float)r.x, (float)r.y, (float)r.w, (float)r.h, 8 * u, C_WHITE);
	render_gfx_rect_outline(c->g, (float)r.x, (float)r.y, (float)r.w, (float)r.h, 1, C_LINE);
	for (size_t i = 0; i < c->f->menu_n; i++) {
		float y = (float)r.y + pad + ih * (float)i;
		if ((int)i == c->f->menu_hover)
			render_gfx_round_rect(c->g, (float)r.x + 4 * u, y, (float)r.w - 8 * u, ih, 6 * u,
			               rgba_tint(OI_SKY, 0.5f));
		render_gfx_text_fit(c->g, px(c, 16), false, C_INK, c->f->menu_items[i].label,
		             (float)r.x + 14 * u, y + ih / 2, GFX_LEFT | GFX_MIDDLE, (float)r.w - 64 * u);
		float kx = (float)(r.x + r.w) - 30 * u;
		render_gfx_round_rect(c->g, kx - 11 * u, y + ih / 2 - 12 * u, 24 * u, 24 * u, 5 * u, C_PANEL2);
		render_gfx_text(c->g, px(c, 14), true, C_INK2, c->f->menu_items[i].key, kx + 1 * u,
		         y + ih / 2, GFX_CENTER | GFX_MIDDLE);
	}
}

static void draw_help(struct ctx *c)
{
	float u = c->u;
	render_gfx_rect(c->g, 0, 0, (float)c->l.w, (float)c->l.h, RGBA(10, 14, 20, 170));
	float w = fminf((float)c->l.w - 60 * u, 1100 * u), h = fminf((float)c->l.h - 40 * u, 640 * u);
	float x = ((float)c->l.w - w) / 2, y = ((float)c->l.h - h) / 2;
	render_gfx_round_rect(c->g, x, y, w, h, 14 * u, C_BG);
	render_gfx_text(c->g, px(c, 24), true, C_INK, "raftsim — controls", x + 28 * u, y + 18 * u,
	         GFX_LEFT);
	static const char *const keys[][2] = {
	    {"Space", "play / pause (also continues after a script pause)"},
	    {"→  ←", "step to the next event / back one event"},
	    {"PgDn  PgUp", "next / previous script pause (clicker)"},
	    {"B or .", "blank the picture (again: back)"},
	    {"N", "run to the next leader change"},
	    {"+  −", "fixed speed: faster / slower (real time … 1/1000)"},
	    {"A", "auto pace: slow motion while votes, entries fly"},
	    {"click node", "select it (details panel)"},
	    {"right-click node", "menu: crash, restart, timeout, isolate, put"},
	    {"c r t i p", "the same, on the selected node"},
	    {"click link", "cut / mend it both ways"},
	    {"shift-click link", "cut one way: toward the nearer node"},
	    {"H", "heal every link"},
	    {"C", "client request to the leader (x=1, y=2, …)"},
	    {"click timeline", "seek (drag to scrub)"},
	    {"R", "back to the script (forget your actions)"},
	    {"O", "open another lesson (a list, or type a path)"},
	    {"S", "save a PNG screenshot"},
	    {"Ctrl+S", "save the session as a replayable .scn"},
	    {"L   F", "message legend on / off · full screen (F11)"},
	    {"? or h", "this help;  Esc closes"},
	    {"q   Q", "quit (asks if actions are unsaved) / quit at once"},
	};
	size_t n = sizeof keys / sizeof keys[0];
	float ky = y + 62 * u, lh = fminf(29 * u, (h - 96 * u) / (float)n);
	int kp = px(c, 16);
	if (lh < 22 * u)
		kp = px(c, 13);
	for (size_t i = 0; i < n; i++) {
		render_gfx_text(c->g, kp, true, C_INK, keys[i][0], x + 28 * u, ky + lh * (float)i, GFX_LEFT);
		render_gfx_text_fit(c->g, kp, false, C_INK2, keys[i][1], x + 210 * u, ky + lh * (float)i,
		             GFX_LEFT, w * 0.58f - 210 * u);
	}
	/* what the shapes mean */
	float lx = x + w * 0.60f, ly = y + 70 * u, r = 17 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, "Nodes", lx, ly - 10 * u, GFX_LEFT | GFX_BOTTOM);
	for (int i = 0; i < RENDER_ROLE_LOOKS; i++) {
		float cy = ly + r + (float)i * 46 * u;
		render_shape_role(c->g, (enum render_role_look)i, lx + r, cy, r, false, false);
		render_gfx_text(c->g, px(c, 14), false, C_INK2,
		                render_role_look_label((enum render_role_look)i), lx + 2 * r + 12 * u, cy,
		                GFX_LEFT | GFX_MIDDLE);
	}
	float ay = ly + RENDER_ROLE_LOOKS * 46 * u + 8 * u;
	render_gfx_ring(c->g, lx + r, ay, r - 6 * u, r, RGBA(222, 222, 216, 255));
	render_gfx_arc(c->g, lx + r, ay, r - 6 * u, r, 0, 4.2f, C_INK2);
	render_gfx_text(c->g, px(c, 14), false, C_INK2, "arc: time left to election timeout",
	         lx + 2 * r + 12 * u, ay, GFX_LEFT | GFX_MIDDLE);
	float my = ay + 40 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, "Links", lx, my, GFX_LEFT);
	my += 32 * u;
	render_gfx_dashed_line(c->g, lx, my, lx + 60 * u, my, 3.5f * u, 10 * u, 6 * u, OI_VERMILLION);
	render_gfx_text(c->g, px(c, 14), false, C_INK2, "cut (arrow: one way only)", lx + 72 * u, my,
	         GFX_LEFT | GFX_MIDDLE);
	my += 26 * u;
	render_gfx_line(c->g, lx, my, lx + 60 * u, my, 4 * u, OI_GREEN);
	render_gfx_text(c->g, px(c, 14), false, C_INK2, "just mended", lx + 72 * u, my,
	         GFX_LEFT | GFX_MIDDLE);
	my += 26 * u;
	if (my + 26 * u + 21 * u * (float)(LEGEND_ROWS + 1) + 20 * u < y + h) {
		render_gfx_text(c->g, px(c, 17), true, C_INK, "Messages", lx, my, GFX_LEFT);
		draw_legend_at(c, lx - 4 * u, my + 26 * u);
	}
	render_gfx_text_wrap(c->g, px(c, 12), false, C_INK3,
	                     "×40 entries: a busy lane's messages, bundled (select a node to see its "
	                     "own). A dashed, struck-through log cell: an entry just rolled back.",
	                     x + 28 * u, y + h - 60 * u, w * 0.58f - 40 * u, 2, 15 * u, true);
	render_gfx_text_fit(c->g, px(c, 12), false, C_INK3, "Every kind has its own shape; colour (Okabe–Ito) names the family: orange elections, blue the log, yellow snapshots; lavender shades are terms",
	         x + 28 * u, y + h - 14 * u, GFX_LEFT | GFX_BOTTOM, w - 56 * u);
}

/* ---- The frame ------------------------------------------------------------------------------- */
static uint8_t pick_leader(const struct sim *s)
{
	uint8_t l = sim_stable_leader(s);
	if (l)
		return l;
	uint64_t best = 0;
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		if (sim_node_up(s, (uint8_t)i) && raft_role(n) == RAFT_LEADER && raft_term(n) >= best) {
			best = raft_term(n);
			l = (uint8_t)i;
		}
	}
	return l;
}

void render_draw(struct render_gfx *g, const struct render_frame *f, int w, int h)
{
	struct ctx c = {.g = g, .f = f, .s = f->sim};
	unsigned n = sim_n_nodes(f->sim);
	render_layout_compute(&c.l, w, h, n);
	c.l.log_follow = f->selected;
	render_layout_fit_log(&c.l, f->sim);
	c.u = c.l.u;
	c.now = sim_now_us(f->sim);
	c.n = n > RENDER_NODES_MAX ? RENDER_NODES_MAX : n;
	c.leader = pick_leader(f->sim);
	render_gfx_begin(g, C_BG);
	draw_links(&c);
	draw_messages(&c);
	for (unsigned i = 1; i <= c.n; i++)
		draw_node(&c, i);
	draw_link_labels(&c);
	draw_bundle_labels(&c);
	draw_link_hint(&c);
	if (!f->help && !f->hide_legend)
		draw_legend(&c);
	draw_log(&c);
	draw_details(&c);
	draw_caption(&c);
	draw_timeline(&c);
	if (f->banner && *f->banner)
		draw_banner(&c, f->banner, RGBA(180, 50, 20, 240));
	if (f->toast && *f->toast) {
		const struct render_rect *cl = &c.l.cluster;
		(void)cl;
		pill_text(&c, f->toast, c.l.ring_cx, c.l.ring_cy, RGBA(27, 36, 48, 235), C_WHITE,
		          px(&c, 16));
	}
	if (f->menu_open && f->menu_n)
		draw_menu(&c);
	if (f->help)
		draw_help(&c);
	render_gfx_end(g);
}

void render_frame_from_history(struct render_frame *f, const struct render_history *h)
{
	const struct scn_runner *r = render_history_runner(h);
	f->sim = render_history_sim(h);
	f->title = scn_runner_title(r);
	f->say = scn_runner_say(r);
	f->event = render_history_caption(h);
	f->event_kind = render_history_caption_kind(h);
	f->n_events = render_history_event_lines(h, &f->events);
	f->n_rollbacks = render_history_rollbacks(h, &f->rollbacks);
	f->n_markers = render_history_markers(h, &f->markers);
	f->timeline_end_us =
	    render_timeline_span(render_history_end_us(h), render_history_now_us(h));
	const char *err = render_history_error(h);
	f->banner = err && *err ? err : NULL;
	f->at_pause = render_history_at_pause(h);
}
