import Foundation
import CJSAKernels
import Testing
@testable import JSA

/// Outputs beyond the last-level cache are written with streaming stores (jsa_streaming_threshold).
/// The sweep's sizes rarely reach it, so these tests lower the threshold to 0 — every SIMD call
/// streams — and hold every kernel to scalar's bits, single rows and batches.
@Suite(.serialized) struct StreamingStoreTests {
    /// Runs `body` with the streaming threshold at `bytes` and, given `pages`, every streamed row
    /// interleaving that many stretches of 4 KiB; then restores the process's settings.
    func withThreshold(_ bytes: Int, pages: Int? = nil, _ body: () throws -> Void) rethrows {
        let previous = (
            threshold: jsa_streaming_threshold(), pages: jsa_streaming_pages(), interleaved: jsa_interleaved_streaming_threshold()
        )
        jsa_set_streaming_threshold(bytes)
        if let pages {
            jsa_set_streaming_pages(pages)
            jsa_set_interleaved_streaming_threshold(0)
        }
        defer {
            jsa_set_streaming_threshold(previous.threshold)
            jsa_set_streaming_pages(previous.pages)
            jsa_set_interleaved_streaming_threshold(previous.interleaved)
        }
        try body()
    }

    /// The default is 3/8 of the L3 size from sysfs — an output that, with its input, fills 3/4 of
    /// the L3 — or never (SIZE_MAX, which Swift sees as -1 through `size_t` → `Int`) where the L3
    /// is unknown, lower where this CPU's auto rule says (the next test); tests and tuning can set
    /// it.
    @Test func thresholdIsThreeEighthsOfTheCacheOrNeverAndCanBeSet() throws {
        #expect(jsa_streaming_threshold_for_l3(8 << 20) == 3 << 20)
        #expect(jsa_streaming_threshold_for_l3(32 << 20) == 12 << 20)
        #expect(jsa_streaming_threshold_for_l3(105 << 20) == 105 << 20 / 8 * 3)
        #expect(jsa_streaming_threshold_for_l3(Int.max) == Int.max / 8 * 3)
        #expect(jsa_streaming_threshold_for_l3(-1) == -1)  // SIZE_MAX: unknown
        let threshold = jsa_streaming_threshold()
        if let size = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cache/index3/size", encoding: .utf8),
            let kib = Int(size.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()), size.contains("K")
        {
            var cpu = CPUIdentity.current.cIdentity
            #expect(threshold == jsa_streaming_threshold_for_cpu(&cpu, kib << 10))
            #expect(StreamingStores.choice(for: .current, l3Bytes: kib << 10).bytes == threshold)
            #expect(StreamingStores.threshold == threshold)
        }
        withThreshold(12345) { #expect(jsa_streaming_threshold() == 12345) }
        #expect(jsa_streaming_threshold() == threshold)
    }

    /// A rule's `streamingFrom` lowers the threshold on the CPUs it covers, never raises it: the
    /// Intel Xeon guests' 8 MiB below 3/8 of a 300 MiB L3 and where the L3 is unknown, 3/8 of a
    /// 16 MiB one (6 MiB) where that is lower; CPUs of a rule without it, and CPUs no rule covers,
    /// keep 3/8 of the L3 or never stream.
    @Test func aRuleLowersTheThresholdOnTheCPUsItCovers() throws {
        let xeon = CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0xCF)
        let rule = try #require(AutoKernelTable.rule(for: xeon))
        #expect(rule.streamingFrom == 8 << 20)
        #expect(AutoKernelTable.rule(for: AutoKernelTableTests.zen4)?.streamingFrom == nil)
        let unknown = CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0x55)
        let cases: [(CPUIdentity, l3: Int?, expected: Int?)] = [
            (xeon, 300 << 20, 8 << 20), (xeon, 16 << 20, 6 << 20), (xeon, nil, 8 << 20),
            (AutoKernelTableTests.zen4, 32 << 20, 12 << 20), (AutoKernelTableTests.zen4, nil, nil),
            (unknown, 300 << 20, 300 << 20 / 8 * 3), (unknown, nil, nil), (.unknown, nil, nil)
        ]
        for (cpu, l3, expected) in cases {
            let choice = StreamingStores.choice(for: cpu, l3Bytes: l3)
            #expect(choice.bytes == expected, "\(cpu), L3 \(l3.map(String.init) ?? "unknown")")
            let byRule = expected != nil && expected != l3.map { $0 / 8 * 3 }
            #expect(choice.reason.contains("use streaming stores: rule \"\(rule.name)\"") == byRule, "\(choice.reason)")
            #expect(choice.reason.contains("never stream") == (expected == nil), "\(choice.reason)")
        }
        #expect(StreamingStores.choice(for: xeon, l3Bytes: 300 << 20).reason.contains("3/8 of the L3 would be 112.5 MiB"))
    }

    /// A streamed row walks its output in order, or in the stretches of 4 KiB its rule interleaves:
    /// four from rows of 32 MiB on the Intel Xeon guests, in order where a rule says nothing or none
    /// covers the CPU; the process's settings start at its CPU's, and the stretches can be set
    /// within 1...JSA_STREAMING_PAGES_MAX.
    @Test func aRuleSetsTheStretchesAStreamedRowInterleaves() throws {
        var xeon = CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0xCF).cIdentity
        var zen4 = AutoKernelTableTests.zen4.cIdentity
        var unknown = CPUIdentity.unknown.cIdentity
        #expect(jsa_streaming_pages_for_cpu(&xeon) == 4)
        #expect(jsa_streaming_pages_for_cpu(&zen4) == 1)
        #expect(jsa_streaming_pages_for_cpu(&unknown) == 1)
        #expect(jsa_interleaved_streaming_threshold_for_cpu(&xeon) == 32 << 20)
        #expect(jsa_interleaved_streaming_threshold_for_cpu(&zen4) == -1)  // SIZE_MAX: never
        #expect(jsa_interleaved_streaming_threshold_for_cpu(&unknown) == -1)
        #expect(AutoKernelTable.rule(for: CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0xCF))?.streamingPages == 4)
        #expect(AutoKernelTable.rule(for: AutoKernelTableTests.zen4)?.streamingPages == 1)
        let xeonReason = StreamingStores.choice(for: CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0xCF), l3Bytes: 300 << 20)
        #expect(
            xeonReason.reason.hasSuffix(
                "; rows of 32 MiB or more in 4 stretches of 4 KiB written interleaved, the others in order "
                    + "(rule \"Intel Xeon with AVX-512 (Sapphire Rapids class, as KVM guests report it)\")"))
        #expect(StreamingStores.choice(for: AutoKernelTableTests.zen4, l3Bytes: 32 << 20).reason.hasSuffix("; in order"))
        var current = CPUIdentity.current.cIdentity
        #expect(StreamingStores.pages == jsa_streaming_pages_for_cpu(&current))
        #expect(StreamingStores.interleavedFrom ?? -1 == jsa_interleaved_streaming_threshold_for_cpu(&current))
        withThreshold(0, pages: 0) { #expect(StreamingStores.pages == 1) }
        withThreshold(0, pages: 1000) { #expect(StreamingStores.pages == Int(JSA_STREAMING_PAGES_MAX)) }
        #expect(StreamingStores.pages == jsa_streaming_pages_for_cpu(&current))
    }

    /// In order and in 2, 4 and 16 interleaved stretches of 4 KiB: rows of one stretch and less,
    /// of whole groups of stretches and of groups with a remainder in order.
    @Test(arguments: [1, 2, 4, 16])
    func streamedRowsAndBatchesEqualScalar(pages: Int) throws {
        let kernels = Kernel.concrete.filter { (try? CPUFeatures.current().supports($0)) ?? false }
        try withThreshold(0, pages: pages) {
            for n in [31, 64, 100, 257, 1000, 4099, 9001] {
                let x = (0..<n).map { Double(($0 * 7919) % 1000) / 7 - 70 }
                // Outputs at every 8-byte offset from a 64-byte line; lagged loads at every offset
                // from one (period 1 and 5) and at the default period.
                for offset in 0..<8 {
                    var storage = [Double](repeating: 0, count: n + 8)
                    for kernel in kernels {
                        for period in [1, 5, 30] {
                            let expected = try jsa(x, period: period, kernel: .scalar)
                            try storage.withUnsafeMutableBufferPointer { buffer in
                                let out = UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + n)])
                                try x.withUnsafeBufferPointer { try jsaInto($0, period: period, kernel: kernel, output: out) }
                                #expect(
                                    out.elementsEqual(expected) { $0.bitPattern == $1.bitPattern },
                                    "\(kernel) n=\(n) period=\(period) offset=\(offset)")
                            }
                        }
                    }
                }
                let periods = try PeriodRange(start: 10, end: 20, step: 3)
                let expectedBatch = try jsaBatch(x, periods: periods, kernel: .scalar)
                for kernel in kernels {
                    let batch = try jsaBatch(x, periods: periods, kernel: kernel)
                    #expect(batch.values.elementsEqual(expectedBatch.values) { $0.bitPattern == $1.bitPattern }, "\(kernel) n=\(n)")
                }
            }
        }
    }

    /// Rows of a batch computed apart (`jsa_rows_of_batch`, what the threads of a parallel batch
    /// call) equal the batch computed whole, for every kernel, whether the batch streams or not —
    /// including a threshold above each row's output and below the batch's, where the rows stream
    /// only because the batch does.
    @Test func rowsOfABatchEqualTheWholeBatch() throws {
        let kernels = Kernel.concrete.filter { (try? CPUFeatures.current().supports($0)) ?? false }
        let (n, rows, start, step) = (1000, 7, 40, -3)
        let x = (0..<n).map { Double(($0 * 7919) % 1000) / 7 - 70 }
        let batchBytes = rows * n * MemoryLayout<Double>.stride
        for threshold in [0, n * MemoryLayout<Double>.stride + 1, batchBytes + 1] {
            try withThreshold(threshold) {
                for kernel in kernels {
                    var whole = [Double](repeating: 0, count: rows * n)
                    var apart = [Double](repeating: 1, count: rows * n)
                    x.withUnsafeBufferPointer { input in
                        #expect(jsa_rows(kernel.isa, input.baseAddress, n, 0, start, step, rows, &whole) == 0)
                        apart.withUnsafeMutableBufferPointer { output in
                            for row in 0..<rows {
                                let status = jsa_rows_of_batch(
                                    kernel.isa, input.baseAddress, n, 0, start + row * step, 0, 1, batchBytes,
                                    output.baseAddress! + row * n)
                                #expect(status == 0)
                            }
                        }
                    }
                    #expect(
                        apart.elementsEqual(whole) { $0.bitPattern == $1.bitPattern }, "\(kernel) threshold \(threshold)")
                }
                let periods = try PeriodRange(start: 10, end: 40, step: 1)
                let serial = try jsaBatch(x, periods: periods, kernel: .auto)
                let parallel = try jsaBatch(x, periods: periods, kernel: .auto, parallel: true)
                #expect(parallel.values.elementsEqual(serial.values) { $0.bitPattern == $1.bitPattern }, "threshold \(threshold)")
            }
        }
    }
}
