import BenchModel
import Foundation
import Testing
@testable import Analysis

@Suite struct ProcessesApartTests {
    static let cases = [
        "native/into/avx2/n=1000": 100.0, "native/into/scalar/n=1000": 400.0, "native/bare_c/avx2/n=1000": 98.0,
        "native/bare_c/scalar/n=1000": 396.0, "native/into_offset/scalar/n=1000": 404.0, "reference/memcpy/n=1000": 60.0,
        "reference/copy_loop/n=1000": 55.0, "reference/stream_add/n=1000": 70.0
    ]
    /// The cases that move data at the copy references' pace, which the memory's slower level slows.
    static let movingData: Set<String> = [
        "native/into/avx2/n=1000", "native/bare_c/avx2/n=1000", "reference/memcpy/n=1000", "reference/copy_loop/n=1000",
        "reference/stream_add/n=1000"
    ]

    /// A synthetic run of six processes of five rounds (the host switching between two speeds 1.8×
    /// apart) in which `slower` (process, case, factor) read a case that much slower in every one
    /// of its rounds, and the rounds `memorySlow` ran at a slower level of the memory — the cases
    /// moving data 1.35× slower, the speed probe unmoved — analysed afresh.
    static func run(
        seed: UInt64, processes: Int = 6, slower: [(process: Int, id: String?, factor: Double)], memorySlow: Set<Int> = []
    ) -> ResultsDocument {
        var document = SyntheticRun(truths: cases, processes: processes, roundsPerProcess: 5).document(seed: seed)
        for index in document.cases.indices {
            let c = document.cases[index]
            for sample in c.samplesNs.indices {
                let process = c.sampleProcesses![sample]
                for (slowProcess, id, factor) in slower where slowProcess == process && (id == nil || id == c.id) {
                    document.cases[index].samplesNs[sample] *= factor
                }
                if memorySlow.contains(c.sampleRounds![sample]) && Self.movingData.contains(c.id) {
                    document.cases[index].samplesNs[sample] *= 1.35
                }
            }
        }
        Analysis.analyze(&document)
        return document
    }

    /// A process that read `into avx2` 18% slower in every round is named, with about that
    /// deviation; one that read every case 30% slower (a slower stretch of the run) is not.
    @Test func aProcessSlowerAtOneCaseIsNamedOneSlowerAtEveryCaseIsNot() throws {
        let document = Self.run(seed: 7, slower: [(2, "native/into/avx2/n=1000", 1.18), (4, nil, 1.3)])
        let apart = try #require(document.analysis?.processesApart)
        #expect(apart.count == 1, "\(apart.map { ($0.process, $0.id, $0.deviation) })")
        let found = try #require(apart.first)
        #expect(found.id == "native/into/avx2/n=1000" && found.n == 1000 && found.process == 2 && found.processes == 6)
        #expect(abs(found.deviation - 0.18) < 0.04, "\(found.deviation)")
        #expect(found.summary.hasPrefix("native/into/avx2/n=1000 (process 3 of 6, +"))
    }

    /// A process faster at one case is named too, with a negative deviation.
    @Test func aProcessFasterAtOneCaseIsNamed() throws {
        let apart = try #require(Self.run(seed: 8, slower: [(0, "reference/memcpy/n=1000", 0.8)]).analysis?.processesApart)
        #expect(apart.map(\.process) == [0] && apart.map(\.id) == ["reference/memcpy/n=1000"], "\(apart)")
        #expect(abs(apart[0].deviation + 0.2) < 0.04, "\(apart[0].deviation)")
    }

    /// Over 25 seeded runs with the fixture's noise (a process effect of 3% shared by its cases,
    /// 2% per sample, the host switching speed) and no process apart, none is named.
    @Test func noiseNamesNoProcess() {
        let named = (0..<25).flatMap { seed in Self.run(seed: UInt64(seed), slower: []).analysis?.processesApart ?? [] }
        #expect(named.isEmpty, "\(named.prefix(3))")
    }

    /// The run's notes: one line per size, the farthest cases first, at most `listed` of them.
    @Test func theNotesAreOneLinePerSizeTheFarthestFirst() {
        let apart = [
            ProcessApart(id: "a/n=1000", n: 1000, process: 0, processes: 6, deviation: 0.16),
            ProcessApart(id: "b/n=1000", n: 1000, process: 1, processes: 6, deviation: -0.3),
            ProcessApart(id: "c/n=1000", n: 1000, process: 2, processes: 6, deviation: 0.2),
            ProcessApart(id: "d/n=100000", n: 100000, process: 3, processes: 6, deviation: 0.25)
        ]
        let notes = ProcessApart.notes(apart, listed: 2)
        #expect(notes.count == 2)
        #expect(
            notes[0].hasPrefix(
                "n=1000: 3 cases read more than 15% apart in one measuring process: b/n=1000 (process 2 of 6, -30.0%), "
                    + "c/n=1000 (process 3 of 6, +20.0%), and 1 more; "), "\(notes[0])")
        #expect(
            notes[1].hasPrefix("n=100000: 1 case read more than 15% apart in one measuring process: d/n=100000 (process 4 of 6, +25.0%); "))
        #expect(ProcessApart.notes([]).isEmpty)
    }

    /// Processes that sat at the memory's slower level (the cases moving data 1.35× slower, the
    /// core-bound ones not) set no case apart: their slower rounds are left out — two whole
    /// processes, and three of the five rounds of a third, which is then not judged. Read with those
    /// rounds, the same run names core-bound cases apart.
    @Test func aSlowerLevelOfTheMemoryNamesNoProcess() throws {
        let memorySlow = Set(10..<20).union([21, 22, 23])  // processes 2 and 3, and 3 rounds of process 4
        let document = Self.run(seed: 11, slower: [], memorySlow: memorySlow)
        #expect(document.analysis?.processesApart == [], "\(document.analysis?.processesApart ?? [])")
        let table = RoundTable(
            cases: document.cases, indices: Array(document.cases.indices), fastLevelCut: HostSpeed.fastLevelCut(of: document))
        let level = try #require(MemoryLevel(cases: document.cases, table: table))
        #expect(ProcessesApart.find(document.cases, table: table, memoryLevel: level).isEmpty)
        // Half the processes at one level of the memory and half at another: the polish takes
        // neither for the processes' own, and cases of both kinds read apart.
        let unread = ProcessesApart.find(document.cases, table: table)
        #expect(unread.contains { $0.id.contains("scalar") }, "\(unread)")
    }

    /// With two processes the others' median is one process: nothing is named, however far apart.
    @Test func twoProcessesNameNone() {
        let document = Self.run(seed: 9, processes: 2, slower: [(1, "native/into/avx2/n=1000", 1.5)])
        #expect(document.analysis?.processesApart == [])
    }
}
