//! The checks a merchant's answer or an operator's `validate` waits for, as they are felt:
//! `waba-onboard validate` as a whole process (start, the check, exit), and the largest logos
//! accepted (5 MiB, 4096 × 4096) checked in the process, as the conversation does it.
//!
//! `cargo bench --bench checks`; `WABA_CHECKS_RUNS` (20) runs of each, medians printed.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};
use waba_onboard::domain::Logo;

/// A square PNG of noise just under [`Logo::MAX_BYTES`]: noise barely compresses, so the file
/// is as large as accepted (its deflate blocks are stored: cheap to inflate).
fn noise_png() -> Vec<u8> {
    let side = 1300u32;
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let img = image::ImageBuffer::from_fn(side, side, |_, _| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let [r, g, b, ..] = seed.to_le_bytes();
        image::Rgb([r, g, b])
    });
    encode(
        &image::DynamicImage::ImageRgb8(img),
        image::ImageFormat::Png,
    )
}

/// The largest side accepted (4096 × 4096, 16.8 million pixels, all decoded), in `format`,
/// as detailed as fits in [`Logo::MAX_BYTES`]: a busy texture whose low bits are dropped
/// (PNG) or whose quality is lowered (JPEG) step by step until the file fits. The most decoding
/// a logo can ask for.
fn largest_side(format: image::ImageFormat) -> Vec<u8> {
    let side = 4096u32;
    for step in 0..8u32 {
        let mask = 0xFFu8 << step;
        let img = image::ImageBuffer::from_fn(side, side, |x, y| {
            let c = |v: u32| {
                (v % 256) as u8
                    & if format == image::ImageFormat::Png {
                        mask
                    } else {
                        0xFF
                    }
            };
            image::Rgb([c(x * 7), c(y * 3), c(x ^ y)])
        });
        let bytes = match format {
            image::ImageFormat::Jpeg => {
                let mut out = Vec::new();
                let quality = 95 - 5 * step as u8;
                image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
                    .encode_image(&img)
                    .unwrap();
                out
            }
            _ => encode(&image::DynamicImage::ImageRgb8(img), format),
        };
        if bytes.len() as u64 <= Logo::MAX_BYTES {
            return bytes;
        }
    }
    panic!("no {format:?} of 4096 × 4096 fits in 5 MiB");
}

fn encode(img: &image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// The median time `Logo::parse` takes on `bytes`, which it must accept.
fn check(runs: usize, bytes: &[u8]) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                let parsed = Logo::parse(bytes);
                let took = started.elapsed();
                assert!(
                    parsed.is_ok(),
                    "a logo of {} bytes was refused",
                    bytes.len()
                );
                took
            })
            .collect(),
    )
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// The median wall time of `validate ARGS` as a process, and its exit code.
fn validate(runs: usize, args: &[&str]) -> (Duration, Option<i32>) {
    let mut code = None;
    let times = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_waba-onboard"))
                .arg("validate")
                .args(args)
                .env("LANG", "pt_BR.UTF-8")
                .output()
                .unwrap()
                .status;
            code = status.code();
            started.elapsed()
        })
        .collect();
    (median(times), code)
}

fn main() {
    let runs = std::env::var("WABA_CHECKS_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20usize)
        .max(1);
    let logos = [
        ("PNG of noise, 1300 × 1300", noise_png()),
        ("PNG, 4096 × 4096", largest_side(image::ImageFormat::Png)),
        ("JPEG, 4096 × 4096", largest_side(image::ImageFormat::Jpeg)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("logo.png");
    std::fs::write(&file, &logos[0].1).unwrap();
    let small = dir.path().join("small.png");
    std::fs::write(&small, support::logo()).unwrap();

    println!("\nChecks (medians of {runs} runs):");
    for (name, bytes) in &logos {
        assert!(
            bytes.len() as u64 <= Logo::MAX_BYTES,
            "{name}: {} bytes",
            bytes.len()
        );
        println!(
            "  {:<52} {}",
            format!("logo check in process: {name}, {} bytes", bytes.len()),
            ms(check(runs, bytes))
        );
    }
    let file = file.to_string_lossy().into_owned();
    let small = small.to_string_lossy().into_owned();
    for (label, args) in [
        (
            "phone +55 11 98765-4321",
            vec!["phone", "+55 11 98765-4321"],
        ),
        (
            "phone (11) 3456-7890 --region BR",
            vec!["phone", "(11) 3456-7890", "--region", "BR"],
        ),
        ("phone +1 212 555 0123", vec!["phone", "+1 212 555 0123"]),
        ("email ana@loja.com.br", vec!["email", "ana@loja.com.br"]),
        (
            "display-name \"Loja Azul\"",
            vec!["display-name", "Loja Azul"],
        ),
        ("logo (640 × 640 PNG)", vec!["logo", small.as_str()]),
        ("logo (the PNG of noise above)", vec!["logo", file.as_str()]),
    ] {
        let (took, code) = validate(runs, &args);
        println!(
            "  {:<52} {} (exit {})",
            format!("validate {label} (a process)"),
            ms(took),
            code.map_or("-".to_owned(), |c| c.to_string())
        );
    }
}
