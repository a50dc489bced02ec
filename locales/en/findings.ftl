# What the validation rules say about an answer. Each message id is “finding-” and the finding
# code with dots and underscores turned into dashes (phone.short_code → finding-phone-short-code).

## Variables: $max is a limit in characters; $char a character as a code point (U+202E); $counted a length as Meta counts it.

finding-input-empty = The answer was empty: please type it.
finding-input-too-long = That answer is too long: at most { $max } characters.
finding-input-not-a-text-field = That field can’t be answered in a form.
finding-input-control-char = It contains a control character ({ $char }), which can’t be part of an answer; please type it again without it.
finding-input-invisible-char = It contains an invisible or text-direction character ({ $char }), usually copied along with the text; please type it again instead of pasting it.
finding-input-counted-length = Some characters you typed (emoji, or accents typed apart) count as more than one: Meta counts { $counted } characters here, and the limit is { $max }.

## Variables: $char is the offending character; $length the measured length; $min and $max the allowed range; $id a business portfolio ID read from a link.

finding-store-account-charset = It contains “{ $char }”, which isn’t allowed: use only lowercase letters (a–z) and digits.
finding-store-account-space = It contains spaces: the account name is one word of lowercase letters and digits.
finding-store-account-length =
    { $length ->
        [one] It has { $length } character; it must have between { $min } and { $max }.
       *[other] It has { $length } characters; it must have between { $min } and { $max }.
    }
finding-email-too-long =
    { $length ->
        [one] The address has { $length } character; the limit is { $max }.
       *[other] The address has { $length } characters; the limit is { $max }.
    }
finding-email-invalid = That doesn’t look like an e-mail address. Example: contact@mystore.com
finding-business-id-not-digits = The ID must contain only digits, but it contains “{ $char }”.
finding-business-id-length =
    { $length ->
        [one] The ID has { $length } digit; a business portfolio ID usually has 15 or 16, and never fewer than { $min } or more than { $max }.
       *[other] The ID has { $length } digits; a business portfolio ID usually has 15 or 16, and never fewer than { $min } or more than { $max }.
    }
finding-business-id-unusual-length = Business portfolio IDs usually have 15 or 16 digits, and this one has { $length }. Make sure it is the business portfolio ID, not the ID of an ad account or a page.
finding-business-id-read-from-link = Read from the link: business portfolio ID { $id }.
finding-business-id-waba-id = That is the ID of a WhatsApp Business Account (WABA), not of the business portfolio. In Meta Business Suite, open Settings > Business info and copy the ID under the business name.
finding-business-id-asset-id = That link points to a Page or another asset (asset_id), not to the business portfolio. In Meta Business Suite, open Settings > Business info and copy the ID under the business name.
finding-business-id-page-id = That is the ID of a Facebook Page, not of the business portfolio. In Meta Business Suite, open Settings > Business info and copy the ID under the business name.
finding-business-id-ad-account-id = That is the ID of an ad account, not of the business portfolio. In Meta Business Suite, open Settings > Business info and copy the ID under the business name.
finding-business-id-page-link = That is the address of a Facebook or Instagram page; we need the business portfolio ID. In Meta Business Suite, open Settings > Business info and copy the ID under the business name.
finding-business-id-link-without-id = That link doesn’t carry a business portfolio ID (business_id=). In Meta Business Suite, open Settings > Business info and copy the ID under the business name, or the address of that page.

## Variables: $char is an invisible character (U+200B); $length the measured length; $max and $comfortable limits in characters.

finding-description-too-long =
    { $length ->
        [one] It has { $length } character; the limit is { $max }.
       *[other] It has { $length } characters; the limit is { $max }.
    }
finding-description-long =
    { $length ->
        [one] It has { $length } character; WhatsApp shows about the first { $comfortable }, so put the essentials first.
       *[other] It has { $length } characters; WhatsApp shows about the first { $comfortable }, so put the essentials first.
    }

## Variables: $char is an invisible character (U+200B); $length, $min and $max lengths; $symbol, $emoji, $word and $punctuation the offending text; $name the display name.

finding-display-name-invisible-char = It contains an invisible or text-direction character ({ $char }), which Meta doesn’t accept. Type the name instead of pasting it.
finding-display-name-control-char = It contains a control character ({ $char }).
finding-display-name-length =
    { $length ->
        [one] It has { $length } character; a display name has between { $min } and { $max }.
       *[other] It has { $length } characters; a display name has between { $min } and { $max }.
    }
finding-display-name-symbol = Meta doesn’t accept the symbol { $symbol } in display names.
finding-display-name-emoji = Meta doesn’t accept emoji in display names ({ $emoji }).
finding-display-name-email = A display name can’t be an e-mail address.
finding-display-name-url = A display name can’t be a web address: use the brand name itself.
finding-display-name-all-caps = Write it with normal capitalization (“Loja Azul”, not “LOJA AZUL”); only short acronyms such as “IBM” may be all capitals.
finding-display-name-reserved-word = “{ $word }” can’t be used: Meta reserves its brand names (WhatsApp, Facebook, Instagram, Meta) and words such as “official” and “verified”.
finding-display-name-repeated-punctuation = Repeated punctuation (“{ $punctuation }”) isn’t allowed.
finding-display-name-generic = “{ $word }” is only a generic term: Meta refuses names that don’t identify your brand (its own examples are “Juice” and “Fashion”). Add your brand’s own name.
finding-display-name-place = “{ $word }” is only a place name: Meta refuses names that are only a geographic location. Add your brand’s own name.
finding-display-name-odd-case = The capital letters in “{ $word }” look random: Meta asks for normal capitalization (“Loja Azul”). Brand styles such as “iFood” are fine.
finding-display-name-lower-case = The name is all in lower case; Meta asks for normal capitalization (“Loja Azul”, not “loja azul”).
finding-display-name-promotional = Promotional wording (“{ $word }”) may lead Meta to refuse the name.
finding-display-name-brand-match = “{ $name }” must be the brand customers see on your website; a person will compare them.

## Variables: $bytes is a file size in bytes; $max a limit (bytes or pixels); $format a file format (GIF, SVG, PDF); $width, $height, $side, $min and $recommended sizes in pixels.

finding-logo-empty = The file is empty.
finding-logo-too-large =
    { $bytes ->
        [one] The file has { $bytes } byte; the limit is { $max } bytes (5 MB).
       *[other] The file has { $bytes } bytes; the limit is { $max } bytes (5 MB).
    }
finding-logo-unsupported-format = This is a { $format } file; the logo must be a JPEG or PNG image.
finding-logo-unknown-format = This file isn’t an image WhatsApp accepts: the logo must be a JPEG or PNG image.
finding-logo-corrupt = The image is damaged or incomplete; please export it again.
finding-logo-dimensions-too-large =
    { $height ->
        [one] The image is { $width }×{ $height } pixel; the largest side accepted is { $max } pixels.
       *[other] The image is { $width }×{ $height } pixels; the largest side accepted is { $max } pixels.
    }
finding-logo-decode-limit = The image needs too much memory to open; please export it at 640×640 pixels.
finding-logo-not-square =
    { $height ->
        [one] The image is { $width }×{ $height } pixel; it must be square (the same width and height).
       *[other] The image is { $width }×{ $height } pixels; it must be square (the same width and height).
    }
finding-logo-too-small =
    { $height ->
        [one] The image is { $width }×{ $height } pixel; it must be at least { $min }×{ $min }.
       *[other] The image is { $width }×{ $height } pixels; it must be at least { $min }×{ $min }.
    }
finding-logo-not-recommended-size =
    { $side ->
        [one] The image is { $side }×{ $side } pixel; WhatsApp shows { $recommended }×{ $recommended }, so it will be resized.
       *[other] The image is { $side }×{ $side } pixels; WhatsApp shows { $recommended }×{ $recommended }, so it will be resized.
    }
finding-logo-transparency = The image has transparent areas: WhatsApp shows them on black and crops the picture to a circle.
finding-logo-file-not-found = There is no file at that path.
finding-logo-is-directory = That path is a folder, not a file.
finding-logo-not-a-file = That path is not an ordinary file (it is a device, a pipe or a socket): give the path of the image file itself.
finding-logo-unreadable = The file couldn’t be read; check its permissions.

## Variables: $number is the short number as typed, or the number as read (+52 55 1234 5678); $reference a request reference (WA-000042).

finding-phone-missing-country-code = Add the country code, starting with + (for example +55 11 98765-4321).
finding-phone-too-long = The number has too many digits.
finding-phone-invalid-country-code = That country code doesn’t exist.
finding-phone-invalid = That isn’t a valid phone number: check the area code and the number of digits.
finding-phone-short-code = { $number } is a short number (an emergency, service or SMS short code). WhatsApp needs a full phone number with its country and area code.
finding-phone-extension = A number with an extension can’t receive the registration code: use a direct line.
finding-phone-fixed-line = This is a landline: the registration code will come by voice call, so the line must be answered directly (no menu, IVR or call forwarding).
finding-phone-toll-free = This is a toll-free number: the registration code comes by a voice call from abroad, which many toll-free lines can’t receive. Make sure it is answered directly, with no menu or forwarding.
finding-phone-voip = This is a VoIP number: the registration code will come by SMS or voice call, which some VoIP services don’t deliver. Make sure yours does.
finding-phone-uan = This is a company (universal access) number: the registration code will come by voice call, so it must reach a person directly, with no menu or forwarding.
finding-phone-shared-cost = This is a shared-cost number; a person will check that it can receive the registration code.
finding-phone-personal-number = This is a personal (follow-me) number, which forwards calls; a person will check that it can receive the registration code.
finding-phone-premium-rate = This is a premium-rate number; a person will check whether it can be used.
finding-phone-pager = This is a pager number, which can’t receive the registration code.
finding-phone-voicemail = This is a voicemail access number, which can’t receive the registration code.
finding-phone-unknown-type = The type of this number couldn’t be determined, so it can’t be used.
finding-phone-read-from-link = Number read from the link: { $number }.
finding-phone-old-mexican-mobile-prefix = Mexican mobile numbers no longer take a 1 after +52, so I read it as { $number }.
finding-phone-brazilian-ninth-digit = Brazilian mobile numbers now have a 9 after the area code, so I read it as { $number }.
finding-phone-short-link = A wa.me/message link doesn’t show the number it opens: type the number itself, with the country code.
finding-phone-link-without-number = That WhatsApp link holds no phone number: type the number itself, with the country code.
finding-phone-link-elsewhere = That link isn’t a WhatsApp link with a phone number: type the number itself, with the country code.
finding-phone-duplicate = This number is already on request { $reference }, which is still open. Use another number, or follow that request with /status.
finding-phone-not-owned = The number must belong to your company; an employee’s personal number can’t be used. Type /back to give another number.
finding-phone-not-reachable = Meta sends the registration code by SMS or voice call from abroad, so the number must be able to receive them. Ask your carrier to allow international calls and SMS, or type /back to give another number.
finding-phone-in-use-consumer-app = The number is on the WhatsApp app: delete that account (WhatsApp > Settings > Account > Delete my account) before registration, or the registration will fail.
finding-phone-in-use-business-app = The number is on the WhatsApp Business app: it can stay there through the coexistence onboarding, which our team will set up with you.

## Variables: $input is what the merchant typed; $category a category label.

finding-category-unknown = “{ $input }” isn’t one of the categories; pick one from the list.
finding-category-restricted = { $category } is restricted by Meta’s commerce policies; a person will review it.
