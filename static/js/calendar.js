/* Redaktionsplan: drag and drop as a progressive enhancement. Every entry also has a "Move"
   link to a form, which is the keyboard and no-JavaScript way; this script posts to the same
   address. No external libraries. */
(function () {
  "use strict";

  var calendar = document.querySelector("[data-calendar]");
  if (!calendar || !window.fetch) {
    return;
  }
  var status = document.getElementById("calendar-status");
  var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var dragged = null;

  function say(text, link) {
    if (!status) {
      return;
    }
    status.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(a);
    }
  }

  function targetCell(node) {
    while (node && node !== calendar) {
      if (node.dataset && node.dataset.date) {
        return node;
      }
      node = node.parentNode;
    }
    return null;
  }

  calendar.addEventListener("dragstart", function (event) {
    var entry = event.target.closest ? event.target.closest("[data-move-url]") : null;
    if (!entry) {
      return;
    }
    dragged = entry;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.dataset.title || "");
  });

  calendar.addEventListener("dragover", function (event) {
    if (dragged && targetCell(event.target)) {
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    }
  });

  calendar.addEventListener("dragenter", function (event) {
    var cell = targetCell(event.target);
    if (dragged && cell) {
      cell.classList.add("cal-drop-target");
    }
  });

  calendar.addEventListener("dragleave", function (event) {
    var cell = targetCell(event.target);
    if (cell && !cell.contains(event.relatedTarget)) {
      cell.classList.remove("cal-drop-target");
    }
  });

  calendar.addEventListener("dragend", function () {
    dragged = null;
    var marked = calendar.querySelectorAll(".cal-drop-target");
    for (var i = 0; i < marked.length; i++) {
      marked[i].classList.remove("cal-drop-target");
    }
  });

  calendar.addEventListener("drop", function (event) {
    var cell = targetCell(event.target);
    var entry = dragged;
    if (!entry || !cell) {
      return;
    }
    event.preventDefault();
    cell.classList.remove("cal-drop-target");
    // Month view keeps the time of day; week view takes the row's hour and keeps the minutes.
    var time = entry.dataset.time || "09:00";
    if (cell.dataset.hour !== undefined) {
      var hour = ("0" + cell.dataset.hour).slice(-2);
      time = hour + ":" + time.split(":")[1];
    }
    var body = new URLSearchParams();
    body.set("date", cell.dataset.date);
    body.set("time", time);
    if (tokenInput) {
      body.set("csrfmiddlewaretoken", tokenInput.value);
    }
    var formUrl = entry.dataset.moveUrl + "?next=" + encodeURIComponent(window.location.pathname + window.location.search);
    fetch(entry.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": tokenInput ? tokenInput.value : ""
      },
      body: body
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, errors: [] };
      }).then(function (data) {
        if (response.ok && data.ok) {
          say(data.message);
          window.location.reload();
          return;
        }
        var text = (data.errors && data.errors.length) ? data.errors.join(" ") : calendar.dataset.errorText || "";
        say(text, { href: formUrl, text: calendar.dataset.formLinkText || "…" });
      });
    }).catch(function () {
      say(calendar.dataset.errorText || "", { href: formUrl, text: calendar.dataset.formLinkText || "…" });
    });
  });
})();
