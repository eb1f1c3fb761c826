import BenchModel
import Foundation
import Testing

@Suite struct MachineFingerprintTests {
    static func machine(flags: [String], disabled: [String]?) -> Environment {
        var environment = HistoryFixture.environment()
        environment.cpuFlags = flags
        environment.disabledCPUFeatures = disabled
        return environment
    }

    static let avx512Flags = ["avx2", "avx512bw", "avx512f", "avx512vl", "fma", "sse2"]

    /// A run under `JSA_DISABLE_CPU_FEATURES` is the machine without those sets: its own series.
    @Test func aCappedRunIsTheMachineWithoutTheDisabledSets() {
        let uncapped = MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: []))
        let noAVX512 = MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: ["avx512f"]))
        let noAVX2 = MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: ["avx2", "avx512f"]))
        #expect(Set([uncapped.id, noAVX512.id, noAVX2.id]).count == 3)
        #expect(noAVX512.cpuFlags == ["avx2", "fma", "sse2"])
        #expect(noAVX2 == MachineFingerprint(Self.machine(flags: ["fma", "sse2"], disabled: nil)))
    }

    /// A run measured other than warm on 4 KiB pages (cold caches, huge pages) times other things:
    /// its own series, named in the summary. A warm run on 4 KiB pages, and one from before
    /// `--pages`, keeps the fingerprint it had before the way of measuring was recorded.
    @Test func aRunMeasuredOtherwiseIsItsOwnSeries() throws {
        func document(cold: Bool, pages: PageSize?) -> ResultsDocument {
            var document = HistoryFixture.document(started: "2026-12-05T10:00:00Z", commit: "c", values: ["x": 1])
            document.run.cold = cold
            document.run.pages = pages
            return document
        }
        let plain = MachineFingerprint(HistoryFixture.environment())
        #expect(MachineFingerprint(document(cold: false, pages: .base)) == plain)
        #expect(MachineFingerprint(document(cold: false, pages: nil)) == plain)
        let cold = MachineFingerprint(document(cold: true, pages: .base))
        let huge = MachineFingerprint(document(cold: false, pages: .huge))
        let both = MachineFingerprint(document(cold: true, pages: .huge))
        #expect(Set([plain.id, cold.id, huge.id, both.id]).count == 4)
        #expect([cold.measuring, huge.measuring, both.measuring] == ["cold caches", "2 MiB huge pages", "cold caches, 2 MiB huge pages"])
        #expect(huge.summary.hasSuffix(", release, 2 MiB huge pages") && plain.summary.hasSuffix(", release"))
        // The history's JSON carries it, and leaves it out where there is none.
        let json = String(decoding: try JSONEncoder().encode(huge), as: UTF8.self)
        #expect(json.contains(#""measuring":"2 MiB huge pages""#))
        #expect(try JSONDecoder().decode(MachineFingerprint.self, from: Data(json.utf8)) == huge)
        #expect(!String(decoding: try JSONEncoder().encode(plain), as: UTF8.self).contains("measuring"))
        // Placements (`--placements`) mix draws of pages: more than one is a series of its own.
        var placed = document(cold: false, pages: .base)
        placed.run.placements = 8
        #expect(MachineFingerprint(placed).measuring == "8 placements" && MachineFingerprint(placed).id != plain.id)
        placed.run.placements = 1
        #expect(MachineFingerprint(placed) == plain)
    }

    /// Documents written before the cap was recorded, and uncapped runs, keep their fingerprint.
    @Test func anUncappedRunKeepsItsFingerprint() {
        #expect(
            MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: nil))
                == MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: [])))
    }
}
