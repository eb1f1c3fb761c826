/* Debian's CPython for embedding (pkg-config python3-embed). <features.h> first, or importing
 * Python.h into Swift clashes on fd_set. Py_None and friends are macros: wrapped below. */
#ifndef JSA_CPYTHON_SHIM_H
#define JSA_CPYTHON_SHIM_H

#include <features.h>
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline PyObject *jsa_py_none(void) { return Py_None; }
static inline void jsa_py_decref(PyObject *object) { Py_XDECREF(object); }
static inline int jsa_py_status_is_exception(PyStatus status) { return PyStatus_Exception(status); }

/* PyConfig_SetBytesString(config, &config->program_name, name): Swift cannot pass a struct and a
 * pointer into it in one call (overlapping access). */
static inline PyStatus jsa_py_config_set_program_name(PyConfig *config, const char *name) {
    return PyConfig_SetBytesString(config, &config->program_name, name);
}

#endif
