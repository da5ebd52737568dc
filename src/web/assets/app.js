// Progressive enhancement only: every page works without this file.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';

document.body.classList.add('js-enabled', 'govuk-frontend-supported');
initAll();

// The partner portal's group page: new alerts and requests appear as they are posted (server-sent events). Without
// JavaScript the page shows them when reloaded.
const live = document.querySelector('[data-group-events]');
if (live !== null && 'EventSource' in window) {
  const events = new EventSource(live.getAttribute('data-group-events'));
  const show = (event) => {
    const message = JSON.parse(event.data);
    const item = document.createElement('div');
    item.className = 'govuk-inset-text';
    item.textContent = `TLP:${String(message.tlp).toUpperCase()} · ${message.text}`;
    live.prepend(item);
  };
  events.addEventListener('alert', show);
  events.addEventListener('request', show);
}
