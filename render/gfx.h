/* gfx.h - render/'s private drawing layer: colours, batched anti-aliased geometry and cached text on one SDL_Renderer. */
#ifndef RENDER_GFX_H
#define RENDER_GFX_H

#include "render.h"

#include <SDL.h>
#include <SDL_ttf.h>

/* ---- Colours: Okabe-Ito, safe for the common colour-vision deficiencies --- */
struct rgba {
	uint8_t r, g, b, a;
};
#define RGBA(r, g, b, a) ((struct rgba){(r), (g), (b), (a)})
#define OI_ORANGE RGBA(230, 159, 0, 255)
#define OI_SKY RGBA(86, 180, 233, 255)
#define OI_GREEN RGBA(0, 158, 115, 255)
#define OI_YELLOW RGBA(240, 228, 66, 255)
#define OI_BLUE RGBA(0, 114, 178, 255)
#define OI_VERMILLION RGBA(213, 94, 0, 255)
#define OI_PURPLE RGBA(204, 121, 167, 255)
#define C_INK RGBA(20, 20, 24, 255)         /* text */
#define C_INK2 RGBA(70, 72, 80, 255)        /* secondary text */
#define C_INK3 RGBA(120, 122, 130, 255)     /* hints */
#define C_BG RGBA(250, 250, 247, 255)       /* page */
#define C_PANEL RGBA(238, 238, 233, 255)    /* panels */
#define C_PANEL2 RGBA(226, 226, 220, 255)
#define C_LINE RGBA(200, 200, 196, 255)     /* a healthy link */
#define C_CRASH RGBA(190, 190, 190, 255)
#define C_WHITE RGBA(255, 255, 255, 255)

static inline struct rgba rgba_alpha(struct rgba c, float a)
{
	float v = (float)c.a * (a < 0 ? 0 : a > 1 ? 1 : a);
	c.a = (uint8_t)(v + 0.5f);
	return c;
}
/* Mixes c toward white by t (0..1). */
static inline struct rgba rgba_tint(struct rgba c, float t)
{
	c.r = (uint8_t)(c.r + (255 - c.r) * t);
	c.g = (uint8_t)(c.g + (255 - c.g) * t);
	c.b = (uint8_t)(c.b + (255 - c.b) * t);
	return c;
}
/* Mixes c toward black by t (0..1). */
static inline struct rgba rgba_shade(struct rgba c, float t)
{
	c.r = (uint8_t)(c.r * (1 - t));
	c.g = (uint8_t)(c.g * (1 - t));
	c.b = (uint8_t)(c.b * (1 - t));
	return c;
}
/* Black or white, whichever reads better on c. */
struct rgba render_gfx_text_on(struct rgba c);

/* ---- Text ------------------------------------------------------------------ */
enum render_gfx_align { GFX_LEFT = 0, GFX_CENTER = 1, GFX_RIGHT = 2 };
enum render_gfx_valign { GFX_TOP = 0, GFX_MIDDLE = 4, GFX_BOTTOM = 8 };

/* ---- The context ----------------------------------------------------------- */
struct render_gfx;

SDL_Renderer *render_gfx_renderer(struct render_gfx *g);
/* Starts a frame (clears to c) / ends it (flushes the batch). */
void render_gfx_begin(struct render_gfx *g, struct rgba c);
void render_gfx_end(struct render_gfx *g);
void render_gfx_flush(struct render_gfx *g);
/* Clipping (flushes first); NULL clears. */
void render_gfx_clip(struct render_gfx *g, const struct render_rect *r);

/* Shapes.  Angles are radians, 0 at 12 o'clock, clockwise. */
void render_gfx_rect(struct render_gfx *g, float x, float y, float w, float h, struct rgba c);
void render_gfx_rect_outline(struct render_gfx *g, float x, float y, float w, float h, float t,
                      struct rgba c);
void render_gfx_round_rect(struct render_gfx *g, float x, float y, float w, float h, float rad,
                    struct rgba c);
void render_gfx_disc(struct render_gfx *g, float cx, float cy, float r, struct rgba c);
void render_gfx_ring(struct render_gfx *g, float cx, float cy, float r_in, float r_out, struct rgba c);
void render_gfx_arc(struct render_gfx *g, float cx, float cy, float r_in, float r_out, float a0,
             float a1, struct rgba c);
void render_gfx_dashed_ring(struct render_gfx *g, float cx, float cy, float r_in, float r_out,
                     int dashes, float rot, struct rgba c);
void render_gfx_line(struct render_gfx *g, float x0, float y0, float x1, float y1, float w,
              struct rgba c);
void render_gfx_dashed_line(struct render_gfx *g, float x0, float y0, float x1, float y1, float w,
                     float dash, float gap, struct rgba c);
void render_gfx_triangle(struct render_gfx *g, float x0, float y0, float x1, float y1, float x2,
                  float y2, struct rgba c);
/* A filled star with `points` points. */
void render_gfx_star(struct render_gfx *g, float cx, float cy, float r_out, float r_in, int points,
              struct rgba c);
/* An X of two strokes. */
void render_gfx_cross(struct render_gfx *g, float cx, float cy, float half, float w, struct rgba c);
/* A diamond (a square standing on a corner) whose sides lie a from the
 * centre.  w > 0 draws only a rim of that width inside the edge; dashed
 * breaks that rim into one dash round each corner. */
void render_gfx_diamond(struct render_gfx *g, float cx, float cy, float a, float w, bool dashed,
                        struct rgba c);
/* A square of half-side h with rounded corners; w and dashed as for the diamond. */
void render_gfx_box(struct render_gfx *g, float cx, float cy, float h, float w, bool dashed,
                    struct rgba c);
/* A check mark in a square of half-size r, strokes w wide. */
void render_gfx_check(struct render_gfx *g, float cx, float cy, float r, float w, struct rgba c);
/* A page of half-width hw and half-height hh whose top-right corner is cut
 * off by fold (the dog-ear of a document). */
void render_gfx_page(struct render_gfx *g, float cx, float cy, float hw, float hh, float fold,
                     struct rgba c);

/* Between begin and end, render_gfx_line and render_gfx_triangle go to a layer covering
 * r, rasterised on the CPU with exact anti-aliasing and drawn at end; the
 * layer is kept while its contents do not change (the links). */
void render_gfx_layer_begin(struct render_gfx *g, const struct render_rect *r);
void render_gfx_layer_end(struct render_gfx *g);

/* Between begin and end, render_gfx_hairline draws an opaque line one pixel
 * wide, not smoothed (c's alpha is ignored; a later line covers an earlier
 * one), into a layer over r, rasterised on the CPU and put on the canvas in
 * one copy at end: for hundreds of thin lines a frame (a busy diagram), far
 * cheaper than the renderer's lines, which go point by point. */
void render_gfx_hairlines_begin(struct render_gfx *g, const struct render_rect *r);
void render_gfx_hairline(struct render_gfx *g, float x0, float y0, float x1, float y1,
                         struct rgba c);
void render_gfx_hairlines_end(struct render_gfx *g);

/* Text: px is the font size in pixels; bold picks DejaVu Sans Bold.
 * Draws at (x, y) with align = horizontal | vertical; returns the width.
 * Textures are cached by (font, colour, text). */
float render_gfx_text(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s, float x,
               float y, int align);
/* The first code point of s (other than space) that neither DejaVu nor
 * the CJK font provides at px, or 0.  Text falls back glyph by glyph from
 * DejaVu to the CJK font. */
uint32_t render_gfx_missing_glyph(struct render_gfx *g, int px, bool bold, const char *s);
/* Measures without drawing. */
int render_gfx_text_w(struct render_gfx *g, int px, bool bold, const char *s);
int render_gfx_line_h(struct render_gfx *g, int px, bool bold);
/* Like render_gfx_text but shortens s with "…" to fit max_w. */
float render_gfx_text_fit(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s,
                   float x, float y, int align, float max_w);
/* Breaks s into at most max_lines lines of max_w: between words, and
 * between CJK characters (no space needed) except before closing
 * punctuation (，。：；！？、）」…) and after opening (（「); the byte
 * offsets of each line's start and end go to starts/ends (either may be
 * NULL).  A piece wider than a line takes a line alone.  Returns the lines. */
int render_gfx_wrap(struct render_gfx *g, int px, bool bold, const char *s, float max_w,
                    int max_lines, size_t *starts, size_t *ends);
/* True if a piece of s between two places a line may break is wider than
 * max_w (the window would cut it with "…"). */
bool render_gfx_piece_wider(struct render_gfx *g, int px, bool bold, const char *s, float max_w);
/* Word-wraps s into at most max_lines lines of max_w (the last one
 * shortened with "…"); draws them from y down with line spacing lh;
 * returns the number of lines.  draw=false only counts. */
int render_gfx_text_wrap(struct render_gfx *g, int px, bool bold, struct rgba c, const char *s,
                  float x, float y, float max_w, int max_lines, float lh, bool draw);

/* ---- The vocabulary's shapes (shapes.c) ------------------------------------ */
#define C_MONO RGBA(160, 160, 160, 255) /* every vocabulary colour, in mono */
struct rgba render_msg_colour(enum render_msg_kind k);
struct rgba render_role_colour(enum render_role_look r);
struct rgba render_term_colour(uint64_t term);
/* Message kind k centred at (x, y) at scale u (1 at 1280x720); ENTRIES
 * shows n_entries when it fits; alpha fades the whole shape; mono as in
 * render_draw_msg_specimen. */
void render_shape_msg(struct render_gfx *g, enum render_msg_kind k, uint32_t n_entries, float x,
                      float y, float u, float alpha, bool mono);
/* A node's disc of radius r with its role's marks, no text and no timer.
 * compact (the small chips of the panels) puts the leader's star inside
 * the disc instead of on its rim. */
void render_shape_role(struct render_gfx *g, enum render_role_look look, float x, float y, float r,
                       bool compact, bool mono);

#endif
