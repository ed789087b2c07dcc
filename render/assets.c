/* assets.c - finds the directory with the bundled fonts: $RAFTSIM_ASSETS, the source tree's assets/ compiled in, or next to the executable. */
#include "render.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fontconfig/fontconfig.h>
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

#define CJK_FONT_DEBIAN "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

/* The file fontconfig gives for WenQuanYi Micro Hei, if it has 领 (a
 * fontconfig without it substitutes a font that lacks Chinese). */
static bool cjk_from_fontconfig(char *buf, size_t cap)
{
	bool found = false;
	if (!FcInit())
		return false;
	FcPattern *pat = FcNameParse((const FcChar8 *)"WenQuanYi Micro Hei:lang=zh-cn");
	if (!pat) {
		FcFini();
		return false;
	}
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *m = FcFontMatch(NULL, pat, &res);
	FcChar8 *file = NULL;
	FcCharSet *cs = NULL;
	if (m && FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch && FcCharSetHasChar(cs, 0x9886) &&
	    access((const char *)file, R_OK) == 0 && strlen((const char *)file) < cap) {
		snprintf(buf, cap, "%s", (const char *)file);
		found = true;
	}
	if (m)
		FcPatternDestroy(m);
	FcPatternDestroy(pat);
	FcFini(); /* nothing else here uses fontconfig: give its caches back */
	return found;
}

int render_cjk_font(char *buf, size_t cap, char *err, size_t errcap)
{
	const char *env = getenv("RAFTSIM_CJK_FONT");
	if (env && *env) {
		if (access(env, R_OK) != 0) {
			snprintf(err, errcap, _("RAFTSIM_CJK_FONT: cannot read %s"), env);
			return -1;
		}
		snprintf(buf, cap, "%s", env);
		return 0;
	}
	if (cjk_from_fontconfig(buf, cap))
		return 0;
	if (access(CJK_FONT_DEBIAN, R_OK) == 0) {
		snprintf(buf, cap, "%s", CJK_FONT_DEBIAN);
		return 0;
	}
	snprintf(err, errcap,
	         _("cannot find a Chinese font (WenQuanYi Micro Hei, not known to fontconfig nor at %s): "
	         "install the Debian package fonts-wqy-microhei, or set RAFTSIM_CJK_FONT to a .ttf/.ttc"),
	         CJK_FONT_DEBIAN);
	return -1;
}
