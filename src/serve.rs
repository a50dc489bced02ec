//! `waba-onboard serve`: the long-running process. HTTP endpoints, outbox workers on every
//! instance, and the scheduler (the draft sweep) on one instance at a time through a lease in
//! the database. SIGTERM or SIGINT stops it cleanly: no new request is taken, workers stop
//! claiming, work in flight finishes, the lease is released.

use crate::app::Enabled;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::domain::Message;
use crate::http::{AppState, router};
use crate::storage::Store;
use crate::telemetry::metrics;
use crate::tickets::{RetryPolicy, Worker};
use anyhow::Context;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// Why `serve` could not start, as the operator reads it.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.id)]
pub struct StartError(pub Message);

/// The lease of the scheduler.
const SCHEDULER_LEASE: &str = "scheduler";

/// Runs until SIGTERM or SIGINT.
pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = Store::connect(&config.database_url)
        .await
        .map_err(|error| {
            tracing::error!(error = format!("{error:#}"), "cannot open the database");
            StartError(
                Message::new("cli-database-unavailable")
                    .text("url", crate::config::redact_url(&config.database_url)),
            )
        })?;
    let instance = crate::telemetry::instance().to_owned();
    tracing::info!(%instance, "starting");
    tokio::task::spawn_blocking(crate::domain::BusinessPhone::load_metadata);
    announce_channels(&config);

    let (stop, stopped) = watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let policy = RetryPolicy {
        max_attempts: i64::from(config.outbox.max_attempts),
        ..RetryPolicy::default()
    };
    let channels = Enabled::from_config(&config, &store, Arc::new(SystemClock));
    let mut webhooks = axum::Router::new();
    if let Some(telegram) = &channels.telegram {
        telegram.setup().await.map_err(|error| {
            tracing::error!(error = %error, "cannot set up the Telegram bot");
            StartError(Message::new("serve-telegram-unavailable"))
        })?;
        webhooks = webhooks.merge(telegram.router());
        tracing::info!(
            mode = if telegram.uses_webhook() {
                "webhook"
            } else {
                "long polling"
            },
            "Telegram channel enabled"
        );
        if !telegram.uses_webhook() {
            tasks.spawn(telegram.clone().poll(instance.clone(), stopped.clone()));
        }
    }
    if let Some(discord) = &channels.discord {
        discord.setup().await.map_err(|error| {
            tracing::error!(error = %error, "cannot register the Discord commands");
            StartError(Message::new("serve-discord-unavailable"))
        })?;
        webhooks = webhooks.merge(discord.router());
        tracing::info!("Discord channel enabled (interactions at /webhooks/discord)");
    }
    if let Some(slack) = &channels.slack {
        webhooks = webhooks.merge(slack.router());
        tracing::info!("Slack channel enabled (requests at /webhooks/slack/…)");
        if slack.uses_socket_mode() {
            tasks.spawn(slack.clone().socket_mode(stopped.clone()));
            tracing::info!("Slack Socket Mode enabled");
        }
    }
    if let Some(zendesk) = &channels.zendesk {
        webhooks = webhooks.merge(crate::tickets::zendesk::router(
            zendesk,
            Arc::new(SystemClock),
        ));
        tracing::info!("Zendesk desk enabled (webhook at /webhooks/zendesk)");
    }
    if let Some(meta) = &channels.meta {
        webhooks = webhooks.merge(crate::meta::webhook::router(
            meta.app_secret.clone(),
            meta.verify_token.clone(),
            crate::service::meta::MetaService::new(store.clone(), Arc::new(SystemClock)),
        ));
        tracing::info!(
            graph = meta.graph.is_some(),
            register_from_chat = meta.register_from_chat,
            "Meta enabled (webhook at /webhooks/meta)"
        );
    }
    if let Some(signup) = &channels.signup {
        webhooks = webhooks.merge(crate::meta::signup::router(
            crate::service::signup::SignupService::new(
                store.clone(),
                Arc::new(SystemClock),
                signup.clone(),
            ),
        ));
        tracing::info!(
            public_url = %signup.public_url,
            "Embedded Signup offered (pages at /signup/…)"
        );
    }
    let worker = channels
        .worker(&store, Arc::new(SystemClock), policy)
        .with_job_lease(Duration::from_secs(config.outbox.job_lease_secs));
    let interval = Duration::from_millis(config.outbox.poll_interval_ms);
    for _ in 0..config.outbox.workers {
        tasks.spawn(
            worker
                .clone()
                .without_scheduler()
                .run(interval, stopped.clone()),
        );
    }
    tasks.spawn(scheduler(
        store.clone(),
        worker.clone(),
        instance.clone(),
        Duration::from_secs(config.leader.lease_secs),
        stopped.clone(),
    ));

    let listener = tokio::net::TcpListener::bind(&config.http_addr)
        .await
        .map_err(|error| {
            tracing::error!(%error, addr = %config.http_addr, "cannot listen");
            StartError(Message::new("serve-cannot-listen").text("addr", config.http_addr.clone()))
        })?;
    tracing::info!(addr = %listener.local_addr()?, "listening");
    let app = router(
        AppState {
            store: store.clone(),
        },
        webhooks,
    );
    let mut http_stopped = stopped.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = http_stopped.wait_for(|s| *s).await;
    });
    let signal = tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("stopping: finishing work in flight");
        let _ = stop.send(true);
    });
    server.await.context("HTTP server failed")?;
    signal.abort();

    let grace = Duration::from_secs(config.outbox.shutdown_grace_secs);
    if let Some(discord) = &channels.discord {
        discord.finish(grace).await;
    }
    if tokio::time::timeout(grace, async { while tasks.join_next().await.is_some() {} })
        .await
        .is_err()
    {
        tracing::warn!("work still running after the grace period; stopping anyway");
        tasks.abort_all();
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn announce_channels(config: &Config) {
    if config.telegram.token.is_none() && config.discord.application_id.is_none() {
        tracing::info!("no chat channel enabled: serving HTTP and running the outbox only");
    }
}

/// Holds the scheduler lease while it can; the holder sweeps idle drafts and the boards.
async fn scheduler(
    store: Store,
    worker: Worker,
    instance: String,
    lease: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let ttl = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::seconds(15));
    let mut leader = false;
    loop {
        if *stop.borrow() {
            break;
        }
        match store
            .hold_lease(SCHEDULER_LEASE, &instance, chrono::Utc::now(), ttl)
            .await
        {
            Ok(held) => {
                if held != leader {
                    tracing::info!(leader = held, "scheduler lease changed hands");
                }
                leader = held;
            }
            Err(error) => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    "cannot renew the scheduler lease"
                );
                leader = false;
            }
        }
        metrics().leader.set(i64::from(leader));
        if leader {
            worker.sweep().await;
        }
        tokio::select! {
            _ = tokio::time::sleep(lease / 3) => {}
            _ = stop.changed() => {}
        }
    }
    if leader {
        let _ = store.release_lease(SCHEDULER_LEASE, &instance).await;
        metrics().leader.set(0);
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
