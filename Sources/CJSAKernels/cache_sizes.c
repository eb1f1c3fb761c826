/* The sizes of this CPU's data caches, from Linux's sysfs, for the thresholds the kernels derive
 * from them (streaming.c, variant_thresholds.c). */
#include "jsa_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of cpu0's cache file `index`/`name` into `value` (newline dropped); 0 when unread. */
static int read_cache_file(int index, const char *name, char *value, size_t size) {
    char path[96];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/%s", index, name);
    value[0] = '\0';
    FILE *file = fopen(path, "r");
    if (file == NULL) return 0;
    const int read = fgets(value, (int)size, file) != NULL;
    fclose(file);
    value[strcspn(value, "\n")] = '\0';
    return read;
}

size_t jsa_data_cache_bytes(int level) {
    for (int index = 0; index < 8; ++index) {
        char text[32];
        if (!read_cache_file(index, "level", text, sizeof text)) break;
        if (atoi(text) != level) continue;
        if (!read_cache_file(index, "type", text, sizeof text) || strcmp(text, "Instruction") == 0) continue;
        if (!read_cache_file(index, "size", text, sizeof text)) return SIZE_MAX;
        unsigned long long value = 0;
        char unit = 0;
        if (sscanf(text, "%llu%c", &value, &unit) < 1 || value == 0) return SIZE_MAX;
        const unsigned long long scale = unit == 'K' ? 1ull << 10 : unit == 'M' ? 1ull << 20 : unit == 'G' ? 1ull << 30 : 1;
        return (size_t)(value * scale);
    }
    return SIZE_MAX;
}
