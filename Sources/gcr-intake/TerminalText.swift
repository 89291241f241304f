import Foundation

/// What the CLI prints comes partly from contributors (names, messages, answers): escape sequences
/// in it (ESC[2J, OSC 0 titles, OSC 8 links) must not reach the operator's terminal.
enum TerminalText {
    /// `text` with every control character but line feed and tab shown as U+FFFD, and bidirectional
    /// overrides removed (they could reorder what the operator reads).
    static func safe(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" {
                scalars.append(scalar)
            } else if scalar.properties.generalCategory == .control {
                scalars.append("\u{FFFD}")
            } else if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                continue
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// JSON text with C1 controls, DEL and bidirectional overrides (which JSON may carry raw) written as
    /// \u escapes: the same data, inert on a terminal.
    static func safeJSON(_ json: String) -> String {
        var out = ""
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Every `print` of the CLI goes through here (it shadows the standard library's in this module).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.safe(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
