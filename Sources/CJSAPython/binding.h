/* Private to the jsa_native extension: argument parsing and kernel choice (arguments.c), buffers
 * and validation (buffers.c), used by the module's functions (jsa_native.c). */
#ifndef JSA_BINDING_H
#define JSA_BINDING_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
/* One NumPy C-API table for the extension's files; jsa_native.c imports it (import_array). */
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#define PY_ARRAY_UNIQUE_SYMBOL jsa_native_PyArray_API
#ifndef JSA_BINDING_IMPORTS_ARRAY
#define NO_IMPORT_ARRAY
#endif
#include <numpy/arrayobject.h>

#include <stdint.h>
#include <string.h>

#include "jsa_kernels.h"

/* The CPU features the kernels may use: detected, compiled, and capped by JSA_DISABLE_CPU_FEATURES. */
extern uint32_t binding_features_detected;
extern uint32_t binding_features_compiled;
extern uint32_t binding_features_disabled;

/* ---- arguments and kernel choice (arguments.c) ---------------------------------------------- */

typedef enum { KERNEL_AUTO = 0, KERNEL_SCALAR, KERNEL_AVX2, KERNEL_AVX512 } kernel_choice;

int binding_parse_kernel(PyObject *name, kernel_choice *kernel);
int binding_resolve_kernel(kernel_choice kernel, jsa_isa *isa);
/* What `auto` runs here: binding_choose_auto_isa() (the table of auto_table.c, which the Swift API
 * reads too), stored by PyInit_jsa_native once the features above are set (so a call does not
 * recompute it). */
extern jsa_isa binding_auto_isa;
jsa_isa binding_choose_auto_isa(void);
/* The kernel name of a concrete instruction set ("scalar", "avx2", "avx512"). */
const char *binding_isa_name(jsa_isa isa);
int binding_parse_integer_general(PyObject *object, const char *what, long long *value, int *overflowed);

/* An integer argument (anything with __index__), as a 64-bit value; `overflowed` is set (and the
 * value clamped) when it does not fit. Raises TypeError for non-integers. Inline for an int. */
static inline int binding_parse_integer(PyObject *object, const char *what, long long *value, int *overflowed) {
    if (PyLong_CheckExact(object)) {
        *value = PyLong_AsLongLongAndOverflow(object, overflowed);
        if (*overflowed == 0 && *value != -1) return 0;
    }
    return binding_parse_integer_general(object, what, value, overflowed);
}
int binding_parse_arguments(const char *function, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                    const char *const *names, PyObject *const *interned, Py_ssize_t count, Py_ssize_t required,
                    PyObject **values);

/* ---- buffers and validation (buffers.c) ------------------------------------------------------ */

/* A float64 buffer: `data` points at n contiguous, aligned doubles — the object's own memory, or
 * `copy` when that memory is strided or not 8-byte aligned (reading a double there is undefined
 * behaviour in C). [origin_start, origin_end) is the object's memory the values came from. */
typedef struct {
    Py_buffer view;
    int has_view;
    const double *data;
    double *copy;
    Py_ssize_t n;
    const char *origin_start, *origin_end;
} input_buffer;

/* An output: n writable, contiguous, aligned doubles at `data`, held through a buffer view when
 * needed. For an object whose memory is not 8-byte aligned, `data` is `staging` and
 * binding_commit_output copies it to `target` once the kernel has run (a failed call writes
 * nothing). */
typedef struct {
    Py_buffer view;
    int has_view;
    double *data;
    double *staging;
    char *target;
    Py_ssize_t n;
} output_buffer;

/* The general paths (buffer protocol, copies of strided input, every error message). */
int binding_acquire_input_general(PyObject *object, input_buffer *input);
int binding_acquire_output_general(PyObject *object, output_buffer *output, Py_ssize_t expected);
void binding_release_input_general(input_buffer *input);
void binding_release_output_general(output_buffer *output);

/* A NumPy array the kernels can use in place: 1-D, float64, native byte order, aligned,
 * C-contiguous. Inline with the two functions below: the common call passes such arrays, and
 * out of line these checks, calls and the zeroing of two Py_buffer structs cost ~150 instructions
 * per call (callgrind). */
static inline int binding_is_plain_float64_vector(PyObject *object) {
    if (!PyArray_Check(object)) return 0;
    PyArrayObject *array = (PyArrayObject *)object;
    return PyArray_NDIM(array) == 1 && PyArray_TYPE(array) == NPY_DOUBLE && PyArray_ISNOTSWAPPED(array) &&
           PyArray_ISALIGNED(array) && PyArray_IS_C_CONTIGUOUS(array);
}

/* Acquires `object` as a 1-D float64 buffer, copying a strided one into contiguous memory. */
static inline int binding_acquire_input(PyObject *object, input_buffer *input) {
    if (binding_is_plain_float64_vector(object)) {
        input->has_view = 0;
        input->copy = NULL;
        input->data = PyArray_DATA((PyArrayObject *)object);
        input->n = PyArray_DIM((PyArrayObject *)object, 0);
        input->origin_start = (const char *)input->data;
        input->origin_end = input->origin_start + input->n * 8;
        return 0;
    }
    return binding_acquire_input_general(object, input);
}

/* Acquires `object` as a writable, C-contiguous float64 buffer of exactly `expected` elements. */
static inline int binding_acquire_output(PyObject *object, output_buffer *output, Py_ssize_t expected) {
    if (binding_is_plain_float64_vector(object) && PyArray_ISWRITEABLE((PyArrayObject *)object) &&
        PyArray_DIM((PyArrayObject *)object, 0) == expected) {
        output->has_view = 0;
        output->staging = NULL;
        output->data = PyArray_DATA((PyArrayObject *)object);
        output->n = expected;
        return 0;
    }
    return binding_acquire_output_general(object, output, expected);
}
int binding_check_series_general(const double *x, Py_ssize_t n, long long period, int period_overflowed,
                                 PyObject *period_object, Py_ssize_t *first);

/* Releases what binding_acquire_input took (nothing, for a plain NumPy array). */
static inline void binding_release_input(input_buffer *input) {
    if (input->has_view || input->copy != NULL) binding_release_input_general(input);
}

static inline void binding_release_output(output_buffer *output) {
    if (output->has_view || output->staging != NULL) binding_release_output_general(output);
}

/* After the kernel ran: the result into the object's memory, where it was computed elsewhere. */
static inline void binding_commit_output(output_buffer *output) {
    if (output->staging != NULL) memcpy(output->target, output->staging, (size_t)output->n * sizeof(double));
}

/* Validates a series and finds its first non-NaN index (Validation.firstValidIndex and
 * checkPeriod, with their messages): inline for the common input, which starts with a number. */
static inline int binding_check_series(const double *x, Py_ssize_t n, long long period, int period_overflowed,
                                       PyObject *period_object, Py_ssize_t *first) {
    if (n > 0 && x[0] == x[0] && !period_overflowed && period >= 1 && period <= (long long)n) {
        *first = 0;
        return 0;
    }
    return binding_check_series_general(x, n, period, period_overflowed, period_object, first);
}
PyObject *binding_new_array(Py_ssize_t n);

/* Raises ValueError and returns -1 when the output's memory overlaps the input's (the kernels'
 * precondition; an overlapping write would change the input while it is read). */
static inline int binding_check_disjoint(const input_buffer *input, const output_buffer *output) {
    const char *out_start = output->staging != NULL ? output->target : (const char *)output->data;
    const char *out_end = out_start + output->n * 8;
    if (out_start < input->origin_end && input->origin_start < out_end) {
        PyErr_SetString(PyExc_ValueError, "output memory overlaps the input; use a separate output buffer");
        return -1;
    }
    return 0;
}

#endif
