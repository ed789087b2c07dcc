/* scn_internal.h - private structures and helpers shared by the scenarios/ sources. */
#ifndef SCN_SCN_INTERNAL_H
#define SCN_SCN_INTERNAL_H

#include "scn.h"

#include <stdarg.h>

struct scn_script {
	char *path;
	char *title;          /* NULL if none */
	uint16_t nodes;
	uint16_t voters;      /* cluster voters=K (0: all nodes vote) */
	uint64_t seed;
	uint32_t bugs;
	struct scn_cmd *cmds;
	size_t n_cmds, cap_cmds;
};

/* Defaults of a script without those cluster settings. */
#define SCN_DEFAULT_NODES 5
#define SCN_DEFAULT_SEED 1
#define SCN_DEFAULT_WITHIN_US 10000000ll

/* Parses one command (one line, no newline) for a cluster of `nodes`
 * nodes, as scn_runner_exec() needs it.  Errors are "path:1:col: ...".
 * title and cluster are refused.  0 or -1. */
int scn_parse_one(const char *path, const char *line, size_t len, uint16_t nodes,
                  struct scn_cmd *out, char *err, size_t errcap);

/* Frees what a command owns and zeroes it. */
void scn_cmd_clear(struct scn_cmd *c);
/* Deep copy into *dst (zeroed first); 0 or -1 on ENOMEM. */
int scn_cmd_copy(struct scn_cmd *dst, const struct scn_cmd *src);
struct scn_script *scn_script_copy(const struct scn_script *s);

/* Node sets. */
static inline bool scn_set_has(const struct scn_nodeset *s, unsigned node)
{
	return node < 256 && (s->bits[node / 64] >> (node % 64) & 1u);
}
static inline void scn_set_add(struct scn_nodeset *s, unsigned node)
{
	s->bits[node / 64] |= (uint64_t)1 << (node % 64);
}

/* Applies the fields a `set` gave to a simulator config. */
void scn_settings_apply(const struct scn_settings *st, struct sim_config *c);
/* The settings of a whole config (every field given). */
void scn_settings_from_config(const struct sim_config *c, struct scn_settings *st);

/* Evaluates a condition now.  Writes what was observed into obs (one
 * phrase, e.g. "leader is n2, term 3").  Returns true if it holds. */
bool scn_cond_eval(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap);

/* What `committed`/`logged KEY=VALUE` found so far in each node's log, so a
 * `run until` that re-checks after every instant reads each entry once:
 * entries 1..scanned (whose term at `scanned` was scanned_term) hold no
 * match past `found`; found (term found_term) is the first match, or 0.
 * A log rewritten below `scanned` changes the term there and resets it. */
struct scn_find_cache {
	uint64_t scanned[RAFT_NODES_MAX + 1], scanned_term[RAFT_NODES_MAX + 1];
	uint64_t found[RAFT_NODES_MAX + 1], found_term[RAFT_NODES_MAX + 1];
};
/* The same, with a cache for the condition (NULL: none). */
bool scn_cond_eval_cached(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
                          struct scn_find_cache *fc);
/* "n1 leader t2, n2 follower t2, n3 down, ...": the cluster at a glance. */
void scn_describe_roles(const struct sim *s, char *buf, size_t cap);

/* Appends printf-style text to buf (capacity cap) at *len, keeping it
 * NUL-terminated; *len grows by what the text needed even when it did
 * not fit (like snprintf). */
void scn_appendf(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void scn_vappendf(char *buf, size_t cap, size_t *len, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

/* ---- The condition table (conds.c) --------------------------------------
 * A condition is one row of the table plus its logic: how the rest of the
 * line after its first word parses (parse.c), how it is evaluated on a sim
 * (cond.c) and how it is written back as text (format.c).  The generic code
 * (scn_parse_cond, scn_cond_eval, scn_cond_format) walks the table. */

/* How a condition came out: an unresolved one (`term leader` without a
 * leader) is false whether or not it is negated. */
enum { SCN_FALSE = 0, SCN_TRUE = 1, SCN_UNRESOLVED = -1 };

#define SCN_KIND(k) (1u << (k))

struct scn_parser; /* parse.c */

struct scn_cond_desc {
	const char *name;        /* the first word: "term"; NULL: any role's plural
	                            (leaders, candidates, ...) from raft's role table */
	enum scn_cond_kind kind; /* what the word parses into (parse may refine it) */
	uint32_t kinds;          /* SCN_KIND() bits of the kinds this row's eval and
	                            format handle; 0: an alias (no-leader) */
	bool negated;            /* the word means `not` its kind (no-leader) */
	const char *syntax;      /* "term NODE OP K" */
	const char *help;        /* what it tests */
	/* The rest of the line after the first word (word: as written, for
	 * messages) into c, whose kind is set; 0 or -1 with the parse error.
	 * NULL: the word stands alone. */
	int (*parse)(struct scn_parser *p, const char *word, struct scn_cond *c);
	/* SCN_TRUE, SCN_FALSE or SCN_UNRESOLVED, ignoring c->negate; appends
	 * what it observed to obs (cap, *len as in scn_appendf). */
	int (*eval)(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap,
	            size_t *len, struct scn_find_cache *fc);
	/* Appends the condition after any `not`; NULL: the name alone. */
	void (*format)(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf,
	               size_t cap, size_t *len);
};
const struct scn_cond_desc *scn_cond_descs(size_t *count);
/* The row whose logic evaluates and formats kind (never NULL). */
const struct scn_cond_desc *scn_cond_desc_of(enum scn_cond_kind kind);
/* The row a negated kind is spelled with as one word (no-leader), or NULL. */
const struct scn_cond_desc *scn_cond_desc_negated(enum scn_cond_kind kind);
/* Every first word, in table order with the role plurals in place of the
 * NULL row, NULL-terminated in words[cap]; returns how many. */
#define SCN_COND_WORDS_MAX 64
size_t scn_cond_words(const char **words, size_t cap);

/* Parsers of the rows (parse.c). */
int scn_cond_parse_leader(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_count(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_role(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_node(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_node_op_k(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_op_k(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_kv_on(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_value(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_got(struct scn_parser *p, const char *word, struct scn_cond *c);
int scn_cond_parse_members(struct scn_parser *p, const char *word, struct scn_cond *c);

/* Evaluators of the rows (cond.c). */
#define SCN_COND_EVAL(fn)                                                                  \
	int fn(const struct sim *s, const struct scn_cond *c, char *obs, size_t cap, size_t *len, \
	       struct scn_find_cache *fc)
SCN_COND_EVAL(scn_cond_eval_leader);
SCN_COND_EVAL(scn_cond_eval_count);
SCN_COND_EVAL(scn_cond_eval_role);
SCN_COND_EVAL(scn_cond_eval_term);
SCN_COND_EVAL(scn_cond_eval_terms_agree);
SCN_COND_EVAL(scn_cond_eval_commit);
SCN_COND_EVAL(scn_cond_eval_log);
SCN_COND_EVAL(scn_cond_eval_snapshot);
SCN_COND_EVAL(scn_cond_eval_votes);
SCN_COND_EVAL(scn_cond_eval_kv);
SCN_COND_EVAL(scn_cond_eval_value);
SCN_COND_EVAL(scn_cond_eval_logs_match);
SCN_COND_EVAL(scn_cond_eval_acked);
SCN_COND_EVAL(scn_cond_eval_sent);
SCN_COND_EVAL(scn_cond_eval_up);
SCN_COND_EVAL(scn_cond_eval_linearizable);
SCN_COND_EVAL(scn_cond_eval_got);
SCN_COND_EVAL(scn_cond_eval_waiting);
SCN_COND_EVAL(scn_cond_eval_transferring);
SCN_COND_EVAL(scn_cond_eval_members);
SCN_COND_EVAL(scn_cond_eval_learner);

/* Formatters of the rows (format.c). */
#define SCN_COND_FORMAT(fn)                                                                 \
	void fn(const struct scn_cond_desc *d, const struct scn_cond *c, char *buf, size_t cap, \
	        size_t *len)
SCN_COND_FORMAT(scn_cond_format_leader);
SCN_COND_FORMAT(scn_cond_format_count);
SCN_COND_FORMAT(scn_cond_format_role);
SCN_COND_FORMAT(scn_cond_format_node);
SCN_COND_FORMAT(scn_cond_format_node_op_k);
SCN_COND_FORMAT(scn_cond_format_op_k);
SCN_COND_FORMAT(scn_cond_format_kv_on);
SCN_COND_FORMAT(scn_cond_format_value);
SCN_COND_FORMAT(scn_cond_format_got);
SCN_COND_FORMAT(scn_cond_format_members);

#endif
