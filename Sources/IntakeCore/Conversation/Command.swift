/// A control word typed instead of an answer. Whole-message matches only, in any loaded language,
/// so an answer that merely contains "back" or "aide" is still read as an answer.
public enum Command: Equatable, Sendable {
    case help, back, skip, restart, stop, summary, confirm, erase, resume
    /// "I have none" ("no", "لا يوجد", "no tengo"): leaves an optional question empty.
    case none
    /// "language fr"; nil when no language or an unknown one was named.
    case language(String?)
    /// "edit 3"; nil when the number is missing.
    case edit(Int?)
    /// "status", or "status GCR-PL-000001" for one submission.
    case status(String?)

    /// One-word commands by their word list in commands.yaml; the first wins a word two lists share
    /// ("no" is a yes/no answer and a `none`, so `none` comes last).
    static let simple: [(String, Command)] = [
        ("help", .help), ("back", .back), ("skip", .skip), ("restart", .restart), ("stop", .stop), ("summary", .summary),
        ("confirm", .confirm), ("erase", .erase), ("resume", .resume), ("status", .status(nil)), ("none", .none),
    ]

    /// The commands whose words may be followed by an argument, as `parse` reads them.
    static let withArgument = ["edit", "status", "language"]

    /// The command `text` is, if it is one.
    public static func parse(_ text: String, catalog: Catalog, language: String) -> Command? {
        // A command is a few words: a long message is an answer (and is not folded for nothing).
        guard text.utf8.count <= 600 else { return nil }
        // "help?", "¿ayuda?", "مساعدة؟": the question mark after a command word is not part of it.
        let key = MatchKey.command(text)
        guard !key.isEmpty, key.count <= 60 else { return nil }
        if let command = catalog.commandsByLanguage[language]?[key] ?? catalog.simpleCommands[key] { return command }
        guard let lead = key.split(separator: " ", maxSplits: 1).first, catalog.argumentCommandStarts.contains(lead) else { return nil }
        let packs = catalog.packs(preferring: language)
        for word in packs.flatMap({ $0.keys("edit") }) {
            if key == word { return .edit(nil) }
            guard key.hasPrefix(word + " ") else { continue }
            // "edit 3", and "edit number 3", "تعديل رقم 3": one number, at most one word before it.
            let argument = key.dropFirst(word.count + 1).split(separator: " ")
            if argument.count <= 2, let last = argument.last, let number = Int(NumberParser.asciiDigits(String(last))) { return .edit(number) }
        }
        for word in packs.flatMap({ $0.keys("status") }) where key.hasPrefix(word + " ") {
            let argument = key.dropFirst(word.count + 1).replacingOccurrences(of: " ", with: "-")
            if Self.looksLikeReference(argument) { return .status(Self.paddedReference(argument.uppercased())) }
        }
        for word in packs.flatMap({ $0.keys("language") }) {
            if key == word { return .language(nil) }
            guard key.hasPrefix(word + " ") else { continue }
            let argument = String(key.dropFirst(word.count + 1))
            if let code = catalog.language(named: argument) { return .language(code) }
            // "language barriers", "language classes" are answers; a short unknown word ("lang xx") is a language we do not have.
            if !argument.contains(" "), argument.count <= 3 { return .language(nil) }
        }
        return nil
    }

    /// "GCR-PL-1" → "GCR-PL-000001", as references are numbered.
    static func paddedReference(_ reference: String) -> String {
        guard let dash = reference.lastIndex(of: "-") else { return reference }
        let digits = reference[reference.index(after: dash)...]
        guard digits.allSatisfy(\.isNumber), digits.count < 6 else { return reference }
        return reference[...dash] + String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// Whether `text` starts with a word that brings back a stopped form ("resume my pledge"): read so only
    /// where no form is going on, since "continue the programme" is an answer inside one.
    public static func startsWithResume(_ text: String, catalog: Catalog, language: String) -> Bool {
        guard text.utf8.count <= 200 else { return false }
        let key = MatchKey.make(text)
        return catalog.packs(preferring: language).flatMap { $0.keys("resume") }.contains { key == $0 || key.hasPrefix($0 + " ") }
    }

    /// "gcr-pl-000001": letters, dashes and digits ending in digits, as our references are written.
    static func looksLikeReference(_ text: String) -> Bool {
        guard text.count <= 40, let last = text.last, last.isASCII, last.isNumber else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") } && text.contains("-")
    }
}
