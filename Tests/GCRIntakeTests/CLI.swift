import Foundation
import XCTest

/// Runs the real `gcr-intake` binary built next to the tests.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Result {
        let status: Int32
        let output: String
        let error: String
    }

    static func binary() throws -> URL {
        let url = Bundle.main.bundleURL.appendingPathComponent("gcr-intake")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            struct NotBuilt: Error, CustomStringConvertible { let description: String }
            throw NotBuilt(description: "gcr-intake is not built next to the tests at \(url.path): run `swift build` first (make test does)")
        }
        return url
    }

    /// Starts `gcr-intake arguments…` in the repository (its prompts/ and templates/), with `input` piped in.
    static func start(_ arguments: [String], input: Data? = nil) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try binary()
        process.currentDirectoryURL = root
        process.arguments = arguments
        let (stdin, stdout, stderr) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        return (process, stdout, stderr)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Result {
        let (process, stdout, stderr) = started
        // Read before waiting: a full pipe would block the child.
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let error = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), error: String(decoding: error, as: UTF8.self))
    }

    static func run(_ arguments: [String], input: Data? = nil) throws -> Result {
        finish(try start(arguments, input: input))
    }
}
