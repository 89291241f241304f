// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "gcr-intake",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gcr-intake", targets: ["gcr-intake"]),
        // Libraries for the fuzz targets in Fuzz/ (a package of its own, built with -sanitize=fuzzer).
        .library(name: "IntakeCore", targets: ["IntakeCore"]),
        .library(name: "IntakeMail", targets: ["IntakeMail"]),
        .library(name: "IntakeWebhook", targets: ["IntakeWebhook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
    ],
    targets: [
        // System libraries, wrapped once (see Sources/CEtpan and Sources/CCurl).
        .systemLibrary(name: "CEtpan", pkgConfig: "libetpan", providers: [.apt(["libetpan-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-gnutls-dev"])]),
        // Typed setters for curl's variadic curl_easy_setopt, which Swift cannot call.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),

        // Pure core: forms, conversation engine, validation, text handling. No I/O beyond reading prompt files.
        .target(name: "IntakeCore", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Notices to contributors and reviewers, rendered with Mustache from templates/<lang>/.
        .target(name: "IntakeNotices", dependencies: ["IntakeCore", .product(name: "Mustache", package: "swift-mustache")]),
        // Metrics through swift-metrics, kept in a Prometheus registry and rendered at /metrics.
        .target(
            name: "IntakeMetrics",
            dependencies: [.product(name: "CoreMetrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus")]
        ),
        // SQLite store: schema, migrations, records, the review queue, erasure, and the named reads and
        // writes everything else goes through (the pipeline's own behind `@_spi(Pipeline)`).
        .target(
            name: "IntakeStore",
            dependencies: [
                "IntakeCore", "IntakeNotices", "IntakeMetrics", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The inbound pipeline, one message (or a group) in one transaction: record, gate, converse,
        // persist, queue the replies, apply the event. Every channel hands its messages to it.
        .target(
            name: "IntakePipeline",
            dependencies: ["IntakeCore", "IntakeStore", "IntakeNotices", "IntakeMetrics", "IntakeMail", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // What leaves the store for the platform and for people: exports (JSON, CSV) and statistics.
        .target(
            name: "IntakeExport",
            dependencies: ["IntakeCore", "IntakeStore", .product(name: "CSV", package: "CSV.swift")]
        ),
        // Email: IMAP ingest and MIME decoding with libetpan, SMTP submission with libcurl.
        .target(
            name: "IntakeMail",
            dependencies: [
                "IntakeCore", "CEtpan", "CCurlShim", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Messaging webhooks on Hummingbird: WhatsApp Cloud API, Telegram, a signed generic hook; their outbound API clients.
        .target(
            name: "IntakeWebhook",
            dependencies: [
                "IntakeCore", "IntakeStore", "IntakePipeline", "IntakeMetrics", "CCurlShim",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The pledge dashboard: pages from templates/web/ (Mustache, inline SVG), JSON and CSV for the platform.
        .target(
            name: "IntakeWeb",
            dependencies: [
                "IntakeCore", "IntakeStore", "IntakeExport", "IntakeWebhook", "IntakeMetrics",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The running service: configuration, the inbound pipeline per channel, the outbox worker, lifecycle.
        .target(
            name: "IntakeService",
            dependencies: [
                "IntakeCore", "IntakeNotices", "IntakeStore", "IntakePipeline", "IntakeMail", "IntakeWebhook", "IntakeMetrics", "IntakeWeb",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "gcr-intake",
            dependencies: [
                "IntakeCore", "IntakeNotices", "IntakeStore", "IntakePipeline", "IntakeExport", "IntakeService", "IntakeMail", "IntakeWeb", "IntakeWebhook", "CEtpan", "CCurlShim",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "IntakeCoreTests", dependencies: ["IntakeCore", .product(name: "Yams", package: "Yams")], resources: [.copy("Fixtures")]),
        .testTarget(name: "IntakeNoticesTests", dependencies: ["IntakeNotices", "IntakeCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "IntakeStoreTests",
            dependencies: ["IntakeStore", "IntakePipeline", "IntakeExport", "IntakeNotices", "IntakeCore", "IntakeMail", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "IntakeWebhookTests",
            dependencies: [
                "IntakeWebhook", "IntakeWeb", "IntakeMetrics", "IntakeStore", "IntakePipeline", "IntakeCore", "IntakeNotices", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "IntakeServiceTests",
            dependencies: ["IntakeService", "IntakeStore", "IntakePipeline", "IntakeWebhook", "IntakeCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "IntakeMailTests", dependencies: ["IntakeMail", "IntakeCore"], resources: [.copy("Fixtures")]),
        // The real `gcr-intake serve` against a real Dovecot and Postfix on 127.0.0.1 (scripts/mail-servers)
        // and over HTTP, with a fake provider API (Hummingbird) recording the replies.
        .testTarget(
            name: "ServeEndToEndTests",
            dependencies: [
                "IntakeMail", "IntakeStore", "IntakeNotices", "IntakeCore", "IntakeWebhook", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "GCRIntakeTests",
            dependencies: ["IntakeStore", "IntakeNotices", "IntakeCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "SwiftCSV", package: "SwiftCSV")],
            resources: [.copy("Fixtures")]
        ),
    ]
)
