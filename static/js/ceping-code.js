// The QR code on a ballot slip opens /ceping/#CODE: the part after "#" never reaches the server,
// so the code is in no access log. Put it into the code field, then drop it from the address bar
// and the history.
(function () {
  var form = document.querySelector("form[data-code-from-fragment]");
  var code = decodeURIComponent(window.location.hash.replace(/^#/, ""));
  if (!form || !code) return;
  var input = form.querySelector("input[name=code]");
  if (input && !input.value) input.value = code;
  history.replaceState(null, "", window.location.pathname + window.location.search);
})();
