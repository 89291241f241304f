/// A control word typed instead of an answer. Whole-message matches only, in any loaded language,
/// so an answer that merely contains "back" or "aide" is still read as an answer.
public enum Command: Equatable, Sendable {
    case help, back, skip, restart, stop, summary, confirm, erase
    /// "language fr"; nil when no language or an unknown one was named.
    case language(String?)
    /// "edit 3"; nil when the number is missing.
    case edit(Int?)

    static let simple: [(String, Command)] = [
        ("help", .help), ("back", .back), ("skip", .skip), ("restart", .restart), ("stop", .stop), ("summary", .summary),
        ("confirm", .confirm), ("erase", .erase),
    ]

    /// The command `text` is, if it is one.
    public static func parse(_ text: String, catalog: Catalog, language: String) -> Command? {
        // A command is a few words: a long message is an answer (and is not folded for nothing).
        guard text.utf8.count <= 600 else { return nil }
        let key = MatchKey.make(text)
        guard !key.isEmpty, key.count <= 60 else { return nil }
        if let command = catalog.simpleCommands[key] { return command }
        let packs = catalog.packs(preferring: language)
        for word in packs.flatMap({ $0.keys("edit") }) {
            if key == word { return .edit(nil) }
            if key.hasPrefix(word + " "), let number = Int(NumberParser.asciiDigits(String(key.dropFirst(word.count + 1)))) {
                return .edit(number)
            }
        }
        for word in packs.flatMap({ $0.keys("language") }) {
            if key == word { return .language(nil) }
            guard key.hasPrefix(word + " ") else { continue }
            let argument = String(key.dropFirst(word.count + 1))
            if let code = catalog.language(named: argument) { return .language(code) }
            // "language barriers were…" is an answer; a single unknown word is a language we do not have.
            if !argument.contains(" ") { return .language(nil) }
        }
        return nil
    }
}
