import Foundation

/// What a channel hands over: one message from one contributor, before anything is decided about it.
public struct InboundMessage: Sendable, Equatable {
    public var channel: Channel
    /// The channel's own id for the message (Message-ID, wamid, update_id): a redelivery has the same one.
    public var externalId: String
    /// The contributor's address on that channel (email address, phone number, chat id, terminal name).
    public var sender: String
    public var displayName: String?
    public var text: String
    public var receivedAt: Date
    /// A hint tying the message to a conversation (an email thread), if the channel has one.
    public var threadKey: String?
    /// The language to start a new contact in, when the channel or the operator knows it.
    public var language: String?
    /// Size of the message as received, before decoding.
    public var rawSize: Int
    /// The message as received, kept for audit and reprocessing (email source).
    public var raw: Data?
    /// For email: the whole body, quoted history included (`text` is only what the contributor wrote
    /// above it); structured replies that answer under a quoted form are read from it.
    public var fullText: String?
    /// For email: the subject as written.
    public var subject: String?
    /// For email: what our reply's subject repeats ("Re: <this> [tag]"): the subject without our tag,
    /// "Re:"/"Fwd:" prefixes and line breaks; nil when nothing is left. Read by IntakeMail (`MailThread`).
    public var replySubject: String?
    /// For email: our reference tag in the subject ("GCR-PR-000042", "GCR-CV-000012"), a hint of the
    /// conversation it answers. Read by IntakeMail (`MailThread`).
    public var threadTag: String?
    /// For email: the message ids this message answers (In-Reply-To, then References, newest last).
    public var references: [String] = []
    public var attachments: [InboundAttachment] = []
    /// Set when the message must be recorded but not answered (auto-reply, bounce, mailing list…).
    public var doNotAnswer: String?
    /// Set when the message could not be read at all: it is recorded with this error.
    public var parseError: String?
    /// The contributor sent media (a photo, a voice note): only text is read, and they are told so.
    public var unreadMedia = false
    /// A voice note, photo or file (kept in `attachments` when it could be fetched).
    public var media: InboundMedia?
    /// The language a new contact would start in, guessed from the text where the message was decoded
    /// (a webhook handler, the IMAP thread), so the single writer does not do that work.
    public private(set) var guessedLanguage: String?
    public private(set) var languageGuessed = false

    /// Guesses the language from the text unless the channel said it or it was guessed already.
    public mutating func guessLanguage(catalog: Catalog) {
        guard language == nil, !languageGuessed else { return }
        guessedLanguage = LanguageDetector.detect(text, catalog: catalog)
        languageGuessed = true
    }

    /// The language a new contact starts in: the channel's, else the guess, else the catalog's default.
    public func startingLanguage(catalog: Catalog) -> String {
        if let language { return language }
        return (languageGuessed ? guessedLanguage : LanguageDetector.detect(text, catalog: catalog)) ?? catalog.defaultLanguage
    }

    public init(
        channel: Channel, externalId: String, sender: String, displayName: String? = nil, text: String, receivedAt: Date,
        threadKey: String? = nil, language: String? = nil, rawSize: Int? = nil
    ) {
        self.channel = channel
        self.externalId = externalId
        self.sender = sender
        self.displayName = displayName
        self.text = text
        self.receivedAt = receivedAt
        self.threadKey = threadKey
        self.language = language
        self.rawSize = rawSize ?? text.utf8.count
    }
}

/// A file that came with an inbound message.
public struct InboundAttachment: Sendable, Equatable {
    public var filename: String?
    public var contentType: String
    public var size: Int
    public var sha256: String
    /// Nil when the file was over the size limit: only its description is kept.
    public var data: Data?

    public init(filename: String?, contentType: String, size: Int, sha256: String, data: Data?) {
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.sha256 = sha256
        self.data = data
    }
}

/// A voice note, photo, video or file sent on a chat channel, as far as the channel could fetch it.
public struct InboundMedia: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case voice, audio, photo, video, document
    }

    /// Why the file was not kept: over the size limit (in bytes), a type we do not keep, or the provider did not give it.
    public enum Problem: Sendable, Equatable {
        case tooLarge(limit: Int)
        case notAllowed
        case unavailable
    }

    public var kind: Kind
    /// A voice note's or a recording's length, when known.
    public var durationSeconds: Int?
    public var problem: Problem?

    public init(kind: Kind, durationSeconds: Int? = nil, problem: Problem? = nil) {
        self.kind = kind
        self.durationSeconds = durationSeconds
        self.problem = problem
    }

    /// "0:42", "12:05".
    public var durationText: String? {
        durationSeconds.map { "\($0 / 60):" + ($0 % 60 < 10 ? "0" : "") + "\($0 % 60)" }
    }
}

/// What became of an inbound message.
public enum InboundOutcome: Sendable, Equatable {
    /// Already seen (same channel and external id): nothing was done again.
    case duplicate
    case processed(ProcessedInbound)
    /// Stored but not answered (now): `reason` says why.
    case recorded(inboundId: Int64, outcome: MessageOutcome, reason: String)

    /// The message erased its sender's data: the log should be checkpointed once it is committed.
    public var erasedSomeone: Bool {
        if case .recorded(_, .erased, _) = self { return true }
        return false
    }
}

public struct ProcessedInbound: Sendable, Equatable {
    public var inboundId: Int64
    public var contactId: Int64
    public var conversationId: Int64
    /// Rows queued in `outbox`, in the order they are to be delivered.
    public var outboxIds: [Int64]
    /// The reference of the submission this message created, if it confirmed a summary.
    public var submissionReference: String?

    public init(inboundId: Int64, contactId: Int64, conversationId: Int64, outboxIds: [Int64], submissionReference: String?) {
        self.inboundId = inboundId
        self.contactId = contactId
        self.conversationId = conversationId
        self.outboxIds = outboxIds
        self.submissionReference = submissionReference
    }
}
