/* vocab.c - the vocabulary of a node: one table of message types, one of roles.  The trace, the scenario language and the window read their names here. */
#include "raft.h"

#include <string.h>

/* Every switch over these enums names every case (meson builds raft/ with
 * -Wswitch-enum); the tables are indexed by the enum, and the static
 * asserts below fail when an entry is missing. */
static const struct raft_msg_desc msg_descs[] = {
    [RAFT_MSG_VOTE] = {"RequestVote", "RequestVote", false, RAFT_MSG_VOTE_REPLY,
                       "a candidate asks for a vote"},
    [RAFT_MSG_VOTE_REPLY] = {"RequestVoteReply", "Vote", true, RAFT_MSG_VOTE,
                             "a vote granted or refused"},
    [RAFT_MSG_APPEND] = {"AppendEntries", "AppendEntries", false, RAFT_MSG_APPEND_REPLY,
                         "the leader sends entries, or a heartbeat"},
    [RAFT_MSG_APPEND_REPLY] = {"AppendEntriesReply", "AppendEntriesReply", true,
                               RAFT_MSG_APPEND, "a follower's log matched, or did not"},
    [RAFT_MSG_SNAPSHOT] = {"InstallSnapshot", "InstallSnapshot", false, RAFT_MSG_APPEND_REPLY,
                           "the leader sends its snapshot instead of compacted entries"},
    [RAFT_MSG_PREVOTE] = {"PreVote", "PreVote", false, RAFT_MSG_PREVOTE_REPLY,
                          "a pre-candidate asks whether it could win, without raising its term"},
    [RAFT_MSG_PREVOTE_REPLY] = {"PreVoteReply", "PreVoteReply", true, RAFT_MSG_PREVOTE,
                                "a pre-vote granted or refused"},
    /* one-way: pair is itself (the target's RequestVote follows) */
    [RAFT_MSG_TIMEOUT_NOW] = {"TimeoutNow", "TimeoutNow", false, RAFT_MSG_TIMEOUT_NOW,
                              "the leader hands over: the target starts an election at once"},
};
_Static_assert(sizeof msg_descs / sizeof msg_descs[0] == RAFT_MSG_TYPES,
               "one descriptor per message type");

static const struct raft_role_desc role_descs[] = {
    [RAFT_FOLLOWER] = {"follower", "followers", "answers the leader and candidates"},
    [RAFT_CANDIDATE] = {"candidate", "candidates", "asks for votes in a new term"},
    [RAFT_LEADER] = {"leader", "leaders", "replicates the log and sends heartbeats"},
    [RAFT_PRECANDIDATE] = {"precandidate", "precandidates",
                           "asks for pre-votes before it raises its term"},
};
_Static_assert(sizeof role_descs / sizeof role_descs[0] == RAFT_ROLES,
               "one descriptor per role");

const struct raft_msg_desc *raft_msg_desc(unsigned type)
{
	if (type >= RAFT_MSG_TYPES || msg_descs[type].name == NULL)
		return NULL;
	return &msg_descs[type];
}

const struct raft_role_desc *raft_role_desc(unsigned role)
{
	if (role >= RAFT_ROLES || role_descs[role].name == NULL)
		return NULL;
	return &role_descs[role];
}

const char *raft_role_name(enum raft_role r)
{
	const struct raft_role_desc *d = raft_role_desc((unsigned)r);
	return d ? d->name : "?";
}

const char *raft_msg_type_name(enum raft_msg_type t)
{
	const struct raft_msg_desc *d = raft_msg_desc((unsigned)t);
	return d ? d->name : "?";
}

int raft_role_from_name(const char *name, size_t len, bool plural)
{
	for (unsigned r = 0; r < RAFT_ROLES; r++) {
		const char *w = plural ? role_descs[r].plural : role_descs[r].name;
		if (strlen(w) == len && memcmp(w, name, len) == 0)
			return (int)r;
	}
	return -1;
}
