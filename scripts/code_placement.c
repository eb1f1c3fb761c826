/* Preloaded into every process of a sweep by scripts/code-placement: a measuring process (a
 * `jsa-bench sampling-worker`) writes where the kernel loaded its executable — the address of its
 * lowest mapping, page-aligned and drawn afresh per process by ASLR — as one line `PID ADDRESS`
 * (hex) to the file CODE_PLACEMENT_LOG names, appended with one write. Other processes write
 * nothing. Maps nothing and moves nothing: the executable and the buffers lie where they would
 * without it (the libraries one preloaded library further down). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether this process is a sampling worker: its second argument says so. */
static int is_sampling_worker(void) {
    char arguments[4096];
    int fd = open("/proc/self/cmdline", O_RDONLY);
    if (fd < 0) return 0;
    ssize_t got = read(fd, arguments, sizeof arguments - 1);
    close(fd);
    if (got <= 0) return 0;
    arguments[got] = 0;
    size_t first = strlen(arguments);
    return (ssize_t)first + 1 < got && strcmp(arguments + first + 1, "sampling-worker") == 0;
}

__attribute__((constructor)) static void log_code_placement(void) {
    const char *log = getenv("CODE_PLACEMENT_LOG");
    if (!log || !is_sampling_worker()) return;
    char executable[4096];
    ssize_t length = readlink("/proc/self/exe", executable, sizeof executable - 1);
    if (length <= 0) return;
    executable[length] = 0;
    FILE *maps = fopen("/proc/self/maps", "r");
    if (!maps) return;
    char line[4608];
    unsigned long start = 0;
    while (fgets(line, sizeof line, maps)) {
        char *path = strchr(line, '/');
        if (!path) continue;
        path[strcspn(path, "\n")] = 0;
        if (strcmp(path, executable) == 0) {
            start = strtoul(line, NULL, 16);
            break;
        }
    }
    fclose(maps);
    if (start == 0) return;
    char entry[64];
    int bytes = snprintf(entry, sizeof entry, "%d %lx\n", (int)getpid(), start);
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0) return;
    if (write(fd, entry, (size_t)bytes) != bytes) {
        /* Nothing to do: the script finds the process missing and says so. */
    }
    close(fd);
}
