// Stripe's Payment Element: the card is typed into Stripe's frame and goes to Stripe only; the order page then follows
// the payment through the storefront (order.js).
(() => {
  const form = document.getElementById('payment-form');
  if (!form || typeof Stripe === 'undefined') return;
  const stripe = Stripe(form.dataset.publishableKey);
  const elements = stripe.elements({ clientSecret: form.dataset.clientSecret });
  elements.create('payment').mount('#payment-element');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const { error } = await stripe.confirmPayment({ elements, confirmParams: { return_url: form.dataset.returnUrl } });
    if (error) document.getElementById('payment-message').textContent = error.message;
  });
})();
