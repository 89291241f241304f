import Foundation
import FuzzDriver
import FuzzSupport
import IntakeCore

/// An email that answers several questions of a form at once.
///
/// Input: one config byte, then the email body (UTF-8, lossy).
///   bits 0-1  the form: `catalog.forms[n % forms.count]` (0 good_practice, 1 pledge, 2 pledge_update)
///   bits 2-3  the language: en, fr, es, ar
///   bit 4     the body is HTML (read with `HTMLText.plainText` first, as an HTML-only mail is)
/// So "@" = good_practice/en, "A" = pledge/en, "B" = pledge_update/en, "D" "H" "L" = fr, es, ar; "P" = HTML.
///
/// Each input goes through `StructuredReply.parse` with the form's email layout, and then through the
/// engine exactly as a reply mail does (`handle(ReplyStripper.strip(body), fullText: body, …)`), from the
/// state right after the form's template went out: the values found are validated, and what is missing
/// is asked again in one message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStructuredReply(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let buffer = UnsafeRawBufferPointer(start: bytes, count: count)
    let config = buffer[0]
    let setup = Setup.shared
    let form = setup.catalog.forms[Int(config & 3) % setup.catalog.forms.count]
    let language = Setup.languages[Int(config >> 2) & 3]
    var body = String(decoding: buffer.dropFirst(), as: UTF8.self)
    if config & 0x10 != 0 { body = HTMLText.plainText(body) }

    let layout = setup.layouts[form.id]!
    let reply = StructuredReply.parse(body, layout: layout)
    let ids = Set(layout.fields.map(\.id))
    var seen: Set<String> = []
    for value in reply.values {
        precondition(ids.contains(value.field), "a value for \(value.field), not a field of \(form.id) by email")
        precondition(seen.insert(value.field).inserted, "\(value.field) given twice")
        precondition(!value.text.isEmpty, "an empty value for \(value.field)")
    }

    guard let started = setup.started[form.id + "/" + language] else { return 0 }
    let turn = setup.engine.handle(ReplyStripper.strip(body), fullText: body, state: started, language: language, channel: .email)
    FuzzChecks.check(turn, catalog: setup.catalog)
    return 0
}

/// The catalog, the engine, each form's layout and the state right after each form's template was sent.
final class Setup: Sendable {
    static let languages = ["en", "fr", "es", "ar"]
    static let shared = Setup()

    let catalog: Catalog
    let engine: Engine
    let layouts: [String: StructuredReply.Layout]
    let started: [String: ConversationState]

    init() {
        catalog = FuzzCatalog.load()
        engine = Engine(catalog: catalog)
        var layouts: [String: StructuredReply.Layout] = [:]
        var started: [String: ConversationState] = [:]
        for (index, form) in catalog.forms.enumerated() {
            layouts[form.id] = StructuredReply.Layout(form: form, channel: .email, catalog: catalog)
            for language in Self.languages where catalog.languages[language] != nil {
                // As StructuredReplyTests start a form by email: a first message, yes, the form's number.
                var state = engine.handle("hello", state: nil, language: language, channel: .email).state
                let yes = catalog.pack(language).words("yes").first ?? "yes"
                state = engine.handle(yes, state: state, language: language, channel: .email).state
                state = engine.handle(String(index + 1), state: state, language: language, channel: .email).state
                precondition(state.form == form.id && state.step == .question, "\(form.id)/\(language) did not start: \(state)")
                started[form.id + "/" + language] = state
            }
        }
        self.layouts = layouts
        self.started = started
    }
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_structured_reply_main")
public func main_structured_reply(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzStructuredReply(UnsafeRawPointer($0), size) } ?? 0 }
}
