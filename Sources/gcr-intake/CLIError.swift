import ArgumentParser
import Foundation
import IntakeStore

/// Errors the command line reports as one line on standard error with a documented exit code.
enum CLIError: Error {
    /// Bad settings or missing files: exit code 2.
    case configuration(String)
    /// The other side said no (a provider API): exit code 1.
    case refused(String)
}

extension CLIError {
    /// Prints the message and turns it into the exit code: 1 refused, 2 bad usage or configuration,
    /// 3 unknown reference.
    static func exit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch CLIError.configuration(let message) {
            FileHandle.standardError.write(Data(TerminalText.safe("gcr-intake: \(message)\n").utf8))
            throw ExitCode(2)
        } catch CLIError.refused(let message) {
            FileHandle.standardError.write(Data(TerminalText.safe("gcr-intake: \(message)\n").utf8))
            throw ExitCode(1)
        } catch let error as ReviewError {
            FileHandle.standardError.write(Data(TerminalText.safe("gcr-intake: \(error.message)\n").utf8))
            throw ExitCode(error.code.rawValue)
        }
    }
}
