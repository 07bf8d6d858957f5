// Code blocks and outputs that scroll sideways take the keyboard focus, so that a reader without a
// mouse can scroll them (axe-core: scrollable-region-focusable); the others do not, so that Tab does not
// stop on them. The theme decides this on load for every block at once, by reading each one's width,
// which lays out the whole page: also the sections off screen, which the book's style sheet leaves
// unlaid-out until the reader nears them (content-visibility). Here every block starts focusable, and
// each one is measured as it comes near the window (again after the window is resized): one that does
// not scroll then stops taking the focus. The book's build takes the theme's check out of its script
// (book/_ext/lean_pages.py). No network, no dependencies.
document.addEventListener("DOMContentLoaded", function () {
  var blocks = Array.prototype.slice.call(document.querySelectorAll(
    "pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, .pst-scrollable-table-container"));
  function measure(block) {
    block.tabIndex = block.scrollWidth > block.clientWidth || block.scrollHeight > block.clientHeight ? 0 : -1;
  }
  blocks.forEach(function (block) { block.tabIndex = 0; });
  if (!("IntersectionObserver" in window)) return;
  var near = new Set();
  var observer = new IntersectionObserver(function (seen) {
    seen.forEach(function (entry) {
      if (entry.isIntersecting) {
        near.add(entry.target);
        // In the next frame: a section that has just come near is laid out by then.
        requestAnimationFrame(function () { measure(entry.target); });
      } else {
        near.delete(entry.target);
      }
    });
  }, {rootMargin: "50% 0px"});
  blocks.forEach(function (block) { observer.observe(block); });
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { near.forEach(measure); }, 300);
  });
});
