/* "Also viewing": while a conversation is open, tell the server every few seconds and show
   who else has it open. The server renders the same note at page load, so without
   JavaScript the page still says who was there when it was opened. No libraries. */
(function () {
  "use strict";

  var box = document.getElementById("presence");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-presence-url");
  var label = box.getAttribute("data-label");
  var seconds = parseInt(box.getAttribute("data-poll-seconds"), 10) || 20;
  var tokenInput = box.querySelector("input[name=csrfmiddlewaretoken]");
  var text = box.querySelector(".presence__text");
  var last = null;

  function show(viewers) {
    var key = viewers.join("\n");
    if (key === last) {
      return; // unchanged: do not make screen readers repeat it
    }
    last = key;
    while (text.firstChild) {
      text.removeChild(text.firstChild);
    }
    if (!viewers.length) {
      return;
    }
    var strong = document.createElement("strong");
    strong.textContent = label;
    text.appendChild(strong);
    text.appendChild(document.createTextNode(" " + viewers.join(", ")));
  }

  function poll() {
    if (document.hidden) {
      return; // a tab in the background is not someone looking
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && data.viewers) { show(data.viewers); } })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  function leave() {
    // keepalive: the request outlives the page that is being closed.
    fetch(url, {
      method: "DELETE",
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": tokenInput ? tokenInput.value : "", "Accept": "application/json" }
    }).catch(function () { /* the entry expires by itself within a minute */ });
  }

  window.setInterval(poll, seconds * 1000);
  window.addEventListener("pagehide", leave);
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    }
  });
})();
