import Foundation
import IntakeCore

/// The providers whose webhook bodies we read, and one entry point to read them (used by the routes,
/// the unit tests and the fuzz targets).
public enum ProviderPayload: String, Sendable, CaseIterable {
    case whatsapp, telegram, generic

    /// The channel its messages arrive on.
    public var channel: IntakeCore.Channel {
        switch self {
        case .whatsapp: return .whatsapp
        case .telegram: return .telegram
        case .generic: return .generic
        }
    }

    /// Reads one webhook body; throws `WebhookRejection.badRequest` for anything malformed, including
    /// ids and addresses with control characters and text with NUL (which would be cut short downstream).
    public func parse(_ body: Data) throws -> WebhookBatch {
        var batch: WebhookBatch
        switch self {
        case .whatsapp: batch = try WhatsAppPayload.parse(body)
        case .telegram: batch = try TelegramUpdate.parse(body)
        case .generic: batch = try GenericPayload.parse(body)
        }
        // A message with a forged identity is left out; the others of the same delivery are kept (refusing
        // the whole delivery would refuse them forever, as the provider sends the same batch again).
        var refusal: WebhookRejection?
        let delivered = batch.messages.count
        batch.messages = batch.messages.filter { message in
            do {
                try Self.check(message)
                return true
            } catch {
                refusal = refusal ?? (error as? WebhookRejection)
                return false
            }
        }
        batch.refused = delivered - batch.messages.count
        if let refusal, batch.messages.isEmpty, batch.statuses.isEmpty { throw refusal }
        batch.messages = batch.messages.map { message in
            var clean = message
            clean.name = message.name.flatMap(Self.displayName)
            return clean
        }
        if self == .generic {
            // A gateway's ids are its own per sender: B's message with A's id is another message.
            batch.messages = batch.messages.map { message in
                var scoped = message
                scoped.id = Self.scopedId(from: message.from, id: message.id)
                return scoped
            }
        }
        return batch
    }

    /// The stored id of a generic-hook message: sender and gateway id, joined by a separator neither may contain.
    public static func scopedId(from: String, id: String) -> String { from + "\u{1F}" + id }

    /// The gateway's own id back from a stored one.
    public static func gatewayId(_ stored: String) -> String {
        stored.split(separator: "\u{1F}", omittingEmptySubsequences: false).last.map(String.init) ?? stored
    }

    static func check(_ message: IncomingChat) throws {
        for (name, value) in [("id", message.id), ("sender", message.from)] {
            guard !value.isEmpty, value.utf8.count <= 256 else { throw WebhookRejection.badRequest("\(name) empty or longer than 256 bytes") }
            guard !value.unicodeScalars.contains(where: isControl) else { throw WebhookRejection.badRequest("\(name) contains control characters") }
        }
        if message.text.unicodeScalars.contains("\u{0}") { throw WebhookRejection.badRequest("text contains a NUL character") }
    }

    /// A display name as we keep it: control and format characters dropped, at most 100 characters.
    static func displayName(_ name: String) -> String? {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: name.unicodeScalars.lazy.filter { !isControl($0) }.prefix(100))
        let kept = String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
        return kept.isEmpty ? nil : kept
    }

    /// C0 and C1 controls, DEL, line and paragraph separators, and bidirectional overrides.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
