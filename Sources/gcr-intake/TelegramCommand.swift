import ArgumentParser
import Foundation
import IntakeService
import IntakeWebhook

/// `gcr-intake telegram set-webhook URL`: tells Telegram where to deliver updates, with our secret token.
struct TelegramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telegram", abstract: "Telegram set-up: register the bot's webhook.", subcommands: [TelegramSetWebhook.self])
}

struct TelegramSetWebhook: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-webhook",
        abstract: "Register URL (https://…/webhooks/telegram) as the bot's webhook, with GCR_INTAKE_TELEGRAM_SECRET_TOKEN as its secret token.",
        discussion: "Needs GCR_INTAKE_TELEGRAM_BOT_TOKEN and GCR_INTAKE_TELEGRAM_SECRET_TOKEN. Telegram only calls https URLs.")

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The public address of serve's /webhooks/telegram (https).")
    var url: String

    func run() throws {
        try CLIError.exit {
            let config = try Config.load(options)
            guard let token = config.chat.telegramBotToken else { throw CLIError.configuration("GCR_INTAKE_TELEGRAM_BOT_TOKEN is not set") }
            guard let secret = config.chat.telegramSecretToken else {
                throw CLIError.configuration("GCR_INTAKE_TELEGRAM_SECRET_TOKEN is not set: without it anyone could post updates to the webhook")
            }
            // Telegram's rule for secret tokens: 1-256 of A-Z, a-z, 0-9, _ and -.
            guard (1...256).contains(secret.count), secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw CLIError.configuration("GCR_INTAKE_TELEGRAM_SECRET_TOKEN: Telegram accepts 1 to 256 characters A-Z, a-z, 0-9, _ and - only")
            }
            guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty,
                parts.scheme == "https" || (parts.scheme == "http" && ["127.0.0.1", "::1", "localhost"].contains(host))
            else { throw CLIError.configuration("expected an https:// URL (Telegram calls nothing else), got '\(url)'") }
            let client = TelegramClient(apiURL: config.chat.telegramAPIURL, botToken: token, http: HTTPClient())
            do {
                let answer = try client.setWebhook(url: url, secretToken: secret)
                print("Telegram webhook set to \(url) with the secret token: \(TerminalText.safe(answer))")
            } catch {
                throw CLIError.refused("Telegram refused: \(TerminalText.safe("\(error)"))")
            }
        }
    }
}
