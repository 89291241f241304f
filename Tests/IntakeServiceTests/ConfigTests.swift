import Foundation
import IntakeService
import XCTest

/// The service's configuration from the environment: defaults that run with nothing set, and every bad
/// value refused with the variable's name and what was expected (never a trap, whatever the text).
final class ConfigTests: XCTestCase {
    func testNothingSetGivesTheEmbeddedDefaults() throws {
        let config = try Config(environment: [:])
        XCTAssertEqual(config.databasePath, "./gcr-intake.sqlite")
        XCTAssertEqual(config.chat.host, "127.0.0.1")
        XCTAssertEqual(config.chat.port, 8080)
        XCTAssertNil(config.imap)
        XCTAssertNil(config.smtp)
        XCTAssertNil(config.chat.genericSecret, "no channel is on without its secret")
        XCTAssertEqual(config.outboxRetrySeconds, 5)
        XCTAssertEqual(config.outboxCeiling, 20_000)
        XCTAssertEqual(config.retentionDays, 180)
        XCTAssertEqual(config.messageIdDomain, "gcr-intake.invalid")
        XCTAssertTrue(config.chat.webChat, "the web chat is the channel that works with nothing set")
        XCTAssertEqual([config.reminderHours, config.emailReminderDays, config.draftExpiryDays], [23, 3, 30])
        XCTAssertEqual(config.mediaLimit, 16 * 1024 * 1024)
        XCTAssertEqual(config.chat.trustedProxies, [])
        let set = try Config(environment: ["GCR_INTAKE_WEB_CHAT": "off", "GCR_INTAKE_TRUSTED_PROXIES": " 127.0.0.1, ::1 "])
        XCTAssertFalse(set.chat.webChat)
        XCTAssertEqual(set.chat.trustedProxies, ["127.0.0.1", "::1"])
    }

    func testOverridesWinAndEmptyValuesCountAsUnset() throws {
        let config = try Config(
            environment: ["GCR_INTAKE_DB": "/tmp/a.sqlite", "GCR_INTAKE_HTTP_PORT": "", "GCR_INTAKE_LOG_LEVEL": "debug"],
            overrides: ["GCR_INTAKE_DB": "/tmp/b.sqlite", "GCR_INTAKE_LOG_LEVEL": ""])
        XCTAssertEqual(config.databasePath, "/tmp/b.sqlite")
        XCTAssertEqual(config.chat.port, 8080, "an empty value is no value")
        XCTAssertEqual(config.logLevel, "debug", "an empty override does not hide the environment")
    }

    func testAMailboxNeedsItsCredentialsAndOurAddress() throws {
        let imap = ["GCR_INTAKE_IMAP_URL": "imap://127.0.0.1:1143", "GCR_INTAKE_IMAP_USER": "intake@example.org", "GCR_INTAKE_IMAP_PASSWORD": "secret"]
        XCTAssertThrowsError(try Config(environment: imap)) { XCTAssertEqual(($0 as? ConfigError)?.variable, "GCR_INTAKE_MAIL_FROM") }
        let config = try Config(environment: imap.merging(["GCR_INTAKE_MAIL_FROM": "Intake@Example.org", "GCR_INTAKE_IMAP_BATCH": "200"]) { $1 })
        XCTAssertEqual(config.imap?.batchSize, 200)
        XCTAssertEqual(config.mailFrom, "intake@example.org")
        XCTAssertEqual(config.messageIdDomain, "example.org")
        var missing = imap
        missing["GCR_INTAKE_IMAP_PASSWORD"] = nil
        XCTAssertThrowsError(try Config(environment: missing)) { XCTAssertEqual(($0 as? ConfigError)?.variable, "GCR_INTAKE_IMAP_PASSWORD") }
    }

    func testEveryBadValueNamesItsVariable() {
        let cases: [(String, String)] = [
            ("GCR_INTAKE_HTTP_PORT", "99999"), ("GCR_INTAKE_HTTP_PORT", "80a"), ("GCR_INTAKE_HTTP_PORT", "1e3"),
            ("GCR_INTAKE_OUTBOX_RETRY_SECONDS", "0"), ("GCR_INTAKE_OUTBOX_CEILING", "9223372036854775808"),
            ("GCR_INTAKE_RETENTION_DAYS", "-1"), ("GCR_INTAKE_LOG_LEVEL", "loud"), ("GCR_INTAKE_MAIL_FROM", "not an address"),
            ("GCR_INTAKE_MAIL_FROM", "a@b.org\r\nBcc: x@y.org"), ("GCR_INTAKE_MAIL_FROM_NAME", "two\nlines"),
            ("GCR_INTAKE_WHATSAPP_API_URL", "ftp://example.org"), ("GCR_INTAKE_SMTP_URL", "http://127.0.0.1:25"),
            ("GCR_INTAKE_IMAP_URL", "imap://"), ("GCR_INTAKE_WEBHOOK_REPLY_URL", "https://127.0.0.1/reply"),
            ("GCR_INTAKE_WEB_CHAT", "maybe"), ("GCR_INTAKE_TRUSTED_PROXIES", "127.0.0.1,proxy.example.org"),
            ("GCR_INTAKE_TRUSTED_PROXIES", "127.0.0.1/8"), ("GCR_INTAKE_REMINDER_HOURS", "0"), ("GCR_INTAKE_DRAFT_EXPIRY_DAYS", "30d"),
            ("GCR_INTAKE_EMAIL_REMINDER_DAYS", "-3"), ("GCR_INTAKE_MEDIA_LIMIT", "16MB"), ("GCR_INTAKE_WEB_CHAT_MESSAGES_PER_MINUTE", "0"),
            ("GCR_INTAKE_REMINDER_HOURS", "96"), ("GCR_INTAKE_EMAIL_REMINDER_DAYS", "30"),
        ]
        for (variable, value) in cases {
            XCTAssertThrowsError(try Config(environment: [variable: value]), "\(variable)=\(value)") { error in
                guard let error = error as? ConfigError else { return XCTFail("\(variable): \(error)") }
                // The reply URL needs the secret: the error names the missing one.
                let expected = variable == "GCR_INTAKE_WEBHOOK_REPLY_URL" ? "GCR_INTAKE_WEBHOOK_SECRET" : variable
                XCTAssertEqual(error.variable, expected, "\(variable)=\(value)")
            }
        }
    }
}
