// The deep-linking answer goes back to the platform on its own; the button stays for
// browsers without scripts.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-auto-submit]");
  if (form) form.submit();
});
