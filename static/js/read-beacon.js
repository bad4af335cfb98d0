// The 四权 index's 知情 part counts reads of public notices: one beacon per page view, sent to the
// address in data-read-beacon. No cookie, nothing about the reader; the page itself stays cached.
(function () {
  var el = document.querySelector("[data-read-beacon]");
  if (el && navigator.sendBeacon) {
    navigator.sendBeacon(el.getAttribute("data-read-beacon"));
  }
})();
