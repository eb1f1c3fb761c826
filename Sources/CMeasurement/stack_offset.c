/* Calls a function from a frame moved down the stack by a chosen number of bytes
 * (measurement_support.h). */
#include "measurement_support.h"

#include <alloca.h>

void mx_call_with_stack_offset(size_t bytes, void (*function)(void *), void *context) {
    volatile char *moved = alloca(bytes + 1);
    moved[0] = 0; /* the allocation is used, so it stays */
    function(context);
    mx_escape((const void *)moved); /* and is live until the call has returned */
}
