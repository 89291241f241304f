import Foundation

/// The length of an Ogg Opus recording (WhatsApp's voice notes do not say it): the last page's granule
/// position, less the pre-skip of the OpusHead header, at Opus's 48 kHz. Nil for anything else.
public enum OggDuration {
    public static func seconds(_ data: Data) -> Int? {
        let bytes = [UInt8](data)
        guard bytes.count > 64, bytes.starts(with: Array("OggS".utf8)) else { return nil }
        // OpusHead: "OpusHead", version, channels, pre-skip (2 bytes, little endian).
        guard let head = find(Array("OpusHead".utf8), in: bytes, from: 0, limit: 512), head + 12 <= bytes.count else { return nil }
        let preSkip = Int(bytes[head + 10]) | Int(bytes[head + 11]) << 8
        // The last page starts at the last "OggS"; its granule position is 8 bytes at offset 6.
        var start = bytes.count - 27
        while start >= 0, !(bytes[start] == 0x4F && bytes[start + 1] == 0x67 && bytes[start + 2] == 0x67 && bytes[start + 3] == 0x53) { start -= 1 }
        guard start >= 0 else { return nil }
        var granule: UInt64 = 0
        for index in (0..<8).reversed() { granule = granule << 8 | UInt64(bytes[start + 6 + index]) }
        guard granule != UInt64.max, granule > UInt64(preSkip), granule < 48_000 * 86_400 else { return nil }
        return Int((granule - UInt64(preSkip) + 24_000) / 48_000)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int, limit: Int) -> Int? {
        let end = min(bytes.count - needle.count, from + limit)
        guard end >= from else { return nil }
        for index in from...end where bytes[index..<index + needle.count].elementsEqual(needle) { return index }
        return nil
    }
}
