import Foundation
import FuzzDriver
import FuzzSupport
import IntakeCore

/// A contributor's messages, one after the other, through the conversation engine with the real catalog,
/// from no conversation at all, the way `InboundProcessor` drives it: the contact's language set from the
/// first message, changed when a turn says so, the state saved as JSON and read back between messages.
///
/// Input: one config byte, then the messages (UTF-8, lossy), one per line; "\n" (backslash, n) inside a
/// line is a line break within the message (for multi-line email bodies).
///   bits 0-1  the channel: terminal, whatsapp, telegram, email
///   bits 2-3  the contact's language (as Telegram's language_code gives it): en, fr, es, ar
///   bit 4     email only: each body is HTML (read with `HTMLText.plainText`, as an HTML-only mail is)
///   bit 5     none given: the contact's language is detected from the first message (as for email)
/// So "@" = terminal/en, "A" = whatsapp, "B" = telegram, "C" = email, "G" = email/fr, "S" = email/HTML, "`" = detected.
/// At most 64 messages per input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEngine(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let buffer = UnsafeRawBufferPointer(start: bytes, count: count)
    let config = buffer[0]
    let channel: Channel = [.terminal, .whatsapp, .telegram, .email][Int(config & 3)]
    let provided = ["en", "fr", "es", "ar"][Int(config >> 2) & 3]
    let html = channel == .email && config & 0x10 != 0
    let detect = config & 0x20 != 0
    let catalog = Shared.catalog
    let engine = Shared.engine

    let messages = String(decoding: buffer.dropFirst(), as: UTF8.self)
        .split(separator: "\n", omittingEmptySubsequences: false)
        .prefix(64)
        .map { $0.replacingOccurrences(of: "\\n", with: "\n") }
    var contactLanguage: String?
    var state: ConversationState?
    for message in messages {
        var text = message
        var fullText: String?
        if channel == .email {
            let body = html ? HTMLText.plainText(message) : message
            text = ReplyStripper.strip(body)
            fullText = body
        }
        if contactLanguage == nil {
            contactLanguage = detect ? LanguageDetector.detect(text, catalog: catalog) ?? catalog.defaultLanguage : provided
        }
        let turn = engine.handle(text, fullText: fullText, state: state, language: contactLanguage!, channel: channel)
        FuzzChecks.check(turn, catalog: catalog)  // which includes: the state reads back equal from its JSON
        if let changed = turn.languageChanged { contactLanguage = changed }
        state = turn.state
        // A contributor who comes back later sees their question again.
        if turn.state.isActive, message.isEmpty { _ = engine.resume(turn.state) }
    }
    return 0
}

enum Shared {
    static let catalog = FuzzCatalog.load()
    static let engine = Engine(catalog: catalog)
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_engine_main")
public func main_engine(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzEngine(UnsafeRawPointer($0), size) } ?? 0 }
}
