/*
 * jsa_native — the JSA kernels for Python, sharing the C kernels of CJSAKernels.
 *
 *   jsa(data, period, kernel=None, out=None)            -> out, or a new float64 array
 *   jsa_batch(data, period_start, period_end, period_step, kernel=None)
 *                                                        -> {'values': 2-D array, 'periods': array}
 *   jsa_copy(data, period, kernel=None)                  -> the "initial" binding style: compute into
 *                                                           a native buffer, then copy into NumPy
 *   noop(data, period, kernel=None, out=None)            -> None after parsing the arguments only
 *   acquire(data, period, kernel=None, out=None)         -> None after parsing, validating and
 *                                                           acquiring/releasing the buffers
 *                                                           (allocating out when not given)
 *
 * noop and acquire exist for the FFI overhead ladder: they stop after each stage of a real call.
 *
 * Input: a C-contiguous, native-order float64 NumPy array is read in place through NumPy's C API
 * (PyArray_DATA: a few ns); anything else goes through the buffer protocol — used in place when
 * C-contiguous float64, copied into a contiguous temporary when strided (as the reference binding
 * does). The buffer protocol alone cost ~45 ns per array here (NumPy builds its buffer description
 * on every request), which is why NumPy's C API is used for the common case. New outputs are made
 * with PyArray_SimpleNew for the same reason (calling numpy.empty through Python cost ~90 ns).
 * The kernel name is validated before the GIL is released; the kernels run with the GIL released
 * (for inputs of at least GIL_RELEASE_MIN_ELEMENTS; below that the release costs more than it gives).
 *
 * Every error raised here for a condition the Swift API also has carries the same message as
 * JSAError.description (Sources/JSA/JSAError.swift); the tests hold the two to it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "jsa_kernels.h"

/* ---------------------------------------------------------------------------------------------
 * Module state: numpy.empty, numpy.int64, and the CPU features the kernels may use.
 * ------------------------------------------------------------------------------------------- */

static uint32_t features_detected = 0;
static uint32_t features_compiled = 0;
static uint32_t features_disabled = 0;

static const char *const kernel_names[] = {"auto", "scalar", "avx2", "avx512"};

/* ---------------------------------------------------------------------------------------------
 * Kernel names and support — mirrors Kernel(parsing:) and CPUFeatures.reasonUnsupported.
 * ------------------------------------------------------------------------------------------- */

typedef enum { KERNEL_AUTO = 0, KERNEL_SCALAR, KERNEL_AVX2, KERNEL_AVX512 } kernel_choice;

static uint32_t required_features(kernel_choice kernel) {
    switch (kernel) {
    case KERNEL_AVX2: return JSA_FEATURE_AVX2;
    case KERNEL_AVX512: return JSA_FEATURE_AVX512F;
    default: return 0;
    }
}

static uint32_t usable_features(void) {
    return features_detected & features_compiled & ~features_disabled;
}

/* Parses `name` (None → auto), case-insensitive with surrounding blanks ignored. Raises and
 * returns -1 on a bad name or type. */
static int parse_kernel(PyObject *name, kernel_choice *kernel) {
    if (name == NULL || name == Py_None) {
        *kernel = KERNEL_AUTO;
        return 0;
    }
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError, "kernel must be a string or None, got %s", Py_TYPE(name)->tp_name);
        return -1;
    }
    Py_ssize_t length = 0;
    const char *text = PyUnicode_AsUTF8AndSize(name, &length);
    if (text == NULL) {
        return -1;
    }
    Py_ssize_t start = 0, end = length;
    while (start < end && (text[start] == ' ' || (text[start] >= '\t' && text[start] <= '\r'))) ++start;
    while (end > start && (text[end - 1] == ' ' || (text[end - 1] >= '\t' && text[end - 1] <= '\r'))) --end;
    for (int k = 0; k < 4; ++k) {
        if ((Py_ssize_t)strlen(kernel_names[k]) == end - start &&
            strncasecmp(text + start, kernel_names[k], (size_t)(end - start)) == 0) {
            *kernel = (kernel_choice)k;
            return 0;
        }
    }
    PyErr_Format(PyExc_ValueError, "invalid kernel '%U' (expected one of: auto, scalar, avx2, avx512)", name);
    return -1;
}

/* Resolves `kernel` to an instruction set this machine can run; raises and returns -1 if it cannot. */
static int resolve_kernel(kernel_choice kernel, jsa_isa *isa) {
    const uint32_t usable = usable_features();
    if (kernel == KERNEL_AUTO) {
        *isa = (usable & JSA_FEATURE_AVX512F) ? JSA_ISA_AVX512 : (usable & JSA_FEATURE_AVX2) ? JSA_ISA_AVX2 : JSA_ISA_SCALAR;
        return 0;
    }
    const uint32_t needed = required_features(kernel);
    if ((usable & needed) == needed) {
        *isa = kernel == KERNEL_SCALAR ? JSA_ISA_SCALAR : kernel == KERNEL_AVX2 ? JSA_ISA_AVX2 : JSA_ISA_AVX512;
        return 0;
    }
    const char *feature = needed == JSA_FEATURE_AVX2 ? "AVX2" : "AVX512F";
    const char *name = kernel_names[kernel];
    if (!(features_compiled & needed)) {
        PyErr_Format(PyExc_ValueError,
                     "kernel '%s' is not supported here: this build has no %s kernel (it is not an x86-64 build)", name, name);
    } else if (!(features_detected & needed)) {
        PyErr_Format(PyExc_ValueError, "kernel '%s' is not supported here: this CPU or its OS does not support %s", name,
                     feature);
    } else {
        PyErr_Format(PyExc_ValueError, "kernel '%s' is not supported here: %s is disabled by JSA_DISABLE_CPU_FEATURES",
                     name, feature);
    }
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * Arguments
 * ------------------------------------------------------------------------------------------- */

/* An integer argument (anything with __index__), as a 64-bit value; `overflowed` is set (and the
 * value clamped) when it does not fit. Raises TypeError for non-integers. */
static int parse_integer(PyObject *object, const char *what, long long *value, int *overflowed) {
    if (PyLong_CheckExact(object)) {
        *value = PyLong_AsLongLongAndOverflow(object, overflowed);
        if (*overflowed) *value = *overflowed > 0 ? LLONG_MAX : LLONG_MIN;
        return (*value == -1 && PyErr_Occurred()) ? -1 : 0;
    }
    PyObject *index = PyNumber_Index(object);
    if (index == NULL) {
        PyErr_Format(PyExc_TypeError, "%s must be an int, got %s", what, Py_TYPE(object)->tp_name);
        return -1;
    }
    *value = PyLong_AsLongLongAndOverflow(index, overflowed);
    if (*overflowed) {
        *value = *overflowed > 0 ? LLONG_MAX : LLONG_MIN;
    }
    Py_DECREF(index);
    return (*value == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* Vectorcall arguments into `values` (NULL where absent): positional first, then keywords among
 * `names`. Raises TypeError like Python does for too many, unknown, repeated or missing arguments.
 * METH_FASTCALL with this parser costs a fraction of PyArg_ParseTupleAndKeywords, which builds a
 * tuple and a dict for every call — the biggest single item of the FFI overhead at small n. */
static int parse_arguments(const char *function, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                           const char *const *names, PyObject *const *interned, Py_ssize_t count, Py_ssize_t required,
                           PyObject **values) {
    for (Py_ssize_t i = 0; i < count; ++i) values[i] = NULL;
    if (nargs > count) {
        PyErr_Format(PyExc_TypeError, "%s() takes at most %zd arguments (%zd given)", function, count, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; ++i) values[i] = args[i];
    const Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < keywords; ++k) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        Py_ssize_t slot = -1;
        for (Py_ssize_t i = 0; i < count && slot < 0; ++i) {
            if (key == interned[i]) slot = i;  /* keyword names at call sites are interned */
        }
        for (Py_ssize_t i = 0; i < count && slot < 0; ++i) {
            if (PyUnicode_CompareWithASCIIString(key, names[i]) == 0) slot = i;
        }
        if (slot < 0) {
            PyErr_Format(PyExc_TypeError, "%s() got an unexpected keyword argument '%U'", function, key);
            return -1;
        }
        if (values[slot] != NULL) {
            PyErr_Format(PyExc_TypeError, "%s() got multiple values for argument '%s'", function, names[slot]);
            return -1;
        }
        values[slot] = args[nargs + k];
    }
    for (Py_ssize_t i = 0; i < required; ++i) {
        if (values[i] == NULL) {
            PyErr_Format(PyExc_TypeError, "%s() missing required argument '%s' (pos %zd)", function, names[i], i + 1);
            return -1;
        }
    }
    return 0;
}

/* A float64 buffer: `data` points at n contiguous doubles (the object's own memory, or `copy`). */
typedef struct {
    Py_buffer view;
    int has_view;
    const double *data;
    double *copy;
    Py_ssize_t n;
} input_buffer;

static int is_float64_format(const char *format) {
    if (format == NULL) return 0;
    if (format[0] == '<' || format[0] == '=' || format[0] == '@') ++format;
    return strcmp(format, "d") == 0;
}

/* A NumPy array the kernels can use in place: 1-D, float64, native byte order, aligned, C-contiguous. */
static int is_plain_float64_vector(PyObject *object) {
    if (!PyArray_Check(object)) return 0;
    PyArrayObject *array = (PyArrayObject *)object;
    return PyArray_NDIM(array) == 1 && PyArray_TYPE(array) == NPY_DOUBLE && PyArray_ISNOTSWAPPED(array) &&
           PyArray_ISALIGNED(array) && PyArray_IS_C_CONTIGUOUS(array);
}

/* Acquires `object` as a 1-D float64 buffer, copying a strided one into contiguous memory. */
static int acquire_input(PyObject *object, input_buffer *input) {
    memset(input, 0, sizeof *input);
    if (is_plain_float64_vector(object)) {
        input->data = PyArray_DATA((PyArrayObject *)object);
        input->n = PyArray_DIM((PyArrayObject *)object, 0);
        return 0;
    }
    if (PyObject_GetBuffer(object, &input->view, PyBUF_STRIDES | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "data must be a 1-D float64 array (buffer protocol), got %s", Py_TYPE(object)->tp_name);
        return -1;
    }
    input->has_view = 1;
    if (!is_float64_format(input->view.format) || input->view.itemsize != 8) {
        PyErr_Format(PyExc_TypeError, "data must be float64, got buffer format '%s'",
                     input->view.format ? input->view.format : "B");
        return -1;
    }
    if (input->view.ndim != 1) {
        PyErr_Format(PyExc_TypeError, "data must be 1-D, got %d dimensions", input->view.ndim);
        return -1;
    }
    input->n = input->view.shape[0];
    const Py_ssize_t stride = input->view.strides[0];
    if (stride == 8 || input->n <= 1) {
        input->data = (const double *)input->view.buf;
        return 0;
    }
    input->copy = malloc((size_t)input->n * sizeof(double));
    if (input->copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < input->n; ++i) {
        memcpy(&input->copy[i], (const char *)input->view.buf + i * stride, sizeof(double));
    }
    input->data = input->copy;
    return 0;
}

static void release_input(input_buffer *input) {
    free(input->copy);
    if (input->has_view) PyBuffer_Release(&input->view);
}

/* An output: n writable, contiguous doubles at `data`, held through a buffer view when needed. */
typedef struct {
    Py_buffer view;
    int has_view;
    double *data;
    Py_ssize_t n;
} output_buffer;

static void release_output(output_buffer *output) {
    if (output->has_view) PyBuffer_Release(&output->view);
    output->has_view = 0;
}

/* Acquires `object` as a writable, C-contiguous float64 buffer of exactly `expected` elements. */
static int acquire_output(PyObject *object, output_buffer *output, Py_ssize_t expected) {
    memset(output, 0, sizeof *output);
    if (is_plain_float64_vector(object) && PyArray_ISWRITEABLE((PyArrayObject *)object)) {
        output->data = PyArray_DATA((PyArrayObject *)object);
        output->n = PyArray_DIM((PyArrayObject *)object, 0);
    } else {
        Py_buffer *view = &output->view;
        if (PyObject_GetBuffer(object, view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) != 0) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError, "out must be a writable, C-contiguous float64 array, got %s",
                         Py_TYPE(object)->tp_name);
            return -1;
        }
        output->has_view = 1;
        if (!is_float64_format(view->format) || view->itemsize != 8) {
            PyErr_Format(PyExc_TypeError, "out must be float64, got buffer format '%s'", view->format ? view->format : "B");
            release_output(output);
            return -1;
        }
        output->data = view->buf;
        output->n = view->len / 8;
    }
    if (output->n != expected) {
        PyErr_Format(PyExc_ValueError, "output length mismatch: expected %zd, got %zd", expected, output->n);
        release_output(output);
        return -1;
    }
    return 0;
}

/* The first index that is not NaN (n when all are). */
static Py_ssize_t first_valid_index(const double *x, Py_ssize_t n) {
    Py_ssize_t i = 0;
    while (i < n && isnan(x[i])) ++i;
    return i;
}

/* The checks of Validation.firstValidIndex and Validation.checkPeriod, with their messages. */
static int check_series(const double *x, Py_ssize_t n, long long period, int period_overflowed, PyObject *period_object,
                        Py_ssize_t *first) {
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "input is empty");
        return -1;
    }
    *first = first_valid_index(x, n);
    if (*first == n) {
        PyErr_Format(PyExc_ValueError, "all %zd input values are NaN", n);
        return -1;
    }
    if (period_overflowed || period < 1 || period > (long long)n) {
        PyErr_Format(PyExc_ValueError, "invalid period %S for input of length %zd (period must be in 1...%zd)",
                     period_object, n, n);
        return -1;
    }
    if (period > (long long)(n - *first)) {
        PyErr_Format(PyExc_ValueError, "not enough valid data: needed %lld, valid %zd (values from the first non-NaN on)",
                     period, n - *first);
        return -1;
    }
    return 0;
}

static PyObject *new_array(Py_ssize_t n) {
    npy_intp dims[1] = {n};
    return PyArray_SimpleNew(1, dims, NPY_DOUBLE);
}

/* ---------------------------------------------------------------------------------------------
 * jsa, noop, acquire, jsa_copy
 * ------------------------------------------------------------------------------------------- */

typedef enum { STAGE_PARSE, STAGE_ACQUIRE, STAGE_COMPUTE } call_stage;

static const char *const series_names[] = {"data", "period", "kernel", "out"};
static PyObject *series_interned[4];
static const char *const batch_names[] = {"data", "period_start", "period_end", "period_step", "kernel"};
static PyObject *batch_interned[5];

/* Interns the keyword names once, so parse_arguments can match them by pointer. */
static int intern_names(const char *const *names, PyObject **interned, int count) {
    for (int i = 0; i < count; ++i) {
        interned[i] = PyUnicode_InternFromString(names[i]);
        if (interned[i] == NULL) return -1;
    }
    return 0;
}

/* Inputs shorter than this run with the GIL held: releasing and re-acquiring it costs more than
 * the kernel saves other threads (NumPy's ufuncs use a threshold for the same reason). */
enum { GIL_RELEASE_MIN_ELEMENTS = 4096 };

static PyObject *single_series(const char *function, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                               call_stage stage) {
    PyObject *values[4];
    if (parse_arguments(function, args, nargs, kwnames, series_names, series_interned, 4, 2, values) != 0) {
        return NULL;
    }
    PyObject *data_object = values[0], *period_object = values[1];
    PyObject *kernel_object = values[2] ? values[2] : Py_None, *out_object = values[3] ? values[3] : Py_None;
    kernel_choice kernel;
    long long period;
    int period_overflowed;
    if (parse_kernel(kernel_object, &kernel) != 0 || parse_integer(period_object, "period", &period, &period_overflowed) != 0) {
        return NULL;
    }
    if (stage == STAGE_PARSE) {
        Py_RETURN_NONE;
    }
    jsa_isa isa;
    if (resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    if (acquire_input(data_object, &input) != 0) {
        release_input(&input);
        return NULL;
    }
    Py_ssize_t first = 0;
    if (check_series(input.data, input.n, period, period_overflowed, period_object, &first) != 0) {
        release_input(&input);
        return NULL;
    }
    PyObject *result = out_object == Py_None ? new_array(input.n) : (Py_INCREF(out_object), out_object);
    if (result == NULL) {
        release_input(&input);
        return NULL;
    }
    output_buffer out;
    if (acquire_output(result, &out, input.n) != 0) {
        Py_DECREF(result);
        release_input(&input);
        return NULL;
    }
    const char *out_start = (const char *)out.data, *out_end = out_start + out.n * 8;
    const char *in_start = (const char *)input.data, *in_end = in_start + input.n * 8;
    if (out_start < in_end && in_start < out_end) {
        PyErr_SetString(PyExc_ValueError, "output memory overlaps the input; use a separate output buffer");
        release_output(&out);
        Py_DECREF(result);
        release_input(&input);
        return NULL;
    }
    if (stage == STAGE_COMPUTE && input.n < GIL_RELEASE_MIN_ELEMENTS) {
        jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, out.data);
    } else if (stage == STAGE_COMPUTE) {
        Py_BEGIN_ALLOW_THREADS
        jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, out.data);
        Py_END_ALLOW_THREADS
    }
    release_output(&out);
    release_input(&input);
    if (stage == STAGE_ACQUIRE) {
        Py_DECREF(result);
        Py_RETURN_NONE;
    }
    return result;
}

static PyObject *py_jsa(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    return single_series("jsa", args, nargs, kwnames, STAGE_COMPUTE);
}

static PyObject *py_noop(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    return single_series("noop", args, nargs, kwnames, STAGE_PARSE);
}

static PyObject *py_acquire(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    return single_series("acquire", args, nargs, kwnames, STAGE_ACQUIRE);
}

static PyObject *py_jsa_copy(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    PyObject *values[3];
    if (parse_arguments("jsa_copy", args, nargs, kwnames, series_names, series_interned, 3, 2, values) != 0) {
        return NULL;
    }
    PyObject *data_object = values[0], *period_object = values[1], *kernel_object = values[2] ? values[2] : Py_None;
    kernel_choice kernel;
    long long period;
    int period_overflowed;
    jsa_isa isa;
    if (parse_kernel(kernel_object, &kernel) != 0 || parse_integer(period_object, "period", &period, &period_overflowed) != 0 ||
        resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    Py_ssize_t first = 0;
    if (acquire_input(data_object, &input) != 0 ||
        check_series(input.data, input.n, period, period_overflowed, period_object, &first) != 0) {
        release_input(&input);
        return NULL;
    }
    double *native = malloc((size_t)input.n * sizeof(double));
    if (native == NULL) {
        release_input(&input);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, native);
    Py_END_ALLOW_THREADS
    PyObject *result = new_array(input.n);
    if (result != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)result), native, (size_t)input.n * sizeof(double));
    }
    free(native);
    release_input(&input);
    return result;
}

/* ---------------------------------------------------------------------------------------------
 * jsa_batch — mirrors PeriodRange and jsaBatch.
 * ------------------------------------------------------------------------------------------- */

static PyObject *py_jsa_batch(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    PyObject *arguments[5];
    if (parse_arguments("jsa_batch", args, nargs, kwnames, batch_names, batch_interned, 5, 4, arguments) != 0) {
        return NULL;
    }
    PyObject *data_object = arguments[0], *start_object = arguments[1], *end_object = arguments[2];
    PyObject *step_object = arguments[3], *kernel_object = arguments[4] ? arguments[4] : Py_None;
    long long start, end, step;
    int start_overflow, end_overflow, step_overflow;
    if (parse_integer(start_object, "period_start", &start, &start_overflow) != 0 ||
        parse_integer(end_object, "period_end", &end, &end_overflow) != 0 ||
        parse_integer(step_object, "period_step", &step, &step_overflow) != 0) {
        return NULL;
    }
    if (start < 0 || end < 0 || step < 0 || start_overflow || end_overflow || step_overflow) {
        PyErr_Format(PyExc_ValueError,
                     "invalid period range start=%S end=%S step=%S (start and end must be >= 0 and step >= 0; "
                     "the range expands to no periods)",
                     start_object, end_object, step_object);
        return NULL;
    }
    long long rows, stride;
    if (step == 0 || start == end) {
        rows = 1;
        stride = 0;
    } else {
        rows = llabs(end - start) / step + 1;
        stride = start < end ? step : -step;
    }
    const long long last = start + (rows - 1) * stride;
    const long long minimum = start < last ? start : last, maximum = start < last ? last : start;

    kernel_choice kernel;
    jsa_isa isa;
    if (parse_kernel(kernel_object, &kernel) != 0 || resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    Py_ssize_t first = 0;
    if (acquire_input(data_object, &input) != 0) {
        release_input(&input);
        return NULL;
    }
    PyObject *minimum_object = PyLong_FromLongLong(minimum), *maximum_object = PyLong_FromLongLong(maximum);
    const int invalid = minimum_object == NULL || maximum_object == NULL ||
                        check_series(input.data, input.n, minimum, 0, minimum_object, &first) != 0 ||
                        check_series(input.data, input.n, maximum, 0, maximum_object, &first) != 0;
    Py_XDECREF(minimum_object);
    Py_XDECREF(maximum_object);
    if (invalid) {
        release_input(&input);
        return NULL;
    }
    const Py_ssize_t n = input.n;
    if (rows > PY_SSIZE_T_MAX / n || rows * n > PY_SSIZE_T_MAX / 8) {
        PyErr_Format(PyExc_ValueError, "size overflow: %lld rows \xC3\x97 %zd values does not fit in memory addresses", rows, n);
        release_input(&input);
        return NULL;
    }
    const long long bytes = rows * n * 8;
    const long long memory = (long long)sysconf(_SC_PHYS_PAGES) * (long long)sysconf(_SC_PAGESIZE);
    if (memory > 0 && bytes > memory) {
        PyErr_Format(PyExc_ValueError, "output of %lld bytes exceeds this machine's %lld bytes of memory", bytes, memory);
        release_input(&input);
        return NULL;
    }
    npy_intp value_dims[2] = {(npy_intp)rows, n}, period_dims[1] = {(npy_intp)rows};
    PyObject *values = PyArray_SimpleNew(2, value_dims, NPY_DOUBLE);
    PyObject *periods = values ? PyArray_SimpleNew(1, period_dims, NPY_INT64) : NULL;
    const int ok = periods != NULL;
    if (ok) {
        int64_t *period_values = PyArray_DATA((PyArrayObject *)periods);
        for (long long r = 0; r < rows; ++r) period_values[r] = start + r * stride;
        double *matrix = PyArray_DATA((PyArrayObject *)values);
        Py_BEGIN_ALLOW_THREADS
        jsa_rows(isa, input.data, (size_t)n, (size_t)first, (size_t)start, (ptrdiff_t)stride, (size_t)rows, matrix);
        Py_END_ALLOW_THREADS
    }
    release_input(&input);
    PyObject *result = ok ? Py_BuildValue("{sOsO}", "values", values, "periods", periods) : NULL;
    Py_XDECREF(values);
    Py_XDECREF(periods);
    return result;
}

/* ---------------------------------------------------------------------------------------------
 * The module
 * ------------------------------------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"jsa", (PyCFunction)(void (*)(void))py_jsa, METH_FASTCALL | METH_KEYWORDS,
     "jsa(data, period, kernel=None, out=None)\n--\n\n"
     "out[i] = (x[i] + x[i - period]) * 0.5 after the first non-NaN value + period; NaN before."},
    {"jsa_batch", (PyCFunction)(void (*)(void))py_jsa_batch, METH_FASTCALL | METH_KEYWORDS,
     "jsa_batch(data, period_start, period_end, period_step, kernel=None)\n--\n\n"
     "One JSA row per period of the grid: {'values': 2-D array, 'periods': int64 array}."},
    {"jsa_copy", (PyCFunction)(void (*)(void))py_jsa_copy, METH_FASTCALL | METH_KEYWORDS,
     "jsa_copy(data, period, kernel=None)\n--\n\n"
     "JSA computed into a native buffer and copied into a new array (the initial binding style)."},
    {"noop", (PyCFunction)(void (*)(void))py_noop, METH_FASTCALL | METH_KEYWORDS,
     "noop(data, period, kernel=None, out=None)\n--\n\nParses jsa's arguments and returns None."},
    {"acquire", (PyCFunction)(void (*)(void))py_acquire, METH_FASTCALL | METH_KEYWORDS,
     "acquire(data, period, kernel=None, out=None)\n--\n\n"
     "Parses, validates and acquires jsa's buffers (allocating out if not given), then returns None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "jsa_native",
    "The JSA kernels (scalar / AVX2 / AVX-512F) for Python, sharing jsa-bench's C kernels.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_jsa_native(void) {
    features_detected = jsa_cpu_detect();
    features_compiled = jsa_compiled_features();
    const char *cap = getenv("JSA_DISABLE_CPU_FEATURES");
    if (cap != NULL) {
        size_t bad_offset = 0, bad_length = 0;
        if (jsa_parse_feature_list(cap, &features_disabled, &bad_offset, &bad_length) != 0) {
            PyObject *name = PyUnicode_DecodeUTF8(cap + bad_offset, (Py_ssize_t)bad_length, "replace");
            if (name != NULL) {
                PyErr_Format(PyExc_ImportError, "JSA_DISABLE_CPU_FEATURES: unknown CPU feature '%U' (known: avx2, avx512f)",
                             name);
                Py_DECREF(name);
            }
            return NULL;
        }
    }
    if (intern_names(series_names, series_interned, 4) != 0 || intern_names(batch_names, batch_interned, 5) != 0) {
        return NULL;
    }
    if (_import_array() < 0) {
        return NULL;  /* ImportError: NumPy is missing or its C API does not match */
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    PyObject *names = Py_BuildValue("(ssss)", "auto", "scalar", "avx2", "avx512");
    if (PyModule_AddObject(m, "KERNELS", names) != 0) {
        Py_XDECREF(names);
    }
    return m;
}

/* ---------------------------------------------------------------------------------------------
 * Embedding: jsa-bench registers this same module into its interpreter.
 * ------------------------------------------------------------------------------------------- */

#if defined(JSA_NATIVE_EMBEDDED)
#include "jsa_native_embed.h"

int jsa_native_register_builtin(void) {
    return PyImport_AppendInittab("jsa_native", PyInit_jsa_native);
}
#endif
