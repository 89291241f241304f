// swift-tools-version:6.0
// libFuzzer targets for gcr-intake (see README.md here and scripts/fuzz). A package of its own so
// that only it is built with -sanitize=fuzzer,address; it uses the root package's library products.
import PackageDescription

/// Each target defines `LLVMFuzzerTestOneInput` and, instead of `main` (which SwiftPM links to
/// `<module>_main` on Linux, clashing with libFuzzer's), a `<module>_main` that runs libFuzzer's driver.
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzDriver"] + dependencies,
        path: "Sources/\(name)",
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "gcr-intake-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "gcr-intake", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        // The catalog loading and the checks shared by the targets that drive the engine.
        .target(name: "FuzzSupport", dependencies: [.product(name: "IntakeCore", package: "gcr-intake")]),
        // The body check shared by the three webhook targets.
        .target(name: "FuzzWebhook", dependencies: [.product(name: "IntakeWebhook", package: "gcr-intake")]),
        fuzzTarget("fuzz-mime", [
            .product(name: "IntakeMail", package: "gcr-intake"), .product(name: "IntakeCore", package: "gcr-intake"),
        ]),
        fuzzTarget("fuzz-structured-reply", ["FuzzSupport", .product(name: "IntakeCore", package: "gcr-intake")]),
        fuzzTarget("fuzz-whatsapp", ["FuzzWebhook", .product(name: "IntakeWebhook", package: "gcr-intake")]),
        fuzzTarget("fuzz-telegram", ["FuzzWebhook", .product(name: "IntakeWebhook", package: "gcr-intake")]),
        fuzzTarget("fuzz-generic", ["FuzzWebhook", .product(name: "IntakeWebhook", package: "gcr-intake")]),
        fuzzTarget("fuzz-engine", ["FuzzSupport", .product(name: "IntakeCore", package: "gcr-intake")]),
    ]
)
