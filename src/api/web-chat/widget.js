/* global window, document */
// The embeddable chat: <script src="https://<concierge>/chat/widget.js" data-tenant="demo" async></script>
// adds a chat button to the page that opens /chat in a frame (same conversation, same session
// token as the page keeps it). Optional: data-lang="es|en", data-label="…" (the button's text).
(function () {
  'use strict';
  if (window.conciergeChatWidget) return; // added twice: one button
  const script = document.currentScript;
  if (!script) return;
  const origin = new window.URL(script.src).origin;
  const tenant = script.dataset.tenant || 'demo';
  const language = (script.dataset.lang || window.navigator.language || 'es').toLowerCase().startsWith('es') ? 'es' : 'en';
  const label = script.dataset.label || (language === 'es' ? 'Chatea con nosotros' : 'Chat with us');

  const frameUrl = new window.URL('/chat', origin);
  frameUrl.searchParams.set('tenant', tenant);
  frameUrl.searchParams.set('embed', '1');
  if (script.dataset.lang) frameUrl.searchParams.set('lang', language);

  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = label;
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'concierge-chat-frame');
  Object.assign(button.style, {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: '2147483000', padding: '12px 18px', border: '0',
    borderRadius: '24px', background: '#0b5fff', color: '#fff', font: '600 16px system-ui, sans-serif',
    boxShadow: '0 4px 14px rgba(0,0,0,.25)', cursor: 'pointer',
  });

  let frame = null;
  function narrow() {
    return window.matchMedia('(max-width: 480px)').matches;
  }
  function place() {
    const full = narrow();
    Object.assign(frame.style, {
      position: 'fixed', zIndex: '2147483001', border: '0', background: '#fff', boxShadow: '0 8px 30px rgba(0,0,0,.3)',
      right: full ? '0' : '16px', bottom: full ? '0' : '80px', width: full ? '100vw' : '380px',
      height: full ? '100dvh' : 'min(600px, calc(100vh - 100px))', borderRadius: full ? '0' : '12px',
    });
  }
  function open() {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.id = 'concierge-chat-frame';
      frame.title = language === 'es' ? 'Chat con el asistente' : 'Chat with the assistant';
      frame.src = frameUrl.toString();
      place();
      document.body.append(frame);
    }
    frame.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    if (narrow()) button.hidden = true;
  }
  function close() {
    if (frame) frame.hidden = true;
    button.hidden = false;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  }
  button.addEventListener('click', () => (frame && !frame.hidden ? close() : open()));
  window.addEventListener('message', (event) => {
    if (frame && event.origin === origin && event.source === frame.contentWindow && event.data && event.data.type === 'concierge-chat:close') close();
  });
  window.addEventListener('resize', () => frame && place());

  window.conciergeChatWidget = { open, close };
  if (document.body) document.body.append(button);
  else document.addEventListener('DOMContentLoaded', () => document.body.append(button));
})();
