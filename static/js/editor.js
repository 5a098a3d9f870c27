/* Live check in the post editor and in a channel's own version: asks the server (the
   form's data-preview-url) how each channel counts the text and what would stop the post,
   while the person types. Works without it on save. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) { return; }
  var counts = document.getElementById("preview-counts");
  var problems = document.getElementById("preview-problems");
  var timer = null;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  // The content warning field only while a chosen channel shows one (Mastodon), or while
  // it holds a text (nothing that is published stays out of sight). Decided from the ticked
  // boxes (marked data-content-warning-channel by the server) at once and on every change,
  // so the field does not stand there until the first live check has answered.
  var warning = form.querySelector("[data-content-warning]");
  function showWarning(wanted) {
    if (warning && warning.parentElement) {
      warning.parentElement.hidden = !wanted && !warning.value;
    }
  }
  function warningChannelTicked() {
    return form.querySelector("input[data-content-warning-channel]:checked") !== null;
  }
  showWarning(warningChannelTicked());

  function render(data) {
    showWarning(data.content_warning);
    counts.replaceChildren();
    data.channels.forEach(function (channel) {
      var over = channel.limit && channel.length > channel.limit;
      var line = channel.label + ": " + channel.length +
        (channel.limit ? " / " + channel.limit : "");
      counts.appendChild(text("p", line, over ? "count count--over" : "count"));
    });
    problems.replaceChildren();
    data.problems.forEach(function (problem) {
      var prefix = problem.channel ? problem.channel + ": " : "";
      problems.appendChild(text("li", prefix + problem.message, "problem problem--" + problem.severity));
    });
  }

  function check() {
    var body = new FormData(form);
    fetch(form.dataset.previewUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data) { render(data); }
    }).catch(function () { /* the server check on save still applies */ });
  }

  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
  form.addEventListener("change", function () {
    showWarning(warningChannelTicked());
    check();
  });
  check();
})();
