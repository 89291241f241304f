import GRDB

// Columns named once for the records that are read through query interface requests (filters, orders);
// the records read on every message have theirs next to their decoding (Records+Decoding.swift).

extension Submission {
    public enum Columns {
        public static let id = Column("id")
        public static let reference = Column("reference")
        public static let kind = Column("kind")
        public static let contactId = Column("contact_id")
        public static let status = Column("status")
        public static let submittedAt = Column("submitted_at")
    }
}

extension ReviewEvent {
    public enum Columns {
        public static let id = Column("id")
        public static let submissionId = Column("submission_id")
        public static let action = Column("action")
    }
}

extension Attachment {
    public enum Columns {
        public static let inboundId = Column("inbound_id")
    }
}
