// "Use my location": the browser's position, when the shopper allows it, added to this page's address as lat and lon.
(() => {
  const button = document.getElementById('use-location');
  if (!button || !('geolocation' in navigator)) return;
  button.hidden = false;
  button.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition((position) => {
      const url = new URL(window.location.href);
      url.searchParams.delete('city');
      url.searchParams.set('lat', position.coords.latitude.toFixed(4));
      url.searchParams.set('lon', position.coords.longitude.toFixed(4));
      window.location.assign(url);
    }, () => { button.textContent = 'Location unavailable: choose a city'; button.disabled = true; });
  });
})();
