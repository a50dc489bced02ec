# The merchant conversation: questions, help, and what the bot says between them.

## Greetings and questions. Variables: $step is a step number; $field a field label; $reference a request reference (WA-000042).

welcome = Hi! I’m the WhatsApp onboarding assistant: I’ll help you bring your store to the WhatsApp Business Platform. I ask one thing at a time and check each answer on the spot. Type /help at any moment, /back to go back, or /language to switch to Portuguese.
welcome-back = Welcome back! Your answers are saved where you left them.
ask-resume = You stopped at step { $step }: { $field }. Continue from there, or start over?
ask-language = Which language do you prefer?
ask-confirm-cancel = Cancel and delete everything you’ve answered so far?
ask-confirm-restart = Start over from the beginning? Your answers so far will be deleted.
ask-confirm-erase = Erase your data for good? Your answers, your requests’ contact details, logo and notes, and what this chat kept will be deleted; a request still open is withdrawn. This cannot be undone.
ask-field-to-edit = Which field do you want to change?
ask-existing-account = Does your store already have a WhatsApp Business account, with us or with another partner?
ask-store-account = What is your store’s account name on the commerce platform? Lowercase letters and digits, for example: minhaloja
ask-email = Which e-mail should we use to keep you informed about this request?
ask-business-id = What is your business portfolio ID (the Business Manager ID)? In Meta Business Suite, open Settings > Business info: it’s a number of 15 or 16 digits.
ask-admin-available = An admin of this business portfolio will have to accept our partner request in Business Manager (Settings > Requests). It usually takes about 3 business days, and Meta cancels a request that isn’t accepted within 90 days. Will an admin be available to accept it?
ask-display-name = Which name should customers see on WhatsApp? It must be your brand as shown on your website, for example: Loja Azul
ask-review-display-name = Is this exactly the brand shown on your store’s website? A person will compare them before it goes to Meta.
ask-logo = Send your logo (the WhatsApp profile picture): a square JPEG or PNG image, at least 192×192 pixels and up to 5 MB; 640×640 is ideal.
ask-phone = Which phone number will you use on WhatsApp? Include the country code, for example: +55 11 98765-4321
ask-review-phone = This kind of number needs a person’s review before it can be used. Keep it?
ask-phone-owned = Does this number belong to your company?
ask-phone-reachable = Can this number receive an SMS or a voice call from abroad? Meta sends the registration code that way.
ask-phone-whatsapp = Is this number in use on WhatsApp today?
ask-category = Which category best describes your business?
ask-review-category = Under Meta’s commerce policies this category needs a person’s review. Keep it?
ask-description = Describe your business in a few words (optional, up to 512 characters); it appears on your WhatsApp profile. Type /skip to leave it out.
ask-business-verification = Has Meta already verified your business (business verification, in Business Manager)?
ask-summary = Here is everything you told me. Please check it before confirming.
ask-done = Your request { $reference } is with our team. Type /status to see where it stands, or /restart to start a new request.

## Help for each step.

help-pending = Answer the question above by choosing one of the options (you can type its number).
help-existing-account = This is only for our records: if the store already has a WhatsApp Business account, with us or with another partner, tell us so that the team can plan the move.
help-store-account = The account name is how the commerce platform knows your store: it appears in the address of your admin panel. It has only lowercase letters and digits.
help-email = We write to this address about the request: when it moves, and when we need something from you.
help-business-id = The business portfolio ID identifies your company at Meta. In Meta Business Suite (business.facebook.com), open Settings > Business info; the ID is the number under the business name.
help-admin-available = Our partner request arrives in your Business Manager, under Settings > Requests, and only an admin of the portfolio can accept it. We need to know someone will be there to do it.
help-display-name = The display name is what customers see in WhatsApp. Meta approves it only if it matches your brand: no emoji, no web address, no all capitals, no words like “official”.
help-logo = The logo becomes the profile picture of your WhatsApp account. Use a square JPEG or PNG image, ideally 640×640 pixels, with no transparency.
help-phone = This number becomes your store’s WhatsApp number. It must be a full number (not a short code), belong to the company, be able to receive an SMS or call, and not be in use on WhatsApp.
help-phone-attestations = Meta registers the number by sending a code by SMS or voice call. These questions make sure the code can arrive and that the number is free to register.
help-category = The category tells customers and Meta what kind of business you run. Pick the closest one; “Other” is fine when none fits.
help-description = A short description of your business, shown on your WhatsApp profile. You can skip it and add it later.
help-business-verification = Business verification is done by Meta in Business Manager (Security Center). It isn’t needed to start, but it is needed to start conversations with customers and for the official-account badge.
help-summary = Check every field. Choose “Change a field” to fix one (you come straight back here), or confirm to send the request.
help-done = Your request has been sent. Type /status to follow it, or /human to talk to a person.

## Answers, confirmations and problems. Variables: $command is what the merchant typed; $value an answer; $format, $width, $height and $kib describe the logo; $count a number of items; $field a field label; $text a message.

back-at-first-step = This is already the first step.
cannot-skip = This step is required, so it can’t be skipped.
already-submitted = This request has already been sent, so it can’t be changed here.
human-requested = I’ve asked a person from our team to help you. They’ll contact you here or by e-mail. Your answers so far are saved.
unknown-command = I don’t know the command { $command }. The commands are /help, /back, /skip, /cancel, /restart, /language, /status, /human and /erase.
choose-an-option = Please choose one of the options (you can type its number).
language-changed = All right, from now on I’ll write in English.
cancelled = Your answers were deleted. Send /start whenever you want to begin again.
not-cancelled = Nothing was cancelled; let’s carry on.
not-erased = Nothing was erased; let’s carry on.
restarted = Starting over from the beginning.
review-change = All right, let’s change it.
existing-account-noted = Noted. If that account is managed by another partner, a new one is created for this integration; our team will tell you if anything else is needed.
admin-required = We can only go ahead once an admin can accept the request. Talk to an admin of your business portfolio and come back: your answers are saved.
verification-explained = That’s fine: verification isn’t needed to start. It is needed to start conversations (order-tracking messages, for example) and for the official-account badge, and until then the portfolio can register only 2 numbers. You can verify your business later in Business Manager, under Security Center.
unsupported-input = I can only read text, the options, and an image file for the logo.
message-passed-on = I’ve passed your message on to our team; it is kept with your request.
contact-not-expected = A contact card answers only the phone number question. Please answer this one as asked:
edit-applied = You edited your answer about “{ $field }”, so I’ve updated it.
edit-not-applied = You edited your answer about “{ $field }”, but the new text can’t be used, so I kept the previous answer:
edit-unknown = Editing that message doesn’t change any answer. To change one, type /back, or choose “Change a field” at the summary.
edit-after-send = Your request was already sent, so editing a message changes nothing. Type /status to see where it stands; our team will ask you here if anything needs fixing.
expected-text = Please type your answer as text.
logo-expected-file = Please send the logo as an image file.
noted-with-warnings = Saved, with a note:
form-problems = Some answers need fixing:
summary-incomplete = Something is still missing; let’s fill it in.
summary-attention =
    { $count ->
        [one] One point needs attention:
       *[other] { $count } points need attention:
    }
current-answer = Current answer: { $value }
value-text = { $value }
value-logo =
    { $height ->
        [one] { $format }, { $width }×{ $height } pixel, { $kib } KB
       *[other] { $format }, { $width }×{ $height } pixels, { $kib } KB
    }
value-skipped = (skipped)
value-missing = (missing)
value-attested-not-in-use = belongs to the company, receives calls from abroad, not on WhatsApp
value-attested-consumer-app = belongs to the company, receives calls from abroad, on the WhatsApp app
value-attested-business-app = belongs to the company, receives calls from abroad, on the WhatsApp Business app
note-about-field = { $field }: { $text }
verdict-accept = { $text }
verdict-warn = Warning: { $text }
verdict-review = For review by a person: { $text }
verdict-reject = Refused: { $text }
offer-human = This is taking a few tries. Type /human and a person from our team will help you; everything you’ve answered is kept.

## Refusals and the detailed requirements shown after three failed tries.

rejected-store-account = That account name can’t be used:
rejected-email = That e-mail can’t be used:
rejected-business-id = That ID can’t be used:
rejected-display-name = That display name can’t be used:
rejected-logo = That logo can’t be used:
rejected-phone = That number can’t be used:
rejected-phone-attestations = The number doesn’t meet a requirement:
rejected-category = That category isn’t valid:
rejected-description = That description can’t be used:
requirements-store-account = Requirements: the account name of your store on the commerce platform, with 2 to 63 characters, only lowercase letters (a–z) and digits, no spaces, hyphens or accents.
requirements-email = Requirements: one e-mail address, such as contact@mystore.com, with at most 128 characters.
requirements-business-id = Requirements: the business portfolio ID from Meta Business Suite (Settings > Business info): only digits, usually 15 or 16 of them. Spaces, dots and hyphens are ignored.
requirements-display-name = Requirements: 3 to 75 characters; the brand as shown on your website; no emoji, no ™ ® ©, no web or e-mail address, not all capitals (except short acronyms), no repeated punctuation, and none of the words WhatsApp, Facebook, Instagram, Meta, official or verified.
requirements-logo = Requirements: a JPEG or PNG image (other formats renamed to .png don’t work), square, at least 192×192 pixels, at most 5 MB. 640×640 pixels with no transparency is ideal.
requirements-phone = Requirements: a full phone number with its area code (and the country code, starting with +, outside Brazil); a mobile number is best. Short numbers, pagers, voicemail and numbers already on an open request can’t be used.
requirements-phone-attestations = Requirements: the number must belong to your company, must be able to receive an SMS or voice call from abroad, and must not be in use on WhatsApp, unless through the coexistence onboarding.
requirements-category = Requirements: one of the categories in the list; you can type its number or its name.
requirements-description = Requirements: at most 512 characters of plain text; about the first 256 are shown. You can also type /skip.

## Labels of fields and options.

field-existing-account = Existing WhatsApp account
field-store-account = Store account
field-email = Contact e-mail
field-business-id = Business portfolio ID
field-admin-available = Admin available
field-display-name = Display name
field-logo = Logo
field-phone = Phone number
field-phone-attestations = About the number
field-category = Category
field-description = Description
field-business-verification = Business verification
choice-yes = Yes
choice-no = No
choice-continue = Continue
choice-restart = Start over
choice-cancel-yes = Yes, cancel
choice-cancel-no = No, keep going
choice-restart-yes = Yes, start over
choice-restart-no = No, keep my answers
choice-erase-yes = Yes, erase my data
choice-erase-no = No, keep it
choice-review-keep = Yes, keep it
choice-review-change = No, I’ll change it
choice-admin-yes = Yes, an admin will accept it
choice-admin-not-yet = Not yet
choice-whatsapp-not-in-use = No, it isn’t on WhatsApp
choice-whatsapp-consumer-app = Yes, on the WhatsApp app
choice-whatsapp-business-app = Yes, on the WhatsApp Business app
choice-skip = Skip
choice-verification-verified = Yes, it’s verified
choice-verification-not-verified = No, not yet
choice-verification-unknown = I don’t know
choice-confirm = Confirm and send
choice-edit = Change a field
choice-cancel = Cancel
choice-human = Talk to a person
language-en = English
language-pt-br = Português (Brasil)

## Meta’s business categories.

category-alcohol = Alcoholic beverages
category-apparel = Clothing and apparel
category-auto = Automotive
category-beauty = Beauty, spa and salon
category-edu = Education
category-entertain = Entertainment
category-event-plan = Event planning and services
category-finance = Finance and banking
category-govt = Public service
category-grocery = Food and grocery
category-health = Medical and health
category-hotel = Hotel and lodging
category-nonprofit = Non-profit
category-online-gambling = Online gambling and gaming
category-otc-drugs = Over-the-counter drugs
category-other = Other
category-physical-gambling = Non-online gambling and gaming
category-prof-services = Professional services
category-restaurant = Restaurant
category-retail = Shopping and retail
category-travel = Travel and transportation

## After confirmation, and /status. Variables: $reference is a request reference; $date, $since and $created dates; $count a number of requests; $name a display name; $status a status label.

submitted = Done! Your request is { $reference }. Keep this reference: it’s how you and our team will refer to it.
submitted-next-steps = Next: our team checks your data and sends the partner request to your business portfolio. An admin must then accept it in Business Manager, under Settings > Requests. Expected by { $date }. I’ll tell you here whenever it moves; type /status at any time.
status-none = You have no requests yet.
status-intro =
    { $count ->
        [one] Your request:
       *[other] Your { $count } requests:
    }
status-line = { $reference } ({ $name }), sent on { $created }: { $status } (since { $since })
status-submitted = received
status-in-review = in review by our team
status-needs-info = waiting for your corrections
status-awaiting-client-approval = waiting for your admin to accept it in Business Manager
status-approved-by-client = accepted by your admin
status-number-registered = number registered
status-active = active on WhatsApp
status-rejected = refused
status-cancelled = cancelled
status-expired = expired

## Dates and progress. Variables: $day, $month and $year form a date; $step and $of count steps.

date-long = { $month } { $day }, { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
progress = Step { $step } of { $of }

## Fixing what staff asked for. Variables: $reference is a request reference; $reason staff’s words; $status a status label.

fix-intro = Our team needs a correction on request { $reference }: “{ $reason }”. Please answer these again:
resubmitted = Thank you! Request { $reference } is back with our team for review.
resubmit-refused = Request { $reference } can no longer be changed: it is { $status }.
parked-draft-back = Now let’s get back to the request you had started.

## Notifications about a request. Variables: $reference is a request reference; $date the expected date; $fields the fields to fix; $reason and $text staff’s words.

notify-submitted = Request { $reference } was received. Our team will review it by { $date }.
notify-in-review = Request { $reference } is being reviewed by our team; expect news by { $date }.
notify-needs-info = Request { $reference } needs a correction: { $fields }. Send /start (or open the chat again) to fix it.
notify-awaiting-client-approval = Request { $reference }: we sent the partner request to your business portfolio. An admin must now accept it in Business Manager, under Settings > Requests, by { $date }. Meta cancels it if it isn’t accepted within 90 days.
notify-approved-by-client = Request { $reference }: your admin accepted the partner request. Next we register the number; expect it by { $date }. Keep the number able to receive the registration code by SMS or voice call.
notify-number-registered = Request { $reference }: the number is registered. Meta is now reviewing the display name; expect it by { $date }.
notify-active = Request { $reference } is active: your store is live on WhatsApp!
notify-rejected = Request { $reference } was refused.
notify-cancelled = Request { $reference } was cancelled.
notify-expired = Request { $reference } expired: the partner request wasn’t accepted in Business Manager within 90 days. Send /start to make a new request.
notify-reason = Reason: { $reason }
notify-approval-reminder = Reminder for request { $reference }: the partner request is still waiting for an admin to accept it in Business Manager (Settings > Requests). It was expected by { $date }.
notify-note = Message from our team about request { $reference }: { $text }

## Reminders about an unfinished conversation. Variables: $field is the label of the step where the merchant stopped.

draft-nudge = Your WhatsApp request isn’t finished yet: you stopped at “{ $field }”. Send /start to continue where you left off.
draft-expired = Your unfinished WhatsApp request was deleted after 7 days without activity. Send /start to begin again.

## The timeline under each request of /status. Variables: $date is a date; $status a status label.

status-timeline = { $date }: { $status }

## Withdrawing a request already sent. Variables: $reference is a request reference; $status a status label.

ask-confirm-cancel-request = Withdraw request { $reference }? Our team will stop working on it.
ask-path = Last question: who creates your WhatsApp Business account?
    • Our team: we check your data and send a partner request to your business portfolio; an admin accepts it in Business Manager (Settings > Requests). Nothing else to do meanwhile.
    • You, now: I give you a link to Meta’s own window, already filled in with your answers. An admin of the business portfolio must open it and verify the number with a code. It takes about 5 minutes and skips the wait for our team.
choice-path-team = Our team creates it
choice-path-self = I’ll do it myself now
choice-cancel-request-yes = Yes, withdraw it
request-cancelled = Request { $reference } was withdrawn. Type /restart whenever you want to make a new one.
# Variables: $count is how many requests the merchant had.
erased =
    { $count ->
        [0] Your data was erased. Send /start whenever you want to begin again.
        [one] Your data was erased, with that of your request; we keep only its reference and dates, for our statistics. Send /start whenever you want to begin again.
       *[other] Your data was erased, with that of your { $count } requests; we keep only their references and dates, for our statistics. Send /start whenever you want to begin again.
    }
cancel-refused = Request { $reference } can no longer be withdrawn: it is { $status }.
field-summary = Summary
field-done = Request sent

## Fixes waiting for the merchant. Variables: $reference is a request reference.

fix-nudge = Request { $reference } is still waiting for your correction. Send /start to finish it.
fix-restarted = Let’s go through the fields to fix again.
