/* libFuzzer target: the jsa_native binding's argument and buffer parsing, driven through a real
 * (embedded) CPython with NumPy. Each input is decoded by fuzz_call.py into one call of a binding
 * function — which function, which buffer exporter for the data and for `out` (every exporter of
 * Tests/python/exporters.py), which values, period, kernel, keywords and argument count — and the
 * call must either return a bit-exact result or raise TypeError / ValueError. Anything else raises
 * out of fuzz_call.call, and this harness aborts so libFuzzer records the input; a crash of the
 * binding is caught by AddressSanitizer first.
 *
 * The binding and the kernels are compiled into this binary with coverage instrumentation
 * (scripts/fuzz); libpython and NumPy are Debian's, uninstrumented. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jsa_native_embed.h"

#ifndef JSA_FUZZ_PATH
#error "JSA_FUZZ_PATH: the folders of fuzz_call.py and exporters.py, ':'-separated (scripts/fuzz sets it)"
#endif

static PyObject *fuzz_call;

static void fail(const char *what) {
    fprintf(stderr, "binding_fuzzer: %s\n", what);
    if (PyErr_Occurred()) PyErr_Print();
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (jsa_native_register_builtin() != 0) fail("could not register jsa_native");
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    /* Debian's interpreter: its standard library and its NumPy, whatever this binary's path. */
    PyStatus status = PyConfig_SetBytesString(&config, &config.program_name, "/usr/bin/python3");
    if (PyStatus_Exception(status)) fail("PyConfig rejected the program name");
    status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) fail("the interpreter did not start");
    PyObject *sys_path = PySys_GetObject("path");
    PyObject *folders = PyUnicode_FromString(JSA_FUZZ_PATH);
    PyObject *parts = folders ? PyUnicode_Split(folders, PyUnicode_FromString(":"), -1) : NULL;
    if (!sys_path || !parts) fail("could not read the module path");
    for (Py_ssize_t i = PyList_GET_SIZE(parts) - 1; i >= 0; --i) {
        if (PyList_Insert(sys_path, 0, PyList_GET_ITEM(parts, i)) != 0) fail("could not extend sys.path");
    }
    Py_DECREF(parts);
    Py_DECREF(folders);
    PyObject *module = PyImport_ImportModule("fuzz_call");
    if (!module) fail("could not import fuzz_call");
    fuzz_call = PyObject_GetAttrString(module, "call");
    Py_DECREF(module);
    if (!fuzz_call) fail("fuzz_call has no call()");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    PyObject *bytes = PyBytes_FromStringAndSize((const char *)data, (Py_ssize_t)size);
    if (!bytes) fail("could not make the input bytes");
    PyObject *result = PyObject_CallOneArg(fuzz_call, bytes);
    Py_DECREF(bytes);
    if (!result) fail("a call ended other than by a bit-exact result, TypeError or ValueError");
    Py_DECREF(result);
    return 0;
}
