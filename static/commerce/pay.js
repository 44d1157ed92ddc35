// The payment page: Stripe.js turns the card into a token in the browser (the card number
// never reaches our server); we charge it server-side and the order page waits for Stripe's
// webhook. A card that needs authentication (3-D Secure) is handed back to Stripe.js.
(function () {
  "use strict";
  const form = document.querySelector("[data-pay-form]");
  if (!form || typeof Stripe === "undefined") return;
  const stripe = Stripe(form.dataset.key);
  const card = stripe.elements().create("card");
  card.mount("#card-element");
  const errors = document.getElementById("card-errors");
  const button = form.querySelector("[data-pay-button]");
  const label = button.textContent;

  function fail(message) {
    errors.textContent = message || form.dataset.failed;
    button.disabled = false;
    button.textContent = label;
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = form.dataset.working;
    errors.textContent = "";
    const made = await stripe.createToken(card);
    if (made.error) return fail(made.error.message);
    const body = new FormData(form);
    body.append("token", made.token.id);
    let answer;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: body,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      answer = await response.json();
    } catch (error) {
      return fail();
    }
    if (answer.status === "requires_action") {
      const confirmed = await stripe.confirmCardPayment(answer.client_secret);
      if (confirmed.error) return fail(confirmed.error.message);
      window.location.assign(answer.redirect);
    } else if (answer.status === "processing") {
      window.location.assign(answer.redirect);
    } else {
      fail(answer.message);
    }
  });
})();
