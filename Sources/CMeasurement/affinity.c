/* CPU affinity: the gate's sampling workers run on one chosen CPU, so that the two builds they
 * compare never sit on CPUs that the host slows down differently. */
#define _GNU_SOURCE
#include "measurement_support.h"

#include <errno.h>
#include <sched.h>

int mx_pin_to_cpu(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0 ? 0 : errno;
}
