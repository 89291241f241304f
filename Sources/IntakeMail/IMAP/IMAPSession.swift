import CEtpan
import Foundation
import Glibc

/// An IMAP error: the operation, and libetpan's code or the server's words.
public struct IMAPError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// One logged-in IMAP connection, with libetpan's `mailimap`. Blocking: used from one thread.
/// The only file that touches `mailimap` pointers; callers see UIDs and bytes.
public final class IMAPSession: @unchecked Sendable {
    // @unchecked: every method but `interruptIdle` runs on the ingest thread that owns the session;
    // `interruptIdle` only calls mailstream_interrupt_idle, which libetpan provides for another thread.
    private let imap: UnsafeMutablePointer<mailimap>
    private var loggedIn = false

    public init(url: MailServerURL, user: String, password: String, timeoutSeconds: Int = 60) throws {
        guard let imap = mailimap_new(0, nil) else { throw IMAPError(description: "out of memory") }
        self.imap = imap
        mailimap_set_timeout(imap, time_t(timeoutSeconds))
        if url.implicitTLS {
            try check(mailimap_ssl_connect(imap, url.host, url.port), "TLS connect to \(url)")
        } else {
            try check(mailimap_socket_connect(imap, url.host, url.port), "connect to \(url)")
            if hasCapability("STARTTLS") { try check(mailimap_socket_starttls(imap), "STARTTLS with \(url)") }
        }
        try check(mailimap_login(imap, user, password), "login as \(user)")
        loggedIn = true
    }

    deinit {
        if loggedIn { _ = mailimap_logout(imap) }
        mailimap_free(imap)
    }

    /// Selects `mailbox`; returns its UIDVALIDITY and the next UID it will give.
    public func select(_ mailbox: String) throws -> (uidValidity: UInt32, uidNext: UInt32) {
        try check(mailimap_select(imap, mailbox), "select \(mailbox)")
        guard let info = imap.pointee.imap_selection_info else { throw IMAPError(description: "select \(mailbox): no selection info") }
        return (info.pointee.sel_uidvalidity, info.pointee.sel_uidnext)
    }

    /// The raw messages with UIDs in `first...last`, without setting \Seen (BODY.PEEK[]), in UID order.
    public func fetch(uids first: UInt32, through last: UInt32) throws -> [(uid: UInt32, data: Data)] {
        guard let set = mailimap_set_new_interval(first, last) else { throw IMAPError(description: "out of memory") }
        defer { mailimap_set_free(set) }
        guard let type = mailimap_fetch_type_new_fetch_att_list_empty() else { throw IMAPError(description: "out of memory") }
        defer { mailimap_fetch_type_free(type) }
        _ = mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid())
        _ = mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_body_peek_section(mailimap_section_new(nil)))
        var result: UnsafeMutablePointer<clist>?
        try check(mailimap_uid_fetch(imap, set, type, &result), "fetch UIDs \(first):\(last)")
        defer { if let result { mailimap_fetch_list_free(result) } }
        var messages: [(uid: UInt32, data: Data)] = []
        for message in CList.items(result, as: mailimap_msg_att.self) {
            var uid: UInt32 = 0
            var data: Data?
            for item in CList.items(message.pointee.att_list, as: mailimap_msg_att_item.self) where item.pointee.att_type == Int32(MAILIMAP_MSG_ATT_ITEM_STATIC) {
                guard let value = item.pointee.att_data.att_static else { continue }
                if value.pointee.att_type == Int32(MAILIMAP_MSG_ATT_UID) { uid = value.pointee.att_data.att_uid }
                if value.pointee.att_type == Int32(MAILIMAP_MSG_ATT_BODY_SECTION), let section = value.pointee.att_data.att_body_section {
                    data = section.pointee.sec_body_part.map { Data(bytes: $0, count: section.pointee.sec_length) } ?? Data()
                }
            }
            // "first:last" may answer with a message outside the range when none is inside it.
            if uid >= first, uid <= last, let data { messages.append((uid, data)) }
        }
        return messages.sorted { $0.uid < $1.uid }
    }

    /// Marks the messages \Seen.
    public func markSeen(_ uids: [UInt32]) throws {
        try store(uids, flag: mailimap_flag_new_seen(), "mark seen")
    }

    /// Moves the messages to `mailbox` (MOVE when offered, else COPY, \Deleted and EXPUNGE).
    public func move(_ uids: [UInt32], to mailbox: String) throws {
        guard !uids.isEmpty else { return }
        let set = try Self.set(uids)
        defer { mailimap_set_free(set) }
        if hasCapability("MOVE") {
            try check(mailimap_uid_move(imap, set, mailbox), "move to \(mailbox)")
            return
        }
        try check(mailimap_uid_copy(imap, set, mailbox), "copy to \(mailbox)")
        try store(uids, flag: mailimap_flag_new_deleted(), "mark deleted")
        if hasCapability("UIDPLUS") {
            try check(mailimap_uid_expunge(imap, set), "expunge")
        } else {
            try check(mailimap_expunge(imap), "expunge")
        }
    }

    /// Creates `mailbox` if it does not exist (an error saying it exists is fine).
    public func create(_ mailbox: String) {
        _ = mailimap_create(imap, mailbox)
    }

    public var supportsIdle: Bool { mailimap_has_idle(imap) != 0 }

    /// Waits up to `seconds` in IDLE for the server to announce something; true when it did.
    public func idle(seconds: Int) throws -> Bool {
        guard let stream = imap.pointee.imap_stream else { throw IMAPError(description: "idle: not connected") }
        _ = mailstream_setup_idle(stream)
        defer { mailstream_unsetup_idle(stream) }
        try check(mailimap_idle(imap), "idle")
        let outcome = mailstream_wait_idle(stream, Int32(seconds))
        try check(mailimap_idle_done(imap), "idle done")
        if outcome == Int32(MAILSTREAM_IDLE_ERROR) { throw IMAPError(description: "idle: connection error") }
        return outcome == Int32(MAILSTREAM_IDLE_HASDATA)
    }

    /// Ends a wait in `idle` early (called from another thread at shutdown).
    public func interruptIdle() {
        if let stream = imap.pointee.imap_stream { mailstream_interrupt_idle(stream) }
    }

    public func noop() throws {
        try check(mailimap_noop(imap), "noop")
    }

    // MARK: - libetpan plumbing

    private func hasCapability(_ name: String) -> Bool {
        if imap.pointee.imap_connection_info?.pointee.imap_capability == nil {
            var capabilities: UnsafeMutablePointer<mailimap_capability_data>?
            if mailimap_capability(imap, &capabilities) == Int32(MAILIMAP_NO_ERROR), let capabilities { mailimap_capability_data_free(capabilities) }
        }
        return mailimap_has_extension(imap, name) != 0 || Self.hasNamedCapability(imap, name)
    }

    /// Capabilities libetpan has no extension object for (STARTTLS, MOVE) are plain names in the list.
    private static func hasNamedCapability(_ imap: UnsafeMutablePointer<mailimap>, _ name: String) -> Bool {
        guard let data = imap.pointee.imap_connection_info?.pointee.imap_capability else { return false }
        for capability in CList.items(data.pointee.cap_list, as: mailimap_capability.self) {
            if capability.pointee.cap_type == Int32(MAILIMAP_CAPABILITY_NAME), let value = capability.pointee.cap_data.cap_name,
                String(cString: value).uppercased() == name
            {
                return true
            }
        }
        return false
    }

    private func store(_ uids: [UInt32], flag: UnsafeMutablePointer<mailimap_flag>?, _ what: String) throws {
        guard !uids.isEmpty else { return }
        let set = try Self.set(uids)
        defer { mailimap_set_free(set) }
        guard let list = mailimap_flag_list_new_empty() else { throw IMAPError(description: "out of memory") }
        _ = mailimap_flag_list_add(list, flag)
        guard let attribute = mailimap_store_att_flags_new_add_flags_silent(list) else { throw IMAPError(description: "out of memory") }
        defer { mailimap_store_att_flags_free(attribute) }
        try check(mailimap_uid_store(imap, set, attribute), what)
    }

    private static func set(_ uids: [UInt32]) throws -> UnsafeMutablePointer<mailimap_set> {
        guard let set = mailimap_set_new_empty() else { throw IMAPError(description: "out of memory") }
        for uid in uids { _ = mailimap_set_add_single(set, uid) }
        return set
    }

    private func check(_ code: Int32, _ what: String) throws {
        guard [MAILIMAP_NO_ERROR, MAILIMAP_NO_ERROR_AUTHENTICATED, MAILIMAP_NO_ERROR_NON_AUTHENTICATED].map({ Int32($0) }).contains(code) else {
            let response = imap.pointee.imap_response.map { String(cString: $0) } ?? ""
            throw IMAPError(description: "IMAP \(what) failed (libetpan error \(code))" + (response.isEmpty ? "" : ": \(response)"))
        }
    }

}
