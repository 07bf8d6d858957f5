// Predict, then reveal: the reader commits to a guess before a result is shown. Offline, no kernel.
//
// A chapter writes two admonitions (MyST), one after the other:
//   ```{admonition} Predict first          the question, and the choices as a bullet list
//   :class: tip predict-reveal
//   ```{admonition} The answer             the computed answer; its first glued value (myst-nb glue)
//   :class: dropdown predict-answer         is the choice that is right, as the list writes it
// In JupyterLab they read as a question with a folded answer. Here the list becomes radio buttons;
// the answer, and what follows it up to and including the next figure (the computation and the
// figure that show the result), stay hidden until the reader checks a guess or asks to see the
// result. The reader's guess is then named beside the answer, and judged against the glued choice.
(function () {
  "use strict";
  var counter = 0;

  var element = window.bookElement;  // book.js, loaded first

  // The siblings after `answer`, up to and including the first that is or holds a figure.
  function resultBlocks(answer) {
    var blocks = [];
    for (var e = answer.nextElementSibling; e; e = e.nextElementSibling) {
      if (/^H[1-6]$/.test(e.tagName) || e.tagName === "SECTION") break;
      blocks.push(e);
      if (e.tagName === "FIGURE" || e.querySelector("figure, img")) break;
    }
    return blocks;
  }

  function normalise(text) { return text.replace(/\s+/g, " ").trim().toLowerCase(); }

  function setup(box) {
    var list = box.querySelector(":scope > ul");
    var answer = box.nextElementSibling;
    if (!list || !answer || !answer.classList.contains("predict-answer") || box.dataset.predict) return;
    box.dataset.predict = "ready";
    var glued = answer.querySelector(".pasted-text");
    var right = glued ? normalise(glued.textContent) : null;
    var n = ++counter, name = "predict-" + n;

    var form = element("form", {"class": "predict-form"});
    var choices = element("fieldset", {"class": "predict-choices"});
    choices.append(element("legend", {"class": "visually-hidden"}, "Your guess"));
    var items = Array.prototype.slice.call(list.querySelectorAll(":scope > li"));
    var options = items.map(function (li, i) {
      var id = name + "-" + i;
      var row = element("div", {"class": "predict-choice"});
      var input = element("input", {type: "radio", name: name, id: id, value: String(i)});
      var label = element("label", {"for": id});
      Array.prototype.forEach.call((li.querySelector(":scope > p") || li).childNodes, function (node) {
        label.appendChild(node.cloneNode(true));
      });
      row.append(input, label);
      choices.append(row);
      var text = normalise(label.textContent);
      return {input: input, text: label.textContent.trim(),
              right: right !== null && (text === right || text.slice(-right.length - 1) === " " + right)};
    });
    var check = element("button", {type: "submit", "class": "predict-check", disabled: ""}, "Check my guess");
    var skip = element("button", {type: "button", "class": "predict-skip"}, "Show the result without guessing");
    var verdict = element("p", {"class": "predict-verdict", "aria-live": "polite"});
    var buttons = element("div", {"class": "predict-buttons"});
    buttons.append(check, skip);
    form.append(choices, buttons, verdict);
    list.replaceWith(form);

    var veiled = [answer].concat(resultBlocks(answer));
    var note = element("p", {"class": "predict-veil-note"},
      "The answer, the computation and the figure appear here once you have made a guess.");
    veiled.forEach(function (e) { e.hidden = true; e.classList.add("predict-veiled"); });
    answer.parentNode.insertBefore(note, answer);

    options.forEach(function (o) {
      o.input.addEventListener("change", function () { check.disabled = false; });
    });

    function reveal(chosen) {
      veiled.forEach(function (e) { e.hidden = false; e.classList.remove("predict-veiled"); });
      note.remove();
      if (answer.classList.contains("toggle-hidden")) {  // sphinx-togglebutton folded it: unfold
        var toggle = answer.querySelector("button.toggle-button");
        if (toggle) toggle.click();
      }
      box.dataset.predict = chosen ? (chosen.right ? "right" : "wrong") : "skipped";
      options.forEach(function (o) { o.input.disabled = true; });
      check.disabled = true;
      skip.hidden = true;
      if (chosen) {
        verdict.textContent = "Your guess: " + chosen.text + ". " + (chosen.right
          ? "Right: the computation below agrees."
          : "The computation below says otherwise: see the answer.");
      } else {
        verdict.textContent = "The answer and the computation are shown below.";
      }
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = options.filter(function (o) { return o.input.checked; })[0];
      if (chosen) reveal(chosen);
    });
    skip.addEventListener("click", function () { reveal(null); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("div.predict-reveal").forEach(setup);
  });
})();
