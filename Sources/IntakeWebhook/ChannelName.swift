import IntakeCore

/// Our `Channel` (email, WhatsApp, …), not NIO's: a name of this module wins over imported ones.
typealias Channel = IntakeCore.Channel
