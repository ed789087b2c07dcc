/* clock.c - each node's own clock: virtual time with a jump (offset) and a rate, so a skewed node's timers fire early or late; integer arithmetic only. */
#include "sim_internal.h"

#include <stdio.h>

void sim_clock_init(struct sim_clock *c)
{
	c->base_us = 0;
	c->local_us = 0;
	c->rate_ppm = SIM_PPM;
}

/* d * rate / 1e6 without overflow for d up to hours and rates up to 1000x:
 * d = q * 1e6 + r. */
static int64_t scale_up(int64_t d, uint32_t rate_ppm)
{
	int64_t q = d / SIM_PPM, r = d % SIM_PPM;
	return q * rate_ppm + r * rate_ppm / SIM_PPM;
}

int64_t sim_clock_local(const struct sim_clock *c, int64_t virtual_us)
{
	if (c->rate_ppm == SIM_PPM) /* the common case, exactly virtual time */
		return c->local_us + (virtual_us - c->base_us);
	return c->local_us + scale_up(virtual_us - c->base_us, c->rate_ppm);
}

int64_t sim_clock_virtual(const struct sim_clock *c, int64_t local_us)
{
	if (local_us == INT64_MAX)
		return INT64_MAX;
	int64_t x = local_us - c->local_us;
	if (x <= 0)
		return c->base_us; /* already due */
	if (c->rate_ppm == SIM_PPM)
		return c->base_us + x;
	/* the first virtual time whose reading is >= local_us: ceil(x * 1e6 /
	 * rate), x = q * rate + r */
	int64_t q = x / c->rate_ppm, r = x % c->rate_ppm;
	int64_t v = c->base_us + q * SIM_PPM + (r * SIM_PPM + c->rate_ppm - 1) / c->rate_ppm;
	while (v > c->base_us && sim_clock_local(c, v - 1) >= local_us)
		v--; /* (rounding of the forward map) */
	while (sim_clock_local(c, v) < local_us)
		v++;
	return v;
}

void sim_clock_skew(struct sim_clock *c, int64_t now_us, int64_t jump_us, uint32_t rate_ppm)
{
	c->local_us = sim_clock_local(c, now_us) + jump_us;
	c->base_us = now_us;
	if (rate_ppm)
		c->rate_ppm = rate_ppm;
}

int64_t sim_node_clock_us(const struct sim *s, uint8_t i)
{
	return sim_clock_local(&s->nodes[i].clock, s->now_us);
}

uint32_t sim_node_rate_ppm(const struct sim *s, uint8_t i)
{
	return s->nodes[i].clock.rate_ppm;
}

int64_t sim_lease_us(const struct sim_config *c)
{
	if (c->bugs & RAFT_BUG_LEASE_SKEW)
		return c->election_us_min; /* the bug: as if clocks never drifted */
	return c->election_us_min * 100 / (100 + (int64_t)c->drift_pct);
}

int64_t sim_lease_left_us(const struct sim *s, uint8_t i)
{
	const struct sim_nodestate *ns = &s->nodes[i];
	if (!ns->up || s->cfg.reads != SIM_READS_LEASE)
		return 0;
	int64_t start = raft_lease_start_us(ns->raft);
	if (start == INT64_MIN)
		return 0;
	int64_t left = start + sim_lease_us(&s->cfg) - sim_node_clock_us(s, i);
	return left > 0 ? left : 0;
}

int sim_skew(struct sim *s, uint8_t i, int64_t jump_us, uint32_t rate_ppm)
{
	if (!sim_valid_node(s, i) || jump_us < -SIM_HOUR_US || jump_us > SIM_HOUR_US ||
	    (rate_ppm && (rate_ppm < SIM_SKEW_RATE_PPM_MIN || rate_ppm > SIM_SKEW_RATE_PPM_MAX)))
		return SIM_EINVAL;
	if (s->stopped)
		return SIM_ESTOPPED;
	struct sim_nodestate *ns = &s->nodes[i];
	sim_clock_skew(&ns->clock, s->now_us, jump_us, rate_ppm);
	if (s->trace_fn) {
		struct sim_trace t = {.kind = SIM_T_SKEW, .node = i, .skew_us = jump_us,
		                      .rate_ppm = ns->clock.rate_ppm,
		                      .clock_us = sim_clock_local(&ns->clock, s->now_us)};
		sim_emit(s, &t);
	}
	/* its timers now fire at other virtual times: re-arm */
	if (ns->up) {
		ns->timer_gen++;
		ns->timer_at = INT64_MAX;
		sim_node_rearm(s, i);
	}
	return SIM_OK;
}
