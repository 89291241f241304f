import Foundation

/// Runs one of the selenium checks in Tests/Browser/ (headless chromium) and returns its exit status and
/// everything it printed; the last `echo` lines are printed to the test log.
enum BrowserCheck {
    static func run(_ script: String, _ arguments: [String], echo: Int = 3) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [MailServers.root.appendingPathComponent("Tests/Browser/\(script)").path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print(text.split(separator: "\n").suffix(echo).joined(separator: "\n"))
        return (process.terminationStatus, text)
    }
}
