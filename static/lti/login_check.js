// The LTI login page: if the browser keeps Attune's cookie (or the page is not in a frame),
// go on to the platform's sign-in at once; a framed page whose cookies are refused offers a
// new window instead. Without scripts the page's two links do the same.
(function () {
  function check() {
    var box = document.getElementById("lti-login");
    if (!box) return;
    var next = box.getAttribute("data-continue");
    var framed = window.self !== window.top;
    var secure = window.location.protocol === "https:";
    document.cookie =
      "attune_lti_check=1; path=/; max-age=60" + (secure ? "; SameSite=None; Secure" : "");
    var kept = document.cookie.indexOf("attune_lti_check=1") !== -1;
    if (kept || !framed) {
      window.location.replace(next);
    } else {
      document.getElementById("lti-login-checking").hidden = true;
      document.getElementById("lti-login-blocked").hidden = false;
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }
})();
