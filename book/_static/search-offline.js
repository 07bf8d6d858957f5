// Search excerpts and one entry per page, offline (loaded by the search page only; see
// book/_ext/page_fixes.py).
//
// 1. Sphinx's search fetches every page it lists to cut an excerpt from it; a browser refuses fetch()
//    for a book opened from file://, so the list had titles only. The build wrote each page's text
//    into window.bookSearchPages (_static/search-pages.js); a request for a page listed there is
//    answered from it, and any other request goes to the network as before.
// 2. A term of the glossary matched twice, as the glossary page and as the term's entry, both titled
//    "Glossary". Results with the same page and title are kept once: the best-scored, linked to the
//    anchor of the most precise one.
(function () {
  "use strict";
  var pages = window.bookSearchPages || {};
  var original = window.fetch ? window.fetch.bind(window) : null;

  function pageName(url) {  // "chapters/01_x" for ".../chapters/01_x.html", or null
    var root = new URL(document.documentElement.dataset.content_root || "./", location.href).href;
    var href = new URL(String(url), location.href).href.split("#")[0].split("?")[0];
    if (href.indexOf(root) !== 0 || !/\.html$/.test(href)) return null;
    var name = decodeURIComponent(href.slice(root.length, -".html".length));
    return Object.prototype.hasOwnProperty.call(pages, name) ? name : null;
  }

  window.fetch = function (resource, options) {
    var name = typeof resource === "string" || resource instanceof URL ? pageName(resource) : null;
    if (name !== null) {
      return Promise.resolve(new Response(pages[name], {status: 200, headers: {"Content-Type": "text/html"}}));
    }
    return original ? original(resource, options) : Promise.reject(new TypeError("fetch is not available"));
  };

  function onePerPage() {  // Search is searchtools.js's top-level const: global, but not on window
    if (typeof Search === "undefined" || !Search._performSearch || Search._performSearch.onePerPage) return;
    var perform = Search._performSearch;
    Search._performSearch = function () {
      var results = perform.apply(this, arguments);  // best last (the list is shown from its end)
      var kept = {}, out = [];
      for (var i = results.length - 1; i >= 0; i--) {
        var r = results[i], key = r[0] + "\u0000" + r[1];
        if (kept.hasOwnProperty(key)) {
          if (!kept[key][2] && r[2]) kept[key][2] = r[2];  // prefer a link to the matching term
          continue;
        }
        kept[key] = r.slice();
        out.unshift(kept[key]);
      }
      return out;
    };
    Search._performSearch.onePerPage = true;
  }
  onePerPage();
  document.addEventListener("DOMContentLoaded", onePerPage);
})();
