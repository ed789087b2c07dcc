/* cmd_experiment.c - `raftsim experiment`: one script over many seeds and
 * settings, its measurements collected into a CSV, a summary and CDF plots.
 *
 * A run is (setting, seed): the script with every varied `set` key forced
 * to the setting's value (scn_options.vary) and the seed overridden.  Runs
 * are independent and deterministic, so --jobs forks workers that each take
 * every J-th run and send back fixed-size records; the parent files them by
 * run index, and everything written depends on the runs alone, never on
 * --jobs or on which worker ran what.  --shard K/N runs the K-th of N
 * disjoint slices of the seeds; --merge reads shard directories back and
 * writes exactly what the unsharded run writes.
 *
 * Files in DIR: results.csv (one row per run), summary.txt (the table
 * printed on stdout), cdf.png and cdf.svg (cli/plot.c), experiment.txt (what
 * was run: the script, seeds, --vary, shard; read by --merge). */
#include "cli.h"
#include "i18n.h"

#include "plot.h"
#include "scn.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char experiment_usage[] = N_(
    "usage: raftsim experiment FILE [--seeds A..B] [--vary KEY=V1,V2,...]... [--jobs J]\n"
    "                          [--out DIR] [--log-x] [--shard K/N] [--quiet]\n"
    "       raftsim experiment --merge DIR... --out DIR [--log-x]\n"
    "Runs the scenario FILE once per seed (default 1..100) and per setting, and\n"
    "collects what its `measure` commands measured.  --vary KEY=V1,V2,...: the\n"
    "`set` key KEY takes each value in turn, winning over the script's own `set`\n"
    "(e.g. --vary election=150..150ms,150..300ms); several --vary multiply.  Keys\n"
    "that change together are joined with '+', and so are their values:\n"
    "  --vary election+heartbeat=12..24ms+6ms,150..300ms+75ms\n"
    "Writes DIR (default experiment-NAME for FILE NAME.scn): results.csv (one row\n"
    "per run: the varied values, seed, status, every measurement in ms or\n"
    "'timeout'), summary.txt (the table also printed: runs, timeouts, min, median,\n"
    "p90, p99, max and mean per setting, in ms), cdf.png and cdf.svg (one CDF\n"
    "curve per setting; --log-x: logarithmic time axis) and experiment.txt.\n"
    "--jobs J: parallel processes (the files are the same for any J).  --shard\n"
    "K/N: only the K-th of N disjoint slices of the seeds; --merge combines the\n"
    "shard directories into exactly what one run writes.  --max-events N and\n"
    "--max-memory SIZE: budgets per run.  A progress bar goes to stderr when it\n"
    "is a terminal (--quiet: none, and no table).  Exit 0, 1 if a run failed an\n"
    "expect or a safety check, 2 bad usage, 3 a run hit a resource limit.\n");

#define EX_DIMS_MAX 8
#define EX_KEYS_MAX 4        /* keys joined with '+' in one --vary */
#define EX_KEY_LEN 24
#define EX_SETTINGS_MAX 10000u
#define EX_RUNS_MAX 100000000ull
#define EX_JOBS_MAX 64

/* Per-run status; 0: not run (another shard's). */
enum { EX_ABSENT = 0, EX_OK = 1, EX_FAIL = 2, EX_LIMIT = 3 };
/* A measurement that timed out, or that the run never took. */
#define EX_TIMEOUT (-1)
#define EX_MISSING (-2)

/* One --vary: keys and, per value, one text per key. */
struct ex_dim {
	char *spec; /* as given */
	size_t n_keys;
	char keys[EX_KEYS_MAX][EX_KEY_LEN];
	size_t n_values;
	char **vals; /* n_values * n_keys */
};

struct ex {
	/* what to run */
	const char *script_path;
	struct scn_script *script;
	char title[256];
	uint64_t seed_lo, seed_hi, n_seeds;
	uint64_t shard_k, shard_n; /* 1-based; 1/1: everything */
	struct ex_dim dims[EX_DIMS_MAX];
	size_t n_dims;
	size_t n_settings;
	struct scn_settings *settings;
	char **labels; /* "election=150..300ms heartbeat=75ms" ("default" if no --vary) */
	size_t n_meas;
	char names[SCN_MEASURES_MAX][SCN_NAME_MAX + 1];
	uint64_t max_events, max_memory;
	uint64_t jobs;
	const char *out;
	bool log_x, quiet;
	/* results, per run index = setting * n_seeds + (seed - seed_lo) */
	uint64_t n_runs;
	uint8_t *status;
	int64_t *values; /* n_runs * n_meas */
};

/* ---- Text --------------------------------------------------------------- */

/* Milliseconds with microsecond precision: "287.123". */
static void ex_ms3(int64_t us, char *buf, size_t cap)
{
	snprintf(buf, cap, "%" PRId64 ".%03" PRId64, us / 1000, us % 1000);
}

/* Milliseconds rounded to a tenth: "287.1". */
static void ex_ms1(int64_t us, char *buf, size_t cap)
{
	int64_t t = (us + 50) / 100;
	snprintf(buf, cap, "%" PRId64 ".%" PRId64, t / 10, t % 10);
}

/* "287.123" -> 287123; -1 if it is not one. */
static int64_t ex_parse_ms3(const char *s, size_t n)
{
	int64_t whole = 0;
	size_t i = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9' && whole < 1000000000000ll)
		whole = whole * 10 + (s[i++] - '0');
	if (i == 0 || i + 4 != n || s[i] != '.')
		return -1;
	int64_t frac = 0;
	for (i++; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		frac = frac * 10 + (s[i] - '0');
	}
	return whole * 1000 + frac;
}

static void ex_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void ex_err(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs(_("raftsim experiment: "), stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- --vary and settings ------------------------------------------------ */

static void ex_free(struct ex *x)
{
	for (size_t d = 0; d < x->n_dims; d++) {
		for (size_t i = 0; i < x->dims[d].n_values * x->dims[d].n_keys; i++)
			free(x->dims[d].vals[i]);
		free(x->dims[d].vals);
		free(x->dims[d].spec);
	}
	for (size_t i = 0; x->labels && i < x->n_settings; i++)
		free(x->labels[i]);
	free(x->labels);
	free(x->settings);
	free(x->status);
	free(x->values);
	scn_script_free(x->script);
}

/* Splits s[0..n) at sep into at most max pieces (pointers into s, lengths);
 * returns the count, or max + 1 if there are more. */
static size_t ex_split(const char *s, size_t n, char sep, const char **p, size_t *len, size_t max)
{
	size_t k = 0, from = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || s[i] == sep) {
			if (k == max)
				return max + 1;
			p[k] = s + from;
			len[k] = i - from;
			k++;
			from = i + 1;
		}
	return k;
}

/* A --vary spec "KEY[+KEY]=V[+V],V[+V],...". */
static bool ex_parse_vary(struct ex *x, const char *spec)
{
	if (x->n_dims == EX_DIMS_MAX) {
		ex_err(_("--vary: at most %d of them"), EX_DIMS_MAX);
		return false;
	}
	struct ex_dim *d = &x->dims[x->n_dims];
	memset(d, 0, sizeof *d);
	const char *eq = strchr(spec, '=');
	if (!eq || eq == spec || !eq[1]) {
		ex_err(_("--vary: '%s' is not KEY=V1,V2,... (e.g. --vary election=150..155ms,150..300ms)"),
		       spec);
		return false;
	}
	/* keys, values, '=', ',' and '+' only: no spaces or '#' that the
	 * script language would read as another setting or a comment */
	for (const char *c = spec; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      strchr("._%=,+", *c))) {
			ex_err(_("--vary: '%s': unexpected '%c' (keys that change together are joined with '+', values with ',')"),
			       spec, *c);
			return false;
		}
	if (!(d->spec = strdup(spec)))
		goto nomem;
	x->n_dims++;
	const char *kp[EX_KEYS_MAX];
	size_t kl[EX_KEYS_MAX];
	d->n_keys = ex_split(spec, (size_t)(eq - spec), '+', kp, kl, EX_KEYS_MAX);
	if (d->n_keys > EX_KEYS_MAX) {
		ex_err(_("--vary: '%s': at most %d keys joined with '+'"), spec, EX_KEYS_MAX);
		return false;
	}
	for (size_t k = 0; k < d->n_keys; k++) {
		if (kl[k] == 0 || kl[k] >= EX_KEY_LEN) {
			ex_err(_("--vary: '%s': a key is empty or too long"), spec);
			return false;
		}
		memcpy(d->keys[k], kp[k], kl[k]);
		d->keys[k][kl[k]] = '\0';
		for (size_t e = 0; e <= x->n_dims - 1; e++)
			for (size_t j = 0; j < (e == x->n_dims - 1 ? k : x->dims[e].n_keys); j++)
				if (!strcmp(x->dims[e].keys[j], d->keys[k])) {
					ex_err(_("--vary: '%s' is varied twice: give each key once"), d->keys[k]);
					return false;
				}
	}
	const char *vs = eq + 1;
	size_t vn = strlen(vs);
	size_t count = 1;
	for (size_t i = 0; i < vn; i++)
		count += vs[i] == ',';
	if (count > EX_SETTINGS_MAX) {
		ex_err(_("--vary: '%s': at most %u values"), d->keys[0], EX_SETTINGS_MAX);
		return false;
	}
	d->vals = calloc(count * d->n_keys, sizeof *d->vals);
	if (!d->vals)
		goto nomem;
	const char **vp = malloc(count * sizeof *vp);
	size_t *vl = malloc(count * sizeof *vl);
	if (!vp || !vl) {
		free(vp);
		free(vl);
		goto nomem;
	}
	size_t got = ex_split(vs, vn, ',', vp, vl, count);
	bool ok = true;
	for (size_t v = 0; v < got && ok; v++) {
		const char *pp[EX_KEYS_MAX + 1];
		size_t pl[EX_KEYS_MAX + 1];
		size_t parts = ex_split(vp[v], vl[v], '+', pp, pl, EX_KEYS_MAX);
		if (parts != d->n_keys || vl[v] == 0) {
			ex_err(_("--vary: value %zu '%.*s' of '%s' needs %zu part%s joined with '+' (one per key)"),
			       v + 1, (int)vl[v], vp[v], d->spec, d->n_keys, d->n_keys == 1 ? "" : "s");
			ok = false;
			break;
		}
		for (size_t k = 0; k < parts; k++) {
			char *t = malloc(pl[k] + 1);
			if (!t) {
				ok = false;
				break;
			}
			memcpy(t, pp[k], pl[k]);
			t[pl[k]] = '\0';
			d->vals[d->n_values * d->n_keys + k] = t;
		}
		d->n_values++;
	}
	free(vp);
	free(vl);
	if (!ok)
		return false;
	return true;
nomem:
	ex_err(_("out of memory"));
	return false;
}

/* The text of setting s: "k=v k=v ..." over every dimension. */
static char *ex_label(const struct ex *x, size_t s)
{
	struct scn_str t = {0};
	size_t rest = s;
	size_t idx[EX_DIMS_MAX];
	for (size_t d = x->n_dims; d-- > 0;) {
		idx[d] = rest % x->dims[d].n_values;
		rest /= x->dims[d].n_values;
	}
	for (size_t d = 0; d < x->n_dims; d++)
		for (size_t k = 0; k < x->dims[d].n_keys; k++)
			scn_str_addf(&t, "%s%s=%s", t.len ? " " : "", x->dims[d].keys[k],
			        x->dims[d].vals[idx[d] * x->dims[d].n_keys + k]);
	if (x->n_dims == 0)
		scn_str_addf(&t, "default");
	return scn_str_take(&t);
}

/* Builds every setting and checks it with the parser (so a bad key or value
 * gets the language's own message and "did you mean").  nodes: the
 * script's, for the parser. */
static bool ex_settings(struct ex *x, unsigned nodes)
{
	size_t n = 1;
	for (size_t d = 0; d < x->n_dims; d++) {
		if (n > EX_SETTINGS_MAX / x->dims[d].n_values) {
			ex_err(_("--vary: more than %u settings in all"), EX_SETTINGS_MAX);
			return false;
		}
		n *= x->dims[d].n_values;
	}
	x->n_settings = n;
	x->settings = calloc(n, sizeof *x->settings);
	x->labels = calloc(n, sizeof *x->labels);
	if (!x->settings || !x->labels) {
		ex_err(_("out of memory"));
		return false;
	}
	for (size_t s = 0; s < n; s++) {
		if (!(x->labels[s] = ex_label(x, s))) {
			ex_err(_("out of memory"));
			return false;
		}
		if (x->n_dims == 0)
			continue;
		char text[2048];
		int len = snprintf(text, sizeof text, "cluster nodes=%u\nset %s\n", nodes, x->labels[s]);
		if (len < 0 || (size_t)len >= sizeof text) {
			ex_err(_("--vary: setting '%.60s...' is too long"), x->labels[s]);
			return false;
		}
		char err[SCN_ERR_MAX];
		struct scn_script *sc = scn_parse("--vary", text, (size_t)len, err, sizeof err);
		if (!sc) {
			/* "--vary:2:COL: message" -> the message */
			const char *m = err;
			for (int colons = 0; *m && colons < 3; m++)
				colons += *m == ':';
			while (*m == ' ')
				m++;
			ex_err(_("--vary: %s"), m);
			return false;
		}
		x->settings[s] = scn_script_cmd(sc, 1)->set;
		scn_script_free(sc);
	}
	return true;
}

/* ---- Running ------------------------------------------------------------ */

static bool ex_in_shard(const struct ex *x, uint64_t run)
{
	return (run % x->n_seeds) % x->shard_n == x->shard_k - 1;
}

/* Runs run index `run`: its status and n_meas values.  why (may be NULL)
 * gets the FAIL/LIMIT line. */
static uint8_t ex_run_one(const struct ex *x, uint64_t run, int64_t *vals, char *why, size_t cap)
{
	size_t s = (size_t)(run / x->n_seeds);
	uint64_t seed = x->seed_lo + run % x->n_seeds;
	struct scn_options o = {.has_seed = true, .seed = seed, .vary = x->settings[s],
	                        .max_events = x->max_events, .max_memory_bytes = x->max_memory};
	for (size_t m = 0; m < x->n_meas; m++)
		vals[m] = EX_MISSING;
	if (why && cap)
		why[0] = '\0';
	struct scn_runner *r = scn_runner_new(x->script, &o);
	if (!r) {
		if (why)
			snprintf(why, cap, _("out of memory creating the run (seed %" PRIu64 ")"), seed);
		return EX_LIMIT;
	}
	int st = scn_runner_run_all(r);
	size_t n;
	const struct scn_measurement *ms = scn_runner_measurements(r, &n);
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < x->n_meas; m++)
			if (!strcmp(ms[i].name, x->names[m]))
				vals[m] = ms[i].timed_out ? EX_TIMEOUT : ms[i].value_us;
	uint8_t status = EX_OK;
	if (st == SCN_FAILED) {
		int h = scn_runner_halt(r);
		status = h == SIM_ENOMEM || h == SIM_ELIMIT ? EX_LIMIT : EX_FAIL;
		if (why)
			snprintf(why, cap, "%s", scn_runner_error(r));
	}
	scn_runner_free(r);
	return status;
}

static double ex_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress bar (stderr is a terminal): runs done / total, rate, ETA. */
struct ex_progress {
	bool on;
	double t0, last;
	uint64_t total;
};

static void ex_progress(struct ex_progress *p, uint64_t done, bool final)
{
	if (!p->on)
		return;
	double now = ex_wall();
	if (!final && now - p->last < 0.1)
		return;
	p->last = now;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	double el = now - p->t0, rate = el > 0 ? (double)done / el : 0;
	double eta = rate > 0 ? (double)(p->total - done) / rate : 0;
	char bar[31];
	size_t fill = p->total ? (size_t)(30 * done / p->total) : 30;
	for (size_t i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\r\033[K[%s] %" PRIu64 "/%" PRIu64 " runs, %.0f runs/s, ETA %.0fs", bar,
	        done, p->total, rate, eta);
}

/* Sequential: every run of this shard, in order. */
static int ex_run_serial(struct ex *x, struct ex_progress *pg)
{
	uint64_t done = 0;
	for (uint64_t run = 0; run < x->n_runs; run++) {
		if (!ex_in_shard(x, run))
			continue;
		x->status[run] = ex_run_one(x, run, x->values + run * x->n_meas, NULL, 0);
		ex_progress(pg, ++done, false);
	}
	return 0;
}

/* A worker's record: run index, status, the values. */
static size_t ex_rec_size(const struct ex *x)
{
	return 16 + 8 * x->n_meas;
}

static int ex_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

/* --jobs: worker k runs the runs of this shard numbered k, k+J, ... and
 * writes one record per run on its pipe; the parent files each by its
 * index, so the result does not depend on J. */
static int ex_run_parallel(struct ex *x, struct ex_progress *pg)
{
	size_t rs = ex_rec_size(x);
	size_t j = (size_t)x->jobs;
	pid_t pids[EX_JOBS_MAX];
	struct pollfd pfd[EX_JOBS_MAX];
	unsigned char *buf[EX_JOBS_MAX];
	size_t used[EX_JOBS_MAX];
	size_t n = 0;
	int rc = 0;
	uint64_t done = 0, want = 0;
	for (uint64_t run = 0; run < x->n_runs; run++)
		want += ex_in_shard(x, run);
	fflush(stdout);
	fflush(stderr);
	for (size_t k = 0; k < j; k++) {
		int p[2];
		if (!(buf[n] = malloc(rs * 64)))
			return -1;
		if (pipe(p) != 0) {
			free(buf[n]);
			rc = -1;
			break;
		}
		pid_t pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			free(buf[n]);
			rc = -1;
			break;
		}
		if (pid == 0) {
			close(p[0]);
			for (size_t m = 0; m < n; m++)
				close(pfd[m].fd);
			unsigned char *rec = malloc(rs);
			if (!rec)
				_exit(2);
			uint64_t nth = 0;
			for (uint64_t run = 0; run < x->n_runs; run++) {
				if (!ex_in_shard(x, run))
					continue;
				if (nth++ % j != k)
					continue;
				uint64_t st = ex_run_one(x, run, (int64_t *)(void *)(rec + 16), NULL, 0);
				memcpy(rec, &run, 8);
				memcpy(rec + 8, &st, 8);
				if (ex_write_all(p[1], rec, rs) != 0)
					_exit(2);
			}
			_exit(0);
		}
		close(p[1]);
		pids[n] = pid;
		pfd[n] = (struct pollfd){.fd = p[0], .events = POLLIN};
		used[n] = 0;
		n++;
	}
	size_t open_n = n;
	while (open_n > 0 && rc == 0) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		for (size_t k = 0; k < n; k++) {
			if (pfd[k].fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(pfd[k].fd, buf[k] + used[k], rs * 64 - used[k]);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open_n--;
				continue;
			}
			used[k] += (size_t)got;
			size_t off = 0;
			for (; used[k] - off >= rs; off += rs) {
				uint64_t run, st;
				memcpy(&run, buf[k] + off, 8);
				memcpy(&st, buf[k] + off + 8, 8);
				if (run >= x->n_runs || st < EX_OK || st > EX_LIMIT) {
					rc = -1;
					break;
				}
				x->status[run] = (uint8_t)st;
				memcpy(x->values + run * x->n_meas, buf[k] + off + 16, 8 * x->n_meas);
				done++;
			}
			memmove(buf[k], buf[k] + off, used[k] - off);
			used[k] -= off;
		}
		ex_progress(pg, done, false);
	}
	for (size_t k = 0; k < n; k++) {
		if (pfd[k].fd >= 0) {
			kill(pids[k], SIGTERM);
			close(pfd[k].fd);
		}
		int ws;
		if (waitpid(pids[k], &ws, 0) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
			rc = -1;
		free(buf[k]);
	}
	if (rc == 0 && done != want)
		rc = -1;
	return rc;
}

/* ---- Outputs ------------------------------------------------------------ */

static int ex_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static char *ex_csv(const struct ex *x)
{
	struct scn_str t = {0};
	for (size_t d = 0; d < x->n_dims; d++)
		for (size_t k = 0; k < x->dims[d].n_keys; k++)
			scn_str_addf(&t, "%s,", x->dims[d].keys[k]);
	scn_str_addf(&t, "seed,status");
	for (size_t m = 0; m < x->n_meas; m++)
		scn_str_addf(&t, ",%s_ms", x->names[m]);
	scn_str_addf(&t, "\n");
	for (uint64_t run = 0; run < x->n_runs; run++) {
		if (x->status[run] == EX_ABSENT)
			continue;
		size_t s = (size_t)(run / x->n_seeds), rest = s, idx[EX_DIMS_MAX];
		for (size_t d = x->n_dims; d-- > 0;) {
			idx[d] = rest % x->dims[d].n_values;
			rest /= x->dims[d].n_values;
		}
		for (size_t d = 0; d < x->n_dims; d++)
			for (size_t k = 0; k < x->dims[d].n_keys; k++)
				scn_str_addf(&t, "%s,", x->dims[d].vals[idx[d] * x->dims[d].n_keys + k]);
		static const char *const names[] = {"", "ok", "fail", "limit"};
		scn_str_addf(&t, "%" PRIu64 ",%s", x->seed_lo + run % x->n_seeds, names[x->status[run]]);
		for (size_t m = 0; m < x->n_meas; m++) {
			int64_t v = x->values[run * x->n_meas + m];
			char b[32];
			if (v == EX_TIMEOUT)
				snprintf(b, sizeof b, "timeout");
			else if (v == EX_MISSING)
				b[0] = '\0';
			else
				ex_ms3(v, b, sizeof b);
			scn_str_addf(&t, ",%s", b);
		}
		scn_str_addf(&t, "\n");
	}
	return scn_str_take(&t);
}

/* One measurement of one setting: the values taken (sorted), timeouts,
 * runs that got as far as it. */
struct ex_col {
	int64_t *v;
	size_t n, timeouts, runs, total;
};

static int ex_collect(const struct ex *x, size_t s, size_t m, struct ex_col *c)
{
	memset(c, 0, sizeof *c);
	c->v = malloc((size_t)x->n_seeds * sizeof *c->v + 1);
	if (!c->v)
		return -1;
	for (uint64_t i = 0; i < x->n_seeds; i++) {
		uint64_t run = s * x->n_seeds + i;
		if (x->status[run] == EX_ABSENT)
			continue;
		c->total++;
		int64_t v = x->values[run * x->n_meas + m];
		if (v == EX_MISSING)
			continue;
		c->runs++;
		if (v == EX_TIMEOUT)
			c->timeouts++;
		else
			c->v[c->n++] = v;
	}
	qsort(c->v, c->n, sizeof *c->v, ex_cmp_i64);
	return 0;
}

/* The rank-th smallest (1-based) of the runs, timeouts counted as longer
 * than any value: "timeout" when it falls among them. */
static void ex_rank(const struct ex_col *c, size_t rank, char *buf, size_t cap)
{
	if (rank == 0 || c->runs == 0)
		snprintf(buf, cap, "-");
	else if (rank > c->n)
		snprintf(buf, cap, "timeout");
	else
		ex_ms1(c->v[rank - 1], buf, cap);
}

/* Nearest rank of percentile p of n. */
static size_t ex_pct(size_t n, unsigned p)
{
	return (size_t)(((uint64_t)n * p + 99) / 100);
}

static char *ex_summary(const struct ex *x)
{
	struct scn_str t = {0};
	size_t lw = strlen("setting"), mw = strlen("measure");
	for (size_t s = 0; s < x->n_settings; s++)
		if (strlen(x->labels[s]) > lw)
			lw = strlen(x->labels[s]);
	for (size_t m = 0; m < x->n_meas; m++)
		if (strlen(x->names[m]) > mw)
			mw = strlen(x->names[m]);
	scn_str_addf(&t, "%-*s  %-*s %6s %8s %9s %9s %9s %9s %9s %9s\n", (int)lw, "setting", (int)mw,
	        "measure", "runs", "timeouts", "min", "median", "p90", "p99", "max", "mean");
	for (size_t s = 0; s < x->n_settings; s++)
		for (size_t m = 0; m < x->n_meas; m++) {
			struct ex_col c;
			if (ex_collect(x, s, m, &c) != 0) {
				t.oom = true;
				break;
			}
			char mn[24], md[24], p90[24], p99[24], mx[24], mean[24];
			ex_rank(&c, 1, mn, sizeof mn);
			ex_rank(&c, ex_pct(c.runs, 50), md, sizeof md);
			ex_rank(&c, ex_pct(c.runs, 90), p90, sizeof p90);
			ex_rank(&c, ex_pct(c.runs, 99), p99, sizeof p99);
			ex_rank(&c, c.runs, mx, sizeof mx);
			if (c.n) {
				int64_t sum = 0;
				for (size_t i = 0; i < c.n; i++)
					sum += c.v[i];
				ex_ms1(sum / (int64_t)c.n, mean, sizeof mean);
			} else {
				snprintf(mean, sizeof mean, "-");
			}
			scn_str_addf(&t, "%-*s  %-*s %6zu %8zu %9s %9s %9s %9s %9s %9s\n", (int)lw,
			        x->labels[s], (int)mw, x->names[m], c.runs, c.timeouts, mn, md, p90, p99,
			        mx, mean);
			free(c.v);
		}
	scn_str_addf(&t, "(milliseconds of virtual time; timeouts count as longer than any value; mean of the values)\n");
	return scn_str_take(&t);
}

static char *ex_manifest(const struct ex *x)
{
	struct scn_str t = {0};
	scn_str_addf(&t, "# raftsim experiment: what was run (read by raftsim experiment --merge)\n");
	scn_str_addf(&t, "script %s\n", x->script_path);
	scn_str_addf(&t, "title %s\n", x->title);
	scn_str_addf(&t, "seeds %" PRIu64 "..%" PRIu64 "\n", x->seed_lo, x->seed_hi);
	scn_str_addf(&t, "shard %" PRIu64 "/%" PRIu64 "\n", x->shard_k, x->shard_n);
	for (size_t d = 0; d < x->n_dims; d++)
		scn_str_addf(&t, "vary %s\n", x->dims[d].spec);
	scn_str_addf(&t, "measures");
	for (size_t m = 0; m < x->n_meas; m++)
		scn_str_addf(&t, " %s", x->names[m]);
	scn_str_addf(&t, "\n");
	return scn_str_take(&t);
}

static int ex_plot(const struct ex *x, const char *png, const char *svg, char *err, size_t cap)
{
	struct cli_plot_panel *pn = calloc(x->n_meas, sizeof *pn);
	struct cli_plot_curve *cv = calloc(x->n_meas * x->n_settings, sizeof *cv);
	struct ex_col *cols = calloc(x->n_meas * x->n_settings, sizeof *cols);
	char **labels = calloc(x->n_meas * x->n_settings, sizeof *labels);
	int rc = -1;
	if (!pn || !cv || !cols || !labels) {
		snprintf(err, cap, _("%s: out of memory"), png);
		goto cleanup;
	}
	for (size_t m = 0; m < x->n_meas; m++) {
		pn[m].title = x->names[m];
		pn[m].curves = cv + m * x->n_settings;
		pn[m].n_curves = x->n_settings;
		for (size_t s = 0; s < x->n_settings; s++) {
			size_t i = m * x->n_settings + s;
			if (ex_collect(x, s, m, &cols[i]) != 0) {
				snprintf(err, cap, _("%s: out of memory"), png);
				goto cleanup;
			}
			struct scn_str l = {0};
			scn_str_addf(&l, "%s", x->labels[s]);
			if (cols[i].timeouts)
				scn_str_addf(&l, " (%zu timed out)", cols[i].timeouts);
			labels[i] = l.p;
			cv[i].label = labels[i] ? labels[i] : "";
			cv[i].us = cols[i].v;
			cv[i].n = cols[i].n;
			cv[i].total = cols[i].total;
		}
	}
	rc = cli_plot_cdf(png, svg, x->title, pn, x->n_meas, x->log_x, err, cap);
cleanup:
	for (size_t i = 0; cols && i < x->n_meas * x->n_settings; i++)
		free(cols[i].v);
	for (size_t i = 0; labels && i < x->n_meas * x->n_settings; i++)
		free(labels[i]);
	free(labels);
	free(cols);
	free(cv);
	free(pn);
	return rc;
}

static void ex_path(const struct ex *x, const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", x->out, name);
}

/* Writes every file of DIR and prints the table.  0 or -1 (said why). */
static int ex_write(const struct ex *x)
{
	char path[4200], err[4400];
	char *csv = ex_csv(x), *sum = ex_summary(x), *man = ex_manifest(x);
	int rc = -1;
	if (!csv || !sum || !man) {
		ex_err(_("out of memory"));
		goto cleanup;
	}
	ex_path(x, "results.csv", path, sizeof path);
	if (sim_out_write_file(path, csv, strlen(csv), err, sizeof err) != 0)
		goto bad;
	ex_path(x, "summary.txt", path, sizeof path);
	if (sim_out_write_file(path, sum, strlen(sum), err, sizeof err) != 0)
		goto bad;
	ex_path(x, "experiment.txt", path, sizeof path);
	if (sim_out_write_file(path, man, strlen(man), err, sizeof err) != 0)
		goto bad;
	char png[4200], svg[4200];
	ex_path(x, "cdf.png", png, sizeof png);
	ex_path(x, "cdf.svg", svg, sizeof svg);
	if (ex_plot(x, png, svg, err, sizeof err) != 0)
		goto bad;
	if (!x->quiet)
		fputs(sum, stdout);
	rc = 0;
	goto cleanup;
bad:
	ex_err(_("--out: %s"), err);
cleanup:
	free(csv);
	free(sum);
	free(man);
	return rc;
}

/* Creates DIR (its parent must exist); fine if it is a directory already. */
static bool ex_mkdir(const char *dir)
{
	struct stat st;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		ex_err(_("--out: %s: cannot create the directory: %s"), dir, strerror(errno));
		return false;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		ex_err(_("--out: %s: not a directory"), dir);
		return false;
	}
	return true;
}

static bool ex_alloc_results(struct ex *x)
{
	x->n_runs = (uint64_t)x->n_settings * x->n_seeds;
	if (x->n_seeds > EX_RUNS_MAX || x->n_runs > EX_RUNS_MAX) {
		ex_err(_("--seeds: %" PRIu64 " runs in all: at most %llu"), x->n_runs,
		       (unsigned long long)EX_RUNS_MAX);
		return false;
	}
	x->status = calloc((size_t)x->n_runs, 1);
	x->values = malloc((size_t)x->n_runs * (x->n_meas ? x->n_meas : 1) * sizeof *x->values);
	if (!x->status || !x->values) {
		ex_err(_("out of memory for %" PRIu64 " runs"), x->n_runs);
		return false;
	}
	return true;
}

/* ---- --merge ------------------------------------------------------------ */

static char *ex_read(const char *path, char *err, size_t cap)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, cap, _("%s: cannot read: %s"), path, strerror(errno));
		return NULL;
	}
	struct scn_str t = {0};
	char b[65536];
	size_t n;
	while ((n = fread(b, 1, sizeof b, f)) > 0)
		scn_str_addf(&t, "%.*s", (int)n, b);
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || t.oom || !t.p) {
		snprintf(err, cap, _("%s: cannot read%s"), path, t.oom ? _(": out of memory") : "");
		free(t.p);
		return NULL;
	}
	return t.p;
}

/* Reads DIR/experiment.txt into x (dims, seeds, shard, names, title). */
static bool ex_read_manifest(struct ex *x, const char *dir, char **script)
{
	char path[4200], err[4400];
	snprintf(path, sizeof path, "%s/experiment.txt", dir);
	char *text = ex_read(path, err, sizeof err);
	if (!text) {
		ex_err(_("--merge: %s (not an experiment directory?)"), err);
		return false;
	}
	bool ok = true;
	int line = 0;
	for (char *l = text, *nl; ok && l && *l; l = nl ? nl + 1 : NULL) {
		line++;
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (l[0] == '#' || !l[0])
			continue;
		if (!strncmp(l, "script ", 7)) {
			*script = strdup(l + 7);
		} else if (!strncmp(l, "title ", 6) || !strcmp(l, "title")) {
			snprintf(x->title, sizeof x->title, "%s", l[5] ? l + 6 : "");
		} else if (!strncmp(l, "seeds ", 6)) {
			unsigned long long a, b;
			ok = sscanf(l + 6, "%llu..%llu", &a, &b) == 2 && a <= b;
			x->seed_lo = a;
			x->seed_hi = b;
		} else if (!strncmp(l, "shard ", 6)) {
			unsigned long long k, n;
			ok = sscanf(l + 6, "%llu/%llu", &k, &n) == 2 && k >= 1 && k <= n;
			x->shard_k = k;
			x->shard_n = n;
		} else if (!strncmp(l, "vary ", 5)) {
			ok = ex_parse_vary(x, l + 5);
		} else if (!strncmp(l, "measures", 8)) {
			for (char *w = strtok(l + 8, " "); w && ok; w = strtok(NULL, " ")) {
				ok = x->n_meas < SCN_MEASURES_MAX && strlen(w) <= SCN_NAME_MAX;
				if (ok)
					snprintf(x->names[x->n_meas++], SCN_NAME_MAX + 1, "%s", w);
			}
		} else {
			ok = false;
		}
	}
	if (!ok)
		ex_err(_("--merge: %s:%d: not what raftsim experiment writes"), path, line);
	free(text);
	return ok;
}

/* Files the rows of DIR/results.csv into x. */
static bool ex_read_rows(struct ex *x, const char *dir)
{
	char path[4200], err[4400];
	snprintf(path, sizeof path, "%s/results.csv", dir);
	char *text = ex_read(path, err, sizeof err);
	if (!text) {
		ex_err(_("--merge: %s"), err);
		return false;
	}
	size_t n_keys = 0;
	for (size_t d = 0; d < x->n_dims; d++)
		n_keys += x->dims[d].n_keys;
	size_t n_fields = n_keys + 2 + x->n_meas;
	const char **f = malloc(n_fields * sizeof *f);
	size_t *fl = malloc(n_fields * sizeof *fl);
	bool ok = f && fl;
	int line = 0;
	for (char *l = text, *nl; ok && l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = '\0';
		if (++line == 1)
			continue; /* the header */
		ok = ex_split(l, strlen(l), ',', f, fl, n_fields) == n_fields;
		if (!ok)
			break;
		/* the setting: each dimension's value index */
		size_t s = 0, at = 0;
		for (size_t d = 0; ok && d < x->n_dims; d++) {
			const struct ex_dim *dm = &x->dims[d];
			size_t v = 0;
			for (; v < dm->n_values; v++) {
				bool same = true;
				for (size_t k = 0; k < dm->n_keys && same; k++) {
					const char *want = dm->vals[v * dm->n_keys + k];
					same = strlen(want) == fl[at + k] && !memcmp(want, f[at + k], fl[at + k]);
				}
				if (same)
					break;
			}
			ok = v < dm->n_values;
			s = s * dm->n_values + v;
			at += dm->n_keys;
		}
		unsigned long long seed = 0;
		ok = ok && sscanf(f[at], "%llu", &seed) == 1 && seed >= x->seed_lo && seed <= x->seed_hi;
		if (!ok)
			break;
		uint64_t run = s * x->n_seeds + (seed - x->seed_lo);
		const char *st = f[at + 1];
		size_t sl = fl[at + 1];
		uint8_t status = sl == 2 && !memcmp(st, "ok", 2)      ? EX_OK
		                 : sl == 4 && !memcmp(st, "fail", 4)  ? EX_FAIL
		                 : sl == 5 && !memcmp(st, "limit", 5) ? EX_LIMIT
		                                                      : EX_ABSENT;
		ok = status != EX_ABSENT && x->status[run] == EX_ABSENT;
		if (!ok)
			break;
		x->status[run] = status;
		for (size_t m = 0; m < x->n_meas && ok; m++) {
			const char *v = f[at + 2 + m];
			size_t vl = fl[at + 2 + m];
			int64_t us = vl == 0                                 ? EX_MISSING
			             : vl == 7 && !memcmp(v, "timeout", 7) ? EX_TIMEOUT
			                                                   : ex_parse_ms3(v, vl);
			ok = us != -1 || (vl == 7 && !memcmp(v, "timeout", 7));
			x->values[run * x->n_meas + m] = us;
		}
	}
	if (!ok)
		ex_err(_("--merge: %s:%d: not a row of this experiment (or a run given twice)"), path,
		       line);
	free(f);
	free(fl);
	free(text);
	return ok;
}

static int ex_exit_code(const struct ex *x)
{
	bool fail = false, limit = false;
	for (uint64_t run = 0; run < x->n_runs; run++) {
		fail |= x->status[run] == EX_FAIL;
		limit |= x->status[run] == EX_LIMIT;
	}
	return fail ? 1 : limit ? CLI_EXIT_RESOURCE : 0;
}

static int ex_merge(struct ex *x, char **dirs, size_t n_dirs)
{
	char *script = NULL, *man0 = NULL;
	int rc = 2;
	bool *seen = NULL;
	if (!x->out) {
		ex_err(_("--merge: --out DIR is missing: where to write the merged experiment"));
		return 2;
	}
	if (!ex_read_manifest(x, dirs[0], &script) || !script)
		goto cleanup;
	x->script_path = script;
	x->n_seeds = x->seed_hi - x->seed_lo + 1;
	if (!ex_settings(x, 1) || !ex_alloc_results(x))
		goto cleanup;
	/* the same experiment in every directory, each shard once, all there */
	uint64_t n_shards = x->shard_n;
	x->shard_k = x->shard_n = 1;
	man0 = ex_manifest(x);
	seen = calloc((size_t)n_shards, sizeof *seen);
	if (!man0 || !seen) {
		ex_err(_("out of memory"));
		goto cleanup;
	}
	for (size_t i = 0; i < n_dirs; i++) {
		struct ex y = {0};
		char *sc = NULL;
		bool ok = ex_read_manifest(&y, dirs[i], &sc) && sc;
		uint64_t k = y.shard_k, n = y.shard_n;
		y.script_path = sc;
		y.shard_k = y.shard_n = 1;
		char *man = ok ? ex_manifest(&y) : NULL;
		ok = ok && man && !strcmp(man, man0);
		free(man);
		free(sc);
		ex_free(&y);
		if (!ok) {
			ex_err(_("--merge: %s: not the same experiment as %s (script, seeds, --vary and measures must match)"),
			       dirs[i], dirs[0]);
			goto cleanup;
		}
		if (n != n_shards || seen[k - 1]) {
			ex_err(_("--merge: %s: shard %" PRIu64 "/%" PRIu64 " %s"), dirs[i], k, n,
			       n != n_shards ? _("belongs to another split") : _("is given twice"));
			goto cleanup;
		}
		seen[k - 1] = true;
		if (!ex_read_rows(x, dirs[i]))
			goto cleanup;
	}
	for (uint64_t k = 0; k < n_shards; k++)
		if (!seen[k]) {
			ex_err(_("--merge: shard %" PRIu64 "/%" PRIu64 " is missing"), k + 1, n_shards);
			goto cleanup;
		}
	for (uint64_t run = 0; run < x->n_runs; run++)
		if (x->status[run] == EX_ABSENT) {
			ex_err(_("--merge: run %" PRIu64 " (seed %" PRIu64 ") is in no shard's results"),
			       run, x->seed_lo + run % x->n_seeds);
			goto cleanup;
		}
	if (!ex_mkdir(x->out) || ex_write(x) != 0)
		goto cleanup;
	rc = ex_exit_code(x);
cleanup:
	free(seen);
	free(man0);
	free(script);
	x->script_path = NULL;
	return rc;
}

/* ---- The command --------------------------------------------------------- */

static bool ex_parse_range(const char *flag, const char *v, uint64_t *lo, uint64_t *hi)
{
	const char *dots = strstr(v, "..");
	if (!dots)
		return cli_parse_u64(flag, v, 0, UINT64_MAX / 2, lo) && (*hi = *lo, true);
	char a[32];
	size_t n = (size_t)(dots - v);
	if (n == 0 || n >= sizeof a) {
		fprintf(stderr, _("raftsim: %s: '%s' is not a range (expected A..B)\n"), flag, v);
		return false;
	}
	memcpy(a, v, n);
	a[n] = '\0';
	if (!cli_parse_u64(flag, a, 0, UINT64_MAX / 2, lo) ||
	    !cli_parse_u64(flag, dots + 2, 0, UINT64_MAX / 2, hi))
		return false;
	if (*hi < *lo) {
		fprintf(stderr, _("raftsim: %s: '%s' is empty (A must be <= B)\n"), flag, v);
		return false;
	}
	return true;
}

static bool ex_parse_shard(const char *v, uint64_t *k, uint64_t *n)
{
	const char *slash = strchr(v, '/');
	char a[32];
	if (!slash || slash == v || (size_t)(slash - v) >= sizeof a) {
		fprintf(stderr, _("raftsim: --shard: '%s' is not K/N (e.g. 3/8)\n"), v);
		return false;
	}
	memcpy(a, v, (size_t)(slash - v));
	a[slash - v] = '\0';
	if (!cli_parse_u64("--shard", slash + 1, 1, 1000000, n) ||
	    !cli_parse_u64("--shard", a, 1, *n, k))
		return false;
	return true;
}

int cli_experiment(int argc, char **argv)
{
	struct ex x = {.seed_lo = 1, .seed_hi = 100, .shard_k = 1, .shard_n = 1, .jobs = 1};
	char **merge = NULL;
	size_t n_merge = 0;
	char outbuf[4200];
	int rc = 2;
	merge = calloc((size_t)argc + 1, sizeof *merge);
	if (!merge) {
		ex_err(_("out of memory"));
		return 2;
	}
	bool merging = false;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int b;
#define FLAG(name) cli_flag_is(a, name)
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(_(experiment_usage), stdout);
			rc = 0;
			goto cleanup;
		} else if ((b = cli_parse_budget(argc, argv, &i, &x.max_events, &x.max_memory)) != 0) {
			if (b < 0)
				goto cleanup;
		} else if (FLAG("--seeds")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seeds")) ||
			    !ex_parse_range("--seeds", v, &x.seed_lo, &x.seed_hi))
				goto cleanup;
		} else if (FLAG("--vary")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--vary")) || !ex_parse_vary(&x, v))
				goto cleanup;
		} else if (FLAG("--jobs")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--jobs")) ||
			    !cli_parse_u64("--jobs", v, 1, EX_JOBS_MAX, &x.jobs))
				goto cleanup;
		} else if (FLAG("--out")) {
			if (!(x.out = cli_flag_value(argc, argv, &i, "--out")))
				goto cleanup;
			if (!*x.out) {
				ex_err(_("--out: an empty directory name"));
				goto cleanup;
			}
		} else if (FLAG("--shard")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--shard")) ||
			    !ex_parse_shard(v, &x.shard_k, &x.shard_n))
				goto cleanup;
		} else if (!strcmp(a, "--merge")) {
			merging = true;
		} else if (!strcmp(a, "--log-x")) {
			x.log_x = true;
		} else if (!strcmp(a, "--quiet")) {
			x.quiet = true;
		} else if (a[0] == '-' && a[1]) {
			static const char *const flags[] = {
				"--seeds", "--vary",  "--jobs",       "--out",        "--log-x", "--shard",
				"--merge", "--quiet", "--max-events", "--max-memory", "--help",  NULL};
			rc = cli_unknown_flag("experiment", a, flags);
			goto cleanup;
		} else {
			merge[n_merge++] = argv[i];
		}
#undef FLAG
	}
	if (merging) {
		if (n_merge == 0) {
			ex_err(_("--merge: no directories (raftsim experiment --merge DIR... --out DIR)"));
			goto cleanup;
		}
		if (x.n_dims || x.shard_n != 1) {
			ex_err(_("--merge: --vary and --shard come from the shard directories"));
			goto cleanup;
		}
		rc = ex_merge(&x, merge, n_merge);
		goto cleanup;
	}
	if (n_merge != 1) {
		ex_err(n_merge ? _("one scenario FILE at a time (got '%s' too)")
		               : _("missing the scenario FILE%s (raftsim experiment --help)"),
		       n_merge ? merge[1] : "");
		goto cleanup;
	}
	x.script_path = merge[0];
	char err[SCN_ERR_MAX];
	if (!(x.script = scn_load(x.script_path, err, sizeof err)) ||
	    scn_script_check(x.script, err, sizeof err) != 0) {
		fprintf(stderr, _("%s\n"), err);
		goto cleanup;
	}
	snprintf(x.title, sizeof x.title, "%s",
	         *scn_script_title(x.script) ? scn_script_title(x.script) : x.script_path);
	for (size_t i = 0; i < scn_script_n_cmds(x.script); i++) {
		const struct scn_cmd *c = scn_script_cmd(x.script, i);
		if (c->kind == SCN_CMD_MEASURE)
			snprintf(x.names[x.n_meas++], SCN_NAME_MAX + 1, "%s", c->name);
	}
	if (x.n_meas == 0) {
		ex_err(_("%s has no 'measure' command: an experiment collects measurements "
		       "(e.g. measure election until leader within 10s)"),
		       x.script_path);
		goto cleanup;
	}
	x.n_seeds = x.seed_hi - x.seed_lo + 1;
	if (!ex_settings(&x, scn_script_nodes(x.script)) || !ex_alloc_results(&x))
		goto cleanup;
	/* every setting must be one the simulator accepts, before any run */
	for (size_t s = 0; s < x.n_settings; s++) {
		struct scn_options o = {.vary = x.settings[s]};
		struct scn_runner *r = scn_runner_new(x.script, &o);
		if (!r) {
			ex_err(_("--vary: the simulator refuses '%s' with the settings of %s"),
			       x.labels[s], x.script_path);
			goto cleanup;
		}
		scn_runner_free(r);
	}
	if (!x.out) {
		const char *base = strrchr(x.script_path, '/');
		base = base ? base + 1 : x.script_path;
		size_t bl = strlen(base);
		if (bl > 4 && !strcmp(base + bl - 4, ".scn"))
			bl -= 4;
		snprintf(outbuf, sizeof outbuf, "experiment-%.*s", (int)bl, base);
		x.out = outbuf;
	}
	if (!ex_mkdir(x.out))
		goto cleanup;
	static const char *const files[] = {"results.csv", "summary.txt", "experiment.txt",
	                                    "cdf.png", "cdf.svg"};
	for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
		char path[4200];
		ex_path(&x, files[f], path, sizeof path);
		if (!cli_output_ok("--out", path, x.script_path))
			goto cleanup;
	}
	struct ex_progress pg = {.on = !x.quiet && isatty(2), .t0 = ex_wall(), .last = 0};
	for (uint64_t run = 0; run < x.n_runs; run++)
		pg.total += ex_in_shard(&x, run);
	double t0 = ex_wall();
	int r = x.jobs > 1 ? ex_run_parallel(&x, &pg) : ex_run_serial(&x, &pg);
	ex_progress(&pg, pg.total, true);
	if (r != 0) {
		ex_err(_("a worker process failed (--jobs %" PRIu64 ")"), x.jobs);
		goto cleanup;
	}
	double wall = ex_wall() - t0;
	if (!x.quiet)
		printf(_("experiment: %s, seeds %" PRIu64 "..%" PRIu64 "%s, %zu setting%s, %" PRIu64
		       " runs, %.1f s, --jobs %" PRIu64 ", written to %s/\n"),
		       x.script_path, x.seed_lo, x.seed_hi, x.shard_n > 1 ? " (a shard)" : "",
		       x.n_settings, x.n_settings == 1 ? "" : "s", pg.total, wall, x.jobs, x.out);
	if (ex_write(&x) != 0)
		goto cleanup;
	rc = ex_exit_code(&x);
	/* the first failing run, reproduced for its message */
	for (uint64_t run = 0; rc != 0 && run < x.n_runs; run++)
		if (x.status[run] == EX_FAIL || x.status[run] == EX_LIMIT) {
			char why[1200] = "out of memory";
			int64_t *vals = malloc((x.n_meas ? x.n_meas : 1) * sizeof *vals);
			if (vals)
				ex_run_one(&x, run, vals, why, sizeof why);
			free(vals);
			ex_err(_("seed %" PRIu64 " (%s): %s"), x.seed_lo + run % x.n_seeds,
			       x.labels[run / x.n_seeds], why);
			break;
		}
cleanup:
	free(merge);
	ex_free(&x);
	cli_plot_shutdown();
	return rc;
}
