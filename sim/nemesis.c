/* nemesis.c - per-seed fault mixes and the action streams drawn from them. */
#include "nemesis.h"

#include "sim_internal.h"

#include <stdio.h>
#include <string.h>

#define MS 1000LL

static uint32_t pick(uint64_t *rng, uint32_t lo, uint32_t hi)
{
	return (uint32_t)sim_rand_range(rng, lo, hi);
}

void sim_nemesis_init(struct sim_nemesis *n, uint64_t seed, uint16_t nodes)
{
	memset(n, 0, sizeof *n);
	n->rng = seed * 0x2545f4914f6cdd1dull + 0x632be59bd9b4e019ull;
	sim_rand_next(&n->rng);
	n->nodes = nodes;
	uint64_t *r = &n->rng;
	/* swarm testing: some seeds leave a fault kind out entirely */
	n->w_crash = pick(r, 0, 3) ? pick(r, 1, 10) : 0;
	n->w_restart = n->w_crash ? pick(r, 5, 15) : 0;
	n->w_timeout = pick(r, 0, 5);
	n->w_partition = pick(r, 0, 2) ? pick(r, 1, 10) : 0;
	n->w_isolate = pick(r, 0, 2) ? pick(r, 1, 6) : 0;
	n->w_cut = pick(r, 0, 2) ? pick(r, 1, 8) : 0;
	n->w_heal = pick(r, 3, 12);
	n->w_put = pick(r, 5, 30);
	n->gap_us_min = pick(r, 5, 100) * MS;
	n->gap_us_max = n->gap_us_min + pick(r, 0, 1500) * MS;
	n->drop_ppm = pick(r, 0, 2) ? pick(r, 0, 250000) : 0;
	n->dup_ppm = pick(r, 0, 2) ? pick(r, 0, 250000) : 0;
	n->latency_us_min = pick(r, 1, 20) * MS;
	n->latency_us_max = n->latency_us_min + pick(r, 0, 60) * MS;
	/* drawn from a stream of their own, so seeds without spikes keep the
	 * schedules they had before spikes existed */
	uint64_t sr = seed * 0x9e3779b97f4a7c15ull + 0x5851f42d4c957f2dull;
	sim_rand_next(&sr);
	if (pick(&sr, 0, 1) == 0) {
		n->w_spike = pick(&sr, 2, 12);
		n->spike_us_min = pick(&sr, 200, 1000) * MS;
		n->spike_us_max = n->spike_us_min + pick(&sr, 0, 2000) * MS;
	}
	if (pick(&sr, 0, 1) == 0)
		n->w_minority = pick(&sr, 1, 10);
	if (pick(&sr, 0, 1) == 0) {
		n->slow_ppm = pick(&sr, 1000, 50000);
		n->slow_us_min = pick(&sr, 200, 1000) * MS;
		n->slow_us_max = n->slow_us_min + pick(&sr, 0, 3000) * MS;
	}
}

/* The live leader of the highest term, 0 if none. */
static uint8_t newest_leader(const struct sim_nemesis *n, const struct sim *s)
{
	uint8_t best = 0;
	for (uint16_t i = 1; i <= n->nodes; i++) {
		const struct raft_node *r = sim_node(s, (uint8_t)i);
		if (sim_node_up(s, (uint8_t)i) && raft_role(r) == RAFT_LEADER &&
		    (!best || raft_term(r) > raft_term(sim_node(s, best))))
			best = (uint8_t)i;
	}
	return best;
}

static void set_network(const struct sim_nemesis *n, struct sim_action *out, bool spike)
{
	out->kind = SIM_A_SET;
	out->drop_ppm = n->drop_ppm;
	out->dup_ppm = n->dup_ppm;
	out->latency_us_min = spike ? n->spike_us_min : n->latency_us_min;
	out->latency_us_max = spike ? n->spike_us_max : n->latency_us_max;
	out->slow_ppm = n->slow_ppm;
	out->slow_us_min = n->slow_us_min;
	out->slow_us_max = n->slow_us_max;
}

static uint8_t any_node(struct sim_nemesis *n)
{
	return (uint8_t)pick(&n->rng, 1, n->nodes);
}

static uint8_t node_where(struct sim_nemesis *n, const struct sim *s, bool up)
{
	uint8_t start = any_node(n);
	for (uint16_t k = 0; k < n->nodes; k++) {
		uint8_t i = (uint8_t)((start - 1 + k) % n->nodes + 1);
		if (sim_node_up(s, i) == up)
			return i;
	}
	return 0;
}

/* The live node that believes it leads in the oldest term, if another
 * believes it leads in a newer one; 0 if not. */
static uint8_t deposed_leader(const struct sim_nemesis *n, const struct sim *s)
{
	uint8_t oldest = 0;
	unsigned leaders = 0;
	for (uint16_t i = 1; i <= n->nodes; i++) {
		const struct raft_node *r = sim_node(s, (uint8_t)i);
		if (!sim_node_up(s, (uint8_t)i) || raft_role(r) != RAFT_LEADER)
			continue;
		leaders++;
		if (!oldest || raft_term(r) < raft_term(sim_node(s, oldest)))
			oldest = (uint8_t)i;
	}
	return leaders > 1 ? oldest : 0;
}

void sim_nemesis_next(struct sim_nemesis *n, const struct sim *s, struct sim_action *out)
{
	memset(out, 0, sizeof *out);
	if (!n->set_done) {
		n->set_done = true;
		set_network(n, out, false);
		return;
	}
	if (n->get_key[0]) {
		out->kind = SIM_A_GET;
		snprintf(out->cmd, sizeof out->cmd, "%s", n->get_key);
		n->get_key[0] = '\0';
		if (n->gets_to_deposed)
			out->a = deposed_leader(n, s);
		return;
	}
	if (n->pending_run) {
		n->pending_run = false;
		out->kind = SIM_A_RUN;
		/* a spike lasts one short run: what is sent in it arrives late */
		out->us = n->spike_phase == 1 ? pick(&n->rng, 1, 40) * MS
		                              : sim_rand_range(&n->rng, n->gap_us_min, n->gap_us_max);
		if (n->spike_phase == 1)
			n->spike_phase = 2;
		return;
	}
	n->pending_run = true;
	if (n->spike_phase == 2) {
		n->spike_phase = 0;
		set_network(n, out, false);
		return;
	}
	uint32_t total = n->w_crash + n->w_restart + n->w_timeout + n->w_partition + n->w_isolate +
	                 n->w_cut + n->w_heal + n->w_put + n->w_spike + n->w_minority;
	uint32_t x = pick(&n->rng, 0, total - 1);
	unsigned up = 0;
	for (uint16_t i = 1; i <= n->nodes; i++)
		up += sim_node_up(s, (uint8_t)i);
	if (x < n->w_crash) {
		uint8_t a = node_where(n, s, true);
		if (a && up > 1) {
			out->kind = SIM_A_CRASH;
			out->a = a;
			return;
		}
	} else if ((x -= n->w_crash) < n->w_restart) {
		uint8_t a = node_where(n, s, false);
		if (a) {
			out->kind = SIM_A_RESTART;
			out->a = a;
			return;
		}
	} else if ((x -= n->w_restart) < n->w_timeout) {
		uint8_t a = node_where(n, s, true);
		if (a) {
			out->kind = SIM_A_TIMEOUT;
			out->a = a;
			return;
		}
	} else if ((x -= n->w_timeout) < n->w_partition) {
		out->kind = SIM_A_PARTITION;
		uint8_t groups = (uint8_t)pick(&n->rng, 2, 3);
		for (uint16_t i = 0; i < n->nodes; i++)
			out->group[i] = (uint8_t)pick(&n->rng, 1, groups);
		return;
	} else if ((x -= n->w_partition) < n->w_isolate) {
		out->kind = SIM_A_ISOLATE;
		out->a = any_node(n);
		return;
	} else if ((x -= n->w_isolate) < n->w_cut) {
		out->a = any_node(n);
		out->b = any_node(n);
		if (out->a != out->b) {
			uint32_t k = pick(&n->rng, 0, 2);
			out->kind = k == 0 ? SIM_A_CUT : k == 1 ? SIM_A_CUT_BOTH : SIM_A_MEND_BOTH;
			return;
		}
	} else if ((x -= n->w_cut) < n->w_heal) {
		out->kind = SIM_A_HEAL;
		return;
	} else if ((x -= n->w_heal) < n->w_spike) {
		n->spike_phase = 1;
		set_network(n, out, true);
		return;
	} else if ((x -= n->w_spike) < n->w_minority) {
		uint8_t l = newest_leader(n, s);
		if (l && n->nodes >= 3) {
			out->kind = SIM_A_PARTITION;
			for (uint16_t i = 0; i < n->nodes; i++)
				out->group[i] = 2;
			out->group[l - 1] = 1;
			/* up to (nodes-1)/2 - 1 followers go with it */
			uint32_t k = pick(&n->rng, 0, (uint32_t)(n->nodes - 1) / 2 - 1);
			for (uint32_t j = 0; j < k; j++)
				out->group[pick(&n->rng, 1, n->nodes) - 1] = 1;
			return;
		}
	}
	/* puts, and whatever could not be done above */
	out->kind = SIM_A_PUT;
	n->puts++;
	snprintf(out->cmd, sizeof out->cmd, "k%u=%u", (unsigned)pick(&n->rng, 1, 8), n->puts);
	if (n->gets) /* keys 1..8 in a fixed scramble */
		snprintf(n->get_key, sizeof n->get_key, "k%u", (unsigned)(n->puts * 5 % 8 + 1));
}

void sim_nemesis_calm(const struct sim_nemesis *n, struct sim_config *c)
{
	c->drop_ppm = c->dup_ppm = c->slow_ppm = 0;
	c->latency_us_min = n->latency_us_min;
	c->latency_us_max = n->latency_us_max;
}

int sim_action_apply(struct sim *s, const struct sim_action *a)
{
	switch (a->kind) {
	case SIM_A_RUN:
		return sim_run_until(s, sim_now_us(s) + a->us);
	case SIM_A_CRASH:
		return sim_crash(s, a->a);
	case SIM_A_RESTART:
		return sim_restart(s, a->a);
	case SIM_A_TIMEOUT:
		return sim_timeout(s, a->a);
	case SIM_A_PARTITION:
		return sim_partition(s, a->group, sim_n_nodes(s));
	case SIM_A_ISOLATE:
		return sim_isolate(s, a->a);
	case SIM_A_CUT:
		return sim_link_set(s, a->a, a->b, false);
	case SIM_A_CUT_BOTH:
	case SIM_A_MEND_BOTH:
		return sim_link_set_both(s, a->a, a->b, a->kind == SIM_A_MEND_BOTH);
	case SIM_A_HEAL:
		sim_heal(s);
		return SIM_OK;
	case SIM_A_PUT: {
		int64_t id = sim_client_put(s, a->cmd, strlen(a->cmd), 0);
		return id < 0 ? (int)id : SIM_OK;
	}
	case SIM_A_GET: {
		int64_t id = sim_client_get(s, a->cmd, strlen(a->cmd), a->a);
		return id < 0 ? (int)id : SIM_OK;
	}
	case SIM_A_SET: {
		struct sim_config c = *sim_config(s);
		c.drop_ppm = a->drop_ppm;
		c.dup_ppm = a->dup_ppm;
		c.latency_us_min = a->latency_us_min;
		c.latency_us_max = a->latency_us_max;
		if (a->slow_ppm) {
			c.slow_ppm = a->slow_ppm;
			c.slow_us_min = a->slow_us_min;
			c.slow_us_max = a->slow_us_max;
		}
		return sim_reconfigure(s, &c);
	}
	default:
		return SIM_EINVAL;
	}
}
