/* shapes.c - the visual vocabulary: one table of message kinds, one of roles, the term palette, and the shapes that draw them. */
#include "gfx.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>

/* Every switch over a vocabulary names every case: a new message type or
 * role must be given a shape here before anything can draw it. */
#pragma GCC diagnostic error "-Wswitch-enum"

/* Colour names the family, shape names the kind. */
/* (braced: static tables need constant initialisers; the values are gfx.h's
 * Okabe-Ito colours) */
#define K_ELECTION {230, 159, 0, 255} /* RequestVote and its replies: orange, like a candidate */
#define K_LOG {0, 114, 178, 255}      /* AppendEntries and its replies: blue, like the leader */
#define K_SNAPSHOT {240, 228, 66, 255} /* InstallSnapshot: yellow */
#define K_PREVOTE {0, 77, 51, 255} /* PreVote and its replies: dark green (the pre-candidate is green) */
#define K_TRANSFER {30, 30, 30, 255} /* TimeoutNow: near black, darker than every other message (a grey: no hue a term could share) */
#define C_REFUSED OI_VERMILLION

enum msg_shape { SHAPE_DIAMOND, SHAPE_DOT, SHAPE_BOX, SHAPE_PAGE, SHAPE_TRIANGLE, SHAPE_FORWARD };

static const struct msg_look {
	enum msg_shape shape;
	bool reply; /* hollow */
	bool ok;    /* replies: a check and a solid rim; else a cross and a broken rim */
	struct rgba colour;
	const char *label, *brief, *many;
} msg_looks[RENDER_MSG_KINDS] = {
    [RENDER_MSG_VOTE] = {SHAPE_DIAMOND, false, true, K_ELECTION, N_("RequestVote"), N_("RequestVote"), N_("RequestVote")},
    [RENDER_MSG_HEARTBEAT] = {SHAPE_DOT, false, true, K_LOG, N_("heartbeat (AppendEntries, empty)"),
                              N_("heartbeat"), N_("heartbeats")},
    [RENDER_MSG_ENTRIES] = {SHAPE_BOX, false, true, K_LOG, N_("AppendEntries + entries (count)"),
                            N_("entries"), N_("entries")},
    [RENDER_MSG_SNAPSHOT] = {SHAPE_PAGE, false, true, K_SNAPSHOT, N_("InstallSnapshot"), N_("snapshot"), N_("snapshots")},
    [RENDER_MSG_VOTE_GRANTED] = {SHAPE_DIAMOND, true, true, K_ELECTION, N_("vote granted"),
                                 N_("vote reply"), N_("votes granted")},
    [RENDER_MSG_VOTE_DENIED] = {SHAPE_DIAMOND, true, false, K_ELECTION, N_("vote denied"), N_("vote reply"),
                                N_("votes denied")},
    [RENDER_MSG_APPEND_OK] = {SHAPE_BOX, true, true, K_LOG, N_("AppendEntries reply: OK"),
                              N_("append reply"), N_("OK replies")},
    [RENDER_MSG_APPEND_REJECTED] = {SHAPE_BOX, true, false, K_LOG, N_("AppendEntries reply: rejected"),
                                    N_("append reply"), N_("rejections")},
    [RENDER_MSG_PREVOTE] = {SHAPE_TRIANGLE, false, true, K_PREVOTE, N_("PreVote"), N_("PreVote"), N_("PreVotes")},
    [RENDER_MSG_PREVOTE_GRANTED] = {SHAPE_TRIANGLE, true, true, K_PREVOTE, N_("pre-vote granted"),
                                    N_("pre-vote reply"), N_("pre-votes granted")},
    [RENDER_MSG_PREVOTE_DENIED] = {SHAPE_TRIANGLE, true, false, K_PREVOTE, N_("pre-vote denied"),
                                   N_("pre-vote reply"), N_("pre-votes denied")},
    [RENDER_MSG_TIMEOUT_NOW] = {SHAPE_FORWARD, false, true, K_TRANSFER,
                                N_("TimeoutNow (leadership transfer)"), N_("TimeoutNow"),
                                N_("TimeoutNows")},
};
_Static_assert(sizeof msg_looks / sizeof msg_looks[0] == RENDER_MSG_KINDS,
               "one look per message kind");

static const struct role_look {
	struct rgba colour;
	const char *label;
} role_looks[RENDER_ROLE_LOOKS] = {
    [RENDER_ROLE_FOLLOWER] = {{86, 180, 233, 255}, N_("follower: plain circle, thin rim")},
    [RENDER_ROLE_CANDIDATE] = {{230, 159, 0, 255}, N_("candidate: dashed inner ring, vote pips")},
    [RENDER_ROLE_LEADER] = {{0, 114, 178, 255}, N_("leader: thick rim, star, LEADER")},
    [RENDER_ROLE_CRASHED] = {{190, 190, 190, 255}, N_("crashed: grey, thin grey rim, an X")},
    [RENDER_ROLE_PRECANDIDATE] = {{0, 158, 115, 255}, N_("pre-candidate: dashed halo, pre-vote pips")},
};
_Static_assert(sizeof role_looks / sizeof role_looks[0] == RENDER_ROLE_LOOKS,
               "one look per role");

/* Terms: a light lavender ramp (CIELAB hue 310, lightness 86 down to 46
 * in steps of 10), a hue no role or message uses, darker as terms grow and
 * starting again after five; the term number is always written too. */
static const struct rgba term_ramp[RENDER_TERM_COLOURS] = {
    {224, 210, 238, 255}, {200, 180, 220, 255}, {176, 150, 202, 255},
    {151, 122, 182, 255}, {127, 95, 163, 255},
};

static uint32_t rgb_of(struct rgba c)
{
	return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
}

enum render_msg_kind render_msg_kind_of(uint8_t type, bool success, uint32_t n_entries)
{
	switch ((enum raft_msg_type)type) {
	case RAFT_MSG_VOTE:
		return RENDER_MSG_VOTE;
	case RAFT_MSG_VOTE_REPLY:
		return success ? RENDER_MSG_VOTE_GRANTED : RENDER_MSG_VOTE_DENIED;
	case RAFT_MSG_APPEND:
		return n_entries ? RENDER_MSG_ENTRIES : RENDER_MSG_HEARTBEAT;
	case RAFT_MSG_APPEND_REPLY:
		return success ? RENDER_MSG_APPEND_OK : RENDER_MSG_APPEND_REJECTED;
	case RAFT_MSG_SNAPSHOT:
		return RENDER_MSG_SNAPSHOT;
	case RAFT_MSG_PREVOTE:
		return RENDER_MSG_PREVOTE;
	case RAFT_MSG_PREVOTE_REPLY:
		return success ? RENDER_MSG_PREVOTE_GRANTED : RENDER_MSG_PREVOTE_DENIED;
	case RAFT_MSG_TIMEOUT_NOW:
		return RENDER_MSG_TIMEOUT_NOW;
	}
	return RENDER_MSG_KINDS;
}

static const struct msg_look *msg_look(enum render_msg_kind k)
{
	return (unsigned)k < RENDER_MSG_KINDS ? &msg_looks[k] : NULL;
}

const char *render_msg_kind_label(enum render_msg_kind k)
{
	const struct msg_look *m = msg_look(k);
	return m ? _(m->label) : NULL;
}

const char *render_msg_kind_brief(enum render_msg_kind k)
{
	const struct msg_look *m = msg_look(k);
	return m ? _(m->brief) : NULL;
}

const char *render_msg_kind_many(enum render_msg_kind k)
{
	const struct msg_look *m = msg_look(k);
	return m ? _(m->many) : NULL;
}

struct rgba render_msg_colour(enum render_msg_kind k)
{
	const struct msg_look *m = msg_look(k);
	return m ? m->colour : C_INK3;
}

uint32_t render_msg_kind_rgb(enum render_msg_kind k)
{
	return rgb_of(render_msg_colour(k));
}

struct rgba render_role_colour(enum render_role_look r)
{
	return (unsigned)r < RENDER_ROLE_LOOKS ? role_looks[r].colour : C_CRASH;
}

uint32_t render_role_rgb(enum render_role_look r)
{
	return rgb_of(render_role_colour(r));
}

const char *render_role_look_label(enum render_role_look r)
{
	return (unsigned)r < RENDER_ROLE_LOOKS ? _(role_looks[r].label) : NULL;
}

struct rgba render_term_colour(uint64_t term)
{
	if (!term)
		return C_WHITE; /* before the first election: no term yet */
	return term_ramp[(term - 1) % RENDER_TERM_COLOURS];
}

uint32_t render_term_rgb(uint64_t term)
{
	return rgb_of(render_term_colour(term));
}

enum render_role_look render_role_look_of(const struct sim *s, unsigned node)
{
	if (!sim_node_up(s, (uint8_t)node))
		return RENDER_ROLE_CRASHED;
	switch (raft_role(sim_node(s, (uint8_t)node))) {
	case RAFT_FOLLOWER:
		return RENDER_ROLE_FOLLOWER;
	case RAFT_CANDIDATE:
		return RENDER_ROLE_CANDIDATE;
	case RAFT_LEADER:
		return RENDER_ROLE_LEADER;
	case RAFT_PRECANDIDATE:
		return RENDER_ROLE_PRECANDIDATE;
	}
	return RENDER_ROLE_FOLLOWER;
}

/* ---- Messages ---------------------------------------------------------------- */
/* The filled or hollow body of one shape: an ink edge, the colour, and for
 * replies a white inside (rim of width rim).  size is the shape's own
 * measure: apothem (diamond), radius (dot), half side (box), half width (page). */
static void body(struct render_gfx *g, enum msg_shape shape, float x, float y, float size,
                 float u, bool hollow, bool dashed, struct rgba col, struct rgba ink,
                 struct rgba white)
{
	float edge = 1.3f * u, rim = 2.8f * u;
	switch (shape) {
	case SHAPE_DIAMOND:
		if (!hollow) {
			render_gfx_diamond(g, x, y, size + edge, 0, false, ink);
			render_gfx_diamond(g, x, y, size, 0, false, col);
			return;
		}
		render_gfx_diamond(g, x, y, size - rim + 0.5f * u, 0, false, white);
		render_gfx_diamond(g, x, y, size + edge, rim + 2 * edge, dashed, ink);
		render_gfx_diamond(g, x, y, size, rim, dashed, col);
		return;
	case SHAPE_DOT:
		render_gfx_disc(g, x, y, size + edge, ink);
		render_gfx_disc(g, x, y, size, col);
		if (hollow)
			render_gfx_disc(g, x, y, size - rim, white);
		return;
	case SHAPE_BOX:
		if (!hollow) {
			render_gfx_box(g, x, y, size + edge, 0, false, ink);
			render_gfx_box(g, x, y, size, 0, false, col);
			return;
		}
		render_gfx_box(g, x, y, size - rim + 0.5f * u, 0, false, white);
		render_gfx_box(g, x, y, size + edge, rim + 2 * edge, dashed, ink);
		render_gfx_box(g, x, y, size, rim, dashed, col);
		return;
	case SHAPE_TRIANGLE: {
		/* pointing up, or down for a refusal (dashed); size is the
		 * distance from the centre to a corner */
		float d = dashed ? -1.0f : 1.0f;
		float h = size * 0.5f, w = size * 0.866f, e = edge * 2.0f;
		render_gfx_triangle(g, x, y - d * (size + e), x - w - e * 0.87f, y + d * (h + e * 0.5f),
		                    x + w + e * 0.87f, y + d * (h + e * 0.5f), ink);
		render_gfx_triangle(g, x, y - d * size, x - w, y + d * h, x + w, y + d * h, col);
		if (hollow) {
			float k = (size - 2 * rim) / size;
			render_gfx_triangle(g, x, y - d * size * k, x - w * k, y + d * h * k, x + w * k,
			                    y + d * h * k, white);
		}
		return;
	}
	case SHAPE_FORWARD: {
		/* two triangles pointing right, side by side (fast-forward);
		 * size is the half height of each */
		float w = size * 0.95f, e = edge * 1.6f;
		for (int i = 0; i < 2; i++) {
			float x0 = x - w + (float)i * w;
			render_gfx_triangle(g, x0 - e, y - size - e * 1.4f, x0 - e, y + size + e * 1.4f,
			                    x0 + w + e * 1.5f, y, ink);
		}
		for (int i = 0; i < 2; i++) {
			float x0 = x - w + (float)i * w;
			render_gfx_triangle(g, x0, y - size, x0, y + size, x0 + w, y, col);
		}
		return;
	}
	case SHAPE_PAGE: {
		float hh = size * 1.3f, fold = size * 0.75f;
		render_gfx_page(g, x, y, size + edge, hh + edge, fold + edge * 0.6f, ink);
		render_gfx_page(g, x, y, size, hh, fold, col);
		/* the dog-ear and three lines of text */
		float fx = x + size - fold, fy = y - hh;
		render_gfx_triangle(g, fx, fy, fx, fy + fold, fx + fold, fy + fold, ink);
		for (int i = 0; i < 3; i++) {
			float ly = y - hh * 0.12f + (float)i * hh * 0.34f;
			float lw = i == 2 ? size * 0.9f : size * 1.4f;
			render_gfx_rect(g, x - size * 0.65f, ly, lw, 1.8f * u, ink);
		}
		return;
	}
	}
}

void render_shape_msg(struct render_gfx *g, enum render_msg_kind k, uint32_t n_entries, float x,
                      float y, float u, float alpha, bool mono)
{
	const struct msg_look *m = msg_look(k);
	if (!m)
		return;
	struct rgba col = rgba_alpha(mono ? C_MONO : m->colour, alpha);
	struct rgba ink = rgba_alpha(C_INK, alpha), white = rgba_alpha(C_WHITE, alpha);
	struct rgba refused = rgba_alpha(mono ? C_MONO : C_REFUSED, alpha);
	float size = 0, mark = 0;
	switch (m->shape) {
	case SHAPE_DIAMOND:
		/* 24 px corner to corner; replies a little larger, to hold their mark */
		size = (m->reply ? 10.5f : 8.5f) * u;
		mark = 5.6f * u;
		break;
	case SHAPE_DOT:
		size = 6.0f * u;
		break;
	case SHAPE_BOX:
		size = 9.5f * u;
		mark = 6.4f * u;
		break;
	case SHAPE_PAGE:
		size = 9.0f * u;
		break;
	case SHAPE_TRIANGLE:
		size = (m->reply ? 14.0f : 11.0f) * u;
		mark = 5.0f * u;
		break;
	case SHAPE_FORWARD:
		size = 8.5f * u;
		break;
	}
	body(g, m->shape, x, y, size, u, m->reply, m->reply && !m->ok, col, ink, white);
	if (m->reply) {
		if (m->ok)
			render_gfx_check(g, x, y, mark, 2.4f * u, ink);
		else
			render_gfx_cross(g, x, y, mark * 0.7f, 2.6f * u, refused);
		return;
	}
	if (k == RENDER_MSG_ENTRIES && n_entries > 0 && u >= 0.6f) {
		char num[8];
		snprintf(num, sizeof num, n_entries > 99 ? "99+" : "%u", n_entries);
		int px = (int)lroundf((n_entries > 9 ? 10.0f : 13.0f) * u);
		render_gfx_text(g, px < 9 ? 9 : px, true, white, num, x, y, GFX_CENTER | GFX_MIDDLE);
	}
}

void render_draw_msg_specimen(struct render_gfx *g, enum render_msg_kind k, int w, int h, float u,
                              bool mono)
{
	render_gfx_begin(g, C_BG);
	render_shape_msg(g, k, 1, (float)w / 2, (float)h / 2, u, 1, mono);
	render_gfx_end(g);
}

/* ---- Roles ------------------------------------------------------------------- */
void render_shape_role(struct render_gfx *g, enum render_role_look look, float x, float y, float r,
                       bool compact, bool mono)
{
	struct rgba fill = mono ? C_MONO : render_role_colour(look);
	struct rgba ink = C_INK;
	float thin = fmaxf(r * 0.06f, 1.2f);
	switch (look) {
	case RENDER_ROLE_FOLLOWER:
		render_gfx_disc(g, x, y, r, ink);
		render_gfx_disc(g, x, y, r - thin, fill);
		return;
	case RENDER_ROLE_CANDIDATE: {
		render_gfx_disc(g, x, y, r, ink);
		render_gfx_disc(g, x, y, r - thin, fill);
		/* a second, dashed ring inside the rim */
		float w = fmaxf(r * 0.07f, 1.2f), ri = compact ? r * 0.5f : r - 3 * thin - w;
		render_gfx_dashed_ring(g, x, y, ri, ri + w, compact ? 6 : 12, 0, ink);
		return;
	}
	case RENDER_ROLE_LEADER: {
		float thick = fmaxf(r * 0.12f, 2.2f);
		render_gfx_disc(g, x, y, r, ink);
		render_gfx_disc(g, x, y, r - thick, fill);
		struct rgba star = mono ? C_MONO : OI_YELLOW;
		if (compact) {
			render_gfx_star(g, x, y + r * 0.05f, r * 0.78f, r * 0.34f, 5, ink);
			render_gfx_star(g, x, y + r * 0.05f, r * 0.56f, r * 0.24f, 5, star);
		} else {
			/* a star on the rim: the leader without needing colour */
			float so = r * 0.34f;
			render_gfx_star(g, x, y - r, so, so * 0.44f, 5, ink);
			render_gfx_star(g, x, y - r, so * 0.76f, so * 0.33f, 5, star);
		}
		return;
	}
	case RENDER_ROLE_PRECANDIDATE: {
		/* a follower's body inside a dashed halo: asking, not yet running */
		render_gfx_disc(g, x, y, r, ink);
		render_gfx_disc(g, x, y, r - thin, fill);
		float w = fmaxf(r * 0.10f, 1.6f), ro = r + (compact ? r * 0.2f : r * 0.28f);
		render_gfx_dashed_ring(g, x, y, ro - w, ro, compact ? 8 : 16, 0, ink);
		return;
	}
	case RENDER_ROLE_CRASHED:
		render_gfx_disc(g, x, y, r, RGBA(150, 150, 150, 255));
		render_gfx_disc(g, x, y, r - fmaxf(r * 0.05f, 1), fill);
		render_gfx_cross(g, x, y, r * 0.7f, fmaxf(r * 0.14f, 2), RGBA(60, 60, 60, 190));
		return;
	}
}

void render_draw_role_specimen(struct render_gfx *g, enum render_role_look r, int w, int h,
                               float u, bool mono)
{
	render_gfx_begin(g, C_BG);
	render_shape_role(g, r, (float)w / 2, (float)h / 2 + 6 * u, 46 * u, false, mono);
	render_gfx_end(g);
}
