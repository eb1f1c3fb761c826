/* jsa_native: argument parsing and kernel choice, with the Swift API's messages. */
#include "binding.h"

#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------------------------------
 * The CPU features the kernels may use (set by PyInit_jsa_native).
 * ------------------------------------------------------------------------------------------- */

uint32_t binding_features_detected = 0;
uint32_t binding_features_compiled = 0;
uint32_t binding_features_disabled = 0;
jsa_isa binding_auto_isa = JSA_ISA_SCALAR;

static const char *const kernel_names[] = {"auto", "scalar", "avx2", "avx512"};

/* ---------------------------------------------------------------------------------------------
 * Kernel names and support — mirrors Kernel(parsing:) and CPUFeatures.reasonUnsupported.
 * ------------------------------------------------------------------------------------------- */

/* The instruction set a concrete kernel name runs (not for auto). */
static jsa_isa isa_of(kernel_choice kernel) {
    return kernel == KERNEL_AVX2 ? JSA_ISA_AVX2 : kernel == KERNEL_AVX512 ? JSA_ISA_AVX512 : JSA_ISA_SCALAR;
}

static uint32_t usable_features(void) {
    return binding_features_detected & binding_features_compiled & ~binding_features_disabled;
}

/* Parses `name` (None → auto), case-insensitive with surrounding blanks ignored. Raises and
 * returns -1 on a bad name or type. */
int binding_parse_kernel(PyObject *name, kernel_choice *kernel) {
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

/* What `auto` runs with the features set so far, by the table the Swift API reads too
 * (jsa_auto_isa). PyInit_jsa_native stores it in binding_auto_isa once the features are known. */
jsa_isa binding_choose_auto_isa(void) {
    const jsa_cpu_identity cpu = jsa_cpu_identify();
    return jsa_auto_isa(&cpu, usable_features());
}

const char *binding_isa_name(jsa_isa isa) {
    return kernel_names[isa == JSA_ISA_AVX2 ? KERNEL_AVX2 : isa == JSA_ISA_AVX512 ? KERNEL_AVX512 : KERNEL_SCALAR];
}

/* Resolves `kernel` to an instruction set this machine can run; raises and returns -1 if it cannot. */
int binding_resolve_kernel(kernel_choice kernel, jsa_isa *isa) {
    if (kernel == KERNEL_AUTO) {
        *isa = binding_auto_isa;
        return 0;
    }
    const uint32_t usable = usable_features();
    const uint32_t needed = jsa_isa_required_features(isa_of(kernel));
    if ((usable & needed) == needed) {
        *isa = isa_of(kernel);
        return 0;
    }
    const char *feature = needed == JSA_FEATURE_AVX2 ? "AVX2" : "AVX512F";
    const char *name = kernel_names[kernel];
    if (!(binding_features_compiled & needed)) {
        PyErr_Format(PyExc_ValueError,
                     "kernel '%s' is not supported here: this build has no %s kernel (it is not an x86-64 build)", name, name);
    } else if (!(binding_features_detected & needed)) {
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

/* binding_parse_integer for what its inline path did not take: overflow, -1 (which may be an
 * error), subclasses of int and objects with __index__. */
int binding_parse_integer_general(PyObject *object, const char *what, long long *value, int *overflowed) {
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
int binding_parse_arguments(const char *function, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames,
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
