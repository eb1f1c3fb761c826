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

#if defined(__linux__)
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#endif

/* A helper process (a measuring worker, the Python helper) ends with its parent: the kernel sends
 * it SIGTERM when the parent dies, even by SIGKILL, so that none lives on as an orphan. Returns
 * 0, or -1 when the parent is already gone (the caller should exit). */
int mx_end_with_parent(void) {
#if defined(__linux__)
    const pid_t parent = getppid();
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) return 0;
    return getppid() != parent || parent == 1 ? -1 : 0;
#else
    return 0;
#endif
}
