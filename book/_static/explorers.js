// The explorers of the HTML book: native controls over figures computed when the book was built.
//
// A registered explorer's output (vanishing.widgets.show_explorer) is the default figure followed by
// <div class="explorer-static" data-explorer="NAME"> holding a "run it live" hint. The build
// (tools/static_explorers.py) writes _static/explorers/NAME/manifest.js, which sets
// window.vanishingExplorers[NAME]: the controls (label, kind, the text of each grid value, the
// default's position), the frames (image file, size, and the message when the setting cannot be
// drawn), and for every combination of grid positions, in row-major order, the frame that shows it.
// The manifest is a script, loaded with a <script> tag: Chromium refuses fetch() on file:// pages.
//
// This file builds one labelled native control per entry (a range input over the grid's positions
// with its value shown, a select, or a checkbox) and on every change shows the chosen combination's
// frame in the figure's <img>, whose alt and data-values name the values. Without JavaScript or
// without the manifest, the default figure and the hint stay as they are. An explorer sits far down
// its chapter, so its manifest (a script of tens of kilobytes) is loaded when the reader comes within a window's
// height of it, like the page's lazy figures, and not while the page opens; an address that names
// the explorer (below) loads it at once.
//
// The setting is also the page's address: a move writes #NAME:key=value,key=value (for example
// #ch1_layer_speeds:depth=6,std=1,scaled=on,eta=3) with history.replaceState, and opening or
// pasting such an address sets the controls and shows that frame, so a teacher can link to a
// setting. A value is written as the control's text in lower case with spaces and punctuation as
// "_" (or as its position when two texts would read alike); reading also accepts the text itself,
// a number equal to a numeric text, or a position. Below the controls, "Link to this setting" is
// that address and "Download this figure's data" the CSV of the curves the frame shows (written
// beside the image by the build), both offline.
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : "";
  var base = here.replace(/[^\/]*$/, "") + "explorers/";
  var loaded = window.vanishingExplorers = window.vanishingExplorers || {};
  var counter = 0;

  var element = window.bookElement;  // book.js, loaded first

  function loadManifest(name, done) {
    if (loaded[name]) { done(loaded[name]); return; }
    var script = element("script", {src: base + name + "/manifest.js"});
    script.onload = function () { if (loaded[name]) done(loaded[name]); };
    document.head.appendChild(script);
  }

  // The address form of each of a control's texts (see the header): a slug, or the position.
  function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9.\-]+/g, "_").replace(/^_+|_+$/g, "");
  }
  function tokens(c) {
    var slugs = c.texts.map(slug);
    return slugs.map(function (s, i) {
      return s && slugs.indexOf(s) === slugs.lastIndexOf(s) ? s : String(i);
    });
  }
  // The position a token names in control c, or -1.
  function positionOf(c, token) {
    var words = tokens(c), i = words.indexOf(token);
    if (i < 0) i = c.texts.indexOf(token);
    if (i < 0) i = words.indexOf(slug(token));
    if (i < 0 && token !== "" && isFinite(Number(token))) {
      i = c.texts.map(Number).indexOf(Number(token));
      if (i < 0 && /^[0-9]+$/.test(token) && Number(token) < c.texts.length) i = Number(token);
    }
    return i;
  }
  function addressOf(m, position) {
    return "#" + m.name + ":" + m.controls.map(function (c, i) {
      return c.key + "=" + encodeURIComponent(tokens(c)[position[i]]);
    }).join(",");
  }
  // The positions an address names for manifest m (controls it does not name keep theirs), or null.
  function parseAddress(m, hash, position) {
    var prefix = "#" + m.name + ":";
    if (hash.indexOf(prefix) !== 0) return null;
    var next = position.slice();
    hash.slice(prefix.length).split(",").forEach(function (pair) {
      var eq = pair.indexOf("=");
      if (eq < 0) return;
      var key, value;
      try {
        key = decodeURIComponent(pair.slice(0, eq));
        value = decodeURIComponent(pair.slice(eq + 1));
      } catch (e) {  // a mangled link ("%E2%8" cut short): that pair is ignored
        return;
      }
      m.controls.forEach(function (c, i) {
        var p = c.key === key ? positionOf(c, value) : -1;
        if (p >= 0) next[i] = p;
      });
    });
    return next;
  }

  // One control: a row with a label and the input; onChange(position) is called on every move.
  // Returns the row; row.setPosition(p) moves the input without calling onChange.
  function control(c, onChange) {
    var id = "explorer-control-" + (++counter);
    var row = element("div", {"class": "explorer-control explorer-control-" + c.kind});
    var label = element("label", {"for": id}, c.label);
    var input;
    if (c.kind === "toggle") {  // grid: on (position 0), off (position 1)
      input = element("input", {type: "checkbox", id: id});
      input.checked = c.default === 0;
      input.addEventListener("change", function () { onChange(input.checked ? 0 : 1); });
      row.append(input, label);
      row.setPosition = function (p) { input.checked = p === 0; };
    } else if (c.kind === "choice") {
      input = element("select", {id: id});
      c.texts.forEach(function (t, i) { input.append(element("option", {value: String(i)}, t)); });
      input.value = String(c.default);
      input.addEventListener("change", function () { onChange(Number(input.value)); });
      row.append(label, input);
      row.setPosition = function (p) { input.value = String(p); };
    } else {  // "steps" and "log": a slider over the grid's positions, its value written beside it
      input = element("input", {type: "range", id: id, min: "0", max: String(c.texts.length - 1), step: "1",
                                value: String(c.default), "aria-valuetext": c.texts[c.default]});
      var shown = element("output", {"for": id, "aria-hidden": "true"}, c.texts[c.default]);
      var mark = function (i) {
        input.value = String(i);
        shown.textContent = c.texts[i];
        input.setAttribute("aria-valuetext", c.texts[i]);
      };
      input.addEventListener("input", function () {
        var i = Number(input.value);
        mark(i);
        onChange(i);
      });
      row.append(label, element("span", {"class": "explorer-slider"}));
      row.lastChild.append(input, shown);
      row.setPosition = mark;
    }
    input.dataset.control = c.key;
    return row;
  }

  function describe(m, position) {
    return m.controls.map(function (c, i) { return c.label + ": " + c.texts[position[i]]; }).join(", ");
  }

  function valuesAttribute(m, position) {
    return m.controls.map(function (c, i) { return c.key + "=" + c.texts[position[i]]; }).join("; ");
  }

  function frameOf(m, position) {
    var number = 0;
    m.controls.forEach(function (c, i) { number = number * c.texts.length + position[i]; });
    return m.frames[m.grid[number]];
  }

  // The hint becomes a note with a link to the chapter's notebook (the page's download button).
  function rewriteHint(marker) {
    var hint = marker.querySelector("p.live-hint") || marker.appendChild(element("p", {"class": "live-hint"}));
    var download = document.querySelector("a[href$='.ipynb']");
    hint.textContent = "These controls step through figures computed when the book was built, at the values "
      + "each control shows. For other values, ";
    var link = element("a", {href: download ? download.getAttribute("href") : "#"}, "run this chapter live");
    if (download) link.setAttribute("download", "");
    hint.append(link, ": its notebook, with the two commands in \"Run this chapter yourself\" at the top of the page.");
  }

  function setup(marker, m) {
    var output = marker.closest(".cell_output");
    var img = output && output.querySelector("img");
    if (!img || marker.dataset.active) return;
    marker.dataset.active = "true";
    var link = img.closest("a");
    var original = {src: img.getAttribute("src"), alt: img.getAttribute("alt"), style: img.getAttribute("style"),
                    href: link ? link.getAttribute("href") : null};
    var defaults = m.controls.map(function (c) { return c.default; });
    var position = defaults.slice();
    var status = element("span", {"class": "visually-hidden", "aria-live": "polite"});
    var share = element("a", {"class": "explorer-share"}, "Link to this setting");
    var data = element("a", {"class": "explorer-data"}, "Download this figure's data");
    var noData = element("span", {"class": "explorer-no-data"});

    function show() {
      var isDefault = position.every(function (p, i) { return p === defaults[i]; });
      var frame = frameOf(m, position), src = base + m.name + "/" + frame.file;
      var alt = frame.message ? "This setting cannot be shown: " + frame.message
                              : "Explorer figure for " + describe(m, position);
      img.setAttribute("src", isDefault ? original.src : src);
      img.setAttribute("alt", isDefault ? original.alt : alt);
      img.setAttribute("style", isDefault ? original.style : "width: " + frame.width + "px; height: " + frame.height + "px;");
      img.dataset.values = valuesAttribute(m, position);
      img.dataset.frame = frame.file;
      if (link) link.setAttribute("href", isDefault ? original.href : src);
      status.textContent = isDefault ? "Explorer figure at its defaults" : alt;
      offer(frame);
    }

    function offer(frame) {  // the links below the controls, for the setting shown
      share.setAttribute("href", addressOf(m, position));
      if (frame.csv) {
        data.setAttribute("href", base + m.name + "/" + frame.csv);
        data.setAttribute("download", m.name + "_" + m.controls.map(function (c, i) {
          return c.key + "-" + tokens(c)[position[i]];
        }).join("_") + ".csv");
        data.hidden = false;
        noData.hidden = true;
      } else {
        data.removeAttribute("href");
        data.hidden = true;
        noData.textContent = frame.message ? "(no data: this setting cannot be shown)" : "(this figure draws no curves)";
        noData.hidden = false;
      }
    }

    function remember() {  // the setting becomes the page's address, without a new history entry
      var address = addressOf(m, position);
      try {
        history.replaceState(history.state, "", address);
      } catch (e) {
        if (location.hash !== address) location.hash = address;
      }
    }

    var rows = [];
    var box = element("fieldset", {"class": "explorer-controls"});
    box.append(element("legend", {}, "Controls of the figure above"));
    m.controls.forEach(function (c, i) {
      var row = control(c, function (p) { position[i] = p; show(); remember(); });
      rows.push(row);
      box.append(row);
    });
    var links = element("p", {"class": "explorer-links"});
    links.append(share, data, noData);
    box.append(links, status);
    marker.insertBefore(box, marker.firstChild);
    rewriteHint(marker);
    img.dataset.explorerFigure = m.name;
    img.dataset.values = valuesAttribute(m, position);

    function follow(hash, scroll) {  // an address for this explorer sets its controls and shows that frame
      var next = parseAddress(m, hash, position);
      if (!next) return;
      position = next;
      rows.forEach(function (row, i) { row.setPosition(position[i]); });
      show();
      if (scroll) (output.closest(".cell") || output).scrollIntoView();
    }
    offer(frameOf(m, position));
    follow(location.hash, true);
    window.addEventListener("hashchange", function () { follow(location.hash, true); });
  }

  // Load marker's manifest and give it its controls, once.
  function activate(marker) {
    if (marker.dataset.loading) return;
    marker.dataset.loading = "true";
    loadManifest(marker.dataset.explorer, function (m) { setup(marker, m); });
  }
  function named(marker) {
    return location.hash.indexOf("#" + marker.dataset.explorer + ":") === 0;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var markers = Array.prototype.slice.call(document.querySelectorAll("div.explorer-static[data-explorer]"));
    var watched = new Map();  // the output (figure, controls, hint) watched -> its marker
    var near = "IntersectionObserver" in window && new IntersectionObserver(function (seen) {
      seen.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        near.unobserve(entry.target);
        activate(watched.get(entry.target));
      });
    }, {rootMargin: "100% 0px"});
    markers.forEach(function (marker) {
      if (!near || named(marker)) { activate(marker); return; }
      var output = marker.closest(".cell_output") || marker;
      watched.set(output, marker);
      near.observe(output);
    });
    window.addEventListener("hashchange", function () {  // a pasted address for an explorer not loaded yet
      markers.forEach(function (marker) { if (named(marker)) activate(marker); });
    });
  });
})();
