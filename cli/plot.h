/* plot.h - cumulative distribution plots (CDFs) of measured times, drawn
 * once with cairo and written as PNG and SVG.
 *
 * A figure is one or more panels stacked vertically (one per measurement),
 * each with one curve per setting, a legend naming the settings, a time
 * axis in milliseconds (linear, or logarithmic with log_x) and a
 * "runs (%)" axis.  A curve's denominator is every run of its setting, so
 * runs that timed out or never got that far keep it below 100%.
 *
 * Files go through sim/outfile.h (a finished file or the old one).  Floating
 * point is used for drawing only. */
#ifndef CLI_PLOT_H
#define CLI_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cli_plot_curve {
	const char *label;   /* legend text */
	const int64_t *us;   /* the values, ascending, microseconds */
	size_t n;            /* how many values */
	size_t total;        /* the runs of this setting (>= n); 0 draws nothing */
};

struct cli_plot_panel {
	const char *title;   /* e.g. the measurement's name */
	const struct cli_plot_curve *curves;
	size_t n_curves;
};

/* The colours curves get, in order (0xRRGGBB); curve i has
 * cli_plot_colors[i % CLI_PLOT_N_COLORS], dashed after the first round. */
#define CLI_PLOT_N_COLORS 12
extern const uint32_t cli_plot_colors[CLI_PLOT_N_COLORS];

/* Draws the panels and writes png_path and svg_path (either may be NULL).
 * 0, or -1 with one line "PATH: what went wrong" in err. */
int cli_plot_cdf(const char *png_path, const char *svg_path, const char *title,
                 const struct cli_plot_panel *panels, size_t n_panels, bool log_x, char *err,
                 size_t errcap);

/* Frees what cairo and fontconfig keep for the whole process (font caches),
 * so a leak checker sees nothing at exit.  Call once, after the last plot. */
void cli_plot_shutdown(void);

#endif
