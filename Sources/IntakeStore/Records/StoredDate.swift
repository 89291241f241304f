import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Dates as GRDB stores them (`yyyy-MM-dd HH:mm:ss.SSS`, UTC, rounded to the millisecond), written without a
/// DateFormatter: formatting through ICU was a twentieth of the writer's time on the ingest path.
enum StoredDate {
    static func text(_ date: Date) -> String {
        let millis = (date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down)
        // Outside years 0...9999 (never a clock's reading), GRDB's own formatting.
        guard millis.isFinite, millis >= -62_135_596_800_000, millis < 253_402_300_800_000 else {
            return String.fromDatabaseValue(date.databaseValue) ?? ""
        }
        let whole = Int64(millis)
        var seconds = time_t(whole >= 0 ? whole / 1000 : (whole - 999) / 1000)
        let ms = Int(whole - Int64(seconds) * 1000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return String.fromDatabaseValue(date.databaseValue) ?? "" }
        var out: [UInt8] = []
        out.reserveCapacity(23)
        func put(_ value: Int, _ digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(0x30 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4)
        out.append(0x2D)
        put(Int(parts.tm_mon) + 1, 2)
        out.append(0x2D)
        put(Int(parts.tm_mday), 2)
        out.append(0x20)
        put(Int(parts.tm_hour), 2)
        out.append(0x3A)
        put(Int(parts.tm_min), 2)
        out.append(0x3A)
        put(Int(parts.tm_sec), 2)
        out.append(0x2E)
        put(ms, 3)
        return String(decoding: out, as: UTF8.self)
    }

    static func text(_ date: Date?) -> String? { date.map { text($0) } }
}
