/* bugs.c - names of the teaching bugs, which switch off one rule each. */
#include "raft.h"

#include <string.h>

static const struct {
	const char *name;
	uint32_t bit;
} bugs[] = {
    {"commit-old-term", RAFT_BUG_COMMIT_OLD_TERM}, {"vote-twice", RAFT_BUG_VOTE_TWICE},
    {"no-log-check", RAFT_BUG_NO_LOG_CHECK},       {"no-truncate", RAFT_BUG_NO_TRUNCATE},
    {"forget-vote", RAFT_BUG_FORGET_VOTE},         {"no-step-down", RAFT_BUG_NO_STEP_DOWN},
    {"lazy-vote", RAFT_BUG_LAZY_VOTE},             {"keep-persisted", RAFT_BUG_KEEP_PERSISTED},
    {"snapshot-keeps-map", RAFT_BUG_SNAPSHOT_KEEPS_MAP}, {"stale-reply", RAFT_BUG_STALE_REPLY},
    {"match-from-next", RAFT_BUG_MATCH_FROM_NEXT}, {"stale-read", RAFT_BUG_STALE_READ},
    {"lease-skew", RAFT_BUG_LEASE_SKEW},
    {"config-before-noop", RAFT_BUG_CONFIG_BEFORE_NOOP},
};

uint32_t raft_bug_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
		if (!strcmp(name, bugs[i].name))
			return bugs[i].bit;
	return 0;
}

const char *raft_bug_name(uint32_t bit)
{
	for (size_t i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
		if (bugs[i].bit == bit)
			return bugs[i].name;
	return NULL;
}

const char *raft_bug_next(uint32_t *bits)
{
	for (size_t i = 0; i < sizeof bugs / sizeof bugs[0]; i++)
		if (*bits & bugs[i].bit) {
			*bits &= ~bugs[i].bit;
			return bugs[i].name;
		}
	*bits = 0; /* only unknown bits were left */
	return NULL;
}
