import ArgumentParser
import Foundation
import IntakeCore
import IntakeNotices
import IntakeService
import IntakeStore
import IntakePipeline

/// `gcr-intake chat`: the terminal channel. Each line read is one inbound message on the same path as
/// email and WhatsApp (inbound → engine → outbox); the outbox rows are then printed and marked sent.
/// Works with a person at the keyboard or with a whole conversation piped in.
struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Hold a conversation in the terminal (or from piped lines).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Who is typing: the same name later resumes the same conversation.")
    var contact: String = "terminal-user"

    @Option(help: "Language for a new contact (a folder of prompts/, e.g. en or fr).")
    var lang: String?

    func run() throws {
        try CLIError.exit {
            let config = try Config.load(options)
            let catalog = try config.loadCatalog()
            if let lang, catalog.languages[lang] == nil {
                throw CLIError.configuration("unknown language '\(lang)' for --lang (have: \(catalog.languageCodes.joined(separator: ", ")))")
            }
            let database = try config.openDatabase()
            try TerminalChat(catalog: catalog, templates: try config.loadTemplates(), database: database, contact: contact, language: lang).run()
        }
    }
}

/// The loop behind `chat`, apart from argument parsing.
struct TerminalChat {
    static let channel = Channel.terminal
    let catalog: Catalog
    let templates: NoticeTemplates
    let database: IntakeDatabase
    let contact: String
    let language: String?

    func run() throws {
        let engine = Engine(catalog: catalog)
        let processor = InboundProcessor(database: database, engine: engine, templates: templates)
        let interactive = isatty(STDIN_FILENO) == 1
        // Replies committed before a crash but never shown are shown first.
        try deliverPending()
        if let state = try database.activeConversation(channel: Self.channel, address: contact) {
            show(engine.resume(state).map(\.text))
        } else {
            show(engine.greeting(language: try contactLanguage() ?? language ?? catalog.defaultLanguage, channel: .terminal).map(\.text))
        }
        while true {
            if interactive { print("> ", terminator: "") }
            fflush(nil)  // nil flushes every stream; `stdout` itself is not concurrency-safe to name
            guard let line = readLine(strippingNewline: true) else { break }
            let message = InboundMessage(
                channel: Self.channel, externalId: UUID().uuidString, sender: contact, text: line, receivedAt: Date(), language: language)
            _ = try processor.process(message, now: Date())
            try deliverPending()
        }
    }

    private func contactLanguage() throws -> String? {
        try database.read { db in try Contact.find(channel: Self.channel, address: contact, db: db)?.language }
    }

    /// Prints every undelivered reply for this contact, then marks it sent.
    private func deliverPending() throws {
        let pending = try database.read { db in try OutboxMessage.pending(channel: Self.channel, recipient: contact, db: db) }
        for message in pending {
            show([message.body])
            try database.markShown(outboxId: message.id!, at: Date())
        }
    }

    private func show(_ texts: [String]) {
        for text in texts { print(text + "\n") }
        fflush(nil)  // nil flushes every stream; `stdout` itself is not concurrency-safe to name
    }
}
