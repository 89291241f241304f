/// Checks that every language has every text the forms and the default language need,
/// so a missing translation stops start-up instead of showing a raw key to a contributor.
struct CatalogChecker {
    let catalog: Catalog
    let root: String

    func check() throws {
        let reference = catalog.pack(catalog.defaultLanguage)
        // Every text the code shows exists in the default language (and so, below, in every language).
        try missing(
            Set(MessageKey.allCases.map(\.rawValue)).subtracting(reference.messages.keys), file: "\(catalog.defaultLanguage)/messages.yaml",
            what: "messages the service uses")
        for code in catalog.languageCodes {
            let pack = catalog.pack(code)
            try missing(Set(reference.messages.keys).subtracting(pack.messages.keys), file: "\(code)/messages.yaml", what: "messages")
            try missing(Set(reference.commands.keys).subtracting(pack.commands.keys), file: "\(code)/commands.yaml", what: "command words")
            for (command, words) in pack.commands where words.isEmpty {
                throw CatalogError(file: path("\(code)/commands.yaml"), message: "command '\(command)' has no words")
            }
            for form in catalog.forms {
                guard let texts = pack.forms[form.id] else {
                    throw CatalogError(file: path("\(code)/forms.yaml"), message: "no texts for form '\(form.id)'")
                }
                try missing(Set(form.fields.map(\.id)).subtracting(texts.fields.keys), file: "\(code)/forms.yaml", what: "texts for fields of '\(form.id)'")
                // "help" answers every question in plain words with an example: none may answer "no extra help".
                try missing(
                    Set(form.fields.map(\.id).filter { texts.fields[$0]?.help?.isEmpty ?? true }), file: "\(code)/forms.yaml",
                    what: "help for fields of '\(form.id)'")
            }
            for (list, options) in pack.synonyms {
                let known = list == "yes_no" ? ["yes", "no"] : catalog.optionLists[list]
                guard let known else { throw CatalogError(file: path("\(code)/synonyms.yaml"), message: "unknown option list '\(list)'") }
                let unknown = Set(options.keys).subtracting(known)
                if !unknown.isEmpty {
                    throw CatalogError(file: path("\(code)/synonyms.yaml"), message: "'\(list)' has no options \(unknown.sorted().joined(separator: ", "))")
                }
            }
            for (list, ids) in catalog.optionLists {
                try missing(Set(ids).subtracting(pack.options[list]?.keys ?? [:].keys), file: "\(code)/options.yaml", what: "labels of '\(list)'")
            }
            try missing(Set(["yes", "no"]).subtracting(pack.options["yes_no"]?.keys ?? [:].keys), file: "\(code)/options.yaml", what: "labels of 'yes_no'")
            try missing(
                Set(reference.countries.map(\.code)).subtracting(pack.countries.map(\.code)), file: "\(code)/countries.yaml", what: "countries"
            )
        }
    }

    private func path(_ relative: String) -> String {
        FileReader(root: root).path(relative)
    }

    private func missing(_ keys: Set<String>, file: String, what: String) throws {
        guard !keys.isEmpty else { return }
        throw CatalogError(file: path(file), message: "missing \(what): \(keys.sorted().joined(separator: ", "))")
    }
}
