/* global window, document */
// The staff inbox: plain JavaScript, no build step. Staff sign in with their clinic's token, kept
// in sessionStorage (gone when the tab closes) and sent as a bearer token to /admin/conversations.
// Conversations waiting for a person come first; the list and the open conversation are polled.
// Everything a customer wrote is shown as text, never as HTML.
(function () {
  'use strict';

  const TEXTS = {
    en: {
      title: 'Inbox', signInHint: "Sign in with your clinic's access token.", tokenLabel: 'Access token',
      nameLabel: 'Your name (customers see it on the web chat)', signIn: 'Sign in', signOut: 'Sign out',
      badToken: 'That token was not accepted.', offline: 'Cannot reach the server; retrying…', noConversations: 'No conversations yet.',
      conversations: 'Conversations', customer: 'Customer', back: 'Back', takeOver: 'Take over', handBack: 'Hand back to the assistant',
      replyLabel: 'Reply', replyPlaceholder: 'Reply to the customer…', send: 'Send', lead: 'Lead', bookings: 'Bookings',
      noLead: 'No lead yet.', noBookings: 'No upcoming bookings.', waiting: (count) => count + ' waiting',
      status: { active: 'Assistant', handoff: 'Needs a person', closed: 'Closed' },
      roles: { customer: 'Customer', assistant: 'Assistant', staff: 'Staff' },
      waitingSince: (reason, time) => 'Waiting for a person since ' + time + ': ' + reason,
      timesIn: (zone) => 'times in ' + zone, newSession: 'New session', silenced: 'not answered by the assistant',
      sending: 'Sending…', sent: 'Sent.', failed: 'Not sent; try again.', closed: 'This conversation is closed: it opens again when the customer writes.',
      leadFields: { name: 'Name', phone: 'Phone', email: 'E-mail', company: 'Company', stage: 'Stage', score: 'Score' },
      media: 'attachment', takenBy: (name) => 'taken over by ' + name, takenByStaff: 'taken over by staff',
    },
    es: {
      title: 'Bandeja', signInHint: 'Entra con el token de acceso de tu clínica.', tokenLabel: 'Token de acceso',
      nameLabel: 'Tu nombre (los clientes lo ven en el chat web)', signIn: 'Entrar', signOut: 'Salir',
      badToken: 'Ese token no es válido.', offline: 'Sin conexión con el servidor; reintentando…', noConversations: 'Todavía no hay conversaciones.',
      conversations: 'Conversaciones', customer: 'Cliente', back: 'Volver', takeOver: 'Tomar la conversación', handBack: 'Devolver al asistente',
      replyLabel: 'Respuesta', replyPlaceholder: 'Responde al cliente…', send: 'Enviar', lead: 'Lead', bookings: 'Reservas',
      noLead: 'Sin lead todavía.', noBookings: 'Sin reservas próximas.', waiting: (count) => count + ' esperando',
      status: { active: 'Asistente', handoff: 'Necesita una persona', closed: 'Cerrada' },
      roles: { customer: 'Cliente', assistant: 'Asistente', staff: 'Equipo' },
      waitingSince: (reason, time) => 'Esperando a una persona desde ' + time + ': ' + reason,
      timesIn: (zone) => 'horas de ' + zone, newSession: 'Nueva sesión', silenced: 'sin respuesta del asistente',
      sending: 'Enviando…', sent: 'Enviado.', failed: 'No se envió; inténtalo de nuevo.', closed: 'La conversación está cerrada: se abre de nuevo cuando el cliente escriba.',
      leadFields: { name: 'Nombre', phone: 'Teléfono', email: 'E-mail', company: 'Empresa', stage: 'Etapa', score: 'Puntaje' },
      media: 'adjunto', takenBy: (name) => 'tomada por ' + name, takenByStaff: 'tomada por el equipo',
    },
  };
  const LIST_POLL_MS = 4000;
  const CONVERSATION_POLL_MS = 2500;
  const TOKEN_KEY = 'concierge-inbox:token';
  const NAME_KEY = 'concierge-inbox:name';

  const language = (window.navigator.language || 'en').toLowerCase().startsWith('es') ? 'es' : 'en';
  const t = TEXTS[language];
  const $ = (id) => document.getElementById(id);

  // sessionStorage may be blocked (some private modes): then sign-in lasts as long as the page.
  const memory = {};
  const store = {
    get: (key) => { try { return window.sessionStorage.getItem(key); } catch { return memory[key] || null; } },
    set: (key, value) => { try { window.sessionStorage.setItem(key, value); } catch { memory[key] = value; } },
    clear: (key) => { try { window.sessionStorage.removeItem(key); } catch { delete memory[key]; } },
  };

  let token = store.get(TOKEN_KEY);
  let selectedId = null;
  let detail = null;
  let shownTranscript = '';
  let listTimer = null;
  let conversationTimer = null;

  function translatePage() {
    document.documentElement.lang = language;
    document.title = t.title;
    document.querySelectorAll('[data-text]').forEach((element) => { element.textContent = t[element.dataset.text]; });
    document.querySelectorAll('[data-label]').forEach((element) => element.setAttribute('aria-label', t[element.dataset.label]));
    document.querySelectorAll('[data-placeholder]').forEach((element) => { element.placeholder = t[element.dataset.placeholder]; });
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- The admin API -----------------------------------------------------------------------

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const headers = { authorization: 'Bearer ' + token };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await window.fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401) throw new SignedOut();
    const answer = await response.json().catch(() => ({}));
    return { status: response.status, ok: response.ok, body: answer };
  }

  function conversationPath(id, action) {
    return '/admin/conversations/' + encodeURIComponent(id) + (action || '');
  }

  function randomId() {
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return 'inbox-' + Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }

  // --- Times -------------------------------------------------------------------------------

  function localTime(iso, timeZone) {
    return new Intl.DateTimeFormat(language, { timeZone, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  }

  function ago(iso) {
    const minutes = Math.round((Date.parse(iso) - Date.now()) / 60000);
    const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
    if (Math.abs(minutes) < 60 * 24) return format.format(Math.round(minutes / 60), 'hour');
    return format.format(Math.round(minutes / 1440), 'day');
  }

  // --- Sign-in -----------------------------------------------------------------------------

  function showSignIn(message) {
    window.clearTimeout(listTimer);
    window.clearTimeout(conversationTimer);
    token = null;
    store.clear(TOKEN_KEY);
    selectedId = null;
    detail = null;
    $('app').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
    $('staff-name').value = store.get(NAME_KEY) || '';
    $('token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    token = $('token').value.trim();
    const name = $('staff-name').value.trim();
    if (name) store.set(NAME_KEY, name); else store.clear(NAME_KEY);
    try {
      const answer = await api('GET', '/admin/conversations?limit=1');
      if (!answer.ok) throw new SignedOut();
    } catch (error) {
      return showSignIn(error instanceof SignedOut ? t.badToken : t.offline);
    }
    store.set(TOKEN_KEY, token);
    $('token').value = '';
    startInbox();
  }

  function startInbox() {
    $('sign-in').hidden = true;
    $('app').hidden = false;
    refreshList();
  }

  /** Any call may find the token revoked: back to sign-in. Network trouble is shown and retried. */
  function guarded(work) {
    return work()
      .then(() => { $('connection').textContent = ''; })
      .catch((error) => {
        if (error instanceof SignedOut) return showSignIn(t.badToken);
        $('connection').textContent = t.offline;
      });
  }

  // --- The list ------------------------------------------------------------------------------

  /** Waiting for a person first, then the newest; one row per conversation (its latest session). */
  function ordered(waiting, recent) {
    const seen = new Set();
    return [...waiting, ...recent].filter((conversation) => !seen.has(conversation.id) && seen.add(conversation.id));
  }

  async function loadList() {
    const [waiting, recent] = await Promise.all([
      api('GET', '/admin/conversations?status=handoff&limit=100'),
      api('GET', '/admin/conversations?limit=50'),
    ]);
    if (!waiting.ok || !recent.ok) throw new Error('list failed');
    renderList(ordered(waiting.body.conversations, recent.body.conversations), waiting.body.conversations.length);
  }

  function refreshList() {
    window.clearTimeout(listTimer);
    return guarded(loadList).finally(() => {
      if (token) listTimer = window.setTimeout(refreshList, LIST_POLL_MS);
    });
  }

  function renderList(conversations, waitingCount) {
    $('waiting-count').hidden = waitingCount === 0;
    $('waiting-count').textContent = t.waiting(waitingCount);
    $('list-empty').hidden = conversations.length > 0;
    $('conversations').replaceChildren(...conversations.map((conversation) => {
      const item = element('li');
      const button = element('button', 'conversation-item');
      button.type = 'button';
      button.dataset.id = conversation.id;
      button.dataset.status = conversation.status || '';
      if (conversation.id === selectedId) button.setAttribute('aria-current', 'true');
      const first = element('span', 'line');
      first.append(element('span', 'who', conversation.display_name || conversation.contact_id || conversation.id), element('span', 'badge badge--' + conversation.status, t.status[conversation.status] || conversation.status));
      const second = element('span', 'line');
      const where = conversation.display_name ? conversation.channel + ' · ' + conversation.contact_id : conversation.channel;
      second.append(element('span', 'channel', where), element('span', 'when', conversation.started_at ? ago(conversation.started_at) : ''));
      button.append(first, second);
      button.addEventListener('click', () => open(conversation.id));
      item.append(button);
      return item;
    }));
  }

  // --- The open conversation -------------------------------------------------------------------

  function open(id) {
    selectedId = id;
    detail = null;
    shownTranscript = '';
    $('transcript').replaceChildren();
    $('conversation-status').textContent = '';
    $('conversation').hidden = false;
    $('customer').hidden = false;
    $('app').classList.add('is-reading');
    // On a phone the customer's details start folded: the transcript needs the room.
    $('customer-details').open = !window.matchMedia('(max-width: 899px)').matches;
    document.querySelectorAll('.conversation-item').forEach((button) => button.toggleAttribute('aria-current', button.dataset.id === id));
    refreshConversation();
  }

  function close() {
    selectedId = null;
    window.clearTimeout(conversationTimer);
    $('conversation').hidden = true;
    $('customer').hidden = true;
    $('app').classList.remove('is-reading');
    refreshList();
  }

  async function loadConversation() {
    const id = selectedId;
    if (!id) return;
    const answer = await api('GET', conversationPath(id));
    if (id !== selectedId) return; // another one was opened meanwhile
    if (!answer.ok) throw new Error('conversation failed');
    detail = answer.body;
    renderConversation();
  }

  function refreshConversation() {
    window.clearTimeout(conversationTimer);
    return guarded(loadConversation).finally(() => {
      if (token && selectedId) conversationTimer = window.setTimeout(refreshConversation, CONVERSATION_POLL_MS);
    });
  }

  function renderConversation() {
    const zone = detail.time_zone;
    $('conversation-name').textContent = detail.display_name || detail.contact_id;
    $('conversation-meta').textContent = [detail.channel, detail.contact_id, t.status[detail.status], t.timesIn(zone)].join(' · ');
    $('conversation').dataset.status = detail.status;
    $('take-over').hidden = detail.status !== 'active';
    $('hand-back').hidden = detail.status !== 'handoff';
    $('reply-form').hidden = detail.status === 'closed';
    $('handoff-banner').hidden = !detail.handoff;
    if (detail.handoff) $('handoff-banner').textContent = t.waitingSince(detail.handoff.reason, localTime(detail.handoff.since, zone));
    if (detail.status === 'closed') $('conversation-status').textContent = t.closed;
    renderTranscript(zone);
    renderLead(detail.lead);
    renderBookings(detail.bookings, zone);
  }

  function renderTranscript(zone) {
    const entries = detail.transcript.filter((entry) => entry.text !== '' || entry.media.length > 0);
    const key = entries.map((entry) => entry.session_id + ':' + entry.seq).join(',');
    if (key === shownTranscript) return; // unchanged: keep where staff scrolled to
    shownTranscript = key;
    const log = $('transcript');
    const items = [];
    entries.forEach((entry, index) => {
      if (index > 0 && entries[index - 1].session_id !== entry.session_id) items.push(element('li', 'session-break', t.newSession + ' · ' + localTime(entry.at, zone)));
      const item = element('li', 'msg msg--' + entry.role);
      item.dataset.role = entry.role;
      const text = entry.text || '[' + entry.media.map(() => t.media).join(', ') + ']';
      const meta = [entry.role === 'staff' && entry.author ? entry.author : t.roles[entry.role], localTime(entry.at, zone)];
      if (entry.silenced === 'handoff') meta.push(t.silenced);
      item.append(element('p', '', text), element('span', 'msg-meta', meta.join(' · ')));
      items.push(item);
    });
    log.replaceChildren(...items);
    log.scrollTop = log.scrollHeight;
  }

  function renderLead(lead) {
    const list = $('lead');
    if (!lead) return list.replaceChildren(element('dd', 'muted', t.noLead));
    const rows = Object.entries(t.leadFields).filter(([field]) => lead[field] !== null && lead[field] !== undefined && lead[field] !== '');
    list.replaceChildren(...rows.flatMap(([field, label]) => [element('dt', '', label), element('dd', '', String(lead[field]))]));
  }

  function renderBookings(bookings, zone) {
    const list = $('bookings');
    if (bookings.length === 0) return list.replaceChildren(element('li', 'muted', t.noBookings));
    list.replaceChildren(...bookings.map((booking) => element('li', '', booking.service.name + ' · ' + localTime(booking.start, zone) + ' · ' + booking.status)));
  }

  // --- Staff actions -------------------------------------------------------------------------

  async function act(action, body) {
    const answer = await api('POST', conversationPath(selectedId, action), body);
    if (answer.status === 409) $('conversation-status').textContent = t.closed;
    else if (!answer.ok) throw new Error(action + ' failed');
    // The workflow takes the signal within a moment: look again soon, and once more after.
    window.setTimeout(refreshConversation, 500);
    window.setTimeout(refreshList, 1500);
    return answer;
  }

  let failedReply = null; // sent again with the same id: the conversation delivers it once

  async function sendReply(event) {
    event.preventDefault();
    const text = $('reply').value.trim();
    if (!text || !selectedId) return;
    const messageId = failedReply && failedReply.text === text ? failedReply.id : randomId();
    const pending = element('li', 'msg msg--staff msg--pending');
    pending.append(element('p', '', text), element('span', 'msg-meta', t.sending));
    $('transcript').append(pending);
    $('transcript').scrollTop = $('transcript').scrollHeight;
    $('send').disabled = true;
    const author = store.get(NAME_KEY);
    const body = author ? { text, author, message_id: messageId } : { text, message_id: messageId };
    await guarded(async () => {
      const answer = await act('/messages', body);
      if (!answer.ok) return;
      failedReply = null;
      $('reply').value = '';
      $('conversation-status').textContent = t.sent;
    });
    if ($('reply').value !== '') {
      failedReply = { text, id: messageId };
      pending.remove();
      $('conversation-status').textContent = $('conversation-status').textContent || t.failed;
    }
    $('send').disabled = false;
  }

  function takeOver() {
    const name = store.get(NAME_KEY);
    return guarded(() => act('/handoff', { reason: name ? t.takenBy(name) : t.takenByStaff }));
  }

  function handBack() {
    return guarded(() => act('/resume'));
  }

  // --- Start ---------------------------------------------------------------------------------

  translatePage();
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => showSignIn(''));
  $('back').addEventListener('click', close);
  $('take-over').addEventListener('click', takeOver);
  $('hand-back').addEventListener('click', handBack);
  $('reply-form').addEventListener('submit', sendReply);
  $('reply').addEventListener('keydown', (event) => {
    // Enter sends, Shift+Enter starts a new line, as in every chat.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $('reply-form').requestSubmit();
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden || !token) return;
    refreshList();
    if (selectedId) refreshConversation();
  });
  if (token) startInbox(); else showSignIn('');
})();
