/* test_zh.c - raftsim in Chinese: every glyph of the translations and the Chinese lessons drawn by a font (no boxes), mixed text falls back glyph by glyph. */
#include <criterion/criterion.h>

#include "render.h"
#include "scn.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
