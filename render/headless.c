/* headless.c - frames without a display: SDL's software renderer on an
 * offscreen surface, saved as PNG through the one output writer
 * (sim/outfile.h: a finished file or none, never a truncated one). */
#include "gfx.h"
#include "i18n.h"
#include "outfile.h"

#include <SDL_image.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct render_offscreen {
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct render_gfx *g;
	int w, h;
};

int render_headless_init(char *err, size_t errcap)
{
	/* No SDL_Init at all: surfaces, the software renderer and PNG
	 * output need no subsystem, and SDL_Init would also connect to D-Bus
	 * (autolaunched through $DISPLAY), which a headless tool has no use
	 * for. */
	if (!TTF_WasInit() && TTF_Init() != 0) {
		snprintf(err, errcap, _("cannot start SDL_ttf: %s"), TTF_GetError());
		return -1;
	}
	return 0;
}

void render_headless_quit(void)
{
	if (TTF_WasInit())
		TTF_Quit();
}

struct render_offscreen *render_offscreen_new(int w, int h, char *err, size_t errcap)
{
	if (w < 1 || h < 1 || w > 16384 || h > 16384) {
		snprintf(err, errcap, _("bad frame size %dx%d"), w, h);
		return NULL;
	}
	struct render_offscreen *o = calloc(1, sizeof *o);
	if (!o) {
		snprintf(err, errcap, _("out of memory"));
		return NULL;
	}
	o->w = w;
	o->h = h;
	o->surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!o->surf) {
		snprintf(err, errcap, _("cannot create a %dx%d surface: %s"), w, h, SDL_GetError());
		free(o);
		return NULL;
	}
	o->ren = SDL_CreateSoftwareRenderer(o->surf);
	if (!o->ren) {
		snprintf(err, errcap, _("cannot create the software renderer: %s"), SDL_GetError());
		render_offscreen_free(o);
		return NULL;
	}
	o->g = render_gfx_new(o->ren, err, errcap);
	if (!o->g) {
		render_offscreen_free(o);
		return NULL;
	}
	return o;
}

void render_offscreen_free(struct render_offscreen *o)
{
	if (!o)
		return;
	render_gfx_free(o->g);
	if (o->ren)
		SDL_DestroyRenderer(o->ren);
	if (o->surf)
		SDL_FreeSurface(o->surf);
	free(o);
}

void render_offscreen_draw(struct render_offscreen *o, const struct render_frame *f)
{
	render_draw(o->g, f, o->w, o->h);
	SDL_RenderPresent(o->ren);
}

uint32_t render_offscreen_pixel(const struct render_offscreen *o, int x, int y)
{
	if (x < 0 || y < 0 || x >= o->w || y >= o->h)
		return 0;
	const uint8_t *row = (const uint8_t *)o->surf->pixels + (size_t)y * (size_t)o->surf->pitch;
	uint32_t p;
	memcpy(&p, row + (size_t)x * 4, 4);
	return p & 0xFFFFFFu; /* ARGB8888: the low 24 bits are RGB */
}

void *render_offscreen_surface(const struct render_offscreen *o)
{
	return o->surf;
}

int render_offscreen_save_png(const struct render_offscreen *o, const char *path, char *err,
                              size_t errcap)
{
	struct sim_out *out = sim_out_open(path, err, errcap);
	if (!out)
		return -1;
	SDL_RWops *rw = SDL_RWFromFP(sim_out_stream(out), SDL_FALSE);
	if (!rw) {
		snprintf(err, errcap, _("%s: cannot write: %s"), path, SDL_GetError());
		sim_out_abort(out);
		return -1;
	}
	int rc = IMG_SavePNG_RW(o->surf, rw, 0);
	SDL_RWclose(rw); /* frees rw; the stream stays open */
	if (rc != 0) {
		snprintf(err, errcap, _("%s: cannot write: %s"), path, IMG_GetError());
		sim_out_abort(out);
		return -1;
	}
	return sim_out_commit(out, err, errcap);
}

int render_frame_png(const struct render_frame *f, int w, int h, const char *path, char *err,
                     size_t errcap)
{
	struct render_offscreen *o = render_offscreen_new(w, h, err, errcap);
	if (!o)
		return -1;
	render_offscreen_draw(o, f);
	int rc = render_offscreen_save_png(o, path, err, errcap);
	render_offscreen_free(o);
	return rc;
}
