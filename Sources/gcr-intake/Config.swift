import Foundation
import IntakeCore
import IntakeStore

/// Settings read once at start-up: command-line option, else environment variable, else default.
/// Nothing else in the program reads the environment.
struct Config {
    var databasePath: String
    var promptsDirectory: String
    var templatesDirectory: String

    init(options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        databasePath = options.db ?? environment["GCR_INTAKE_DB"] ?? "./gcr-intake.sqlite"
        promptsDirectory = options.prompts ?? environment["GCR_INTAKE_PROMPTS"] ?? "./prompts"
        templatesDirectory = options.templates ?? environment["GCR_INTAKE_TEMPLATES"] ?? "./templates"
    }

    /// Loads `prompts/`, or exits with code 2 and a line naming the file and line at fault.
    func loadCatalog() throws -> Catalog {
        do {
            return try CatalogLoader.load(directory: promptsDirectory)
        } catch let error as CatalogError {
            throw CLIError.configuration("cannot load prompts: \(error)")
        }
    }

    /// Opens the database, or exits with code 2 naming the file.
    func openDatabase() throws -> IntakeDatabase {
        do {
            return try IntakeDatabase(path: databasePath)
        } catch {
            throw CLIError.configuration("cannot open database \(databasePath): \(error)")
        }
    }
}
