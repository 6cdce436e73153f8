/* global window, document */
// The web chat page: plain JavaScript, no build step. Sends messages to POST /api/chat, keeps the
// session token in localStorage (a reload keeps the conversation) and polls
// GET /api/chat/messages for what the conversation says meanwhile (staff, reminders).
(function () {
  'use strict';

  const TEXTS = {
    es: {
      title: 'Chat', newSession: 'Nueva conversación', close: 'Cerrar', empty: 'Escribe tu consulta y te respondemos enseguida.',
      messageLabel: 'Mensaje', placeholder: 'Escribe un mensaje…', send: 'Enviar', you: 'Tú', assistant: 'Asistente', staff: 'Equipo',
      sending: 'Enviando…', typing: 'Escribiendo…', failed: 'No pudimos enviar tu mensaje. Inténtalo de nuevo.',
      tooFast: 'Estás enviando mensajes muy rápido: espera un momento.', later: 'Tu mensaje llegó; te respondemos en breve.',
      expired: 'La conversación anterior ya no está disponible; empezamos una nueva.', invalid: 'No pudimos enviar ese mensaje.',
    },
    en: {
      title: 'Chat', newSession: 'New conversation', close: 'Close', empty: "Write your question and we'll answer right away.",
      messageLabel: 'Message', placeholder: 'Write a message…', send: 'Send', you: 'You', assistant: 'Assistant', staff: 'Staff',
      sending: 'Sending…', typing: 'Typing…', failed: 'We could not send your message. Please try again.',
      tooFast: 'You are sending messages too fast: please wait a moment.', later: 'Your message arrived; we will answer shortly.',
      expired: 'The previous conversation is no longer available; starting a new one.', invalid: 'We could not send that message.',
    },
  };
  const POLL_MS = 3000;

  const params = new window.URLSearchParams(window.location.search);
  const tenant = /^[a-z0-9][a-z0-9-]{0,62}$/.test(params.get('tenant') || '') ? params.get('tenant') : 'demo';
  const language = (params.get('lang') || window.navigator.language || 'es').toLowerCase().startsWith('es') ? 'es' : 'en';
  const t = TEXTS[language];
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const input = $('message');
  const status = $('status');
  const sendButton = $('send');

  // localStorage may be blocked (private modes, some third-party frames): then the session
  // lasts as long as the page.
  const storageKey = 'concierge-chat:' + tenant;
  const memory = {};
  const store = {
    get: () => { try { return window.localStorage.getItem(storageKey); } catch { return memory.token || null; } },
    set: (value) => { try { window.localStorage.setItem(storageKey, value); } catch { memory.token = value; } },
    clear: () => { try { window.localStorage.removeItem(storageKey); } catch { delete memory.token; } },
  };

  let token = store.get();
  let conversationSession = null;
  let lastSeq = -1;
  let pollTimer = null;
  let polling = null;
  let failed = null; // the last message that could not be sent: sent again with the same id
  const shown = new Set();

  function translatePage() {
    document.documentElement.lang = language;
    document.title = t.title;
    document.querySelectorAll('[data-text]').forEach((element) => { element.textContent = t[element.dataset.text]; });
    document.querySelectorAll('[data-label]').forEach((element) => element.setAttribute('aria-label', t[element.dataset.label]));
    input.placeholder = t.placeholder;
  }

  function setStatus(text, isError) {
    status.textContent = text || '';
    status.classList.toggle('is-error', Boolean(isError));
  }

  /** Text with its web addresses as links; never as HTML. */
  function appendText(parent, text) {
    const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
    parts.forEach((part, index) => {
      if (index % 2 === 0) { parent.append(part); return; }
      const link = document.createElement('a');
      link.href = part;
      link.textContent = part;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      parent.append(link);
    });
  }

  function bubble(role, text, meta) {
    const item = document.createElement('li');
    item.className = 'msg msg--' + role;
    const body = document.createElement('p');
    appendText(body, text);
    const footer = document.createElement('span');
    footer.className = 'msg-meta';
    footer.textContent = meta;
    item.append(body, footer);
    return item;
  }

  function scrollToEnd() {
    const main = log.parentElement;
    main.scrollTop = main.scrollHeight;
  }

  function show(message) {
    const key = conversationSession + ':' + message.seq;
    if (shown.has(key)) return;
    shown.add(key);
    const who = message.role === 'customer' ? t.you : message.role === 'staff' ? message.author || t.staff : t.assistant;
    const time = new Date(message.at).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
    const item = bubble(message.role, message.text, who + ' · ' + time);
    item.dataset.seq = String(message.seq);
    const pending = message.message_id && log.querySelector('[data-pending="' + window.CSS.escape(message.message_id) + '"]');
    if (pending) pending.replaceWith(item);
    else log.append(item);
    $('empty').hidden = true;
  }

  async function poll() {
    // One request at a time; one asked for after a send must start after it, to see the reply.
    while (polling) await polling;
    if (!token) return;
    polling = (async () => {
      const query = new window.URLSearchParams({ tenant, after: String(lastSeq) });
      if (conversationSession) query.set('conversation_session', conversationSession);
      const response = await window.fetch('/api/chat/messages?' + query, { headers: { 'x-session-token': token } });
      if (response.status === 401 || response.status === 403) return forgetSession(t.expired);
      if (!response.ok) return;
      const answer = await response.json();
      // A new session of the conversation (after an idle close) numbers its entries from 0 again.
      if (answer.conversation_session !== conversationSession) lastSeq = -1;
      conversationSession = answer.conversation_session;
      answer.messages.forEach((message) => {
        show(message);
        lastSeq = Math.max(lastSeq, message.seq);
      });
      if (answer.messages.length) scrollToEnd();
    })()
      .catch(() => undefined) // offline for a moment: the next poll catches up
      .finally(() => { polling = null; });
    return polling;
  }

  function schedulePolling() {
    window.clearTimeout(pollTimer);
    if (!token || document.hidden) return;
    pollTimer = window.setTimeout(() => poll().finally(schedulePolling), POLL_MS);
  }

  function forgetSession(notice) {
    store.clear();
    token = null;
    conversationSession = null;
    lastSeq = -1;
    shown.clear();
    log.replaceChildren();
    $('empty').hidden = false;
    setStatus(notice || '');
  }

  function randomId() {
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return 'page-' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  async function send(text) {
    const messageId = failed && failed.text === text ? failed.id : randomId();
    const pending = bubble('customer', text, t.sending);
    pending.classList.add('msg--pending');
    pending.dataset.pending = messageId;
    log.append(pending);
    $('empty').hidden = true;
    scrollToEnd();
    sendButton.disabled = true;
    setStatus(t.typing);
    try {
      const body = { tenant, message: text, message_id: messageId };
      if (token) body.session_token = token;
      const response = await window.fetch('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const answer = await response.json().catch(() => ({}));
      if (answer.session_token) {
        token = answer.session_token;
        store.set(token);
      }
      if (response.status === 401 || response.status === 403) {
        pending.remove();
        forgetSession(t.expired);
        input.value = text;
        return;
      }
      if (response.status === 429 || response.status === 400 || response.status === 413) {
        pending.remove();
        input.value = text;
        setStatus(response.status === 429 ? t.tooFast : t.invalid, true);
        return;
      }
      if (!response.ok && response.status !== 504) throw new Error('HTTP ' + response.status);
      failed = null;
      // 202 (queued) and 504 (slow): the message is kept and the answer comes through polling.
      setStatus(response.status === 200 ? '' : t.later);
      await poll();
      schedulePolling();
    } catch {
      pending.remove();
      failed = { text, id: messageId };
      input.value = text;
      setStatus(t.failed, true);
    } finally {
      sendButton.disabled = false;
    }
  }

  function start() {
    translatePage();
    if (params.get('embed') === '1') {
      const close = $('close');
      close.hidden = false;
      // The widget around the frame listens for this; the message carries nothing secret.
      close.addEventListener('click', () => window.parent.postMessage({ type: 'concierge-chat:close' }, '*'));
    }
    $('composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text || sendButton.disabled) return;
      input.value = '';
      send(text);
    });
    input.addEventListener('keydown', (event) => {
      // Enter sends, Shift+Enter is a new line.
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $('composer').requestSubmit();
      }
    });
    $('new-session').addEventListener('click', () => {
      forgetSession('');
      input.focus();
    });
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) poll().finally(schedulePolling);
    });
    if (token) poll().finally(schedulePolling);
  }

  start();
})();
