import Foundation
import GRDB
import IntakeCore

/// The pledge registry: kept from imports and approvals, looked up by id, by words (FTS5 over folded
/// titles, entities and descriptions) and by the contributor's address.
public enum PledgeRegistry {
    /// Adds or updates (by external id, any case) one pledge with its contacts and its search entry.
    @discardableResult
    public static func upsert(_ input: PledgeInput, source: String, submissionId: Int64? = nil, published: Bool = true, at now: Date, db: Database) throws -> Pledge {
        var pledge = try find(input.externalId, db: db)
            ?? Pledge(
                id: nil, externalId: input.externalId, title: input.title, entity: input.entity, isJoint: false, countries: "[]", areas: "[]", source: source,
                createdAt: now, updatedAt: now)
        pledge.title = input.title
        pledge.entity = input.entity
        pledge.entityType = input.entityType
        pledge.partners = input.partners.flatMap { $0.isEmpty ? nil : $0 }
        pledge.isJoint = pledge.partners != nil
        pledge.countries = try input.countries.jsonColumn()
        pledge.areas = try input.areas.jsonColumn()
        pledge.forum = input.forum
        if let stage = input.stage { pledge.stage = stage }
        pledge.description = input.description
        pledge.submissionId = submissionId ?? pledge.submissionId
        // An import does not publish a pledge approved here without consent to publish.
        if pledge.id == nil || source == "submission" { pledge.published = published }
        pledge.updatedAt = now
        try pledge.save(db)
        let id = try pledge.id.required("pledge")
        try db.execute(sql: "DELETE FROM pledge_contact WHERE pledge_id = ?", arguments: [id])
        for address in Set(input.contacts.compactMap(contactKey)) {
            try db.execute(sql: "INSERT INTO pledge_contact (pledge_id, address) VALUES (?, ?)", arguments: [id, address])
        }
        try db.execute(sql: "DELETE FROM pledge_fts WHERE rowid = ?", arguments: [id])
        try db.execute(
            sql: "INSERT INTO pledge_fts (rowid, title, entity, description) VALUES (?, ?, ?, ?)",
            arguments: [id, MatchKey.make(pledge.title), MatchKey.make(pledge.entity), MatchKey.make(pledge.description ?? "")])
        return pledge
    }

    /// How an address is kept: emails in lower case, phone numbers as their digits.
    public static func contactKey(_ address: String) -> String? {
        let trimmed = address.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("@") { return trimmed.lowercased() }
        let digits = NumberParser.asciiDigits(trimmed).filter { $0.isASCII && $0.isNumber }
        return digits.count >= 6 ? digits : nil
    }

    public static func find(_ externalId: String, db: Database) throws -> Pledge? {
        try Pledge.fetchOne(db.cachedStatement(sql: "SELECT * FROM pledge WHERE external_id = ? COLLATE NOCASE"), arguments: [externalId.trimmingCharacters(in: .whitespaces)])
    }

    /// Up to `limit` pledges whose title, entity or description hold every word (or, failing that, any), best first.
    public static func search(_ text: String, limit: Int = 5, publishedOnly: Bool = false, db: Database) throws -> [Pledge] {
        let words = MatchKey.make(text).split(separator: " ").filter { $0.count >= 2 && $0 != "?" }.prefix(12)
        guard !words.isEmpty else { return [] }
        // Each word quoted (no FTS syntax from outside) and matched as a prefix: "emploi" finds "emplois".
        let terms = words.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"*" }
        // Every word; failing that, any word of three letters or more ("de", "la", "of" would match everything).
        let long = words.filter { $0.count >= 3 }.map { "\"" + $0.replacingOccurrences(of: "\"", with: "") + "\"*" }
        for query in [terms.joined(separator: " AND "), long.count > 1 ? long.joined(separator: " OR ") : nil].compactMap({ $0 }) {
            let found = try Pledge.fetchAll(
                db,
                sql: """
                    SELECT pledge.* FROM pledge_fts JOIN pledge ON pledge.id = pledge_fts.rowid
                    WHERE pledge_fts MATCH ?\(publishedOnly ? " AND pledge.published" : "") ORDER BY bm25(pledge_fts, 10.0, 5.0, 1.0) LIMIT ?
                    """, arguments: [query, limit])
            if !found.isEmpty { return found }
        }
        return []
    }

    /// The pledges `addresses` (an email, a phone number) are a contact of.
    public static func forContact(_ addresses: [String], db: Database) throws -> [Pledge] {
        let keys = addresses.compactMap(contactKey)
        guard !keys.isEmpty else { return [] }
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        return try Pledge.fetchAll(
            db, sql: "SELECT DISTINCT pledge.* FROM pledge JOIN pledge_contact c ON c.pledge_id = pledge.id WHERE c.address IN (\(marks)) ORDER BY pledge.id LIMIT 9",
            arguments: StatementArguments(keys))
    }

    public static func isEmpty(db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM pledge)") == 0
    }

    /// The pledges matching every filter given, by external id.
    public static func list(stage: String? = nil, country: String? = nil, area: String? = nil, db: Database) throws -> [Pledge] {
        var conditions: [String] = []
        var arguments: [DatabaseValueConvertible] = []
        if let stage { conditions.append("stage = ?"); arguments.append(stage) }
        if let country { conditions.append("EXISTS (SELECT 1 FROM json_each(pledge.countries) WHERE value = ?)"); arguments.append(country.uppercased()) }
        if let area { conditions.append("EXISTS (SELECT 1 FROM json_each(pledge.areas) WHERE value = ?)"); arguments.append(area) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Pledge.fetchAll(db, sql: "SELECT * FROM pledge\(filter) ORDER BY external_id", arguments: StatementArguments(arguments))
    }

    /// The updates that report on a pledge, newest first (every status: reviewers see all).
    public static func updates(of pledgeId: Int64, db: Database) throws -> [Submission] {
        try Submission.fetchAll(db, sql: "SELECT * FROM submission WHERE pledge_id = ? ORDER BY submitted_at DESC, id DESC", arguments: [pledgeId])
    }
}
