/* test_linear.c - the linearizability checker on histories whose answer is
 * known: hand-made ones (some re-expressed from Porcupine's and Knossos's
 * published tests), thousands of small random ones compared with a brute
 * force over every order, and large generated ones that are linearizable
 * by construction (which also measure operations checked per second). */
#include <criterion/criterion.h>

#include "linear.h"
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MS 1000

static struct sim_lin_op put(uint32_t p, const char *k, const char *v, int64_t a, int64_t b)
{
	return (struct sim_lin_op){.process = p, .f = SIM_LIN_PUT, .type = SIM_LIN_OK, .key = k,
	                           .key_len = strlen(k), .value = v, .value_len = strlen(v),
	                           .invoke_us = a, .complete_us = b};
}

/* v NULL: the get found no value. */
static struct sim_lin_op get(uint32_t p, const char *k, const char *v, int64_t a, int64_t b)
{
	return (struct sim_lin_op){.process = p, .f = SIM_LIN_GET, .type = SIM_LIN_OK, .key = k,
	                           .key_len = strlen(k), .value = v, .value_len = v ? strlen(v) : 0,
	                           .invoke_us = a, .complete_us = b};
}

static struct sim_lin_op as(enum sim_lin_type t, struct sim_lin_op o)
{
	o.type = t;
	return o;
}

static struct sim_lin_result check(const struct sim_lin_op *ops, size_t n)
{
	struct sim_lin_result r;
	cr_assert_eq(sim_lin_check(ops, n, NULL, &r), 0);
	return r;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(linear, empty_and_single)
{
	struct sim_lin_result r = check(NULL, 0);
	cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
	struct sim_lin_op one[] = {get(0, "x", NULL, 0, 10)};
	r = check(one, 1);
	cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
	cr_assert_eq(r.keys, 1);
}

/* Porcupine's TestRegisterModel, with its initial 0 as "no value": a write
 * of 100 over [0,100]; a read of 100 over [25,75] and a read of 0 over
 * [30,60] can be ordered (read 0, write, read 100). */
Test(linear, porcupine_register_ok)
{
	struct sim_lin_op ops[] = {
	    put(0, "r", "100", 0, 100),
	    get(1, "r", "100", 25, 75),
	    get(2, "r", NULL, 30, 60),
	};
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
}

/* ... but a read of 200 over [10,30] before a read of 0 over [40,90]
 * cannot: once the write showed, the old value cannot come back. */
Test(linear, porcupine_register_bad)
{
	struct sim_lin_op ops[] = {
	    put(0, "r", "200", 0, 100),
	    get(1, "r", "200", 10, 30),
	    get(2, "r", NULL, 40, 90),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.n_culprits, 3);
	cr_assert_eq(r.fail_us, 90, "fails when the second read completes, got %lld",
	             (long long)r.fail_us);
}

/* Knossos's smallest bad history: process 0 writes 1 and is acknowledged,
 * then process 1 reads and gets 0 (here: no value). */
Test(linear, knossos_read_after_write)
{
	struct sim_lin_op ops[] = {
	    put(0, "x", "1", 0, 10),
	    get(1, "x", NULL, 20, 30),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.n_culprits, 2);
	cr_assert_eq(r.culprits[0], 0);
	cr_assert_eq(r.culprits[1], 1);
}

/* A read of a value nobody wrote is wrong on its own: the set is that one
 * read, whatever else happened around it. */
Test(linear, read_of_unwritten_value_alone)
{
	struct sim_lin_op ops[] = {
	    put(0, "x", "1", 0, 10),  put(1, "x", "2", 5, 25),  get(2, "x", "2", 30, 40),
	    get(0, "x", "7", 50, 60), put(1, "x", "3", 55, 70), get(2, "x", "3", 80, 90),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.n_culprits, 1);
	cr_assert_eq(r.culprits[0], 3);
	cr_assert_eq(r.fail_us, 60);
}

/* The stale read of a deposed leader: two acknowledged puts, then a get
 * that returns the first.  Nothing can be left out. */
Test(linear, stale_read)
{
	struct sim_lin_op ops[] = {
	    put(0, "x", "1", 0, 10 * MS),
	    put(0, "x", "2", 20 * MS, 30 * MS),
	    get(1, "x", "1", 40 * MS, 50 * MS),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.n_culprits, 3);
	char buf[512];
	sim_lin_format(ops, &r, buf, sizeof buf);
	cr_assert_str_eq(buf, "key \"x\": 3 operations cannot be ordered (by 50.000ms): "
	                      "put x=1 by c0 [0.000ms, 10.000ms] ok; "
	                      "put x=2 by c0 [20.000ms, 30.000ms] ok; "
	                      "get x -> 1 by c1 [40.000ms, 50.000ms] ok");
	/* the same get overlapping the second put is fine */
	ops[2].invoke_us = 25 * MS;
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
}

/* Operations that overlap may take effect in either order. */
Test(linear, concurrent_either_order)
{
	struct sim_lin_op ops[] = {
	    put(0, "x", "1", 0, 100), put(1, "x", "2", 10, 90),
	    get(2, "x", "1", 20, 95), get(3, "x", "2", 5, 50),
	};
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
	/* ... but not both orders at once by two later reads */
	struct sim_lin_op bad[] = {
	    put(0, "x", "1", 0, 100),  put(1, "x", "2", 10, 90),
	    get(2, "x", "1", 110, 120), get(3, "x", "2", 130, 140),
	};
	cr_assert_eq(check(bad, N(bad)).verdict, SIM_LIN_VIOLATION);
}

/* Knossos's crashed write: a put whose outcome is unknown may take effect
 * long after its invocation, or never - but not take effect and then be
 * undone. */
Test(linear, info_put_maybe_later)
{
	struct sim_lin_op ops[] = {
	    as(SIM_LIN_INFO, put(0, "x", "1", 0, 0)),
	    get(1, "x", NULL, 100, 110),
	    get(1, "x", "1", 200, 210),
	};
	cr_assert_eq(check(ops, 1).verdict, SIM_LIN_LINEARIZABLE);
	cr_assert_eq(check(ops, 2).verdict, SIM_LIN_LINEARIZABLE);
	cr_assert_eq(check(ops, 3).verdict, SIM_LIN_LINEARIZABLE);
	struct sim_lin_op bad[] = {
	    ops[0], ops[1], ops[2], get(2, "x", NULL, 300, 310),
	};
	struct sim_lin_result r = check(bad, N(bad));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.fail_us, 310);
	/* the first read is not needed to show it */
	cr_assert_eq(r.n_culprits, 3);
	cr_assert_eq(r.culprits[0], 0);
	cr_assert_eq(r.culprits[1], 2);
	cr_assert_eq(r.culprits[2], 3);
}

/* A failed put did not happen: reading its value is reading nothing. */
Test(linear, fail_is_ignored)
{
	struct sim_lin_op ops[] = {
	    as(SIM_LIN_FAIL, put(0, "x", "1", 0, 10)),
	    get(1, "x", NULL, 20, 30),
	};
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
	ops[1] = get(1, "x", "1", 20, 30);
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.ops_checked, 1);
	/* a get with unknown outcome constrains nothing */
	ops[1] = as(SIM_LIN_INFO, get(1, "x", NULL, 20, 30));
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
}

/* P-compositionality: each key on its own.  Orders that would clash if
 * the keys shared one register are fine; the report names the bad key. */
Test(linear, per_key)
{
	struct sim_lin_op ops[] = {
	    put(0, "a", "1", 0, 10),  put(1, "b", "1", 0, 10),   get(2, "a", "1", 20, 30),
	    get(3, "b", "1", 20, 30), put(0, "b", "2", 40, 50),  get(1, "a", "1", 60, 70),
	    get(2, "b", "1", 60, 70), put(3, "a", "2", 80, 90),  get(0, "a", "2", 100, 110),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.keys, 2);
	cr_assert_eq(ops[r.key_op].key[0], 'b');
	cr_assert_eq(r.fail_us, 70);
	ops[6] = get(2, "b", "2", 60, 70);
	cr_assert_eq(check(ops, N(ops)).verdict, SIM_LIN_LINEARIZABLE);
}

/* With two violating keys, the one that went wrong first is reported. */
Test(linear, earliest_key_reported)
{
	struct sim_lin_op ops[] = {
	    put(0, "a", "1", 0, 10), get(1, "a", "9", 500, 510),
	    put(0, "z", "1", 0, 10), get(1, "z", "9", 100, 110),
	};
	struct sim_lin_result r = check(ops, N(ops));
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(ops[r.key_op].key[0], 'z');
	cr_assert_eq(r.fail_us, 110);
}

/* The smallest failing prefix: a violation early in a long history is
 * reported with its own few operations and its own time, not the end. */
Test(linear, smallest_prefix)
{
	enum { LEN = 400 };
	static struct sim_lin_op ops[LEN];
	static char vals[LEN][16];
	size_t n = 0;
	ops[n++] = put(0, "x", "a", 0, 10);
	ops[n++] = put(0, "x", "b", 20, 30);
	ops[n++] = get(1, "x", "a", 40, 50); /* stale */
	for (int i = 0; n + 2 <= LEN; i++) {
		snprintf(vals[i], sizeof vals[i], "%d", i);
		int64_t t = 100 + 40 * i;
		ops[n++] = put((uint32_t)(i % 3), "x", vals[i], t, t + 15);
		ops[n++] = get((uint32_t)(i % 3 + 1), "x", vals[i], t + 20, t + 30);
	}
	struct sim_lin_result r = check(ops, n);
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.fail_us, 50);
	cr_assert_eq(r.n_culprits, 3);
	cr_assert_eq(r.culprits[2], 2);
}

/* Many puts of unknown outcome writing the same few values make the search
 * explode; past its budget the answer is "unknown", never "linearizable". */
Test(linear, budget_says_unknown)
{
	enum { LEN = 43 };
	static struct sim_lin_op ops[LEN];
	for (int i = 0; i < LEN - 3; i++)
		ops[i] = as(SIM_LIN_INFO, put((uint32_t)i, "x", i % 2 ? "1" : "0", i, 0));
	/* both values were seen, and one nobody wrote: no order works, but
	 * proving it means trying every subset of the maybe-puts */
	ops[LEN - 3] = get(97, "x", "0", 1000, 1010);
	ops[LEN - 2] = get(98, "x", "1", 1000, 1010);
	ops[LEN - 1] = get(99, "x", "2", 1000, 1010);
	struct sim_lin_limits lim = {.steps_per_key = 1000};
	struct sim_lin_result r;
	cr_assert_eq(sim_lin_check(ops, LEN, &lim, &r), 0);
	cr_assert_eq(r.verdict, SIM_LIN_UNKNOWN);
	char buf[256];
	sim_lin_format(ops, &r, buf, sizeof buf);
	cr_assert(strstr(buf, "unknown"), "%s", buf);
	/* a tiny memo budget stops it too */
	lim = (struct sim_lin_limits){.memo_bytes_per_key = 1};
	cr_assert_eq(sim_lin_check(ops, LEN, &lim, &r), 0);
	cr_assert_eq(r.verdict, SIM_LIN_UNKNOWN);
}

/* ---- Random histories against a brute force ---------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const char *const VAL[] = {"1", "2", "3"};

/* Every order of the operations that respects real time, each maybe-put
 * placed anywhere after its call or left out. */
static bool brute(const struct sim_lin_op *o, size_t n, uint32_t placed, const char *state)
{
	bool done = true;
	for (size_t i = 0; i < n; i++)
		if (!(placed >> i & 1) && o[i].type == SIM_LIN_OK)
			done = false;
	if (done)
		return true;
	for (size_t i = 0; i < n; i++) {
		if (placed >> i & 1)
			continue;
		bool can = true;
		for (size_t j = 0; j < n && can; j++)
			if (j != i && !(placed >> j & 1) && o[j].type == SIM_LIN_OK &&
			    o[j].complete_us < o[i].invoke_us)
				can = false;
		if (!can)
			continue;
		if (o[i].f == SIM_LIN_PUT) {
			if (brute(o, n, placed | 1u << i, o[i].value))
				return true;
		} else if ((state == NULL) == (o[i].value == NULL) &&
		           (!state || strcmp(state, o[i].value) == 0)) {
			if (brute(o, n, placed | 1u << i, state))
				return true;
		}
	}
	return false;
}

static struct sim_lin_op pending_after(struct sim_lin_op o, int64_t t)
{
	if (o.type == SIM_LIN_OK && o.complete_us > t)
		o.type = SIM_LIN_INFO;
	return o;
}

Test(linear, random_small_against_brute_force)
{
	uint64_t seed = 42;
	int bad = 0, good = 0;
	for (int round = 0; round < 4000; round++) {
		struct sim_lin_op ops[7];
		size_t n = 2 + rng_next(&seed) % 6;
		for (size_t i = 0; i < n; i++) {
			int64_t a = (int64_t)(rng_next(&seed) % 40);
			int64_t b = a + (int64_t)(rng_next(&seed) % 15);
			const char *v = VAL[rng_next(&seed) % 3];
			if (rng_next(&seed) % 2) {
				ops[i] = put((uint32_t)i, "k", v, a, b);
				if (rng_next(&seed) % 5 == 0)
					ops[i].type = SIM_LIN_INFO;
			} else {
				ops[i] = get((uint32_t)i, "k", rng_next(&seed) % 4 ? v : NULL, a, b);
			}
		}
		struct sim_lin_result r = check(ops, n);
		bool want = brute(ops, n, 0, NULL);
		cr_assert_eq(r.verdict, want ? SIM_LIN_LINEARIZABLE : SIM_LIN_VIOLATION,
		             "round %d: checker says %d, brute force %d", round, r.verdict, want);
		if (want) {
			good++;
			continue;
		}
		bad++;
		/* the reported set fails on its own, by the brute force too, with
		 * what completes after fail_us pending */
		struct sim_lin_op sub[7];
		cr_assert(r.n_culprits >= 1 && r.n_culprits <= n);
		for (size_t j = 0; j < r.n_culprits; j++)
			sub[j] = pending_after(ops[r.culprits[j]], r.fail_us);
		cr_assert(!brute(sub, r.n_culprits, 0, NULL), "round %d: reported set orders", round);
		/* and fail_us is the first completion whose prefix fails */
		for (size_t i = 0; i < n; i++) {
			if (ops[i].type != SIM_LIN_OK)
				continue;
			int64_t t = ops[i].complete_us;
			struct sim_lin_op pre[7];
			size_t np = 0;
			for (size_t j = 0; j < n; j++)
				if (ops[j].invoke_us <= t &&
				    !(ops[j].f == SIM_LIN_GET && ops[j].complete_us > t))
					pre[np++] = pending_after(ops[j], t);
			cr_assert_eq(brute(pre, np, 0, NULL), t < r.fail_us,
			             "round %d: prefix at %lld, fail_us %lld", round, (long long)t,
			             (long long)r.fail_us);
		}
	}
	cr_assert(bad > 500 && good > 500, "both kinds: %d bad, %d good", bad, good);
}

/* ---- Large histories, linearizable by construction -------------------- */

/* clients each run one operation at a time on `keys` keys; each operation
 * takes effect at a random moment inside its interval, applied in that
 * order to a real map, so gets return what a linearizable store would.
 * Every tenth put's outcome is made unknown. */
static size_t generate(struct sim_lin_op *ops, size_t n, int clients, int keys, uint64_t seed,
                       char (*vals)[12])
{
	static const char *const KEYS[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	int64_t *free_at = calloc((size_t)clients, sizeof *free_at);
	int64_t *effect = malloc(n * sizeof *effect);
	const char *cur[8] = {0};
	cr_assert(free_at && effect);
	for (size_t i = 0; i < n; i++) {
		int c = (int)(rng_next(&seed) % (uint64_t)clients);
		int64_t a = free_at[c] + (int64_t)(rng_next(&seed) % 20);
		int64_t b = a + 1 + (int64_t)(rng_next(&seed) % 60);
		free_at[c] = b + 1;
		effect[i] = (a + (int64_t)(rng_next(&seed) % (uint64_t)(b - a + 1))) * 64 + (int64_t)i % 64;
		const char *k = KEYS[rng_next(&seed) % (uint64_t)keys];
		snprintf(vals[i], sizeof vals[0], "v%u", (unsigned)(i % 1000000));
		if (rng_next(&seed) % 2)
			ops[i] = put((uint32_t)c, k, vals[i], a * 64, b * 64 + 63);
		else
			ops[i] = get((uint32_t)c, k, NULL, a * 64, b * 64 + 63);
	}
	/* apply in effect order (insertion sort on indexes: n is modest) */
	size_t *ord = malloc(n * sizeof *ord);
	cr_assert(ord);
	for (size_t i = 0; i < n; i++) {
		size_t j = i;
		while (j > 0 && effect[ord[j - 1]] > effect[i]) {
			ord[j] = ord[j - 1];
			j--;
		}
		ord[j] = i;
	}
	for (size_t j = 0; j < n; j++) {
		struct sim_lin_op *o = &ops[ord[j]];
		int k = o->key[0] - 'a';
		if (o->f == SIM_LIN_PUT) {
			cur[k] = o->value;
		} else {
			o->value = cur[k];
			o->value_len = cur[k] ? strlen(cur[k]) : 0;
		}
	}
	for (size_t i = 0; i < n; i += 10)
		if (ops[i].f == SIM_LIN_PUT)
			ops[i].type = SIM_LIN_INFO;
	free(ord);
	free(effect);
	free(free_at);
	return n;
}

Test(linear, generated_linearizable_and_broken)
{
	enum { LEN = 3000 };
	static struct sim_lin_op ops[LEN];
	static char vals[LEN][12];
	for (uint64_t seed = 1; seed <= 5; seed++) {
		size_t n = generate(ops, LEN, 5, 4, seed, vals);
		struct sim_lin_result r = check(ops, n);
		cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE, "seed %llu", (unsigned long long)seed);
		/* one read of a value never written breaks it, and is the set */
		size_t g = 0;
		for (size_t i = LEN / 2; i < n; i++)
			if (ops[i].f == SIM_LIN_GET) {
				g = i;
				break;
			}
		const char *was = ops[g].value;
		ops[g].value = "never";
		ops[g].value_len = 5;
		r = check(ops, n);
		cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
		cr_assert_eq(r.n_culprits, 1);
		cr_assert_eq(r.culprits[0], g);
		ops[g].value = was;
	}
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Not a timed assertion: prints how fast the checker goes. */
Test(linear, throughput)
{
	enum { LEN = 20000 };
	static struct sim_lin_op ops[LEN];
	static char vals[LEN][12];
	size_t n = generate(ops, LEN, 10, 8, 7, vals);
	double t0 = now_s();
	struct sim_lin_result r = check(ops, n);
	double dt = now_s() - t0;
	cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
	fprintf(stderr,
	        "linear: %zu operations on %zu keys, 10 clients: %.3f s, %.0f operations/s, "
	        "%llu steps\n",
	        r.ops_checked, r.keys, dt, dt > 0 ? (double)r.ops_checked / dt : 0.0,
	        (unsigned long long)r.steps);
}

/* ---- The simulator's clients: history, read paths, the check ----------- */

#include "client_history.h"

/* Three nodes, n1 leads and commits x=1; n1 is cut off, n2 leads and
 * commits x=2; then a get of x goes to n1, which still thinks it leads. */
static struct sim *deposed_leader(enum sim_reads reads, uint32_t bugs)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.reads = reads;
	c.bugs = bugs;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	sim_timeout(s, 1);
	sim_run_until(s, 100 * MS);
	cr_assert_eq(sim_stable_leader(s), 1);
	cr_assert_gt(sim_client_put(s, "x=1", 3, 1), 0);
	sim_run_until(s, 200 * MS);
	uint8_t g[] = {1, 2, 2};
	sim_partition(s, g, 3);
	sim_timeout(s, 2);
	sim_run_until(s, 300 * MS);
	cr_assert_gt(sim_client_put(s, "x=2", 3, 2), 0);
	sim_run_until(s, 400 * MS);
	cr_assert_gt(sim_client_get(s, "x", 1, 1), 0);
	sim_run_until(s, 500 * MS);
	return s;
}

static char *history_text(const struct sim *s, enum sim_history_format f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cr_assert(m);
	cr_assert_eq(sim_history_write(s, f, m), 0);
	fclose(m);
	return buf;
}

Test(linear, stale_read_local_flagged)
{
	struct sim *s = deposed_leader(SIM_READS_LOCAL, 0);
	struct sim_lin_result r;
	cr_assert_eq(sim_history_check(s, &r), SIM_ESTOPPED);
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert_eq(r.n_culprits, 3);
	const struct sim_violation *v = sim_violation(s);
	cr_assert(v);
	cr_assert_str_eq(v->invariant, "Linearizability");
	cr_assert(strstr(v->detail, "get x -> 1 by c2"), "%s", v->detail);
	sim_free(s);
	/* the bug's name does the same under the default read path */
	s = deposed_leader(SIM_READS_READINDEX, RAFT_BUG_STALE_READ);
	cr_assert_eq(sim_history_check(s, &r), SIM_ESTOPPED);
	sim_free(s);
}

Test(linear, stale_read_readindex_waits)
{
	struct sim *s = deposed_leader(SIM_READS_READINDEX, 0);
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 2, &ci));
	cr_assert(ci.get);
	cr_assert_eq(ci.state, SIM_CLIENT_WAITING, "the deposed leader cannot confirm it leads");
	struct sim_lin_result r;
	cr_assert_eq(sim_history_check(s, &r), SIM_OK);
	cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
	/* after the retry time it asks elsewhere and reads the new value */
	sim_run_until(s, 2500 * MS);
	cr_assert(sim_client_info(s, 2, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_ACKED);
	char *h = history_text(s, SIM_HISTORY_EDN);
	cr_assert(strstr(h, ":type :ok, :f :read, :key \"x\", :value 2,"), "%s", h);
	free(h);
	cr_assert_eq(sim_history_check(s, &r), SIM_OK);
	sim_free(s);
}

/* The EDN Knossos reads and the JSON a Porcupine test reads, exactly. */
Test(linear, history_shapes)
{
	struct sim *s = deposed_leader(SIM_READS_LOCAL, 0);
	sim_client_put(s, "y=a\"b", 5, 0); /* still open at the end: info */
	char *edn = history_text(s, SIM_HISTORY_EDN);
	cr_assert_str_eq(
	    edn,
	    "{:process 0, :type :invoke, :f :write, :key \"x\", :value 1, :time 100000000}\n"
	    "{:process 0, :type :ok, :f :write, :key \"x\", :value 1, :time 133444000}\n"
	    "{:process 1, :type :invoke, :f :write, :key \"x\", :value 2, :time 300000000}\n"
	    "{:process 1, :type :ok, :f :write, :key \"x\", :value 2, :time 325215000}\n"
	    "{:process 2, :type :invoke, :f :read, :key \"x\", :value nil, :time 400000000}\n"
	    "{:process 2, :type :ok, :f :read, :key \"x\", :value 1, :time 405762000}\n"
	    "{:process 3, :type :invoke, :f :write, :key \"y\", :value \"a\\\"b\", :time 500000000}\n"
	    "{:process 3, :type :info, :f :write, :key \"y\", :value \"a\\\"b\", :time 500000000}\n");
	free(edn);
	char *js = history_text(s, SIM_HISTORY_PORCUPINE_JSON);
	cr_assert_str_eq(
	    js,
	    "[\n"
	    "{\"ClientId\": 0, \"Input\": {\"Op\": 1, \"Key\": \"x\", \"Value\": \"1\"}, \"Call\": "
	    "100000000, \"Output\": {\"Value\": \"\"}, \"Return\": 133444000},\n"
	    "{\"ClientId\": 1, \"Input\": {\"Op\": 1, \"Key\": \"x\", \"Value\": \"2\"}, \"Call\": "
	    "300000000, \"Output\": {\"Value\": \"\"}, \"Return\": 325215000},\n"
	    "{\"ClientId\": 2, \"Input\": {\"Op\": 0, \"Key\": \"x\", \"Value\": \"\"}, \"Call\": "
	    "400000000, \"Output\": {\"Value\": \"1\"}, \"Return\": 405762000},\n"
	    "{\"ClientId\": 3, \"Input\": {\"Op\": 1, \"Key\": \"y\", \"Value\": \"a\\\"b\"}, "
	    "\"Call\": 500000000, \"Output\": {\"Value\": \"\", \"Unknown\": true}, \"Return\": "
	    "9223372036854775807}\n"
	    "]\n");
	free(js);
	sim_free(s);
}

/* Gets change nothing else a run does: the same fault schedule with a get
 * after every put gives the same trace once the gets' own lines are left
 * out (they draw from their own stream and move no shared state). */
#include "nemesis.h"

struct trace_buf {
	char *text;
	size_t len, cap;
	size_t gets;
};

static void collect(void *ctx, const struct sim_trace *t)
{
	struct trace_buf *b = ctx;
	if (t->kind == SIM_T_CLIENT && !strncmp(t->text, "get ", 4)) {
		b->gets++;
		return;
	}
	char line[512];
	size_t n = sim_trace_format(t, SIM_TRACE_TEXT, line, sizeof line);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->text = realloc(b->text, b->cap);
		cr_assert(b->text);
	}
	memcpy(b->text + b->len, line, n + 1);
	b->len += n;
}

static struct trace_buf campaign(uint64_t seed, bool gets, enum sim_reads reads,
                                 uint32_t snapshot, struct sim_lin_result *r)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 5;
	c.seed = seed;
	c.reads = reads;
	c.snapshot_threshold = snapshot;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	struct trace_buf b = {0};
	sim_set_trace(s, collect, &b);
	struct sim_nemesis nm;
	sim_nemesis_init(&nm, seed, 5);
	nm.gets = gets;
	struct sim_action a;
	while (sim_now_us(s) < 10000 * MS && !sim_violation(s)) {
		sim_nemesis_next(&nm, s, &a);
		sim_action_apply(s, &a);
	}
	cr_assert_null(sim_violation(s));
	cr_assert_eq(sim_history_check(s, r), SIM_OK);
	sim_free(s);
	return b;
}

Test(linear, gets_change_nothing_else)
{
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct sim_lin_result r0, r1;
		struct trace_buf a = campaign(seed, false, SIM_READS_READINDEX, 0, &r0);
		struct trace_buf b = campaign(seed, true, SIM_READS_READINDEX, 0, &r1);
		cr_assert_eq(a.gets, 0);
		cr_assert_gt(b.gets, 10, "seed %llu: %zu get lines", (unsigned long long)seed, b.gets);
		cr_assert_gt(r1.ops_checked, r0.ops_checked);
		cr_assert_eq(r1.verdict, SIM_LIN_LINEARIZABLE);
		cr_assert(a.len == b.len && !memcmp(a.text, b.text, a.len),
		          "seed %llu: the traces differ", (unsigned long long)seed);
		free(a.text);
		free(b.text);
	}
}

/* Reads through the log: the deposed leader's read entry never commits, so
 * the get waits and then asks the new leader; under faults the read
 * entries upset neither the safety checker (the state machine ignores
 * them) nor linearizability. */
Test(linear, reads_through_the_log)
{
	struct sim *s = deposed_leader(SIM_READS_LOG, 0);
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 2, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_WAITING);
	cr_assert_eq(raft_last_index(sim_node(s, 1)), 2, "n1 logged the read");
	sim_run_until(s, 2500 * MS);
	cr_assert(sim_client_info(s, 2, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_ACKED);
	char *h = history_text(s, SIM_HISTORY_EDN);
	cr_assert(strstr(h, ":type :ok, :f :read, :key \"x\", :value 2,"), "%s", h);
	free(h);
	size_t vlen;
	const char *v = raft_map_get(sim_node(s, 2), "x", 1, &vlen);
	cr_assert(v && vlen == 1 && v[0] == '2', "the read entry left x alone");
	cr_assert_eq(raft_map_count(sim_node(s, 2)), 1);
	struct sim_lin_result r;
	cr_assert_eq(sim_history_check(s, &r), SIM_OK);
	sim_free(s);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		/* compacting: the checker compares the nodes' maps with its own */
		struct trace_buf b = campaign(seed, true, SIM_READS_LOG, 3, &r);
		cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
		cr_assert(strstr(b.text, "commit") != NULL);
		free(b.text);
	}
}

/* ---- Lease reads and clock skew ---------------------------------------------- */

/* Three nodes with lease reads: n1 leads and commits x=1, is cut off (its
 * clock then running at rate_ppm, 0: true), n2 or n3 is elected and
 * commits x=2, and a get of x goes to n1, which still thinks it leads. */
static struct sim *lease_deposed(uint32_t rate_ppm)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.reads = SIM_READS_LEASE;
	struct sim *s = sim_new(&c);
	cr_assert(s);
	sim_timeout(s, 1);
	sim_run_until(s, 100 * MS);
	cr_assert_eq(sim_stable_leader(s), 1);
	cr_assert_gt(sim_client_put(s, "x=1", 3, 1), 0);
	sim_run_until(s, 200 * MS);
	uint8_t g[] = {1, 2, 2};
	sim_partition(s, g, 3);
	if (rate_ppm)
		cr_assert_eq(sim_skew(s, 1, 0, rate_ppm), SIM_OK);
	int64_t t = 200 * MS;
	while (sim_stable_leader(s) == 0 || sim_stable_leader(s) == 1) {
		t += MS;
		cr_assert_lt(t, 3000 * MS, "no new leader");
		sim_run_until(s, t);
	}
	cr_assert_gt(sim_client_put(s, "x=2", 3, sim_stable_leader(s)), 0);
	sim_run_until(s, t + 100 * MS);
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 1, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_ACKED, "x=2 is acknowledged");
	cr_assert_eq(raft_role(sim_node(s, 1)), RAFT_LEADER, "n1 still thinks it leads");
	cr_assert_gt(sim_client_get(s, "x", 1, 1), 0);
	sim_run_until(s, t + 200 * MS);
	return s;
}

Test(linear, lease_read_of_a_deposed_leader_waits)
{
	/* true clocks, and a clock 5% slow: within the default 10% bound */
	static const uint32_t rates[] = {0, 950000};
	for (size_t k = 0; k < 2; k++) {
		struct sim *s = lease_deposed(rates[k]);
		struct sim_client_info ci;
		cr_assert(sim_client_info(s, 2, &ci));
		cr_assert(ci.get);
		cr_assert_eq(ci.state, SIM_CLIENT_WAITING, "n1's lease ran out (rate %u)", rates[k]);
		struct sim_lin_result r;
		cr_assert_eq(sim_history_check(s, &r), SIM_OK);
		cr_assert_eq(r.verdict, SIM_LIN_LINEARIZABLE);
		sim_free(s);
	}
}

Test(linear, lease_read_with_skew_past_the_bound_is_stale)
{
	struct sim *s = lease_deposed(100000); /* n1's clock at a tenth of real time */
	struct sim_client_info ci;
	cr_assert(sim_client_info(s, 2, &ci));
	cr_assert_eq(ci.state, SIM_CLIENT_ACKED, "n1 answered from its lease");
	struct sim_lin_result r;
	cr_assert_eq(sim_history_check(s, &r), SIM_ESTOPPED);
	cr_assert_eq(r.verdict, SIM_LIN_VIOLATION);
	cr_assert(strstr(sim_violation(s)->detail, "get x -> 1"), "%s", sim_violation(s)->detail);
	sim_free(s);
}

/* A lease read is answered on arrival: no round trip. */
Test(linear, lease_read_answers_on_arrival)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = 3;
	c.latency_us_min = c.latency_us_max = 10 * MS;
	struct sim *s = sim_new(&c);
	sim_timeout(s, 1);
	sim_run_until(s, 100 * MS);
	cr_assert_gt(sim_client_put(s, "x=1", 3, 1), 0);
	sim_run_until(s, 300 * MS);
	for (int lease = 0; lease <= 1; lease++) {
		c.reads = lease ? SIM_READS_LEASE : SIM_READS_READINDEX;
		cr_assert_eq(sim_reconfigure(s, &c), SIM_OK);
		int64_t id = sim_client_get(s, "x", 1, 1);
		cr_assert_gt(id, 0);
		sim_run_until(s, sim_now_us(s) + 11 * MS);
		struct sim_client_info ci;
		cr_assert(sim_client_info(s, (size_t)id - 1, &ci));
		if (lease)
			cr_assert_eq(ci.state, SIM_CLIENT_ACKED, "answered when it arrived");
		else
			cr_assert_eq(ci.state, SIM_CLIENT_WAITING, "ReadIndex waits for a round trip");
		sim_run_until(s, sim_now_us(s) + 200 * MS);
	}
	sim_free(s);
}

/* The lease is the minimum election timeout shortened by the drift bound;
 * --bug lease-skew forgets the bound. */
Test(linear, lease_length_and_the_lease_skew_bug)
{
	struct sim_config c;
	sim_config_default(&c);
	cr_assert_eq(c.drift_pct, 10);
	cr_assert_eq(sim_lease_us(&c), 136363);
	c.drift_pct = 0;
	cr_assert_eq(sim_lease_us(&c), 150000);
	c.drift_pct = 100;
	cr_assert_eq(sim_lease_us(&c), 75000);
	c.drift_pct = 10;
	c.bugs = RAFT_BUG_LEASE_SKEW;
	cr_assert_eq(sim_lease_us(&c), 150000);
	cr_assert_eq(raft_bug_from_name("lease-skew"), RAFT_BUG_LEASE_SKEW);
}
