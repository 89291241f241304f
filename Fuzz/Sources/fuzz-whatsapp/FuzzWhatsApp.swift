import Foundation
import FuzzDriver
import IntakeWebhook

/// One WhatsApp webhook body, as the route receives it (after its signature check), through
/// `ProviderPayload.whatsapp.parse`. A malformed body must throw (the route answers 400), never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWhatsApp(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    let body = Data(bytes: bytes, count: count)
    guard let batch = try? ProviderPayload.whatsapp.parse(body) else { return 0 }
    for chat in batch.messages {
        // What the route does next with each message: it becomes an inbound message for the engine.
        precondition(chat.channel == "whatsapp", "channel \(chat.channel)")
        _ = chat.text.trimmingCharacters(in: .whitespacesAndNewlines).count + chat.from.utf8.count + (chat.name?.count ?? 0)
    }
    for status in batch.statuses { _ = status.id.utf8.count + status.status.utf8.count }
    return 0
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_whatsapp_main")
public func main_whatsapp(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzWhatsApp(UnsafeRawPointer($0), size) } ?? 0 }
}
