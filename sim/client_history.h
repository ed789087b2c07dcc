/* client_history.h - the clients' history, as Jepsen records it: every put and get
 * invoked at one virtual time and completed at another (ok), or still
 * open when asked (info: its outcome unknown); checked for
 * linearizability (linear.h) and written for Knossos or Porcupine. */
#ifndef SIM_CLIENT_HISTORY_H
#define SIM_CLIENT_HISTORY_H

#include "linear.h"
#include "sim.h"

#include <stdio.h>

/* Operations in the history: one per client request, plus one for every
 * attempt of a put that a leader accepted and the client then sent again
 * (without client sessions, dissertation 6.3, each accepted copy may take
 * effect: those attempts have an unknown outcome). */
size_t sim_history_len(const struct sim *s);
/* The history as the checker takes it: out must hold sim_history_len(s)
 * operations: first one per request in submission order (process =
 * request id - 1; a put's from its last attempt), then the abandoned
 * attempts.  Keys and values point into s, valid until the next non-const
 * call on it.  An operation not acknowledged yet is `info`. */
void sim_history_ops(const struct sim *s, struct sim_lin_op *out);

/* Checks the history so far.  A violation stops the run like the safety
 * checker's (sim_violation(): invariant "Linearizability", the operations
 * that cannot be ordered in detail, time_us when the history stopped being
 * linearizable).  out (may be NULL) gets the checker's result.  SIM_OK
 * (linearizable, or unknown: the search hit its limit), SIM_ESTOPPED (a
 * violation, or the run had stopped already), SIM_ENOMEM. */
int sim_history_check(struct sim *s, struct sim_lin_result *out);

enum sim_history_format {
	SIM_HISTORY_EDN,            /* Jepsen/Knossos: one map per event */
	SIM_HISTORY_PORCUPINE_JSON, /* a JSON array of Porcupine Operations */
};
/* Writes the history to f.  Times are virtual nanoseconds.  0, or -1 when
 * out of memory or a write failed. */
int sim_history_write(const struct sim *s, enum sim_history_format fmt, FILE *f);

#endif
