import BenchModel
import Foundation
import Testing
@testable import Analysis

@Suite struct MemoryLevelTests {
    /// The synthetic run of `ProcessesApartTests` (six processes of five rounds, three copy
    /// references) with the memory's slower level in `memorySlow` and `slower` as there.
    static func level(
        seed: UInt64, memorySlow: Set<Int>, slower: [(process: Int, id: String?, factor: Double)] = []
    ) throws -> (MemoryLevel, ResultsDocument) {
        let document = ProcessesApartTests.run(seed: seed, slower: slower, memorySlow: memorySlow)
        let table = RoundTable(
            cases: document.cases, indices: Array(document.cases.indices), fastLevelCut: HostSpeed.fastLevelCut(of: document))
        return (try #require(MemoryLevel(cases: document.cases, table: table)), document)
    }

    /// The rounds at the memory's slower level are the slow ones, whatever the probe read; the
    /// run records the size and warns of it.
    @Test func theRoundsAtTheSlowerLevelAreFound() throws {
        let memorySlow = Set(10..<20).union([21, 22, 23])
        let (level, document) = try Self.level(seed: 11, memorySlow: memorySlow)
        let table = RoundTable(
            cases: document.cases, indices: Array(document.cases.indices), fastLevelCut: HostSpeed.fastLevelCut(of: document))
        let read = table.rounds.indices.filter { level.slowdowns[$0].isFinite }
        #expect(read.count >= 15, "\(level.slowdowns)")  // the rounds whose references ran at the probe's fast level
        for column in read {
            #expect(level.isFast(column: column) == !memorySlow.contains(table.rounds[column]), "round \(table.rounds[column])")
        }
        let summary = try #require(document.analysis?.memoryLevels?.first)
        #expect(summary.n == 1000 && summary.rounds == read.count)
        #expect(summary.slowRounds == read.filter { memorySlow.contains(table.rounds[$0]) }.count)
        #expect(summary.slowest > 1.3 && summary.slowest < 1.45, "\(summary.slowest)")
        let memcpyFast = try #require(summary.memcpyFastNs)
        #expect(abs(memcpyFast / 60 - 1) < 0.1, "\(memcpyFast)")
        let note = try #require(summary.note)
        #expect(note.hasPrefix("n=1000: the copy references ran more than 15% above their fast level (memcpy "), "\(note)")
        #expect(note.contains("in \(summary.slowRounds) of \(summary.rounds) rounds, up to 1."), "\(note)")
    }

    /// One reference slower in one process (its own code or buffers) is not the memory's level:
    /// the round's reading is the median over the references, and that process stays judged.
    @Test func oneReferenceSlowerIsNotTheMemorysLevel() throws {
        let (level, document) = try Self.level(seed: 12, memorySlow: [], slower: [(1, "reference/memcpy/n=1000", 1.4)])
        #expect(level.slowdowns.filter(\.isFinite).allSatisfy { $0 < MemoryLevelSummary.slowdown }, "\(level.slowdowns)")
        #expect(document.analysis?.memoryLevels?.first?.note == nil)
        let apart = try #require(document.analysis?.processesApart)
        #expect(apart.map(\.id) == ["reference/memcpy/n=1000"] && apart.map(\.process) == [1], "\(apart)")
    }

    /// Slow rounds below the share that makes a level (spikes scattered in time) are recorded and
    /// not warned of; a size with fewer than two references has no reading.
    @Test func aFewSlowRoundsAreNotWarnedOfAndOneReferenceReadsNothing() throws {
        let summary = MemoryLevelSummary(n: 100000, memcpyFastNs: 20400, rounds: 60, slowRounds: 11, slowest: 1.6)
        #expect(!summary.isNoted && summary.note == nil)
        #expect(MemoryLevelSummary(n: 100000, memcpyFastNs: nil, rounds: 60, slowRounds: 12, slowest: 1.6).isNoted)
        #expect(MemoryLevelSummary(n: 100000, memcpyFastNs: nil, rounds: 0, slowRounds: 0, slowest: 1).note == nil)
        let json = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(json.keys) == ["n", "memcpy_fast_ns", "rounds", "slow_rounds", "slowest"], "\(json.keys)")
        #expect(try JSONDecoder().decode(MemoryLevelSummary.self, from: JSONEncoder().encode(summary)) == summary)
        var document = ProcessesApartTests.run(seed: 13, slower: [])
        document.cases.removeAll { $0.id == "reference/copy_loop/n=1000" || $0.id == "reference/stream_add/n=1000" }
        Analysis.analyze(&document)
        #expect(document.analysis?.memoryLevels == [])
    }
}
