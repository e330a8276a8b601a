// servus: small progressive enhancements. Every page works without this
// file; it adds drag-and-drop and paste of files into forms marked
// data-dropzone, tells which files are chosen (also to screen readers),
// keeps buttons that change a ticket from being pressed twice, and inserts
// text modules into a ticket's reply.
(function () {
  "use strict";

  // The texts come from the page (layout.html puts them on this script's
  // tag), in the page's language: "%d file chosen: %s".
  var script = document.currentScript;
  var texts = {
    one: (script && script.getAttribute("data-files-one")) || "%d: %s",
    other: (script && script.getAttribute("data-files-other")) || "%d: %s"
  };

  function chosenText(files) {
    var names = [];
    for (var i = 0; i < files.length; i++) names.push(files[i].name);
    var t = files.length === 1 ? texts.one : texts.other;
    return t.replace("%d", String(files.length)).replace("%s", names.join(", "));
  }

  function addFiles(input, files) {
    if (!files || !files.length) return;
    var dt = new DataTransfer();
    for (var i = 0; i < input.files.length; i++) dt.items.add(input.files[i]);
    for (var j = 0; j < files.length; j++) dt.items.add(files[j]);
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function carriesFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  function isTextField(el) {
    if (!el) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA") return true;
    return el.tagName === "INPUT" && /^(text|search|email|url|tel|password|number)?$/i.test(el.getAttribute("type") || "");
  }

  document.querySelectorAll("form[data-dropzone]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input || typeof DataTransfer === "undefined") return;

    // A live region, there before anything is said in it, names the
    // chosen files whichever way they came: picker, drop or paste.
    var status = document.createElement("p");
    status.className = "hint files-status";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", status);
    input.addEventListener("change", function () {
      status.textContent = input.files.length ? chosenText(input.files) : "";
    });

    // dragenter and dragleave fire for every child the pointer crosses:
    // count them, so that the outline goes when the pointer leaves the form.
    var depth = 0;
    function reset() {
      depth = 0;
      form.classList.remove("dragging");
    }
    form.addEventListener("dragenter", function (e) {
      if (!carriesFiles(e)) return;
      depth++;
      form.classList.add("dragging");
    });
    form.addEventListener("dragover", function (e) {
      if (carriesFiles(e)) e.preventDefault();
    });
    form.addEventListener("dragleave", function (e) {
      if (!carriesFiles(e) || depth === 0) return;
      depth--;
      if (depth === 0) form.classList.remove("dragging");
    });
    form.addEventListener("drop", function (e) {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      reset();
      addFiles(input, e.dataTransfer.files);
    });
    window.addEventListener("dragend", reset);
    window.addEventListener("drop", reset);

    // Paste takes files, but not from text: Word and Excel put a picture
    // of the copied text beside it, and pasting into a text field means
    // the text.
    form.addEventListener("paste", function (e) {
      var cd = e.clipboardData;
      if (!cd || !cd.files || !cd.files.length) return;
      var hasText = Array.prototype.indexOf.call(cd.types || [], "text/plain") >= 0;
      if (hasText && isTextField(e.target)) return;
      e.preventDefault();
      addFiles(input, cd.files);
    });
  });

  // Buttons that change a ticket are pressed once: a double click must not
  // send the same action twice.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (b) setTimeout(function () { b.disabled = true; }, 0);
    });
  });
  // Text modules on the ticket page: a search field (Alt+Shift+T) narrows
  // the list, Enter or "Insert" puts the chosen module's text, filled in
  // for this ticket by the server, at the cursor of the reply. Without
  // this, "Insert" sends the form and the page comes back with the text.
  document.querySelectorAll("[data-text-modules]").forEach(function (box) {
    var form = box.closest("form");
    var body = form && form.querySelector("textarea[name=body]");
    var select = box.querySelector("select");
    var search = box.querySelector("input[type=search]");
    var button = box.querySelector("[data-insert-module]");
    if (!body || !select || !search || !button) return;
    search.hidden = false;

    function insert() {
      var opt = select.options[select.selectedIndex];
      if (!opt || opt.hidden) return;
      var text = opt.getAttribute("data-body") || "";
      var start = body.selectionStart, end = body.selectionEnd;
      var before = body.value.slice(0, start), after = body.value.slice(end);
      if (before && !/\n$/.test(before)) text = "\n" + text;
      body.value = before + text + after;
      var at = before.length + text.length;
      body.focus();
      body.setSelectionRange(at, at);
      body.dispatchEvent(new Event("input", { bubbles: true }));
    }
    function filter() {
      var q = search.value.trim().toLowerCase(), first = -1;
      for (var i = 0; i < select.options.length; i++) {
        var o = select.options[i];
        o.hidden = q !== "" && o.text.toLowerCase().indexOf(q) < 0;
        if (!o.hidden && first < 0) first = i;
      }
      if (first >= 0 && select.options[select.selectedIndex].hidden) select.selectedIndex = first;
    }
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        insert();
      } else if (e.key === "ArrowDown") {
        e.preventDefault();
        select.focus();
      }
    });
    button.addEventListener("click", function (e) {
      e.preventDefault();
      insert();
    });
    document.addEventListener("keydown", function (e) {
      if (e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === "KeyT") {
        e.preventDefault();
        search.focus();
        search.select();
      }
    });
  });

  // A page restored from the back-forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; });
  });
})();
