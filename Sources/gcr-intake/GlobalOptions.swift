import ArgumentParser

/// Options every subcommand shares. Each falls back to its environment variable, then to its default (see Config).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env GCR_INTAKE_DB, default ./gcr-intake.sqlite).")
    var db: String?

    @Option(name: .long, help: "Folder of forms and texts (env GCR_INTAKE_PROMPTS, default ./prompts).")
    var prompts: String?

    @Option(name: .long, help: "Folder of email templates (env GCR_INTAKE_TEMPLATES, default ./templates).")
    var templates: String?
}
