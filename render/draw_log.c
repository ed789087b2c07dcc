/* draw_log.c - the log panel: one row of cells per node, commit and match marks, snapshots and rolled-back ghosts. */
#include "draw_internal.h"
#include "i18n.h"

/* ---- Log panel ------------------------------------------------------------------------------ */
/* A node's compacted prefix (indices first..mem_first-1 of the view) as one
 * block, "snapshot ≤ N"; when it is scrolled out of view to the left, a
 * narrow tab before the row's first cell says a snapshot is there. */
static void draw_log_snapshot(struct render_dc *c, const struct raft_node *rn, bool up, uint64_t first,
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
	snprintf(label, sizeof label, _("snapshot ≤ %llu"), snap);
	size_t keys = raft_snapshot_count(rn);
	snprintf(tag, sizeof tag, NG_("t%llu · %zu key", "t%llu · %zu keys", keys),
	         (unsigned long long)raft_snapshot_term(rn), keys);
	bool two = ch >= 28 * u;
	float tx = x + w / 2, ty = two ? ry + ch - 3 * u : ry + ch / 2;
	int align = GFX_CENTER | (two ? GFX_BOTTOM : GFX_MIDDLE);
	int lp = px(c, 14);
	if ((float)render_gfx_text_w(c->g, lp, true, label) > w - 10 * u)
		snprintf(label, sizeof label, "≤ %llu", snap); /* one cell: the tag says what it is */
	lp = render_dc_fit_px(c, label, 14, 10, w - 8 * u);
	render_gfx_text_fit(c->g, lp, true, C_INK, label, tx, ty, align, w - 8 * u);
	if (two) {
		if ((float)render_gfx_text_w(c->g, px(c, 11), false, tag) > w - 8 * u)
			snprintf(tag, sizeof tag, "%s", _("snapshot"));
		render_gfx_text_fit(c->g, px(c, 11), false, C_INK2, tag, x + 5 * u, ry + 2 * u, GFX_LEFT,
		                    w - 8 * u);
	}
	if (!up)
		render_gfx_round_rect(c->g, x, ry, w, ch, 4 * u, rgba_alpha(C_PANEL, 0.55f));
}

/* A rectangle's outline in dashes of width t inside its edge: the
 * ghost's rim, told from a hollow uncommitted cell by its shape. */
static void dashed_box(struct render_dc *c, float x, float y, float w, float h, float t, struct rgba col)
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
static void draw_log_ghosts(struct render_dc *c, unsigned i, uint64_t first, float cx0, float ry,
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
			cp = render_dc_fit_px(c, label, 15, 14, w - 6 * u);
			ty = ry + ch * 0.56f;
		} else {
			cp = render_dc_fit_px(c, label, 13, 9, w - 4 * u);
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

/* One label of the legend: its width, drawn when draw is set. */
static float legend_text(struct render_dc *c, int lp, const char *s, float x, float y, bool draw)
{
	if (draw)
		return render_gfx_text(c->g, lp, false, C_INK2, s, x, y, GFX_LEFT | GFX_MIDDLE);
	return (float)render_gfx_text_w(c->g, lp, false, s);
}

/* The log panel's legend from (lx, ly) at text size lp: its width, drawn
 * when draw is set. */
static float log_legend(struct render_dc *c, float lx, float ly, int lp, bool draw)
{
	float u = c->u, x0 = lx, sq = (float)lp;
	struct rgba tc = render_term_colour(1);
	if (draw)
		render_gfx_rect(c->g, lx, ly - sq / 2, sq, sq, tc);
	lx += sq + 4 * u;
	lx += legend_text(c, lp, _("committed"), lx, ly, draw) + 10 * u;
	if (draw) {
		render_gfx_rect(c->g, lx, ly - sq / 2, sq, sq, C_WHITE);
		render_gfx_rect_outline(c->g, lx, ly - sq / 2, sq, sq, 2.5f * u, rgba_shade(tc, 0.45f));
	}
	lx += sq + 4 * u;
	lx += legend_text(c, lp, _("not yet"), lx, ly, draw) + 10 * u;
	if (draw)
		render_gfx_rect(c->g, lx, ly - sq / 2 - 2 * u, 4 * u, sq + 4 * u, C_INK);
	lx += 8 * u;
	lx += legend_text(c, lp, _("commitIndex"), lx, ly, draw) + 10 * u;
	if (draw)
		render_gfx_triangle(c->g, lx + 6 * u, ly - 6 * u, lx + 12 * u, ly + 5 * u, lx, ly + 5 * u,
		                    OI_BLUE);
	lx += 16 * u;
	lx += legend_text(c, lp, _("next"), lx, ly, draw) + 10 * u;
	if (draw)
		render_gfx_rect(c->g, lx, ly + 2 * u, 16 * u, 4 * u, OI_BLUE);
	lx += 20 * u;
	lx += legend_text(c, lp, _("match"), lx, ly, draw) + 10 * u;
	/* a rolled-back entry: a dashed rim, struck through */
	if (draw) {
		dashed_box(c, lx, ly - sq / 2 - 1 * u, sq + 6 * u, sq + 2 * u, 2 * u, OI_VERMILLION);
		render_gfx_line(c->g, lx + 2 * u, ly, lx + sq + 4 * u, ly, 2 * u, OI_VERMILLION);
	}
	lx += sq + 10 * u;
	lx += legend_text(c, lp, _("rolled back"), lx, ly, draw);
	return lx - x0;
}

void render_draw_log(struct render_dc *c)
{
	const struct render_layout *l = &c->l;
	const struct render_rect *p = &l->log;
	float u = c->u;
	render_gfx_round_rect(c->g, (float)p->x, (float)p->y, (float)p->w, (float)p->h, 10 * u, C_PANEL);
	float x0 = (float)p->x + 12 * u, y0 = (float)p->y + 7 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, _("Logs"), x0, y0, GFX_LEFT);

	/* the legend, right of the title, at the largest size that fits */
	float lx = x0 + 56 * u, ly = y0 + 10 * u, room = (float)(p->x + p->w) - 8 * u - lx;
	int lp = px(c, 12);
	while (lp > 8 && log_legend(c, lx, ly, lp, false) > room)
		lp--;
	log_legend(c, lx, ly, lp, true);

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
			if (e && e->type == RAFT_ENTRY_CONFIG) {
				/* a configuration entry: a cell of its own, framed
				 * twice, named for what it is */
				float top = ch >= 28 * u ? 14 * u : 3 * u; /* below the term */
				render_gfx_rect_outline(c->g, x + 3 * u, ry + top, w - 6 * u, ch - top - 3 * u,
				                        2 * u, text);
				snprintf(cmd, sizeof cmd, "%s", _("config"));
			} else if (e && e->type == RAFT_ENTRY_NOOP) {
				snprintf(cmd, sizeof cmd, "%s", _("no-op"));
			} else if (e && e->len) {
				snprintf(cmd, sizeof cmd, "%.*s", (int)e->len, e->cmd);
			}
			char tl[24];
			snprintf(tl, sizeof tl, "t%llu", (unsigned long long)et);
			const char *label = cmd[0] ? cmd : "·";
			if (ch >= 28 * u) {
				render_gfx_text(c->g, px(c, 11), false, text, tl, x + 4 * u, ry + 1 * u, GFX_LEFT);
				int cp = render_dc_fit_px(c, label, 15, 14, w - 6 * u);
				render_gfx_text_fit(c->g, cp, true, text, label, x + w / 2, ry + ch - 2 * u,
				             GFX_CENTER | GFX_BOTTOM, w - 6 * u);
			} else {
				int cp = render_dc_fit_px(c, cmd[0] ? cmd : tl, 13, 9, w - 4 * u);
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
