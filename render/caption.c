/* caption.c - measures narration with the window's fonts and wrapping, without a window: how many caption lines a `say` takes. */
#include "gfx.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct render_caption_meter {
	SDL_Surface *surf;
	SDL_Renderer *ren;
	struct render_gfx *g;
};

void render_caption_meter_free(struct render_caption_meter *m)
{
	if (!m)
		return;
	render_gfx_free(m->g);
	if (m->ren)
		SDL_DestroyRenderer(m->ren);
	if (m->surf)
		SDL_FreeSurface(m->surf);
	free(m);
}

struct render_caption_meter *render_caption_meter_new(char *err, size_t errcap)
{
	struct render_caption_meter *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errcap, _("out of memory"));
		return NULL;
	}
	/* a one-pixel canvas: the fonts need a renderer, nothing is drawn */
	m->surf = SDL_CreateRGBSurfaceWithFormat(0, 1, 1, 32, SDL_PIXELFORMAT_ARGB8888);
	if (!m->surf) {
		snprintf(err, errcap, _("cannot create a surface: %s"), SDL_GetError());
		goto fail;
	}
	m->ren = SDL_CreateSoftwareRenderer(m->surf);
	if (!m->ren) {
		snprintf(err, errcap, _("cannot create the software renderer: %s"), SDL_GetError());
		goto fail;
	}
	m->g = render_gfx_new(m->ren, err, errcap);
	if (!m->g)
		goto fail;
	return m;
fail:
	render_caption_meter_free(m);
	return NULL;
}

int render_caption_lines(struct render_caption_meter *m, const char *say, int w, int h)
{
	struct render_layout l;
	render_layout_compute(&l, w, h, 1);
	int px;
	float max_w;
	render_layout_say(&l, &px, &max_w);
	/* the drawing code itself, told not to draw and given room for all */
	int lines = render_gfx_text_wrap(m->g, px, true, C_WHITE, say, 0, 0, max_w, 1000, 0, false);
	/* a word (or a piece between CJK break points) that alone is wider
	 * than a line is cut wherever it lands */
	if (render_gfx_piece_wider(m->g, px, true, say, max_w))
		return lines > RENDER_SAY_LINES ? lines : RENDER_SAY_LINES + 1;
	return lines;
}

int render_caption_text_w(struct render_caption_meter *m, int px, bool bold, const char *s)
{
	return render_gfx_text_w(m->g, px, bold, s);
}

uint32_t render_caption_missing_glyph(struct render_caption_meter *m, const char *s)
{
	uint32_t c = render_gfx_missing_glyph(m->g, 16, false, s);
	return c ? c : render_gfx_missing_glyph(m->g, 16, true, s);
}

int render_caption_wrap(struct render_caption_meter *m, int px, bool bold, const char *s,
                        int max_w, int max_lines, size_t *starts, size_t *ends)
{
	return render_gfx_wrap(m->g, px, bold, s, (float)max_w, max_lines, starts, ends);
}
