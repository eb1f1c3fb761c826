#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The machine's memory, so that an impossible allocation becomes an error instead of a trap.
public enum SystemMemory {
    /// Physical memory in bytes, or nil where the OS does not say.
    public static let physicalBytes: Int? = {
        #if os(Linux) || os(macOS)
            let pages = sysconf(Int32(_SC_PHYS_PAGES))
            let pageSize = sysconf(Int32(_SC_PAGESIZE))
            guard pages > 0, pageSize > 0 else { return nil }
            let (bytes, overflow) = pages.multipliedReportingOverflow(by: pageSize)
            return overflow ? nil : bytes
        #else
            return nil
        #endif
    }()
}
