import Yams

/// Loads one language folder: language.yaml, messages.yaml, commands.yaml, forms.yaml, options.yaml, countries.yaml.
struct LanguagePackParser {
    let files: FileReader
    let code: String

    func load() throws -> LanguagePack {
        let (name, aliases, commonWords, rightToLeft, separator) = try files.read("\(code)/language.yaml") { reader, node in
            (
                try reader.string(try reader.child(node, "name", "language"), "name"),
                try reader.strings(try reader.child(node, "aliases", "language"), "aliases"),
                try node["common_words"].map { try reader.strings($0, "common_words") } ?? [],
                try node["direction"].map { try reader.string($0, "direction") } == "rtl",
                try node["list_separator"].map { try reader.string($0, "list_separator") } ?? ", "
            )
        }
        let messages = try files.read("\(code)/messages.yaml") { reader, node in try flatten(reader, node, prefix: "") }
        let commands = try files.read("\(code)/commands.yaml") { reader, node in
            try Dictionary(uniqueKeysWithValues: reader.mapping(node, "commands").map { ($0.key, try reader.strings($0.value, "command '\($0.key)'")) })
        }
        let forms = try files.read("\(code)/forms.yaml") { reader, node in
            try Dictionary(uniqueKeysWithValues: reader.mapping(node, "forms").map { ($0.key, try formTexts(reader, $0.value, form: $0.key)) })
        }
        let options = try files.read("\(code)/options.yaml") { reader, node in
            try Dictionary(
                uniqueKeysWithValues: reader.mapping(node, "option labels").map { list in
                    (list.key, try Dictionary(uniqueKeysWithValues: reader.mapping(list.value, list.key).map { ($0.key, try reader.string($0.value, "label")) }))
                }
            )
        }
        let countries = try files.read("\(code)/countries.yaml") { reader, node in
            try reader.mapping(try reader.child(node, "countries", "countries.yaml"), "countries").map { entry in
                LanguagePack.Country(
                    code: entry.key,
                    name: try reader.string(try reader.child(entry.value, "name", "country \(entry.key)"), "name"),
                    aliases: try entry.value["aliases"].map { try reader.strings($0, "aliases") } ?? []
                )
            }
        }
        let synonyms = try files.readIfPresent("\(code)/synonyms.yaml") { reader, node in
            try Dictionary(
                uniqueKeysWithValues: reader.mapping(node, "synonyms").map { list in
                    (list.key, try Dictionary(uniqueKeysWithValues: reader.mapping(list.value, list.key).map { ($0.key, try reader.strings($0.value, "synonyms of \(list.key).\($0.key)")) }))
                }
            )
        } ?? [:]
        return LanguagePack(
            code: code, name: name, aliases: aliases, commonWords: commonWords, rightToLeft: rightToLeft, messages: messages, commands: commands, forms: forms,
            options: options, countries: countries, synonyms: synonyms, listSeparator: separator)
    }

    /// Nested message groups become dotted keys: `invalid: {email: …}` → "invalid.email".
    private func flatten(_ reader: YAMLReader, _ node: Node, prefix: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in try reader.mapping(node, prefix.isEmpty ? "messages" : prefix) {
            let full = prefix.isEmpty ? key : "\(prefix).\(key)"
            if value.mapping != nil {
                result.merge(try flatten(reader, value, prefix: full)) { $1 }
            } else {
                result[full] = try reader.string(value, "message '\(full)'")
            }
        }
        return result
    }

    private func formTexts(_ reader: YAMLReader, _ node: Node, form: String) throws -> LanguagePack.FormTexts {
        let fieldsNode = try reader.child(node, "fields", "form '\(form)'")
        var fields: [String: LanguagePack.FieldTexts] = [:]
        for (id, texts) in try reader.mapping(fieldsNode, "fields of '\(form)'") {
            let what = "field '\(form).\(id)'"
            fields[id] = LanguagePack.FieldTexts(
                label: try reader.string(try reader.child(texts, "label", what), "\(what) label"),
                question: try reader.string(try reader.child(texts, "question", what), "\(what) question"),
                help: try texts["help"].map { try reader.string($0, "\(what) help") }
            )
        }
        let gender = try node["gender"].map { try reader.string($0, "gender of '\(form)'") } ?? "n"
        guard ["m", "f", "n"].contains(gender) else { throw reader.error(node["gender"], "gender of '\(form)' must be m, f or n, not '\(gender)'") }
        return LanguagePack.FormTexts(
            name: try reader.string(try reader.child(node, "name", "form '\(form)'"), "name"),
            yourName: try node["your_name"].map { try reader.string($0, "your_name of '\(form)'") },
            gender: gender,
            menu: try reader.string(try reader.child(node, "menu", "form '\(form)'"), "menu"),
            keywords: try reader.strings(try reader.child(node, "keywords", "form '\(form)'"), "keywords"),
            fields: fields
        )
    }
}
