/* draw_internal.h - render/'s private drawing context shared by the panel
 * files (draw_*.c): the context of one frame, the palette beyond gfx.h and
 * small helpers.  Every rectangle comes from the layout (layout.c); a panel
 * file draws inside its own. */
#ifndef RENDER_DRAW_INTERNAL_H
#define RENDER_DRAW_INTERNAL_H

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

struct render_cut_label {
	float x, y;
	int64_t since;
	char text[64];
};

struct render_dc {
	struct render_gfx *g;
	const struct render_frame *f;
	const struct sim *s;
	struct render_layout l;
	float u;
	int64_t now;
	unsigned n;
	uint8_t leader; /* the leader whose nextIndex/matchIndex are drawn */
	struct render_cut_label cuts[RENDER_NODES_MAX * RENDER_NODES_MAX / 2 + 1];
	size_t n_cuts;
};

static inline int px(const struct render_dc *c, float size)
{
	int p = (int)lroundf(size * c->u);
	return p < 9 ? 9 : p;
}

static inline struct rgba node_color(const struct sim *s, unsigned i)
{
	return render_role_colour(render_role_look_of(s, i));
}

/* A node's small role chip in the panels: the node's shape in little. */
static inline void role_chip(struct render_dc *c, unsigned i, float x, float y, float r)
{
	render_shape_role(c->g, render_role_look_of(c->s, i), x, y, r, true, false);
}

static inline void fmt_secs(int64_t us, char *buf, size_t cap)
{
	snprintf(buf, cap, "%lld.%03lld s", (long long)(us / 1000000),
	         (long long)(us % 1000000 / 1000));
}

static inline void fmt_dur(int64_t us, char *buf, size_t cap)
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

static inline void node_pos(const struct render_dc *c, unsigned i, float *x, float *y, float *r)
{
	render_layout_node(&c->l, i, x, y, r);
}

/* The point on node i's rim toward node j, shifted into the lane of
 * messages travelling i -> j (to the right of that direction). */
static inline void lane_end(const struct render_dc *c, unsigned i, unsigned j, float lane,
                            float *x, float *y)
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

/* ---- The panels (one file each) ------------------------------------------------ */
/* draw.c: shared helpers */
void render_dc_pill(struct render_dc *c, const char *s, float x, float y, struct rgba bg,
                    struct rgba fg, int size);
int render_dc_fit_px(struct render_dc *c, const char *s, float hi, float lo, float max_w);
/* draw_ring.c: the links, the messages and the nodes */
void render_draw_links(struct render_dc *c);
void render_draw_link_hint(struct render_dc *c);
void render_draw_link_labels(struct render_dc *c);
void render_draw_messages(struct render_dc *c);
void render_draw_bundle_labels(struct render_dc *c);
void render_draw_node(struct render_dc *c, unsigned i);
/* draw_diagram.c */
void render_draw_diagram(struct render_dc *c);
/* draw_log.c */
void render_draw_log(struct render_dc *c);
/* draw_details.c */
void render_draw_details(struct render_dc *c);
/* draw_clients.c: the client timeline (in the details panel's place) */
void render_draw_clients(struct render_dc *c);
/* draw_timeline.c */
void render_draw_timeline(struct render_dc *c);
/* draw_overlays.c: the caption band, the legend, the banner, the menu, the help */
void render_draw_caption(struct render_dc *c);
void render_draw_legend_at(struct render_dc *c, float x, float y);
void render_draw_legend(struct render_dc *c);
void render_draw_banner(struct render_dc *c, const char *s, struct rgba bg);
void render_draw_menu(struct render_dc *c);
void render_draw_help(struct render_dc *c);
/* The fields of the message hovered (else selected), over the top of the
 * diagram (else over the details panel). */
void render_draw_msg_info(struct render_dc *c);

#endif
