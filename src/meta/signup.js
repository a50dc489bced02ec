// The signup page: opens Meta's Embedded Signup with what the bot validated, and posts the
// session's outcome to the bot. Every text it shows comes from the page's configuration.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("signup-config").textContent);
  var status = document.getElementById("status");
  var button = document.getElementById("launch");
  var session = null;
  var code = null;
  var sent = false;

  function show(text) {
    status.textContent = text;
  }

  function post(body) {
    if (sent) {
      return;
    }
    sent = true;
    button.disabled = true;
    show(config.text.sending);
    fetch(config.events, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Signup-Csrf": config.csrf },
      body: JSON.stringify(body)
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          show(answer.message || config.text.network);
          document.body.setAttribute("data-outcome", answer.outcome || "refused");
        });
      })
      .catch(function () {
        sent = false;
        button.disabled = false;
        show(config.text.network);
      });
  }

  // FINISH needs both the session's ids (the message) and the code (the login callback).
  function finishWhenReady() {
    if (session !== null && code !== null) {
      var body = { event: "FINISH", waba_id: String(session.waba_id) };
      if (session.phone_number_id) {
        body.phone_number_id = String(session.phone_number_id);
      }
      if (code) {
        body.code = code;
      }
      post(body);
    }
  }

  window.addEventListener("message", function (event) {
    if (config.origins.indexOf(event.origin) < 0) {
      return;
    }
    var message;
    try {
      message = typeof event.data === "string" ? JSON.parse(event.data) : event.data;
    } catch (e) {
      return;
    }
    if (!message || message.type !== "WA_EMBEDDED_SIGNUP") {
      return;
    }
    var data = message.data || {};
    if (String(message.event).indexOf("FINISH") === 0 && data.waba_id) {
      session = data;
      finishWhenReady();
    } else if (data.error_message) {
      post({
        event: "ERROR",
        error_message: String(data.error_message),
        error_id: data.error_id ? String(data.error_id) : undefined
      });
    } else if (message.event === "CANCEL") {
      post({ event: "CANCEL", current_step: data.current_step ? String(data.current_step) : undefined });
    }
  });

  window.fbAsyncInit = function () {
    FB.init({ appId: config.app_id, autoLogAppEvents: true, xfbml: false, version: config.version });
    button.disabled = false;
    show(config.text.ready);
  };

  button.addEventListener("click", function () {
    show(config.text.opened);
    FB.login(
      function (response) {
        code = response && response.authResponse && response.authResponse.code
          ? String(response.authResponse.code)
          : "";
        finishWhenReady();
      },
      {
        config_id: config.config_id,
        response_type: "code",
        override_default_response_type: true,
        extras: { setup: config.setup, featureType: "", sessionInfoVersion: "3" }
      }
    );
  });
})();
