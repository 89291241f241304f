/// The References header of a reply.
public enum MailReferences {
    /// A References list kept short: the thread's first message (so clients still find its root) and the
    /// nine most recent, as RFC 5322 suggests trimming.
    public static func capped(_ ids: [String]) -> [String] {
        ids.count <= 10 ? ids : [ids[0]] + ids.suffix(9)
    }
}
