// The "On this page" list marks the section being read: the last section whose heading has passed a
// line a quarter of the way down the window (at the end of the page: the last heading in view). The theme's own marker reacts only when a heading
// crosses a band near the top, so in a long section it can keep marking a neighbour (pydata-sphinx-
// theme issues 1889 and 1965); this one is recomputed on every scroll, and re-applied whenever the
// theme changes the list's classes. A section off screen is not laid out (book.css), and reading the
// position of a heading inside it would lay it out: the sections are read from the top level down, a
// section's own box when it is far from the line, and the headings only of the one being read and its
// neighbours. No network, no dependencies.
document.addEventListener("DOMContentLoaded", function () {
  var nav = document.querySelector("#pst-page-toc-nav, nav.page-toc, .bd-toc-nav");
  if (!nav) return;
  var entries = Array.prototype.slice.call(nav.querySelectorAll("a.nav-link[href^='#']")).map(function (a) {
    var target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    var section = target && (target.closest("section") || target);
    var heading = section && (section.querySelector("h1, h2, h3, h4, h5, h6") || section);
    return {link: a, section: section, heading: heading, children: []};
  }).filter(function (e) { return e.heading; });
  if (!entries.length) return;
  // The entries as a tree: each under the entry of the nearest section that holds its own.
  var bySection = new Map(entries.map(function (e) { return [e.section, e]; })), top = [];
  entries.forEach(function (e) {
    var up = e.section.parentElement && e.section.parentElement.closest("section");
    while (up && !bySection.has(up)) up = up.parentElement && up.parentElement.closest("section");
    (up ? bySection.get(up).children : top).push(e);
  });

  function passed(e, line) {
    // A heading is at the top of its section: a section far from the line tells without its heading.
    var box = e.section.getBoundingClientRect();
    if (box.top > line) return false;
    if (box.top < line - window.innerHeight) return true;
    return e.heading.getBoundingClientRect().top <= line;
  }
  function reading() {
    // At the end of the page the last sections cannot scroll up to the line: mark the last one in view.
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    var line = atEnd ? window.innerHeight : window.innerHeight / 4, current = top[0], level = top;
    while (level.length) {
      var last = null;
      for (var i = 0; i < level.length && passed(level[i], line); i++) last = level[i];
      if (!last) break;
      current = last;
      level = last.children;
    }
    return current;
  }
  function mark() {
    var current = reading(), chain = [];
    for (var li = current.link.closest("li"); li && nav.contains(li); li = li.parentElement.closest("li")) chain.push(li);
    entries.forEach(function (e) {
      var on = e === current, li = e.link.closest("li");
      if (e.link.classList.contains("active") !== on) e.link.classList.toggle("active", on);
      if (on && e.link.getAttribute("aria-current") !== "true") e.link.setAttribute("aria-current", "true");
      if (!on && e.link.hasAttribute("aria-current")) e.link.removeAttribute("aria-current");
      if (li && li.classList.contains("active") !== (chain.indexOf(li) >= 0)) li.classList.toggle("active");
    });
  }
  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; mark(); });
  }
  window.addEventListener("scroll", later, {passive: true});
  window.addEventListener("resize", later);
  // When the theme marks an entry, put the mark back where the reader is (a no-op if it agrees).
  new MutationObserver(mark).observe(nav, {subtree: true, attributes: true, attributeFilter: ["class"]});
  later();  // with the first frame, not a layout of its own
});
