/* parse.c - the .scn parser: text in, struct scn_script or one error line out. */
#include "scn_internal.h"
#include "i18n.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum scn_tok_kind { SCN_TOK_WORD, SCN_TOK_STR, SCN_TOK_LBRACE, SCN_TOK_RBRACE };

struct scn_tok {
	enum scn_tok_kind kind;
	const char *p; /* WORD: the word; STR: the raw text between the quotes */
	size_t n;
	int col;       /* 1-based byte column of its first byte (the quote) */
	int end_col;   /* column just after it */
};

/* Every token takes at least one byte of a line (braces need no space
 * around them), and a line is at most SCN_LINE_MAX bytes plus a CR. */
#define SCN_TOKS_MAX (SCN_LINE_MAX + 1)

struct scn_parser {
	const char *path;
	int line;
	char *err;
	size_t errcap;
	struct scn_tok *t;
	size_t nt, i;
	int eol_col;        /* column just after the last token */
	const char *text;   /* the line being read, to count columns in characters */
	size_t text_n;
	uint16_t nodes;     /* 0 until the cluster line */
	bool single;        /* parsing one command for scn_runner_exec() */
	/* What a script's `measure since` may name (marks so far: `mark NAME`
	 * and a measure without `since`) and the measurements taken so far,
	 * each measured once (measure_line: where). */
	char marks[SCN_MARKS_MAX][SCN_NAME_MAX + 1];
	size_t n_marks;
	char measures[SCN_MEASURES_MAX][SCN_NAME_MAX + 1];
	int measure_line[SCN_MEASURES_MAX];
	size_t n_measures;
};

/* ---- Errors ------------------------------------------------------------- */

static int scn_perr(struct scn_parser *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scn_perr(struct scn_parser *p, int col, const char *fmt, ...)
{
	if (!p->err || p->errcap == 0)
		return -1;
	size_t len = 0;
	p->err[0] = '\0';
	/* col counts bytes; an editor counts characters (任 is one, not three) */
	if (p->text && col > 1) {
		int chars = 1;
		for (size_t i = 0; i < (size_t)col - 1; i++)
			chars += i >= p->text_n || ((unsigned char)p->text[i] & 0xC0) != 0x80;
		col = chars;
	}
	scn_appendf(p->err, p->errcap, &len, "%s:%d:%d: ", p->path, p->line, col);
	va_list ap;
	va_start(ap, fmt);
	scn_vappendf(p->err, p->errcap, &len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A token for a message: at most 40 bytes, cut at a UTF-8 boundary. */
static void scn_tokstr(const char *s, size_t n, char *buf, size_t cap)
{
	size_t max = cap > 4 ? cap - 4 : 0;
	if (max > 40)
		max = 40;
	bool cut = n > max;
	if (cut) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	if (cap == 0)
		return;
	snprintf(buf, cap, "%.*s%s", (int)n, s, cut ? "..." : "");
}

#define SCN_TOKBUF 48
#define TOKSTR(tok, buf) (scn_tokstr((tok)->p, (tok)->n, (buf), sizeof(buf)), (buf))
/* What a user typed for token t: its word, or the '"', '{' or '}' that
 * opened it. */
#define TOKSHOW(tok, buf)                                                              \
	((tok)->kind == SCN_TOK_WORD     ? TOKSTR(tok, buf)                               \
	 : (tok)->kind == SCN_TOK_STR    ? "\""                                           \
	 : (tok)->kind == SCN_TOK_LBRACE ? "{"                                            \
	                                 : "}")

/* Edit distance for "did you mean" (short words only). */
static unsigned scn_distance(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b);
	if (na > 24 || nb > 24)
		return 99;
	unsigned row[25];
	for (size_t j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= na; i++) {
		unsigned diag = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= nb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[nb];
}

const char *scn_suggest(const char *w, size_t n, const char *const *words)
{
	const char *best = NULL;
	unsigned bd = 3;
	for (size_t i = 0; words[i]; i++) {
		unsigned d = scn_distance(w, n, words[i]);
		if (d < bd) {
			bd = d;
			best = words[i];
		}
	}
	return best;
}

/* ---- Lines and tokens --------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t scn_utf8_len(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Checks that a line is text: UTF-8 without NUL or control bytes (tab is
 * fine, and a CR that ends the line). */
static int scn_check_text(struct scn_parser *p, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned c = u[i];
		if (c == '\t' || (c >= 0x20 && c != 0x7F)) {
			size_t l = scn_utf8_len(u + i, n - i);
			if (l == 0)
				return scn_perr(p, (int)i + 1,
				                _("binary data (byte 0x%02X is not UTF-8 text): a script is a text file"),
				                c);
			i += l;
			continue;
		}
		if (c == '\r' && i + 1 == n) {
			i++;
			continue;
		}
		return scn_perr(p, (int)i + 1,
		                _("binary data (byte 0x%02X): a script is a text file without NUL or control characters"),
		                c);
	}
	return 0;
}

static int scn_lex(struct scn_parser *p, const char *s, size_t n)
{
	p->nt = 0;
	p->i = 0;
	p->eol_col = 1;
	size_t i = 0;
	while (i < n) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\r') {
			i++;
			continue;
		}
		if (c == '#')
			break;
		struct scn_tok *t = &p->t[p->nt++];
		t->col = (int)i + 1;
		if (c == '{' || c == '}') {
			t->kind = c == '{' ? SCN_TOK_LBRACE : SCN_TOK_RBRACE;
			t->p = s + i;
			t->n = 1;
			i++;
		} else if (c == '"') {
			size_t j = i + 1;
			while (j < n && s[j] != '"') {
				if (s[j] == '\\' && j + 1 < n)
					j++;
				j++;
			}
			if (j >= n)
				return scn_perr(p, t->col,
				                _("unterminated string: close it with '\"' on the same line"));
			t->kind = SCN_TOK_STR;
			t->p = s + i + 1;
			t->n = j - i - 1;
			i = j + 1;
		} else {
			size_t j = i;
			while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' && s[j] != '{' &&
			       s[j] != '}' && s[j] != '"' && s[j] != '#')
				j++;
			t->kind = SCN_TOK_WORD;
			t->p = s + i;
			t->n = j - i;
			i = j;
		}
		t->end_col = (int)i + 1;
		p->eol_col = t->end_col + 1;
	}
	return 0;
}

/* ---- Token helpers ------------------------------------------------------ */

static struct scn_tok *scn_peek(struct scn_parser *p)
{
	return p->i < p->nt ? &p->t[p->i] : NULL;
}

static bool scn_tok_is(const struct scn_tok *t, const char *w)
{
	return t && t->kind == SCN_TOK_WORD && t->n == strlen(w) && memcmp(t->p, w, t->n) == 0;
}

static bool scn_accept(struct scn_parser *p, const char *w)
{
	if (scn_tok_is(scn_peek(p), w)) {
		p->i++;
		return true;
	}
	return false;
}

/* Column for an error about something missing after the last token. */
static int scn_here(struct scn_parser *p)
{
	struct scn_tok *t = scn_peek(p);
	return t ? t->col : p->eol_col;
}

static int scn_expect_end(struct scn_parser *p, const char *after)
{
	struct scn_tok *t = scn_peek(p);
	if (!t)
		return 0;
	char b[SCN_TOKBUF];
	if (t->kind == SCN_TOK_STR)
		return scn_perr(p, t->col, _("unexpected string after %s: put comments after '#'"), after);
	return scn_perr(p, t->col, _("unexpected '%s' after %s: put comments after '#'"), TOKSTR(t, b),
	                after);
}

/* Decimal unsigned integer with no sign or leading junk.  1 if not a
 * number, 2 if out of range. */
static int scn_number(const char *s, size_t n, uint64_t *out)
{
	if (n == 0)
		return 1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 1;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return 2;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int scn_size_parse(const char *s, size_t n, uint64_t *out)
{
	size_t d = 0;
	while (d < n && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d == 0)
		return -1;
	uint64_t v = 0;
	int rc = scn_number(s, d, &v);
	if (rc == 2)
		return -2;
	static const struct {
		const char *unit;
		unsigned shift;
	} units[] = {{"", 0},     {"B", 0},    {"K", 10},  {"KB", 10}, {"KiB", 10}, {"M", 20},
	             {"MB", 20},  {"MiB", 20}, {"G", 30},  {"GB", 30}, {"GiB", 30}, {"T", 40},
	             {"TB", 40},  {"TiB", 40}};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
		if (strlen(units[u].unit) == n - d && memcmp(units[u].unit, s + d, n - d) == 0) {
			unsigned sh = units[u].shift;
			if (sh && v > (UINT64_MAX >> sh))
				return -2;
			*out = v << sh;
			return 0;
		}
	return -1;
}

size_t scn_size_format(uint64_t bytes, char *buf, size_t cap)
{
	static const char *const names[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	unsigned k = 0;
	while (k < 4 && bytes && bytes % 1024 == 0) {
		bytes /= 1024;
		k++;
	}
	return (size_t)snprintf(buf, cap, "%" PRIu64 "%s", bytes, names[k]);
}

static int scn_parse_count(struct scn_parser *p, const char *what, uint64_t lo, uint64_t hi,
                           uint64_t *out)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col, _("missing %s: expected a number %" PRIu64 "..%" PRIu64),
		                what, lo, hi);
	uint64_t v = 0;
	int rc = t->kind == SCN_TOK_WORD ? scn_number(t->p, t->n, &v) : 1;
	if (rc == 1)
		return scn_perr(p, t->col, _("bad %s '%s': expected a number %" PRIu64 "..%" PRIu64),
		                what, TOKSTR(t, b), lo, hi);
	if (rc == 2 || v < lo || v > hi)
		return scn_perr(p, t->col, _("%s %s is out of range: expected %" PRIu64 "..%" PRIu64), what,
		                TOKSTR(t, b), lo, hi);
	p->i++;
	*out = v;
	return 0;
}

/* ---- Durations and percentages ------------------------------------------ */

/* Parses "150ms", "1.5s", "20us" into microseconds.  Returns 0, or -1
 * after an error at column col. */
static int scn_duration(struct scn_parser *p, const char *s, size_t n, int col, int64_t *out)
{
	char b[SCN_TOKBUF];
	scn_tokstr(s, n, b, sizeof b);
	size_t i = 0;
	uint64_t whole = 0, frac = 0, frac_div = 1;
	bool digits = false;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (whole > 1000000000000ull)
			goto range;
		whole = whole * 10 + (uint64_t)(s[i] - '0');
		digits = true;
		i++;
	}
	if (i < n && s[i] == '.') {
		i++;
		bool fd = false;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (frac_div >= 1000000000000ull)
				goto precise;
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			frac_div *= 10;
			fd = true;
			i++;
		}
		if (!fd)
			digits = false;
	}
	if (!digits)
		goto bad;
	uint64_t unit;
	if (n - i == 2 && memcmp(s + i, "us", 2) == 0)
		unit = 1;
	else if (n - i == 2 && memcmp(s + i, "ms", 2) == 0)
		unit = 1000;
	else if (n - i == 1 && s[i] == 's')
		unit = 1000000;
	else
		goto bad;
	if (whole > (uint64_t)SCN_RUN_US_MAX / unit + 1)
		goto range;
	if ((frac * unit) % frac_div != 0)
		goto precise;
	uint64_t us = whole * unit + frac * unit / frac_div;
	if (us > (uint64_t)SCN_RUN_US_MAX)
		goto range;
	*out = (int64_t)us;
	return 0;
bad:
	return scn_perr(p, col,
	                _("bad duration '%s': expected a number with a unit us, ms or s, like 500ms or 1.5s"),
	                b);
precise:
	return scn_perr(p, col, _("duration '%s' is too precise: durations are whole microseconds"), b);
range:
	return scn_perr(p, col, _("duration '%s' is out of range: at most 1 hour (3600s)"), b);
}

/* A duration that is one whole token. */
static int scn_parse_duration(struct scn_parser *p, const char *after, int64_t *out)
{
	struct scn_tok *t = scn_peek(p);
	if (!t)
		return scn_perr(p, p->eol_col, _("missing duration after %s: expected e.g. 500ms or 1.5s"),
		                after);
	if (t->kind != SCN_TOK_WORD) {
		return scn_perr(p, t->col, _("bad duration after %s: expected e.g. 500ms or 1.5s"), after);
	}
	if (scn_duration(p, t->p, t->n, t->col, out) != 0)
		return -1;
	p->i++;
	return 0;
}

/* "A..B" (the unit may be written once, at the end: 150..300ms) or a
 * single "A". */
static int scn_duration_range(struct scn_parser *p, const char *s, size_t n, int col, int64_t *lo,
                              int64_t *hi)
{
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	if (!dots) {
		if (scn_duration(p, s, n, col, lo) != 0)
			return -1;
		*hi = *lo;
		return 0;
	}
	size_t ln = (size_t)(dots - s);
	const char *r = dots + 2;
	size_t rn = n - ln - 2;
	if (scn_duration(p, r, rn, col + (int)ln + 2, hi) != 0)
		return -1;
	/* A left side without a unit borrows the right side's. */
	size_t un = 0;
	while (un < rn && r[rn - 1 - un] >= 'a' && r[rn - 1 - un] <= 'z')
		un++;
	char left[SCN_LINE_MAX + 8];
	size_t lln = ln;
	memcpy(left, s, ln);
	if (ln > 0 && s[ln - 1] >= '0' && s[ln - 1] <= '9') {
		memcpy(left + ln, r + rn - un, un);
		lln += un;
	}
	if (scn_duration(p, left, lln, col, lo) != 0)
		return -1;
	if (*lo > *hi) {
		char b[SCN_TOKBUF];
		scn_tokstr(s, n, b, sizeof b);
		return scn_perr(p, col, _("bad range '%s': the first value must not exceed the second"),
		                b);
	}
	return 0;
}

/* "20%", "0.5%", "0.0001%" -> parts per million. */
static int scn_percent(struct scn_parser *p, const char *s, size_t n, int col, uint32_t *ppm)
{
	char b[SCN_TOKBUF];
	scn_tokstr(s, n, b, sizeof b);
	if (n < 2 || s[n - 1] != '%')
		goto bad;
	n--;
	size_t i = 0;
	uint64_t whole = 0, frac = 0;
	unsigned fd = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		if (whole > 1000)
			goto range;
		whole = whole * 10 + (uint64_t)(s[i] - '0');
		i++;
	}
	if (i == 0)
		goto bad;
	if (i < n && s[i] == '.') {
		i++;
		if (i == n)
			goto bad;
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (fd == 4)
				return scn_perr(p, col,
				                _("percentage '%s' is too precise: at most 4 decimals (0.0001%% = 1 in a million)"),
				                b);
			frac = frac * 10 + (uint64_t)(s[i] - '0');
			fd++;
			i++;
		}
	}
	if (i != n)
		goto bad;
	while (fd < 4) {
		frac *= 10;
		fd++;
	}
	uint64_t v = whole * 10000 + frac;
	if (v > SIM_PPM)
		goto range;
	*ppm = (uint32_t)v;
	return 0;
bad:
	return scn_perr(p, col, _("bad percentage '%s': expected e.g. 5%% or 0.5%%"), b);
range:
	return scn_perr(p, col, _("percentage '%s' is out of range: expected 0%%..100%%"), b);
}

/* ---- Nodes -------------------------------------------------------------- */

static int scn_node_range_err(struct scn_parser *p, int col, const char *b)
{
	if (p->nodes == 1)
		return scn_perr(p, col, _("unknown node '%s': the cluster has one node, n1"), b);
	return scn_perr(p, col, _("unknown node '%s': the cluster has nodes n1..n%u"), b,
	                (unsigned)p->nodes);
}

/* NODE: n1..nN or `leader` (SCN_LEADER). */
static int scn_parse_node(struct scn_parser *p, const char *after, uint8_t *out)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col, _("missing node after %s: expected n1..n%u or leader"),
		                after, (unsigned)p->nodes);
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col, _("expected a node after %s: n1..n%u or leader"), after,
		                (unsigned)p->nodes);
	TOKSTR(t, b);
	if (scn_tok_is(t, "leader")) {
		*out = SCN_LEADER;
		p->i++;
		return 0;
	}
	uint64_t v = 0;
	int rc = t->n >= 2 && t->p[0] == 'n' ? scn_number(t->p + 1, t->n - 1, &v) : 1;
	if (rc == 1) {
		size_t d = 1;
		while (t->n >= 2 && t->p[0] == 'n' && d < t->n && t->p[d] >= '0' && t->p[d] <= '9')
			d++;
		if (d > 1 && d < t->n)
			return scn_perr(p, t->col,
			                _("bad node '%s': expected n1..n%u or leader (separate words with spaces)"),
			                b, (unsigned)p->nodes);
		return scn_perr(p, t->col, _("bad node '%s': expected n1..n%u or leader"), b,
		                (unsigned)p->nodes);
	}
	if (t->p[1] == '0' && t->n > 2)
		return scn_perr(p, t->col, _("bad node '%s': write node numbers without leading zeros"), b);
	if (rc == 2 || v < 1 || v > p->nodes)
		return scn_node_range_err(p, t->col, b);
	*out = (uint8_t)v;
	p->i++;
	return 0;
}

/* {NODE NODE ...}; a node may appear once.  *col gets the '{' column. */
static int scn_parse_set(struct scn_parser *p, const char *after, struct scn_nodeset *set)
{
	struct scn_tok *t = scn_peek(p);
	memset(set, 0, sizeof *set);
	if (!t || t->kind != SCN_TOK_LBRACE)
		return scn_perr(p, scn_here(p), _("expected a group of nodes like {n1 n2} after %s"),
		                after);
	int open = t->col;
	p->i++;
	size_t n = 0;
	for (;;) {
		t = scn_peek(p);
		if (!t)
			return scn_perr(p, p->eol_col, _("missing '}' to close the group opened at column %d"),
			                open);
		if (t->kind == SCN_TOK_RBRACE) {
			p->i++;
			break;
		}
		uint8_t node;
		int col = t->col;
		if (scn_parse_node(p, "'{'", &node) != 0)
			return -1;
		if (node == SCN_LEADER) {
			if (set->leader)
				return scn_perr(p, col, _("'leader' is listed twice in this group"));
			set->leader = true;
		} else {
			if (scn_set_has(set, node))
				return scn_perr(p, col, _("n%u is listed twice in this group"), node);
			scn_set_add(set, node);
		}
		n++;
	}
	if (n == 0)
		return scn_perr(p, open, _("empty group: list at least one node, like {n1 n2}"));
	return 0;
}

/* ---- KEY=VALUE ---------------------------------------------------------- */

/* The simulator stores commands as printable ASCII without spaces. */
static int scn_check_ascii(struct scn_parser *p, const char *s, size_t n, int col,
                           const char *what)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c >= 0x7F)
			return scn_perr(p, col + (int)i,
			                _("byte 0x%02X in %s: keys and values are printable ASCII without spaces"),
			                c, what);
	}
	return 0;
}

static int scn_parse_kv(struct scn_parser *p, const char *after, char *kv, uint8_t *kv_len,
                        uint8_t *key_len)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col, _("missing KEY=VALUE after %s: write it like x=1"), after);
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col, _("expected KEY=VALUE after %s, like x=1 (no quotes)"), after);
	/* "k=a{b" lexes as k=a, '{', b: a quote or brace right after the word
	 * is part of what the user meant as KEY=VALUE */
	const struct scn_tok *x = t;
	while (x + 1 < p->t + p->nt && x[1].col == x->end_col)
		x++;
	if (x != t) {
		const struct scn_tok *bad = t + 1;
		int len = x->end_col - t->col;
		if (len > 40)
			len = 40;
		return scn_perr(p, bad->col,
		                _("'%s' in KEY=VALUE '%.*s': keys and values are printable ASCII without "
		                "spaces, quotes or braces"),
		                TOKSHOW(bad, b), len, t->p);
	}
	TOKSTR(t, b);
	const char *eq = memchr(t->p, '=', t->n);
	if (!eq)
		return scn_perr(p, t->col, _("'%s' is not KEY=VALUE: write it like x=1"), b);
	if (eq == t->p)
		return scn_perr(p, t->col, _("empty key in '%s': write it like x=1"), b);
	if (eq == t->p + t->n - 1)
		return scn_perr(p, t->col, _("empty value in '%s': write it like x=1"), b);
	if (t->n > RAFT_CMD_MAX)
		return scn_perr(p, t->col,
		                _("'%s' is %zu bytes: KEY=VALUE is at most %d bytes"), b, t->n,
		                RAFT_CMD_MAX);
	if (scn_check_ascii(p, t->p, t->n, t->col, "KEY=VALUE") != 0)
		return -1;
	memcpy(kv, t->p, t->n);
	kv[t->n] = '\0';
	*kv_len = (uint8_t)t->n;
	if (key_len)
		*key_len = (uint8_t)(eq - t->p);
	p->i++;
	return 0;
}

/* ---- Conditions --------------------------------------------------------- */

/* "follower, candidate or leader": the role table's names. */
static void scn_role_list(char *buf, size_t cap)
{
	size_t len = 0;
	buf[0] = '\0';
	for (unsigned r = 0; r < RAFT_ROLES; r++)
		scn_appendf(buf, cap, &len, "%s%s", r == 0 ? "" : r + 1 == RAFT_ROLES ? _(" or ") : _(", "),
		            raft_role_desc(r)->name);
}

static int scn_parse_op(struct scn_parser *p, const char *after, bool eq_only, enum scn_op *op)
{
	static const char *const ops[] = {"==", "!=", ">=", "<=", ">", "<"};
	struct scn_tok *t = scn_peek(p);
	size_t nops = eq_only ? 2 : 6;
	const char *want = eq_only ? _("== or !=") : _("==, !=, >=, <=, > or <");
	if (t && t->kind == SCN_TOK_WORD)
		for (size_t i = 0; i < nops; i++)
			if (scn_tok_is(t, ops[i])) {
				*op = (enum scn_op)i;
				p->i++;
				return 0;
			}
	if (!t)
		return scn_perr(p, p->eol_col, _("missing operator after %s: expected %s"), after, want);
	char b[SCN_TOKBUF];
	return scn_perr(p, t->col, _("bad operator '%s' after %s: expected %s (with spaces around it)"),
	                TOKSHOW(t, b), after, want);
}

static int scn_parse_where(struct scn_parser *p, struct scn_cond *c)
{
	struct scn_tok *t = scn_peek(p);
	if (t && t->kind == SCN_TOK_LBRACE) {
		c->where = SCN_ON_NODES;
		return scn_parse_set(p, "'on'", &c->set);
	}
	if (scn_accept(p, "all")) {
		c->where = SCN_ON_ALL;
		return 0;
	}
	if (scn_accept(p, "majority")) {
		c->where = SCN_ON_MAJORITY;
		return 0;
	}
	if (scn_accept(p, "any")) {
		c->where = SCN_ON_ANY;
		return 0;
	}
	if (!t)
		return scn_perr(p, p->eol_col,
		                _("missing nodes after 'on': expected all, majority, any, a node or {n1 n2}"));
	uint8_t node;
	uint64_t v;
	bool nodeish = scn_tok_is(t, "leader") ||
	               (t->n >= 2 && t->p[0] == 'n' && scn_number(t->p + 1, t->n - 1, &v) != 1);
	if (t->kind == SCN_TOK_WORD && !nodeish) {
		char b[SCN_TOKBUF];
		return scn_perr(p, t->col,
		                _("bad nodes '%s' after 'on': expected all, majority, any, a node or {n1 n2}"),
		                TOKSTR(t, b));
	}
	if (scn_parse_node(p, "'on'", &node) != 0)
		return -1;
	c->where = SCN_ON_NODES;
	if (node == SCN_LEADER)
		c->set.leader = true;
	else
		scn_set_add(&c->set, node);
	return 0;
}

/* KEY ==|!= VALUE into c->kv ("KEY=VALUE"), c->key_len and c->op, after
 * `after` (e.g. "value NODE"); eg is a whole example. */
static int scn_parse_key_value(struct scn_parser *p, struct scn_cond *c, const char *after,
                               const char *eg)
{
	char b[SCN_TOKBUF], what[64];
	struct scn_tok *k = scn_peek(p);
	if (!k || k->kind != SCN_TOK_WORD)
		return scn_perr(p, scn_here(p), _("missing KEY after '%s': e.g. %s"), after, eg);
	if (memchr(k->p, '=', k->n))
		return scn_perr(p, k->col,
		                _("bad key '%s': write %s KEY == VALUE, with spaces, like %s"), TOKSTR(k, b),
		                after, eg);
	p->i++;
	snprintf(what, sizeof what, "'%s KEY'", after);
	if (scn_parse_op(p, what, true, &c->op) != 0)
		return -1;
	struct scn_tok *v = scn_peek(p);
	if (!v || v->kind != SCN_TOK_WORD)
		return scn_perr(p, scn_here(p), _("missing VALUE: e.g. %s"), eg);
	if (scn_check_ascii(p, k->p, k->n, k->col, "KEY") != 0 ||
	    scn_check_ascii(p, v->p, v->n, v->col, "VALUE") != 0)
		return -1;
	if (k->n + 1 + v->n > RAFT_CMD_MAX)
		return scn_perr(p, k->col, _("KEY=VALUE is %zu bytes: at most %d"), k->n + 1 + v->n,
		                RAFT_CMD_MAX);
	memcpy(c->kv, k->p, k->n);
	c->kv[k->n] = '=';
	memcpy(c->kv + k->n + 1, v->p, v->n);
	c->kv_len = (uint8_t)(k->n + 1 + v->n);
	c->kv[c->kv_len] = '\0';
	c->key_len = (uint8_t)k->n;
	p->i++;
	return 0;
}

/* The rows' parsers (conds.c).  Each reads the rest of the condition after
 * its first word, the word as written. */

int scn_cond_parse_leader(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	(void)word;
	struct scn_tok *n = scn_peek(p);
	if (scn_tok_is(n, "==") || scn_tok_is(n, "!=")) {
		c->kind = SCN_C_LEADER_IS;
		c->op = scn_tok_is(n, "==") ? SCN_OP_EQ : SCN_OP_NE;
		p->i++;
		return scn_parse_node(p, scn_tok_is(n, "==") ? "'leader =='" : "'leader !='", &c->node);
	}
	if (scn_accept(p, "in")) {
		c->kind = SCN_C_LEADER_IN;
		return scn_parse_set(p, "'leader in'", &c->set);
	}
	if (n && (scn_tok_is(n, "=") || scn_tok_is(n, ">=") || scn_tok_is(n, "<=") ||
	          scn_tok_is(n, ">") || scn_tok_is(n, "<")))
		return scn_perr(p, n->col,
		                _("bad operator after 'leader': expected leader == NODE, leader != NODE or leader in {..}"));
	c->kind = SCN_C_LEADER;
	return 0;
}

/* leaders|candidates|followers OP K: word is a role's plural. */
int scn_cond_parse_count(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	c->role = (enum raft_role)raft_role_from_name(word, strlen(word), true);
	char what[64];
	snprintf(what, sizeof what, "'%s'", word);
	if (scn_parse_op(p, what, false, &c->op) != 0)
		return -1;
	return scn_parse_count(p, _("count"), 0, RAFT_NODES_MAX, &c->k);
}

int scn_cond_parse_role(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	(void)word;
	char b[SCN_TOKBUF];
	if (scn_parse_node(p, "'role'", &c->node) != 0 ||
	    scn_parse_op(p, "'role NODE'", true, &c->op) != 0)
		return -1;
	struct scn_tok *r = scn_peek(p);
	int role = r && r->kind == SCN_TOK_WORD ? raft_role_from_name(r->p, r->n, false) : -1;
	char roles[160];
	scn_role_list(roles, sizeof roles);
	if (!r)
		return scn_perr(p, p->eol_col, _("missing role: expected %s"), roles);
	if (role < 0)
		return scn_perr(p, r->col, _("unknown role '%s': expected %s"), TOKSHOW(r, b), roles);
	c->role = (enum raft_role)role;
	p->i++;
	return 0;
}

/* WORD NODE */
/* members ==|!= {..} */
int scn_cond_parse_members(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	(void)word;
	struct scn_tok *n = scn_peek(p);
	if (!scn_tok_is(n, "==") && !scn_tok_is(n, "!="))
		return scn_perr(p, n ? n->col : p->eol_col,
		                "expected members == {..} or members != {..}, like members == {n1 n2 n3}");
	c->op = scn_tok_is(n, "==") ? SCN_OP_EQ : SCN_OP_NE;
	p->i++;
	return scn_parse_set(p, c->op == SCN_OP_EQ ? "'members =='" : "'members !='", &c->set);
}

int scn_cond_parse_node(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	char what[64];
	snprintf(what, sizeof what, "'%s'", word);
	return scn_parse_node(p, what, &c->node);
}

/* WORD NODE OP K (term, commit, log, votes, snapshot) */
int scn_cond_parse_node_op_k(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	char what[64];
	snprintf(what, sizeof what, "'%s'", word);
	if (scn_parse_node(p, what, &c->node) != 0)
		return -1;
	snprintf(what, sizeof what, "'%s NODE'", word);
	if (scn_parse_op(p, what, false, &c->op) != 0)
		return -1;
	return scn_parse_count(p, _("number"), 0, UINT64_MAX, &c->k);
}

/* WORD OP K (sent, waiting) */
int scn_cond_parse_op_k(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	char what[64];
	snprintf(what, sizeof what, "'%s'", word);
	if (scn_parse_op(p, what, false, &c->op) != 0)
		return -1;
	return scn_parse_count(p, _("number"), 0, UINT64_MAX, &c->k);
}

/* WORD KEY=VALUE on WHERE (committed, logged) */
int scn_cond_parse_kv_on(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	char what[64];
	snprintf(what, sizeof what, "'%s'", word);
	if (scn_parse_kv(p, what, c->kv, &c->kv_len, &c->key_len) != 0)
		return -1;
	struct scn_tok *o = scn_peek(p);
	if (!scn_accept(p, "on"))
		return scn_perr(p, o ? o->col : p->eol_col,
		                _("expected 'on' after '%s %s': e.g. %s %s on all"), word, c->kv, word,
		                c->kv);
	return scn_parse_where(p, c);
}

int scn_cond_parse_value(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	(void)word;
	if (scn_parse_node(p, "'value'", &c->node) != 0)
		return -1;
	return scn_parse_key_value(p, c, "value NODE", "value n1 x == 1");
}

int scn_cond_parse_got(struct scn_parser *p, const char *word, struct scn_cond *c)
{
	(void)word;
	return scn_parse_key_value(p, c, "got", _("got x == 1 (or none: no value)"));
}

/* [not ...] WORD ...: the row of the condition table that WORD names parses
 * the rest. */
static int scn_parse_cond(struct scn_parser *p, const char *after, struct scn_cond *c)
{
	memset(c, 0, sizeof *c);
	while (scn_accept(p, "not"))
		c->negate = !c->negate;
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col,
		                _("missing condition after %s: e.g. leader, leader == n1, committed x=1 on all"),
		                after);
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col,
		                _("expected a condition after %s: e.g. leader, leader == n1, committed x=1 on all"),
		                after);
	TOKSTR(t, b);
	size_t nd = 0;
	const struct scn_cond_desc *d = scn_cond_descs(&nd);
	for (size_t i = 0; i < nd; i++) {
		bool named = d[i].name ? scn_tok_is(t, d[i].name)
		                       : raft_role_from_name(t->p, t->n, true) >= 0;
		if (!named)
			continue;
		p->i++;
		c->kind = d[i].kind;
		if (d[i].negated)
			c->negate = !c->negate;
		return d[i].parse ? d[i].parse(p, b, c) : 0;
	}
	/* The words and the list come from the condition table (conds.c). */
	const char *words[SCN_COND_WORDS_MAX + 2];
	size_t nw = scn_cond_words(words, SCN_COND_WORDS_MAX);
	words[nw] = "not";
	words[nw + 1] = NULL;
	const char *s = scn_suggest(t->p, t->n, words);
	if (s)
		return scn_perr(p, t->col, _("unknown condition '%s': did you mean '%s'?"), b, s);
	char list[512];
	size_t ll = 0;
	list[0] = '\0';
	for (size_t i = 0; i < nw; i++)
		scn_appendf(list, sizeof list, &ll, "%s%s", i ? ", " : "", words[i]);
	return scn_perr(p, t->col, _("unknown condition '%s': expected %s (or not COND)"), b, list);
}

/* ---- Commands ----------------------------------------------------------- */

static const char *const scn_cmd_words[] = {
	"title", "cluster", "set", "say", "pause", "run", "step", "expect", "crash",
	"restart", "timeout", "partition", "isolate", "heal", "cut", "mend", "client",
	"mark", "measure", "drop", "duplicate", "delay", "hurry", "deliver", "fire", "transfer", "skew",
	"add", "remove",
	NULL,
};

/* title/say "STRING": unescapes \" and \\. */
static int scn_parse_string(struct scn_parser *p, const char *after, char **out)
{
	struct scn_tok *t = scn_peek(p);
	if (!t)
		return scn_perr(p, p->eol_col, _("missing text after %s: write it in double quotes, like %s \"Hello\""),
		                after, after);
	if (t->kind != SCN_TOK_STR)
		return scn_perr(p, t->col, _("expected text in double quotes after %s, like %s \"Hello\""),
		                after, after);
	char *s = malloc(t->n + 1);
	if (!s)
		return scn_perr(p, t->col, _("out of memory"));
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++) {
		char c = t->p[i];
		if (c == '\\') {
			char e = t->p[i + 1]; /* the lexer never ends a string on a '\' */
			if (e != '"' && e != '\\') {
				free(s);
				return scn_perr(p, t->col + 1 + (int)i,
				                _("unknown escape '\\%c' in string: only \\\" and \\\\ are escapes"),
				                e);
			}
			c = e;
			i++;
		}
		s[n++] = c;
	}
	s[n] = '\0';
	if (n > SCN_STRING_MAX) {
		free(s);
		return scn_perr(p, t->col, _("string too long (%zu bytes): the limit is %d bytes"), n,
		                SCN_STRING_MAX);
	}
	p->i++;
	*out = s;
	return 0;
}

/* snapshot=N, trailing=N: a count of log entries, 0..SCN_SNAPSHOT_MAX. */
static int scn_entries(struct scn_parser *p, const char *s, size_t n, int col, const char *key,
                       uint32_t *out)
{
	char b[SCN_TOKBUF];
	scn_tokstr(s, n, b, sizeof b);
	uint64_t v = 0;
	int rc = scn_number(s, n, &v);
	const char *hint = strcmp(key, "snapshot") == 0 ? _(" (0 turns compaction off)") : "";
	if (rc == 1)
		return scn_perr(p, col, _("bad %s '%s': expected a number of log entries 0..%u%s"), key, b,
		                SCN_SNAPSHOT_MAX, hint);
	if (rc == 2 || v > SCN_SNAPSHOT_MAX)
		return scn_perr(p, col, _("%s %s is out of range: expected 0..%u entries"), key, b,
		                SCN_SNAPSHOT_MAX);
	*out = (uint32_t)v;
	return 0;
}

static int scn_parse_settings(struct scn_parser *p, struct scn_settings *st)
{
	char b[SCN_TOKBUF];
	/* The index of a key is its SCN_SET_* bit. */
	static const char *const keys[] = {"election", "heartbeat", "latency",  "disk",
	                                   "drop",     "duplicate", "retry",    "snapshot",
	                                   "trailing", "max_events", "max_memory", "pace",
	                                   "batch",    "torn",      "slow",     "slow_latency",
	                                   "prevote",  "checkquorum", "reads", "drift", NULL};
	memset(st, 0, sizeof *st);
	if (!scn_peek(p))
		return scn_perr(p, p->eol_col,
		                _("missing settings after 'set': e.g. set election=150..300ms heartbeat=50ms latency=5..15ms disk=0ms drop=0%% duplicate=0%% snapshot=64 trailing=8"));
	struct scn_tok *t;
	while ((t = scn_peek(p)) != NULL) {
		if (t->kind != SCN_TOK_WORD)
			return scn_perr(p, t->col, _("expected a setting like heartbeat=50ms after 'set'"));
		TOKSTR(t, b);
		const char *eq = memchr(t->p, '=', t->n);
		size_t kn = eq ? (size_t)(eq - t->p) : t->n;
		int bit = -1;
		for (int i = 0; keys[i]; i++)
			if (strlen(keys[i]) == kn && memcmp(keys[i], t->p, kn) == 0)
				bit = i;
		if (bit < 0) {
			const char *s = scn_suggest(t->p, kn, keys);
			if (s)
				return scn_perr(p, t->col, _("unknown setting '%.*s': did you mean '%s'?"),
				                (int)(kn > 40 ? 40 : kn), t->p, s);
			return scn_perr(p, t->col,
			                _("unknown setting '%.*s': expected election, heartbeat, latency, disk, drop, duplicate, retry, snapshot, trailing, max_events, max_memory, pace, batch, torn, slow, slow_latency, prevote, checkquorum, reads or drift"),
			                (int)(kn > 40 ? 40 : kn), t->p);
		}
		if (!eq || kn + 1 == t->n)
			return scn_perr(p, t->col, _("missing value in '%s': write it like %s=%s"), b,
			                keys[bit],
			                bit == 0               ? "150..300ms"
			                : bit == 2             ? "5..15ms"
			                : bit >= 4 && bit <= 5 ? "1%"
			                : bit == 7             ? "64"
			                : bit == 8             ? "8"
			                : bit == 9             ? "1000000"
			                : bit == 10            ? "512MiB"
			                : bit == 11            ? "auto"
			                : bit == 12            ? "16"
			                : bit == 13            ? "on"
			                : bit == 14            ? "1%"
			                : bit == 15            ? "300ms..3s"
			                : bit == 18            ? "readindex"
			                : bit == 19            ? "10%"
			                : bit >= 16            ? "on"
			                                       : "50ms");
		if (st->mask & (1u << bit))
			return scn_perr(p, t->col, _("'%s' is set twice in this line"), keys[bit]);
		st->mask |= 1u << bit;
		const char *v = eq + 1;
		size_t vn = t->n - kn - 1;
		int vc = t->col + (int)kn + 1;
		int rc = 0;
		int64_t one;
		switch (bit) {
		case 0:
			rc = scn_duration_range(p, v, vn, vc, &st->election_us_min, &st->election_us_max);
			if (rc == 0 && st->election_us_min < 1)
				rc = scn_perr(p, vc, _("election timeout must be positive"));
			else if (rc == 0 && st->election_us_min < SIM_TIMER_US_MIN)
				rc = scn_perr(p, vc, _("election timeout %s is below 1ms: timers that short make virtual time crawl (millions of events per virtual second); use 1ms or more"), b + kn + 1);
			break;
		case 1:
			rc = scn_duration(p, v, vn, vc, &st->heartbeat_us);
			if (rc == 0 && st->heartbeat_us < 1)
				rc = scn_perr(p, vc, _("heartbeat must be positive"));
			else if (rc == 0 && st->heartbeat_us < SIM_TIMER_US_MIN)
				rc = scn_perr(p, vc, _("heartbeat %s is below 1ms: timers that short make virtual time crawl (millions of events per virtual second); use 1ms or more"), b + kn + 1);
			break;
		case 2:
			rc = scn_duration_range(p, v, vn, vc, &st->latency_us_min, &st->latency_us_max);
			break;
		case 3:
			rc = scn_duration(p, v, vn, vc, &st->disk_us);
			break;
		case 4:
			rc = scn_percent(p, v, vn, vc, &st->drop_ppm);
			break;
		case 5:
			rc = scn_percent(p, v, vn, vc, &st->dup_ppm);
			break;
		case 6:
			rc = scn_duration(p, v, vn, vc, &one);
			st->retry_us = one;
			if (rc == 0 && one < 1)
				rc = scn_perr(p, vc, _("retry must be positive"));
			break;
		case 9: {
			uint64_t ev = 0;
			int nrc = scn_number(v, vn, &ev);
			if (nrc == 1)
				rc = scn_perr(p, vc, _("bad max_events '%s': expected a number of simulator events 0..%llu (0: no limit)"), b + kn + 1, SCN_MAX_EVENTS_MAX);
			else if (nrc == 2 || ev > SCN_MAX_EVENTS_MAX)
				rc = scn_perr(p, vc, _("max_events %s is out of range: expected 0..%llu events"), b + kn + 1, SCN_MAX_EVENTS_MAX);
			st->max_events = ev;
			break;
		}
		case 10: {
			uint64_t by = 0;
			int src = scn_size_parse(v, vn, &by);
			if (src == -1)
				rc = scn_perr(p, vc, _("bad max_memory '%s': expected a size like 512MiB or 2GiB (units B, KiB, MiB, GiB, TiB; 0: no limit)"), b + kn + 1);
			else if (src == -2 || by > SCN_MAX_MEMORY_MAX)
				rc = scn_perr(p, vc, _("max_memory %s is out of range: expected 0..1TiB"), b + kn + 1);
			st->max_memory_bytes = by;
			break;
		}
		case 11: {
			uint64_t div = 0;
			if (vn == 4 && !memcmp(v, "auto", 4))
				div = 0;
			else if (vn == 1 && v[0] == '1')
				div = 1;
			else if (vn < 3 || memcmp(v, "1/", 2) != 0 || scn_number(v + 2, vn - 2, &div) != 0 ||
			         div < 1 || div > SCN_PACE_DIV_MAX)
				rc = scn_perr(p, vc, _("bad pace '%s': expected auto, 1 (real time) or 1/N with N in 1..%u, like pace=1/50"), b + kn + 1, SCN_PACE_DIV_MAX);
			st->pace_div = (uint32_t)div;
			break;
		}
		case 12: {
			uint64_t n = 0;
			int nrc = scn_number(v, vn, &n);
			if (nrc != 0 || n < 1 || n > SCN_BATCH_MAX)
				rc = scn_perr(p, vc, _("bad batch '%s': expected the most entries one AppendEntries carries, 1..%u"), b + kn + 1, SCN_BATCH_MAX);
			st->batch = (uint32_t)n;
			break;
		}
		case 14:
			rc = scn_percent(p, v, vn, vc, &st->slow_ppm);
			break;
		case 15:
			rc = scn_duration_range(p, v, vn, vc, &st->slow_us_min, &st->slow_us_max);
			break;
		case 13:
		case 16:
		case 17: {
			/* on|off: torn, prevote, checkquorum */
			bool on = vn == 2 && !memcmp(v, "on", 2);
			if (!on && !(vn == 3 && !memcmp(v, "off", 3)))
				rc = scn_perr(p, vc, _("bad %s '%s': expected on%s or off"), keys[bit], b + kn + 1,
				              bit == 13 ? _(" (a crash keeps only a prefix of the oldest write in flight)") : "");
			*(bit == 13 ? &st->torn : bit == 16 ? &st->prevote : &st->checkquorum) = on;
			break;
		}
		case 18:
			if (vn == 9 && !memcmp(v, "readindex", 9))
				st->reads = SIM_READS_READINDEX;
			else if (vn == 5 && !memcmp(v, "local", 5))
				st->reads = SIM_READS_LOCAL;
			else if (vn == 3 && !memcmp(v, "log", 3))
				st->reads = SIM_READS_LOG;
			else if (vn == 5 && !memcmp(v, "lease", 5))
				st->reads = SIM_READS_LEASE;
			else
				rc = scn_perr(p, vc, _("bad reads '%s': expected log (through the log like a write), readindex (the leader confirms it still leads, dissertation 6.4), lease (the leader answers while its lease holds, 6.4.1) or local (answers from its own state: stale reads)"), b + kn + 1);
			break;
		case 19: {
			uint32_t ppm = 0;
			rc = scn_percent(p, v, vn, vc, &ppm);
			if (rc == 0 && ppm % 10000 != 0)
				rc = scn_perr(p, vc, _("bad drift '%s': expected a whole percent 0%%..100%%, the most one clock may run faster than another (lease reads)"), b + kn + 1);
			st->drift_pct = ppm / 10000;
			break;
		}
		default:
			rc = scn_entries(p, v, vn, vc, bit == 7 ? "snapshot" : "trailing",
			                 bit == 7 ? &st->snapshot_threshold : &st->snapshot_trailing);
			break;
		}
		if (rc != 0)
			return -1;
		p->i++;
	}
	return 0;
}

/* cut/mend: "A->B", "A<->B", or the same as three words. */
static int scn_parse_link(struct scn_parser *p, const char *after, struct scn_cmd *c)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col, _("missing link after %s: expected e.g. n1->n2 or n1<->n2"),
		                after);
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col, _("expected a link like n1->n2 or n1<->n2 after %s"), after);
	/* Split a single word at its arrow into three pseudo tokens. */
	const char *arrow = NULL;
	size_t an = 0;
	for (size_t i = 0; i + 1 < t->n; i++) {
		if (t->p[i] == '<' && i + 2 < t->n && t->p[i + 1] == '-' && t->p[i + 2] == '>') {
			arrow = t->p + i;
			an = 3;
			break;
		}
		if (t->p[i] == '-' && t->p[i + 1] == '>') {
			arrow = t->p + i;
			an = 2;
			break;
		}
	}
	struct scn_tok saved = *t;
	struct scn_tok three[3];
	if (arrow) {
		size_t ln = (size_t)(arrow - t->p);
		three[0] = (struct scn_tok){SCN_TOK_WORD, t->p, ln, t->col, t->col + (int)ln};
		three[1] = (struct scn_tok){SCN_TOK_WORD, arrow, an, t->col + (int)ln,
		                            t->col + (int)(ln + an)};
		three[2] = (struct scn_tok){SCN_TOK_WORD, arrow + an, t->n - ln - an,
		                            t->col + (int)(ln + an), t->end_col};
		if (ln == 0)
			return scn_perr(p, t->col, _("missing node before '%.*s' in '%s'"), (int)an, arrow,
			                TOKSTR(t, b));
		if (three[2].n == 0)
			return scn_perr(p, three[2].col, _("missing node after '%.*s' in '%s'"), (int)an,
			                arrow, TOKSTR(t, b));
	}
	/* Parse from a small token array either way. */
	struct scn_tok *orig_t = p->t;
	size_t orig_nt = p->nt, orig_i = p->i;
	if (arrow) {
		p->t = three;
		p->nt = 3;
		p->i = 0;
	}
	int rc = scn_parse_node(p, after, &c->a);
	if (rc == 0) {
		struct scn_tok *a = scn_peek(p);
		if (scn_tok_is(a, "->") || scn_tok_is(a, "<->")) {
			c->both = scn_tok_is(a, "<->");
			p->i++;
			rc = scn_parse_node(p, c->both ? "'<->'" : "'->'", &c->b);
		} else if (!a) {
			rc = scn_perr(p, p->eol_col,
			              _("missing arrow: expected a link like n1->n2 or n1<->n2"));
		} else {
			rc = scn_perr(p, a->col, _("expected '->' or '<->' in the link, like n1->n2"));
		}
	}
	if (arrow) {
		p->t = orig_t;
		p->nt = orig_nt;
		p->i = orig_i + (rc == 0 ? 1 : 0);
	}
	if (rc != 0)
		return -1;
	if (c->a == c->b && c->a != SCN_LEADER)
		return scn_perr(p, saved.col, _("a link joins two different nodes, not n%u and n%u"), c->a,
		                c->b);
	if (c->a == SCN_LEADER && c->b == SCN_LEADER)
		return scn_perr(p, saved.col, _("a link joins two different nodes, not leader and leader"));
	return 0;
}

static int scn_parse_to(struct scn_parser *p, struct scn_cmd *c)
{
	struct scn_tok *t = scn_peek(p);
	if (!t)
		return 0;
	if (!scn_accept(p, "to")) {
		char b[SCN_TOKBUF];
		return scn_perr(p, t->col, _("unexpected '%s': expected 'to NODE' or the end of the line"),
		                TOKSHOW(t, b));
	}
	c->has_to = true;
	return scn_parse_node(p, "'to'", &c->a);
}

static unsigned scn_digits(uint64_t v)
{
	unsigned d = 1;
	while (v >= 10) {
		v /= 10;
		d++;
	}
	return d;
}

static int scn_parse_client(struct scn_parser *p, struct scn_cmd *c)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (scn_accept(p, "put")) {
		c->kind = SCN_CMD_PUT;
		if (scn_parse_kv(p, "'client put'", c->kv, &c->kv_len, NULL) != 0)
			return -1;
		if (scn_parse_to(p, c) != 0)
			return -1;
		return scn_expect_end(p, _("the client command"));
	}
	if (scn_accept(p, "get")) {
		c->kind = SCN_CMD_GET;
		struct scn_tok *x = scn_peek(p);
		if (!x)
			return scn_perr(p, p->eol_col, _("missing KEY after 'client get': e.g. client get x"));
		if (x->kind != SCN_TOK_WORD || memchr(x->p, '=', x->n))
			return scn_perr(p, x->col, _("expected a KEY like x after 'client get' (no '=', no quotes)"));
		if (x->n > RAFT_CMD_MAX)
			return scn_perr(p, x->col, _("KEY is %zu bytes: at most %d"), x->n, RAFT_CMD_MAX);
		if (scn_check_ascii(p, x->p, x->n, x->col, "KEY") != 0)
			return -1;
		memcpy(c->kv, x->p, x->n);
		c->kv[x->n] = '\0';
		c->kv_len = (uint8_t)x->n;
		p->i++;
		if (scn_parse_to(p, c) != 0)
			return -1;
		return scn_expect_end(p, _("the client command"));
	}
	if (scn_accept(p, "putmany")) {
		c->kind = SCN_CMD_PUTMANY;
		if (scn_parse_count(p, _("count"), 1, SCN_PUTMANY_MAX, &c->count) != 0)
			return -1;
		struct scn_tok *x = scn_peek(p);
		if (!x)
			return scn_perr(p, p->eol_col,
			                _("missing PREFIX after 'client putmany %" PRIu64 "': e.g. client putmany 100 k"),
			                c->count);
		if (x->kind != SCN_TOK_WORD)
			return scn_perr(p, x->col, _("expected a PREFIX like k after the count (no quotes)"));
		if (memchr(x->p, '=', x->n))
			return scn_perr(p, x->col,
			                _("bad PREFIX '%s': it may not contain '=' (the puts are PREFIX1=1, PREFIX2=2, ...)"),
			                TOKSTR(x, b));
		if (scn_check_ascii(p, x->p, x->n, x->col, "PREFIX") != 0)
			return -1;
		size_t need = x->n + 2 * scn_digits(c->count) + 1;
		if (need > RAFT_CMD_MAX)
			return scn_perr(p, x->col,
			                _("PREFIX '%s' is too long for %" PRIu64 " puts: the last one would be %zu bytes, KEY=VALUE is at most %d"),
			                TOKSTR(x, b), c->count, need, RAFT_CMD_MAX);
		memcpy(c->kv, x->p, x->n);
		c->kv[x->n] = '\0';
		c->kv_len = (uint8_t)x->n;
		p->i++;
		if (scn_parse_to(p, c) != 0)
			return -1;
		return scn_expect_end(p, _("the client command"));
	}
	if (!t)
		return scn_perr(p, p->eol_col,
		                _("missing client command: expected 'client put KEY=VALUE', 'client putmany COUNT PREFIX' or 'client get KEY'"));
	return scn_perr(p, t->col,
	                _("unknown client command '%s': expected 'client put KEY=VALUE', 'client putmany COUNT PREFIX' or 'client get KEY'"),
	                TOKSHOW(t, b));
}

static int scn_parse_cluster(struct scn_parser *p, struct scn_script *s)
{
	char b[SCN_TOKBUF];
	bool seen_nodes = false, seen_seed = false;
	int voters_col = 0;
	struct scn_tok *t;
	while ((t = scn_peek(p)) != NULL) {
		if (t->kind != SCN_TOK_WORD)
			return scn_perr(p, t->col, _("expected nodes=N, seed=S or bug=NAME after 'cluster'"));
		TOKSTR(t, b);
		const char *eq = memchr(t->p, '=', t->n);
		size_t kn = eq ? (size_t)(eq - t->p) : t->n;
		const char *v = eq ? eq + 1 : NULL;
		size_t vn = eq ? t->n - kn - 1 : 0;
		int vc = t->col + (int)kn + 1;
		if (kn == 5 && memcmp(t->p, "nodes", 5) == 0 && eq) {
			if (seen_nodes)
				return scn_perr(p, t->col, _("nodes= is given twice"));
			seen_nodes = true;
			uint64_t n = 0;
			int rc = scn_number(v, vn, &n);
			if (rc == 1)
				return scn_perr(p, vc, _("bad node count '%s': expected nodes=N with N in 1..%d"), b,
				                RAFT_NODES_MAX);
			if (rc == 2 || n < 1 || n > RAFT_NODES_MAX)
				return scn_perr(p, vc, _("%s is out of range: a cluster has 1..%d nodes"), b,
				                RAFT_NODES_MAX);
			s->nodes = (uint16_t)n;
		} else if (kn == 6 && memcmp(t->p, "voters", 6) == 0 && eq) {
			uint64_t n = 0;
			int rc = scn_number(v, vn, &n);
			if (rc != 0 || n < 1 || n > RAFT_NODES_MAX)
				return scn_perr(p, vc,
				                _("bad voter count '%s': expected voters=K with K in 1..nodes (the "
				                "first configuration is n1..nK; the others are spares)"),
				                b);
			s->voters = (uint16_t)n;
			voters_col = vc;
		} else if (kn == 4 && memcmp(t->p, "seed", 4) == 0 && eq) {
			if (seen_seed)
				return scn_perr(p, t->col, _("seed= is given twice"));
			seen_seed = true;
			int rc = scn_number(v, vn, &s->seed);
			if (rc == 1)
				return scn_perr(p, vc, _("bad seed '%s': expected seed=S with S a whole number"), b);
			if (rc == 2)
				return scn_perr(p, vc, _("%s is out of range: a seed is at most %" PRIu64), b,
				                UINT64_MAX);
		} else if (kn == 3 && memcmp(t->p, "bug", 3) == 0 && eq) {
			size_t i = 0;
			while (i <= vn) {
				size_t j = i;
				while (j < vn && v[j] != ',')
					j++;
				char name[32];
				if (j - i == 0 || j - i >= sizeof name)
					return scn_perr(p, vc + (int)i, _("bad bug name in '%s': expected one of %s"),
					                b, RAFT_BUG_NAMES);
				memcpy(name, v + i, j - i);
				name[j - i] = '\0';
				uint32_t bit = raft_bug_from_name(name);
				if (!bit)
					return scn_perr(p, vc + (int)i, _("unknown bug '%s': expected one of %s"),
					                name, RAFT_BUG_NAMES);
				s->bugs |= bit;
				i = j + 1;
			}
		} else {
			return scn_perr(p, t->col,
			                _("unknown cluster setting '%s': expected nodes=N (1..%d), seed=S or bug=NAME"),
			                b, RAFT_NODES_MAX);
		}
		p->i++;
	}
	if (s->voters > s->nodes)
		return scn_perr(p, voters_col,
		                _("voters=%u is more than the %u nodes: the first configuration is n1..n<voters>"),
		                (unsigned)s->voters, (unsigned)s->nodes);
	return 0;
}

/* ---- Marks and measurements -------------------------------------------- */

/* NAME of mark/measure: 1..SCN_NAME_MAX letters, digits, '_' or '-',
 * starting with a letter (so it is a CSV column as it stands). */
static int scn_parse_name(struct scn_parser *p, const char *after, const char *cmd, char *out)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (!t)
		return scn_perr(p, p->eol_col, _("missing name after %s: e.g. %s election"), after,
		                cmd);
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col,
		                _("expected a name after %s: letters, digits, '_' or '-', like election"),
		                after);
	TOKSTR(t, b);
	bool ok = t->n <= SCN_NAME_MAX && ((t->p[0] >= 'a' && t->p[0] <= 'z') ||
	                                   (t->p[0] >= 'A' && t->p[0] <= 'Z'));
	for (size_t i = 0; ok && i < t->n; i++) {
		char c = t->p[i];
		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		     c == '_' || c == '-';
	}
	if (!ok)
		return scn_perr(p, t->col,
		                _("bad name '%s' after %s: 1..%d letters, digits, '_' or '-', starting with a letter"),
		                b, after, SCN_NAME_MAX);
	memcpy(out, t->p, t->n);
	out[t->n] = '\0';
	p->i++;
	return 0;
}

static bool scn_has_mark(const struct scn_parser *p, const char *name)
{
	for (size_t i = 0; i < p->n_marks; i++)
		if (!strcmp(p->marks[i], name))
			return true;
	return false;
}

static int scn_add_mark(struct scn_parser *p, const char *name, int col)
{
	if (p->single || scn_has_mark(p, name))
		return 0;
	if (p->n_marks == SCN_MARKS_MAX)
		return scn_perr(p, col, _("too many marks: at most %d names per script"), SCN_MARKS_MAX);
	snprintf(p->marks[p->n_marks++], SCN_NAME_MAX + 1, "%s", name);
	return 0;
}

/* `mark NAME`. */
static int scn_parse_mark(struct scn_parser *p, struct scn_cmd *c)
{
	c->kind = SCN_CMD_MARK;
	int col = scn_here(p);
	if (scn_parse_name(p, "'mark'", "mark", c->name) != 0 || scn_add_mark(p, c->name, col) != 0)
		return -1;
	return scn_expect_end(p, _("the mark's name"));
}

/* Consumes the keyword word, or fails with "missing 'word' after AFTER: HINT"
 * at the end of the line, "expected 'word' instead of 'X': HINT" elsewhere. */
static int scn_expect_word(struct scn_parser *p, const char *word, const char *after,
                           const char *hint)
{
	char b[SCN_TOKBUF];
	if (scn_accept(p, word))
		return 0;
	struct scn_tok *x = scn_peek(p);
	if (!x)
		return scn_perr(p, p->eol_col, _("missing '%s' after %s: %s"), word, after, hint);
	return scn_perr(p, x->col, _("expected '%s' instead of '%s': %s"), word, TOKSHOW(x, b), hint);
}

/* Message control: `drop msg ID`, `duplicate msg ID`, `delay msg ID by
 * DURATION`, `hurry msg ID by DURATION`, `deliver next msg ID`, and
 * `fire next timer NODE`; word is the command's first word. */
static int scn_parse_msg_cmd(struct scn_parser *p, struct scn_cmd *c, const char *word)
{
	static const struct {
		const char *word;
		enum scn_cmd_kind kind;
		const char *usage;
	} forms[] = {
	    {"drop", SCN_CMD_MSG_DROP, "drop msg ID"},
	    {"duplicate", SCN_CMD_MSG_DUPLICATE, "duplicate msg ID"},
	    {"delay", SCN_CMD_MSG_DELAY, "delay msg ID by DURATION"},
	    {"hurry", SCN_CMD_MSG_HURRY, "hurry msg ID by DURATION"},
	    {"deliver", SCN_CMD_DELIVER_NEXT, "deliver next msg ID"},
	    {"fire", SCN_CMD_FIRE_TIMER, "fire next timer NODE"},
	};
	size_t k = 0;
	while (strcmp(forms[k].word, word))
		k++;
	const char *usage = forms[k].usage;
	char after[64];
	snprintf(after, sizeof after, "'%s'", word);
	c->kind = forms[k].kind;
	if (c->kind == SCN_CMD_DELIVER_NEXT || c->kind == SCN_CMD_FIRE_TIMER) {
		if (scn_expect_word(p, "next", after, usage) != 0)
			return -1;
		snprintf(after, sizeof after, "'%s next'", word);
	}
	if (c->kind == SCN_CMD_FIRE_TIMER) {
		if (scn_expect_word(p, "timer", after, usage) != 0 ||
		    scn_parse_node(p, "'fire next timer'", &c->a) != 0)
			return -1;
		return scn_expect_end(p, "'fire next timer NODE'");
	}
	if (scn_expect_word(p, "msg", after, usage) != 0 ||
	    scn_parse_count(p, _("message id"), 1, UINT64_MAX, &c->count) != 0)
		return -1;
	if (c->kind == SCN_CMD_MSG_DELAY || c->kind == SCN_CMD_MSG_HURRY) {
		if (scn_expect_word(p, "by", _("the message id"), usage) != 0 ||
		    scn_parse_duration(p, "'by'", &c->us) != 0)
			return -1;
		return scn_expect_end(p, _("the duration"));
	}
	return scn_expect_end(p, _("the message id"));
}

/* A clock rate "1.05", "0.5", "2": parts per million, up to 6 decimals;
 * 0 if s is not one. */
static uint32_t scn_rate_ppm(const char *s, size_t n)
{
	uint64_t ppm = 0, unit = SIM_PPM;
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9' && ppm <= 100ull * SIM_PPM)
		ppm = ppm * 10 + (uint64_t)(s[i++] - '0') * SIM_PPM;
	if (i == 0 || ppm > 100ull * SIM_PPM)
		return 0;
	if (i < n && s[i] == '.' && ++i < n)
		while (i < n && s[i] >= '0' && s[i] <= '9' && unit > 1)
			ppm += (uint64_t)(s[i++] - '0') * (unit /= 10);
	return i == n ? (uint32_t)ppm : 0;
}

/* `skew NODE [+DURATION|-DURATION] [rate=R]`: at least one of the two. */
static int scn_parse_skew(struct scn_parser *p, struct scn_cmd *c)
{
	static const char usage[] = "expected skew NODE +20ms, skew NODE -20ms or skew NODE rate=1.05";
	char b[SCN_TOKBUF];
	c->kind = SCN_CMD_SKEW;
	if (scn_parse_node(p, "'skew'", &c->a) != 0)
		return -1;
	struct scn_tok *t = scn_peek(p);
	if (!t)
		return scn_perr(p, p->eol_col, _("missing clock change after 'skew NODE': %s"), usage);
	if (t->kind == SCN_TOK_WORD && t->n > 1 && (t->p[0] == '+' || t->p[0] == '-')) {
		if (scn_duration(p, t->p + 1, t->n - 1, t->col + 1, &c->us) != 0)
			return -1;
		if (t->p[0] == '-')
			c->us = -c->us;
		p->i++;
		t = scn_peek(p);
	}
	if (t && t->kind == SCN_TOK_WORD && t->n > 5 && !memcmp(t->p, "rate=", 5)) {
		c->count = scn_rate_ppm(t->p + 5, t->n - 5);
		if (c->count < SIM_SKEW_RATE_PPM_MIN || c->count > SIM_SKEW_RATE_PPM_MAX)
			return scn_perr(p, t->col + 5,
			                _("bad rate '%s': expected how fast the clock runs against real time, 0.1..10 (up to 6 decimals), like rate=1.05"),
			                TOKSTR(t, b) + 5);
		p->i++;
		t = scn_peek(p);
	}
	if (t)
		return scn_perr(p, t->col, _("unexpected '%s' in skew: %s"), TOKSHOW(t, b), usage);
	if (c->us == 0 && c->count == 0)
		return scn_perr(p, p->eol_col, _("missing clock change after 'skew NODE': %s"), usage);
	return 0;
}

/* `measure NAME [since MARK] until COND [within DURATION]`. */
static int scn_parse_measure(struct scn_parser *p, struct scn_cmd *c)
{
	char b[SCN_TOKBUF];
	c->kind = SCN_CMD_MEASURE;
	c->us = SCN_DEFAULT_WITHIN_US;
	int ncol = scn_here(p);
	if (scn_parse_name(p, "'measure'", "measure", c->name) != 0)
		return -1;
	for (size_t i = 0; !p->single && i < p->n_measures; i++)
		if (!strcmp(p->measures[i], c->name))
			return scn_perr(p, ncol,
			                _("'%s' is measured already (line %d): give each measurement its own name"),
			                c->name, p->measure_line[i]);
	if (!p->single && p->n_measures == SCN_MEASURES_MAX)
		return scn_perr(p, ncol, _("too many measurements: at most %d per script"),
		                SCN_MEASURES_MAX);
	if (scn_accept(p, "since")) {
		int mcol = scn_here(p);
		if (scn_parse_name(p, "'since'", "measure x since", c->since) != 0)
			return -1;
		if (!p->single && !scn_has_mark(p, c->since)) {
			const char *words[SCN_MARKS_MAX + 1];
			for (size_t i = 0; i < p->n_marks; i++)
				words[i] = p->marks[i];
			words[p->n_marks] = NULL;
			const char *sg = scn_suggest(c->since, strlen(c->since), words);
			if (sg)
				return scn_perr(p, mcol, _("no mark '%s' before this line: did you mean '%s'?"),
				                c->since, sg);
			return scn_perr(p, mcol,
			                _("no mark '%s' before this line: set one earlier with 'mark %s'"),
			                c->since, c->since);
		}
	}
	if (scn_expect_word(p, "until", _("the name"),
	                    _("measure NAME [since MARK] until COND [within DURATION]")) != 0)
		return -1;
	if (scn_parse_cond(p, "'until'", &c->cond) != 0)
		return -1;
	if (scn_accept(p, "within") && scn_parse_duration(p, "'within'", &c->us) != 0)
		return -1;
	struct scn_tok *x = scn_peek(p);
	if (x)
		return scn_perr(p, x->col,
		                _("unexpected '%s' after the condition: expected 'within DURATION' or the end of the line"),
		                TOKSHOW(x, b));
	if (!c->since[0] && scn_add_mark(p, c->name, ncol) != 0)
		return -1;
	if (!p->single) {
		snprintf(p->measures[p->n_measures], SCN_NAME_MAX + 1, "%s", c->name);
		p->measure_line[p->n_measures++] = p->line;
	}
	return 0;
}

/* `run between DURATION and DURATION`. */
static int scn_parse_run_between(struct scn_parser *p, struct scn_cmd *c)
{
	c->kind = SCN_CMD_RUN_BETWEEN;
	int col = scn_here(p);
	if (scn_parse_duration(p, "'run between'", &c->us) != 0)
		return -1;
	if (scn_expect_word(p, "and", _("the first duration"), _("e.g. run between 0ms and 75ms")) != 0)
		return -1;
	if (scn_parse_duration(p, "'and'", &c->us_max) != 0)
		return -1;
	if (c->us > c->us_max)
		return scn_perr(p, col,
		                _("empty interval: the first duration must not exceed the second (run between 0ms and 75ms)"));
	return scn_expect_end(p, _("the second duration"));
}

/* Parses the tokens of one line into *c (kind set, text not). */
static int scn_parse_cmd(struct scn_parser *p, struct scn_script *s, struct scn_cmd *c)
{
	struct scn_tok *t = scn_peek(p);
	char b[SCN_TOKBUF];
	if (t->kind != SCN_TOK_WORD)
		return scn_perr(p, t->col, _("expected a command at the start of the line, e.g. run 1s"));
	TOKSTR(t, b);
	p->i++;
	if (scn_tok_is(t, "title")) {
		c->kind = SCN_CMD_TITLE;
		if (p->single)
			return scn_perr(p, t->col, _("'title' belongs at the top of a script"));
		if (s->title)
			return scn_perr(p, t->col, _("a script has one title"));
		if (scn_parse_string(p, "title", &c->str) != 0)
			return -1;
		s->title = strdup(c->str);
		if (!s->title)
			return scn_perr(p, t->col, _("out of memory"));
		return scn_expect_end(p, _("the title"));
	}
	if (scn_tok_is(t, "cluster")) {
		c->kind = SCN_CMD_CLUSTER;
		if (p->single)
			return scn_perr(p, t->col, _("'cluster' belongs at the top of a script"));
		if (p->nodes != 0)
			return scn_perr(p, t->col,
			                _("second 'cluster' line: a script describes its cluster once, at the top"));
		if (scn_parse_cluster(p, s) != 0)
			return -1;
		p->nodes = s->nodes;
		return 0;
	}
	bool known = false;
	for (size_t i = 0; scn_cmd_words[i]; i++)
		known |= scn_tok_is(t, scn_cmd_words[i]);
	if (!known) {
		const char *sg = scn_suggest(t->p, t->n, scn_cmd_words);
		if (sg)
			return scn_perr(p, t->col, _("unknown command '%s': did you mean '%s'?"), b, sg);
		/* the list comes from scn_cmd_words: "title, cluster, ... or transfer" */
		char list[512];
		size_t ll = 0;
		list[0] = '\0';
		for (size_t i = 0; scn_cmd_words[i]; i++)
			scn_appendf(list, sizeof list, &ll, "%s%s", i == 0 ? "" : scn_cmd_words[i + 1] ? ", " : _(" or "),
			            scn_cmd_words[i]);
		return scn_perr(p, t->col, _("unknown command '%s': expected %s"), b, list);
	}
	if (p->nodes == 0)
		return scn_perr(p, t->col,
		                _("'%s' before the 'cluster' line: a script starts with e.g. 'cluster nodes=5 seed=1' (after comments and title)"),
		                b);
	if (scn_tok_is(t, "set")) {
		c->kind = SCN_CMD_SET;
		return scn_parse_settings(p, &c->set);
	}
	if (scn_tok_is(t, "say")) {
		c->kind = SCN_CMD_SAY;
		if (scn_parse_string(p, "say", &c->str) != 0)
			return -1;
		return scn_expect_end(p, _("the text"));
	}
	if (scn_tok_is(t, "pause") || scn_tok_is(t, "heal")) {
		c->kind = scn_tok_is(t, "pause") ? SCN_CMD_PAUSE : SCN_CMD_HEAL;
		char after[64];
		snprintf(after, sizeof after, "'%s'", b);
		return scn_expect_end(p, after);
	}
	if (scn_tok_is(t, "mark"))
		return scn_parse_mark(p, c);
	if (scn_tok_is(t, "measure"))
		return scn_parse_measure(p, c);
	if (scn_tok_is(t, "run")) {
		if (scn_accept(p, "between"))
			return scn_parse_run_between(p, c);
		if (scn_accept(p, "until")) {
			c->kind = SCN_CMD_RUN_UNTIL;
			c->us = SCN_DEFAULT_WITHIN_US;
			if (scn_parse_cond(p, "'run until'", &c->cond) != 0)
				return -1;
			if (scn_accept(p, "within") && scn_parse_duration(p, "'within'", &c->us) != 0)
				return -1;
			struct scn_tok *x = scn_peek(p);
			if (x)
				return scn_perr(p, x->col,
				                _("unexpected '%s' after the condition: expected 'within DURATION' or the end of the line"),
				                TOKSHOW(x, b));
			return 0;
		}
		c->kind = SCN_CMD_RUN;
		struct scn_tok *x = scn_peek(p);
		if (!x)
			return scn_perr(p, p->eol_col,
			                _("missing duration after 'run': expected e.g. run 500ms or run until leader"));
		if (scn_parse_duration(p, "'run'", &c->us) != 0)
			return -1;
		return scn_expect_end(p, _("the duration"));
	}
	if (scn_tok_is(t, "step")) {
		c->kind = SCN_CMD_STEP;
		c->count = 1;
		if (scn_peek(p) && scn_parse_count(p, _("step count"), 1, SCN_STEP_MAX, &c->count) != 0)
			return -1;
		return scn_expect_end(p, _("the step count"));
	}
	if (scn_tok_is(t, "expect")) {
		c->kind = SCN_CMD_EXPECT;
		if (scn_parse_cond(p, "'expect'", &c->cond) != 0)
			return -1;
		struct scn_tok *x = scn_peek(p);
		if (scn_tok_is(x, "within"))
			return scn_perr(p, x->col,
			                _("'within' belongs to 'run until': expect checks the present moment"));
		return scn_expect_end(p, _("the condition"));
	}
	if (scn_tok_is(t, "timeout") && scn_peek(p) &&
	    (scn_peek(p)->kind == SCN_TOK_LBRACE || scn_tok_is(scn_peek(p), "followers"))) {
		/* several election timers that run out at the same instant */
		c->kind = SCN_CMD_TIMEOUT;
		if (scn_tok_is(scn_peek(p), "followers")) {
			p->i++;
			c->followers = true;
			return scn_expect_end(p, "'timeout followers'");
		}
		if (!(c->groups = malloc(sizeof *c->groups)))
			return scn_perr(p, t->col, _("out of memory"));
		c->n_groups = 1;
		if (scn_parse_set(p, "'timeout'", &c->groups[0]) != 0)
			return -1;
		return scn_expect_end(p, "'timeout {..}'");
	}
	if (scn_tok_is(t, "crash") || scn_tok_is(t, "restart") || scn_tok_is(t, "timeout") ||
	    scn_tok_is(t, "isolate")) {
		c->kind = scn_tok_is(t, "crash")     ? SCN_CMD_CRASH
		          : scn_tok_is(t, "restart") ? SCN_CMD_RESTART
		          : scn_tok_is(t, "timeout") ? SCN_CMD_TIMEOUT
		                                     : SCN_CMD_ISOLATE;
		char after[64];
		snprintf(after, sizeof after, "'%s'", b);
		if (scn_parse_node(p, after, &c->a) != 0)
			return -1;
		snprintf(after, sizeof after, "'%s NODE'", b);
		return scn_expect_end(p, after);
	}
	if (scn_tok_is(t, "add") || scn_tok_is(t, "remove")) {
		bool add = scn_tok_is(t, "add");
		c->kind = add ? SCN_CMD_ADD : SCN_CMD_REMOVE;
		if (scn_parse_node(p, add ? "'add'" : "'remove'", &c->a) != 0)
			return -1;
		return scn_expect_end(p, add ? "'add NODE'" : "'remove NODE'");
	}
	if (scn_tok_is(t, "transfer")) {
		c->kind = SCN_CMD_TRANSFER;
		struct scn_tok *n = scn_peek(p);
		if (scn_parse_node(p, "'transfer'", &c->a) != 0)
			return -1;
		if (c->a == SCN_LEADER)
			return scn_perr(p, n->col,
			                "'transfer leader' names the leader itself: name the node that "
			                "takes over, like transfer n2");
		return scn_expect_end(p, "'transfer NODE'");
	}
	if (scn_tok_is(t, "partition")) {
		c->kind = SCN_CMD_PARTITION;
		struct scn_nodeset all = {{0}, false};
		size_t cap = 0;
		while (scn_peek(p) || c->n_groups == 0) {
			if (c->n_groups == cap) {
				size_t nc = cap ? cap * 2 : 4;
				struct scn_nodeset *g = realloc(c->groups, nc * sizeof *g);
				if (!g)
					return scn_perr(p, t->col, _("out of memory"));
				c->groups = g;
				cap = nc;
			}
			struct scn_tok *open = scn_peek(p);
			struct scn_nodeset *g = &c->groups[c->n_groups];
			if (scn_parse_set(p, c->n_groups ? _("a group") : "'partition'", g) != 0)
				return -1;
			c->n_groups++;
			for (unsigned n = 1; n <= p->nodes; n++)
				if (scn_set_has(g, n) && scn_set_has(&all, n))
					return scn_perr(p, open->col,
					                _("n%u is in two groups: a node belongs to one group"), n);
			if (g->leader && all.leader)
				return scn_perr(p, open->col,
				                _("'leader' is in two groups: a node belongs to one group"));
			for (int w = 0; w < 4; w++)
				all.bits[w] |= g->bits[w];
			all.leader |= g->leader;
		}
		return 0;
	}
	if (scn_tok_is(t, "drop") || scn_tok_is(t, "duplicate") || scn_tok_is(t, "delay") ||
	    scn_tok_is(t, "hurry") || scn_tok_is(t, "deliver") || scn_tok_is(t, "fire"))
		return scn_parse_msg_cmd(p, c, b);
	if (scn_tok_is(t, "skew"))
		return scn_parse_skew(p, c);
	if (scn_tok_is(t, "cut") || scn_tok_is(t, "mend")) {
		c->kind = scn_tok_is(t, "cut") ? SCN_CMD_CUT : SCN_CMD_MEND;
		char after[64];
		snprintf(after, sizeof after, "'%s'", b);
		if (scn_parse_link(p, after, c) != 0)
			return -1;
		return scn_expect_end(p, _("the link"));
	}
	/* client */
	return scn_parse_client(p, c);
}

/* ---- Scripts ------------------------------------------------------------ */

void scn_cmd_clear(struct scn_cmd *c)
{
	free(c->text);
	free(c->str);
	free(c->groups);
	memset(c, 0, sizeof *c);
}

int scn_cmd_copy(struct scn_cmd *dst, const struct scn_cmd *src)
{
	*dst = *src;
	dst->text = NULL;
	dst->str = NULL;
	dst->groups = NULL;
	if (src->text && !(dst->text = strdup(src->text)))
		goto nomem;
	if (src->str && !(dst->str = strdup(src->str)))
		goto nomem;
	if (src->n_groups) {
		dst->groups = malloc(src->n_groups * sizeof *dst->groups);
		if (!dst->groups)
			goto nomem;
		memcpy(dst->groups, src->groups, src->n_groups * sizeof *dst->groups);
	}
	return 0;
nomem:
	scn_cmd_clear(dst);
	return -1;
}

void scn_script_free(struct scn_script *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_cmds; i++)
		scn_cmd_clear(&s->cmds[i]);
	free(s->cmds);
	free(s->path);
	free(s->title);
	free(s);
}

struct scn_script *scn_script_copy(const struct scn_script *s)
{
	struct scn_script *d = calloc(1, sizeof *d);
	if (!d)
		return NULL;
	d->nodes = s->nodes;
	d->voters = s->voters;
	d->seed = s->seed;
	d->bugs = s->bugs;
	if (!(d->path = strdup(s->path)))
		goto nomem;
	if (s->title && !(d->title = strdup(s->title)))
		goto nomem;
	if (s->n_cmds) {
		d->cmds = calloc(s->n_cmds, sizeof *d->cmds);
		if (!d->cmds)
			goto nomem;
		d->cap_cmds = s->n_cmds;
		for (; d->n_cmds < s->n_cmds; d->n_cmds++)
			if (scn_cmd_copy(&d->cmds[d->n_cmds], &s->cmds[d->n_cmds]) != 0)
				goto nomem;
	}
	return d;
nomem:
	scn_script_free(d);
	return NULL;
}

/* Parses one line's tokens (already lexed) into a fresh command. */
static int scn_parse_line(struct scn_parser *p, struct scn_script *s, const char *line,
                          struct scn_cmd *c)
{
	memset(c, 0, sizeof *c);
	c->line = p->line;
	c->col = p->t[0].col;
	int rc = scn_parse_cmd(p, s, c);
	if (rc == 0) {
		size_t from = (size_t)p->t[0].col - 1;
		size_t to = (size_t)p->t[p->nt - 1].end_col - 1;
		c->text = malloc(to - from + 1);
		if (!c->text)
			rc = scn_perr(p, 1, _("out of memory"));
		else {
			memcpy(c->text, line + from, to - from);
			c->text[to - from] = '\0';
		}
	}
	if (rc != 0)
		scn_cmd_clear(c);
	return rc;
}

static void scn_setpath_err(char *err, size_t errcap, const char *path, const char *msg)
{
	if (err && errcap)
		snprintf(err, errcap, "%s: %s", path, msg);
}

struct scn_script *scn_parse(const char *path, const char *buf, size_t len, char *err,
                             size_t errcap)
{
	struct scn_script *s = NULL;
	struct scn_tok *toks = NULL;
	struct scn_parser p = {.path = path ? path : "<script>", .err = err, .errcap = errcap};
	path = p.path;
	if (err && errcap)
		err[0] = '\0';
	p.line = 1;
	/* A UTF-8 byte-order mark (some editors write one) is not text. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (len > SCN_FILE_MAX) {
		scn_perr(&p, 1, _("file too large (%zu bytes): the limit is %u bytes (1 MiB)"), len,
		         SCN_FILE_MAX);
		return NULL;
	}
	s = calloc(1, sizeof *s);
	toks = malloc(SCN_TOKS_MAX * sizeof *toks);
	if (!s || !toks || !(s->path = strdup(path)))
		goto nomem;
	s->nodes = SCN_DEFAULT_NODES;
	s->seed = SCN_DEFAULT_SEED;
	p.t = toks;
	size_t pos = 0;
	for (p.line = 1; pos < len || (pos == len && p.line == 1 && len == 0); p.line++) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *line = buf + pos;
		size_t n = end - pos;
		pos = nl ? end + 1 : len;
		p.text = NULL;
		if (n > (size_t)SCN_LINE_MAX + (n > 0 && line[n - 1] == '\r')) {
			scn_perr(&p, SCN_LINE_MAX + 1, _("line too long (%zu bytes): the limit is %d bytes"),
			         n, SCN_LINE_MAX);
			goto fail;
		}
		p.text = line;
		p.text_n = n;
		if (scn_check_text(&p, line, n) != 0 || scn_lex(&p, line, n) != 0)
			goto fail;
		if (p.nt == 0) {
			if (len == 0)
				break;
			continue;
		}
		if (s->n_cmds == SCN_CMDS_MAX) {
			scn_perr(&p, 1, _("too many commands: the limit is %u per script"), SCN_CMDS_MAX);
			goto fail;
		}
		if (s->n_cmds == s->cap_cmds) {
			size_t nc = s->cap_cmds ? s->cap_cmds * 2 : 64;
			struct scn_cmd *cm = realloc(s->cmds, nc * sizeof *cm);
			if (!cm)
				goto nomem;
			s->cmds = cm;
			s->cap_cmds = nc;
		}
		if (scn_parse_line(&p, s, line, &s->cmds[s->n_cmds]) != 0)
			goto fail;
		s->n_cmds++;
	}
	if (p.nodes == 0) {
		p.line = 1;
		p.text = NULL;
		scn_perr(&p, 1,
		         _("missing 'cluster' line: a script starts with e.g. 'cluster nodes=5 seed=1' (after comments and title)"));
		goto fail;
	}
	free(toks);
	return s;
nomem:
	scn_setpath_err(err, errcap, path, _("out of memory"));
fail:
	free(toks);
	scn_script_free(s);
	return NULL;
}

int scn_parse_one(const char *path, const char *line, size_t len, uint16_t nodes,
                  struct scn_cmd *out, char *err, size_t errcap)
{
	struct scn_parser p = {.path = path, .line = 1, .err = err, .errcap = errcap,
	                       .nodes = nodes, .single = true};
	struct scn_script dummy = {0};
	memset(out, 0, sizeof *out);
	if (err && errcap)
		err[0] = '\0';
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > SCN_LINE_MAX)
		return scn_perr(&p, SCN_LINE_MAX + 1, _("line too long (%zu bytes): the limit is %d bytes"),
		                len, SCN_LINE_MAX);
	if (memchr(line, '\n', len))
		return scn_perr(&p, 1, _("one command at a time: the text holds a newline"));
	struct scn_tok *toks = malloc(SCN_TOKS_MAX * sizeof *toks);
	if (!toks)
		return scn_perr(&p, 1, _("out of memory"));
	p.t = toks;
	p.text = line;
	p.text_n = len;
	int rc = scn_check_text(&p, line, len);
	if (rc == 0)
		rc = scn_lex(&p, line, len);
	if (rc == 0 && p.nt == 0)
		rc = scn_perr(&p, 1, _("empty command: e.g. crash n1, client put x=1, heal"));
	if (rc == 0)
		rc = scn_parse_line(&p, &dummy, line, out);
	free(toks);
	free(dummy.title);
	return rc;
}

struct scn_script *scn_load(const char *path, char *err, size_t errcap)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	struct scn_script *s = NULL;
	if (!f) {
		if (err && errcap)
			snprintf(err, errcap, _("%s: cannot read: %s"), path, strerror(errno));
		return NULL;
	}
	/* Read at most one byte past the limit: enough to know it is too big. */
	buf = malloc(SCN_FILE_MAX + 1);
	if (!buf) {
		scn_setpath_err(err, errcap, path, _("out of memory"));
		goto cleanup;
	}
	size_t n = fread(buf, 1, SCN_FILE_MAX + 1, f);
	if (ferror(f)) {
		if (err && errcap)
			snprintf(err, errcap, _("%s: cannot read: %s"), path, strerror(errno ? errno : EIO));
		goto cleanup;
	}
	if (n > SCN_FILE_MAX) {
		long size = -1;
		if (fseek(f, 0, SEEK_END) == 0)
			size = ftell(f);
		if (err && errcap) {
			if (size > 0)
				snprintf(err, errcap,
				         _("%s:1:1: file too large (%ld bytes): the limit is %u bytes (1 MiB)"),
				         path, size, SCN_FILE_MAX);
			else
				snprintf(err, errcap,
				         _("%s:1:1: file too large (over %u bytes): the limit is %u bytes (1 MiB)"),
				         path, SCN_FILE_MAX, SCN_FILE_MAX);
		}
		goto cleanup;
	}
	s = scn_parse(path, buf, n, err, errcap);
cleanup:
	free(buf);
	fclose(f);
	return s;
}

/* ---- Accessors ---------------------------------------------------------- */

const char *scn_script_path(const struct scn_script *s)
{
	return s->path;
}

const char *scn_script_title(const struct scn_script *s)
{
	return s->title ? s->title : "";
}

uint16_t scn_script_nodes(const struct scn_script *s)
{
	return s->nodes;
}

uint64_t scn_script_seed(const struct scn_script *s)
{
	return s->seed;
}

uint32_t scn_script_bugs(const struct scn_script *s)
{
	return s->bugs;
}

size_t scn_script_n_cmds(const struct scn_script *s)
{
	return s->n_cmds;
}

const struct scn_cmd *scn_script_cmd(const struct scn_script *s, size_t i)
{
	return i < s->n_cmds ? &s->cmds[i] : NULL;
}
