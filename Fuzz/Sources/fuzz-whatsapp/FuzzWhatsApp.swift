import FuzzDriver
import FuzzWebhook
import IntakeWebhook

/// One WhatsApp webhook body through `ProviderPayload.whatsapp.parse` (see FuzzWebhook).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWhatsApp(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzWebhookBody(.whatsapp, bytes, count)
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_whatsapp_main")
public func main_whatsapp(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzWhatsApp(UnsafeRawPointer($0), size) } ?? 0 }
}
