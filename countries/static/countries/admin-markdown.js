/*
 * Completes django-markdownx in the admin:
 * - starts the editor in inline rows added with "Add another" (markdownx listens only at page
 *   load, and a new row is a copy of a template that is already marked as started);
 * - shows the server's reason when an image upload is refused, instead of inserting markdownx's
 *   "Invalid response" into the text.
 */
(function () {
  "use strict";

  var MARKDOWNX_SCRIPT = "markdownx/js/markdownx";
  var INVALID_RESPONSE = "Invalid response";

  function markdownxScriptUrl() {
    var scripts = document.querySelectorAll("script[src]");
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i].src.indexOf(MARKDOWNX_SCRIPT) !== -1) return scripts[i].src;
    }
    return null;
  }

  function showUploadErrors(container) {
    container.querySelectorAll(".markdownx").forEach(function (element) {
      if (element.hasAttribute("data-netfree-watched")) return;
      element.setAttribute("data-netfree-watched", "");
      element.addEventListener("markdownx.fileUploadError", function (event) {
        var response = (event.detail && event.detail[0]) || {};
        var message = response.error || "The upload was refused.";
        var note = element.querySelector(".markdownx-error");
        if (!note) {
          note = document.createElement("p");
          note.className = "markdownx-error";
          note.setAttribute("role", "alert");
          element.insertBefore(note, element.firstChild);
        }
        note.textContent = message;
        var editor = element.querySelector(".markdownx-editor");
        // markdownx inserts its placeholder right after this event: take it out again.
        setTimeout(function () {
          editor.value = editor.value.replace(INVALID_RESPONSE, "");
        }, 0);
      });
    });
  }

  function startEditorsIn(row) {
    var editors = row.querySelectorAll(".markdownx .markdownx-editor");
    if (!editors.length) return;
    editors.forEach(function (editor) {
      editor.removeAttribute("data-markdownx-init");
    });
    var src = markdownxScriptUrl();
    if (!src) return;
    // Running markdownx's script again starts every editor not yet marked as started.
    var script = document.createElement("script");
    script.src = src;
    document.body.appendChild(script);
    showUploadErrors(row);
  }

  document.addEventListener("formset:added", function (event) {
    startEditorsIn(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () {
    showUploadErrors(document);
  });
})();
