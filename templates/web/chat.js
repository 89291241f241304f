/* The web chat's script (templates/web/chat.js, served as /chat/chat.js; the page is chat.mustache).
   Shows the conversation so far, long-polls GET /chat/messages?after=CURSOR for the bot's replies, and posts what
   the person types or chooses to POST /chat/messages, in order, keeping each message until it is accepted.
   No words live here: they come from the data-* attributes of #chat. No framework, no build step, no cookies
   (the server keeps the session in its own HttpOnly cookie); sessionStorage keeps unsent text across reloads. */
'use strict';

(() => {
  const root = document.getElementById('chat');
  const log = document.getElementById('chat-log');
  const form = document.getElementById('chat-form');
  const box = document.getElementById('chat-text');
  const statusLine = document.getElementById('chat-status');
  if (!root || !log || !form || !box || !statusLine) return;

  const words = root.dataset;
  const lang = words.lang || document.documentElement.lang || 'en';
  const pageDir = document.documentElement.dir || 'ltr';
  const API = '/chat/messages';
  const POLL_TIMEOUT = 45000; // the server holds a poll about 20 s
  const MAX_BACKOFF = 30000;
  const KEY = { draft: 'gcr-chat-draft', outbox: 'gcr-chat-outbox', reloaded: 'gcr-chat-reloaded' };

  // ----- small helpers

  const store = {
    get(key) { try { return sessionStorage.getItem(key); } catch (e) { return null; } },
    set(key, value) { try { sessionStorage.setItem(key, value); } catch (e) { /* storage off: keep going */ } },
    remove(key) { try { sessionStorage.removeItem(key); } catch (e) { /* idem */ } },
  };

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** A client message id: 'c' and 24 random hex digits. */
  function newId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return 'c' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /** fetch with a time limit; resolves to {status, body, retryAfter}, or rejects on a network error. */
  async function request(method, url, payload, timeout) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeout);
    try {
      const response = await fetch(url, {
        method,
        credentials: 'same-origin',
        cache: 'no-store',
        headers: payload ? { 'Content-Type': 'application/json' } : {},
        body: payload ? JSON.stringify(payload) : undefined,
        signal: abort.signal,
      });
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      return { status: response.status, body, retryAfter: Number(response.headers.get('Retry-After')) || 0 };
    } finally {
      clearTimeout(timer);
    }
  }

  function scrollToEnd(instant) {
    try {
      log.scrollTo({ top: log.scrollHeight, behavior: instant ? 'instant' : 'auto' });
    } catch (e) {
      log.scrollTop = log.scrollHeight; // a browser that does not know 'instant'
    }
  }

  /** Waits `ms`, or less if a message of ours was accepted (wake) since the last poll began. */
  let wakeUp = null;
  let woken = false;
  function nap(ms) {
    if (woken) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); wakeUp = null; resolve(); }
      wakeUp = done;
    });
  }
  function wake() {
    woken = true;
    if (wakeUp) wakeUp();
  }

  /** True within a minute of a reload made because the session was lost. */
  function justReloaded() {
    return Date.now() - (Number(store.get(KEY.reloaded)) || 0) < 60000;
  }

  function setStatus(text) {
    if (statusLine.textContent !== text) statusLine.textContent = text || '';
  }

  /** 401: the session cookie is gone. Reload once (the page gets a new cookie); a second time, say so. */
  function sessionLost() {
    if (!justReloaded()) {
      store.set(KEY.reloaded, String(Date.now()));
      location.reload();
    } else {
      setStatus(words.sessionLost);
    }
  }

  // ----- the log

  const shown = new Set(); // "bot:12", "me:7": what is already on screen (the two sides number apart)
  let cursor = 0;
  let loaded = false; // the history is on screen: sending may start
  let options = null; // the choice buttons under the newest bot message, if any

  /** A message bubble: who spoke (for screen readers), then the text. */
  function bubble(side, text) {
    const node = element('div', 'msg ' + side);
    node.dir = 'auto';
    const who = element('span', 'visually-hidden', (side === 'me' ? words.you : words.bot) + ' ');
    who.dir = pageDir; // its own dir: not counted by the bubble's dir="auto"
    node.append(who, element('div', 'text', text));
    return node;
  }

  /** The text without its lines "N. label" that the buttons show (the full text comes back with retireOptions). */
  function withoutChoices(text, choices) {
    const lines = new Set(choices.map((c) => c.number + '. ' + c.label));
    return text.split('\n').filter((line) => !lines.has(line.trim())).join('\n');
  }

  /** A newer bot message came: the older one's buttons go, and its text lists the choices again. */
  function retireOptions() {
    if (!options) return;
    const node = options.parentNode;
    node.querySelector('.text').textContent = node.fullText;
    options.remove();
    options = null;
  }

  function addBot(message) {
    const text = message.text || '';
    const choices = Array.isArray(message.options) ? message.options : [];
    const node = bubble('bot', choices.length ? withoutChoices(text, choices) : text);
    node.fullText = text;
    const hadFocus = options && options.contains(document.activeElement);
    retireOptions();
    if (choices.length) {
      options = element('div', 'options');
      options.setAttribute('role', 'group');
      options.setAttribute('aria-label', words.choices);
      for (const choice of choices) {
        const button = element('button', 'option', choice.number + '. ' + choice.label);
        button.type = 'button';
        button.dir = 'auto';
        button.dataset.number = String(choice.number);
        button.dataset.label = choice.label;
        options.append(button);
      }
      node.append(options);
    }
    log.append(node);
    // Focus was on a choice that is gone: the next choices, else the message box. Otherwise focus stays put.
    if (hadFocus) (options ? options.querySelector('button') : box).focus({ preventScroll: true });
  }

  /** "2" answering a question whose choice 2 is "Planned" shows as "Planned" in the history. */
  function labelOf(text, choices) {
    const number = String(text).trim();
    if (!/^\d{1,3}$/.test(number)) return text;
    const choice = (choices || []).find((c) => String(c.number) === number);
    return choice ? choice.label : text;
  }

  /** Adds the messages not yet shown; yours only from the history (later, yours are on screen already). */
  function render(messages, withMine) {
    let choices = null;
    for (const message of messages) {
      const key = message.from + ':' + message.id;
      if (message.from === 'bot') {
        if (!shown.has(key)) addBot(message);
        choices = message.options;
      } else if (withMine && !shown.has(key)) {
        log.append(bubble('me', labelOf(message.text || '', choices)));
      }
      shown.add(key);
    }
  }

  // ----- receiving

  async function receive() {
    let backoff = 1000;
    let first = true;
    for (;;) {
      let answer = null;
      woken = false;
      try {
        answer = await request('GET', API + '?after=' + cursor, null, POLL_TIMEOUT);
      } catch (e) {
        answer = null; // network error or time-out
      }
      if (answer && answer.status === 401) {
        sessionLost();
        return;
      }
      const body = answer && answer.status === 200 ? answer.body : null;
      if (body && Array.isArray(body.messages)) {
        backoff = 1000;
        setStatus('');
        const before = log.childElementCount;
        render(body.messages, first);
        if (typeof body.cursor === 'number') cursor = body.cursor;
        if (first) {
          if (!body.messages.length) log.append(element('div', 'msg note', words.intro));
          loaded = true;
          restoreOutbox();
          scrollToEnd(true);
          first = false;
        } else if (log.childElementCount > before) {
          scrollToEnd(false);
        }
        // after=0 answers at once with the history, so with no reply yet there is nothing to wait on:
        // ask again when a message of ours is accepted (its reply is committed with it), or in 20 s.
        if (cursor === 0) await nap(20000);
        continue;
      }
      setStatus(words.offline);
      await sleep(answer && answer.retryAfter ? Math.max(backoff, answer.retryAfter * 1000) : backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF);
    }
  }

  // ----- sending

  const queue = []; // messages to post, oldest first: {id, text, shown, node}
  let pumping = false;

  function saveOutbox(items) {
    const kept = items.map(({ id, text, shown: label }) => ({ id, text, shown: label }));
    if (kept.length) store.set(KEY.outbox, JSON.stringify(kept));
    else store.remove(KEY.outbox);
  }

  const unsent = new Map(); // id → message, until the server accepts it (kept in sessionStorage too)

  function remember(message) { unsent.set(message.id, message); saveOutbox([...unsent.values()]); }
  function forget(message) { unsent.delete(message.id); saveOutbox([...unsent.values()]); }

  /** The line under one of your messages: sending, nothing once sent, or not sent (with a retry button). */
  function setState(message, state, note, waitSeconds) {
    const line = message.node.querySelector('.state');
    const hadFocus = line.contains(document.activeElement);
    line.textContent = '';
    line.dir = pageDir;
    message.node.classList.toggle('failed', state === 'failed' || state === 'returned');
    message.node.classList.toggle('sending', state === 'sending');
    if (state === 'sending') line.textContent = words.sending;
    if (state === 'returned') line.textContent = note;
    if (state === 'failed') {
      line.append(element('span', '', note ? words.failed + ' ' + note : words.failed), ' ');
      const retry = element('button', 'retry', words.retry);
      retry.type = 'button';
      retry.dataset.id = message.id;
      if (waitSeconds > 0) {
        retry.disabled = true;
        setTimeout(() => { retry.disabled = false; }, Math.min(waitSeconds, 300) * 1000);
      }
      line.append(retry);
      if (message.group) message.group.classList.remove('chosen'); // its choices can be used again
    }
    // Focus was on a retry button that is gone: the new one, else the message box.
    if (hadFocus) (line.querySelector('button:enabled') || box).focus({ preventScroll: true });
  }

  /** Shows a message of yours at once and queues it; `label` is what the bubble says (a choice's label). */
  function send(text, label, group) {
    const message = { id: newId(), text, shown: label || text, group };
    message.node = bubble('me', message.shown);
    message.node.append(element('span', 'state'));
    log.append(message.node);
    scrollToEnd(false);
    remember(message);
    queue.push(message);
    setState(message, 'sending');
    pump();
  }

  /** Posts the queued messages one by one, so they arrive in order; stops at the first failure. */
  async function pump() {
    if (pumping) return;
    pumping = true;
    while (queue.length) {
      const message = queue[0];
      setState(message, 'sending');
      let answer = null;
      try {
        answer = await request('POST', API, { id: message.id, text: message.text, lang }, 30000);
      } catch (e) {
        answer = null;
      }
      if (answer && answer.status === 200) {
        queue.shift();
        forget(message);
        // A message restored after a reload that had in fact arrived is in the history already.
        if (message.restored && answer.body && answer.body.status === 'duplicate') message.node.remove();
        else setState(message, 'sent');
        wake();
        continue;
      }
      if (answer && answer.status === 401) {
        sessionLost(); // the outbox in sessionStorage brings the messages back after the reload
        break;
      }
      const error = answer && answer.body && answer.body.error;
      if (answer && (answer.status === 400 || answer.status === 413) && error !== 'no_session') {
        // Sending it again cannot work: give the text back to the person.
        queue.shift();
        forget(message);
        giveBack(message.text);
        setState(message, 'returned', answer.status === 413 ? words.tooLong : words.returned);
        continue;
      }
      // Network, 5xx, 429: this one and those after it wait for a retry.
      const wait = answer ? answer.retryAfter : 0;
      for (const waiting of queue.splice(0)) {
        setState(waiting, 'failed', answer && answer.status === 429 ? words.wait : '', wait);
      }
      scrollToEnd(false); // the retry button in view
    }
    pumping = false;
  }

  function retry(id) {
    const message = unsent.get(id);
    if (!message || queue.includes(message)) return;
    queue.push(message);
    pump();
  }

  /** Messages not yet accepted when the page was reloaded come back and are sent again (the server ignores a
      second copy of an id); after a reload for a lost session, they wait for their retry button instead. */
  function restoreOutbox() {
    const resend = !justReloaded();
    let saved = [];
    try { saved = JSON.parse(store.get(KEY.outbox) || '[]'); } catch (e) { saved = []; }
    for (const item of Array.isArray(saved) ? saved : []) {
      if (!item || typeof item.id !== 'string' || typeof item.text !== 'string' || unsent.has(item.id)) continue;
      const message = { id: item.id, text: item.text, shown: String(item.shown || item.text), restored: true };
      message.node = bubble('me', message.shown);
      message.node.append(element('span', 'state'));
      log.append(message.node);
      unsent.set(message.id, message);
      if (resend) queue.push(message);
      setState(message, resend ? 'sending' : 'failed', '', 0);
    }
    if (queue.length) pump();
  }

  /** Puts text back in the message box, unless the person is already writing something else. */
  function giveBack(text) {
    if (box.value.trim() === '') {
      box.value = text;
      store.set(KEY.draft, text);
    }
  }

  // ----- the form, the choices, the retry buttons

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = box.value.trim();
    if (!text || !loaded) { box.focus(); return; } // before the history is shown, the text waits in the box
    box.value = '';
    store.remove(KEY.draft);
    send(text);
    box.focus();
  });

  box.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.isComposing || event.keyCode === 229) return; // an input method is still composing
    event.preventDefault();
    if (form.requestSubmit) form.requestSubmit();
    else form.dispatchEvent(new Event('submit', { cancelable: true }));
  });

  box.addEventListener('input', () => {
    if (box.value) store.set(KEY.draft, box.value);
    else store.remove(KEY.draft);
  });

  log.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const option = target && target.closest('button.option');
    if (option) {
      // One answer per set of choices (a double tap must not answer the next question too).
      const group = option.parentNode;
      if (group.classList.contains('chosen')) return;
      group.classList.add('chosen');
      send(option.dataset.number, option.dataset.label, group);
      return;
    }
    const again = target && target.closest('button.retry');
    if (again && !again.disabled) retry(again.dataset.id);
  });

  // ----- start

  const draft = store.get(KEY.draft);
  if (draft && !box.value) box.value = draft;
  form.hidden = false;
  receive();
})();
