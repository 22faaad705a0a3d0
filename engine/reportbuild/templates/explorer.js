// The explorer's filters: a row shows when it matches the chosen domain, scope, year and source;
// an indicator shows when one of its rows does, a domain when one of its indicators does.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;  // without script the form would do nothing, so it starts hidden
  var pick = function (name) { return form.elements[name]; };
  var articles = Array.prototype.slice.call(document.querySelectorAll("article.indicator"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section.domain"));
  var links = Array.prototype.slice.call(document.querySelectorAll("[data-domain-link]"));
  var shown = document.getElementById("shown");
  var none = document.getElementById("no-match");
  function apply() {
    var domain = pick("domain").value, scope = pick("scope").value;
    var year = pick("year").value, source = pick("source").value;
    var rows = 0, indicators = 0, open = {};
    articles.forEach(function (article) {
      var count = 0;
      var inDomain = !domain || article.getAttribute("data-domain") === domain;
      article.querySelectorAll("tr[data-scope]").forEach(function (tr) {
        var match = inDomain &&
          (!scope || tr.getAttribute("data-scope") === scope) &&
          (!year || (" " + tr.getAttribute("data-years") + " ").indexOf(" " + year + " ") !== -1) &&
          (!source || tr.getAttribute("data-source") === source);
        tr.hidden = !match;
        if (match) count += 1;
      });
      article.querySelectorAll(".chart-box").forEach(function (box) {
        box.hidden = Boolean(scope) && box.getAttribute("data-scope") !== scope;
      });
      article.hidden = count === 0;
      if (count) { indicators += 1; rows += count; open[article.getAttribute("data-domain")] = true; }
    });
    sections.forEach(function (section) { section.hidden = !open[section.getAttribute("data-domain")]; });
    links.forEach(function (li) { li.hidden = !open[li.getAttribute("data-domain-link")]; });
    shown.textContent = shown.getAttribute("data-template").replace("{obs}", rows).replace("{ind}", indicators);
    none.hidden = rows > 0;
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
})();
