import FuzzDriver
import FuzzWebhook
import IntakeWebhook

/// One Telegram webhook body through `ProviderPayload.telegram.parse` (see FuzzWebhook).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTelegram(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzWebhookBody(.telegram, bytes, count)
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_telegram_main")
public func main_telegram(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzTelegram(UnsafeRawPointer($0), size) } ?? 0 }
}
