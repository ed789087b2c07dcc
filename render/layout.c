/* layout.c - where each part of the view goes for a window size: pure arithmetic shared by drawing, hit-testing and tests. */
#include "render.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define PI_F 3.14159265358979f

static int iround(float v)
{
	return (int)lroundf(v);
}

void render_layout_compute(struct render_layout *l, int w, int h, unsigned n_nodes)
{
	render_layout_compute_view(l, w, h, n_nodes, false);
}

bool render_layout_diagram_default(int w, int h)
{
	float u = fminf((float)w / RENDER_DEFAULT_W, (float)h / RENDER_DEFAULT_H);
	if (u < 0.45f)
		u = 0.45f;
	return (float)w / u >= RENDER_DIAGRAM_MIN_W;
}

void render_layout_compute_view(struct render_layout *l, int w, int h, unsigned n_nodes,
                                bool diagram)
{
	render_layout_compute_panels(l, w, h, n_nodes, diagram, false);
}

void render_layout_compute_panels(struct render_layout *l, int w, int h, unsigned n_nodes,
                                  bool diagram, bool clients)
{
	memset(l, 0, sizeof *l);
	if (w < 320)
		w = 320;
	if (h < 240)
		h = 240;
	if (n_nodes < 1)
		n_nodes = 1;
	if (n_nodes > RENDER_NODES_MAX)
		n_nodes = RENDER_NODES_MAX;
	l->w = w;
	l->h = h;
	l->n_nodes = n_nodes;
	float u = fminf((float)w / RENDER_DEFAULT_W, (float)h / RENDER_DEFAULT_H);
	if (u < 0.45f)
		u = 0.45f;
	l->u = u;
	int m = iround(12 * u);

	/* the caption band: title, two lines of narration, three of events */
	int cap_h = iround(160 * u), tl_h = iround(66 * u);
	l->caption_events_y = 98 * u;
	l->caption = (struct render_rect){0, 0, w, cap_h};
	l->timeline = (struct render_rect){0, h - tl_h, w, tl_h};
	int play = iround(44 * u);
	l->play = (struct render_rect){m, h - tl_h + (tl_h - play) / 2, play, play};
	int bar_x = m + play + iround(250 * u);
	int bar_r = w - iround(86 * u);
	int bar_h = iround(26 * u);
	l->bar = (struct render_rect){bar_x, h - tl_h + (tl_h - bar_h) / 2 + iround(4 * u),
	                              bar_r - bar_x, bar_h};

	int mid_y = cap_h, mid_h = h - cap_h - tl_h;
	int cluster_w = iround((float)w * (diagram ? 0.33f : 0.53f));
	l->cluster = (struct render_rect){0, mid_y, cluster_w, mid_h};
	int diagram_w = diagram ? iround((float)w * 0.28f) : 0;
	if (diagram)
		l->diagram = (struct render_rect){cluster_w + m / 2, mid_y + m, diagram_w - m / 2,
		                                  mid_h - 2 * m};

	/* the ring: nodes as large as the spacing allows, room for labels
	 * and for the message legend along the top (two rows) */
	float legend_h = 44 * u;
	float cw = (float)cluster_w, ch = (float)mid_h - legend_h;
	float nr = (n_nodes <= 5 ? 50 : 46) * u;
	float below = 54 * u, side = 20 * u;
	float R = 0;
	for (int pass = 0; pass < 2; pass++) {
		R = fminf(cw / 2 - nr - side, ch / 2 - nr - below / 2 - 6 * u);
		if (n_nodes > 1) {
			float chord = 2 * R * sinf(PI_F / (float)n_nodes);
			if (nr > chord * 0.30f)
				nr = chord * 0.30f;
		}
	}
	if (nr < 12 * u)
		nr = 12 * u;
	l->node_r = nr;
	l->say_px = iround(28 * u);
	l->name_px = iround(nr * 0.56f);
	l->details_px = iround(16 * u);
	l->legend_px = iround(16 * u);
	l->log_cmd_px = iround(14 * u);
	if (l->name_px < 10)
		l->name_px = 10;
	l->ring_r = n_nodes == 1 ? 0 : R;
	l->ring_cx = cw / 2;
	l->ring_cy = (float)mid_y + legend_h + ch / 2 - below / 4;

	/* the log panel and, under it, the details */
	int px = cluster_w + diagram_w + m / 2, pw = w - px - m;
	l->log_label_w = iround(74 * u);
	l->log_header_h = iround(52 * u);
	int avail = mid_h - 2 * m;
	int row = iround(48 * u);
	int max_rows_h = (int)((float)avail * 0.60f) - l->log_header_h;
	/* leave the details table a row of 17 px per node (its header, 46 px) */
	int table_h = iround((46 + 17 * (float)n_nodes + 14) * u);
	if (clients) /* or the client timeline, which takes its place */
		table_h = iround(RENDER_CLIENTS_MIN_H * u);
	int rest = avail - l->log_header_h - iround(10 * u) - m - table_h;
	if (rest < max_rows_h)
		max_rows_h = rest;
	if (row * (int)n_nodes > max_rows_h)
		row = max_rows_h / (int)n_nodes;
	if (row < iround(18 * u))
		row = iround(18 * u);
	l->log_row_h = row;
	l->log_cell_h = row - iround(fminf(13 * u, (float)row * 0.3f));
	l->log_cell_w = iround(64 * u);
	int log_h = l->log_header_h + row * (int)n_nodes + iround(10 * u);
	l->log = (struct render_rect){px, mid_y + m, pw, log_h};
	int gap = iround(4 * u);
	int usable = pw - l->log_label_w - iround(10 * u);
	l->log_cells = usable > 0 ? (unsigned)(usable / (l->log_cell_w + gap)) : 1;
	if (l->log_cells < 1)
		l->log_cells = 1;
	int dy = l->log.y + log_h + m;
	l->details = (struct render_rect){px, dy, pw, mid_y + mid_h - m - dy};
	if (clients)
		l->clients = l->details;
}

/* Visible cells for cells of width cw. */
static unsigned log_cells_for(const struct render_layout *l, int cw)
{
	int gap = iround(4 * l->u);
	int usable = l->log.w - l->log_label_w - iround(10 * l->u);
	int n = usable > 0 ? usable / (cw + gap) : 1;
	return n < 1 ? 1 : (unsigned)n;
}

void render_layout_fit_log(struct render_layout *l, const struct sim *s)
{
	size_t longest = 0;
	unsigned n = sim_n_nodes(s) < l->n_nodes ? sim_n_nodes(s) : l->n_nodes;
	for (unsigned i = 1; i <= n; i++) {
		const struct raft_node *rn = sim_node(s, (uint8_t)i);
		uint64_t last = raft_last_index(rn), from = raft_log_first(rn);
		/* the newest few dozen: what the rows can show */
		if (last > 64 && last - 64 > from)
			from = last - 64;
		for (uint64_t k = from; k <= last; k++) {
			const struct raft_entry *e = raft_entry_at(rn, k);
			if (e && e->len > longest)
				longest = e->len;
		}
	}
	if (longest > RENDER_LOG_CMD_CHARS)
		longest = RENDER_LOG_CMD_CHARS;
	int need = iround((float)longest * RENDER_LOG_EM_PER_CHAR * (float)l->log_cmd_px + 8 * l->u);
	if (need <= l->log_cell_w)
		return;
	l->log_cell_w = need;
	l->log_cells = log_cells_for(l, need);
}

void render_layout_say(const struct render_layout *l, int *px, float *max_w)
{
	/* as draw_caption() draws it: 28 px at 1280x720, 16 px of padding */
	int p = l->say_px;
	*px = p < 9 ? 9 : p;
	*max_w = (float)l->caption.w - 2 * (16 * l->u);
}

bool render_layout_node(const struct render_layout *l, unsigned node, float *cx, float *cy,
                        float *r)
{
	if (node < 1 || node > l->n_nodes)
		return false;
	float a = 2 * PI_F * (float)(node - 1) / (float)l->n_nodes;
	*cx = l->ring_cx + l->ring_r * sinf(a);
	*cy = l->ring_cy - l->ring_r * cosf(a);
	*r = l->node_r;
	return true;
}

/* The first index of a window of `cells` that shows lo..hi, or, when they
 * do not fit, starts one entry before lo. */
static uint64_t window_first(uint64_t lo, uint64_t hi, unsigned cells)
{
	if (hi + 1 <= cells)
		return 1;
	if (hi - lo + 1 <= cells)
		return hi + 1 - cells;
	return lo > 1 ? lo - 1 : 1;
}

uint64_t render_layout_log_first(const struct render_layout *l0, const struct sim *s)
{
	struct render_layout fitted = *l0, *l = &fitted;
	render_layout_fit_log(l, s);
	unsigned n = sim_n_nodes(s) < l->n_nodes ? sim_n_nodes(s) : l->n_nodes;
	uint64_t last = 0;
	for (unsigned i = 1; i <= n; i++) {
		uint64_t li = raft_last_index(sim_node(s, (uint8_t)i));
		if (li > last)
			last = li;
	}
	unsigned sel = l->log_follow;
	if (sel >= 1 && sel <= n) {
		/* the selected node's newest entry and the free cell after it,
		 * and the newest of any node too when both fit */
		uint64_t mine = raft_last_index(sim_node(s, (uint8_t)sel)) + 1;
		return window_first(mine, last + 1, l->log_cells);
	}
	/* keep the newest entry and one free cell (a nextIndex) in view, unless
	 * a running follower is catching up: then its next entry, the lowest
	 * nextIndex, comes first */
	uint64_t lo = last + 1;
	for (unsigned i = 1; i <= n; i++) {
		const struct raft_node *rn = sim_node(s, (uint8_t)i);
		if (!sim_node_up(s, (uint8_t)i) || raft_role(rn) == RAFT_LEADER)
			continue;
		/* the follower's own next index: the leader's nextIndex for it
		 * lags while a batch is on its way back */
		uint64_t next = raft_last_index(rn) + 1;
		if (next < lo)
			lo = next;
	}
	return window_first(lo, last + 1, l->log_cells);
}

bool render_layout_log_cell(const struct render_layout *l0, const struct sim *s,
                            unsigned node, uint64_t index, struct render_rect *out)
{
	struct render_layout fitted = *l0, *l = &fitted;
	render_layout_fit_log(l, s);
	if (node < 1 || node > l->n_nodes || index < 1)
		return false;
	uint64_t first = render_layout_log_first(l, s);
	if (index < first || index >= first + l->log_cells)
		return false;
	int gap = (int)lroundf(4 * l->u);
	out->x = l->log.x + l->log_label_w + (int)(index - first) * (l->log_cell_w + gap);
	out->y = l->log.y + l->log_header_h + (int)(node - 1) * l->log_row_h;
	out->w = l->log_cell_w;
	out->h = l->log_cell_h;
	return true;
}

bool render_layout_msg_pos(const struct render_layout *l, unsigned from, unsigned to,
                           float frac, float *x, float *y)
{
	float xi, yi, xj, yj, r;
	if (!render_layout_node(l, from, &xi, &yi, &r) || !render_layout_node(l, to, &xj, &yj, &r))
		return false;
	/* from rim to rim, shifted into the lane (as draw.c's lane_end) */
	float lane = 7 * l->u, dx = xj - xi, dy = yj - yi, d = sqrtf(dx * dx + dy * dy);
	if (d < 1)
		d = 1;
	dx /= d;
	dy /= d;
	float off = r + 2 * l->u;
	float x0 = xi + dx * off - dy * lane, y0 = yi + dy * off + dx * lane;
	float x1 = xj - dx * off - dy * lane, y1 = yj - dy * off + dx * lane;
	*x = x0 + (x1 - x0) * frac;
	*y = y0 + (y1 - y0) * frac;
	return true;
}

/* Part of message m's flight done at now (< 0: not sent yet). */
static float msg_frac(const struct sim_msg *m, int64_t now)
{
	if (m->deliver_us <= m->send_us)
		return 1;
	float f = (float)((double)(now - m->send_us) / (double)(m->deliver_us - m->send_us));
	return f > 1 ? 1 : f;
}

size_t render_layout_bundles(const struct render_layout *l, const struct sim *s,
                             unsigned selected, struct render_bundle *out, size_t cap)
{
	enum { N = RENDER_NODES_MAX, K = RENDER_MSG_KINDS };
	unsigned count[N * N * K];
	float oldest[N * N * K];
	memset(count, 0, sizeof count);
	unsigned n = l->n_nodes;
	int64_t now = sim_now_us(s);
	size_t msgs = sim_msg_capacity(s);
	for (size_t i = 0; i < msgs; i++) {
		const struct sim_msg *m = sim_msg_slot(s, i);
		if (!m || m->lost || m->m.from < 1 || m->m.to < 1 || m->m.from > n || m->m.to > n ||
		    m->m.from == selected || m->m.to == selected)
			continue;
		enum render_msg_kind k = render_msg_kind_of(m->m.type, m->m.success, m->m.n_entries);
		float f = msg_frac(m, now);
		if (k >= RENDER_MSG_KINDS || f < 0)
			continue;
		size_t c = ((size_t)(m->m.from - 1) * N + (m->m.to - 1)) * K + k;
		if (!count[c] || f > oldest[c])
			oldest[c] = f;
		count[c]++;
	}
	size_t nb = 0;
	for (size_t c = 0; c < (size_t)N * N * K; c++) {
		if (count[c] <= RENDER_BUNDLE_MIN)
			continue;
		if (nb < cap) {
			struct render_bundle *b = &out[nb];
			b->kind = (uint8_t)(c % K);
			b->to = (uint8_t)(c / K % N + 1);
			b->from = (uint8_t)(c / K / N + 1);
			b->count = count[c];
			b->frac = oldest[c];
			render_layout_msg_pos(l, b->from, b->to, b->frac, &b->x, &b->y);
		}
		nb++;
	}
	return nb;
}

unsigned render_layout_hit_node(const struct render_layout *l, float x, float y)
{
	for (unsigned i = 1; i <= l->n_nodes; i++) {
		float cx, cy, r;
		render_layout_node(l, i, &cx, &cy, &r);
		float dx = x - cx, dy = y - cy, rr = r + 6 * l->u;
		if (dx * dx + dy * dy <= rr * rr)
			return i;
	}
	return 0;
}

bool render_layout_hit_link(const struct render_layout *l, float x, float y, unsigned *a,
                            unsigned *b)
{
	if (render_layout_hit_node(l, x, y))
		return false;
	float best = 10 * l->u;
	bool found = false;
	for (unsigned i = 1; i <= l->n_nodes; i++)
		for (unsigned j = i + 1; j <= l->n_nodes; j++) {
			float x0, y0, x1, y1, r;
			render_layout_node(l, i, &x0, &y0, &r);
			render_layout_node(l, j, &x1, &y1, &r);
			float dx = x1 - x0, dy = y1 - y0, len2 = dx * dx + dy * dy;
			if (len2 < 1)
				continue;
			float t = ((x - x0) * dx + (y - y0) * dy) / len2;
			if (t < 0 || t > 1)
				continue;
			float px = x0 + t * dx - x, py = y0 + t * dy - y;
			float d = sqrtf(px * px + py * py);
			if (d < best) {
				best = d;
				found = true;
				*a = t >= 0.5f ? j : i;
				*b = t >= 0.5f ? i : j;
			}
		}
	return found;
}

int64_t render_timeline_span(int64_t end_us, int64_t now_us)
{
	int64_t t = end_us > now_us ? end_us : now_us;
	t += t / 8;
	static const int64_t nice[] = {1, 2, 5};
	for (int64_t p = 1000000; p < INT64_MAX / 20; p *= 10)
		for (int i = 0; i < 3; i++)
			if (nice[i] * p >= t && nice[i] * p >= 2000000)
				return nice[i] * p;
	return t;
}

int64_t render_layout_time_at(const struct render_layout *l, float x, int64_t end_us)
{
	float f = (x - (float)l->bar.x) / (float)(l->bar.w > 0 ? l->bar.w : 1);
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return (int64_t)((double)f * (double)end_us);
}

float render_layout_time_x(const struct render_layout *l, int64_t t_us, int64_t end_us)
{
	double f = end_us > 0 ? (double)t_us / (double)end_us : 0;
	if (f > 1)
		f = 1;
	if (f < 0)
		f = 0;
	return (float)l->bar.x + (float)(f * l->bar.w);
}

/* ---- The node menu ---------------------------------------------------------------- */
static void item(struct render_menu_item *it, const char *key, const char *command,
                 const char *label)
{
	snprintf(it->label, sizeof it->label, "%s", label);
	snprintf(it->key, sizeof it->key, "%s", key);
	snprintf(it->command, sizeof it->command, "%s", command);
}

size_t render_menu_items(const struct sim *s, unsigned node, const char *put,
                         struct render_menu_item *items)
{
	size_t n = 0;
	char cmd[64], label[48];
	if (node < 1 || node > sim_n_nodes(s))
		return 0;
	if (sim_node_up(s, (uint8_t)node)) {
		snprintf(cmd, sizeof cmd, "crash n%u", node);
		snprintf(label, sizeof label, _("Crash n%u"), node);
		item(&items[n++], "c", cmd, label);
		snprintf(cmd, sizeof cmd, "timeout n%u", node);
		snprintf(label, sizeof label, "%s", _("Force election timeout"));
		item(&items[n++], "t", cmd, label);
	} else {
		snprintf(cmd, sizeof cmd, "restart n%u", node);
		snprintf(label, sizeof label, _("Restart n%u"), node);
		item(&items[n++], "r", cmd, label);
	}
	uint8_t leader = sim_stable_leader(s);
	if (leader && leader != node && sim_node_up(s, (uint8_t)node)) {
		snprintf(cmd, sizeof cmd, "transfer n%u", node);
		snprintf(label, sizeof label, "%s", _("Transfer leadership here"));
		item(&items[n++], "l", cmd, label);
	}
	snprintf(cmd, sizeof cmd, "isolate n%u", node);
	snprintf(label, sizeof label, "%s", _("Isolate from the others"));
	item(&items[n++], "i", cmd, label);
	snprintf(cmd, sizeof cmd, "client put %s to n%u", put, node);
	snprintf(label, sizeof label, _("Client request %s"), put);
	item(&items[n++], "p", cmd, label);
	item(&items[n++], "H", "heal", _("Heal every link"));
	return n;
}

struct render_rect render_menu_rect(const struct render_layout *l, int x, int y, size_t n)
{
	int iw = (int)lroundf(300 * l->u), ih = (int)lroundf(38 * l->u);
	int pad = (int)lroundf(6 * l->u);
	struct render_rect r = {x, y, iw, ih * (int)n + 2 * pad};
	if (r.x + r.w > l->w)
		r.x = l->w - r.w - 2;
	if (r.y + r.h > l->h)
		r.y = l->h - r.h - 2;
	if (r.x < 0)
		r.x = 0;
	if (r.y < 0)
		r.y = 0;
	return r;
}

int render_menu_hit(const struct render_layout *l, int x, int y, size_t n, int px, int py)
{
	struct render_rect r = render_menu_rect(l, x, y, n);
	int ih = (int)lroundf(38 * l->u), pad = (int)lroundf(6 * l->u);
	if (px < r.x || px >= r.x + r.w || py < r.y + pad || py >= r.y + r.h - pad)
		return -1;
	int i = (py - r.y - pad) / ih;
	return i >= 0 && (size_t)i < n ? i : -1;
}

void render_put_value(size_t k, char *buf, size_t cap)
{
	static const char keys[] = "xyzw";
	snprintf(buf, cap, "%c=%zu", keys[k % 4], k + 1);
}

/* ---- The space-time diagram ------------------------------------------------- */
void render_layout_diagram_only(struct render_layout *l, int w, int h, unsigned n_nodes)
{
	render_layout_compute_view(l, w, h, n_nodes, false);
	float u = l->u;
	l->caption = l->cluster = l->log = l->details = l->timeline = l->bar = l->play =
	    (struct render_rect){0, 0, 0, 0};
	/* a tall strip: the scale follows the width */
	u = fminf(fmaxf((float)w / 900.0f, 0.6f), 2.0f);
	l->u = u;
	int m = iround(12 * u);
	l->diagram = (struct render_rect){m, m, w - 2 * m, h - 2 * m};
}

void render_diagram_only_size(const struct sim *s, int64_t span_us, int *w, int *h)
{
	unsigned n = sim_n_nodes(s);
	int ww = (int)(RENDER_DIAGRAM_GUTTER + 40 + 150 * (n > RENDER_NODES_MAX ? RENDER_NODES_MAX : n));
	ww = ww < 640 ? 640 : ww > 2400 ? 2400 : ww;
	/* the window's scale: a span over about 420 pixels */
	double hh = 24 + RENDER_DIAGRAM_HEAD + 10 +
	            420.0 * (double)span_us / (double)render_diagram_span_us(s);
	*w = ww;
	*h = hh > 8192 ? 8192 : hh < 240 ? 240 : (int)hh;
}

int64_t render_diagram_span_us(const struct sim *s)
{
	/* eight flights, or eight heartbeat rounds when they come faster (a
	 * busy cluster: more arrows than anyone can follow) */
	int64_t span = 8 * sim_config(s)->latency_us_max;
	if (span > 8 * sim_config(s)->heartbeat_us)
		span = 8 * sim_config(s)->heartbeat_us;
	if (span < 20000)
		span = 20000;
	if (span > 5000000)
		span = 5000000;
	return span;
}

void render_layout_diagram_time(struct render_layout *l, int64_t t0_us, int64_t t1_us)
{
	if (t1_us <= t0_us)
		t1_us = t0_us + 1;
	l->diagram_t0_us = t0_us;
	l->diagram_t1_us = t1_us;
}

/* The lifelines' band: below the header (node names), above a margin. */
static void diagram_band(const struct render_layout *l, float *top, float *bottom)
{
	*top = (float)l->diagram.y + RENDER_DIAGRAM_HEAD * l->u;
	*bottom = (float)(l->diagram.y + l->diagram.h) - 10 * l->u;
	if (*bottom < *top + 1)
		*bottom = *top + 1;
}

float render_layout_diagram_x(const struct render_layout *l, unsigned node)
{
	float gutter = RENDER_DIAGRAM_GUTTER * l->u;
	float w = (float)l->diagram.w - gutter - 8 * l->u;
	float col = w / (float)(l->n_nodes ? l->n_nodes : 1);
	return (float)l->diagram.x + gutter + col * ((float)node - 0.5f);
}

float render_layout_diagram_y(const struct render_layout *l, int64_t t_us)
{
	float top, bottom;
	diagram_band(l, &top, &bottom);
	double f = (double)(t_us - l->diagram_t0_us) /
	           (double)(l->diagram_t1_us - l->diagram_t0_us);
	return top + (bottom - top) * (float)f;
}

int64_t render_layout_diagram_time_at(const struct render_layout *l, float y)
{
	float top, bottom;
	diagram_band(l, &top, &bottom);
	double f = (double)(y - top) / (double)(bottom - top);
	return l->diagram_t0_us +
	       (int64_t)llround(f * (double)(l->diagram_t1_us - l->diagram_t0_us));
}

int64_t render_msgrec_due_us(const struct render_msgrec *m, uint64_t seq)
{
	return m->retime_seq && m->retime_seq > seq ? m->due0_us : m->due_us;
}

/* Where along its flight, 0..1, a message due at due is at t. */
static float flight_frac(const struct render_msgrec *m, int64_t due, int64_t t)
{
	if (due <= m->send_us)
		return 1;
	double f = (double)(t - m->send_us) / (double)(due - m->send_us);
	return (float)(f < 0 ? 0 : f > 1 ? 1 : f);
}

bool render_layout_diagram_msg(const struct render_layout *l, const struct render_msgrec *m,
                               uint64_t seq, int64_t now_us, float *x0, float *y0, float *x1,
                               float *y1, int *end)
{
	if (m->send_seq > seq || m->from < 1 || m->from > l->n_nodes || m->to < 1 ||
	    m->to > l->n_nodes)
		return false;
	int e = m->end != RENDER_END_FLYING && m->end_seq <= seq ? m->end : RENDER_END_FLYING;
	int64_t t = e == RENDER_END_FLYING ? now_us : m->end_us;
	if (t < m->send_us)
		t = m->send_us;
	if (t < l->diagram_t0_us || m->send_us > l->diagram_t1_us)
		return false;
	float xa = render_layout_diagram_x(l, m->from), xb = render_layout_diagram_x(l, m->to);
	float f = e == RENDER_END_DELIVERED ? 1 : flight_frac(m, render_msgrec_due_us(m, seq), t);
	*x0 = xa;
	*y0 = render_layout_diagram_y(l, m->send_us);
	*x1 = xa + (xb - xa) * f;
	*y1 = render_layout_diagram_y(l, t);
	*end = e;
	return true;
}

size_t render_diagram_first_msg(const struct render_msgrec *msgs, size_t n, int64_t t0_us)
{
	/* no flight lasts longer than this (latency, delays, a long `delay msg`) */
	int64_t back = 60000000;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (msgs[mid].send_us < t0_us - back)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t render_layout_hit_msg(const struct render_layout *l, const struct sim *s, float x,
                               float y)
{
	int64_t now = sim_now_us(s);
	float best = 12 * l->u * 12 * l->u;
	uint64_t id = 0;
	for (size_t i = 0; i < sim_msg_capacity(s); i++) {
		const struct sim_msg *m = sim_msg_slot(s, i);
		if (!m || m->send_us > now)
			continue;
		float f = m->deliver_us > m->send_us
		              ? (float)((double)(now - m->send_us) / (double)(m->deliver_us - m->send_us))
		              : 1;
		float mx, my;
		if (!render_layout_msg_pos(l, m->m.from, m->m.to, f > 1 ? 1 : f, &mx, &my))
			continue;
		float d2 = (mx - x) * (mx - x) + (my - y) * (my - y);
		if (d2 <= best) {
			best = d2;
			id = m->id;
		}
	}
	return id;
}

static float seg_dist2(float px, float py, float x0, float y0, float x1, float y1)
{
	float dx = x1 - x0, dy = y1 - y0, d2 = dx * dx + dy * dy;
	float k = d2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / d2 : 0;
	k = k < 0 ? 0 : k > 1 ? 1 : k;
	float ex = x0 + dx * k - px, ey = y0 + dy * k - py;
	return ex * ex + ey * ey;
}

bool render_layout_diagram_hit(const struct render_layout *l, const struct render_msgrec *msgs,
                               size_t n_msgs, const struct render_lifeev *life, size_t n_life,
                               uint64_t seq, int64_t now_us, float x, float y,
                               struct render_diagram_hit *out)
{
	const struct render_rect *d = &l->diagram;
	if (d->w <= 0 || x < (float)d->x || x >= (float)(d->x + d->w) || y < (float)d->y ||
	    y >= (float)(d->y + d->h))
		return false;
	float best = 8 * l->u * 8 * l->u;
	bool hit = false;
	/* lifeline events first: they are small targets on top */
	for (size_t i = 0; i < n_life; i++) {
		const struct render_lifeev *e = &life[i];
		if (e->seq > seq || e->kind == RENDER_LIFE_NET || e->node < 1 || e->node > l->n_nodes ||
		    e->time_us < l->diagram_t0_us || e->time_us > l->diagram_t1_us)
			continue;
		float ex = render_layout_diagram_x(l, e->node) - x,
		      ey = render_layout_diagram_y(l, e->time_us) - y;
		float d2 = ex * ex + ey * ey;
		if (d2 <= best) {
			best = d2;
			hit = true;
			*out = (struct render_diagram_hit){.life = e, .time_us = e->time_us,
			                                   .node = e->node};
		}
	}
	if (hit)
		return true;
	best = 6 * l->u * 6 * l->u;
	for (size_t i = render_diagram_first_msg(msgs, n_msgs, l->diagram_t0_us); i < n_msgs; i++) {
		if (msgs[i].send_us > l->diagram_t1_us)
			break;
		float x0, y0, x1, y1;
		int end;
		if (!render_layout_diagram_msg(l, &msgs[i], seq, now_us, &x0, &y0, &x1, &y1, &end))
			continue;
		float d2 = seg_dist2(x, y, x0, y0, x1, y1);
		if (d2 <= best) {
			best = d2;
			hit = true;
			*out = (struct render_diagram_hit){.msg = &msgs[i], .node = msgs[i].from};
			/* the moment under the pointer, along the arrow */
			out->time_us = render_layout_diagram_time_at(l, y);
			if (out->time_us < msgs[i].send_us)
				out->time_us = msgs[i].send_us;
		}
	}
	return hit;
}
