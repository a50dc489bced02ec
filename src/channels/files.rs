//! Reading a logo file from a path without trusting it: the size is checked before anything is
//! read, and never more than the limit plus one byte is read.

use crate::conversation::FileProblem;
use crate::domain::Logo;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A path as a person types or drags it into a terminal: surrounding quotes, a `file://` prefix
/// and a leading `~/` are understood.
pub fn clean_path(input: &str) -> PathBuf {
    let mut text = input.trim();
    for quote in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            text = &text[1..text.len() - 1];
        }
    }
    let text = text.strip_prefix("file://").unwrap_or(text);
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(rest);
    }
    PathBuf::from(text)
}

/// Reads a logo file: its name and bytes, or why it could not be read.
pub fn read_logo(path: &Path) -> Result<(String, Vec<u8>), FileProblem> {
    let metadata = std::fs::metadata(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => FileProblem::NotFound,
        _ => FileProblem::Unreadable,
    })?;
    if metadata.is_dir() {
        return Err(FileProblem::IsDirectory);
    }
    // A named pipe would block the open until something writes to it, a device could be read
    // forever: only ordinary files are opened.
    if !metadata.is_file() {
        return Err(FileProblem::NotARegularFile);
    }
    if metadata.len() > Logo::MAX_BYTES {
        return Err(FileProblem::TooLarge {
            bytes: metadata.len(),
        });
    }
    let file = std::fs::File::open(path).map_err(|_| FileProblem::Unreadable)?;
    let mut bytes = Vec::new();
    file.take(Logo::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| FileProblem::Unreadable)?;
    if bytes.len() as u64 > Logo::MAX_BYTES {
        return Err(FileProblem::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}

/// The format to name when a declared media type is not an image (`application/pdf` → `PDF`).
pub fn not_an_image(media_type: &str) -> Option<String> {
    let (kind, sub) = media_type.split_once('/')?;
    // A generic type says nothing: the bytes decide.
    let generic = media_type.eq_ignore_ascii_case("application/octet-stream");
    (!kind.eq_ignore_ascii_case("image") && !generic).then(|| {
        sub.split(['+', ';', '.', '-'])
            .next_back()
            .unwrap_or(sub)
            .trim()
            .to_uppercase()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ordinary_files_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("logo.png");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(read_logo(&pipe), Err(FileProblem::NotARegularFile));
        }
        assert_eq!(
            read_logo(Path::new("/dev/zero")),
            Err(FileProblem::NotARegularFile)
        );
        assert_eq!(read_logo(dir.path()), Err(FileProblem::IsDirectory));
        assert_eq!(
            read_logo(&dir.path().join("missing.png")),
            Err(FileProblem::NotFound)
        );
    }
}
