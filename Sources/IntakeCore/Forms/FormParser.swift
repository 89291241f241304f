import Yams

/// Parses `prompts/forms/<form>.yaml` into a `Form`, checking types, option lists and skip logic.
struct FormParser {
    let reader: YAMLReader
    let options: [String: [String]]

    func form(_ node: Node, expectedId: String) throws -> Form {
        let id = try reader.string(try reader.child(node, "id", "form"), "form id")
        guard id == expectedId else { throw reader.error(node["id"], "form id '\(id)' does not match the file name '\(expectedId)'") }
        let prefix = try reader.string(try reader.child(node, "reference_prefix", "form"), "reference_prefix")
        let fieldsNode = try reader.child(node, "fields", "form")
        guard case .sequence(let sequence) = fieldsNode else { throw reader.error(fieldsNode, "'fields' must be a list") }
        var fields: [Field] = []
        for fieldNode in sequence {
            let field = try self.field(fieldNode)
            if fields.contains(where: { $0.id == field.id }) { throw reader.error(fieldNode, "field '\(field.id)' is declared twice") }
            if let relevant = field.relevant, !fields.contains(where: { $0.id == relevant.field }) {
                throw reader.error(fieldNode, "field '\(field.id)' depends on '\(relevant.field)', which must come earlier")
            }
            fields.append(field)
        }
        var roles: [String: String] = [:]
        if let rolesNode = node["roles"] {
            for (role, value) in try reader.mapping(rolesNode, "roles") {
                let fieldId = try reader.string(value, "role \(role)")
                guard fields.contains(where: { $0.id == fieldId }) else { throw reader.error(value, "role '\(role)' names unknown field '\(fieldId)'") }
                roles[role] = fieldId
            }
        }
        let winsOver = try node["wins_over"].map { try reader.strings($0, "wins_over") } ?? []
        return Form(id: id, referencePrefix: prefix, fields: fields, roles: roles, winsOver: winsOver)
    }

    private func field(_ node: Node) throws -> Field {
        let id = try reader.string(try reader.child(node, "id", "field"), "field id")
        let what = "field '\(id)'"
        let typeName = try reader.string(try reader.child(node, "type", what), "\(what) type")
        guard let type = FieldType(rawValue: typeName) else {
            let known = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
            throw reader.error(node["type"], "\(what) has unknown type '\(typeName)' (known: \(known))")
        }
        let listKey = type == .country ? "extra_options" : "options"
        let list = try node[listKey].map { try reader.string($0, "\(what) \(listKey)") }
        if [.choice, .multiChoice].contains(type), list == nil { throw reader.error(node, "\(what) needs 'options'") }
        if let list, options[list] == nil { throw reader.error(node[listKey], "\(what) uses unknown option list '\(list)'") }
        return Field(
            id: id, type: type,
            required: try node["required"].map { try reader.bool($0, "\(what) required") } ?? false,
            multiple: try node["multiple"].map { try reader.bool($0, "\(what) multiple") } ?? false,
            minLength: try node["min_length"].map { try reader.int($0, "\(what) min_length") },
            maxLength: try node["max_length"].map { try reader.int($0, "\(what) max_length") },
            minLetters: try node["min_letters"].map { try reader.int($0, "\(what) min_letters") },
            min: try node["min"].map { try reader.double($0, "\(what) min") },
            max: try node["max"].map { try reader.double($0, "\(what) max") },
            minField: try node["min_field"].map { try reader.string($0, "\(what) min_field") },
            allowOngoing: try node["allow_ongoing"].map { try reader.bool($0, "\(what) allow_ongoing") } ?? false,
            optionList: list,
            options: list.flatMap { options[$0] } ?? [],
            relevant: try node["relevant"].map(relevance),
            skipOnChannels: try node["skip_on_channels"].map { try reader.channels($0, "\(what) skip_on_channels") } ?? [],
            personal: try node["personal"].map { try reader.bool($0, "\(what) personal") } ?? false,
            strict: try node["strict"].map { try reader.bool($0, "\(what) strict") } ?? false
        )
    }

    private func relevance(_ node: Node) throws -> Relevance {
        let field = try reader.string(try reader.child(node, "field", "relevant"), "relevant field")
        if let value = node["equals"] { return .equals(field: field, value: try reader.string(value, "relevant equals")) }
        if let value = node["includes"] { return .includes(field: field, value: try reader.string(value, "relevant includes")) }
        throw reader.error(node, "'relevant' needs 'equals' or 'includes'")
    }
}
