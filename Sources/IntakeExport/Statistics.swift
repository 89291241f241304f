import Foundation
import IntakeCore
import IntakeStore

/// `gcr-intake stats`: how many submissions, by what, and how long reviews take.
public struct Statistics: Codable, Sendable, Equatable {
    public var total: Int
    public var byKind: [String: Int]
    public var byStatus: [String: Int]
    public var byLanguage: [String: Int]
    public var byChannel: [String: Int]
    /// GCR objective, area, entity type: by option id (a submission with several counts once for each).
    public var byObjective: [String: Int]
    public var byArea: [String: Int]
    public var byEntityType: [String: Int]
    /// Pledges by the stage they were given, and updates by the stage they report: apart, never mixed.
    public var byPledgeStatus: [String: Int]
    public var byUpdateStatus: [String: Int]
    /// Rejected submissions, left out of every other count unless `includeRejected`.
    public var rejected: Int
    public var includesRejected: Bool
    /// From submission to the first approval or rejection, in hours; nil when nothing was decided yet.
    public var medianHoursToReview: Double?
    public var reviewed: Int
    /// Drafts: reminded (at least one reminder), resumed (the contributor wrote after a reminder), expired.
    public var draftsReminded = 0
    public var draftsResumed = 0
    public var draftsExpired = 0

    public static func compute(database: IntakeDatabase, catalog: Catalog, includeRejected: Bool = false) throws -> Statistics {
        try database.read { db in
            var stats = Statistics(
                total: 0, byKind: [:], byStatus: [:], byLanguage: [:], byChannel: [:], byObjective: [:], byArea: [:], byEntityType: [:],
                byPledgeStatus: [:], byUpdateStatus: [:], rejected: 0, includesRejected: includeRejected, medianHoursToReview: nil, reviewed: 0)
            for submission in try ReportQueries.allSubmissions(db: db) {
                if submission.status == .rejected {
                    stats.rejected += 1
                    if !includeRejected { continue }
                }
                stats.total += 1
                stats.byKind[submission.kind, default: 0] += 1
                stats.byStatus[submission.status.rawValue, default: 0] += 1
                stats.byLanguage[submission.language, default: 0] += 1
                stats.byChannel[submission.channel.rawValue, default: 0] += 1
                let answers = try submission.decodedAnswers()
                let form = catalog.form(submission.kind)
                for value in answers["gcr_objectives"]?.values ?? [] { stats.byObjective[value, default: 0] += 1 }
                for value in answers["areas"]?.values ?? [] { stats.byArea[value, default: 0] += 1 }
                for value in form?.answer(role: "entity_type", in: answers)?.values ?? [] { stats.byEntityType[value, default: 0] += 1 }
                for value in form?.answer(role: "status", in: answers)?.values ?? [] {
                    switch submission.kind {
                    case "pledge": stats.byPledgeStatus[value, default: 0] += 1
                    case "pledge_update": stats.byUpdateStatus[value, default: 0] += 1
                    default: break
                    }
                }
            }
            let durations = try ReportQueries.hoursToDecision(db: db)
            stats.reviewed = durations.count
            (stats.draftsReminded, stats.draftsResumed, stats.draftsExpired) = try ReportQueries.draftCounts(db: db)
            if !durations.isEmpty {
                let middle = durations.count / 2
                stats.medianHoursToReview = durations.count % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2
            }
            return stats
        }
    }
}
