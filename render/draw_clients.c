/* draw_clients.c - the client timeline panel (K): one row per client request, each operation a bar from its invocation to its completion, fault bands behind, the checker's verdict on top. */
#include "draw_internal.h"
#include "i18n.h"

/* Outcome first by texture, then by colour: solid (answered), hollow and
 * open toward now (waiting), hatched (outcome unknown); a thick vermillion
 * frame for the operations the checker cannot order. */
#define C_OK RGBA(0, 128, 94, 255) /* Okabe-Ito green, darker: white text reads on it */
#define C_WAIT OI_BLUE
#define C_UNKNOWN OI_ORANGE
#define C_BAD OI_VERMILLION

/* ---- Fault bands ------------------------------------------------------------------- */
static void crash_band(struct render_dc *c, const struct render_clients_view *v, unsigned node,
                       int64_t from, int64_t to, int *lane)
{
	float u = c->u, top = (float)v->area.y, h = (float)v->area.h;
	if (to <= v->t0_us)
		return;
	float x0 = render_clients_x(v, from), x1 = render_clients_x(v, to);
	render_gfx_rect(c->g, x0, top, fmaxf(x1 - x0, 2 * u), h, RGBA(200, 200, 200, 150));
	char lb[32];
	snprintf(lb, sizeof lb, _("n%u down"), node);
	render_gfx_rect(c->g, x0, top - 14 * u, 2 * u, 14 * u, C_INK3);
	render_gfx_text(c->g, px(c, 11), true, C_INK2, lb, x0 + 4 * u, top - 2 * u,
	                GFX_LEFT | GFX_BOTTOM);
	(*lane)++;
}

static void cut_band(struct render_dc *c, const struct render_clients_view *v, int64_t from,
                     int64_t to)
{
	float u = c->u, top = (float)v->area.y, h = (float)v->area.h;
	if (to <= v->t0_us)
		return;
	float x0 = render_clients_x(v, from), x1 = render_clients_x(v, to);
	render_gfx_rect(c->g, x0, top, fmaxf(x1 - x0, 2 * u), h,
	                rgba_alpha(rgba_tint(C_BAD, 0.5f), 0.3f));
	render_gfx_dashed_line(c->g, x0, top - 1.5f * u, fmaxf(x1, x0 + 2 * u), top - 1.5f * u,
	                       3 * u, 8 * u, 5 * u, C_BAD);
	render_gfx_text(c->g, px(c, 11), true, rgba_shade(C_BAD, 0.3f), _("links cut"), x0 + 3 * u,
	                top - 4 * u, GFX_LEFT | GFX_BOTTOM);
}

/* The stretches of the axis when some link was cut, and when each node
 * was down, from the lifeline events up to the frame's position. */
static void draw_bands(struct render_dc *c, const struct render_clients_view *v)
{
	const struct render_frame *f = c->f;
	uint64_t cut[RENDER_NODES_MAX + 1] = {0};
	int64_t down_since[RENDER_NODES_MAX + 1], cut_since = -1;
	for (unsigned i = 0; i <= RENDER_NODES_MAX; i++)
		down_since[i] = -1;
	int lane = 0; /* alternates the crash labels' height */
	for (size_t k = 0; k < f->n_life; k++) {
		const struct render_lifeev *e = &f->life[k];
		if (e->seq > f->seq || e->time_us > c->now)
			break;
		if (e->node < 1 || e->node > RENDER_NODES_MAX)
			continue;
		switch ((enum render_life_kind)e->kind) {
		case RENDER_LIFE_CRASH:
			if (down_since[e->node] < 0)
				down_since[e->node] = e->time_us;
			break;
		case RENDER_LIFE_RESTART:
			if (down_since[e->node] >= 0)
				crash_band(c, v, e->node, down_since[e->node], e->time_us, &lane);
			down_since[e->node] = -1;
			break;
		case RENDER_LIFE_NET: {
			cut[e->node] = e->a;
			bool any = false;
			for (unsigned i = 1; i <= RENDER_NODES_MAX; i++)
				any |= cut[i] != 0;
			if (any && cut_since < 0)
				cut_since = e->time_us;
			if (!any && cut_since >= 0) {
				cut_band(c, v, cut_since, e->time_us);
				cut_since = -1;
			}
			break;
		}
		case RENDER_LIFE_TIMEOUT:
		case RENDER_LIFE_LEADER:
		case RENDER_LIFE_FOLLOWER:
		case RENDER_LIFE_COMMIT:
		case RENDER_LIFE_CLIENT:
		case RENDER_LIFE_SNAPSHOT:
			break;
		}
	}
	if (cut_since >= 0)
		cut_band(c, v, cut_since, c->now);
	for (unsigned i = 1; i <= RENDER_NODES_MAX; i++)
		if (down_since[i] >= 0)
			crash_band(c, v, i, down_since[i], c->now, &lane);
}

/* ---- Bars ---------------------------------------------------------------------------- */
/* "put x=1", "get x → 1", "get x …", "put x=2 ?" */
static void bar_label(const struct sim_lin_op *o, enum render_client_end end, char *buf,
                      size_t cap)
{
	const char *tail = end == RENDER_CLIENT_PENDING ? " \xe2\x80\xa6"
	                   : end == RENDER_CLIENT_UNKNOWN ? " ?"
	                                                  : "";
	if (o->f == SIM_LIN_PUT)
		snprintf(buf, cap, "put %.*s=%.*s%s", (int)o->key_len, o->key, (int)o->value_len,
		         o->value, tail);
	else if (end == RENDER_CLIENT_OK && o->value)
		snprintf(buf, cap, "get %.*s \xe2\x86\x92 %.*s", (int)o->key_len, o->key,
		         (int)o->value_len, o->value);
	else if (end == RENDER_CLIENT_OK)
		snprintf(buf, cap, "get %.*s \xe2\x86\x92 %s", (int)o->key_len, o->key, _("(none)"));
	else
		snprintf(buf, cap, "get %.*s%s", (int)o->key_len, o->key, tail);
}

static void hatch(struct render_dc *c, float x, float y, float w, float h, struct rgba col)
{
	struct render_rect r = {(int)floorf(x), (int)floorf(y), (int)ceilf(w), (int)ceilf(h)};
	render_gfx_clip(c->g, &r);
	float step = 7 * c->u;
	for (float sx = x - h; sx < x + w; sx += step)
		render_gfx_line(c->g, sx, y + h, sx + h, y, 2 * c->u, col);
	render_gfx_clip(c->g, &c->l.clients);
}

/* Where the row of bar i begins: its first bar's left end (a request's
 * abandoned attempts come before its last one). */
static float row_start(const struct render_clients_view *v, size_t i)
{
	float x0 = 1e9f;
	for (size_t k = 0; k < v->n_bars; k++) {
		float kx, ky, kw, kh;
		if (v->bars[k].row != v->bars[i].row)
			continue;
		render_clients_bar_rect(v, k, &kx, &ky, &kw, &kh);
		x0 = fminf(x0, kx);
	}
	return x0;
}

/* Where the label of request bar i (one per row: its attempts share the
 * command) goes: 0 inside the bar, 1 after it, 2 before the row's first
 * bar, 3 over the bar's start, shortened.  *lx, *lw: its left edge and
 * width. */
static int label_place(struct render_dc *c, const struct render_clients_view *v, size_t i,
                       const char *text, int *tp, float *lx, float *lw)
{
	const struct render_client_bar *b = &v->bars[i];
	float u = c->u, x, y, w, h;
	render_clients_bar_rect(v, i, &x, &y, &w, &h);
	float first = row_start(v, i), right = (float)(v->area.x + v->area.w);
	*tp = px(c, v->row_h >= 26 * u ? 13 : 11);
	float tw = (float)render_gfx_text_w(c->g, *tp, true, text), pad = 4 * u;
	*lw = tw;
	float gap = (b->end == RENDER_CLIENT_PENDING ? 9 : 5) * u;
	if (tw + 2 * pad <= w && b->end == RENDER_CLIENT_OK) {
		*lx = x + pad;
		return 0;
	}
	if (x + w + gap + tw <= right) {
		*lx = x + w + gap;
		return 1;
	}
	if (first - 5 * u - tw >= (float)v->area.x) {
		*lx = first - 5 * u - tw;
		return 2;
	}
	*lx = x;
	*lw = fminf(tw + 2 * pad, right - x);
	return 3;
}

/* The bar of the request whose row bar i is on (i itself unless i is an
 * abandoned attempt). */
static size_t request_bar(const struct render_clients_view *v, size_t i)
{
	for (size_t k = 0; k < v->n_bars; k++)
		if (v->bars[k].row == v->bars[i].row && v->bars[k].end != RENDER_CLIENT_UNKNOWN)
			return k;
	return i;
}

static void draw_bar(struct render_dc *c, const struct render_clients_view *v, size_t i,
                     const struct render_clients_state *st, bool selected)
{
	const struct render_client_bar *b = &v->bars[i];
	float u = c->u, x, y, w, h;
	render_clients_bar_rect(v, i, &x, &y, &w, &h);
	if (selected) { /* a yellow halo, outside the checker's frame if any */
		float e = (b->culprit ? 9 : 5) * u;
		render_gfx_round_rect(c->g, x - e, y - e, w + 2 * e, h + 2 * e, 6 * u, C_SELECT);
	}
	if (b->culprit) { /* a thick frame and a white gap: it reads in grey too */
		render_gfx_rect(c->g, x - 5 * u, y - 5 * u, w + 10 * u, h + 10 * u, C_BAD);
		render_gfx_rect(c->g, x - 2 * u, y - 2 * u, w + 4 * u, h + 4 * u, C_WHITE);
	}
	float t = fmaxf(2 * u, 1.5f);
	switch (b->end) {
	case RENDER_CLIENT_OK:
		render_gfx_rect(c->g, x, y, w, h, C_OK);
		render_gfx_rect_outline(c->g, x, y, w, h, t, rgba_shade(C_OK, 0.45f));
		break;
	case RENDER_CLIENT_PENDING:
		render_gfx_rect(c->g, x, y, w, h, C_WHITE);
		/* open toward now: top, bottom and the invoking end only */
		render_gfx_rect(c->g, x, y, w, t, C_WAIT);
		render_gfx_rect(c->g, x, y + h - t, w, t, C_WAIT);
		render_gfx_rect(c->g, x, y, t, h, C_WAIT);
		render_gfx_triangle(c->g, x + w - 1 * u, y - 3 * u, x + w + 7 * u, y + h / 2,
		                    x + w - 1 * u, y + h + 3 * u, C_WAIT);
		break;
	case RENDER_CLIENT_UNKNOWN:
		render_gfx_rect(c->g, x, y, w, h, C_WHITE);
		hatch(c, x, y, w, h, C_UNKNOWN);
		render_gfx_rect_outline(c->g, x, y, w, h, t, rgba_shade(C_UNKNOWN, 0.3f));
		break;
	case RENDER_CLIENT_FAILED:
		render_gfx_rect(c->g, x, y, w, h, C_PANEL2);
		render_gfx_rect_outline(c->g, x, y, w, h, t, C_INK3);
		render_gfx_line(c->g, x, y + h / 2, x + w, y + h / 2, t, C_INK3);
		break;
	}
	if (b->cut) /* it began before the axis: a jagged start */
		render_gfx_triangle(c->g, x, y, x + 5 * u, y + h / 2, x, y + h, C_PANEL);

	if (b->end == RENDER_CLIENT_UNKNOWN) { /* its "?"; the row's label is its request's */
		if (w >= 14 * u)
			render_gfx_text(c->g, px(c, 13), true, C_INK, "?", x + w - 3 * u, y + h / 2,
			                GFX_RIGHT | GFX_MIDDLE);
		if (request_bar(v, i) != i)
			return;
	}
	char text[96];
	bar_label(&st->ops[b->op], b->end, text, sizeof text);
	int tp;
	float lx, lw;
	int where = label_place(c, v, i, text, &tp, &lx, &lw);
	float mid = y + h / 2;
	switch (where) {
	case 0:
		render_gfx_text(c->g, tp, true, C_WHITE, text, lx, mid, GFX_LEFT | GFX_MIDDLE);
		break;
	case 1:
	case 2:
		render_gfx_text(c->g, tp, true, C_INK, text, lx, mid, GFX_LEFT | GFX_MIDDLE);
		break;
	default:
		render_gfx_round_rect(c->g, lx, y, lw, h, 3 * u, rgba_alpha(C_WHITE, 0.85f));
		render_gfx_text_fit(c->g, tp, true, C_INK, text, lx + 4 * u, mid, GFX_LEFT | GFX_MIDDLE,
		                    lw - 8 * u);
		break;
	}
}

/* "not linearizable" beside bar i: before it on its row when there is
 * room, else after its label, else under or over it. */
static void draw_tag(struct render_dc *c, const struct render_clients_view *v,
                     const struct render_clients_state *st, size_t i)
{
	float u = c->u, bx, by, bw, bh;
	render_clients_bar_rect(v, i, &bx, &by, &bw, &bh);
	const char *nl = _("not linearizable");
	int tp = px(c, 12);
	float tw = (float)render_gfx_text_w(c->g, tp, true, nl) + 10 * u, th = fminf(17 * u, bh + 2 * u);
	float lx, lw;
	int tpl;
	char text[96];
	size_t r = request_bar(v, i);
	bar_label(&st->ops[v->bars[r].op], v->bars[r].end, text, sizeof text);
	/* before the row's first bar, or before its label when that is there */
	bx = label_place(c, v, r, text, &tpl, &lx, &lw) == 2 ? lx : row_start(v, i);
	float prev = (float)v->area.x;
	float tx, ty = by + bh / 2 - th / 2;
	if (bx - 8 * u - tw >= prev + 4 * u) {
		tx = bx - 8 * u - tw;
	} else {
		ty = by + bh + 6 * u;
		if (ty + th > (float)(v->area.y + v->area.h))
			ty = by - 6 * u - th;
		tx = fminf(bx, (float)(v->area.x + v->area.w) - tw);
	}
	render_gfx_round_rect(c->g, tx, ty, tw, th, 4 * u, C_BAD);
	render_gfx_text(c->g, tp, true, C_WHITE, nl, tx + 5 * u, ty + th / 2, GFX_LEFT | GFX_MIDDLE);
}

/* ---- The panel ------------------------------------------------------------------------ */
static void draw_header(struct render_dc *c, const struct render_clients_state *st,
                        unsigned rows, float x, float y)
{
	float u = c->u;
	const struct render_rect *p = &c->l.clients;
	char buf[320];
	render_gfx_text(c->g, px(c, 17), true, C_INK, _("Clients"), x, y + 11 * u,
	                GFX_LEFT | GFX_MIDDLE);
	float hx = x + (float)render_gfx_text_w(c->g, px(c, 17), true, _("Clients")) + 14 * u;
	float hw = (float)(p->x + p->w) - 10 * u - hx;
	if (st->rc != 0) {
		snprintf(buf, sizeof buf, "%s", _("not checked: out of memory"));
	} else if (!st->n_requests) {
		snprintf(buf, sizeof buf, "%s", _("no client operations yet"));
	} else if (st->res.verdict == SIM_LIN_VIOLATION) {
		/* the banner: the whole header band turns vermillion */
		char key[40];
		const struct sim_lin_op *k = &st->ops[st->res.key_op];
		snprintf(key, sizeof key, "%.*s", (int)(k->key_len < 30 ? k->key_len : 30), k->key);
		snprintf(buf, sizeof buf,
		         NG_("NOT LINEARIZABLE: %zu operation on %s cannot be ordered",
		             "NOT LINEARIZABLE: %zu operations on %s cannot be ordered",
		             st->res.n_culprits),
		         st->res.n_culprits, key);
		render_gfx_round_rect(c->g, hx - 6 * u, y, hw + 6 * u, 23 * u, 5 * u, C_BAD);
		render_gfx_text_fit(c->g, render_dc_fit_px(c, buf, 14, 11, hw - 6 * u), true, C_WHITE,
		                    buf, hx, y + 11.5f * u, GFX_LEFT | GFX_MIDDLE, hw - 6 * u);
		return;
	} else if (st->res.verdict == SIM_LIN_UNKNOWN) {
		snprintf(buf, sizeof buf, "%s", _("unknown: the check hit its search limit"));
	} else {
		snprintf(buf, sizeof buf, "%s", _("linearizable so far"));
	}
	if (rows < st->n_requests) { /* not every request has a row */
		size_t k = strlen(buf);
		snprintf(buf + k, sizeof buf - k, _(" · the newest %u of %zu requests"), rows,
		         st->n_requests);
	}
	render_gfx_text_fit(c->g, px(c, 13), false, C_INK2, buf, hx, y + 11 * u,
	                    GFX_LEFT | GFX_MIDDLE, hw);
}

/* The fields of the operation under the pointer, else of the selected
 * one, else what the bars mean. */
static void draw_footer(struct render_dc *c, const struct render_clients_state *st, float x,
                        float y, float maxw)
{
	float u = c->u;
	int tp = px(c, 12);
	size_t sel = c->f->hover_op ? c->f->hover_op : c->f->sel_op;
	if (sel >= 1 && sel <= st->n) {
		const struct sim_lin_op *o = &st->ops[sel - 1];
		char lbl[96], t0[32], t1[48], buf[320];
		enum render_client_end end = sel - 1 >= st->n_requests ? RENDER_CLIENT_UNKNOWN
		                             : o->type == SIM_LIN_OK  ? RENDER_CLIENT_OK
		                                                      : RENDER_CLIENT_PENDING;
		bar_label(o, end, lbl, sizeof lbl);
		snprintf(t0, sizeof t0, "%.3f ms", (double)o->invoke_us / 1000.0);
		if (end == RENDER_CLIENT_OK)
			snprintf(t1, sizeof t1, _("answered at %.3f ms (%.1f ms later)"),
			         (double)o->complete_us / 1000.0,
			         (double)(o->complete_us - o->invoke_us) / 1000.0);
		else if (end == RENDER_CLIENT_PENDING)
			snprintf(t1, sizeof t1, "%s", _("no answer yet"));
		else
			snprintf(t1, sizeof t1, "%s", _("given up on: outcome unknown"));
		struct sim_client_info ci;
		size_t req = sel - 1 < st->n_requests ? sel - 1 : (size_t)-1;
		char at[16] = "";
		if (req != (size_t)-1 && sim_client_info(c->s, req, &ci) && ci.node)
			snprintf(at, sizeof at, " \xc2\xb7 n%u", ci.node);
		snprintf(buf, sizeof buf, _("%s%s%s · invoked at %s · %s"), lbl,
		         render_clients_culprit(st, sel - 1) ? _(" (cannot be ordered)") : "", at, t0,
		         t1);
		render_gfx_text_fit(c->g, tp, true, C_INK, buf, x, y, GFX_LEFT | GFX_MIDDLE, maxw);
		return;
	}
	/* the legend, in shapes, smaller when it does not fit */
	float s = 11 * u, lx = x;
	static const char *const words[] = {N_("answered"), N_("waiting"), N_("outcome unknown"),
	                                    N_("cannot be ordered")};
	float need = 0;
	for (int k = 0; k < 4; k++)
		need += 2.2f * s + 19 * u + (float)render_gfx_text_w(c->g, tp, false, _(words[k]));
	if (need > maxw)
		tp = px(c, 10);
	for (int k = 0; k < 4; k++) {
		float bx = lx, by = y - s / 2, bw = 2.2f * s;
		switch (k) {
		case 0:
			render_gfx_rect(c->g, bx, by, bw, s, C_OK);
			break;
		case 1:
			render_gfx_rect(c->g, bx, by, bw, 2 * u, C_WAIT);
			render_gfx_rect(c->g, bx, by + s - 2 * u, bw, 2 * u, C_WAIT);
			render_gfx_rect(c->g, bx, by, 2 * u, s, C_WAIT);
			break;
		case 2:
			hatch(c, bx, by, bw, s, C_UNKNOWN);
			render_gfx_rect_outline(c->g, bx, by, bw, s, 1.5f * u, rgba_shade(C_UNKNOWN, 0.3f));
			break;
		default:
			render_gfx_rect_outline(c->g, bx, by, bw, s, 3 * u, C_BAD);
			render_gfx_rect(c->g, bx + 4.5f * u, by + 4.5f * u, bw - 9 * u, s - 9 * u, C_INK2);
			break;
		}
		lx += bw + 5 * u;
		lx += render_gfx_text(c->g, tp, false, C_INK2, _(words[k]), lx, y, GFX_LEFT | GFX_MIDDLE) +
		      14 * u;
		if (lx > x + maxw)
			break;
	}
}

static void draw_panel(struct render_dc *c, const struct render_clients_state *st)
{
	const struct render_rect *p = &c->l.clients;
	float u = c->u;
	render_gfx_round_rect(c->g, (float)p->x, (float)p->y, (float)p->w, (float)p->h, 10 * u,
	                      C_PANEL);
	render_gfx_clip(c->g, p);
	float x = (float)p->x + 12 * u, maxw = (float)p->w - 24 * u;
	struct render_clients_view v;
	render_clients_view_compute(&v, &c->l, st, c->now);
	draw_header(c, st, v.n_rows, x, (float)p->y + 6 * u);
	const struct render_rect *a = &v.area;
	render_gfx_rect(c->g, (float)a->x, (float)a->y, (float)a->w, (float)a->h, C_BG);
	if (v.n_rows) {
		draw_bands(c, &v);
		for (unsigned r = 0; r < v.n_rows; r++) {
			float ry = (float)a->y + v.row_h * (float)r;
			if (r)
				render_gfx_rect(c->g, (float)a->x, ry, (float)a->w, 1, C_PANEL2);
			char lb[24];
			snprintf(lb, sizeof lb, "c%zu", v.row_req[r] + 1);
			render_gfx_text(c->g, px(c, v.row_h >= 24 * u ? 13 : 11), true, C_INK2, lb,
			                (float)a->x - 6 * u, ry + v.row_h / 2, GFX_RIGHT | GFX_MIDDLE);
		}
		/* the moments of the axis, faint */
		for (size_t k = 0; k < v.n_ticks; k++)
			render_gfx_rect(c->g, v.tick_x[k], (float)(a->y + a->h), 1, 4 * u, C_INK3);
		for (size_t i = 0; i < v.n_bars; i++)
			draw_bar(c, &v, i, st, c->f->sel_op == v.bars[i].op + 1);
		/* the checker's label, under (else over) the last operation it names */
		int last = -1;
		for (size_t i = 0; i < v.n_bars; i++)
			if (v.bars[i].culprit && (last < 0 || v.bars[i].t0_us >= v.bars[last].t0_us))
				last = (int)i;
		if (last >= 0)
			draw_tag(c, &v, st, (size_t)last);
	}
	/* now: the cursor the ring and the timeline share */
	render_gfx_rect(c->g, v.now_x - 1 * u, (float)a->y - 3 * u, 2 * u, (float)a->h + 6 * u, C_INK);
	char buf[48];
	fmt_secs(c->now, buf, sizeof buf);
	float ay = (float)(a->y + a->h) + 5 * u;
	render_gfx_text(c->g, px(c, 11), true, C_INK, buf, v.now_x, ay, GFX_RIGHT | GFX_TOP);
	if (v.n_ticks > 1) {
		fmt_secs(v.t0_us, buf, sizeof buf);
		render_gfx_text(c->g, px(c, 11), false, C_INK3, buf, (float)a->x, ay, GFX_LEFT | GFX_TOP);
	}
	draw_footer(c, st, x, (float)(p->y + p->h) - 11 * u, maxw);
	render_gfx_clip(c->g, NULL);
}

void render_draw_clients(struct render_dc *c)
{
	const struct render_rect *p = &c->l.clients;
	if (p->w <= 0 || p->h < 60 * c->u)
		return;
	if (c->f->clients_st) {
		draw_panel(c, c->f->clients_st);
		return;
	}
	/* a one-off frame: read and check the history now */
	struct render_clients_state st = {0};
	render_clients_state_update(&st, c->s);
	draw_panel(c, &st);
	render_clients_state_free(&st);
}
