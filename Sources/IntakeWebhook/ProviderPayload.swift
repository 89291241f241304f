import Foundation

/// The providers whose webhook bodies we read, and one entry point to read them (used by the routes,
/// the unit tests and the fuzz targets).
public enum ProviderPayload: String, Sendable, CaseIterable {
    case whatsapp, telegram, generic

    /// Reads one webhook body; throws `WebhookRejection.badRequest` for anything malformed.
    public func parse(_ body: Data) throws -> WebhookBatch {
        switch self {
        case .whatsapp: return try WhatsAppPayload.parse(body)
        case .telegram: return try TelegramUpdate.parse(body)
        case .generic: return try GenericPayload.parse(body)
        }
    }
}
