/* plot.c - CDF plots of experiment measurements: one cairo drawing, PNG and SVG. */
#include "plot.h"
#include "i18n.h"

#include "outfile.h"

#include <cairo.h>
#include <cairo-svg.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Okabe-Ito's colour-blind-safe palette first, then darker tones. */
const uint32_t cli_plot_colors[CLI_PLOT_N_COLORS] = {
	0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9,
	0x000000, 0x8B0000, 0x6A3D9A, 0x7F7F00, 0x1F4E79, 0xB15928,
};

/* Geometry, in pixels: a plot area of 1000 x 670 per panel, the legend to
 * its right as wide as its longest label (about 1600 x 900, a 16:9 slide). */
#define PLOT_AREA_W 1000.0
#define PLOT_PANEL_H 900.0
#define PLOT_LEFT 150.0      /* left of the plot area: tick labels, axis title */
#define PLOT_LEGEND_PX 20.0  /* legend text size */
#define PLOT_TOP 110.0       /* above: figure and panel titles */
#define PLOT_BOTTOM 120.0    /* below: tick labels and the axis title */
#define PLOT_FONT "DejaVu Sans"
#define PLOT_PI 3.14159265358979323846

struct plot_axis {
	bool log;
	double lo, hi; /* milliseconds */
};

static double plot_x(const struct plot_axis *a, double ms, double x0, double w)
{
	double f;
	if (a->log) {
		if (ms < a->lo)
			ms = a->lo;
		f = (log10(ms) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	} else {
		f = (ms - a->lo) / (a->hi - a->lo);
	}
	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return x0 + f * w;
}

/* The linear axis step: 1, 2 or 5 times a power of ten, 4..10 ticks. */
static double plot_step(double span)
{
	double p = pow(10, floor(log10(span)));
	for (;;) {
		if (span / p <= 10) {
			if (span / p > 5)
				return p;
			if (span / (p / 2) > 5)
				return p / 2;
			return p / 5;
		}
		p *= 10;
	}
}

static void plot_axis_for(const struct cli_plot_panel *pn, bool log_x, struct plot_axis *a)
{
	double lo = -1, hi = -1;
	for (size_t c = 0; c < pn->n_curves; c++) {
		const struct cli_plot_curve *cv = &pn->curves[c];
		for (size_t i = 0; i < cv->n; i++) {
			double ms = (double)cv->us[i] / 1000.0;
			if (log_x && ms <= 0)
				continue;
			if (lo < 0 || ms < lo)
				lo = ms;
			if (ms > hi)
				hi = ms;
		}
	}
	a->log = log_x;
	if (log_x) {
		if (lo <= 0)
			lo = hi = 1;
		/* from the largest 1, 2 or 5 times a power of ten at or below the
		 * smallest value, to the next power of ten */
		double d = pow(10, floor(log10(lo)));
		a->lo = lo >= 5 * d ? 5 * d : lo >= 2 * d ? 2 * d : d;
		a->hi = pow(10, ceil(log10(hi)));
		if (a->hi <= a->lo)
			a->hi = a->lo * 10;
	} else {
		if (hi <= 0)
			hi = 1;
		double st = plot_step(hi);
		a->lo = 0;
		a->hi = ceil(hi / st) * st;
	}
}

static void plot_text(cairo_t *cr, double x, double y, double size, bool bold, double ax,
                      double ay, const char *s)
{
	cairo_select_font_face(cr, PLOT_FONT, CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents_t e;
	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - e.x_bearing - ax * e.width, y - e.y_bearing - ay * e.height);
	cairo_show_text(cr, s);
}

static void plot_rgb(cairo_t *cr, uint32_t c)
{
	cairo_set_source_rgb(cr, (double)(c >> 16 & 0xff) / 255.0, (double)(c >> 8 & 0xff) / 255.0,
	                     (double)(c & 0xff) / 255.0);
}

/* "1", "0.5", "20", "1000": a tick value without trailing zeros. */
static void plot_num(double v, char *buf, size_t cap)
{
	snprintf(buf, cap, "%.3f", v);
	char *dot = strchr(buf, '.');
	if (!dot)
		return;
	char *e = buf + strlen(buf) - 1;
	while (e > dot && *e == '0')
		*e-- = '\0';
	if (e == dot)
		*e = '\0';
}

static void plot_panel(cairo_t *cr, const struct cli_plot_panel *pn, double top, bool log_x)
{
	double x0 = PLOT_LEFT, y0 = top + PLOT_TOP;
	double w = PLOT_AREA_W, h = PLOT_PANEL_H - PLOT_TOP - PLOT_BOTTOM;
	struct plot_axis a;
	plot_axis_for(pn, log_x, &a);
	char buf[64];

	/* grid and ticks */
	cairo_set_line_width(cr, 1);
	for (int p = 0; p <= 100; p += 20) {
		double y = y0 + h - h * p / 100.0;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, x0, y);
		cairo_line_to(cr, x0 + w, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		snprintf(buf, sizeof buf, "%d%%", p);
		plot_text(cr, x0 - 14, y, 24, false, 1, 0.5, buf);
	}
	if (a.log) {
		for (double d = pow(10, floor(log10(a.lo) + 1e-9)); d <= a.hi * 1.0001; d *= 10) {
			for (int m = 1; m <= 9; m++) {
				double v = d * m;
				if (v < a.lo * 0.9999)
					continue;
				if (v > a.hi * 1.0001)
					break;
				double x = plot_x(&a, v, x0, w);
				cairo_set_source_rgb(cr, m == 1 ? 0.8 : 0.92, m == 1 ? 0.8 : 0.92,
				                     m == 1 ? 0.8 : 0.92);
				cairo_move_to(cr, x, y0);
				cairo_line_to(cr, x, y0 + h);
				cairo_stroke(cr);
				if (m == 1 || v < a.lo * 1.0001) {
					cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
					plot_num(v, buf, sizeof buf);
					plot_text(cr, x, y0 + h + 14, 24, false, 0.5, 0, buf);
				}
			}
		}
	} else {
		double st = plot_step(a.hi - a.lo);
		for (double v = a.lo; v <= a.hi + st / 1000; v += st) {
			double x = plot_x(&a, v, x0, w);
			cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
			cairo_move_to(cr, x, y0);
			cairo_line_to(cr, x, y0 + h);
			cairo_stroke(cr);
			cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
			plot_num(v, buf, sizeof buf);
			plot_text(cr, x, y0 + h + 14, 24, false, 0.5, 0, buf);
		}
	}
	/* frame and axis titles */
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	cairo_set_line_width(cr, 2);
	cairo_rectangle(cr, x0, y0, w, h);
	cairo_stroke(cr);
	plot_text(cr, x0 + w / 2, y0 + h + 60, 28, false, 0.5, 0,
	          a.log ? "time (ms, log scale)" : "time (ms)");
	cairo_save(cr);
	cairo_translate(cr, 40, y0 + h / 2);
	cairo_rotate(cr, -PLOT_PI / 2);
	plot_text(cr, 0, 0, 28, false, 0.5, 0.5, "cumulative percent of runs");
	cairo_restore(cr);
	if (pn->title && *pn->title)
		plot_text(cr, x0 + w / 2, y0 - 16, 28, true, 0.5, 1, pn->title);

	/* the curves: step functions, clipped to the plot area */
	cairo_save(cr);
	cairo_rectangle(cr, x0, y0 - 4, w, h + 8);
	cairo_clip(cr);
	cairo_set_line_width(cr, 4);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	for (size_t c = 0; c < pn->n_curves; c++) {
		const struct cli_plot_curve *cv = &pn->curves[c];
		if (cv->total == 0)
			continue;
		plot_rgb(cr, cli_plot_colors[c % CLI_PLOT_N_COLORS]);
		double dash[] = {14, 8};
		cairo_set_dash(cr, dash, c >= CLI_PLOT_N_COLORS ? 2 : 0, 0);
		double y = y0 + h;
		cairo_move_to(cr, x0, y);
		/* values closer than a quarter pixel make one step, so a curve of
		 * a million runs is a few thousand segments */
		for (size_t i = 0; i < cv->n;) {
			double x = plot_x(&a, (double)cv->us[i] / 1000.0, x0, w);
			size_t j = i + 1;
			while (j < cv->n && plot_x(&a, (double)cv->us[j] / 1000.0, x0, w) - x < 0.25)
				j++;
			cairo_line_to(cr, x, y);
			y = y0 + h - h * (double)j / (double)cv->total;
			cairo_line_to(cr, x, y);
			i = j;
		}
		cairo_line_to(cr, x0 + w, y);
		cairo_stroke(cr);
	}
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_restore(cr);

	/* the legend, right of the plot area */
	double lx = x0 + w + 30, ly = y0 + 10;
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	for (size_t c = 0; c < pn->n_curves; c++) {
		double y = ly + 40.0 * (double)c;
		plot_rgb(cr, cli_plot_colors[c % CLI_PLOT_N_COLORS]);
		double dash[] = {14, 8};
		cairo_set_dash(cr, dash, c >= CLI_PLOT_N_COLORS ? 2 : 0, 0);
		cairo_set_line_width(cr, 4);
		cairo_move_to(cr, lx, y + 14);
		cairo_line_to(cr, lx + 44, y + 14);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		plot_text(cr, lx + 56, y + 14, PLOT_LEGEND_PX, false, 0, 0.5, pn->curves[c].label);
	}
}

/* The figure's width: the plot area, and the legend after it. */
static double plot_width(const struct cli_plot_panel *panels, size_t n_panels)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(s);
	cairo_select_font_face(cr, PLOT_FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, PLOT_LEGEND_PX);
	double longest = 200;
	for (size_t p = 0; p < n_panels; p++)
		for (size_t c = 0; c < panels[p].n_curves; c++) {
			cairo_text_extents_t e;
			cairo_text_extents(cr, panels[p].curves[c].label, &e);
			if (e.x_advance > longest)
				longest = e.x_advance;
		}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	if (longest > 1200)
		longest = 1200;
	return ceil(PLOT_LEFT + PLOT_AREA_W + 30 + 56 + longest + 30);
}

static void plot_draw(cairo_t *cr, double width, const char *title,
                      const struct cli_plot_panel *panels, size_t n_panels, bool log_x)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	if (title && *title)
		plot_text(cr, width / 2, 24, 32, true, 0.5, 0, title);
	for (size_t i = 0; i < n_panels; i++)
		plot_panel(cr, &panels[i], PLOT_PANEL_H * (double)i + (title && *title ? 20 : 0),
		           log_x);
}

static cairo_status_t plot_write(void *closure, const unsigned char *data, unsigned int len)
{
	return sim_out_write(closure, data, len) == 0 ? CAIRO_STATUS_SUCCESS
	                                             : CAIRO_STATUS_WRITE_ERROR;
}

int cli_plot_cdf(const char *png_path, const char *svg_path, const char *title,
                 const struct cli_plot_panel *panels, size_t n_panels, bool log_x, char *err,
                 size_t errcap)
{
	double hgt = PLOT_PANEL_H * (double)(n_panels ? n_panels : 1) + (title && *title ? 20 : 0);
	double wid = plot_width(panels, n_panels);
	int rc = -1;
	if (png_path) {
		cairo_surface_t *s =
			cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wid, (int)hgt);
		cairo_t *cr = cairo_create(s);
		plot_draw(cr, wid, title, panels, n_panels, log_x);
		cairo_status_t st = cairo_status(cr);
		cairo_destroy(cr);
		struct sim_out *o = st == CAIRO_STATUS_SUCCESS ? sim_out_open(png_path, err, errcap)
		                                               : NULL;
		if (st != CAIRO_STATUS_SUCCESS)
			snprintf(err, errcap, _("%s: cannot draw: %s"), png_path, cairo_status_to_string(st));
		else if (o && (st = cairo_surface_write_to_png_stream(s, plot_write, o)) !=
		                      CAIRO_STATUS_SUCCESS) {
			sim_out_abort(o);
			o = NULL;
			snprintf(err, errcap, _("%s: cannot write: %s"), png_path,
			         cairo_status_to_string(st));
		}
		cairo_surface_destroy(s);
		if (!o || sim_out_commit(o, err, errcap) != 0)
			return -1;
	}
	if (svg_path) {
		struct sim_out *o = sim_out_open(svg_path, err, errcap);
		if (!o)
			return -1;
		cairo_surface_t *s = cairo_svg_surface_create_for_stream(plot_write, o, wid, hgt);
		cairo_t *cr = cairo_create(s);
		plot_draw(cr, wid, title, panels, n_panels, log_x);
		cairo_destroy(cr);
		cairo_surface_finish(s);
		cairo_status_t st = cairo_surface_status(s);
		cairo_surface_destroy(s);
		if (st != CAIRO_STATUS_SUCCESS) {
			sim_out_abort(o);
			snprintf(err, errcap, _("%s: cannot write: %s"), svg_path, cairo_status_to_string(st));
			return -1;
		}
		if (sim_out_commit(o, err, errcap) != 0)
			return -1;
	}
	rc = 0;
	return rc;
}

void cli_plot_shutdown(void)
{
	cairo_debug_reset_static_data();
	FcFini();
}
