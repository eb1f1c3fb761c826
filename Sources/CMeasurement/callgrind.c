/* Callgrind client requests: switch instruction counting on and off around the calls being
 * measured, and dump one labelled part per case. Outside valgrind every request is a no-op
 * (a few instructions). Without valgrind's headers the requests compile to nothing. */
#include "measurement_support.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define MX_HAVE_VALGRIND_HEADERS 1
#endif
#endif

void mx_callgrind_toggle_collect(void) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    CALLGRIND_TOGGLE_COLLECT;
#endif
}

void mx_callgrind_dump(const char *label) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    CALLGRIND_DUMP_STATS_AT(label);
#else
    (void)label;
#endif
}

void mx_callgrind_zero(void) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    CALLGRIND_ZERO_STATS;
#endif
}

void mx_callgrind_start_instrumentation(void) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    CALLGRIND_START_INSTRUMENTATION;
#endif
}

void mx_callgrind_stop_instrumentation(void) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    CALLGRIND_STOP_INSTRUMENTATION;
#endif
}

int mx_running_on_valgrind(void) {
#ifdef MX_HAVE_VALGRIND_HEADERS
    return RUNNING_ON_VALGRIND ? 1 : 0;
#else
    return 0;
#endif
}
