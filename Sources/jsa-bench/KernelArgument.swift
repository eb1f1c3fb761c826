import ArgumentParser
import JSA

/// A comma-separated list of kernel names, parsed with `Kernel(parsing:)` and its error message.
struct KernelList: ExpressibleByArgument {
    let kernels: [Kernel]

    init?(argument: String) {
        var kernels: [Kernel] = []
        for name in argument.split(separator: ",") {
            guard let kernel = try? Kernel(parsing: String(name)) else { return nil }
            kernels.append(kernel)
        }
        guard !kernels.isEmpty else { return nil }
        self.kernels = kernels
    }

    static var defaultCompletionKind: CompletionKind {
        .list(Kernel.allCases.map(\.rawValue))
    }
}
