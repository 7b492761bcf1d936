/*
 * Language tabs on the country form: the translated fields of one language at a time, on the
 * entry and its inline rows. Without this script every language's field shows, labelled
 * "summary [ru]"; nothing is lost either way, since every field is always submitted.
 *
 * Each translated field's widget carries lang="xx" (countries/admin/common.py). A tab shows how
 * many of its fields have errors, and the form opens on the first language with an error.
 * "Preview changes" previews the page in the tab's language.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "netfree:admin-language";

  function fieldContainer(widget) {
    var box = widget.closest(".fieldBox");
    return box ? box.parentElement : widget.closest(".form-row");
  }

  function translatedWidgets(form) {
    return Array.prototype.filter.call(form.querySelectorAll(".mt[lang]"), function (widget) {
      return fieldContainer(widget);
    });
  }

  // "summary_ru" names a field of the entry; "articles:12:clauses_ru" a field of the inline row
  // whose hidden id is 12 (its form's prefix, articles-0-, is the page's to choose).
  function fieldNamed(form, key) {
    var parts = key.split(":");
    if (parts.length !== 3) return form.querySelector('[name="' + key + '"]');
    var ids = form.querySelectorAll('input[name^="' + parts[0] + '-"][name$="-id"]');
    for (var i = 0; i < ids.length; i++) {
      if (ids[i].value === parts[1]) {
        var prefix = ids[i].name.slice(0, -"id".length);
        return form.querySelector('[name="' + prefix + parts[2] + '"]');
      }
    }
    return null;
  }

  function markStates(form, states) {
    Object.keys(states).forEach(function (name) {
      var widget = fieldNamed(form, name);
      var label = widget && form.querySelector('label[for="' + widget.id + '"]');
      if (!label) return;
      var mark = document.createElement("span");
      mark.className = "translation-state translation-" + states[name].state;
      mark.textContent = states[name].label;
      label.appendChild(document.createTextNode(" "));
      label.appendChild(mark);
    });
  }

  // Under each translation, the English it translates (as text, folded): translators need not
  // switch tabs to read it. It follows the English field as it is edited.
  function showEnglishBeside(form, widgets) {
    var reference = document.getElementById("language-tabs").dataset.reference;
    widgets.forEach(function (widget) {
      // Not in an inline's template row: its copies get their own (formset:added, below).
      if (widget.lang === reference || widget.name.indexOf("__prefix__") >= 0) return;
      var name = widget.name.replace(new RegExp("_" + widget.lang + "$"), "_" + reference);
      var english = form.querySelector('[name="' + name + '"]');
      if (!english) return;
      var details = document.createElement("details");
      details.className = "english-reference";
      var summary = document.createElement("summary");
      summary.textContent = document.getElementById("language-tabs").dataset.referenceLabel;
      var text = document.createElement("div");
      text.lang = reference;
      details.appendChild(summary);
      details.appendChild(text);
      function update() { text.textContent = english.value; details.hidden = !english.value.trim(); }
      update();
      english.addEventListener("input", update);
      var line = widget.closest(".flex-container") || widget.parentElement;
      line.parentNode.insertBefore(details, line.nextSibling);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var tabs = document.getElementById("language-tabs");
    var form = tabs && tabs.closest("form");
    if (!form) return;
    var widgets = translatedWidgets(form);
    if (!widgets.length) return;
    var statesNode = document.getElementById("translation-states");
    markStates(form, statesNode ? JSON.parse(statesNode.textContent) : {});

    showEnglishBeside(form, widgets);

    var buttons = Array.prototype.slice.call(tabs.querySelectorAll("[role=tab]"));
    var preview = form.querySelector("input[formaction]");
    var previewAction = preview && preview.getAttribute("formaction");

    var current = null;

    // A row added with "Add another …" arrives with every language's fields.
    document.addEventListener("formset:added", function (event) {
      showEnglishBeside(form, translatedWidgets(event.target));
      widgets = translatedWidgets(form);
      if (current) show(current);
    });

    function errorsIn(language) {
      return widgets.filter(function (widget) {
        var container = fieldContainer(widget);
        return widget.lang === language && container.querySelector(".errorlist");
      }).length;
    }

    function show(language) {
      current = language;
      widgets.forEach(function (widget) {
        var hidden = widget.lang !== language;
        fieldContainer(widget).hidden = hidden;
        // markdownx measured it while hidden (0 px): let it size itself again.
        if (!hidden && widget.classList.contains("markdownx-editor")) widget.style.height = "";
      });
      buttons.forEach(function (button) {
        var selected = button.dataset.language === language;
        button.setAttribute("aria-selected", selected ? "true" : "false");
        button.tabIndex = selected ? 0 : -1;
      });
      if (preview) {
        preview.setAttribute("formaction", previewAction + (previewAction.indexOf("?") < 0 ? "?" : "&") + "lang=" + language);
      }
      try { sessionStorage.setItem(STORAGE_KEY, language); } catch (e) { /* private mode */ }
    }

    buttons.forEach(function (button, index) {
      var errors = errorsIn(button.dataset.language);
      if (errors) {
        var badge = document.createElement("span");
        badge.className = "tab-errors";
        badge.textContent = " (" + errors + ")";
        button.appendChild(badge);
      }
      button.addEventListener("click", function () { show(button.dataset.language); });
      button.addEventListener("keydown", function (event) {
        var step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
        if (!step) return;
        var next = buttons[(index + step + buttons.length) % buttons.length];
        next.focus();
        show(next.dataset.language);
      });
    });
    tabs.hidden = false;

    var withErrors = buttons.filter(function (b) { return errorsIn(b.dataset.language); })[0];
    var remembered = null;
    try { remembered = sessionStorage.getItem(STORAGE_KEY); } catch (e) { /* private mode */ }
    var known = buttons.some(function (b) { return b.dataset.language === remembered; });
    // A link to one field (the Translations page's: #id_summary_kk) opens on its language.
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var linked = target && widgets.indexOf(target) >= 0 ? target.lang : null;
    show(withErrors ? withErrors.dataset.language : linked || (known ? remembered : buttons[0].dataset.language));
    if (linked && !withErrors) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  });
})();
