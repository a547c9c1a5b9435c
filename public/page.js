/* Web chat page: gets a Direct Line token from the assistant (never a secret), keeps the
   conversation across reloads (sessionStorage) and the user's identity across visits
   (localStorage), and renders Bot Framework Web Chat in French. */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('dla-config').textContent);
  var statusEl = document.getElementById('status');
  var CONVERSATION_KEY = 'dla.conversation';
  var IDENTITY_KEY = 'dla.identity';
  // The language the visitor chose (« English »): the assistant remembers it for this visitor, so
  // does the page, for a new conversation too.
  var LOCALE_KEY = 'dla.locale';
  var pageLanguage = config.locale.split('-')[0];

  /** The page's own texts (title, header, footer) in a language, when they are not already. */
  function applyTexts(language) {
    var texts = config.texts[language];
    if (!texts || document.documentElement.lang === language) return;
    document.documentElement.lang = language;
    document.title = texts.title;
    document.querySelector('header h1').textContent = texts.heading;
    document.querySelector('header p').textContent = texts.intro;
    document.querySelector('a.skip').textContent = texts.skip;
    document.getElementById('webchat').setAttribute('aria-label', texts.chatLabel);
    var privacy = document.querySelector('footer a');
    privacy.textContent = texts.privacyLink;
    privacy.setAttribute('href', texts.privacyUrl);
    document.getElementById('new-conversation').textContent = texts.newConversation;
  }
  function textsOf(locale) {
    return config.texts[locale.split('-')[0]] || config.texts[pageLanguage];
  }

  function read(storage, key) {
    try { return JSON.parse(storage.getItem(key) || 'null'); } catch (e) { return null; }
  }
  function write(storage, key, value) {
    try { storage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: keep going */ }
  }
  function postJson(url, body, token) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(url, { method: 'POST', headers: headers, body: JSON.stringify(body || {}) }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    });
  }

  /**
   * A check-in e-mail's link (/?suivi=…): exchanged once for its structure's identity, then taken
   * out of the address (a reload or a shared screen does not carry it). A new conversation opens:
   * its welcome offers the check-in waiting for the structure.
   */
  function suiviToken() {
    var match = /[?&]suivi=([^&#]*)/.exec(window.location.search);
    if (!match) return null;
    try { window.history.replaceState(null, '', window.location.pathname); } catch (e) { /* ignore */ }
    return decodeURIComponent(match[1]);
  }

  function showNotice(text) {
    var notice = document.getElementById('notice');
    notice.textContent = text;
    notice.hidden = false;
  }

  /** The conversation of this tab if its token can still be refreshed, else a new one. */
  function session() {
    var suivi = suiviToken();
    var saved = suivi ? null : read(sessionStorage, CONVERSATION_KEY);
    var fresh = function () {
      var body = read(localStorage, IDENTITY_KEY) || {};
      if (suivi) body.suivi = suivi;
      return postJson('/api/webchat/token', body).then(function (s) {
        write(localStorage, IDENTITY_KEY, { userId: s.userId, userProof: s.userProof });
        if (s.suivi === 'expired') showNotice(textsOf(read(localStorage, LOCALE_KEY) || config.locale).linkExpired);
        // The check-in e-mail's language: its conversation opens in it, and the browser keeps it.
        if (s.suivi === 'opened' && typeof s.locale === 'string' && config.texts[s.locale.split('-')[0]]) write(localStorage, LOCALE_KEY, s.locale);
        return { token: s.token, conversationId: s.conversationId, userId: s.userId, domain: s.domain, resume: false };
      });
    };
    if (!saved) return fresh();
    return postJson(saved.domain + '/tokens/refresh', {}, saved.token).then(function (r) {
      return { token: r.token, conversationId: saved.conversationId, userId: saved.userId, domain: saved.domain, resume: true };
    }, fresh);
  }

  function start() {
    session().then(function (s) {
      var saved = { token: s.token, conversationId: s.conversationId, userId: s.userId, domain: s.domain, locale: config.locale };
      var previous = s.resume ? read(sessionStorage, CONVERSATION_KEY) : null;
      var chosen = read(localStorage, LOCALE_KEY);
      if (previous && previous.locale) saved.locale = previous.locale;
      else if (typeof chosen === 'string' && config.texts[chosen.split('-')[0]]) saved.locale = chosen;
      write(sessionStorage, CONVERSATION_KEY, saved);
      var directLine = window.WebChat.createDirectLine({
        token: s.token,
        domain: s.domain,
        conversationId: s.resume ? s.conversationId : undefined,
        // A new conversation starts in the visitor's language: the welcome is written in it.
        conversationStartProperties: { locale: saved.locale }
        // WebSocket stream by default (the local Direct Line and Azure both serve streamUrl).
      });
      var element = document.getElementById('webchat');
      var render = function (locale) {
        applyTexts(locale.split('-')[0]);
        window.WebChat.renderWebChat({
          directLine: directLine,
          store: store,
          // No userID: the token carries the user (Direct Line "dl_" ids are embedded, unforgeable).
          locale: locale,
          styleOptions: {
            accent: config.primaryColor,
            botAvatarInitials: 'DLA',
            botAvatarBackgroundColor: config.primaryColor,
            userAvatarInitials: textsOf(locale).userInitials,
            bubbleFromUserBackground: '#e8eef5',
            hideUploadButton: true,
            // Messages repeat what the structure typed (its name, its request): HTML in them is
            // shown as text, never rendered (the assistant itself writes Markdown only).
            markdownRenderHTML: false,
            sendBoxTextWrap: true,
            suggestedActionLayout: 'flow',
            primaryFont: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif'
          }
        }, element);
      };
      // The assistant says when the user's language is not the page's (« English »): Web Chat's
      // own texts follow, and the next messages carry that locale.
      var store = window.WebChat.createStore({}, function () {
        return function (next) {
          return function (action) {
            var activity = action.type === 'DIRECT_LINE/INCOMING_ACTIVITY' && action.payload.activity;
            if (activity && activity.type === 'event' && activity.name === 'dla.language' && typeof activity.value === 'string' && activity.value !== saved.locale) {
              saved.locale = activity.value;
              write(sessionStorage, CONVERSATION_KEY, saved);
              write(localStorage, LOCALE_KEY, activity.value);
              setTimeout(function () { render(saved.locale); }, 0);
            }
            return next(action);
          };
        };
      });
      render(saved.locale);
      var input = document.querySelector('#webchat input, #webchat textarea');
      if (input) input.focus();
    }).catch(function () {
      statusEl.textContent = config.texts[pageLanguage].connectionError;
    });
  }

  document.getElementById('new-conversation').addEventListener('click', function () {
    try { sessionStorage.removeItem(CONVERSATION_KEY); } catch (e) { /* ignore */ }
    window.location.reload();
  });

  start();
})();
