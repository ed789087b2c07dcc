/* scn.h - the scenario language: parse .scn scripts and run them on a sim.
 *
 * A script is text, one command per line (docs/scenarios.md has the whole
 * language).  scn_parse() turns it into a struct scn_script, or into ONE
 * error line "path:line:col: what was wrong: what would be right".
 *
 * A struct scn_runner executes a script on a struct sim step by step, so a
 * visualizer can advance it by virtual time, stop at `pause`, step one
 * simulator event at a time, checkpoint it (scn_runner_clone), inject
 * commands (scn_runner_exec) and save the whole session as a script that
 * replays it exactly (scn_runner_save).
 *
 * Ownership: a script owns every string and array reachable from it; a
 * runner keeps its own copy of the script, so the caller may free the script
 * right after scn_runner_new().  Pointers a runner hands out stay valid until
 * the next non-const call on that runner.  Nothing here reads a clock, calls
 * rand() or keeps global state.
 */
#ifndef SCN_SCN_H
#define SCN_SCN_H

#include "raft.h"
#include "sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Limits ------------------------------------------------------------- */
#define SCN_LINE_MAX 1024                  /* bytes per line, without the newline */
#define SCN_FILE_MAX (1024u * 1024u)       /* bytes per script */
#define SCN_CMDS_MAX 100000u               /* commands per script */
#define SCN_STRING_MAX 320                 /* bytes of a title or say text (two caption lines of Chinese, 3 bytes a character) */
#define SCN_RUN_US_MAX 3600000000ll        /* any duration: at most 1 hour */
#define SCN_PUTMANY_MAX 1000000u           /* client putmany COUNT */
#define SCN_STEP_MAX 1000000u              /* step COUNT */
#define SCN_ERR_MAX 512                    /* a good size for err buffers */
#define SCN_NAME_MAX 32                    /* bytes of a mark or measurement name */
#define SCN_MEASURES_MAX 64                /* measurements per script */
#define SCN_MARKS_MAX 64                   /* distinct mark names per run */

/* A node reference that means "the stable leader at that moment". */
#define SCN_LEADER 0

/* ---- Parsed commands ---------------------------------------------------- */
enum scn_cmd_kind {
	SCN_CMD_TITLE,     /* title "..." */
	SCN_CMD_CLUSTER,   /* cluster nodes=N seed=S [bug=NAME[,NAME]] */
	SCN_CMD_SET,       /* set KEY=VALUE ... */
	SCN_CMD_SAY,       /* say "..." */
	SCN_CMD_PAUSE,     /* pause */
	SCN_CMD_RUN,       /* run DURATION */
	SCN_CMD_RUN_UNTIL, /* run until COND [within DURATION] */
	SCN_CMD_STEP,      /* step [COUNT]: the next COUNT simulator events */
	SCN_CMD_EXPECT,    /* expect COND */
	SCN_CMD_CRASH,     /* crash NODE */
	SCN_CMD_RESTART,   /* restart NODE */
	SCN_CMD_TIMEOUT,   /* timeout NODE | {..} | followers: timers fire at once */
	SCN_CMD_PARTITION, /* partition {..} {..} */
	SCN_CMD_ISOLATE,   /* isolate NODE */
	SCN_CMD_HEAL,      /* heal */
	SCN_CMD_CUT,       /* cut A->B | cut A<->B */
	SCN_CMD_MEND,      /* mend A->B | mend A<->B */
	SCN_CMD_PUT,       /* client put KEY=VALUE [to NODE] */
	SCN_CMD_PUTMANY,   /* client putmany COUNT PREFIX [to NODE] */
	SCN_CMD_GET,       /* client get KEY [to NODE] (KEY in kv) */
	SCN_CMD_RUN_BETWEEN, /* run between DURATION and DURATION: a uniform random
	                        wait drawn from the scenario's own seeded stream */
	SCN_CMD_MARK,      /* mark NAME: remember this moment */
	SCN_CMD_MEASURE,   /* measure NAME [since MARK] until COND [within DURATION] */
	SCN_CMD_MSG_DROP,      /* drop msg ID (count = ID) */
	SCN_CMD_MSG_DUPLICATE, /* duplicate msg ID */
	SCN_CMD_MSG_DELAY,     /* delay msg ID by DURATION (us) */
	SCN_CMD_MSG_HURRY,     /* hurry msg ID by DURATION (us): never before now */
	SCN_CMD_DELIVER_NEXT,  /* deliver next msg ID: it arrives now */
	SCN_CMD_FIRE_TIMER,    /* fire next timer NODE (a) */
	SCN_CMD_TRANSFER,      /* transfer NODE (a): the leader hands over to it */
	SCN_CMD_SKEW,          /* skew NODE [+|-DURATION] [rate=R]: node a's clock
	                          jumps by us and runs at count ppm (0: as it was) */
	SCN_CMD_ADD,           /* add NODE (a): it joins as a learner, then votes */
	SCN_CMD_REMOVE,        /* remove NODE (a): it leaves the configuration */
};

enum scn_cond_kind {
	SCN_C_LEADER,      /* leader */
	SCN_C_LEADER_IS,   /* leader ==|!= NODE */
	SCN_C_LEADER_IN,   /* leader in {..} */
	SCN_C_COUNT,       /* leaders|candidates|followers OP K (role in .role) */
	SCN_C_ROLE,        /* role NODE ==|!= ROLE */
	SCN_C_TERM,        /* term NODE OP K */
	SCN_C_TERMS_AGREE, /* terms-agree */
	SCN_C_COMMIT,      /* commit NODE OP K */
	SCN_C_LOG,         /* log NODE OP K: last log index */
	SCN_C_VOTES,       /* votes NODE OP K: votes a candidate/leader holds */
	SCN_C_COMMITTED,   /* committed KEY=VALUE on WHERE */
	SCN_C_LOGGED,      /* logged KEY=VALUE on WHERE: in the log at all */
	SCN_C_VALUE,       /* value NODE KEY ==|!= VALUE */
	SCN_C_LOGS_MATCH,  /* logs-match */
	SCN_C_ACKED,       /* acked-committed: every acknowledged put is
	                      committed on every live node */
	SCN_C_SENT,        /* sent OP K */
	SCN_C_UP,          /* up NODE: the node is running */
	SCN_C_SNAPSHOT,    /* snapshot NODE OP K: index of its latest snapshot */
	SCN_C_LINEARIZABLE, /* linearizable: the clients' history so far (a
	                       script that states it is not checked again at
	                       its end) */
	SCN_C_GOT,         /* got KEY ==|!= VALUE: what the latest get of KEY
	                      read ("none": no value); false while it waits */
	SCN_C_WAITING,     /* waiting OP K: client requests not answered yet */
	SCN_C_TRANSFERRING, /* transferring: a leader is handing leadership over */
	SCN_C_MEMBERS,     /* members ==|!= {..}: the voters of the stable
	                      leader's configuration (set) */
	SCN_C_LEARNER,     /* learner NODE: a learner in the stable leader's
	                      configuration */
	SCN_C_KINDS        /* how many kinds there are (not a kind); each has its
	                      row in the condition table (scenarios/conds.c) */
};

enum scn_op { SCN_OP_EQ, SCN_OP_NE, SCN_OP_GE, SCN_OP_LE, SCN_OP_GT, SCN_OP_LT };

enum scn_where {
	SCN_ON_ALL,      /* every live node */
	SCN_ON_MAJORITY, /* more than half of the cluster (live nodes counted) */
	SCN_ON_ANY,      /* at least one live node */
	SCN_ON_NODES,    /* every node of .set */
};

/* A set of nodes: bit i of bits is node i (1..255); leader: the set also
 * holds the stable leader of the moment. */
struct scn_nodeset {
	uint64_t bits[4];
	bool leader;
};

struct scn_cond {
	enum scn_cond_kind kind;
	bool negate;             /* `not` (an even number of them cancels) */
	enum scn_op op;
	uint8_t node;            /* the NODE operand; SCN_LEADER = the leader */
	enum raft_role role;     /* ROLE, COUNT */
	enum scn_where where;    /* COMMITTED, LOGGED */
	struct scn_nodeset set;  /* LEADER_IN; COMMITTED/LOGGED on {..} */
	uint64_t k;              /* the number compared against */
	uint8_t kv_len, key_len; /* kv = "KEY=VALUE" (COMMITTED, LOGGED, VALUE) */
	char kv[RAFT_CMD_MAX + 1];
};

/* Which fields of a `set` command were given. */
enum {
	SCN_SET_ELECTION = 1u << 0,
	SCN_SET_HEARTBEAT = 1u << 1,
	SCN_SET_LATENCY = 1u << 2,
	SCN_SET_DISK = 1u << 3,
	SCN_SET_DROP = 1u << 4,
	SCN_SET_DUPLICATE = 1u << 5,
	SCN_SET_RETRY = 1u << 6,
	SCN_SET_SNAPSHOT = 1u << 7, /* snapshot=N: sim_config.snapshot_threshold */
	SCN_SET_TRAILING = 1u << 8, /* trailing=N: sim_config.snapshot_trailing */
	SCN_SET_MAX_EVENTS = 1u << 9, /* max_events=N: sim_config.max_events (0: none) */
	SCN_SET_MAX_MEMORY = 1u << 10, /* max_memory=SIZE: sim_config.max_memory_bytes */
	SCN_SET_PACE = 1u << 11,       /* pace=auto | pace=1/N: for the window only */
	SCN_SET_BATCH = 1u << 12,      /* batch=N: sim_config.entries_per_msg_max */
	SCN_SET_TORN = 1u << 13,       /* torn=on|off: sim_config.torn_writes */
	SCN_SET_SLOW = 1u << 14,       /* slow=P%: sim_config.slow_ppm */
	SCN_SET_SLOW_LATENCY = 1u << 15, /* slow_latency=MIN..MAX: slow_us_min/max */
	SCN_SET_PREVOTE = 1u << 16,    /* prevote=on|off: sim_config.prevote */
	SCN_SET_CHECKQUORUM = 1u << 17, /* checkquorum=on|off: sim_config.checkquorum */
	SCN_SET_READS = 1u << 18,      /* reads=log|readindex|lease|local: sim_config.reads */
	SCN_SET_DRIFT = 1u << 19,      /* drift=N%: sim_config.drift_pct */
};

/* batch= takes 1..this many entries per AppendEntries (sim_config_validate). */
#define SCN_BATCH_MAX 65536u

/* pace=1/N takes N in 1..this (pace=1 is real time). */
#define SCN_PACE_DIV_MAX 100000u

/* snapshot= and trailing= take 0..this many entries (sim_config_validate). */
#define SCN_SNAPSHOT_MAX 1000000000u

struct scn_settings {
	uint32_t mask; /* SCN_SET_* */
	int64_t election_us_min, election_us_max, heartbeat_us;
	int64_t latency_us_min, latency_us_max, disk_us, retry_us;
	uint32_t drop_ppm, dup_ppm;
	uint32_t snapshot_threshold, snapshot_trailing; /* log entries; 0: off */
	uint64_t max_events, max_memory_bytes;          /* budgets; 0: no limit */
	uint32_t pace_div; /* PACE: 0 auto, N: virtual time at 1/N of wall time;
	                      the simulator ignores it, the window plays at it */
	uint32_t batch;    /* BATCH: entries per AppendEntries, 1..SCN_BATCH_MAX */
	bool torn;         /* TORN: a crash tears the oldest write in flight */
	uint32_t slow_ppm; /* SLOW: chance that a message is slow */
	int64_t slow_us_min, slow_us_max; /* SLOW_LATENCY: how much later it arrives */
	bool prevote, checkquorum;
	enum sim_reads reads; /* READS */
	uint32_t drift_pct;   /* DRIFT: 0..100 */
};

/* max_events= takes 0..this many events; max_memory= 0..this many bytes. */
#define SCN_MAX_EVENTS_MAX 1000000000000ull       /* 10^12 */
#define SCN_MAX_MEMORY_MAX (1ull << 40)            /* 1 TiB */

/* A byte count: digits with an optional unit B, K/KB/KiB, M/MB/MiB,
 * G/GB/GiB, T/TB/TiB (all binary: K = 1024).  0, or -1 if s[0..n) is not
 * one; -2 if it overflows 64 bits. */
int scn_size_parse(const char *s, size_t n, uint64_t *out);
/* "512MiB", "1GiB", "1000B": the shortest exact spelling. */
size_t scn_size_format(uint64_t bytes, char *buf, size_t cap);

/* One command.  Fields not used by a kind are zero. */
struct scn_cmd {
	enum scn_cmd_kind kind;
	int line, col;               /* where it starts in the script (1-based) */
	char *text;                  /* the source text, without comment */
	int64_t us;                  /* RUN: duration; RUN_UNTIL, MEASURE: within;
	                                RUN_BETWEEN: the shortest wait */
	int64_t us_max;              /* RUN_BETWEEN: the longest wait (in the
	                                history: both are the wait drawn) */
	char name[SCN_NAME_MAX + 1]; /* MARK, MEASURE: the name */
	char since[SCN_NAME_MAX + 1]; /* MEASURE: the mark it counts from; "": now */
	uint64_t count;              /* STEP, PUTMANY */
	uint8_t a, b;                /* NODE operands (SCN_LEADER = the leader);
	                                CUT/MEND: a -> b; PUT/PUTMANY: a = to */
	bool both;                   /* CUT/MEND: <-> */
	bool has_to;                 /* PUT/PUTMANY: `to NODE` given */
	uint8_t kv_len;              /* PUT: "KEY=VALUE"; PUTMANY: the PREFIX */
	char kv[RAFT_CMD_MAX + 1];
	char *str;                   /* TITLE, SAY: the text, unescaped */
	struct scn_cond cond;        /* RUN_UNTIL, EXPECT, MEASURE */
	struct scn_settings set;     /* SET */
	struct scn_nodeset *groups;  /* PARTITION; TIMEOUT {..}: groups[0] */
	size_t n_groups;
	bool followers;              /* TIMEOUT followers: every live follower */
};

/* ---- Scripts ------------------------------------------------------------ */
struct scn_script;

/* Parses buf[0..len) named path (used only in messages).  Returns NULL and
 * writes one line "path:line:col: message" (no newline) into err on a bad
 * script or "path: out of memory".  err may be NULL. */
struct scn_script *scn_parse(const char *path, const char *buf, size_t len, char *err,
                             size_t errcap);
/* Reads and parses a file: the errors above, plus
 * "path: cannot read: <strerror>" and the 1 MiB size limit. */
struct scn_script *scn_load(const char *path, char *err, size_t errcap);
void scn_script_free(struct scn_script *s);

const char *scn_script_path(const struct scn_script *s);
const char *scn_script_title(const struct scn_script *s); /* "" if none */
uint16_t scn_script_nodes(const struct scn_script *s);
uint64_t scn_script_seed(const struct scn_script *s);
uint32_t scn_script_bugs(const struct scn_script *s); /* cluster bug=... */
size_t scn_script_n_cmds(const struct scn_script *s);
const struct scn_cmd *scn_script_cmd(const struct scn_script *s, size_t i);

/* Checks every `set` of the script against sim_config_validate(), so a
 * value the simulator would refuse is a script error ("path:line:col: ...")
 * before anything runs.  0 or -1. */
int scn_script_check(const struct scn_script *s, char *err, size_t errcap);

/* Writes a command in canonical syntax (what the parser accepts), without
 * newline; returns the length it needed, like snprintf. */
size_t scn_cmd_format(const struct scn_cmd *c, char *buf, size_t cap);
size_t scn_cond_format(const struct scn_cond *c, char *buf, size_t cap);
/* "1.5s", "150ms", "7us": the shortest exact spelling. */
size_t scn_duration_format(int64_t us, char *buf, size_t cap);
/* "5%", "0.5%", "4.6611%": parts per million as the language spells them. */
size_t scn_percent_format(uint32_t ppm, char *buf, size_t cap);

/* "Did you mean": the word of the NULL-terminated list words closest to the
 * n bytes at w (fewer than 3 edits away), or NULL. */
const char *scn_suggest(const char *w, size_t n, const char *const *words);

/* Bug names (--bug, `cluster bug=`): raft_bug_from_name() and friends. */

/* ---- Runners ------------------------------------------------------------ */
struct scn_options {
	bool has_seed;       /* override the script's seed */
	uint64_t seed;
	uint32_t bugs;       /* enum raft_bug bits, ORed with the script's */
	sim_trace_fn *trace_fn; /* installed on the sim (may be NULL) */
	void *trace_ctx;
	/* Budgets (--max-events, --max-memory); they win over the script's
	 * `set max_events= max_memory=`.  0: keep the script's or the default;
	 * UINT64_MAX: no limit. */
	uint64_t max_events;
	uint64_t max_memory_bytes;
	/* Settings that win over every `set` of the script for the keys they
	 * give (vary.mask; 0: none), e.g. `raftsim experiment --vary`. */
	struct scn_settings vary;
};

enum scn_status {
	SCN_RUNNING = 0, /* reached the requested time (or processed the event) */
	SCN_PAUSED = 1,  /* stopped at a `pause`; the next call resumes after it */
	SCN_DONE = 2,    /* the script just ended and passed (reported once) */
	SCN_FAILED = 3,  /* see scn_runner_error(); every later call says so too */
};

/* Kinds of history records. */
enum scn_record_kind {
	SCN_REC_EXEC,    /* a command was executed (runs: when they started) */
	SCN_REC_REACHED, /* a `run until` or `measure` reached its condition */
	SCN_REC_TIMED_OUT, /* a `measure` whose `within` ran out */
};

/* One executed command, script or user. */
struct scn_record {
	enum scn_record_kind kind;
	struct scn_cmd cmd; /* as executed: `leader` replaced by the node it
	                       meant (cmd.text keeps what was written) */
	int64_t time_us;    /* virtual time it executed at */
	uint64_t events;    /* simulator events processed before it */
	uint64_t events_before; /* ... of which had a time before time_us */
	bool mid_slice;     /* events at time_us were still waiting */
	bool user;          /* injected with scn_runner_exec() */
	bool folded;        /* a leading `set`, applied to the initial config */
};

struct scn_runner;

/* Creates the sim (script cluster/seed, options, the `set` commands that
 * come before the first command that needs the simulator folded into the
 * initial config).  NULL on allocation failure or a config the simulator
 * refuses (scn_script_check() reports that one as a script error). */
struct scn_runner *scn_runner_new(const struct scn_script *s, const struct scn_options *o);
void scn_runner_free(struct scn_runner *r);
/* A deep copy (sim_clone() + the runner state): a checkpoint.  The copy
 * shares the trace callback.  NULL on allocation failure. */
struct scn_runner *scn_runner_clone(const struct scn_runner *r);

/* Installs another trace sink (fn may be NULL), e.g. on a clone. */
void scn_runner_set_trace(struct scn_runner *r, sim_trace_fn *fn, void *ctx);

/* Executes commands and events until virtual time t_us (see enum
 * scn_status).  t_us <= now executes only the commands due now. */
int scn_runner_advance(struct scn_runner *r, int64_t t_us);
/* Like advance(), but processes at most max_events simulator events: when
 * they run out first it returns SCN_RUNNING with the clock at the last
 * event processed (possibly part way through an instant); a later
 * advance() goes on from there exactly as if it had not stopped. */
int scn_runner_advance_max(struct scn_runner *r, int64_t t_us, uint64_t max_events);
/* Executes the commands due now, then processes exactly one simulator
 * event.  Returns like advance(); PAUSED or DONE are returned before the
 * event is processed. */
int scn_runner_step_event(struct scn_runner *r);
/* Headless: runs to the end of the script, ignoring pauses; returns
 * SCN_DONE or SCN_FAILED. */
int scn_runner_run_all(struct scn_runner *r);
/* Gives up the rest of the script (and forgets a failed expectation unless
 * the simulator itself stopped on a violation): from now on advance() just
 * runs the simulator.  Returns the new status (SCN_RUNNING or SCN_FAILED). */
int scn_runner_abandon(struct scn_runner *r);

/* Advisory checks: while on, a script `expect` that does not hold, a
 * `run until` that misses its deadline and a command that cannot be done
 * in this state (`crash leader` without one) are skipped (the script goes
 * on; nothing is recorded for them) instead of failing the script.  A viewer
 * turns this on when the user changes a scripted run.  Off by default;
 * copied by scn_runner_clone(). */
void scn_runner_set_advisory(struct scn_runner *r, bool on);
bool scn_runner_advisory(const struct scn_runner *r);

/* Parses and executes one command now, as if typed into the script at this
 * moment: crash n3, cut n1->n2, client put x=1, heal, set drop=5%,
 * expect leader, say "...".  run/step/pause/title/cluster are refused
 * (advance the runner instead).  Returns 0; -1 with err = "command:1:col:
 * message" for a bad command; -2 with err = "FAIL <command> (<observed>)"
 * when it fails (no leader for `leader`, a false `expect`, a stopped sim).
 * A failed command changes nothing and is not recorded. */
int scn_runner_exec(struct scn_runner *r, const char *line, char *err, size_t errcap);

/* Writes a script that replays this session exactly: the cluster line, a
 * `set` with the initial config, then every action, say, pause and
 * expectation in the order executed, each preceded by the run/step that
 * reaches its time, and a final run to the current time.  Written to a
 * temporary file and renamed.  0, or -1 with "path: reason" in err. */
int scn_runner_save(const struct scn_runner *r, const char *path, char *err, size_t errcap);
/* The same text into a malloc()ed NUL-terminated buffer (caller frees);
 * NULL on allocation failure. */
char *scn_runner_save_text(const struct scn_runner *r);

/* ---- Reading a runner (const) ------------------------------------------ */
const struct sim *scn_runner_sim(const struct scn_runner *r);
int64_t scn_runner_now_us(const struct scn_runner *r);
int scn_runner_status(const struct scn_runner *r); /* the last status returned */
const char *scn_runner_error(const struct scn_runner *r); /* "" unless FAILED */
/* Why the run stopped, when it stopped for want of resources or on a
 * violation (see sim_halt()): SIM_OK (running, or a failed expectation),
 * SIM_ESTOPPED (a safety violation), SIM_ENOMEM (the simulator or the
 * runner ran out of memory), SIM_ELIMIT (an event or memory budget).  For
 * the last two scn_runner_error() starts with "OOM " or "LIMIT " instead
 * of "FAIL ": they are not verdicts on the script. */
int scn_runner_halt(const struct scn_runner *r);
/* For SIM_ENOMEM / SIM_ELIMIT, one phrase: "out of memory at 1.5s virtual
 * time, seed 3: a message could not be allocated" or "resource limit: the
 * event budget (max_events=1000 events) ran out at 2s virtual time, seed 3";
 * "" otherwise.  Returns its length. */
size_t scn_runner_halt_text(const struct scn_runner *r, char *out, size_t cap);
const struct scn_script *scn_runner_script(const struct scn_runner *r);
const char *scn_runner_title(const struct scn_runner *r);
const char *scn_runner_say(const struct scn_runner *r); /* latest narration, "" */
bool scn_runner_paused(const struct scn_runner *r);
bool scn_runner_script_done(const struct scn_runner *r);
/* Index of the script command being executed (a run in progress) or to be
 * executed next; scn_script_n_cmds() when the script is over. */
size_t scn_runner_pc(const struct scn_runner *r);
int scn_runner_line(const struct scn_runner *r); /* its line; 0 when over */
/* Everything executed so far, oldest first. */
const struct scn_record *scn_runner_history(const struct scn_runner *r, size_t *n);

/* One `measure` taken: value_us is the virtual time from its start (the
 * command, or its `since` mark) until the condition held; a timed-out one
 * holds the time waited until its `within` ran out instead. */
struct scn_measurement {
	char name[SCN_NAME_MAX + 1];
	int line;          /* the measure command's line */
	bool timed_out;
	int64_t value_us;
	int64_t start_us;  /* virtual time the interval began */
};
/* The measurements taken so far, in the order they finished. */
const struct scn_measurement *scn_runner_measurements(const struct scn_runner *r, size_t *n);

/* ---- A string builder ----------------------------------------------------- */
/* A growing heap string (saved sessions, experiment files): start from
 * {0}, append with scn_str_addf(); oom is set, and later appends ignored,
 * when memory runs out; the caller frees p. */
struct scn_str {
	char *p;
	size_t len, cap;
	bool oom;
};
void scn_str_addf(struct scn_str *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The finished string (the caller frees it), or NULL if memory ran out on
 * the way (what was built is freed then). */
char *scn_str_take(struct scn_str *s);

#endif
