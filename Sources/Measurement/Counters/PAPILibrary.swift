import BenchModel
import CPAPI

/// The PAPI library of this process: initialised once, with its version and components.
///
/// On a machine without a PMU (a VM, a CI runner) PAPI still initialises; its perf_event component
/// may be disabled, or enabled with no hardware events. Either way every hardware counter is then
/// unavailable, and the reasons PAPI gives are what jsa-bench reports.
///
/// Not thread-safe: PAPI keeps global state (this project never calls PAPI_thread_init), so use
/// it, and every `PAPICounterSource`, from one thread at a time, as the sweep does — starting and
/// stopping a source on the thread that created it. Entry points go through `prepareThisThread()`.
public enum PAPILibrary {
    /// One PAPI component, as PAPI describes it (the model's `PAPIInventory.Component`).
    public typealias Component = PAPIInventory.Component
    /// What `jsa-bench env` prints about PAPI (the model's `PAPIInventory`).
    public typealias Inventory = PAPIInventory

    /// Initialises PAPI once; nil on success, PAPI's message otherwise.
    public static let initError: String? = {
        let result = PAPI_library_init(jsa_papi_ver_current())
        guard result == jsa_papi_ver_current() else {
            return result > 0 ? "PAPI version mismatch (library \(versionString(result)))" : message(result)
        }
        return nil
    }()

    /// `initError`, after making sure PAPI knows the calling thread.
    ///
    /// PAPI 7.0 keeps per-thread state behind a thread-local pointer that is set only on threads
    /// it has seen (the one that initialised it, one that created an event set), yet its event-name
    /// lookup writes through that pointer on any thread: a name lookup on a fresh thread
    /// dereferenced NULL (2 of 12 runs of the test binary, whose tests run on a thread pool,
    /// segfaulted there). `PAPI_register_thread` sets it; for a known thread it is a lookup.
    public static func prepareThisThread() -> String? {
        if let initError { return initError }
        _ = PAPI_register_thread()
        return nil
    }

    /// PAPI's text for an error code, e.g. "Event does not exist".
    public static func message(_ code: Int32) -> String {
        PAPI_strerror(code).map { String(cString: $0) } ?? "PAPI error \(code)"
    }

    static func versionString(_ version: Int32) -> String {
        "\(jsa_papi_version_major(version)).\(jsa_papi_version_minor(version)).\(jsa_papi_version_revision(version))"
    }

    /// The library's version, components and event counts.
    public static func inventory() -> Inventory {
        if let initError = prepareThisThread() {
            return Inventory(version: nil, initError: initError, components: [], availablePresets: 0, nativeEvents: 0)
        }
        let version = PAPI_get_opt(PAPI_LIB_VERSION, nil)
        let components = (0..<max(0, PAPI_num_components())).compactMap(component)
        return Inventory(
            version: versionString(version), initError: nil, components: components,
            availablePresets: availablePresetCount(), nativeEvents: components.reduce(0) { $0 + $1.nativeEvents })
    }

    static func component(_ index: Int32) -> Component? {
        guard let info = PAPI_get_component_info(index)?.pointee else { return nil }
        let enabled = info.disabled == 0
        var nativeEvents = 0
        if enabled {
            var code = jsa_papi_native_mask()
            var status = PAPI_enum_cmp_event(&code, Int32(PAPI_ENUM_FIRST), index)
            while status == PAPI_OK {
                nativeEvents += 1
                status = PAPI_enum_cmp_event(&code, Int32(PAPI_ENUM_EVENTS), index)
            }
        }
        let reason = cString(info.disabled_reason)
        return Component(
            index: Int(index), name: cString(info.name), enabled: enabled,
            disabledReason: enabled || reason.isEmpty ? (enabled ? nil : message(info.disabled)) : reason,
            counters: Int(max(0, info.num_cntrs)), nativeEvents: nativeEvents)
    }

    static func availablePresetCount() -> Int {
        var code = jsa_papi_preset_mask()
        var count = 0
        guard PAPI_enum_event(&code, Int32(PAPI_ENUM_FIRST)) == PAPI_OK else { return 0 }
        repeat {
            var info = PAPI_event_info_t()
            if PAPI_get_event_info(code, &info) == PAPI_OK && info.count > 0 {
                count += 1
            }
        } while PAPI_enum_event(&code, Int32(PAPI_ENUM_EVENTS)) == PAPI_OK
        return count
    }

    /// A fixed-size C char array (imported as a tuple) as a String.
    static func cString<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
