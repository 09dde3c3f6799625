// The lookup link of Form 01's QR code and of the SMS carries the secret after "#"
// (…/tra-cuu/?ma=CODE#bi-mat=SECRET): browsers never send that part to a server, so it reaches
// no access log. Move it into the form, wipe it from the address bar, and post the form.
// Links of older receipts carried it in the query string (?bi-mat=…): the same is done for them.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("[data-lookup-form]");
  if (!form) { return; }
  var fromHash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  var query = new URLSearchParams(window.location.search);
  var secret = fromHash.get("bi-mat") || query.get("bi-mat");
  if (!secret) { return; }
  query.delete("bi-mat");
  var rest = query.toString();
  window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : ""));
  var code = form.querySelector("[name=ma]");
  form.querySelector("[name=bi-mat]").value = secret;
  if (code && code.value) { form.submit(); }
});
