// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "shots",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shots", targets: ["shots"]),
        .library(name: "Catalog", targets: ["Catalog", "Infrastructure"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // The preview server only (the Preview target): no swift-configuration support needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // `shots daemon`'s /metrics only.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Already under Hummingbird; the daemon names it for its thread pool (file locks off the event loop).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
    ],
    targets: [
        // System libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // libcurl is loaded on first use (see its shim.h), so it is not linked: no pkg-config here.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CSodium", pkgConfig: "libsodium", providers: [.apt(["libsodium-dev"])]),

        // What every module stands on and that is not the domain: JSON, problems, files written
        // safely, signals, URL secrets, parallel work.
        .target(name: "Infrastructure"),
        .target(name: "Catalog", dependencies: ["Infrastructure"]),
        // site.yml and the environment: what every verb reads, without the renderer.
        .target(name: "ShotsConfiguration", dependencies: ["Catalog", "Infrastructure", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "Site",
            dependencies: [
                "Catalog", "Infrastructure", "ShotsConfiguration", "CCmark",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            plugins: ["EmbedThemes"]
        ),
        // The shipped themes (templates/) compiled into Site at build time, so shots runs with
        // nothing beside it; a templates folder on disk still comes first. Its folder holds a link
        // to templates/ so that SwiftPM plans again when a theme file is added or removed.
        .plugin(name: "EmbedThemes", capability: .buildTool(), exclude: ["embed-themes.sh", "templates"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Catalog", "Infrastructure", "Storage", "CLZ4", "CZstd", "CArchive", "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Object stores: a folder laid out as a bucket, and S3 (libcurl carries the requests).
        .target(
            name: "Storage",
            dependencies: ["Catalog", "Infrastructure", "CCurl", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The final step of the Job: pack into a store, merge, catalog, pages, permalinks last.
        .target(name: "Publish", dependencies: ["Catalog", "Infrastructure", "ShotsConfiguration", "Site", "Pipeline", "Storage"]),
        // `shots serve`: the site and its stores as their hosts answer. Hummingbird is built for
        // this target alone.
        .target(name: "Preview", dependencies: ["Catalog", "Infrastructure", "ShotsConfiguration", "Storage", .product(name: "Hummingbird", package: "hummingbird")]),
        // `shots verify` and `shots restore`, the node operator's side: what was published, checked
        // and streamed into place.
        .target(
            name: "Restore",
            dependencies: [
                "Catalog", "Infrastructure", "ShotsConfiguration", "Storage", "Pipeline", "CLZ4", "CZstd", "CArchive",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Snapshot requests by block height, kept on disk (the daemon and its HTTP API follow them).
        .target(name: "Schedule", dependencies: ["Infrastructure"]),
        // `shots daemon`: follows the node, runs the Job at scheduled heights, serves the API.
        .target(name: "Daemon", dependencies: ["Catalog", "Infrastructure", "Pipeline", "Schedule", .product(name: "Hummingbird", package: "hummingbird"),
                                               .product(name: "Prometheus", package: "swift-prometheus"), .product(name: "NIOPosix", package: "swift-nio"),
                                               .product(name: "NIOCore", package: "swift-nio")]),
        .executableTarget(
            name: "shots",
            dependencies: [
                "Catalog", "Infrastructure", "ShotsConfiguration", "Site", "Pipeline", "Storage", "Publish", "Preview", "Restore", "Schedule", "Daemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "TestSupport", dependencies: ["Catalog", "Infrastructure"], path: "Tests/TestSupport"),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "Infrastructure", "TestSupport"]),
        .testTarget(name: "ShotsTests", dependencies: ["shots", "Catalog", "Infrastructure", "TestSupport"],
                    exclude: ["octez-node-stand-in.py", "node-rpc-stand-in.py", "browser_walk.py", "hostile_tarball.py"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "ShotsConfiguration", "Catalog", "Infrastructure", "TestSupport"], exclude: ["check_site.py", "browser_check.py"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Catalog", "Infrastructure", "TestSupport"],
                    exclude: ["fault_proxy.py", "s3_inspect.py"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Catalog", "Infrastructure", "CLZ4", "TestSupport"]),
        .testTarget(name: "PublishTests", dependencies: ["Publish", "Catalog", "Infrastructure", "ShotsConfiguration", "TestSupport"]),
        .testTarget(name: "PreviewTests", dependencies: ["Preview", "Catalog", "Infrastructure", "Storage", "TestSupport"]),
        .testTarget(name: "RestoreTests", dependencies: ["Restore", "Pipeline", "Catalog", "Infrastructure", "TestSupport"]),
        .testTarget(name: "ScheduleTests", dependencies: ["Schedule", "Infrastructure", "TestSupport"]),
        .testTarget(name: "DaemonTests", dependencies: ["Daemon"]),
        .testTarget(name: "ShotsConfigurationTests", dependencies: ["ShotsConfiguration", "Catalog", "Infrastructure", "TestSupport"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCmark", "CLZ4", "CZstd", "CCurl", "CArchive", "CSodium"]),
    ]
)
