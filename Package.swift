// swift-tools-version:6.0
//
// jsa-bench: a performance-analysis harness for one SIMD kernel, JSA
// (`out[i] = (x[i] + x[i - period]) * 0.5`), and the library that holds it.
//
// Layers (dependencies point down only; see DESIGN.md):
//
//   jsa-bench (CLI)        commands, flags, exit codes — wiring only
//     └─ JSAConformance    every kernel against scalar, scalar against the definition
//         └─ JSA           Swift API: Kernel, JSAError, jsa / jsaInto / batch / stream
//             └─ CJSAKernels   C: scalar / AVX2 / AVX-512 kernels, CPU feature detection
import PackageDescription

let package = Package(
    name: "jsa-bench",
    products: [
        .library(name: "JSA", targets: ["JSA"]),
        .executable(name: "jsa-bench", targets: ["jsa-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(
            name: "CJSAKernels",
            cSettings: [
                // Kernels are compiled for the baseline ISA; the SIMD variants opt in per
                // function with __attribute__((target(...))). No -march flag anywhere.
                .define("_GNU_SOURCE"),
            ]
        ),
        .target(name: "JSA", dependencies: ["CJSAKernels"]),
        .target(name: "SeededRandom"),
        .target(name: "TextTable"),
        .target(name: "JSAConformance", dependencies: ["JSA", "SeededRandom", "TextTable"]),
        .target(name: "CMeasurement"),
        .systemLibrary(name: "CPAPI", pkgConfig: "papi", providers: [.apt(["libpapi-dev"])]),
        .target(name: "Measurement", dependencies: ["CMeasurement", "CPAPI", "SeededRandom"]),
        .target(name: "Results", dependencies: ["Measurement"]),
        .systemLibrary(name: "CPython", pkgConfig: "python3-embed", providers: [.apt(["libpython3-dev"])]),
        .target(
            name: "CJSAPython", dependencies: ["CJSAKernels", "CPython"],
            cSettings: [.define("JSA_NATIVE_EMBEDDED"), .define("_GNU_SOURCE")]),
        .target(name: "PythonBridge", dependencies: ["CPython", "CJSAPython", "Measurement"]),
        .target(name: "Reporting", dependencies: ["Measurement", "Results", "TextTable"]),
        .target(
            name: "Sweep",
            dependencies: ["JSA", "JSAConformance", "Measurement", "PythonBridge", "Results", "SeededRandom"]),
        .executableTarget(
            name: "jsa-bench",
            dependencies: [
                "JSA",
                "JSAConformance",
                "Measurement",
                "Reporting",
                "Results",
                "Sweep",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "JSATests", dependencies: ["JSA", "CJSAKernels"]),
        .testTarget(name: "JSAConformanceTests", dependencies: ["JSAConformance"]),
        .testTarget(name: "MeasurementTests", dependencies: ["Measurement"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "Results"]),
        .testTarget(name: "PythonBridgeTests", dependencies: ["PythonBridge", "JSA"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Results", "Measurement"]),
        .testTarget(name: "JSABenchCLITests", dependencies: ["jsa-bench"]),
    ]
)
