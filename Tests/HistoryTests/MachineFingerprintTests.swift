import BenchModel
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

    /// Documents written before the cap was recorded, and uncapped runs, keep their fingerprint.
    @Test func anUncappedRunKeepsItsFingerprint() {
        #expect(
            MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: nil))
                == MachineFingerprint(Self.machine(flags: Self.avx512Flags, disabled: [])))
    }
}
