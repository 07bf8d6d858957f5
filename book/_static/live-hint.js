// Static pages have no kernel: an explorer's controls appear as their plain-text stand-in
// ("Interactive controls: ..."). Show that text as a small note instead of a code block.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("div.output.text_plain pre").forEach(function (pre) {
    var text = pre.textContent.trim();
    if (text.indexOf("Interactive controls:") !== 0) return;
    var note = document.createElement("p");
    note.className = "live-hint";
    note.textContent = text;
    var box = pre.closest("div.output.text_plain");
    box.replaceWith(note);
  });
});
