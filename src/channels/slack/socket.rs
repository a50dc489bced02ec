//! Socket Mode (<https://api.slack.com/apis/socket-mode>), for a team whose host has no public
//! URL: the app opens a WebSocket to Slack (`apps.connections.open` with the app-level token)
//! and receives there what Slack would have posted to the HTTP routes: events, slash commands
//! and interactions, each in an envelope. Each is handled by the same methods as over HTTP and
//! acknowledged with the answer's payload (a command's text, a modal's errors); one whose
//! handling failed is left unacknowledged, and Slack sends it again. When Slack says
//! `disconnect`, or the connection drops, a new one is opened (after a pause that grows to a
//! minute while Slack cannot be reached).

use super::{Answer, Payload, Slack};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use slack_morphism::prelude::{SlackCommandEvent, SlackInteractionEvent, SlackPushEvent};
use std::time::Duration;
use tokio::sync::watch;
use tokio_tungstenite::tungstenite::Message as Frame;

/// The longest pause before connecting again.
const MAX_PAUSE: Duration = Duration::from_secs(60);

impl Slack {
    /// Runs Socket Mode until `stop` turns true; does nothing without an app-level token.
    pub async fn socket_mode(self, mut stop: watch::Receiver<bool>) {
        let Some(token) = self.inner.settings.app_token.clone() else {
            return;
        };
        let mut pause = Duration::from_secs(1);
        while !*stop.borrow() {
            match self.connection(&token, &mut stop).await {
                Ok(()) => pause = Duration::from_secs(1),
                Err(error) => {
                    tracing::warn!(
                        error = format!("{error:#}"),
                        "Slack Socket Mode connection lost"
                    );
                    pause = (pause * 2).min(MAX_PAUSE);
                }
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => {}
            }
        }
    }

    /// One connection: opened, served until Slack asks to reconnect, it drops, or `stop`.
    async fn connection(
        &self,
        token: &str,
        stop: &mut watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let opened = self
            .call_as(token, "apps.connections.open", Payload::Json(&json!({})))
            .await?;
        let url = opened["url"]
            .as_str()
            .ok_or_else(|| anyhow::anyhow!("Slack apps.connections.open: no url"))?;
        let (mut socket, _) = tokio_tungstenite::connect_async(url).await?;
        tracing::info!("Slack Socket Mode connected");
        loop {
            let frame = tokio::select! {
                frame = socket.next() => frame,
                _ = stop.changed() => {
                    let _ = socket.close(None).await;
                    return Ok(());
                }
            };
            let text = match frame {
                None => return Ok(()),
                Some(Err(error)) => return Err(error.into()),
                Some(Ok(Frame::Text(text))) => text,
                Some(Ok(Frame::Ping(data))) => {
                    socket.send(Frame::Pong(data)).await?;
                    continue;
                }
                Some(Ok(Frame::Close(_))) => return Ok(()),
                Some(Ok(_)) => continue,
            };
            let Ok(envelope) = serde_json::from_str::<Value>(&text) else {
                tracing::warn!("Slack Socket Mode: a frame that is not JSON");
                continue;
            };
            match envelope["type"].as_str() {
                Some("hello") => continue,
                Some("disconnect") => {
                    tracing::info!("Slack asks to reconnect");
                    let _ = socket.close(None).await;
                    return Ok(());
                }
                _ => {}
            }
            let Some(id) = envelope["envelope_id"].as_str() else {
                continue;
            };
            let answer = self.envelope(&envelope).await;
            if answer.status.is_server_error() {
                // Not acknowledged: Slack sends it again.
                continue;
            }
            let mut ack = json!({ "envelope_id": id });
            if let Some(body) = answer.body {
                ack["payload"] = body;
            }
            socket.send(Frame::Text(ack.to_string())).await?;
        }
    }

    /// What an envelope's payload is answered, handled as over HTTP.
    async fn envelope(&self, envelope: &Value) -> Answer {
        let payload = envelope["payload"].clone();
        let bad = || Answer::status(axum::http::StatusCode::BAD_REQUEST);
        match envelope["type"].as_str() {
            Some("events_api") => match serde_json::from_value::<SlackPushEvent>(payload) {
                Ok(event) => self.on_event(event).await,
                Err(_) => bad(),
            },
            Some("slash_commands") => match serde_json::from_value::<SlackCommandEvent>(payload) {
                Ok(command) => self.on_command(command).await,
                Err(_) => bad(),
            },
            Some("interactive") => match serde_json::from_value::<SlackInteractionEvent>(payload) {
                Ok(interaction) => self.on_interaction(interaction).await,
                Err(_) => bad(),
            },
            _ => Answer::ok(),
        }
    }
}
