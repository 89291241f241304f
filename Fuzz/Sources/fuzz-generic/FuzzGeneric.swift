import FuzzDriver
import FuzzWebhook
import IntakeWebhook

/// One Generic webhook body through `ProviderPayload.generic.parse` (see FuzzWebhook).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGeneric(_ bytes: UnsafeRawPointer, _ count: Int) -> CInt {
    fuzzWebhookBody(.generic, bytes, count)
}

/// The program's entry point (see Package.swift): libFuzzer's driver on the function above.
@_cdecl("fuzz_generic_main")
public func main_generic(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    fuzz_run_driver(argc, argv) { data, size in data.map { fuzzGeneric(UnsafeRawPointer($0), size) } ?? 0 }
}
