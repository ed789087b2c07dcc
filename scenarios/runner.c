/* runner.c - executes a script on a sim: advance, pause, step, clone, inject. */
#include "scn_internal.h"
#include "i18n.h"
#include "client_history.h"
#include "outfile.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The script, shared read-only by a runner and its clones. */
struct scn_shared {
	struct scn_script *script;
	unsigned refs;
};

struct scn_runner {
	struct scn_shared *sh;
	struct sim *sim;
	struct scn_find_cache find; /* for the `run until` in progress */
	struct scn_options opt;
	struct sim_config init_cfg; /* the config the sim started with */
	size_t fold_end;            /* `set`s before this index were folded into it */
	size_t pc;                  /* the command in progress or next */
	bool busy;                  /* pc is a run/run until/step in progress */
	int64_t target_us;          /* RUN: when it ends; RUN_UNTIL: the deadline */
	uint64_t steps_left;        /* STEP */
	int status;                 /* the last status returned */
	bool paused;
	bool done;                  /* the script is over */
	bool done_reported;
	bool ignore_pauses;
	bool advisory;              /* failing checks are skipped, see scn.h */
	bool oom;                   /* the runner itself ran out of memory */
	/* Events processed, and where the current time slice began: events
	 * with time < slice_us numbered slice_base. */
	uint64_t events;
	int64_t slice_us;
	uint64_t slice_base;
	/* `run between`: the scenario's own stream, derived from the seed, so a
	 * random wait changes no other randomness of the run. */
	uint64_t rng;
	int64_t measure_start_us;   /* MEASURE in progress: its interval began */
	struct {
		char name[SCN_NAME_MAX + 1];
		int64_t us;
	} marks[SCN_MARKS_MAX];
	size_t n_marks;
	struct scn_measurement meas[SCN_MEASURES_MAX];
	size_t n_meas;
	char say[SCN_STRING_MAX + 1];
	char error[1024];
	struct scn_record *hist;
	size_t n_hist, cap_hist;
};

static void scn_budget_override(const struct scn_options *o, struct sim_config *cfg);

/* ---- Small helpers ------------------------------------------------------ */

/* splitmix64, like the simulator's streams (sim/sim.c). */
static uint64_t scn_rand_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* The stream `run between` draws from: its own number, so it never
 * coincides with one of the simulator's. */
#define SCN_RNG_STREAM 0x73636eull /* "scn" */

static uint64_t scn_rng_seed(uint64_t seed)
{
	uint64_t st = seed ^ (SCN_RNG_STREAM * 0xd1b54a32d192ed03ull);
	return scn_rand_next(&st);
}

/* Marks: name -> virtual time.  0, or -1 when the table is full. */
static int scn_mark_set(struct scn_runner *r, const char *name, int64_t us)
{
	size_t i = 0;
	while (i < r->n_marks && strcmp(r->marks[i].name, name) != 0)
		i++;
	if (i == SCN_MARKS_MAX)
		return -1;
	if (i == r->n_marks) {
		snprintf(r->marks[i].name, sizeof r->marks[i].name, "%s", name);
		r->n_marks++;
	}
	r->marks[i].us = us;
	return 0;
}

static bool scn_mark_get(const struct scn_runner *r, const char *name, int64_t *us)
{
	for (size_t i = 0; i < r->n_marks; i++)
		if (!strcmp(r->marks[i].name, name)) {
			*us = r->marks[i].us;
			return true;
		}
	return false;
}

/* Files the measurement of the MEASURE command c now (at most one per
 * measure command, and a script has at most SCN_MEASURES_MAX). */
static void scn_measured(struct scn_runner *r, const struct scn_cmd *c, bool timed_out)
{
	if (r->n_meas == SCN_MEASURES_MAX)
		return;
	struct scn_measurement *m = &r->meas[r->n_meas++];
	memset(m, 0, sizeof *m);
	snprintf(m->name, sizeof m->name, "%s", c->name);
	m->line = c->line;
	m->timed_out = timed_out;
	m->start_us = r->measure_start_us;
	m->value_us = sim_now_us(r->sim) - r->measure_start_us;
}

static const struct scn_script *scn_script_of(const struct scn_runner *r)
{
	return r->sh->script;
}

static bool scn_mid_slice(const struct scn_runner *r)
{
	return sim_next_event_us(r->sim) <= sim_now_us(r->sim);
}

static int scn_record(struct scn_runner *r, enum scn_record_kind kind, const struct scn_cmd *cmd,
                      bool user, bool folded)
{
	if (r->n_hist == r->cap_hist) {
		size_t nc = r->cap_hist ? r->cap_hist * 2 : 64;
		struct scn_record *h = realloc(r->hist, nc * sizeof *h);
		if (!h)
			return -1;
		r->hist = h;
		r->cap_hist = nc;
	}
	struct scn_record *rec = &r->hist[r->n_hist];
	memset(rec, 0, sizeof *rec);
	if (scn_cmd_copy(&rec->cmd, cmd) != 0)
		return -1;
	rec->kind = kind;
	rec->time_us = sim_now_us(r->sim);
	rec->events = r->events;
	rec->events_before = r->slice_us == rec->time_us ? r->slice_base : r->events;
	rec->mid_slice = scn_mid_slice(r);
	rec->user = user;
	rec->folded = folded;
	r->n_hist++;
	return 0;
}

static int scn_set_status(struct scn_runner *r, int st)
{
	r->status = st;
	return st;
}

/* Writes the FAIL line for cmd (user commands have no path:line). */
static void scn_fail_text(const struct scn_runner *r, const struct scn_cmd *cmd, bool user,
                          const char *obs, char *out, size_t cap)
{
	size_t len = 0;
	char text[256];
	if (cmd->text)
		snprintf(text, sizeof text, "%s", cmd->text);
	else
		scn_cmd_format(cmd, text, sizeof text);
	if (cap)
		out[0] = '\0';
	if (user)
		scn_appendf(out, cap, &len, "FAIL %s (%s)", text, obs);
	else
		scn_appendf(out, cap, &len, "FAIL %s:%d: %s (%s)", scn_script_of(r)->path, cmd->line,
		            text, obs);
}

static void scn_halt_text(const struct scn_runner *r, char *out, size_t cap);

/* A run that stopped for want of resources is not a failed script: its
 * line says OOM or LIMIT instead of FAIL (see scn_runner_halt()). */
static int scn_fail(struct scn_runner *r, const struct scn_cmd *cmd, const char *obs)
{
	int h = scn_runner_halt(r);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT) {
		char why[400], text[256];
		scn_halt_text(r, why, sizeof why);
		if (cmd->text)
			snprintf(text, sizeof text, "%s", cmd->text);
		else
			scn_cmd_format(cmd, text, sizeof text);
		snprintf(r->error, sizeof r->error, "%s %s:%d: %s (%s)",
		         h == SIM_ENOMEM ? "OOM" : "LIMIT", scn_script_of(r)->path, cmd->line, text,
		         why);
	} else {
		scn_fail_text(r, cmd, false, obs, r->error, sizeof r->error);
	}
	r->busy = false;
	return scn_set_status(r, SCN_FAILED);
}

/* The runner could not allocate what it needed to go on. */
static int scn_fail_oom(struct scn_runner *r, const struct scn_cmd *cmd)
{
	r->oom = true;
	return scn_fail(r, cmd, _("out of memory"));
}

/* "521.132ms": the simulator's time stamp without its brackets. */
static void scn_time_text(int64_t us, char *out, size_t cap)
{
	char t[48];
	sim_format_time(us, t, sizeof t);
	size_t n = 0;
	for (const char *p = t; *p && n + 1 < cap; p++)
		if (*p != '[' && *p != ']' && *p != ' ')
			out[n++] = *p;
	if (cap)
		out[n] = '\0';
}

/* The violation as one phrase, for FAIL lines. */
static void scn_violation_text(const struct sim *s, char *out, size_t cap)
{
	const struct sim_violation *v = sim_violation(s);
	char t[48];
	scn_time_text(v->time_us, t, sizeof t);
	size_t len = 0;
	if (cap)
		out[0] = '\0';
	scn_appendf(out, cap, &len, _("safety violation: %s: %s"), v->invariant, v->detail);
	bool two = v->node_b && v->node_b != v->node_a;
	if (v->node_a)
		scn_appendf(out, cap, &len, _("; node%s n%u"), two ? "s" : "", v->node_a);
	if (two)
		scn_appendf(out, cap, &len, " n%u", v->node_b);
	scn_appendf(out, cap, &len, _(", index %" PRIu64 ", term %" PRIu64 ", at %s, seed %" PRIu64),
	            v->index, v->term, t, v->seed);
}

/* "out of memory at 1.5s virtual time, seed 3: a message could not be
 * allocated" or "resource limit: the event budget (...) ran out at 2s
 * virtual time, seed 3". */
static void scn_halt_text(const struct scn_runner *r, char *out, size_t cap)
{
	int h = sim_halt(r->sim);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT) {
		sim_halt_format(r->sim, out, cap);
		return;
	}
	/* the runner's own allocation failed */
	char t[48];
	scn_time_text(sim_now_us(r->sim), t, sizeof t);
	snprintf(out, cap, _("out of memory at %s virtual time, seed %" PRIu64
	         ": memory for the scenario runner could not be allocated"), t, sim_seed(r->sim));
}

int scn_runner_halt(const struct scn_runner *r)
{
	if (!r->sim)
		return SIM_ENOMEM;
	int h = sim_halt(r->sim);
	if (h == SIM_ESTOPPED || h == SIM_ELIMIT || h == SIM_ENOMEM)
		return h;
	return r->oom ? SIM_ENOMEM : SIM_OK;
}

size_t scn_runner_halt_text(const struct scn_runner *r, char *out, size_t cap)
{
	if (cap)
		out[0] = '\0';
	int h = scn_runner_halt(r);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT)
		scn_halt_text(r, out, cap);
	return cap ? strlen(out) : 0;
}

/* Why the run stopped, as one phrase: a violation, out of memory, a limit. */
static void scn_stop_text(const struct scn_runner *r, char *out, size_t cap)
{
	int h = scn_runner_halt(r);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT)
		scn_halt_text(r, out, cap);
	else
		scn_violation_text(r->sim, out, cap);
}

/* The first word of the line for a stopped run. */
static const char *scn_stop_word(const struct scn_runner *r)
{
	int h = scn_runner_halt(r);
	return h == SIM_ENOMEM ? "OOM" : h == SIM_ELIMIT ? "LIMIT" : "FAIL";
}

static int scn_fail_violation(struct scn_runner *r)
{
	char obs[512];
	int h = scn_runner_halt(r);
	if (h == SIM_ENOMEM || h == SIM_ELIMIT) {
		if (!r->done)
			return scn_fail(r, &scn_script_of(r)->cmds[r->pc], "");
		char why[400];
		scn_halt_text(r, why, sizeof why);
		snprintf(r->error, sizeof r->error, _("%s %s: after the last command (%s)"),
		         h == SIM_ENOMEM ? "OOM" : "LIMIT", scn_script_of(r)->path, why);
		r->busy = false;
		return scn_set_status(r, SCN_FAILED);
	}
	scn_violation_text(r->sim, obs, sizeof obs);
	if (r->done) {
		snprintf(r->error, sizeof r->error, _("FAIL %s: after the last command (%s)"),
		         scn_script_of(r)->path, obs);
		r->busy = false;
		return scn_set_status(r, SCN_FAILED);
	}
	return scn_fail(r, &scn_script_of(r)->cmds[r->pc], obs);
}

/* Processes one event.  false if there was none or the sim stopped. */
static bool scn_step(struct scn_runner *r)
{
	uint64_t before = r->events;
	if (!sim_step(r->sim))
		return false;
	r->events++;
	int64_t now = sim_now_us(r->sim);
	if (now != r->slice_us) {
		r->slice_us = now;
		r->slice_base = before;
	}
	return true;
}

/* Moves the clock to t (>= now) once no event at or before t is left. */
static int scn_clock_to(struct scn_runner *r, int64_t t)
{
	if (t <= sim_now_us(r->sim))
		return 0;
	return sim_run_until(r->sim, t) == SIM_OK ? 0 : -1;
}

/* ---- Actions ------------------------------------------------------------ */

/* Resolves `leader`; writes the reason into obs when there is none. */
static int scn_node(struct scn_runner *r, uint8_t ref, uint8_t *out, char *obs, size_t cap)
{
	if (ref != SCN_LEADER) {
		*out = ref;
		return 0;
	}
	*out = sim_stable_leader(r->sim);
	if (*out)
		return 0;
	char roles[256];
	scn_describe_roles(r->sim, roles, sizeof roles);
	snprintf(obs, cap, _("there is no stable leader: %s"), roles);
	return -1;
}

static const char *scn_sim_err(int rc);

/* `timeout {..}` and `timeout followers`: every named election timer runs
 * out at this same instant, in node order, before any message moves (a
 * split vote by timing, like RaftScope's "align timers").  done records the
 * nodes it resolved to, so a saved session replays it exactly. */
static int scn_timeout_many(struct scn_runner *r, const struct scn_cmd *c, struct scn_cmd *done,
                            char *obs, size_t cap)
{
	struct sim *s = r->sim;
	struct scn_nodeset who = {{0}, false};
	unsigned n_nodes = sim_config(s)->nodes;
	if (c->followers) {
		for (unsigned n = 1; n <= n_nodes; n++)
			if (sim_node_up(s, (uint8_t)n) &&
			    raft_role(sim_node(s, (uint8_t)n)) == RAFT_FOLLOWER)
				scn_set_add(&who, n);
	} else {
		who = c->groups[0];
		who.leader = false;
		if (c->groups[0].leader) {
			uint8_t l;
			if (scn_node(r, SCN_LEADER, &l, obs, cap) != 0)
				return -1;
			scn_set_add(&who, l);
		}
	}
	unsigned count = 0;
	for (unsigned n = 1; n <= n_nodes; n++) {
		if (!scn_set_has(&who, n))
			continue;
		if (!sim_node_up(s, (uint8_t)n)) {
			snprintf(obs, cap, _("n%u is down"), n);
			return -1;
		}
		count++;
	}
	if (!count) {
		snprintf(obs, cap, _("no live follower to time out"));
		return -1;
	}
	if (!(done->groups = malloc(sizeof *done->groups))) {
		snprintf(obs, cap, _("out of memory"));
		return -1;
	}
	done->groups[0] = who;
	done->n_groups = 1;
	done->followers = false;
	for (unsigned n = 1; n <= n_nodes; n++) {
		if (!scn_set_has(&who, n))
			continue;
		int rc = sim_timeout(s, (uint8_t)n);
		if (rc != SIM_OK) {
			snprintf(obs, cap, "n%u: %s", n, scn_sim_err(rc));
			return -1;
		}
	}
	return 0;
}

static const char *scn_sim_err(int rc)
{
	switch (rc) {
	case SIM_ENOMEM:
		return _("out of memory");
	case SIM_EINVAL:
		return _("the simulator refused it");
	case SIM_ENOLEADER:
		return _("there is no leader");
	case SIM_ESTOPPED:
		return _("the simulation has stopped on a safety violation");
	default:
		return _("error");
	}
}

/* drop, duplicate, delay, hurry and deliver next a message in flight, by
 * its id.  0, or -1 with obs naming the moment when it is not in flight. */
static int scn_msg_cmd(struct sim *s, const struct scn_cmd *c, char *obs, size_t cap)
{
	int64_t now = sim_now_us(s);
	const struct sim_msg *m = sim_msg_find(s, c->count);
	if (!m) {
		uint64_t last = sim_msg_last_id(s);
		char at[32];
		snprintf(at, sizeof at, "%lld.%03lldms", (long long)(now / 1000),
		         (long long)(now % 1000));
		if (c->count > last)
			snprintf(obs, cap,
			         _("no message %" PRIu64 " at %s: the last one sent so far is %" PRIu64
			         " (ids count messages in the order they are sent)"),
			         c->count, at, last);
		else
			snprintf(obs, cap,
			         _("message %" PRIu64 " is no longer in flight at %s: it was delivered or "
			         "dropped"),
			         c->count, at);
		return -1;
	}
	int64_t due = m->deliver_us;
	int rc;
	switch (c->kind) {
	case SCN_CMD_MSG_DROP:
		rc = sim_msg_drop(s, c->count);
		break;
	case SCN_CMD_MSG_DUPLICATE: {
		int64_t id = sim_msg_duplicate(s, c->count);
		rc = id < 0 ? (int)id : SIM_OK;
		break;
	}
	case SCN_CMD_MSG_DELAY:
		rc = sim_msg_retime(s, c->count, due > INT64_MAX - c->us ? INT64_MAX : due + c->us);
		break;
	case SCN_CMD_MSG_HURRY:
		/* never before now */
		rc = sim_msg_retime(s, c->count, due - c->us > now ? due - c->us : now);
		break;
	default: /* SCN_CMD_DELIVER_NEXT */
		rc = sim_msg_retime(s, c->count, now);
		break;
	}
	if (rc != SIM_OK) {
		snprintf(obs, cap, "%s", scn_sim_err(rc));
		return -1;
	}
	return 0;
}

/* Executes an action, condition check or narration now.  On success the
 * command as executed (`leader` resolved) is in *done; on failure obs says
 * why.  0 or -1. */
static int scn_do(struct scn_runner *r, const struct scn_cmd *c, struct scn_cmd *done, char *obs,
                  size_t cap)
{
	struct sim *s = r->sim;
	uint16_t n = sim_n_nodes(s);
	int rc = 0;
	*done = *c;
	done->text = NULL;
	done->str = NULL;
	done->groups = NULL;
	obs[0] = '\0';
	switch (c->kind) {
	case SCN_CMD_TITLE:
	case SCN_CMD_CLUSTER:
	case SCN_CMD_PAUSE:
	case SCN_CMD_RUN:
	case SCN_CMD_RUN_UNTIL:
	case SCN_CMD_RUN_BETWEEN:
	case SCN_CMD_MEASURE:
	case SCN_CMD_STEP:
		return 0;
	case SCN_CMD_MARK:
		if (scn_mark_set(r, c->name, sim_now_us(s)) != 0) {
			snprintf(obs, cap, _("too many marks: at most %d names"), SCN_MARKS_MAX);
			return -1;
		}
		return 0;
	case SCN_CMD_SAY:
		sim_say(s, c->str);
		snprintf(r->say, sizeof r->say, "%s", c->str);
		return 0;
	case SCN_CMD_EXPECT:
		if (!scn_cond_eval(s, &c->cond, obs, cap))
			return -1;
		return 0;
	case SCN_CMD_SET: {
		struct sim_config cfg = *sim_config(s);
		scn_settings_apply(&c->set, &cfg);
		scn_settings_apply(&r->opt.vary, &cfg);
		scn_budget_override(&r->opt, &cfg);
		char why[200] = "";
		if (sim_config_validate(&cfg, why, sizeof why) != SIM_OK) {
			snprintf(obs, cap, _("the simulator refused it: %s"), why);
			return -1;
		}
		rc = sim_reconfigure(s, &cfg);
		break;
	}
	case SCN_CMD_TIMEOUT:
		if (c->followers || c->n_groups)
			return scn_timeout_many(r, c, done, obs, cap);
		/* fall through */
	case SCN_CMD_CRASH:
	case SCN_CMD_RESTART:
	case SCN_CMD_ISOLATE:
		if (scn_node(r, c->a, &done->a, obs, cap) != 0)
			return -1;
		if (c->kind != SCN_CMD_ISOLATE &&
		    sim_node_up(s, done->a) != (c->kind != SCN_CMD_RESTART)) {
			snprintf(obs, cap, c->kind == SCN_CMD_RESTART ? _("n%u is up: only a crashed node restarts")
			                                              : _("n%u is down"),
			         done->a);
			return -1;
		}
		rc = c->kind == SCN_CMD_CRASH     ? sim_crash(s, done->a)
		     : c->kind == SCN_CMD_RESTART ? sim_restart(s, done->a)
		     : c->kind == SCN_CMD_TIMEOUT ? sim_timeout(s, done->a)
		                                  : sim_isolate(s, done->a);
		break;
	case SCN_CMD_HEAL:
		sim_heal(s);
		break;
	case SCN_CMD_MSG_DROP:
	case SCN_CMD_MSG_DUPLICATE:
	case SCN_CMD_MSG_DELAY:
	case SCN_CMD_MSG_HURRY:
	case SCN_CMD_DELIVER_NEXT:
		return scn_msg_cmd(s, c, obs, cap);
	case SCN_CMD_FIRE_TIMER:
		if (scn_node(r, c->a, &done->a, obs, cap) != 0)
			return -1;
		if (!sim_node_up(s, done->a)) {
			snprintf(obs, cap, _("n%u is down: it has no timer"), done->a);
			return -1;
		}
		rc = sim_fire_timer(s, done->a);
		break;
	case SCN_CMD_ADD:
	case SCN_CMD_REMOVE:
		if (scn_node(r, c->a, &done->a, obs, cap) != 0)
			return -1;
		rc = c->kind == SCN_CMD_ADD ? sim_member_add(s, done->a) : sim_member_remove(s, done->a);
		if (rc == SIM_EINVAL) {
			snprintf(obs, cap,
			         c->kind == SCN_CMD_ADD ? _("n%u is a member already")
			                                : _("n%u is not a member, or the last voter"),
			         done->a);
			return -1;
		}
		break;
	case SCN_CMD_TRANSFER:
		/* without a leader (or with one already handing over) it does
		 * nothing: the simulator traces why, and the script goes on */
		rc = sim_transfer(s, c->a);
		if (rc == SIM_ENOLEADER || rc == SIM_EINVAL || rc == SIM_ETRANSFER)
			rc = SIM_OK;
		break;
	case SCN_CMD_SKEW:
		if (scn_node(r, c->a, &done->a, obs, cap) != 0)
			return -1;
		rc = sim_skew(s, done->a, c->us, (uint32_t)c->count);
		break;
	case SCN_CMD_CUT:
	case SCN_CMD_MEND:
		if (scn_node(r, c->a, &done->a, obs, cap) != 0 ||
		    scn_node(r, c->b, &done->b, obs, cap) != 0)
			return -1;
		if (done->a == done->b) {
			snprintf(obs, cap, _("the leader is n%u: a link joins two different nodes"), done->a);
			return -1;
		}
		rc = c->both ? sim_link_set_both(s, done->a, done->b, c->kind == SCN_CMD_MEND)
		             : sim_link_set(s, done->a, done->b, c->kind == SCN_CMD_MEND);
		break;
	case SCN_CMD_PARTITION: {
		uint8_t group[RAFT_NODES_MAX];
		memset(group, 0, sizeof group);
		uint8_t leader = 0;
		for (size_t g = 0; g < c->n_groups; g++)
			if (c->groups[g].leader && scn_node(r, SCN_LEADER, &leader, obs, cap) != 0)
				return -1;
		done->groups = malloc(c->n_groups * sizeof *done->groups);
		if (!done->groups) {
			r->oom = true;
			snprintf(obs, cap, _("out of memory"));
			return -1;
		}
		for (size_t g = 0; g < c->n_groups; g++) {
			struct scn_nodeset set = c->groups[g];
			if (set.leader) {
				for (size_t h = 0; h < c->n_groups; h++)
					if (h != g && scn_set_has(&c->groups[h], leader)) {
						snprintf(obs, cap,
						         _("the leader is n%u, which another group lists too"),
						         leader);
						free(done->groups);
						done->groups = NULL;
						return -1;
					}
				scn_set_add(&set, leader);
				set.leader = false;
			}
			done->groups[g] = set;
			for (unsigned i = 1; i <= n; i++)
				if (scn_set_has(&set, i))
					group[i - 1] = (uint8_t)(g + 1);
		}
		/* An unlisted node is a group of its own.  Groups are never
		 * empty, so there are at most n <= 255 of them. */
		unsigned next = (unsigned)c->n_groups + 1;
		for (unsigned i = 1; i <= n; i++)
			if (group[i - 1] == 0)
				group[i - 1] = (uint8_t)next++;
		rc = sim_partition(s, group, n);
		if (rc != SIM_OK) {
			free(done->groups);
			done->groups = NULL;
		}
		break;
	}
	case SCN_CMD_PUT:
	case SCN_CMD_PUTMANY: {
		uint8_t to = 0;
		if (c->has_to && scn_node(r, c->a, &to, obs, cap) != 0)
			return -1;
		done->a = to;
		if (c->kind == SCN_CMD_PUT) {
			int64_t id = sim_client_put(s, c->kv, c->kv_len, to);
			rc = id < 0 ? (int)id : 0;
			break;
		}
		for (uint64_t i = 1; i <= c->count && rc == 0; i++) {
			char kv[RAFT_CMD_MAX + 24];
			int len = snprintf(kv, sizeof kv, "%.*s%" PRIu64 "=%" PRIu64, (int)c->kv_len, c->kv,
			                   i, i);
			int64_t id = sim_client_put(s, kv, (size_t)len, to);
			rc = id < 0 ? (int)id : 0;
		}
		break;
	}
	case SCN_CMD_GET: {
		uint8_t to = 0;
		if (c->has_to && scn_node(r, c->a, &to, obs, cap) != 0)
			return -1;
		done->a = to;
		int64_t id = sim_client_get(s, c->kv, c->kv_len, to);
		rc = id < 0 ? (int)id : 0;
		break;
	}
	}
	if (rc != SIM_OK) {
		snprintf(obs, cap, "%s", scn_sim_err(rc));
		return -1;
	}
	return 0;
}

/* Executes c and records it.  0, or -1 with obs filled. */
static int scn_exec_cmd(struct scn_runner *r, const struct scn_cmd *c, bool user, char *obs,
                        size_t cap)
{
	struct scn_cmd done;
	if (scn_do(r, c, &done, obs, cap) != 0)
		return -1;
	/* Keep what was written; the record holds the resolved operands. */
	done.text = c->text;
	done.str = c->str;
	struct scn_nodeset *groups = done.groups;
	if (!groups)
		done.groups = c->groups;
	int rc = scn_record(r, SCN_REC_EXEC, &done, user, false);
	free(groups);
	if (rc != 0) {
		r->oom = true;
		snprintf(obs, cap, _("out of memory"));
		return -1;
	}
	return 0;
}

/* ---- Creating ----------------------------------------------------------- */

static bool scn_foldable(enum scn_cmd_kind k)
{
	return k == SCN_CMD_TITLE || k == SCN_CMD_CLUSTER || k == SCN_CMD_SET || k == SCN_CMD_SAY ||
	       k == SCN_CMD_PAUSE || k == SCN_CMD_EXPECT;
}

/* Budgets given by the caller (flags) win over the script's `set`. */
static void scn_budget_override(const struct scn_options *o, struct sim_config *cfg)
{
	/* UINT64_MAX: "no limit" from a caller for whom 0 means "not given" */
	if (o && o->max_events)
		cfg->max_events = o->max_events == UINT64_MAX ? 0 : o->max_events;
	if (o && o->max_memory_bytes)
		cfg->max_memory_bytes = o->max_memory_bytes == UINT64_MAX ? 0 : o->max_memory_bytes;
}

/* The simulator config a script starts with. */
static size_t scn_initial_config(const struct scn_script *s, const struct scn_options *o,
                                 struct sim_config *cfg)
{
	sim_config_default(cfg);
	cfg->nodes = s->nodes;
	cfg->voters = s->voters;
	cfg->seed = o && o->has_seed ? o->seed : s->seed;
	cfg->bugs = s->bugs | (o ? o->bugs : 0);
	size_t i = 0;
	for (; i < s->n_cmds && scn_foldable(s->cmds[i].kind); i++)
		if (s->cmds[i].kind == SCN_CMD_SET)
			scn_settings_apply(&s->cmds[i].set, cfg);
	if (o)
		scn_settings_apply(&o->vary, cfg);
	scn_budget_override(o, cfg);
	return i;
}

struct scn_runner *scn_runner_new(const struct scn_script *s, const struct scn_options *o)
{
	struct scn_runner *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	if (o)
		r->opt = *o;
	r->sh = calloc(1, sizeof *r->sh);
	if (!r->sh)
		goto fail;
	r->sh->refs = 1;
	r->sh->script = scn_script_copy(s);
	if (!r->sh->script)
		goto fail;
	r->fold_end = scn_initial_config(s, o, &r->init_cfg);
	if (sim_config_validate(&r->init_cfg, NULL, 0) != SIM_OK)
		goto fail;
	r->sim = sim_new(&r->init_cfg);
	if (!r->sim)
		goto fail;
	sim_set_trace(r->sim, r->opt.trace_fn, r->opt.trace_ctx);
	r->slice_us = -1;
	r->rng = scn_rng_seed(r->init_cfg.seed);
	return r;
fail:
	scn_runner_free(r);
	return NULL;
}

void scn_runner_free(struct scn_runner *r)
{
	if (!r)
		return;
	if (r->sh && --r->sh->refs == 0) {
		scn_script_free(r->sh->script);
		free(r->sh);
	}
	for (size_t i = 0; i < r->n_hist; i++)
		scn_cmd_clear(&r->hist[i].cmd);
	free(r->hist);
	sim_free(r->sim);
	free(r);
}

struct scn_runner *scn_runner_clone(const struct scn_runner *r)
{
	struct scn_runner *c = malloc(sizeof *c);
	if (!c)
		return NULL;
	*c = *r;
	c->hist = NULL;
	c->n_hist = c->cap_hist = 0;
	c->sim = sim_clone(r->sim);
	c->sh->refs++;
	if (!c->sim)
		goto fail;
	if (r->n_hist) {
		c->hist = calloc(r->n_hist, sizeof *c->hist);
		if (!c->hist)
			goto fail;
		c->cap_hist = r->n_hist;
		for (; c->n_hist < r->n_hist; c->n_hist++) {
			c->hist[c->n_hist] = r->hist[c->n_hist];
			if (scn_cmd_copy(&c->hist[c->n_hist].cmd, &r->hist[c->n_hist].cmd) != 0)
				goto fail;
		}
	}
	return c;
fail:
	scn_runner_free(c);
	return NULL;
}

void scn_runner_set_trace(struct scn_runner *r, sim_trace_fn *fn, void *ctx)
{
	r->opt.trace_fn = fn;
	r->opt.trace_ctx = ctx;
	sim_set_trace(r->sim, fn, ctx);
}

/* ---- Driving ------------------------------------------------------------ */

/* Starts the script command at pc.  Returns -1 to go on, or a status. */
static int scn_start(struct scn_runner *r)
{
	const struct scn_script *s = scn_script_of(r);
	const struct scn_cmd *c = &s->cmds[r->pc];
	int64_t now = sim_now_us(r->sim);
	char obs[512];
	switch (c->kind) {
	case SCN_CMD_RUN:
	case SCN_CMD_RUN_UNTIL:
	case SCN_CMD_STEP:
		if (scn_record(r, SCN_REC_EXEC, c, false, false) != 0)
			return scn_fail_oom(r, c);
		r->busy = true;
		r->target_us = now + c->us;
		r->steps_left = c->count;
		memset(&r->find, 0, sizeof r->find);
		return -1;
	case SCN_CMD_RUN_BETWEEN: {
		/* The history keeps the wait drawn: us = us_max = it. */
		struct scn_cmd drawn = *c;
		uint64_t span = (uint64_t)(c->us_max - c->us) + 1u;
		drawn.us = drawn.us_max = c->us + (int64_t)(scn_rand_next(&r->rng) % span);
		if (scn_record(r, SCN_REC_EXEC, &drawn, false, false) != 0)
			return scn_fail_oom(r, c);
		r->busy = true;
		r->target_us = now + drawn.us;
		return -1;
	}
	case SCN_CMD_MEASURE:
		if (c->since[0]) {
			if (!scn_mark_get(r, c->since, &r->measure_start_us)) {
				snprintf(obs, sizeof obs, _("no mark '%s' was set"), c->since);
				return scn_fail(r, c, obs);
			}
		} else {
			r->measure_start_us = now;
			if (scn_mark_set(r, c->name, now) != 0)
				return scn_fail(r, c, _("too many marks"));
		}
		if (scn_record(r, SCN_REC_EXEC, c, false, false) != 0)
			return scn_fail_oom(r, c);
		r->busy = true;
		r->target_us = now + c->us;
		memset(&r->find, 0, sizeof r->find);
		return -1;
	case SCN_CMD_PAUSE:
		if (scn_record(r, SCN_REC_EXEC, c, false, false) != 0)
			return scn_fail_oom(r, c);
		r->pc++;
		if (r->ignore_pauses)
			return -1;
		r->paused = true;
		return scn_set_status(r, SCN_PAUSED);
	case SCN_CMD_SET:
		if (r->pc < r->fold_end) {
			if (scn_record(r, SCN_REC_EXEC, c, false, true) != 0)
				return scn_fail_oom(r, c);
			r->pc++;
			return -1;
		}
		break;
	default:
		break;
	}
	if (scn_exec_cmd(r, c, false, obs, sizeof obs) != 0) {
		if (r->advisory && !r->oom && !sim_violation(r->sim)) {
			/* a check that does not hold, or a command the changed run
			 * has no use for (`timeout followers` with none left):
			 * skipped, not recorded */
			r->pc++;
			return -1;
		}
		return scn_fail(r, c, obs);
	}
	if (sim_violation(r->sim))
		return scn_fail_violation(r);
	r->pc++;
	return -1;
}

/* Continues the run/run until/step at pc up to time `until`, processing at
 * most *budget events.  Returns -1 when the command finished (go on), or a
 * status to return. */
static int scn_continue(struct scn_runner *r, int64_t until, uint64_t *budget)
{
	const struct scn_cmd *c = &scn_script_of(r)->cmds[r->pc];
	char obs[512];
	for (;;) {
		if (*budget == 0)
			return scn_set_status(r, SCN_RUNNING);
		/* A condition is checked when every event of the instant is done
		 * (so a command after `run until` never splits an instant). */
		if ((c->kind == SCN_CMD_RUN_UNTIL || c->kind == SCN_CMD_MEASURE) &&
		    !scn_mid_slice(r) && scn_cond_eval_cached(r->sim, &c->cond, NULL, 0, &r->find)) {
			if (scn_record(r, SCN_REC_REACHED, c, false, false) != 0)
				return scn_fail_oom(r, c);
			if (c->kind == SCN_CMD_MEASURE)
				scn_measured(r, c, false);
			r->busy = false;
			r->pc++;
			return -1;
		}
		int64_t next = sim_next_event_us(r->sim);
		bool more = c->kind == SCN_CMD_STEP ? r->steps_left > 0 && next != INT64_MAX
		                                    : next <= r->target_us;
		if (!more)
			break;
		if (next > until) {
			if (scn_clock_to(r, until) != 0)
				return scn_fail_violation(r);
			return scn_set_status(r, SCN_RUNNING);
		}
		if (!scn_step(r) || sim_violation(r->sim))
			return sim_violation(r->sim) ? scn_fail_violation(r)
			                             : scn_set_status(r, SCN_RUNNING);
		(*budget)--;
		if (c->kind == SCN_CMD_STEP)
			r->steps_left--;
	}
	/* No event left before the command's end. */
	if (c->kind == SCN_CMD_STEP) {
		r->busy = false;
		r->pc++;
		return -1;
	}
	if (r->target_us > until) {
		if (scn_clock_to(r, until) != 0)
			return scn_fail_violation(r);
		return scn_set_status(r, SCN_RUNNING);
	}
	if (scn_clock_to(r, r->target_us) != 0)
		return scn_fail_violation(r);
	if (c->kind == SCN_CMD_RUN_UNTIL && !r->advisory) {
		scn_cond_eval(r->sim, &c->cond, obs, sizeof obs);
		char why[600];
		char d[48];
		scn_time_text(r->target_us, d, sizeof d);
		snprintf(why, sizeof why, _("not reached by %s: %s"), d, obs);
		return scn_fail(r, c, why);
	}
	if (c->kind == SCN_CMD_MEASURE) {
		/* A measurement that ran out of time is a result, not a failure. */
		if (scn_record(r, SCN_REC_TIMED_OUT, c, false, false) != 0)
			return scn_fail_oom(r, c);
		scn_measured(r, c, true);
	}
	r->busy = false;
	r->pc++;
	return -1;
}

/* Whether the script states, in an expect or a run until, whether the
 * clients' history is linearizable: it then owns that verdict. */
static bool scn_states_linearizable(const struct scn_script *s)
{
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];
		if ((c->kind == SCN_CMD_EXPECT || c->kind == SCN_CMD_RUN_UNTIL) &&
		    c->cond.kind == SCN_C_LINEARIZABLE)
			return true;
	}
	return false;
}

/* At the end of the script the clients' history must be linearizable,
 * like every safety property.  -1 when it is not (the run is stopped
 * with the violation). */
static int scn_check_history(struct scn_runner *r)
{
	if (sim_violation(r->sim) || scn_states_linearizable(scn_script_of(r)))
		return 0;
	return sim_history_check(r->sim, NULL) == SIM_OK ? 0 : -1;
}

/* The engine behind advance() and step_event(). */
static int scn_drive(struct scn_runner *r, int64_t until, uint64_t budget)
{
	if (r->status == SCN_FAILED)
		return SCN_FAILED;
	r->paused = false;
	const struct scn_script *s = scn_script_of(r);
	for (;;) {
		int st;
		if (r->done) {
			/* After the script: the simulator runs freely. */
			while (budget > 0 && sim_next_event_us(r->sim) <= until) {
				if (!scn_step(r))
					break;
				budget--;
				if (sim_violation(r->sim))
					return scn_fail_violation(r);
			}
			if (sim_violation(r->sim))
				return scn_fail_violation(r);
			/* (step_event has no time to reach: nothing left to do) */
			if (budget > 0 && until != INT64_MAX && scn_clock_to(r, until) != 0)
				return scn_fail_violation(r);
			return scn_set_status(r, SCN_RUNNING);
		}
		if (r->busy)
			st = scn_continue(r, until, &budget);
		else if (r->pc == s->n_cmds) {
			r->done = true;
			if (!r->done_reported && scn_check_history(r) != 0)
				return scn_fail_violation(r);
			if (!r->done_reported) {
				r->done_reported = true;
				return scn_set_status(r, SCN_DONE);
			}
			continue;
		} else
			st = scn_start(r);
		if (st >= 0)
			return st;
	}
}

int scn_runner_advance(struct scn_runner *r, int64_t t_us)
{
	return scn_drive(r, t_us, UINT64_MAX);
}

int scn_runner_advance_max(struct scn_runner *r, int64_t t_us, uint64_t max_events)
{
	return scn_drive(r, t_us, max_events);
}

int scn_runner_step_event(struct scn_runner *r)
{
	return scn_drive(r, INT64_MAX, 1);
}

int scn_runner_run_all(struct scn_runner *r)
{
	if (r->status == SCN_FAILED)
		return SCN_FAILED;
	if (r->done)
		return SCN_DONE;
	bool ign = r->ignore_pauses;
	r->ignore_pauses = true;
	int st;
	do
		st = scn_drive(r, INT64_MAX, UINT64_MAX);
	while (st != SCN_DONE && st != SCN_FAILED && !r->done);
	r->ignore_pauses = ign;
	return st == SCN_FAILED ? SCN_FAILED : SCN_DONE;
}

void scn_runner_set_advisory(struct scn_runner *r, bool on)
{
	r->advisory = on;
}

bool scn_runner_advisory(const struct scn_runner *r)
{
	return r->advisory;
}

int scn_runner_abandon(struct scn_runner *r)
{
	r->pc = scn_script_of(r)->n_cmds;
	r->busy = false;
	r->done = true;
	r->done_reported = true;
	r->paused = false;
	if (r->status == SCN_FAILED && !sim_violation(r->sim)) {
		r->error[0] = '\0';
		r->status = SCN_RUNNING;
	}
	return r->status == SCN_FAILED ? SCN_FAILED : scn_set_status(r, SCN_RUNNING);
}

int scn_runner_exec(struct scn_runner *r, const char *line, char *err, size_t errcap)
{
	struct scn_cmd c;
	char obs[512];
	if (err && errcap)
		err[0] = '\0';
	if (scn_parse_one("command", line, strlen(line), sim_n_nodes(r->sim), &c, err, errcap) != 0)
		return -1;
	int rc = 0;
	if (c.kind == SCN_CMD_RUN || c.kind == SCN_CMD_RUN_UNTIL || c.kind == SCN_CMD_STEP ||
	    c.kind == SCN_CMD_PAUSE || c.kind == SCN_CMD_RUN_BETWEEN || c.kind == SCN_CMD_MEASURE) {
		if (err && errcap)
			snprintf(err, errcap, _("command:1:%d: '%s' cannot be executed here: advance the runner instead"),
			         c.col, c.kind == SCN_CMD_PAUSE ? "pause" : c.kind == SCN_CMD_STEP ? "step"
			                : c.kind == SCN_CMD_MEASURE ? "measure" : "run");
		rc = -1;
	} else if (sim_violation(r->sim) || r->oom) {
		char v[512];
		scn_stop_text(r, v, sizeof v);
		scn_fail_text(r, &c, true, v, err, errcap);
		rc = -2;
	} else if (scn_exec_cmd(r, &c, true, obs, sizeof obs) != 0) {
		if (scn_runner_halt(r) != SIM_OK) {
			scn_stop_text(r, obs, sizeof obs);
			snprintf(r->error, sizeof r->error, "%s %s (%s)", scn_stop_word(r), c.text, obs);
			r->status = SCN_FAILED;
		}
		scn_fail_text(r, &c, true, obs, err, errcap);
		rc = -2;
	} else if (sim_violation(r->sim)) {
		char v[512];
		scn_stop_text(r, v, sizeof v);
		snprintf(r->error, sizeof r->error, "%s %s (%s)", scn_stop_word(r), c.text, v);
		r->status = SCN_FAILED;
	}
	scn_cmd_clear(&c);
	return rc;
}

/* ---- Checking a script against the simulator's limits ------------------- */

int scn_script_check(const struct scn_script *s, char *err, size_t errcap)
{
	struct sim_config cfg;
	sim_config_default(&cfg);
	cfg.nodes = s->nodes;
	cfg.voters = s->voters;
	cfg.seed = s->seed;
	cfg.bugs = s->bugs;
	char why[200];
	for (size_t i = 0; i < s->n_cmds; i++) {
		const struct scn_cmd *c = &s->cmds[i];
		if (c->kind != SCN_CMD_SET)
			continue;
		scn_settings_apply(&c->set, &cfg);
		why[0] = '\0';
		if (sim_config_validate(&cfg, why, sizeof why) != SIM_OK) {
			if (err && errcap)
				snprintf(err, errcap, _("%s:%d:%d: the simulator refuses these settings: %s"),
				         s->path, c->line, c->col, why[0] ? why : _("invalid value"));
			return -1;
		}
	}
	why[0] = '\0';
	if (sim_config_validate(&cfg, why, sizeof why) != SIM_OK) {
		if (err && errcap)
			snprintf(err, errcap, _("%s:1:1: the simulator refuses this cluster: %s"), s->path,
			         why[0] ? why : _("invalid value"));
		return -1;
	}
	return 0;
}

/* ---- Saving ------------------------------------------------------------- */

static void scn_save_run(struct scn_str *o, int64_t us)
{
	char d[32];
	do {
		int64_t part = us > SCN_RUN_US_MAX ? SCN_RUN_US_MAX : us;
		scn_duration_format(part, d, sizeof d);
		scn_str_addf(o, "run %s\n", d);
		us -= part;
	} while (us > 0);
}

/* Emits what takes a replay from (*t, *ev) to the point (t, ev, mid,
 * ev_before_t) where a command ran.  See docs/scenarios.md, "Saving". */
static void scn_save_reach(struct scn_str *o, int64_t *pt, uint64_t *pev, int64_t t, uint64_t ev,
                           bool mid, uint64_t ev_before_t)
{
	if (!mid) {
		if (t > *pt || ev > *pev)
			scn_save_run(o, t - *pt);
	} else if (t > *pt) {
		scn_save_run(o, t - 1 - *pt);
		if (ev > ev_before_t)
			scn_str_addf(o, "step %" PRIu64 "\n", ev - ev_before_t);
	} else if (ev > *pev) {
		scn_str_addf(o, "step %" PRIu64 "\n", ev - *pev);
	}
	*pt = t;
	*pev = ev;
}

char *scn_runner_save_text(const struct scn_runner *r)
{
	const struct scn_script *s = scn_script_of(r);
	struct scn_str o = {0};
	char line[2048], d[48];
	scn_time_text(sim_now_us(r->sim), d, sizeof d);
	scn_str_addf(&o, "# raftsim session recorded from %s, up to %s\n", s->path, d);
	if (s->title) {
		struct scn_cmd t = {.kind = SCN_CMD_TITLE, .str = s->title};
		scn_cmd_format(&t, line, sizeof line);
		scn_str_addf(&o, "%s\n", line);
	}
	scn_str_addf(&o, "cluster nodes=%u seed=%" PRIu64, (unsigned)r->init_cfg.nodes,
	             r->init_cfg.seed);
	if (r->init_cfg.voters && r->init_cfg.voters != r->init_cfg.nodes)
		scn_str_addf(&o, " voters=%u", (unsigned)r->init_cfg.voters);
	const char *sep = " bug=";
	for (uint32_t b = 1; b != 0; b <<= 1)
		if ((r->init_cfg.bugs & b) && raft_bug_name(b)) {
			scn_str_addf(&o, "%s%s", sep, raft_bug_name(b));
			sep = ",";
		}
	scn_str_addf(&o, "\n");
	struct scn_cmd set = {.kind = SCN_CMD_SET};
	scn_settings_from_config(&r->init_cfg, &set.set);
	scn_cmd_format(&set, line, sizeof line);
	scn_str_addf(&o, "%s\n", line);
	/* Ends the header: a `set` recorded at time 0 must change the running
	 * cluster, not be folded into its initial config.  Nothing is due at
	 * time 0 yet, so this processes no event. */
	scn_str_addf(&o, "run 0ms  # the cluster starts\n");
	int64_t t = 0;
	uint64_t ev = 0;
	for (size_t i = 0; i < r->n_hist; i++) {
		const struct scn_record *rec = &r->hist[i];
		const struct scn_cmd *c = &rec->cmd;
		if (rec->folded && c->kind == SCN_CMD_SET && (c->set.mask & SCN_SET_PACE)) {
			/* the window's pace is not in the initial config */
			struct scn_cmd pace = {.kind = SCN_CMD_SET};
			pace.set.mask = SCN_SET_PACE;
			pace.set.pace_div = c->set.pace_div;
			scn_cmd_format(&pace, line, sizeof line);
			scn_str_addf(&o, "%s  # line %d\n", line, c->line);
			continue;
		}
		if (rec->folded || c->kind == SCN_CMD_TITLE || c->kind == SCN_CMD_CLUSTER)
			continue;
		if (rec->kind == SCN_REC_EXEC &&
		    (c->kind == SCN_CMD_RUN || c->kind == SCN_CMD_RUN_UNTIL || c->kind == SCN_CMD_STEP ||
		     c->kind == SCN_CMD_RUN_BETWEEN || (c->kind == SCN_CMD_MEASURE && c->since[0])))
			continue;
		scn_save_reach(&o, &t, &ev, rec->time_us, rec->events, rec->mid_slice,
		               rec->events_before);
		if (c->kind == SCN_CMD_MEASURE) {
			/* Where it started (a measure without `since` marks its own
			 * name), then the same measurement, taken at once. */
			if (rec->kind == SCN_REC_EXEC) {
				scn_str_addf(&o, "mark %s  # line %d: %s\n", c->name, c->line,
				             c->text ? c->text : "");
				continue;
			}
			struct scn_cmd m = *c;
			snprintf(m.since, sizeof m.since, "%s", c->since[0] ? c->since : c->name);
			m.us = 0;
			scn_cmd_format(&m, line, sizeof line);
			scn_str_addf(&o, "%s  # line %d: %s\n", line, c->line, c->text ? c->text : "");
			continue;
		}
		if (rec->kind == SCN_REC_REACHED) {
			struct scn_cmd e = {.kind = SCN_CMD_EXPECT, .cond = c->cond};
			scn_cmd_format(&e, line, sizeof line);
			scn_str_addf(&o, "%s  # line %d: %s\n", line, c->line, c->text ? c->text : "");
			continue;
		}
		scn_cmd_format(c, line, sizeof line);
		scn_str_addf(&o, "%s", line);
		if (rec->user)
			scn_str_addf(&o, "  # typed in");
		else
			scn_str_addf(&o, "  # line %d", c->line);
		if (c->text && strcmp(c->text, line) != 0)
			scn_str_addf(&o, ": %s", c->text);
		scn_str_addf(&o, "\n");
	}
	uint64_t before = r->slice_us == sim_now_us(r->sim) ? r->slice_base : r->events;
	scn_save_reach(&o, &t, &ev, sim_now_us(r->sim), r->events, scn_mid_slice(r), before);
	scn_str_addf(&o, "# end of the session\n");
	return scn_str_take(&o);
}

int scn_runner_save(const struct scn_runner *r, const char *path, char *err, size_t errcap)
{
	char *text = scn_runner_save_text(r);
	if (!text) {
		if (err && errcap)
			snprintf(err, errcap, _("%s: out of memory"), path);
		return -1;
	}
	/* sim/outfile.h: a finished file or the old one, never half of one */
	int rc = sim_out_write_file(path, text, strlen(text), err, errcap);
	free(text);
	return rc;
}

/* ---- Reading ------------------------------------------------------------ */

const struct sim *scn_runner_sim(const struct scn_runner *r)
{
	return r->sim;
}

int64_t scn_runner_now_us(const struct scn_runner *r)
{
	return sim_now_us(r->sim);
}

int scn_runner_status(const struct scn_runner *r)
{
	return r->status;
}

const char *scn_runner_error(const struct scn_runner *r)
{
	return r->status == SCN_FAILED ? r->error : "";
}

const struct scn_script *scn_runner_script(const struct scn_runner *r)
{
	return scn_script_of(r);
}

const char *scn_runner_title(const struct scn_runner *r)
{
	return scn_script_title(scn_script_of(r));
}

const char *scn_runner_say(const struct scn_runner *r)
{
	return r->say;
}

bool scn_runner_paused(const struct scn_runner *r)
{
	return r->paused;
}

bool scn_runner_script_done(const struct scn_runner *r)
{
	return r->done || r->pc >= scn_script_of(r)->n_cmds;
}

size_t scn_runner_pc(const struct scn_runner *r)
{
	return r->pc;
}

int scn_runner_line(const struct scn_runner *r)
{
	const struct scn_script *s = scn_script_of(r);
	return r->pc < s->n_cmds ? s->cmds[r->pc].line : 0;
}

const struct scn_record *scn_runner_history(const struct scn_runner *r, size_t *n)
{
	*n = r->n_hist;
	return r->hist;
}

const struct scn_measurement *scn_runner_measurements(const struct scn_runner *r, size_t *n)
{
	*n = r->n_meas;
	return r->meas;
}
