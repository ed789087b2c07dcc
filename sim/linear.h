/* linear.h - a linearizability checker for the key-value model: is there
 * one order of the clients' puts and gets, each placed somewhere between
 * its invocation and its completion, in which every get returns the value
 * of the latest put to its key?
 *
 * The algorithm is Wing & Gong's backtracking search as improved by Lowe
 * (memoisation of (operations linearized so far, state) pairs), run on each
 * key's sub-history apart (P-compositionality, Horn & Kroening: a history
 * is linearizable iff each key's is), as Porcupine does.
 *
 * Operations come as Jepsen records them: invoked at one virtual time and
 * completed at another, with an outcome.  `ok`: it happened, with this
 * result.  `fail`: it certainly did not happen (ignored).  `info`: nobody
 * knows (a timeout, a leader change) - a put may have taken effect at any
 * moment after its invocation, or never; a get without a result tells
 * nothing.
 *
 * The search is exponential in the worst case, so it is bounded: past a
 * per-key budget of search steps or of memoised states the answer is
 * "unknown", never "linearizable".
 *
 * No allocation survives a call; no clock, no floating point: the same
 * history gives the same answer and the same report.
 */
#ifndef SIM_LINEAR_H
#define SIM_LINEAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_lin_f { SIM_LIN_PUT, SIM_LIN_GET };
enum sim_lin_type { SIM_LIN_OK, SIM_LIN_FAIL, SIM_LIN_INFO };

struct sim_lin_op {
	uint32_t process;      /* the client */
	enum sim_lin_f f;
	enum sim_lin_type type;
	const char *key;       /* not NUL-terminated */
	size_t key_len;
	/* PUT: the value written.  GET ok: the value read, NULL for "the key
	 * has no value".  GET otherwise: unused. */
	const char *value;
	size_t value_len;
	int64_t invoke_us;
	int64_t complete_us;   /* ignored for INFO: it never completed */
};

struct sim_lin_limits {
	/* Per key: the search gives up ("unknown") after this many steps, or
	 * once its memo holds this many bytes.  0: the defaults below. */
	uint64_t steps_per_key;
	uint64_t memo_bytes_per_key;
};
#define SIM_LIN_STEPS_DEFAULT 2000000ull
#define SIM_LIN_MEMO_BYTES_DEFAULT (64ull << 20)

enum sim_lin_verdict {
	SIM_LIN_LINEARIZABLE,
	SIM_LIN_VIOLATION, /* some key's operations cannot be ordered */
	SIM_LIN_UNKNOWN,   /* no violation found, but some key hit a limit */
};

#define SIM_LIN_CULPRITS_MAX 16

struct sim_lin_result {
	enum sim_lin_verdict verdict;
	size_t keys;         /* keys checked */
	size_t ops_checked;  /* operations that took part (not `fail`) */
	uint64_t steps;      /* search steps over all keys and all searches */
	/* VIOLATION: the key (as ops[key_op] spells it) and a smallest set of
	 * its operations that cannot be ordered: indexes into the caller's
	 * array, in invocation order; the first SIM_LIN_CULPRITS_MAX of
	 * n_culprits.  Every smaller prefix of the key's history is
	 * linearizable; the set is what remains of that prefix once every
	 * operation whose removal keeps it impossible has been removed.
	 * fail_us: the moment the history stopped being linearizable (the
	 * completion that closes the smallest failing prefix).
	 * UNKNOWN: key_op names the key that hit a limit. */
	size_t key_op;
	size_t culprits[SIM_LIN_CULPRITS_MAX];
	size_t n_culprits;
	int64_t fail_us;
};

/* Checks ops[0..n-1].  lim may be NULL (defaults).  0, or -1 when memory
 * ran out (out is then unspecified). */
int sim_lin_check(const struct sim_lin_op *ops, size_t n, const struct sim_lin_limits *lim,
                  struct sim_lin_result *out);

/* One line, no newline, for a violation or an unknown verdict:
 *   key "x": 3 operations cannot be ordered: put x=1 by c0 [10.000ms,
 *   20.000ms] ok; ...
 * Like snprintf, returns the length it needed. */
size_t sim_lin_format(const struct sim_lin_op *ops, const struct sim_lin_result *r, char *buf,
                      size_t cap);
/* One operation: "get x -> 1 by c2 [30.000ms, 45.000ms] ok". */
size_t sim_lin_format_op(const struct sim_lin_op *op, char *buf, size_t cap);

#endif
