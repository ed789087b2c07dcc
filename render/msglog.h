/* msglog.h - render/'s private record of a session's messages and lifeline
 * events (the types are in history.h), fed by the history's trace callback.
 * SDL-free.  The log owns its arrays. */
#ifndef RENDER_MSGLOG_H
#define RENDER_MSGLOG_H

#include "history.h"

struct render_msglog {
	struct render_msgrec *msgs; /* in id order */
	size_t n_msgs, cap_msgs;
	struct render_lifeev *life; /* in seq order */
	size_t n_life, cap_life;
};

void render_msglog_free(struct render_msglog *g);
/* One trace record t of simulator s (NULL: the links are not recorded), the
 * seq-th of the session; fresh when it lies past everything recorded so far
 * (else it is a replay and ignored). */
void render_msglog_trace(struct render_msglog *g, const struct sim *s, const struct sim_trace *t,
                         uint64_t seq, bool fresh);
/* Forgets what happened after trace record seq (a fork). */
void render_msglog_truncate(struct render_msglog *g, uint64_t seq);
/* The record of message id, NULL if none. */
struct render_msgrec *render_msglog_find(const struct render_msglog *g, uint64_t id);

#endif
