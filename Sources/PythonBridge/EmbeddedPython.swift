import CJSAPython
import CPython

/// The CPython interpreter embedded in this process: Debian's libpython (python3-embed), with the
/// `jsa_native` extension registered as a built-in module — the same C source that
/// scripts/build-pyext builds for an ordinary python3.
///
/// Initialised once, on the calling thread, which then holds the GIL; every use must come from
/// that thread. The interpreter is never finalized (NumPy does not support re-initialisation).
public final class EmbeddedPython {
    /// Why the interpreter (or NumPy) is unavailable: one line for the user.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// The program name given to PyConfig, so that `sys.executable` and the module search path are
    /// Debian's python3's — not whatever `python3` comes first on PATH.
    public static let programName = "/usr/bin/python3"

    nonisolated(unsafe) private static var shared: Result<EmbeddedPython, Unavailable>?

    /// The interpreter, started on first use, with NumPy and jsa_native importable.
    public static func start() throws(Unavailable) -> EmbeddedPython {
        if let shared { return try shared.get() }
        let result = Result { () throws(Unavailable) -> EmbeddedPython in try EmbeddedPython() }
        shared = result
        return try result.get()
    }

    private init() throws(Unavailable) {
        guard jsa_native_register_builtin() == 0 else {
            throw Unavailable(description: "could not register jsa_native as a built-in module")
        }
        var config = PyConfig()
        PyConfig_InitPythonConfig(&config)
        defer { PyConfig_Clear(&config) }
        config.install_signal_handlers = 0  // Ctrl-C stays jsa-bench's
        config.parse_argv = 0
        let named = jsa_py_config_set_program_name(&config, Self.programName)
        guard jsa_py_status_is_exception(named) == 0 else {
            throw Unavailable(description: "PyConfig rejected the program name \(Self.programName)")
        }
        let status = Py_InitializeFromConfig(&config)
        if jsa_py_status_is_exception(status) != 0 {
            let message = status.err_msg.map { String(cString: $0) } ?? "unknown error"
            throw Unavailable(description: "the embedded Python did not start: \(message)")
        }
        if let problem = run("import numpy, jsa_native") {
            throw Unavailable(description: "the embedded Python cannot import NumPy and jsa_native: \(problem)")
        }
    }

    /// Runs `code` as a module-level statement block; nil on success, else the exception's text.
    @discardableResult
    public func run(_ code: String) -> String? {
        let globals = mainDictionary()
        guard let result = PyRun_String(code, Py_file_input, globals, globals) else {
            return fetchError()
        }
        jsa_py_decref(result)
        return nil
    }

    /// Makes `source` importable as module `name` (registered in sys.modules, imported into
    /// `__main__`); nil on success, else the exception's text. A module loaded before is kept.
    @discardableResult
    public func load(module name: String, source: String) -> String? {
        if (try? evaluate("'\(name)' in __import__('sys').modules")) == "True" { return nil }
        guard let module = PyImport_AddModule(name), let globals = PyModule_GetDict(module) else {
            return fetchError()
        }
        if PyDict_GetItemString(globals, "__builtins__") == nil {
            PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins())
        }
        guard let result = PyRun_String(source, Py_file_input, globals, globals) else {
            let problem = fetchError()
            run("import sys; sys.modules.pop('\(name)', None)")
            return problem
        }
        jsa_py_decref(result)
        return run("import \(name)")
    }

    /// Evaluates the expression `code` and returns its value as a string (`str()`), or throws the
    /// exception's text.
    public func evaluate(_ code: String) throws(Unavailable) -> String {
        let globals = mainDictionary()
        guard let value = PyRun_String(code, Py_eval_input, globals, globals) else {
            throw Unavailable(description: fetchError())
        }
        defer { jsa_py_decref(value) }
        guard let text = PyObject_Str(value) else { throw Unavailable(description: fetchError()) }
        defer { jsa_py_decref(text) }
        guard let utf8 = PyUnicode_AsUTF8(text) else { throw Unavailable(description: fetchError()) }
        return String(cString: utf8)
    }

    private func mainDictionary() -> UnsafeMutablePointer<PyObject>? {
        PyModule_GetDict(PyImport_AddModule("__main__"))
    }

    /// The pending exception as `Type: message`, cleared.
    private func fetchError() -> String {
        var type: UnsafeMutablePointer<PyObject>?
        var value: UnsafeMutablePointer<PyObject>?
        var traceback: UnsafeMutablePointer<PyObject>?
        PyErr_Fetch(&type, &value, &traceback)
        defer {
            jsa_py_decref(type)
            jsa_py_decref(value)
            jsa_py_decref(traceback)
        }
        func text(_ object: UnsafeMutablePointer<PyObject>?) -> String {
            guard let object, let string = PyObject_Str(object) else { return "" }
            defer { jsa_py_decref(string) }
            return PyUnicode_AsUTF8(string).map { String(cString: $0) } ?? ""
        }
        let name = type.flatMap { t in PyObject_GetAttrString(t, "__name__") }
        defer { jsa_py_decref(name) }
        return "\(text(name)): \(text(value))"
    }
}
