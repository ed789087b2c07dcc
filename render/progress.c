/* progress.c - the window's progress indicator for a long move (seek, step back, leader search) done in slices between frames. */
#include "gfx.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int font_px(const struct render_layout *l, float size)
{
	int p = (int)lroundf(size * l->u);
	return p < 9 ? 9 : p;
}

static void time_text(int64_t t_us, char *buf, size_t cap)
{
	if (t_us < 1000000)
		snprintf(buf, cap, "%lld ms", (long long)(t_us / 1000));
	else
		snprintf(buf, cap, "%.1f s", (double)t_us / 1e6);
}

void render_draw_progress(struct render_gfx *g, const struct render_layout *l,
                          const struct render_move *m, int64_t timeline_end_us)
{
	if (m->kind == RENDER_MOVE_NONE)
		return;
	char when[32], line[96];
	time_text(m->target_us, when, sizeof when);
	unsigned pct = m->permille / 10;
	switch ((enum render_move_kind)m->kind) {
	case RENDER_MOVE_NONE:
		return;
	case RENDER_MOVE_SEEK:
		snprintf(line, sizeof line, _("Seeking to %s … %u%%"), when, pct);
		break;
	case RENDER_MOVE_STEP_BACK:
		snprintf(line, sizeof line, _("Stepping back … %u%%"), pct);
		break;
	case RENDER_MOVE_NEXT_LEADER:
		snprintf(line, sizeof line, _("Looking for a new leader (until %s) … %u%%"), when,
		         pct);
		break;
	case RENDER_MOVE_NEXT_PAUSE:
		snprintf(line, sizeof line, _("To the next pause … %u%%"), pct);
		break;
	case RENDER_MOVE_PREV_PAUSE:
		snprintf(line, sizeof line, _("Back to the pause … %u%%"), pct);
		break;
	}
	const char *hint = _("Esc stops here · click the timeline to go elsewhere");
	int big = font_px(l, 17), small = font_px(l, 12);
	float u = l->u;
	float w1 = (float)render_gfx_text_w(g, big, true, line);
	float w2 = (float)render_gfx_text_w(g, small, false, hint);
	float pw = (w1 > w2 ? w1 : w2) + 36 * u;
	float h1 = (float)render_gfx_line_h(g, big, true), h2 = (float)render_gfx_line_h(g, small, false);
	float bar_h = 6 * u, ph = h1 + h2 + bar_h + 30 * u;
	float cx = l->ring_cx, x = cx - pw / 2, y = l->ring_cy - ph / 2;
	render_gfx_round_rect(g, x, y, pw, ph, 10 * u, RGBA(27, 36, 48, 235));
	float ty = y + 9 * u;
	render_gfx_text(g, big, true, C_WHITE, line, cx, ty, GFX_CENTER | GFX_TOP);
	ty += h1 + 6 * u;
	/* the bar: how far along */
	float bx = x + 18 * u, bw = pw - 36 * u;
	render_gfx_round_rect(g, bx, ty, bw, bar_h, bar_h / 2, RGBA(80, 90, 104, 255));
	float done = bw * (float)(m->permille > 1000 ? 1000 : m->permille) / 1000.0f;
	if (done >= bar_h)
		render_gfx_round_rect(g, bx, ty, done, bar_h, bar_h / 2, OI_SKY);
	ty += bar_h + 6 * u;
	render_gfx_text(g, small, false, RGBA(200, 204, 212, 255), hint, cx, ty,
	                GFX_CENTER | GFX_TOP);
	/* where the seek is going, on the timeline */
	if (m->kind == RENDER_MOVE_SEEK && timeline_end_us > 0) {
		float tx = render_layout_time_x(l, m->target_us, timeline_end_us);
		float top = (float)l->bar.y - 4 * u, bot = (float)(l->bar.y + l->bar.h) + 4 * u;
		render_gfx_line(g, tx, top, tx, bot, 3 * u, OI_ORANGE);
		render_gfx_triangle(g, tx - 6 * u, top - 7 * u, tx + 6 * u, top - 7 * u, tx, top,
		                    OI_ORANGE);
	}
	render_gfx_end(g);
}

void render_draw_note(struct render_gfx *g, const struct render_layout *l, const char *text)
{
	if (!text || !*text)
		return;
	/* up to four lines, right-aligned in the corner under the legend strip,
	 * clear of the ring's top and right nodes */
	char lines[4][128];
	int n = 0;
	for (const char *p = text; *p && n < 4; n++) {
		size_t k = strcspn(p, "\n");
		snprintf(lines[n], sizeof lines[n], "%.*s", (int)(k < 127 ? k : 127), p);
		p += k;
		if (*p == '\n')
			p++;
	}
	int px = font_px(l, 13);
	float u = l->u, tw = 0;
	for (int i = 0; i < n; i++) {
		float w = (float)render_gfx_text_w(g, px, i == 0, lines[i]);
		tw = w > tw ? w : tw;
	}
	float lh = (float)render_gfx_line_h(g, px, false);
	float pw = tw + 20 * u, ph = lh * (float)n + 10 * u;
	float x = (float)(l->cluster.x + l->cluster.w) - pw - 10 * u, y = (float)l->cluster.y + 40 * u;
	render_gfx_round_rect(g, x, y, pw, ph, 6 * u, RGBA(255, 244, 214, 240));
	for (int i = 0; i < n; i++)
		render_gfx_text(g, px, i == 0, C_INK, lines[i], x + 10 * u, y + 5 * u + lh * (float)i,
		                GFX_TOP);
	render_gfx_end(g);
}

void render_draw_prompt(struct render_gfx *g, const struct render_layout *l, const char *text)
{
	if (!text || !*text)
		return;
	int px = font_px(l, 17);
	float u = l->u;
	float tw = (float)render_gfx_text_w(g, px, true, text);
	float th = (float)render_gfx_line_h(g, px, true);
	float pw = tw + 40 * u, ph = th + 22 * u;
	float cx = (float)l->w / 2, x = cx - pw / 2;
	float y = (float)l->timeline.y - ph - 12 * u;
	render_gfx_round_rect(g, x, y, pw, ph, 10 * u, RGBA(27, 36, 48, 240));
	render_gfx_text(g, px, true, C_WHITE, text, cx, y + 11 * u, GFX_CENTER | GFX_TOP);
	render_gfx_end(g);
}

/* ---- The lesson picker (O) ------------------------------------------------- */
struct picker_geom {
	float x, y, w, h;  /* the panel */
	float rows_y;      /* the first row's top */
	float row_h;
	size_t first, shown; /* the rows drawn: items first .. first+shown-1 */
};

static void picker_geom(const struct render_layout *l, size_t n, int sel, struct picker_geom *p)
{
	float u = l->u;
	p->w = fminf((float)l->w - 60 * u, 1100 * u);
	p->h = fminf((float)l->h - 40 * u, 660 * u);
	p->x = ((float)l->w - p->w) / 2;
	p->y = ((float)l->h - p->h) / 2;
	p->rows_y = p->y + 62 * u;
	p->row_h = 30 * u;
	float avail = p->h - 62 * u - 96 * u;
	size_t fit = avail > p->row_h ? (size_t)(avail / p->row_h) : 1;
	p->shown = n < fit ? n : fit;
	p->first = 0;
	if (sel >= 0 && (size_t)sel >= fit)
		p->first = (size_t)sel - fit + 1;
}

int render_picker_hit(const struct render_layout *l, size_t n, int sel, float x, float y)
{
	struct picker_geom p;
	picker_geom(l, n, sel, &p);
	if (x < p.x || x > p.x + p.w || y < p.rows_y)
		return -1;
	size_t r = (size_t)((y - p.rows_y) / p.row_h);
	if (r >= p.shown)
		return -1;
	return (int)(p.first + r);
}

/* The list of a picker: its box, heading and rows. */
static void picker_list(struct render_gfx *g, const struct render_layout *l,
                        const struct render_pick_item *items, size_t n, int sel,
                        const char *heading, struct picker_geom *out)
{
	struct picker_geom p;
	picker_geom(l, n, sel, &p);
	*out = p;
	float u = l->u;
	render_gfx_rect(g, 0, 0, (float)l->w, (float)l->h, RGBA(10, 14, 20, 170));
	render_gfx_round_rect(g, p.x, p.y, p.w, p.h, 14 * u, C_BG);
	render_gfx_text(g, font_px(l, 24), true, C_INK, heading, p.x + 28 * u, p.y + 18 * u,
	                GFX_LEFT);
	int tp = font_px(l, 16), np = font_px(l, 14);
	float tx = p.x + 28 * u, nx = p.x + p.w * 0.42f, right = p.x + p.w - 24 * u;
	for (size_t i = 0; i < p.shown; i++) {
		size_t k = p.first + i;
		float ry = p.rows_y + p.row_h * (float)i;
		if ((int)k == sel)
			render_gfx_round_rect(g, p.x + 14 * u, ry, p.w - 28 * u, p.row_h, 6 * u,
			                      RGBA(255, 236, 170, 255));
		float cy = ry + p.row_h / 2;
		const char *title = items[k].title[0] ? items[k].title : items[k].path;
		render_gfx_text_fit(g, tp, true, C_INK, title, tx, cy, GFX_LEFT | GFX_MIDDLE,
		                    nx - tx - 12 * u);
		render_gfx_text_fit(g, np, false, C_INK2, items[k].first, nx, cy, GFX_LEFT | GFX_MIDDLE,
		                    right - nx);
	}
}

void render_draw_next_picker(struct render_gfx *g, const struct render_layout *l,
                             const struct render_pick_item *items, size_t n, int sel)
{
	struct picker_geom p;
	picker_list(g, l, items, n, sel, _("What can happen next"), &p);
	float u = l->u;
	const char *hint = n ? _("↑ ↓ choose · Enter or a click makes it happen now, before the rest · Esc closes")
	                     : _("Nothing is due: no message in flight, no timer running · Esc closes");
	render_gfx_text(g, font_px(l, 14), false, C_INK2, hint, p.x + 28 * u, p.y + p.h - 46 * u,
	                GFX_LEFT | GFX_TOP);
	render_gfx_end(g);
}

void render_draw_picker(struct render_gfx *g, const struct render_layout *l,
                        const struct render_pick_item *items, size_t n, int sel, const char *typed,
                        const char *note)
{
	struct picker_geom p;
	picker_list(g, l, items, n, sel, _("Open a lesson"), &p);
	float u = l->u;
	int tp = font_px(l, 16), np = font_px(l, 14);
	float tx = p.x + 28 * u, right = p.x + p.w - 24 * u;
	/* the path typed in, and how to use the picker */
	float by = p.y + p.h - 90 * u;
	char line[600];
	snprintf(line, sizeof line, _("Or type a .scn path: %s_"), typed ? typed : "");
	render_gfx_round_rect(g, p.x + 14 * u, by, p.w - 28 * u, 32 * u, 6 * u,
	                      RGBA(232, 234, 238, 255));
	render_gfx_text_fit(g, tp, false, C_INK, line, tx, by + 16 * u, GFX_LEFT | GFX_MIDDLE,
	                    p.w - 56 * u);
	const char *hint = _("↑ ↓ choose · Enter or a click opens it in this window · Esc closes");
	render_gfx_text(g, np, false, C_INK2, hint, tx, by + 44 * u, GFX_LEFT | GFX_TOP);
	if (note && *note)
		render_gfx_text_fit(g, np, true, RGBA(160, 60, 0, 255), note, right, p.y + 26 * u,
		                    GFX_RIGHT | GFX_TOP, p.w * 0.5f);
	render_gfx_end(g);
}
