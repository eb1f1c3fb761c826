import BenchModel
import Foundation
import Testing
@testable import Analysis

@Suite struct ProcessesApartTests {
    static let cases = [
        "native/into/avx2/n=1000": 100.0, "native/into/scalar/n=1000": 400.0, "native/bare_c/avx2/n=1000": 98.0,
        "reference/memcpy/n=1000": 60.0
    ]

    /// A synthetic run of six processes (the host switching between two speeds 1.8× apart) in
    /// which `slower` (process, case, factor) read a case that much slower in every one of its
    /// rounds, analysed afresh.
    static func run(seed: UInt64, processes: Int = 6, slower: [(process: Int, id: String?, factor: Double)]) -> ResultsDocument {
        var document = SyntheticRun(truths: cases, processes: processes, roundsPerProcess: 5).document(seed: seed)
        for (process, id, factor) in slower {
            for index in document.cases.indices where id == nil || document.cases[index].id == id {
                for sample in document.cases[index].samplesNs.indices where document.cases[index].sampleProcesses![sample] == process {
                    document.cases[index].samplesNs[sample] *= factor
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

    /// With two processes the others' median is one process: nothing is named, however far apart.
    @Test func twoProcessesNameNone() {
        let document = Self.run(seed: 9, processes: 2, slower: [(1, "native/into/avx2/n=1000", 1.5)])
        #expect(document.analysis?.processesApart == [])
    }
}
