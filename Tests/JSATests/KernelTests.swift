import Testing
@testable import JSA

/// A machine with every feature detected and compiled, capped by `disabled`.
func machine(
    detected: CPUFeatureSet = [.avx2, .avx512f], compiled: CPUFeatureSet = [.avx2, .avx512f],
    disabled: CPUFeatureSet = []
) -> CPUFeatures {
    CPUFeatures(detected: detected, compiled: compiled, disabled: disabled)
}

@Suite struct KernelParsingTests {
    @Test(arguments: [
        ("auto", Kernel.auto), ("scalar", .scalar), ("avx2", .avx2), ("avx512", .avx512),
        ("AVX2", .avx2), ("  Avx512 ", .avx512), ("Scalar\t", .scalar)
    ])
    func parsesNamesCaseInsensitively(name: String, kernel: Kernel) throws {
        #expect(try Kernel(parsing: name) == kernel)
    }

    @Test(arguments: ["", "avx", "avx512f", "sse2", "auto,scalar", "neon"])
    func rejectsUnknownNames(name: String) {
        #expect(throws: JSAError.invalidKernel(name: name)) { try Kernel(parsing: name) }
    }

    @Test func invalidKernelMessageListsTheValidNames() {
        #expect(
            JSAError.invalidKernel(name: "avx9").description
                == "invalid kernel 'avx9' (expected one of: auto, scalar, avx2, avx512)")
    }
}

@Suite struct KernelResolutionTests {
    @Test func autoPicksTheWidestUsableKernel() throws {
        #expect(try Kernel.auto.resolved(on: machine()) == .avx512)
        #expect(try Kernel.auto.resolved(on: machine(detected: [.avx2])) == .avx2)
        #expect(try Kernel.auto.resolved(on: machine(detected: [])) == .scalar)
        #expect(try Kernel.auto.resolved(on: machine(compiled: [])) == .scalar)
    }

    @Test func cappedAVX512MakesAutoFallBackAndExplicitAVX512Throw() throws {
        let capped = machine(disabled: try CPUFeatureSet.parseDisabled("avx512f"))
        #expect(try Kernel.auto.resolved(on: capped) == .avx2)
        #expect(try Kernel.avx2.resolved(on: capped) == .avx2)
        #expect(
            throws: JSAError.kernelNotSupported(
                kernel: .avx512, reason: "AVX512F is disabled by JSA_DISABLE_CPU_FEATURES")
        ) {
            try Kernel.avx512.resolved(on: capped)
        }
    }

    @Test func cappingAVX2AlsoCapsAVX512() throws {
        let capped = machine(disabled: try CPUFeatureSet.parseDisabled("avx2"))
        #expect(try Kernel.auto.resolved(on: capped) == .scalar)
        #expect(throws: JSAError.self) { try Kernel.avx512.resolved(on: capped) }
        #expect(throws: JSAError.self) { try Kernel.avx2.resolved(on: capped) }
    }

    @Test func reasonsNameTheCPUTheBuildOrTheCap() {
        #expect(machine(detected: [.avx2]).reasonUnsupported(.avx512) == "this CPU or its OS does not support AVX512F")
        #expect(machine(compiled: []).reasonUnsupported(.avx2) == "this build has no avx2 kernel (it is not an x86-64 build)")
        #expect(machine(disabled: .avx2).reasonUnsupported(.avx2) == "AVX2 is disabled by JSA_DISABLE_CPU_FEATURES")
        #expect(machine(detected: []).reasonUnsupported(.scalar) == nil)
        #expect(machine(detected: []).reasonUnsupported(.auto) == nil)
    }

    @Test func unsupportedMessageCarriesKernelAndReason() {
        let error = JSAError.kernelNotSupported(kernel: .avx512, reason: "this CPU or its OS does not support AVX512F")
        #expect(error.description == "kernel 'avx512' is not supported here: this CPU or its OS does not support AVX512F")
    }
}

@Suite struct CPUFeatureCapTests {
    @Test(
        arguments: [
            ("avx512f", CPUFeatureSet.avx512f), ("AVX512F", .avx512f), ("avx512", .avx512f),
            ("avx2", [.avx2, .avx512f]), ("avx512f,avx2", [.avx2, .avx512f]), (" avx512f  avx2 ,", [.avx2, .avx512f]),
            ("", []), (" , ", [])
        ] as [(String, CPUFeatureSet)])
    func parsesFeatureLists(list: String, expected: CPUFeatureSet) throws {
        #expect(try CPUFeatureSet.parseDisabled(list) == expected)
    }

    @Test(arguments: [("avx9", "avx9"), ("avx2,bogus", "bogus"), ("avx2 sse4.2 avx512f", "sse4.2"), ("avx2;avx512f", "avx2;avx512f")])
    func rejectsUnknownFeatureNamingIt(list: String, bad: String) {
        #expect(throws: JSAError.invalidCPUFeatureList(variable: "JSA_DISABLE_CPU_FEATURES", name: bad)) {
            try CPUFeatureSet.parseDisabled(list)
        }
    }

    @Test func capAppliesToTheDetectedMachine() throws {
        let capped = try CPUFeatures.detect(disableList: "avx512f")
        #expect(!capped.usable.contains(.avx512f))
        #expect(capped.detected == (try CPUFeatures.detect(disableList: nil)).detected)
    }

    @Test func usableIsDetectedAndCompiledMinusDisabled() {
        #expect(machine(detected: [.avx2], compiled: [.avx2, .avx512f]).usable == .avx2)
        #expect(machine(detected: [.avx2, .avx512f], compiled: []).usable == [])
        #expect(machine(disabled: .avx512f).usable == .avx2)
    }

    @Test func featureSetDescription() {
        #expect(CPUFeatureSet([.avx2, .avx512f]).description == "avx2,avx512f")
        #expect(CPUFeatureSet().description == "none")
    }
}
