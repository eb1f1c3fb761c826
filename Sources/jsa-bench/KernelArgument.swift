import ArgumentParser
import JSA

/// A comma-separated list of kernel names, parsed with `Kernel(parsing:)` and its error message.
struct KernelList: ExpressibleByArgument {
    let kernels: [Kernel]

    /// Why a list is not a kernel list: a name that is not a kernel (`JSAError`'s message), or no name.
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `text`: names separated by commas, at least one.
    init(parsing text: String) throws(ParseError) {
        var kernels: [Kernel] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            do {
                kernels.append(try Kernel(parsing: String(name)))
            } catch {
                throw ParseError(description: error.description)
            }
        }
        guard !kernels.isEmpty else { throw ParseError(description: "no kernel named (expected names: auto, scalar, avx2, avx512)") }
        self.kernels = kernels
    }

    init?(argument: String) {
        guard let list = try? KernelList(parsing: argument) else { return nil }
        self = list
    }

    static var defaultCompletionKind: CompletionKind {
        .list(Kernel.allCases.map(\.rawValue))
    }
}
