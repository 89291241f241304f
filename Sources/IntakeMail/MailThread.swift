import Foundation
import IntakeCore

/// Email threading, as read from a mail: our reference tag in its subject, and the subject our reply
/// repeats. (Which contact a tag or a Message-ID leads to is the store's lookup: `threadedContact`.)
public enum MailThread {
    /// "[GCR-PR-000042]" in a subject → "GCR-PR-000042"; nil without one of our tags.
    public static func tag(inSubject subject: String) -> String? {
        guard subject.contains("[GCR-"), let range = subject.range(of: #"\[GCR-[A-Z]{2}-[0-9]{6}\]"#, options: .regularExpression) else { return nil }
        return String(subject[range].dropFirst().dropLast())
    }

    /// What a reply to `subject` repeats after "Re: ": one line, without our tags and without the reply
    /// and forward prefixes mail clients add in several languages ("Re:", "TR:", "Fwd:", "RV:", "AW:");
    /// nil when nothing is left. (The patterns run only when they can match: compiling them was a
    /// tenth of an email's processing.)
    public static func replySubject(_ subject: String?) -> String? {
        var original = (subject ?? "").components(separatedBy: .newlines).joined(separator: " ")
        if original.contains("[GCR-") {
            original = original.replacingOccurrences(of: #"\s*\[GCR-[A-Z]{2}-[0-9]{6}\]"#, with: "", options: .regularExpression)
        }
        while original.contains(":"), let prefix = original.range(of: #"^\s*(re|tr|fw|fwd|rv|aw)\s*:\s*"#, options: [.regularExpression, .caseInsensitive]) {
            original.removeSubrange(prefix)
        }
        original = original.trimmingCharacters(in: .whitespaces)
        return original.isEmpty ? nil : original
    }

    /// `message` with its threading read from its subject.
    public static func annotate(_ message: inout InboundMessage) {
        message.threadTag = message.subject.flatMap(tag(inSubject:))
        message.replySubject = replySubject(message.subject)
    }
}
