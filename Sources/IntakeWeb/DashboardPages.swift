import Foundation
import IntakeCore
import IntakeStore

/// Builds the pages' contexts: figures and published items named in the visitor's language. Empty values
/// are left out (a Mustache section of "" would show its label); no contact detail is ever read.
struct DashboardPages {
    let catalog: Catalog
    let templates: WebTemplates
    let language: String

    var pack: LanguagePack { catalog.pack(language) }
    var words: [String: String] { templates.words(language) }
    var base: String { "/dashboard" }

    /// What every page's layout needs.
    func layout(path: String) -> [String: Any] {
        let names = templates.languages.map { code in
            ["code": code, "name": catalog.languages[code]?.name ?? code, "href": "\(path)?lang=\(code)", "current": code == language] as [String: Any]
        }
        return [
            "lang": language, "dir": pack.rightToLeft ? "rtl" : "ltr", "t": words, "base": base, "languages": names,
            "json_href": "/dashboard.json", "csv_href": "/dashboard.csv", "practices_href": "\(base)/practices?lang=\(language)",
        ]
    }

    func dashboard(_ figures: DashboardFigures) -> [String: Any] {
        var context = layout(path: base)
        let number = { (value: Int) in String(value) }
        context["totals"] = [
            "pledges": number(figures.pledges), "updates": number(figures.updates), "practices": number(figures.practices), "joint": number(figures.joint),
            "stale": number(figures.stale),
        ]
        context["charts"] = [
            chart("stage", figures.byStage, label: stageLabel), chart("area", figures.byArea) { pack.label(list: "area", option: $0) },
            chart("entity_type", figures.byEntityType) { pack.label(list: "entity_type", option: $0) }, chart("country", figures.byCountry, label: countryLabel),
            chart("updates_over_time", figures.updatesByMonth) { $0 },
        ]
        context["recent"] = figures.recent.map(line)
        context["has_recent"] = !figures.recent.isEmpty
        context["stale"] = figures.stalePledges.map(line)
        context["has_stale"] = !figures.stalePledges.isEmpty
        context["joint"] = figures.jointPledges.map(line)
        context["has_joint"] = !figures.jointPledges.isEmpty
        return context
    }

    private func chart(_ id: String, _ counts: [DashboardFigures.Count], label: (String) -> String) -> [String: Any] {
        let largest = max(counts.map(\.count).max() ?? 0, 1)
        let rows = counts.enumerated().map { index, count -> [String: Any] in
            ["label": label(count.key), "count": String(count.count), "percent": String(format: "%.1f", Double(count.count) * 100 / Double(largest)), "y": String(index * 24)]
        }
        let top = counts.max { $0.count < $1.count }
        let summary = Template.fillForReading(
            words["chart_summary"] ?? "",
            ["total": String(counts.reduce(0) { $0 + $1.count }), "label": "\u{2068}" + (top.map { label($0.key) } ?? "") + "\u{2069}", "count": String(top?.count ?? 0)])
        return [
            "id": id, "title": words["chart_\(id)"] ?? id, "rows": rows, "height": String(max(counts.count * 24, 24)), "empty": counts.isEmpty, "summary": summary,
        ]
    }

    private func line(_ pledge: DashboardFigures.PledgeLine) -> [String: Any] {
        var row: [String: Any] = ["id": pledge.id, "href": pledgeHref(pledge.id), "title": pledge.title, "entity": pledge.entity, "stage": stageLabel(pledge.stage)]
        row["last_update"] = pledge.lastUpdateAt.map(Self.day) ?? words["never"] ?? ""
        if let partners = pledge.partners, !partners.isEmpty { row["partners"] = partners }
        return row
    }

    func pledgeHref(_ id: String) -> String {
        "\(base)/pledges/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? id)?lang=\(language)"
    }

    func stageLabel(_ stage: String?) -> String {
        guard let stage, stage != "unknown" else { return "—" }
        return pack.label(list: "update_status", option: stage)
    }

    func countryLabel(_ code: String) -> String {
        catalog.optionLists["country_extra"]?.contains(code) == true ? pack.label(list: "country_extra", option: code) : pack.countryName(code)
    }

    static func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }

    func pledge(_ pledge: Pledge, updates: [PublishedItems.Update]) -> [String: Any] {
        var context = layout(path: String(pledgeHref(pledge.externalId).prefix { $0 != "?" }))
        var facts: [String: Any] = ["id": pledge.externalId, "title": pledge.title, "entity": pledge.entity, "stage": stageLabel(pledge.stage)]
        facts["entity_type"] = pledge.entityType.map { pack.label(list: "entity_type", option: $0) }
        facts["partners"] = pledge.partners
        facts["countries"] = nonEmpty(pack.list(pledge.countryCodes.map(countryLabel)))
        facts["areas"] = nonEmpty(pack.list(pledge.areaIds.map { pack.label(list: "area", option: $0) }))
        facts["forum"] = pledge.forum.map { pack.label(list: "forum", option: $0) }
        facts["description"] = pledge.description.flatMap(nonEmpty)
        context["pledge"] = facts
        let form = catalog.forms.first { $0.roles["pledge"] != nil }
        context["updates"] = updates.map { update -> [String: Any] in
            let answers = update.answers
            var row: [String: Any] = ["reference": update.reference, "date": Self.day(update.submittedAt)]
            row["stage"] = form?.answer(role: "status", in: answers)?.values.first.map { stageLabel($0) }
            row["progress"] = answers["progress"]?.values.first
            row["people_reached"] = answers["people_reached"]?.values.first
            row["money_disbursed"] = answers["money_disbursed_usd"]?.values.first
            row["countries"] = form?.answer(role: "countries", in: answers).map { nonEmpty(pack.list($0.values.map(countryLabel))) } ?? nil
            row["challenges"] = answers["challenges"]?.values.first
            row["support_needed"] = answers["support_needed"]?.values.first
            return row
        }
        context["has_updates"] = !updates.isEmpty
        return context
    }

    func practices(_ items: [(reference: String, answers: [String: Answer])]) -> [String: Any] {
        var context = layout(path: "\(base)/practices")
        context["practices"] = items.map { item -> [String: Any] in
            var row = practiceFacts(item.reference, item.answers)
            row["href"] = "\(base)/practices/\(item.reference)?lang=\(language)"
            return row
        }
        context["has_practices"] = !items.isEmpty
        return context
    }

    func practice(_ reference: String, _ answers: [String: Answer]) -> [String: Any] {
        var context = layout(path: "\(base)/practices/\(reference)")
        context["practice"] = practiceFacts(reference, answers)
        return context
    }

    /// What a published practice shows: never the contributor's name or contact.
    private func practiceFacts(_ reference: String, _ answers: [String: Answer]) -> [String: Any] {
        var facts: [String: Any] = ["reference": reference, "title": answers["title"]?.values.first ?? reference]
        facts["description"] = answers["description"]?.values.first
        facts["results"] = answers["results"]?.values.first
        facts["lessons"] = answers["lessons_learned"]?.values.first
        facts["countries"] = answers["countries"].flatMap { nonEmpty(pack.list($0.values.map(countryLabel))) }
        facts["areas"] = answers["areas"].flatMap { nonEmpty(pack.list($0.values.map { pack.label(list: "area", option: $0) })) }
        facts["start_year"] = answers["start_year"]?.values.first
        facts["end_year"] = answers["end_year"].map { $0.values.first == "ongoing" ? (pack.words("ongoing").first ?? "ongoing") : ($0.values.first ?? "") }
        facts["entity_type"] = answers["submitter_entity_type"]?.values.first.map { pack.label(list: "entity_type", option: $0) }
        return facts
    }

    func review(_ items: [QueueItem], counts: [(String, Int)]) -> [String: Any] {
        var context = layout(path: "\(base)/review")
        context["waiting"] = items.map { item -> [String: Any] in
            [
                "reference": item.reference, "kind": pack.forms[item.kind]?.name ?? item.kind, "title": item.title, "status": item.status,
                "days": String(item.ageSeconds / 86_400),
            ]
        }
        context["has_waiting"] = !items.isEmpty
        context["counts"] = counts.map { ["status": $0.0, "count": String($0.1)] }
        return context
    }

    func error(status: Int, message: String) -> [String: Any] {
        var context = layout(path: base)
        context["status"] = String(status)
        context["message"] = message
        return context
    }

    private func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}
