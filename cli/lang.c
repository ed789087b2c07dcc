/* lang.c - the language of everything a person reads: --lang zh|en, else the locale (LC_ALL, LC_MESSAGES, LANG: zh... is Chinese), through GNU gettext with the catalog found next to the executable. */
#include "cli.h"

#include "i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RAFTSIM_LOCALEDIR
#define RAFTSIM_LOCALEDIR "/usr/local/share/locale"
#endif

/* The language the environment asks for: the first set of LC_ALL,
 * LC_MESSAGES, LANG (POSIX's order); Chinese when it starts with "zh". */
static bool env_wants_zh(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return !strncmp(v, "zh", 2);
	}
	return false;
}

static bool has_catalog(const char *dir)
{
	char path[4300];
	snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" RAFTSIM_TEXT_DOMAIN ".mo", dir);
	return access(path, R_OK) == 0;
}

/* The directory holding zh_CN/LC_MESSAGES/raftsim.mo: $RAFTSIM_LOCALEDIR,
 * po/ beside the executable (the build tree), ../share/locale from it (an
 * install), the compiled-in locale directory.  NULL if none. */
static const char *catalog_dir(char *buf, size_t cap)
{
	const char *env = getenv("RAFTSIM_LOCALEDIR");
	if (env && *env && has_catalog(env))
		return env;
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		const char *rel[] = {"po", "../share/locale"};
		for (size_t i = 0; i < 2; i++) {
			snprintf(buf, cap, "%s/%s", exe, rel[i]);
			if (has_catalog(buf))
				return buf;
		}
	}
	if (has_catalog(RAFTSIM_LOCALEDIR))
		return RAFTSIM_LOCALEDIR;
	return NULL;
}

/* Applies the choice: gettext reads LANGUAGE only when the messages
 * locale is not "C", and zh_CN.UTF-8 need not be installed, so the
 * messages locale is the user's when it exists, else C.UTF-8. */
static int lang_apply(bool zh, bool explicit)
{
	const char *loc = setlocale(LC_MESSAGES, "");
	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", zh ? "zh_CN" : "en", 1);
	/* libc's own messages (strerror) in Chinese come in UTF-8, or gettext
	 * turns them into "????" for the "C" character set; LC_CTYPE itself
	 * stays "C" (Xlib does not open a window in C.UTF-8) */
	bind_textdomain_codeset("libc", "UTF-8");
	char buf[4200];
	const char *dir = catalog_dir(buf, sizeof buf);
	if (!dir) {
		if (zh && explicit) {
			fprintf(stderr,
			        _("raftsim: --lang zh: the Chinese catalog raftsim.mo is not built or installed "
			        "(looked in po/ beside the executable, ../share/locale and %s; set "
			        "RAFTSIM_LOCALEDIR)\n"),
			        RAFTSIM_LOCALEDIR);
			return 2;
		}
		return 0;
	}
	bindtextdomain(RAFTSIM_TEXT_DOMAIN, dir);
	bind_textdomain_codeset(RAFTSIM_TEXT_DOMAIN, "UTF-8");
	return 0;
}

int cli_lang_setup(int *argc, char **argv)
{
	bool zh = env_wants_zh(), explicit = false;
	int out = 0;
	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i];
		if (!cli_flag_is(a, "--lang")) {
			argv[out++] = argv[i];
			continue;
		}
		const char *v = cli_flag_value(*argc, argv, &i, "--lang");
		if (!v)
			return 2;
		if (!strcmp(v, "zh") || !strcmp(v, "zh_CN") || !strcmp(v, "zh-CN")) {
			zh = true;
		} else if (!strcmp(v, "en")) {
			zh = false;
		} else {
			fprintf(stderr, _("raftsim: --lang: '%s' is not a language (expected zh or en)\n"), v);
			return 2;
		}
		explicit = true;
	}
	*argc = out;
	argv[out] = NULL;
	return lang_apply(zh, explicit);
}

bool cli_lang_zh(void)
{
	const char *l = getenv("LANGUAGE");
	return l && !strncmp(l, "zh", 2);
}
