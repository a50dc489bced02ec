# The Meta steps: the registration of the number from the chat, and what Meta tells staff.

## The registration of the number, in the merchant's chat. Variables: $reference is a request reference (WA-000042); $number the business number; $method how Meta sends the code (sms or voice); $wait how long to wait (a meta-wait message).

meta-code-sent =
    { $method ->
        [voice] Request { $reference }: Meta is calling { $number } to read out a 6-digit code. Type the code here as soon as you have it.
       *[other] Request { $reference }: Meta is sending a 6-digit code by text message to { $number }. Type the code here as soon as it arrives.
    } No code after a few minutes? Send /resend for a new text message or /call for a voice call.
meta-code-checking = Request { $reference }: checking the code with Meta…
meta-code-busy = Request { $reference }: we’re still waiting for Meta’s answer to the previous step. One moment: I’ll write as soon as it’s done.
meta-code-wait = Request { $reference }: Meta needs a pause before the next try. Please try again { $wait }.
meta-code-format = The registration code has 6 digits, like 123456 (Meta’s message shows it as 123-456). Please type just the 6 digits.
meta-code-ask-new = Request { $reference }: there is no code waiting to be checked right now. Send /resend for a new code by text message, or /call for a voice call.
meta-code-requesting =
    { $method ->
        [voice] Request { $reference }: asking Meta to call the number with a new code…
       *[other] Request { $reference }: asking Meta for a new code by text message…
    }
meta-code-none = There is no number being registered for you right now, so there is no code to send. Send /status to see where your requests stand.

## How long to wait. Variables: $minutes and $hours are counts.

meta-wait-minutes =
    { $minutes ->
        [one] in about a minute
       *[other] in about { $minutes } minutes
    }
meta-wait-hours =
    { $hours ->
        [one] in about an hour
       *[other] in about { $hours } hours
    }

## What Meta's refusals during the registration mean, for the merchant. Variables: $reference is a request reference; $wait how long to wait (a meta-wait message).

meta-problem-wrong-code = Request { $reference }: that code doesn’t match the one Meta sent. Check the latest text message or call and type the 6 digits again, or send /resend for a new code.
meta-problem-code-expired = Request { $reference }: that code has expired. Send /resend for a new one by text message, or /call for a voice call.
meta-problem-too-many-requests = Request { $reference }: Meta limits how often a number can ask for codes, and this number reached the limit for now. Send /resend { $wait }; asking earlier only makes the wait longer.
meta-problem-register-limit = Request { $reference }: Meta allows 10 registration attempts per number in 72 hours, and this number reached them. We can try again { $wait }; our team has been told and will keep you posted.
meta-problem-pin-mismatch = Request { $reference }: this number already has two-step verification turned on with a PIN we don’t know. An admin of your business portfolio can turn it off in WhatsApp Manager (Phone numbers > Settings > Two-step verification); our team has been told and will contact you.
meta-problem-needs-verification = Request { $reference }: Meta wants the number verified again before registering it. Send /resend for a new code by text message, or /call for a voice call.
meta-problem-recently-deleted = Request { $reference }: this number was removed from a WhatsApp account moments ago, and Meta asks for a few minutes before it can be added again. Send /resend { $wait }.
meta-problem-code-not-sent = Request { $reference }: Meta couldn’t send the code that way to this number. Send /call to get it by voice call, or /resend to try a text message again later.
meta-problem-refused = Request { $reference }: Meta refused this step of the registration. Our team has been told and will contact you; there is nothing for you to do now.

## Why Meta rejected a display name (phone_number_name_update), in the merchant's words. Variables: $reason is Meta's reason as it sent it.

meta-name-rejected-name-employee-issue = Meta rejected the display name because it looks like a person’s name or an employee’s identification. Use your business’s name, as customers know it.
meta-name-rejected-name-individual-issue = Meta rejected the display name because it looks like a person’s name. Use your business’s name, as customers know it.
meta-name-rejected-name-endclient-notrelated = Meta rejected the display name because it names a different business from the one that owns the account. Use the name of your own store, as shown on your website.
meta-name-rejected-name-format-unacceptable = Meta rejected the display name because of its format. Write it as your brand is written, without extra punctuation, emoji, ALL CAPS or words such as “official”.
meta-name-rejected-name-not-consistent = Meta rejected the display name because it doesn’t match your brand as shown on your website and other materials. Use the exact name customers see there.
meta-name-rejected-unknown = Meta rejected the display name without giving a reason. Check it against your brand as shown on your website, or ask for a person with /human.
meta-name-rejected-other = Meta rejected the display name ({ $reason }). Check it against your brand as shown on your website, or ask for a person with /human.

## Meta's news for staff. Variables: $event is Meta's event name; $business a business portfolio id; $account a WhatsApp Business account id; $references and $reference request references; $detail Meta's detail; $decision the review's decision; $number a phone number; $name a display name; $status a request status; $other another request's reference; $reason Meta's reason; $problem what a refusal means; $said Meta's own words.

meta-alert-unmatched = Meta: { $event } for business portfolio { $business } (WhatsApp Business account { $account }), but no request of that portfolio is awaiting the admin’s acceptance. Check it and move the request by hand if it is one of ours.
meta-alert-ambiguous = Meta: { $event } for business portfolio { $business } (WhatsApp Business account { $account }) fits several requests awaiting acceptance ({ $references }). Nothing was moved: move the right one by hand.
meta-alert-account = Meta: { $event } ({ $detail }) on WhatsApp Business account { $account }, request { $reference }. Check the account in WhatsApp Manager.
meta-alert-name-unmatched = Meta: display name review { $decision } for { $number } (“{ $name }”), but no open request has that number.
meta-alert-name-deferred = Meta: the review of the display name “{ $name }” of request { $reference } is { $decision }. Nothing was moved; watch it in WhatsApp Manager.
meta-alert-name-out-of-step = Meta: display name review { $decision } for “{ $name }” of request { $reference }, which is { $status }. Nothing was moved: check it and move the request by hand.
meta-alert-name-rejected-busy = Meta rejected the display name of request { $reference } ({ $reason }), but its merchant is fixing request { $other }. Ask them for a new name once that fix is sent.
meta-alert-registration = The registration of the number of request { $reference } stopped ({ $problem }). Meta said: { $said }
meta-alert-subscribe = The number of request { $reference } is registered, but subscribing the app to its account failed. Meta said: { $said }

## `meta events`: Meta's changes kept for staff. Variables: $id a number; $at a date and time; $field and $event Meta's names; $outcome why it was kept; $account an account id; $business a portfolio id; $reference a request reference.

meta-events-none = No change from Meta is waiting for staff.
meta-events-line = #{ $id } { $at } { $field } { $event }: { $outcome } (account { $account }, portfolio { $business }, request { $reference })
meta-pin-none = Request { $reference } has no number registered by the bot, so there is no PIN to show.
