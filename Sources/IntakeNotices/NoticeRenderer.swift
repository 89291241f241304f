import Foundation
import IntakeCore

/// The submission a notice is about, as the contributor sent it.
public struct NoticeSubmission: Sendable {
    public let reference: String
    public let form: String
    public let answers: [String: Answer]
    public let channel: Channel
    public let language: String

    public init(reference: String, form: String, answers: [String: Answer], channel: Channel, language: String) {
        self.reference = reference
        self.form = form
        self.answers = answers
        self.channel = channel
        self.language = language
    }
}

/// One line of the reviewers' digest.
public struct DigestItem: Sendable {
    public let reference: String
    public let kind: String
    public let title: String
    public let status: SubmissionStatus
    public let days: Int
    public let assignedTo: String?

    public init(reference: String, kind: String, title: String, status: SubmissionStatus, days: Int, assignedTo: String?) {
        self.reference = reference
        self.kind = kind
        self.title = title
        self.status = status
        self.days = days
        self.assignedTo = assignedTo
    }
}

/// Renders notices in the contributor's language: the words come from `templates/<lang>/`, the labels of
/// forms, fields and options from `prompts/<lang>/`, so a summary reads exactly as in the conversation.
public struct NoticeRenderer: Sendable {
    public let catalog: Catalog
    public let templates: NoticeTemplates

    public init(catalog: Catalog, templates: NoticeTemplates) {
        self.catalog = catalog
        self.templates = templates
    }

    /// A notice about `submission`; `note` is the reviewer's note or reason (sent to the contributor).
    public func render(_ kind: NoticeKind, submission: NoticeSubmission, note: String?) -> RenderedNotice {
        let language = catalog.languages[submission.language] != nil ? submission.language : catalog.defaultLanguage
        let pack = catalog.pack(language)
        // "line" is the summary line as the conversation writes it in this language ("1. Titre : …");
        // "lines" split a long answer for the HTML part.
        let summary = Engine(catalog: catalog).summaryRows(
            form: submission.form, answers: submission.answers, language: language, channel: submission.channel)
        let rows = summary.compactMap { row -> [String: Any]? in
            guard let value = row.value else { return nil }
            let lines = value.components(separatedBy: "\n")
            return [
                "number": row.number, "label": row.label, "value": value,
                "line": pack.message(.summaryLine, ["number": String(row.number), "label": row.label, "value": value]),
                "lines": lines.enumerated().map { ["text": $1, "more": $0 < lines.count - 1] as [String: Any] },
            ]
        }
        var context = base(language)
        context["reference"] = submission.reference
        let formTexts = pack.forms[submission.form]
        context["form_name"] = formTexts?.name ?? submission.form
        // Grammar as data: "votre engagement … le lire", "votre bonne pratique … la lire".
        context["your_form"] = formTexts?.yourName ?? submission.form
        context["feminine"] = formTexts?.gender == "f"
        context["masculine"] = formTexts?.gender == "m"
        context["summary"] = rows
        if let note, !note.isEmpty { context["note"] = note }
        return render(kind, language: language, context: context)
    }

    /// The reviewers' digest: items waiting, oldest first (as given).
    public func renderDigest(_ items: [DigestItem], language: String) -> RenderedNotice {
        let language = templates.languages.contains(language) ? language : catalog.defaultLanguage
        let pack = catalog.pack(language)
        var context = base(language)
        context["count"] = items.count
        context["has_items"] = !items.isEmpty
        context["items"] = items.map { item -> [String: Any] in
            var row: [String: Any] = [
                "reference": item.reference, "form_name": pack.forms[item.kind]?.name ?? item.kind, "title": item.title, "status": item.status.rawValue,
                "days": item.days,
            ]
            if let who = item.assignedTo { row["assigned_to"] = who }
            return row
        }
        return render(.digest, language: language, context: context)
    }

    private func base(_ language: String) -> [String: Any] {
        ["lang": language, "dir": catalog.pack(language).rightToLeft ? "rtl" : "ltr"]
    }

    private func render(_ kind: NoticeKind, language: String, context: [String: Any]) -> RenderedNotice {
        func part(_ name: String) -> String {
            templates.render(kind, part: name, language: language, fallback: catalog.defaultLanguage, context: context)
        }
        let subject = part("subject").components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " ")
        return RenderedNotice(subject: subject, text: Self.tidy(part("txt")), html: part("html"))
    }

    /// At most one empty line in a row and none at the ends: sections that render empty leave no gap.
    static func tidy(_ text: String) -> String {
        var lines: [String] = []
        for line in text.components(separatedBy: "\n").map({ $0.trimmingCharacters(in: .init(charactersIn: " \t\r")) }) {
            if line.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
