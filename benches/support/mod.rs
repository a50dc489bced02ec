//! What the benches send: the real conversation, and a logo as merchants send them.
// Each bench uses part of this module.
#![allow(dead_code)]

use waba_onboard::conversation::Inbound;

/// A logo as merchants send them: 640 × 640, a PNG with some texture (not a flat colour).
pub fn logo() -> Vec<u8> {
    let img = image::ImageBuffer::from_fn(640, 640, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 3 % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// Merchant `n`'s conversation from `/start` to a confirmed request, a wrong answer first at
/// the e-mail, the portfolio ID, the display name and the phone. `n` (below 10⁸) makes the
/// store account, the portfolio ID and the phone number (a São Paulo mobile) theirs alone.
/// The logo carries `logo` (empty where the channel fetches the file itself).
pub fn script(n: i64, logo: &[u8]) -> Vec<Inbound> {
    let (text, choice) = (Inbound::Text, |key: &str| Inbound::Choice(key.to_owned()));
    vec![
        Inbound::Start,
        choice("no"),
        text(format!("loja{n}")),
        text("ana@".into()),
        text(format!("ana@loja{n}.com.br")),
        text("12345".into()),
        text(format!("{}", 100_000_000_000_000 + n)),
        choice("yes"),
        text("WhatsApp".into()),
        text("Loja Azul".into()),
        choice("yes"),
        Inbound::File {
            name: "logo.png".into(),
            bytes: logo.to_vec(),
        },
        text("4004".into()),
        text(format!(
            "+55 11 9{:04}-{:04}",
            n / 10_000 % 10_000,
            n % 10_000
        )),
        choice("yes"),
        choice("yes"),
        choice("not_in_use"),
        choice("RETAIL"),
        choice("skip"),
        choice("verified"),
        choice("confirm"),
    ]
}
