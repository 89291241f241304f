import Foundation
import GRDB
@testable import IntakeStore
import XCTest

/// Runs the real `gcr-intake chat` binary with conversations piped in, and reads the database it wrote.
final class ChatCommandTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    var databasePath = ""

    override func setUpWithError() throws {
        databasePath = NSTemporaryDirectory() + "chat-\(UUID().uuidString).sqlite"
    }

    override func tearDownWithError() throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
    }

    func testPipedFrenchGoodPracticeEndsInOneSubmissionWithEveryAnsweredField() throws {
        let output = try chat(fixture: "good_practice_fr", contact: "amina", lang: "fr")
        let submissions = try fetchSubmissions()
        XCTAssertEqual(submissions.count, 1)
        let submission = try XCTUnwrap(submissions.first)
        XCTAssertTrue(submission.reference.hasPrefix("GCR-PR-"))
        XCTAssertTrue(output.contains(submission.reference), "the reference is shown to the contributor")
        let answers = try submission.decodedAnswers()
        XCTAssertEqual(
            Set(answers.keys),
            [
                "title", "submitter_name", "submitter_entity_type", "organisation", "countries", "gcr_objectives", "areas", "description",
                "refugee_participation", "partners", "start_year", "end_year", "results", "lessons_learned", "contact_email", "consent_publish",
            ])
        XCTAssertEqual(answers["title"], .text("Écoles solaires de Kakuma"), "edit 1 at the summary replaced the title")
        XCTAssertEqual(answers["countries"], .list(["KE", "UG"]))
        XCTAssertEqual(answers["end_year"], .text("ongoing"))
        XCTAssertEqual(answers["contact_email"], .text("amina@example.org"))
        XCTAssertTrue(output.contains("Ce n'est pas une adresse e-mail valable"), "the invalid address got a French hint")
        XCTAssertTrue(output.contains("Merci !"))
    }

    func testPipedEnglishPledgeAsksForTheAmountOnlyOnceSupportIsFinancial() throws {
        let output = try chat(fixture: "pledge_en", contact: "acme", lang: "en")
        let submission = try XCTUnwrap(try fetchSubmissions().first)
        XCTAssertTrue(submission.reference.hasPrefix("GCR-PL-"))
        XCTAssertTrue(output.contains(submission.reference))
        let answers = try submission.decodedAnswers()
        XCTAssertEqual(answers["support_type"], .list(["financial", "technical"]))
        XCTAssertEqual(answers["amount_usd"], .number(250_000))
        XCTAssertEqual(answers["co_sponsors"], .text("City of N'Djamena, Chad Chamber of Commerce"))
        XCTAssertEqual(answers["host_countries"], .list(["TD", "CM"]))
        XCTAssertEqual(answers["entity_type"], .text("private_sector"))
        XCTAssertEqual(answers.count, 15)
        // Before the edit, the amount question never appeared; after it, it did, exactly once (plus its re-ask).
        let question = "How much money, in US dollars?"
        let editAt = try XCTUnwrap(output.range(of: "Question 9 of"))
        XCTAssertFalse(output[..<editAt.lowerBound].contains(question))
        XCTAssertEqual(output.components(separatedBy: question).count - 1, 2, "asked, then asked again after 'a lot'")
    }

    func testPipedPledgeUpdate() throws {
        let output = try chat(fixture: "pledge_update_en", contact: "amina-update", lang: "en")
        let submission = try XCTUnwrap(try fetchSubmissions().first)
        XCTAssertTrue(submission.reference.hasPrefix("GCR-UP-"))
        XCTAssertTrue(output.contains(submission.reference))
        let answers = try submission.decodedAnswers()
        XCTAssertEqual(
            Set(answers.keys), ["pledge_reference", "status", "people_reached", "implementation_countries", "progress", "challenges", "contact_email", "consent_publish"])
        XCTAssertEqual(answers["people_reached"], .number(60), "a number among words")
        XCTAssertEqual(answers["status"], .text("in_progress"))
    }

    func testKilledChatResumesAtTheSameQuestionWithEarlierAnswers() throws {
        let first = try launch(contact: "kill-me", lang: "en")
        let transcript = Transcript(first.output)
        for line in ["1", "yes", "Solar schools", "Amina"] { first.input.write(Data((line + "\n").utf8)) }
        // Killed at rest: question 3 shown and marked shown (a kill between the two shows it again first, by design).
        let database = try IntakeDatabase(path: databasePath)
        try waitUntil {
            try transcript.text.contains("Question 3 of 18")
                && database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL") } == 0
        }
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        XCTAssertEqual(first.process.terminationReason, .uncaughtSignal, String(decoding: first.error.readDataToEndOfFile(), as: UTF8.self))

        let second = try launch(contact: "kill-me", lang: "en")
        second.input.write(Data("NGO\n".utf8))
        try second.input.close()
        second.process.waitUntilExit()
        let output = String(decoding: second.output.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(second.process.terminationStatus, 0)
        let resumed = try XCTUnwrap(output.range(of: "Welcome back"))
        let question = try XCTUnwrap(output.range(of: "Question 3 of 18\nWho are you sharing for: yourself or an organisation?"))
        XCTAssertLessThan(resumed.lowerBound, question.lowerBound)
        XCTAssertTrue(output.contains("Question 4 of 18"), output)
        let state = try database.activeConversation(channel: .terminal, address: "kill-me")
        XCTAssertEqual(state?.answers["title"], .text("Solar schools"))
        XCTAssertEqual(state?.answers["submitter_name"], .text("Amina"))
        XCTAssertEqual(state?.answers["submitter_entity_type"], .text("ngo"))
    }

    func testBadPromptsFolderIsAOneLineErrorWithExitCode2() throws {
        let run = try launch(contact: "x", lang: "en", prompts: "/nonexistent/prompts")
        try run.input.close()
        run.process.waitUntilExit()
        XCTAssertEqual(run.process.terminationStatus, 2)
        let error = String(decoding: run.error.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(error.hasPrefix("gcr-intake: cannot load prompts: /nonexistent/prompts"), error)
    }

    // MARK: - Helpers

    struct Running {
        let process: Process
        let input: FileHandle
        let output: FileHandle
        let error: FileHandle
    }

    private func launch(contact: String, lang: String, prompts: String? = nil) throws -> Running {
        let process = Process()
        process.executableURL = try CLI.binary()
        process.currentDirectoryURL = Self.root
        process.arguments = [
            "chat", "--db", databasePath, "--contact", contact, "--lang", lang, "--prompts", prompts ?? Self.root.appendingPathComponent("prompts").path,
        ]
        let (input, output, error) = (Pipe(), Pipe(), Pipe())
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        return Running(process: process, input: input.fileHandleForWriting, output: output.fileHandleForReading, error: error.fileHandleForReading)
    }

    private func chat(fixture: String, contact: String, lang: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/conversations/\(fixture)", withExtension: "txt"))
        let run = try launch(contact: contact, lang: lang)
        run.input.write(try Data(contentsOf: url))
        try run.input.close()
        let output = String(decoding: run.output.readDataToEndOfFile(), as: UTF8.self)
        run.process.waitUntilExit()
        XCTAssertEqual(run.process.terminationStatus, 0, String(decoding: run.error.readDataToEndOfFile(), as: UTF8.self))
        return output
    }

    private func fetchSubmissions() throws -> [Submission] {
        try IntakeDatabase(path: databasePath).writer.read { db in try Submission.fetchAll(db) }
    }

    /// Collects what a running process prints, read on a background thread.
    final class Transcript: @unchecked Sendable {  // `data` is only touched under `lock`
        private let lock = NSLock()
        private var data = Data()

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { return }
                    lock.lock()
                    data.append(chunk)
                    lock.unlock()
                }
            }
        }

        var text: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: data, as: UTF8.self)
        }
    }

    private func waitUntil(timeout: TimeInterval = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("condition not met within \(timeout) s")
    }
}
