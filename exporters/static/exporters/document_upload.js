// The documents page's upload form: a file over the limit or of another type is named at once,
// before minutes of uploading on a slow connection; the server checks every file again.
(function () {
  "use strict";
  var form = document.querySelector("form[data-document-upload]");
  if (!form) return;
  var input = form.querySelector("input[type=file][data-max-bytes]");
  var button = form.querySelector("button");
  var types = ["application/pdf", "image/jpeg", "image/png"];
  var message = document.createElement("div");
  message.className = "error";
  message.id = input.id + "_client_error";
  message.setAttribute("role", "alert");
  input.parentNode.insertBefore(message, input.nextSibling);

  function problem() {
    var file = input.files && input.files[0];
    if (!file) return "";
    var limit = Number(input.dataset.maxBytes);
    if (file.size > limit) {
      var size = (file.size / 1048576).toFixed(1);
      return "This file is " + size + " MB; documents may be at most " + Math.round(limit / 1048576) +
        " MB. Scan it at a lower resolution or save it as a smaller PDF.";
    }
    if (file.type && types.indexOf(file.type) === -1) {
      return "Upload the document as a PDF, JPEG or PNG file.";
    }
    return "";
  }

  function show(text) {
    message.textContent = text;
    message.hidden = !text;
    input.setAttribute("aria-invalid", text ? "true" : "false");
    if (text) input.setAttribute("aria-describedby", message.id);
  }

  var label = button.textContent;
  show(problem());  // a file chosen before this script arrived counts too
  // Back to this page from the browser's history: the button works again.
  window.addEventListener("pageshow", function () { button.disabled = false; button.textContent = label; });
  input.addEventListener("change", function () { show(problem()); });
  form.addEventListener("submit", function (event) {
    var text = problem();
    if (text) {
      event.preventDefault();
      show(text);
      input.focus();
      return;
    }
    if (input.files && input.files[0]) {
      button.disabled = true;
      button.textContent = "Uploading… please keep this page open";
    }
  });
})();
