//! waba-onboard: a chat bot that onboards e-commerce stores onto the WhatsApp Business Platform
//! through their commerce partner's support team.

pub mod conversation;
pub mod domain;
pub mod i18n;
