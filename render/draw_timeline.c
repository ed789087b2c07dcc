/* draw_timeline.c - the timeline bar: the clock, the play button, the markers and the seekable bar. */
#include "draw_internal.h"
#include "i18n.h"

/* ---- Timeline ------------------------------------------------------------------------------- */
void render_draw_timeline(struct render_dc *c)
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
		snprintf(sp, sizeof sp, "%s", _("real time"));
	else if (speed > 0)
		snprintf(sp, sizeof sp, _("speed 1/%.0f"), 1.0 / speed);
	else
		sp[0] = '\0';
	const char *state = c->f->at_pause  ? _("paused by the script")
	                    : c->f->playing ? _("playing")
	                    : c->f->interactive ? _("paused")
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
		case RENDER_MK_TRANSFER: /* the TimeoutNow shape, small */
			render_shape_msg(c->g, RENDER_MSG_TIMEOUT_NOW, 0, mx, ry + 1 * u, u * 0.55f, 1, false);
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
		render_gfx_text(c->g, px(c, 15), true, C_INK2, _("? help"), (float)(t->x + t->w) - 12 * u,
		         by, GFX_RIGHT | GFX_MIDDLE);
	else
		render_gfx_text(c->g, px(c, 12), false, C_INK3, "raftsim", (float)(t->x + t->w) - 12 * u, by,
		         GFX_RIGHT | GFX_MIDDLE);
}
