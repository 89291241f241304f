import ArgumentParser
import Foundation
import GRDB
import IntakeStore

/// `gcr-intake campaign`: calls for updates on pledges.
struct Campaign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calls for updates: invite the contacts of pledges without a recent update to report progress.",
        subcommands: [CampaignPledgeUpdates.self, CampaignStatus.self])
}

struct CampaignPledgeUpdates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pledge-updates",
        abstract: "Invite the contact of every pledge of a forum without a recent update (once per pledge and campaign).",
        discussion: """
            Invitations go on the contact's chat channel (WhatsApp, as a template outside its 24-hour window, when a phone is \
            registered and WhatsApp is configured) or by email, in their language, through serve's outbox, spaced by --rate. \
            A reply starts the update form tied to the pledge; "stop" opts out. Running it again queues no second invitation.
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "The forum, as an id (grf_2023) or a name (\"GRF 2023\", \"Global Refugee Forum 2023\").")
    var forum: String

    @Option(help: "Pledges updated within this many days are left out.")
    var staleDays = 180

    @Option(help: "Invitations per minute at most (they are spaced in the outbox).")
    var rate = 30

    @Option(help: "The campaign's name (default: \"pledge-updates FORUM\"); a new name starts a new campaign.")
    var name: String?

    @Flag(help: "List who would be invited; queue nothing.")
    var dryRun = false

    func validate() throws {
        guard (1...100_000).contains(rate) else { throw ValidationError("--rate: from 1 to 100000 per minute") }
        guard (0...36_500).contains(staleDays) else { throw ValidationError("--stale-days: from 0 to 36500") }
    }

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let config = context.config
            let campaign = PledgeCampaign(
                catalog: context.catalog, messageIdDomain: config.messageIdDomain,
                whatsApp: config.chat.whatsAppPhoneNumberId != nil && config.chat.whatsAppAccessToken != nil)
            guard let forumId = campaign.forumId(forum) else {
                let known = (context.catalog.optionLists["forum"] ?? []).joined(separator: ", ")
                throw CLIError.configuration("unknown forum '\(forum)' (known: \(known))")
            }
            let campaignName = name ?? PledgeCampaign.defaultName(forum: forumId)
            let now = Date()
            if dryRun {
                let plan = try context.database.read { db in try campaign.plan(name: campaignName, forum: forumId, staleDays: staleDays, now: now, db: db) }
                for invitation in plan.invitations {
                    print(TerminalText.safe("\(invitation.pledge)\t\(invitation.channel)\t\(invitation.language)\t\(invitation.title)"))
                }
                print(summary(plan, queued: nil, name: campaignName))
                return
            }
            let (plan, queued) = try context.database.queueCampaign(
                campaign, name: campaignName, forum: forumId, staleDays: staleDays, perMinute: rate, now: now)
            print(summary(plan, queued: queued, name: campaignName))
            if queued > 0 { print("serve sends them from its outbox, \(rate) a minute at most.") }
        }
    }

    private func summary(_ plan: PledgeCampaign.Plan, queued: Int?, name: String) -> String {
        let head = queued.map { "\(name): \($0) invitations queued" } ?? "\(name): \(plan.invitations.count) pledges would be invited (dry run, nothing queued)"
        return head
            + "; left out: \(plan.recent) updated recently, \(plan.alreadyInvited) invited before in this campaign, \(plan.optedOut) whose contact said stop, \(plan.unreachable) without a contact we can reach"
    }
}

struct CampaignStatus: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Each campaign: sent, waiting, failed, replied, updated, opted out.")

    @OptionGroup var options: GlobalOptions

    @Flag(help: "JSON instead of text.")
    var json = false

    func run() throws {
        try CLIError.exit {
            let context = try ReviewContext(options)
            let rows = try context.database.read { db in try PledgeCampaign.status(db: db) }
            if json { return try CLIJSON.print(rows) }
            if rows.isEmpty { return print("No campaign yet.") }
            for row in rows {
                print(
                    TerminalText.safe(
                        "\(row.name): \(row.sent) sent, \(row.waiting) waiting, \(row.failed) failed; \(row.replied) replied, \(row.updated) updated, \(row.optedOut) opted out"
                    ))
            }
        }
    }
}
