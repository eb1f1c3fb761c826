/* PAPI for Swift. Swift cannot import function-like or cast macros, so the few jsa-bench needs
 * are wrapped here. <features.h> first, or importing glibc headers into Swift clashes on fd_set. */
#ifndef JSA_CPAPI_SHIM_H
#define JSA_CPAPI_SHIM_H

#include <features.h>
#include <papi.h>

/* The version PAPI_library_init must be given: (PAPI_VERSION & 0xffff0000). */
static inline int jsa_papi_ver_current(void) { return PAPI_VER_CURRENT; }

/* The bit that marks preset event codes ((int)0x80000000). */
static inline int jsa_papi_preset_mask(void) { return PAPI_PRESET_MASK; }

/* The bit that marks native event codes ((int)0x40000000). */
static inline int jsa_papi_native_mask(void) { return PAPI_NATIVE_MASK; }

/* Major, minor, revision of a PAPI version number. */
static inline int jsa_papi_version_major(int v) { return PAPI_VERSION_MAJOR(v); }
static inline int jsa_papi_version_minor(int v) { return PAPI_VERSION_MINOR(v); }
static inline int jsa_papi_version_revision(int v) { return PAPI_VERSION_REVISION(v); }

#endif
