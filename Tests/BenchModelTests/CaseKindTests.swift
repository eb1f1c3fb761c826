import BenchModel
import Testing

@Suite struct CaseKindTests {
    /// Every kind there is, built from its enums.
    static let everyKind: [CaseKind] =
        NativeVariant.allCases.flatMap { variant in KernelName.allCases.map { CaseKind.native(variant, $0) } }
        + BatchVariant.allCases.map(CaseKind.batch) + ReferenceKind.allCases.map(CaseKind.reference)
        + PythonRung.allCases.map(CaseKind.python)

    @Test(arguments: everyKind)
    func theSpellingsParseBackToTheKind(kind: CaseKind) {
        #expect(CaseKind(family: kind.family, variant: kind.variant, kernel: kind.kernel?.rawValue) == kind)
    }

    /// The JSON's spellings are stable: results files written by earlier versions name these.
    @Test func theSpellingsAreTheJSONs() {
        #expect(CaseKind.native(.intoAliased, .avx512).description == "native/into_aliased/avx512")
        #expect(CaseKind.native(.intoOffset, .avx2).description == "native/into_offset/avx2")
        #expect(CaseKind.native(.bareC, .scalar).description == "native/bare_c/scalar")
        #expect(CaseKind.batch(.allCores).description == "batch/all_cores")
        #expect(CaseKind.reference(.streamAdd).description == "reference/stream_add")
        #expect(CaseKind.reference(.mallocFree).description == "reference/malloc_free")
        #expect(CaseKind.reference(.swiftArray).description == "reference/swift_array")
        #expect(CaseKind.python(.numpyBaseline).description == "python/numpy_baseline")
    }

    @Test(
        arguments: [
            ("native", "into", nil), ("native", "into", "avx9"), ("native", "sideways", "avx2"), ("batch", "one_core", nil),
            ("reference", "memmove", nil), ("python", "jsa_fast", nil), ("Native", "into", "avx2"), ("", "", nil)
        ] as [(String, String, String?)])
    func unknownSpellingsAreNoKind(family: String, variant: String, kernel: String?) {
        #expect(CaseKind(family: family, variant: variant, kernel: kernel) == nil)
    }

    /// Ids are the keys every comparison matches cases by; these are the forms the sweep has
    /// always written.
    @Test func idsKeepTheirForm() {
        #expect(CaseKind.native(.into, .avx2).id(n: 100_000, period: 30) == "native/into/avx2/n=100000/p=30")
        #expect(
            CaseKind.batch(.singleThread).id(n: 1000, period: 10, periodRange: (10, 40, 1))
                == "batch/single_thread/auto/n=1000/p=10-40:1")
        #expect(CaseKind.reference(.memcpy).id(n: 1000) == "reference/memcpy/n=1000")
        #expect(CaseKind.python(.jsaOut).id(n: 1000, period: 30) == "python/jsa_out/n=1000/p=30")
    }

    @Test func onlyTheBindingsRungsCarryAKernel() {
        #expect(
            PythonRung.allCases.filter(\.callsBinding)
                == [.nativeOut, .noop, .acquireOut, .jsaOut, .jsa, .jsaCopy, .jsaBatch])
    }
}
