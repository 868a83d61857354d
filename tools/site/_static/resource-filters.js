// Filters of the resource guide page (resources.html): search box, type, topic, audience, years.
// The same rules as workshop_utils.resources.search: every word must start a word of the title,
// summary or authors (any case); a resource matches a topic or an audience if it lists it.
// Runs only on the page that has the filter form; no network, no libraries.
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  ready(function () {
    var form = document.querySelector("form.workshop-resource-filters");
    if (!form) { return; }
    var items = Array.prototype.slice.call(document.querySelectorAll("li.workshop-resource"));
    var count = document.querySelector(".workshop-resource-count");
    var total = items.length;

    function apply() {
      var words = form.elements.q.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var patterns = words.map(function (w) { return new RegExp("(^|[^\\p{L}\\p{N}_])" + escapeRegExp(w), "u"); });
      var type = form.elements.type.value;
      var topic = form.elements.topic.value;
      var audience = form.elements.audience.value;
      var from = parseInt(form.elements.from.value, 10);
      var to = parseInt(form.elements.to.value, 10);
      var shown = 0;
      items.forEach(function (item) {
        var text = item.getAttribute("data-text").toLocaleLowerCase();
        var year = parseInt(item.getAttribute("data-year"), 10);
        var ok = patterns.every(function (p) { return p.test(text); }) &&
          (!type || item.getAttribute("data-type") === type) &&
          (!topic || item.getAttribute("data-topics").split(" ").indexOf(topic) >= 0) &&
          (!audience || item.getAttribute("data-audience").split(" ").indexOf(audience) >= 0) &&
          (isNaN(from) || year >= from) && (isNaN(to) || year <= to);
        item.hidden = !ok;
        if (ok) { shown += 1; }
      });
      count.textContent = shown + " of " + total + (shown === 1 ? " resource matches" : " resources match");
    }

    form.hidden = false;
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  });
})();
