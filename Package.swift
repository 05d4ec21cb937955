// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "shots",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shots", targets: ["shots"]),
        .library(name: "Catalog", targets: ["Catalog"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries from Debian's -dev packages, found through pkg-config.
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        .target(name: "Catalog"),
        .target(
            name: "Site",
            dependencies: [
                "Catalog", "CCmark",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "shots",
            dependencies: [
                "Catalog", "Site",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .target(name: "TestSupport", dependencies: ["Catalog"], path: "Tests/TestSupport"),
        .testTarget(name: "CatalogTests", dependencies: ["Catalog", "TestSupport"]),
        .testTarget(name: "ShotsTests", dependencies: ["shots", "Catalog", "TestSupport"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "Catalog", "TestSupport"], exclude: ["check_site.py", "browser_check.py"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CCmark", "CLZ4", "CCurl"]),
    ]
)
