import IntakeCore
import XCTest

/// The conversation as real contributors answer it: consent once, no email needed, destructive commands
/// confirmed, a stable progress count, status on demand, and no loop.
final class ConversationAsPeopleAnswerTests: XCTestCase {
    let en = TestCatalog.shared.pack("en")

    func testConsentIsAskedOnceThenAReturningContributorGetsAShortWelcomeAndTheMenu() {
        var d = Dialogue()
        d.begin("hello")
        XCTAssertEqual(d.state?.step, .chooseForm)
        d.say("stop")
        let again = d.say("thanks")
        XCTAssertFalse(again.contains(en.message(.privacyNotice)), again)
        XCTAssertTrue(again.contains(en.message(.welcomeBack)), again)
        XCTAssertEqual(d.state?.step, .chooseForm)
        XCTAssertEqual(d.lastReplies.last?.options.count, TestCatalog.shared.forms.count)
    }

    func testAChangedPrivacyNoticeIsAskedAgain() {
        var d = Dialogue()
        d.contributor = Contributor(consentedVersion: "an older version")
        let text = d.say("hello")
        XCTAssertEqual(d.state?.step, .consent)
        XCTAssertTrue(text.contains(en.message(.privacyChanged)) && text.contains(en.message(.privacyNotice)), text)
    }

    func testOtherAnswersToThePrivacyQuestionGetAShortReminderAndAfterThreeItStops() {
        var d = Dialogue()
        d.say("hello")
        for attempt in 1...2 {
            let text = d.say("what is this")
            XCTAssertEqual(d.state?.step, .consent, "attempt \(attempt)")
            XCTAssertFalse(text.contains(en.message(.privacyNotice)), "the whole notice again: \(text)")
            XCTAssertEqual(text, en.message(.consentUnknown))
            XCTAssertEqual(d.lastReplies.last?.options.map(\.id), ["yes", "no"])
        }
        let last = d.say("hmm")
        XCTAssertEqual(last, en.message(.consentGaveUp))
        XCTAssertEqual(d.events.last, .declined, "nothing is kept without a yes")
    }

    func testThumbsUpAndOkAreAYes() {
        for yes in ["👍", "👍🏽", "ok", "OK!", "Yes please"] {
            var d = Dialogue()
            d.say("hi")
            d.say(yes)
            XCTAssertEqual(d.state?.step, .chooseForm, yes)
        }
    }

    func testStopWithAnswersAsksFirstKeepsTheDraftAndResumeBringsItBack() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar lamps for Kakuma schools", "Amina"])
        XCTAssertEqual(d.field, "submitter_entity_type")
        let question = d.say("stop")
        XCTAssertTrue(question.contains(en.message(.confirmStop, ["count": "2"])), question)
        XCTAssertEqual(d.state?.step, .question, "nothing stopped before the yes")
        d.say("no")
        XCTAssertEqual(d.field, "submitter_entity_type", "no goes on where it was")
        d.say("stop")
        d.say("yes")
        XCTAssertEqual(d.state?.step, .stopped)
        XCTAssertEqual(d.answers["title"], .text("Solar lamps for Kakuma schools"), "the answers are kept")
        let back = d.say("resume")
        XCTAssertEqual(d.field, "submitter_entity_type", back)
        XCTAssertEqual(d.answers["submitter_name"], .text("Amina"))
    }

    func testRestartWithAnswersAsksFirst() {
        var d = Dialogue()
        d.begin("2")
        d.say("Jobs for refugee youth")
        let question = d.say("restart")
        XCTAssertTrue(question.contains(en.message(.confirmRestart, ["count": "1"])), question)
        XCTAssertEqual(d.answers["pledge_title"], .text("Jobs for refugee youth"))
        d.say("yes")
        XCTAssertEqual(d.state?.step, .chooseForm)
        XCTAssertEqual(d.answers, [:])
    }

    func testAnAnswerInsteadOfYesOrNoAfterStopIsReadAsTheAnswer() {
        var d = Dialogue()
        d.begin("1")
        d.say("Solar lamps")
        d.say("stop")
        d.say("Amina Yusuf")
        XCTAssertEqual(d.answers["submitter_name"], .text("Amina Yusuf"))
        XCTAssertNil(d.state?.pending)
    }

    func testTheQuestionTotalStaysPutAsOptionalQuestionsAppear() {
        var d = Dialogue()
        d.begin("2")
        var totals: Set<String> = []
        let answers = [
            "Joint jobs pledge", "Acme Ltd", "8", "yes", "City of Lyon", "We will hire 200 refugees in our factories over three years.", "2", "3", "1",
            "250000", "Chad", "2", "2", "skip", "yes",
        ]
        for answer in answers where d.state?.step == .question {
            let text = d.lastReplies.last?.text ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Question ") }) { totals.insert(String(line.split(separator: " ").last ?? "")) }
            d.say(answer)
        }
        XCTAssertEqual(d.state?.step, .summary)
        XCTAssertEqual(totals.count, 1, "totals seen: \(totals)")
    }

    func testAFormStartedByAWordThenABareNumberIsTheMenuChoice() {
        var d = Dialogue(language: "fr")
        d.say("promesse")
        d.say("oui")
        XCTAssertEqual(d.state?.form, "pledge")
        d.say("3")
        XCTAssertEqual(d.state?.form, "pledge_update", "the 3 was meant for the menu")
        XCTAssertEqual(d.field, "pledge_reference")
        XCTAssertEqual(d.answers, [:])
    }

    func testATitleMustSaySomething() {
        var d = Dialogue()
        d.begin("1")
        for nothing in ["2", "🌞", "12 34", "!!"] {
            let text = d.say(nothing)
            XCTAssertEqual(d.field, "title", nothing)
            XCTAssertTrue(text.contains(en.message(.invalidNoWords)), text)
        }
        d.say("Solar 2")
        XCTAssertEqual(d.answers["title"], .text("Solar 2"))
    }

    func testTheContactEmailIsOptionalOnChatAndNoMeansNone() {
        var d = Dialogue(channel: .whatsapp)
        d.begin("3")
        d.sayAll(["GCR-PL-000007", "2", "1200", "skip", "Chad", "We hired 80 refugees this year in two factories.", "skip", "skip"])
        XCTAssertEqual(d.field, "contact_email")
        d.say("no")
        XCTAssertEqual(d.field, "consent_publish")
        XCTAssertTrue(d.state?.skipped.contains("contact_email") ?? false)
    }

    func testEditWithoutANumberAsksWhichWithNoPlaceholderLeft() {
        var d = Dialogue()
        d.begin("1")
        d.say("Solar lamps")
        let text = d.say("edit")
        let max = TestCatalog.shared.form("good_practice")!.askedFields(answers: d.answers, channel: .terminal).count
        XCTAssertTrue(text.contains(en.message(.editWhich, ["max": String(max)])), text)
        XCTAssertFalse(text.contains("?.") || text.contains("{"), text)
    }

    func testStatusShowsOnlyTheContributorsOwnSubmissions() {
        var d = Dialogue()
        d.begin("hi")
        d.contributor.submissions = [
            OwnSubmission(reference: "GCR-PL-000004", form: "pledge", title: "Jobs for youth", status: .changesRequested),
            OwnSubmission(reference: "GCR-PR-000002", form: "good_practice", title: "Solar lamps", status: .approved),
        ]
        let all = d.say("status")
        XCTAssertTrue(all.contains("GCR-PL-000004") && all.contains("GCR-PR-000002"), all)
        XCTAssertTrue(all.contains(en.message(.statusStateChangesRequested)) && all.contains(en.message(.statusNextChangesRequested)), all)
        let one = d.say("status gcr-pr-000002")
        XCTAssertTrue(one.contains("Solar lamps") && one.contains(en.message(.statusNextApproved)), one)
        XCTAssertFalse(one.contains("GCR-PL-000004"), one)
        let other = d.say("status GCR-PL-000009")
        XCTAssertTrue(other.contains(en.message(.statusUnknown, ["reference": "GCR-PL-000009"])), other)
        XCTAssertEqual(d.state?.step, .chooseForm, "status changes nothing")
    }

    func testTheThirdRefusalExplainsDifferentlyAndOffersAWayOut() {
        var d = Dialogue()
        d.begin("1")
        d.sayAll(["Solar lamps", "Amina", "1", "skip", "Kenya", "skip", "1", "2", String(repeating: "We trained teachers. ", count: 4), "skip", "skip", "skip"])
        XCTAssertEqual(d.field, "start_year")
        let first = d.say("long ago")
        XCTAssertFalse(first.contains(en.message(.stuckRequired)), first)
        d.say("a while")
        let third = d.say("before covid")
        XCTAssertTrue(third.contains(en.message(.stuckRequired)), third)
        let help = en.fieldTexts(form: "good_practice", field: "start_year").help ?? "?"
        XCTAssertTrue(third.contains(en.message(.stuck, ["help": help])), third)
    }

    func testAnAmbiguousChoiceListsTheOptionsItMatches() {
        let field = TestCatalog.field("pledge", "entity_type")
        let result = FieldValidator(catalog: TestCatalog.shared, language: "en").validate("organisation", for: field)
        guard case .failure(let issue) = result else { return XCTFail("accepted: \(result)") }
        XCTAssertEqual(issue.key, .invalidAmbiguous)
        let options = issue.values["options"] ?? ""
        XCTAssertTrue(options.contains("4. International organisation") && options.contains("6. Refugee-led organisation"), options)
        XCTAssertEqual(FieldValidator(catalog: TestCatalog.shared, language: "en").validate("refugee led", for: field), .success(.text("refugee_led_org")))
    }

    func testEveryMessageInEveryLanguageReadsCleanlyWithAndWithoutItsValues() {
        let values = [
            "number": "3", "max": "9", "min": "1", "total": "15", "form": "X", "answer": "A", "value": "V", "length": "7", "start": "2019",
            "extra": "Global", "languages": "English (en)", "count": "2", "reference": "GCR-PL-000001", "title": "T", "state": "S", "help": "H",
            "options": "1. A, 2. B", "channel": "WhatsApp", "label": "L",
        ]
        for code in TestCatalog.shared.languageCodes {
            let pack = TestCatalog.shared.pack(code)
            for key in MessageKey.allCases {
                for text in [pack.message(key, values), pack.message(key)] {
                    XCTAssertFalse(text.contains("{") || text.contains("}"), "\(code) \(key.rawValue): \(text)")
                    XCTAssertFalse(text.contains("?.") || text.contains(" ?,") || text.isEmpty, "\(code) \(key.rawValue): \(text)")
                }
            }
        }
    }

    // MARK: - Found by trying it as contributors would (red-team pass)

    func testEditThenOkOrSkipKeepsTheAnswerThere() {
        var d = Dialogue()
        d.begin("2")
        d.sayAll(["Jobs for youth", "Acme Ltd", "8", "no", "We will hire 200 refugees in our factories over three years.", "2", "3", "1", "250000", "Chad", "2", "2", "skip", "yes"])
        XCTAssertEqual(d.state?.step, .summary)
        d.say("edit 1")
        d.say("ok")
        XCTAssertEqual(d.answers["pledge_title"], .text("Jobs for youth"), "ok keeps it")
        d.say("edit 1")
        d.say("skip")
        XCTAssertEqual(d.answers["pledge_title"], .text("Jobs for youth"), "skip keeps it")
        XCTAssertEqual(d.state?.step, .summary)
    }

    func testSummaryNumbersAreTheQuestionNumbers() {
        var d = Dialogue()
        d.begin("2")
        d.sayAll(["Jobs for youth", "Acme Ltd", "8", "no"])
        XCTAssertEqual(d.field, "description")
        let question = d.lastReplies.last?.text ?? ""
        let number = question.split(separator: "\n").first?.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
        XCTAssertEqual(number, "6", "co-sponsors (5) is not asked, its number is not reused")
        d.say("We will hire 200 refugees in our factories over three years.")
        let rows = d.engine.summaryRows(d.state!)
        XCTAssertEqual(rows.first { $0.fieldId == "description" }?.number, Int(number), "the summary numbers the description as its question did")
        d.say("edit \(number)")
        XCTAssertEqual(d.field, "description")
    }

    func testCommandWordsWithAQuestionMarkAndAnswersStartingWithLanguage() {
        let catalog = TestCatalog.shared
        XCTAssertEqual(Command.parse("help?", catalog: catalog, language: "en"), .help)
        XCTAssertEqual(Command.parse("¿ayuda?", catalog: catalog, language: "es"), .help)
        XCTAssertEqual(Command.parse("مساعدة؟", catalog: catalog, language: "ar"), .help)
        XCTAssertNil(Command.parse("Language classes", catalog: catalog, language: "en"))
        XCTAssertEqual(Command.parse("status GCR-PL-1", catalog: catalog, language: "en"), .status("GCR-PL-000001"))
    }

    func testNumbersAmongWords() {
        let field = TestCatalog.field("pledge_update", "people_reached")
        let validator = FieldValidator(catalog: TestCatalog.shared, language: "en")
        for (text, value) in [("4500 people", 4500.0), ("about 4500", 4500), ("unas 4500", 4500), ("250k", 250_000), ("1.2 million", 1_200_000), ("1,2 millones", 1_200_000), ("٢٥٠٬٠٠٠", 250_000), ("٢٥٠ ألف", 250_000), ("1 200 jeunes", 1200), ("1 250 000 personnes", 1_250_000)] {
            XCTAssertEqual(validator.validate(text, for: field), .success(.number(value)), text)
        }
        XCTAssertNotEqual(validator.validate("2 children and 3 adults", for: field), .success(.number(2)))
    }

    func testAnArabicMessageToTheEnglishNoticeGetsTheNoticeInArabic() {
        var d = Dialogue()
        d.say("Salam")
        XCTAssertEqual(d.state?.language, "en")
        let text = d.say("عربي من فضلك")
        XCTAssertEqual(d.state?.language, "ar")
        XCTAssertTrue(text.contains(TestCatalog.shared.pack("ar").message(.privacyNotice)), text)
        XCTAssertEqual(d.state?.refusals, 0)
    }

    func testConsentToPublishTakesNoYesBut() {
        let field = TestCatalog.field("good_practice", "consent_publish")
        let validator = FieldValidator(catalog: TestCatalog.shared, language: "en")
        XCTAssertEqual(validator.validate("yes, but without my name", for: field), .failure(ValidationIssue(.invalidYesNo)))
        XCTAssertEqual(validator.validate("yes", for: field), .success(.text("yes")))
        XCTAssertEqual(validator.validate("sí, con ACNUR", for: TestCatalog.field("pledge", "is_joint")), .success(.text("yes")))
    }

    func testABareNumberAtThePledgeQuestionIsNotTheMenu() {
        var d = Dialogue()
        d.say("I want to update our pledge")
        d.say("yes")
        XCTAssertEqual(d.field, "pledge_reference")
        d.say("2")
        XCTAssertEqual(d.state?.form, "pledge_update")
    }

    func testEraseWithNoConversationGoingOnIsCarriedOut() {
        var d = Dialogue()
        d.begin("hi")
        d.say("stop")
        d.say("erase my data")
        XCTAssertEqual(d.events.last, .erasureRequested)
    }

    func testAStoppedDraftComesBackOnlyOnceTheCurrentNoticeIsAgreedTo() {
        var d = Dialogue()
        d.begin("1")
        d.say("Solar lamps")
        d.say("stop")
        d.say("yes")
        XCTAssertEqual(d.state?.step, .stopped)
        d.contributor.consentedVersion = "an older notice"
        d.say("resume")
        XCTAssertEqual(d.state?.step, .consent, "the changed notice first")
    }
}
