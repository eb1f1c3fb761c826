/* jsa_native: input and output buffers, and the validation of a series, with the Swift API's messages. */
#include "binding.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A buffer format of one native-order float64: "d", "@d", "=d", or the explicit byte order of this
 * machine ("<d" on little-endian hosts, as ctypes and array interfaces spell it). NULL means "B". */
static int is_float64_format(const char *format) {
    if (format == NULL) return 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    const char native_order = '>';
#else
    const char native_order = '<';
#endif
    if (format[0] == native_order || format[0] == '=' || format[0] == '@') ++format;
    return strcmp(format, "d") == 0;
}

/* The element count and byte stride of a 1-D view. Exporters may leave `shape` or `strides` NULL
 * even when asked for them (ctypes arrays leave `strides` NULL: the buffer is C-contiguous), so
 * neither is read blindly. Raises and returns -1 unless the view is a 1-D vector of 8-byte items. */
static int vector_layout(const Py_buffer *view, const char *what, Py_ssize_t *n, Py_ssize_t *stride) {
    if (view->ndim != 1) {
        PyErr_Format(PyExc_TypeError, "%s must be 1-D, got %d dimensions", what, view->ndim);
        return -1;
    }
    if (view->itemsize != 8 || view->len % 8 != 0) {
        PyErr_Format(PyExc_TypeError, "%s must be float64, got %zd-byte items", what, view->itemsize);
        return -1;
    }
    *n = view->shape != NULL ? view->shape[0] : view->len / 8;
    *stride = view->strides != NULL ? view->strides[0] : 8;
    if (*n < 0 || (*n > 0 && view->buf == NULL)) {
        PyErr_Format(PyExc_TypeError, "%s is a malformed buffer (%zd elements)", what, *n);
        return -1;
    }
    return 0;
}

/* Any input the inline fast path (binding.h) did not take. */
int binding_acquire_input_general(PyObject *object, input_buffer *input) {
    memset(input, 0, sizeof *input);
    if (PyObject_GetBuffer(object, &input->view, PyBUF_STRIDES | PyBUF_FORMAT) != 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "data must be a 1-D float64 array (buffer protocol), got %s", Py_TYPE(object)->tp_name);
        return -1;
    }
    input->has_view = 1;
    if (!is_float64_format(input->view.format)) {
        PyErr_Format(PyExc_TypeError, "data must be float64, got buffer format '%s'",
                     input->view.format ? input->view.format : "B");
        return -1;
    }
    Py_ssize_t stride = 8;
    if (vector_layout(&input->view, "data", &input->n, &stride) != 0) {
        return -1;
    }
    const char *buffer = (const char *)input->view.buf;
    const Py_ssize_t span = input->n > 0 ? (input->n - 1) * stride : 0;
    input->origin_start = span < 0 ? buffer + span : buffer;
    input->origin_end = (span < 0 ? buffer : buffer + span) + (input->n > 0 ? 8 : 0);
    if ((stride == 8 || input->n <= 1) && (uintptr_t)buffer % _Alignof(double) == 0) {
        input->data = (const double *)buffer;
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

void binding_release_input_general(input_buffer *input) {
    free(input->copy);
    if (input->has_view) PyBuffer_Release(&input->view);
}

void binding_release_output_general(output_buffer *output) {
    free(output->staging);
    output->staging = NULL;
    if (output->has_view) PyBuffer_Release(&output->view);
    output->has_view = 0;
}

/* Any output the inline fast path (binding.h) did not take: the buffer protocol, or the error. */
int binding_acquire_output_general(PyObject *object, output_buffer *output, Py_ssize_t expected) {
    memset(output, 0, sizeof *output);
    if (binding_is_plain_float64_vector(object) && PyArray_ISWRITEABLE((PyArrayObject *)object)) {
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
        if (!is_float64_format(view->format)) {
            PyErr_Format(PyExc_TypeError, "out must be float64, got buffer format '%s'", view->format ? view->format : "B");
            binding_release_output_general(output);
            return -1;
        }
        Py_ssize_t stride = 8;
        if (vector_layout(view, "out", &output->n, &stride) != 0) {
            binding_release_output_general(output);
            return -1;
        }
        output->data = view->buf;
    }
    if (output->n != expected) {
        PyErr_Format(PyExc_ValueError, "output length mismatch: expected %zd, got %zd", expected, output->n);
        binding_release_output_general(output);
        return -1;
    }
    if ((uintptr_t)output->data % _Alignof(double) != 0) {
        /* Computed aligned, then copied in by binding_commit_output, as NumPy buffers unaligned data. */
        output->staging = malloc((size_t)(output->n > 0 ? output->n : 1) * sizeof(double));
        if (output->staging == NULL) {
            PyErr_NoMemory();
            binding_release_output_general(output);
            return -1;
        }
        output->target = (char *)output->data;
        output->data = output->staging;
    }
    return 0;
}

/* The first index that is not NaN (n when all are). */
static Py_ssize_t first_valid_index(const double *x, Py_ssize_t n) {
    Py_ssize_t i = 0;
    while (i < n && isnan(x[i])) ++i;
    return i;
}

/* The checks of Validation.firstValidIndex and Validation.checkPeriod, with their messages, for
 * what the inline fast path (binding.h) did not pass. */
int binding_check_series_general(const double *x, Py_ssize_t n, long long period, int period_overflowed, PyObject *period_object,
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

PyObject *binding_new_array(Py_ssize_t n) {
    npy_intp dims[1] = {n};
    return PyArray_SimpleNew(1, dims, NPY_DOUBLE);
}
