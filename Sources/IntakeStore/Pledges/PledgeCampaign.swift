import Foundation
import GRDB
import IntakeCore

/// A call for updates (`gcr-intake campaign pledge-updates`): the contact of every pledge of a forum without a
/// recent update is invited to report progress, on their channel (WhatsApp when a phone is known and
/// WhatsApp is on, as a template outside its window) or by email, in their language; at most once per
/// pledge and campaign (a unique key), paced by spacing the outbox rows. A reply starts the update form
/// tied to the pledge (`openInvitation`); "stop" opts out (`decline`).
public struct PledgeCampaign: Sendable {
    public let catalog: Catalog
    public let messageIdDomain: String
    /// WhatsApp can send (serve has its credentials): phones are invited there, else only emails are.
    public let whatsApp: Bool

    public init(catalog: Catalog, messageIdDomain: String, whatsApp: Bool) {
        self.catalog = catalog
        self.messageIdDomain = messageIdDomain
        self.whatsApp = whatsApp
    }

    /// One pledge to invite: where and in which language.
    public struct Invitation: Sendable, Equatable {
        public let pledgeId: Int64
        public let pledge: String
        public let title: String
        public let channel: Channel
        public let recipient: String
        public let language: String
    }

    public struct Plan: Sendable, Equatable {
        public var invitations: [Invitation] = []
        /// Pledges of the forum left out: updated recently, invited before in this campaign, or with no contact we can reach.
        public var recent = 0
        public var alreadyInvited = 0
        public var unreachable = 0
        /// Pledges whose contact said "stop" to an earlier call (in any campaign).
        public var optedOut = 0
    }

    /// The campaign's name for a forum when none is given.
    public static func defaultName(forum: String) -> String { "pledge-updates \(forum)" }

    /// A forum as the registry stores it (its option id), from an id or a label in any language ("GRF 2023").
    public func forumId(_ text: String) -> String? {
        let options = catalog.optionLists["forum"] ?? []
        let folded = text.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        if options.contains(folded) { return folded }
        let key = MatchKey.make(text)
        for option in options {
            for code in catalog.languages.keys where MatchKey.make(catalog.pack(code).label(list: "forum", option: option)) == key { return option }
        }
        return nil
    }

    /// Who would be invited now (nothing is written).
    public func plan(name: String, forum: String, staleDays: Int, now: Date, db: Database) throws -> Plan {
        var plan = Plan()
        let campaignId = try Int64.fetchOne(db, sql: "SELECT id FROM campaign WHERE name = ?", arguments: [name])
        let cutoff = now.addingTimeInterval(-Double(staleDays) * 86_400)
        let pledges = try Pledge.fetchAll(db, sql: "SELECT * FROM pledge WHERE forum = ? ORDER BY external_id", arguments: [forum])
        for pledge in pledges {
            guard let id = pledge.id else { continue }
            if let last = pledge.lastUpdateAt, last > cutoff {
                plan.recent += 1
                continue
            }
            if let campaignId, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM campaign_invite WHERE campaign_id = ? AND pledge_id = ?", arguments: [campaignId, id]) ?? 0 > 0 {
                plan.alreadyInvited += 1
                continue
            }
            guard let (channel, recipient, language) = try reach(pledgeId: id, db: db) else {
                plan.unreachable += 1
                continue
            }
            if try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM campaign_invite WHERE pledge_id = ? AND recipient = ? AND opted_out_at IS NOT NULL", arguments: [id, recipient]) ?? 0 > 0
            {
                plan.optedOut += 1
                continue
            }
            plan.invitations.append(
                Invitation(pledgeId: id, pledge: pledge.externalId, title: pledge.title, channel: channel, recipient: recipient, language: language))
        }
        return plan
    }

    /// Queues the plan's invitations, `perMinute` apart in time; returns how many were queued.
    public func run(_ plan: Plan, name: String, forum: String, perMinute: Int, now: Date, db: Database) throws -> Int {
        try db.execute(sql: "INSERT OR IGNORE INTO campaign (kind, forum, name, created_at) VALUES ('pledge_updates', ?, ?, ?)", arguments: [forum, name, now])
        guard let campaignId = try Int64.fetchOne(db, sql: "SELECT id FROM campaign WHERE name = ?", arguments: [name]) else { return 0 }
        var queued = 0
        for invitation in plan.invitations {
            try db.execute(
                sql: "INSERT OR IGNORE INTO campaign_invite (campaign_id, pledge_id, channel, recipient, language, queued_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [campaignId, invitation.pledgeId, invitation.channel, invitation.recipient, invitation.language, now])
            guard db.changesCount == 1 else { continue }
            let inviteId = db.lastInsertedRowID
            var row = message(invitation, at: now.addingTimeInterval(Double(queued) * 60 / Double(max(1, perMinute))))
            try row.enqueue(db)
            try db.execute(sql: "UPDATE campaign_invite SET outbox_id = ? WHERE id = ?", arguments: [row.id, inviteId])
            queued += 1
        }
        return queued
    }

    private func message(_ invitation: Invitation, at time: Date) -> OutboxMessage {
        let pack = catalog.pack(invitation.language)
        let values = ["pledge_id": invitation.pledge, "title": invitation.title]
        var row = OutboxMessage.queued(channel: invitation.channel, to: invitation.recipient, contactId: nil, body: pack.message(.pledgeUpdateInvite, values), at: time)
        row.createdAt = time
        if invitation.channel == .email {
            let messageId = OutboxMessage.newMessageId(domain: messageIdDomain)
            row.subject = pack.message(.pledgeUpdateInviteSubject, values)
            row.externalId = messageId
            row.headers = (try? ["Message-ID": messageId].jsonColumn()) ?? "{}"
        } else {
            row.template = try? OutboxTemplate(kind: "pledge_update_invite", language: invitation.language, values: values).column()
        }
        return row
    }

    /// Where a pledge's contacts can be reached: a chat contact we know, else WhatsApp for a phone (when on), else an email.
    private func reach(pledgeId: Int64, db: Database) throws -> (Channel, String, String)? {
        let addresses = try String.fetchAll(db, sql: "SELECT address FROM pledge_contact WHERE pledge_id = ? ORDER BY address", arguments: [pledgeId])
        let phones = addresses.filter { !$0.contains("@") }
        let emails = addresses.filter { $0.contains("@") }
        for address in phones {
            if let contact = try Contact.find(channel: .whatsapp, address: address, db: db), whatsApp { return (.whatsapp, address, contact.language) }
        }
        if whatsApp, let phone = phones.first { return (.whatsapp, phone, try language(channel: .email, addresses: emails, db: db)) }
        guard let email = emails.first else { return nil }
        return (.email, email, try language(channel: .email, addresses: emails, db: db))
    }

    private func language(channel: Channel, addresses: [String], db: Database) throws -> String {
        for address in addresses { if let contact = try Contact.find(channel: channel, address: address, db: db) { return contact.language } }
        return catalog.defaultLanguage
    }

    // MARK: - Replies

    /// The pledge an invitation still waits on for this contact (no update sent since, not declined, under 60 days).
    public static func openInvitation(channel: Channel, address: String, now: Date, db: Database) throws -> PledgeSummary? {
        // Read for every new conversation: a prepared statement, one index probe (campaign_invite_recipient).
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT p.external_id, p.title, p.entity FROM campaign_invite ci JOIN pledge p ON p.id = ci.pledge_id
                    WHERE ci.channel = ? AND ci.recipient = ? AND ci.opted_out_at IS NULL AND ci.queued_at > ?
                      AND NOT EXISTS (SELECT 1 FROM submission s WHERE s.pledge_id = ci.pledge_id AND s.kind = 'pledge_update' AND s.submitted_at > ci.queued_at)
                    ORDER BY ci.id DESC LIMIT 1
                    """), arguments: [channel, address.lowercased(), StoredDate.text(now.addingTimeInterval(-60 * 86_400))])
        return row.map { PledgeSummary(id: $0["external_id"], title: $0["title"], entity: $0["entity"]) }
    }

    /// "stop" to an invitation: no more about this pledge, in any campaign.
    public static func decline(pledge externalId: String, channel: Channel, address: String, now: Date, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE campaign_invite SET opted_out_at = ? WHERE channel = ? AND recipient = ? AND opted_out_at IS NULL
                  AND pledge_id = (SELECT id FROM pledge WHERE external_id = ?)
                """, arguments: [now, channel, address.lowercased(), externalId])
    }

    // MARK: - Status

    public struct Status: Sendable, Equatable, Codable {
        public var name: String
        public var forum: String?
        public var sent = 0
        public var waiting = 0
        public var failed = 0
        public var replied = 0
        public var updated = 0
        public var optedOut = 0
    }

    /// Sent (delivered), waiting, failed, replied (the contact wrote since), updated (an update on the pledge since), opted out.
    public static func status(db: Database) throws -> [Status] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT c.name, c.forum,
                  COUNT(o.sent_at), COUNT(*) FILTER (WHERE o.id IS NOT NULL AND o.sent_at IS NULL AND o.failed_at IS NULL), COUNT(o.failed_at),
                  COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM inbound i JOIN contact k ON k.id = i.contact_id
                                                 WHERE k.channel = ci.channel AND k.address = ci.recipient AND i.received_at > ci.queued_at)),
                  COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM submission s WHERE s.pledge_id = ci.pledge_id AND s.kind = 'pledge_update' AND s.submitted_at > ci.queued_at)),
                  COUNT(ci.opted_out_at)
                FROM campaign c JOIN campaign_invite ci ON ci.campaign_id = c.id LEFT JOIN outbox o ON o.id = ci.outbox_id
                GROUP BY c.id ORDER BY c.id
                """
        ).map { row in
            var status = Status(name: row[0], forum: row[1])
            (status.sent, status.waiting, status.failed, status.replied, status.updated, status.optedOut) = (row[2], row[3], row[4], row[5], row[6], row[7])
            return status
        }
    }
}
