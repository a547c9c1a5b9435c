/* Back-office of the DLA assistant, for chargé·es d'accompagnement. No framework, no CDN.
   Every piece of data is put in the page with textContent / createTextNode / setAttribute:
   what structures wrote (and the whole transcript) is never parsed as HTML.
   A login link's one-time code comes in the URL fragment (#code=…) and is spent for a session
   token, kept in localStorage (every tab of this browser, until it expires or the user signs out;
   signing out in one tab signs out the others); API calls send it as "Authorization: Bearer …". */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('admin-config').textContent);
  var TEXTS = config.texts.admin;
  var THEME_LABELS = config.texts.themes || {};
  var TOKEN_KEY = 'dla.admin.token';
  var DECISION_NOTE_MAX_CHARS = config.decisionNoteMaxChars;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  // Okabe–Ito and Tol colours: distinguishable with the common colour-vision deficiencies.
  var STATUS_SECONDS = 8;
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#882255', '#44AA99', '#999933', '#332288', '#888888'];
  /** Text on a colour of the palette: black where it reads better than white (orange, light blue, green…): 4.5:1 at least either way. */
  function labelOn(hex) {
    var luminance = [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16) / 255; })
      .map(function (c) { return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); })
      .reduce(function (sum, c, k) { return sum + c * [0.2126, 0.7152, 0.0722][k]; }, 0);
    // White (1.05 / (L + 0.05)) or black ((L + 0.05) / 0.05), whichever contrasts more.
    return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? 'on-dark' : 'on-light';
  }

  var main = document.getElementById('main');
  var nav = document.getElementById('nav');
  var session = document.getElementById('session');
  var statusEl = document.getElementById('status');
  var me = null;
  var numberFormat = new Intl.NumberFormat(config.locale, { maximumFractionDigits: 1 });

  if (config.primaryColor) document.documentElement.style.setProperty('--dla-primary', config.primaryColor);
  if (config.accentColor) document.documentElement.style.setProperty('--dla-accent', config.accentColor);

  // ——— texts ———

  var PLURAL = new Intl.PluralRules(config.locale);
  function lookup(path) {
    return path.split('.').reduce(function (node, key) { return node && typeof node === 'object' ? node[key] : undefined; }, TEXTS);
  }
  /** A text, its {{vars}} filled; with a numeric count, its plural form (key_one / key_other, as i18next). */
  function t(path, vars) {
    var value = vars && typeof vars.count === 'number' ? lookup(path + '_' + PLURAL.select(vars.count)) : undefined;
    if (typeof value !== 'string') value = lookup(path);
    if (typeof value !== 'string' && vars && typeof vars.count === 'number') value = lookup(path + '_other');
    if (typeof value !== 'string') return path;
    // French contraction in the label texts (« de {{name}} »): « de Les Jardins » is « des Jardins », « de Le Relais » « du Relais »,
    // and « de Asso Neuve » « d’Asso Neuve » (elision before a vowel).
    value = value.replace(/\bde {{(\w+)}}/g, function (whole, key) {
      var name = vars && vars[key] !== undefined && vars[key] !== null ? String(vars[key]) : '';
      var article = /^(les|le) /i.exec(name);
      if (article) return (article[1].toLowerCase() === 'les' ? 'des ' : 'du ') + name.slice(article[0].length);
      return /^[aeiouyàâäéèêëîïôöùûü]/i.test(name) ? 'd’' + name : whole;
    });
    return value.replace(/{{(\w+)}}/g, function (_, key) { return vars && vars[key] !== undefined && vars[key] !== null ? String(vars[key]) : ''; });
  }
  /** « web chat », « Teams »…: a channel as chargé·es know it (its id when there is no label). */
  function channelLabel(id) {
    var value = lookup('channel.' + id);
    return typeof value === 'string' ? value : id;
  }
  function themeLabel(theme) { return theme ? THEME_LABELS[theme] || theme : t('common.none'); }
  function label(group, value) { return value ? t(group + '.' + value) : t('common.none'); }
  function formatDate(value) {
    if (!value) return t('common.none');
    var d = new Date(value);
    if (isNaN(d.getTime())) return String(value);
    var text = d.toLocaleDateString(config.locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: config.timeZone });
    // French writes the first of the month « 1er » (« le 1er mai »).
    return /^fr/.test(config.locale) ? text.replace(/^1 /, '1er ') : text;
  }
  function formatDateTime(value) {
    if (!value) return t('common.none');
    var d = new Date(value);
    if (isNaN(d.getTime())) return String(value);
    return t('common.dateTime', { date: formatDate(value), time: d.toLocaleTimeString(config.locale, { hour: '2-digit', minute: '2-digit', timeZone: config.timeZone }) });
  }
  function formatNumber(n) { return numberFormat.format(n); }

  /** A phone-sized screen (admin.css's breakpoint): the call backs come first, the filters fold, the charts are drawn narrow. */
  function narrowScreen() { return window.matchMedia('(max-width: 40rem)').matches; }
  /** The section a sign-in or a bare /admin/ opens: on a phone, the handoffs to call back. */
  function homeSection() { return narrowScreen() ? 'handoffs' : 'dossiers'; }

  // ——— DOM helpers (no HTML strings anywhere) ———

  function append(node, children) {
    (Array.isArray(children) ? children : [children]).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) { append(node, child); return; }
      node.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
    });
    return node;
  }
  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'text') node.textContent = String(value);
      else if (key.slice(0, 2) === 'on' && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    });
    return node;
  }
  function h(tag, attrs, children) { return append(setAttrs(document.createElement(tag), attrs), children); }
  function s(tag, attrs, children) { return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children); }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  var ids = 0;
  function uid(prefix) { ids += 1; return prefix + '-' + ids; }
  var statusTimer = null;
  /**
   * Says something in the status line: to screen readers always; with `visible`, on screen too
   * (what an action did: « Relance annulée », « Transmission prise en charge »…) for a few seconds.
   */
  function announce(message, visible) {
    window.clearTimeout(statusTimer);
    statusEl.textContent = '';
    statusEl.className = visible ? 'toast' : 'sr-only';
    window.setTimeout(function () { statusEl.textContent = message; }, 50);
    if (visible) statusTimer = window.setTimeout(function () { statusEl.className = 'sr-only'; statusEl.textContent = ''; }, STATUS_SECONDS * 1000);
  }
  /** What an action did, on screen and for screen readers; the error boxes of earlier actions go. */
  function done(message) {
    clearErrors();
    announce(message, true);
  }
  /** A new action starts: the error boxes of earlier ones would only mislead. */
  function clearErrors() {
    Array.prototype.forEach.call(main.querySelectorAll('.error'), function (el) { el.remove(); });
  }
  function errorBox(message) { return h('p', { class: 'error', role: 'alert', text: message }); }
  function field(labelText, control, hint) {
    var id = control.getAttribute('id') || uid('f');
    control.setAttribute('id', id);
    var hintEl = null;
    if (hint) {
      hintEl = h('span', { class: 'hint', id: id + '-hint', text: hint });
      control.setAttribute('aria-describedby', id + '-hint');
    }
    return h('div', { class: 'field' }, [h('label', { for: id, text: labelText }), hintEl, control]);
  }
  function select(name, values, labelOf, current, allText) {
    var el = h('select', { name: name });
    append(el, h('option', { value: '', text: allText || t('common.all') }));
    values.forEach(function (v) { append(el, h('option', { value: v, text: labelOf(v), selected: v === current })); });
    return el;
  }
  /** Facts as label: value; `nodes` gives some of them (by key) as nodes instead of their text. */
  function definitionList(facts, nodes) {
    var dl = h('dl', { class: 'facts' });
    facts.forEach(function (f) {
      var own = nodes && nodes[f.key] && nodes[f.key].length ? nodes[f.key] : null;
      append(dl, [h('dt', { text: f.label }), own ? h('dd', null, own) : h('dd', { text: f.value })]);
    });
    return dl;
  }
  var firstView = true;
  /** A new view: its heading takes the focus (not on the first one, so Tab starts at the skip link). */
  function view(title, options) {
    clear(main);
    var heading = h('h2', { id: 'view-heading', tabindex: '-1', text: title });
    append(main, heading);
    document.title = title + ' · ' + t('page.title', { operator: config.operator });
    if (firstView) firstView = false;
    else if (!options || options.focus !== false) heading.focus();
    return main;
  }

  // ——— token and API ———

  function token() { try { return localStorage.getItem(TOKEN_KEY); } catch (e) { return null; } }
  function setToken(value) {
    try {
      if (value) localStorage.setItem(TOKEN_KEY, value); else localStorage.removeItem(TOKEN_KEY);
    } catch (e) { /* storage refused: the user will sign in again */ }
  }
  // Signed out (or in) in another tab: this one follows.
  window.addEventListener('storage', function (event) {
    if (event.key === TOKEN_KEY) window.location.reload();
  });
  /** The code of a login link (…/admin/#code=…), or the text itself when it is only the code. */
  function codeFrom(text) {
    var match = /(?:^|[#&?])code=([A-Za-z0-9_-]+)/.exec(text);
    return (match ? match[1] : text).trim();
  }
  /** Spends a login link's code for a session token (a link works once). */
  function signIn(code) {
    return fetch('/admin/api/session', {
      method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ code: code }), credentials: 'omit',
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        if (!res.ok || !data || !data.token) throw new ApiError(res.status, data && data.error ? data.error.message : t('login.invalid'));
        setToken(data.token);
        me = null;
      });
    });
  }
  /** A code in the fragment is taken out of the address bar and history, then spent. */
  function codeFromFragment() {
    var match = /(?:^#|&)code=([^&]+)/.exec(location.hash);
    if (!match) return null;
    history.replaceState(null, '', location.pathname + location.search + '#/' + homeSection());
    return codeFrom(decodeURIComponent(match[1]));
  }

  /** An API error: its HTTP status, its message (in the operator's language) and its code (« OutOfScope »…). */
  function ApiError(status, message, code) { this.status = status; this.message = message; this.code = code; }
  ApiError.prototype = Object.create(Error.prototype);

  function request(method, path, body) {
    var headers = { accept: 'application/json', authorization: 'Bearer ' + (token() || '') };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' })
      .then(function (res) {
        if (res.status === 401) {
          var kept = keepDraft();
          setToken(null);
          me = null;
          showLogin(t(kept ? 'login.expiredKept' : 'login.expired'));
          throw new ApiError(401, t('errors.unauthorized'));
        }
        return res;
      });
  }
  // ——— what was typed when the session ended ———

  var DRAFT_KEY = 'dla.admin.draft';
  // A field typed in (a call's note, a parcours…) is marked, for keepDraft to know what is the user's.
  main.addEventListener('input', function (event) { if (event.target && event.target.labels) event.target.setAttribute('data-typed', ''); });
  /** The fields typed in on a dossier's page (a note, a parcours, a date), by their label; null when there are none. */
  function typedFields() {
    if (!parseHash().parts[1] || parseHash().parts[0] !== 'dossiers') return null;
    var fields = Array.prototype.filter.call(main.querySelectorAll('[data-typed]'), function (el) { return el.labels && el.labels.length; })
      .map(function (el) { return { label: el.labels[0].textContent, value: el.value }; });
    return fields.length ? fields : null;
  }
  /**
   * The session ended while a dossier's page held what the user typed: kept in this browser (with the
   * page and the user), to be put back when they open the same page signed in again. True when kept.
   */
  function keepDraft() {
    var fields = me && typedFields();
    if (!fields) return false;
    try { localStorage.setItem(DRAFT_KEY, JSON.stringify({ hash: location.hash, user: me.email, fields: fields })); } catch (e) { return false; }
    return true;
  }
  /** On the page the draft was typed on, by the same user: the fields filled again, and said so; the draft is then gone. */
  function restoreDraft(root) {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(DRAFT_KEY) || 'null'); } catch (e) { draft = null; }
    if (!draft || !me || draft.user !== me.email || draft.hash !== location.hash) return;
    dropDraft();
    var controls = Array.prototype.filter.call(root.querySelectorAll('input, textarea'), function (el) { return el.labels && el.labels.length; });
    var restored = draft.fields.filter(function (f) {
      var el = controls.filter(function (c) { return c.labels[0].textContent === f.label; })[0];
      if (!el) return false;
      el.value = f.value;
      el.setAttribute('data-typed', '');
      return true;
    });
    if (restored.length) {
      var heading = root.querySelector('#view-heading');
      heading.parentNode.insertBefore(h('p', { class: 'notice draft-restored', role: 'status', text: t('draft.restored') }), heading.nextSibling);
    }
  }
  function dropDraft() { try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* nothing kept */ } }

  function api(method, path, body) {
    return request(method, path, body).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) {
        if (!res.ok) throw new ApiError(res.status, data && data.error ? data.error.message : 'HTTP ' + res.status, data && data.error ? data.error.code : undefined);
        return data;
      });
    });
  }
  function failed(container) {
    return function (err) {
      if (err && err.status === 401) return;
      append(container, errorBox(t('common.error', { message: err && err.message ? err.message : String(err) })));
    };
  }

  // ——— session, navigation, routing ———

  var SECTIONS = ['dossiers', 'handoffs', 'stats', 'users'];

  function renderChrome() {
    clear(session);
    clear(nav);
    if (!me) { nav.hidden = true; return; }
    var scope = me.role === 'admin' || !me.departements.length
      ? t('common.allDepartements') : t('common.departements', { list: me.departements.join(', ') });
    append(session, [
      h('span', { class: 'who', text: t('page.signedInAs', { name: me.name, role: label('role', me.role), scope: scope }) }),
      h('button', { type: 'button', class: 'link', onclick: logout, text: t('page.logout') }),
    ]);
    nav.setAttribute('aria-label', t('page.navLabel'));
    var list = h('ul');
    SECTIONS.filter(function (sec) { return sec !== 'users' || me.role === 'admin'; }).forEach(function (sec) {
      append(list, h('li', null, h('a', { href: '#/' + sec, 'data-section': sec, text: t('nav.' + sec) })));
    });
    append(nav, list);
    nav.hidden = false;
  }
  function markSection(section) {
    Array.prototype.forEach.call(nav.querySelectorAll('a[data-section]'), function (a) {
      if (a.getAttribute('data-section') === section) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    });
  }

  function parseHash() {
    var raw = location.hash.replace(/^#\/?/, '');
    var q = raw.indexOf('?');
    var path = q >= 0 ? raw.slice(0, q) : raw;
    var params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
    return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), params: params };
  }

  function route() {
    var code = codeFromFragment();
    if (code) return signIn(code).then(route, function (err) { showLogin(err.message); });
    if (!token()) return showLogin();
    if (!me) {
      return api('GET', '/admin/api/me').then(function (user) { me = user; renderChrome(); route(); }, function () { /* 401 shows the login */ });
    }
    // Still named « Administrateur » (the first administrator): the person's own name first, structures read it.
    if (me.nameToSet) return showOwnName();
    var where = parseHash();
    var section = where.parts[0] || homeSection();
    markSection(section);
    if (section === 'dossiers' && where.parts[1]) return showDossier(where.parts[1]);
    if (section === 'handoffs') return showHandoffs(where.params);
    if (section !== 'dossiers' && section !== 'handoffs') openedDossier = null;
    if (section === 'stats') return showStats();
    if (section === 'users' && me.role === 'admin') return showUsers();
    return showDossiers(where.params);
  }

  function showLogin(message) {
    me = null;
    renderChrome();
    var root = view(t('login.heading'));
    var input = h('input', { type: 'password', name: 'code', autocomplete: 'off', spellcheck: 'false', required: true });
    var form = h('form', { class: 'login', novalidate: true }, [
      h('p', { text: t('login.intro') }),
      message ? errorBox(message) : null,
      field(t('login.label'), input),
      h('button', { type: 'submit', text: t('login.submit') }),
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var value = codeFrom(input.value);
      if (!value) { input.focus(); return; }
      signIn(value).then(function () {
        if (!/^#\/\w/.test(location.hash)) location.hash = '#/' + homeSection(); else route();
      }, function (err) { showLogin(err.message); });
    });
    append(root, form);
  }

  function showOwnName(message) {
    var root = view(t('ownName.heading'));
    var input = h('input', { type: 'text', name: 'name', autocomplete: 'name', maxlength: '200', required: true });
    var form = h('form', { class: 'own-name', novalidate: true }, [
      h('p', { text: t('ownName.intro', { name: me.name }) }),
      message ? errorBox(message) : null,
      field(t('ownName.label'), input, t('ownName.hint')),
      h('button', { type: 'submit', text: t('ownName.submit') }),
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      api('PATCH', '/admin/api/me', { name: input.value }).then(function (user) {
        me = user;
        renderChrome();
        route();
        done(t('ownName.saved'));
      }, function (err) { showOwnName(err.message); });
    });
    append(root, form);
    if (message) input.focus();
  }

  function logout() {
    api('POST', '/admin/api/logout', {}).catch(function () { return null; }).then(function () {
      dropDraft();
      setToken(null);
      showLogin(t('login.loggedOut'));
    });
  }

  // ——— dossiers ———

  var FILTERS = ['q', 'departement', 'phase', 'theme', 'status', 'outcome'];
  /** Rows of the dossier list a page brings, and the most one request may ask for (the API's LIST_LIMIT). */
  var PAGE_SIZE = 100;
  var MAX_PAGE = 500;
  /** The filters of the list last shown and how many of its rows were: back from a dossier, as many are shown again. */
  var listShown = { qs: null, count: 0 };
  /** The same for the handoff list. */
  var handoffsShown = { qs: null, count: 0 };

  /**
   * The département filter: a code (33, 2A) or a name (Gironde), or « Département non renseigné »
   * for the records without one (the API's config.noDepartement), offered in its list.
   */
  function departementInput(params, listId) {
    var value = params.get('departement') || '';
    var input = h('input', {
      type: 'text', name: 'departement', value: value === config.noDepartement ? t('filters.departementNone') : value,
      size: '14', maxlength: '60', autocomplete: 'off', list: listId,
    });
    var list = h('datalist', { id: listId });
    (me.role !== 'admin' && me.departements.length ? me.departements : config.operatorDepartements || []).forEach(function (d) { append(list, h('option', { value: d })); });
    append(list, h('option', { value: t('filters.departementNone') }));
    return { input: input, list: list };
  }
  /** What the département field filters on: config.noDepartement for « Département non renseigné ». */
  function departementValue(input) {
    var value = input.value.trim();
    return value.toLowerCase() === t('filters.departementNone').toLowerCase() ? config.noDepartement : value;
  }

  /**
   * A list's filters, folded behind a « Filtres » button on a phone (admin.css): the list comes first.
   * The button says how many filters are in force (`active`); on a wider screen it is not shown.
   */
  function foldedFilters(fieldset, active) {
    var id = uid('filters');
    fieldset.setAttribute('id', id);
    var toggle = h('button', {
      type: 'button', class: 'secondary filters-toggle', 'aria-expanded': 'false', 'aria-controls': id,
      text: active ? t('filters.toggleActive', { count: active }) : t('filters.toggle'),
      onclick: function () { toggle.setAttribute('aria-expanded', String(toggle.getAttribute('aria-expanded') !== 'true')); },
    });
    return [toggle, fieldset];
  }

  /** « Rechercher » (`q`): outside the folded filters, a structure calling is found by what it says. */
  function searchInput(params) {
    return h('input', { type: 'search', name: 'q', value: params.get('q') || '', size: '30', maxlength: '100', autocomplete: 'off', placeholder: t('filters.search') });
  }
  function searchField(input, hintKey) {
    return h('div', { class: 'search' }, field(t('filters.search'), input, t(hintKey || 'filters.searchHint')));
  }

  function filterQuery(params) {
    var q = new URLSearchParams();
    FILTERS.forEach(function (name) { if (params.get(name)) q.set(name, params.get(name)); });
    return q.toString();
  }

  function showDossiers(params) {
    var root = view(t('dossiers.heading'));
    var dep = departementInput(params, 'dep-list');
    var controls = {
      q: searchInput(params),
      departement: dep.input,
      phase: select('phase', config.phases, function (v) { return t('phase.' + v); }, params.get('phase')),
      theme: select('theme', config.themes, themeLabel, params.get('theme')),
      status: select('status', config.statuses, function (v) { return t('status.' + v); }, params.get('status')),
      outcome: select('outcome', config.outcomes, function (v) { return t('outcome.' + v); }, params.get('outcome')),
    };
    // The search stays in view on a phone: only the filters fold (the search is no filter to count).
    var active = FILTERS.filter(function (name) { return name !== 'q' && params.get(name); }).length;
    var form = h('form', { class: 'filters', role: 'search' }, [
      // The search first: a structure on the phone is found by its name, number or contact.
      searchField(controls.q),
    ].concat(foldedFilters(
      h('fieldset', null, [
        h('legend', { text: t('filters.legend') }),
        field(t('filters.departement'), controls.departement, t('filters.departementHint')), dep.list,
        field(t('filters.phase'), controls.phase),
        field(t('filters.theme'), controls.theme),
        field(t('filters.status'), controls.status),
        field(t('filters.outcome'), controls.outcome),
        h('div', { class: 'buttons' }, [
          h('button', { type: 'submit', text: t('filters.apply') }),
          h('button', { type: 'button', class: 'secondary', text: t('filters.reset'), onclick: function () { location.hash = '#/dossiers'; } }),
          h('button', { type: 'button', class: 'secondary', id: 'download-csv', text: t('filters.download'), onclick: function () { downloadCsv(params); } }),
        ]),
      ]), active)));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var q = new URLSearchParams();
      FILTERS.forEach(function (name) { var v = name === 'departement' ? departementValue(controls[name]) : controls[name].value.trim(); if (v) q.set(name, v); });
      var next = '#/dossiers' + (q.toString() ? '?' + q.toString() : '');
      if (location.hash === next) route(); else location.hash = next;
    });
    var results = h('div', { class: 'results' }, h('p', { class: 'loading', text: t('common.loading') }));
    append(root, [form, results]);
    var qs = filterQuery(params);
    // A page at a time (« Afficher plus »); back from a dossier of these filters, as many rows as were shown.
    var first = listShown.qs === qs ? Math.min(Math.max(listShown.count, PAGE_SIZE), MAX_PAGE) : PAGE_SIZE;
    var total = 0;
    var ids = {};
    var caption = h('caption');
    var body = h('tbody');
    var more = h('button', { type: 'button', class: 'secondary', id: 'more-dossiers', onclick: function () { showMore(); } });
    var cursor = null;
    // After the last row shown (its sort key, the server's cursor): a dossier changed meanwhile shifts no other.
    var page = function (after, limit) {
      var q = new URLSearchParams(qs);
      if (after) q.set('cursor', after);
      q.set('limit', String(limit));
      return api('GET', '/admin/api/dossiers?' + q.toString());
    };
    var shown = function () { return body.children.length; };
    var captionText = function () {
      return shown() < total ? t('dossiers.captionPartial', { shown: shown(), count: total }) : t('dossiers.caption', { count: total });
    };
    var columns = ['structure', 'departement', 'phase', 'status', 'outcome', 'handoff', 'theme', 'createdAt', 'updatedAt'];
    // On a phone (admin.css, table.stack) each row is a card, each cell under its column's name.
    var cell = function (column, attrs, children) { return h('td', Object.assign({ 'data-label': t('columns.' + column) }, attrs), children); };
    var addRows = function (data) {
      total = data.total;
      cursor = data.cursor;
      // The dossiers changed (or new) since the previous page was read now come first: those not
      // shown yet go at the top, those shown stay where they are (never twice).
      var top = body.firstChild;
      (data.changed || []).forEach(function (d) { addRow(d, top); });
      data.dossiers.forEach(function (d) { addRow(d, null); });
      listShown = { qs: qs, count: shown() };
      caption.textContent = captionText();
      var left = Math.max(total - shown(), 0);
      more.textContent = t('dossiers.more', { count: Math.min(left, PAGE_SIZE), left: left });
      more.hidden = !cursor || !left;
    };
    var addRow = function (d, before) {
      if (ids[d.id]) return;
      ids[d.id] = true;
      body.insertBefore(h('tr', null, [
        h('th', { scope: 'row' }, h('a', { href: '#/dossiers/' + encodeURIComponent(d.id), text: dossierName(d.name, d.contact) })),
        cell('departement', { text: d.departement || t('common.none') }),
        cell('phase', { text: label('phase', d.phase) }),
        cell('status', { text: label('status', d.status) }),
        cell('outcome', null, d.outcome ? h('span', { class: 'badge outcome-' + d.outcome, text: t('outcome.' + d.outcome) }) : t('common.none')),
        // What needs someone: an open handoff stands out.
        cell('handoff', null, d.handoff ? h('span', { class: 'badge handoff-' + d.handoff, text: t('handoffStatus.' + d.handoff) }) : t('common.none')),
        cell('theme', { text: themeLabel(d.primaryTheme) }),
        cell('createdAt', { text: formatDate(d.createdAt) }),
        cell('updatedAt', { text: formatDate(d.updatedAt) }),
      ]), before);
    };
    // The next page: focus on its first row, so that the keyboard goes on from there.
    var showMore = morePages(more, function () { return page(cursor, PAGE_SIZE); }, function (data) {
      var last = body.lastElementChild;
      addRows(data);
      var row = last && last.nextElementSibling;
      var link = row && row.querySelector('a');
      if (link) link.focus();
      return captionText();
    });
    page(null, first).then(function (data) {
      clear(results);
      if (!data.dossiers.length) { append(results, h('p', { text: t('dossiers.empty') })); announce(t('dossiers.empty')); return; }
      addRows(data);
      var table = h('table', { class: 'data stack', id: 'dossiers-table' }, [
        caption,
        h('thead', null, h('tr', null, columns.map(function (c) { return h('th', { scope: 'col', text: t('columns.' + c) }); }))),
        body,
      ]);
      append(results, [h('div', { class: 'scroll' }, table), h('p', { class: 'buttons' }, more)]);
      announce(captionText());
      refocusOpened(results);
    }, function (err) { clear(results); failed(results)(err); });
  }

  /**
   * « Afficher plus » of a list: the next page (`next()`) asked once at a time, the button busy
   * meanwhile; `shown(data)` adds its rows, focuses the first one brought and returns what to say.
   */
  function morePages(more, next, shown) {
    var loading = false;
    return function () {
      if (loading) return;
      loading = true;
      more.setAttribute('aria-busy', 'true');
      next().then(function (data) {
        announce(shown(data));
      }, function (err) {
        if (err && err.status === 401) return;
        announce(t('common.error', { message: err.message }), true);
      }).then(function () {
        loading = false;
        more.removeAttribute('aria-busy');
      });
    };
  }

  function downloadCsv(params) {
    var qs = filterQuery(params);
    download('/admin/api/export.csv' + (qs ? '?' + qs : ''), 'dossiers.csv', t('filters.downloaded'), main.querySelector('.results'));
  }

  /** Saves the file the API answers at `path` (named as its content-disposition says); `doneText` said once saved, a failure in `box`. */
  function download(path, fallbackName, doneText, box) {
    request('GET', path).then(function (res) {
      if (!res.ok) return res.json().then(function (data) { throw new ApiError(res.status, data.error.message); });
      var disposition = res.headers.get('content-disposition') || '';
      var match = /filename="([^"]+)"/.exec(disposition);
      return res.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var a = h('a', { href: url, download: match ? match[1] : fallbackName, class: 'sr-only' });
        document.body.appendChild(a);
        a.click();
        document.body.removeChild(a);
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        done(doneText);
      });
    }).catch(function (err) {
      if (err && err.status === 401) return;
      announce(t('common.error', { message: err.message }));
      if (box) append(box, errorBox(t('common.error', { message: err.message })));
    });
  }

  // ——— one dossier ———

  /** The dossier last opened: back in a list, its link gets the focus again (the keyboard user's place). */
  var openedDossier = null;
  function refocusOpened(container) {
    if (!openedDossier) return;
    var href = '#/dossiers/' + encodeURIComponent(openedDossier);
    openedDossier = null;
    var link = Array.prototype.filter.call(container.querySelectorAll('a[href]'), function (a) { return a.getAttribute('href') === href; })[0];
    if (link) link.focus();
  }

  /** Focuses what `selector` finds in `root` (a heading can take the focus), else the page's heading. */
  function focusIn(root, selector) {
    var target = root.querySelector(selector) || document.getElementById('view-heading');
    if (!target.hasAttribute('tabindex') && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
    target.focus();
  }

  function section(title, children) {
    var id = uid('s');
    return h('section', { class: 'panel', 'aria-labelledby': id }, [h('h3', { id: id, text: title })].concat(children));
  }

  /**
   * A dossier as the lists name it: its structure's name, else its contact's marked as such (a
   * dossier made by a handoff before the accueil), else « (structure sans nom) ».
   */
  function dossierName(name, contact) {
    if (name) return name;
    return contact && contact.name ? t('dossiers.contactNamed', { name: contact.name }) : t('dossiers.unnamed');
  }

  /**
   * A dossier. `refocus(root)`: redrawn after an action taken on it, the focus goes back where the
   * action was (refocus finds it in the new page) rather than to the page's heading, the view with it.
   */
  function showDossier(id, refocus) {
    openedDossier = id;
    var root = view(t('common.loading'), { focus: false });
    api('GET', '/admin/api/dossiers/' + encodeURIComponent(id)).then(function (d) {
      root = view(t('dossier.heading', { name: dossierName(d.name, d.answers && d.answers.contact) }), { focus: !refocus });
      // On a phone whom to call comes first: the handoffs (the contact, the day to call by, the buttons),
      // then the answers, their contact first. Put so in the page, the keyboard follows what is seen.
      var phone = narrowScreen();
      var facts = phone ? d.answerFacts.slice().sort(function (a, b) { return Number(b.key === 'contact') - Number(a.key === 'contact'); }) : d.answerFacts;
      // The contact's phone and e-mail as links: a tap calls or writes.
      var answers = section(t('dossier.answers'), [definitionList(facts, { contact: contactNodes(d.answers && d.answers.contact).concat(corrected(d.contactChangedAt)) })]);
      // Whom to call back, by when, and what the structure added since: what a chargé·e needs first.
      var handoffs = section(t('dossier.handoffs'), [d.handoffs.length ? handoffTable(d.handoffs, function (after) {
        showDossier(id, function (page) { focusAfterAction(page, document.getElementById('view-heading'), after); });
      }, false) : h('p', { text: t('dossier.noHandoffs') })]);
      append(root, [
        h('p', null, h('a', { href: '#/dossiers', text: t('common.back') })),
        h('p', { class: 'summary', text: t('dossier.summary', {
          phase: label('phase', d.phase), status: label('status', d.status),
          departement: d.departement ? t('dossier.departement', { code: d.departement }) + (d.departementName ? ' · ' + d.departementName : '') : t('dossier.noDepartement'),
          date: formatDate(d.createdAt),
        }) }),
        phone ? [handoffs, answers] : [answers, handoffs],
        d.sameStructure.length || d.sameStructureElsewhere.length ? section(t('dossier.sameStructure'), [
          h('p', { text: t('dossier.sameStructureIntro') }),
        ].concat(d.sameStructure.length ? h('ul', null, d.sameStructure.map(function (o) {
            return h('li', null, [
              h('a', { href: '#/dossiers/' + encodeURIComponent(o.id), text: o.name || t('dossiers.unnamed') }),
              document.createTextNode(' — ' + t('dossier.sameStructureLine', { date: formatDate(o.createdAt), phase: label('phase', o.phase), status: label('status', o.status) })),
            ]);
          })) : [],
          // Those of départements this chargé·e may not open: how many, and where; nothing else.
          d.sameStructureElsewhere.map(function (x) {
            return h('p', { class: 'notice same-structure-elsewhere', text: t('dossier.sameStructureElsewhere', {
              count: x.count, place: x.departementName ? x.departementName + ' (' + x.departement + ')' : x.departement,
            }) });
          }))) : null,
        eligibilitySection(d),
        diagnosticSection(d.diagnostic),
        parcoursSection(d),
        followupSection(d),
        transcriptSection(d.transcripts),
        privacySection(d),
      ]);
      restoreDraft(root);
      if (refocus) refocus(root);
    }, function (err) {
      root = view(err && err.status === 404 ? t('dossier.notFound') : t('dossiers.heading'));
      append(root, h('p', null, h('a', { href: '#/dossiers', text: t('common.back') })));
      failed(root)(err);
    });
  }

  function eligibilitySection(d) {
    var e = d.eligibility;
    if (!e) return section(t('dossier.eligibility'), [h('p', { text: t('dossier.noDecision') }), decisionForm(d)]);
    var reasons = h('ul', { class: 'reasons' });
    e.reasons.forEach(function (r) {
      append(reasons, h('li', { class: 'reason outcome-' + r.outcome }, [
        h('span', { class: 'badge outcome-' + r.outcome, text: t('outcome.' + r.outcome) }), ' ', r.text,
      ]));
    });
    return section(t('dossier.eligibility'), [
      h('p', null, [t('dossier.rulesDecision'), ' ', h('span', { class: 'badge outcome-' + e.outcome, text: e.outcomeLabel }), ' ', e.outcomeText]),
      reasons,
      // The staff count changed at the diagnostic across « employer or not »: not re-decided, said (text).
      e.staffNote ? h('p', { class: 'staff-note', text: e.staffNote }) : null,
      h('p', { class: 'meta', text: t('dossier.rules', { version: e.rulesVersion, date: formatDate(e.decidedAt) }) }),
      decisionForm(d),
    ]);
  }

  // The chargé·e's decision after the call, and its note (text, never markup). Another one takes its
  // place in the list and the statistics; the earlier ones stay below it, each with its note.
  function decisionForm(d) {
    var c = d.chargeDecision;
    var earlier = (d.chargeDecisions || []).slice(1);
    var current = c
      ? h('div', { class: 'charge-decision' }, [
        h('p', null, [t('decision.current', { by: c.by, date: formatDate(c.at) }), ' ', h('span', { class: 'badge outcome-' + c.outcome, text: c.outcomeLabel })]),
        c.note ? h('p', { class: 'decision-note', text: t('decision.note', { note: c.note }) }) : null,
      ])
      : h('p', { text: t('decision.none') });
    var history = earlier.length ? [
      h('h5', { text: t('decision.earlier', { count: earlier.length }) }),
      // Newest first, as the API gives them.
      h('ul', { class: 'decision-history' }, earlier.map(function (x) {
        return h('li', null, [
          h('p', null, [t('decision.earlierLine', { by: x.by, date: formatDateTime(x.at) }), ' ', h('span', { class: 'badge outcome-' + x.outcome, text: x.outcomeLabel })]),
          h('p', { class: 'earlier-note', text: x.note ? t('decision.note', { note: x.note }) : t('decision.noNote') }),
        ]);
      })),
    ] : [];
    // A new decision comes with the note of its own call: the earlier notes stay as they were.
    var note = h('textarea', { name: 'decisionNote', rows: '3', maxlength: String(DECISION_NOTE_MAX_CHARS) });
    var feedback = h('div', { class: 'feedback' });
    var decide = function (outcome) {
      return function (event) {
        clearErrors();
        var button = event.currentTarget;
        button.disabled = true;
        api('POST', '/admin/api/dossiers/' + encodeURIComponent(d.id) + '/decision', { outcome: outcome, note: note.value }).then(function (result) {
          done(t('decision.saved', { outcome: result.chargeDecision.outcomeLabel }) + (result.checkinsWithdrawn ? ' ' + t('decision.checkinsWithdrawn', { count: result.checkinsWithdrawn }) : ''));
          showDossier(d.id, function (page) { focusIn(page, '.decision button[data-outcome="' + outcome + '"]'); });
        }, function (err) {
          button.disabled = false;
          if (err && err.status === 401) return;
          append(feedback, errorBox(err.message));
          note.focus();
        });
      };
    };
    return h('div', { class: 'decision' }, [
      h('h4', { text: t('decision.heading') }),
      current,
      history,
      field(t('decision.noteLabel'), note, t('decision.noteHint', { max: DECISION_NOTE_MAX_CHARS })),
      h('div', { class: 'buttons' }, [
        h('button', { type: 'button', 'data-outcome': 'eligible', text: t('decision.confirm'), onclick: decide('eligible') }),
        h('button', { type: 'button', class: 'secondary', 'data-outcome': 'out_of_scope', text: t('decision.outOfScope'), onclick: decide('out_of_scope') }),
      ]),
      feedback,
    ]);
  }

  function diagnosticSection(d) {
    if (!d) return section(t('dossier.diagnostic'), [h('p', { text: t('dossier.noDiagnostic') })]);
    var themes = h('ul', { class: 'themes' });
    d.themes.forEach(function (x) { append(themes, h('li', { text: x.label })); });
    var ranking = h('ol', { class: 'ranking' });
    d.ranking.forEach(function (x) { append(ranking, h('li', { text: x.label })); });
    return section(t('dossier.diagnostic'), [
      h('p', { class: 'meta', text: d.confirmedAt ? t('dossier.diagnosticVersion', { version: d.version, date: formatDate(d.confirmedAt) }) : t('dossier.diagnosticDraft') }),
      definitionList(d.facts),
      d.themes.length ? h('h4', { text: t('dossier.themes') }) : null, d.themes.length ? themes : null,
      d.ranking.length ? h('h4', { text: t('dossier.ranking') }) : null, d.ranking.length ? ranking : null,
    ]);
  }

  function parcoursSection(d) {
    var current = d.parcours
      ? [
        h('p', { class: 'meta', text: t('parcours.current', { by: d.parcours.recordedByName || d.parcours.recordedBy, date: formatDateTime(d.parcours.recordedAt) }) }),
        h('p', { class: 'parcours-text', text: d.parcours.text }),
        d.parcours.miseEnOeuvreStartedAt ? h('p', { class: 'meta', text: t('parcours.started', { date: formatDate(d.parcours.miseEnOeuvreStartedAt) }) }) : null,
        d.parcours.miseEnOeuvreEndedAt ? h('p', { class: 'meta', text: t('parcours.ended', { date: formatDate(d.parcours.miseEnOeuvreEndedAt) }) }) : null,
      ]
      : [h('p', { text: t('parcours.none') })];
    var textarea = h('textarea', { name: 'parcours', rows: '5', required: true, maxlength: '10000' });
    textarea.value = d.parcours ? d.parcours.text : '';
    var started = h('input', { type: 'date', name: 'miseEnOeuvreStartedAt' });
    if (d.parcours && d.parcours.miseEnOeuvreStartedAt) started.value = String(d.parcours.miseEnOeuvreStartedAt).slice(0, 10);
    var ended = h('input', { type: 'date', name: 'miseEnOeuvreEndedAt' });
    if (d.parcours && d.parcours.miseEnOeuvreEndedAt) ended.value = String(d.parcours.miseEnOeuvreEndedAt).slice(0, 10);
    var feedback = h('div', { class: 'feedback' });
    // Out of the DLA's scope: said before anything is typed, and asked again on recording (the API's 409).
    var warning = d.parcoursWarning ? h('p', { class: 'notice warning parcours-warning', text: d.parcoursWarning + ' ' + t('parcours.confirmNeeded') }) : null;
    var form = h('form', { class: 'parcours', novalidate: true }, [
      warning,
      field(t('parcours.label'), textarea, t('parcours.hint')),
      field(t('parcours.startedLabel'), started, t('parcours.startedHint')),
      field(t('parcours.endedLabel'), ended, t('parcours.endedHint')),
      h('button', { type: 'submit', text: t('parcours.submit') }),
      feedback,
    ]);
    var record = function (confirmed) {
      // The parcours this page shows: one recorded by someone else since is not overwritten (409).
      var body = { parcours: textarea.value, basedOn: d.parcours ? d.parcours.recordedAt : null };
      if (started.value) body.miseEnOeuvreStartedAt = started.value;
      if (ended.value) body.miseEnOeuvreEndedAt = ended.value;
      if (confirmed) body.confirmOutOfScope = true;
      api('POST', '/admin/api/dossiers/' + encodeURIComponent(d.id) + '/parcours', body).then(function (result) {
        done(t('parcours.saved', { phase: label('phase', result.phase) }) + (result.checkinsWithdrawn ? ' ' + t('parcours.checkinsWithdrawn', { count: result.checkinsWithdrawn }) : ''));
        showDossier(d.id, function (page) { focusIn(page, 'form.parcours button[type="submit"]'); });
      }, function (err) {
        if (err && err.status === 401) return;
        // Out of the DLA's scope: the API says why; recorded only if the chargé·e confirms.
        if (err && err.code === 'OutOfScope' && !confirmed) {
          if (window.confirm(err.message)) record(true);
          else announce(t('parcours.notRecorded'), true);
          return;
        }
        append(feedback, errorBox(err.message));
        textarea.setAttribute('aria-invalid', 'true');
        textarea.focus();
      });
    };
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors();
      record(false);
    });
    return section(t('parcours.heading'), current.concat([form]));
  }

  /**
   * A request received by e-mail, letter or phone (« supprimez nos données », « envoyez-nous ce que
   * vous avez sur nous »): the export « mes données » gives, to send on; for administrators, the
   * erasure, once the structure's name (or « EFFACER ») is typed — a mistaken click erases nothing.
   */
  function privacySection(d) {
    if (!d.privacy) return null;
    var path = '/admin/api/dossiers/' + encodeURIComponent(d.id);
    var feedback = h('div', { class: 'feedback' });
    var children = [
      h('p', { text: t('privacy.intro') }),
      h('p', { class: 'buttons' }, [
        h('button', { type: 'button', id: 'export-data', text: t('privacy.export'), onclick: function () { clear(feedback); download(path + '/export', 'donnees.html', t('privacy.exported'), feedback); } }),
        h('button', { type: 'button', class: 'secondary', id: 'export-data-json', text: t('privacy.exportJson'), onclick: function () { clear(feedback); download(path + '/export?format=json', 'donnees.json', t('privacy.exported'), feedback); } }),
      ]),
    ];
    if (d.privacy.erasure) {
      var confirm = h('input', { type: 'text', name: 'confirm', autocomplete: 'off', spellcheck: 'false' });
      var form = h('form', { class: 'erase', novalidate: true, hidden: true }, [
        h('p', { class: 'notice warning', text: t('privacy.eraseIntro') }),
        field(t('privacy.eraseLabel', { expected: d.privacy.erasure.confirm }), confirm),
        h('div', { class: 'buttons' }, [
          h('button', { type: 'submit', text: t('privacy.eraseSubmit') }),
          h('button', { type: 'button', class: 'secondary', text: t('privacy.eraseCancel'), onclick: function () { shown(false); opener.focus(); } }),
        ]),
      ]);
      var opener = h('button', { type: 'button', class: 'secondary', id: 'erase-data', 'aria-expanded': 'false', text: t('privacy.erase'), onclick: function () { shown(true); confirm.focus(); } });
      var shown = function (open) {
        form.hidden = !open;
        opener.setAttribute('aria-expanded', String(open));
        if (!open) { confirm.value = ''; clear(feedback); }
      };
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        clear(feedback);
        api('POST', path + '/erase', { confirm: confirm.value }).then(function (result) {
          // Nothing of the dossier is left to show: what was done, and the way back to the list.
          openedDossier = null;
          var erased = view(t('privacy.erasedHeading'));
          append(erased, [
            h('p', { class: 'erased', text: t('privacy.erased', { name: dossierName(d.name, d.answers && d.answers.contact), count: result.documents }) }),
            h('p', null, h('a', { href: '#/dossiers', text: t('common.back') })),
          ]);
        }, function (err) {
          if (err && err.status === 401) return;
          append(feedback, errorBox(err.message));
          confirm.setAttribute('aria-invalid', 'true');
          confirm.focus();
        });
      });
      children.push(h('p', { class: 'buttons' }, opener), form);
    }
    children.push(feedback);
    return section(t('privacy.heading'), children);
  }

  // The jobs answer: the numbers read from it (created, kept, improved, lost), then the structure's own words.
  function jobsNodes(c) {
    var words = c.answers.filter(function (a) { return a.key === 'jobs'; })[0];
    return [
      h('p', { class: 'job-counts' + (c.jobs.toCheck ? ' to-check' : ''), text: c.jobs.summary }),
      words ? h('p', { class: 'job-words', text: t('followup.jobCounts.words', { words: words.value }) }) : null,
    ];
  }

  // The check-ins of the follow-up: when, why, what happened, the structure's answers; a planned
  // one can be moved or cancelled, and a chargé·e can add one on a chosen day.
  function followupSection(d) {
    var f = d.followup;
    var refresh = function () { showDossier(d.id, function (page) { focusIn(page, 'section.followup h3'); }); };
    var parts = [h('p', { class: 'meta', text: t('followup.intro') })];
    if (f.optedOutAt) {
      var resumeBox = h('p', { class: 'notice' }, [t('followup.optedOut', { date: formatDate(f.optedOutAt) }) + ' ']);
      // Only at the structure's request (it told a chargé·e): asked once more.
      append(resumeBox, h('button', {
        type: 'button', class: 'secondary', text: t('followup.resume'),
        onclick: function (event) {
          if (!window.confirm(t('followup.resumeConfirm'))) return;
          clearErrors();
          event.currentTarget.disabled = true;
          api('POST', '/admin/api/dossiers/' + encodeURIComponent(d.id) + '/followup/resume', {}).then(function () {
            done(t('followup.resumed'));
            refresh();
          }, function (err) { if (err && err.status !== 401) append(resumeBox, errorBox(err.message)); });
        },
      }));
      parts.push(resumeBox);
    }
    if (!f.checkins.length) parts.push(h('p', { text: t('followup.none') }));
    else parts.push(checkinTable(f.checkins, refresh));
    f.checkins.filter(function (c) { return c.answered > 0; }).forEach(function (c) {
      parts.push(h('h4', { text: t('followup.answersOf', { milestone: c.milestoneLabel, count: c.answered, total: c.answers.length }) }));
      if (c.answeredAt) parts.push(h('p', { class: 'meta', text: t('followup.answeredAt', { date: formatDateTime(c.answeredAt) }) }));
      parts.push(definitionList(c.answers, c.jobs ? { jobs: jobsNodes(c) } : null));
    });
    // Not before the structure has been accompanied: a check-in would tell it otherwise.
    if (!f.accompanied) parts.push(h('p', { class: 'notice', text: t('followup.notAccompanied') }));
    else if (!f.optedOutAt) parts.push(addCheckinForm(d.id, refresh));
    var box = section(t('followup.heading'), parts);
    box.classList.add('followup');
    return box;
  }

  function today() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function checkinTable(checkins, refresh) {
    var columns = ['due', 'milestone', 'state', 'sends', 'actions'];
    // On a phone (admin.css, table.stack) each check-in is a card, each cell under its column's name.
    var cell = function (column, attrs, children) { return h('td', Object.assign({ 'data-label': t('followup.columns.' + column) }, attrs), children); };
    var table = h('table', { class: 'data checkins stack' }, [
      h('caption', { text: t('followup.caption', { count: checkins.length }) }),
      h('thead', null, h('tr', null, columns.map(function (c) { return h('th', { scope: 'col', text: t('followup.columns.' + c) }); }))),
    ]);
    var body = h('tbody');
    checkins.forEach(function (c) {
      var actions = cell('actions', { class: 'actions' });
      if (c.canChange) {
        var dateId = uid('move');
        var date = h('input', { type: 'date', id: dateId, name: 'date', required: true, min: today() });
        date.value = c.dueDay;
        var move = h('form', { class: 'inline', novalidate: true }, [
          h('label', { class: 'sr-only', for: dateId, text: t('followup.moveLabel', { milestone: c.milestoneLabel }) }),
          date,
          h('button', { type: 'submit', class: 'secondary', text: t('followup.move') }),
        ]);
        move.addEventListener('submit', function (event) {
          event.preventDefault();
          checkinAction(c, 'move', { date: date.value }, actions, function (result) {
            done(shiftedNotice(date.value, result) + t('followup.moved', { date: formatDateTime(result.dueAt) }));
            refresh();
          });
        });
        append(actions, [move, h('button', {
          type: 'button', class: 'secondary', text: t('followup.cancel'),
          'aria-label': t('followup.cancelLabel', { milestone: c.milestoneLabel, date: formatDate(c.dueAt) }),
          onclick: function (event) {
            // Cancelling means the structure is not asked: asked once more, as closing a handoff is.
            if (!window.confirm(t('followup.cancelConfirm', { milestone: c.milestoneLabel, date: formatDate(c.dueAt) }))) return;
            event.currentTarget.disabled = true;
            checkinAction(c, 'cancel', {}, actions, function () { done(t('followup.cancelled')); refresh(); }, event.currentTarget);
          },
        })]);
      }
      var sends = h('ul', { class: 'sends' });
      if (!c.sends.length) append(sends, h('li', { text: t('followup.noSend') }));
      c.sends.forEach(function (x) {
        append(sends, h('li', { text: t('followup.sendLine', { date: formatDateTime(x.at), outcome: x.outcomeLabel }) + (x.error ? ' (' + x.error + ')' : '') }));
      });
      // A web-chat structure: e-mailed too, or why not (then the chargé·e phones).
      if (c.email) append(sends, h('li', { class: 'email-' + c.email.outcome, text: t('followup.sendLine', { date: formatDateTime(c.email.at), outcome: c.email.label }) }));
      var state = [h('span', { class: 'badge checkin-' + c.status, text: c.statusLabel })];
      // Deferred (quiet hours) before any attempt: when it will go; after a failed attempt: the retry.
      if (c.cancelledBy) state.push(h('p', { class: 'meta', text: t('followup.cancelledBy', { by: c.cancelledBy, date: formatDateTime(c.cancelledAt) }) }));
      if (c.status === 'planned' && c.nextAttemptAt && c.nextAttemptAt !== c.dueAt) state.push(h('p', { class: 'meta', text: t(c.attempts ? 'followup.nextAttempt' : 'followup.sendsAt', { date: formatDateTime(c.nextAttemptAt) }) }));
      append(body, h('tr', { 'data-checkin': c.id }, [
        cell('due', { text: formatDateTime(c.dueAt) }),
        h('th', { scope: 'row', text: c.milestoneLabel }),
        cell('state', null, state),
        cell('sends', null, sends),
        actions,
      ]));
    });
    append(table, body);
    return h('div', { class: 'scroll' }, table);
  }

  function checkinAction(c, action, body, container, then, button) {
    clearErrors();
    api('POST', '/admin/api/checkins/' + encodeURIComponent(c.id) + '/' + action, body).then(then, function (err) {
      if (button) button.disabled = false;
      if (err && err.status === 401) return;
      append(container, errorBox(err.message));
    });
  }

  function addCheckinForm(dossierId, refresh) {
    var date = h('input', { type: 'date', name: 'date', required: true, min: today() });
    var feedback = h('div', { class: 'feedback' });
    var form = h('form', { class: 'add-checkin', novalidate: true }, h('fieldset', null, [
      h('legend', { text: t('followup.addLegend') }),
      field(t('followup.addLabel'), date, t('followup.addHint')),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', text: t('followup.add') })),
      feedback,
    ]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clearErrors();
      api('POST', '/admin/api/dossiers/' + encodeURIComponent(dossierId) + '/checkins', { date: date.value }).then(function (result) {
        done(shiftedNotice(date.value, result) + t('followup.added', { date: formatDateTime(result.dueAt) }));
        refresh();
      }, function (err) {
        if (err && err.status === 401) return;
        append(feedback, errorBox(err.message));
        date.setAttribute('aria-invalid', 'true');
        date.focus();
      });
    });
    return form;
  }

  // The assistant's messages use a little markdown (« - **Quoi** : … »). It is shown with DOM
  // nodes: **bold**, *italic* or _italic_, line breaks and "- " list items; everything else, HTML
  // included, stays text. An underscore inside a word (rh_emploi) is not emphasis.
  var INLINE = /\*\*(\S(?:[^*\n]*\S)?)\*\*|\*([^\s*](?:[^*\n]*[^\s*])?)\*|(^|[^\p{L}\p{N}_])_([^\s_](?:[^_\n]*[^\s_])?)_(?![\p{L}\p{N}_])/gu;

  function inlineMarkdown(line) {
    // Backslash escapes (« \*\*Asso\*\* », what the structure typed, repeated by the assistant)
    // are literal characters: set aside during the parse, put back in the text.
    var literals = [];
    line = line.replace(/\\([\\*_`~[\]])/g, function (_, c) { literals.push(c); return '\uE000'; });
    var restore = function (s) { return s.replace(/\uE000/g, function () { return literals.shift(); }); };
    var nodes = [];
    var last = 0;
    var m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(line))) {
      var start = m.index + (m[3] || '').length;
      if (start > last) nodes.push(restore(line.slice(last, start)));
      nodes.push(m[1] !== undefined ? h('strong', { text: restore(m[1]) }) : h('em', { text: restore(m[2] !== undefined ? m[2] : m[4]) }));
      last = INLINE.lastIndex;
    }
    if (last < line.length) nodes.push(restore(line.slice(last)));
    return nodes;
  }

  function markdownText(text, attrs) {
    var container = h('div', attrs);
    var list = null;
    var lines = text.split(/\r?\n/);
    lines.forEach(function (line, i) {
      var item = /^\s*- (.*)$/.exec(line);
      if (item) {
        if (!list) { list = h('ul'); append(container, list); }
        append(list, h('li', null, inlineMarkdown(item[1])));
        return;
      }
      list = null;
      append(container, inlineMarkdown(line));
      var next = lines[i + 1];
      if (next !== undefined && !/^\s*- /.test(next)) append(container, h('br'));
    });
    return container;
  }

  function transcriptSection(transcripts) {
    if (!transcripts || !transcripts.length) return section(t('dossier.transcript'), [h('p', { text: t('dossier.noTranscript') })]);
    var parts = [];
    transcripts.forEach(function (tr) {
      parts.push(h('h4', { text: t('dossier.transcriptOf', { channel: channelLabel(tr.channelId), count: tr.activities.length }) }));
      if (!tr.available) { parts.push(h('p', { class: 'notice', text: t('dossier.transcriptUnavailable') })); return; }
      var list = h('ol', { class: 'transcript' });
      tr.activities.forEach(function (a) {
        var role = a.role === 'user' || a.role === 'bot' ? a.role : 'unknown';
        append(list, h('li', { class: 'message from-' + role }, [
          h('p', { class: 'who' }, [h('strong', { text: t('roles.' + role) }), a.timestamp ? ' · ' + formatDateTime(a.timestamp) : '']),
          // Text nodes only, with the bot's little markdown as elements (markdownText).
          markdownText(a.text, { class: 'text' }),
          // A card's answer (the area form, a choice) and what the cards said: not an empty line.
          a.answer ? h('p', { class: 'answer', text: t('dossier.cardAnswer', { answer: a.answer }) }) : null,
        ].concat((a.cards || []).map(function (c) {
          return markdownText(t('dossier.card', { text: c }), { class: 'meta card' });
        }))));
      });
      parts.push(list);
      if (tr.truncated) parts.push(h('p', { class: 'notice', text: t('dossier.transcriptTruncated') }));
    });
    return section(t('dossier.transcript'), parts);
  }

  // ——— handoffs ———

  /** Whom to call back: the name, the phones and e-mail as links (tel:, mailto:), separated by « · ». */
  function contactNodes(contact) {
    var parts = [];
    var tel = function (phone) { return h('a', { href: 'tel:' + phone.replace(/[^\d+]/g, ''), text: phone }); };
    if (contact && contact.name) parts.push(contact.name);
    if (contact && contact.phone) parts.push(tel(contact.phone));
    // A second number the structure gave (« Autre téléphone »), after the first.
    if (contact && contact.otherPhone) parts.push(h('span', null, [t('handoffs.otherPhone') + ' ', tel(contact.otherPhone)]));
    if (contact && contact.email) parts.push(h('a', { href: 'mailto:' + contact.email, text: contact.email }));
    return parts.reduce(function (nodes, part, i) { return nodes.concat(i ? [' · ', part] : [part]); }, []);
  }

  /** « coordonnées corrigées le … » after a contact the structure corrected (none otherwise). */
  function corrected(date) {
    return date ? [h('span', { class: 'meta contact-corrected', text: ' ' + t('handoffs.contactCorrected', { date: formatDate(date) }) })] : [];
  }

  /** The messages the structure added once its request was passed on, each with its date, newest last (none: nothing shown). */
  function addedMessages(messages) {
    if (!messages || !messages.length) return null;
    return h('div', { class: 'added-messages' }, [
      h('p', { class: 'meta', text: t('handoffs.addedMessages', { count: messages.length }) }),
      h('ol', null, messages.map(function (m) {
        return h('li', { class: 'message-text' }, [h('span', { class: 'meta', text: t('handoffs.addedOn', { date: formatDateTime(m.at) }) + ' ' }), m.text]);
      })),
    ]);
  }

  /** `caption`: the list's own when it shows a part of the handoffs (« 100 transmissions affichées sur 1 667 »). */
  function handoffTable(handoffs, refresh, withDossierLink, caption) {
    var columns = ['received', 'structure', 'contact', 'reason', 'urgency', 'state', 'actions'];
    // A cell with its column's name, shown before it when the rows are stacked (a phone).
    var cell = function (column, attrs, children) { return h('td', Object.assign({ 'data-label': t('handoffs.' + column) }, attrs), children); };
    var table = h('table', { class: 'data handoffs stack' + (withDossierLink ? '' : ' in-dossier') }, [
      h('caption', { text: caption || t('handoffs.caption', { count: handoffs.length }) }),
      h('thead', null, h('tr', null, columns.map(function (c) { return h('th', { scope: 'col', text: t('handoffs.' + c) }); }))),
    ]);
    var body = h('tbody');
    handoffs.forEach(function (x, index) {
      // Named as the dossier list names it: a handoff made before the accueil by its contact.
      var name = dossierName(x.structureName, x.contact);
      var actions = cell('actions', { class: 'actions' });
      var act = function (action) {
        return function (event) {
          var button = event.currentTarget;
          // Closing tells the structure its request was dealt with: asked once more.
          if (action === 'close' && !window.confirm(t('handoffs.closeConfirm', { name: name }))) return;
          clearErrors();
          button.disabled = true;
          api('POST', '/admin/api/handoffs/' + encodeURIComponent(x.id) + '/' + action, {}).then(function () {
            done(t({ claim: 'handoffs.claimed', close: 'handoffs.closed', reopen: 'handoffs.reopened', retry: 'handoffs.delivery.retried' }[action]));
            // Which row it was, and where: the list puts the focus back there once redrawn.
            refresh({ id: x.id, action: action, index: index });
          }, function (err) {
            button.disabled = false;
            if (err && err.status === 401) return;
            // Changed meanwhile (someone else took it up, closed it…): the row redrawn as it now is, the reason under it.
            if (err && err.status === 409) return refresh({ id: x.id, action: action, index: index, error: err.message });
            append(actions, errorBox(err.message));
          });
        };
      };
      if (x.status === 'open') append(actions, h('button', { type: 'button', 'data-action': 'claim', 'aria-label': t('handoffs.claimLabel', { name: name }), text: t('handoffs.claim'), onclick: act('claim') }));
      if (x.status === 'open' || x.status === 'claimed') append(actions, h('button', { type: 'button', class: 'secondary', 'data-action': 'close', 'aria-label': t('handoffs.closeLabel', { name: name }), text: t('handoffs.close'), onclick: act('close') }));
      // A claim released (someone else takes it up), or a handoff closed by mistake.
      // Its accessible name starts with what it shows (« Rouvrir la transmission de … »).
      if (x.status === 'claimed' || x.status === 'closed') {
        var release = x.status === 'claimed';
        append(actions, h('button', { type: 'button', class: 'secondary', 'data-action': 'reopen', 'aria-label': t(release ? 'handoffs.releaseLabel' : 'handoffs.reopenLabel', { name: name }), text: t(release ? 'handoffs.release' : 'handoffs.reopen'), onclick: act('reopen') }));
      }
      // A delivery given up (the chargé·es' e-mail, webhook or Teams did not get it), or an update of it: sent again on demand — not once closed (dealt with).
      if ((x.delivery === 'failed' || x.updates === 'failed') && x.status !== 'closed') append(actions, h('button', { type: 'button', class: 'secondary', 'data-action': 'retry', 'aria-label': t('handoffs.delivery.retryLabel', { name: name }), text: t('handoffs.delivery.retry'), onclick: act('retry') }));
      var state = label('handoffStatus', x.status);
      var claimer = x.claimedByName || x.claimedBy;
      var closer = x.closedByName || x.closedBy;
      if (x.status === 'claimed' && claimer) state += ' ' + t('handoffs.claimedBy', { by: claimer, date: formatDate(x.claimedAt) });
      if (x.status === 'closed' && closer) state += ' ' + t('handoffs.closedBy', { by: closer, date: formatDate(x.closedAt) });
      else if (x.status === 'closed' && x.closedAt) state += ' ' + t('handoffs.closedOn', { date: formatDate(x.closedAt) });
      // Who took it up, when someone else closed it.
      if (x.status === 'closed' && x.claimedBy && x.claimedBy !== x.closedBy) state += ' · ' + t('handoffs.takenUpBy', { by: claimer, date: formatDate(x.claimedAt) });
      // Back in the queue: who put it there (a claim released, or reopened once closed).
      var reopener = x.reopenedByName || x.reopenedBy;
      if (x.status === 'open' && reopener) state += ' · ' + t(x.reopenedFrom === 'claimed' ? 'handoffs.releasedBy' : 'handoffs.reopenedBy', { by: reopener, date: formatDate(x.reopenedAt) });
      var contact = contactNodes(x.contact);
      var waiting = x.status === 'open' || x.status === 'claimed';
      var noWay = waiting && x.unreachable && !x.decidedAt;
      append(body, h('tr', { 'data-handoff': x.id }, [
        cell('received', { text: formatDateTime(x.createdAt) }),
        h('th', { scope: 'row' }, [
          // On a phone (admin.css) the name heads the card, whom to call and the buttons right under it, what was written after.
          h('span', { class: 'handoff-name' }, [
            withDossierLink && x.dossierId ? h('a', { href: '#/dossiers/' + encodeURIComponent(x.dossierId), text: name }) : name,
            x.departement ? h('span', { class: 'meta', text: ' (' + x.departement + ')' }) : null,
          ]),
          // Labelled on screen too: unlabelled, the words typed read like a name or an address.
          x.message ? h('p', { class: 'message-text' }, [h('span', { class: 'meta', text: t('handoffs.messageLabel') + ' ' }), x.message]) : null,
          addedMessages(x.messages),
        ]),
        cell('contact', { class: 'contact' }, [
          contact.length ? h('span', null, contact) : noWay ? null : h('span', null, t('handoffs.noContact')),
          corrected(x.contactUpdatedAt),
          // No e-mail nor phone: nobody can call back, no day to call by, never late.
          noWay ? h('span', { class: 'meta call-back', text: t('handoffs.unreachable') }) : null,
          // From outside the territory: oriented to its own DLA, no call back was promised.
          waiting && x.elsewhere ? h('span', { class: 'meta call-back', text: t('handoffs.elsewhere') }) : null,
          // Called already: a chargé·e recorded a decision after the handoff (to close once taken up).
          waiting && x.decidedAt && !x.elsewhere ? h('span', { class: 'meta call-back', text: t('handoffs.decided', { date: formatDate(x.decidedAt) }) }) : null,
          waiting && x.callBackBy && !x.elsewhere && !x.decidedAt ? h('span', { class: 'meta call-back' }, [
            t('handoffs.callBackBy', { date: formatDate(x.callBackBy + 'T12:00:00Z') }),
            // Who to call today: past the day the structure was told, or that very day.
            x.callBackDue ? [' ', h('span', { class: 'badge due-' + x.callBackDue, text: t('handoffs.due.' + x.callBackDue) })] : null,
          ]) : null,
        ]),
        cell('reason', { text: label('handoffReason', x.reason) }),
        cell('urgency', null, h('span', { class: 'badge urgency-' + x.urgency, text: label('urgency', x.urgency) })),
        cell('state', null, [
          state,
          x.delivery === 'failed' ? [' ', h('span', { class: 'badge delivery-failed', text: t('handoffs.delivery.failedBadge') })] : null,
          // The handoff reached them; an update since (a contact, a message, the Teams card's status) did not.
          x.delivery !== 'failed' && x.updates === 'failed' && x.status !== 'closed' ? [' ', h('span', { class: 'badge delivery-failed', text: t('handoffs.delivery.updateFailedBadge') })] : null,
          deliveryList(x),
        ]),
        actions,
      ]));
    });
    append(table, body);
    return h('div', { class: 'scroll' }, table);
  }

  /** How the handoff reached the chargé·es, one line per notifier (and per update): sent, waiting, or given up and why. */
  function deliveryList(x) {
    var list = h('ul', { class: 'deliveries', 'aria-label': t('handoffs.deliveries') });
    if (!x.deliveries.length) return append(list, h('li', { text: t('handoffs.delivery.none') }));
    x.deliveries.forEach(function (d) {
      var vars = { notifier: t('handoffs.delivery.notifier.' + d.notifier), count: d.attempts };
      var line = d.status === 'sent' ? t('handoffs.delivery.sent', { notifier: vars.notifier, date: formatDateTime(d.sentAt) })
        : d.status === 'failed' ? t('handoffs.delivery.failed', vars)
          : d.attempts ? t('handoffs.delivery.pending', Object.assign(vars, { date: formatDateTime(d.nextAttemptAt) }))
            : t('handoffs.delivery.waiting', vars);
      append(list, h('li', { class: 'delivery-' + d.status, 'data-notifier': d.notifier }, [
        line,
        ['contactAdded', 'contactUpdated', 'messageAdded', 'statusChanged'].indexOf(d.event) >= 0 ? ' ' + t('handoffs.delivery.' + d.event) : null,
        d.reason ? h('span', { class: 'meta reason', text: t('handoffs.delivery.reason', { reason: d.reason }) }) : null,
        d.lastFailure ? h('span', { class: 'meta reason', text: t('handoffs.delivery.lastFailure', { reason: d.lastFailure }) }) : null,
      ]));
    });
    return list;
  }

  // What a row offers after an action: claimed → close it; closed → reopen it; back in the queue → claim it.
  var NEXT_ACTION = { claim: 'close', close: 'reopen', reopen: 'claim' };
  /**
   * After « Prendre en charge », « Clore »… the list is redrawn and the pressed button is gone: the
   * focus goes back to the same row's next action (its first control if the row moved), or to the
   * list's heading if the row left the list, so that Tab goes on from there. Not when the user has
   * moved the focus elsewhere meanwhile.
   */
  function focusAfterAction(results, heading, after) {
    var rows = Array.prototype.slice.call(results.querySelectorAll('tr[data-handoff]'));
    var row = rows.filter(function (r) { return r.getAttribute('data-handoff') === after.id; })[0];
    // Refused as changed meanwhile: why, under the row as it now is (or on screen if it left the list).
    if (after.error && row) append(row.querySelector('td.actions'), errorBox(after.error));
    else if (after.error) announce(after.error, true);
    var active = document.activeElement;
    if (active && active !== document.body && !results.contains(active)) return;
    var target = null;
    if (row && rows.indexOf(row) === after.index) {
      target = row.querySelector('button[data-action="' + NEXT_ACTION[after.action] + '"]') || row.querySelector('td.actions button');
    }
    if (row && !target) target = row.querySelector('a[href], button, input, select, textarea');
    (target || heading).focus();
  }

  function showHandoffs(params) {
    var root = view(t('handoffs.heading'));
    // By default the handoffs someone must still call (open or claimed); « Toutes » shows the closed ones too.
    var current = params.get('status') || 'waiting';
    var status = h('select', { name: 'status' }, ['waiting'].concat(config.handoffStatuses, ['all']).map(function (v) {
      return h('option', { value: v, selected: v === current, text: v === 'waiting' || v === 'all' ? t('handoffs.filter.' + v) : t('handoffStatus.' + v) });
    }));
    var depField = departementInput(params, 'handoff-dep-list');
    var dep = depField.input;
    var search = searchInput(params);
    var form = h('form', { class: 'filters', role: 'search' }, [searchField(search, 'handoffs.searchHint')].concat(foldedFilters(h('fieldset', null, [
      h('legend', { text: t('handoffs.filterLegend') }),
      field(t('handoffs.status'), status),
      field(t('handoffs.departement'), dep, t('filters.departementHint')), depField.list,
      h('div', { class: 'buttons' }, h('button', { type: 'submit', text: t('handoffs.apply') })),
    ]), Number(current !== 'waiting') + Number(Boolean(params.get('departement'))))));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var q = new URLSearchParams();
      if (search.value.trim()) q.set('q', search.value.trim());
      if (status.value !== 'waiting') q.set('status', status.value);
      if (departementValue(dep)) q.set('departement', departementValue(dep));
      var next = '#/handoffs' + (q.toString() ? '?' + q.toString() : '');
      if (location.hash === next) route(); else location.hash = next;
    });
    var results = h('div', { class: 'results' }, h('p', { class: 'loading', text: t('common.loading') }));
    append(root, [form, results]);
    var q = new URLSearchParams();
    if (current !== 'all') q.set('status', current);
    if (params.get('departement')) q.set('departement', params.get('departement'));
    if (params.get('q')) q.set('q', params.get('q'));
    var qs = q.toString();
    var first = true;
    var heading = root.querySelector('#view-heading');
    // A page at a time (« Afficher plus »), as the dossier list; the counts of those late or due today are the whole list's.
    var rows = [];
    var ids = {};
    var total = 0;
    var due = { overdue: 0, today: 0 };
    var cursor = null;
    var more = h('button', { type: 'button', class: 'secondary', id: 'more-handoffs', onclick: function () { showMore(); } });
    var page = function (after, limit) {
      var p = new URLSearchParams(qs);
      if (after) p.set('cursor', after);
      p.set('limit', String(limit));
      return api('GET', '/admin/api/handoffs?' + p.toString());
    };
    var captionText = function () {
      return rows.length < total ? t('handoffs.captionPartial', { shown: rows.length, count: total }) : t('handoffs.caption', { count: total });
    };
    var summaryText = function () {
      return [due.overdue ? t('handoffs.overdueCount', { count: due.overdue }) : null, due.today ? t('handoffs.todayCount', { count: due.today }) : null]
        .filter(Boolean).join(' · ');
    };
    // The handoffs changed (or new) since the previous page was read come first when not shown yet (never twice).
    var take = function (data) {
      total = data.total;
      cursor = data.cursor;
      due = data.due;
      var unseen = function (x) { if (ids[x.id]) return false; ids[x.id] = true; return true; };
      var top = (data.changed || []).filter(unseen);
      rows = top.concat(rows, data.handoffs.filter(unseen));
      handoffsShown = { qs: qs, count: rows.length };
    };
    var draw = function () {
      clear(results);
      var left = Math.max(total - rows.length, 0);
      more.textContent = t('handoffs.more', { count: Math.min(left, PAGE_SIZE), left: left });
      more.hidden = !cursor || !left;
      var summary = summaryText();
      append(results, [
        summary ? h('p', { class: 'notice due-summary', text: summary }) : null,
        rows.length ? handoffTable(rows, load, true, captionText()) : h('p', { text: t('handoffs.empty') }),
        rows.length ? h('p', { class: 'buttons' }, more) : null,
      ]);
    };
    // The first page, or after an action the rows shown again as they now are (as many as were shown).
    var load = function (after) {
      var shown = rows.length || (handoffsShown.qs === qs ? handoffsShown.count : 0);
      page(null, Math.min(Math.max(shown, PAGE_SIZE), MAX_PAGE)).then(function (data) {
        rows = [];
        ids = {};
        take(data);
        draw();
        // Said once, when the list opens: after an action, what it did is what is said.
        if (first) announce([captionText(), summaryText()].filter(Boolean).join('. '));
        first = false;
        refocusOpened(results);
        if (after) focusAfterAction(results, heading, after);
      }, function (err) { clear(results); failed(results)(err); });
    };
    // The next page: focus on its first row, so that the keyboard goes on from there.
    var showMore = morePages(more, function () { return page(cursor, PAGE_SIZE); }, function (data) {
      var last = rows.length ? rows[rows.length - 1].id : null;
      take(data);
      draw();
      var trs = Array.prototype.slice.call(results.querySelectorAll('tr[data-handoff]'));
      var row = trs[trs.map(function (r) { return r.getAttribute('data-handoff'); }).indexOf(last) + 1];
      var target = row && row.querySelector('a[href], button');
      if (target) target.focus();
      return captionText();
    });
    load();
  }

  // ——— statistics: charts built with SVG DOM APIs ———

  function showStats() {
    var root = view(t('stats.heading'));
    var body = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
    append(root, body);
    api('GET', '/admin/api/stats').then(function (data) {
      clear(body);
      append(body, [
        h('p', { class: 'meta', id: 'stats-scope', text: data.departements
          ? t('stats.scopeDepartements', { list: data.departements.join(', '), date: formatDateTime(data.generatedAt) })
          : t('stats.scope', { date: formatDateTime(data.generatedAt) }) }),
        themesChart(data.themesByYear, data.themes),
        funnelChart(data.funnel),
        data.followupJobs ? jobTotals(data.followupJobs) : null,
      ]);
    }, function (err) { clear(body); failed(body)(err); });
  }

  function themesChart(years, allThemes) {
    var parts = [h('p', { text: t('stats.themesIntro') })];
    if (!years.length) return section(t('stats.themes'), parts.concat([h('p', { text: t('stats.themesEmpty') })]));
    var colour = {};
    allThemes.forEach(function (theme, i) { colour[theme] = PALETTE[i % PALETTE.length]; });
    var present = allThemes.filter(function (theme) { return years.some(function (y) { return y.themes.some(function (x) { return x.theme === theme; }); }); });
    // On a phone the charts are drawn narrower, each label above its bar: their text stays readable
    // and the whole figure fits, instead of a wide chart scrolling sideways.
    var narrow = narrowScreen();
    // Narrow: the year's label on a line of its own above the bar.
    var width = narrow ? 360 : 800, labelWidth = narrow ? 0 : 120, labelLine = narrow ? 22 : 0, barHeight = 28, gap = 12, top = 4;
    var height = top + years.length * (labelLine + barHeight + gap);
    var titleId = uid('chart');
    var chart = s('svg', { class: 'chart', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMinYMin meet' }, [
      s('title', { id: titleId, text: t('stats.themesChart') }),
    ]);
    years.forEach(function (y, row) {
      var yPos = top + row * (labelLine + barHeight + gap) + labelLine;
      append(chart, s('text', { x: 2, y: narrow ? yPos - labelLine / 2 : yPos + barHeight / 2, 'dominant-baseline': 'middle', class: 'axis-label', text: t('stats.yearLabel', { year: y.year, count: y.total }) }));
      var x = labelWidth;
      var barWidth = width - labelWidth - 4;
      // In the legend's order, left to right: the colours read the same in both.
      y.themes.slice().sort(function (a, b) { return allThemes.indexOf(a.theme) - allThemes.indexOf(b.theme); }).forEach(function (segment) {
        var w = y.total ? (segment.count / y.total) * barWidth : 0;
        var fill = colour[segment.theme] || '#666666';
        var rect = s('rect', { x: x.toFixed(2), y: yPos, width: Math.max(w, 0).toFixed(2), height: barHeight, fill: fill, class: 'segment', 'data-theme': segment.theme }, [
          s('title', { text: t('stats.segment', { year: y.year, theme: themeLabel(segment.theme), share: formatNumber(segment.share), count: segment.count }) }),
        ]);
        append(chart, rect);
        if (w > 44) {
          append(chart, s('text', { x: (x + w / 2).toFixed(2), y: yPos + barHeight / 2, 'text-anchor': 'middle', 'dominant-baseline': 'middle', class: 'segment-label ' + labelOn(fill), 'aria-hidden': 'true', text: formatNumber(Math.round(segment.share)) + ' %' }));
        }
        x += w;
      });
    });
    var legend = h('ul', { class: 'legend', 'aria-label': t('stats.legend') });
    present.forEach(function (theme) {
      append(legend, h('li', null, [
        s('svg', { width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true', focusable: 'false' }, s('rect', { width: 14, height: 14, rx: 2, fill: colour[theme] })),
        ' ', themeLabel(theme),
      ]));
    });
    // The same figures as a table, for screen readers and for copying.
    var table = h('table', { class: 'data compact' }, [
      h('thead', null, h('tr', null, [h('th', { scope: 'col', text: t('stats.year') }), h('th', { scope: 'col', text: t('stats.total') })]
        .concat(present.map(function (theme) { return h('th', { scope: 'col', text: themeLabel(theme) }); })))),
    ]);
    var tbody = h('tbody');
    years.forEach(function (y) {
      append(tbody, h('tr', null, [h('th', { scope: 'row', text: String(y.year) }), h('td', { text: formatNumber(y.total) })].concat(present.map(function (theme) {
        var found = y.themes.filter(function (x) { return x.theme === theme; })[0];
        return h('td', { text: found ? t('stats.share', { share: formatNumber(found.share), count: found.count }) : t('common.none') });
      }))));
    });
    append(table, tbody);
    return section(t('stats.themes'), parts.concat([
      h('figure', { class: 'chart-figure scroll' }, [chart, legend]),
      h('details', null, [h('summary', { text: t('stats.table') }), h('div', { class: 'scroll' }, table)]),
    ]));
  }

  function funnelChart(funnel) {
    var steps = ['firstContact', 'eligible', 'diagnosticConfirmed', 'handedOff', 'followupAnswered'];
    var first = funnel.firstContact || 0;
    var narrow = narrowScreen();
    // Narrow: each step's label above its bar; room after the longest bar for its value.
    var width = narrow ? 360 : 840, labelWidth = narrow ? 0 : 290, labelLine = narrow ? 22 : 0, valueWidth = 130, barHeight = 30, gap = 10;
    var height = steps.length * (labelLine + barHeight + gap);
    var barMax = width - labelWidth - valueWidth;
    var titleId = uid('chart');
    var summary = [];
    var chart = s('svg', { class: 'chart funnel', viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-labelledby': titleId, preserveAspectRatio: 'xMinYMin meet' });
    var title = s('title', { id: titleId });
    append(chart, title);
    steps.forEach(function (step, i) {
      var count = funnel[step] || 0;
      var percent = first ? (count / first) * 100 : 0;
      var y = i * (labelLine + barHeight + gap) + labelLine;
      var w = first ? Math.max((count / first) * barMax, count ? 2 : 0) : 0;
      var stepLabel = t('stats.steps.' + step);
      summary.push(t('stats.funnelTitle', { step: stepLabel, count: formatNumber(count), percent: formatNumber(percent) }));
      append(chart, [
        s('text', { x: 2, y: narrow ? y - labelLine / 2 : y + barHeight / 2, 'dominant-baseline': 'middle', class: 'axis-label', text: stepLabel }),
        s('rect', { x: labelWidth, y: y, width: w.toFixed(2), height: barHeight, rx: 3, fill: PALETTE[i], class: 'funnel-bar', 'data-step': step }, [
          s('title', { text: t('stats.funnelTitle', { step: stepLabel, count: formatNumber(count), percent: formatNumber(percent) }) }),
        ]),
        s('text', { x: (labelWidth + w + 8).toFixed(2), y: y + barHeight / 2, 'dominant-baseline': 'middle', class: 'value-label', 'data-step': step, text: t('stats.funnelValue', { count: formatNumber(count), percent: formatNumber(percent) }) }),
      ]);
    });
    title.textContent = t('stats.funnelChart') + ' — ' + summary.join(' ; ');
    return section(t('stats.funnel'), [h('p', { text: t('stats.funnelIntro') }), h('figure', { class: 'chart-figure scroll' }, chart)]);
  }

  // Jobs declared at the follow-up, added up over each dossier's latest check-in (as the CSV export has them).
  var jobNumber = new Intl.NumberFormat(config.locale, { maximumFractionDigits: 2 }); // « 1,25 ETP »
  function jobTotals(jobs) {
    var parts = [h('p', { text: t('stats.jobs.intro') })];
    if (!jobs.answered) return section(t('stats.jobs.heading'), parts.concat([h('p', { text: t('stats.jobs.none') })]));
    var kinds = ['created', 'kept', 'improved', 'lost'];
    var table = h('table', { class: 'job-totals' }, [
      h('thead', null, h('tr', null, [h('th', { scope: 'col', text: t('stats.jobs.kind') }), h('th', { scope: 'col', text: t('stats.jobs.total') })])),
      h('tbody', null, kinds.map(function (kind) {
        return h('tr', null, [h('th', { scope: 'row', text: t('stats.jobs.kinds.' + kind) }), h('td', { 'data-kind': kind, text: jobNumber.format(jobs[kind]) })]);
      })),
    ]);
    parts.push(h('div', { class: 'scroll' }, table));
    var notes = [t('stats.jobs.answered', { count: jobs.answered })];
    if (jobs.withoutNumber) notes.push(t('stats.jobs.withoutNumber', { count: jobs.withoutNumber }));
    if (jobs.toCheck) notes.push(t('stats.jobs.toCheck', { count: jobs.toCheck }));
    parts.push(h('p', { class: 'meta', text: notes.join(' ') }));
    return section(t('stats.jobs.heading'), parts);
  }

  /** When the chosen day is no sending day (weekend, public holiday, or too late today), say so. */
  function shiftedNotice(chosen, checkin) {
    return chosen && checkin.dueDay && chosen !== checkin.dueDay ? t('followup.shifted', { day: formatDate(chosen + 'T12:00:00Z') }) + ' ' : '';
  }

  // ——— users (administrators) ———

  function showUsers() {
    var root = view(t('users.heading'));
    var list = h('div', { class: 'results' }, h('p', { class: 'loading', text: t('common.loading') }));
    var output = h('div', { class: 'feedback' });
    var email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'off' });
    var name = h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off' });
    var role = h('select', { name: 'role' });
    config.roles.forEach(function (r) { append(role, h('option', { value: r, text: t('role.' + r) })); });
    var deps = h('input', { type: 'text', name: 'departements', autocomplete: 'off' });
    var showLink = function (forEmail, result) {
      clear(output);
      var id = uid('link');
      // The link as this browser reaches the back-office (PUBLIC_URL may name another address).
      var hash = result.loginUrl.slice(result.loginUrl.indexOf('#'));
      var input = h('input', { type: 'text', id: id, readonly: true, class: 'link-output', value: location.origin + location.pathname + hash });
      append(output, [
        h('p', { text: t('users.link', { email: forEmail, date: formatDateTime(result.expiresAt) }) }),
        h('label', { for: id, text: t('users.linkLabel') }), input,
      ]);
      input.focus();
      input.select();
    };
    var form = h('form', { class: 'user-form', novalidate: true }, h('fieldset', null, [
      h('legend', { text: t('users.formLegend') }),
      field(t('users.email'), email), field(t('users.name'), name), field(t('users.role'), role),
      field(t('users.departements'), deps, t('users.departementsHint')),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', text: t('users.submit') })),
    ]));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      clear(output);
      api('POST', '/admin/api/users', { email: email.value, name: name.value, role: role.value, departements: deps.value }).then(function (result) {
        load();
        // Created: the form is emptied for the next person (submitted again, it would change this one).
        if (result.created) form.reset();
        if (result.loginUrl) showLink(result.user.email, result);
        else append(output, h('p', { role: 'status', text: t('users.updated', { email: result.user.email }) }));
      }, function (err) { if (err && err.status !== 401) append(output, errorBox(err.message)); });
    });
    append(root, [list, form, output, config.privacy ? erasureRegister() : null]);
    var load = function () {
      api('GET', '/admin/api/users').then(function (data) {
        clear(list);
        var columns = ['email', 'name', 'role', 'departements', 'lastSeen', 'actions'];
        // On a phone (admin.css, table.stack) each user is a card, each cell under its column's name.
        var cell = function (column, attrs, children) { return h('td', Object.assign({ 'data-label': t('users.' + column) }, attrs), children); };
        var table = h('table', { class: 'data stack users' }, [
          h('caption', { text: t('users.caption', { count: data.users.length }) }),
          h('thead', null, h('tr', null, columns.map(function (c) { return h('th', { scope: 'col', text: t('users.' + c) }); }))),
        ]);
        var tbody = h('tbody');
        data.users.forEach(function (u) {
          append(tbody, h('tr', null, [
            h('th', { scope: 'row', text: u.email }),
            cell('name', { text: u.name }),
            cell('role', { text: label('role', u.role) }),
            cell('departements', { text: u.role === 'admin' || !u.departements.length ? t('common.allDepartements') : u.departements.join(', ') }),
            cell('lastSeen', { text: u.lastSeenAt ? formatDateTime(u.lastSeenAt) : t('users.never') }),
            cell('actions', { class: 'actions' }, [h('button', {
              type: 'button', class: 'secondary', 'aria-label': t('users.newLinkLabel', { email: u.email }), text: t('users.newLink'),
              onclick: function () {
                api('POST', '/admin/api/users/' + encodeURIComponent(u.email) + '/token', {}).then(function (result) { showLink(u.email, result); load(); },
                  function (err) { if (err && err.status !== 401) append(output, errorBox(err.message)); });
              },
            }), h('button', {
              type: 'button', class: 'secondary', 'aria-label': t('users.removeLabel', { email: u.email }), text: t('users.remove'),
              onclick: function () {
                if (!window.confirm(t('users.removeConfirm', { email: u.email }))) return;
                clear(output);
                api('DELETE', '/admin/api/users/' + encodeURIComponent(u.email)).then(function () {
                  done(t('users.removed', { email: u.email }));
                  load();
                }, function (err) { if (err && err.status !== 401) append(output, errorBox(err.message)); });
              },
            })]),
          ]));
        });
        append(table, tbody);
        append(list, h('div', { class: 'scroll' }, table));
      }, function (err) { clear(list); failed(list)(err); });
    };
    load();
  }

  /** The erasure register: each erasure, without personal data; its file is what a restore reapplies. */
  function erasureRegister() {
    var list = h('div', null, h('p', { class: 'loading', text: t('common.loading') }));
    var box = section(t('privacy.register'), [h('p', { text: t('privacy.registerIntro') }), list]);
    append(box, h('p', null, h('button', {
      type: 'button', class: 'link', id: 'download-erasures', text: t('privacy.registerDownload'),
      onclick: function () { download('/admin/api/erasures?format=json', 'erasures.json', t('privacy.registerDownloaded'), box); },
    })));
    api('GET', '/admin/api/erasures').then(function (data) {
      clear(list);
      if (!data.erasures.length) return append(list, h('p', { text: t('privacy.registerEmpty') }));
      var columns = ['at', 'dossier', 'by', 'documents'];
      var cell = function (column, attrs) { return h('td', Object.assign({ 'data-label': t('privacy.' + column) }, attrs)); };
      var table = h('table', { class: 'data stack erasures' }, [
        h('caption', { text: t('privacy.registerCaption', { count: data.erasures.length }) }),
        h('thead', null, h('tr', null, columns.map(function (c) { return h('th', { scope: 'col', text: t('privacy.' + c) }); }))),
        h('tbody', null, data.erasures.map(function (e) {
          return h('tr', null, [
            h('th', { scope: 'row', text: formatDateTime(e.at) }),
            cell('dossier', { text: e.dossierId || t('privacy.noDossier') }),
            cell('by', { text: e.by === 'structure' ? t('privacy.byStructure') : e.by === 'retention' ? t('privacy.byRetention') : e.by }),
            cell('documents', { text: formatNumber(e.documents) }),
          ]);
        })),
      ]);
      append(list, h('div', { class: 'scroll' }, table));
    }, function (err) { clear(list); failed(list)(err); });
    return box;
  }

  // ——— start ———

  window.addEventListener('hashchange', route);
  route();
}());
