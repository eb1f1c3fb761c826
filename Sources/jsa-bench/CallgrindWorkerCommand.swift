import ArgumentParser
import Foundation
import JSA
import Measurement
import Sweep

/// `jsa-bench callgrind-worker`: the process `sweep --counters callgrind` runs under valgrind.
/// Prints, as JSON on stdout, which cases it measured (and why not the others).
struct CallgrindWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callgrind-worker",
        abstract: "Internal: the native cases under callgrind (run by `sweep --counters callgrind`).",
        shouldDisplay: false)

    @Option(help: "Input lengths, comma-separated.")
    var sizes: String

    @Option(help: "Kernels, comma-separated.")
    var kernels: String

    @Option(help: "JSA period.")
    var period: Int

    @Option(help: "Seed of the input data.")
    var seed: UInt64

    @Option(help: "Calls counted per case.")
    var calls: Int = CallgrindPass.callsPerCase

    func run() throws {
        guard Callgrind.isActive else {
            throw failure("callgrind-worker must run under valgrind --tool=callgrind", ExitStatus.usage)
        }
        let sizeList: [Int]
        let kernelList: [Kernel]
        do {
            sizeList = try SizeList.parse(sizes)
            kernelList = try kernels.split(separator: ",").map { (name) throws(JSAError) in try Kernel(parsing: String(name)) }
        } catch {
            throw failure("\(error)", ExitStatus.usage)
        }
        let configuration = SweepConfiguration(sizes: sizeList, kernels: kernelList, period: period, samples: 1, seed: seed)
        let report = CallgrindPass.runWorker(configuration: configuration, calls: calls)
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }
}
