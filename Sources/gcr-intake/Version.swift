import ArgumentParser
import CCurlShim
import CEtpan
import GRDB
import Foundation

/// `gcr-intake version`: the versions of the libraries this build runs on (useful in bug reports).
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the versions of gcr-intake and the libraries it uses.")

    func run() throws {
        let curl = String(cString: curl_version())
        let sqlite = try DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") } ?? "?"
        print("gcr-intake 0.1.0")
        print("libetpan \(libetpan_get_version_major()).\(libetpan_get_version_minor())")
        print(curl)
        print("SQLite \(sqlite)")
    }
}
