/* draw.c - draws one frame: the panels in order, from the layout and the const simulation API; the helpers the panels share. */
#include "draw_internal.h"

/* A text on a rounded pill centred at (x, y). */
void render_dc_pill(struct render_dc *c, const char *s, float x, float y, struct rgba bg,
                    struct rgba fg, int size)
{
	int w = render_gfx_text_w(c->g, size, true, s);
	float h = (float)render_gfx_line_h(c->g, size, true);
	float pw = (float)w + 12 * c->u, ph = h + 2 * c->u;
	render_gfx_round_rect(c->g, x - pw / 2, y - ph / 2, pw, ph, ph / 2, bg);
	render_gfx_text(c->g, size, true, fg, s, x, y, GFX_CENTER | GFX_MIDDLE);
}

/* The largest size from hi down to lo at which s fits max_w (lo if none). */
int render_dc_fit_px(struct render_dc *c, const char *s, float hi, float lo, float max_w)
{
	for (float size = hi; size > lo; size -= 1) {
		int p = px(c, size);
		if ((float)render_gfx_text_w(c->g, p, true, s) <= max_w)
			return p;
	}
	return px(c, lo);
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
	struct render_dc c = {.g = g, .f = f, .s = f->sim};
	unsigned n = sim_n_nodes(f->sim);
	if (f->diagram_only)
		render_layout_diagram_only(&c.l, w, h, n);
	else
		render_layout_compute_panels(&c.l, w, h, n, f->diagram, f->clients);
	c.l.log_follow = f->selected;
	render_layout_fit_log(&c.l, f->sim);
	c.u = c.l.u;
	c.now = sim_now_us(f->sim);
	c.n = n > RENDER_NODES_MAX ? RENDER_NODES_MAX : n;
	c.leader = pick_leader(f->sim);
	render_diagram_frame_time(&c.l, f);
	render_gfx_begin(g, C_BG);
	if (f->diagram_only) {
		render_draw_diagram(&c);
		render_gfx_end(g);
		return;
	}
	render_draw_links(&c);
	render_draw_messages(&c);
	for (unsigned i = 1; i <= c.n; i++)
		render_draw_node(&c, i);
	render_draw_link_labels(&c);
	render_draw_bundle_labels(&c);
	render_draw_link_hint(&c);
	if (!f->help && !f->hide_legend)
		render_draw_legend(&c);
	render_draw_log(&c);
	if (f->clients)
		render_draw_clients(&c);
	else
		render_draw_details(&c);
	render_draw_diagram(&c);
	render_draw_msg_info(&c);
	render_draw_caption(&c);
	render_draw_timeline(&c);
	if (f->banner && *f->banner)
		render_draw_banner(&c, f->banner, RGBA(180, 50, 20, 240));
	if (f->toast && *f->toast) {
		const struct render_rect *cl = &c.l.cluster;
		(void)cl;
		render_dc_pill(&c, f->toast, c.l.ring_cx, c.l.ring_cy, RGBA(27, 36, 48, 235), C_WHITE,
		          px(&c, 16));
	}
	if (f->menu_open && f->menu_n)
		render_draw_menu(&c);
	if (f->help)
		render_draw_help(&c);
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
	f->n_msgs = render_history_msgs(h, &f->msgs);
	f->n_life = render_history_life(h, &f->life);
	f->seq = render_history_seq(h);
}

void render_diagram_frame_time(struct render_layout *l, const struct render_frame *f)
{
	if (f->diagram_only) {
		render_layout_diagram_time(l, f->diagram_from_us, f->diagram_to_us);
		return;
	}
	/* most of it the past, the bottom fifth what is due next */
	int64_t now = sim_now_us(f->sim), span = render_diagram_span_us(f->sim);
	render_layout_diagram_time(l, now - span * 4 / 5, now + span / 5);
}
