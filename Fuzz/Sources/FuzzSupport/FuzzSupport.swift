import Foundation
import IntakeCore

/// The real catalog from the repository's prompts/: $GCR_INTAKE_PROMPTS, else prompts/ of the
/// checkout these sources are in (scripts/fuzz sets the variable).
public enum FuzzCatalog {
    public static func load() -> Catalog {
        let fromSource = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("prompts").path
        let path = ProcessInfo.processInfo.environment["GCR_INTAKE_PROMPTS"] ?? fromSource
        do {
            return try CatalogLoader.load(directory: path)
        } catch {
            fatalError("fuzz: the catalog at \(path) does not load (set GCR_INTAKE_PROMPTS): \(error)")
        }
    }
}

/// What must hold after every turn, whatever the contributor wrote.
public enum FuzzChecks {
    /// The store's encoder for JSON columns (IntakeStore's `JSONEncoder.column`).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    public static func check(_ turn: Turn, catalog: Catalog) {
        let state = turn.state
        // The state is saved as JSON after every message and read back at the next one.
        let text: String
        do {
            text = String(decoding: try encoder.encode(state), as: UTF8.self)
        } catch {
            fatalError("fuzz: the state does not encode: \(error)\n\(state)")
        }
        let back: ConversationState
        do {
            back = try JSONDecoder().decode(ConversationState.self, from: Data(text.utf8))
        } catch {
            fatalError("fuzz: the saved state does not decode: \(error)\n\(text)")
        }
        precondition(back == state, "fuzz: the state changes when saved and read back\n\(state)\n\(back)")
        // A question step always has a question of the form.
        if state.step == .question {
            guard let formId = state.form, let form = catalog.form(formId), let field = state.field, form.fields.contains(where: { $0.id == field })
            else { fatalError("fuzz: a question step without a question of the form: \(state)") }
        }
        precondition(catalog.languages[state.language] != nil, "fuzz: unknown language \(state.language)")
        for reply in turn.replies { _ = reply.text.utf8.count + reply.options.count }
    }
}
