//! waba-onboard: a chat bot that onboards e-commerce stores onto the WhatsApp Business Platform
//! through their commerce partner's support team.

pub mod app;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod http;
pub mod i18n;
pub mod jobs;
pub mod meta;
pub mod serve;
pub mod service;
pub mod storage;
pub mod telemetry;
pub mod tickets;
