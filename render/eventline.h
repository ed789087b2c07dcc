/* eventline.h - render/'s private bookkeeping for the teacher's event line
 * (the last few meaningful events, the moments that carry the lesson never
 * swallowed) and for rolled-back log entries.  SDL-free; used by history.c.
 *
 * The event state (struct render_evstate) belongs to a position and is
 * checkpointed with it.  The shadow (struct render_shadow) is a copy of each
 * node's log kept to notice entries that disappear; it is a cache of the
 * current position, rebuilt from the simulation whenever the history jumps
 * (a checkpoint restored, a restart), and never checkpointed.
 */
#ifndef RENDER_EVENTLINE_H
#define RENDER_EVENTLINE_H

#include "history.h"

struct render_evstate {
	struct render_event_line lines[RENDER_EVENT_LINES]; /* newest first */
	size_t n_lines;
	struct render_rollback rb[RENDER_ROLLBACKS_MAX]; /* oldest first */
	size_t n_rb;
};

/* Offers trace record t to the event line (most records are background and
 * change nothing). */
void render_ev_trace(struct render_evstate *st, const struct sim_trace *t);

struct render_shadow;
struct render_shadow *render_shadow_new(void);
void render_shadow_free(struct render_shadow *sh);
/* Forgets what it knew and copies the logs of s as they are now. */
void render_shadow_reset(struct render_shadow *sh, const struct sim *s);
/* Copies node's log as it is now, without reporting anything (a restart
 * loses what was never written: that is not a rollback). */
void render_shadow_resync(struct render_shadow *sh, const struct sim *s, uint8_t node);
/* Compares the logs of s with the copy: entries that disappeared from a
 * running node's log are recorded in st (a rollback record and an event
 * line, at virtual time now_us), and the copy follows the logs. */
void render_shadow_check(struct render_shadow *sh, const struct sim *s, struct render_evstate *st,
                         int64_t now_us);

#endif
