// swift-tools-version: 6.0
// The Swift fuzz targets, a package of their own so that the main build never links libFuzzer.
// Built by scripts/fuzz with -sanitize=fuzzer,address over every module (coverage of the code
// under test, not only of the harness).
import PackageDescription

let package = Package(
    name: "jsa-bench-fuzz",
    dependencies: [
        .package(name: "jsa-bench", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "results-fuzzer",
            dependencies: [.product(name: "JSABenchResults", package: "jsa-bench")],
            path: "results")
    ]
)
