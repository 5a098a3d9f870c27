/* Inbox list: "select all on this page" for the bulk actions. Without JavaScript the box
   stays hidden and each row is ticked on its own. No libraries. */
(function () {
  "use strict";

  var all = document.querySelector("[data-select-all]");
  var form = document.getElementById("bulk-form");
  if (!all || !form) {
    return;
  }
  var boxes = form.querySelectorAll("input[name=items]");
  all.hidden = false;
  all.parentNode.querySelector("label").hidden = false;

  all.addEventListener("change", function () {
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].checked = all.checked;
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target.name !== "items") {
      return;
    }
    var ticked = 0;
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].checked) {
        ticked++;
      }
    }
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  });
})();
