/* test_render.c - the visualizer, headless: pixels of real scenario frames at the positions the layout reports, step back/forward, recorded actions, PNG output. */
#include <criterion/criterion.h>

#include "render.h"

#include <SDL.h>
#include <SDL_image.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS 1000LL
#define W 1280
#define H 720

static char root[4096];

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
}

static void teardown(void)
{
	render_headless_quit();
}

TestSuite(render, .init = setup, .fini = teardown);

static struct scn_script *script_file(const char *name)
{
	char path[4300], err[SCN_ERR_MAX];
	snprintf(path, sizeof path, "%s/scenarios/%s", root, name);
	struct scn_script *s = scn_load(path, err, sizeof err);
	cr_assert(s, "%s", err);
	return s;
}

static struct scn_script *script_text(const char *text)
{
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("test.scn", text, strlen(text), err, sizeof err);
	cr_assert(s, "%s", err);
	return s;
}

static struct render_history *history(struct scn_script *s)
{
	char err[512];
	struct render_history *h = render_history_new(s, NULL, NULL, err, sizeof err);
	cr_assert(h, "%s", err);
	scn_script_free(s);
	return h;
}

static struct render_offscreen *canvas(void)
{
	char err[512];
	struct render_offscreen *o = render_offscreen_new(W, H, err, sizeof err);
	cr_assert(o, "%s", err);
	return o;
}

static void draw(struct render_offscreen *o, const struct render_history *h, unsigned selected)
{
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	f.selected = selected;
	render_offscreen_draw(o, &f);
}

static bool near_rgb(uint32_t p, uint32_t want, int tol)
{
	int dr = (int)(p >> 16 & 255) - (int)(want >> 16 & 255);
	int dg = (int)(p >> 8 & 255) - (int)(want >> 8 & 255);
	int db = (int)(p & 255) - (int)(want & 255);
	return abs(dr) <= tol && abs(dg) <= tol && abs(db) <= tol;
}

static void layout(struct render_layout *l, const struct render_history *h)
{
	render_layout_compute(l, W, H, sim_n_nodes(render_history_sim(h)));
}

/* A point inside node i's disc, clear of its text and outline. */
static uint32_t node_fill(const struct render_offscreen *o, const struct render_layout *l,
                          unsigned i)
{
	float x, y, r;
	cr_assert(render_layout_node(l, i, &x, &y, &r));
	return render_offscreen_pixel(o, (int)lroundf(x - r * 0.68f), (int)lroundf(y));
}

/* Copies the current frame's pixels. */
static uint32_t *snapshot(const struct render_offscreen *o)
{
	SDL_Surface *s = render_offscreen_surface(o);
	size_t n = (size_t)s->pitch * (size_t)s->h;
	uint32_t *p = malloc(n);
	cr_assert(p);
	memcpy(p, s->pixels, n);
	return p;
}

static bool same_pixels(const struct render_offscreen *o, const uint32_t *snap)
{
	SDL_Surface *s = render_offscreen_surface(o);
	return memcmp(s->pixels, snap, (size_t)s->pitch * (size_t)s->h) == 0;
}

#define LEADER_BLUE 0x0072B2u
#define CRASH_GREY 0xBEBEBEu
#define FOLLOWER_SKY 0x56B4E9u
#define VOTE_ORANGE 0xE69F00u
#define SNAPSHOT_YELLOW 0xF0E442u
#define SNAPSHOT_BLOCK 0xE2E2DCu /* C_PANEL2: a compacted prefix in the log panel */

Test(render, leader_drawn_in_leader_colour)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 400 * MS, true);
	const struct sim *s = render_history_sim(h);
	uint8_t leader = sim_stable_leader(s);
	cr_assert(leader, "no leader at 400ms");
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	struct render_layout l;
	layout(&l, h);
	uint32_t p = node_fill(o, &l, leader);
	cr_assert(near_rgb(p, LEADER_BLUE, 2), "leader n%u drawn as %06x", leader, p);
	for (unsigned i = 1; i <= sim_n_nodes(s); i++)
		if (i != leader) {
			uint32_t q = node_fill(o, &l, i);
			cr_assert(near_rgb(q, FOLLOWER_SKY, 2), "follower n%u drawn as %06x", i, q);
		}
	render_offscreen_free(o);
	render_history_free(h);
}

/* Lease reads: the leader's lease is a bar under its disc, filled in the
 * leader's blue while it holds; with ReadIndex there is none. */
Test(render, lease_bar_under_the_leader)
{
	for (int lease = 0; lease <= 1; lease++) {
		char text[256];
		snprintf(text, sizeof text,
		         "cluster nodes=3 seed=2\nset reads=%s\ntimeout n1\n"
		         "run until leader == n1 within 1s\nclient put x=1\nrun 120ms\n",
		         lease ? "lease" : "readindex");
		struct render_history *h = history(script_text(text));
		render_history_advance(h, 3000 * MS, true);
		const struct sim *s = render_history_sim(h);
		cr_assert_eq(sim_stable_leader(s), 1);
		cr_assert_eq(sim_lease_left_us(s, 1) > 0, lease == 1);
		struct render_offscreen *o = canvas();
		draw(o, h, 0);
		struct render_layout l;
		layout(&l, h);
		float x, y, r;
		cr_assert(render_layout_node(&l, 1, &x, &y, &r));
		uint32_t p = render_offscreen_pixel(o, (int)lroundf(x - 0.8f * r + 2 * l.u),
		                                    (int)lroundf(y + r + 10 * l.u));
		cr_assert_eq(near_rgb(p, LEADER_BLUE, 2), lease == 1, "bar start drawn as %06x", p);
		render_offscreen_free(o);
		render_history_free(h);
	}
}

Test(render, crashed_node_is_grey)
{
	struct render_history *h = history(script_text("cluster nodes=3 seed=2\n"
	                                               "run until leader within 2s\n"
	                                               "crash leader\n"
	                                               "run 10ms\n"));
	render_history_advance(h, 3000 * MS, true);
	const struct sim *s = render_history_sim(h);
	unsigned crashed = 0;
	for (unsigned i = 1; i <= 3; i++)
		if (!sim_node_up(s, (uint8_t)i))
			crashed = i;
	cr_assert(crashed, "nobody crashed");
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	struct render_layout l;
	layout(&l, h);
	uint32_t p = node_fill(o, &l, crashed);
	cr_assert(near_rgb(p, CRASH_GREY, 2), "crashed n%u drawn as %06x", crashed, p);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, committed_cell_solid_uncommitted_outlined)
{
	/* at 725 ms the tutorial's leader has committed x=sally; the
	 * followers have it in their logs but do not know yet */
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 725 * MS, true);
	const struct sim *s = render_history_sim(h);
	unsigned committed = 0, pending = 0;
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		if (raft_last_index(n) >= 1 && raft_commit_index(n) >= 1)
			committed = i;
		if (raft_last_index(n) >= 1 && raft_commit_index(n) == 0)
			pending = i;
	}
	cr_assert(committed && pending, "need one committed and one pending log at 725ms");
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	struct render_layout l;
	layout(&l, h);
	struct render_rect a, b;
	cr_assert(render_layout_log_cell(&l, s, committed, 1, &a));
	cr_assert(render_layout_log_cell(&l, s, pending, 1, &b));
	/* top-right inside the cell: clear of the term tag and the command */
	uint32_t pa = render_offscreen_pixel(o, a.x + a.w - 8, a.y + 8);
	uint32_t pb = render_offscreen_pixel(o, b.x + b.w - 8, b.y + 8);
	uint32_t edge = render_offscreen_pixel(o, b.x + 1, b.y + b.h / 2);
	cr_assert(near_rgb(pa, render_term_rgb(1), 2), "committed cell inside %06x", pa);
	cr_assert(near_rgb(pb, 0xFFFFFFu, 2), "uncommitted cell inside %06x", pb);
	cr_assert(!near_rgb(edge, 0xFFFFFFu, 40), "uncommitted cell has no outline (%06x)", edge);
	render_offscreen_free(o);
	render_history_free(h);
}

/* Draws h and counts the pixels of colour within radius of where message m
 * should be now: between the rims of its nodes, at the fraction flown
 * (*px, *py get that point). */
static int pixels_near_flight(const struct render_history *h, const struct sim_msg *m,
                              int radius, uint32_t colour, float *px, float *py)
{
	const struct sim *s = render_history_sim(h);
	double f = (double)(sim_now_us(s) - m->send_us) / (double)(m->deliver_us - m->send_us);
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	struct render_layout l;
	layout(&l, h);
	float x0, y0, x1, y1, r;
	render_layout_node(&l, m->m.from, &x0, &y0, &r);
	render_layout_node(&l, m->m.to, &x1, &y1, &r);
	float d = sqrtf((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0));
	float ux = (x1 - x0) / d, uy = (y1 - y0) / d;
	float sx = x0 + ux * r, sy = y0 + uy * r, ex = x1 - ux * r, ey = y1 - uy * r;
	*px = sx + (ex - sx) * (float)f;
	*py = sy + (ey - sy) * (float)f;
	int found = 0;
	for (int dy = -radius; dy <= radius; dy++)
		for (int dx = -radius; dx <= radius; dx++)
			if (near_rgb(render_offscreen_pixel(o, (int)*px + dx, (int)*py + dy), colour, 3))
				found++;
	render_offscreen_free(o);
	return found;
}

Test(render, message_dot_between_nodes)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	/* n5's RequestVotes leave at 156.554 ms and take 5..15 ms */
	render_history_advance(h, 156554 + 2500, true);
	const struct sim *s = render_history_sim(h);
	int64_t now = sim_now_us(s);
	const struct sim_msg *m = NULL;
	for (size_t i = 0; i < sim_msg_capacity(s); i++) {
		const struct sim_msg *x = sim_msg_slot(s, i);
		if (!x || x->m.type != RAFT_MSG_VOTE || x->deliver_us <= x->send_us)
			continue;
		double f = (double)(now - x->send_us) / (double)(x->deliver_us - x->send_us);
		if (f > 0.1 && f < 0.9) {
			m = x;
			break;
		}
	}
	cr_assert(m, "no RequestVote mid-flight");
	float px, py;
	int found = pixels_near_flight(h, m, 14, VOTE_ORANGE, &px, &py);
	cr_assert(found > 40, "no orange RequestVote dot near (%.0f, %.0f): %d pixels", px, py,
	          found);
	render_history_free(h);
}

/* The lesson's follower n3 catches up through InstallSnapshot: the message
 * flies as a yellow package, not as an AppendEntries dot. */
Test(render, install_snapshot_drawn_as_a_yellow_package)
{
	struct render_history *h = history(script_file("snapshot.scn"));
	const struct sim *s = NULL;
	const struct sim_msg *m = NULL;
	for (int64_t t = 380 * MS; t < 1000 * MS && !m; t += 500) {
		render_history_advance(h, t, true);
		s = render_history_sim(h);
		int64_t now = sim_now_us(s);
		for (size_t i = 0; i < sim_msg_capacity(s); i++) {
			const struct sim_msg *x = sim_msg_slot(s, i);
			if (!x || x->m.type != RAFT_MSG_SNAPSHOT || x->deliver_us <= x->send_us)
				continue;
			double f = (double)(now - x->send_us) / (double)(x->deliver_us - x->send_us);
			if (f > 0.2 && f < 0.8) {
				m = x;
				break;
			}
		}
	}
	cr_assert(m, "no InstallSnapshot mid-flight");
	float px, py;
	int found = pixels_near_flight(h, m, 16, SNAPSHOT_YELLOW, &px, &py);
	cr_assert(found > 60, "no yellow InstallSnapshot near (%.0f, %.0f): %d pixels", px, py, found);
	render_history_free(h);
}

/* A compacted prefix is one block; the entries in memory keep their cells. */
Test(render, compacted_log_drawn_as_one_snapshot_block)
{
	struct render_history *h = history(script_file("snapshot.scn"));
	render_history_advance(h, 2000 * MS, true);
	const struct sim *s = render_history_sim(h);
	struct render_layout l;
	layout(&l, h);
	uint64_t view = render_layout_log_first(&l, s);
	unsigned shown = 0;
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		uint64_t mf = raft_log_first(n);
		cr_assert_gt(raft_snapshot_index(n), 0, "n%u has a snapshot", i);
		if (mf <= view + 1)
			continue; /* not two compacted cells in view */
		shown++;
		/* inside the block, where a cell's term tag and command would be */
		struct render_rect a, b;
		cr_assert(render_layout_log_cell(&l, s, i, view, &a));
		cr_assert(render_layout_log_cell(&l, s, i, mf - 1, &b));
		uint32_t pa = render_offscreen_pixel(o, a.x + a.w - 6, a.y + 6);
		uint32_t pb = render_offscreen_pixel(o, b.x + b.w - 6, b.y + 6);
		cr_expect(near_rgb(pa, SNAPSHOT_BLOCK, 2), "n%u block at %llu is %06x", i,
		          (unsigned long long)view, pa);
		cr_expect(near_rgb(pb, SNAPSHOT_BLOCK, 2), "n%u block at %llu is %06x", i,
		          (unsigned long long)mf - 1, pb);
		/* one block: no cell border between two compacted cells */
		uint32_t between = render_offscreen_pixel(o, a.x + a.w + 2, a.y + a.h / 2 - 4);
		cr_expect(near_rgb(between, SNAPSHOT_BLOCK, 2), "n%u gap inside the block is %06x", i,
		          between);
		/* the first entry in memory: a committed cell of term 1 */
		struct render_rect e;
		if (render_layout_log_cell(&l, s, i, mf, &e) && mf <= raft_commit_index(n)) {
			uint32_t pe = render_offscreen_pixel(o, e.x + e.w - 8, e.y + 8);
			cr_expect(near_rgb(pe, render_term_rgb(1), 2), "n%u entry %llu is %06x", i,
			          (unsigned long long)mf, pe);
		}
	}
	cr_assert(shown > 0, "no compacted prefix in view");
	render_offscreen_free(o);
	render_history_free(h);
}

static int bright_pixels(const struct render_offscreen *o, struct render_rect r)
{
	int n = 0;
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++) {
			uint32_t p = render_offscreen_pixel(o, x, y);
			if ((p >> 16 & 255) > 200 && (p >> 8 & 255) > 200 && (p & 255) > 200)
				n++;
		}
	return n;
}

Test(render, caption_shows_say)
{
	struct render_history *quiet = history(script_text("cluster nodes=3\nrun 100ms\n"));
	struct render_history *h = history(script_text(
	    "cluster nodes=3\nsay \"Every server starts as a follower and waits.\"\nrun 100ms\n"));
	render_history_advance(quiet, 50 * MS, true);
	render_history_advance(h, 50 * MS, true);
	cr_assert_str_eq(scn_runner_say(render_history_runner(h)),
	                 "Every server starts as a follower and waits.");
	struct render_offscreen *o = canvas();
	struct render_layout l;
	layout(&l, h);
	draw(o, quiet, 0);
	int before = bright_pixels(o, l.caption);
	draw(o, h, 0);
	int after = bright_pixels(o, l.caption);
	cr_assert(after > before + 400, "caption text pixels: %d without say, %d with", before,
	          after);
	render_offscreen_free(o);
	render_history_free(quiet);
	render_history_free(h);
}

Test(render, step_back_then_forward_is_pixel_identical)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 165 * MS, true);
	struct render_offscreen *o = canvas();
	for (int k = 0; k < 5; k++)
		render_history_step(h);
	uint64_t e = render_history_events(h);
	draw(o, h, 3);
	uint32_t *a = snapshot(o);
	cr_assert_eq(render_history_step_back(h), render_history_status(h));
	cr_assert_eq(render_history_events(h), e - 1);
	render_history_step(h);
	cr_assert_eq(render_history_events(h), e);
	draw(o, h, 3);
	cr_assert(same_pixels(o, a), "step back + step forward changed the frame");
	/* several steps back and forward */
	for (int k = 0; k < 7; k++)
		render_history_step_back(h);
	for (int k = 0; k < 7; k++)
		render_history_step(h);
	draw(o, h, 3);
	cr_assert(same_pixels(o, a), "7 steps back + 7 forward changed the frame");
	free(a);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, user_actions_replay_across_step_back_and_seek)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 300 * MS, true);
	char err[SCN_ERR_MAX];
	cr_assert_eq(render_history_exec(h, "crash n2", err, sizeof err), 0, "%s", err);
	cr_assert(!sim_node_up(render_history_sim(h), 2));
	for (int k = 0; k < 4; k++)
		render_history_step(h);
	struct render_offscreen *o = canvas();
	draw(o, h, 0);
	uint32_t *a = snapshot(o);
	uint64_t e = render_history_events(h);
	int64_t t = render_history_now_us(h);
	/* back before the crash, then forward again: the crash is replayed */
	for (int k = 0; k < 6; k++)
		render_history_step_back(h);
	cr_assert(sim_node_up(render_history_sim(h), 2), "stepping back did not undo the crash");
	for (int k = 0; k < 6; k++)
		render_history_step(h);
	cr_assert_eq(render_history_events(h), e);
	cr_assert(!sim_node_up(render_history_sim(h), 2), "the recorded crash was not replayed");
	draw(o, h, 0);
	cr_assert(same_pixels(o, a), "replayed crash differs");
	/* seek far back and to the same time */
	render_history_seek(h, 100 * MS);
	cr_assert(sim_node_up(render_history_sim(h), 2));
	render_history_seek(h, t);
	cr_assert(!sim_node_up(render_history_sim(h), 2));
	cr_assert_eq(render_history_n_actions(h), 1);
	/* a new action in the past forks: the crash is forgotten */
	render_history_seek(h, 200 * MS);
	cr_assert_eq(render_history_exec(h, "crash n3", err, sizeof err), 0, "%s", err);
	cr_assert_eq(render_history_n_actions(h), 1);
	render_history_seek(h, t);
	cr_assert(sim_node_up(render_history_sim(h), 2));
	cr_assert(!sim_node_up(render_history_sim(h), 3));
	free(a);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, saved_session_replays_the_same_state)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 250 * MS, true);
	char err[SCN_ERR_MAX];
	cr_assert_eq(render_history_exec(h, "crash n1", err, sizeof err), 0, "%s", err);
	render_history_advance(h, 400 * MS, true);
	cr_assert_eq(render_history_exec(h, "client put x=1", err, sizeof err), 0, "%s", err);
	render_history_step(h);
	render_history_step(h);
	char path[] = "/tmp/raftsim-test-scn-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(render_history_save(h, path, err, sizeof err), 0, "%s", err);
	FILE *f = fopen(path, "r");
	char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	cr_assert(strstr(text, "crash n1"), "saved session lacks the crash:\n%s", text);
	struct scn_script *s = scn_load(path, err, sizeof err);
	cr_assert(s, "%s", err);
	struct render_history *r = history(s);
	render_history_advance(r, render_history_now_us(h), true);
	const struct sim *a = render_history_sim(h), *b = render_history_sim(r);
	cr_assert_eq(sim_now_us(a), sim_now_us(b));
	for (unsigned i = 1; i <= sim_n_nodes(a); i++) {
		const struct raft_node *x = sim_node(a, (uint8_t)i), *y = sim_node(b, (uint8_t)i);
		cr_assert_eq(sim_node_up(a, (uint8_t)i), sim_node_up(b, (uint8_t)i));
		cr_assert_eq(raft_term(x), raft_term(y));
		cr_assert_eq(raft_last_index(x), raft_last_index(y));
		cr_assert_eq(raft_commit_index(x), raft_commit_index(y));
	}
	remove(path);
	render_history_free(r);
	render_history_free(h);
}

Test(render, screenshot_is_a_valid_png)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 200 * MS, true);
	struct render_offscreen *o = canvas();
	draw(o, h, 1);
	char path[] = "/tmp/raftsim-test-png-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	char err[512];
	cr_assert_eq(render_offscreen_save_png(o, path, err, sizeof err), 0, "%s", err);
	FILE *f = fopen(path, "rb");
	unsigned char sig[8];
	cr_assert_eq(fread(sig, 1, 8, f), 8);
	fclose(f);
	cr_assert(!memcmp(sig, "\x89PNG\r\n\x1a\n", 8), "not a PNG signature");
	SDL_Surface *back = IMG_Load(path);
	cr_assert(back, "IMG_Load: %s", IMG_GetError());
	cr_assert_eq(back->w, W);
	cr_assert_eq(back->h, H);
	SDL_FreeSurface(back);
	/* no temporary file left behind */
	char tmp[300];
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	cr_assert(access(tmp, F_OK) != 0);
	remove(path);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, layout_fits_every_cluster_size)
{
	static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {1024, 768}, {800, 600}};
	for (size_t k = 0; k < 4; k++)
		for (unsigned n = 1; n <= RENDER_NODES_MAX; n++) {
			struct render_layout l;
			render_layout_compute(&l, sizes[k][0], sizes[k][1], n);
			for (unsigned i = 1; i <= n; i++) {
				float x, y, r;
				cr_assert(render_layout_node(&l, i, &x, &y, &r));
				cr_assert(x - r >= (float)l.cluster.x && x + r <= (float)(l.cluster.x + l.cluster.w),
				          "n%u of %u outside at %dx%d", i, n, sizes[k][0], sizes[k][1]);
				cr_assert(y - r >= (float)l.cluster.y && y + r <= (float)(l.cluster.y + l.cluster.h));
				for (unsigned j = i + 1; j <= n; j++) {
					float x2, y2, r2;
					render_layout_node(&l, j, &x2, &y2, &r2);
					cr_assert(hypotf(x2 - x, y2 - y) > r + r2, "n%u and n%u overlap", i, j);
				}
			}
			cr_assert(l.log.y + l.log.h <= l.timeline.y);
			cr_assert(l.caption.h > 0 && l.timeline.h > 0);
			cr_assert(l.log_cells >= 4, "only %u log cells at %dx%d", l.log_cells, sizes[k][0],
			          sizes[k][1]);
		}
}

Test(render, timeline_seek_position)
{
	struct render_layout l;
	render_layout_compute(&l, W, H, 5);
	int64_t end = 4000 * MS;
	float x = render_layout_time_x(&l, 1000 * MS, end);
	int64_t t = render_layout_time_at(&l, x, end);
	cr_assert(llabs(t - 1000 * MS) < 10 * MS, "%lld", (long long)t);
	cr_assert_eq(render_layout_time_at(&l, (float)l.bar.x - 50, end), 0);
	cr_assert_eq(render_layout_time_at(&l, (float)(l.bar.x + l.bar.w + 50), end), end);
}

/* ---- The history against the runner's own record -------------------------- */
static unsigned walk_rand(uint64_t *state, unsigned n)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((*state >> 33) % n);
}

static void assert_same_state(const struct sim *a, const struct sim *b, int op, const char *what)
{
	cr_assert_eq(sim_now_us(a), sim_now_us(b), "op %d (%s): time differs", op, what);
	cr_assert_eq(sim_counters(a)->events, sim_counters(b)->events, "op %d (%s): events differ",
	             op, what);
	cr_assert_eq(sim_msgs_in_flight(a), sim_msgs_in_flight(b), "op %d (%s)", op, what);
	for (unsigned i = 1; i <= sim_n_nodes(a); i++) {
		const struct raft_node *x = sim_node(a, (uint8_t)i), *y = sim_node(b, (uint8_t)i);
		cr_assert_eq(sim_node_up(a, (uint8_t)i), sim_node_up(b, (uint8_t)i), "op %d (%s) n%u",
		             op, what, i);
		cr_assert_eq(raft_term(x), raft_term(y), "op %d (%s) n%u term", op, what, i);
		cr_assert_eq(raft_role(x), raft_role(y), "op %d (%s) n%u role", op, what, i);
		cr_assert_eq(raft_last_index(x), raft_last_index(y), "op %d (%s) n%u log", op, what, i);
		cr_assert_eq(raft_commit_index(x), raft_commit_index(y), "op %d (%s) n%u commit", op,
		             what, i);
	}
}

/* Random plays, steps, steps back, seeks and commands, with checkpoints
 * every few events: after each one the state must be what the saved
 * session (the runner's record of it) replays to from scratch. */
static void random_walk(const char *scenario, uint64_t seed)
{
	static const char *const cmds[] = {
	    "crash n1",    "crash n2",     "restart n1",     "restart n2",
	    "timeout n3",  "isolate n4",   "heal",           "cut n1<->n2",
	    "mend n1<->n2", "cut n3->n5",  "client put x=1", "client put y=2 to n2",
	};
	uint64_t rs = seed;
	struct render_history_config cfg = {
	    .checkpoint_events = 25, .checkpoint_us = 20000, .checkpoints_max = 40};
	char err[SCN_ERR_MAX];
	struct scn_script *script = script_file(scenario);
	struct render_history *h = render_history_new(script, NULL, &cfg, err, sizeof err);
	scn_script_free(script);
	cr_assert(h, "%s", err);
	for (int op = 0; op < 80; op++) {
		const char *what = "";
		int64_t now = render_history_now_us(h);
		switch (walk_rand(&rs, 10)) {
		case 0:
		case 1:
			render_history_advance(h, now + walk_rand(&rs, 300000), walk_rand(&rs, 2));
			what = "advance";
			break;
		case 2:
		case 3:
			render_history_step(h);
			what = "step";
			break;
		case 4:
		case 5:
			render_history_step_back(h);
			what = "step back";
			break;
		case 6:
			render_history_seek(h, walk_rand(&rs, (unsigned)render_history_end_us(h) + 1));
			what = "seek";
			break;
		default:
			what = cmds[walk_rand(&rs, sizeof cmds / sizeof cmds[0])];
			render_history_exec(h, what, err, sizeof err);
		}
		char *text = scn_runner_save_text(render_history_runner(h));
		cr_assert(text);
		struct scn_script *s = scn_parse("saved.scn", text, strlen(text), err, sizeof err);
		cr_assert(s, "op %d (%s): the saved session does not parse: %s\n%s", op, what, err, text);
		struct scn_runner *r = scn_runner_new(s, NULL);
		scn_script_free(s);
		scn_runner_run_all(r);
		assert_same_state(render_history_sim(h), scn_runner_sim(r), op, what);
		scn_runner_free(r);
		free(text);
	}
	cr_assert(render_history_n_checkpoints(h) > 1 || render_history_now_us(h) < 100000);
	render_history_free(h);
}

Test(render, history_random_walk_matches_saved_session)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		random_walk("tutorial.scn", seed);
		random_walk("lossy_network.scn", seed);
	}
}

/* ---- The vocabulary: shapes first, colour second ---------------------------- */
#define SPEC 200 /* the specimen canvas, pixels a side */
#define GRID 32  /* masks are compared on this grid, scaled to the shape's size */

struct specimen {
	SDL_Surface *surf;
	SDL_Renderer *r;
	struct render_gfx *g;
};

static void specimen_open(struct specimen *s)
{
	char err[512];
	s->surf = SDL_CreateRGBSurfaceWithFormat(0, SPEC, SPEC, 32, SDL_PIXELFORMAT_ARGB8888);
	cr_assert(s->surf, "%s", SDL_GetError());
	s->r = SDL_CreateSoftwareRenderer(s->surf);
	cr_assert(s->r, "%s", SDL_GetError());
	s->g = render_gfx_new(s->r, err, sizeof err);
	cr_assert(s->g, "%s", err);
}

static void specimen_close(struct specimen *s)
{
	render_gfx_free(s->g);
	SDL_DestroyRenderer(s->r);
	SDL_FreeSurface(s->surf);
}

static uint32_t spec_pixel(const struct specimen *s, int x, int y)
{
	return ((const uint32_t *)((const uint8_t *)s->surf->pixels + (size_t)y * (size_t)s->surf->pitch))[x] &
	       0xFFFFFFu;
}

/* Two binary masks of what was drawn, each resampled onto GRID x GRID
 * around the shape's bounding box (kept square, so a small circle and a big
 * circle are the same shape): the silhouette (anything that is not the
 * page; white insides count as page) and the ink (dark strokes). */
struct masks {
	bool sil[GRID][GRID], ink[GRID][GRID];
	int n_sil;
};

static void take_masks(const struct specimen *s, struct masks *m)
{
	static bool sil[SPEC][SPEC], ink[SPEC][SPEC];
	int x0 = SPEC, y0 = SPEC, x1 = -1, y1 = -1;
	for (int y = 0; y < SPEC; y++)
		for (int x = 0; x < SPEC; x++) {
			uint32_t p = spec_pixel(s, x, y);
			int r = (int)(p >> 16 & 255), g = (int)(p >> 8 & 255), b = (int)(p & 255);
			sil[y][x] = abs(r - 250) > 40 || abs(g - 250) > 40 || abs(b - 247) > 40;
			ink[y][x] = 0.299 * r + 0.587 * g + 0.114 * b < 100;
			if (sil[y][x]) {
				x0 = x < x0 ? x : x0;
				y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
		}
	cr_assert(x1 >= 0, "nothing drawn");
	cr_assert(x0 > 0 && y0 > 0 && x1 < SPEC - 1 && y1 < SPEC - 1, "the specimen does not fit");
	float side = (float)((x1 - x0 > y1 - y0 ? x1 - x0 : y1 - y0) + 1), k = side / GRID;
	float ox = (float)x0 - (side - (float)(x1 - x0 + 1)) / 2;
	float oy = (float)y0 - (side - (float)(y1 - y0 + 1)) / 2;
	m->n_sil = 0;
	for (int gy = 0; gy < GRID; gy++)
		for (int gx = 0; gx < GRID; gx++) {
			int x = (int)floorf(ox + ((float)gx + 0.5f) * k);
			int y = (int)floorf(oy + ((float)gy + 0.5f) * k);
			bool in = x >= 0 && y >= 0 && x < SPEC && y < SPEC;
			m->sil[gy][gx] = in && sil[y][x];
			m->ink[gy][gx] = in && ink[y][x];
			m->n_sil += m->sil[gy][gx];
		}
}

/* Intersection over union of two masks (1: the same shape). */
static double iou(bool a[GRID][GRID], bool b[GRID][GRID])
{
	int both = 0, any = 0;
	for (int y = 0; y < GRID; y++)
		for (int x = 0; x < GRID; x++) {
			both += a[y][x] && b[y][x];
			any += a[y][x] || b[y][x];
		}
	return any ? (double)both / any : 1.0;
}

/* Every pair must differ in its silhouette or in its ink by more than a
 * quarter: IoU at most 0.75 in at least one of the two masks. */
#define SHAPE_IOU_MAX 0.75

static void assert_pairs_differ(struct masks *m, size_t n, const char *(*name)(int), float u)
{
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++) {
			double s = iou(m[a].sil, m[b].sil), k = iou(m[a].ink, m[b].ink);
			cr_expect(s <= SHAPE_IOU_MAX || k <= SHAPE_IOU_MAX,
			          "at scale %.1f, \"%s\" and \"%s\" have the same shape in grey: "
			          "silhouette IoU %.2f, ink IoU %.2f (need one <= %.2f)",
			          (double)u, name((int)a), name((int)b), s, k, SHAPE_IOU_MAX);
		}
}

static const char *msg_name(int k)
{
	return render_msg_kind_label((enum render_msg_kind)k);
}

static const char *role_name(int r)
{
	return render_role_look_label((enum render_role_look)r);
}

/* Each message kind alone, every colour painted the same grey: every pair
 * still differs in shape, at the default size and at 1920x1080. */
Test(render, every_message_kind_has_its_own_shape)
{
	struct specimen s;
	specimen_open(&s);
	static const float scales[] = {1.0f, 1.5f};
	for (size_t i = 0; i < 2; i++) {
		struct masks m[RENDER_MSG_KINDS];
		for (int k = 0; k < RENDER_MSG_KINDS; k++) {
			cr_assert(render_msg_kind_label((enum render_msg_kind)k), "kind %d has no label", k);
			render_draw_msg_specimen(s.g, (enum render_msg_kind)k, SPEC, SPEC, scales[i], true);
			take_masks(&s, &m[k]);
			cr_expect(m[k].n_sil > GRID * GRID / 8, "%s is drawn too thin", msg_name(k));
		}
		assert_pairs_differ(m, RENDER_MSG_KINDS, msg_name, scales[i]);
	}
	specimen_close(&s);
}

Test(render, every_role_has_its_own_shape)
{
	struct specimen s;
	specimen_open(&s);
	static const float scales[] = {1.0f, 1.5f};
	for (size_t i = 0; i < 2; i++) {
		struct masks m[RENDER_ROLE_LOOKS];
		for (int r = 0; r < RENDER_ROLE_LOOKS; r++) {
			cr_assert(render_role_look_label((enum render_role_look)r), "role %d has no label", r);
			render_draw_role_specimen(s.g, (enum render_role_look)r, SPEC, SPEC, scales[i], true);
			take_masks(&s, &m[r]);
		}
		assert_pairs_differ(m, RENDER_ROLE_LOOKS, role_name, scales[i]);
	}
	specimen_close(&s);
}

/* Every message type the core sends is drawn as some kind, and the kinds
 * that tell success from failure do. */
Test(render, message_types_map_onto_kinds)
{
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_VOTE, false, 0), RENDER_MSG_VOTE);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_VOTE_REPLY, true, 0), RENDER_MSG_VOTE_GRANTED);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_VOTE_REPLY, false, 0), RENDER_MSG_VOTE_DENIED);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_APPEND, true, 0), RENDER_MSG_HEARTBEAT);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_APPEND, true, 3), RENDER_MSG_ENTRIES);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_APPEND_REPLY, true, 0), RENDER_MSG_APPEND_OK);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_APPEND_REPLY, false, 0), RENDER_MSG_APPEND_REJECTED);
	cr_assert_eq(render_msg_kind_of(RAFT_MSG_SNAPSHOT, true, 0), RENDER_MSG_SNAPSHOT);
	cr_assert_eq(render_msg_kind_of(200, true, 0), RENDER_MSG_KINDS, "an unknown type is drawn");
}

/* ---- Colour: CIELAB, greyscale and colour-vision deficiency ----------------- */
struct lab {
	double l, a, b;
};

static double lin(int c)
{
	double v = c / 255.0;
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double lab_f(double t)
{
	return t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116;
}

/* sRGB 0xRRGGBB to CIELAB (D65), through a 3x3 matrix on linear RGB
 * first (NULL: none), clamped to the display's gamut. */
static struct lab to_lab(uint32_t rgb, const double (*sim)[3])
{
	double c[3] = {lin((int)(rgb >> 16 & 255)), lin((int)(rgb >> 8 & 255)), lin((int)(rgb & 255))};
	if (sim) {
		double o[3];
		for (int i = 0; i < 3; i++) {
			o[i] = sim[i][0] * c[0] + sim[i][1] * c[1] + sim[i][2] * c[2];
			o[i] = o[i] < 0 ? 0 : o[i] > 1 ? 1 : o[i];
		}
		memcpy(c, o, sizeof c);
	}
	double x = 0.4124 * c[0] + 0.3576 * c[1] + 0.1805 * c[2];
	double y = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
	double z = 0.0193 * c[0] + 0.1192 * c[1] + 0.9505 * c[2];
	double fx = lab_f(x / 0.95047), fy = lab_f(y), fz = lab_f(z / 1.08883);
	return (struct lab){116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

static double delta_e(struct lab p, struct lab q)
{
	return sqrt((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b));
}

/* Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB. */
static const double deuteranopia[3][3] = {{0.367322, 0.860646, -0.227968},
                                          {0.280085, 0.672501, 0.047413},
                                          {-0.011820, 0.042940, 0.968881}};
static const double protanopia[3][3] = {{0.152286, 1.052583, -0.204868},
                                        {0.114503, 0.786281, 0.099216},
                                        {-0.003882, -0.048116, 1.051998}};

/* Every pair of distinct colours keeps a lightness difference of min (what
 * survives greyscale) and a CIELAB distance of min after each simulation. */
static void assert_contrast(const uint32_t *c, size_t n, double min, const char *what)
{
	size_t pairs = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (c[i] == c[j])
				continue;
			pairs++;
			double grey = fabs(to_lab(c[i], NULL).l - to_lab(c[j], NULL).l);
			double deu = delta_e(to_lab(c[i], deuteranopia), to_lab(c[j], deuteranopia));
			double pro = delta_e(to_lab(c[i], protanopia), to_lab(c[j], protanopia));
			cr_expect(grey >= min, "%s %06x and %06x: lightness differs by %.1f in greyscale (min %.0f)",
			          what, c[i], c[j], grey, min);
			cr_expect(deu >= min, "%s %06x and %06x: dE %.1f with deuteranopia (min %.0f)", what,
			          c[i], c[j], deu, min);
			cr_expect(pro >= min, "%s %06x and %06x: dE %.1f with protanopia (min %.0f)", what,
			          c[i], c[j], pro, min);
		}
	cr_assert(pairs > 0, "no two %s differ", what);
}

Test(render, term_colours_keep_contrast_in_grey_and_for_colour_blindness)
{
	uint32_t c[RENDER_TERM_COLOURS];
	for (uint64_t t = 1; t <= RENDER_TERM_COLOURS; t++)
		c[t - 1] = render_term_rgb(t);
	for (size_t i = 0; i < RENDER_TERM_COLOURS; i++)
		for (size_t j = i + 1; j < RENDER_TERM_COLOURS; j++)
			cr_assert_neq(c[i], c[j], "terms %zu and %zu share a colour", i + 1, j + 1);
	cr_assert_eq(render_term_rgb(RENDER_TERM_COLOURS + 1), render_term_rgb(1), "terms cycle");
	/* terms sit in big cells with their number written: one ramp step */
	assert_contrast(c, RENDER_TERM_COLOURS, 9, "term colours");
}

Test(render, message_colours_keep_contrast_in_grey_and_for_colour_blindness)
{
	uint32_t c[RENDER_MSG_KINDS];
	for (int k = 0; k < RENDER_MSG_KINDS; k++)
		c[k] = render_msg_kind_rgb((enum render_msg_kind)k);
	/* messages are small and moving: more than a term step */
	assert_contrast(c, RENDER_MSG_KINDS, 15, "message colours");
}

/* Terms share no hue with roles or messages: no student reads "this
 * entry is orange, so a candidate wrote it". */
Test(render, term_colours_share_no_hue_with_roles_or_messages)
{
	uint32_t others[RENDER_MSG_KINDS + RENDER_ROLE_LOOKS];
	size_t n = 0;
	for (int k = 0; k < RENDER_MSG_KINDS; k++)
		others[n++] = render_msg_kind_rgb((enum render_msg_kind)k);
	for (int r = 0; r < RENDER_ROLE_LOOKS; r++)
		others[n++] = render_role_rgb((enum render_role_look)r);
	for (uint64_t t = 1; t <= RENDER_TERM_COLOURS; t++) {
		struct lab a = to_lab(render_term_rgb(t), NULL);
		for (size_t i = 0; i < n; i++) {
			struct lab b = to_lab(others[i], NULL);
			if (hypot(b.a, b.b) < 10)
				continue; /* a grey has no hue */
			double h = fabs(atan2(a.b, a.a) - atan2(b.b, b.a)) * 180 / 3.14159265358979;
			h = h > 180 ? 360 - h : h;
			cr_expect(h >= 40, "term %llu %06x and %06x: hues %.0f degrees apart",
			          (unsigned long long)t, render_term_rgb(t), others[i], h);
		}
	}
}

/* ---- Long moves in slices (the window seeks between frames) ---------------- */
static const char busy_text[] =
    "title \"busy\"\n"
    "cluster nodes=5 seed=11\n"
    "set heartbeat=20ms latency=2..9ms drop=2%\n"
    "run until leader within 10s\n"
    "client putmany 60 a\n"
    "run 700ms\n"
    "crash n1\n"
    "client putmany 60 b\n"
    "run 700ms\n"
    "restart n1\n"
    "partition {n1 n2} {n3 n4 n5}\n"
    "client putmany 60 c\n"
    "run 700ms\n"
    "heal\n"
    "client putmany 60 d\n"
    "run 2s\n";

/* Drives the move in progress in slices of `budget` events; every slice
 * but the last stays within the budget.  Returns the move's result, the
 * number of slices and the events they processed. */
static int work_sliced_n(struct render_history *h, uint64_t budget, int *slices,
                         uint64_t *processed)
{
	int result = -7, n = 0;
	uint64_t total = 0;
	for (;;) {
		uint64_t e0 = render_history_events(h);
		struct render_move m;
		render_history_move(h, &m);
		cr_assert_leq(m.permille, 1000);
		n++;
		cr_assert_lt(n, 10000000, "the move never ends");
		int more = render_history_work(h, budget, &result);
		uint64_t de = render_history_events(h) - e0;
		total += de;
		if (more == 0)
			break;
		cr_assert(render_history_moving(h));
		cr_assert_leq(de, budget, "slice %d processed %llu events, budget %llu", n,
		              (unsigned long long)de, (unsigned long long)budget);
	}
	cr_assert(!render_history_moving(h));
	if (slices)
		*slices = n;
	if (processed)
		*processed = total;
	return result;
}

static int work_sliced(struct render_history *h, uint64_t budget, int *slices)
{
	return work_sliced_n(h, budget, slices, NULL);
}

/* a and b show the same thing: state, caption, markers, status, pixels. */
static void assert_same_view(struct render_history *a, struct render_history *b,
                             struct render_offscreen *o, const char *what)
{
	assert_same_state(render_history_sim(a), render_history_sim(b), 0, what);
	cr_assert_str_eq(render_history_caption(a), render_history_caption(b), "%s", what);
	cr_assert_eq(render_history_caption_us(a), render_history_caption_us(b), "%s", what);
	const struct render_marker *ma, *mb;
	size_t na = render_history_markers(a, &ma), nb = render_history_markers(b, &mb);
	cr_assert_eq(na, nb, "%s: %zu markers against %zu", what, na, nb);
	for (size_t i = 0; i < na; i++)
		cr_assert(ma[i].time_us == mb[i].time_us && ma[i].kind == mb[i].kind &&
		              ma[i].seq == mb[i].seq,
		          "%s: marker %zu differs", what, i);
	cr_assert_eq(render_history_actions_applied(a), render_history_actions_applied(b), "%s",
	             what);
	cr_assert_eq(render_history_at_pause(a), render_history_at_pause(b), "%s", what);
	cr_assert_str_eq(render_history_error(a), render_history_error(b), "%s", what);
	draw(o, a, 2);
	uint32_t *pa = snapshot(o);
	draw(o, b, 2);
	cr_assert(same_pixels(o, pa), "%s: the frames differ", what);
	free(pa);
}

Test(render, sliced_moves_reach_the_same_state_as_one_shot)
{
	struct render_history *a = history(script_text(busy_text));
	struct render_history *b = history(script_text(busy_text));
	struct render_offscreen *o = canvas();
	char err[SCN_ERR_MAX];
	/* the same session in both: play, two recorded actions, play on */
	for (int k = 0; k < 2; k++) {
		struct render_history *h = k ? b : a;
		render_history_advance(h, 900 * MS, true);
		cr_assert_eq(render_history_exec(h, "crash n4", err, sizeof err), 0, "%s", err);
		render_history_advance(h, 1700 * MS, true);
		cr_assert_eq(render_history_exec(h, "restart n4", err, sizeof err), 0, "%s", err);
		render_history_advance(h, 2500 * MS, true);
	}
	assert_same_view(a, b, o, "before");
	static const struct {
		int kind;
		int64_t t_us;
		uint64_t budget;
		bool far; /* so far that it takes several slices */
	} moves[] = {
	    {RENDER_MOVE_SEEK, 300 * MS, 7, true},   /* back over both actions */
	    {RENDER_MOVE_SEEK, 2100 * MS, 13, false}, /* forward, replaying them */
	    {RENDER_MOVE_STEP_BACK, 0, 1, false},
	    {RENDER_MOVE_SEEK, 4600 * MS, 50, true}, /* past the explored end and the script */
	    {RENDER_MOVE_SEEK, 1200 * MS, 1, true},
	    {RENDER_MOVE_STEP_BACK, 0, 3, false},
	    {RENDER_MOVE_NEXT_LEADER, 0, 5, false},
	    {RENDER_MOVE_SEEK, 6 * 1000 * MS, 400, true},
	};
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		int ra = -9, rb = -9, slices = 0;
		uint64_t e_before = render_history_events(b), processed = 0;
		switch (moves[i].kind) {
		case RENDER_MOVE_SEEK:
			ra = render_history_seek(a, moves[i].t_us);
			cr_assert_eq(render_history_seek_begin(b, moves[i].t_us), 0);
			break;
		case RENDER_MOVE_STEP_BACK:
			ra = render_history_step_back(a);
			cr_assert_eq(render_history_step_back_begin(b), 0);
			break;
		case RENDER_MOVE_NEXT_LEADER:
			ra = render_history_next_leader(a, 20 * 1000 * MS);
			cr_assert_eq(render_history_next_leader_begin(b, 20 * 1000 * MS), 0);
			break;
		}
		cr_assert(render_history_moving(b));
		rb = work_sliced_n(b, moves[i].budget, &slices, &processed);
		char what[64];
		snprintf(what, sizeof what, "move %zu", i);
		/* the end of the script is reported once along the replay, so a
		 * seek from another checkpoint may or may not pass it */
		bool running_or_done = (ra == SCN_RUNNING || ra == SCN_DONE) &&
		                       (rb == SCN_RUNNING || rb == SCN_DONE);
		cr_assert(ra == rb || (moves[i].kind == RENDER_MOVE_SEEK && running_or_done),
		          "%s: result %d one-shot, %d sliced", what, ra, rb);
		assert_same_view(a, b, o, what);
		if (moves[i].kind == RENDER_MOVE_SEEK)
			cr_assert_eq(render_history_now_us(b), moves[i].t_us, "%s", what);
		if (moves[i].far)
			cr_assert_gt(slices, 2, "%s was done in %d slices", what, slices);
		if (i == 1) /* explored before: from a checkpoint past the start */
			cr_assert_lt(processed, render_history_events(b) - e_before,
			             "%s replayed %llu events from where it stood", what,
			             (unsigned long long)processed);
	}
	render_offscreen_free(o);
	render_history_free(a);
	render_history_free(b);
}

/* A new target while a seek is on its way, and a cancelled seek: the view
 * lands where a one-shot seek lands, or stays at a state the session
 * really passed through (the saved session replays to it). */
Test(render, sliced_seek_retargets_and_cancels)
{
	struct render_history *a = history(script_text(busy_text));
	struct render_history *b = history(script_text(busy_text));
	struct render_offscreen *o = canvas();
	render_history_advance(a, 3000 * MS, true);
	render_history_advance(b, 3000 * MS, true);
	render_history_seek(a, 1500 * MS);
	cr_assert_eq(render_history_seek_begin(b, 1000 * MS), 0);
	for (int k = 0; k < 5; k++)
		cr_assert_eq(render_history_work(b, 9, NULL), 1);
	struct render_move m;
	render_history_move(b, &m);
	cr_assert_eq(m.kind, RENDER_MOVE_SEEK);
	cr_assert_eq(m.target_us, 1000 * MS);
	cr_assert_eq(render_history_seek_begin(b, 1500 * MS), 0); /* a new click */
	work_sliced(b, 9, NULL);
	assert_same_view(a, b, o, "retargeted");

	/* cancelled part way to 4.5 s */
	cr_assert_eq(render_history_seek_begin(b, 4500 * MS), 0);
	for (int k = 0; k < 57; k++)
		cr_assert_eq(render_history_work(b, 11, NULL), 1);
	render_history_move(b, &m);
	cr_assert(m.permille > 0 && m.permille < 1000, "%u", m.permille);
	render_history_cancel(b);
	cr_assert(!render_history_moving(b));
	int64_t t = render_history_now_us(b);
	cr_assert(t > 1500 * MS && t < 4500 * MS, "%lld", (long long)t);
	char err[SCN_ERR_MAX];
	char *text = scn_runner_save_text(render_history_runner(b));
	cr_assert(text);
	struct scn_script *s = scn_parse("saved.scn", text, strlen(text), err, sizeof err);
	cr_assert(s, "%s", err);
	struct scn_runner *r = scn_runner_new(s, NULL);
	scn_script_free(s);
	scn_runner_run_all(r);
	assert_same_state(render_history_sim(b), scn_runner_sim(r), 0, "cancelled");
	scn_runner_free(r);
	free(text);
	/* and the session goes on from there */
	render_history_seek(a, 4500 * MS);
	cr_assert_eq(render_history_seek_begin(b, 4500 * MS), 0);
	work_sliced(b, 11, NULL);
	assert_same_view(a, b, o, "after the cancel");
	render_offscreen_free(o);
	render_history_free(a);
	render_history_free(b);
}

/* A slice that runs out of events part way through the instant the seek
 * aims at must leave the rest of that instant for the next slice. */
Test(render, sliced_seek_finishes_the_target_instant)
{
	struct render_history *a = history(script_text(busy_text));
	struct render_history *b = history(script_text(busy_text));
	struct render_offscreen *o = canvas();
	/* instants with several events: the client's burst, a leader's
	 * heartbeats to every follower */
	int64_t busy[8];
	int n_busy = 0;
	render_history_advance(a, 400 * MS, true);
	render_history_advance(b, 400 * MS, true);
	for (int k = 0; k < 4000 && n_busy < 8; k++) {
		int64_t t0 = render_history_now_us(a);
		render_history_step(a);
		render_history_step(b); /* the same session explored in both */
		if (render_history_now_us(a) == t0 && (n_busy == 0 || busy[n_busy - 1] != t0))
			busy[n_busy++] = t0;
	}
	cr_assert_geq(n_busy, 3, "no instant with several events");
	for (int i = 0; i < n_busy; i++) {
		render_history_seek(a, busy[i]);
		cr_assert_eq(render_history_seek_begin(b, busy[i]), 0);
		work_sliced(b, 1, NULL);
		char what[64];
		snprintf(what, sizeof what, "seek to the instant %lld us", (long long)busy[i]);
		assert_same_view(a, b, o, what);
	}
	render_offscreen_free(o);
	render_history_free(a);
	render_history_free(b);
}

/* The progress of a long move over the frame: the box over the cluster
 * (its bar filled as far as the move got) and the target on the timeline;
 * nothing when no move is in progress. */
Test(render, seek_progress_drawn_over_the_frame)
{
	struct render_history *h = history(script_text(busy_text));
	render_history_advance(h, 2000 * MS, true);
	char err[512];
	SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, W, H, 32, SDL_PIXELFORMAT_ARGB8888);
	cr_assert(surf);
	SDL_Renderer *ren = SDL_CreateSoftwareRenderer(surf);
	cr_assert(ren);
	struct render_gfx *g = render_gfx_new(ren, err, sizeof err);
	cr_assert(g, "%s", err);
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	struct render_layout l;
	layout(&l, h);
	size_t bytes = (size_t)surf->pitch * (size_t)surf->h;
	uint32_t *plain = malloc(bytes);
	cr_assert(plain);
	render_draw(g, &f, W, H);
	SDL_RenderPresent(ren);
	memcpy(plain, surf->pixels, bytes);
	/* no move: nothing more */
	struct render_move none = {.kind = RENDER_MOVE_NONE};
	render_draw(g, &f, W, H);
	render_draw_progress(g, &l, &none, f.timeline_end_us);
	SDL_RenderPresent(ren);
	cr_assert(memcmp(plain, surf->pixels, bytes) == 0, "an idle view drew a progress box");
	const uint32_t *px = surf->pixels;
	int stride = surf->pitch / 4;
	int64_t target = f.timeline_end_us * 3 / 4;
	int tx = (int)lroundf(render_layout_time_x(&l, target, f.timeline_end_us));
	int ty = l.bar.y + l.bar.h / 2;
	int cx = (int)lroundf(l.ring_cx), cy = (int)lroundf(l.ring_cy);
	for (unsigned permille = 0; permille <= 1000; permille += 1000) {
		struct render_move m = {.kind = RENDER_MOVE_SEEK, .target_us = target,
		                        .permille = permille};
		render_draw(g, &f, W, H);
		render_draw_progress(g, &l, &m, f.timeline_end_us);
		SDL_RenderPresent(ren);
		cr_assert(near_rgb(px[ty * stride + tx] & 0xFFFFFF, VOTE_ORANGE, 40),
		          "no orange target mark at (%d, %d): %06x", tx, ty,
		          px[ty * stride + tx] & 0xFFFFFF);
		/* the bar crosses the middle of the box: the track's grey at 0%,
		 * sky blue at 100% */
		uint32_t want = permille ? FOLLOWER_SKY : 0x505A68u;
		bool seen = false;
		for (int y = cy - 40; y <= cy + 40 && !seen; y++)
			seen = near_rgb(px[y * stride + cx] & 0xFFFFFF, want, 12);
		cr_assert(seen, "at %u permille the bar at x=%d is not %06x", permille, cx, want);
	}
	free(plain);
	render_gfx_free(g);
	SDL_DestroyRenderer(ren);
	SDL_FreeSurface(surf);
	render_history_free(h);
}

/* ---- The moments that carry the lesson ------------------------------------------------------ */
static bool has_event_line(const struct render_history *h, const char *want, size_t *at)
{
	const struct render_event_line *ev;
	size_t n = render_history_event_lines(h, &ev);
	for (size_t i = 0; i < n; i++)
		if (strstr(ev[i].text, want)) {
			if (at)
				*at = i;
			return true;
		}
	return false;
}

Test(render, step_down_reaches_the_event_line)
{
	/* partition_two_leaders heals at 345 ms and LeaderA (n1) steps down at
	 * 383.8 ms: within 50 ms of the heal, which a hold rule used to let
	 * swallow the step-down */
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 384 * MS, true);
	size_t at = 9;
	cr_assert(has_event_line(h, "n1 saw a higher term (2) and steps down", &at),
	          "the step-down is not on the event line (top: %s)", render_history_caption(h));
	cr_assert_eq(at, 0, "the step-down is not the newest line");
	/* the heal is still there, below it */
	const struct render_event_line *ev;
	size_t n = render_history_event_lines(h, &ev);
	cr_assert(has_event_line(h, "healed", &at) && at == 1, "the heal is not the second line: %zu %s / %s", n, ev[1].text, n > 2 ? ev[2].text : "");
	render_history_free(h);
}

Test(render, rollback_recorded_with_its_sentence)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 405 * MS, true);
	cr_assert(has_event_line(h, "n1 dropped a=stale at index 2 (never committed; replaced by "
	                            "term 2's entry)", NULL),
	          "no rollback line (top: %s)", render_history_caption(h));
	const struct render_rollback *rb;
	size_t n = render_history_rollbacks(h, &rb);
	bool n1 = false, n2 = false;
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(rb[i].cmd, "a=stale");
		cr_assert_eq(rb[i].index, 2);
		cr_assert_eq(rb[i].term, 1);
		cr_assert_eq(rb[i].new_term, 2);
		cr_assert(!rb[i].committed);
		n1 = n1 || rb[i].node == 1;
		n2 = n2 || rb[i].node == 2;
	}
	cr_assert(n == 2 && n1 && n2, "%zu rollbacks, n1 %d, n2 %d", n, n1, n2);
	render_history_free(h);
}

Test(render, tutorial_heal_shows_three_events_newest_first)
{
	/* part 7: one AppendEntries makes LeaderA (n4) step down, drop a=stale
	 * and commit b=new, all in one instant: the three key lines */
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 1378400, true);
	const struct render_event_line *ev;
	size_t n = render_history_event_lines(h, &ev);
	cr_assert_eq(n, 3);
	cr_assert(strstr(ev[0].text, "n4 now knows entry 2 (b=new) is committed"), "%s", ev[0].text);
	cr_assert_str_eq(ev[1].text, "n4 dropped a=stale at index 2 (never committed; replaced by "
	                             "term 4's entry)");
	cr_assert(strstr(ev[2].text, "n4 saw a higher term (4) and steps down"), "%s", ev[2].text);
	for (size_t i = 0; i < n; i++)
		cr_assert(ev[i].key, "line %zu is not a key event", i);
	render_history_free(h);
}

Test(render, commits_of_one_index_share_a_line)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 346 * MS, true);
	/* n4 (LeaderB) committed b=new at 331 ms, n3 and n5 at 345 ms */
	cr_assert(has_event_line(h, "n3, n4 and n5 now know entry 2 (b=new) is committed", NULL),
	          "top: %s", render_history_caption(h));
	render_history_free(h);
}

/* The ghost's rim: a point on the top edge of cell (node, index), inside
 * the first dash. */
static uint32_t ghost_rim(const struct render_offscreen *o, const struct render_layout *l,
                          const struct sim *s, unsigned node, uint64_t index)
{
	struct render_rect r;
	cr_assert(render_layout_log_cell(l, s, node, index, &r), "cell n%u/%llu out of view", node,
	          (unsigned long long)index);
	return render_offscreen_pixel(o, r.x + (int)lroundf(3 * l->u), r.y + 1);
}

#define GHOST_RED 0xD55E00u

Test(render, rolled_back_entry_drawn_as_a_ghost_for_a_while)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	struct render_offscreen *o = canvas();
	struct render_layout l;
	/* n1 dropped a=stale at 404.043 ms */
	render_history_advance(h, 405 * MS, true);
	layout(&l, h);
	draw(o, h, 0);
	uint32_t p = ghost_rim(o, &l, render_history_sim(h), 1, 2);
	cr_assert(near_rgb(p, GHOST_RED, 12), "no ghost at n1/2 a moment after: %06x", p);
	/* n3 never had a=stale: no ghost in its cell */
	p = ghost_rim(o, &l, render_history_sim(h), 3, 2);
	cr_assert(!near_rgb(p, GHOST_RED, 40), "a ghost at n3/2: %06x", p);
	/* still there near the end of its time, gone after it */
	render_history_advance(h, 404043 + RENDER_GHOST_US * 4 / 10, true);
	draw(o, h, 0);
	p = ghost_rim(o, &l, render_history_sim(h), 1, 2);
	cr_assert(near_rgb(p, GHOST_RED, 12), "the ghost left early: %06x", p);
	render_history_advance(h, 404043 + RENDER_GHOST_US + 1000, true);
	draw(o, h, 0);
	p = ghost_rim(o, &l, render_history_sim(h), 1, 2);
	cr_assert(!near_rgb(p, GHOST_RED, 60), "the ghost stayed: %06x", p);
	/* and back: a step back over the rollback shows it again, the same */
	render_history_seek(h, 405 * MS);
	draw(o, h, 0);
	p = ghost_rim(o, &l, render_history_sim(h), 1, 2);
	cr_assert(near_rgb(p, GHOST_RED, 12), "no ghost after seeking back: %06x", p);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, header_says_who_believes_it_leads)
{
	char buf[256];
	/* LeaderA (n1) cut off with a minority, LeaderB stable on the other side */
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 300 * MS, true);
	render_leader_summary(render_history_sim(h), buf, sizeof buf);
	cr_assert_str_eq(buf, "leader n4 (term 2); 1 more still believes it leads (n1 term 1)");
	render_history_free(h);
	/* then no majority anywhere: two stars, no stable leader */
	h = history(script_text("cluster nodes=5 seed=4\n"
	                        "timeout n1\n"
	                        "run until leader == n1 within 1s\n"
	                        "partition {n1 n2} {n3 n4 n5}\n"
	                        "run until leaders == 2 within 3s\n"
	                        "partition {n1 n2} {n3} {n4} {n5}\n"
	                        "run 1ms\n"));
	render_history_advance(h, 3000 * MS, true);
	const struct sim *s = render_history_sim(h);
	cr_assert_eq(sim_stable_leader(s), 0);
	unsigned b = 0;
	for (unsigned i = 2; i <= 5; i++)
		if (raft_role(sim_node(s, (uint8_t)i)) == RAFT_LEADER)
			b = i;
	cr_assert(b, "no second leader");
	char want[128];
	snprintf(want, sizeof want, "2 nodes believe they lead (n1 term 1, n%u term %llu)", b,
	         (unsigned long long)raft_term(sim_node(s, (uint8_t)b)));
	render_leader_summary(s, buf, sizeof buf);
	cr_assert_str_eq(buf, want);
	render_history_free(h);
	/* one lonely leader */
	h = history(script_text("cluster nodes=5 seed=4\n"
	                        "timeout n1\n"
	                        "run until leader == n1 within 1s\n"
	                        "partition {n1} {n2} {n3} {n4} {n5}\n"
	                        "run 1ms\n"));
	render_history_advance(h, 3000 * MS, true);
	render_leader_summary(render_history_sim(h), buf, sizeof buf);
	cr_assert_str_eq(buf, "no stable leader; 1 node believes it leads (n1 term 1)");
	render_history_free(h);
}

Test(render, crashed_node_has_no_commit_index_bar)
{
	/* crash_restart_persistence: n3 is down from 135 ms for 300 ms; its
	 * commitIndex is volatile, so its row loses the commitIndex bar */
	struct render_history *h = history(script_file("crash_restart_persistence.scn"));
	struct render_offscreen *o = canvas();
	struct render_layout l;
	render_history_advance(h, 130 * MS, true);
	layout(&l, h);
	struct render_rect r;
	int gap = (int)lroundf(4 * l.u);
	draw(o, h, 0);
	cr_assert(render_layout_log_cell(&l, render_history_sim(h), 3, 2, &r));
	uint32_t p = render_offscreen_pixel(o, r.x + r.w + gap / 2, r.y + r.h / 2);
	cr_assert(near_rgb(p, 0x141418, 30), "no commitIndex bar while n3 is up: %06x", p);
	render_history_advance(h, 300 * MS, true);
	cr_assert(!sim_node_up(render_history_sim(h), 3));
	draw(o, h, 0);
	cr_assert(render_layout_log_cell(&l, render_history_sim(h), 3, 2, &r));
	p = render_offscreen_pixel(o, r.x + r.w + gap / 2, r.y + r.h / 2);
	cr_assert(!near_rgb(p, 0x141418, 60), "a commitIndex bar on crashed n3: %06x", p);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, log_panel_follows_the_follower_that_catches_up)
{
	struct render_history *h = history(script_file("follower_catch_up.scn"));
	struct render_layout l;
	struct render_rect r;
	/* 85 ms: the leader has 41 entries, the followers 1 (n5 crashed);
	 * 220 ms: n5 restarted and got its first batch, the others have 201 */
	static const int64_t at[] = {85 * MS, 220 * MS, 240 * MS};
	for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
		render_history_advance(h, at[k], true);
		layout(&l, h);
		const struct sim *s = render_history_sim(h);
		uint64_t n5 = raft_last_index(sim_node(s, 5)), n1 = raft_last_index(sim_node(s, 1));
		cr_assert(n1 > n5 + l.log_cells, "at %lld ms n5 is not behind (%llu of %llu)",
		          (long long)(at[k] / MS), (unsigned long long)n5, (unsigned long long)n1);
		cr_assert(render_layout_log_cell(&l, s, 5, n5, &r),
		          "at %lld ms n5's newest entry (%llu) is off screen (first shown %llu)",
		          (long long)(at[k] / MS), (unsigned long long)n5,
		          (unsigned long long)render_layout_log_first(&l, s));
		/* selecting the leader follows the leader's newest entry instead */
		l.log_follow = 1;
		cr_assert(render_layout_log_cell(&l, s, 1, n1, &r), "the selected leader is not followed");
		cr_assert(!render_layout_log_cell(&l, s, 5, n5, &r));
	}
	render_history_free(h);
}

Test(render, busy_lanes_drawn_as_bundles_with_a_count)
{
	/* 85 ms into follower_catch_up the leader has just sent 40 one-entry
	 * AppendEntries down each of its four lanes: 160 squares on its name */
	struct render_history *h = history(script_file("follower_catch_up.scn"));
	render_history_advance(h, 85 * MS, true);
	struct render_layout l;
	layout(&l, h);
	const struct sim *s = render_history_sim(h);
	struct render_bundle b[64];
	size_t n = render_layout_bundles(&l, s, 0, b, 64);
	cr_assert_eq(n, 4, "%zu bundles", n);
	unsigned total = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(b[i].from, 1);
		cr_assert_eq(b[i].kind, RENDER_MSG_ENTRIES);
		cr_assert_gt(b[i].count, RENDER_BUNDLE_MIN);
		total += b[i].count;
		/* at the oldest: the one furthest along the lane */
		float x, y;
		cr_assert(render_layout_msg_pos(&l, b[i].from, b[i].to, b[i].frac, &x, &y));
		cr_assert(fabsf(x - b[i].x) < 0.5f && fabsf(y - b[i].y) < 0.5f);
	}
	cr_assert_geq(total, 150, "only %u messages bundled", total);
	cr_assert_leq(total, sim_msgs_in_flight(s));
	/* a selected node's messages are never bundled away */
	n = render_layout_bundles(&l, s, 2, b, 64);
	cr_assert_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		cr_assert(b[i].from != 2 && b[i].to != 2);
	/* a quiet lane is not bundled: the tutorial's first election */
	render_history_free(h);
	h = history(script_file("tutorial.scn"));
	render_history_advance(h, 160 * MS, true);
	layout(&l, h);
	cr_assert_eq(render_layout_bundles(&l, render_history_sim(h), 0, b, 64), 0);
	render_history_free(h);
}

/* ---- Sizes for a projector --------------------------------------------------------------------- */
Test(render, text_sizes_at_1280x720_from_the_layout)
{
	struct render_layout l;
	render_layout_compute(&l, 1280, 720, 5);
	cr_assert_geq(l.say_px, 28, "narration %d px", l.say_px);
	cr_assert_geq(l.name_px, 24, "node names %d px", l.name_px);
	cr_assert_geq(l.details_px, 16, "details %d px", l.details_px);
	cr_assert_geq(l.legend_px, 16, "legend %d px", l.legend_px);
	cr_assert_geq(l.log_cmd_px, 14, "log commands %d px", l.log_cmd_px);
	/* the narration the lint measures is the size drawn */
	int p;
	float mw;
	render_layout_say(&l, &p, &mw);
	cr_assert_eq(p, l.say_px);
	/* everything scales with the window's height */
	struct render_layout big;
	render_layout_compute(&big, 1920, 1080, 5);
	cr_assert_geq(big.say_px, 42);
	cr_assert_geq(big.name_px, 36);
	cr_assert_geq(big.details_px, 24);
	cr_assert_geq(big.log_cmd_px, 21);
}

Test(render, log_cells_widen_rather_than_cut_a_short_command)
{
	char err[256];
	struct render_caption_meter *m = render_caption_meter_new(err, sizeof err);
	cr_assert(m, "%s", err);
	/* 8 and 11 characters: k200=200 was cut to "k200=2…" */
	static const char *const cmds[] = {"k200=200", "abcde=98765"};
	for (size_t k = 0; k < 2; k++) {
		char text[256];
		snprintf(text, sizeof text,
		         "cluster nodes=5 seed=1\nrun until leader within 1s\nclient put %s\n"
		         "run until committed %s on all within 1s\n",
		         cmds[k], cmds[k]);
		struct render_history *h = history(script_text(text));
		render_history_advance(h, 2000 * MS, true);
		struct render_layout l;
		layout(&l, h);
		const struct sim *s = render_history_sim(h);
		struct render_rect r;
		uint64_t last = raft_last_index(sim_node(s, 1));
		cr_assert(render_layout_log_cell(&l, s, 1, last, &r));
		int need = render_caption_text_w(m, l.log_cmd_px, true, cmds[k]);
		/* the cell draws its command within its width less 6 px of margin */
		cr_assert_geq((float)r.w - 6 * l.u, (float)need, "%s needs %d px at %d px, the cell has %d",
		              cmds[k], need, l.log_cmd_px, r.w);
		render_history_free(h);
	}
	render_caption_meter_free(m);
}

Test(render, event_line_and_ghosts_survive_step_back_and_seek)
{
	/* checkpoints every 40 events, so the seeks restore checkpoints on
	 * both sides of the rollbacks (n2 at 399.8 ms, n1 at 404.0 ms) */
	struct render_history_config cfg = {.checkpoint_events = 40};
	char err[512];
	struct scn_script *s = script_file("partition_two_leaders.scn");
	struct render_history *a = render_history_new(s, NULL, &cfg, err, sizeof err);
	struct render_history *b = render_history_new(s, NULL, NULL, err, sizeof err);
	cr_assert(a && b, "%s", err);
	scn_script_free(s);
	static const int64_t to[] = {404500, 399900, 500 * MS, 380 * MS, 404100, 450 * MS};
	for (size_t k = 0; k < sizeof to / sizeof to[0]; k++) {
		/* a jumps around; b goes once, straight there, from the start */
		render_history_advance(a, 900 * MS, true);
		render_history_seek(a, to[k]);
		render_history_restart(b);
		render_history_advance(b, to[k], true);
		cr_assert_eq(render_history_now_us(a), render_history_now_us(b));
		const struct render_event_line *ea, *eb;
		size_t na = render_history_event_lines(a, &ea), nb = render_history_event_lines(b, &eb);
		cr_assert_eq(na, nb, "at %lld us: %zu lines against %zu", (long long)to[k], na, nb);
		for (size_t i = 0; i < na; i++)
			cr_assert(!strcmp(ea[i].text, eb[i].text) && ea[i].time_us == eb[i].time_us,
			          "at %lld us line %zu: %s / %s", (long long)to[k], i, ea[i].text, eb[i].text);
		const struct render_rollback *ra, *rb;
		na = render_history_rollbacks(a, &ra);
		nb = render_history_rollbacks(b, &rb);
		cr_assert_eq(na, nb, "at %lld us: %zu rollbacks against %zu", (long long)to[k], na, nb);
		for (size_t i = 0; i < na; i++)
			cr_assert(ra[i].time_us == rb[i].time_us && ra[i].node == rb[i].node &&
			          ra[i].index == rb[i].index && !strcmp(ra[i].cmd, rb[i].cmd));
	}
	render_history_free(a);
	render_history_free(b);
}

/* ---- A lecturer's controls -------------------------------------------------- */
/* The same pixels above the timeline (whose markers show the explored
 * future too, so stepping ahead adds to them). */
static bool same_state_pixels(const struct render_offscreen *o, const struct render_history *h,
                              const uint32_t *snap)
{
	struct render_layout l;
	layout(&l, h);
	SDL_Surface *s = render_offscreen_surface(o);
	return memcmp(s->pixels, snap, (size_t)s->pitch * (size_t)l.timeline.y) == 0;
}

#define PAUSE_LIMIT_US (120LL * 1000000)

/* Every `pause` of the tutorial: one step forward and one back land on the
 * very frame the pause showed (caption, badge, event line), and PageUp
 * from the next pause lands there too. */
Test(render, step_back_at_every_pause_is_exact)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	struct render_offscreen *o = canvas();
	int pauses = 0, stepped = 0;
	int rc = render_history_advance(h, 0, false);
	uint32_t *prev = NULL;
	while (rc == SCN_PAUSED) {
		cr_assert(render_history_at_pause(h));
		pauses++;
		draw(o, h, 0);
		uint32_t *a = snapshot(o);
		uint64_t e = render_history_events(h);
		/* PageUp from here lands on the previous pause's frame, and
		 * PageDown comes back to this one */
		if (prev) {
			cr_assert_eq(render_history_prev_pause(h), SCN_PAUSED, "pause %d", pauses);
			cr_assert(render_history_at_pause(h));
			draw(o, h, 0);
			cr_assert(same_state_pixels(o, h, prev), "PageUp to pause %d: not its frame",
			          pauses - 1);
			cr_assert_eq(render_history_next_pause(h, PAUSE_LIMIT_US), SCN_PAUSED);
			cr_assert_eq(render_history_events(h), e);
			draw(o, h, 0);
			cr_assert(same_state_pixels(o, h, a), "PageDown back to pause %d: not its frame",
			          pauses);
		}
		render_history_step(h);
		if (render_history_events(h) == e) {
			/* another pause at the same instant: the step stopped there */
			cr_assert(render_history_at_pause(h), "pause %d: the step did not move", pauses);
			free(prev);
			prev = a;
			rc = SCN_PAUSED;
			continue;
		}
		stepped++;
		cr_assert(!render_history_at_pause(h));
		cr_assert_eq(render_history_events(h), e + 1, "pause %d: the step did not move",
		             pauses);
		render_history_step_back(h);
		cr_assert_eq(render_history_events(h), e);
		cr_assert(render_history_at_pause(h), "pause %d: stepped back past the pause", pauses);
		draw(o, h, 0);
		cr_assert(same_state_pixels(o, h, a), "pause %d: step + step back changed the frame",
		          pauses);
		free(prev);
		prev = a;
		rc = render_history_next_pause(h, PAUSE_LIMIT_US);
	}
	cr_assert_eq(rc, SCN_DONE, "the tutorial ended with status %d: %s", rc,
	             render_history_error(h));
	cr_assert_geq(pauses, 15);
	cr_assert_geq(stepped, 12, "only %d pauses were stepped from", stepped);
	free(prev);
	render_offscreen_free(o);
	render_history_free(h);
}

/* Counts the pauses to the end of the script; fails on a FAIL. */
static int pauses_to_end(struct render_history *h)
{
	int n = 0, rc;
	while ((rc = render_history_next_pause(h, PAUSE_LIMIT_US)) == SCN_PAUSED) {
		cr_assert_str_empty(render_history_error(h));
		n++;
	}
	cr_assert_eq(rc, SCN_DONE, "status %d: %s", rc, render_history_error(h));
	return n;
}

Test(render, changing_the_run_makes_the_checks_advisory)
{
	struct render_history *plain = history(script_file("tutorial.scn"));
	cr_assert_eq(render_history_advance(plain, 0, false), SCN_PAUSED);
	int all = pauses_to_end(plain);
	render_history_free(plain);

	struct render_history *h = history(script_file("tutorial.scn"));
	cr_assert_eq(render_history_advance(h, 0, false), SCN_PAUSED);
	cr_assert(!render_history_changed(h));
	char err[SCN_ERR_MAX];
	/* no majority: every election and check of the script fails from now */
	for (int n = 1; n <= 3; n++) {
		char cmd[32];
		snprintf(cmd, sizeof cmd, "crash n%d", n);
		cr_assert_eq(render_history_exec(h, cmd, err, sizeof err), 0, "%s", err);
	}
	cr_assert(render_history_changed(h));
	/* the narration and the pauses go on, no FAIL */
	int n = pauses_to_end(h);
	cr_assert_eq(n, all, "pauses after the change: %d of %d", n, all);
	cr_assert_str_empty(render_history_error(h));
	cr_assert(render_history_changed(h));
	/* back to the script: the actions are forgotten, at the pause where
	 * the run was changed */
	render_history_seek(h, 5000 * MS);
	cr_assert_eq(render_history_back_to_script(h), SCN_PAUSED);
	cr_assert_eq(render_history_n_actions(h), 0);
	cr_assert(!render_history_changed(h));
	cr_assert(render_history_at_pause(h));
	cr_assert_eq(render_history_now_us(h), 0);
	for (int k = 1; k <= 5; k++)
		cr_assert(sim_node_up(render_history_sim(h), (uint8_t)k));
	cr_assert_eq(pauses_to_end(h), all);
	render_history_free(h);
}

/* Without a change, a failing check is still a FAIL. */
Test(render, unchanged_run_still_fails_its_checks)
{
	struct render_history *h = history(script_text("cluster nodes=3 seed=1\n"
	                                               "say \"one\"\npause\nrun 1s\n"
	                                               "expect leaders == 2\nsay \"two\"\npause\n"));
	cr_assert_eq(render_history_advance(h, 0, false), SCN_PAUSED);
	cr_assert_eq(render_history_next_pause(h, PAUSE_LIMIT_US), SCN_FAILED);
	cr_assert_str_not_empty(render_history_error(h));
	render_history_free(h);
}

/* ---- Pace and reading time ---------------------------------------------------- */
/* The window's playing, frame by frame with a simulated wall clock: auto
 * pace, a script pause resumed at once (the most impatient lecturer), and
 * (hold) each narration kept on screen for its reading time. */
struct play {
	struct render_history *h;
	struct render_say_hold hold;
	bool use_hold;
	double wall_s, pace, carry_us;
};

static const char *runner_say(const struct render_history *h)
{
	return scn_runner_say(render_history_runner(h));
}

/* One frame of dt_s; false once the script is over. */
static bool play_frame(struct play *p, double dt_s)
{
	p->wall_s += dt_s;
	if (p->use_hold) {
		render_say_hold_sync(&p->hold, runner_say(p->h), p->wall_s);
		if (p->hold.until_s > p->wall_s)
			return true; /* the narration on screen needs more time */
	}
	double target = render_pace_auto_target(render_history_sim(p->h));
	p->pace = render_pace_ease(p->pace, target, dt_s);
	p->carry_us += dt_s * 1e6 * p->pace;
	int64_t step = (int64_t)p->carry_us;
	p->carry_us -= (double)step;
	int rc = render_history_advance(p->h, render_history_now_us(p->h) + step, false);
	cr_assert(rc != SCN_FAILED, "%s", render_history_error(p->h));
	if (p->use_hold)
		render_say_hold_update(&p->hold, runner_say(p->h), p->wall_s);
	else
		render_say_hold_reset(&p->hold, runner_say(p->h), p->wall_s);
	return rc != SCN_DONE;
}

/* Plays the tutorial to its end; returns how many narrations were on
 * screen for less than their reading time. */
static int narrations_cut_short(bool use_hold)
{
	struct play p = {.h = history(script_file("tutorial.scn")), .use_hold = use_hold};
	const double dt = 1.0 / 60;
	char shown[SCN_STRING_MAX + 1] = "";
	double since = 0;
	int short_ones = 0, changes = 0;
	for (int f = 0; f < 60 * 60 * 10 && play_frame(&p, dt); f++) {
		const char *now = render_say_hold_text(&p.hold, runner_say(p.h), p.wall_s);
		if (strcmp(now, shown) != 0) {
			double on = p.wall_s - since, need = render_say_read_s(shown);
			if (shown[0] && on + dt < need)
				short_ones++;
			changes++;
			snprintf(shown, sizeof shown, "%s", now);
			since = p.wall_s;
		}
	}
	cr_assert(scn_runner_script_done(render_history_runner(p.h)), "the tutorial did not end");
	cr_assert_geq(changes, 20);
	render_history_free(p.h);
	return short_ones;
}

Test(render, every_narration_stays_for_its_reading_time)
{
	cr_assert_float_eq(render_say_read_s("one two three"), 2.0, 1e-9);
	cr_assert_float_eq(render_say_read_s("a b c d e f g h i j k l"), 3.0, 1e-9);
	cr_assert_eq(narrations_cut_short(true), 0);
	/* without the hold, a lecturer who clicks on at once loses some */
	cr_assert_gt(narrations_cut_short(false), 3);
}

/* Wall seconds of the tutorial played at auto pace from the first
 * candidate to the first leader, and for the heartbeat scene. */
Test(render, auto_pace_slows_the_election_and_hurries_the_heartbeats)
{
	struct play p = {.h = history(script_file("tutorial.scn"))};
	const double dt = 1.0 / 60;
	double cand_s = -1, leader_s = -1, beat0_s = -1, beat1_s = -1;
	double slowest = 1;
	for (int f = 0; f < 60 * 60 * 10 && play_frame(&p, dt); f++) {
		const struct sim *s = render_history_sim(p.h);
		for (unsigned i = 1; i <= sim_n_nodes(s); i++) {
			enum render_role_look r = render_role_look_of(s, i);
			if (r == RENDER_ROLE_CANDIDATE && cand_s < 0)
				cand_s = p.wall_s;
			if (r == RENDER_ROLE_LEADER && cand_s >= 0 && leader_s < 0)
				leader_s = p.wall_s;
		}
		if (cand_s >= 0 && leader_s < 0 && p.pace < slowest)
			slowest = p.pace;
		const char *say = runner_say(p.h);
		if (beat0_s < 0 && !strncmp(say, "The leader sends AppendEntries heartbeats", 41))
			beat0_s = p.wall_s;
		if (beat0_s >= 0 && beat1_s < 0 && !strncmp(say, "As long as the followers", 24))
			beat1_s = p.wall_s;
	}
	cr_assert(leader_s > 0 && beat1_s > 0);
	double election = leader_s - cand_s, beats = beat1_s - beat0_s;
	cr_log_info("auto pace: first candidate to leader %.2f s of wall time (slowest 1/%.0f), "
	            "500 ms of heartbeats %.2f s",
	            election, 1 / slowest, beats);
	cr_assert_geq(election, 4.0, "the election takes %.2f s on screen", election);
	cr_assert_leq(beats, 5.0, "the heartbeat scene takes %.2f s on screen", beats);
	char txt[64];
	render_pace_text(true, 1.0 / 40, txt, sizeof txt);
	cr_assert_str_eq(txt, "auto (1/40 now)");
	render_history_free(p.h);
}

Test(render, script_sets_the_pace)
{
	struct render_history *h = history(script_text("cluster nodes=3 seed=1\nset pace=1/50\n"
	                                               "run 10ms\nset pace=auto\nrun 10ms\n"
	                                               "set pace=1\n"));
	render_history_advance(h, 5 * MS, false);
	cr_assert_eq(render_script_pace(render_history_runner(h)), 50);
	render_history_advance(h, 15 * MS, false);
	cr_assert_eq(render_script_pace(render_history_runner(h)), 0);
	render_history_advance(h, 25 * MS, false);
	cr_assert_eq(render_script_pace(render_history_runner(h)), 1);
	/* the canonical form parses back; bad ones say what they expect */
	const struct scn_cmd *c = scn_script_cmd(scn_runner_script(render_history_runner(h)), 1);
	char buf[128];
	scn_cmd_format(c, buf, sizeof buf);
	cr_assert_str_eq(buf, "set pace=1/50");
	char err[SCN_ERR_MAX];
	const char *bad = "cluster nodes=3 seed=1\nset pace=fast\n";
	cr_assert_null(scn_parse("p.scn", bad, strlen(bad), err, sizeof err));
	cr_assert(strstr(err, "p.scn:2:10: bad pace 'fast'"), "%s", err);
	render_history_free(h);
}

/* The runner's advisory mode: checks that fail and commands that cannot
 * be done are skipped and left out of the saved session, which replays. */
Test(render, advisory_runner_skips_failed_checks)
{
	const char *text = "cluster nodes=3 seed=1\nset pace=1/50\nrun until leader within 2s\n"
	                   "expect leaders == 2\nrun until leaders == 2 within 200ms\n"
	                   "restart n2\nsay \"still here\"\nexpect leaders == 1\n";
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("adv.scn", text, strlen(text), err, sizeof err);
	cr_assert(s, "%s", err);
	struct scn_runner *plain = scn_runner_new(s, NULL);
	cr_assert_eq(scn_runner_run_all(plain), SCN_FAILED);
	scn_runner_free(plain);
	struct scn_runner *r = scn_runner_new(s, NULL);
	scn_runner_set_advisory(r, true);
	cr_assert_eq(scn_runner_run_all(r), SCN_DONE, "%s", scn_runner_error(r));
	cr_assert_str_eq(scn_runner_say(r), "still here");
	char *saved = scn_runner_save_text(r);
	cr_assert(saved);
	cr_assert_null(strstr(saved, "leaders == 2"), "a failed check was saved:\n%s", saved);
	cr_assert_null(strstr(saved, "restart n2"), "a skipped command was saved:\n%s", saved);
	cr_assert(strstr(saved, "expect leaders == 1"), "%s", saved);
	cr_assert(strstr(saved, "set pace=1/50"), "the script's pace was not saved:\n%s", saved);
	struct scn_script *again = scn_parse("saved.scn", saved, strlen(saved), err, sizeof err);
	cr_assert(again, "%s\n%s", err, saved);
	struct scn_runner *replay = scn_runner_new(again, NULL);
	cr_assert_eq(scn_runner_run_all(replay), SCN_DONE, "%s", scn_runner_error(replay));
	scn_runner_free(replay);
	scn_script_free(again);
	free(saved);
	scn_runner_free(r);
	scn_script_free(s);
}

/* Pixels near colour in the top band of the cluster area, where the
 * message legend is. */
static int legend_pixels(const struct render_offscreen *o, const struct render_history *h,
                         uint32_t colour)
{
	struct render_layout l;
	layout(&l, h);
	int n = 0;
	for (int y = l.cluster.y; y < l.cluster.y + (int)(44 * l.u); y++)
		for (int x = l.cluster.x; x < l.cluster.x + l.cluster.w; x++)
			n += near_rgb(render_offscreen_pixel(o, x, y), colour, 10);
	return n;
}

/* The legend shows the PreVote shapes only where PreVote is on. */
Test(render, legend_shows_prevote_only_when_it_is_on)
{
	uint32_t pv = render_msg_kind_rgb(RENDER_MSG_PREVOTE);
	struct render_history *off = history(script_text("cluster nodes=5\nrun 100ms\n"));
	struct render_history *on =
	    history(script_text("cluster nodes=5\nset prevote=on\nrun 100ms\n"));
	struct render_offscreen *o = canvas();
	draw(o, off, 0);
	int n_off = legend_pixels(o, off, pv);
	draw(o, on, 0);
	int n_on = legend_pixels(o, on, pv);
	cr_assert_gt(n_on, 20, "no PreVote shape in the legend with PreVote on: %d", n_on);
	cr_assert_eq(n_off, 0, "PreVote shapes in the legend with PreVote off: %d pixels", n_off);
	render_offscreen_free(o);
	render_history_free(off);
	render_history_free(on);
}

/* ---- The space-time diagram ---------------------------------------------------- */
static void draw_diagram(struct render_offscreen *o, const struct render_history *h,
                         struct render_layout *l)
{
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	f.diagram = true;
	render_offscreen_draw(o, &f);
	render_layout_compute_view(l, W, H, sim_n_nodes(render_history_sim(h)), true);
	render_diagram_frame_time(l, &f);
}

/* The log panel's legend ends inside the panel (at 1280x720 with the
 * diagram on, "rolled back" used to run off its right edge). */
Test(render, log_legend_fits_its_panel)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 866 * MS, true);
	struct render_offscreen *o = canvas();
	struct render_layout l;
	draw_diagram(o, h, &l);
	const struct render_rect *p = &l.log;
	int ink = 0;
	for (int y = p->y + (int)(10 * l.u); y < p->y + (int)(24 * l.u); y++)
		for (int x = p->x + p->w - (int)(6 * l.u); x < p->x + p->w; x++)
			ink += !near_rgb(render_offscreen_pixel(o, x, y), 0xEEEEE9u, 24);
	cr_assert_eq(ink, 0, "the log legend reaches the panel's right edge (%d pixels)", ink);
	render_offscreen_free(o);
	render_history_free(h);
}

/* Pixels that are not the panel on row y between x0 and x1 of the
 * diagram: how wide a line crossing the row is drawn there. */
static int ink_across(const struct render_offscreen *o, int y, float x0, float x1)
{
	int n = 0;
	for (int x = (int)fminf(x0, x1) + 3; x < (int)fmaxf(x0, x1) - 3; x++)
		n += !near_rgb(render_offscreen_pixel(o, x, y), 0xEEEEE9u, 30) &&
		     !near_rgb(render_offscreen_pixel(o, x, y), 0xE2E2DCu, 8); /* a time rule */
	return n;
}

/* Replies are drawn thinner than requests, so a burst of votes reads as
 * requests going out and lighter answers coming back. */
Test(render, diagram_replies_thinner_than_requests)
{
	struct render_history *h = history(script_text(
	    "cluster nodes=2 seed=1\nset latency=20ms..20ms\ntimeout n1\nrun 60ms\n"));
	render_history_advance(h, 59 * MS, true);
	struct render_offscreen *o = canvas();
	struct render_layout l;
	draw_diagram(o, h, &l);
	const struct render_msgrec *m;
	size_t n = render_history_msgs(h, &m);
	int64_t now = sim_now_us(render_history_sim(h));
	int req = -1, rep = -1;
	for (size_t i = 0; i < n; i++) {
		float x0, y0, x1, y1;
		int end;
		if (!render_layout_diagram_msg(&l, &m[i], render_history_seq(h), now, &x0, &y0, &x1, &y1,
		                               &end) ||
		    end != RENDER_END_DELIVERED)
			continue;
		/* a row a quarter of the way down, clear of both ends */
		int w = ink_across(o, (int)(y0 + (y1 - y0) * 0.25f), x0, x1);
		if (m[i].type == RAFT_MSG_VOTE)
			req = w;
		else if (m[i].type == RAFT_MSG_VOTE_REPLY)
			rep = w;
	}
	cr_assert(req > 0 && rep > 0, "no vote and reply drawn: %d %d", req, rep);
	cr_assert_leq(rep * 4, req * 3, "a reply %d px across, its request %d", rep, req);
	/* early in a run the diagram shows time before 0: no tick labels there */
	int gutter_ink = 0;
	float y_zero = render_layout_diagram_y(&l, 0);
	for (int y = l.diagram.y + (int)(RENDER_DIAGRAM_HEAD * l.u); y < (int)y_zero - 12; y++)
		for (int x = l.diagram.x + 4; x < l.diagram.x + (int)(RENDER_DIAGRAM_GUTTER * l.u); x++)
			gutter_ink += !near_rgb(render_offscreen_pixel(o, x, y), 0xEEEEE9u, 30);
	cr_assert_eq(gutter_ink, 0, "tick labels before time 0 (%d pixels)", gutter_ink);
	render_offscreen_free(o);
	render_history_free(h);
}

/* The heads over the lifelines: each node's role chip beside its name
 * where the column has room for both, else the names alone (nine nodes
 * at 1280x720: a chip would cover the end of its left neighbour's name). */
Test(render, diagram_heads_keep_names_whole)
{
	for (int n = 5; n <= 9; n += 4) {
		char text[64];
		snprintf(text, sizeof text, "cluster nodes=%d seed=1\nrun 2s\n", n);
		struct render_history *h = history(script_text(text));
		render_history_advance(h, 2000 * MS, true);
		struct render_offscreen *o = canvas();
		struct render_layout l;
		draw_diagram(o, h, &l);
		int chips = 0;
		for (int y = l.diagram.y; y < l.diagram.y + (int)(RENDER_DIAGRAM_HEAD * l.u); y++)
			for (int x = l.diagram.x; x < l.diagram.x + l.diagram.w; x++) {
				uint32_t p = render_offscreen_pixel(o, x, y);
				chips += near_rgb(p, FOLLOWER_SKY, 12) || near_rgb(p, LEADER_BLUE, 12);
			}
		if (n == 5)
			cr_assert_gt(chips, 50, "five nodes: no role chips over the lifelines");
		else
			cr_assert_eq(chips, 0, "nine nodes: role chips over names too close (%d pixels)",
			             chips);
		render_offscreen_free(o);
		render_history_free(h);
	}
}

/* The message records agree with the simulator: the ones flying at this
 * position are exactly the messages in flight, with their send and due
 * times. */
static void check_flying_match_sim(const struct render_history *h)
{
	const struct sim *s = render_history_sim(h);
	const struct render_msgrec *m;
	size_t n = render_history_msgs(h, &m), flying = 0;
	uint64_t seq = render_history_seq(h);
	for (size_t i = 0; i < n; i++) {
		if (m[i].send_seq > seq)
			break;
		if (m[i].end == RENDER_END_FLYING || m[i].end_seq > seq)
			flying++;
	}
	size_t in_sim = 0;
	for (size_t i = 0; i < sim_msg_capacity(s); i++) {
		const struct sim_msg *x = sim_msg_slot(s, i);
		if (!x)
			continue;
		in_sim++;
		const struct render_msgrec *r = render_history_msg(h, x->id);
		cr_assert(r, "message %llu in flight is not recorded", (unsigned long long)x->id);
		cr_assert(r->end == RENDER_END_FLYING || r->end_seq > seq,
		          "message %llu in flight is recorded as ended", (unsigned long long)x->id);
		cr_assert_eq(r->send_us, x->send_us);
		cr_assert_eq(r->due_us, x->deliver_us);
		cr_assert_eq(r->from, x->m.from);
		cr_assert_eq(r->to, x->m.to);
	}
	cr_assert_eq(flying, in_sim, "%zu recorded in flight, %zu in the simulator", flying, in_sim);
}

Test(render, diagram_records_pair_every_send_across_seek_and_fork)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 700 * MS, true);
	check_flying_match_sim(h);
	const struct render_msgrec *m;
	size_t n = render_history_msgs(h, &m);
	cr_assert_gt(n, 50);
	size_t dropped = 0, delivered = 0;
	for (size_t i = 0; i < n; i++) {
		if (i)
			cr_assert_gt(m[i].id, m[i - 1].id, "records out of id order");
		dropped += m[i].end == RENDER_END_DROPPED;
		delivered += m[i].end == RENDER_END_DELIVERED;
		if (m[i].end != RENDER_END_FLYING)
			cr_assert_geq(m[i].end_us, m[i].send_us);
		if (m[i].end == RENDER_END_DELIVERED)
			cr_assert_eq(m[i].end_us, m[i].due_us, "delivered off its due time");
	}
	cr_assert_gt(dropped, 5, "the partition drops messages: %zu", dropped);
	cr_assert_gt(delivered, 20);
	/* back: the same records, seen as not yet sent / still flying */
	render_history_seek(h, 300 * MS);
	check_flying_match_sim(h);
	cr_assert_eq(render_history_msgs(h, &m), n, "a seek back lost or added records");
	render_history_seek(h, 700 * MS);
	check_flying_match_sim(h);
	/* a fork at 300 ms forgets what came after it */
	render_history_seek(h, 300 * MS);
	char err[256];
	cr_assert_eq(render_history_exec(h, "crash n5", err, sizeof err), 0, "%s", err);
	size_t k = render_history_msgs(h, &m);
	cr_assert_lt(k, n);
	for (size_t i = 0; i < k; i++)
		cr_assert(m[i].end_seq <= render_history_seq(h), "an end from the forgotten future");
	render_history_advance(h, 500 * MS, true);
	check_flying_match_sim(h);
	render_history_free(h);
}

/* Whether some pixel within radius of (x, y) is near colour. */
static int count_near(const struct render_offscreen *o, float x, float y, int radius,
                      uint32_t colour, int tol)
{
	int found = 0;
	for (int dy = -radius; dy <= radius; dy++)
		for (int dx = -radius; dx <= radius; dx++)
			if (near_rgb(render_offscreen_pixel(o, (int)lroundf(x) + dx, (int)lroundf(y) + dy),
			             colour, tol))
				found++;
	return found;
}

#define INK 0x141418u
#define LOST_VERMILLION 0xD55E00u

Test(render, diagram_arrow_ends_at_its_delivery_on_the_receiver)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	/* n5's RequestVotes leave at 156.554 ms and take 5..15 ms: catch one
	 * in flight, remember when the simulator will deliver it */
	render_history_advance(h, 156554 + 2500, true);
	const struct sim *s = render_history_sim(h);
	uint64_t id = 0;
	int64_t due = 0, sent = 0;
	uint8_t from = 0, to = 0;
	for (size_t i = 0; i < sim_msg_capacity(s); i++) {
		const struct sim_msg *x = sim_msg_slot(s, i);
		if (x && x->m.type == RAFT_MSG_VOTE && !x->lost) {
			id = x->id, due = x->deliver_us, sent = x->send_us;
			from = x->m.from, to = x->m.to;
			break;
		}
	}
	cr_assert(id, "no RequestVote in flight");
	render_history_advance(h, due + 1 * MS, true);
	const struct render_msgrec *r = render_history_msg(h, id);
	cr_assert(r && r->end == RENDER_END_DELIVERED && r->end_us == due);
	struct render_offscreen *o = canvas();
	struct render_layout l;
	draw_diagram(o, h, &l);
	float xs = render_layout_diagram_x(&l, from), ys = render_layout_diagram_y(&l, sent);
	float xt = render_layout_diagram_x(&l, to), yt = render_layout_diagram_y(&l, due);
	cr_assert(fabsf(xt - xs) > 40, "lifelines too close to tell apart");
	/* the arrowhead (ink) just before the receiver's lifeline at the
	 * delivery time... */
	float dx = xt - xs, dy = yt - ys, d = sqrtf(dx * dx + dy * dy);
	float hx = xt - dx / d * 5, hy = yt - dy / d * 5;
	cr_assert_gt(count_near(o, hx, hy, 1, INK, 24), 2, "no arrowhead at (%.0f, %.0f)", hx, hy);
	/* ...the orange line half way, and none of it past the receiver */
	cr_assert_gt(count_near(o, xs + dx * 0.3f, ys + dy * 0.3f, 2, VOTE_ORANGE, 12), 0,
	             "no RequestVote line at 30%% of the way");
	cr_assert_eq(count_near(o, xt + dx / d * 14, yt + dy / d * 14, 2, VOTE_ORANGE, 12), 0,
	             "the line goes on past its receiver");
	/* an arrow toward the wrong lifeline would miss: the head is not on
	 * the other side of the sender */
	cr_assert_eq(count_near(o, xs - dx / d * 20, ys - dy / d * 20 + 1, 1, INK, 24), 0);
	render_offscreen_free(o);
	render_history_free(h);
}

/* The heartbeats, drawn as plain one-pixel lines on their own layer: the
 * pixels half way along a delivered one have its colour (a little lighter,
 * as at 4/5 over the panel), and nothing of it lies beside the line. */
Test(render, diagram_heartbeat_lines_are_drawn_along_their_way)
{
	struct render_history *h = history(script_file("tutorial.scn"));
	render_history_advance(h, 700 * MS, true);
	struct render_offscreen *o = canvas();
	struct render_layout l;
	draw_diagram(o, h, &l);
	const struct render_msgrec *m;
	size_t n = render_history_msgs(h, &m);
	int64_t now = sim_now_us(render_history_sim(h));
	uint32_t hb = render_msg_kind_rgb(RENDER_MSG_HEARTBEAT), panel = 0xEEEEE9u;
	uint32_t want = 0;
	for (int sh = 16; sh >= 0; sh -= 8) {
		uint32_t a = hb >> sh & 255, b = panel >> sh & 255;
		want |= (a * 4 + b) / 5 << sh;
	}
	int checked = 0;
	for (size_t i = 0; i < n && checked < 6; i++) {
		float x0, y0, x1, y1;
		int end;
		if (m[i].type != RAFT_MSG_APPEND || m[i].n_entries != 0 ||
		    !render_layout_diagram_msg(&l, &m[i], render_history_seq(h), now, &x0, &y0, &x1, &y1,
		                               &end) ||
		    end != RENDER_END_DELIVERED || y0 < (float)l.diagram.y + 60 || fabsf(x1 - x0) < 60)
			continue;
		float mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
		cr_assert_gt(count_near(o, mx, my, 1, want, 40), 0,
		             "no heartbeat line half way at (%.0f, %.0f): %06x", mx, my,
		             render_offscreen_pixel(o, (int)mx, (int)my) & 0xFFFFFF);
		checked++;
	}
	cr_assert_gt(checked, 2, "too few heartbeats in view: %d", checked);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, diagram_drop_ends_in_an_x)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 150 * MS, true);
	const struct render_msgrec *m;
	size_t n = render_history_msgs(h, &m);
	struct render_offscreen *o = canvas();
	struct render_layout l;
	draw_diagram(o, h, &l);
	int64_t now = sim_now_us(render_history_sim(h));
	const struct render_msgrec *drop = NULL;
	for (size_t i = 0; i < n; i++)
		if (m[i].end == RENDER_END_DROPPED && m[i].end_us > now - 80 * MS &&
		    m[i].end_us < now - 10 * MS && m[i].to != m[i].from)
			drop = &m[i];
	cr_assert(drop, "no message dropped in view");
	cr_assert(!strcmp(drop->why, "link down") || !strcmp(drop->why, "cut link"), "%s", drop->why);
	float x0, y0, x1, y1;
	int end;
	cr_assert(render_layout_diagram_msg(&l, drop, render_history_seq(h), now, &x0, &y0, &x1, &y1,
	                                    &end));
	cr_assert_eq(end, RENDER_END_DROPPED);
	cr_assert(fabsf(y1 - render_layout_diagram_y(&l, drop->end_us)) < 0.5f);
	/* an X: its middle and its four arms are vermillion */
	cr_assert_gt(count_near(o, x1, y1, 1, LOST_VERMILLION, 20), 3, "no X at the drop");
	float a = 5 * l.u;
	for (int sx = -1; sx <= 1; sx += 2)
		for (int sy = -1; sy <= 1; sy += 2)
			cr_assert_gt(count_near(o, x1 + sx * a, y1 + sy * a, 1, LOST_VERMILLION, 20), 0,
			             "the X has no arm toward (%d, %d)", sx, sy);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, diagram_only_draws_the_interval)
{
	struct render_history *h = history(script_file("partition_two_leaders.scn"));
	render_history_advance(h, 400 * MS, true);
	int w, hh;
	render_diagram_only_size(render_history_sim(h), 400 * MS, &w, &hh);
	cr_assert_gt(hh, H, "a tall picture");
	char err[256];
	struct render_offscreen *o = render_offscreen_new(w, hh, err, sizeof err);
	cr_assert(o, "%s", err);
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	f.diagram_only = true;
	f.diagram_from_us = 0;
	f.diagram_to_us = 400 * MS;
	render_offscreen_draw(o, &f);
	struct render_layout l;
	render_layout_diagram_only(&l, w, hh, sim_n_nodes(render_history_sim(h)));
	render_diagram_frame_time(&l, &f);
	/* n1 leads term 1 from early on: its lifeline is the leader's thick blue */
	float x = render_layout_diagram_x(&l, 1), y = render_layout_diagram_y(&l, 200 * MS);
	cr_assert_gt(count_near(o, x, y, 1, LEADER_BLUE, 6), 4, "n1's lifeline is not a leader's");
	cr_assert_eq(count_near(o, render_layout_diagram_x(&l, 3), y, 1, LEADER_BLUE, 6), 0);
	render_offscreen_free(o);
	render_history_free(h);
}

/* ---- The client timeline --------------------------------------------------------- */
#define CLIENT_OK 0x00805Eu     /* an answered operation's fill */
#define BAD_VERMILLION 0xD55E00u /* the checker's outline, the banner */

/* Draws h's frame with the client timeline from a kept state, as the
 * window does, and lays out the panel's rows and bars. */
static void draw_clients(struct render_offscreen *o, const struct render_history *h,
                         struct render_clients_state *st, struct render_layout *l,
                         struct render_clients_view *v)
{
	const struct sim *s = render_history_sim(h);
	render_clients_state_update(st, s);
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	f.clients = true;
	f.clients_st = st;
	render_offscreen_draw(o, &f);
	render_layout_compute_panels(l, W, H, sim_n_nodes(s), false, true);
	render_clients_view_compute(v, l, st, sim_now_us(s));
}

/* The bar of request r (its own operation, not an abandoned attempt). */
static size_t bar_of(const struct render_clients_view *v, size_t r)
{
	for (size_t i = 0; i < v->n_bars; i++)
		if (v->bars[i].op == r)
			return i;
	cr_assert_fail("no bar for request %zu", r);
	return 0;
}

Test(render, client_bar_spans_its_invocation_to_its_completion)
{
	struct render_history *h = history(script_file("stale_read.scn"));
	render_history_advance(h, 600 * MS, true);
	struct render_offscreen *o = canvas();
	struct render_clients_state st = {0};
	struct render_layout l;
	struct render_clients_view v;
	draw_clients(o, h, &st, &l, &v);
	cr_assert_gt(l.clients.w, 0);
	cr_assert_eq(l.details.x, l.clients.x, "the panel takes the details panel's place");
	/* the put x=2 (request 2): acknowledged, on its own row */
	size_t b = bar_of(&v, 1);
	const struct sim_lin_op *op = &st.ops[1];
	cr_assert_eq(op->f, SIM_LIN_PUT);
	cr_assert_eq(v.bars[b].end, RENDER_CLIENT_OK);
	float x0 = render_clients_x(&v, op->invoke_us), x1 = render_clients_x(&v, op->complete_us);
	float bx, by, bw, bh;
	render_clients_bar_rect(&v, b, &bx, &by, &bw, &bh);
	cr_assert(fabsf(bx - x0) < 0.5f && fabsf(bx + bw - x1) < 0.5f, "bar %.1f..%.1f, op %.1f..%.1f",
	          bx, bx + bw, x0, x1);
	cr_assert_gt(x1 - x0, 20, "a 37 ms put gets %.1f px", x1 - x0);
	int y = (int)lroundf(by + bh / 2);
	/* filled from its invoke x to its completion x, on its row ... */
	for (float x = x0 + 3; x <= x1 - 3; x += 2)
		cr_assert(near_rgb(render_offscreen_pixel(o, (int)lroundf(x), y), CLIENT_OK, 12),
		          "no answered fill at (%.0f, %d): %06x", x, y, render_offscreen_pixel(o, (int)x, y));
	/* ... and not beyond either end, nor on the rows above and below */
	cr_assert(!near_rgb(render_offscreen_pixel(o, (int)lroundf(x0 - 8), y), CLIENT_OK, 12));
	cr_assert(!near_rgb(render_offscreen_pixel(o, (int)lroundf(x1 + 8), y), CLIENT_OK, 12));
	int mx = (int)lroundf((x0 + x1) / 2);
	cr_assert(!near_rgb(render_offscreen_pixel(o, mx, (int)lroundf(by - v.row_h * 0.5f)), CLIENT_OK, 12));
	cr_assert(!near_rgb(render_offscreen_pixel(o, mx, (int)lroundf(by + bh + v.row_h * 0.5f)), CLIENT_OK, 12));
	/* the first put's row is above: rows in request order */
	render_clients_bar_rect(&v, bar_of(&v, 0), &bx, &by, &bw, &bh);
	cr_assert_lt(by + bh / 2, (float)y);
	render_clients_state_free(&st);
	render_offscreen_free(o);
	render_history_free(h);
}

/* A pixel of the frame round bar i (3 to 5 u outside its left end), at mid-height. */
static uint32_t outline_pixel(const struct render_offscreen *o, const struct render_clients_view *v,
                              size_t i, float u)
{
	float bx, by, bw, bh;
	render_clients_bar_rect(v, i, &bx, &by, &bw, &bh);
	return render_offscreen_pixel(o, (int)lroundf(bx - 3.5f * u), (int)lroundf(by + bh / 2));
}

Test(render, client_violation_outlined_after_the_stale_get)
{
	struct render_history *h = history(script_file("stale_read.scn"));
	struct render_offscreen *o = canvas();
	struct render_clients_state st = {0};
	struct render_layout l;
	struct render_clients_view v;
	/* the stale get (request 3) is on its way: nothing to object to yet */
	render_history_advance(h, 585 * MS, true);
	draw_clients(o, h, &st, &l, &v);
	cr_assert_eq(st.res.verdict, SIM_LIN_LINEARIZABLE);
	size_t g = bar_of(&v, 2);
	cr_assert_eq(v.bars[g].end, RENDER_CLIENT_PENDING);
	cr_assert(!near_rgb(outline_pixel(o, &v, g, l.u), BAD_VERMILLION, 20));
	/* the right end of the header band, clear of its text */
	int bx = l.clients.x + l.clients.w - (int)lroundf(14 * l.u),
	    by = l.clients.y + (int)lroundf(17 * l.u);
	cr_assert(!near_rgb(render_offscreen_pixel(o, bx, by), BAD_VERMILLION, 20), "a banner already");
	/* n1 answers 1 after x=2 was acknowledged */
	render_history_advance(h, 600 * MS, true);
	draw_clients(o, h, &st, &l, &v);
	cr_assert_eq(st.res.verdict, SIM_LIN_VIOLATION);
	g = bar_of(&v, 2);
	cr_assert_eq(v.bars[g].end, RENDER_CLIENT_OK);
	cr_assert(v.bars[g].culprit && v.bars[bar_of(&v, 1)].culprit);
	for (size_t i = 0; i < v.n_bars; i++)
		cr_assert_eq(near_rgb(outline_pixel(o, &v, i, l.u), BAD_VERMILLION, 20), v.bars[i].culprit,
		             "bar %zu (op %zu): outline %06x, culprit %d", i, v.bars[i].op,
		             outline_pixel(o, &v, i, l.u), v.bars[i].culprit);
	cr_assert(near_rgb(render_offscreen_pixel(o, bx, by), BAD_VERMILLION, 20), "no banner");
	render_clients_state_free(&st);
	render_offscreen_free(o);
	render_history_free(h);
}

Test(render, client_history_checked_only_when_it_changes)
{
	struct render_history *h = history(script_file("stale_read.scn"));
	struct render_clients_state st = {0};
	render_history_advance(h, 560 * MS, true);
	cr_assert(render_clients_state_update(&st, render_history_sim(h)));
	uint64_t checks = st.checks;
	/* time passes, no operation starts or ends: the verdict is kept */
	render_history_advance(h, 575 * MS, true);
	cr_assert_not(render_clients_state_update(&st, render_history_sim(h)));
	cr_assert_eq(st.checks, checks);
	/* the stale get is invoked, then answered: checked each time */
	render_history_advance(h, 585 * MS, true);
	cr_assert(render_clients_state_update(&st, render_history_sim(h)));
	cr_assert_eq(st.res.verdict, SIM_LIN_LINEARIZABLE);
	render_history_advance(h, 589 * MS, true);
	cr_assert(render_clients_state_update(&st, render_history_sim(h)));
	cr_assert_eq(st.res.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(st.checks, checks + 2);
	/* back before the get: the shorter history is checked again */
	render_history_seek(h, 575 * MS);
	cr_assert(render_clients_state_update(&st, render_history_sim(h)));
	cr_assert_eq(st.res.verdict, SIM_LIN_LINEARIZABLE);
	render_clients_state_free(&st);
	render_history_free(h);
}

static bool rects_overlap(struct render_rect a, struct render_rect b)
{
	return a.w > 0 && b.w > 0 && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h &&
	       b.y < a.y + a.h;
}

Test(render, client_timeline_fits_beside_the_other_panels)
{
	static const int sizes[][2] = {{1280, 720}, {1920, 1080}, {1024, 768}, {800, 600}};
	for (size_t k = 0; k < 4; k++)
		for (unsigned n = 1; n <= RENDER_NODES_MAX; n++)
			for (int diagram = 0; diagram < 2; diagram++) {
				int w = sizes[k][0], h = sizes[k][1];
				struct render_layout l;
				render_layout_compute_panels(&l, w, h, n, diagram, true);
				struct render_rect p = l.clients;
				cr_assert(p.x >= 0 && p.y >= 0 && p.x + p.w <= w && p.y + p.h <= h,
				          "outside the window at %dx%d, %u nodes", w, h, n);
				cr_assert_not(rects_overlap(p, l.log) || rects_overlap(p, l.cluster) ||
				                  rects_overlap(p, l.diagram) || rects_overlap(p, l.timeline) ||
				                  rects_overlap(p, l.caption),
				              "overlaps another panel at %dx%d, %u nodes, diagram %d", w, h, n,
				              diagram);
				cr_assert_geq(l.log_cells, 4, "only %u log cells", l.log_cells);
				if (n <= 9) {
					/* at least three rows of 18 px at scale 1 under the header */
					struct render_clients_view v;
					render_clients_view_compute(&v, &l, NULL, 0);
					cr_assert_geq((float)v.area.h, 3 * 18 * l.u,
					              "%d px of rows at %dx%d, %u nodes", v.area.h, w, h, n);
				}
			}
	/* off, the details panel is where it was */
	struct render_layout a, b;
	render_layout_compute(&a, W, H, 5);
	render_layout_compute_panels(&b, W, H, 5, false, false);
	cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
	cr_assert_eq(b.clients.w, 0);
}

Test(render, clicked_operation_shows_its_fields)
{
	struct render_history *h = history(script_file("stale_read.scn"));
	render_history_advance(h, 600 * MS, true);
	struct render_offscreen *o = canvas();
	struct render_clients_state st = {0};
	struct render_layout l;
	struct render_clients_view v;
	draw_clients(o, h, &st, &l, &v);
	uint32_t *legend = snapshot(o);
	/* the bar of the stale get is hit at its middle, and selected */
	float bx, by, bw, bh;
	size_t g = bar_of(&v, 2);
	render_clients_bar_rect(&v, g, &bx, &by, &bw, &bh);
	cr_assert_eq(render_clients_hit(&v, bx + bw / 2, by + bh / 2), (int)g);
	cr_assert_eq(render_clients_hit(&v, bx + bw / 2, by + bh / 2 + v.row_h), -1);
	struct render_frame f = {0};
	render_frame_from_history(&f, h);
	f.clients = true;
	f.clients_st = &st;
	f.sel_op = v.bars[g].op + 1;
	render_offscreen_draw(o, &f);
	/* the footer changed (the fields instead of the legend), and the bar
	 * has the selection's yellow halo */
	struct render_rect foot = {l.clients.x, l.clients.y + l.clients.h - (int)lroundf(22 * l.u),
	                           l.clients.w, (int)lroundf(22 * l.u)};
	int changed = 0;
	SDL_Surface *s = render_offscreen_surface(o);
	for (int y = foot.y; y < foot.y + foot.h; y++)
		for (int x = foot.x; x < foot.x + foot.w; x++)
			changed += ((uint32_t *)((char *)s->pixels + (size_t)y * (size_t)s->pitch))[x] !=
			           ((uint32_t *)((char *)legend + (size_t)y * (size_t)s->pitch))[x];
	cr_assert_gt(changed, 300, "the footer did not change (%d pixels)", changed);
	cr_assert(near_rgb(render_offscreen_pixel(o, (int)lroundf(bx + bw / 2), (int)lroundf(by - 7 * l.u)),
	                   SNAPSHOT_YELLOW, 30),
	          "no selection halo over the bar");
	/* hovering shows the same fields, without selecting */
	uint32_t *selected = snapshot(o);
	f.sel_op = 0;
	f.hover_op = v.bars[g].op + 1;
	render_offscreen_draw(o, &f);
	for (int y = foot.y; y < foot.y + foot.h; y++)
		cr_assert_eq(memcmp((char *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)foot.x * 4,
		                    (char *)selected + (size_t)y * (size_t)s->pitch + (size_t)foot.x * 4,
		                    (size_t)foot.w * 4),
		             0, "the hovered operation's footer differs from the selected one's");
	free(selected);
	free(legend);
	render_clients_state_free(&st);
	render_offscreen_free(o);
	render_history_free(h);
}

/* Dark pixels (text ink) in a box below node i's disc. */
static int ink_below(const struct render_offscreen *o, const struct render_layout *l, unsigned i)
{
	float x, y, r;
	cr_assert(render_layout_node(l, i, &x, &y, &r));
	int k = 0;
	for (int py = (int)(y + r); py < (int)(y + r + 4 * l->u * 20) && py < H; py++)
		for (int px = (int)(x - 80 * l->u); px < (int)(x + 80 * l->u); px++)
			k += px >= 0 && px < W && near_rgb(render_offscreen_pixel(o, px, py), 0x141418u, 8);
	return k;
}

/* A leader handing over is marked under its disc ("handing over → n3");
 * the node menu offers "Transfer leadership here" on a live follower while
 * there is a leader, and runs `transfer NODE`. */
Test(render, transfer_in_progress_is_marked_and_offered_in_the_menu)
{
	/* a transfer gives up after the minimum election timeout: 5 s here */
	static const char base[] = "cluster nodes=3 seed=2\n"
	                           "set election=5s..6s\n"
	                           "timeout n1\n"
	                           "run until leader == n1 within 1s\n"
	                           "run 100ms\n"
	                           "cut n1->n3\n";
	char with[256];
	snprintf(with, sizeof with, "%stransfer n3\nrun 1ms\n", base);
	char without[256];
	snprintf(without, sizeof without, "%srun 1ms\n", base);
	int ink[2];
	for (int k = 0; k < 2; k++) {
		struct render_history *h = history(script_text(k ? with : without));
		render_history_advance(h, 2000 * MS, true);
		cr_assert_eq(raft_transfer_target(sim_node(render_history_sim(h), 1)), k ? 3 : 0);
		struct render_offscreen *o = canvas();
		draw(o, h, 0);
		struct render_layout l;
		layout(&l, h);
		ink[k] = ink_below(o, &l, 1);
		/* and a mark on the timeline where it started */
		struct render_frame f = {0};
		render_frame_from_history(&f, h);
		size_t marks = 0;
		for (size_t i = 0; i < f.n_markers; i++)
			marks += f.markers[i].kind == RENDER_MK_TRANSFER && f.markers[i].index == 3;
		cr_expect_eq(marks, (size_t)k, "transfer marks on the timeline");
		render_offscreen_free(o);
		render_history_free(h);
	}
	cr_expect_gt(ink[1], ink[0] + 200, "no mark under the leader: %d vs %d dark pixels", ink[1],
	             ink[0]);

	struct render_history *h = history(script_text(without));
	render_history_advance(h, 2000 * MS, true);
	struct render_menu_item items[RENDER_MENU_MAX];
	size_t n = render_menu_items(render_history_sim(h), 3, "x=1", items);
	bool offered = false;
	for (size_t i = 0; i < n; i++)
		offered |= !strcmp(items[i].command, "transfer n3");
	cr_expect(offered, "n3's menu has no transfer");
	n = render_menu_items(render_history_sim(h), 1, "x=1", items);
	for (size_t i = 0; i < n; i++)
		cr_expect_str_neq(items[i].command, "transfer n1", "the leader is offered to itself");
	render_history_free(h);
}
