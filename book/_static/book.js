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
});
