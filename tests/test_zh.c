/* test_zh.c - raftsim in Chinese: every glyph of the translations and the Chinese lessons drawn by a font (no boxes), mixed text falls back glyph by glyph. */
#include <criterion/criterion.h>

#include "render.h"
#include "scn.h"
#include "sim.h"

#include <glob.h>
#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[4096];
static struct render_caption_meter *meter;

static void setup(void)
{
	const char *r = getenv("SOURCE_ROOT");
#ifdef SOURCE_ROOT
	if (!r)
		r = SOURCE_ROOT;
#endif
	cr_assert(r, "SOURCE_ROOT is not set");
	snprintf(root, sizeof root, "%s", r);
	char assets[4200];
	snprintf(assets, sizeof assets, "%s/assets", root);
	setenv("RAFTSIM_ASSETS", assets, 1);
	char err[512];
	cr_assert(render_headless_init(err, sizeof err) == 0, "%s", err);
	meter = render_caption_meter_new(err, sizeof err);
	cr_assert(meter, "%s", err);
}

static void teardown(void)
{
	render_caption_meter_free(meter);
	render_headless_quit();
}

TestSuite(zh, .init = setup, .fini = teardown);

Test(zh, mixed_text_has_every_glyph)
{
	const char *s[] = {"n1 是领导者, 任期 2", "跟随者 候选人 选举超时 心跳 多数派",
	                   "LeaderA 和 LeaderB：网络分区（两个领导者）。", "「提交」、…"};
	for (size_t i = 0; i < sizeof s / sizeof *s; i++)
		cr_expect_eq(render_caption_missing_glyph(meter, s[i]), 0, "a box in '%s'", s[i]);
}

Test(zh, a_glyph_no_font_has_is_reported)
{
	/* U+E000, private use: in neither font */
	cr_expect_eq(render_caption_missing_glyph(meter, "任期 \xee\x80\x80"), 0xE000);
}

Test(zh, chinese_is_measured_with_the_chinese_font)
{
	/* DejaVu has no 领: drawn by it, three boxes of one width each; the
	 * fallback font gives the real, wider, square glyphs */
	int w = render_caption_text_w(meter, 20, false, "领导者");
	cr_expect(w >= 3 * 18 && w <= 3 * 22, "3 CJK glyphs at 20 px are about 60 px wide, got %d", w);
	int mixed = render_caption_text_w(meter, 20, false, "n1 领导者");
	int latin = render_caption_text_w(meter, 20, false, "n1 ");
	cr_expect(mixed >= latin + w - 2 && mixed <= latin + w + 2, "runs add up: %d vs %d + %d", mixed,
	          latin, w);
}

static void expect_parse_error(const char *text, const char *want)
{
	char err[512];
	struct scn_script *s = scn_parse("x.scn", text, strlen(text), err, sizeof err);
	cr_expect_null(s, "parsed: %s", text);
	scn_script_free(s);
	cr_expect(!strncmp(err, want, strlen(want)), "got '%s', want '%s...'", err, want);
}

Test(zh, scripts_are_utf8_with_columns_in_characters)
{
	const char *ok = "# 第一部分：选举\n"
	                 "title \"Raft 一堂课：选举与复制\"\n"
	                 "cluster nodes=5 seed=1  # 五台服务器\n"
	                 "say \"n1 是领导者，任期 2。\"\n";
	char err[512];
	struct scn_script *s = scn_parse("x.scn", ok, strlen(ok), err, sizeof err);
	cr_assert_not_null(s, "%s", err);
	cr_expect_str_eq(scn_script_title(s), "Raft 一堂课：选举与复制");
	cr_expect_str_eq(scn_script_cmd(s, 2)->str, "n1 是领导者，任期 2。");
	scn_script_free(s);
	/* the bad byte is the 9th character of the line (the 13th byte) */
	expect_parse_error("cluster\nsay \"任期 \xff\"\n", "x.scn:2:9: ");
	/* a cut-off character after Chinese */
	expect_parse_error("cluster\nsay \"领导者\xe4\xbb\"\n", "x.scn:2:9: ");
	/* an error after a Chinese string points at the word, in characters */
	expect_parse_error("cluster\nsay \"领导者\" again\n", "x.scn:2:11: ");
}

/* The lines of s broken at max_w, joined by '|'. */
static void wrapped(const char *s, int max_w, char *out, size_t cap)
{
	size_t st[16], en[16];
	int n = render_caption_wrap(meter, 20, false, s, max_w, 16, st, en);
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%.*s", i ? "|" : "",
		                        (int)(en[i] - st[i]), s + st[i]);
}

Test(zh, chinese_wraps_between_characters_and_keeps_the_punctuation_rules)
{
	int five = render_caption_text_w(meter, 20, false, "一二三四五");
	char out[512];
	/* no spaces needed */
	wrapped("一二三四五六七八九十", five + 1, out, sizeof out);
	cr_expect_str_eq(out, "一二三四五|六七八九十");
	/* no line starts with ，。：；！？、）」 */
	const char *closing[] = {"，", "。", "：", "；", "！", "？", "、", "）", "」"};
	for (size_t i = 0; i < sizeof closing / sizeof *closing; i++) {
		char s[64], want[64];
		snprintf(s, sizeof s, "一二三四五%s六七", closing[i]);
		snprintf(want, sizeof want, "一二三四|五%s六七", closing[i]);
		wrapped(s, five + 1, out, sizeof out);
		cr_expect_str_eq(out, want, "a line starts with %s", closing[i]);
	}
	/* no line ends with （「 */
	wrapped("一二三四（五六）", five + 1, out, sizeof out);
	cr_expect_str_eq(out, "一二三四|（五六）");
	wrapped("一二三四「五六」", five + 1, out, sizeof out);
	cr_expect_str_eq(out, "一二三四|「五六」");
	/* Latin words stay whole, spaces still break */
	int ab = render_caption_text_w(meter, 20, false, "alpha beta");
	wrapped("alpha beta gamma", ab + 1, out, sizeof out);
	cr_expect_str_eq(out, "alpha beta|gamma");
	wrapped("领导者 LeaderB 任期", render_caption_text_w(meter, 20, false, "领导者 Lead"), out,
	        sizeof out);
	cr_expect_str_eq(out, "领导者|LeaderB 任|期");
}

Test(zh, a_long_chinese_caption_is_measured_in_lines_not_as_one_word)
{
	/* 60 characters, no space: two lines of the 1280x720 caption */
	const char *say = "跟随者在选举超时之前没有收到领导者的心跳，就会变成候选人，开始新的任期，"
	                  "投票给自己，并向其他服务器请求投票。";
	cr_expect_eq(render_caption_lines(meter, say, 1280, 720), 2);
	char more[1024];
	snprintf(more, sizeof more, "%s%s", say, say);
	cr_expect_gt(render_caption_lines(meter, more, 1280, 720), 2);
}

/* Every msgstr of po/zh_CN.po, unescaped, to fn; returns how many. */
static int each_translation(void (*fn)(const char *s, int line))
{
	char path[4200];
	snprintf(path, sizeof path, "%s/po/zh_CN.po", root);
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot open %s", path);
	char line[2048], cur[4096] = "";
	bool in_str = false;
	int n = 0, lineno = 0, at = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		bool starts = !strncmp(line, "msgstr", 6);
		if (starts || (line[0] != '"' && in_str)) {
			if (in_str && cur[0]) {
				fn(cur, at);
				n++;
			}
			cur[0] = '\0';
			in_str = starts;
			at = lineno;
		}
		char *q = in_str ? strchr(line, '"') : NULL;
		if (!q)
			continue;
		/* append the unescaped string between the quotes */
		size_t len = strlen(cur);
		for (char *p = q + 1; *p && *p != '"' && len + 2 < sizeof cur; p++) {
			if (*p == '\\' && p[1]) {
				p++;
				cur[len++] = *p == 'n' ? ' ' : *p;
			} else {
				cur[len++] = *p;
			}
		}
		cur[len] = '\0';
	}
	if (in_str && cur[0]) {
		fn(cur, at);
		n++;
	}
	fclose(f);
	return n;
}

static void no_box(const char *s, int line)
{
	uint32_t c = render_caption_missing_glyph(meter, s);
	cr_expect_eq(c, 0, "po/zh_CN.po:%d: U+%04X has no glyph in any font: %s", line, c, s);
}

Test(zh, every_translation_has_its_glyphs)
{
	int n = each_translation(no_box);
	cr_expect_gt(n, 200, "only %d translations read", n);
}

static void lesson_no_box(const char *path)
{
	FILE *f = fopen(path, "r");
	cr_assert(f, "cannot open %s", path);
	char line[2048];
	int lineno = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		uint32_t c = render_caption_missing_glyph(meter, line);
		cr_expect_eq(c, 0, "%s:%d: U+%04X has no glyph in any font", path, lineno, c);
	}
	fclose(f);
}

Test(zh, every_line_of_the_chinese_lessons_has_its_glyphs)
{
	char pat[4200];
	snprintf(pat, sizeof pat, "%s/scenarios/zh/*.scn", root);
	glob_t g;
	cr_assert_eq(glob(pat, 0, NULL, &g), 0, "no lessons in scenarios/zh/");
	cr_expect_geq(g.gl_pathc, 4, "the tutorial and three lessons");
	for (size_t i = 0; i < g.gl_pathc; i++)
		lesson_no_box(g.gl_pathv[i]);
	globfree(&g);
}

/* Chinese through gettext with the catalog the build made (po/ beside
 * the tests/ directory of this executable). */
static void use_chinese(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	cr_assert_gt(n, 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	char dir[4200];
	snprintf(dir, sizeof dir, "%s/../po", exe);
	setlocale(LC_MESSAGES, "C.UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	cr_assert(bindtextdomain("raftsim", dir));
	bind_textdomain_codeset("raftsim", "UTF-8");
}

Test(zh, event_sentences_in_chinese_and_the_trace_stays_english)
{
	use_chinese();
	struct sim_trace t = {.kind = SIM_T_TIMEOUT, .time_us = 1000, .node = 3, .term = 2};
	char buf[512];
	sim_trace_explain(&t, buf, sizeof buf);
	cr_expect_str_eq(buf, "n3 的选举超时到了：它成为任期 2 的候选人，并请求投票。");
	struct sim_trace l = {.kind = SIM_T_LEADER, .node = 5, .term = 1, .votes_mask = {0x1a}};
	sim_trace_explain(&l, buf, sizeof buf);
	cr_expect(strstr(buf, "多数派") && strstr(buf, "领导者"), "%s", buf);
	/* the machine-readable trace does not change with the language */
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_expect(!strstr(buf, "选举") && strstr(buf, "n3"), "%s", buf);
	sim_trace_format(&t, SIM_TRACE_JSONL, buf, sizeof buf);
	cr_expect(strstr(buf, "\"kind\"") || strstr(buf, "\"event\""), "%s", buf);
	cr_expect(!strstr(buf, "选举"), "%s", buf);
}

Test(zh, a_drop_reason_in_chinese_and_the_trace_keeps_the_keyword)
{
	use_chinese();
	struct raft_msg m = {.type = RAFT_MSG_APPEND, .from = 1, .to = 2, .term = 1};
	struct sim_trace d = {.kind = SIM_T_DROP, .node = 1, .peer = 2, .msg = &m,
	                      .text = "receiver down", .msg_id = 7};
	char buf[512];
	sim_trace_explain(&d, buf, sizeof buf);
	cr_expect(strstr(buf, "接收方已宕机") && !strstr(buf, "receiver down"), "%s", buf);
	sim_trace_format(&d, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_expect(strstr(buf, "(receiver down)"), "%s", buf);
}

/* A client note reads in Chinese in the window (sim_trace_explain) and
 * stays English in the trace, where the window's message log reads it. */
Test(zh, a_client_note_in_chinese_and_the_trace_keeps_it_english)
{
	use_chinese();
	struct sim_trace t = {.kind = SIM_T_CLIENT, .node = 2,
	                      .text = "put x=1 accepted by n2 at index 3",
	                      .note_fmt = "%s accepted by n%llu at index %llu",
	                      .note_cmd = "put x=1", .note_a = 2, .note_b = 3};
	char buf[512];
	sim_trace_explain(&t, buf, sizeof buf);
	cr_expect(strstr(buf, "put x=1 被 n2 接受，位于索引 3") && !strstr(buf, "accepted"), "%s", buf);
	sim_trace_format(&t, SIM_TRACE_TEXT, buf, sizeof buf);
	cr_expect(strstr(buf, "put x=1 accepted by n2 at index 3"), "%s", buf);
	struct sim_trace g = {.kind = SIM_T_CLIENT, .node = 1, .text = "get x answered by n1: 5",
	                      .note_fmt = "%s answered by n%llu: %s", .note_cmd = "get x",
	                      .note_a = 1, .note_value = "5"};
	sim_trace_explain(&g, buf, sizeof buf);
	cr_expect(strstr(buf, "get x 由 n1 回答：5"), "%s", buf);
}
