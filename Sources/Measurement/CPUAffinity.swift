import CMeasurement
import Foundation

/// Where this process may run.
public enum CPUAffinity {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Restricts the calling thread, and every thread it starts afterwards, to logical CPU `cpu`.
    /// - Throws: `Failure` with the system's reason (a CPU that does not exist or is not allowed).
    public static func pin(to cpu: Int) throws(Failure) {
        let status = mx_pin_to_cpu(Int32(clamping: cpu))
        guard status == 0 else {
            throw Failure(description: "cannot pin to CPU \(cpu): \(String(cString: strerror(status)))")
        }
    }
}

/// The life of a helper process (a measuring worker, the Python helper) is its parent's.
public enum ParentWatch {
    /// Makes the kernel end this process with SIGTERM when its parent dies (even by SIGKILL), and
    /// exits at once when the parent is already gone: a helper never lives on as an orphan.
    public static func endWithParent() {
        if mx_end_with_parent() != 0 { exit(0) }
    }
}
