import Foundation

/// Turns an HTML email body into readable plain text: block elements become line breaks, list items
/// "- " lines, blockquotes quoted "> " lines (so ReplyStripper drops quoted history), entities decoded.
public enum HTMLText {
    public static func plainText(_ html: String) -> String {
        var text = html
        for element in ["head", "style", "script", "title"] {
            text = text.replacingOccurrences(of: "<\(element)\\b[^>]*>.*?</\(element)\\s*>", with: "", options: [.regularExpression, .caseInsensitive])
        }
        text = text.replacingOccurrences(of: "<!--.*?-->", with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
        var out = ""
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "<", let close = text[index...].firstIndex(of: ">") {
                let tag = String(text[text.index(after: index)..<close]).lowercased()
                let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" || $0 == "\t" }).first.map(String.init) ?? ""
                let closing = tag.hasPrefix("/")
                let closedName = closing ? String(tag.dropFirst()).split(separator: " ").first.map(String.init) ?? "" : name
                switch closedName {
                case "blockquote":
                    depth = max(0, depth + (closing ? -1 : 1))
                    out += "\n"
                case "br", "p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "hr":
                    out += "\n"
                case "li":
                    out += closing ? "\n" : "\n- "
                case "td", "th":
                    if closing { out += " " }
                default: break
                }
                index = text.index(after: close)
                continue
            }
            if out.isEmpty || out.hasSuffix("\n") {
                if text[index] == " " {
                    index = text.index(after: index)
                    continue
                }
                out += String(repeating: "> ", count: depth)
            }
            out.append(text[index])
            index = text.index(after: index)
        }
        let lines = decodeEntities(out).components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [String] = []
        for line in lines where !(line.isEmpty && (result.last?.isEmpty ?? true)) { result.append(line) }
        return result.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "eacute": "é", "egrave": "è", "ecirc": "ê", "agrave": "à",
        "acirc": "â", "ccedil": "ç", "ocirc": "ô", "ucirc": "û", "ugrave": "ù", "icirc": "î", "iuml": "ï", "euml": "ë", "ntilde": "ñ",
        "aacute": "á", "iacute": "í", "oacute": "ó", "uacute": "ú", "Eacute": "É", "laquo": "«", "raquo": "»", "rsquo": "’", "lsquo": "‘",
        "ldquo": "“", "rdquo": "”", "hellip": "…", "ndash": "–", "mdash": "—", "euro": "€", "copy": "©",
    ]

    static func decodeEntities(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var out = ""
        var rest = text[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            if let semi = after.prefix(12).firstIndex(of: ";") {
                let name = String(after[..<semi])
                var decoded: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else if name.hasPrefix("#") {
                    decoded = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
                } else {
                    decoded = named[name]
                }
                if let decoded {
                    out += decoded
                    rest = after[after.index(after: semi)...]
                    continue
                }
            }
            out += "&"
            rest = after
        }
        return out + rest
    }
}
