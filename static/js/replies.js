// The reply form of the conversation view: a chosen saved reply fills the text in place
// (without JavaScript the picker reloads the page with the text filled in), and the
// character count follows the typing. The count is in user-perceived characters, as most
// platforms count; the server checks the platform's own count when the reply is sent.
(function () {
  "use strict";

  function count(text) {
    if (window.Intl && Intl.Segmenter) {
      let n = 0;
      for (const _ of new Intl.Segmenter().segment(text)) n += 1;
      return n;
    }
    return Array.from(text).length;
  }

  function updateCounter(textarea) {
    const output = textarea.parentElement.querySelector("[data-reply-count]");
    if (!output) return;
    const limit = parseInt(textarea.dataset.limit || "", 10);
    const length = count(textarea.value);
    // The texts come from the template, translated there.
    const pattern = limit ? output.dataset.textLimit : output.dataset.textPlain;
    output.textContent = pattern
      .replace("{length}", String(length))
      .replace("{limit}", String(limit));
    output.classList.toggle("help--error", Boolean(limit) && length > limit);
  }

  document.querySelectorAll("textarea[data-reply-text]").forEach(function (textarea) {
    textarea.addEventListener("input", function () { updateCounter(textarea); });
  });

  document.querySelectorAll("select[data-reply-picker]").forEach(function (select) {
    const textarea = document.getElementById(select.dataset.replyPicker);
    if (!textarea) return;
    const form = select.form;
    const button = form && form.querySelector("button[type=submit]");
    select.addEventListener("change", function () {
      const option = select.options[select.selectedIndex];
      if (!option || !option.value) return;
      textarea.value = option.dataset.text || "";
      const hidden = textarea.form.querySelector("input[name=saved_reply]");
      if (hidden) hidden.value = option.value;
      updateCounter(textarea);
      textarea.focus();
    });
    if (button) button.hidden = true;
  });
})();
