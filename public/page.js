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

  /**
   * The connection, as the visitor sees it. Web Chat says nothing when its stream drops (Direct
   * Line keeps saying « online »), so the page does: it says so in a banner while it waits for
   * the assistant to answer again, then lets Direct Line reconnect at once, and says it is back.
   */
  var connection = {
    locale: config.locale,
    down: false,
    streamOpen: false,
    waiting: [],
    banner: document.getElementById('connection'),
    say: function (key) {
      var banner = this.banner;
      clearTimeout(this.hideTimer);
      banner.textContent = textsOf(this.locale)[key];
      banner.className = 'connection' + (key === 'reconnected' ? ' restored' : '');
      banner.hidden = false;
      if (key === 'reconnected') this.hideTimer = setTimeout(function () { banner.hidden = true; }, 4000);
    },
    lost: function () {
      if (this.down) return;
      this.down = true;
      this.say('reconnecting');
      this.poll();
    },
    /** Until the assistant answers again (its health check), every 2 s. */
    poll: function () {
      var self = this;
      fetch('/healthz', { method: 'HEAD', cache: 'no-store' }).then(function (res) { return res.ok; }, function () { return false; }).then(function (ok) {
        if (!ok) return setTimeout(function () { self.poll(); }, 2000);
        var waiting = self.waiting;
        self.waiting = [];
        waiting.forEach(function (resume) { resume(); });
        if (self.streamOpen) self.opened(); // only a post had failed (a slow answer): the stream is there
      });
    },
    /** `resume` runs once the assistant can be reached (at once if it is not known to be down). */
    whenReachable: function (resume) {
      this.waiting.push(resume);
      if (!this.down) this.lost();
    },
    opened: function () {
      if (!this.down) return;
      this.down = false;
      this.say('reconnected');
    }
  };

  /**
   * The WebSocket Direct Line reads the conversation from, telling the page when it drops; the
   * drop is passed on to Direct Line only once the assistant answers again, so that its first
   * reconnection attempt succeeds (a failed one waits 20 s before the next).
   */
  function WatchedWebSocket(url) {
    var self = this;
    var ws = new WebSocket(url);
    var closedOnPurpose = false;
    this.readyState = 0;
    ws.onopen = function (event) {
      self.readyState = 1;
      connection.streamOpen = true;
      connection.opened();
      if (self.onopen) self.onopen(event);
    };
    ws.onmessage = function (event) { if (self.onmessage) self.onmessage(event); };
    ws.onclose = function (event) {
      self.readyState = 3;
      connection.streamOpen = false;
      if (closedOnPurpose) return self.onclose && self.onclose(event);
      connection.whenReachable(function () { if (self.onclose) self.onclose(event); });
    };
    this.send = function (data) { if (ws.readyState === 1) ws.send(data); };
    this.close = function () { closedOnPurpose = true; ws.close(); };
  }

  /**
   * Direct Line answers « retry » when a message could not be posted (no network, assistant
   * restarting): Web Chat would then mark it failed. It is posted again, with the same client id
   * (the assistant keeps it once), as soon as the assistant can be reached.
   */
  function postWhenReachable(directLine) {
    var post = directLine.postActivity.bind(directLine);
    directLine.postActivity = function (activity) {
      return {
        subscribe: function (observer) {
          var subscription;
          var stopped = false;
          var attempt = function () {
            if (stopped) return;
            subscription = post(activity).subscribe({
              next: function (id) {
                if (id === 'retry') connection.whenReachable(attempt);
                else if (observer.next) observer.next(id);
              },
              error: function (err) { if (observer.error) observer.error(err); },
              complete: function () { /* the id (or the retry) was given to next */ }
            });
          };
          attempt();
          return { unsubscribe: function () { stopped = true; if (subscription) subscription.unsubscribe(); } };
        }
      };
    };
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
      // Web Chat's createDirectLine passes no WebSocket option on: set on its services, read at
      // each connection. Reconnects as soon as a dropped stream is passed on (the assistant is
      // then reachable).
      directLine.services.WebSocket = WatchedWebSocket;
      directLine.getRetryDelay = function () { return 500; };
      postWhenReachable(directLine);
      var element = document.getElementById('webchat');
      var render = function (locale) {
        applyTexts(locale.split('-')[0]);
        connection.locale = locale;
        window.WebChat.renderWebChat({
          directLine: directLine,
          store: store,
          // No userID: the token carries the user (Direct Line "dl_" ids are embedded, unforgeable).
          locale: locale,
          // A message waits this long for the connection to come back before it is marked failed.
          sendTimeout: 60000,
          activityMiddleware: markLanguage,
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
      // Each message says its own language (WCAG 3.1.2): once the conversation is in English, the
      // French messages above it are still read aloud in French by screen readers, and the other
      // way round. Web Chat's bundle keeps its React to itself, so the wrapper is the element
      // React would build for <div lang style="display: contents">, made from the message's own.
      var markLanguage = function () {
        return function (next) {
          return function (setup) {
            var renderActivity = next(setup);
            var locale = setup && setup.activity && setup.activity.locale;
            var lang = typeof locale === 'string' && /^[a-z]{2}(-|$)/i.test(locale) && locale.split('-')[0].toLowerCase();
            if (!renderActivity || !lang) return renderActivity;
            return function () {
              var rendered = renderActivity.apply(null, arguments);
              if (!rendered || typeof rendered !== 'object' || !rendered.$$typeof) return rendered;
              return { $$typeof: rendered.$$typeof, type: 'div', key: null, ref: null, _owner: null,
                props: { lang: lang, style: { display: 'contents' }, children: rendered } };
            };
          };
        };
      };
      // A card answered (the diagnostic's areas): the keyboard moves on with the conversation, to
      // the next card's first field, else to the send box, instead of staying on the old card.
      var afterCardSubmit = false;
      var focusTimer;
      var focusAfterCardSubmit = function () {
        afterCardSubmit = false;
        var activities = element.querySelectorAll('.webchat__basic-transcript__activity');
        var last = activities[activities.length - 1];
        var field = last && last.querySelector('.ac-adaptiveCard input, .ac-adaptiveCard textarea, .ac-adaptiveCard select');
        var target = field || element.querySelector('[data-id="webchat-sendbox-input"]');
        if (target) target.focus();
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
            if (action.type === 'WEB_CHAT/SEND_POST_BACK' || action.type === 'WEB_CHAT/SEND_MESSAGE_BACK') afterCardSubmit = true;
            if (afterCardSubmit && activity && activity.type === 'message' && activity.from && activity.from.role === 'bot') {
              clearTimeout(focusTimer);
              focusTimer = setTimeout(focusAfterCardSubmit, 400);
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
