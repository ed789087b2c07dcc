/* pace.c - how fast the window plays: auto pace (slow motion while a message that matters flies), the script's `set pace=`, and how long a narration stays on screen.  Pure arithmetic over the const sim; the window supplies the wall clock. */
#include "render.h"
#include "i18n.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool render_pace_matters(const struct raft_msg *m)
{
	switch ((enum raft_msg_type)m->type) { /* every type (no default) */
	case RAFT_MSG_VOTE:
	case RAFT_MSG_VOTE_REPLY:
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_PREVOTE_REPLY:
	case RAFT_MSG_SNAPSHOT:
	case RAFT_MSG_TIMEOUT_NOW:
		return true;
	case RAFT_MSG_APPEND:
		return m->n_entries > 0;
	case RAFT_MSG_APPEND_REPLY:
		/* an answer to entries (it now matches past the previous index)
		 * or a refusal (the log is being repaired) */
		return !m->success || m->commit > m->index;
	}
	return false;
}

double render_pace_auto_target(const struct sim *s)
{
	double pace = RENDER_PACE_QUIET;
	size_t cap = sim_msg_capacity(s);
	for (size_t i = 0; i < cap; i++) {
		const struct sim_msg *m = sim_msg_slot(s, i);
		if (!m || !render_pace_matters(&m->m))
			continue;
		double flight_s = (double)(m->deliver_us - m->send_us) / 1e6;
		double p = flight_s / RENDER_PACE_FLIGHT_S;
		if (p < pace)
			pace = p;
	}
	if (pace < RENDER_PACE_SLOWEST)
		pace = RENDER_PACE_SLOWEST;
	return pace;
}

double render_pace_ease(double pace, double target, double dt_s)
{
	if (pace <= 0 || target <= pace || dt_s <= 0)
		return target; /* slow down at once */
	double up = pace * exp2(dt_s / RENDER_PACE_DOUBLE_S);
	return up < target ? up : target;
}

double render_say_read_s(const char *say)
{
	if (!say || !*say)
		return 0;
	unsigned words = 0;
	for (const char *p = say; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		words++;
		while (*p && *p != ' ')
			p++;
	}
	double s = RENDER_SAY_S_PER_WORD * words;
	return s < RENDER_SAY_MIN_S ? RENDER_SAY_MIN_S : s;
}

static void hold_accept(struct render_say_hold *h, const char *say, double now_s)
{
	snprintf(h->shown, sizeof h->shown, "%s", say ? say : "");
	h->since_s = now_s;
	h->until_s = 0;
}

bool render_say_hold_update(struct render_say_hold *h, const char *say, double now_s)
{
	if (!say)
		say = "";
	if (!strcmp(say, h->shown)) {
		h->until_s = 0;
		return false;
	}
	double need = h->since_s + render_say_read_s(h->shown);
	if (now_s < need) {
		h->until_s = need;
		return true;
	}
	hold_accept(h, say, now_s);
	return false;
}

void render_say_hold_sync(struct render_say_hold *h, const char *say, double now_s)
{
	if (!say)
		say = "";
	if (h->until_s > 0 && now_s < h->until_s)
		return;
	if (strcmp(say, h->shown) != 0 || h->until_s > 0)
		hold_accept(h, say, now_s);
}

void render_say_hold_reset(struct render_say_hold *h, const char *say, double now_s)
{
	if (!say)
		say = "";
	if (strcmp(say, h->shown) != 0 || h->until_s > 0)
		hold_accept(h, say, now_s);
}

const char *render_say_hold_text(const struct render_say_hold *h, const char *say, double now_s)
{
	return h->until_s > 0 && now_s < h->until_s ? h->shown : say;
}

long render_script_pace(const struct scn_runner *r)
{
	size_t n = 0;
	const struct scn_record *rec = scn_runner_history(r, &n);
	while (n-- > 0)
		if (rec[n].kind == SCN_REC_EXEC && rec[n].cmd.kind == SCN_CMD_SET &&
		    (rec[n].cmd.set.mask & SCN_SET_PACE))
			return (long)rec[n].cmd.set.pace_div;
	return -1;
}

void render_pace_text(bool is_auto, double pace, char *buf, size_t cap)
{
	double div = pace > 0 ? 1.0 / pace : 0;
	char now[32];
	if (div < 1.5)
		snprintf(now, sizeof now, "%s", _("real time"));
	else
		snprintf(now, sizeof now, "1/%.0f", div);
	if (is_auto)
		snprintf(buf, cap, _("auto (%s now)"), now);
	else
		snprintf(buf, cap, "%s", now);
}
