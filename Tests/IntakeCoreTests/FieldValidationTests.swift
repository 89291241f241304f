import IntakeCore
import XCTest

final class FieldValidationTests: XCTestCase {
    let en = FieldValidator(catalog: TestCatalog.shared, language: "en")
    let fr = FieldValidator(catalog: TestCatalog.shared, language: "fr")

    private func ok(_ v: FieldValidator, _ input: String, _ field: Field, _ answers: [String: Answer] = [:], file: StaticString = #filePath, line: UInt = #line) -> Answer? {
        switch v.validate(input, for: field, answers: answers) {
        case .success(let answer): return answer
        case .failure(let issue):
            XCTFail("\(input) refused: \(issue)", file: file, line: line)
            return nil
        }
    }

    private func issue(_ v: FieldValidator, _ input: String, _ field: Field, _ answers: [String: Answer] = [:], file: StaticString = #filePath, line: UInt = #line) -> String? {
        switch v.validate(input, for: field, answers: answers) {
        case .success(let answer):
            XCTFail("\(input) accepted as \(answer)", file: file, line: line)
            return nil
        case .failure(let issue): return issue.key.rawValue
        }
    }

    func testAnAmountBeyondAnyRealOneIsRefusedWithItsLimit() {
        let amount = TestCatalog.field("pledge", "amount_usd")
        XCTAssertEqual(issue(en, "100000000000000000000", amount), "invalid.number_max")
        XCTAssertEqual(issue(en, "1" + String(repeating: "0", count: 400), amount), "invalid.number")
        XCTAssertEqual(ok(en, "250,000", amount), .number(250_000))
        let unbounded = Field(id: "count", type: .number, required: true)
        XCTAssertEqual(issue(en, "99999999999999999", unbounded), "invalid.number_max", "every number field has a ceiling")
        XCTAssertEqual(issue(en, "-99999999999999999", unbounded), "invalid.number_min")
    }

    func testTextKeepsWhatWasWrittenAndEnforcesItsLimit() {
        let title = TestCatalog.field("good_practice", "title")
        XCTAssertEqual(ok(en, "  Solar schools in Kakuma \n", title), .text("Solar schools in Kakuma"))
        XCTAssertEqual(ok(en, String(repeating: "é", count: 150), title), .text(String(repeating: "é", count: 150)))
        XCTAssertEqual(issue(en, String(repeating: "a", count: 151), title), "invalid.too_long")
        XCTAssertEqual(issue(en, "   ", title), "invalid.empty")
        // A letter piled with thousands of combining marks is not one character for the limit; vowelled Arabic is.
        XCTAssertEqual(issue(en, "Clean water" + String(repeating: "\u{301}", count: 15_000), title), "invalid.too_long")
        let vowelled = String(repeating: "دَرْسٌ ", count: 21)
        XCTAssertEqual(ok(en, vowelled, title), .text(vowelled.trimmingCharacters(in: .whitespaces)))
    }

    func testLongTextNeedsItsMinimumLength() {
        let description = TestCatalog.field("good_practice", "description")
        XCTAssertEqual(issue(en, "Too short.", description), "invalid.too_short")
        let text = "We trained forty refugee teachers and opened three classrooms.\nParents helped."
        XCTAssertEqual(ok(en, text, description), .text(text))
        XCTAssertEqual(issue(en, String(repeating: "x", count: 3001), description), "invalid.too_long")
    }

    func testChoiceByNumberIdLabelInEitherLanguageOrUniquePrefix() {
        let entity = TestCatalog.field("good_practice", "submitter_entity_type")
        XCTAssertEqual(ok(en, "6", entity), .text("refugee_led_org"))
        XCTAssertEqual(ok(en, "6.", entity), .text("refugee_led_org"))
        XCTAssertEqual(ok(en, "NGO", entity), .text("ngo"))
        XCTAssertEqual(ok(en, "ngo", entity), .text("ngo"))
        XCTAssertEqual(ok(fr, "ONG", entity), .text("ngo"))
        XCTAssertEqual(ok(fr, "etat", entity), .text("state"))  // accents optional
        XCTAssertEqual(ok(en, "private_sector", entity), .text("private_sector"))
        XCTAssertEqual(ok(en, "Refugee-led", entity), .text("refugee_led_org"))
        XCTAssertEqual(issue(en, "15", entity), "invalid.choice_number")
        XCTAssertEqual(issue(en, "0", entity), "invalid.choice_number")
        XCTAssertEqual(issue(en, "banana", entity), "invalid.choice")
        XCTAssertEqual(issue(fr, "organisation", entity), "invalid.ambiguous")
    }

    func testMultiChoiceAcceptsListsOfNumbersAndLabels() {
        let areas = TestCatalog.field("good_practice", "areas")
        XCTAssertEqual(ok(en, "2,4", areas), .list(["education", "energy_infrastructure"]))
        XCTAssertEqual(ok(en, "4, 2, 2", areas), .list(["education", "energy_infrastructure"]))
        XCTAssertEqual(ok(en, "2 4 7", areas), .list(["education", "energy_infrastructure", "health"]))
        XCTAssertEqual(ok(en, "Education and health", areas), .list(["education", "health"]))
        XCTAssertEqual(ok(en, "Jobs and livelihoods", areas), .list(["jobs_livelihoods"]))
        XCTAssertEqual(ok(fr, "éducation; santé", areas), .list(["education", "health"]))
        XCTAssertEqual(issue(en, "2, 40", areas), "invalid.choice_number")
        XCTAssertEqual(issue(en, ",,", areas), "invalid.empty")
    }

    func testCountriesByNameOrCodeInAnyLanguage() {
        let countries = TestCatalog.field("good_practice", "countries")
        XCTAssertEqual(ok(en, "Kenya, Uganda", countries), .list(["KE", "UG"]))
        XCTAssertEqual(ok(fr, "Kenya et Ouganda", countries), .list(["KE", "UG"]))
        XCTAssertEqual(ok(en, "KE; ug", countries), .list(["KE", "UG"]))
        XCTAssertEqual(ok(en, "Bosnia and Herzegovina", countries), .list(["BA"]))
        XCTAssertEqual(ok(fr, "Tchad", countries), .list(["TD"]))
        XCTAssertEqual(ok(en, "DRC", countries), .list(["CD"]))
        XCTAssertEqual(ok(fr, "cote d'ivoire", countries), .list(["CI"]))
        XCTAssertEqual(issue(en, "Atlantis", countries), "invalid.country")
        XCTAssertEqual(issue(en, "Kenya, Narnia", countries), "invalid.country")
        let hosts = TestCatalog.field("pledge", "host_countries")
        XCTAssertEqual(ok(en, "global", hosts), .list(["global"]))
        XCTAssertEqual(ok(fr, "Mondial", hosts), .list(["global"]))
    }

    func testYearsRangeOngoingAndOrder() {
        let start = TestCatalog.field("good_practice", "start_year")
        let end = TestCatalog.field("good_practice", "end_year")
        XCTAssertEqual(ok(en, "2019", start), .number(2019))
        XCTAssertEqual(ok(en, "٢٠١٩", start), .number(2019))
        XCTAssertEqual(issue(en, "19", start), "invalid.year")
        XCTAssertEqual(issue(en, "1949", start), "invalid.year_range")
        XCTAssertEqual(issue(en, "2036", start), "invalid.year_range")
        XCTAssertEqual(issue(en, "2015", end, ["start_year": .number(2019)]), "invalid.year_before_start")
        XCTAssertEqual(ok(en, "2021", end, ["start_year": .number(2019)]), .number(2021))
        XCTAssertEqual(ok(en, "ongoing", end), .text("ongoing"))
        XCTAssertEqual(ok(fr, "En cours", end), .text("ongoing"))
        XCTAssertEqual(issue(en, "ongoing", start), "invalid.year")
    }

    func testNumbersAsPeopleWriteThem() {
        let amount = TestCatalog.field("pledge", "amount_usd")
        XCTAssertEqual(ok(en, "250000", amount), .number(250_000))
        XCTAssertEqual(ok(en, "250,000", amount), .number(250_000))
        XCTAssertEqual(ok(en, "$1,200,000.50", amount), .number(1_200_000.5))
        XCTAssertEqual(ok(fr, "1 200 000", amount), .number(1_200_000))
        XCTAssertEqual(ok(fr, "1.200.000,50 USD", amount), .number(1_200_000.5))
        XCTAssertEqual(ok(fr, "12,5", amount), .number(12.5))
        XCTAssertEqual(ok(en, "0", amount), .number(0))
        XCTAssertEqual(issue(en, "-5", amount), "invalid.number_min")
        XCTAssertEqual(issue(en, "a lot", amount), "invalid.number")
        XCTAssertEqual(issue(en, "12,34,5", amount), "invalid.number")
        XCTAssertEqual(issue(en, "1e400", amount), "invalid.number")
    }

    func testEmailAddresses() {
        let email = TestCatalog.field("pledge", "contact_email")
        XCTAssertEqual(ok(en, "amina@example.org", email), .text("amina@example.org"))
        XCTAssertEqual(ok(en, "Amina.Y+gcr@Mail.Example.ORG", email), .text("Amina.Y+gcr@mail.example.org"))
        XCTAssertEqual(ok(en, "<amina@example.org>", email), .text("amina@example.org"))
        for bad in ["amina@", "amina", "@example.org", "amina@example", "a b@example.org", "amina@@example.org", "amina@exa_mple.org"] {
            XCTAssertEqual(issue(en, bad, email), "invalid.email", bad)
        }
    }

    func testDatesAndURLsOnAFieldOfThoseTypes() {
        let date = Field(id: "d", type: .date, required: true)
        XCTAssertEqual(ok(en, "2024-03-31", date), .text("2024-03-31"))
        XCTAssertEqual(ok(fr, "31/03/2024", date), .text("2024-03-31"))
        XCTAssertEqual(ok(en, "29.02.2024", date), .text("2024-02-29"))
        for bad in ["2023-02-29", "31/04/2024", "2024-13-01", "yesterday", "12/2024"] {
            XCTAssertEqual(issue(en, bad, date), "invalid.date", bad)
        }
        let url = Field(id: "u", type: .url, required: false)
        XCTAssertEqual(ok(en, "https://example.org/practice?id=3", url), .text("https://example.org/practice?id=3"))
        XCTAssertEqual(ok(en, "www.example.org", url), .text("https://www.example.org"))
        for bad in ["example", "ftp://example.org", "http://", "https://exa mple.org", "javascript:alert(1)"] {
            XCTAssertEqual(issue(en, bad, url), "invalid.url", bad)
        }
    }

    func testYesNoInEitherLanguageOrByNumber() {
        let consent = TestCatalog.field("good_practice", "consent_publish")
        XCTAssertEqual(ok(en, "Yes", consent), .text("yes"))
        XCTAssertEqual(ok(en, "n", consent), .text("no"))
        XCTAssertEqual(ok(en, "oui", consent), .text("yes"))
        XCTAssertEqual(ok(fr, "Non", consent), .text("no"))
        XCTAssertEqual(ok(fr, "1", consent), .text("yes"))
        XCTAssertEqual(ok(fr, "2", consent), .text("no"))
        XCTAssertEqual(issue(en, "maybe", consent), "invalid.yes_no", "a yes/no question is answered yes or no, not from a list")
    }
}

final class RefusalQuoteTests: XCTestCase {
    func testAQuoteIsCountedInScalarsNotCharacters() {
        let pile = String(repeating: "a" + String(repeating: "\u{0301}", count: 500), count: 70)
        let quoted = ValidationIssue(.invalidCountry, ["value": pile]).values["value"] ?? ""
        XCTAssertLessThanOrEqual(quoted.unicodeScalars.count, ValidationIssue.quoteLimit)
    }
}
