import Foundation
import FuzzDriver
import IntakeWebhook

/// One Telegram webhook body, as the route receives it (after its signature check), through
/// `ProviderPayload.telegram.parse`. A malformed body must throw (the route answers 400), never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelegram(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = Data(bytes: bytes, count: count)
    guard let batch = try? ProviderPayload.telegram.parse(body) else { return 0 }
    for chat in batch.messages {
        // What the parser promises (ProviderPayload.parse): non-empty ids and senders of at most 256 bytes
        // without control characters, text without NUL. Then the route makes an inbound message of each.
        precondition(chat.channel == "telegram", "channel \(chat.channel)")
        for (name, value) in [("id", chat.id), ("sender", chat.from)] {
            precondition(!value.isEmpty && value.utf8.count <= 256, "\(name) \(value.debugDescription)")
            precondition(!value.unicodeScalars.contains(where: isControl), "\(name) with a control character: \(value.debugDescription)")
        }
        precondition(!chat.text.unicodeScalars.contains("\u{0}"), "text with NUL")
        _ = chat.text.trimmingCharacters(in: .whitespacesAndNewlines).count + (chat.name?.count ?? 0) + (chat.language?.count ?? 0)
    }
    for status in batch.statuses { _ = status.id.utf8.count + status.status.utf8.count }
    return 0
}

/// As ProviderPayload.isControl: C0 and C1 controls, format characters (bidirectional overrides), line and paragraph separators.
func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format || scalar.value == 0x2028 || scalar.value == 0x2029
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_telegram_main")
public func main_telegram(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzTelegram(UnsafeRawPointer($0), size) } ?? 0 }
}
