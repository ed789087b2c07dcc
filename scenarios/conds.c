/* conds.c - the table of scenario conditions: every condition's first word, its kind, its syntax, what it tests, and the functions that parse, evaluate and format it.  The parser's "did you mean" and its list of conditions come from here; a test keeps docs/scenarios.md's table in step. */
#include "scn_internal.h"

#include <stdlib.h>

/* One row per first word, in the order the parser tries them and the
 * did-you-mean list shows them.  The role-counting words (leaders,
 * candidates, followers, ...) come from raft's role table (the row without
 * a name), so a new role is countable without a row here. */
static const struct scn_cond_desc cond_descs[] = {
    {"leader", SCN_C_LEADER,
     SCN_KIND(SCN_C_LEADER) | SCN_KIND(SCN_C_LEADER_IS) | SCN_KIND(SCN_C_LEADER_IN), false,
     "leader | leader ==|!= NODE | leader in {..}",
     "there is a stable leader (and it is, or is not, NODE; or it is in the set)",
     scn_cond_parse_leader, scn_cond_eval_leader, scn_cond_format_leader},
    {"no-leader", SCN_C_LEADER, 0, true, "no-leader",
     "there is no stable leader (same as not leader)", NULL, NULL, NULL},
    {NULL, SCN_C_COUNT, SCN_KIND(SCN_C_COUNT), false, "leaders|candidates|followers OP K",
     "how many live nodes have that role", scn_cond_parse_count, scn_cond_eval_count,
     scn_cond_format_count},
    {"role", SCN_C_ROLE, SCN_KIND(SCN_C_ROLE), false, "role NODE ==|!= ROLE", "the node's role",
     scn_cond_parse_role, scn_cond_eval_role, scn_cond_format_role},
    {"term", SCN_C_TERM, SCN_KIND(SCN_C_TERM), false, "term NODE OP K",
     "the node's current term", scn_cond_parse_node_op_k, scn_cond_eval_term,
     scn_cond_format_node_op_k},
    {"terms-agree", SCN_C_TERMS_AGREE, SCN_KIND(SCN_C_TERMS_AGREE), false, "terms-agree",
     "all live nodes are in the same term", NULL, scn_cond_eval_terms_agree, NULL},
    {"commit", SCN_C_COMMIT, SCN_KIND(SCN_C_COMMIT), false, "commit NODE OP K",
     "the node's commit index", scn_cond_parse_node_op_k, scn_cond_eval_commit,
     scn_cond_format_node_op_k},
    {"log", SCN_C_LOG, SCN_KIND(SCN_C_LOG), false, "log NODE OP K", "the node's last log index",
     scn_cond_parse_node_op_k, scn_cond_eval_log, scn_cond_format_node_op_k},
    {"snapshot", SCN_C_SNAPSHOT, SCN_KIND(SCN_C_SNAPSHOT), false, "snapshot NODE OP K",
     "the last index the node's latest snapshot covers (0: none)", scn_cond_parse_node_op_k,
     scn_cond_eval_snapshot, scn_cond_format_node_op_k},
    {"votes", SCN_C_VOTES, SCN_KIND(SCN_C_VOTES), false, "votes NODE OP K",
     "votes the node holds as candidate or leader in its term (itself included)",
     scn_cond_parse_node_op_k, scn_cond_eval_votes, scn_cond_format_node_op_k},
    {"committed", SCN_C_COMMITTED, SCN_KIND(SCN_C_COMMITTED), false,
     "committed KEY=VALUE on WHERE",
     "that command is in the node's log at an index <= its commit index",
     scn_cond_parse_kv_on, scn_cond_eval_kv, scn_cond_format_kv_on},
    {"logged", SCN_C_LOGGED, SCN_KIND(SCN_C_LOGGED), false, "logged KEY=VALUE on WHERE",
     "that command is in the node's log at all, committed or not", scn_cond_parse_kv_on,
     scn_cond_eval_kv, scn_cond_format_kv_on},
    {"value", SCN_C_VALUE, SCN_KIND(SCN_C_VALUE), false, "value NODE KEY ==|!= VALUE",
     "the node's applied key-value map holds KEY=VALUE", scn_cond_parse_value,
     scn_cond_eval_value, scn_cond_format_value},
    {"logs-match", SCN_C_LOGS_MATCH, SCN_KIND(SCN_C_LOGS_MATCH), false, "logs-match",
     "every live node's log is identical", NULL, scn_cond_eval_logs_match, NULL},
    {"acked-committed", SCN_C_ACKED, SCN_KIND(SCN_C_ACKED), false, "acked-committed",
     "every acknowledged client put is committed on every live node", NULL,
     scn_cond_eval_acked, NULL},
    {"sent", SCN_C_SENT, SCN_KIND(SCN_C_SENT), false, "sent OP K",
     "messages sent since the start", scn_cond_parse_op_k, scn_cond_eval_sent,
     scn_cond_format_op_k},
    {"up", SCN_C_UP, SCN_KIND(SCN_C_UP), false, "up NODE", "the node is running",
     scn_cond_parse_node, scn_cond_eval_up, scn_cond_format_node},
    {"linearizable", SCN_C_LINEARIZABLE, SCN_KIND(SCN_C_LINEARIZABLE), false, "linearizable",
     "the clients' history so far is linearizable", NULL, scn_cond_eval_linearizable, NULL},
    {"got", SCN_C_GOT, SCN_KIND(SCN_C_GOT), false, "got KEY ==|!= VALUE",
     "the latest client get KEY has been answered, with VALUE", scn_cond_parse_got,
     scn_cond_eval_got, scn_cond_format_got},
    {"waiting", SCN_C_WAITING, SCN_KIND(SCN_C_WAITING), false, "waiting OP K",
     "client requests not answered yet", scn_cond_parse_op_k, scn_cond_eval_waiting,
     scn_cond_format_op_k},
    {"members", SCN_C_MEMBERS, SCN_KIND(SCN_C_MEMBERS), false, "members ==|!= {..}",
     "the voters of the stable leader's configuration are exactly the set",
     scn_cond_parse_members, scn_cond_eval_members, scn_cond_format_members},
    {"learner", SCN_C_LEARNER, SCN_KIND(SCN_C_LEARNER), false, "learner NODE",
     "the node is a learner (it receives the log, does not vote) in the stable leader's "
     "configuration",
     scn_cond_parse_node, scn_cond_eval_learner, scn_cond_format_node},
    {"transferring", SCN_C_TRANSFERRING, SCN_KIND(SCN_C_TRANSFERRING), false, "transferring",
     "a live leader is handing leadership over (it takes no new writes)", NULL,
     scn_cond_eval_transferring, NULL},
};

#define COND_ROWS (sizeof cond_descs / sizeof cond_descs[0])

const struct scn_cond_desc *scn_cond_descs(size_t *count)
{
	*count = COND_ROWS;
	return cond_descs;
}

const struct scn_cond_desc *scn_cond_desc_of(enum scn_cond_kind kind)
{
	for (size_t i = 0; i < COND_ROWS; i++)
		if (cond_descs[i].kinds & SCN_KIND(kind))
			return &cond_descs[i];
	abort(); /* every kind has its row: tests/test_scn_parse.c checks it */
}

const struct scn_cond_desc *scn_cond_desc_negated(enum scn_cond_kind kind)
{
	for (size_t i = 0; i < COND_ROWS; i++)
		if (cond_descs[i].negated && cond_descs[i].kind == kind)
			return &cond_descs[i];
	return NULL;
}

size_t scn_cond_words(const char **words, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < COND_ROWS && n + 1 < cap; i++) {
		if (cond_descs[i].name)
			words[n++] = cond_descs[i].name;
		else
			for (unsigned r = 0; r < RAFT_ROLES && n + 1 < cap; r++)
				words[n++] = raft_role_desc(r)->plural;
	}
	if (n < cap)
		words[n] = NULL;
	return n;
}
