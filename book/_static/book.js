// Small presentation helpers for the static book (no network, no dependencies).

// An element with attributes and text: the one way the book's page scripts (explorers.js, predict.js,
// loaded after this file) build their controls.
window.bookElement = function (tag, attributes, text) {
  var e = document.createElement(tag);
  Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
  if (text !== undefined) e.textContent = text;
  return e;
};
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
  var classes = {"holds": "verdict-holds", "holds with nuance": "verdict-nuance", "does not hold": "verdict-fails",
                 "undecided": "verdict-undecided"};
  document.querySelectorAll("span.pasted-text").forEach(function (span) {
    var cls = classes[span.textContent.trim()];
    if (cls) span.classList.add(cls);
  });
  // 3. Tables: label every cell with its column header, for the stacked layout on phones (book.css).
  //    The label is a copy of the header itself, math included (a text attribute would lose it:
  //    "predicted factor √χ" read "predicted factor χ"); screen readers use the header, so the copy
  //    is hidden from them, and it is shown only in the stacked layout. data-label keeps the text.
  document.querySelectorAll("article table").forEach(function (table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    if (!heads.length) return;
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        var th = heads[i];
        if (!th || !th.textContent.trim() || td.querySelector(":scope > .cell-label")) return;
        td.setAttribute("data-label", th.textContent.trim());
        var label = document.createElement("span");
        label.className = "cell-label";
        label.setAttribute("aria-hidden", "true");
        Array.prototype.forEach.call(th.childNodes, function (node) {  // a header's paragraph: its content
          var parts = node.nodeName === "P" ? node.childNodes : [node];
          Array.prototype.forEach.call(parts, function (part) { label.appendChild(part.cloneNode(true)); });
        });
        label.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
        td.insertBefore(label, td.firstChild);
      });
    });
  });
  // 3b. A column header that is only math ("χ", "d = 10") has no text a screen reader's table
  //     navigation can name the column by (axe-core: empty-table-header). It gets that text, hidden
  //     on screen, read from the math (MathML or, before typesetting, the TeX), and the math itself
  //     is hidden from screen readers, so the header is read once.
  function spoken(node) {
    if (node.nodeType === 3) return node.nodeValue;
    if (node.nodeType !== 1 || /^(annotation|annotation-xml)$/i.test(node.localName)) return "";
    var inner = Array.prototype.map.call(node.childNodes, spoken).join("");
    var name = node.localName.toLowerCase();
    if (name === "msqrt") return "√(" + inner + ")";
    if (name === "msup" && node.children.length === 2) return spoken(node.children[0]) + "^" + spoken(node.children[1]);
    if (name === "mfrac" && node.children.length === 2) return spoken(node.children[0]) + "/" + spoken(node.children[1]);
    if (name === "mo") return " " + inner + " ";
    return inner;
  }
  document.querySelectorAll("article table thead th").forEach(function (th) {
    var maths = th.querySelectorAll(".math");
    if (!maths.length || th.querySelector(":scope > .visually-hidden")) return;
    var rest = th.cloneNode(true);
    rest.querySelectorAll(".math").forEach(function (m) { m.remove(); });
    if (rest.textContent.trim()) return;
    var text = Array.prototype.map.call(maths, function (m) {
      var mathml = m.querySelector("math");
      return mathml ? spoken(mathml) : m.textContent.replace(/^\\\(|\\\)$/g, "").replace(/\\/g, "");
    }).join(" ").replace(/\s+/g, " ").trim();
    if (!text) return;
    // (MathJax makes its math focusable, which aria-hidden must not hide: there the header's math
    // stays readable too; math typeset at build time is plain HTML.)
    if (!window.MathJax) maths.forEach(function (m) { m.setAttribute("aria-hidden", "true"); });
    var name = document.createElement("span");
    name.className = "visually-hidden";
    name.textContent = text;
    th.appendChild(name);
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
  // 5. The sidebar's title (a link to the start page) and search button sit outside the theme's
  //    navigation landmark; the sidebar as a whole becomes one, named for what it holds, so that
  //    all of the page's content is in a landmark.
  var sidebar = document.querySelector("#pst-primary-sidebar .sidebar-primary-items__start");
  if (sidebar && !sidebar.closest("nav, [role='navigation']")) {
    sidebar.setAttribute("role", "navigation");
    sidebar.setAttribute("aria-label", "Book");
  }
  // 6. The bibliography's list of citations holds links, which role="list" does not allow.
  document.querySelectorAll(".citation-list[role='list']").forEach(function (el) {
    el.removeAttribute("role");
  });
});
