# Chat channels (Telegram, Discord): what merchants and staff read there besides the conversation.

## Merchants.

chat-old-button = That button belongs to an earlier question. Please answer the latest one.

## Staff. Variables: $reference is a request reference; $field a field label; $status a status label; $who a merchant’s channel and id (or a mention); $language their language tag.

staff-button-move = → { $status }
staff-button-ask = Ask for a fix…
staff-button-reject = Reject…
staff-pick-field = Which field should the merchant fix in { $reference }?
staff-help-wanted = 🙋 A merchant asks for a person: { $who }, at the step “{ $field }”, language { $language }.
staff-reason-missing = The reason is missing: write a few words explaining it (a command is not a reason).
# $char is the refused character as a code point (U+202E).
staff-reason-hidden-char = The reason contains a control or invisible character ({ $char }), usually copied along with the text: type it again without it.
staff-queries-not-allowed = Only support staff and managers can ask that.
staff-only = Only support staff can do that.
slack-answered-in-dm = I’ve answered you in our direct messages.
slack-not-staff = Only the support team can do that.
slack-not-allowed = Only the support team and managers can ask that.
slack-fields-label = Fields the merchant should fix
slack-reason-label = Why (the merchant will read it)
# $reference is a request reference (WA-000042).
slack-reason-ask-title = Fix { $reference }
# $reference is a request reference (WA-000042).
slack-reason-reject-title = Reject { $reference }
slack-submit = Send
slack-close = Cancel
slack-pick-a-field = Choose at least one field for the merchant to fix.
slack-form-title = WhatsApp onboarding
slack-home-title = Your WhatsApp onboarding
slack-home-empty = No request yet. Type /onboard to start one: I’ll ask one thing at a time and check each answer on the spot.
# $reference is a request reference; $name the display name; $status where it stands; $date since when.
slack-home-request = { $reference } · { $name }: { $status } (since { $date })
# $command is what was typed (/frobnicate).
slack-unknown-command = I don’t know { $command }. Type /waba and one of: help, back, skip, cancel, restart, language, human; /onboard starts or continues your request, /waba-status shows where it stands.
