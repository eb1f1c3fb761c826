import BenchModel
import Testing

@testable import Sweep

@Suite struct CounterSelectionTests {
    @Test func cachesimIsCallgrindWithTheSimulation() throws {
        let selection = try CounterSelection(parsing: "core, cachesim")
        #expect(selection.groups == [.core])
        #expect(selection.callgrind && selection.cacheSimulation)
        let instructions = try CounterSelection(parsing: "callgrind")
        #expect(instructions.callgrind && !instructions.cacheSimulation)
    }

    @Test func anUnknownGroupNamesTheValidOnes() {
        #expect(throws: CounterSelection.ParseError.self) { try CounterSelection(parsing: "cachesimulation") }
        do {
            _ = try CounterSelection(parsing: "l4")
        } catch {
            #expect(error.description.contains("callgrind, cachesim"))
        }
    }
}

@Suite struct SimulatedCacheSettingTests {
    @Test func portableSetsEveryLevel() throws {
        let caches = try SimulatedCacheSetting.parse("portable")
        #expect(caches[.i1] == SimulatedCacheGeometry.portable.i1)
        #expect(caches[.d1] == SimulatedCacheGeometry.portable.d1)
        #expect(caches[.ll] == SimulatedCacheGeometry.portable.ll)
    }

    @Test func levelsTakeSizesInBytesOrWithKAndM() throws {
        let caches = try SimulatedCacheSetting.parse("d1=48K,12,64; LL=16M,16,64")
        #expect(
            caches == [
                .d1: SimulatedCache(sizeBytes: 49152, associativity: 12, lineBytes: 64),
                .ll: SimulatedCache(sizeBytes: 16 << 20, associativity: 16, lineBytes: 64)
            ])
        #expect(try SimulatedCacheSetting.parse("I1=32768,8,64")[.i1]?.sizeBytes == 32768)
    }

    @Test(arguments: [
        ("L2=1M,16,64", "LEVEL=SIZE,WAYS,LINE"),
        ("D1=32K,8", "expected SIZE,WAYS,LINE"),
        ("LL=105M,15,64", "must be a power of two"),  // this host's L3: valgrind would bend it
        ("D1=32K,8,8", "line size must be a power of two of at least 16 bytes"),
        ("D1=32K,0,64", "expected SIZE,WAYS,LINE"),
        ("", "no cache given")
    ])
    func badSettingsSayWhy(text: String, reason: String) {
        do {
            _ = try SimulatedCacheSetting.parse(text)
            Issue.record("'\(text)' was accepted")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }
}
