/* history.c - checkpoints, seek and step back over a scenario runner, with the user's commands recorded and replayed (SDL-free). */
#include "history.h"
#include "eventline.h"
#include "msglog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define DEFAULT_CP_EVENTS 2000u
#define DEFAULT_CP_US 2000000
#define DEFAULT_CP_MAX 256u
#define DEFAULT_CP_BYTES (320u * 1024u * 1024u)
#define KEEP_RECENT 8u            /* newest checkpoints never thinned */
#define MARKERS_MAX 200000u
#define CHUNK_US_MIN 1000
#define CHUNK_US_MAX 1000000
/* Returned inside this file when a slice of a move used up its budget of
 * simulator events: the move goes on at the next render_history_work(). */
#define HIST_SLICE (-100)

/* The part of the history's own state that belongs to a position: it is
 * saved with every checkpoint and restored with it. */
struct hist_state {
	uint64_t seq;       /* trace records seen since the start */
	uint64_t commit_hi; /* highest committed index seen */
	struct render_evstate ev; /* the event line and recent rollbacks */
	char error[SCN_ERR_MAX]; /* a failed expectation or violation, "" */
};

/* A user command stamped with where it was issued. */
struct hist_action {
	char *line;
	uint64_t events; /* simulator events processed before it */
	int64_t time_us;
	size_t records;  /* runner history records before it */
};

/* A script `pause` the session stopped at: where along the recording. */
struct hist_pause {
	uint64_t events;
	int64_t time_us;
	size_t records; /* runner records, the pause's own included */
};

struct hist_cp {
	struct scn_runner *r;
	uint64_t events;
	int64_t time_us;
	size_t acts; /* actions applied */
	struct hist_state st;
	int status;
	bool at_pause;
	size_t bytes;
};

/* A long move done in slices (render_history_work).  The one-shot moves
 * are the same thing done in one slice. */
struct hist_move {
	int kind;               /* enum render_move_kind */
	int64_t target_us;      /* SEEK: where to; NEXT_LEADER: the end of the search */
	uint64_t target_events; /* STEP_BACK: the event count to land on */
	int64_t from_us;        /* where the replay began, for the progress */
	uint64_t from_events;
	bool seen_done, seen_failed; /* statuses reported by earlier slices */
	bool sliced;            /* some slice ran out of events */
	/* STEP_BACK, PREV_PAUSE: once at target_events, stop at this pause
	 * (the state a step forward from it left) */
	bool land;
	struct hist_pause land_at;
};

struct render_history {
	struct render_history_config cfg;
	sim_trace_fn *user_fn;
	void *user_ctx;
	struct scn_runner *cur;
	int status;
	bool at_pause;
	struct hist_state st;
	struct render_shadow *shadow; /* the logs as last seen (not checkpointed) */
	bool saw_leader;   /* transient: set by the trace callback */
	struct hist_action *acts;
	size_t n_acts, cap_acts, next_act;
	struct hist_cp *cps; /* sorted by (events, time_us, acts) */
	size_t n_cps, cap_cps, cp_bytes;
	struct render_marker *mk;
	size_t n_mk, cap_mk;
	struct render_msglog msgs; /* for the diagram, recorded like the markers */
	struct hist_pause *pz; /* pauses met along the recording, in order */
	size_t n_pz, cap_pz;
	uint64_t frontier_seq; /* markers are recorded past this */
	int64_t end_us;
	int64_t chunk_us;
	/* Simulator events the current slice may still process (UINT64_MAX
	 * outside render_history_work), and whether the last runner call may
	 * have stopped early because they ran out. */
	uint64_t budget;
	bool cut_short;
	struct hist_move mv;
};

/* ---- Small readers ---------------------------------------------------------- */
static const struct sim *cur_sim(const struct render_history *h)
{
	return scn_runner_sim(h->cur);
}

static uint64_t cur_events(const struct render_history *h)
{
	return sim_counters(cur_sim(h))->events;
}

static int64_t cur_now(const struct render_history *h)
{
	return scn_runner_now_us(h->cur);
}

static size_t cur_records(const struct render_history *h)
{
	size_t n = 0;
	scn_runner_history(h->cur, &n);
	return n;
}

/* ---- Pauses met along the recording -------------------------------------------- */
static int pz_cmp(uint64_t e1, size_t r1, uint64_t e2, size_t r2)
{
	if (e1 != e2)
		return e1 < e2 ? -1 : 1;
	return r1 < r2 ? -1 : r1 > r2;
}

/* Remembers the pause the session is stopped at (once). */
static void pz_add(struct render_history *h)
{
	struct hist_pause p = {.events = cur_events(h), .time_us = cur_now(h), .records = cur_records(h)};
	size_t i = h->n_pz;
	while (i > 0 && pz_cmp(h->pz[i - 1].events, h->pz[i - 1].records, p.events, p.records) > 0)
		i--;
	if (i > 0 && pz_cmp(h->pz[i - 1].events, h->pz[i - 1].records, p.events, p.records) == 0)
		return;
	if (h->n_pz == h->cap_pz) {
		size_t cap = h->cap_pz ? h->cap_pz * 2 : 32;
		struct hist_pause *n = realloc(h->pz, cap * sizeof *n);
		if (!n)
			return; /* only PageUp is the poorer for it */
		h->pz = n;
		h->cap_pz = cap;
	}
	memmove(&h->pz[i + 1], &h->pz[i], (h->n_pz - i) * sizeof *h->pz);
	h->pz[i] = p;
	h->n_pz++;
}

/* Forgets the pauses after (events, records): the recording changes there. */
static void pz_drop_after(struct render_history *h, uint64_t events, size_t records)
{
	while (h->n_pz > 0 &&
	       pz_cmp(h->pz[h->n_pz - 1].events, h->pz[h->n_pz - 1].records, events, records) > 0)
		h->n_pz--;
}

/* The newest pause at or before (events, records) (strictly before when
 * strict), or NULL. */
static const struct hist_pause *pz_before(const struct render_history *h, uint64_t events,
                                          size_t records, bool strict)
{
	for (size_t i = h->n_pz; i-- > 0;) {
		int c = pz_cmp(h->pz[i].events, h->pz[i].records, events, records);
		if (c < 0 || (c == 0 && !strict))
			return &h->pz[i];
	}
	return NULL;
}

/* A user command that changes what the script runs (not say / expect). */
static bool changes_run(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strcspn(line, " \t");
	return !(n == 3 && !strncmp(line, "say", 3)) && !(n == 6 && !strncmp(line, "expect", 6));
}

/* ---- The trace callback: caption and markers ---------------------------------- */
static void add_marker(struct render_history *h, const struct sim_trace *t, uint8_t kind,
                       uint64_t index)
{
	if (h->n_mk >= MARKERS_MAX)
		return;
	if (h->n_mk == h->cap_mk) {
		size_t cap = h->cap_mk ? h->cap_mk * 2 : 256;
		struct render_marker *m = realloc(h->mk, cap * sizeof *m);
		if (!m)
			return; /* markers are decoration: losing one is fine */
		h->mk = m;
		h->cap_mk = cap;
	}
	h->mk[h->n_mk++] = (struct render_marker){
	    .time_us = t->time_us, .seq = h->st.seq, .kind = kind, .node = t->node, .index = index};
}

static void on_trace(void *ctx, const struct sim_trace *t)
{
	struct render_history *h = ctx;
	h->st.seq++;
	if (t->kind == SIM_T_LEADER)
		h->saw_leader = true;

	/* a restart keeps only what was written: not a rollback */
	if (t->kind == SIM_T_RESTART)
		render_shadow_resync(h->shadow, cur_sim(h), t->node);
	render_ev_trace(&h->st.ev, t);
	render_shadow_check(h->shadow, cur_sim(h), &h->st.ev, t->time_us);

	bool fresh = h->st.seq > h->frontier_seq;
	if (fresh) {
		h->frontier_seq = h->st.seq;
		if (t->time_us > h->end_us)
			h->end_us = t->time_us;
	}
	render_msglog_trace(&h->msgs, cur_sim(h), t, h->st.seq, fresh);
	switch (t->kind) {
	case SIM_T_TIMEOUT:
		if (fresh)
			add_marker(h, t, RENDER_MK_ELECTION, t->term);
		break;
	case SIM_T_LEADER:
		if (fresh)
			add_marker(h, t, RENDER_MK_LEADER, t->term);
		break;
	case SIM_T_CRASH:
		if (fresh)
			add_marker(h, t, RENDER_MK_CRASH, 0);
		break;
	case SIM_T_RESTART:
		if (fresh)
			add_marker(h, t, RENDER_MK_RESTART, 0);
		break;
	case SIM_T_LINK:
		if (fresh)
			add_marker(h, t, t->success ? RENDER_MK_HEAL : RENDER_MK_NETWORK, 0);
		break;
	case SIM_T_PARTITION:
		if (fresh)
			add_marker(h, t, RENDER_MK_NETWORK, 0);
		break;
	case SIM_T_HEAL:
		if (fresh)
			add_marker(h, t, RENDER_MK_HEAL, 0);
		break;
	case SIM_T_COMMIT:
		if (t->index > h->st.commit_hi) {
			h->st.commit_hi = t->index;
			if (fresh)
				add_marker(h, t, RENDER_MK_COMMIT, t->index);
		}
		break;
	case SIM_T_VIOLATION:
		if (fresh)
			add_marker(h, t, RENDER_MK_VIOLATION, 0);
		break;
	case SIM_T_SNAPSHOT:
		if (fresh && t->success)
			add_marker(h, t, RENDER_MK_SNAPSHOT, t->index);
		break;
	case SIM_T_TRANSFER:
		if (fresh && t->success)
			add_marker(h, t, RENDER_MK_TRANSFER, t->peer);
		break;
	default:
		break;
	}
	if (h->user_fn)
		h->user_fn(h->user_ctx, t);
}

/* ---- Checkpoints -------------------------------------------------------------- */
/* What a clone of the runner takes, roughly: logs and maps, messages,
 * client requests, the checker's per-index tables, the runner's records. */
static size_t estimate_bytes(const struct scn_runner *r)
{
	const struct sim *s = scn_runner_sim(r);
	const struct sim_counters *k = sim_counters(s);
	size_t b = 64 * 1024, records = 0;
	for (uint16_t i = 1; i <= sim_n_nodes(s); i++) {
		const struct raft_node *n = sim_node(s, (uint8_t)i);
		b += (size_t)raft_last_index(n) * (sizeof(struct raft_entry) + 24);
		b += raft_map_capacity(n) * (sizeof(struct raft_entry) + 8);
	}
	b += sim_msg_capacity(s) * (sizeof(struct sim_msg) + 96);
	b += (size_t)k->commits * 120 + (size_t)k->client_requests * 72;
	scn_runner_history(r, &records);
	b += records * 400;
	return b;
}

static void cp_free(struct hist_cp *c)
{
	scn_runner_free(c->r);
	c->r = NULL;
}

static int pos_cmp(uint64_t e1, int64_t t1, size_t a1, uint64_t e2, int64_t t2, size_t a2)
{
	if (e1 != e2)
		return e1 < e2 ? -1 : 1;
	if (t1 != t2)
		return t1 < t2 ? -1 : 1;
	if (a1 != a2)
		return a1 < a2 ? -1 : 1;
	return 0;
}

/* Index of the last checkpoint at or before the current position. */
static size_t cp_before_here(const struct render_history *h)
{
	uint64_t e = cur_events(h);
	int64_t t = cur_now(h);
	size_t lo = 0, hi = h->n_cps; /* first one after */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct hist_cp *c = &h->cps[mid];
		if (pos_cmp(c->events, c->time_us, c->acts, e, t, h->next_act) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

static void cp_remove(struct render_history *h, size_t i)
{
	h->cp_bytes -= h->cps[i].bytes;
	cp_free(&h->cps[i]);
	memmove(&h->cps[i], &h->cps[i + 1], (h->n_cps - i - 1) * sizeof *h->cps);
	h->n_cps--;
}

/* Keeps the base, the newest KEEP_RECENT, and every other one of the rest:
 * older history gets sparser, step back near the present stays cheap. */
static void cp_thin(struct render_history *h)
{
	while ((h->n_cps > h->cfg.checkpoints_max || h->cp_bytes > h->cfg.checkpoint_bytes_max) &&
	       h->n_cps > KEEP_RECENT + 2) {
		size_t end = h->n_cps - KEEP_RECENT;
		size_t before = h->n_cps;
		for (size_t i = end - 1; i >= 1; i--) {
			if (i % 2 == 1)
				cp_remove(h, i);
			if (i == 1)
				break;
		}
		if (h->n_cps == before)
			break;
	}
}

static int cp_take(struct render_history *h, size_t at)
{
	if (h->n_cps == h->cap_cps) {
		size_t cap = h->cap_cps ? h->cap_cps * 2 : 64;
		struct hist_cp *c = realloc(h->cps, cap * sizeof *c);
		if (!c)
			return -1;
		h->cps = c;
		h->cap_cps = cap;
	}
	struct scn_runner *r = scn_runner_clone(h->cur);
	if (!r)
		return -1;
	/* a restore rebuilds the log copy from here: bring it up to date so
	 * a rollback is reported the same way however this point is reached */
	render_shadow_check(h->shadow, cur_sim(h), &h->st.ev, cur_now(h));
	memmove(&h->cps[at + 1], &h->cps[at], (h->n_cps - at) * sizeof *h->cps);
	h->cps[at] = (struct hist_cp){
	    .r = r,
	    .events = cur_events(h),
	    .time_us = cur_now(h),
	    .acts = h->next_act,
	    .st = h->st,
	    .status = h->status,
	    .at_pause = h->at_pause,
	    .bytes = estimate_bytes(h->cur),
	};
	h->cp_bytes += h->cps[at].bytes;
	h->n_cps++;
	cp_thin(h);
	return 0;
}

/* Takes a checkpoint here if the nearest earlier one is far enough. */
static void maybe_checkpoint(struct render_history *h)
{
	size_t i = cp_before_here(h);
	const struct hist_cp *c = &h->cps[i];
	uint64_t e = cur_events(h);
	int64_t t = cur_now(h);
	if (e - c->events < h->cfg.checkpoint_events && t - c->time_us < h->cfg.checkpoint_us)
		return;
	if (i + 1 < h->n_cps && h->cps[i + 1].events - e < h->cfg.checkpoint_events / 2)
		return; /* one just ahead already covers this stretch */
	cp_take(h, i + 1); /* a failed checkpoint only costs speed later */
}

static int restore(struct render_history *h, size_t i)
{
	struct scn_runner *r = scn_runner_clone(h->cps[i].r);
	if (!r)
		return -1;
	scn_runner_free(h->cur);
	h->cur = r;
	h->next_act = h->cps[i].acts;
	h->st = h->cps[i].st;
	h->status = h->cps[i].status;
	h->at_pause = h->cps[i].at_pause;
	render_shadow_reset(h->shadow, cur_sim(h));
	return 0;
}

/* ---- Driving the runner ------------------------------------------------------ */
/* Folds a runner status into the history's: a failed expectation is
 * remembered and the script abandoned so the simulation can go on; a
 * violation stops for good. */
static int note(struct render_history *h, int rc)
{
	if (rc == SCN_FAILED) {
		if (!h->st.error[0])
			snprintf(h->st.error, sizeof h->st.error, "%s", scn_runner_error(h->cur));
		if (!sim_violation(cur_sim(h)))
			scn_runner_abandon(h->cur);
	}
	h->status = rc;
	h->at_pause = rc == SCN_PAUSED;
	if (h->at_pause)
		pz_add(h);
	int64_t now = cur_now(h);
	if (now > h->end_us)
		h->end_us = now;
	return rc;
}

static bool stopped(const struct render_history *h)
{
	return sim_violation(cur_sim(h)) != NULL;
}

/* Counts n processed events against the slice's budget. */
static void spend(struct render_history *h, uint64_t n)
{
	h->budget = n >= h->budget ? 0 : h->budget - n;
}

/* Brings the runner's records up to n by executing the commands due now
 * (a `run until` that just reached its condition, a pause, ...). */
static void catch_up_records(struct render_history *h, size_t n)
{
	for (int guard = 0; guard < 64 && cur_records(h) < n; guard++) {
		size_t before = cur_records(h);
		int rc = note(h, scn_runner_advance(h->cur, cur_now(h)));
		if (cur_records(h) == before && rc != SCN_PAUSED)
			break;
	}
}

static void exec_action(struct render_history *h, const struct hist_action *a)
{
	char err[SCN_ERR_MAX];
	catch_up_records(h, a->records);
	/* It succeeded when it was recorded, at this same state. */
	if (scn_runner_exec(h->cur, a->line, err, sizeof err) == 0 && changes_run(a->line))
		scn_runner_set_advisory(h->cur, true);
	h->at_pause = false;
}

/* Applies the recorded actions issued exactly here (same events, same
 * time): a position always includes the actions taken at it. */
static void apply_due_here(struct render_history *h)
{
	while (h->next_act < h->n_acts) {
		const struct hist_action *a = &h->acts[h->next_act];
		if (a->events != cur_events(h) || a->time_us != cur_now(h))
			break;
		exec_action(h, a);
		h->next_act++;
	}
}

/* Advances to t (t > now) without reaching past a pause unless asked,
 * taking checkpoints on the way.  No recorded action lies before t. */
static int advance_plain(struct render_history *h, int64_t t, bool ignore_pauses)
{
	int rc = SCN_RUNNING;
	bool done = false, failed = false;
	h->cut_short = false;
	while (cur_now(h) < t) {
		if (h->budget == 0)
			return HIST_SLICE;
		int64_t to = cur_now(h) + h->chunk_us;
		if (to > t || to < cur_now(h))
			to = t;
		uint64_t e0 = cur_events(h), allowed = h->budget;
		rc = note(h, scn_runner_advance_max(h->cur, to, allowed));
		uint64_t de = cur_events(h) - e0;
		spend(h, de);
		/* all the events allowed: it may have stopped short of `to`, even
		 * part way through the instant at t */
		h->cut_short = de >= allowed;
		/* keep about a fifth of a checkpoint interval per chunk */
		if (de > h->cfg.checkpoint_events / 5 && h->chunk_us > CHUNK_US_MIN)
			h->chunk_us /= 2;
		else if (de < h->cfg.checkpoint_events / 40 && h->chunk_us < CHUNK_US_MAX)
			h->chunk_us *= 2;
		maybe_checkpoint(h);
		if (rc == SCN_DONE)
			done = h->mv.seen_done = true;
		if (rc == SCN_FAILED && stopped(h))
			return rc;
		if (rc == SCN_FAILED) {
			/* a failed expectation: reported once, the script is
			 * abandoned; playing stops there, replays go on */
			failed = h->mv.seen_failed = true;
			if (!ignore_pauses)
				return rc;
		}
		if (rc == SCN_PAUSED && !ignore_pauses)
			return rc;
	}
	if (h->cut_short)
		return HIST_SLICE; /* the rest of the instant at t is for later */
	if (failed)
		return SCN_FAILED;
	return done ? SCN_DONE : (rc == SCN_PAUSED ? SCN_RUNNING : rc);
}

/* Processes one simulator event (the runner may first stop at a pause or
 * report the end of the script).  Returns the status and whether an event
 * was processed. */
static int step_once(struct render_history *h, bool *moved)
{
	uint64_t e0 = cur_events(h);
	int rc = note(h, scn_runner_step_event(h->cur));
	*moved = cur_events(h) != e0;
	spend(h, cur_events(h) - e0);
	return rc;
}

/* Runs the recorded actions issued at this event count but later in time
 * (after an advance), so the next event can be processed. */
static int apply_before_next_event(struct render_history *h, bool ignore_pauses)
{
	while (h->next_act < h->n_acts && h->acts[h->next_act].events == cur_events(h)) {
		const struct hist_action *a = &h->acts[h->next_act];
		if (a->time_us > cur_now(h)) {
			int rc = advance_plain(h, a->time_us, ignore_pauses);
			if (rc == HIST_SLICE || rc == SCN_PAUSED ||
			    (rc == SCN_FAILED && (stopped(h) || !ignore_pauses)))
				return rc;
			if (cur_now(h) < a->time_us)
				return -1;
		}
		exec_action(h, a);
		h->next_act++;
	}
	return SCN_RUNNING;
}

/* One event forward along the recording. */
static int forward_event(struct render_history *h, bool ignore_pauses, bool *moved)
{
	*moved = false;
	int rc = apply_before_next_event(h, ignore_pauses);
	if (rc != SCN_RUNNING)
		return rc;
	for (int tries = 0; tries < 8; tries++) {
		rc = step_once(h, moved);
		if (*moved || (rc == SCN_FAILED && stopped(h)))
			break;
		if (rc == SCN_PAUSED && !ignore_pauses)
			break;
	}
	if (*moved) {
		apply_due_here(h);
		maybe_checkpoint(h);
	}
	return rc;
}

/* Forward to time t along the recording, replaying recorded actions. */
static int forward_to(struct render_history *h, int64_t t, bool ignore_pauses)
{
	int result = SCN_RUNNING;
	apply_due_here(h);
	if (t <= cur_now(h)) {
		/* resume after a pause / run the commands due now */
		size_t before = cur_records(h);
		int rc = note(h, scn_runner_advance(h->cur, cur_now(h)));
		if (cur_records(h) != before)
			apply_due_here(h);
		return rc;
	}
	while (!stopped(h)) {
		if (h->budget == 0)
			return HIST_SLICE;
		if (h->next_act < h->n_acts && h->acts[h->next_act].time_us <= t) {
			/* reach the next recorded action event by event */
			const struct hist_action *a = &h->acts[h->next_act];
			if (cur_events(h) < a->events) {
				bool moved;
				int rc = forward_event(h, ignore_pauses, &moved);
				if (rc == HIST_SLICE)
					return rc;
				if (rc == SCN_DONE) {
					result = SCN_DONE;
					h->mv.seen_done = true;
				}
				if (rc == SCN_FAILED && (stopped(h) || !ignore_pauses))
					return rc;
				if (rc == SCN_FAILED) {
					result = SCN_FAILED;
					h->mv.seen_failed = true;
				}
				if (rc == SCN_PAUSED && !ignore_pauses)
					return rc;
				if (!moved && rc != SCN_PAUSED && rc != SCN_DONE && rc != SCN_FAILED)
					return -1;
				continue;
			}
			int rc = apply_before_next_event(h, ignore_pauses);
			if (rc == SCN_FAILED && !stopped(h) && ignore_pauses) {
				result = SCN_FAILED;
				h->mv.seen_failed = true;
			} else if (rc != SCN_RUNNING) {
				return rc;
			}
			continue;
		}
		int rc = advance_plain(h, t, ignore_pauses);
		if (rc == HIST_SLICE)
			return rc;
		apply_due_here(h);
		if (rc == SCN_DONE && result != SCN_FAILED)
			result = SCN_DONE;
		else if (rc != SCN_RUNNING && rc != SCN_DONE)
			result = rc;
		break;
	}
	return stopped(h) ? SCN_FAILED : result;
}

/* ---- Public: moving ------------------------------------------------------------- */
int render_history_advance(struct render_history *h, int64_t t_us, bool ignore_pauses)
{
	h->mv.kind = RENDER_MOVE_NONE;
	return forward_to(h, t_us, ignore_pauses);
}

int render_history_step(struct render_history *h)
{
	h->mv.kind = RENDER_MOVE_NONE;
	if (stopped(h))
		return SCN_FAILED;
	bool moved;
	return forward_event(h, false, &moved);
}

/* Index of the newest checkpoint strictly before event count `target` (the
 * base for target 0). */
static size_t cp_for_events(const struct render_history *h, uint64_t target)
{
	size_t best = 0;
	for (size_t lo = 0, hi = h->n_cps; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (h->cps[mid].events < target) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return best;
}

/* ---- Moves in slices ------------------------------------------------------------ */
static void move_reset(struct render_history *h, int kind)
{
	h->mv = (struct hist_move){.kind = kind, .from_us = cur_now(h), .from_events = cur_events(h)};
}

int render_history_seek_begin(struct render_history *h, int64_t t_us)
{
	if (t_us < 0)
		t_us = 0;
	move_reset(h, RENDER_MOVE_NONE);
	/* the newest checkpoint at or before t */
	size_t best = 0;
	for (size_t lo = 0, hi = h->n_cps; lo < hi;) {
		size_t mid = (lo + hi) / 2;
		if (h->cps[mid].time_us <= t_us) {
			best = mid;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	/* Back: from there.  Forward: from there too when it is ahead of here
	 * (every checkpoint lies on the recording, see render_history_exec):
	 * copying a checkpoint beats replaying what was explored before. */
	if (t_us < cur_now(h) || h->cps[best].events > cur_events(h)) {
		if (restore(h, best) != 0)
			return -1;
	}
	move_reset(h, RENDER_MOVE_SEEK);
	h->mv.target_us = t_us;
	return 0;
}

int render_history_step_back_begin(struct render_history *h)
{
	move_reset(h, RENDER_MOVE_NONE);
	uint64_t e = cur_events(h);
	if (e == 0)
		return -1;
	if (restore(h, cp_for_events(h, e - 1)) != 0)
		return -1;
	apply_due_here(h);
	move_reset(h, RENDER_MOVE_STEP_BACK);
	h->mv.target_events = e - 1;
	/* a step forward from a pause comes back to the pause */
	const struct hist_pause *p = pz_before(h, e - 1, SIZE_MAX, false);
	if (p && p->events == e - 1) {
		h->mv.land = true;
		h->mv.land_at = *p;
	}
	return 0;
}

/* A move back to the pause `to`: replay up to its event and land on it. */
static void move_to_pause(struct render_history *h, struct hist_pause to)
{
	move_reset(h, RENDER_MOVE_PREV_PAUSE);
	h->mv.target_events = to.events;
	h->mv.land = true;
	h->mv.land_at = to;
}

int render_history_prev_pause_begin(struct render_history *h)
{
	move_reset(h, RENDER_MOVE_NONE);
	const struct hist_pause *p = pz_before(h, cur_events(h), cur_records(h), h->at_pause);
	if (!p)
		return -1;
	struct hist_pause to = *p;
	if (restore(h, cp_for_events(h, to.events)) != 0)
		return -1;
	apply_due_here(h);
	move_to_pause(h, to);
	return 0;
}

int render_history_next_pause_begin(struct render_history *h, int64_t limit_us)
{
	move_reset(h, RENDER_MOVE_NEXT_PAUSE);
	h->mv.target_us = cur_now(h) + limit_us;
	return 0;
}

int render_history_back_to_script_begin(struct render_history *h)
{
	if (h->n_acts == 0) {
		render_history_restart(h);
		return 1;
	}
	const struct hist_action *a = &h->acts[0];
	const struct hist_pause *p = pz_before(h, a->events, a->records, false);
	struct hist_pause to = p ? *p : (struct hist_pause){0};
	if (render_history_restart(h) != 0)
		return -1;
	if (!p)
		return 1;
	move_to_pause(h, to);
	return 0;
}

int render_history_next_leader_begin(struct render_history *h, int64_t limit_us)
{
	move_reset(h, RENDER_MOVE_NEXT_LEADER);
	h->mv.target_us = cur_now(h) + limit_us;
	h->saw_leader = false;
	return 0;
}

/* One slice of a seek: the status once there, or HIST_SLICE. */
static int work_seek(struct render_history *h)
{
	if (!h->mv.sliced && cur_now(h) == h->mv.target_us) {
		apply_due_here(h);
		return h->status;
	}
	int rc = forward_to(h, h->mv.target_us, true);
	if (rc == HIST_SLICE || !h->mv.sliced)
		return rc;
	/* what the move reported on the way, as forward_to() does in one go */
	if (rc >= 0 && rc != SCN_FAILED && h->mv.seen_failed)
		return SCN_FAILED;
	if (rc == SCN_RUNNING && h->mv.seen_done)
		return SCN_DONE;
	return rc;
}

/* Once at the pause's event count: the commands due up to that pause. */
static int reach_pause(struct render_history *h)
{
	const struct hist_pause *p = &h->mv.land_at;
	for (int guard = 0; guard < 1000; guard++) {
		if (h->at_pause && cur_records(h) == p->records)
			return SCN_PAUSED;
		if (cur_records(h) > p->records || cur_events(h) > p->events || stopped(h))
			break;
		if (h->budget == 0)
			return HIST_SLICE;
		int rc = forward_to(h, p->time_us, false);
		if (rc == HIST_SLICE || rc < 0)
			return rc;
	}
	return h->status;
}

static int work_step_back(struct render_history *h)
{
	while (cur_events(h) < h->mv.target_events) {
		if (h->budget == 0)
			return HIST_SLICE;
		bool moved;
		int rc = forward_event(h, true, &moved);
		if (rc == HIST_SLICE)
			return rc;
		if (!moved && rc != SCN_PAUSED && rc != SCN_DONE)
			return -1;
	}
	if (h->mv.land)
		return reach_pause(h);
	return h->status;
}

static int work_next_pause(struct render_history *h)
{
	while (!stopped(h)) {
		if (cur_now(h) >= h->mv.target_us)
			return h->mv.seen_done ? SCN_DONE : SCN_RUNNING;
		if (h->budget == 0)
			return HIST_SLICE;
		int64_t to = cur_now(h) + CHUNK_US_MAX;
		if (to > h->mv.target_us)
			to = h->mv.target_us;
		int rc = forward_to(h, to, false);
		if (rc == HIST_SLICE || rc < 0 || rc == SCN_PAUSED || rc == SCN_FAILED)
			return rc;
		if (rc == SCN_DONE || h->mv.seen_done)
			return SCN_DONE;
	}
	return SCN_FAILED;
}

static int work_next_leader(struct render_history *h)
{
	while (!h->saw_leader && cur_now(h) < h->mv.target_us && !stopped(h)) {
		if (h->budget == 0)
			return HIST_SLICE;
		bool moved;
		int rc = forward_event(h, true, &moved);
		if (rc == HIST_SLICE)
			return rc;
		if (rc < 0)
			return -1;
		if (!moved && rc != SCN_PAUSED && rc != SCN_DONE)
			return 0;
	}
	return h->saw_leader ? 1 : 0;
}

int render_history_work(struct render_history *h, uint64_t max_events, int *result)
{
	int rc = -1;
	h->budget = max_events ? max_events : 1;
	switch ((enum render_move_kind)h->mv.kind) {
	case RENDER_MOVE_NONE:
		rc = -1;
		break;
	case RENDER_MOVE_SEEK:
		rc = work_seek(h);
		break;
	case RENDER_MOVE_STEP_BACK:
	case RENDER_MOVE_PREV_PAUSE:
		rc = work_step_back(h);
		break;
	case RENDER_MOVE_NEXT_LEADER:
		rc = work_next_leader(h);
		break;
	case RENDER_MOVE_NEXT_PAUSE:
		rc = work_next_pause(h);
		break;
	}
	h->budget = UINT64_MAX;
	if (rc == HIST_SLICE) {
		h->mv.sliced = true;
		return 1;
	}
	h->mv.kind = RENDER_MOVE_NONE;
	if (result)
		*result = rc;
	return 0;
}

bool render_history_moving(const struct render_history *h)
{
	return h->mv.kind != RENDER_MOVE_NONE;
}

void render_history_cancel(struct render_history *h)
{
	h->mv.kind = RENDER_MOVE_NONE;
}

static unsigned permille(uint64_t done, uint64_t total)
{
	while (total > (1ull << 40)) {
		total >>= 1;
		done >>= 1;
	}
	if (total == 0)
		return 0;
	return done >= total ? 1000 : (unsigned)(done * 1000 / total);
}

void render_history_move(const struct render_history *h, struct render_move *out)
{
	const struct hist_move *m = &h->mv;
	*out = (struct render_move){.kind = m->kind, .target_us = m->target_us};
	int64_t now = cur_now(h);
	switch ((enum render_move_kind)m->kind) {
	case RENDER_MOVE_NONE:
		break;
	case RENDER_MOVE_SEEK:
	case RENDER_MOVE_NEXT_LEADER:
	case RENDER_MOVE_NEXT_PAUSE:
		if (m->target_us > m->from_us && now > m->from_us)
			out->permille =
			    permille((uint64_t)(now - m->from_us), (uint64_t)(m->target_us - m->from_us));
		break;
	case RENDER_MOVE_STEP_BACK:
	case RENDER_MOVE_PREV_PAUSE:
		out->target_us = -1;
		if (m->target_events > m->from_events)
			out->permille = permille(cur_events(h) - m->from_events,
			                         m->target_events - m->from_events);
		break;
	}
}

/* A whole move in one slice. */
static int finish(struct render_history *h)
{
	int result = -1;
	while (render_history_work(h, UINT64_MAX, &result) == 1)
		;
	return result;
}

int render_history_step_back(struct render_history *h)
{
	if (render_history_step_back_begin(h) != 0)
		return -1;
	return finish(h);
}

int render_history_seek(struct render_history *h, int64_t t_us)
{
	if (render_history_seek_begin(h, t_us) != 0)
		return -1;
	return finish(h);
}

int render_history_next_leader(struct render_history *h, int64_t limit_us)
{
	render_history_next_leader_begin(h, limit_us);
	return finish(h);
}

int render_history_next_pause(struct render_history *h, int64_t limit_us)
{
	render_history_next_pause_begin(h, limit_us);
	return finish(h);
}

int render_history_prev_pause(struct render_history *h)
{
	if (render_history_prev_pause_begin(h) != 0)
		return -1;
	return finish(h);
}

int render_history_back_to_script(struct render_history *h)
{
	int rc = render_history_back_to_script_begin(h);
	if (rc != 0)
		return rc < 0 ? -1 : render_history_advance(h, 0, false);
	return finish(h);
}

int render_history_restart(struct render_history *h)
{
	h->mv.kind = RENDER_MOVE_NONE;
	struct scn_runner *r = scn_runner_clone(h->cps[0].r);
	if (!r)
		return -1;
	scn_runner_free(h->cur);
	h->cur = r;
	while (h->n_cps > 1)
		cp_remove(h, h->n_cps - 1);
	if (h->n_acts > 0)
		pz_drop_after(h, h->acts[0].events, h->acts[0].records);
	for (size_t i = 0; i < h->n_acts; i++)
		free(h->acts[i].line);
	h->n_acts = h->next_act = 0;
	h->st = h->cps[0].st;
	h->status = h->cps[0].status;
	h->at_pause = false;
	render_shadow_reset(h->shadow, cur_sim(h));
	h->n_mk = 0;
	render_msglog_truncate(&h->msgs, h->st.seq);
	h->frontier_seq = h->st.seq;
	h->end_us = 0;
	return 0;
}

/* ---- Public: acting --------------------------------------------------------------- */
int render_history_exec(struct render_history *h, const char *line, char *err, size_t errcap)
{
	h->mv.kind = RENDER_MOVE_NONE;
	if (h->n_acts == h->cap_acts) {
		size_t cap = h->cap_acts ? h->cap_acts * 2 : 16;
		struct hist_action *a = realloc(h->acts, cap * sizeof *a);
		if (!a) {
			snprintf(err, errcap, "out of memory");
			return -1;
		}
		h->acts = a;
		h->cap_acts = cap;
	}
	char *copy = malloc(strlen(line) + 1);
	if (!copy) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	strcpy(copy, line);
	struct hist_action a = {
	    .line = copy, .events = cur_events(h), .time_us = cur_now(h), .records = cur_records(h)};
	/* The future recorded after this point is rewritten: forget its
	 * markers first so the command's own (a crash, a cut) are recorded. */
	uint64_t seq = h->st.seq;
	while (h->n_mk > 0 && h->mk[h->n_mk - 1].seq > seq)
		h->n_mk--;
	render_msglog_truncate(&h->msgs, seq);
	h->frontier_seq = seq;
	int rc = scn_runner_exec(h->cur, line, err, errcap);
	if (rc != 0) {
		free(copy);
		return rc;
	}
	if (changes_run(line))
		scn_runner_set_advisory(h->cur, true);
	pz_drop_after(h, a.events, a.records);
	for (size_t i = h->next_act; i < h->n_acts; i++)
		free(h->acts[i].line);
	h->n_acts = h->next_act;
	while (h->n_cps > 1) {
		const struct hist_cp *c = &h->cps[h->n_cps - 1];
		if (pos_cmp(c->events, c->time_us, c->acts, a.events, a.time_us, h->next_act) <= 0)
			break;
		cp_remove(h, h->n_cps - 1);
	}
	h->end_us = cur_now(h);
	h->acts[h->n_acts++] = a;
	h->next_act = h->n_acts;
	h->at_pause = false;
	return 0;
}

int render_history_save(const struct render_history *h, const char *path, char *err,
                        size_t errcap)
{
	return scn_runner_save(h->cur, path, err, errcap);
}

/* ---- Construction ------------------------------------------------------------------ */
struct render_history *render_history_new(const struct scn_script *s,
                                          const struct scn_options *o,
                                          const struct render_history_config *c, char *err,
                                          size_t errcap)
{
	struct render_history *h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
#ifdef __GLIBC__
	/* A step back clones a checkpoint of tens of megabytes.  glibc hands
	 * blocks that large back to the kernel on free(), and faulting fresh
	 * pages in costs several times the copy itself; keeping them in the
	 * heap makes a restore a plain memcpy into warm memory. */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
	if (c)
		h->cfg = *c;
	if (!h->cfg.checkpoint_events)
		h->cfg.checkpoint_events = DEFAULT_CP_EVENTS;
	if (!h->cfg.checkpoint_us)
		h->cfg.checkpoint_us = DEFAULT_CP_US;
	if (!h->cfg.checkpoints_max)
		h->cfg.checkpoints_max = DEFAULT_CP_MAX;
	if (!h->cfg.checkpoint_bytes_max)
		h->cfg.checkpoint_bytes_max = DEFAULT_CP_BYTES;
	h->chunk_us = 10000;
	h->budget = UINT64_MAX;
	h->shadow = render_shadow_new();
	if (!h->shadow) {
		snprintf(err, errcap, "out of memory");
		free(h);
		return NULL;
	}
	struct scn_options opt = {0};
	if (o)
		opt = *o;
	h->user_fn = opt.trace_fn;
	h->user_ctx = opt.trace_ctx;
	opt.trace_fn = on_trace;
	opt.trace_ctx = h;
	h->cur = scn_runner_new(s, &opt);
	if (!h->cur) {
		snprintf(err, errcap, "%s: the simulator refused this cluster (or out of memory)",
		         scn_script_path(s));
		render_shadow_free(h->shadow);
		free(h);
		return NULL;
	}
	h->status = SCN_RUNNING;
	h->frontier_seq = h->st.seq;
	render_shadow_reset(h->shadow, cur_sim(h));
	if (cp_take(h, 0) != 0) {
		snprintf(err, errcap, "out of memory");
		render_history_free(h);
		return NULL;
	}
	return h;
}

void render_history_free(struct render_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n_cps; i++)
		cp_free(&h->cps[i]);
	free(h->cps);
	for (size_t i = 0; i < h->n_acts; i++)
		free(h->acts[i].line);
	free(h->acts);
	free(h->mk);
	render_msglog_free(&h->msgs);
	free(h->pz);
	scn_runner_free(h->cur);
	render_shadow_free(h->shadow);
	free(h);
}

/* ---- Reading ----------------------------------------------------------------------- */
uint64_t render_history_seq(const struct render_history *h)
{
	return h->st.seq;
}

size_t render_history_msgs(const struct render_history *h, const struct render_msgrec **out)
{
	*out = h->msgs.msgs;
	return h->msgs.n_msgs;
}

size_t render_history_life(const struct render_history *h, const struct render_lifeev **out)
{
	*out = h->msgs.life;
	return h->msgs.n_life;
}

const struct render_msgrec *render_history_msg(const struct render_history *h, uint64_t id)
{
	const struct render_msgrec *m = render_msglog_find(&h->msgs, id);
	return m && m->send_seq <= h->st.seq ? m : NULL;
}

const struct scn_runner *render_history_runner(const struct render_history *h)
{
	return h->cur;
}

const struct sim *render_history_sim(const struct render_history *h)
{
	return cur_sim(h);
}

int64_t render_history_now_us(const struct render_history *h)
{
	return cur_now(h);
}

uint64_t render_history_events(const struct render_history *h)
{
	return cur_events(h);
}

int render_history_status(const struct render_history *h)
{
	return h->status;
}

const char *render_history_error(const struct render_history *h)
{
	return h->st.error;
}

bool render_history_at_pause(const struct render_history *h)
{
	return h->at_pause;
}

bool render_history_changed(const struct render_history *h)
{
	return scn_runner_advisory(h->cur);
}

const char *render_history_caption(const struct render_history *h)
{
	return h->st.ev.n_lines ? h->st.ev.lines[0].text : "";
}

int64_t render_history_caption_us(const struct render_history *h)
{
	return h->st.ev.n_lines ? h->st.ev.lines[0].time_us : 0;
}

int render_history_caption_kind(const struct render_history *h)
{
	return h->st.ev.n_lines ? h->st.ev.lines[0].kind : -1;
}

size_t render_history_event_lines(const struct render_history *h,
                                  const struct render_event_line **out)
{
	*out = h->st.ev.lines;
	return h->st.ev.n_lines;
}

size_t render_history_rollbacks(const struct render_history *h,
                                const struct render_rollback **out)
{
	*out = h->st.ev.rb;
	return h->st.ev.n_rb;
}

size_t render_history_markers(const struct render_history *h, const struct render_marker **out)
{
	*out = h->mk;
	return h->n_mk;
}

int64_t render_history_end_us(const struct render_history *h)
{
	return h->end_us > cur_now(h) ? h->end_us : cur_now(h);
}

size_t render_history_n_actions(const struct render_history *h)
{
	return h->n_acts;
}

size_t render_history_actions_applied(const struct render_history *h)
{
	return h->next_act;
}

size_t render_history_n_checkpoints(const struct render_history *h)
{
	return h->n_cps;
}

size_t render_history_puts(const struct render_history *h)
{
	size_t n = 0, k = 0;
	const struct scn_record *rec = scn_runner_history(h->cur, &n);
	for (size_t i = 0; i < n; i++)
		if (rec[i].kind == SCN_REC_EXEC && rec[i].cmd.kind == SCN_CMD_PUT)
			k++;
	return k;
}
