import Foundation
import IntakeCore
import XCTest

/// The repository's own prompts/, loaded once for all core tests (they are the single source of truth).
enum TestCatalog {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let promptsPath = root.appendingPathComponent("prompts").path
    static let shared: Catalog = {
        do { return try CatalogLoader.load(directory: promptsPath) } catch { fatalError("prompts/ does not load: \(error)") }
    }()

    static func field(_ form: String, _ id: String) -> Field {
        shared.form(form)!.field(id)!
    }
}

/// Drives the engine like a contributor typing, keeping the state between messages.
struct Dialogue {
    let engine = Engine(catalog: TestCatalog.shared)
    var state: ConversationState?
    var language: String
    var channel: Channel
    var events: [ConversationEvent] = []
    var lastReplies: [Reply] = []
    /// What the store would pass: consent is remembered once given, as the store does for a contact.
    var contributor = Contributor()

    init(language: String = "en", channel: Channel = .terminal) {
        self.language = language
        self.channel = channel
    }

    /// Sends `message`, returns the replies' texts joined.
    @discardableResult
    mutating func say(_ message: String) -> String {
        let turn = engine.handle(message, state: state, language: language, channel: channel, contributor: contributor)
        if turn.consentGiven { contributor.consentedVersion = engine.catalog.privacyNoticeVersion }
        state = turn.state
        if let event = turn.event { events.append(event) }
        lastReplies = turn.replies
        return turn.replies.map(\.text).joined(separator: "\n")
    }

    /// An email: the whole body as received, and what the contributor wrote above the quote.
    @discardableResult
    mutating func sayEmail(_ body: String) -> String {
        let turn = engine.handle(ReplyStripper.strip(body), fullText: body, state: state, language: language, channel: channel, contributor: contributor)
        if turn.consentGiven { contributor.consentedVersion = engine.catalog.privacyNoticeVersion }
        state = turn.state
        if let event = turn.event { events.append(event) }
        lastReplies = turn.replies
        return turn.replies.map(\.text).joined(separator: "\n")
    }

    /// The first message of a conversation, then "yes" to the privacy notice.
    mutating func begin(_ first: String) {
        say(first)
        say("yes")
    }

    mutating func sayAll(_ messages: [String]) {
        for message in messages { say(message) }
    }

    var field: String? { state?.step == .question ? state?.field : nil }
    var answers: [String: Answer] { state?.answers ?? [:] }
}
