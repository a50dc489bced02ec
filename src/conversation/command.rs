//! The commands a merchant may type at any step. English names are canonical; the Portuguese
//! ones are accepted too, since that is what a Brazilian merchant will try first.
//!
//! ```text
//! /help      /ajuda       explain this step
//! /back      /voltar      the previous step
//! /skip      /pular       skip an optional step
//! /cancel    /cancelar    drop the draft (asks first)
//! /restart   /reiniciar   start over (asks first)
//! /language  /idioma      switch between English and Portuguese
//! /status                 my requests and where they stand
//! /human     /atendente   talk to a person
//! /resend    /reenviar    a new registration code from Meta, by text message
//! /call      /ligar       a new registration code from Meta, by voice call
//! /signup    /cadastro    a new link to Meta's Embedded Signup (the store creates the account)
//! /team      /equipe      our team creates the account instead
//! /start     /iniciar     begin or resume
//! ```

use serde::{Deserialize, Serialize};

/// A merchant command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Begin or resume the conversation.
    Start,
    /// Explain the current step.
    Help,
    /// Go to the previous step.
    Back,
    /// Skip an optional step.
    Skip,
    /// Drop the draft, after confirmation.
    Cancel,
    /// Start over, after confirmation.
    Restart,
    /// Choose the language.
    Language,
    /// Show the merchant's own requests.
    Status,
    /// Ask for a person.
    Human,
    /// Ask Meta for a new registration code by text message.
    Resend,
    /// Ask Meta for a new registration code by voice call.
    Call,
    /// A new link to Embedded Signup, for a request on that path.
    Signup,
    /// Leave Embedded Signup: our team creates the account.
    Team,
    /// Erase the merchant's personal data (LGPD), after confirmation.
    Erase,
    /// Anything else that starts with a slash.
    Unknown(String),
}

impl Command {
    /// Parses `/name`, `/name@botname` or `/name argument`; `None` when the text is not a
    /// command at all.
    pub fn parse(text: &str) -> Option<Command> {
        let text = text.trim();
        let rest = text.strip_prefix('/')?;
        let word = rest.split_whitespace().next().unwrap_or_default();
        let name = word.split('@').next().unwrap_or_default().to_lowercase();
        Some(match name.as_str() {
            "start" | "iniciar" | "comecar" | "começar" => Command::Start,
            "help" | "ajuda" => Command::Help,
            "back" | "voltar" => Command::Back,
            "skip" | "pular" => Command::Skip,
            "cancel" | "cancelar" => Command::Cancel,
            "restart" | "reiniciar" | "recomecar" | "recomeçar" => Command::Restart,
            "language" | "idioma" | "lang" => Command::Language,
            "status" | "situacao" | "situação" => Command::Status,
            "human" | "atendente" | "humano" => Command::Human,
            "resend" | "reenviar" => Command::Resend,
            "call" | "ligar" | "ligacao" | "ligação" => Command::Call,
            "signup" | "cadastro" => Command::Signup,
            "team" | "equipe" => Command::Team,
            "erase" | "apagar" => Command::Erase,
            _ => Command::Unknown(word.chars().take(32).collect()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_recognised_in_both_languages() {
        assert_eq!(Command::parse("/help"), Some(Command::Help));
        assert_eq!(Command::parse(" /AJUDA "), Some(Command::Help));
        assert_eq!(Command::parse("/voltar"), Some(Command::Back));
        assert_eq!(Command::parse("/apagar"), Some(Command::Erase));
        assert_eq!(Command::parse("/erase"), Some(Command::Erase));
        assert_eq!(
            Command::parse("/start@waba_bot payload"),
            Some(Command::Start)
        );
        assert_eq!(Command::parse("/foo"), Some(Command::Unknown("foo".into())));
        assert_eq!(Command::parse("/"), Some(Command::Unknown(String::new())));
        assert_eq!(Command::parse("hello"), None);
    }
}
