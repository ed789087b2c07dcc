/* gfx.c - batched anti-aliased shapes via SDL_RenderGeometry and a cache of rendered text textures. */
#include "gfx.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONTS_MAX 40
#define TEXT_CAP 4096      /* hash slots, a power of two */
#define TEXT_HIGH 2600     /* evict above this many entries */
#define PI_F 3.14159265358979f
#define SPRITE_CAP 2048 /* a power of two */
#define SPRITE_HIGH 1400

/* The faces: DejaVu Sans, DejaVu Sans Bold, the CJK font, the CJK font
 * emboldened (it has no bold of its own). */
enum { FACE_REGULAR, FACE_BOLD, FACE_CJK, FACE_CJK_BOLD, FACES };

struct font_slot {
	int px;
	int face;
	TTF_Font *font;
	uint32_t used;
};

struct text_entry {
	uint64_t hash;   /* 0: empty slot */
	char *s;
	int px;
	bool bold;
	uint8_t r, g, b;
	SDL_Texture *tex;
	int w, h;
	uint32_t used;
};

enum layer_kind { LP_LINE, LP_TRI };
struct layer_prim {
	int kind;
	float v[6]; /* LINE: x0 y0 x1 y1 width; TRI: three points */
	struct rgba c;
};

struct sprite {
	uint64_t key; /* 0: empty */
	SDL_Texture *tex;
	int size;
	uint32_t used;
};

struct render_gfx {
	SDL_Renderer *r;
	void *font_data[3]; /* regular, bold, CJK: whole files, fonts read from them */
	size_t font_size[3];
	struct font_slot fonts[FONTS_MAX];
	struct text_entry *text;
	size_t text_n;
	uint32_t frame;
	SDL_Vertex *v;
	int *idx;
	int nv, ni, cap_v, cap_i;
	struct sprite *sprites;
	size_t n_sprites;
	/* the line layer */
	bool layer_on;
	struct render_rect layer_rect;
	struct layer_prim *prims;
	size_t n_prims, cap_prims;
	uint32_t *layer_buf;
	SDL_Texture *layer_tex;
	int layer_w, layer_h;
	uint64_t layer_hash;
	/* the hairline layer: rebuilt every frame */
	bool hair_on;
	struct render_rect hair_rect;
	uint32_t *hair_buf;
	SDL_Texture *hair_tex;
	int hair_w, hair_h;
	int hair_x0, hair_y0, hair_x1, hair_y1; /* the pixels touched */
};

static void layer_add(struct render_gfx *g, int kind, float a, float b, float c2, float d,
                      float e, float f, struct rgba col);
static void sprites_clear(struct render_gfx *g);

/* ---- Setup --------------------------------------------------------------------- */
static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	void *p = NULL;
	if (fseek(f, 0, SEEK_END) == 0) {
		long n = ftell(f);
		if (n > 0 && fseek(f, 0, SEEK_SET) == 0) {
			p = malloc((size_t)n);
			if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
				free(p);
				p = NULL;
			}
			*size = (size_t)n;
		}
	}
	fclose(f);
	return p;
}

struct render_gfx *render_gfx_new(SDL_Renderer *r, char *err, size_t errcap)
{
	char dir[4096], why[2048];
	if (!render_assets_dir(dir, sizeof dir, why, sizeof why)) {
		snprintf(err, errcap,
		         _("cannot find the font DejaVuSans.ttf (looked in %s; set RAFTSIM_ASSETS to "
		         "the assets directory)"),
		         why[0] ? why : "nowhere");
		return NULL;
	}
	if (!TTF_WasInit() && TTF_Init() != 0) {
		snprintf(err, errcap, _("cannot start SDL_ttf: %s"), TTF_GetError());
		return NULL;
	}
	struct render_gfx *g = calloc(1, sizeof *g);
	if (!g) {
		snprintf(err, errcap, _("out of memory"));
		return NULL;
	}
	g->r = r;
	const char *files[2] = {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf"};
	for (int i = 0; i < 2; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		g->font_data[i] = read_file(path, &g->font_size[i]);
		if (!g->font_data[i] && i == 1) { /* bold is optional: fall back */
			snprintf(path, sizeof path, "%s/%s", dir, files[0]);
			g->font_data[i] = read_file(path, &g->font_size[i]);
		}
		if (!g->font_data[i]) {
			snprintf(err, errcap, _("cannot read %s"), path);
			render_gfx_free(g);
			return NULL;
		}
	}
	g->text = calloc(TEXT_CAP, sizeof *g->text);
	if (!g->text) {
		snprintf(err, errcap, _("out of memory"));
		render_gfx_free(g);
		return NULL;
	}
	g->sprites = calloc(SPRITE_CAP, sizeof *g->sprites);
	if (!g->sprites) {
		snprintf(err, errcap, _("out of memory"));
		render_gfx_free(g);
		return NULL;
	}
	char cjk[4096];
	if (render_cjk_font(cjk, sizeof cjk, err, errcap) != 0) {
		render_gfx_free(g);
		return NULL;
	}
	g->font_data[2] = read_file(cjk, &g->font_size[2]);
	if (!g->font_data[2]) {
		snprintf(err, errcap, _("cannot read the CJK font %s"), cjk);
		render_gfx_free(g);
		return NULL;
	}
	SDL_SetRenderDrawBlendMode(r, SDL_BLENDMODE_BLEND);
	return g;
}

static void text_clear(struct render_gfx *g)
{
	for (size_t i = 0; i < TEXT_CAP; i++) {
		struct text_entry *e = &g->text[i];
		if (e->hash) {
			SDL_DestroyTexture(e->tex);
			free(e->s);
		}
		memset(e, 0, sizeof *e);
	}
	g->text_n = 0;
}

void render_gfx_free(struct render_gfx *g)
{
	if (!g)
		return;
	if (g->text) {
		text_clear(g);
		free(g->text);
	}
	for (int i = 0; i < FONTS_MAX; i++)
		if (g->fonts[i].font)
			TTF_CloseFont(g->fonts[i].font);
	for (int i = 0; i < 3; i++)
		free(g->font_data[i]);
	if (g->sprites) {
		sprites_clear(g);
		free(g->sprites);
	}
	if (g->layer_tex)
		SDL_DestroyTexture(g->layer_tex);
	free(g->layer_buf);
	if (g->hair_tex)
		SDL_DestroyTexture(g->hair_tex);
	free(g->hair_buf);
	free(g->prims);
	free(g->v);
	free(g->idx);
	free(g);
}

SDL_Renderer *render_gfx_renderer(struct render_gfx *g)
{
	return g->r;
}

struct rgba render_gfx_text_on(struct rgba c)
{
	/* relative luminance, roughly (sRGB weights on gamma values) */
	float l = 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
	return l > 140 ? C_INK : C_WHITE;
}

/* ---- The batch ----------------------------------------------------------------- */
void render_gfx_flush(struct render_gfx *g)
{
	if (g->ni > 0)
		SDL_RenderGeometry(g->r, NULL, g->v, g->nv, g->idx, g->ni);
	g->nv = g->ni = 0;
}

static bool reserve(struct render_gfx *g, int nv, int ni)
{
	if (g->nv + nv > 60000)
		render_gfx_flush(g);
	if (g->nv + nv > g->cap_v) {
		int cap = g->cap_v ? g->cap_v : 4096;
		while (cap < g->nv + nv)
			cap *= 2;
		SDL_Vertex *v = realloc(g->v, (size_t)cap * sizeof *v);
		if (!v)
			return false;
		g->v = v;
		g->cap_v = cap;
	}
	if (g->ni + ni > g->cap_i) {
		int cap = g->cap_i ? g->cap_i : 8192;
		while (cap < g->ni + ni)
			cap *= 2;
		int *p = realloc(g->idx, (size_t)cap * sizeof *p);
		if (!p)
			return false;
		g->idx = p;
		g->cap_i = cap;
	}
	return true;
}

static inline int vtx(struct render_gfx *g, float x, float y, struct rgba c)
{
	SDL_Vertex *v = &g->v[g->nv];
	v->position.x = x;
	v->position.y = y;
	v->color.r = c.r;
	v->color.g = c.g;
	v->color.b = c.b;
	v->color.a = c.a;
	v->tex_coord.x = 0;
	v->tex_coord.y = 0;
	return g->nv++;
}

static inline void tri(struct render_gfx *g, int a, int b, int c)
{
	g->idx[g->ni++] = a;
	g->idx[g->ni++] = b;
	g->idx[g->ni++] = c;
}

void render_gfx_begin(struct render_gfx *g, struct rgba c)
{
	g->frame++;
	g->nv = g->ni = 0;
	SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
	SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, 255);
	SDL_RenderClear(g->r);
}

void render_gfx_end(struct render_gfx *g)
{
	render_gfx_flush(g);
}

void render_gfx_clip(struct render_gfx *g, const struct render_rect *r)
{
	render_gfx_flush(g);
	if (r) {
		SDL_Rect c = {r->x, r->y, r->w, r->h};
		SDL_RenderSetClipRect(g->r, &c);
	} else {
		SDL_RenderSetClipRect(g->r, NULL);
	}
}

/* ---- Convex polygons with a half-pixel feathered rim ------------------------------ */
static void poly(struct render_gfx *g, const SDL_FPoint *p, int n, struct rgba c)
{
	if (n < 3 || c.a == 0 || !reserve(g, 2 * n + 1, 9 * n))
		return;
	float area = 0, cx = 0, cy = 0;
	for (int i = 0; i < n; i++) {
		const SDL_FPoint *a = &p[i], *b = &p[(i + 1) % n];
		area += a->x * b->y - b->x * a->y;
		cx += a->x;
		cy += a->y;
	}
	float sgn = area > 0 ? 1.0f : -1.0f;
	int centre = vtx(g, cx / (float)n, cy / (float)n, c);
	int base = g->nv;
	struct rgba clear = c;
	clear.a = 0;
	for (int i = 0; i < n; i++) {
		const SDL_FPoint *prev = &p[(i + n - 1) % n], *cur = &p[i], *next = &p[(i + 1) % n];
		float e1x = cur->x - prev->x, e1y = cur->y - prev->y;
		float e2x = next->x - cur->x, e2y = next->y - cur->y;
		float l1 = sqrtf(e1x * e1x + e1y * e1y), l2 = sqrtf(e2x * e2x + e2y * e2y);
		float n1x = 0, n1y = 0, n2x = 0, n2y = 0;
		if (l1 > 1e-6f) {
			n1x = sgn * e1y / l1;
			n1y = -sgn * e1x / l1;
		}
		if (l2 > 1e-6f) {
			n2x = sgn * e2y / l2;
			n2y = -sgn * e2x / l2;
		}
		float mx = n1x + n2x, my = n1y + n2y;
		float d = 1.0f + n1x * n2x + n1y * n2y;
		if (d < 0.25f)
			d = 0.25f; /* caps spikes at sharp corners */
		mx /= d;
		my /= d;
		vtx(g, cur->x - 0.5f * mx, cur->y - 0.5f * my, c);
		vtx(g, cur->x + 0.5f * mx, cur->y + 0.5f * my, clear);
	}
	for (int i = 0; i < n; i++) {
		int j = (i + 1) % n;
		int in_i = base + 2 * i, out_i = in_i + 1, in_j = base + 2 * j, out_j = in_j + 1;
		tri(g, centre, in_i, in_j);
		tri(g, in_i, out_i, out_j);
		tri(g, in_i, out_j, in_j);
	}
}

/* ---- Sprites: shapes rasterised once with exact coverage, then blitted -----
 * The software renderer blends each geometry triangle through a temporary
 * surface the size of its bounding box, so discs, rings and arcs are drawn
 * as cached white textures tinted with the colour instead: a blit per
 * shape, anti-aliased, the same on every renderer. */
enum sprite_kind {
	SP_DISC,
	SP_RING,
	SP_ARC,
	SP_DASHRING,
	SP_STAR,
	SP_CROSS,
	SP_DIAMOND, /* p0 apothem, p1 rim width (0 filled), p2 dashed */
	SP_BOX,     /* p0 half side, p1 rim width (0 filled), p2 dashed */
	SP_CHECK,   /* p0 half size, p1 stroke */
	SP_PAGE,    /* p0 half width, p1 half height, p2 the folded corner */
};

#define ARC_STEPS 240 /* arcs are cached per 1/240 of a turn */

static float clamp01(float v)
{
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* Angle of (dx, dy): 0 at 12 o'clock, clockwise, in [0, 2pi). */
static float angle_of(float dx, float dy)
{
	float a = atan2f(dx, -dy);
	return a < 0 ? a + 2 * PI_F : a;
}

static float seg_dist(float px, float py, float x0, float y0, float x1, float y1)
{
	float dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
	float t = l2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / l2 : 0;
	t = t < 0 ? 0 : t > 1 ? 1 : t;
	float ex = x0 + t * dx - px, ey = y0 + t * dy - py;
	return sqrtf(ex * ex + ey * ey);
}

static bool in_star(float x, float y, float ro, float ri, int points)
{
	/* star-shaped about the origin: compare with the outline's radius at
	 * this angle, interpolated along the edge between two tips */
	float a = angle_of(x, y), d = sqrtf(x * x + y * y);
	float per = PI_F / (float)points;
	int k = (int)(a / per);
	float a0 = (float)k * per, a1 = a0 + per;
	float r0 = k % 2 ? ri : ro, r1 = k % 2 ? ro : ri;
	float x0 = r0 * sinf(a0), y0 = -r0 * cosf(a0), x1 = r1 * sinf(a1), y1 = -r1 * cosf(a1);
	/* the edge's distance from the origin along direction a */
	float ux = sinf(a), uy = -cosf(a);
	float ex = x1 - x0, ey = y1 - y0;
	float den = ux * ey - uy * ex;
	if (fabsf(den) < 1e-6f)
		return d <= r0;
	float t = (x0 * ey - y0 * ex) / den;
	return d <= t;
}

/* A broken outline: one dash round each corner, a gap in the middle of
 * each edge; t is the position along an edge of len pixels (0 and 1 the
 * corners). */
static float dash_cover(float t, float len)
{
	float off = fminf(t, 1 - t); /* distance to the nearer corner, in t */
	return clamp01((0.36f - off) * len + 0.5f);
}

/* A rim of width w inside a shape whose signed distance is d (negative
 * inside); w <= 0 fills the shape. */
static float rim_cover(float d, float w)
{
	float in = clamp01(-d + 0.5f);
	return w > 0 ? fminf(in, clamp01(d + w + 0.5f)) : in;
}

/* Coverage of pixel centre (x, y), relative to the shape's centre. */
static float coverage(enum sprite_kind kind, const float *p, float x, float y)
{
	float d = sqrtf(x * x + y * y);
	switch (kind) {
	case SP_DISC:
		return clamp01(p[0] - d + 0.5f);
	case SP_RING:
		return fminf(clamp01(p[1] - d + 0.5f), clamp01(d - p[0] + 0.5f));
	case SP_ARC: {
		float ring = fminf(clamp01(p[1] - d + 0.5f), clamp01(d - p[0] + 0.5f));
		if (ring <= 0 || p[2] >= 2 * PI_F)
			return ring;
		float a = angle_of(x, y), sgn = a < PI_F ? a : a - 2 * PI_F;
		float cs = clamp01(sgn * d + 0.5f), ce = clamp01((p[2] - a) * d + 0.5f);
		return ring * fminf(cs, ce);
	}
	case SP_DASHRING: {
		float ring = fminf(clamp01(p[1] - d + 0.5f), clamp01(d - p[0] + 0.5f));
		if (ring <= 0)
			return 0;
		float per = 2 * PI_F / p[2], on = per * 0.6f;
		float t = fmodf(angle_of(x, y), per);
		float dist = t < on ? fminf(t, on - t) : -fminf(t - on, per - t);
		return ring * clamp01(dist * d + 0.5f);
	}
	case SP_STAR: {
		int hits = 0;
		for (int sy = 0; sy < 4; sy++)
			for (int sx = 0; sx < 4; sx++)
				hits += in_star(x + ((float)sx - 1.5f) / 4, y + ((float)sy - 1.5f) / 4, p[0], p[1],
				                (int)p[2]);
		return (float)hits / 16;
	}
	case SP_CROSS: {
		float h = p[0], w = p[1];
		float d1 = seg_dist(x, y, -h, -h, h, h), d2 = seg_dist(x, y, -h, h, h, -h);
		return clamp01(w / 2 - fminf(d1, d2) + 0.5f);
	}
	case SP_DIAMOND: {
		float ax = fabsf(x), ay = fabsf(y), sum = ax + ay;
		float cov = rim_cover((sum / 1.41421356f) - p[0], p[1]);
		if (cov <= 0 || p[2] == 0)
			return cov;
		/* t runs from the top/bottom corner (0) to the side corner (1) */
		return cov * dash_cover(sum > 0 ? ax / sum : 0, 2 * p[0]);
	}
	case SP_BOX: {
		float h = p[0], rc = h * 0.3f, ax = fabsf(x), ay = fabsf(y);
		float qx = ax - (h - rc), qy = ay - (h - rc);
		float out = sqrtf(fmaxf(qx, 0) * fmaxf(qx, 0) + fmaxf(qy, 0) * fmaxf(qy, 0));
		float cov = rim_cover(out + fminf(fmaxf(qx, qy), 0) - rc, p[1]);
		if (cov <= 0 || p[2] == 0)
			return cov;
		/* along the nearer edge: 0.5 in its middle, 0 and 1 at its corners */
		float along = ax > ay ? ay : ax;
		return cov * dash_cover(0.5f + 0.5f * fminf(along / h, 1), 2 * h);
	}
	case SP_CHECK: {
		float r = p[0];
		float d1 = seg_dist(x, y, -0.62f * r, 0.02f * r, -0.16f * r, 0.5f * r);
		float d2 = seg_dist(x, y, -0.16f * r, 0.5f * r, 0.66f * r, -0.55f * r);
		return clamp01(p[1] / 2 - fminf(d1, d2) + 0.5f);
	}
	case SP_PAGE: {
		float hw = p[0], hh = p[1], f = p[2];
		float box = fmaxf(fabsf(x) - hw, fabsf(y) - hh);
		float cut = ((x - y) - (hw + hh - f)) / 1.41421356f;
		return clamp01(-fmaxf(box, cut) + 0.5f);
	}
	}
	return 0;
}

/* How far a sprite's shape reaches from its centre. */
static float sprite_extent(enum sprite_kind kind, const float *p)
{
	switch (kind) {
	case SP_CROSS:
	case SP_CHECK:
		return p[0] + p[1];
	case SP_DISC:
	case SP_STAR:
		return p[0];
	case SP_RING:
	case SP_ARC:
	case SP_DASHRING:
		return p[1];
	case SP_DIAMOND:
		return p[0] * 1.41421356f; /* the corners */
	case SP_BOX:
		return p[0];
	case SP_PAGE:
		return fmaxf(p[0], p[1]);
	}
	return p[0];
}



static void sprites_clear(struct render_gfx *g)
{
	for (size_t i = 0; i < SPRITE_CAP; i++)
		if (g->sprites[i].key)
			SDL_DestroyTexture(g->sprites[i].tex);
	memset(g->sprites, 0, SPRITE_CAP * sizeof *g->sprites);
	g->n_sprites = 0;
}

static void sprites_evict(struct render_gfx *g)
{
	struct sprite *old = g->sprites;
	struct sprite *t = calloc(SPRITE_CAP, sizeof *t);
	if (!t) {
		sprites_clear(g);
		return;
	}
	g->sprites = t;
	g->n_sprites = 0;
	for (size_t i = 0; i < SPRITE_CAP; i++) {
		if (!old[i].key)
			continue;
		if (g->frame - old[i].used > 1) {
			SDL_DestroyTexture(old[i].tex);
			continue;
		}
		size_t j = old[i].key & (SPRITE_CAP - 1);
		while (t[j].key)
			j = (j + 1) & (SPRITE_CAP - 1);
		t[j] = old[i];
		g->n_sprites++;
	}
	free(old);
	if (g->n_sprites > SPRITE_HIGH)
		sprites_clear(g);
}

/* The cached sprite for (kind, q0, q1, q2); parameters are quantised ints:
 * radii and widths in quarter pixels. */
static struct sprite *sprite(struct render_gfx *g, enum sprite_kind kind, int q0, int q1, int q2)
{
	uint64_t key = ((uint64_t)kind << 56) ^ ((uint64_t)(uint32_t)q0 << 36) ^
	               ((uint64_t)(uint32_t)q1 << 16) ^ (uint64_t)(uint32_t)q2;
	key = (key * 0x9E3779B97F4A7C15ull) | 1;
	size_t j = key & (SPRITE_CAP - 1);
	while (g->sprites[j].key) {
		if (g->sprites[j].key == key) {
			g->sprites[j].used = g->frame;
			return &g->sprites[j];
		}
		j = (j + 1) & (SPRITE_CAP - 1);
	}
	if (g->n_sprites >= SPRITE_HIGH) {
		sprites_evict(g);
		return sprite(g, kind, q0, q1, q2);
	}
	float p[3] = {(float)q0 / 4, (float)q1 / 4, (float)q2};
	float extent = sprite_extent(kind, p);
	if (kind == SP_ARC)
		p[2] = 2 * PI_F * (float)q2 / ARC_STEPS;
	if (kind == SP_PAGE)
		p[2] = (float)q2 / 4;
	int size = 2 * (int)ceilf(extent + 1.5f);
	if (size < 2 || size > 4096)
		return NULL;
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!surf)
		return NULL;
	float c = (float)size / 2;
	for (int y = 0; y < size; y++) {
		uint32_t *row = (uint32_t *)((uint8_t *)surf->pixels + (size_t)y * (size_t)surf->pitch);
		for (int x = 0; x < size; x++) {
			float a = coverage(kind, p, (float)x + 0.5f - c, (float)y + 0.5f - c);
			row[x] = (uint32_t)(a * 255 + 0.5f) << 24 | 0xFFFFFFu;
		}
	}
	SDL_Texture *tex = SDL_CreateTextureFromSurface(g->r, surf);
	SDL_FreeSurface(surf);
	if (!tex)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	struct sprite *sp = &g->sprites[j];
	*sp = (struct sprite){.key = key, .tex = tex, .size = size, .used = g->frame};
	g->n_sprites++;
	return sp;
}

static int q4(float v)
{
	return (int)lroundf(v * 4);
}

static void blit(struct render_gfx *g, struct sprite *sp, float cx, float cy, struct rgba c,
                 const SDL_Rect *src)
{
	if (!sp || c.a == 0)
		return;
	render_gfx_flush(g);
	SDL_SetTextureColorMod(sp->tex, c.r, c.g, c.b);
	SDL_SetTextureAlphaMod(sp->tex, c.a);
	int half = sp->size / 2;
	SDL_Rect dst = {(int)lroundf(cx) - half, (int)lroundf(cy) - half, sp->size, sp->size};
	if (src) {
		dst.x += src->x;
		dst.y += src->y;
		dst.w = src->w;
		dst.h = src->h;
	}
	SDL_RenderCopy(g->r, sp->tex, src, &dst);
}

void render_gfx_disc(struct render_gfx *g, float cx, float cy, float r, struct rgba c)
{
	if (r > 0)
		blit(g, sprite(g, SP_DISC, q4(r), 0, 0), cx, cy, c, NULL);
}

void render_gfx_ring(struct render_gfx *g, float cx, float cy, float r_in, float r_out, struct rgba c)
{
	if (r_out > r_in)
		blit(g, sprite(g, SP_RING, q4(r_in), q4(r_out), 0), cx, cy, c, NULL);
}

void render_gfx_arc(struct render_gfx *g, float cx, float cy, float r_in, float r_out, float a0,
             float a1, struct rgba c)
{
	/* arcs start at 12 o'clock (a0 is 0 everywhere in the view) */
	(void)a0;
	int steps = (int)lroundf(a1 / (2 * PI_F) * ARC_STEPS);
	if (steps <= 0 || r_out <= r_in)
		return;
	if (steps >= ARC_STEPS)
		render_gfx_ring(g, cx, cy, r_in, r_out, c);
	else
		blit(g, sprite(g, SP_ARC, q4(r_in), q4(r_out), steps), cx, cy, c, NULL);
}

void render_gfx_dashed_ring(struct render_gfx *g, float cx, float cy, float r_in, float r_out,
                     int dashes, float rot, struct rgba c)
{
	(void)rot;
	if (dashes >= 1 && r_out > r_in)
		blit(g, sprite(g, SP_DASHRING, q4(r_in), q4(r_out), dashes), cx, cy, c, NULL);
}

void render_gfx_star(struct render_gfx *g, float cx, float cy, float r_out, float r_in, int points,
              struct rgba c)
{
	if (points >= 2 && points <= 16)
		blit(g, sprite(g, SP_STAR, q4(r_out), q4(r_in), points), cx, cy, c, NULL);
}

void render_gfx_cross(struct render_gfx *g, float cx, float cy, float half, float w, struct rgba c)
{
	blit(g, sprite(g, SP_CROSS, q4(half), q4(w), 0), cx, cy, c, NULL);
}

void render_gfx_diamond(struct render_gfx *g, float cx, float cy, float a, float w, bool dashed,
                        struct rgba c)
{
	if (a > 0)
		blit(g, sprite(g, SP_DIAMOND, q4(a), q4(w > 0 ? w : 0), dashed), cx, cy, c, NULL);
}

void render_gfx_box(struct render_gfx *g, float cx, float cy, float h, float w, bool dashed,
                    struct rgba c)
{
	if (h > 0)
		blit(g, sprite(g, SP_BOX, q4(h), q4(w > 0 ? w : 0), dashed), cx, cy, c, NULL);
}

void render_gfx_check(struct render_gfx *g, float cx, float cy, float r, float w, struct rgba c)
{
	if (r > 0 && w > 0)
		blit(g, sprite(g, SP_CHECK, q4(r), q4(w), 0), cx, cy, c, NULL);
}

void render_gfx_page(struct render_gfx *g, float cx, float cy, float hw, float hh, float fold,
                     struct rgba c)
{
	if (hw > 0 && hh > 0)
		blit(g, sprite(g, SP_PAGE, q4(hw), q4(hh), q4(fold)), cx, cy, c, NULL);
}

/* ---- Rectangles: the renderer's own fills, the fastest path ------------------- */
void render_gfx_rect(struct render_gfx *g, float x, float y, float w, float h, struct rgba c)
{
	if (w <= 0 || h <= 0 || c.a == 0)
		return;
	render_gfx_flush(g);
	int x0 = (int)lroundf(x), y0 = (int)lroundf(y), x1 = (int)lroundf(x + w),
	    y1 = (int)lroundf(y + h);
	if (x1 <= x0)
		x1 = x0 + 1;
	if (y1 <= y0)
		y1 = y0 + 1;
	SDL_Rect r = {x0, y0, x1 - x0, y1 - y0};
	SDL_SetRenderDrawColor(g->r, c.r, c.g, c.b, c.a);
	if (c.a == 255) {
		/* opaque: a plain fill, no blending */
		SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_NONE);
		SDL_RenderFillRect(g->r, &r);
		SDL_SetRenderDrawBlendMode(g->r, SDL_BLENDMODE_BLEND);
	} else {
		SDL_RenderFillRect(g->r, &r);
	}
}

void render_gfx_rect_outline(struct render_gfx *g, float x, float y, float w, float h, float t,
                      struct rgba c)
{
	render_gfx_rect(g, x, y, w, t, c);
	render_gfx_rect(g, x, y + h - t, w, t, c);
	render_gfx_rect(g, x, y + t, t, h - 2 * t, c);
	render_gfx_rect(g, x + w - t, y + t, t, h - 2 * t, c);
}

void render_gfx_round_rect(struct render_gfx *g, float x, float y, float w, float h, float rad,
                    struct rgba c)
{
	if (rad > w / 2)
		rad = w / 2;
	if (rad > h / 2)
		rad = h / 2;
	int R = (int)lroundf(rad);
	if (R < 2) {
		render_gfx_rect(g, x, y, w, h, c);
		return;
	}
	int x0 = (int)lroundf(x), y0 = (int)lroundf(y), x1 = (int)lroundf(x + w),
	    y1 = (int)lroundf(y + h);
	/* the body in three rectangles that do not overlap */
	render_gfx_rect(g, (float)(x0 + R), (float)y0, (float)(x1 - x0 - 2 * R), (float)(y1 - y0), c);
	render_gfx_rect(g, (float)x0, (float)(y0 + R), (float)R, (float)(y1 - y0 - 2 * R), c);
	render_gfx_rect(g, (float)(x1 - R), (float)(y0 + R), (float)R, (float)(y1 - y0 - 2 * R), c);
	/* the corners: quarters of one disc sprite centred on a pixel corner */
	struct sprite *sp = sprite(g, SP_DISC, R * 4, 0, 0);
	if (!sp)
		return;
	int half = sp->size / 2;
	SDL_Rect q[4] = {{half - R, half - R, R, R}, {half, half - R, R, R}, {half, half, R, R},
	                 {half - R, half, R, R}};
	float cxs[4] = {(float)(x0 + R), (float)(x1 - R), (float)(x1 - R), (float)(x0 + R)};
	float cys[4] = {(float)(y0 + R), (float)(y0 + R), (float)(y1 - R), (float)(y1 - R)};
	for (int k = 0; k < 4; k++)
		blit(g, sp, cxs[k], cys[k], c, &q[k]);
}

void render_gfx_triangle(struct render_gfx *g, float x0, float y0, float x1, float y1, float x2,
                  float y2, struct rgba c)
{
	if (g->layer_on) {
		layer_add(g, LP_TRI, x0, y0, x1, y1, x2, y2, c);
		return;
	}
	SDL_FPoint p[3] = {{x0, y0}, {x1, y1}, {x2, y2}};
	poly(g, p, 3, c);
}

void render_gfx_line(struct render_gfx *g, float x0, float y0, float x1, float y1, float w,
              struct rgba c)
{
	float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy);
	if (l < 1e-3f || w <= 0)
		return;
	if (g->layer_on) {
		layer_add(g, LP_LINE, x0, y0, x1, y1, w, 0, c);
		return;
	}
	if (fabsf(dx) < 1e-3f || fabsf(dy) < 1e-3f) {
		/* axis-aligned: a rectangle */
		float xa = fminf(x0, x1), ya = fminf(y0, y1);
		if (fabsf(dx) < 1e-3f)
			render_gfx_rect(g, xa - w / 2, ya, w, fabsf(dy), c);
		else
			render_gfx_rect(g, xa, ya - w / 2, fabsf(dx), w, c);
		return;
	}
	if (w < 1) {
		c = rgba_alpha(c, w);
		w = 1;
	}
	float nx = -dy / l * w / 2, ny = dx / l * w / 2;
	SDL_FPoint p[4] = {{x0 + nx, y0 + ny}, {x1 + nx, y1 + ny}, {x1 - nx, y1 - ny},
	                   {x0 - nx, y0 - ny}};
	poly(g, p, 4, c);
}

void render_gfx_dashed_line(struct render_gfx *g, float x0, float y0, float x1, float y1, float w,
                     float dash, float gap, struct rgba c)
{
	float dx = x1 - x0, dy = y1 - y0, l = sqrtf(dx * dx + dy * dy);
	if (l < 1e-3f || dash <= 0)
		return;
	float ux = dx / l, uy = dy / l;
	for (float s = 0; s < l; s += dash + gap) {
		float e = s + dash > l ? l : s + dash;
		render_gfx_line(g, x0 + ux * s, y0 + uy * s, x0 + ux * e, y0 + uy * e, w, c);
	}
}

/* ---- The line layer: long lines rasterised on the CPU, cached ------------------- */
static void layer_add(struct render_gfx *g, int kind, float a, float b, float c2, float d,
                      float e, float f, struct rgba col)
{
	if (g->n_prims == g->cap_prims) {
		size_t cap = g->cap_prims ? g->cap_prims * 2 : 256;
		struct layer_prim *p = realloc(g->prims, cap * sizeof *p);
		if (!p)
			return;
		g->prims = p;
		g->cap_prims = cap;
	}
	g->prims[g->n_prims++] = (struct layer_prim){kind, {a, b, c2, d, e, f}, col};
}

void render_gfx_layer_begin(struct render_gfx *g, const struct render_rect *r)
{
	render_gfx_flush(g);
	g->layer_on = true;
	g->layer_rect = *r;
	g->n_prims = 0;
}

/* Straight-alpha "over" of colour c with coverage a onto *px. */
static inline void plot(uint32_t *px, struct rgba c, float a)
{
	float sa = (float)c.a / 255 * a;
	if (sa <= 0.002f)
		return;
	uint32_t d = *px;
	float da = (float)(d >> 24) / 255;
	float oa = sa + da * (1 - sa);
	float k = da * (1 - sa);
	float r = ((float)c.r * sa + (float)(d >> 16 & 255) * k) / oa;
	float gg = ((float)c.g * sa + (float)(d >> 8 & 255) * k) / oa;
	float b = ((float)c.b * sa + (float)(d & 255) * k) / oa;
	*px = (uint32_t)(oa * 255 + 0.5f) << 24 | (uint32_t)(r + 0.5f) << 16 |
	      (uint32_t)(gg + 0.5f) << 8 | (uint32_t)(b + 0.5f);
}

static void raster_line(uint32_t *buf, int bw, int bh, const struct layer_prim *p)
{
	float x0 = p->v[0], y0 = p->v[1], x1 = p->v[2], y1 = p->v[3], hw = p->v[4] / 2;
	float dx = x1 - x0, dy = y1 - y0, len = sqrtf(dx * dx + dy * dy);
	if (len < 1e-3f)
		return;
	float ux = dx / len, uy = dy / len;
	float pad = hw + 1;
	int ya = (int)floorf(fminf(y0, y1) - pad), yb = (int)ceilf(fmaxf(y0, y1) + pad);
	if (ya < 0)
		ya = 0;
	if (yb > bh)
		yb = bh;
	for (int y = ya; y < yb; y++) {
		float py = (float)y + 0.5f;
		/* the x range where the distance to the line can be < pad */
		int xa, xb;
		if (fabsf(uy) < 1e-4f) {
			xa = (int)floorf(fminf(x0, x1) - 1);
			xb = (int)ceilf(fmaxf(x0, x1) + 1);
		} else {
			/* |(-uy)(x - x0) + ux (py - y0)| <= pad */
			float c0 = ux * (py - y0);
			float xl = x0 + (c0 - pad) / uy, xr = x0 + (c0 + pad) / uy;
			xa = (int)floorf(fminf(xl, xr)) - 1;
			xb = (int)ceilf(fmaxf(xl, xr)) + 1;
			xa = xa < (int)floorf(fminf(x0, x1) - pad) ? (int)floorf(fminf(x0, x1) - pad) : xa;
			xb = xb > (int)ceilf(fmaxf(x0, x1) + pad) ? (int)ceilf(fmaxf(x0, x1) + pad) : xb;
		}
		if (xa < 0)
			xa = 0;
		if (xb > bw)
			xb = bw;
		uint32_t *row = buf + (size_t)y * (size_t)bw;
		for (int x = xa; x < xb; x++) {
			float px = (float)x + 0.5f;
			float rx = px - x0, ry = py - y0;
			float t = rx * ux + ry * uy;           /* along */
			float n = fabsf(-rx * uy + ry * ux);    /* across */
			float cov = clamp01(hw - n + 0.5f);
			cov *= clamp01(t + 0.5f) * clamp01(len - t + 0.5f); /* butt ends */
			if (cov > 0)
				plot(&row[x], p->c, cov);
		}
	}
}

static void raster_tri(uint32_t *buf, int bw, int bh, const struct layer_prim *p)
{
	float x[3] = {p->v[0], p->v[2], p->v[4]}, y[3] = {p->v[1], p->v[3], p->v[5]};
	float area = (x[1] - x[0]) * (y[2] - y[0]) - (x[2] - x[0]) * (y[1] - y[0]);
	if (fabsf(area) < 1e-3f)
		return;
	float s = area > 0 ? 1.0f : -1.0f;
	int xa = (int)floorf(fminf(x[0], fminf(x[1], x[2]))) - 1;
	int xb = (int)ceilf(fmaxf(x[0], fmaxf(x[1], x[2]))) + 1;
	int ya = (int)floorf(fminf(y[0], fminf(y[1], y[2]))) - 1;
	int yb = (int)ceilf(fmaxf(y[0], fmaxf(y[1], y[2]))) + 1;
	xa = xa < 0 ? 0 : xa;
	ya = ya < 0 ? 0 : ya;
	xb = xb > bw ? bw : xb;
	yb = yb > bh ? bh : yb;
	for (int yy = ya; yy < yb; yy++)
		for (int xx = xa; xx < xb; xx++) {
			float px = (float)xx + 0.5f, py = (float)yy + 0.5f, dmin = 1e9f;
			for (int k = 0; k < 3; k++) {
				int j = (k + 1) % 3;
				float ex = x[j] - x[k], ey = y[j] - y[k], el = sqrtf(ex * ex + ey * ey);
				float d = s * (ex * (py - y[k]) - ey * (px - x[k])) / el;
				dmin = fminf(dmin, d);
			}
			float cov = clamp01(dmin + 0.5f);
			if (cov > 0)
				plot(&buf[(size_t)yy * (size_t)bw + (size_t)xx], p->c, cov);
		}
}

void render_gfx_layer_end(struct render_gfx *g)
{
	g->layer_on = false;
	const struct render_rect *r = &g->layer_rect;
	if (r->w <= 0 || r->h <= 0)
		return;
	/* unchanged since the last frame: reuse the texture */
	uint64_t h = 1469598103934665603ull;
	const unsigned char *b = (const unsigned char *)g->prims;
	for (size_t i = 0; i < g->n_prims * sizeof *g->prims; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	h = (h ^ (uint64_t)(uint32_t)r->x ^ (uint64_t)(uint32_t)r->y << 20) * 1099511628211ull;
	h = (h ^ (uint64_t)(uint32_t)r->w ^ (uint64_t)(uint32_t)r->h << 20) * 1099511628211ull;
	if (!g->layer_tex || g->layer_w != r->w || g->layer_h != r->h) {
		if (g->layer_tex)
			SDL_DestroyTexture(g->layer_tex);
		free(g->layer_buf);
		g->layer_buf = malloc((size_t)r->w * (size_t)r->h * 4);
		g->layer_tex = SDL_CreateTexture(g->r, SDL_PIXELFORMAT_ARGB8888,
		                                 SDL_TEXTUREACCESS_STREAMING, r->w, r->h);
		if (!g->layer_buf || !g->layer_tex)
			return;
		SDL_SetTextureBlendMode(g->layer_tex, SDL_BLENDMODE_BLEND);
		g->layer_w = r->w;
		g->layer_h = r->h;
		g->layer_hash = 0;
	}
	if (h != g->layer_hash) {
		memset(g->layer_buf, 0, (size_t)r->w * (size_t)r->h * 4);
		for (size_t i = 0; i < g->n_prims; i++) {
			struct layer_prim p = g->prims[i];
			/* into layer coordinates */
			for (int k = 0; k < 6; k += 2) {
				if (p.kind == LP_LINE && k == 4)
					break;
				p.v[k] -= (float)r->x;
				p.v[k + 1] -= (float)r->y;
			}
			if (p.kind == LP_LINE)
				raster_line(g->layer_buf, r->w, r->h, &p);
			else
				raster_tri(g->layer_buf, r->w, r->h, &p);
		}
		SDL_UpdateTexture(g->layer_tex, NULL, g->layer_buf, r->w * 4);
		g->layer_hash = h;
	}
	SDL_Rect dst = {r->x, r->y, r->w, r->h};
	SDL_RenderCopy(g->r, g->layer_tex, NULL, &dst);
}

/* ---- The hairline layer: hundreds of one-pixel lines, drawn on the CPU ---------- */
void render_gfx_hairlines_begin(struct render_gfx *g, const struct render_rect *r)
{
	g->hair_on = false;
	if (r->w <= 0 || r->h <= 0)
		return;
	if (!g->hair_tex || g->hair_w != r->w || g->hair_h != r->h) {
		if (g->hair_tex)
			SDL_DestroyTexture(g->hair_tex);
		free(g->hair_buf);
		g->hair_buf = calloc((size_t)r->w * (size_t)r->h, 4);
		g->hair_tex = SDL_CreateTexture(g->r, SDL_PIXELFORMAT_ARGB8888,
		                                SDL_TEXTUREACCESS_STREAMING, r->w, r->h);
		g->hair_w = g->hair_buf && g->hair_tex ? r->w : 0;
		g->hair_h = g->hair_buf && g->hair_tex ? r->h : 0;
		if (!g->hair_w)
			return;
		SDL_SetTextureBlendMode(g->hair_tex, SDL_BLENDMODE_BLEND);
	}
	g->hair_on = true;
	g->hair_rect = *r;
	g->hair_x0 = r->w;
	g->hair_y0 = r->h;
	g->hair_x1 = g->hair_y1 = 0;
}

void render_gfx_hairline(struct render_gfx *g, float x0, float y0, float x1, float y1,
                         struct rgba c)
{
	if (!g->hair_on)
		return;
	/* into the layer, clipped to it (Liang-Barsky) */
	float w = (float)g->hair_w, h = (float)g->hair_h;
	x0 -= (float)g->hair_rect.x;
	x1 -= (float)g->hair_rect.x;
	y0 -= (float)g->hair_rect.y;
	y1 -= (float)g->hair_rect.y;
	float dx = x1 - x0, dy = y1 - y0, t0 = 0, t1 = 1;
	float p[4] = {-dx, dx, -dy, dy}, q[4] = {x0, w - 0.01f - x0, y0, h - 0.01f - y0};
	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return;
			continue;
		}
		float t = q[i] / p[i];
		if (p[i] < 0 && t > t0)
			t0 = t;
		else if (p[i] > 0 && t < t1)
			t1 = t;
	}
	if (t0 > t1)
		return;
	float ax = x0 + dx * t0, ay = y0 + dy * t0, bx = x0 + dx * t1, by = y0 + dy * t1;
	uint32_t px = 0xFF000000u | (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
	/* one pixel per step along the longer axis, in 16.16 fixed point */
	int n = (int)fmaxf(fabsf(bx - ax), fabsf(by - ay)) + 1;
	int32_t fx = (int32_t)(ax * 65536), fy = (int32_t)(ay * 65536);
	int32_t sx = n > 1 ? (int32_t)((bx - ax) * 65536 / (float)(n - 1)) : 0;
	int32_t sy = n > 1 ? (int32_t)((by - ay) * 65536 / (float)(n - 1)) : 0;
	unsigned bw = (unsigned)g->hair_w, bh = (unsigned)g->hair_h;
	for (int i = 0; i < n; i++, fx += sx, fy += sy) {
		unsigned x = (unsigned)(fx >> 16), y = (unsigned)(fy >> 16);
		if (x < bw && y < bh)
			g->hair_buf[(size_t)y * bw + x] = px;
	}
	int xa = (int)fminf(ax, bx), xb = (int)fmaxf(ax, bx) + 1;
	int ya = (int)fminf(ay, by), yb = (int)fmaxf(ay, by) + 1;
	g->hair_x0 = xa < g->hair_x0 ? (xa < 0 ? 0 : xa) : g->hair_x0;
	g->hair_y0 = ya < g->hair_y0 ? (ya < 0 ? 0 : ya) : g->hair_y0;
	g->hair_x1 = xb > g->hair_x1 ? (xb > g->hair_w ? g->hair_w : xb) : g->hair_x1;
	g->hair_y1 = yb > g->hair_y1 ? (yb > g->hair_h ? g->hair_h : yb) : g->hair_y1;
}

void render_gfx_hairlines_end(struct render_gfx *g)
{
	if (!g->hair_on)
		return;
	g->hair_on = false;
	if (g->hair_x1 <= g->hair_x0 || g->hair_y1 <= g->hair_y0)
		return;
	render_gfx_flush(g);
	SDL_Rect src = {g->hair_x0, g->hair_y0, g->hair_x1 - g->hair_x0, g->hair_y1 - g->hair_y0};
	uint32_t *first = g->hair_buf + (size_t)src.y * (size_t)g->hair_w + (size_t)src.x;
	SDL_UpdateTexture(g->hair_tex, &src, first, g->hair_w * 4);
	SDL_Rect dst = {g->hair_rect.x + src.x, g->hair_rect.y + src.y, src.w, src.h};
	SDL_RenderCopy(g->r, g->hair_tex, &src, &dst);
	/* clear what was drawn, for the next frame */
	for (int y = src.y; y < src.y + src.h; y++)
		memset(g->hair_buf + (size_t)y * (size_t)g->hair_w + (size_t)src.x, 0,
		       (size_t)src.w * 4);
}

/* ---- Fonts and text --------------------------------------------------------------- */
static TTF_Font *font_face(struct render_gfx *g, int px, int face)
{
	if (px < 6)
		px = 6;
	if (px > 200)
		px = 200;
	int lru = 0;
	for (int i = 0; i < FONTS_MAX; i++) {
		struct font_slot *f = &g->fonts[i];
		if (f->font && f->px == px && f->face == face) {
			f->used = g->frame;
			return f->font;
		}
		if (!f->font || (g->fonts[lru].font && f->used < g->fonts[lru].used))
			lru = i;
	}
	struct font_slot *f = &g->fonts[lru];
	if (f->font) {
		/* textures made with it stay valid; only the font goes */
		TTF_CloseFont(f->font);
		f->font = NULL;
	}
	int k = face == FACE_CJK || face == FACE_CJK_BOLD ? 2 : face;
	SDL_RWops *rw = SDL_RWFromConstMem(g->font_data[k], (int)g->font_size[k]);
	if (!rw)
		return NULL;
	/* a .ttc holds several faces; the first is the proportional one */
	f->font = TTF_OpenFontIndexRW(rw, 1, px, 0);
	if (!f->font)
		return NULL;
	TTF_SetFontHinting(f->font, TTF_HINTING_LIGHT);
	if (face == FACE_CJK_BOLD)
		TTF_SetFontStyle(f->font, TTF_STYLE_BOLD);
	f->px = px;
	f->face = face;
	f->used = g->frame;
	return f->font;
}

static TTF_Font *font(struct render_gfx *g, int px, bool bold)
{
	return font_face(g, px, bold ? FACE_BOLD : FACE_REGULAR);
}

/* The code point at *p (advancing *p past it); U+FFFD for a bad byte. */
static uint32_t utf8_next(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	uint32_t c = s[0];
	int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
	if (n < 0) {
		(*p)++;
		return 0xFFFD;
	}
	if (n > 0)
		c &= 0x3Fu >> n;
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*p += i;
			return 0xFFFD;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*p += n + 1;
	return c;
}

/* Which face draws code point c: DejaVu when it has the glyph, else the
 * CJK font when that has it, else DejaVu (its box for a missing glyph). */
static int face_of(struct render_gfx *g, int px, bool bold, uint32_t c)
{
	int face = bold ? FACE_BOLD : FACE_REGULAR;
	if (c < 0x80)
		return face;
	TTF_Font *f = font_face(g, px, face);
	if (f && TTF_GlyphIsProvided32(f, c))
		return face;
	int cjk = bold ? FACE_CJK_BOLD : FACE_CJK;
	TTF_Font *k = font_face(g, px, cjk);
	if (k && TTF_GlyphIsProvided32(k, c))
		return cjk;
	return face;
}

/* s split into runs each drawn by one face, glyph by glyph. */
struct text_run {
	const char *s;
	size_t n;
	int face;
};
#define RUNS_MAX 64

static int text_runs(struct render_gfx *g, int px, bool bold, const char *s, struct text_run *runs)
{
	int n = 0;
	for (const char *p = s; *p;) {
		const char *at = p;
		int face = face_of(g, px, bold, utf8_next(&p));
		if (n > 0 && (runs[n - 1].face == face || n == RUNS_MAX)) {
			runs[n - 1].n += (size_t)(p - at);
			continue;
		}
		runs[n++] = (struct text_run){at, (size_t)(p - at), face};
	}
	return n;
}

uint32_t render_gfx_missing_glyph(struct render_gfx *g, int px, bool bold, const char *s)
{
	for (const char *p = s; *p;) {
		uint32_t c = utf8_next(&p);
		if (c == ' ' || c == '\n')
			continue;
		TTF_Font *f = font_face(g, px, face_of(g, px, bold, c));
		if (!f || !TTF_GlyphIsProvided32(f, c))
			return c;
	}
	return 0;
}

/* One run as its own NUL-terminated string in buf (cap bytes). */
static const char *run_str(const struct text_run *r, char *buf, size_t cap)
{
	size_t n = r->n < cap - 1 ? r->n : cap - 1;
	memcpy(buf, r->s, n);
	buf[n] = '\0';
	return buf;
}

/* s drawn glyph by glyph from the faces that have each glyph, the runs
 * side by side on one baseline. */
static SDL_Surface *render_runs(struct render_gfx *g, int px, bool bold, const char *s,
                                SDL_Color col)
{
	struct text_run runs[RUNS_MAX];
	int n = text_runs(g, px, bold, s, runs);
	if (n == 1) {
		TTF_Font *f = font_face(g, px, runs[0].face);
		return f ? TTF_RenderUTF8_Blended(f, s, col) : NULL;
	}
	SDL_Surface *parts[RUNS_MAX] = {0};
	int asc[RUNS_MAX];
	int w = 0, top = 0, bottom = 0;
	SDL_Surface *out = NULL;
	char buf[1024];
	for (int i = 0; i < n; i++) {
		TTF_Font *f = font_face(g, px, runs[i].face);
		if (!f)
			goto cleanup;
		parts[i] = TTF_RenderUTF8_Blended(f, run_str(&runs[i], buf, sizeof buf), col);
		if (!parts[i])
			goto cleanup;
		asc[i] = TTF_FontAscent(f);
		if (asc[i] > top)
			top = asc[i];
		if (parts[i]->h - asc[i] > bottom)
			bottom = parts[i]->h - asc[i];
		w += parts[i]->w;
	}
	out = SDL_CreateRGBSurfaceWithFormat(0, w > 0 ? w : 1, top + bottom, 32,
	                                     SDL_PIXELFORMAT_ARGB8888);
	if (!out)
		goto cleanup;
	SDL_FillRect(out, NULL, SDL_MapRGBA(out->format, col.r, col.g, col.b, 0));
	int x = 0;
	for (int i = 0; i < n; i++) {
		SDL_SetSurfaceBlendMode(parts[i], SDL_BLENDMODE_NONE);
		SDL_Rect dst = {x, top - asc[i], parts[i]->w, parts[i]->h};
		SDL_BlitSurface(parts[i], NULL, out, &dst);
		x += parts[i]->w;
	}
cleanup:
	for (int i = 0; i < n; i++)
		if (parts[i])
			SDL_FreeSurface(parts[i]);
	return out;
}

static uint64_t text_hash(const char *s, int px, bool bold, struct rgba c)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	h = (h ^ (uint64_t)px) * 1099511628211ull;
	h = (h ^ (uint64_t)bold) * 1099511628211ull;
	h = (h ^ ((uint64_t)c.r << 16 | (uint64_t)c.g << 8 | c.b)) * 1099511628211ull;
	return h ? h : 1;
}

/* Drops entries not used for a while (rebuilding the table). */
static void text_evict(struct render_gfx *g)
{
	struct text_entry *old = g->text;
	struct text_entry *t = calloc(TEXT_CAP, sizeof *t);
	if (!t) {
		text_clear(g);
		return;
	}
	g->text = t;
	g->text_n = 0;
	for (size_t i = 0; i < TEXT_CAP; i++) {
		struct text_entry *e = &old[i];
		if (!e->hash)
			continue;
		if (g->frame - e->used > 1) {
			SDL_DestroyTexture(e->tex);
			free(e->s);
			continue;
		}
		size_t j = e->hash & (TEXT_CAP - 1);
		while (t[j].hash)
			j = (j + 1) & (TEXT_CAP - 1);
		t[j] = *e;
		g->text_n++;
	}
	free(old);
	if (g->text_n > TEXT_HIGH)
		text_clear(g);
}

static struct text_entry *text_get(struct render_gfx *g, int px, bool bold, struct rgba c,
                                   const char *s)
{
	uint64_t h = text_hash(s, px, bold, c);
	size_t j = h & (TEXT_CAP - 1);
	while (g->text[j].hash) {
		struct text_entry *e = &g->text[j];
		if (e->hash == h && e->px == px && e->bold == bold && e->r == c.r && e->g == c.g &&
		    e->b == c.b && !strcmp(e->s, s)) {
			e->used = g->frame;
			return e;
		}
		j = (j + 1) & (TEXT_CAP - 1);
	}
	if (g->text_n >= TEXT_HIGH) {
		text_evict(g);
		return text_get(g, px, bold, c, s);
	}
	SDL_Color col = {c.r, c.g, c.b, 255};
	SDL_Surface *surf = render_runs(g, px, bold, s, col);
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(g->r, surf);
	int w = surf->w, hh = surf->h;
	SDL_FreeSurface(surf);
	if (!tex)
		return NULL;
	SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
	char *copy = malloc(strlen(s) + 1);
	if (!copy) {
		SDL_DestroyTexture(tex);
		return NULL;
	}
	strcpy(copy, s);
	struct text_entry *e = &g->text[j];
	*e = (struct text_entry){.hash = h, .s = copy, .px = px, .bold = bold, .r = c.r,
	                         .g = c.g, .b = c.b, .tex = tex, .w = w, .h = hh,
	                         .used = g->frame};
	g->text_n++;
	return e;
}

float render_gfx_text(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s, float x,
               float y, int align)
{
	if (!s || !*s || c.a == 0)
		return 0;
	struct text_entry *e = text_get(g, px, bold, c, s);
	if (!e)
		return 0;
	render_gfx_flush(g);
	int ha = align & 3, va = align & 12;
	float dx = ha == GFX_CENTER ? (float)e->w / 2 : ha == GFX_RIGHT ? (float)e->w : 0;
	float dy = va == GFX_MIDDLE ? (float)e->h / 2 : va == GFX_BOTTOM ? (float)e->h : 0;
	SDL_FRect dst = {roundf(x - dx), roundf(y - dy), (float)e->w, (float)e->h};
	SDL_SetTextureAlphaMod(e->tex, c.a);
	SDL_RenderCopyF(g->r, e->tex, NULL, &dst);
	return (float)e->w;
}

int render_gfx_text_w(struct render_gfx *g, int px, bool bold, const char *s)
{
	if (!s || !*s)
		return 0;
	struct text_run runs[RUNS_MAX];
	int n = text_runs(g, px, bold, s, runs), total = 0;
	char buf[1024];
	for (int i = 0; i < n; i++) {
		TTF_Font *f = font_face(g, px, runs[i].face);
		int w = 0, h = 0;
		if (f && TTF_SizeUTF8(f, n == 1 ? s : run_str(&runs[i], buf, sizeof buf), &w, &h) == 0)
			total += w;
	}
	return total;
}

int render_gfx_line_h(struct render_gfx *g, int px, bool bold)
{
	TTF_Font *f = font(g, px, bold);
	return f ? TTF_FontHeight(f) : px;
}

/* Length of s cut to fit max_w with an ellipsis appended into out. */
static void fit(struct render_gfx *g, int px, bool bold, const char *s, float max_w, char *out,
                size_t cap)
{
	snprintf(out, cap, "%s", s);
	if (render_gfx_text_w(g, px, bold, out) <= max_w)
		return;
	size_t n = strlen(out);
	/* binary search on byte length, then back off to a UTF-8 boundary */
	size_t lo = 0, hi = n;
	char tmp[1024];
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		snprintf(tmp, sizeof tmp, "%.*s…", (int)mid, s);
		if (render_gfx_text_w(g, px, bold, tmp) <= max_w)
			lo = mid;
		else
			hi = mid - 1;
	}
	while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80)
		lo--;
	while (lo > 0 && s[lo - 1] == ' ')
		lo--;
	snprintf(out, cap, "%.*s…", (int)lo, s);
}

float render_gfx_text_fit(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s,
                   float x, float y, int align, float max_w)
{
	if (!s || !*s)
		return 0;
	char buf[1024];
	fit(g, px, bold, s, max_w, buf, sizeof buf);
	return render_gfx_text(g, px, bold, c, buf, x, y, align);
}

/* ---- Line breaking ----------------------------------------------------------------- */
/* Ideographs, kana, hangul and full-width forms: a line may break before
 * or after each of them, no space needed. */
static bool cp_cjk(uint32_t c)
{
	return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
	       (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
	       (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Punctuation no line may start with (closing marks, stops, commas). */
static bool cp_no_start(uint32_t c)
{
	static const uint32_t set[] = {0xFF0C, 0x3002, 0xFF1A, 0xFF1B, 0xFF01, 0xFF1F, 0x3001,
	                               0xFF09, 0x300D, 0x300F, 0x300B, 0x3009, 0x3011, 0x3015,
	                               0x201D, 0x2019, 0xFF0E, 0x2026, 0x30FC, ',', '.', ':',
	                               ';', '!', '?', ')', ']', '}', '%'};
	for (size_t i = 0; i < sizeof set / sizeof *set; i++)
		if (set[i] == c)
			return true;
	return false;
}

/* Punctuation no line may end with (opening marks). */
static bool cp_no_end(uint32_t c)
{
	static const uint32_t set[] = {0xFF08, 0x300C, 0x300E, 0x300A, 0x3008, 0x3010, 0x3014,
	                               0x201C, 0x2018, '(', '[', '{'};
	for (size_t i = 0; i < sizeof set / sizeof *set; i++)
		if (set[i] == c)
			return true;
	return false;
}

/* The next place after q (q > line start) where a line may start: after
 * spaces, or between two characters either of which is CJK, unless the
 * punctuation rules forbid it; the end of s if none. */
static const char *next_break(const char *q)
{
	const char *p = q;
	uint32_t prev = utf8_next(&p);
	while (*p) {
		const char *at = p;
		uint32_t c = utf8_next(&p);
		if (c != ' ' && prev == ' ' && !cp_no_start(c))
			return at;
		if (c != ' ' && prev != ' ' && (cp_cjk(prev) || cp_cjk(c)) && !cp_no_start(c) &&
		    !cp_no_end(prev))
			return at;
		prev = c;
	}
	return p;
}

int render_gfx_wrap(struct render_gfx *g, int px, bool bold, const char *s, float max_w,
                    int max_lines, size_t *starts, size_t *ends)
{
	if (!s || max_lines < 1)
		return 0;
	int lines = 0;
	const char *p = s;
	char line[1024];
	while (*p && lines < max_lines) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		/* the most that fits, ending at a break; at least the first piece */
		const char *best = NULL, *best_end = NULL;
		for (const char *q = next_break(p);; q = next_break(q)) {
			const char *e = q;
			while (e > p && e[-1] == ' ')
				e--;
			size_t n = (size_t)(e - p);
			if (n >= sizeof line)
				break;
			memcpy(line, p, n);
			line[n] = '\0';
			bool fits = render_gfx_text_w(g, px, bold, line) <= max_w;
			if (!fits && best)
				break;
			best = q;
			best_end = e;
			if (!*q || !fits)
				break;
		}
		if (!best)
			break;
		if (starts)
			starts[lines] = (size_t)(p - s);
		if (ends)
			ends[lines] = (size_t)(best_end - s);
		lines++;
		p = best;
	}
	return lines;
}

bool render_gfx_piece_wider(struct render_gfx *g, int px, bool bold, const char *s, float max_w)
{
	char piece[1024];
	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *q = next_break(p), *e = q;
		while (e > p && e[-1] == ' ')
			e--;
		size_t n = (size_t)(e - p);
		if (n < sizeof piece) {
			memcpy(piece, p, n);
			piece[n] = '\0';
			if ((float)render_gfx_text_w(g, px, bold, piece) > max_w)
				return true;
		}
		p = q;
	}
	return false;
}

int render_gfx_text_wrap(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s,
                  float x, float y, float max_w, int max_lines, float lh, bool draw)
{
	if (!s || !*s || max_lines < 1)
		return 0;
	if (!draw)
		return render_gfx_wrap(g, px, bold, s, max_w, max_lines, NULL, NULL);
	size_t starts[64], ends[64];
	if (max_lines > 64)
		max_lines = 64;
	int lines = render_gfx_wrap(g, px, bold, s, max_w, max_lines, starts, ends);
	char line[1024];
	for (int i = 0; i < lines; i++) {
		const char *from = s + starts[i];
		/* the last line shows what is left, shortened with "…" */
		size_t n = i == max_lines - 1 && s[ends[i]] ? strlen(from) : ends[i] - starts[i];
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, from, n);
		line[n] = '\0';
		render_gfx_text_fit(g, px, bold, c, line, x, y + lh * (float)i, GFX_LEFT, max_w);
	}
	return lines;
}
