/* draw_overlays.c - what is drawn over or around the panels: the caption band, the message legend, the banner, the node menu and the help. */
#include "draw_internal.h"
#include "i18n.h"

/* ---- Caption ------------------------------------------------------------------------ */
void render_draw_caption(struct render_dc *c)
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
		render_gfx_text(c->g, say_px, false, C_CAPDIM, _("Press Space to play · ? for help"), x, y,
		         GFX_LEFT);
	else if (c->f->title && *c->f->title)
		render_gfx_text_wrap(c->g, say_px, true, C_CAPDIM, c->f->title, x, y, maxw, 2, lh, true);
	float ey = (float)(r->y + r->h) - 8 * c->u;
	if (c->f->at_pause && c->f->interactive) {
		/* the script is waiting for the teacher: say so where they read */
		const char *msg = _("❚❚ paused by the script · press Space");
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

#define LEGEND_ROWS RENDER_MSG_KINDS

/* The message legend as a column (the help overlay). */
void render_draw_legend_at(struct render_dc *c, float x, float y)
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
	render_gfx_text(c->g, tp, false, C_INK2, _("message lost"), x + 28 * u, yy, GFX_LEFT | GFX_MIDDLE);
}

/* Kinds a..b-1 of the legend strip (and _("lost")), as one row: its width, or
 * drawn from x when draw is set.  Neighbours with the same short form (a
 * granted and a denied vote) share one label after both their shapes. */
static float legend_row(struct render_dc *c, size_t a, size_t b, bool lost, float x, float y, int tp,
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
			render_gfx_text(c->g, tp, false, C_INK2, _("lost"), x + icon, y, GFX_LEFT | GFX_MIDDLE);
		}
		x += icon + (float)render_gfx_text_w(c->g, tp, false, _("lost"));
	}
	return x - x0;
}

/* The message legend along the top of the cluster area: one strip at the
 * largest text that fits; in small windows two, requests (and losses)
 * above replies.  The kinds come in the enum's order, requests first. */
void render_draw_legend(struct render_dc *c)
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

/* ---- Overlays ------------------------------------------------------------------------------ */
void render_draw_banner(struct render_dc *c, const char *s, struct rgba bg)
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

void render_draw_menu(struct render_dc *c)
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

void render_draw_help(struct render_dc *c)
{
	float u = c->u;
	render_gfx_rect(c->g, 0, 0, (float)c->l.w, (float)c->l.h, RGBA(10, 14, 20, 170));
	float w = fminf((float)c->l.w - 60 * u, 1100 * u), h = fminf((float)c->l.h - 40 * u, 640 * u);
	float x = ((float)c->l.w - w) / 2, y = ((float)c->l.h - h) / 2;
	render_gfx_round_rect(c->g, x, y, w, h, 14 * u, C_BG);
	render_gfx_text(c->g, px(c, 24), true, C_INK, _("raftsim — controls"), x + 28 * u, y + 18 * u,
	         GFX_LEFT);
	static const char *const keys[][2] = {
	    {"Space", N_("play / pause (also continues after a script pause)")},
	    {"→  ←", N_("step to the next event / back one event")},
	    {"PgDn  PgUp", N_("next / previous script pause (clicker)")},
	    {N_("B or ."), N_("blank the picture (again: back)")},
	    {"N", N_("run to the next leader change")},
	    {"+  −", N_("fixed speed: faster / slower (real time … 1/1000)")},
	    {"A", N_("auto pace: slow motion while votes, entries fly")},
	    {N_("click node"), N_("select it (details panel)")},
	    {N_("right-click node"), N_("menu: crash, restart, timeout, isolate, put")},
	    {"c r t i p", N_("the same, on the selected node")},
	    {N_("click link"), N_("cut / mend it both ways")},
	    {N_("shift-click link"), N_("cut one way: toward the nearer node")},
	    {"H", N_("heal every link")},
	    {"C", N_("client request to the leader (x=1, y=2, …)")},
	    {N_("click timeline"), N_("seek (drag to scrub)")},
	    {"D", N_("space-time diagram on / off (a click on it seeks there)")},
	    {N_("click message"), N_("its fields;  X drop · U duplicate · [ ] delay / hurry")},
	    {"E", N_("what can happen next: pick one to make it happen first")},
	    {"R", N_("back to the script (forget your actions)")},
	    {"O", N_("open another lesson (a list, or type a path)")},
	    {"S", N_("save a PNG screenshot")},
	    {"Ctrl+S", N_("save the session as a replayable .scn")},
	    {"L   F", N_("message legend on / off · full screen (F11)")},
	    {N_("? or h"), N_("this help;  Esc closes")},
	    {"q   Q", N_("quit (asks if actions are unsaved) / quit at once")},
	};
	size_t n = sizeof keys / sizeof keys[0];
	/* the rows end above the two notes at the bottom */
	float ky = y + 62 * u, lh = fminf(29 * u, (h - 140 * u) / (float)n);
	int kp = px(c, 16);
	if (lh < 22 * u)
		kp = px(c, 13);
	for (size_t i = 0; i < n; i++) {
		render_gfx_text(c->g, kp, true, C_INK, _(keys[i][0]), x + 28 * u, ky + lh * (float)i, GFX_LEFT);
		render_gfx_text_fit(c->g, kp, false, C_INK2, _(keys[i][1]), x + 210 * u, ky + lh * (float)i,
		             GFX_LEFT, w * 0.58f - 210 * u);
	}
	/* what the shapes mean */
	float lx = x + w * 0.60f, ly = y + 70 * u, r = 17 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, _("Nodes"), lx, ly - 10 * u, GFX_LEFT | GFX_BOTTOM);
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
	render_gfx_text(c->g, px(c, 14), false, C_INK2, _("arc: time left to election timeout"),
	         lx + 2 * r + 12 * u, ay, GFX_LEFT | GFX_MIDDLE);
	float my = ay + 40 * u;
	render_gfx_text(c->g, px(c, 17), true, C_INK, _("Links"), lx, my, GFX_LEFT);
	my += 32 * u;
	render_gfx_dashed_line(c->g, lx, my, lx + 60 * u, my, 3.5f * u, 10 * u, 6 * u, OI_VERMILLION);
	render_gfx_text(c->g, px(c, 14), false, C_INK2, _("cut (arrow: one way only)"), lx + 72 * u, my,
	         GFX_LEFT | GFX_MIDDLE);
	my += 26 * u;
	render_gfx_line(c->g, lx, my, lx + 60 * u, my, 4 * u, OI_GREEN);
	render_gfx_text(c->g, px(c, 14), false, C_INK2, _("just mended"), lx + 72 * u, my,
	         GFX_LEFT | GFX_MIDDLE);
	my += 26 * u;
	if (my + 26 * u + 21 * u * (float)(LEGEND_ROWS + 1) + 20 * u < y + h) {
		render_gfx_text(c->g, px(c, 17), true, C_INK, _("Messages"), lx, my, GFX_LEFT);
		render_draw_legend_at(c, lx - 4 * u, my + 26 * u);
	}
	render_gfx_text_wrap(c->g, px(c, 12), false, C_INK3,
	                     _("×40 entries: a busy lane's messages, bundled (select a node to see its "
	                       "own). A dashed, struck-through log cell: an entry just rolled back."),
	                     x + 28 * u, y + h - 60 * u, w * 0.58f - 40 * u, 2, 15 * u, true);
	render_gfx_text_fit(c->g, px(c, 12), false, C_INK3, _("Every kind has its own shape; colour (Okabe–Ito) names the family: orange elections, blue the log, yellow snapshots; lavender shades are terms"),
	         x + 28 * u, y + h - 14 * u, GFX_LEFT | GFX_BOTTOM, w - 56 * u);
}

/* ---- The message inspector ------------------------------------------------------------------ */
/* The message type's name, from raft's vocabulary table. */
static const char *rpc_name(uint8_t type)
{
	const char *name = raft_msg_type_name((enum raft_msg_type)type);
	return name ? name : "message";
}

static const struct render_msgrec *find_rec(const struct render_frame *f, uint64_t id)
{
	const struct render_msgrec *m = render_msgrec_find(f->msgs, f->n_msgs, id);
	return m && m->send_seq <= f->seq ? m : NULL; /* sent by the frame's moment */
}

/* Up to 5 lines about message m as it stands at the frame's position. */
static size_t msg_lines(const struct render_frame *f, const struct render_msgrec *m,
                        char lines[][96])
{
	typedef unsigned long long ull;
	size_t n = 0;
	snprintf(lines[n++], 96, "#%llu %s%s \xc2\xb7 n%u \xe2\x86\x92 n%u", (ull)m->id,
	         rpc_name(m->type), m->duplicate ? " (a duplicate)" : "", m->from, m->to);
	switch ((enum raft_msg_type)m->type) {
	case RAFT_MSG_VOTE:
	case RAFT_MSG_PREVOTE: /* the term it would campaign in */
		snprintf(lines[n++], 96, "term %llu \xc2\xb7 lastLogIndex %llu \xc2\xb7 lastLogTerm %llu",
		         (ull)m->term, (ull)m->index, (ull)m->log_term);
		break;
	case RAFT_MSG_VOTE_REPLY:
	case RAFT_MSG_PREVOTE_REPLY:
		snprintf(lines[n++], 96, "term %llu \xc2\xb7 vote %s", (ull)m->term,
		         m->success ? "granted" : "refused");
		break;
	case RAFT_MSG_APPEND:
		snprintf(lines[n++], 96, "term %llu \xc2\xb7 prevLogIndex %llu \xc2\xb7 prevLogTerm %llu",
		         (ull)m->term, (ull)m->index, (ull)m->log_term);
		snprintf(lines[n++], 96, "%u entr%s \xc2\xb7 leaderCommit %llu", m->n_entries,
		         m->n_entries == 1 ? "y" : "ies", (ull)m->commit);
		break;
	case RAFT_MSG_APPEND_REPLY:
		if (m->success)
			snprintf(lines[n++], 96, "term %llu \xc2\xb7 success \xc2\xb7 matchIndex %llu",
			         (ull)m->term, (ull)m->commit);
		else
			snprintf(lines[n++], 96,
			         "term %llu \xc2\xb7 rejected \xc2\xb7 hint: try %llu (conflict term %llu)",
			         (ull)m->term, (ull)m->commit, (ull)m->conflict_term);
		break;
	case RAFT_MSG_SNAPSHOT:
		snprintf(lines[n++], 96,
		         "term %llu \xc2\xb7 lastIncludedIndex %llu \xc2\xb7 lastIncludedTerm %llu \xc2\xb7 "
		         "%u keys",
		         (ull)m->term, (ull)m->index, (ull)m->log_term, m->n_entries);
		break;	case RAFT_MSG_TIMEOUT_NOW:
		snprintf(lines[n++], 96, "term %llu \xc2\xb7 start an election now", (ull)m->term);
		break;
	}
	char a[32], b[32], e[32];
	fmt_secs(m->send_us, a, sizeof a);
	fmt_secs(render_msgrec_due_us(m, f->seq), b, sizeof b);
	snprintf(lines[n++], 96, "sent at %s \xc2\xb7 due at %s", a, b);
	bool ended = m->end != RENDER_END_FLYING && m->end_seq <= f->seq;
	fmt_secs(m->end_us, e, sizeof e);
	if (!ended)
		snprintf(lines[n++], 96, "in flight");
	else if (m->end == RENDER_END_DELIVERED)
		snprintf(lines[n++], 96, "delivered at %s", e);
	else
		snprintf(lines[n++], 96, "dropped at %s (%s)", e, m->why);
	return n;
}

void render_draw_msg_info(struct render_dc *c)
{
	const struct render_frame *f = c->f;
	uint64_t id = f->hover_msg ? f->hover_msg : f->sel_msg;
	const struct render_msgrec *m = id ? find_rec(f, id) : NULL;
	if (!m)
		return;
	char lines[6][96];
	size_t n = msg_lines(f, m, lines);
	float u = c->u;
	int tp = px(c, 14);
	float lh = (float)render_gfx_line_h(c->g, tp, false) + 2 * u;
	float w = 0;
	for (size_t i = 0; i < n; i++) {
		float lw = (float)render_gfx_text_w(c->g, tp, i == 0, lines[i]);
		w = lw > w ? lw : w;
	}
	/* over the oldest part of the diagram (its top), else over the details */
	bool diagram = c->l.diagram.w > 0;
	const struct render_rect *area = diagram ? &c->l.diagram : &c->l.details;
	w += 20 * u;
	if (w > (float)area->w - 8 * u)
		w = (float)area->w - 8 * u;
	float h = lh * (float)n + 14 * u;
	float x = (float)area->x + 4 * u,
	      y = (float)area->y + (diagram ? RENDER_DIAGRAM_HEAD * u : 4 * u);
	enum render_msg_kind k = render_msg_kind_of(m->type, m->success, m->n_entries);
	render_gfx_round_rect(c->g, x, y, w, h, 8 * u, RGBA(255, 255, 255, 240));
	render_gfx_rect_outline(c->g, x, y, w, h, 2 * u,
	                        k == RENDER_MSG_KINDS ? C_INK2 : render_msg_colour(k));
	for (size_t i = 0; i < n; i++)
		render_gfx_text_fit(c->g, tp, i == 0, i == 0 ? C_INK : C_INK2, lines[i], x + 10 * u,
		                    y + 7 * u + lh * (float)i, GFX_LEFT, w - 20 * u);
}
