//! Integration tests: one binary, black-box where it can be.

mod cli;
mod console;
mod contract;
mod discord;
mod fleet;
mod lifecycle;
mod listing;
mod meta;
mod privacy;
mod properties;
mod serve;
mod signup;
mod slack;
mod soak;
mod staff;
mod staff_cli;
mod support;
mod telegram;
mod zendesk;
