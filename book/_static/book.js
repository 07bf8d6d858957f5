// Small presentation helpers for the static book (no network, no dependencies).
document.addEventListener("DOMContentLoaded", function () {
  // 1. Static pages have no kernel: an explorer's controls appear as their plain-text stand-in
  //    ("Interactive controls: ..."). Show that text as a small note instead of a code block.
  document.querySelectorAll("div.output.text_plain pre").forEach(function (pre) {
    var text = pre.textContent.trim();
    if (text.indexOf("Interactive controls:") !== 0) return;
    var note = document.createElement("p");
    note.className = "live-hint";
    note.textContent = text;
    pre.closest("div.output.text_plain").replaceWith(note);
  });
  // 2. Verdicts pasted with glue ("holds", "holds with nuance", "does not hold") get a colour.
  var classes = {"holds": "verdict-holds", "holds with nuance": "verdict-nuance", "does not hold": "verdict-fails"};
  document.querySelectorAll("span.pasted-text").forEach(function (span) {
    var cls = classes[span.textContent.trim()];
    if (cls) span.classList.add(cls);
  });
  // 3. Tables: label every cell with its column header, for the stacked layout on phones (book.css).
  document.querySelectorAll("article table").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (heads[i]) td.setAttribute("data-label", heads[i]);
      });
    });
  });
  // 4. Accessible names that match what is shown: the theme's colour-mode icons are decorative
  //    (the button is named "Color mode"), and the search field is named by its visible text.
  document.querySelectorAll(".theme-switch-button").forEach(function (button) {
    button.querySelectorAll("i").forEach(function (icon) {
      icon.removeAttribute("title");
      icon.setAttribute("aria-hidden", "true");
    });
    button.removeAttribute("aria-label");
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = "Color mode";
    button.appendChild(name);
  });
  document.querySelectorAll(".search-button-field[aria-label], details > summary[aria-label]").forEach(function (el) {
    el.removeAttribute("aria-label");
  });
  // 5. The bibliography's list of citations holds links, which role="list" does not allow.
  document.querySelectorAll(".citation-list[role='list']").forEach(function (el) {
    el.removeAttribute("role");
  });
});
