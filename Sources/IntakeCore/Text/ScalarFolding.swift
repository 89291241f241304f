/// Foundation's case, accent and width folding, looked up one character at a time. Folding a whole text
/// through Foundation costs more than everything else done to most messages; the characters people
/// write here (Latin with accents, Greek, Cyrillic, Arabic and its presentation forms, full-width forms)
/// are folded once, on first use, by Foundation itself, and looked up afterwards.
enum ScalarFolding {
    /// The blocks in the table: Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Syriac, Thaana, Indic,
    /// Thai, Tibetan, Myanmar, Georgian; Latin and Greek extended; punctuation; Arabic presentation and
    /// full-width forms. Not Hangul jamo (folding may join them), nor half-width katakana and
    /// U+0345 (Foundation folds them differently after another character), nor anything past the BMP.
    static let blocks: [Range<UInt32>] = [0x80..<0x345, 0x346..<0x1100, 0x1E00..<0x2070, 0xFB00..<0xFF61, 0xFFA0..<0xFFF0]

    /// The folding of each scalar of `blocks`, in order of the blocks; an ASCII scalar folds to itself
    /// lower-cased. Built once, on first use, by Foundation's folding of each scalar alone.
    private static let table: [[UInt8]] = blocks.flatMap { block in
        block.map { value in Unicode.Scalar(value).map { Array(MatchKey.foundationFolded(String($0)).utf8) } ?? [] }
    }

    private static func index(of value: UInt32) -> Int? {
        var offset = 0
        for block in blocks {
            if block.contains(value) { return offset + Int(value - block.lowerBound) }
            offset += block.count
        }
        return nil
    }

    /// `text` folded, or nil when one of its characters is outside the table.
    static func fold(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                out.append(UInt8(value) + ((0x41...0x5A).contains(value) ? 32 : 0))
            } else if let index = index(of: value) {
                out.append(contentsOf: table[index])
            } else {
                return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
