// The home page's filter box: show the cards whose text contains every word typed.
(function () {
  var box = document.getElementById("filter");
  if (!box) return;
  box.parentNode.hidden = false;  // without script the box would do nothing, so it starts hidden
  var cards = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.reports"));
  var none = document.getElementById("no-match");
  function apply() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-filter");
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !match;
      if (match) shown += 1;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("[data-filter]:not([hidden])");
    });
    none.hidden = shown > 0;
  }
  box.addEventListener("input", apply);
  apply();
})();
