/* bench.c - benchmarks for `raftsim bench`: software-rendered frame times, and one step back deep into a busy run. */
#include "msglog.h"
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* A cluster with at least min_msgs in flight: slow links, a fast
 * heartbeat and a client writing steadily. */
/* The diagram's records of a bench run, fed by the simulator's trace as
 * the window's history feeds them. */
struct bench_log {
	struct render_msglog log;
	uint64_t seq;
};

static void bench_trace(void *ctx, const struct sim_trace *t)
{
	struct bench_log *b = ctx;
	b->seq++;
	render_msglog_trace(&b->log, NULL, t, b->seq, true);
}

static struct sim *busy_sim(int nodes, int min_msgs, uint64_t *puts, struct bench_log *log)
{
	struct sim_config c;
	sim_config_default(&c);
	c.nodes = (uint16_t)nodes;
	c.seed = 7;
	c.latency_us_min = 250000;
	c.latency_us_max = 450000;
	c.heartbeat_us = 12000;
	c.election_us_min = 2000000;
	c.election_us_max = 3000000;
	c.client_retry_us = 5000000;
	struct sim *s = sim_new(&c);
	if (!s)
		return NULL;
	if (log)
		sim_set_trace(s, bench_trace, log);
	char cmd[32];
	for (int64_t t = 0; t < 30000000; t += 20000) {
		if (sim_run_until(s, t) != SIM_OK)
			break;
		if (sim_stable_leader(s)) {
			snprintf(cmd, sizeof cmd, "k%llu=%llu", (unsigned long long)(*puts % 50),
			         (unsigned long long)*puts);
			(*puts)++;
			sim_client_put(s, cmd, strlen(cmd), 0);
			if (sim_msgs_in_flight(s) >= (size_t)min_msgs && t > 6000000)
				return s;
		}
	}
	if (sim_msgs_in_flight(s) >= (size_t)min_msgs)
		return s;
	sim_free(s);
	return NULL;
}

int render_bench_frames(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                        double *p50_ms, double *p99_ms)
{
	return render_bench_frames_diagram(frames, w, h, nodes, min_msgs_in_flight, false, p50_ms,
	                                   p99_ms);
}

static int bench_frames(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                        bool diagram, bool clients, double *p50_ms, double *p99_ms);

int render_bench_frames_diagram(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                                bool diagram, double *p50_ms, double *p99_ms)
{
	return bench_frames(frames, w, h, nodes, min_msgs_in_flight, diagram, false, p50_ms, p99_ms);
}

int render_bench_frames_clients(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                                double *p50_ms, double *p99_ms)
{
	return bench_frames(frames, w, h, nodes, min_msgs_in_flight, false, true, p50_ms, p99_ms);
}

static int bench_frames(int frames, int w, int h, int nodes, int min_msgs_in_flight,
                        bool diagram, bool clients, double *p50_ms, double *p99_ms)
{
	/* the client timeline's history and verdict, kept as the window keeps
	 * them (and brought up to date inside the timed frame) */
	struct render_clients_state st = {0};
	struct bench_log log;
	memset(&log, 0, sizeof log);
	char err[512];
	if (frames < 1 || nodes < 1 || nodes > RENDER_NODES_MAX)
		return -1;
	if (render_headless_init(err, sizeof err) != 0) {
		fprintf(stderr, "raftsim: bench: %s\n", err);
		return -1;
	}
	int rc = -1;
	double *ms = calloc((size_t)frames, sizeof *ms);
	uint64_t puts = 0;
	struct sim *s = busy_sim(nodes, min_msgs_in_flight, &puts, diagram ? &log : NULL);
	struct render_offscreen *o = render_offscreen_new(w, h, err, sizeof err);
	if (!ms || !s || !o) {
		if (!o)
			fprintf(stderr, "raftsim: bench: %s\n", err);
		else if (!s)
			fprintf(stderr, "raftsim: bench: could not get %d messages in flight\n",
			        min_msgs_in_flight);
		goto out;
	}
	if (diagram) {
		/* what is measured is a frame with the diagram in it, busy */
		struct render_layout l;
		render_layout_compute_view(&l, w, h, (unsigned)nodes, true);
		if (l.diagram.w <= 0 || l.diagram.h <= 0 || log.log.n_msgs < (size_t)min_msgs_in_flight) {
			fprintf(stderr, "raftsim: bench: the diagram would not be drawn (%zu messages)\n",
			        log.log.n_msgs);
			goto out;
		}
	}
	size_t min_seen = (size_t)-1;
	char cmd[32];
	for (int i = 0; i < frames; i++) {
		/* about 1/20 of real time at 60 fps, as in the window */
		sim_run_until(s, sim_now_us(s) + 833);
		if (i % 24 == 0) {
			snprintf(cmd, sizeof cmd, "k%llu=%llu", (unsigned long long)(puts % 50),
			         (unsigned long long)puts);
			puts++;
			sim_client_put(s, cmd, strlen(cmd), 0);
		}
		if (sim_msgs_in_flight(s) < min_seen)
			min_seen = sim_msgs_in_flight(s);
		struct render_frame f = {.sim = s,
		                         .title = "bench",
		                         .say = "Rendering benchmark: nine nodes, hundreds of messages",
		                         .event = "n1 sends entries to every follower",
		                         .event_kind = -1,
		                         .playing = true,
		                         .speed = 1.0 / 20,
		                         .selected = 1,
		                         .interactive = true,
		                         .diagram = diagram,
		                         .msgs = log.log.msgs,
		                         .n_msgs = log.log.n_msgs,
		                         .life = log.log.life,
		                         .n_life = log.log.n_life,
		                         .seq = log.seq};
		f.clients = clients;
		f.clients_st = clients ? &st : NULL;
		double t0 = render_wall_seconds();
		if (clients)
			render_clients_state_update(&st, s);
		render_offscreen_draw(o, &f);
		ms[i] = (render_wall_seconds() - t0) * 1000.0;
	}
	qsort(ms, (size_t)frames, sizeof *ms, cmp_double);
	*p50_ms = ms[(size_t)frames / 2];
	*p99_ms = ms[(size_t)((double)frames * 0.99) < (size_t)frames ? (size_t)((double)frames * 0.99)
	                                                               : (size_t)frames - 1];
	if (min_seen < (size_t)min_msgs_in_flight)
		fprintf(stderr, "raftsim: bench: note: in flight dipped to %zu during the run\n",
		        min_seen);
	rc = 0;
out:
	render_offscreen_free(o);
	if (s)
		sim_free(s);
	render_msglog_free(&log.log);
	render_clients_state_free(&st);
	free(ms);
	render_headless_quit();
	return rc;
}

/* The history of a generated script (text, n bytes; freed here), or NULL
 * after saying why. */
static struct render_history *bench_history(const char *name, char *text, size_t n)
{
	char err[SCN_ERR_MAX];
	struct scn_script *sc = scn_parse(name, text, n, err, sizeof err);
	free(text);
	if (!sc) {
		fprintf(stderr, "raftsim: bench: %s\n", err);
		return NULL;
	}
	struct render_history *h = render_history_new(sc, NULL, NULL, err, sizeof err);
	scn_script_free(sc);
	if (!h)
		fprintf(stderr, "raftsim: bench: %s\n", err);
	return h;
}

int render_bench_step_back(double *ms)
{
	/* 5 nodes, heartbeats every 20 ms and 100 client writes a second for
	 * ten virtual minutes: 60000 entries, about 900000 events */
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);
	if (!text)
		return -1;
	n += (size_t)snprintf(text + n, cap - n,
	                      "title \"bench: a busy run\"\ncluster nodes=5 seed=3\n"
	                      "set heartbeat=20ms\nrun until leader within 10s\n");
	for (int i = 0; i < 600 && n < cap - 64; i++)
		n += (size_t)snprintf(text + n, cap - n, "client putmany 100 k%d\nrun 1s\n", i);
	struct render_history *h = bench_history("bench.scn", text, n);
	if (!h)
		return -1;
	int rc = -1;
	int st = render_history_advance(h, 600LL * 1000000, true);
	if (st == SCN_FAILED || render_history_now_us(h) < 600LL * 1000000) {
		fprintf(stderr, "raftsim: bench: the busy run stopped early: %s\n",
		        render_history_error(h));
		goto out;
	}
	/* as in the window: a step forward, then back */
	render_history_step(h);
	uint64_t e = render_history_events(h);
	double t0 = render_wall_seconds();
	int back = render_history_step_back(h);
	*ms = (render_wall_seconds() - t0) * 1000.0;
	if (back < 0 || render_history_events(h) != e - 1) {
		fprintf(stderr, "raftsim: bench: step back did not land on event %llu\n",
		        (unsigned long long)(e - 1));
		goto out;
	}
	rc = 0;
out:
	render_history_free(h);
	return rc;
}

int render_bench_seek(double *p99_ms, double *max_ms, size_t *slices)
{
	/* the busy 15-node cluster of tests/e2e_seek.sh: client writes, crashes,
	 * restarts and a cut link, 500 ms apart */
	size_t cap = 64 * 1024, n = 0;
	char *text = malloc(cap);
	if (!text)
		return -1;
	n += (size_t)snprintf(text + n, cap - n,
	                      "title \"bench: a busy 15-node cluster\"\ncluster nodes=15 seed=7\n"
	                      "set heartbeat=20ms latency=2..10ms drop=1%%\n"
	                      "run until leader within 10s\n");
	for (int i = 1; i <= 480 && n < cap - 128; i++) {
		n += (size_t)snprintf(text + n, cap - n, "client putmany 40 k%d\nrun 500ms\n", i);
		if (i % 40 == 10)
			n += (size_t)snprintf(text + n, cap - n, "crash n%d\n", i / 40 + 2);
		else if (i % 40 == 20)
			n += (size_t)snprintf(text + n, cap - n, "restart n%d\n", i / 40 + 2);
		else if (i % 40 == 30)
			n += (size_t)snprintf(text + n, cap - n, "cut n3<->n9\n");
		else if (i % 40 == 35)
			n += (size_t)snprintf(text + n, cap - n, "heal\n");
	}
	struct render_history *h = bench_history("seek.scn", text, n);
	if (!h)
		return -1;
	int rc = -1;
	size_t cap_ms = 1 << 16, k = 0;
	double *ms = malloc(cap_ms * sizeof *ms);
	/* as the window does: out to 20 s first, then a seek 20 s -> 50 s in
	 * slices of 100 events (the window runs slices for 16 ms a frame) */
	if (!ms || render_history_seek(h, 20LL * 1000000) < 0 ||
	    render_history_seek_begin(h, 50LL * 1000000) != 0)
		goto out;
	int more = 1, result = 0;
	while (more == 1 && k < cap_ms) {
		double t0 = render_wall_seconds();
		more = render_history_work(h, 100, &result);
		ms[k++] = (render_wall_seconds() - t0) * 1000.0;
	}
	if (more != 0 || render_history_now_us(h) != 50LL * 1000000) {
		fprintf(stderr, "raftsim: bench: the seek did not reach 50 s\n");
		goto out;
	}
	qsort(ms, k, sizeof *ms, cmp_double);
	*max_ms = ms[k - 1];
	*p99_ms = ms[(size_t)((double)k * 0.99) < k ? (size_t)((double)k * 0.99) : k - 1];
	*slices = k;
	rc = 0;
out:
	free(ms);
	render_history_free(h);
	return rc;
}

int render_bench_idle_cpu(double seconds, double *pct)
{
	static const char text[] = "title \"bench: a paused window\"\ncluster nodes=5 seed=1\n"
	                           "run until leader within 10s\nsay \"Paused: nothing moves.\"\n"
	                           "pause\nrun 10s\n";
	char err[SCN_ERR_MAX];
	struct scn_script *sc = scn_parse("idle.scn", text, sizeof text - 1, err, sizeof err);
	if (!sc) {
		fprintf(stderr, "raftsim: bench: %s\n", err);
		return 1;
	}
	*pct = -1;
	struct render_view_options o = {
	    .path = "idle.scn", .quit_after_s = seconds + 1, .idle_cpu = pct};
	int rc = render_view_run(sc, &o);
	scn_script_free(sc);
	return rc;
}
