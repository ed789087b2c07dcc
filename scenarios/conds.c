/* conds.c - the table of scenario conditions: every condition's first word, its kind, its syntax and what it tests.  The parser's "did you mean" and its list of conditions come from here; a test keeps docs/scenarios.md's table in step. */
#include "scn_internal.h"

#include <string.h>

/* One row per first word.  The role-counting words (leaders, candidates,
 * followers, ...) come from raft's role table, so a new role is countable
 * without a row here. */
static const struct scn_cond_desc cond_descs[] = {
    {"leader", SCN_C_LEADER, "leader | leader ==|!= NODE | leader in {..}",
     "there is a stable leader (and it is, or is not, NODE; or it is in the set)"},
    {"no-leader", SCN_C_LEADER, "no-leader", "there is no stable leader (same as not leader)"},
    {"role", SCN_C_ROLE, "role NODE ==|!= ROLE", "the node's role"},
    {"term", SCN_C_TERM, "term NODE OP K", "the node's current term"},
    {"terms-agree", SCN_C_TERMS_AGREE, "terms-agree", "all live nodes are in the same term"},
    {"commit", SCN_C_COMMIT, "commit NODE OP K", "the node's commit index"},
    {"log", SCN_C_LOG, "log NODE OP K", "the node's last log index"},
    {"snapshot", SCN_C_SNAPSHOT, "snapshot NODE OP K",
     "the last index the node's latest snapshot covers (0: none)"},
    {"votes", SCN_C_VOTES, "votes NODE OP K",
     "votes the node holds as candidate or leader in its term (itself included)"},
    {"committed", SCN_C_COMMITTED, "committed KEY=VALUE on WHERE",
     "that command is in the node's log at an index <= its commit index"},
    {"logged", SCN_C_LOGGED, "logged KEY=VALUE on WHERE",
     "that command is in the node's log at all, committed or not"},
    {"value", SCN_C_VALUE, "value NODE KEY ==|!= VALUE",
     "the node's applied key-value map holds KEY=VALUE"},
    {"logs-match", SCN_C_LOGS_MATCH, "logs-match", "every live node's log is identical"},
    {"acked-committed", SCN_C_ACKED, "acked-committed",
     "every acknowledged client put is committed on every live node"},
    {"sent", SCN_C_SENT, "sent OP K", "messages sent since the start"},
    {"up", SCN_C_UP, "up NODE", "the node is running"},
    {"linearizable", SCN_C_LINEARIZABLE, "linearizable",
     "the clients' history so far is linearizable"},
    {"got", SCN_C_GOT, "got KEY ==|!= VALUE",
     "the latest client get KEY has been answered, with VALUE"},
    {"waiting", SCN_C_WAITING, "waiting OP K", "client requests not answered yet"},
};

const struct scn_cond_desc *scn_cond_descs(size_t *count)
{
	*count = sizeof cond_descs / sizeof cond_descs[0];
	return cond_descs;
}

const char *scn_cond_name(enum scn_cond_kind kind)
{
	for (size_t i = 0; i < sizeof cond_descs / sizeof cond_descs[0]; i++)
		if (cond_descs[i].kind == kind)
			return cond_descs[i].name;
	return NULL; /* SCN_C_COUNT: the role's plural */
}

size_t scn_cond_words(const char **words, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof cond_descs / sizeof cond_descs[0] && n + 1 < cap; i++) {
		words[n++] = cond_descs[i].name;
		if (cond_descs[i].kind == SCN_C_LEADER && !strcmp(cond_descs[i].name, "no-leader"))
			for (unsigned r = 0; r < RAFT_ROLES && n + 1 < cap; r++)
				words[n++] = raft_role_desc(r)->plural;
	}
	if (n < cap)
		words[n] = NULL;
	return n;
}
