# The command line: validate, chat and the messages around them.

## Variables: $value is the normalized value; $field, $region and $lang what the operator typed; $url a database address.

validate-accept = Accepted. Normalized value: { $value }
validate-warn = Accepted with warnings. Normalized value: { $value }
validate-review = Accepted, for review by a person. Normalized value: { $value }
validate-reject = Rejected.
# $char is the refused character as a code point (U+202E).
cli-bad-user = The user name contains a control or invisible character ({ $char }): choose a plain name with --user.
cli-unknown-field = Unknown field “{ $field }”. The fields are: phone, display-name, business-id, logo, email, store-account, category, description.
cli-unknown-region = Unknown region “{ $region }”: use a two-letter country code such as BR or US.
cli-unknown-language = Unknown language “{ $lang }”: use en or pt-BR.
cli-database-unavailable = Couldn’t open the database at { $url }. Check the address (--database-url or WABA_DATABASE_URL) and that the server is running.
console-saved = Your answers are saved. Run the chat again to continue where you left off.
console-logo-hint = On the terminal, type the path of the file (or drag the file here).
error-internal = Something went wrong on our side; your answers are safe. Please try again in a moment.

## Staff operations. Variables: $reference is a request reference; $status a status label or id; $from and $to status ids; $field a field id; $count a number; $account, $name, $who the request’s store account, display name and requester; $days business days; $expected and $date dates.

cli-unknown-status = Unknown status “{ $status }”. The statuses are: submitted, in_review, needs_info, awaiting_client_approval, approved_by_client, number_registered, active, rejected, cancelled, expired.
lifecycle-not-found = There is no request { $reference }.
lifecycle-reason-required = This needs a reason (--reason).
lifecycle-no-fields = Name at least one field to fix (--field), for example --field display_name.
lifecycle-unknown-field = “{ $field }” isn’t a field. The fields are: store_account, email, business_id, admin_available, display_name, logo, phone, phone_attestations, category, description, business_verification, existing_account.
lifecycle-not-yours = That request isn’t yours.
lifecycle-duplicate = That was already done.
transition-final = The request is { $from }, a final status: it can’t move any more.
transition-not-allowed = A request can’t go from { $from } to { $to }.
transition-forbidden = You may not move a request from { $from } to { $to }.
requests-moved = { $reference } is now: { $status }.
requests-asked = { $reference } now waits for the merchant’s corrections; they’ve been told what to fix.
requests-noted = Note added to { $reference }.
requests-erased = The personal data of { $reference } was erased: its contact, answers, logo and notes. Its reference, statuses and dates stay for the statistics.
requests-erase-confirm = This erases the personal data of { $reference } for good (and cancels it if it is still open). To go ahead, run the command again with --confirm.
requests-none = No requests.
requests-group = { $status } ({ $count })
requests-line =
    { $days ->
        [one] { $reference }  { $account }  “{ $name }”  { $days } business day in this status, expected by { $expected }
       *[other] { $reference }  { $account }  “{ $name }”  { $days } business days in this status, expected by { $expected }
    }
requests-flag-overdue = overdue
requests-flag-unreachable = merchant unreachable
requests-flag-no-ticket = ticket not opened yet
requests-failed-jobs =
    { $count ->
        [one] { $count } job failed and needs attention:
       *[other] { $count } jobs failed and need attention:
    }
requests-help-wanted = Merchants who asked for a person ({ $count }):
requests-help-line = { $who }, at “{ $field }”, on { $date }
requests-show-title = Request { $reference }: { $status }
requests-show-age =
    { $days ->
        [one] { $days } business day in this status
       *[other] { $days } business days in this status
    }
requests-show-expected = expected by { $date }
requests-show-erased = personal data erased on { $date }
requests-show-status = Status
requests-show-history = History:
stats-overdue = Open requests past their expected date: { $count }.

## Configuration and serve. Variables: $key is a configuration key or file; $problem what is wrong with it; $reference a request reference.

config-invalid = The configuration is invalid: { $key }: { $problem }
serve-failed = The bot could not start or stopped with an error: { $problem }
lifecycle-fix-in-progress = The merchant is already fixing request { $reference }; ask again once that fix is sent.

## Configuration problems. Variables: $value is the value given; $detail the parser’s own explanation; $desk a desk name; $addr a listen address.

config-syntax = the file is not valid TOML ({ $detail })
config-unreadable = the file cannot be read ({ $detail })
config-not-a-number = “{ $value }” is not a number
config-not-a-table = must be a table of keys
config-bad-database-url = must start with sqlite:// or postgres://
config-bad-address = “{ $value }” is not an address such as 127.0.0.1:8080
config-required-for-zendesk = is required when the desk is zendesk
config-unknown-desk = “{ $value }” is neither builtin nor zendesk
config-unknown-log-format = “{ $value }” is neither text nor json
config-outbox-minimum = workers and max_attempts must be at least 1
config-lease-range = must be between 2 and 3600 seconds
config-at-most-an-hour = poll_interval_ms and shutdown_grace_secs must be at most an hour
config-unknown-locale = “{ $value }” is neither en nor pt-BR
config-bad-telegram-token = is not a bot token as BotFather gives it (123456789:ABC…)
config-bad-url = “{ $value }” is not an http:// or https:// address
config-bad-graph-version = “{ $value }” is not a Graph API version such as v23.0
config-unknown-registration = “{ $value }” is neither chat (the bot registers numbers, asking the merchant for the code) nor staff
config-required-for-webhook = is required when telegram.webhook_url is set
config-bad-webhook-secret = must be 1 to 256 letters, digits, _ or -
config-required-for-discord = is required to enable Discord (application_id, public_key and token)
config-required-for-slack = is required to enable Slack (bot_token and signing_secret)
config-required-for-signup = is required to offer Embedded Signup (signup.config_id, meta.app_id, public_url, meta.app_secret and meta.system_user_token)
config-link-minutes-range = must be between 1 and 10080 minutes (a week)
# $value is the id as configured.
config-bad-slack-id = “{ $value }” is not a Slack id (a capital letter then capitals and digits, such as C0123ABCD or U0123ABCD).
config-bad-slack-token = is not a token of that kind: a bot token starts with xoxb-, an app-level token with xapp-
config-bad-public-key = is not an Ed25519 public key in hex (64 characters), as the Developer Portal shows it
serve-cannot-listen = Cannot listen on { $addr }: the address is in use or not allowed (http_addr, WABA_HTTP_ADDR).
serve-telegram-unavailable = Couldn’t reach the Telegram Bot API to set the bot up. Check telegram.token (WABA_TELEGRAM_TOKEN) and telegram.api_url (WABA_TELEGRAM_API_URL).
serve-discord-unavailable = Couldn’t register the Discord commands. Check discord.token (WABA_DISCORD_TOKEN), discord.application_id and discord.api_url.

## The Zendesk desk. Variables: $reference a request reference; $name the display name; $account the store account; $who a user; $field a step label; $language a language tag; $text what the merchant wrote; $fields field names.

zendesk-subject = WhatsApp onboarding { $reference }: { $name } ({ $account })
zendesk-help-wanted = The merchant asks for a person: { $who }, at the step “{ $field }”, language { $language }. Contact them in their chat or by e-mail.
zendesk-merchant-wrote = The merchant wrote in the chat: { $text }
zendesk-fixed = The merchant sent the fixes asked for ({ $fields }); the request is back in review.

## `desk check`. Variables: $email and $role the API user's; $url the Zendesk address; $key a configuration key; $id a field id; $title a field's title; $tags tag names; $endpoint a webhook address.

desk-check-builtin = The desk is the builtin one (this database): there is nothing to check.
desk-check-account = Zendesk answers: signed in as { $email } (role { $role }).
desk-check-refused = Zendesk refused the credentials: check zendesk.email and zendesk.api_token (an API token, with token access enabled).
desk-check-unreachable = Zendesk could not be reached at { $url }: check zendesk.url and the network.
desk-check-field = { $key } ({ $id }) is the field “{ $title }”.
desk-check-field-missing = { $key } ({ $id }) is no ticket field of this account: create the field, or fix the id.
desk-check-field-unset = { $key } is not set: tickets will not carry that value in a field.
desk-check-tags = Status tags in use: { $tags }.
desk-check-no-tags = No status tag (waba_status_…) is in use yet; they appear with the first ticket.
desk-check-webhook = The webhook to { $endpoint } exists.
desk-check-no-webhook = No webhook points to /webhooks/zendesk: moves made in Zendesk will not reach merchants. See the README.
