//! The profile picture: JPEG or PNG by its bytes (never by its name), at most 5 MiB, square, at
//! least 192 px a side; 640 px is what WhatsApp shows, and transparency turns black once cropped
//! to a circle, so both earn a warning.
//!
//! Hostile files are cheap to refuse: the size is checked first, the dimensions come from the
//! header before any pixel is decoded, and decoding runs under `image::Limits`, so a PNG that
//! claims 50000×50000 is refused without allocating its pixels.

use super::finding::{Finding, Parsed, Rejection, Verdict, conclude};
use image::{ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::sync::Arc;

/// Formats WhatsApp takes for a profile picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogoFormat {
    /// Portable Network Graphics.
    Png,
    /// JPEG.
    Jpeg,
}

impl LogoFormat {
    /// Stable lowercase name (`png`, `jpeg`).
    pub fn as_str(self) -> &'static str {
        match self {
            LogoFormat::Png => "png",
            LogoFormat::Jpeg => "jpeg",
        }
    }

    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            LogoFormat::Png => "image/png",
            LogoFormat::Jpeg => "image/jpeg",
        }
    }
}

/// A checked logo: its bytes and what was measured.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logo {
    /// The format, from the magic bytes.
    pub format: LogoFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Size of the file in bytes.
    pub byte_size: u64,
    /// The file itself. Not serialized with the rest: storage keeps it apart.
    #[serde(skip)]
    pub bytes: Arc<[u8]>,
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo")
            .field("format", &self.format)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("byte_size", &self.byte_size)
            .finish_non_exhaustive()
    }
}

impl Logo {
    /// Largest file accepted: 5 MiB.
    pub const MAX_BYTES: u64 = 5 * 1024 * 1024;
    /// Smallest side.
    pub const MIN_SIDE: u32 = 192;
    /// The side WhatsApp displays.
    pub const RECOMMENDED_SIDE: u32 = 640;
    /// Largest side we decode.
    pub const MAX_SIDE: u32 = 4096;
    /// Memory the decoder may use: a 4096² RGBA image and some slack.
    const MAX_DECODE_ALLOC: u64 = 4096 * 4096 * 4 + 8 * 1024 * 1024;

    /// Checks a logo file.
    pub fn parse(bytes: &[u8]) -> Result<Parsed<Logo>, Rejection> {
        let byte_size = bytes.len() as u64;
        if byte_size == 0 {
            return Err(reject("logo.empty"));
        }
        if byte_size > Self::MAX_BYTES {
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "logo.too_large")
                    .num("bytes", byte_size as i64)
                    .num("max", Self::MAX_BYTES as i64),
            ));
        }
        let format = match sniff(bytes) {
            Sniffed::Png => LogoFormat::Png,
            Sniffed::Jpeg => LogoFormat::Jpeg,
            Sniffed::Other(name) => {
                return Err(Rejection::one(
                    Finding::new(Verdict::Reject, "logo.unsupported_format").text("format", name),
                ));
            }
            Sniffed::Unknown => {
                return Err(reject("logo.unknown_format"));
            }
        };
        let image_format = match format {
            LogoFormat::Png => ImageFormat::Png,
            LogoFormat::Jpeg => ImageFormat::Jpeg,
        };
        let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format)
            .into_dimensions()
            .map_err(|_| reject("logo.corrupt"))?;
        if width > Self::MAX_SIDE || height > Self::MAX_SIDE {
            return Err(Rejection::one(
                Finding::new(Verdict::Reject, "logo.dimensions_too_large")
                    .num("width", width)
                    .num("height", height)
                    .num("max", Self::MAX_SIDE),
            ));
        }
        let mut findings = Vec::new();
        if width != height {
            findings.push(
                Finding::new(Verdict::Reject, "logo.not_square")
                    .num("width", width)
                    .num("height", height),
            );
        }
        if width.min(height) < Self::MIN_SIDE {
            findings.push(
                Finding::new(Verdict::Reject, "logo.too_small")
                    .num("width", width)
                    .num("height", height)
                    .num("min", Self::MIN_SIDE),
            );
        }
        if !findings.is_empty() {
            return Err(Rejection { findings });
        }
        if format == LogoFormat::Jpeg && !has_end_of_image(bytes) {
            return Err(reject("logo.corrupt"));
        }
        let transparent = decode_and_check_alpha(bytes, image_format)?;
        if width != Self::RECOMMENDED_SIDE {
            findings.push(
                Finding::new(Verdict::Warn, "logo.not_recommended_size")
                    .num("side", width)
                    .num("recommended", Self::RECOMMENDED_SIDE),
            );
        }
        if transparent {
            findings.push(Finding::new(Verdict::Warn, "logo.transparency"));
        }
        conclude(
            Logo {
                format,
                width,
                height,
                byte_size,
                bytes: Arc::from(bytes),
            },
            findings,
        )
    }
}

fn reject(code: &str) -> Rejection {
    Rejection::one(Finding::new(Verdict::Reject, code))
}

/// Decodes every pixel (so a truncated file is caught) under memory limits, and tells whether
/// any pixel is not fully opaque.
fn decode_and_check_alpha(bytes: &[u8], format: ImageFormat) -> Result<bool, Rejection> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(Logo::MAX_SIDE);
    limits.max_image_height = Some(Logo::MAX_SIDE);
    limits.max_alloc = Some(Logo::MAX_DECODE_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|_| reject("logo.corrupt"))?;
    let has_alpha = decoder.color_type().has_alpha();
    let image = image::DynamicImage::from_decoder(decoder).map_err(|error| match error {
        image::ImageError::Limits(_) => reject("logo.decode_limit"),
        _ => reject("logo.corrupt"),
    })?;
    if !has_alpha {
        return Ok(false);
    }
    Ok(image.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX))
}

/// Whether a JPEG carries its end-of-image marker near its end. Decoders fill a truncated scan
/// with grey rather than fail, so this is how a cut-off upload is caught.
fn has_end_of_image(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(2).any(|w| w == [0xFF, 0xD9])
}

enum Sniffed {
    Png,
    Jpeg,
    Other(&'static str),
    Unknown,
}

/// The format by magic bytes.
fn sniff(bytes: &[u8]) -> Sniffed {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Png
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Sniffed::Other("GIF")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Sniffed::Other("WebP")
    } else if starts(b"%PDF") {
        Sniffed::Other("PDF")
    } else if starts(b"BM") {
        Sniffed::Other("BMP")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Sniffed::Other("TIFF")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        match bytes.get(8..12) {
            Some(b"avif") | Some(b"avis") => Sniffed::Other("AVIF"),
            _ => Sniffed::Other("HEIC"),
        }
    } else if looks_like_svg(bytes) {
        Sniffed::Other("SVG")
    } else {
        Sniffed::Unknown
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageBuffer, Rgb, Rgba};

    fn png(width: u32, height: u32, alpha: u8) -> Vec<u8> {
        let img = ImageBuffer::from_pixel(width, height, Rgba([10u8, 20, 30, alpha]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let img = ImageBuffer::from_pixel(width, height, Rgb([200u8, 20, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Jpeg).unwrap();
        out.into_inner()
    }

    fn codes(result: Result<Parsed<Logo>, Rejection>) -> Vec<String> {
        match result {
            Ok(p) => p.findings.into_iter().map(|f| f.code).collect(),
            Err(r) => r.findings.into_iter().map(|f| f.code).collect(),
        }
    }

    #[test]
    fn a_square_640_jpeg_is_accepted_as_it_is() {
        let parsed = Logo::parse(&jpeg(640, 640)).unwrap();
        assert_eq!(parsed.value.format, LogoFormat::Jpeg);
        assert_eq!((parsed.value.width, parsed.value.height), (640, 640));
        assert!(parsed.findings.is_empty());
    }

    #[test]
    fn logo_rules_give_their_codes() {
        assert_eq!(codes(Logo::parse(&png(640, 480, 255))), ["logo.not_square"]);
        assert_eq!(codes(Logo::parse(&png(100, 100, 255))), ["logo.too_small"]);
        assert_eq!(
            codes(Logo::parse(&png(500, 500, 255))),
            ["logo.not_recommended_size"]
        );
        assert_eq!(
            codes(Logo::parse(&png(640, 640, 128))),
            ["logo.transparency"]
        );
        assert_eq!(codes(Logo::parse(&[])), ["logo.empty"]);
    }

    #[test]
    fn the_format_comes_from_the_bytes_not_the_name() {
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
        assert_eq!(codes(Logo::parse(&gif)), ["logo.unsupported_format"]);
        let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec();
        assert_eq!(codes(Logo::parse(&svg)), ["logo.unsupported_format"]);
        assert_eq!(
            codes(Logo::parse(b"%PDF-1.7\n")),
            ["logo.unsupported_format"]
        );
        assert_eq!(codes(Logo::parse(b"hello world")), ["logo.unknown_format"]);
    }

    #[test]
    fn a_truncated_jpeg_is_corrupt() {
        let mut bytes = jpeg(640, 640);
        bytes.truncate(bytes.len() / 2);
        assert_eq!(codes(Logo::parse(&bytes)), ["logo.corrupt"]);
    }

    #[test]
    fn a_header_claiming_huge_dimensions_is_refused_before_decoding() {
        // A valid PNG header (IHDR) announcing 50000×50000, with no pixel data at all.
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&50_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(&ihdr);
        bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        for (kind, data) in [
            (
                &b"IDAT"[..],
                &[0x78u8, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..],
            ),
            (b"IEND", &[]),
        ] {
            let mut chunk = kind.to_vec();
            chunk.extend_from_slice(data);
            bytes.extend_from_slice(&(data.len() as u32).to_be_bytes());
            bytes.extend_from_slice(&chunk);
            bytes.extend_from_slice(&crc32(&chunk).to_be_bytes());
        }
        assert_eq!(codes(Logo::parse(&bytes)), ["logo.dimensions_too_large"]);
    }

    #[test]
    fn a_file_over_five_mib_is_refused() {
        let bytes = vec![0u8; (Logo::MAX_BYTES + 1) as usize];
        assert_eq!(codes(Logo::parse(&bytes)), ["logo.too_large"]);
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in data {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_file_of_exactly_five_mib_is_read_not_refused_for_its_size() {
        let mut bytes = png(256, 256, 255);
        bytes.resize(Logo::MAX_BYTES as usize, 0);
        assert!(!codes(Logo::parse(&bytes)).contains(&"logo.too_large".to_owned()));
    }

    #[test]
    fn the_largest_side_decodes_within_the_memory_bound() {
        let img = ImageBuffer::from_pixel(Logo::MAX_SIDE, Logo::MAX_SIDE, Rgb([10u8, 20, 30]));
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        assert_eq!(
            codes(Logo::parse(&out.into_inner())),
            ["logo.not_recommended_size"]
        );
    }

    #[test]
    fn both_byte_orders_of_tiff_are_named_and_formats_have_their_mime_type() {
        for header in [&b"II*\0"[..], &b"MM\0*"[..]] {
            let mut bytes = header.to_vec();
            bytes.resize(64, 0);
            let rejection = Logo::parse(&bytes).unwrap_err();
            assert_eq!(rejection.findings[0].code, "logo.unsupported_format");
            assert!(
                format!("{:?}", rejection.findings[0].args).contains("TIFF"),
                "{rejection:?}"
            );
        }
        assert_eq!(LogoFormat::Png.mime(), "image/png");
        assert_eq!(LogoFormat::Jpeg.mime(), "image/jpeg");
    }
}
