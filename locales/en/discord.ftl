# The Discord channel: commands, forms and notices.

## Notices.

discord-unknown = I don’t know that command or button; it may come from an older version of the bot. Use /onboard to continue.
discord-old-form = This form is from an older version of the bot. Use /onboard and open the form again.
discord-not-staff = Only members with a support team role can act on requests.
discord-not-allowed = Only support staff and managers can use this command.

## The form. Variables: $reference is a request reference.

discord-logo-hint = On Discord, run /onboard and attach the image in its “logo” option.
discord-choose = Choose one…
discord-fill-in = Fill in the form
discord-write-description = Write a description
discord-form-title = Your store and WhatsApp details
discord-description-title = About your business
discord-label-store-account = Store account on the platform
discord-label-email = Contact e-mail
discord-label-business-id = Business portfolio ID (Business Manager)
discord-label-display-name = Display name on WhatsApp
discord-label-phone = WhatsApp phone number
discord-label-description = Description (optional)
discord-placeholder-store-account = Lowercase letters and digits, e.g. minhaloja
discord-placeholder-email = e.g. ana@minhaloja.com.br
discord-placeholder-business-id = 15 or 16 digits, from Settings > Business info
discord-placeholder-display-name = Your brand as shown on your website
discord-placeholder-phone = With the country code, e.g. +55 11 98765-4321
discord-placeholder-description = A few words for your WhatsApp profile (up to 512 characters)
discord-pick-fields = Which fields should the merchant fix in { $reference }?
discord-reason-ask-title = Ask for a fix: { $reference }
discord-reason-ask-label = What should the merchant fix, and why?
discord-reason-reject-title = Reject { $reference }
discord-reason-reject-label = Why is it rejected? The merchant reads it.

## Command names and descriptions (names: lowercase, no spaces).

discord-command-onboard-name = onboard
discord-command-onboard-description = Start or continue your WhatsApp Business request (attach your logo here)
discord-command-status-name = status
discord-command-status-description = See where your requests stand
discord-command-cancel-name = cancel
discord-command-cancel-description = Cancel what you’ve started
discord-command-language-name = language
discord-command-language-description = Switch between English and Portuguese
discord-command-help-name = help
discord-command-help-description = Explain the current question
discord-command-back-name = back
discord-command-back-description = Go back to the previous question
discord-command-human-name = human
discord-command-human-description = Talk to a person from our team
discord-command-erase-name = erase
discord-command-erase-description = Erase your data (asks first)
discord-command-code-name = code
discord-command-code-description = Type the 6-digit code Meta sent to register your number
discord-command-resend-name = resend
discord-command-resend-description = Ask Meta for a new registration code by text message
discord-command-call-name = call
discord-command-call-description = Ask Meta to call your number with a new registration code
discord-command-signup-name = signup
discord-command-signup-description = A new link to create your WhatsApp Business account yourself in Meta’s window
discord-command-team-name = team
discord-command-team-description = Let our team create your WhatsApp Business account instead
discord-command-pending-name = pending
discord-command-pending-description = Open requests by status (staff and managers)
discord-command-stats-name = stats
discord-command-stats-description = Counts and times (staff and managers)
discord-command-request-name = request
discord-command-request-description = A request by reference or store account (staff and managers)
discord-option-logo-name = logo
discord-option-logo-description = Your logo: a square JPEG or PNG image, up to 5 MB
discord-option-status-name = status
discord-option-status-description = Only requests in this status
discord-option-page-name = page
discord-option-page-description = Which page of the list (from 1)
discord-option-since-name = since
discord-option-since-description = First day of the period (YYYY-MM-DD); the last 30 days if left out
discord-option-code-name = code
discord-option-code-description = The 6 digits, as in 123456
discord-option-reference-name = reference
discord-option-reference-description = A reference (WA-000042) or a store account
