import Foundation
import IntakeCore
import IntakeNotices
import IntakeService
import IntakeStore
import IntakeWeb

extension Config {
    /// The configuration from the environment, with the shared command-line options on top.
    static func load(_ options: GlobalOptions) throws -> Config {
        do {
            return try Config(
                environment: ProcessInfo.processInfo.environment,
                overrides: ["GCR_INTAKE_DB": options.db ?? "", "GCR_INTAKE_PROMPTS": options.prompts ?? "", "GCR_INTAKE_TEMPLATES": options.templates ?? ""])
        } catch let error as ConfigError {
            throw CLIError.configuration(error.description)
        }
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

    /// Loads `templates/web/` (the dashboard), or exits with code 2 naming the file at fault.
    func loadWebTemplates(_ catalog: Catalog) throws -> WebTemplates {
        do {
            return try WebTemplates.load(directory: templatesDirectory, defaultLanguage: catalog.defaultLanguage)
        } catch let error as WebTemplateError {
            throw CLIError.configuration("cannot load templates: \(error)")
        }
    }

    /// Loads `templates/`, or exits with code 2 naming the file at fault.
    func loadTemplates() throws -> NoticeTemplates {
        do {
            return try NoticeTemplates.load(directory: templatesDirectory)
        } catch let error as NoticeTemplateError {
            throw CLIError.configuration("cannot load templates: \(error)")
        }
    }
}
