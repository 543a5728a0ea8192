// The order page: asks the storefront for the order's state every two seconds while it is pending, and shows the
// page again once the state or the payment changes (confirmed, released, declined). Without JS, the page has a link.
(() => {
  const state = document.getElementById('order-status');
  if (!state || state.dataset.status !== 'pending') return;
  const poll = async () => {
    try {
      const response = await fetch(state.dataset.statusUrl, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (response.ok) {
        const order = await response.json();
        if (order.status !== state.dataset.status || (order.paymentStatus || '') !== state.dataset.payment) {
          state.textContent = order.label;
          document.getElementById('payment-status').textContent = order.paymentLabel;
          // A GET of the order: the page may be the answer to a form, which a reload would post again.
          window.location.assign(window.location.pathname);
          return;
        }
      }
    } catch (error) {
      // The network blinked: ask again at the next tick.
    }
    window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 2000);
})();
