# Embedded Signup: the store creates its WhatsApp Business account itself, in Meta's window.

## In the merchant's chat. Variables: $reference is a request reference (WA-000042); $url the signup link; $valid how long the link works (a meta-wait message); $step where the merchant stopped (a signup-step message); $said Meta's own words.

signup-link = Here is your link to create the account in Meta’s window: { $url }
    Open it on a computer or phone where you are logged in to Facebook as an admin of your business portfolio. The screens come filled in with what you told me: check them, verify the number with the code Meta sends, and finish. The link works once and expires { $valid }. Type /signup for a new link, or /team if you’d rather have our team create the account.
signup-finished = Request { $reference }: your WhatsApp Business account was created in Meta’s window. Next I register the number, then Meta reviews the display name (usually within 1 to 2 business days). I’ll tell you here when each step is done.
signup-finished-no-number = Request { $reference }: your WhatsApp Business account was created in Meta’s window, without a number. Next I add your number to it; Meta will send you a code, which you type here.
signup-cancelled = Request { $reference }: you closed Meta’s window at the step “{ $step }”, so the account wasn’t created. Nothing is lost. Type /signup for a new link and pick up from there, or /team to have our team create the account instead.
signup-failed = Request { $reference }: Meta stopped the signup with this message: “{ $said }”. Our team can see it too. Type /signup to try again, or /team to have our team create the account instead.
signup-too-late = Request { $reference } has moved on, so there is no signup link to give. Type /status to see where it stands.
signup-team = Request { $reference }: our team will create the account. Next we check your data and send the partner request to your business portfolio; an admin then accepts it in Business Manager, under Settings > Requests. I’ll tell you here whenever it moves.
signup-none = You have no request waiting for Meta’s signup. Type /status to see where your requests stand.

## Meta's steps in the signup window, as the merchant saw them.

signup-step-business-account-selection = choosing the business portfolio
signup-step-waba-phone-profile-picker = choosing the WhatsApp Business account
signup-step-phone-number-setup = adding the phone number
signup-step-phone-number-verification = verifying the number with the code
signup-step-permissions = reviewing permissions
signup-step-unknown = one of the first screens

## For staff. Variables: $reference is a request reference; $said Meta's own words; $id Meta's error id; $step where the merchant stopped (a signup-step message).

signup-alert-error = { $reference }: Meta’s Embedded Signup failed for the merchant: “{ $said }” (error id { $id }). They were offered a new link or the team’s path.
signup-alert-exchange = { $reference }: the code of Embedded Signup could not be exchanged for a business token: “{ $said }”. The number is registered with the partner’s system-user token.
signup-path = Path
signup-path-offered = Embedded Signup: the store creates the account (link sent)
signup-path-finished = Embedded Signup: account created by the store
signup-path-cancelled = Embedded Signup: the merchant stopped at “{ $step }”
signup-path-error = Embedded Signup failed: “{ $said }”
signup-path-team = our team creates the account (the merchant left Embedded Signup)

## The signup page. Variables: $reference is a request reference.

signup-page-title = Create your WhatsApp Business account
signup-page-intro = Request { $reference }. Log in with a Facebook account that is an admin of your business portfolio, then follow Meta’s screens.
signup-page-prefilled = Meta’s screens come filled in with what you told the bot:
signup-page-button = Open Meta’s signup
signup-page-loading = Loading Meta’s signup…
signup-page-ready = Ready. Meta’s window opens when you press the button.
signup-page-opened = Meta’s window is open. If you don’t see it, allow pop-ups for this page.
signup-page-sending = Telling the bot…
signup-page-network = Couldn’t reach the bot. Check your connection; what you did in Meta’s window is not lost.
signup-page-after = When you finish, go back to the chat: the bot tells you what happens next.
signup-page-finished = Done! Your account was created. You can close this page and go back to the chat.
signup-page-cancelled = You closed Meta’s window before finishing. Go back to the chat for a new link, or to let our team do it.
signup-page-failed = Meta reported an error. Go back to the chat: the bot explains what to do.
signup-page-unknown = This signup link doesn’t exist. Check that you copied all of it.
signup-page-used = This signup link was already used or replaced by a newer one.
signup-page-expired = This signup link has expired.
signup-page-forged = This page was not opened from the bot’s link.
signup-page-ask-again = In the chat, type /signup for a new link.
signup-page-bad-event = The page sent something the bot doesn’t understand. Reload it and try again.
