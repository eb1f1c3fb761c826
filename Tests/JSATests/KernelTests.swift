import CJSAKernels
import Testing
@testable import JSA

/// A machine with every feature detected and compiled, capped by `disabled`.
func machine(
    detected: CPUFeatureSet = [.avx2, .avx512f], compiled: CPUFeatureSet = [.avx2, .avx512f],
    disabled: CPUFeatureSet = [], identity: CPUIdentity = .unknown
) -> CPUFeatures {
    CPUFeatures(detected: detected, compiled: compiled, disabled: disabled, identity: identity)
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
    /// The hot path reads what each name resolved to from the C cache: after a call, the cache
    /// holds exactly what resolving on this machine gives, and a name that cannot run here stays
    /// unresolved there, so every call of it throws the reason again.
    @Test func theResolutionCacheHoldsWhatThisMachineResolvesTo() throws {
        let cpu = try CPUFeatures.current()
        for kernel in Kernel.allCases {
            let expected = try? kernel.resolved(on: cpu)
            #expect((try? kernel.resolved()) == expected, "\(kernel)")
            #expect((try? kernel.resolved()) == expected, "\(kernel), from the cache")
            let slot = Int32(Kernel.allCases.firstIndex(of: kernel)!)
            #expect(jsa_resolved_isa(slot) == (expected.map { Int32($0.isa.rawValue) } ?? JSA_UNRESOLVED), "\(kernel)")
        }
    }

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

@Suite struct AutoKernelTableTests {
    static let zen4 = CPUIdentity(vendor: "AuthenticAMD", family: 0x19, model: 0x61)
    static let zen3 = CPUIdentity(vendor: "AuthenticAMD", family: 0x19, model: 0x01)
    static let zen5 = CPUIdentity(vendor: "AuthenticAMD", family: 0x1A, model: 0x02)
    static let intelGuest = CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0xA7)
    static let qemuEPYC = CPUIdentity(vendor: "AuthenticAMD", family: 0x17, model: 0x01)

    @Test func aKnownCPURunsTheKernelThatWonThere() throws {
        let zen4 = AutoKernelTable.choice(for: Self.zen4, features: machine())
        #expect(zen4.kernel == .avx512)
        #expect(zen4.reason.hasPrefix("rule \"AMD Zen 4\" for AuthenticAMD family 0x19 model 0x61: order avx512 > avx2 > scalar; "))
        #expect(AutoKernelTable.choice(for: Self.zen3, features: machine(detected: [.avx2])).kernel == .avx2)
        let zen5 = AutoKernelTable.choice(for: Self.zen5, features: machine())
        #expect(zen5.kernel == .avx512 && zen5.reason.hasPrefix("rule \"AMD Zen 5\" for AuthenticAMD family 0x1A model 0x2: "))
        #expect(AutoKernelTable.choice(for: Self.intelGuest, features: machine()).kernel == .avx512)
        let epyc = AutoKernelTable.choice(for: Self.qemuEPYC, features: machine(detected: [.avx2]))
        #expect(epyc.kernel == .avx2 && epyc.reason.hasPrefix("rule \"AMD family 0x17"))
        #expect(try Kernel.auto.resolved(on: machine(identity: Self.zen3)) == .avx2)  // the rule's order, not the widest
    }

    /// A rule needs the vendor and the family, and its model ranges include both ends.
    @Test func rulesMatchVendorFamilyAndInclusiveModelRanges() {
        func rule(_ vendor: String, _ family: Int, _ model: Int) -> String? {
            AutoKernelTable.rule(for: CPUIdentity(vendor: vendor, family: family, model: model))?.name
        }
        #expect(rule("AuthenticAMD", 0x19, 0x10) == "AMD Zen 4" && rule("AuthenticAMD", 0x19, 0x1F) == "AMD Zen 4")
        #expect(rule("AuthenticAMD", 0x19, 0x20) == "AMD Zen 3" && rule("AuthenticAMD", 0x19, 0x0F) == "AMD Zen 3")
        #expect(rule("AuthenticAMD", 0x19, 0x80) == nil)
        // Family 0x1A: Zen 5 in three model ranges; Zen 6's models between and beyond them have no rule.
        #expect(rule("AuthenticAMD", 0x1A, 0x00) == "AMD Zen 5" && rule("AuthenticAMD", 0x1A, 0x2F) == "AMD Zen 5")
        #expect(rule("AuthenticAMD", 0x1A, 0x44) == "AMD Zen 5" && rule("AuthenticAMD", 0x1A, 0x7F) == "AMD Zen 5")
        #expect(rule("AuthenticAMD", 0x1A, 0x30) == nil && rule("AuthenticAMD", 0x1A, 0x50) == nil)
        #expect(rule("AuthenticAMD", 0x1A, 0x80) == nil)
        #expect(rule("AuthenticAMD", 0x17, 0x00)?.hasPrefix("AMD family 0x17") == true && rule("AuthenticAMD", 0x17, 0xFF) != nil)
        #expect(rule("AuthenticAMD", 0x16, 0x01) == nil && rule("GenuineIntel", 0x17, 0x01) == nil)
        #expect(rule("GenuineIntel", 0x19, 0x61) == nil && rule("AuthenticAMDX", 0x19, 0x61) == nil)
        #expect(AutoKernelTable.rules.map(\.name).prefix(2) == ["AMD Zen 4", "AMD Zen 3"])
    }

    @Test func anUnknownCPURunsTheWidestKernelItAllows() {
        let unknown = CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0x55)
        let choice = AutoKernelTable.choice(for: unknown, features: machine())
        #expect(choice.kernel == .avx512 && choice.reason.hasPrefix("no rule for GenuineIntel family 0x6 model 0x55"))
        #expect(AutoKernelTable.choice(for: .unknown, features: machine(detected: [])).kernel == .scalar)
        #expect(CPUIdentity.unknown.description == "a CPU without CPUID")
    }

    @Test func aCappedCPUGoesDownItsRulesOrderAndSaysWhy() throws {
        let capped = machine(disabled: try CPUFeatureSet.parseDisabled("avx512f"), identity: Self.zen4)
        let choice = AutoKernelTable.choice(for: Self.zen4, features: capped)
        #expect(choice.kernel == .avx2)
        #expect(choice.reason.contains("(avx512: AVX512F is disabled by JSA_DISABLE_CPU_FEATURES)"))
        #expect(
            AutoKernelTable.choice(for: Self.zen4, features: machine(disabled: try CPUFeatureSet.parseDisabled("avx2"))).kernel == .scalar)
    }

    @Test func everyRuleOrdersOnlyRealKernelsAndEndsInScalar() {
        for rule in AutoKernelTable.rules {
            #expect(rule.order.last == .scalar && !rule.order.contains(.auto) && Set(rule.order).count == rule.order.count, "\(rule.name)")
            #expect(!rule.evidence.isEmpty)
        }
    }

    /// The avx512 kernel's variant: the rule's where the CPU has AVX-512VL, else the 512-bit one.
    @Test func theAVX512VariantIsTheRulesAndNeedsAVX512VL() {
        let zen4 = AVX512Variant.choice(for: Self.zen4, avx512vl: true)
        #expect(zen4.variant == .ymmRing && zen4.reason == "rule \"AMD Zen 4\"")
        let withoutVL = AVX512Variant.choice(for: Self.zen4, avx512vl: false)
        #expect(withoutVL.variant == .zmmMixed && withoutVL.reason.contains("needs AVX-512VL, absent here"))
        #expect(AVX512Variant.choice(for: Self.intelGuest, avx512vl: true).variant == .zmmPermute)
        let zen5 = AVX512Variant.choice(for: Self.zen5, avx512vl: true)
        #expect(zen5.variant == .zmmPermute && zen5.reason == "rule \"AMD Zen 5\"")
        // zmm-permute needs no AVX-512VL: a Zen 5 without it (a guest that hides it) runs it still.
        #expect(AVX512Variant.choice(for: Self.zen5, avx512vl: false).variant == .zmmPermute)
        let unknown = AVX512Variant.choice(for: CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0x55), avx512vl: true)
        #expect(unknown.variant == .zmmMixed && unknown.reason.hasPrefix("no rule for GenuineIntel family 0x6 model 0x55"))
        #expect(AVX512Variant.choice(for: .unknown, avx512vl: false).variant == .zmmMixed)
        #expect(AutoKernelTable.rules.map(\.avx512Variant).contains(.ymmRing))
    }

    /// The variants of 256-bit AVX-512VL code are the ones that need AVX-512VL.
    @Test func theYmmVariantsNeedAVX512VL() {
        #expect(AVX512Variant.allCases.filter(\.needsAVX512VL) == [.ymmAlignr, .ymmRing])
    }

    /// The avx2 kernel's variant: the rule's (lane permutes on Zen 4, split loads on family 0x17,
    /// where a lane permute takes three cycles, the lag ring on Zen 3), split loads where no rule
    /// covers the CPU.
    @Test func theAVX2VariantIsTheRules() {
        let zen4 = AVX2Variant.choice(for: Self.zen4)
        #expect(zen4.variant == .lanePermute && zen4.reason == "rule \"AMD Zen 4\"")
        let zen3 = AVX2Variant.choice(for: Self.zen3)
        #expect(zen3.variant == .lagRing && zen3.reason == "rule \"AMD Zen 3\"")
        #expect(AVX2Variant.choice(for: Self.qemuEPYC).variant == .splitLoads)
        #expect(AVX2Variant.choice(for: Self.zen5).variant == .lanePermute)
        #expect(AVX2Variant.choice(for: Self.intelGuest).variant == .splitLoads)
        let unknown = AVX2Variant.choice(for: CPUIdentity(vendor: "GenuineIntel", family: 6, model: 0x55))
        #expect(unknown.variant == .splitLoads && unknown.reason.hasPrefix("no rule for GenuineIntel family 0x6 model 0x55"))
        #expect(AVX2Variant.choice(for: .unknown).variant == .splitLoads)
    }

    /// What is wrong with JSA_AVX2_VARIANT and JSA_AVX512_VARIANT, in the binding's words: a name
    /// that is no variant, ymm-alignr or ymm-ring without AVX-512VL; unset and empty values are fine.
    @Test func forcedVariantsAreCheckedByName() {
        #expect(ForcedVariants.problem(avx2: nil, avx512: nil, avx512vl: false) == nil)
        #expect(ForcedVariants.problem(avx2: "", avx512: "", avx512vl: false) == nil)
        #expect(ForcedVariants.problem(avx2: "lane-permute", avx512: "ymm-alignr", avx512vl: true) == nil)
        #expect(ForcedVariants.problem(avx2: "lag-ring", avx512: nil, avx512vl: false) == nil)
        #expect(
            ForcedVariants.problem(avx2: "Split-Loads", avx512: nil, avx512vl: true)
                == "JSA_AVX2_VARIANT: unknown variant 'Split-Loads' (known: split-loads, lane-permute, lag-ring)")
        #expect(
            ForcedVariants.problem(avx2: nil, avx512: "ymm-alignr", avx512vl: false)
                == "JSA_AVX512_VARIANT: ymm-alignr needs AVX-512VL, which this CPU lacks")
        #expect(
            ForcedVariants.problem(avx2: nil, avx512: "ymm-ring", avx512vl: false)
                == "JSA_AVX512_VARIANT: ymm-ring needs AVX-512VL, which this CPU lacks")
        #expect(ForcedVariants.problem(avx2: nil, avx512: "ymm-ring", avx512vl: true) == nil)
        #expect(ForcedVariants.problem(avx2: nil, avx512: "zmm-mixed", avx512vl: false) == nil)
        #expect(ForcedVariants.problem(avx2: nil, avx512: "zmm-permute", avx512vl: false) == nil)
        #expect(
            ForcedVariants.problem(avx2: nil, avx512: "zmm", avx512vl: true)
                == "JSA_AVX512_VARIANT: unknown variant 'zmm' (known: zmm-mixed, ymm-alignr, zmm-permute, ymm-ring)")
    }

    /// The variants besides this process's: every other one of each kernel the CPU runs, never
    /// this process's own, `ymm-alignr` and `ymm-ring` only with AVX-512VL, none of a kernel the CPU
    /// cannot run.
    @Test func theOtherVariantsAreEveryOneThisProcessDoesNotRun() {
        let both = CPUFeatures(detected: [.avx2, .avx512f], compiled: [.avx2, .avx512f])
        let others = ForcedVariants.others(on: both)
        #expect(others.filter { $0.kernel == .avx2 }.map(\.value) == AVX2Variant.allCases.filter { $0 != .current }.map(\.rawValue))
        #expect(others.allSatisfy { $0.variable == ($0.kernel == .avx2 ? "JSA_AVX2_VARIANT" : "JSA_AVX512_VARIANT") })
        let avx512 = others.filter { $0.kernel == .avx512 }.map(\.value)
        #expect(!avx512.contains(AVX512Variant.current.rawValue))
        #expect(avx512.contains("ymm-alignr") == (AVX512Variant.avx512vlDetected && AVX512Variant.current != .ymmAlignr))
        #expect(avx512.contains("ymm-ring") == (AVX512Variant.avx512vlDetected && AVX512Variant.current != .ymmRing))
        #expect(avx512.contains("zmm-mixed") == (AVX512Variant.current != .zmmMixed))
        #expect(avx512.contains("zmm-permute") == (AVX512Variant.current != .zmmPermute))
        let avx2Only = CPUFeatures(detected: [.avx2, .avx512f], compiled: [.avx2, .avx512f], disabled: [.avx512f])
        #expect(ForcedVariants.others(on: avx2Only).allSatisfy { $0.kernel == .avx2 })
        #expect(ForcedVariants.others(on: CPUFeatures(detected: [], compiled: [.avx2, .avx512f])).isEmpty)
    }

    /// The Swift names are the C ones (which the binding and the results documents carry).
    @Test func theVariantsNamesAreTheCOnes() {
        for variant in AVX512Variant.allCases {
            #expect(String(cString: jsa_avx512_variant_name(variant.cVariant)) == variant.rawValue)
        }
        for variant in AVX2Variant.allCases {
            #expect(String(cString: jsa_avx2_variant_name(variant.cVariant)) == variant.rawValue)
        }
    }

    /// What the kernels run in this process is what the table says for this CPU, or what the
    /// environment forces.
    @Test func thisProcessRunsTheVariantTheTableChoosesForThisCPU() {
        let avx512 = AVX512Variant.choice(for: .current, avx512vl: AVX512Variant.avx512vlDetected).variant
        #expect(AVX512Variant.current == (AVX512Variant.forced ?? avx512) && AVX512Variant.currentChoice.variant == AVX512Variant.current)
        #expect(AVX2Variant.current == (AVX2Variant.forced ?? AVX2Variant.choice(for: .current).variant))
        #expect(AVX2Variant.currentChoice.variant == AVX2Variant.current)
    }

    @Test func thisMachineIdentifiesItself() {
        #if arch(x86_64)
            #expect(["GenuineIntel", "AuthenticAMD"].contains(CPUIdentity.current.vendor))
            #expect(CPUIdentity.current.family >= 6)
        #else
            #expect(CPUIdentity.current == .unknown)
        #endif
    }
}
