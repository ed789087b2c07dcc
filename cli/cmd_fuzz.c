/* cmd_fuzz.c - `raftsim fuzz`: randomized fault campaigns, one run per seed.
 *
 * Each seed draws its own fault mix (sim/nemesis.c) and plays it through the
 * scenario runner, so every run IS a scenario script: a safety phase with
 * faults, then a liveness phase (heal, restart everything, a clean network)
 * in which a leader must emerge and every acknowledged put must be
 * committed on every node.  On the first failure the script is shrunk by
 * removing commands while the same failure persists, written to a file, and
 * the command exits 1.  A seed that exhausts a budget or runs out of memory
 * is no verdict: the campaign stops there and exits 3. */
#include "cli.h"
#include "i18n.h"

#include "nemesis.h"
#include "scn.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEC 1000000LL
#define FUZZ_NODES_MAX 99 /* a partition line of 99 nodes fits in a script line */

static const char fuzz_usage[] = N_(
    "usage: raftsim fuzz [--seeds A..B] [--nodes N|MIN..MAX] [--for DURATION] [--jobs J]\n"
    "                    [--bug NAME]... [--out FILE] [--quiet] [--shard K/N]\n"
    "       raftsim fuzz --merge REPORT...\n"
    "One randomized run per seed (default 1..100): the seed draws its own fault mix\n"
    "(drop and duplicate rates, latency, crashes, partitions, one-way cuts, client\n"
    "load), runs a safety phase of --for (default 30s) virtual time with faults,\n"
    "then heals everything and requires a leader and every acknowledged put\n"
    "committed on all nodes.  --nodes: fixed or drawn per seed (default 3..7, at\n"
    "most 99).  On the first failure: prints the seed, writes a shrunk script that\n"
    "reproduces it (--out, default fuzz-seed-S.scn), exits 1.  --jobs: parallel\n"
    "processes.  --bug: switch off one rule of Raft (repeatable):\n"
    "  %s\n"
    "About a quarter of the seeds also ask for leadership transfers (transfer NODE)\n"
    "at random times.  Seeds 1, 5, 9, ... (seed mod 4 = 1) compact their logs every\n"
    "few entries, so snapshots are taken and installed under the same faults.\n"
    "--max-events N and --max-memory SIZE: budgets per run (default 100000000\n"
    "events, 1GiB; 0: none).\n"
    "With --jobs, the first failure in any process stops the others once none can\n"
    "find a lower failing seed; the lowest is reported.  Exit 0 no violations, 1 a\n"
    "failure, 2 bad usage, 3 a run hit a resource limit (budget, out of memory).\n"
    "--shard K/N runs only seeds A+K-1, A+K-1+N, ... (the K-th of N disjoint slices,\n"
    "for a job array; docs/scaling.md); --merge combines the shards' saved standard\n"
    "outputs into the report of one campaign: runs summed, the lowest failing seed.\n");

struct fz_cmd {
	int64_t t_us;
	char *text;
};

struct fz_case {
	uint64_t seed;
	uint16_t nodes;
	uint32_t bugs;
	uint32_t snapshot, trailing; /* log compaction, 0: off */
	char mix[128];       /* a `set` line of timings and disk latency, "" for none */
	char reads[512];     /* the read path and clock skews (fz_read_path), "" for none */
	uint16_t voters;     /* membership changes: the first configuration's
	                        voters (the rest are spares); 0: off */
	int64_t for_us;
	struct fz_cmd *cmds;
	size_t n, cap;
	bool liveness;       /* append the liveness block */
	uint8_t down[RAFT_NODES_MAX + 1]; /* nodes down when the safety phase ended */
	int64_t end_us;      /* where the safety phase ends */
};

struct fz_result {
	bool failed;
	bool resource;      /* a budget ran out or memory did: no verdict */
	/* The failure's signature: the invariant, or for a liveness failure
	 * "liveness: " and the command that failed, without its line. */
	char invariant[192];
	char message[768];
	int64_t time_us;
	uint64_t events;
};

static void fz_case_free(struct fz_case *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->cmds[i].text);
	free(c->cmds);
	c->cmds = NULL;
	c->n = c->cap = 0;
}

static int fz_push(struct fz_case *c, int64_t t, const char *text)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct fz_cmd *p = realloc(c->cmds, cap * sizeof *p);
		if (!p)
			return -1;
		c->cmds = p;
		c->cap = cap;
	}
	char *t2 = strdup(text);
	if (!t2)
		return -1;
	c->cmds[c->n++] = (struct fz_cmd){t, t2};
	return 0;
}

/* The scenario command for an action (not RUN). */
static void fz_action_text(const struct sim_action *a, uint16_t nodes, char *buf, size_t cap)
{
	char x[32], y[32], d[32], e[32];
	size_t len = 0;
	switch (a->kind) {
	case SIM_A_CRASH:
		snprintf(buf, cap, "crash n%u", a->a);
		break;
	case SIM_A_RESTART:
		snprintf(buf, cap, "restart n%u", a->a);
		break;
	case SIM_A_TIMEOUT:
		snprintf(buf, cap, "timeout n%u", a->a);
		break;
	case SIM_A_ISOLATE:
		snprintf(buf, cap, "isolate n%u", a->a);
		break;
	case SIM_A_CUT:
		snprintf(buf, cap, "cut n%u->n%u", a->a, a->b);
		break;
	case SIM_A_CUT_BOTH:
		snprintf(buf, cap, "cut n%u<->n%u", a->a, a->b);
		break;
	case SIM_A_MEND_BOTH:
		snprintf(buf, cap, "mend n%u<->n%u", a->a, a->b);
		break;
	case SIM_A_HEAL:
		snprintf(buf, cap, "heal");
		break;
	case SIM_A_PUT:
		snprintf(buf, cap, "client put %s", a->cmd);
		break;
	case SIM_A_GET:
		if (a->a)
			snprintf(buf, cap, "client get %s to n%u", a->cmd, a->a);
		else
			snprintf(buf, cap, "client get %s", a->cmd);
		break;
	case SIM_A_SET:
		scn_percent_format(a->drop_ppm, x, sizeof x);
		scn_percent_format(a->dup_ppm, y, sizeof y);
		scn_duration_format(a->latency_us_min, d, sizeof d);
		scn_duration_format(a->latency_us_max, e, sizeof e);
		len = (size_t)snprintf(buf, cap, "set drop=%s duplicate=%s latency=%s..%s", x, y, d, e);
		if (a->slow_ppm && len < cap) {
			scn_percent_format(a->slow_ppm, x, sizeof x);
			scn_duration_format(a->slow_us_min, d, sizeof d);
			scn_duration_format(a->slow_us_max, e, sizeof e);
			snprintf(buf + len, cap - len, " slow=%s slow_latency=%s..%s", x, d, e);
		}
		break;
	case SIM_A_PARTITION: {
		bool done[RAFT_NODES_MAX + 1] = {false};
		len = (size_t)snprintf(buf, cap, "partition");
		for (uint16_t i = 1; i <= nodes && len < cap; i++) {
			if (done[i])
				continue;
			len += (size_t)snprintf(buf + len, cap - len, " {");
			bool first = true;
			for (uint16_t j = i; j <= nodes && len < cap; j++)
				if (!done[j] && a->group[j - 1] == a->group[i - 1]) {
					done[j] = true;
					len += (size_t)snprintf(buf + len, cap - len, "%sn%u", first ? "" : " ", j);
					first = false;
				}
			if (len < cap)
				len += (size_t)snprintf(buf + len, cap - len, "}");
		}
		break;
	}
	default:
		snprintf(buf, cap, "# ?");
	}
}

/* Appends to a growing string. */
/* The script for a case, with only the commands keep[i] (NULL: all). */
static char *fz_script(const struct fz_case *c, const bool *keep, const char *title)
{
	struct scn_str b = {0};
	char d[32];
	const char *bug, *sep = " bug=";
	scn_duration_format(c->for_us, d, sizeof d);
	scn_str_addf(&b, "# Found by: raftsim fuzz --seeds %llu..%llu --nodes %u --for %s",
	        (unsigned long long)c->seed, (unsigned long long)c->seed, c->nodes, d);
	for (uint32_t left = c->bugs; (bug = raft_bug_next(&left));)
		scn_str_addf(&b, " --bug %s", bug);
	scn_str_addf(&b, "\n# Reproduce: raftsim check THIS_FILE\n");
	if (title)
		scn_str_addf(&b, "title \"%s\"\n", title);
	scn_str_addf(&b, "cluster nodes=%u seed=%llu", c->nodes, (unsigned long long)c->seed);
	if (c->voters)
		scn_str_addf(&b, " voters=%u", c->voters);
	for (uint32_t left = c->bugs; (bug = raft_bug_next(&left)); sep = ",")
		scn_str_addf(&b, "%s%s", sep, bug);
	scn_str_addf(&b, "\n");
	if (c->snapshot)
		scn_str_addf(&b, "set snapshot=%u trailing=%u\n", c->snapshot, c->trailing);
	if (c->mix[0])
		scn_str_addf(&b, "%s\n", c->mix);
	if (c->reads[0])
		scn_str_addf(&b, "%s", c->reads);
	int64_t t = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (keep && !keep[i])
			continue;
		if (c->cmds[i].t_us > t) {
			scn_duration_format(c->cmds[i].t_us - t, d, sizeof d);
			scn_str_addf(&b, "run %s\n", d);
			t = c->cmds[i].t_us;
		}
		scn_str_addf(&b, "%s\n", c->cmds[i].text);
	}
	if (c->end_us > t) {
		scn_duration_format(c->end_us - t, d, sizeof d);
		scn_str_addf(&b, "run %s\n", d);
	}
	if (c->liveness) {
		scn_str_addf(&b, "# liveness: heal everything; a leader must emerge and every\n"
		            "# acknowledged put must be committed on every node\n");
		scn_str_addf(&b, "heal\n");
		for (uint16_t i = 1; i <= c->nodes; i++)
			if (c->down[i])
				scn_str_addf(&b, "restart n%u\n", i);
		/* a clean network: no loss, and no latency spike left on */
		scn_str_addf(&b, "set drop=0%% duplicate=0%% latency=5ms..15ms slow=0%%\n");
		/* timings that cause split votes are for the safety phase; the
		 * liveness phase asks for a leader under sane ones */
		if (c->mix[0])
			scn_str_addf(&b, "set disk=0ms election=150ms..300ms heartbeat=50ms retry=1s\n");
		/* Plain Figure 2 Raft has no no-op entry: a new leader commits
		 * older entries only along with one of its own term, so the
		 * client keeps writing while the cluster settles, and writes
		 * only once every message sent under the safety phase's faults
		 * has landed (slow ones and latency spikes arrive up to about
		 * 4 s late): a late one, such as the TimeoutNow of a transfer
		 * given up long ago, can still elect a new leader, which would
		 * then hold the last acknowledged put uncommitted on the others
		 * with nothing of its own term to commit it by. */
		scn_str_addf(&b, "run 5s\n");
		scn_str_addf(&b, "run until leader within 20s\n");
		for (int k = 1; k <= 3; k++)
			scn_str_addf(&b, "client put fuzz%d=%d\nrun 1s\n", k, k);
		/* three keys, not one: a retried fuzz1 applied after fuzz3 must
		 * not overwrite it in a map that compaction left as its only
		 * record */
		scn_str_addf(&b, "run until committed fuzz3=3 on all within 20s\n");
		scn_str_addf(&b, "run until acked-committed within 20s\n");
	}
	return scn_str_take(&b);
}

/* The run budgets (--max-events, --max-memory), for every runner. */
struct fz_budget {
	uint64_t max_events, max_memory;
};

/* "FAIL fuzz:115: run until leader within 20s (not reached ...)" ->
 * "liveness: run until leader within 20s": the same failure whatever line
 * it is on after shrinking. */
static void fz_liveness_signature(const char *err, char *buf, size_t cap)
{
	const char *cmd = err;
	const char *p = strstr(err, "fuzz:");
	if (p) {
		p += 5;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p[0] == ':' && p[1] == ' ')
			cmd = p + 2;
	}
	const char *end = strstr(cmd, " (");
	int len = end ? (int)(end - cmd) : (int)strlen(cmd);
	snprintf(buf, cap, "liveness: %.*s", len, cmd);
}

/* Runs a script; fills r. */
static int fz_verdict(const char *path, const char *text, const struct fz_budget *bg,
                      struct fz_result *r)
{
	char err[SCN_ERR_MAX];
	memset(r, 0, sizeof *r);
	struct scn_script *s = scn_parse(path, text, strlen(text), err, sizeof err);
	if (!s) {
		fprintf(stderr, _("raftsim fuzz: internal error: generated script is invalid: %s\n"), err);
		return -1;
	}
	struct scn_options o = {.max_events = bg->max_events, .max_memory_bytes = bg->max_memory};
	struct scn_runner *run = scn_runner_new(s, &o);
	scn_script_free(s);
	if (!run) {
		r->resource = true;
		snprintf(r->message, sizeof r->message,
		         _("out of memory at 0.000ms virtual time: the simulation could not be created"));
		return 0;
	}
	int st = scn_runner_run_all(run);
	const struct sim *sim = scn_runner_sim(run);
	r->events = sim_counters(sim)->events;
	r->time_us = sim_now_us(sim);
	int h = scn_runner_halt(run);
	if (st == SCN_FAILED && (h == SIM_ENOMEM || h == SIM_ELIMIT)) {
		r->resource = true;
		scn_runner_halt_text(run, r->message, sizeof r->message);
	} else if (st == SCN_FAILED) {
		r->failed = true;
		const struct sim_violation *v = sim_violation(sim);
		if (v) {
			snprintf(r->invariant, sizeof r->invariant, "%s", v->invariant);
			snprintf(r->message, sizeof r->message, _("%s: %s (at %lld us)"), v->invariant,
			         v->detail, (long long)v->time_us);
			r->time_us = v->time_us;
		} else {
			fz_liveness_signature(scn_runner_error(run), r->invariant,
			                      sizeof r->invariant);
			snprintf(r->message, sizeof r->message, "liveness: %s", scn_runner_error(run));
		}
	}
	scn_runner_free(run);
	return 0;
}

/* Reads in the client load: a get after every put, answered by the
 * seed's read path (fz_read_path; --bug stale-read makes it local).  The
 * gets change nothing else the seed does (nemesis.h).  Every seed's history
 * is checked for linearizability when its script ends (the runner does
 * it, as for `raftsim check`). */
static void fz_reads(struct sim_nemesis *nm, const struct fz_case *c)
{
	nm->gets = true;
	/* on lease reads, a get goes to a deposed leader that still believes
	 * it leads, where there is one: the read a lease must refuse (a clock
	 * skewed past the drift bound lets it through) */
	nm->gets_to_deposed = strstr(c->reads, "reads=lease") != NULL;
}

/* Leadership transfers (`transfer NODE`), on about a quarter of the seeds:
 * one to a random node (a follower, the leader itself, a crashed one) every
 * 0.2..2 s of virtual time.  The stream is the seed's own, drawn from
 * nothing the nemesis draws from, so a seed without transfers keeps its old
 * schedule exactly (splitting a run at a transfer changes no event). */
struct fz_transfers {
	uint64_t st;
	int64_t next_us; /* INT64_MAX: this seed does not transfer */
};

static uint64_t fz_transfer_draw(struct fz_transfers *x)
{
	uint64_t z = (x->st += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Membership changes (dissertation chapter 4) on the seeds whose mix says
 * so: the cluster starts with one or two spares, and now and then, instead
 * of the nemesis's fault, a server is added (a spare or a removed one) or
 * removed (never below two voters), drawn from a stream of its own.  A
 * request that makes no sense at that moment fails without effect and is
 * not recorded. */
struct fz_members {
	bool on;
	uint64_t rng;
};

static uint64_t fz_members_draw(struct fz_members *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Advances r to t (scn_runner_advance), issuing the transfers due on the
 * way and recording them in c. */
static int fz_advance_transferring(struct scn_runner *r, int64_t t, struct fz_transfers *x,
                                   struct fz_case *c)
{
	if (x->st == 0) { /* first call: is this seed one that transfers? */
		x->st = c->seed ^ 0x5851f42d4c957f2dull;
		x->next_us = fz_transfer_draw(x) % 4 == 0
		                 ? scn_runner_now_us(r) + 200000 + (int64_t)(fz_transfer_draw(x) % 1800001)
		                 : INT64_MAX;
	}
	while (x->next_us <= t) {
		if (scn_runner_advance(r, x->next_us) == SCN_FAILED)
			return SCN_FAILED;
		char line[32], err[SCN_ERR_MAX];
		snprintf(line, sizeof line, "transfer n%u",
		         (unsigned)(1 + fz_transfer_draw(x) % c->nodes));
		int rc = scn_runner_exec(r, line, err, sizeof err);
		if (rc == 0 && fz_push(c, scn_runner_now_us(r), line) != 0)
			return SCN_FAILED;
		if (rc != 0)
			return SCN_FAILED; /* only a stopped simulation refuses it */
		x->next_us += 200000 + (int64_t)(fz_transfer_draw(x) % 1800001);
	}
	return scn_runner_advance(r, t);
}

/* Maybe replaces the nemesis's action in line with a membership change. */
static void fz_members(struct fz_members *m, const struct fz_case *c, const struct sim *sim,
                       char *line, size_t cap)
{
	if (!m->on || fz_members_draw(m) % 3 != 0)
		return;
	uint8_t node = (uint8_t)(1 + fz_members_draw(m) % c->nodes);
	uint8_t l = sim_stable_leader(sim);
	const struct raft_node *r = sim_node(sim, l ? l : node);
	unsigned voters = 0;
	for (uint16_t i = 1; i <= c->nodes; i++)
		voters += raft_is_voter(r, (uint8_t)i);
	bool member = raft_is_voter(r, node) || raft_is_learner(r, node);
	if (member && raft_is_voter(r, node) && voters <= 2)
		return;
	snprintf(line, cap, "%s n%u", member ? "remove" : "add", node);
}

/* Plays the nemesis through a runner for the safety phase, recording every
 * command with its time.  0, -1 on an internal error, or 3 if the run hit a
 * resource limit (r says which). */
static int fz_generate(struct fz_case *c, const struct fz_budget *bg, struct fz_result *res)
{
	char text[1000], line[1400];
	int len = snprintf(text, sizeof text, "cluster nodes=%u seed=%llu", c->nodes,
	                   (unsigned long long)c->seed);
	if (c->voters)
		len += snprintf(text + len, sizeof text - (size_t)len, " voters=%u", c->voters);
	len += snprintf(text + len, sizeof text - (size_t)len, "\n");
	if (c->snapshot)
		len += snprintf(text + len, sizeof text - (size_t)len,
		                "set snapshot=%u trailing=%u\n", c->snapshot, c->trailing);
	if (c->mix[0])
		len += snprintf(text + len, sizeof text - (size_t)len, "%s\n", c->mix);
	snprintf(text + len, sizeof text - (size_t)len, "%s", c->reads);
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("fuzz", text, strlen(text), err, sizeof err);
	if (!s)
		return -1;
	struct scn_options o = {.bugs = c->bugs, .max_events = bg->max_events,
	                        .max_memory_bytes = bg->max_memory};
	struct scn_runner *r = scn_runner_new(s, &o);
	scn_script_free(s);
	if (!r) {
		res->resource = true;
		snprintf(res->message, sizeof res->message,
		         _("out of memory at 0.000ms virtual time: the simulation could not be created"));
		return 3;
	}
	scn_runner_run_all(r);
	struct sim_nemesis nm;
	sim_nemesis_init(&nm, c->seed, c->nodes);
	fz_reads(&nm, c);
	struct sim_action a;
	struct fz_transfers tr = {0};
	struct fz_members mb = {c->voters != 0, c->seed * 0xd1b54a32d192ed03ull + 0x8bb84b93962eacc9ull};
	bool failed = false;
	while (!failed && scn_runner_now_us(r) < c->for_us) {
		const struct sim *sim = scn_runner_sim(r);
		sim_nemesis_next(&nm, sim, &a);
		if (a.kind == SIM_A_RUN) {
			int64_t t = scn_runner_now_us(r) + a.us;
			if (t > c->for_us)
				t = c->for_us;
			failed = fz_advance_transferring(r, t, &tr, c) == SCN_FAILED;
			continue;
		}
		fz_action_text(&a, c->nodes, line, sizeof line);
		fz_members(&mb, c, sim, line, sizeof line);
		int rc = scn_runner_exec(r, line, err, sizeof err);
		if (rc == -1) {
			fprintf(stderr, _("raftsim fuzz: internal error: '%s': %s\n"), line, err);
			scn_runner_free(r);
			return -1;
		}
		if (rc == 0 && fz_push(c, scn_runner_now_us(r), line) != 0) {
			scn_runner_free(r);
			return -1;
		}
		failed = rc == -2 && sim_violation(scn_runner_sim(r));
	}
	int h = scn_runner_halt(r);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT) {
		res->resource = true;
		res->events = sim_counters(scn_runner_sim(r))->events;
		res->time_us = sim_now_us(scn_runner_sim(r));
		scn_runner_halt_text(r, res->message, sizeof res->message);
		scn_runner_free(r);
		return 3;
	}
	const struct sim *sim = scn_runner_sim(r);
	c->end_us = sim_violation(sim) ? sim_violation(sim)->time_us + 1 : c->for_us;
	c->liveness = !sim_violation(sim);
	for (uint16_t i = 1; i <= c->nodes; i++)
		c->down[i] = !sim_node_up(sim, (uint8_t)i);
	scn_runner_free(r);
	return 0;
}

/* The nodes down when the safety phase of the kept commands ends, into
 * c->down: the liveness block restarts exactly those (the original run's
 * set would restart a node the shrunk script never crashed).  0 or -1. */
static int fz_down_after(struct fz_case *c, const bool *keep, const struct fz_budget *bg)
{
	bool liveness = c->liveness;
	c->liveness = false;
	char *text = fz_script(c, keep, NULL);
	c->liveness = liveness;
	if (!text)
		return -1;
	char err[SCN_ERR_MAX];
	struct scn_script *s = scn_parse("fuzz", text, strlen(text), err, sizeof err);
	free(text);
	if (!s)
		return -1;
	struct scn_options o = {.max_events = bg->max_events, .max_memory_bytes = bg->max_memory};
	struct scn_runner *run = scn_runner_new(s, &o);
	scn_script_free(s);
	if (!run)
		return -1;
	scn_runner_run_all(run);
	const struct sim *sim = scn_runner_sim(run);
	for (uint16_t i = 1; i <= c->nodes; i++)
		c->down[i] = !sim_node_up(sim, (uint8_t)i);
	scn_runner_free(run);
	return 0;
}

/* Removes commands while the same failure persists (delta debugging with
 * halving chunks).  keep[] ends with the survivors. */
static void fz_shrink(struct fz_case *c, bool *keep, const struct fz_result *want,
                      const struct fz_budget *bg, unsigned budget)
{
	size_t n = c->n;
	for (size_t chunk = n / 2 ? n / 2 : 1; chunk >= 1 && budget; chunk /= 2) {
		for (size_t start = 0; start < n && budget; start += chunk) {
			bool any = false;
			for (size_t i = start; i < start + chunk && i < n; i++)
				any |= keep[i];
			if (!any)
				continue;
			bool saved[4096];
			size_t m = chunk < 4096 ? chunk : 4096;
			for (size_t i = 0; i < m && start + i < n; i++) {
				saved[i] = keep[start + i];
				keep[start + i] = false;
			}
			uint8_t down[RAFT_NODES_MAX + 1];
			memcpy(down, c->down, sizeof down);
			char *text = !c->liveness || fz_down_after(c, keep, bg) == 0
			                 ? fz_script(c, keep, NULL)
			                 : NULL;
			struct fz_result r;
			budget--;
			bool same = text && fz_verdict("fuzz", text, bg, &r) == 0 && r.failed &&
			            !strcmp(r.invariant, want->invariant);
			free(text);
			if (!same) {
				for (size_t i = 0; i < m && start + i < n; i++)
					keep[start + i] = saved[i];
				memcpy(c->down, down, sizeof down);
			}
		}
		if (chunk == 1)
			break;
	}
}

struct fz_opts {
	uint64_t seed_lo, seed_hi;
	uint64_t first, stride;    /* --shard K/N: seeds first, first+stride, ... */
	uint64_t shard_k, shard_n; /* 1/1 without --shard */
	uint64_t nodes_lo, nodes_hi;
	int64_t for_us;
	uint64_t jobs;
	uint32_t bugs;
	const char *out;
	bool quiet;
	struct fz_budget budget;
};

static uint16_t fz_nodes_for(const struct fz_opts *o, uint64_t seed)
{
	if (o->nodes_lo == o->nodes_hi)
		return (uint16_t)o->nodes_lo;
	uint64_t st = seed ^ 0xa0761d6478bd642full;
	st = (st ^ (st >> 29)) * 0xbf58476d1ce4e5b9ull;
	return (uint16_t)(o->nodes_lo + (st >> 32) % (o->nodes_hi - o->nodes_lo + 1));
}

/* The wider fault mix, on a quarter of the seeds (seed mod 4 = 0), each
 * part drawn in or left out per seed (swarm testing): a disk latency of
 * 0..50 ms, election timeouts from narrow ranges that cause split votes to
 * wide ones, a heartbeat interval, a client retry time, a cap of 1..16
 * entries per AppendEntries, torn writes, PreVote and CheckQuorum. */
static void fz_mix(uint64_t seed, char *buf, size_t cap, uint16_t nodes, uint16_t *voters)
{
	buf[0] = '\0';
	*voters = 0;
	if (seed % 4 != 0)
		return;
	uint64_t st = seed * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
	uint64_t pick[8];
	for (int i = 0; i < 8; i++) {
		uint64_t z = (st += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		pick[i] = z ^ (z >> 31);
	}
	static const int min_ms[] = {150, 200, 300}, spread_ms[] = {10, 50, 150, 300};
	static const int heartbeat_ms[] = {20, 30, 50}, retry_ms[] = {100, 300, 1000, 3000};
	static const unsigned batch[] = {1, 2, 4, 16};
	size_t len = (size_t)snprintf(buf, cap, "set");
	if (pick[0] & 1)
		len += (size_t)snprintf(buf + len, cap - len, " disk=%ums", (unsigned)(pick[1] % 51));
	if (pick[0] & 2) {
		int lo = min_ms[pick[2] % 3];
		len += (size_t)snprintf(buf + len, cap - len, " election=%ums..%ums", lo,
		                        lo + spread_ms[pick[3] % 4]);
	}
	if (pick[0] & 4)
		len += (size_t)snprintf(buf + len, cap - len, " heartbeat=%ums",
		                        heartbeat_ms[pick[4] % 3]);
	if (pick[0] & 8)
		len += (size_t)snprintf(buf + len, cap - len, " retry=%ums", retry_ms[pick[5] % 4]);
	if (pick[0] & 16) /* few entries per message: long catch-ups, many in flight */
		len += (size_t)snprintf(buf + len, cap - len, " batch=%u", batch[pick[6] % 4]);
	if (pick[0] & 32) /* a crash keeps a prefix of the write it interrupts */
		len += (size_t)snprintf(buf + len, cap - len, " torn=on");
	if (pick[0] & 64) /* PreVote (dissertation section 9.6) */
		len += (size_t)snprintf(buf + len, cap - len, " prevote=on");
	/* membership changes, one or two spares; removed servers that never
	 * heard of their removal are kept from disrupting by CheckQuorum's
	 * vote rule (section 4.2.3), so it is on with them */
	if ((pick[0] & 256) && nodes >= 3)
		*voters = (uint16_t)(nodes - 1 - (nodes > 3 ? (pick[7] & 1) : 0));
	if ((pick[0] & 128) || *voters) /* CheckQuorum (section 6.2) */
		len += (size_t)snprintf(buf + len, cap - len, " checkquorum=on");
	if (len == 3)
		buf[0] = '\0';
}

/* The read path of the seed's gets, from a stream of its own (so the
 * seed's faults stay as they were): readindex on half of the seeds, log
 * and lease on a quarter each (--bug stale-read answers every get from the
 * leader's map whatever the path; any other --bug keeps every seed on
 * readindex, so the seeds a teaching bug was found at stay as they were).
 * Half of the lease seeds skew the
 * clocks: each node runs at a rate drawn within the default 10% drift
 * bound, 1.00..1.10 (so no clock runs more than 10% faster than
 * another).  --bug lease-skew puts every seed on lease reads and draws
 * rates from 0.25..2, far past the bound the bug's lease ignores anyway.
 * Writes the lines ("" for the default path, unskewed) into buf. */
static void fz_read_path(uint64_t seed, const struct fz_case *c, char *buf, size_t cap)
{
	buf[0] = '\0';
	uint64_t st = seed * 0xd6e8feb86659fd93ull + 0x2545f4914f6cdd1dull;
	uint64_t pick = st ^ (st >> 32);
	pick = (pick ^ (pick >> 29)) * 0xbf58476d1ce4e5b9ull;
	pick ^= pick >> 32;
	bool skewed_bug = c->bugs & RAFT_BUG_LEASE_SKEW;
	if (c->bugs & ~(uint32_t)(RAFT_BUG_STALE_READ | RAFT_BUG_LEASE_SKEW))
		return; /* a campaign after one of the log's rules keeps its seeds */
	unsigned path = skewed_bug ? 3 : (unsigned)(pick % 4); /* 0, 1: readindex */
	if (path < 2)
		return;
	size_t len = (size_t)snprintf(buf, cap, "set reads=%s\n", path == 2 ? "log" : "lease");
	if (path != 3 || (!skewed_bug && (pick >> 8) % 2))
		return;
	for (uint16_t i = 1; i <= c->nodes && len < cap; i++) {
		uint64_t z = (st += 0x9e3779b97f4a7c15ull);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
		z ^= z >> 31;
		/* parts per million: 1000000..1100000, or 250000..2000000 */
		uint64_t ppm = skewed_bug ? 250000 + z % 1750001 : 1000000 + z % 100001;
		len += (size_t)snprintf(buf + len, cap - len, "skew n%u rate=%u.%06u\n", i,
		                        (unsigned)(ppm / 1000000), (unsigned)(ppm % 1000000));
	}
}

/* Runs one seed; returns 1 if it failed (r filled), 0 if clean, -1 error,
 * 3 if it hit a resource limit (r->message says which). */
static int fz_one(const struct fz_opts *o, uint64_t seed, struct fz_case *c, struct fz_result *r)
{
	memset(c, 0, sizeof *c);
	c->seed = seed;
	c->nodes = fz_nodes_for(o, seed);
	c->bugs = o->bugs;
	/* a quarter of the seeds compact (2..16 entries), and half of the
	 * wider mix's, so snapshots also meet slow disks, torn writes and
	 * small batches */
	if (seed % 4 == 1 || seed % 8 == 0) {
		c->snapshot = 2 + (uint32_t)(seed / 4 % 15);
		c->trailing = (uint32_t)(seed / 4 % 3);
	}
	fz_mix(seed, c->mix, sizeof c->mix, c->nodes, &c->voters);
	fz_read_path(seed, c, c->reads, sizeof c->reads);
	c->for_us = o->for_us;
	memset(r, 0, sizeof *r);
	int g = fz_generate(c, &o->budget, r);
	if (g != 0)
		return g;
	char *text = fz_script(c, NULL, NULL);
	if (!text)
		return -1;
	int rc = fz_verdict("fuzz", text, &o->budget, r);
	free(text);
	if (rc != 0)
		return -1;
	return r->resource ? 3 : r->failed ? 1 : 0;
}

/* Runs seeds lo, lo+step, ... up to hi; stops at the first failure or
 * resource limit.  Returns that seed (*kind 1 or 3) or 0; UINT64_MAX on an
 * internal error.  *runs, *events accumulate.  report (may be -1): after
 * every seed, one line "SEED KIND EVENTS" (KIND 0 clean, 1 failed, 2
 * internal error, 3 resource limit) is written there. */
static uint64_t fz_range(const struct fz_opts *o, uint64_t lo, uint64_t step, uint64_t *runs,
                         uint64_t *events, int *kind, int report)
{
	*kind = 0;
	for (uint64_t seed = lo; seed <= o->seed_hi; seed += step) {
		struct fz_case c;
		struct fz_result r;
		int rc = fz_one(o, seed, &c, &r);
		fz_case_free(&c);
		if (report >= 0) {
			char msg[96];
			int n = snprintf(msg, sizeof msg, "%llu %d %llu\n", (unsigned long long)seed,
			                 rc < 0 ? 2 : rc, (unsigned long long)r.events);
			if (write(report, msg, (size_t)n) != n)
				return UINT64_MAX;
		}
		if (rc < 0)
			return UINT64_MAX;
		(*runs)++;
		*events += r.events;
		if (rc == 1 || rc == 3) {
			*kind = rc;
			return seed;
		}
		if (seed > UINT64_MAX - step)
			break;
	}
	return 0;
}

static bool parse_range(const char *flag, const char *v, uint64_t min, uint64_t max,
                        uint64_t *lo, uint64_t *hi)
{
	const char *dots = strstr(v, "..");
	if (!dots)
		return cli_parse_u64(flag, v, min, max, lo) && (*hi = *lo, true);
	char a[32];
	size_t n = (size_t)(dots - v);
	if (n == 0 || n >= sizeof a) {
		fprintf(stderr, _("raftsim: %s: '%s' is not a range (expected A..B)\n"), flag, v);
		return false;
	}
	memcpy(a, v, n);
	a[n] = '\0';
	if (!cli_parse_u64(flag, a, min, max, lo) || !cli_parse_u64(flag, dots + 2, min, max, hi))
		return false;
	if (*hi < *lo) {
		fprintf(stderr, _("raftsim: %s: '%s' is empty (A must be <= B)\n"), flag, v);
		return false;
	}
	return true;
}

static double wall_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --jobs: one child per job takes every J-th seed and reports each seed on
 * its pipe as it finishes ("SEED KIND EVENTS", see fz_range).  The parent
 * polls every pipe, so a failure in any child is seen at once; from then
 * on a child whose next seed is above the lowest failing one cannot find a
 * lower one and is stopped, while the others go on until they pass it.
 * Returns the lowest failing seed (*kind 1, or 3 for a resource limit) or
 * 0; UINT64_MAX on an internal error. */
static uint64_t fz_parallel(const struct fz_opts *o, uint64_t *runs, uint64_t *events, int *kind)
{
	uint64_t j = o->jobs;
	pid_t pids[64];
	struct pollfd pfd[64];
	uint64_t next[64];        /* the seed child k runs next; UINT64_MAX: done */
	char buf[64][128];
	size_t used[64];
	uint64_t n = 0;
	bool broken = false;
	*kind = 0;
	uint64_t js = j * o->stride; /* a worker's step between its seeds */
	for (uint64_t k = 0; k < j && o->first + k * o->stride <= o->seed_hi; k++) {
		int p[2];
		if (pipe(p) != 0) {
			broken = true;
			break;
		}
		pid_t pid = fork();
		if (pid < 0) {
			close(p[0]);
			close(p[1]);
			broken = true;
			break;
		}
		if (pid == 0) {
			close(p[0]);
			for (uint64_t m = 0; m < n; m++)
				close(pfd[m].fd);
			uint64_t r = 0, e = 0;
			int kd;
			uint64_t bad = fz_range(o, o->first + k * o->stride, js, &r, &e, &kd, p[1]);
			_exit(bad == UINT64_MAX ? 2 : 0);
		}
		close(p[1]);
		pids[n] = pid;
		pfd[n] = (struct pollfd){.fd = p[0], .events = POLLIN};
		next[n] = o->first + k * o->stride;
		used[n] = 0;
		n++;
	}
	uint64_t first = 0; /* the lowest failing seed so far */
	uint64_t open_n = n;
	while (open_n > 0 && !broken) {
		if (poll(pfd, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			broken = true;
			break;
		}
		for (uint64_t k = 0; k < n; k++) {
			if (pfd[k].fd < 0 || !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t got = read(pfd[k].fd, buf[k] + used[k], sizeof buf[k] - 1 - used[k]);
			if (got <= 0) { /* the child finished (or died) */
				if (next[k] != UINT64_MAX && next[k] <= o->seed_hi &&
				    (first == 0 || next[k] < first))
					broken = true; /* it stopped before its seeds were done */
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open_n--;
				continue;
			}
			used[k] += (size_t)got;
			buf[k][used[k]] = '\0';
			char *line = buf[k], *nl;
			while ((nl = strchr(line, '\n')) != NULL) {
				*nl = '\0';
				unsigned long long seed = 0, ev = 0;
				int kd = 2;
				if (sscanf(line, "%llu %d %llu", &seed, &kd, &ev) != 3 || kd == 2) {
					broken = true;
					break;
				}
				(*runs)++;
				*events += ev;
				next[k] = seed + js > o->seed_hi || seed > UINT64_MAX - js ? UINT64_MAX
				                                                           : seed + js;
				if (kd == 1 || kd == 3) {
					next[k] = UINT64_MAX;
					if (first == 0 || seed < first) {
						first = seed;
						*kind = kd;
					}
				}
				line = nl + 1;
			}
			used[k] = strlen(line);
			memmove(buf[k], line, used[k] + 1);
		}
		/* children that can only find higher seeds than the lowest failure stop */
		for (uint64_t k = 0; k < n && first; k++)
			if (pfd[k].fd >= 0 && (next[k] == UINT64_MAX || next[k] > first)) {
				kill(pids[k], SIGTERM);
				close(pfd[k].fd);
				pfd[k].fd = -1;
				open_n--;
			}
	}
	for (uint64_t k = 0; k < n; k++) {
		if (pfd[k].fd >= 0) {
			kill(pids[k], SIGTERM);
			close(pfd[k].fd);
		}
		waitpid(pids[k], NULL, 0);
	}
	return broken ? UINT64_MAX : first;
}

/* "K/N" with 1 <= K <= N <= 1,000,000. */
static bool fz_parse_shard(const char *v, uint64_t *k, uint64_t *n)
{
	unsigned long long a, b;
	char extra;
	if (sscanf(v, "%llu/%llu%c", &a, &b, &extra) != 2 || strchr(v, '-') || strchr(v, '+') ||
	    a < 1 || b < 1 || a > b || b > 1000000) {
		fprintf(stderr, _("raftsim: --shard: '%s' is not K/N with 1 <= K <= N (e.g. 3/8)\n"), v);
		return false;
	}
	*k = a;
	*n = b;
	return true;
}

/* `fuzz --merge REPORT...`: the shards' standard outputs, combined into
 * what one campaign over all their seeds reports: the runs and events
 * summed, and the lowest failing seed (each shard stops at its own lowest,
 * so the campaign's is the least of them) with that shard's lines. */
static int fz_merge(int n, char **paths)
{
	if (n < 1) {
		fprintf(stderr, _("raftsim: --merge: no shard reports given (raftsim fuzz --merge "
		                "shard-1.txt shard-2.txt ...)\n"));
		return 2;
	}
	unsigned long long lo = 0, hi = 0, runs = 0, events = 0, best = 0, shard_n = 0;
	double wall = 0;
	bool limit = false, *seen = NULL;
	char *best_text = NULL;
	int rc = 2;
	for (int f = 0; f < n; f++) {
		FILE *in = fopen(paths[f], "r");
		if (!in) {
			fprintf(stderr, _("raftsim: --merge: %s: cannot read: %s\n"), paths[f], strerror(errno));
			goto out;
		}
		char line[4096], rest[4096] = "";
		unsigned long long a = 0, b = 0, k = 1, sn = 1, r = 0, e = 0, fail = 0;
		double w = 0;
		char status[32] = "";
		bool head = false;
		size_t rl = 0;
		while (fgets(line, sizeof line, in)) {
			if (!head && (sscanf(line, "fuzz: seeds %llu..%llu shard %llu/%llu, %llu runs, %llu "
			                           "events, %lf s, %31[A-Za-z ]",
			                     &a, &b, &k, &sn, &r, &e, &w, status) == 8 ||
			              (k = sn = 1, sscanf(line, "fuzz: seeds %llu..%llu, %llu runs, %llu "
			                                        "events, %lf s, %31[A-Za-z ]",
			                                  &a, &b, &r, &e, &w, status) == 6) ||
			              (k = sn = 1, sscanf(line, _("fuzz: seeds %llu..%llu, %llu runs, %llu "
			                                          "events, %lf s, %31[A-Za-z ]"),
			                                  &a, &b, &r, &e, &w, status) == 6) ||
			              sscanf(line, _("fuzz: seeds %llu..%llu shard %llu/%llu, %llu runs, %llu "
			                             "events, %lf s, %31[A-Za-z ]"),
			                     &a, &b, &k, &sn, &r, &e, &w, status) == 8)) {
				head = true;
				continue;
			}
			if (head) {
				sscanf(line, "FAIL seed %llu", &fail);
				size_t len = strlen(line);
				if (rl + len < sizeof rest) {
					memcpy(rest + rl, line, len + 1);
					rl += len;
				}
			}
		}
		fclose(in);
		if (!head) {
			fprintf(stderr, _("raftsim: --merge: %s: no 'fuzz: seeds ...' summary line (save "
			                "each shard's standard output)\n"), paths[f]);
			goto out;
		}
		if (f == 0) {
			lo = a, hi = b, shard_n = sn;
			if (!(seen = calloc(sn + 1, sizeof *seen))) {
				fprintf(stderr, _("raftsim: --merge: out of memory\n"));
				goto out;
			}
		} else if (a != lo || b != hi || sn != shard_n) {
			fprintf(stderr, _("raftsim: --merge: %s: seeds %llu..%llu in %llu shards, not "
			                "%llu..%llu in %llu like %s\n"),
			        paths[f], a, b, sn, lo, hi, shard_n, paths[0]);
			goto out;
		}
		if (seen[k]) {
			fprintf(stderr, _("raftsim: --merge: %s: shard %llu/%llu given twice\n"), paths[f], k,
			        sn);
			goto out;
		}
		seen[k] = true;
		runs += r, events += e, wall += w;
		limit |= !strncmp(status, "RESOURCE", 8) || !strcmp(status, _("RESOURCE LIMIT"));
		if (fail && (!best || fail < best)) {
			best = fail;
			free(best_text);
			best_text = strdup(rest);
		}
	}
	for (unsigned long long k = 1; k <= shard_n; k++)
		if (!seen[k]) {
			fprintf(stderr, _("raftsim: --merge: shard %llu/%llu is missing\n"), k, shard_n);
			goto out;
		}
	printf(_("fuzz: seeds %llu..%llu, %llu runs, %llu events, %.1f s, %s\n"), lo, hi, runs, events,
	       wall, best ? _("FAILED") : limit ? _("RESOURCE LIMIT") : _("no violations"));
	if (best_text)
		fputs(best_text, stdout);
	rc = best ? 1 : limit ? CLI_EXIT_RESOURCE : 0;
out:
	free(seen);
	free(best_text);
	return rc;
}

int cli_fuzz(int argc, char **argv)
{
	struct fz_opts o = {.seed_lo = 1, .seed_hi = 100, .nodes_lo = 3, .nodes_hi = 7,
	                    .for_us = 30 * SEC, .jobs = 1};
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v;
		int b;
#define FLAG(name) (!strncmp(a, name, strlen(name)) && (a[strlen(name)] == 0 || a[strlen(name)] == '='))
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			printf(_(fuzz_usage), RAFT_BUG_NAMES);
			return 0;
		} else if ((b = cli_parse_budget(argc, argv, &i, &o.budget.max_events,
		                                 &o.budget.max_memory)) != 0) {
			if (b < 0)
				return 2;
		} else if (FLAG("--shard")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--shard")) ||
			    !fz_parse_shard(v, &o.shard_k, &o.shard_n))
				return 2;
		} else if (FLAG("--merge")) {
			/* every other argument is a shard's report */
			return fz_merge(argc - i - 1, argv + i + 1);
		} else if (FLAG("--seeds")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--seeds")) ||
			    !parse_range("--seeds", v, 0, UINT64_MAX / 2, &o.seed_lo, &o.seed_hi))
				return 2;
		} else if (FLAG("--nodes")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--nodes")) ||
			    !parse_range("--nodes", v, 1, FUZZ_NODES_MAX, &o.nodes_lo, &o.nodes_hi))
				return 2;
		} else if (FLAG("--for")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--for")) ||
			    !cli_parse_duration("--for", v, &o.for_us))
				return 2;
			if (o.for_us <= 0 || o.for_us > 3600 * SEC) {
				fprintf(stderr, _("raftsim: --for: must be > 0 and <= 1h\n"));
				return 2;
			}
		} else if (FLAG("--jobs")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--jobs")) ||
			    !cli_parse_u64("--jobs", v, 1, 64, &o.jobs))
				return 2;
		} else if (FLAG("--bug")) {
			if (!(v = cli_flag_value(argc, argv, &i, "--bug")) ||
			    !cli_parse_bug("--bug", v, &o.bugs))
				return 2;
		} else if (FLAG("--out")) {
			if (!(o.out = cli_flag_value(argc, argv, &i, "--out")))
				return 2;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (a[0] == '-') {
			static const char *const flags[] = {
				"--seeds", "--nodes", "--for", "--jobs", "--bug", "--out", "--quiet", "--shard", "--merge",
				"--max-events", "--max-memory", "--help", NULL};
			return cli_unknown_flag("fuzz", a, flags);
		} else {
			fprintf(stderr, _("raftsim fuzz: unexpected argument '%s' (fuzz takes no files; "
			                "raftsim fuzz --help)\n"), a);
			return 2;
		}
#undef FLAG
	}
	if (!o.shard_n)
		o.shard_k = o.shard_n = 1;
	o.first = o.seed_lo + (o.shard_k - 1);
	o.stride = o.shard_n;
	if (o.first > o.seed_hi) {
		fprintf(stderr, _("raftsim: --shard: shard %llu/%llu of --seeds %llu..%llu holds no seed\n"),
		        (unsigned long long)o.shard_k, (unsigned long long)o.shard_n,
		        (unsigned long long)o.seed_lo, (unsigned long long)o.seed_hi);
		return 2;
	}
	/* a bad --out is refused now, not after the campaign */
	if (o.out && !cli_output_ok("--out", o.out, NULL))
		return 2;
	double t0 = wall_s();
	uint64_t runs = 0, events = 0;
	int kind = 0;
	uint64_t bad = o.jobs > 1 ? fz_parallel(&o, &runs, &events, &kind)
	                          : fz_range(&o, o.first, o.stride, &runs, &events, &kind, -1);
	double wall = wall_s() - t0;
	if (bad == UINT64_MAX) {
		fprintf(stderr, _("raftsim fuzz: internal error\n"));
		return 2;
	}
	char shard[64] = "";
	if (o.shard_n > 1)
		snprintf(shard, sizeof shard, _(" shard %llu/%llu"), (unsigned long long)o.shard_k,
		         (unsigned long long)o.shard_n);
	if (!o.quiet || bad || o.shard_n > 1)
		printf(_("fuzz: seeds %llu..%llu%s, %llu runs, %llu events, %.1f s, %s\n"),
		       (unsigned long long)o.seed_lo, (unsigned long long)o.seed_hi, shard,
		       (unsigned long long)runs, (unsigned long long)events, wall,
		       !bad ? _("no violations") : kind == 3 ? _("RESOURCE LIMIT") : _("FAILED"));
	if (!bad)
		return 0;
	if (kind == 3) { /* no verdict on this seed: say why, no shrinking */
		struct fz_case c;
		struct fz_result r;
		int rc = fz_one(&o, bad, &c, &r);
		fz_case_free(&c);
		fprintf(stderr, _("raftsim: %s (fuzz seed %llu; --max-events / --max-memory)\n"),
		        rc == 3 ? r.message : _("resource limit (not reproduced on replay)"),
		        (unsigned long long)bad);
		return CLI_EXIT_RESOURCE;
	}
	/* reproduce the failing seed, shrink it, write the script */
	struct fz_case c;
	struct fz_result r;
	if (fz_one(&o, bad, &c, &r) != 1) {
		fprintf(stderr, _("raftsim fuzz: seed %llu failed in a child but not on replay\n"),
		        (unsigned long long)bad);
		fz_case_free(&c);
		return 2;
	}
	printf(_("FAIL seed %llu (%u nodes): %s\n"), (unsigned long long)bad, c.nodes, r.message);
	bool *keep = malloc((c.n ? c.n : 1) * sizeof *keep);
	if (!keep) {
		fz_case_free(&c);
		return 2;
	}
	for (size_t i = 0; i < c.n; i++)
		keep[i] = true;
	fz_shrink(&c, keep, &r, &o.budget, 400);
	size_t kept = 0;
	for (size_t i = 0; i < c.n; i++)
		kept += keep[i];
	char title[256], path[4096];
	snprintf(title, sizeof title, "fuzz seed %llu: %s", (unsigned long long)bad, r.invariant);
	int64_t end0 = c.end_us;
	bool liveness0 = c.liveness;
	char *text = fz_script(&c, keep, title);
	struct fz_result check;
	if (text && fz_verdict("fuzz", text, &o.budget, &check) == 0 && check.failed &&
	    strncmp(check.invariant, "liveness", 8) && check.time_us < c.end_us) {
		/* a violation in the safety phase: end the script just after it */
		c.end_us = check.time_us + 1;
		c.liveness = false;
		free(text);
		text = fz_script(&c, keep, title);
	}
	bool same = text && fz_verdict("fuzz", text, &o.budget, &check) == 0 && check.failed &&
	            !strcmp(check.invariant, r.invariant);
	if (text && !same && (c.end_us != end0 || c.liveness != liveness0)) {
		c.end_us = end0; /* cut too early: keep the whole run */
		c.liveness = liveness0;
		free(text);
		text = fz_script(&c, keep, title);
		same = text && fz_verdict("fuzz", text, &o.budget, &check) == 0 && check.failed &&
		       !strcmp(check.invariant, r.invariant);
	}
	if (text && !same) {
		/* the shrunk script does not fail the same way: keep every
		 * command rather than write a repro of something else */
		for (size_t i = 0; i < c.n; i++)
			keep[i] = true;
		kept = c.n;
		free(text);
		text = c.liveness && fz_down_after(&c, keep, &o.budget) != 0 ? NULL
		                                                             : fz_script(&c, keep, title);
		same = text && fz_verdict("fuzz", text, &o.budget, &check) == 0 && check.failed;
	}
	if (same)
		printf(_("shrunk: %s\n"), check.message);
	if (o.out)
		snprintf(path, sizeof path, "%s", o.out);
	else
		snprintf(path, sizeof path, "fuzz-seed-%llu.scn", (unsigned long long)bad);
	int rc = 1;
	char err[512];
	if (!text) {
		fprintf(stderr, _("raftsim fuzz: out of memory writing '%s'\n"), path);
		rc = 2;
	} else if (cli_write_atomic(path, text, err, sizeof err) != 0) {
		fprintf(stderr, _("raftsim fuzz: --out: %s\n"), err);
		rc = 2;
	} else {
		char q[16400];
		printf(_("repro: %s (%zu of %zu fault commands kept)\nreproduce: raftsim check %s\n"), path,
		       kept, c.n, cli_shell_word(path, q, sizeof q));
	}
	free(text);
	free(keep);
	fz_case_free(&c);
	return rc;
}
