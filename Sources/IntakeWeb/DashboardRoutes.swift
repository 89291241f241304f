import CSV
import GRDB
import Foundation
import HTTPTypes
import Hummingbird
import IntakeCore
import IntakeExport
import IntakeStore
import IntakeWebhook
import NIOCore

/// The pledge dashboard on `serve`'s HTTP server: `/dashboard`, `/dashboard/pledges/ID`, `/dashboard/practices`
/// (and each practice), `/dashboard.json`, `/dashboard.csv`, and the reviewers' `/dashboard/review` behind
/// `GCR_INTAKE_DASHBOARD_TOKEN`. Server-rendered, no JavaScript; the visitor's language from `?lang=` or
/// Accept-Language.
public struct DashboardRoutes: Sendable {
    let database: IntakeDatabase
    let catalog: Catalog
    let templates: WebTemplates
    /// Reviewers' views need it (Authorization: Bearer); nil turns them off.
    let reviewerToken: String?
    let clock: @Sendable () -> Date

    public init(database: IntakeDatabase, catalog: Catalog, templates: WebTemplates, reviewerToken: String?, clock: @escaping @Sendable () -> Date = Date.init) {
        self.database = database
        self.catalog = catalog
        self.templates = templates
        self.reviewerToken = reviewerToken.flatMap { $0.isEmpty ? nil : $0 }
        self.clock = clock
    }

    public func register(on router: Router<IntakeRequestContext>) {
        router.get("/dashboard") { request, _ in await page(request, name: "dashboard") { pages in pages.dashboard(try await figures()) } }
        router.get("/dashboard/pledges/:id") { request, context in
            let raw = context.parameters.get("id") ?? ""
            let id = raw.removingPercentEncoding ?? raw
            return await page(request, name: "pledge") { pages in
                guard let found = try await database.read({ db in try PublishedItems.pledge(id, db: db) }) else {
                    throw PageError(status: .notFound, message: Template.fillForReading(pages.words["not_found_pledge"] ?? "", ["id": String(id.prefix(60))]))
                }
                return pages.pledge(found.0, updates: found.1)
            }
        }
        router.get("/dashboard/practices") { request, _ in
            await page(request, name: "practices") { pages in pages.practices(try await database.read { db in try PublishedItems.practices(db: db) }) }
        }
        router.get("/dashboard/practices/:reference") { request, context in
            let reference = context.parameters.get("reference") ?? ""
            return await page(request, name: "practice") { pages in
                guard let item = try await database.read({ db in try PublishedItems.practices(reference: reference, db: db) }).first else {
                    throw PageError(status: .notFound, message: pages.words["not_found_page"] ?? "")
                }
                return pages.practice(item.reference, item.answers)
            }
        }
        router.get("/dashboard/review") { request, _ in await review(request) }
        router.get("/dashboard.json") { _, _ in await data(json: true) }
        router.get("/dashboard.csv") { _, _ in await data(json: false) }
    }

    // MARK: - Pages

    private func figures() async throws -> DashboardFigures {
        let now = clock()
        return try await database.read { db in try DashboardFigures.compute(at: now, db: db) }
    }

    /// Renders `name` with the context `build` makes; a PageError becomes the error page with its status.
    private func page(_ request: Request, name: String, _ build: (DashboardPages) async throws -> [String: Any]) async -> Response {
        let pages = DashboardPages(catalog: catalog, templates: templates, language: language(of: request))
        do {
            return html(.ok, templates.render(name, try await build(pages)))
        } catch let error as PageError {
            return html(error.status, templates.render("error", pages.error(status: Int(error.status.code), message: error.message)))
        } catch {
            return html(.internalServerError, templates.render("error", pages.error(status: 500, message: pages.words["not_found_page"] ?? "")))
        }
    }

    private func review(_ request: Request) async -> Response {
        let pages = DashboardPages(catalog: catalog, templates: templates, language: language(of: request))
        guard let reviewerToken else {
            return html(.forbidden, templates.render("error", pages.error(status: 403, message: pages.words["reviewer_disabled"] ?? "")))
        }
        let header = request.headers[.authorization] ?? ""
        let given = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)) : ""
        guard Self.constantTimeEqual(given, reviewerToken) else {
            var response = html(.unauthorized, templates.render("error", pages.error(status: 401, message: pages.words["unauthorized"] ?? "")))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        let now = clock()
        do {
            let queue = ReviewQueue(database: database, catalog: catalog)
            let items = try queue.list(statuses: [.submitted, .changesRequested], kind: nil, since: nil, at: now)
            let counts = try await database.submissionCounts().map { ($0.status, $0.count) }
            return html(.ok, templates.render("review", pages.review(items, counts: counts)))
        } catch {
            return html(.internalServerError, templates.render("error", pages.error(status: 500, message: pages.words["not_found_page"] ?? "")))
        }
    }

    /// Equal length and bytes, taking the same time whatever differs.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0
    }

    /// `?lang=xx` when loaded, else the first loaded language of Accept-Language, else the default.
    func language(of request: Request) -> String { templates.language(of: request, catalog: catalog) }

    private func html(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff", .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: - Data for the platform

    private func data(json: Bool) async -> Response {
        do {
            let figures = try await figures()
            let pledges = try await database.publishedPledges()
            let body = json ? try DashboardData.json(figures, pledges: pledges) : try DashboardData.csv(pledges)
            return Response(
                status: .ok, headers: [.contentType: json ? "application/json" : "text/csv; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
        } catch {
            return Response(status: .internalServerError, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: "unavailable\n")))
        }
    }
}

struct PageError: Error {
    let status: HTTPResponse.Status
    let message: String
}

/// `/dashboard.json` (the figures and every published pledge) and `/dashboard.csv` (one row per published pledge).
enum DashboardData {
    struct PledgeRow: Codable {
        let id: String
        let title: String
        let entity: String
        let entityType: String?
        let partners: String?
        let isJoint: Bool
        let countries: [String]
        let areas: [String]
        let forum: String?
        let stage: String?
        let lastUpdateAt: Date?
    }

    struct Document: Codable {
        let figures: DashboardFigures
        let pledges: [PledgeRow]
    }

    static func rows(_ pledges: [Pledge]) -> [PledgeRow] {
        pledges.map {
            PledgeRow(
                id: $0.externalId, title: $0.title, entity: $0.entity, entityType: $0.entityType, partners: $0.partners, isJoint: $0.isJoint,
                countries: $0.countryCodes, areas: $0.areaIds, forum: $0.forum, stage: $0.stage, lastUpdateAt: $0.lastUpdateAt)
        }
    }

    static func json(_ figures: DashboardFigures, pledges: [Pledge]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(figures: figures, pledges: rows(pledges)))
    }

    static func csv(_ pledges: [Pledge]) throws -> Data {
        let stream = OutputStream(toMemory: ())
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: ["id", "title", "entity", "entity_type", "partners", "countries", "areas", "forum", "stage", "last_update_at"])
        for row in rows(pledges) {
            try writer.write(
                row: [
                    row.id, row.title, row.entity, row.entityType ?? "", row.partners ?? "", row.countries.joined(separator: "; "), row.areas.joined(separator: "; "),
                    row.forum ?? "", row.stage ?? "", row.lastUpdateAt.map(DashboardPages.day) ?? "",
                ].map(Exporter.inertCell))
        }
        writer.stream.close()
        return stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    }
}
