import Yams

/// Reads a composed YAML document with errors that name the file and line of the offending node.
struct YAMLReader {
    let file: String

    /// Parses `text`; a syntax error becomes a `CatalogError` with the line libyaml reported.
    func document(_ text: String) throws -> Node {
        do {
            // Every scalar stays a string (the basic resolver): the readers below parse the numbers and
            // booleans they expect, and resolving each scalar's implicit tag with regular expressions was
            // most of the time it takes to load the catalog (every CLI command does).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw CatalogError(file: file, line: 1, message: "the file is empty")
            }
            return node
        } catch let error as YamlError {
            throw CatalogError(file: file, line: Self.line(of: error), message: "malformed YAML: \(Self.problem(of: error))")
        }
    }

    func error(_ node: Node?, _ message: String) -> CatalogError {
        CatalogError(file: file, line: node?.mark?.line, message: message)
    }

    func mapping(_ node: Node, _ what: String) throws -> [(key: String, value: Node)] {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping of keys to values") }
        return try mapping.map { pair in
            guard let key = pair.key.string else { throw error(pair.key, "\(what): keys must be plain text") }
            return (key, pair.value)
        }
    }

    func child(_ node: Node, _ key: String, _ what: String) throws -> Node {
        guard let mapping = node.mapping else { throw error(node, "\(what) must be a mapping") }
        guard let value = mapping[key] else { throw error(node, "\(what) lacks '\(key)'") }
        return value
    }

    func string(_ node: Node, _ what: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "\(what) must be text") }
        return scalar.string
    }

    func strings(_ node: Node, _ what: String) throws -> [String] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return try sequence.map { try string($0, what) }
    }

    /// A list of channel names; a name that is no channel stops loading.
    func channels(_ node: Node, _ what: String) throws -> [Channel] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return try sequence.map { item in
            let name = try string(item, what)
            guard let channel = Channel(rawValue: name) else {
                throw error(item, "\(what): \"\(name)\" is not a channel (\(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return channel
        }
    }

    func int(_ node: Node, _ what: String) throws -> Int {
        guard let value = node.int else { throw error(node, "\(what) must be a whole number") }
        return value
    }

    func double(_ node: Node, _ what: String) throws -> Double {
        guard let value = node.float ?? node.int.map(Double.init) else { throw error(node, "\(what) must be a number") }
        return value
    }

    func bool(_ node: Node, _ what: String) throws -> Bool {
        guard let value = node.bool else { throw error(node, "\(what) must be true or false") }
        return value
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): return problem
        default: return "\(error)"
        }
    }
}
