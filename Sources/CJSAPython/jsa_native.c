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
 *   native_loop(data, period, out, loops)                -> ns for `loops` kernel calls made from C
 *   speed_probe()                                        -> ns of one run of jsa-bench's speed probe
 *                                                           (embedded build only)
 *
 * noop and acquire exist for the FFI overhead ladder: they stop after each stage of a real call;
 * native_loop is its baseline, the kernel without Python; speed_probe times the fixed work the
 * native sampler times before every sample (the speed index), before every rung's sample.
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
#define JSA_BINDING_IMPORTS_ARRAY
#include "binding.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------------------------------------
 * jsa, noop, acquire, jsa_copy
 * ------------------------------------------------------------------------------------------- */

typedef enum { STAGE_PARSE, STAGE_ACQUIRE, STAGE_COMPUTE } call_stage;

static const char *const series_names[] = {"data", "period", "kernel", "out"};
static PyObject *series_interned[4];
static const char *const batch_names[] = {"data", "period_start", "period_end", "period_step", "kernel"};
static PyObject *batch_interned[5];

/* Interns the keyword names once, so binding_parse_arguments can match them by pointer. */
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

/* The call shapes of nearly every call — jsa(x, p), jsa(x, p, out=o), jsa(x, p, kernel=k, out=o),
 * keywords given once by their interned names — parsed inline: callgrind counted 136 instructions
 * per call in binding_parse_arguments for jsa(x, p, out=o), ~10 ns. Returns 0 for any other shape
 * (and for every mistake), which binding_parse_arguments then parses or reports. */
static inline int parse_series_fast(PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames, PyObject *values[4]) {
    if (nargs < 2 || nargs > 4) return 0;
    values[0] = args[0];
    values[1] = args[1];
    values[2] = nargs > 2 ? args[2] : NULL;
    values[3] = nargs > 3 ? args[3] : NULL;
    const Py_ssize_t keywords = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < keywords; ++k) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, k);
        const int slot = key == series_interned[3] ? 3 : key == series_interned[2] ? 2 : -1;
        if (slot < 0 || values[slot] != NULL) return 0;
        values[slot] = args[nargs + k];
    }
    return 1;
}

static PyObject *single_series(const char *function, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
                               call_stage stage) {
    PyObject *values[4];
    if (!parse_series_fast(args, nargs, kwnames, values) &&
        binding_parse_arguments(function, args, nargs, kwnames, series_names, series_interned, 4, 2, values) != 0) {
        return NULL;
    }
    PyObject *data_object = values[0], *period_object = values[1];
    PyObject *kernel_object = values[2] ? values[2] : Py_None, *out_object = values[3] ? values[3] : Py_None;
    kernel_choice kernel = KERNEL_AUTO;
    long long period;
    int period_overflowed;
    if ((kernel_object != Py_None && binding_parse_kernel(kernel_object, &kernel) != 0) ||
        binding_parse_integer(period_object, "period", &period, &period_overflowed) != 0) {
        return NULL;
    }
    if (stage == STAGE_PARSE) {
        Py_RETURN_NONE;
    }
    jsa_isa isa;
    if (binding_resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    if (binding_acquire_input(data_object, &input) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    Py_ssize_t first = 0;
    if (binding_check_series(input.data, input.n, period, period_overflowed, period_object, &first) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    PyObject *result = out_object == Py_None ? binding_new_array(input.n) : (Py_INCREF(out_object), out_object);
    if (result == NULL) {
        binding_release_input(&input);
        return NULL;
    }
    output_buffer out;
    if (binding_acquire_output(result, &out, input.n) != 0) {
        Py_DECREF(result);
        binding_release_input(&input);
        return NULL;
    }
    if (binding_check_disjoint(&input, &out) != 0) {
        binding_release_output(&out);
        Py_DECREF(result);
        binding_release_input(&input);
        return NULL;
    }
    if (stage == STAGE_COMPUTE && input.n < GIL_RELEASE_MIN_ELEMENTS) {
        jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, out.data);
    } else if (stage == STAGE_COMPUTE) {
        Py_BEGIN_ALLOW_THREADS
        jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, out.data);
        Py_END_ALLOW_THREADS
    }
    if (stage == STAGE_COMPUTE) binding_commit_output(&out);
    binding_release_output(&out);
    binding_release_input(&input);
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

/* auto_kernel() -> (kernel, rule): what `auto` runs in this process, and the name of the table's
 * rule that chose it (None when no rule covers this CPU and the widest allowed kernel runs). */
static PyObject *py_auto_kernel(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    const int rule = jsa_auto_rule_for(&cpu);
    size_t count = 0;
    const jsa_auto_rule *rules = jsa_auto_rules(&count);
    if (rule < 0) {
        return Py_BuildValue("(sO)", binding_isa_name(binding_auto_isa), Py_None);
    }
    return Py_BuildValue("(ss)", binding_isa_name(binding_auto_isa), rules[rule].name);
}

/* avx512_variant() -> str: the variant the avx512 kernel runs in this process ("zmm-mixed",
 * "ymm-alignr", "zmm-permute", "ymm-ring"), chosen by the table's rule for this CPU as in the Swift API. */
static PyObject *py_avx512_variant(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    return PyUnicode_FromString(jsa_avx512_variant_name(jsa_avx512_variant_current()));
}

/* avx2_variant() -> str: the variant the avx2 kernel runs in this process ("split-loads",
 * "lane-permute", "lag-ring"), chosen by the table's rule for this CPU as in the Swift API. */
static PyObject *py_avx2_variant(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    return PyUnicode_FromString(jsa_avx2_variant_name(jsa_avx2_variant_current()));
}

/* native_loop(data, period, out, loops) -> ns: `loops` direct-write calls of the `auto` kernel
 * from C, timed with CLOCK_MONOTONIC (perf_counter_ns's clock) — the ladder's native rung. It runs
 * in the interpreter's process on the ladder's own arrays, interleaved with the Python rungs, so
 * that "overhead over native" compares like with like: measured in another process, the native
 * time carried that process's buffer placement and moment (it read 97 ns in one run and 144 ns
 * in the next, against 133 ns for jsa(x, p, out=o) in both). */
static PyObject *py_native_loop(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    long long period, loops;
    int overflowed_period, overflowed_loops;
    if (nargs != 4) {
        PyErr_Format(PyExc_TypeError, "native_loop() takes 4 arguments (%zd given)", nargs);
        return NULL;
    }
    if (binding_parse_integer(args[1], "period", &period, &overflowed_period) != 0 ||
        binding_parse_integer(args[3], "loops", &loops, &overflowed_loops) != 0) {
        return NULL;
    }
    input_buffer input;
    if (binding_acquire_input(args[0], &input) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    Py_ssize_t first = 0;
    output_buffer out;
    if (loops < 0 || overflowed_loops) {
        PyErr_Format(PyExc_ValueError, "loops must be a non-negative 64-bit count, got %S", args[3]);
        binding_release_input(&input);
        return NULL;
    }
    if (binding_check_series(input.data, input.n, period, overflowed_period, args[1], &first) != 0 ||
        binding_acquire_output(args[2], &out, input.n) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    if (binding_check_disjoint(&input, &out) != 0) {
        binding_release_output(&out);
        binding_release_input(&input);
        return NULL;
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long long k = 0; k < loops; ++k) {
        jsa_row(binding_auto_isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, out.data);
        __asm__ volatile("" ::: "memory");  /* every call's stores happen */
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    if (loops > 0) binding_commit_output(&out);
    binding_release_output(&out);
    binding_release_input(&input);
    return PyLong_FromLongLong((long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec));
}

static PyObject *py_jsa_copy(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    PyObject *values[3];
    if (binding_parse_arguments("jsa_copy", args, nargs, kwnames, series_names, series_interned, 3, 2, values) != 0) {
        return NULL;
    }
    PyObject *data_object = values[0], *period_object = values[1], *kernel_object = values[2] ? values[2] : Py_None;
    kernel_choice kernel;
    long long period;
    int period_overflowed;
    jsa_isa isa;
    if (binding_parse_kernel(kernel_object, &kernel) != 0 || binding_parse_integer(period_object, "period", &period, &period_overflowed) != 0 ||
        binding_resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    Py_ssize_t first = 0;
    if (binding_acquire_input(data_object, &input) != 0 ||
        binding_check_series(input.data, input.n, period, period_overflowed, period_object, &first) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    double *native = malloc((size_t)input.n * sizeof(double));
    if (native == NULL) {
        binding_release_input(&input);
        return PyErr_NoMemory();
    }
    Py_BEGIN_ALLOW_THREADS
    jsa_row(isa, input.data, (size_t)input.n, (size_t)first, (size_t)period, native);
    Py_END_ALLOW_THREADS
    PyObject *result = binding_new_array(input.n);
    if (result != NULL) {
        memcpy(PyArray_DATA((PyArrayObject *)result), native, (size_t)input.n * sizeof(double));
    }
    free(native);
    binding_release_input(&input);
    return result;
}

/* ---------------------------------------------------------------------------------------------
 * jsa_batch — mirrors PeriodRange and jsaBatch.
 * ------------------------------------------------------------------------------------------- */

static PyObject *py_jsa_batch(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    (void)self;
    PyObject *arguments[5];
    if (binding_parse_arguments("jsa_batch", args, nargs, kwnames, batch_names, batch_interned, 5, 4, arguments) != 0) {
        return NULL;
    }
    PyObject *data_object = arguments[0], *start_object = arguments[1], *end_object = arguments[2];
    PyObject *step_object = arguments[3], *kernel_object = arguments[4] ? arguments[4] : Py_None;
    long long start, end, step;
    int start_overflow, end_overflow, step_overflow;
    if (binding_parse_integer(start_object, "period_start", &start, &start_overflow) != 0 ||
        binding_parse_integer(end_object, "period_end", &end, &end_overflow) != 0 ||
        binding_parse_integer(step_object, "period_step", &step, &step_overflow) != 0) {
        return NULL;
    }
    if (start < 0 || end < 0 || step < 0 || start_overflow || end_overflow || step_overflow) {
        PyErr_Format(PyExc_ValueError,
                     "invalid period range start=%S end=%S step=%S (start and end must be >= 0 and step >= 0; "
                     "the range expands to no periods)",
                     start_object, end_object, step_object);
        return NULL;
    }
    /* The periods are start, start + stride, ..., start + steps * stride. steps * |stride| is at
     * most |end - start|, so nothing here overflows; the row count (steps + 1) is formed only
     * after the series checks have bounded the largest period by the input's length. */
    long long steps, stride;
    if (step == 0 || start == end) {
        steps = 0;
        stride = 0;
    } else {
        steps = llabs(end - start) / step;
        stride = start < end ? step : -step;
    }
    const long long last = start + steps * stride;
    const long long minimum = start < last ? start : last, maximum = start < last ? last : start;

    kernel_choice kernel;
    jsa_isa isa;
    if (binding_parse_kernel(kernel_object, &kernel) != 0 || binding_resolve_kernel(kernel, &isa) != 0) {
        return NULL;
    }
    input_buffer input;
    Py_ssize_t first = 0;
    if (binding_acquire_input(data_object, &input) != 0) {
        binding_release_input(&input);
        return NULL;
    }
    PyObject *minimum_object = PyLong_FromLongLong(minimum), *maximum_object = PyLong_FromLongLong(maximum);
    const int invalid = minimum_object == NULL || maximum_object == NULL ||
                        binding_check_series(input.data, input.n, minimum, 0, minimum_object, &first) != 0 ||
                        binding_check_series(input.data, input.n, maximum, 0, maximum_object, &first) != 0;
    Py_XDECREF(minimum_object);
    Py_XDECREF(maximum_object);
    if (invalid) {
        binding_release_input(&input);
        return NULL;
    }
    const Py_ssize_t n = input.n;
    const long long rows = steps + 1;
    if (rows > PY_SSIZE_T_MAX / n || rows * n > PY_SSIZE_T_MAX / 8) {
        PyErr_Format(PyExc_ValueError, "size overflow: %lld rows \xC3\x97 %zd values does not fit in memory addresses", rows, n);
        binding_release_input(&input);
        return NULL;
    }
    const long long bytes = rows * n * 8;
    const long long memory = (long long)sysconf(_SC_PHYS_PAGES) * (long long)sysconf(_SC_PAGESIZE);
    if (memory > 0 && bytes > memory) {
        PyErr_Format(PyExc_ValueError, "output of %lld bytes exceeds this machine's %lld bytes of memory", bytes, memory);
        binding_release_input(&input);
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
    binding_release_input(&input);
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
    {NULL, NULL, 0, NULL},
};

#if defined(JSA_NATIVE_EMBEDDED)
#include "measurement_support.h"

/* speed_probe() -> ns: one run of the speed probe (CMeasurement's speed_probe.c), timed with
 * CLOCK_MONOTONIC as the native sampler times it, so that the ladder's rungs have the speed index
 * the native cases have. Only in jsa-bench's embedded interpreter. */
static PyObject *py_speed_probe(PyObject *self, PyObject *unused) {
    (void)self;
    (void)unused;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    mx_speed_probe();
    clock_gettime(CLOCK_MONOTONIC, &end);
    return PyLong_FromLongLong((long long)(end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec));
}
#endif

/* The measurement probes of jsa-bench's FFI ladder, in the private submodule jsa_native._probes:
 * `jsa` stopped after parsing or after acquiring its buffers, and the kernel called from C in a
 * timed loop. Not part of the module's public API. */
static PyMethodDef probe_methods[] = {
    {"noop", (PyCFunction)(void (*)(void))py_noop, METH_FASTCALL | METH_KEYWORDS,
     "noop(data, period, kernel=None, out=None)\n--\n\nParses jsa's arguments and returns None."},
    {"acquire", (PyCFunction)(void (*)(void))py_acquire, METH_FASTCALL | METH_KEYWORDS,
     "acquire(data, period, kernel=None, out=None)\n--\n\n"
     "Parses, validates and acquires jsa's buffers (allocating out if not given), then returns None."},
    {"native_loop", (PyCFunction)(void (*)(void))py_native_loop, METH_FASTCALL,
     "native_loop(data, period, out, loops)\n--\n\n"
     "Runs the auto kernel `loops` times from C into out and returns the elapsed ns (the ladder's native rung)."},
    {"auto_kernel", (PyCFunction)py_auto_kernel, METH_NOARGS,
     "auto_kernel()\n--\n\nWhat `auto` runs here and the name of the table's rule that chose it (None: no rule, the widest)."},
    {"avx512_variant", (PyCFunction)py_avx512_variant, METH_NOARGS,
     "avx512_variant()\n--\n\nThe variant the avx512 kernel runs here: 'zmm-mixed', 'ymm-alignr', 'zmm-permute' or 'ymm-ring'."},
    {"avx2_variant", (PyCFunction)py_avx2_variant, METH_NOARGS,
     "avx2_variant()\n--\n\nThe variant the avx2 kernel runs here: 'split-loads', 'lane-permute' or 'lag-ring'."},
#if defined(JSA_NATIVE_EMBEDDED)
    {"speed_probe", (PyCFunction)py_speed_probe, METH_NOARGS,
     "speed_probe()\n--\n\nRuns jsa-bench's speed probe once and returns its ns."},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "jsa_native",
    "The JSA kernels (scalar / AVX2 / AVX-512F) for Python, sharing jsa-bench's C kernels.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit_jsa_native(void) {
    binding_features_detected = jsa_cpu_detect();
    binding_features_compiled = jsa_compiled_features();
    const char *cap = getenv("JSA_DISABLE_CPU_FEATURES");
    if (cap != NULL) {
        size_t bad_offset = 0, bad_length = 0;
        if (jsa_parse_feature_list(cap, &binding_features_disabled, &bad_offset, &bad_length) != 0) {
            PyObject *name = PyUnicode_DecodeUTF8(cap + bad_offset, (Py_ssize_t)bad_length, "replace");
            if (name != NULL) {
                PyErr_Format(PyExc_ImportError, "JSA_DISABLE_CPU_FEATURES: unknown CPU feature '%U' (known: avx2, avx512f)",
                             name);
                Py_DECREF(name);
            }
            return NULL;
        }
    }
    char variant_problem[256];
    if (jsa_forced_variant_problem(variant_problem, sizeof variant_problem) != 0) {
        PyErr_SetString(PyExc_ImportError, variant_problem);
        return NULL;
    }
    binding_auto_isa = binding_choose_auto_isa();
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
        Py_DECREF(m);
        return NULL;
    }
    PyObject *probes = PyModule_New("jsa_native._probes");
    if (probes == NULL || PyModule_AddFunctions(probes, probe_methods) != 0 ||
        PyModule_AddObject(m, "_probes", probes) != 0) {
        Py_XDECREF(probes);
        Py_DECREF(m);
        return NULL;
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
