/* assets.c - finds the directory with the bundled fonts: $RAFTSIM_ASSETS, the source tree's assets/ compiled in, or next to the executable. */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RAFTSIM_ASSETS_DIR
#define RAFTSIM_ASSETS_DIR ""
#endif

#define FONT_FILE "DejaVuSans.ttf"

static bool has_font(const char *dir)
{
	char path[4096];
	if (!dir || !*dir)
		return false;
	if (snprintf(path, sizeof path, "%s/%s", dir, FONT_FILE) >= (int)sizeof path)
		return false;
	return access(path, R_OK) == 0;
}

static void tried(char *err, size_t errcap, size_t *len, const char *dir)
{
	if (!err || !errcap || *len >= errcap)
		return;
	int n = snprintf(err + *len, errcap - *len, "%s%s", *len ? ", " : "", dir);
	if (n > 0)
		*len += (size_t)n;
}

const char *render_assets_dir(char *buf, size_t cap, char *err, size_t errcap)
{
	size_t elen = 0;
	if (err && errcap)
		err[0] = '\0';
	const char *env = getenv("RAFTSIM_ASSETS");
	if (env && *env) {
		if (has_font(env)) {
			snprintf(buf, cap, "%s", env);
			return buf;
		}
		tried(err, errcap, &elen, env);
	}
	if (has_font(RAFTSIM_ASSETS_DIR)) {
		snprintf(buf, cap, "%s", RAFTSIM_ASSETS_DIR);
		return buf;
	}
	if (*RAFTSIM_ASSETS_DIR)
		tried(err, errcap, &elen, RAFTSIM_ASSETS_DIR);
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		const char *rel[] = {"../assets", "assets"};
		for (size_t i = 0; i < 2; i++) {
			char dir[4200];
			snprintf(dir, sizeof dir, "%s/%s", exe, rel[i]);
			if (has_font(dir)) {
				snprintf(buf, cap, "%s", dir);
				return buf;
			}
			tried(err, errcap, &elen, dir);
		}
	}
	return NULL;
}
