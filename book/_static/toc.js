// The "On this page" list marks the section being read: the last section whose heading has passed a
// line a quarter of the way down the window (at the end of the page: the last heading in view). The theme's own marker reacts only when a heading
// crosses a band near the top, so in a long section it can keep marking a neighbour (pydata-sphinx-
// theme issues 1889 and 1965); this one is recomputed on every scroll, and re-applied whenever the
// theme changes the list's classes. No network, no dependencies.
document.addEventListener("DOMContentLoaded", function () {
  var nav = document.querySelector("#pst-page-toc-nav, nav.page-toc, .bd-toc-nav");
  if (!nav) return;
  var entries = Array.prototype.slice.call(nav.querySelectorAll("a.nav-link[href^='#']")).map(function (a) {
    var section = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    var heading = section && (section.querySelector("h1, h2, h3, h4, h5, h6") || section);
    return {link: a, heading: heading};
  }).filter(function (e) { return e.heading; });
  if (!entries.length) return;

  function reading() {
    // At the end of the page the last sections cannot scroll up to the line: mark the last one in view.
    var atEnd = window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    var line = atEnd ? window.innerHeight : window.innerHeight / 4, current = entries[0];
    entries.forEach(function (e) {
      if (e.heading.getBoundingClientRect().top <= line) current = e;
    });
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
  mark();
});
