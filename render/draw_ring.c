/* draw_ring.c - the cluster panel: the ring of nodes, the links between them and the messages in flight. */
#include "draw_internal.h"
#include "i18n.h"

/* ---- Links --------------------------------------------------------------------------- */
static void arrow_head(struct render_gfx *g, float x, float y, float dx, float dy, float s,
                       struct rgba col)
{
	/* a triangle pointing along (dx, dy), tip at (x, y) */
	float bx = x - dx * s, by = y - dy * s;
	render_gfx_triangle(g, x, y, bx - dy * s * 0.6f, by + dx * s * 0.6f, bx + dy * s * 0.6f,
	             by - dx * s * 0.6f, col);
}


void render_draw_links(struct render_dc *c)
{
	float lane = 7 * c->u;
	struct render_cut_label cuts[RENDER_NODES_MAX * RENDER_NODES_MAX / 2 + 1];
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
				snprintf(label, sizeof label, _("cut for %s"), dur);
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
				snprintf(label, sizeof label, _("n%u→n%u cut for %s"), from, to, dur);
			}
			struct render_cut_label *k = &cuts[n_cuts++];
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
void render_draw_link_hint(struct render_dc *c)
{
	unsigned a = c->f->hover_link_a, b = c->f->hover_link_b;
	if (!c->f->interactive || !a || !b || a > c->n || b > c->n || c->f->menu_open)
		return;
	float xa, ya, xb, yb, r;
	render_layout_node(&c->l, a, &xa, &ya, &r);
	render_layout_node(&c->l, b, &xb, &yb, &r);
	bool up = sim_link_up(c->s, (uint8_t)a, (uint8_t)b) && sim_link_up(c->s, (uint8_t)b, (uint8_t)a);
	char hint[96];
	snprintf(hint, sizeof hint,
	         up ? _("click: cut n%u↔n%u · shift-click: only toward n%u")
	            : _("click: mend n%u↔n%u · shift-click: only toward n%u"),
	         a < b ? a : b, a < b ? b : a, a);
	render_dc_pill(c, hint, (xa + xb) / 2, (ya + yb) / 2 - 18 * c->u, RGBA(27, 36, 48, 235),
	          C_WHITE, px(c, 13));
}

/* The cut links' labels, drawn over the nodes. */
void render_draw_link_labels(struct render_dc *c)
{
	struct render_cut_label *cuts = c->cuts;
	size_t n_cuts = c->n_cuts;
	bool same = true;
	for (size_t i = 1; i < n_cuts; i++)
		same = same && cuts[i].since == cuts[0].since;
	if (n_cuts <= 3 || !same) {
		for (size_t i = 0; i < n_cuts && i < 6; i++)
			render_dc_pill(c, cuts[i].text, cuts[i].x, cuts[i].y, rgba_alpha(C_WHITE, 0.92f),
			          OI_VERMILLION, px(c, 13));
	}
	if (n_cuts > 3) {
		char t[40], d[32], msg[128];
		fmt_secs(cuts[0].since, t, sizeof t);
		fmt_dur(c->now - cuts[0].since, d, sizeof d);
		if (same)
			snprintf(msg, sizeof msg, _("%zu links cut at %s (for %s)"), n_cuts, t, d);
		else
			snprintf(msg, sizeof msg, _("%zu links cut"), n_cuts);
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
static void draw_msg_dot_scaled(struct render_dc *c, float x, float y, uint8_t type, bool success,
                                uint32_t n_entries, float alpha, float k)
{
	render_shape_msg(c->g, render_msg_kind_of(type, success, n_entries), n_entries, x, y, c->u * k,
	                 alpha, false);
}

/* A busy lane's messages as one: the shape of the kind stacked three
 * deep at the oldest's place (label false), or the pill with the count
 * ("×40 entries") just ahead of it on the lane (label true, drawn over the
 * nodes so it stays readable). */
static void draw_bundle(struct render_dc *c, const struct render_bundle *b, float k, bool label)
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
	render_dc_pill(c, text, lx, ly, C_WHITE, C_INK, p);
}

void render_draw_messages(struct render_dc *c)
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
		if (!m->lost && mk < RENDER_MSG_KINDS && m->id != c->f->sel_msg &&
		    bundled[((size_t)(m->m.from - 1) * N + (m->m.to - 1)) * K + mk])
			continue;
		float x0, y0, x1, y1;
		lane_end(c, m->m.from, m->m.to, lane, &x0, &y0);
		lane_end(c, m->m.to, m->m.from, -lane, &x1, &y1);
		float x = x0 + (x1 - x0) * f, y = y0 + (y1 - y0) * f;
		float alpha = m->lost ? 1.0f - 0.8f * f : 1.0f;
		if (m->id == c->f->sel_msg || m->id == c->f->hover_msg) /* inspected: a halo */
			render_gfx_disc(c->g, x, y, 15 * c->u, rgba_alpha(OI_YELLOW, 0.85f));
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
void render_draw_bundle_labels(struct render_dc *c)
{
	struct render_bundle bundles[64];
	size_t nb = render_layout_bundles(&c->l, c->s, c->f->selected, bundles, 64);
	for (size_t i = 0; i < nb && i < 64; i++)
		draw_bundle(c, &bundles[i], 1, true);
}

/* ---- Nodes ------------------------------------------------------------------------------ */
void render_draw_node(struct render_dc *c, unsigned i)
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
		/* the deadline is on the node's own clock (skew) */
		int64_t left = raft_election_deadline_us(rn) - sim_node_clock_us(c->s, (uint8_t)i);
		float frac = total > 0 ? (float)left / (float)total : 0;
		if (frac < 0)
			frac = 0;
		if (frac > 1)
			frac = 1;
		render_gfx_ring(c->g, x, y, r + 5 * u, r + 11 * u, RGBA(228, 228, 222, 255));
		struct rgba tc = frac < 0.2f ? OI_VERMILLION : RGBA(112, 124, 140, 255);
		render_gfx_arc(c->g, x, y, r + 5 * u, r + 11 * u, 0, 2 * PI_F * frac, tc);
	}

	/* lease reads: what is left of the leader's lease, a bar that
	 * shrinks above the disc; a skewed clock says how fast it runs */
	if (up) {
		int64_t lease = sim_lease_us(sim_config(c->s));
		int64_t left = sim_lease_left_us(c->s, (uint8_t)i);
		uint32_t rate = sim_node_rate_ppm(c->s, (uint8_t)i);
		/* under the disc, where a leader has no election timer ring,
		 * above its LEADER label */
		float bw = 1.6f * r, bh = 6 * u, bx = x - 0.8f * r, by = y + r + 7 * u;
		int fpx = px(c, c->n > 9 ? 10 : 12);
		if (role == RAFT_LEADER && sim_config(c->s)->reads == SIM_READS_LEASE && lease > 0) {
			float frac = (float)left / (float)lease;
			frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
			render_gfx_rect(c->g, bx - u, by - u, bw + 2 * u, bh + 2 * u, C_INK2);
			render_gfx_rect(c->g, bx, by, bw, bh, RGBA(236, 236, 230, 255));
			render_gfx_rect(c->g, bx, by, bw * frac, bh,
			                frac < 0.2f ? OI_VERMILLION : OI_BLUE);
			render_gfx_text(c->g, fpx, false, C_INK2, _("lease"), bx - 3 * u, by + bh / 2,
			                GFX_RIGHT | GFX_MIDDLE);
		}
		if (rate != SIM_PPM) {
			char clk[48];
			snprintf(clk, sizeof clk, _("clock ×%u.%02u"), rate / SIM_PPM,
			         rate % SIM_PPM / 10000);
			render_gfx_text(c->g, fpx, true, OI_VERMILLION, clk, x + r + 4 * u, y - r * 0.7f,
			                GFX_LEFT | GFX_BOTTOM);
		}
	}

	/* the disc: its shape tells the role as much as its colour */
	render_shape_role(c->g, render_role_look_of(c->s, i), x, y, r, false, false);
	/* membership, as the node itself knows it: a learner, a spare or a
	 * removed server is faded (it does not vote) */
	bool voter = raft_is_voter(rn, (uint8_t)i), learner = raft_is_learner(rn, (uint8_t)i);
	if (!voter)
		render_gfx_disc(c->g, x, y, r + 1 * u, rgba_alpha(C_BG, learner ? 0.45f : 0.65f));
	struct rgba tc = up ? render_gfx_text_on(fill) : RGBA(60, 60, 60, 255);
	char name[16], term[32];
	snprintf(name, sizeof name, "n%u", i);
	snprintf(term, sizeof term, _("term %llu"), (unsigned long long)raft_term(rn));
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
	const char *label = !up                       ? _("CRASHED")
	                    : role == RAFT_LEADER     ? _("LEADER")
	                    : learner                 ? _("learner")
	                    : !voter                  ? _("not a member")
	                    : role == RAFT_CANDIDATE  ? _("candidate")
	                    : role == RAFT_PRECANDIDATE ? _("pre-candidate")
	                                              : _("follower");
	int lpx = px(c, c->n > 9 ? 13 : 16);
	struct rgba lc = !up ? C_INK2 : role == RAFT_LEADER ? OI_BLUE
	                 : role == RAFT_CANDIDATE           ? RGBA(160, 100, 0, 255)
	                 : role == RAFT_PRECANDIDATE        ? RGBA(0, 110, 80, 255)
	                                                    : C_INK2;
	/* in a big ring "follower" under every node is noise: the default
	 * needs no label, the others always have one */
	if (role != RAFT_FOLLOWER || !up || c->n <= 6 || !voter) {
		/* a soft backdrop keeps it readable over passing messages */
		bool bold = role != RAFT_FOLLOWER || !up;
		float tw = (float)render_gfx_text_w(c->g, lpx, bold, label);
		float th = (float)render_gfx_line_h(c->g, lpx, bold);
		render_gfx_round_rect(c->g, x - tw / 2 - 4 * u, ly, tw + 8 * u, th, th / 3,
		                      rgba_alpha(C_BG, 0.85f));
	}
	if (role != RAFT_FOLLOWER || !up || c->n <= 6 || !voter)
		render_gfx_text(c->g, lpx, role != RAFT_FOLLOWER || !up, lc, label, x, ly,
		         GFX_CENTER | GFX_TOP);

	/* a leadership transfer under way: the leader takes no writes until
	 * its target has taken over (or it gives up) */
	uint8_t heir = up ? raft_transfer_target(rn) : 0;
	if (heir) {
		char hand[48]; /* short: it sits between two neighbours */
		snprintf(hand, sizeof hand, _("to n%u →"), heir);
		float hy = ly + (float)render_gfx_line_h(c->g, lpx, true);
		float tw = (float)render_gfx_text_w(c->g, lpx, true, hand);
		float th = (float)render_gfx_line_h(c->g, lpx, true);
		render_gfx_round_rect(c->g, x - tw / 2 - 4 * u, hy, tw + 8 * u, th, th / 3, C_INK);
		render_gfx_text(c->g, lpx, true, C_BG, hand, x, hy, GFX_CENTER | GFX_TOP);
	}

	/* a candidate's votes (a pre-candidate's pre-votes): one pip per node,
	 * filled when granted */
	if (up && (role == RAFT_CANDIDATE || role == RAFT_PRECANDIDATE)) {
		float pr = (c->n > 9 ? 4.0f : 6.0f) * u, sp = pr * 2.6f;
		float py = ly + (float)render_gfx_line_h(c->g, lpx, true) + pr + 2 * u;
		char votes[32];
		unsigned voters = 0; /* a majority of its configuration's voters */
		for (unsigned v = 1; v <= c->n; v++)
			voters += raft_is_voter(rn, (uint8_t)v);
		snprintf(votes, sizeof votes, "%u/%u", raft_votes(rn), voters / 2 + 1);
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
