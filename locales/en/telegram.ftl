# The Telegram channel: what merchants, staff and managers read there besides the conversation.

## Merchants in a private chat.

telegram-private-only = Let’s talk in a private chat: open a conversation with me and send /start.
telegram-managers-only = Only managers can use that command.

## Staff in the group. Variables: $reference is a request reference; $field a field label; $status a status label; $who a merchant’s channel and id; $language their language tag.

telegram-not-staff = Only members of the support team’s group can act on requests.
telegram-staff-help = In this group: /status REFERENCE or store account, /pending [status] [page], /stats [first day, YYYY-MM-DD]. Use the buttons under each request to move it.
telegram-status-usage = Send /status followed by a reference (WA-000042) or a store account.
telegram-reason-ask = Reply to this message with what the merchant should fix in the field “{ $field }” of request { $reference }.
telegram-reason-reject = Reply to this message with the reason for rejecting { $reference }. The merchant will read it.
telegram-open-chat = Open the chat
telegram-logo-caption = Logo of { $reference }

## Command menu descriptions.

telegram-command-start = Start or resume your request
telegram-command-help = Explain the current question
telegram-command-back = Go back to the previous question
telegram-command-skip = Skip an optional question
telegram-command-status = See where your requests stand
telegram-command-language = Switch between English and Portuguese
telegram-command-human = Talk to a person
telegram-command-restart = Start over
telegram-command-cancel = Cancel what you’ve started
telegram-command-erase = Erase your data
telegram-command-staff-status = A request by reference or store account
telegram-command-pending = Open requests, by status
telegram-command-stats = Counts and times
