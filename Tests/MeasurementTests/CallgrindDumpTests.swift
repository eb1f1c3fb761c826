import BenchModel
import Foundation
import Testing

@testable import Measurement

/// Callgrind's output as valgrind 3.19 wrote it for `jsa-bench callgrind-worker` (fixtures in
/// Resources/, from real runs: `native/into/avx2/n=1000/p=30`, 3 calls, with and without the
/// cache simulation), and the instruction mix joined with the kernel's disassembly.
struct CallgrindDumpTests {
    static let resources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources")
    /// The object the fixtures' per-instruction costs belong to, as valgrind named it.
    static let object = "/work/main/.build/x86_64-unknown-linux-gnu/release/jsa-bench"

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: resources.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func aCacheSimulationDumpGivesItsEventsGeometryAndPerInstructionCounts() throws {
        let dump = try #require(
            Callgrind.Dump(parsing: try Self.fixture("callgrind-cachesim-into-avx2-n1000.out"), instructionsOf: Self.object))
        #expect(dump.label == "native/into/avx2/n=1000/p=30")
        #expect(dump.creator == "callgrind-3.19.0")
        // The summary line: what callgrind collected over the 3 calls.
        #expect(dump.totals["Ir"] == 5700)
        #expect(dump.totals["Bc"] == 474)
        #expect(dump.totals["D1mr"] == 0 && dump.totals["DLmw"] == 0)
        #expect(Set(dump.totals.keys) == Set(SimulatedEvent.allCases.map(\.rawValue)))
        let geometry = try #require(dump.geometry)
        #expect(geometry == SimulatedCacheGeometry.portable)
        #expect(!dump.instructionCounts.isEmpty)
    }

    @Test func anInstructionsOnlyDumpHasNoGeometryAndNoPerInstructionCounts() throws {
        let dump = try #require(
            Callgrind.Dump(parsing: try Self.fixture("callgrind-instructions-into-avx2-n1000.out"), instructionsOf: Self.object))
        #expect(dump.totals == ["Ir": 5700])
        #expect(dump.geometry == nil)
        #expect(dump.instructionCounts.isEmpty)  // positions are lines there, not instructions
    }

    /// The AVX2 kernel at n = 1000, period 30: 970 outputs, 242 vectors of 4 (one add and one
    /// multiply each) and 2 left for the scalar tail.
    @Test func theInstructionMixOfTheAVX2KernelIsItsVectorWidth() throws {
        let dump = try #require(
            Callgrind.Dump(parsing: try Self.fixture("callgrind-cachesim-into-avx2-n1000.out"), instructionsOf: Self.object))
        let widths = InstructionMix.fpInstructions(inDisassembly: try Self.fixture("jsa_row_avx2.objdump"))
        #expect(!widths.isEmpty)
        let mix = InstructionMix.mix(counts: dump.instructionCounts, widths: widths, calls: 3)
        #expect(mix.packed256 == 484)
        #expect(mix.scalar == 4)
        #expect(mix.packed128 == 0 && mix.packed512 == 0)
        #expect(VectorIdentity.mismatch(kernel: "avx2", mix: try #require(mix.shares)) == nil)
        #expect(VectorIdentity.mismatch(kernel: "scalar", mix: try #require(mix.shares)) != nil)
    }

    @Test func aDumpNoClientRequestMadeIsSkipped() {
        #expect(Callgrind.Dump(parsing: "version: 1\nevents: Ir\nsummary: 10\n") == nil)
    }

    @Test func positionsFollowCallgrindsCompression() {
        var tracker = Callgrind.PositionTracker()
        #expect(tracker.next("0x13a020") == 0x13a020)
        #expect(tracker.next("+3") == 0x13a023)
        #expect(tracker.next("*") == 0x13a023)
        #expect(tracker.next("-19") == 0x13a010)
        #expect(tracker.next("42") == 42)
        #expect(tracker.next("+x") == nil)
    }

    /// The cost line after `calls=` is the callee's inclusive cost, not the caller's own.
    @Test func callCostsAreNotTheCallersInstructions() throws {
        let text = """
            desc: Trigger: Client Request: case
            positions: instr
            events: Ir
            summary: 7
            ob=(1) /bin/x
            fn=(1) f
            0x10 2
            calls=1 0x40
            +4 1000
            +2 5
            totals: 1007
            """
        let dump = try #require(Callgrind.Dump(parsing: text, instructionsOf: "/bin/x"))
        #expect(dump.instructionCounts == [0x10: 2, 0x16: 5])
        #expect(dump.totals == ["Ir": 7])
    }

    @Test func cacheLinesAreParsed() {
        let parsed = Callgrind.Dump.parseCache("desc: D1 cache: 49152 B, 64 B, 12-way associative")
        #expect(parsed?.0 == .d1)
        #expect(parsed?.1 == SimulatedCache(sizeBytes: 49152, associativity: 12, lineBytes: 64))
        #expect(Callgrind.Dump.parseCache("desc: Timerange: Basic block 0 - 6902828") == nil)
    }

    @Test(arguments: [
        ("vaddpd %ymm1,%ymm0,%ymm2", InstructionMix.Width.packed256),
        ("vmulpd 0x8(%rax),%zmm1,%zmm2{%k1}", .packed512),
        ("mulpd  %xmm1,%xmm0", .packed128),
        ("vfmadd231pd %ymm3,%ymm2,%ymm1", .packed256),
        ("addsd  %xmm1,%xmm0", .scalar),
        ("vsqrtsd %xmm1,%xmm1,%xmm0", .scalar)
    ])
    func floatingPointArithmeticOnDoublesIsClassifiedByWidth(instruction: String, width: InstructionMix.Width) {
        #expect(InstructionMix.width(of: instruction[...]) == width)
    }

    @Test(arguments: ["vmovupd %ymm0,(%rax)", "vbroadcastsd (%rip),%ymm0", "vaddps %ymm1,%ymm0,%ymm0", "vpaddq %ymm1,%ymm0,%ymm0", "ret"])
    func otherInstructionsAreNotCounted(instruction: String) {
        #expect(InstructionMix.width(of: instruction[...]) == nil)
    }
}
