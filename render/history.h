/* history.h - a viewer session over a scenario runner: forward play, step,
 * step back and seek via checkpoints and replay, and user actions recorded
 * so that moving back and forth over the timeline replays them.  SDL-free.
 *
 * The session is a recording: the script plus the user's command lines,
 * each stamped with the position it was issued at (simulator events
 * processed, virtual time, runner records).  Moving forward follows the
 * recording; issuing a new command at a position in the past discards the
 * recorded commands after it (a fork).  Going back restores the nearest
 * earlier checkpoint (a scn_runner_clone) and replays forward; it never
 * undoes anything by hand.  Seeking forward over a stretch explored before
 * starts from the newest checkpoint before the target too.
 *
 * The history installs its own trace callback on the runner to keep the
 * teacher's caption (the latest meaningful event, explained) and the
 * timeline markers; both are part of the checkpointed state, so a position
 * always shows the same caption however it was reached.
 *
 * Ownership: the history owns its runners, checkpoints and strings; const
 * pointers it hands out are valid until the next non-const call.  Functions
 * returning int return an enum scn_status (>= 0) or -1 on allocation
 * failure / nothing to do, as documented per function.
 */
#ifndef RENDER_HISTORY_H
#define RENDER_HISTORY_H

#include "scn.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RENDER_CAPTION_MAX 320

/* Timeline markers, recorded the first time the session passes them. */
enum render_marker_kind {
	RENDER_MK_ELECTION,  /* a node's election timeout fired */
	RENDER_MK_LEADER,    /* a node became leader */
	RENDER_MK_CRASH,     /* a node crashed */
	RENDER_MK_RESTART,   /* a node restarted */
	RENDER_MK_NETWORK,   /* a link cut, a partition, an isolation */
	RENDER_MK_HEAL,      /* links mended / healed */
	RENDER_MK_COMMIT,    /* the highest committed index advanced */
	RENDER_MK_VIOLATION, /* the safety checker stopped the run */
	RENDER_MK_SNAPSHOT,  /* a node installed the leader's snapshot */
	RENDER_MK_TRANSFER,  /* a leader started handing leadership over */
	RENDER_MK_KINDS
};

struct render_marker {
	int64_t time_us;
	uint64_t seq; /* trace sequence number along the session */
	uint8_t kind; /* enum render_marker_kind */
	uint8_t node;
	uint64_t index; /* COMMIT, SNAPSHOT: the index; LEADER: the term */
};

/* The event line: the last RENDER_EVENT_LINES meaningful events, newest
 * first.  Key events (a new leader, a step-down, a rollback, a commit, a
 * crash, a violation) always get a line of their own.  Any other event is
 * left out while a stronger one younger than RENDER_EVENT_HOLD_US holds the
 * top line, replaces a younger top line of no higher priority that is not
 * key, and else gets a line.  Commits of one index on several nodes share
 * a line. */
#define RENDER_EVENT_LINES 3
#define RENDER_EVENT_HOLD_US 50000
#define RENDER_EV_ROLLBACK 100 /* kind of a rollback's line (not a sim_trace_kind) */
struct render_event_line {
	int64_t time_us;
	int kind;       /* enum sim_trace_kind, or RENDER_EV_ROLLBACK */
	int prio;
	bool key;
	uint8_t node;
	uint64_t index; /* COMMIT, rollback: the (first) index */
	uint64_t nodes[4]; /* bit (i-1) for node i: who it is about */
	char text[RENDER_CAPTION_MAX];
};

/* A log entry that was removed from a node's log (a conflicting suffix
 * deleted when the leader's AppendEntries did not match), remembered so the
 * view can draw it as a struck-through ghost in its old cell for a while. */
#define RENDER_ROLLBACKS_MAX 32
struct render_rollback {
	int64_t time_us;  /* when it was removed */
	uint8_t node;
	uint64_t index, term;
	uint64_t new_term; /* term of the entry now at index, 0: none yet */
	bool committed;    /* it had been committed (only a broken Raft does this) */
	char cmd[RAFT_CMD_MAX + 1];
};

/* The messages and lifeline events of the explored session, for the
 * space-time diagram (msglog.c).  A message is recorded when it is sent and
 * its end (delivered, dropped) when that happens; both carry the trace
 * sequence number (render_history_seq()) at which they happened, so a
 * position earlier in the session shows the message not yet sent or still
 * in flight.  Moving back and forth never loses them; a fork (a command
 * issued in the past, a restart) forgets what came after it. */
enum render_msg_end {
	RENDER_END_FLYING,    /* not delivered or dropped (yet) */
	RENDER_END_DELIVERED, /* handed to its receiver at end_us */
	RENDER_END_DROPPED,   /* died at end_us (why) */
};
struct render_msgrec {
	uint64_t id;        /* the simulator's message id (sim_msg.id) */
	uint64_t send_seq;  /* trace sequence number of its send */
	uint64_t end_seq;   /* and of its end, 0 while flying */
	int64_t send_us, due_us, end_us;
	/* a command moved its arrival (delay, hurry, deliver next): due_us is
	 * the new time from trace record retime_seq on, due0_us before */
	int64_t due0_us;
	uint64_t retime_seq;
	uint8_t from, to, type; /* type: enum raft_msg_type */
	uint8_t end;        /* enum render_msg_end */
	bool success, duplicate;
	uint32_t n_entries;
	uint64_t term, index, log_term, commit, conflict_term;
	char why[16];       /* DROPPED: "lost", "cut link", "receiver down", ... */
};
/* The record of message id in msgs[0..n) (in id order), NULL if none. */
const struct render_msgrec *render_msgrec_find(const struct render_msgrec *msgs, size_t n,
                                               uint64_t id);
/* Marks on a node's lifeline. */
enum render_life_kind {
	RENDER_LIFE_TIMEOUT,  /* election timeout: candidate of term a */
	RENDER_LIFE_LEADER,   /* leader of term a */
	RENDER_LIFE_FOLLOWER, /* stepped down to follower of term a */
	RENDER_LIFE_CRASH,
	RENDER_LIFE_RESTART,
	RENDER_LIFE_COMMIT,   /* commitIndex advanced to a */
	RENDER_LIFE_CLIENT,   /* a client put accepted at index a; text: the command */
	RENDER_LIFE_NET,      /* the links changed: a is the mask of peers this
	                       * node cannot talk to both ways (bit j-1: nj) */
	RENDER_LIFE_SNAPSHOT, /* installed the leader's snapshot up to a */
};
struct render_lifeev {
	int64_t time_us;
	uint64_t seq;
	uint8_t kind; /* enum render_life_kind */
	uint8_t node;
	uint64_t a;
	char text[RAFT_CMD_MAX + 1];
};

struct render_history_config {
	/* A checkpoint is taken when this many simulator events or this much
	 * virtual time passed since the previous one (0: defaults, 2000
	 * events / 2 s). */
	uint64_t checkpoint_events;
	int64_t checkpoint_us;
	/* At most this many checkpoints and about this many bytes of them
	 * (0: defaults, 256 / 320 MiB); older ones are thinned first. */
	size_t checkpoints_max;
	size_t checkpoint_bytes_max;
};

struct render_history;

/* A session of script s (copied; the caller may free it afterwards) with
 * options o (may be NULL; its trace callback, if any, is chained after the
 * history's own).  c may be NULL for defaults.  NULL and a one-line reason
 * in err on failure. */
struct render_history *render_history_new(const struct scn_script *s,
                                          const struct scn_options *o,
                                          const struct render_history_config *c, char *err,
                                          size_t errcap);
void render_history_free(struct render_history *h);

/* ---- Moving --------------------------------------------------------------- */
/* Forward to virtual time t_us following the recording.  Stops at a script
 * `pause` (SCN_PAUSED; the next call resumes after it) unless
 * ignore_pauses.  Returns the runner status (SCN_RUNNING, SCN_PAUSED,
 * SCN_DONE once, SCN_FAILED) or -1 on allocation failure.  A failed
 * `expect` is reported once (SCN_FAILED, see render_history_error()) and
 * the script is then abandoned so the simulation can go on; a safety
 * violation stops the simulation for good. */
int render_history_advance(struct render_history *h, int64_t t_us, bool ignore_pauses);
/* Exactly one simulator event forward (recorded commands due first).
 * Returns as advance(); SCN_PAUSED when it stopped at a pause instead. */
int render_history_step(struct render_history *h);
/* One simulator event back: the state right after the previous event,
 * rebuilt from a checkpoint.  -1 if already at the start. */
int render_history_step_back(struct render_history *h);
/* To virtual time t_us (ignoring pauses), backwards or forwards. */
int render_history_seek(struct render_history *h, int64_t t_us);
/* Forward until some node becomes leader, at most limit_us of virtual
 * time.  1 if it happened, 0 if not within the limit, -1 on failure. */
int render_history_next_leader(struct render_history *h, int64_t limit_us);
/* The one-shot forms of the three above. */
int render_history_next_pause(struct render_history *h, int64_t limit_us);
int render_history_prev_pause(struct render_history *h);
int render_history_back_to_script(struct render_history *h);
/* Back to the start of the script; forgets every user command. */
int render_history_restart(struct render_history *h);

/* ---- Long moves in slices ------------------------------------------------- */
/* A seek can replay minutes of a busy cluster.  So that a window stays
 * responsive, a move can be started and then done a bounded number of
 * simulator events at a time, between frames:
 *
 *   render_history_seek_begin(h, t);
 *   while (render_history_work(h, 2000, &result) == 1)
 *           draw the frame, read input, maybe cancel or begin another move;
 *
 * When the last slice returns, the position is exactly the one the
 * one-shot function (render_history_seek, _step_back, _next_leader; which
 * are this, done in one slice) reaches, and result is what it returns (a
 * seek reports SCN_DONE when its replay passes the end of the script, and
 * where the replay starts depends on the checkpoints taken so far).
 * Between slices the position is a real state the session passes through
 * on the way (part way to the target, maybe part way through an instant):
 * it can be drawn, saved or acted on like any other.  Starting another move
 * replaces the one in progress (from where it stands); advance, step, exec
 * and restart cancel it.  The begin functions do at most one checkpoint
 * restore (a copy of the runner) and no simulation. */
enum render_move_kind {
	RENDER_MOVE_NONE,
	RENDER_MOVE_SEEK,        /* render_history_seek_begin */
	RENDER_MOVE_STEP_BACK,   /* render_history_step_back_begin */
	RENDER_MOVE_NEXT_LEADER, /* render_history_next_leader_begin */
	RENDER_MOVE_NEXT_PAUSE,  /* render_history_next_pause_begin */
	RENDER_MOVE_PREV_PAUSE,  /* render_history_prev_pause_begin, _back_to_script_begin */
};
/* 0; -1 on allocation failure (nothing started).  Step back: -1 also at
 * the start. */
int render_history_seek_begin(struct render_history *h, int64_t t_us);
int render_history_step_back_begin(struct render_history *h);
int render_history_next_leader_begin(struct render_history *h, int64_t limit_us);
/* PageDown: forward along the recording to the next script `pause`, at
 * most limit_us of virtual time.  The result is SCN_PAUSED there, SCN_DONE
 * when the script ends first, SCN_RUNNING at the limit, SCN_FAILED. */
int render_history_next_pause_begin(struct render_history *h, int64_t limit_us);
/* PageUp: back to the previous pause met along the recording (the one
 * before this one when sitting at a pause), exactly as it was shown
 * (caption, badge, event line).  Result SCN_PAUSED; -1 from the begin
 * when there is none. */
int render_history_prev_pause_begin(struct render_history *h);
/* Back to the script: forgets every user command and goes to the pause
 * at or before the first of them.  1 when there was nothing to go to (the
 * history is then at the start, restarted), 0 when a move began, -1 on
 * failure. */
int render_history_back_to_script_begin(struct render_history *h);
/* Does at most max_events simulator events (at least 1) of the move in
 * progress, plus the checkpoints due on the way.  Returns 1 while more
 * remains; 0 when the move is over, with *result (may be NULL) set to what
 * the one-shot function returns; 0 and *result = -1 when no move was in
 * progress.  A slice may go past max_events only to finish an instant
 * that a previous slice left part way at the seek's target time. */
int render_history_work(struct render_history *h, uint64_t max_events, int *result);
bool render_history_moving(const struct render_history *h);
/* Stops the move where it stands (a consistent position, see above). */
void render_history_cancel(struct render_history *h);
/* The move in progress, for a progress indicator. */
struct render_move {
	int kind;          /* enum render_move_kind; NONE when idle */
	int64_t target_us; /* SEEK: the target; NEXT_LEADER: the end of the
	                    * search; STEP_BACK: -1 */
	unsigned permille; /* how far along, 0..1000 */
};
void render_history_move(const struct render_history *h, struct render_move *out);

/* ---- Acting --------------------------------------------------------------- */
/* Executes one command line now (scn_runner_exec) and records it at this
 * position, discarding recorded commands after it.  0; -1/-2 and err as
 * scn_runner_exec(). */
int render_history_exec(struct render_history *h, const char *line, char *err, size_t errcap);
/* scn_runner_save() of the session up to now. */
int render_history_save(const struct render_history *h, const char *path, char *err,
                        size_t errcap);

/* ---- Reading ------------------------------------------------------------- */
const struct scn_runner *render_history_runner(const struct render_history *h);
const struct sim *render_history_sim(const struct render_history *h);
int64_t render_history_now_us(const struct render_history *h);
uint64_t render_history_events(const struct render_history *h);
/* The last status (enum scn_status) and, for SCN_FAILED, the reason. */
int render_history_status(const struct render_history *h);
const char *render_history_error(const struct render_history *h);
/* True while sitting at a script `pause`. */
bool render_history_at_pause(const struct render_history *h);
/* The user changed the scripted run here (a crash, a cut, a put, ...):
 * the script's remaining checks are advisory (scn_runner_set_advisory),
 * its narration and pauses go on. */
bool render_history_changed(const struct render_history *h);
/* The latest meaningful event explained in plain language ("" none), its
 * time and enum sim_trace_kind (-1 none). */
const char *render_history_caption(const struct render_history *h);
int64_t render_history_caption_us(const struct render_history *h);
int render_history_caption_kind(const struct render_history *h);
/* The event line at this position (render_history_caption() is its first
 * line), newest first; its count. */
size_t render_history_event_lines(const struct render_history *h,
                                  const struct render_event_line **out);
/* The most recent rollbacks up to this position (at most
 * RENDER_ROLLBACKS_MAX, oldest first); their count. */
size_t render_history_rollbacks(const struct render_history *h,
                                const struct render_rollback **out);
/* The trace sequence number of this position: a record whose send_seq
 * (end_seq, seq) is above it has not happened yet here. */
uint64_t render_history_seq(const struct render_history *h);
/* The messages (in send order, so in id order) and the lifeline events (in
 * time order) recorded for the explored session; their counts. */
size_t render_history_msgs(const struct render_history *h, const struct render_msgrec **out);
size_t render_history_life(const struct render_history *h, const struct render_lifeev **out);
/* The message with id at this position (sent by now), NULL if none. */
const struct render_msgrec *render_history_msg(const struct render_history *h, uint64_t id);
/* Markers for the explored part of the session, in time order. */
size_t render_history_markers(const struct render_history *h, const struct render_marker **out);
/* How far the session has been explored (virtual time). */
int64_t render_history_end_us(const struct render_history *h);
/* User commands recorded, and how many of them are applied at this point. */
size_t render_history_n_actions(const struct render_history *h);
size_t render_history_actions_applied(const struct render_history *h);
size_t render_history_n_checkpoints(const struct render_history *h);
/* Number of `client put` commands executed so far (script and user), for
 * generating the next value deterministically. */
size_t render_history_puts(const struct render_history *h);

#endif
