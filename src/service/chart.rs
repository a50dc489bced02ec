//! The pipeline as one picture for a phone screen: the funnel of the period (how many of the
//! requests submitted reached each status) above the weekly median time to active. Drawn with
//! `plotters` into a bitmap and encoded as PNG with `image`; the font (DejaVu Sans Condensed,
//! `assets/fonts/`) is embedded in the binary, so no system font is needed.

use crate::domain::{Message, RequestStatus};
use crate::i18n::{self, Locale};
use crate::service::pipeline::PipelineStats;
use chrono::Datelike;
use image::ImageEncoder;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};
use serde::Serialize;
use std::sync::OnceLock;

/// Width of the image, in pixels.
pub const WIDTH: u32 = 1080;
/// Height of the image, in pixels (4:5, a phone held upright).
pub const HEIGHT: u32 = 1350;

const FONT: &str = "DejaVuSansCondensed";
const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSansCondensed.ttf");
const MARGIN: i32 = 48;

const INK: RGBColor = RGBColor(33, 37, 41);
const MUTED: RGBColor = RGBColor(108, 117, 125);
const RULE: RGBColor = RGBColor(222, 226, 230);
const FORWARD: RGBColor = RGBColor(13, 110, 253);
const WAITING: RGBColor = RGBColor(253, 126, 20);
const LIVE: RGBColor = RGBColor(25, 135, 84);
const CLOSED: RGBColor = RGBColor(173, 181, 189);

/// What the chart shows, in the reader's words: the data series behind the picture.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartData {
    /// The period.
    pub title: String,
    /// Nothing happened in the period: the chart says so instead of drawing empty bars.
    pub quiet: Option<String>,
    /// Heading of the funnel.
    pub funnel_title: String,
    /// Each status and how many of the period's requests reached it, in lifecycle order.
    pub funnel: Vec<(String, usize)>,
    /// Heading of the weekly series.
    pub weekly_title: String,
    /// No request went active in the period: said in place of the weekly columns.
    pub weekly_none: Option<String>,
    /// Each week (its Monday, as `11/2` or `2/11`), the median business days to active of the
    /// requests that went active in it, and that value as the reader writes it (`—` for none).
    pub weekly: Vec<(String, Option<f64>, String)>,
}

/// The chart's data for `stats`, labelled in `locale`.
pub fn data(stats: &PipelineStats, locale: Locale) -> ChartData {
    let period = &stats.period;
    ChartData {
        title: i18n::render(
            locale,
            &Message::new("pipeline-title")
                .date("since", period.since)
                .date("until", period.until),
        ),
        quiet: stats
            .is_quiet()
            .then(|| i18n::text(locale, "pipeline-quiet")),
        funnel_title: i18n::render(
            locale,
            &Message::new("chart-funnel-title").num("count", stats.submitted as i64),
        ),
        funnel: stats
            .funnel
            .iter()
            .map(|(status, count)| (i18n::text(locale, &status.staff_message_id()), *count))
            .collect(),
        weekly_title: i18n::text(locale, "chart-weekly-title"),
        weekly_none: (stats.activated == 0).then(|| i18n::text(locale, "pipeline-to-active-none")),
        weekly: stats
            .weeks
            .iter()
            .map(|week| {
                let label = i18n::render(
                    locale,
                    &Message::new("chart-week-label")
                        .num("day", i64::from(week.start.day()))
                        .num("month", i64::from(week.start.month())),
                );
                let median = week.median_days_to_active;
                let value =
                    median.map_or_else(|| "—".to_owned(), |d| i18n::format_decimal(locale, d));
                (label, median, value)
            })
            .collect(),
    }
}

/// The chart of `stats` as a PNG of [`WIDTH`]×[`HEIGHT`] pixels.
///
/// # Errors
/// A drawing or encoding failure (none is expected: the font is embedded).
pub fn render(stats: &PipelineStats, locale: Locale) -> anyhow::Result<Vec<u8>> {
    draw(&data(stats, locale))
}

fn font() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok());
    anyhow::ensure!(ok, "the embedded chart font does not load");
    Ok(())
}

fn style(size: u32, color: &RGBColor) -> TextStyle<'static> {
    (FONT, size).into_font().color(color)
}

fn colour(status: RequestStatus) -> RGBColor {
    match status {
        RequestStatus::Active => LIVE,
        RequestStatus::NeedsInfo | RequestStatus::AwaitingClientApproval => WAITING,
        RequestStatus::Rejected | RequestStatus::Cancelled | RequestStatus::Expired => CLOSED,
        _ => FORWARD,
    }
}

fn failed<E: std::fmt::Display>(error: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart: {error}")
}

/// Draws `data` and encodes it as PNG.
///
/// # Errors
/// A drawing or encoding failure.
pub fn draw(data: &ChartData) -> anyhow::Result<Vec<u8>> {
    font()?;
    let mut pixels = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        // The title at the largest size that fits the width (long month names).
        let room = WIDTH - 2 * MARGIN as u32;
        let mut title = style(44, &INK);
        for size in [44, 40, 36, 32, 28] {
            title = style(size, &INK);
            if root
                .estimate_text_size(&data.title, &title)
                .map_err(failed)?
                .0
                <= room
            {
                break;
            }
        }
        root.draw(&Text::new(data.title.clone(), (MARGIN, MARGIN), title))
            .map_err(failed)?;
        match &data.quiet {
            Some(quiet) => {
                say(&root, quiet, style(36, &MUTED), HEIGHT as i32 / 2 - 60)?;
            }
            None => {
                funnel(&root, data)?;
                weekly(&root, data)?;
            }
        }
        root.present().map_err(failed)?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png).write_image(
        &pixels,
        WIDTH,
        HEIGHT,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(png)
}

type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// Writes a sentence from `top`, wrapped at word boundaries to the image's width.
fn say(root: &Area, text: &str, style: TextStyle, top: i32) -> anyhow::Result<()> {
    let room = WIDTH - 2 * MARGIN as u32;
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let longer = match lines.last() {
            Some(line) => format!("{line} {word}"),
            None => word.to_owned(),
        };
        let fits = root.estimate_text_size(&longer, &style).map_err(failed)?.0 <= room;
        match lines.last_mut() {
            Some(line) if fits => *line = longer,
            _ => lines.push(word.to_owned()),
        }
    }
    let height = root.estimate_text_size("Ág", &style).map_err(failed)?.1 as i32 + 12;
    for (i, line) in lines.into_iter().enumerate() {
        root.draw(&Text::new(
            line,
            (MARGIN, top + i as i32 * height),
            style.clone(),
        ))
        .map_err(failed)?;
    }
    Ok(())
}

/// Top: a row per status, its label above a bar as long as its share of the period's requests.
fn funnel(root: &Area, data: &ChartData) -> anyhow::Result<()> {
    let top = 130;
    root.draw(&Text::new(
        data.funnel_title.clone(),
        (MARGIN, top),
        style(30, &MUTED),
    ))
    .map_err(failed)?;
    let most = data
        .funnel
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    let full = WIDTH as i32 - 2 * MARGIN - 110;
    let row = 66;
    for (i, ((label, count), status)) in data.funnel.iter().zip(RequestStatus::ALL).enumerate() {
        let y = top + 50 + i as i32 * row;
        root.draw(&Text::new(label.clone(), (MARGIN, y), style(26, &INK)))
            .map_err(failed)?;
        let bar_top = y + 32;
        let length = (full as f64 * *count as f64 / most as f64).round() as i32;
        root.draw(&Rectangle::new(
            [(MARGIN, bar_top), (MARGIN + full, bar_top + 24)],
            RULE.mix(0.5).filled(),
        ))
        .map_err(failed)?;
        if length > 0 {
            root.draw(&Rectangle::new(
                [(MARGIN, bar_top), (MARGIN + length, bar_top + 24)],
                colour(status).filled(),
            ))
            .map_err(failed)?;
        }
        root.draw(&Text::new(
            count.to_string(),
            (MARGIN + full + 16, bar_top - 2),
            style(28, &INK),
        ))
        .map_err(failed)?;
    }
    Ok(())
}

/// Bottom: a column per week, as tall as its median business days to active, the value above.
fn weekly(root: &Area, data: &ChartData) -> anyhow::Result<()> {
    let top = 880;
    let bottom = HEIGHT as i32 - 90;
    root.draw(&Text::new(
        data.weekly_title.clone(),
        (MARGIN, top),
        style(30, &MUTED),
    ))
    .map_err(failed)?;
    if let Some(none) = &data.weekly_none {
        return say(root, none, style(30, &MUTED), (top + bottom) / 2 - 30);
    }
    let axis_top = top + 90;
    root.draw(&Rectangle::new(
        [(MARGIN, bottom), (WIDTH as i32 - MARGIN, bottom + 2)],
        INK.filled(),
    ))
    .map_err(failed)?;
    let weeks = data.weekly.len().max(1) as i32;
    let slot = (WIDTH as i32 - 2 * MARGIN) / weeks;
    let most = data
        .weekly
        .iter()
        .filter_map(|(_, days, _)| *days)
        .fold(1.0_f64, f64::max);
    // Labels every few weeks when a long period would crowd them.
    let every = (weeks as usize).div_ceil(8);
    for (i, (label, days, shown)) in data.weekly.iter().enumerate() {
        let x = MARGIN + i as i32 * slot;
        let bar = (slot * 2 / 3).max(2);
        let left = x + (slot - bar) / 2;
        let value = match days {
            Some(days) => {
                let height = ((bottom - axis_top) as f64 * days / most).round() as i32;
                root.draw(&Rectangle::new(
                    [(left, bottom - height), (left + bar, bottom)],
                    LIVE.filled(),
                ))
                .map_err(failed)?;
                bottom - height - 36
            }
            None => bottom - 36,
        };
        if i % every == 0 {
            root.draw(&Text::new(shown.clone(), (left, value), style(26, &INK)))
                .map_err(failed)?;
            root.draw(&Text::new(
                label.clone(),
                (left, bottom + 14),
                style(24, &MUTED),
            ))
            .map_err(failed)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::pipeline::tests::seeded;

    fn decoded(png: &[u8]) -> image::RgbImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png)
            .expect("a PNG")
            .to_rgb8()
    }

    /// Pixels of a colour in the image.
    fn count(image: &image::RgbImage, colour: RGBColor) -> usize {
        image
            .pixels()
            .filter(|p| p.0 == [colour.0, colour.1, colour.2])
            .count()
    }

    #[test]
    fn the_chart_draws_the_funnel_and_the_weeks_in_both_languages() {
        let stats = seeded();
        for locale in Locale::ALL {
            let png = render(&stats, locale).unwrap();
            let image = decoded(&png);
            assert_eq!(image.dimensions(), (WIDTH, HEIGHT));
            // Bars of every kind are there: forward, waiting, live, closed.
            for colour in [FORWARD, WAITING, LIVE, CLOSED] {
                assert!(
                    count(&image, colour) > 500,
                    "{locale:?}: no bar of {colour:?}"
                );
            }
            // Text was drawn: dark pixels outside the bars.
            assert!(count(&image, INK) > 2_000, "{locale:?}: no text");
        }
    }

    #[test]
    fn the_series_are_labelled_in_the_readers_language() {
        let stats = seeded();
        let en = data(&stats, Locale::En);
        assert_eq!(en.funnel[0], ("submitted".to_owned(), 4));
        assert_eq!(
            en.funnel[3],
            ("waiting for the store’s admin to accept".to_owned(), 3)
        );
        assert_eq!(en.weekly[1], ("11/9".to_owned(), Some(5.0), "5".to_owned()));
        assert_eq!(en.weekly[2], ("11/16".to_owned(), None, "—".to_owned()));
        let pt = data(&stats, Locale::PtBr);
        assert_eq!(pt.funnel[0], ("enviada".to_owned(), 4));
        assert_eq!(pt.weekly[1].0, "9/11");
        assert!(
            pt.title.starts_with("Funil de 3 de novembro de 2026"),
            "{}",
            pt.title
        );
        assert_eq!(pt.quiet, None);
        assert_eq!(pt.weekly_none, None);
        let mut none = stats.clone();
        none.activated = 0;
        assert_eq!(
            data(&none, Locale::En).weekly_none.as_deref(),
            Some("No request went active in this period.")
        );
    }

    #[test]
    fn the_data_series_behind_the_picture() {
        let stats = seeded();
        for locale in Locale::ALL {
            let series = serde_json::to_string_pretty(&data(&stats, locale)).unwrap();
            insta::assert_snapshot!(format!("chart_data_{}", locale.tag()), series);
        }
    }

    #[test]
    fn a_quiet_period_says_so_instead_of_drawing_empty_bars() {
        let mut stats = seeded();
        stats.submitted = 0;
        stats.activated = 0;
        for stage in &mut stats.stages {
            stage.stays = 0;
        }
        let chart = data(&stats, Locale::PtBr);
        assert_eq!(
            chart.quiet.as_deref(),
            Some(
                "Nada aconteceu neste período: nenhuma solicitação foi enviada, mudou de status ou foi ativada."
            )
        );
        let image = decoded(&draw(&chart).unwrap());
        assert_eq!(count(&image, FORWARD) + count(&image, LIVE), 0);
        assert!(count(&image, MUTED) > 500, "the message is written");
    }
}
