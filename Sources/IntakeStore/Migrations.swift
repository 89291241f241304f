import GRDB

/// Schema migrations. Append-only: a shipped migration is never edited, a change is a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.create(table: "contact") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("address", .text).notNull()
                t.column("display_name", .text)
                t.column("language", .text).notNull()
                t.column("email", .text)
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["channel", "address"])
            }
            try db.create(table: "conversation") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contact_id", .integer).indexed().references("contact", onDelete: .cascade).notNull()
                t.column("form", .text)
                t.column("step", .text).notNull()
                t.column("field", .text)
                t.column("answers", .text).notNull()
                t.column("language", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("state", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "inbound") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("external_id", .text).notNull()
                t.column("contact_id", .integer).indexed().references("contact", onDelete: .setNull)
                t.column("conversation_id", .integer).indexed().references("conversation", onDelete: .setNull)
                t.column("sender", .text).notNull()
                t.column("thread_key", .text)
                t.column("raw_size", .integer).notNull()
                t.column("text", .text).notNull()
                t.column("received_at", .datetime).notNull()
                t.column("processed_at", .datetime)
                t.column("error", .text)
                t.uniqueKey(["channel", "external_id"])
            }
            try db.create(table: "submission") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("reference", .text).notNull().unique()
                t.column("kind", .text).notNull().indexed()
                t.column("answers", .text).notNull()
                t.column("contact_id", .integer).indexed().references("contact", onDelete: .setNull)
                t.column("conversation_id", .integer).indexed().references("conversation", onDelete: .setNull)
                t.column("channel", .text).notNull()
                t.column("language", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("submitted_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            // The last number handed out per reference prefix (GCR-PR, GCR-PL, GCR-UP).
            try db.create(table: "reference_counter") { t in
                t.primaryKey("prefix", .text)
                t.column("last", .integer).notNull()
            }
            try db.create(table: "review_event") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("submission_id", .integer).indexed().references("submission", onDelete: .cascade).notNull()
                t.column("reviewer", .text).notNull()
                t.column("action", .text).notNull()
                t.column("note", .text)
                t.column("at", .datetime).notNull()
            }
            try db.create(table: "outbox") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("channel", .text).notNull()
                t.column("recipient", .text).notNull()
                t.column("contact_id", .integer).indexed().references("contact", onDelete: .setNull)
                t.column("inbound_id", .integer).indexed().references("inbound", onDelete: .setNull)
                t.column("subject", .text)
                t.column("body", .text).notNull()
                t.column("options", .text).notNull()
                t.column("headers", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("next_attempt_at", .datetime).notNull()
                t.column("sent_at", .datetime)
                t.column("last_error", .text)
                t.column("external_id", .text)
                t.column("created_at", .datetime).notNull()
            }
            try db.create(index: "outbox_pending", on: "outbox", columns: ["sent_at", "next_attempt_at"])
            try db.create(table: "attachment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("inbound_id", .integer).indexed().references("inbound", onDelete: .cascade).notNull()
                t.column("filename", .text)
                t.column("content_type", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("sha256", .text).notNull()
                t.column("stored_path", .text)
            }
        }
        migrator.registerMigration("v2-mail") { db in
            // The message exactly as received (email source), what became of it, and why.
            try db.alter(table: "inbound") { t in
                t.add(column: "raw", .blob)
                t.add(column: "outcome", .text).notNull().defaults(to: "processed")
                t.add(column: "message_ids", .text)
            }
            try db.alter(table: "attachment") { t in t.add(column: "data", .blob) }
            // A permanent delivery failure: the row is not tried again and shows in the backlog.
            try db.alter(table: "outbox") { t in t.add(column: "failed_at", .datetime) }
            try db.create(index: "outbox_external_id", on: "outbox", columns: ["channel", "external_id"])
            try db.create(index: "outbox_contact_created", on: "outbox", columns: ["contact_id", "created_at"])
            // Where IMAP ingest stands per mailbox: UIDs are only meaningful with their UIDVALIDITY.
            try db.create(table: "mailbox_state") { t in
                t.primaryKey("mailbox", .text)
                t.column("uid_validity", .integer).notNull()
                t.column("last_uid", .integer).notNull()
            }
            // Messages committed here but not yet acknowledged on the IMAP server (\Seen or moved).
            try db.create(table: "mail_ack") { t in
                t.column("mailbox", .text).notNull()
                t.column("uid_validity", .integer).notNull()
                t.column("uid", .integer).notNull()
                t.primaryKey(["mailbox", "uid_validity", "uid"])
            }
        }
        migrator.registerMigration("v3-provider-status") { db in
            // What the messaging provider last said about a delivered reply (sent, delivered, read, failed).
            try db.alter(table: "outbox") { t in t.add(column: "provider_status", .text) }
        }
        migrator.registerMigration("v4-review") { db in
            // Notices: an HTML part for email, and the review event a notice tells about; a notice is
            // queued at most once per event and channel.
            try db.alter(table: "outbox") { t in
                t.add(column: "html", .text)
                t.add(column: "review_event_id", .integer).references("review_event", onDelete: .setNull)
            }
            try db.create(
                index: "outbox_notice_once", on: "outbox", columns: ["review_event_id", "channel"], unique: true,
                condition: Column("review_event_id") != nil)
            try db.alter(table: "submission") { t in t.add(column: "assigned_to", .text) }
            try db.create(index: "submission_queue", on: "submission", columns: ["status", "submitted_at"])
            // Erasures done (right to erasure, declined privacy notice): what was removed, never whose.
            try db.create(table: "erasure") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .datetime).notNull()
                t.column("requested_by", .text).notNull()
                t.column("contacts", .integer).notNull()
                t.column("inbound", .integer).notNull()
                t.column("submissions_deleted", .integer).notNull()
                t.column("submissions_anonymised", .integer).notNull()
            }
        }
        migrator.registerMigration("v5-hardening") { db in
            // Parts of a split chat reply already accepted by the provider: a retry sends only the rest.
            try db.alter(table: "outbox") { t in t.add(column: "parts_sent", .integer).notNull().defaults(to: 0) }
            // A message held back (rate limit, full outbox) waits here, as the pipeline needs it, until it can be answered.
            try db.alter(table: "inbound") { t in t.add(column: "deferred", .text) }
            try db.create(index: "inbound_deferred", on: "inbound", columns: ["outcome", "id"], condition: Column("outcome") == "deferred")
            // Addresses a contributor typed (not the one they write from): unverified until the owner answers.
            try db.create(table: "email_verification") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("contact_id", .integer).notNull().references("contact", onDelete: .cascade)
                t.column("address", .text).notNull()
                t.column("message_id", .text).notNull().unique()
                t.column("sent_at", .datetime).notNull()
                t.column("verified_at", .datetime)
                t.uniqueKey(["contact_id", "address"])
            }
            try db.create(index: "email_verification_address", on: "email_verification", columns: ["address"])
            // Keys made by the application for itself (the keyed hash of erased message ids).
            try db.create(table: "app_secret") { t in
                t.primaryKey("name", .text)
                t.column("value", .blob).notNull()
            }
            // A row kept only until it is delivered (the confirmation of an erasure).
            try db.alter(table: "outbox") { t in t.add(column: "purge_on_send", .boolean).notNull().defaults(to: false) }
            // The undelivered backlog is counted for every message (the outbox ceiling): an index of just those rows.
            try db.create(index: "outbox_backlog", on: "outbox", columns: ["id"], condition: Column("sent_at") == nil && Column("failed_at") == nil)
            // Replies to one recipient go out in order: the oldest undelivered one first.
            try db.create(
                index: "outbox_recipient_pending", on: "outbox", columns: ["channel", "recipient", "id"],
                condition: Column("sent_at") == nil && Column("failed_at") == nil)
        }
        migrator.registerMigration("v6-ingest-speed") { db in
            // A contact's active conversation, read for every message: without this the planner chose the
            // status index and walked every active conversation.
            try db.create(index: "conversation_contact_status", on: "conversation", columns: ["contact_id", "status", "id"])
            // outbox_contact_created (contact_id, created_at) serves every lookup by contact: one index less per reply.
            try db.drop(index: "outbox_on_contact_id")
            // A contact's waiting messages, counted for every message of theirs.
            try db.create(
                index: "inbound_deferred_contact", on: "inbound", columns: ["contact_id", "id"], condition: Column("outcome") == "deferred")
            // The backlog is read for every inbound message (the outbox ceiling): a counter kept by triggers
            // makes that one row read instead of a walk over every undelivered row.
            try db.execute(
                sql: """
                    CREATE TABLE outbox_backlog_count (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
                    INSERT INTO outbox_backlog_count (id, n)
                      SELECT 1, COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL;
                    CREATE TRIGGER outbox_backlog_insert AFTER INSERT ON outbox
                      WHEN NEW.sent_at IS NULL AND NEW.failed_at IS NULL
                      BEGIN UPDATE outbox_backlog_count SET n = n + 1 WHERE id = 1; END;
                    CREATE TRIGGER outbox_backlog_update AFTER UPDATE OF sent_at, failed_at ON outbox
                      WHEN (OLD.sent_at IS NULL AND OLD.failed_at IS NULL) <> (NEW.sent_at IS NULL AND NEW.failed_at IS NULL)
                      BEGIN UPDATE outbox_backlog_count
                        SET n = n + CASE WHEN NEW.sent_at IS NULL AND NEW.failed_at IS NULL THEN 1 ELSE -1 END WHERE id = 1; END;
                    CREATE TRIGGER outbox_backlog_delete AFTER DELETE ON outbox
                      WHEN OLD.sent_at IS NULL AND OLD.failed_at IS NULL
                      BEGIN UPDATE outbox_backlog_count SET n = n - 1 WHERE id = 1; END;
                    """)
        }
        migrator.registerMigration("v7-fewer-indexes") { db in
            // Every index is written on every insert. conversation_contact_status (contact_id, status, id) serves
            // what conversation_on_contact_id did; the backlog is a counter now, not a count over outbox_backlog.
            try db.drop(index: "conversation_on_contact_id")
            try db.drop(index: "outbox_backlog")
        }
        migrator.registerMigration("v8-consent-once") { db in
            // Consent is asked once per contact: when, and to which version of the privacy notice.
            try db.alter(table: "contact") { t in
                t.add(column: "consent_version", .text)
                t.add(column: "consent_at", .datetime)
            }
            // Contacts with a submission agreed before this column existed: they said yes to the notice of the time.
            try db.execute(
                sql: """
                    UPDATE contact SET consent_version = '1', consent_at = (SELECT MIN(submitted_at) FROM submission WHERE contact_id = contact.id)
                    WHERE id IN (SELECT contact_id FROM submission WHERE contact_id IS NOT NULL)
                    """)
        }
        migrator.registerMigration("v9-pledge-registry") { db in
            // Pledges made at the forums: imported (any external id, "GRF-01234") or approved here ("GCR-PL-000001").
            try db.create(table: "pledge") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("external_id", .text).notNull().unique().collate(.nocase)
                t.column("title", .text).notNull()
                t.column("entity", .text).notNull().defaults(to: "")
                t.column("entity_type", .text)
                t.column("partners", .text)
                t.column("is_joint", .boolean).notNull().defaults(to: false)
                t.column("countries", .text).notNull().defaults(to: "[]")
                t.column("areas", .text).notNull().defaults(to: "[]")
                t.column("forum", .text)
                t.column("stage", .text)
                t.column("description", .text)
                t.column("source", .text).notNull()
                t.column("submission_id", .integer).references("submission", onDelete: .setNull)
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("last_update_at", .datetime)
                // Shown on the public dashboard: imported from the platform, or approved here with consent to publish.
                t.column("published", .boolean).notNull().defaults(to: true)
            }
            // Who may report on a pledge without naming it: emails (lower case) and phone numbers (digits).
            try db.create(table: "pledge_contact") { t in
                t.column("pledge_id", .integer).notNull().references("pledge", onDelete: .cascade)
                t.column("address", .text).notNull()
                t.primaryKey(["pledge_id", "address"])
            }
            try db.create(index: "pledge_contact_address", on: "pledge_contact", columns: ["address"])
            // Look-up by words: folded as conversations fold them (case, accents, Arabic letter forms).
            try db.execute(sql: "CREATE VIRTUAL TABLE pledge_fts USING fts5(title, entity, description, tokenize = 'unicode61 remove_diacritics 2')")
            try db.alter(table: "submission") { t in t.add(column: "pledge_id", .integer).references("pledge", onDelete: .setNull) }
            try db.create(index: "submission_pledge", on: "submission", columns: ["pledge_id"], condition: Column("pledge_id") != nil)
        }
        migrator.registerMigration("v10-web-chat-reminders-media-campaigns") { db in
            // The web chat reads a visitor's replies by recipient and id (a long poll per open page).
            try db.create(index: "outbox_web_recipient", on: "outbox", columns: ["recipient", "id"], condition: Column("channel") == "web")
            // What a WhatsApp template needs when the 24-hour window is closed: {"name": KIND, "values": {...}}.
            try db.alter(table: "outbox") { t in t.add(column: "template", .text) }
            // Reminders sent for a draft left idle (0, 1 on its channel, 2 by email), and when the last went.
            try db.alter(table: "conversation") { t in
                t.add(column: "reminders", .integer).notNull().defaults(to: 0)
                t.add(column: "reminded_at", .datetime)
            }
            // Media from WhatsApp and Telegram: kind (voice, audio, photo, video, document) and a voice note's length.
            try db.alter(table: "attachment") { t in
                t.add(column: "media_kind", .text)
                t.add(column: "duration_seconds", .integer)
            }
            // Calls for updates: one row per campaign, one invitation per pledge and campaign.
            try db.create(table: "campaign") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull()
                t.column("forum", .text)
                t.column("name", .text).notNull().unique()
                t.column("created_at", .datetime).notNull()
            }
            try db.create(table: "campaign_invite") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("campaign_id", .integer).notNull().references("campaign", onDelete: .cascade)
                t.column("pledge_id", .integer).notNull().references("pledge", onDelete: .cascade)
                t.column("channel", .text).notNull()
                t.column("recipient", .text).notNull()
                t.column("language", .text).notNull()
                t.column("outbox_id", .integer)
                t.column("queued_at", .datetime).notNull()
                t.column("replied_at", .datetime)
                t.column("updated_at", .datetime)
                t.column("opted_out_at", .datetime)
                t.uniqueKey(["campaign_id", "pledge_id"])
            }
            try db.create(index: "campaign_invite_recipient", on: "campaign_invite", columns: ["channel", "recipient"])
        }
        migrator.registerMigration("v11-idle-drafts") { db in
            // The reminder sweep reads active drafts by age under the write lock, every minute.
            try db.create(index: "conversation_active_updated", on: "conversation", columns: ["updated_at"], condition: Column("status") == "active")
        }
        return migrator
    }
}
