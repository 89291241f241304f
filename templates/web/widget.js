/* The GCR Intake chat widget (templates/web/widget.js, served as /chat/widget.js), for other sites:
     <script src="https://HOST/chat/widget.js" data-lang="fr" defer></script>
   Adds a floating "Chat with us" button at the bottom corner on the inline end of the host page. On a page of the
   service's own origin it opens /chat?embed=1 in a closable iframe panel; elsewhere it is a link that opens /chat in
   a new tab, because the chat's session cookie (HttpOnly, SameSite=Strict) only works first-party.
   No cookies, no stylesheet (only element.style on its own elements), one global: window.GCRChatWidget. */
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || !script.src || window.GCRChatWidget) return;

  // The only words in JavaScript: the button, the close button and the panel's title.
  const WORDS = {
    en: { open: 'Chat with us', close: 'Close', dir: 'ltr' },
    fr: { open: 'Écrivez-nous', close: 'Fermer', dir: 'ltr' },
    es: { open: 'Escríbanos', close: 'Cerrar', dir: 'ltr' },
    ar: { open: 'راسلنا', close: 'إغلاق', dir: 'rtl' },
  };
  const asked = (script.dataset.lang || document.documentElement.lang || 'en').slice(0, 2).toLowerCase();
  const lang = WORDS[asked] ? asked : 'en';
  const words = WORDS[lang];
  const origin = new URL(script.src, location.href).origin;
  const chatURL = origin + '/chat?lang=' + encodeURIComponent(lang);
  const embedded = origin === location.origin;
  const FONT = lang === 'ar'
    ? '"Noto Sans Arabic", "Noto Naskh Arabic", "Segoe UI", Tahoma, "Geeza Pro", "DejaVu Sans", Arial, sans-serif'
    : 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
  const Z = '2147483000';

  /** Our elements start from the browser's defaults, whatever the host page's style sheets say. */
  function make(tag, styles) {
    const node = document.createElement(tag);
    node.style.all = 'initial';
    Object.assign(node.style, styles);
    return node;
  }

  /** The host page's inline end: right in a left-to-right page, left in a right-to-left one. */
  function endSide() {
    return getComputedStyle(document.documentElement).direction === 'rtl' ? 'left' : 'right';
  }

  /** The yellow focus of the service's own pages, set by hand (no style sheet here). */
  function focusRing(node) {
    node.addEventListener('focus', () => { node.style.outline = '3px solid #0b0c0c'; node.style.boxShadow = '0 0 0 6px #ffdd00'; });
    node.addEventListener('blur', () => { node.style.outline = 'none'; node.style.boxShadow = node.dataset.shadow || 'none'; });
  }

  const side = endSide();
  const launcher = make(embedded ? 'button' : 'a', {
    position: 'fixed', bottom: '1rem', [side]: '1rem', zIndex: Z, boxSizing: 'border-box',
    display: 'inline-flex', alignItems: 'center', minHeight: '3rem', minWidth: '3rem', padding: '0.6rem 1.2rem',
    borderRadius: '1.5rem', border: '2px solid #ffffff', background: '#0b3a66', color: '#ffffff',
    font: '700 1rem/1.3 ' + FONT, textDecoration: 'none', cursor: 'pointer', boxShadow: '0 2px 8px rgba(0, 0, 0, 0.35)',
  });
  launcher.dataset.shadow = launcher.style.boxShadow;
  launcher.textContent = words.open;
  launcher.lang = lang;
  launcher.dir = words.dir;
  focusRing(launcher);

  let panel = null;

  if (embedded) {
    launcher.type = 'button';
    launcher.setAttribute('aria-expanded', 'false');
    launcher.addEventListener('click', () => (panel ? close() : open()));
  } else {
    // A real link to a new tab rather than window.open: never taken for a pop-up, and it can be opened by hand.
    launcher.href = chatURL;
    launcher.target = '_blank';
    launcher.rel = 'noopener';
  }

  /** The panel: phone-sized at the corner, the whole screen on a phone. */
  function open() {
    const phone = window.innerWidth < 480;
    const where = endSide();
    panel = make('div', Object.assign({
      position: 'fixed', zIndex: Z, boxSizing: 'border-box', display: 'flex', flexDirection: 'column',
      background: '#ffffff', border: '1px solid #b8bec6', boxShadow: '0 4px 24px rgba(0, 0, 0, 0.35)', overflow: 'hidden',
    }, phone
      ? { top: '0', left: '0', width: '100%', height: '100%' }
      : { bottom: '5rem', [where]: '1rem', width: 'min(24rem, calc(100vw - 2rem))', height: 'min(40rem, calc(100vh - 6.5rem))', borderRadius: '0.75rem' }));
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', words.open);
    panel.lang = lang;
    panel.dir = words.dir;

    const bar = make('div', { display: 'flex', justifyContent: 'flex-end', background: '#0b3a66', padding: '0.25rem' });
    const closer = make('button', {
      minHeight: '2.75rem', minWidth: '2.75rem', padding: '0.4rem 0.9rem', border: '2px solid #ffffff', borderRadius: '0.5rem',
      background: '#0b3a66', color: '#ffffff', font: '700 1rem/1.3 ' + FONT, cursor: 'pointer',
    });
    closer.type = 'button';
    closer.textContent = words.close;
    closer.addEventListener('click', close);
    focusRing(closer);
    bar.append(closer);

    const frame = make('iframe', { flex: '1 1 auto', width: '100%', border: '0', display: 'block' });
    frame.title = words.open;
    frame.src = chatURL + '&embed=1';
    panel.append(bar, frame);
    panel.addEventListener('keydown', (event) => { if (event.key === 'Escape') close(); });
    document.body.append(panel);
    launcher.setAttribute('aria-expanded', 'true');
    if (phone) launcher.style.display = 'none';
    closer.focus();
  }

  function close() {
    if (!panel) return;
    panel.remove();
    panel = null;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.style.display = 'inline-flex';
    launcher.focus();
  }

  function start() { document.body.append(launcher); }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);

  window.GCRChatWidget = Object.freeze({
    origin,
    lang,
    open() { if (!embedded) window.open(chatURL, '_blank', 'noopener'); else if (!panel) open(); },
    close,
  });
})();
