import Foundation
import GRDB
import XCTest

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The web chat that `serve` offers at /chat: in a real browser (chromium, headless), over its JSON API
/// with real HTTP, and with no settings at all.
final class WebChatTests: XCTestCase {
    var serve: ServeProcess!

    override func setUp() async throws {
        serve = ServeProcess(databasePath: NSTemporaryDirectory() + "webchat-\(UUID().uuidString).sqlite")
        try serve.start()
    }

    override func tearDown() async throws {
        serve.stop()
        serve.removeFiles()
    }

    func testANewcomerCompletesAPledgeInEnglishAndAnArabicGoodPracticeOnAPhoneInTheBrowser() throws {
        let port = try serve.httpPort()
        let screenshots = MailServers.root.appendingPathComponent(".build/test-artifacts/webchat").path
        let (status, text) = try BrowserCheck.run("webchat_check.py", ["http://127.0.0.1:\(port)", screenshots], echo: 4)
        XCTAssertEqual(status, 0, text)
        let references = Dictionary(
            text.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ")
                return parts.count == 3 && parts[0] == "REFERENCE" ? (String(parts[1]), String(parts[2])) : nil
            }, uniquingKeysWith: { $1 })
        let english = try XCTUnwrap(references["en"], text)
        let arabic = try XCTUnwrap(references["ar"], text)
        XCTAssertTrue(english.hasPrefix("GCR-PL-"))
        XCTAssertTrue(arabic.hasPrefix("GCR-PR-"))
        // The reviewer sees both in the queue, as from the web channel.
        let list = try serve.cli(["review", "list"])
        XCTAssertEqual(list.status, 0, list.error)
        XCTAssertTrue(list.output.contains(english) && list.output.contains(arabic), list.output)
        let channels = try serve.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT channel FROM submission") }
        XCTAssertEqual(channels, ["web"])
        for name in ["webchat-en-done.png", "webchat-ar-phone-done.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: screenshots + "/" + name), "screenshot \(name) in \(screenshots)")
        }
    }

    func testTheChatAPIChecksItsVisitorOriginBodyAndPace() async throws {
        let chat = ChatClient(port: try serve.httpPort())
        // The page itself never sets a cookie (reached from another site, the browser would not send the visitor's
        // SameSite=Strict one, and a new one would replace it); its first request makes the visitor: HttpOnly,
        // SameSite=Strict, for /chat only.
        let (page, pageCookie) = try await chat.page()
        XCTAssertEqual(page, 200)
        XCTAssertEqual(pageCookie, "")
        let (opened, cookieHeader) = try await chat.newVisitor()
        XCTAssertEqual(opened, 200)
        XCTAssertTrue(cookieHeader.contains("HttpOnly") && cookieHeader.contains("SameSite=Strict") && cookieHeader.contains("Path=/chat"), cookieHeader)
        let cookie = try XCTUnwrap(cookieHeader.split(separator: ";").first.map(String.init))
        // Only cookies we signed: a value chosen (or planted) by someone else is no visitor: whoever sends it is a
        // new visitor, with a cookie of their own, and sees none of what was written under another.
        let forgedValue = "gcr_chat=" + String(repeating: "0", count: 32)
        let forged = try await chat.post(["id": "f1", "text": "hello"], cookie: forgedValue)
        XCTAssertEqual(forged.status, 200)
        XCTAssertTrue(forged.setCookie.hasPrefix("gcr_chat=") && !forged.setCookie.hasPrefix(forgedValue + ";"), forged.setCookie)
        let tamperedValue = String(cookie.dropLast()) + (cookie.hasSuffix("0") ? "1" : "0")
        let tampered = try await chat.post(["id": "f2", "text": "hello"], cookie: tamperedValue)
        XCTAssertFalse(tampered.setCookie.isEmpty, "a tampered cookie is replaced")
        let tamperedHistory = try await chat.messages(after: 0, cookie: tamperedValue)
        XCTAssertEqual((tamperedHistory["messages"] as? [Any])?.count, 0)

        let answer1 = try await chat.post(["id": "f3", "text": "hello"], cookie: nil)
        XCTAssertFalse(answer1.setCookie.isEmpty, "no cookie: a new visitor")
        let answer2 = try await chat.post(["id": "c1", "text": "hello"], cookie: cookie, type: "text/plain")
        XCTAssertEqual(answer2.status, 403, "not JSON: a form from elsewhere")
        let answer3 = try await chat.post(["id": "c1", "text": "hello"], cookie: cookie, origin: "http://evil.example")
        XCTAssertEqual(answer3.status, 403, "another origin")
        let answer4 = try await chat.post(["id": "c 1!", "text": "hello"], cookie: cookie)
        XCTAssertEqual(answer4.status, 400, "a bad client id")
        let answer5 = try await chat.post(["id": "c2", "text": String(repeating: "a", count: 4001)], cookie: cookie)
        XCTAssertEqual(answer5.status, 413)
        let answer6 = try await chat.raw("{not json", cookie: cookie)
        XCTAssertEqual(answer6.status, 400)

        let first = try await chat.post(["id": "c1", "text": "hello", "lang": "fr"], cookie: cookie)
        XCTAssertEqual(first.status, 200)
        let answer7 = try await chat.post(["id": "c1", "text": "hello", "lang": "fr"], cookie: cookie)
        XCTAssertEqual(answer7.text, #"{"status":"duplicate"}"#)
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE channel = 'web' AND external_id LIKE '%:c1'"), 1, "the same client id is one message")

        // The history has both sides; the reply came in French (the page's language) with yes/no buttons.
        let history = try await chat.messages(after: 0, cookie: cookie)
        let items = try XCTUnwrap(history["messages"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["from"] as? String }, ["me", "bot"])
        XCTAssertTrue((items[1]["text"] as? String)?.contains("Bonjour") == true, "\(items)")
        XCTAssertEqual((items[1]["options"] as? [[String: Any]])?.count, 2)
        let cursor = try XCTUnwrap(history["cursor"] as? Int)

        // A long poll answers as soon as the reply is committed. Three may wait at once; a fourth is refused at once.
        async let waiting = chat.messages(after: cursor, cookie: cookie)
        async let second = chat.messages(after: cursor, cookie: cookie)
        async let third = chat.messages(after: cursor, cookie: cookie)
        try await Task.sleep(for: .milliseconds(500))
        let fourth = try await chat.messages(after: cursor, cookie: cookie)
        XCTAssertEqual(fourth["error"] as? String, "too_many_polls")
        let answer8 = try await chat.post(["id": "c3", "text": "oui"], cookie: cookie)
        XCTAssertEqual(answer8.status, 200)
        let started = Date()
        let next = try await waiting
        _ = try await (second, third)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        let replies = try XCTUnwrap(next["messages"] as? [[String: Any]])
        XCTAssertEqual(replies.count, 1)
        XCTAssertTrue((replies[0]["text"] as? String)?.contains("1.") == true, "the menu: \(replies)")

        // Another visitor sees none of it.
        let (_, other) = try await chat.newVisitor()
        let otherCookie = try XCTUnwrap(other.split(separator: ";").first.map(String.init))
        XCTAssertNotEqual(otherCookie, cookie)
        let stranger = try await chat.messages(after: 0, cookie: otherCookie)
        XCTAssertEqual((stranger["messages"] as? [Any])?.count, 0)

        // Pace: a burst of messages from one visitor meets 429 with Retry-After, nothing is lost before it.
        var statuses: [Int] = []
        var retryAfter: String?
        for index in 0..<40 {
            let answer = try await chat.post(["id": "burst\(index)", "text": "help"], cookie: cookie)
            statuses.append(answer.status)
            if answer.status == 429 { retryAfter = answer.retryAfter }
        }
        XCTAssertTrue(statuses.contains(429), "\(statuses)")
        XCTAssertNotNil(retryAfter.flatMap(Int.init))
        let accepted = statuses.filter { $0 == 200 }.count
        XCTAssertEqual(try serve.count("SELECT COUNT(*) FROM inbound WHERE channel = 'web' AND external_id LIKE '%:burst%'"), accepted)

        // New visitors from one address are paced too (the page then says to wait and tries again).
        var statusesOfNew: [Int] = []
        for _ in 0..<70 { statusesOfNew.append(try await chat.newVisitor().0) }
        // 60 a minute from one address: six were made above, and the bucket refills one a second meanwhile.
        XCTAssertTrue((54...58).contains(statusesOfNew.filter { $0 == 200 }.count), "\(statusesOfNew)")
        XCTAssertEqual(Set(statusesOfNew), [200, 429])
        // A poll after the first without a cookie lost it: 401, and the page starts again.
        let lost = try await chat.status("/chat/messages?after=5")
        XCTAssertEqual(lost, 401)
    }

    func testWithNoSettingAtAllServeLogsTheChatsAddressAndItAnswers() async throws {
        serve.stop()
        // A fresh folder with the repository's prompts (copied) and templates (a symbolic link, as a deployment
        // may point at a release), and no GCR_INTAKE_* variable: make run's case.
        let folder = NSTemporaryDirectory() + "fresh-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["prompts", "templates"] {
            let source = MailServers.root.appendingPathComponent(name).path
            if name == "templates" {
                try FileManager.default.createSymbolicLink(atPath: folder + "/" + name, withDestinationPath: source)
            } else {
                try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
            }
        }
        // The default port, 8080, unless something on this machine holds it already.
        let defaultPortFree = !ChatClient.isListening(port: 8080)
        let process = Process()
        process.executableURL = ServeProcess.binary
        process.arguments = ["serve"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = ["PATH": "/usr/bin:/bin"].merging(defaultPortFree ? [:] : ["GCR_INTAKE_HTTP_PORT": "0"]) { $1 }
        let log = Pipe()
        process.standardError = log
        process.standardOutput = log
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        var address: String?
        while Date() < deadline, address == nil {
            text += String(decoding: log.fileHandleForReading.availableData, as: UTF8.self)
            if let range = text.range(of: #"web chat: open (http://127\.0\.0\.1:[0-9]+/chat) in a browser"#, options: .regularExpression) {
                address = String(text[range]).replacingOccurrences(of: "web chat: open ", with: "").replacingOccurrences(of: " in a browser", with: "")
            }
        }
        let url = try XCTUnwrap(address, text)
        if defaultPortFree { XCTAssertEqual(url, "http://127.0.0.1:8080/chat") }
        let (data, response) = try await URLSession.shared.data(from: try XCTUnwrap(URL(string: url)))
        XCTAssertEqual((response as? HTTPURLResponse)?.statusCode, 200)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("id=\"chat-text\""))
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/gcr-intake.sqlite"), "the embedded default: a local SQLite file")
    }
}

/// The web chat's JSON API as the page uses it, with the visitor's cookie set by hand.
struct ChatClient {
    let port: Int
    /// No cookie jar: each request carries exactly the cookie the test gives it.
    let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        return URLSession(configuration: configuration)
    }()

    private func request(_ path: String, method: String = "GET", cookie: String? = nil) -> URLRequest {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpShouldHandleCookies = false
        if let cookie { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        request.timeoutInterval = 60
        return request
    }

    func page() async throws -> (Int, String) {
        let (_, response) = try await session.data(for: request("/chat?lang=fr"))
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Set-Cookie") ?? "")
    }

    /// The page's first request without a cookie (the history): status and the Set-Cookie of the new visitor.
    func newVisitor(forwardedFor: String? = nil) async throws -> (Int, String) {
        var request = request("/chat/messages?after=0")
        if let forwardedFor { request.setValue(forwardedFor, forHTTPHeaderField: "X-Forwarded-For") }
        let (_, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Set-Cookie") ?? "")
    }

    func status(_ path: String) async throws -> Int {
        let (_, response) = try await session.data(for: request(path))
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    func raw(_ body: String, cookie: String?, type: String = "application/json", origin: String? = nil) async throws
        -> (status: Int, text: String, retryAfter: String?, setCookie: String)
    {
        var request = request("/chat/messages", method: "POST", cookie: cookie)
        request.setValue(type, forHTTPHeaderField: "Content-Type")
        if let origin { request.setValue(origin, forHTTPHeaderField: "Origin") }
        request.httpBody = Data(body.utf8)
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        return (
            http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Retry-After"),
            http?.value(forHTTPHeaderField: "Set-Cookie") ?? ""
        )
    }

    func post(_ json: [String: String], cookie: String?, type: String = "application/json", origin: String? = nil) async throws
        -> (status: Int, text: String, retryAfter: String?, setCookie: String)
    {
        try await raw(String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self), cookie: cookie, type: type, origin: origin)
    }

    func messages(after cursor: Int, cookie: String) async throws -> [String: Any] {
        let (data, _) = try await session.data(for: request("/chat/messages?after=\(cursor)", cookie: cookie))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func isListening(port: Int) -> Bool {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return false }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Behind a reverse proxy every visitor has the proxy's address: only a listed proxy's X-Forwarded-For is believed.
final class WebChatBehindAProxyTests: XCTestCase {
    func testPerAddressLimitsCountTheForwardedAddressOnlyFromATrustedProxy() async throws {
        let serve = ServeProcess(
            databasePath: NSTemporaryDirectory() + "webchat-proxy-\(UUID().uuidString).sqlite",
            environment: ["GCR_INTAKE_TRUSTED_PROXIES": "127.0.0.1,::1", "GCR_INTAKE_WEB_CHAT_VISITORS_PER_ADDRESS_PER_MINUTE": "3"])
        try serve.start()
        defer {
            serve.stop()
            serve.removeFiles()
        }
        let chat = ChatClient(port: try serve.httpPort())
        var first: [Int] = []
        for _ in 0..<4 { first.append(try await chat.newVisitor(forwardedFor: "127.0.0.7").0) }
        XCTAssertEqual(first, [200, 200, 200, 429], "three new visitors a minute from 127.0.0.7")
        let page1 = try await chat.newVisitor(forwardedFor: "127.0.0.8")
        XCTAssertEqual(page1.0, 200, "another visitor behind the same proxy is not limited by the first")
        // A visitor who writes an address of their own in front is still counted by the one the proxy saw.
        let page2 = try await chat.newVisitor(forwardedFor: "127.0.0.9, 127.0.0.7")
        XCTAssertEqual(page2.0, 429)
        let page3 = try await chat.newVisitor(forwardedFor: "not an address")
        XCTAssertEqual(page3.0, 200, "a header that is no address: the proxy's own")

        serve.stop()
        serve.environment["GCR_INTAKE_TRUSTED_PROXIES"] = ""
        try serve.start()
        let direct = ChatClient(port: try serve.httpPort())
        var untrusted: [Int] = []
        for index in 0..<4 { untrusted.append(try await direct.newVisitor(forwardedFor: "127.0.0.\(20 + index)").0) }
        XCTAssertEqual(untrusted, [200, 200, 200, 429], "without a trusted proxy the header is ignored: one address")
    }
}
