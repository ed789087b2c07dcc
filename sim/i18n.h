/* i18n.h - the strings a person reads, through GNU gettext (glibc's
 * libintl): _("...") translates into the language chosen at start
 * (cli/lang.c), N_("...") marks a string translated where it is used.
 * The machine-readable trace (text keywords, JSONL keys) is never
 * translated. */
#ifndef SIM_I18N_H
#define SIM_I18N_H

#include <libintl.h>

#define RAFTSIM_TEXT_DOMAIN "raftsim"
#define _(s) dgettext(RAFTSIM_TEXT_DOMAIN, s)
#define N_(s) s
/* n of one thing: ngettext for the plural rules of the language */
#define NG_(one, many, n) dngettext(RAFTSIM_TEXT_DOMAIN, one, many, (unsigned long)(n))

#endif
