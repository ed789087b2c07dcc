/* queue.c - the event queue: a binary min-heap ordered by (time, seq). */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

static inline bool ev_before(const struct sim_event *a, const struct sim_event *b)
{
	return a->time_us < b->time_us || (a->time_us == b->time_us && a->seq < b->seq);
}

int sim_queue_push(struct sim_queue *q, int64_t time_us, uint8_t kind, uint8_t node,
                   uint32_t arg, uint16_t gen)
{
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct sim_event *ev = realloc(q->ev, cap * sizeof *ev);
		if (!ev)
			return SIM_ENOMEM;
		q->ev = ev;
		q->cap = cap;
	}
	struct sim_event e = {.time_us = time_us, .seq = q->next_seq++, .arg = arg,
	                      .gen = gen, .kind = kind, .node = node};
	size_t i = q->n++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!ev_before(&e, &q->ev[parent]))
			break;
		q->ev[i] = q->ev[parent];
		i = parent;
	}
	q->ev[i] = e;
	return SIM_OK;
}

bool sim_queue_pop(struct sim_queue *q, struct sim_event *out)
{
	if (q->n == 0)
		return false;
	*out = q->ev[0];
	struct sim_event last = q->ev[--q->n];
	size_t n = q->n, i = 0;
	for (;;) {
		size_t child = 2 * i + 1;
		if (child >= n)
			break;
		if (child + 1 < n && ev_before(&q->ev[child + 1], &q->ev[child]))
			child++;
		if (!ev_before(&q->ev[child], &last))
			break;
		q->ev[i] = q->ev[child];
		i = child;
	}
	if (n > 0)
		q->ev[i] = last;
	return true;
}

int sim_queue_copy(struct sim_queue *dst, const struct sim_queue *src)
{
	*dst = *src;
	dst->ev = NULL;
	if (src->cap) {
		dst->ev = malloc(src->cap * sizeof *dst->ev);
		if (!dst->ev)
			return SIM_ENOMEM;
		memcpy(dst->ev, src->ev, src->n * sizeof *dst->ev);
	}
	return SIM_OK;
}

void sim_queue_free(struct sim_queue *q)
{
	free(q->ev);
	memset(q, 0, sizeof *q);
}
