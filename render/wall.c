/* wall.c - the monotonic wall clock, read only by the window's main loop and the benchmarks. */
#include "render.h"

#include <time.h>

double render_wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
