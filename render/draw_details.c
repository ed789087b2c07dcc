/* draw_details.c - the details panel: the selected node's state, or the cluster's at a glance. */
#include "draw_internal.h"
#include "i18n.h"

/* ---- Details panel ------------------------------------------------------------------------- */
static float stat(struct render_dc *c, float x, float y, const char *label, const char *value)
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

/* raft_role_name()'s word in the chosen language. */
static const char *role_word(enum raft_role r)
{
	if (r == RAFT_FOLLOWER)
		return _("follower");
	if (r == RAFT_CANDIDATE)
		return _("candidate");
	if (r == RAFT_PRECANDIDATE)
		return _("precandidate");
	if (r == RAFT_LEADER)
		return _("leader");
	return raft_role_name(r);
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
			int w = snprintf(others + len, sizeof others - len, _("%sn%u term %llu"),
			                 k > 1 ? ", " : "", i, (unsigned long long)raft_term(rn));
			if (w > 0)
				len += (size_t)w;
		}
	}
	int w;
	if (stable && !k)
		w = snprintf(buf, cap, _("leader n%u"), stable);
	else if (stable)
		w = snprintf(buf, cap,
		             k == 1 ? _("leader n%u (term %llu); 1 more still believes it leads (%s)")
		                    : _("leader n%u (term %llu); more still believe they lead (%s)"),
		             stable, (unsigned long long)raft_term(sim_node(s, stable)), others);
	else if (k == 1)
		w = snprintf(buf, cap, _("no stable leader; 1 node believes it leads (%s)"), others);
	else if (k)
		w = snprintf(buf, cap, _("%u nodes believe they lead (%s)"), k, others);
	else
		w = snprintf(buf, cap, "%s", _("no leader"));
	return w > 0 ? (size_t)w : 0;
}

/* With no node selected: one row per node, the state a teacher points at. */
static void draw_cluster_table(struct render_dc *c, float x, float y, float maxw, float bottom)
{
	float u = c->u;
	char buf[400], v[224];
	const struct sim_counters *k = sim_counters(c->s);
	render_leader_summary(c->s, v, sizeof v);
	if (strchr(v, '('))
		/* more than one node believes it leads: that is the headline */
		snprintf(buf, sizeof buf, _("Cluster · %s"), v);
	else {
		char msgs[96], els[96];
		snprintf(msgs, sizeof msgs,
		         NG_("%zu message in flight", "%zu messages in flight", sim_msgs_in_flight(c->s)),
		         sim_msgs_in_flight(c->s));
		snprintf(els, sizeof els, NG_("%llu election", "%llu elections", k->elections),
		         (unsigned long long)k->elections);
		snprintf(buf, sizeof buf, _("Cluster · %s · %s · %s"), v, msgs, els);
	}
	render_gfx_text_fit(c->g, render_dc_fit_px(c, buf, 17, 13, maxw), true, C_INK, buf, x, y,
	                    GFX_LEFT, maxw);
	y += 28 * u;
	static const char *const head[] = {N_("node"),   N_("role"),    N_("term"),
	                                   N_("votedFor"), N_("log"),   N_("commit"),
	                                   N_("applied"), N_("timeout in")};
	static const float colx[] = {0, 62, 168, 222, 300, 356, 422, 492};
	float sc = fminf(1.0f, maxw / (560 * u));
	int hp = px(c, sc < 1 ? 14 * sc : 14); /* narrow (the diagram is on): smaller heads */
	for (size_t i = 0; i < 8; i++)
		render_gfx_text(c->g, hp, false, C_INK2, _(head[i]), x + colx[i] * u * sc, y, GFX_LEFT);
	y += 18 * u;
	float avail = bottom - y;
	float lh = fminf(24 * u, avail / (float)c->n);
	if (lh < 13 * u) {
		render_gfx_text(c->g, hp, false, C_INK2, _("(select a node for its details)"), x, y, GFX_LEFT);
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
		const char *rname = up ? role_word(role) : _("crashed");
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

void render_draw_details(struct render_dc *c)
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
		snprintf(buf, sizeof buf, _("n%u · %s · term %llu"), sel, role_word(role),
		         (unsigned long long)raft_term(rn));
	else
		snprintf(buf, sizeof buf, _("n%u · crashed · term %llu (on disk)"), sel,
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
	sx += stat(c, sx, y, _("log length"), v);
	if (up && role != RAFT_LEADER) {
		fmt_dur(raft_election_deadline_us(rn) - c->now, v, sizeof v);
		sx += stat(c, sx, y, _("timeout in"), v);
	}
	if (up && (role == RAFT_CANDIDATE || role == RAFT_PRECANDIDATE)) {
		unsigned voters = 0; /* a majority of its configuration's voters */
		for (unsigned j = 1; j <= c->n; j++)
			voters += raft_is_voter(rn, (uint8_t)j);
		snprintf(v, sizeof v, "%u/%u", raft_votes(rn), voters / 2 + 1);
		stat(c, sx, y, role == RAFT_CANDIDATE ? _("votes / needed") : _("pre-votes / needed"), v);
	}
	y += 54 * u;
	int sp = c->l.details_px;
	float lh = 22 * u;
	if (y + lh < bottom) {
		/* the configuration in force on it: who votes, who only listens */
		size_t n = 0;
		char who[256] = "";
		for (int pass = 0; pass < 2; pass++) {
			bool first = true;
			for (unsigned j = 1; j <= sim_n_nodes(c->s) && n + 8 < sizeof who; j++) {
				bool in = pass ? raft_is_learner(rn, (uint8_t)j) : raft_is_voter(rn, (uint8_t)j);
				if (!in)
					continue;
				if (first && pass)
					n += (size_t)snprintf(who + n, sizeof who - n, " · %s", _("learners"));
				n += (size_t)snprintf(who + n, sizeof who - n, " n%u", j);
				first = false;
			}
		}
		if (raft_conf_index(rn))
			snprintf(buf, sizeof buf, _("voters%s (entry %llu)"), who,
			         (unsigned long long)raft_conf_index(rn));
		else
			snprintf(buf, sizeof buf, _("voters%s"), who);
		render_gfx_text_fit(c->g, sp, false, C_INK2, buf, x, y + 8 * u, GFX_LEFT | GFX_MIDDLE,
		                    maxw);
		y += lh;
	}
	if (raft_snapshot_index(rn) && y + lh < bottom) {
		/* log compaction: what the snapshot covers, what is left in memory */
		size_t keys = raft_snapshot_count(rn);
		uint64_t mf = raft_log_first(rn), last = raft_last_index(rn);
		char mem[64];
		if (mf <= last)
			snprintf(mem, sizeof mem, _("the log holds %llu..%llu"), (unsigned long long)mf,
			         (unsigned long long)last);
		else
			snprintf(mem, sizeof mem, "%s", _("the log is empty after it"));
		snprintf(buf, sizeof buf,
		         NG_("snapshot ≤ %llu (term %llu, %zu key) · %s",
		             "snapshot ≤ %llu (term %llu, %zu keys) · %s", keys),
		         (unsigned long long)raft_snapshot_index(rn),
		         (unsigned long long)raft_snapshot_term(rn), keys, mem);
		float r = 7 * u;
		render_gfx_round_rect(c->g, x, y + 1 * u, 2 * r + 3 * u, 2 * r + 3 * u, 3 * u, C_INK2);
		render_gfx_round_rect(c->g, x + 1.5f * u, y + 2.5f * u, 2 * r, 2 * r, 2 * u, C_PANEL2);
		render_gfx_text_fit(c->g, sp, true, C_INK, buf, x + 2 * r + 10 * u, y + r + 2.5f * u,
		                    GFX_LEFT | GFX_MIDDLE, maxw - 2 * r - 10 * u);
		y += lh + 8 * u;
	}
	if (!up && y + lh < bottom) {
		render_gfx_text_wrap(c->g, sp, false, C_INK2,
		                     _("Kept on disk: currentTerm, votedFor and the log. Gone with the "
		                       "process: commitIndex, lastApplied, nextIndex / matchIndex and the "
		                       "key-value map (rebuilt from the log after a restart)."),
		                     x, y, maxw, (int)((bottom - y) / lh), lh, true);
		return;
	}
	if (up && role == RAFT_LEADER && y + lh < bottom) {
		render_gfx_text(c->g, px(c, 14), false, C_INK2, _("per follower: nextIndex / matchIndex"), x, y,
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
		snprintf(buf, sizeof buf, NG_("key-value map (%zu key)", "key-value map (%zu keys)", nk), nk);
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
			snprintf(kv, sizeof kv, "%s", _("(empty: nothing applied yet)"));
		int lines = (int)((bottom - y) / lh);
		if (lines > 0)
			render_gfx_text_wrap(c->g, sp, true, C_INK, kv, x, y, maxw, lines, lh, true);
	}
}
