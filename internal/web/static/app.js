// servus: small progressive enhancements. Every page works without this
// file; it adds drag-and-drop and paste of files into forms marked
// data-dropzone, tells which files are chosen (also to screen readers),
// and keeps buttons that change a ticket from being pressed twice.
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
  // A page restored from the back-forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[disabled]").forEach(function (b) { b.disabled = false; });
  });
})();
