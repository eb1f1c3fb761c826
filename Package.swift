// swift-tools-version:6.1
//
// jsa-bench: a performance-analysis harness for one SIMD kernel, JSA
// (`out[i] = (x[i] + x[i - period]) * 0.5`), and the library that holds it.
//
// Layers (dependencies point down only; see DESIGN.md):
//
//   jsa-bench (CLI)        commands, flags, exit codes — wiring only
//     ├─ Reporting         reports, charts, exports, compare and gate verdicts
//     ├─ Sweep             the sweep, the gate's A/B runner, the client of jsa-bench-python
//     │   ├─ Measurement   clock, calibration, sampler, statistics, counters (C: CMeasurement, CPAPI)
//     │   ├─ Results       the results JSON, and what crosses process boundaries
//     ├─ History           the results store across commits and machines (SQLite through GRDB;
//     │                      PostgreSQL through postgres-nio with the PostgreSQL trait)
//     │   └─ JSAConformance   every kernel against scalar, scalar against the definition
//     │       └─ JSA       Swift API: Kernel, JSAError, jsa / jsaInto / batch / stream
//     │           └─ CJSAKernels   C: scalar / AVX2 / AVX-512 kernels, CPU feature detection
//   jsa-bench-python       the Python ladder in its own process — the only binary linking libpython
//     └─ PythonBridge      embedded CPython + the jsa_native extension (C: CJSAPython → CJSAKernels, CMeasurement's probe)
import PackageDescription

/// C settings of every C target: DWARF 4 debug info, because valgrind 3.19 (Debian 12) cannot read
/// the DWARF 5 that clang emits by default — with it, `valgrind jsa-bench ...` works on the release
/// build itself, and the callgrind pass and gate need no second build.
let dwarf4: CSetting = .unsafeFlags(["-gdwarf-4"])

let package = Package(
    name: "jsa-bench",
    products: [
        .library(name: "JSA", targets: ["JSA"]),
        /// Reading, validating, analysing and reporting results documents, for tools that consume them.
        .library(name: "JSABenchResults", targets: ["BenchModel", "Results", "Analysis", "Reporting"]),
        .executable(name: "jsa-bench", targets: ["jsa-bench"]),
        .executable(name: "jsa-bench-python", targets: ["jsa-bench-python"])
    ],
    traits: [
        /// `history --db postgres://…`: a shared history store for many runners. Off by default, so
        /// that a default build does not compile SwiftNIO and postgres-nio
        /// (`swift build --traits PostgreSQL` turns it on).
        .trait(name: "PostgreSQL", description: "History stores in PostgreSQL (postgres-nio)."),
        .default(enabledTraits: [])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2")
    ],
    targets: [
        .target(
            name: "CJSAKernels",
            cSettings: [
                // Kernels are compiled for the baseline ISA; the SIMD variants opt in per
                // function with __attribute__((target(...))). No -march flag anywhere.
                .define("_GNU_SOURCE"), dwarf4
            ]
        ),
        .target(name: "JSA", dependencies: ["CJSAKernels"]),
        // Benchmark-only C: the bare C call of the kernel, measured beside the Swift API.
        .target(name: "CJSABench", dependencies: ["CJSAKernels"], cSettings: [dwarf4]),
        .target(name: "SeededRandom"),
        .target(name: "TextTable"),
        .target(name: "JSAConformance", dependencies: ["JSA", "SeededRandom", "SystemIO", "TextTable"]),
        .target(name: "SystemIO"),
        /// The model every stage shares: the results document, case kinds, counts, the environment,
        /// the messages between processes. Foundation only: reading a results file needs no PAPI.
        .target(name: "BenchModel"),
        .target(name: "Statistics", dependencies: ["BenchModel", "SeededRandom"]),
        .target(name: "CMeasurement", cSettings: [dwarf4]),
        .systemLibrary(name: "CPAPI", pkgConfig: "papi", providers: [.apt(["libpapi-dev"])]),
        .target(name: "Measurement", dependencies: ["BenchModel", "CMeasurement", "CPAPI", "SeededRandom", "Statistics", "SystemIO"]),
        .target(name: "Results", dependencies: ["BenchModel", "SystemIO"]),
        .systemLibrary(name: "CPython", pkgConfig: "python3-embed", providers: [.apt(["libpython3-dev"])]),
        .target(
            name: "CJSAPython", dependencies: ["CJSAKernels", "CMeasurement", "CPython"],
            cSettings: [.define("JSA_NATIVE_EMBEDDED"), .define("_GNU_SOURCE"), dwarf4]),
        .target(
            name: "PythonBridge", dependencies: ["BenchModel", "CPython", "CJSAPython", "Measurement"],
            resources: [.embedInCode("jsa_ladder.py")]),
        .target(name: "Analysis", dependencies: ["BenchModel", "Statistics"]),
        .target(name: "Reporting", dependencies: ["Analysis", "BenchModel", "SystemIO", "TextTable"]),
        /// The results store across commits and machines: SQLite through GRDB (Debian's libsqlite3).
        .target(
            name: "History",
            dependencies: [
                "BenchModel", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"]))
            ]),
        .target(
            name: "Sweep",
            dependencies: [
                "Analysis", "BenchModel", "CJSABench", "CJSAKernels", "JSA", "JSAConformance", "Measurement", "Results", "SeededRandom",
                "Statistics",
                "SystemIO"
            ]),
        // The only executable linking libpython: jsa-bench runs it for the Python ladder.
        .executableTarget(name: "jsa-bench-python", dependencies: ["BenchModel", "Measurement", "PythonBridge", "SystemIO"]),
        .executableTarget(
            name: "jsa-bench",
            dependencies: [
                "Analysis",
                "BenchModel",
                "History",
                "JSA",
                "JSAConformance",
                "Measurement",
                "Reporting",
                "Results",
                "Statistics",
                "Sweep",
                "SystemIO",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ]
        ),
        .testTarget(name: "JSATests", dependencies: ["JSA", "CJSAKernels"]),
        .testTarget(name: "JSAConformanceTests", dependencies: ["JSA", "JSAConformance"]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "BenchModelTests", dependencies: ["BenchModel"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "SeededRandom"]),
        .testTarget(
            name: "AnalysisTests", dependencies: ["Analysis", "BenchModel", "Results", "Statistics", "SeededRandom", "Measurement"],
            exclude: ["Resources"]),
        .testTarget(name: "MeasurementTests", dependencies: ["BenchModel", "Measurement", "SystemIO"], exclude: ["Resources"]),
        .testTarget(
            name: "HistoryTests",
            dependencies: [
                "Analysis", "BenchModel", "History", "Reporting", "SeededRandom", "Statistics",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"]))
            ],
            exclude: ["Resources"]),
        .testTarget(name: "SweepTests", dependencies: ["BenchModel", "JSA", "Measurement", "Results", "Sweep", "SystemIO"]),
        .testTarget(name: "PythonBridgeTests", dependencies: ["BenchModel", "PythonBridge", "JSA", "Measurement", "SystemIO"]),
        .testTarget(
            name: "ReportingTests",
            dependencies: ["Analysis", "BenchModel", "Reporting", "Results", "Measurement", "Statistics", "TextTable"]),
        .testTarget(name: "JSABenchCLITests", dependencies: ["jsa-bench", "BenchModel", "JSA", "Measurement", "SystemIO"])
    ]
)

/// Every function of the package's own targets starts on a 64-byte boundary, in C and Swift alike,
/// so that a change elsewhere does not move a measured call path across an instruction-fetch
/// boundary. With the default 16 bytes, `into` over `bare_c` (AVX2, n = 1000) read 1.020 with the
/// build of one commit and 1.043–1.062 with the next, whose only change was in the analysis (the
/// same instructions per call under callgrind; `jsaInto` 32 and 48 bytes past a 64-byte boundary);
/// with these flags 1.010 and 1.016–1.018 (`jsa-bench sweep --sizes 1000 --kernels avx2
/// --no-python`, `into_over_bare_c`, three runs of each alternating, AMD EPYC guest, 2026-12-04).
///
/// In C, every loop starts a 64-byte line too (`-falign-loops=64`; clang's default is 16 bytes), so
/// that no hot loop's place depends on the code before it. On the AMD EPYC Zen 3 guest (2026-12-07,
/// n = 1000, the host at its fast level): in `scripts/store-limit`, the two-stream loop that is
/// the AVX2 kernel's floor took 95.0 ns against 77.2 aligned and the lag-ring row 90.1 against
/// 87.9-88.0; in a standalone driver, a 256-bit copy loop that 32 instructions before it had moved
/// across a line took 162.6 ns against 84.9-86.4; in the sweep (`jsa-bench sweep --sizes 1000
/// --kernels avx2 --no-python`, builds alternating), `into avx2` 96.4-97.4 ns against 94.8-95.2
/// and `bare_c` 93.7-94.2 against 92.4-92.9.
/// SwiftPM does not recompile a module when only these flags change: after changing them, build
/// in a fresh scratch path.
let alignedFunctionsC: CSetting = .unsafeFlags(["-falign-functions=64", "-falign-loops=64"])
let alignedFunctionsSwift: SwiftSetting = .unsafeFlags(["-Xllvm", "-align-all-functions=6"])
let cTargets: Set = ["CJSAKernels", "CJSABench", "CMeasurement", "CJSAPython"]
for target in package.targets where target.type == .regular || target.type == .executable {
    if cTargets.contains(target.name) {
        target.cSettings = (target.cSettings ?? []) + [alignedFunctionsC]
    } else {
        target.swiftSettings = (target.swiftSettings ?? []) + [alignedFunctionsSwift]
    }
}
