//! Splits libphonenumber's metadata, as the `phonenumber` crate ships it, by country calling
//! code, so that a process loads (and checks the patterns of) only the codes it meets rather
//! than all 240 regions at its first number: about 90 ms of a short `validate` process.
//!
//! The file written, `OUT_DIR/phone-metadata.bin`, is postcard (the crate's own encoding of its
//! database): `(regions, codes)`, where `regions` pairs each region id (`BR`, `001` for
//! non-geographic entities) with its calling code, and `codes` pairs each calling code with the
//! postcard of its regions' `phonenumber::metadata::loader::Metadata`, the region that is main
//! for the code first, as the crate's database keeps them.

use phonenumber::metadata::{DATABASE, Descriptor, Format, Metadata, loader};

fn descriptor(descriptor: &Descriptor) -> loader::Descriptor {
    loader::Descriptor {
        national_number: Some(descriptor.national_number().as_str().to_owned()),
        possible_length: descriptor.possible_length().to_vec(),
        possible_local_length: descriptor.possible_local_length().to_vec(),
        example: descriptor.example().map(str::to_owned),
    }
}

fn format(format: &Format) -> loader::Format {
    loader::Format {
        pattern: Some(format.pattern().as_str().to_owned()),
        format: Some(format.format().to_owned()),
        leading_digits: format
            .leading_digits()
            .iter()
            .map(|re| re.as_str().to_owned())
            .collect(),
        national_prefix_formatting_rule: format.national_prefix().map(str::to_owned),
        national_prefix_optional_when_formatting: format.is_national_prefix_optional(),
        domestic_carrier: format.domestic_carrier().map(str::to_owned),
    }
}

/// A region's metadata as the crate loads it, from the database the crate built of it.
fn unload(meta: &Metadata) -> loader::Metadata {
    let d = meta.descriptors();
    let optional = |found: Option<&Descriptor>| found.map(descriptor);
    loader::Metadata {
        general: Some(descriptor(d.general())),
        fixed_line: optional(d.fixed_line()),
        mobile: optional(d.mobile()),
        toll_free: optional(d.toll_free()),
        premium_rate: optional(d.premium_rate()),
        shared_cost: optional(d.shared_cost()),
        personal_number: optional(d.personal_number()),
        voip: optional(d.voip()),
        pager: optional(d.pager()),
        uan: optional(d.uan()),
        emergency: optional(d.emergency()),
        voicemail: optional(d.voicemail()),
        short_code: optional(d.short_code()),
        standard_rate: optional(d.standard_rate()),
        carrier: optional(d.carrier()),
        no_international: optional(d.no_international()),
        id: Some(meta.id().to_owned()),
        country_code: Some(meta.country_code()),
        international_prefix: meta.international_prefix().map(|re| re.as_str().to_owned()),
        preferred_international_prefix: meta.preferred_international_prefix().map(str::to_owned),
        national_prefix: meta.national_prefix().map(str::to_owned),
        preferred_extension_prefix: meta.preferred_extension_prefix().map(str::to_owned),
        national_prefix_for_parsing: meta
            .national_prefix_for_parsing()
            .map(|re| re.as_str().to_owned()),
        national_prefix_transform_rule: meta.national_prefix_transform_rule().map(str::to_owned),
        formats: meta.formats().iter().map(format).collect(),
        international_formats: meta.international_formats().iter().map(format).collect(),
        main_country_for_code: meta.is_main_country_for_code(),
        leading_digits: meta.leading_digits().map(|re| re.as_str().to_owned()),
        mobile_number_portable: meta.is_mobile_number_portable(),
        defaults: loader::Defaults::default(),
    }
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut regions: Vec<(String, u16)> = DATABASE
        .iter()
        .map(|meta| (meta.id().to_owned(), meta.country_code()))
        .collect();
    regions.sort();
    let mut codes: Vec<u16> = regions.iter().map(|(_, code)| *code).collect();
    codes.sort_unstable();
    codes.dedup();
    let codes: Vec<(u16, Vec<u8>)> = codes
        .into_iter()
        .map(|code| {
            let metas: Vec<loader::Metadata> = DATABASE
                .by_code(&code)
                .unwrap_or_default()
                .into_iter()
                .map(unload)
                .collect();
            let bytes = postcard::to_allocvec(&metas).expect("phone metadata encodes");
            (code, bytes)
        })
        .collect();
    let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set"))
        .join("phone-metadata.bin");
    let bytes = postcard::to_allocvec(&(regions, codes)).expect("phone metadata encodes");
    std::fs::write(out, bytes).expect("OUT_DIR is writable");
}
