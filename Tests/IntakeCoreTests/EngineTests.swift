import IntakeCore
import XCTest

final class EngineTests: XCTestCase {
    func testFirstMessageGreetsAndOffersTheThreeForms() {
        var d = Dialogue()
        let notice = d.say("Hello")
        XCTAssertEqual(d.state?.step, .consent)
        XCTAssertTrue(notice.contains(TestCatalog.shared.pack("en").message(.privacyNotice)), notice)
        let text = d.say("yes")
        XCTAssertTrue(text.contains("1. ") && text.contains("2. ") && text.contains("3. "), text)
        XCTAssertEqual(d.state?.step, .chooseForm)
        XCTAssertEqual(d.lastReplies.last?.options.map(\.id), ["good_practice", "pledge", "pledge_update"])
    }

    func testAFormKeywordAsFirstMessageStartsItAtOnce() {
        var d = Dialogue(language: "fr")
        d.say("Je voudrais faire le point sur un engagement : avancement")
        XCTAssertEqual(d.state?.step, .consent)
        d.say("oui")
        XCTAssertEqual(d.state?.form, "pledge_update")
        XCTAssertEqual(d.field, "pledge_reference")
        var e = Dialogue()
        e.begin("pledge")
        XCTAssertEqual(e.state?.form, "pledge")
    }

    func testUnknownFormChoiceIsExplainedAndAskedAgain() {
        var d = Dialogue()
        d.begin("hi")
        let text = d.say("7")
        XCTAssertEqual(d.state?.step, .chooseForm)
        XCTAssertTrue(text.contains(TestCatalog.shared.pack("en").message(.formUnknown)), text)
    }

    func testInvalidAnswerGetsASpecificHintAndTheSameQuestion() {
        var d = Dialogue()
        d.begin("3")
        d.sayAll(["GCR-PL-000007", "2", "skip", "skip", "skip"])
        XCTAssertEqual(d.field, "progress")
        let text = d.say("Done.")
        XCTAssertEqual(d.field, "progress")
        XCTAssertTrue(text.contains("at least 20 characters (you wrote 5)"), text)
        XCTAssertTrue(text.contains("What has been done so far?"), text)
    }

    func testPledgeAmountIsAskedOnlyWhenSupportIsFinancialAndDroppedWhenItNoLongerIs() {
        var d = Dialogue()
        d.begin("2")
        d.sayAll(["Jobs for refugees", "Acme Ltd", "8", "no"])
        XCTAssertEqual(d.field, "description", "co_sponsors must be skipped when the pledge is not joint")
        d.sayAll(["We will hire 200 refugees in our factories over three years, with training.", "2", "3", "1,3"])
        XCTAssertEqual(d.field, "amount_usd")
        d.say("250,000")
        XCTAssertEqual(d.answers["amount_usd"], .number(250_000))
        XCTAssertEqual(d.field, "host_countries")
        d.sayAll(["Chad", "2", "2", "ops@acme.example.org", "yes"])
        XCTAssertEqual(d.state?.step, .summary)
        // Change the support type so it is no longer financial: amount disappears from the summary and the submission.
        let supportNumber = TestCatalog.shared.form("pledge")!.channelFields(.terminal).firstIndex { $0.id == "support_type" }! + 1
        d.say("edit \(supportNumber)")
        XCTAssertEqual(d.field, "support_type")
        let summary = d.say("3")
        XCTAssertEqual(d.state?.step, .summary)
        XCTAssertFalse(summary.contains("Amount (USD)"), summary)
        d.say("ok")
        guard case .submitted(let form, let answers)? = d.events.last else { return XCTFail("no submission") }
        XCTAssertEqual(form, "pledge")
        XCTAssertNil(answers["amount_usd"])
        XCTAssertNil(answers["co_sponsors"])
        XCTAssertEqual(answers["support_type"], .list(["technical"]))
    }

    func testJointPledgeAsksForCoSponsors() {
        var d = Dialogue()
        d.begin("2")
        d.sayAll(["Joint pledge", "City of Lyon", "2", "yes"])
        XCTAssertEqual(d.field, "co_sponsors")
    }

    func testBackSkipAndRequiredFieldsCannotBeSkipped() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar schools"])
        XCTAssertEqual(d.field, "submitter_name")
        let refused = d.say("skip")
        XCTAssertEqual(d.field, "submitter_name")
        XCTAssertTrue(refused.contains("cannot be skipped"), refused)
        d.say("back")
        XCTAssertEqual(d.field, "title")
        let atStart = d.say("back")
        XCTAssertTrue(atStart.contains("first question"), atStart)
        d.sayAll(["Solar schools in Kakuma", "Amina", "5"])
        XCTAssertEqual(d.field, "organisation")
        d.say("passer")
        XCTAssertEqual(d.field, "countries")
        XCTAssertEqual(d.state?.skipped, ["organisation"])
        XCTAssertEqual(d.answers["title"], .text("Solar schools in Kakuma"))
    }

    func testEditFromSummaryReturnsToTheSummary() {
        var d = Dialogue()
        d.begin("3")
        d.sayAll(["GCR-PL-000007", "in progress", "skip", "skip", "skip", "We distributed 300 solar lamps in 2024.", "skip", "skip", "me@example.org", "yes"])
        XCTAssertEqual(d.state?.step, .summary)
        d.say("edit 2")
        XCTAssertEqual(d.field, "status")
        let summary = d.say("3")
        XCTAssertEqual(d.state?.step, .summary)
        XCTAssertTrue(summary.contains("2. Status: Fulfilled"), summary)
        let refused = d.say("edit 12")
        XCTAssertTrue(refused.contains("no answer number 12"), refused)
        d.say("yes")
        guard case .submitted(let form, let answers)? = d.events.last else { return XCTFail("no submission") }
        XCTAssertEqual(form, "pledge_update")
        XCTAssertEqual(answers["status"], .text("fulfilled"))
        XCTAssertEqual(d.state?.step, .submitted)
    }

    func testRestartStopAndANewConversationAfterwards() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar schools"])
        d.say("restart")
        XCTAssertEqual(d.state?.pending, .restart, "answers exist: asked first")
        d.say("yes")
        XCTAssertEqual(d.state?.step, .chooseForm)
        XCTAssertEqual(d.answers, [:])
        d.say("2")
        d.say("stop")
        XCTAssertEqual(d.state?.step, .abandoned, "nothing answered: stopped at once")
        XCTAssertEqual(d.events.last, .abandoned)
        d.say("hello again")
        XCTAssertEqual(d.state?.step, .chooseForm, "consent was given once: the menu, no notice")
        XCTAssertEqual(d.answers, [:])
    }

    func testLanguageChangeMidConversationReasksInTheNewLanguage() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar schools"])
        let text = d.say("language fr")
        XCTAssertEqual(d.state?.language, "fr")
        XCTAssertTrue(text.contains("Quel est votre nom ?"), text)
        let unknown = d.say("langue xx")
        XCTAssertTrue(unknown.contains("English (en)") && unknown.contains("Français (fr)"), unknown)
        XCTAssertEqual(d.field, "submitter_name")
    }

    func testHelpGivesTheFieldsExampleThenTheQuestion() {
        var d = Dialogue(language: "fr")
        d.say("1")
        d.say("oui")
        let text = d.say("aide")
        XCTAssertTrue(text.contains("Énergie solaire pour les écoles de Kakuma"), text)
        XCTAssertTrue(text.hasSuffix("Quel est le nom de la pratique ? (une ligne courte)"), text)
    }

    func testSummaryMidwayShowsAnswersSoFar() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar schools", "Amina"])
        let text = d.say("summary")
        XCTAssertTrue(text.contains("1. Title: Solar schools") && text.contains("2. Your name: Amina"), text)
        XCTAssertEqual(d.field, "submitter_entity_type")
    }

    func testContactEmailIsNotAskedOnTheEmailChannel() {
        var d = Dialogue(channel: .email)
        d.begin("3")
        d.sayAll(["GCR-PL-000007", "2", "skip", "skip", "skip", "We distributed 300 solar lamps in 2024.", "skip", "skip", "no"])
        XCTAssertEqual(d.state?.step, .summary)
    }

    func testResumeRepeatsTheCurrentQuestion() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar schools", "Amina"])
        let replies = d.engine.resume(d.state!).map(\.text).joined(separator: "\n")
        XCTAssertTrue(replies.contains(TestCatalog.shared.pack("en").fieldTexts(form: "good_practice", field: "submitter_entity_type").question), replies)
    }
}
