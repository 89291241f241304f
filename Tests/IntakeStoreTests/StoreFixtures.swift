import Foundation
import IntakeCore
import IntakeNotices
import IntakeStore

/// The repository's own prompts/ and templates/, loaded once for the store tests.
enum StoreFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let catalog: Catalog = {
        do { return try CatalogLoader.load(directory: root.appendingPathComponent("prompts").path) } catch { fatalError("prompts/ does not load: \(error)") }
    }()
    static let templates: NoticeTemplates = {
        do { return try NoticeTemplates.load(directory: root.appendingPathComponent("templates").path) } catch {
            fatalError("templates/ does not load: \(error)")
        }
    }()
}
