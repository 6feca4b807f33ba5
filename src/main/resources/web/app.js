// The Database Users page: the platform's dashboard section, on the pgusers API of this server.
// The API token is asked once and kept in this tab's session storage; user data only ever goes into
// the page as text (textContent), never as HTML.
'use strict';

(() => {
  const TOKEN_KEY = 'pgusers.apiToken';
  const $ = (id) => document.getElementById(id);

  const state = { token: sessionStorage.getItem(TOKEN_KEY), database: null, users: [], menuUser: null };

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // API

  async function api(method, path, body) {
    const headers = { Accept: 'application/json', Authorization: 'Bearer ' + (state.token || '') };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, 'The pgusers agent does not answer: ' + e.message);
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (e) {
        data = null;
      }
    }
    if (response.status === 401) {
      forgetToken();
      askToken('This token was refused.');
      throw new ApiError(401, 'Unauthorized');
    }
    if (response.status === 503) {
      throw new ApiError(503, await healthMessage());
    }
    if (!response.ok) {
      throw new ApiError(response.status, data && data.error ? data.error : 'HTTP ' + response.status);
    }
    return data;
  }

  // What GET /health says, in its own words: never the internals of a failed request.
  async function healthMessage() {
    try {
      const response = await fetch('/health', { cache: 'no-store', headers: { Accept: 'application/json' } });
      const data = await response.json();
      if (!response.ok && data && data.error) {
        return data.error;
      }
    } catch (e) {
      return 'The pgusers agent does not answer.';
    }
    return 'The pgusers agent is busy: try again in a moment.';
  }

  const usersPath = () => '/databases/' + encodeURIComponent(state.database) + '/users';
  const userPath = (name) => usersPath() + '/' + encodeURIComponent(name);

  // ------------------------------------------------------------------------------------------------
  // Token

  function askToken(message) {
    const error = $('token-error');
    error.textContent = message || '';
    error.hidden = !message;
    $('token-input').value = '';
    if (!$('token-dialog').open) {
      $('token-dialog').showModal();
    }
    $('token-input').focus();
  }

  function forgetToken() {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('sign-out').hidden = true;
  }

  $('token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) {
      askToken('Enter the token.');
      return;
    }
    state.token = token;
    $('token-input').value = '';
    $('token-dialog').close();
    try {
      await loadDatabases();
      sessionStorage.setItem(TOKEN_KEY, token);
      $('sign-out').hidden = false;
    } catch (e) {
      if (e.status !== 401) {
        showBanner(e.message);
      }
    }
  });

  $('token-dialog').addEventListener('cancel', (event) => event.preventDefault()); // no page without a token

  $('sign-out').addEventListener('click', () => {
    forgetToken();
    state.users = [];
    renderUsers();
    askToken();
  });

  // ------------------------------------------------------------------------------------------------
  // Databases and users

  async function loadDatabases() {
    const data = await api('GET', '/databases');
    const ids = data.databases.map((d) => d.id);
    const select = $('database');
    select.replaceChildren(...ids.map((id) => new Option(id, id)));
    select.disabled = ids.length === 0;
    const wanted = new URLSearchParams(location.search).get('database');
    if (ids.length === 0) {
      chooseDatabase(null);
      return;
    }
    if (wanted !== null && !ids.includes(wanted)) {
      // never a silent switch to another database: say so, and let the person choose
      select.prepend(new Option('Choose a database', '', true, true));
      chooseDatabase(null, 'Database "' + wanted + '" does not exist or is not managed by this pgusers agent.'
        + ' It manages: ' + ids.join(', ') + '. Choose one above.');
      return;
    }
    chooseDatabase(wanted !== null ? wanted : ids[0]);
  }

  function chooseDatabase(id, why) {
    state.database = id;
    $('database').value = id || '';
    $('db-name').textContent = id || 'No database';
    $('add-user-button').disabled = !id;
    const url = new URL(location.href);
    if (id) {
      url.searchParams.set('database', id);
    }
    history.replaceState(null, '', url);
    hideAddForm();
    hideBanner();
    hideNotice();
    if (id) {
      loadUsers();
    } else {
      state.users = [];
      renderUsers(why || 'No database was provisioned by pgusers yet: run pgusers provision.');
    }
  }

  $('database').addEventListener('change', (event) => {
    const placeholder = $('database').querySelector('option[value=""]');
    if (placeholder && event.target.value) {
      placeholder.remove();
    }
    chooseDatabase(event.target.value || null);
  });

  async function loadUsers() {
    document.body.dataset.loading = 'true';
    try {
      const data = await api('GET', usersPath());
      state.users = data['database-users'];
      renderUsers();
    } catch (e) {
      if (e.status !== 401) {
        showBanner(e.message);
      }
    } finally {
      delete document.body.dataset.loading;
    }
  }

  function pill(text, kind) {
    const span = document.createElement('span');
    span.className = 'pill pill-' + kind;
    span.textContent = text;
    return span;
  }

  function cell(row, className, ...content) {
    const td = row.insertCell();
    if (className) {
      td.className = className;
    }
    td.append(...content);
    return td;
  }

  function renderUsers(emptyMessage) {
    const body = $('users-body');
    body.replaceChildren();
    for (const user of state.users) {
      const row = body.insertRow();
      row.dataset.user = user.name;
      row.dataset.readOnly = String(user.read_only);
      row.dataset.protected = String(user.protected);
      const elsewhere = user.database && user.database !== state.database ? user.database : null;
      if (elsewhere) {
        row.dataset.database = elsewhere;
        const note = document.createElement('span');
        note.className = 'elsewhere';
        note.textContent = 'user of database ' + elsewhere;
        cell(row, 'name', user.name, note);
      } else {
        cell(row, 'name', user.name);
      }
      cell(row, 'read-only', user.read_only ? pill('Yes', 'yes') : pill('No', 'no'));
      cell(row, 'protected', user.protected ? pill('Protected', 'protected') : pill('No', 'no'));
      const encryption = user.dbms_attributes && user.dbms_attributes.password_encryption;
      const encryptionPill = pill(encryption || 'None', encryption === 'MD5' ? 'md5' : encryption ? 'scram' : 'no');
      if (encryption === 'MD5') {
        encryptionPill.title = 'Reset the password to move this user to SCRAM-SHA-256';
      }
      cell(row, 'encryption', encryptionPill);
      const actions = cell(row, 'actions');
      if (!user.protected && !elsewhere) {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'menu-button';
        button.textContent = '⋯';
        button.setAttribute('aria-label', 'Actions for ' + user.name);
        button.setAttribute('aria-haspopup', 'menu');
        button.setAttribute('aria-expanded', 'false');
        button.addEventListener('click', (event) => {
          event.stopPropagation();
          toggleMenu(button, user.name);
        });
        actions.append(button);
      }
    }
    const empty = $('users-empty');
    const message = emptyMessage || (state.users.length === 0 && state.database ? 'This database has no users.' : '');
    empty.textContent = message;
    empty.hidden = !message;
  }

  // ------------------------------------------------------------------------------------------------
  // Row menu: Reset password, Delete user

  function toggleMenu(button, name) {
    const menu = $('user-menu');
    const wasOpenHere = !menu.hidden && state.menuUser === name;
    closeMenu();
    if (wasOpenHere) {
      return;
    }
    state.menuUser = name;
    button.setAttribute('aria-expanded', 'true');
    const box = button.getBoundingClientRect();
    menu.hidden = false;
    menu.style.top = window.scrollY + box.bottom + 4 + 'px';
    menu.style.left = window.scrollX + box.right - menu.offsetWidth + 'px';
    menu.querySelector('.menu-item').focus();
  }

  function closeMenu() {
    $('user-menu').hidden = true;
    document.querySelectorAll('.menu-button[aria-expanded="true"]')
      .forEach((b) => b.setAttribute('aria-expanded', 'false'));
  }

  document.addEventListener('click', (event) => {
    if (!$('user-menu').contains(event.target)) {
      closeMenu();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      closeMenu();
    }
  });

  $('user-menu').addEventListener('click', (event) => {
    const item = event.target.closest('[data-action]');
    if (!item) {
      return;
    }
    const name = state.menuUser;
    closeMenu();
    if (item.dataset.action === 'reset') {
      confirmThen('Reset password',
        'Reset the password of user "' + name + '"? Its current password stops working at once; '
          + 'a new one is generated and shown once.',
        'Reset password', false, () => resetPassword(name));
    } else if (item.dataset.action === 'delete') {
      confirmThen('Delete user',
        'Delete user "' + name + '"? Its sessions end and it can no longer log in; '
          + 'the tables it owns stay, owned by the database owner.',
        'Delete user', true, () => deleteUser(name));
    }
  });

  let confirmed = null;

  function confirmThen(title, message, action, danger, then) {
    $('confirm-title').textContent = title;
    $('confirm-message').textContent = message;
    const ok = $('confirm-ok');
    ok.textContent = action;
    ok.className = 'button ' + (danger ? 'danger' : 'primary');
    confirmed = then;
    $('confirm-dialog').showModal();
    ok.focus();
  }

  $('confirm-cancel').addEventListener('click', () => {
    confirmed = null;
    $('confirm-dialog').close();
  });
  $('confirm-ok').addEventListener('click', () => {
    const then = confirmed;
    confirmed = null;
    $('confirm-dialog').close();
    if (then) {
      then();
    }
  });

  async function resetPassword(name) {
    hideBanner();
    try {
      const data = await api('POST', userPath(name) + '/reset_password');
      showPassword('New password of user "' + name + '"', data.database_user.password);
      await loadUsers();
    } catch (e) {
      if (e.status !== 401) {
        showBanner(e.message);
      }
    }
  }

  async function deleteUser(name) {
    hideBanner();
    try {
      await api('DELETE', userPath(name));
      await loadUsers();
    } catch (e) {
      if (e.status !== 401) {
        showBanner(e.message);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Add a database user

  function showAddForm() {
    hideNotice();
    $('add-user-form').hidden = false;
    $('add-user-button').hidden = true;
    hideFormError();
    $('new-username').focus();
  }

  function hideAddForm() {
    const form = $('add-user-form');
    form.reset();
    form.hidden = true;
    $('add-user-button').hidden = false;
    hideFormError();
  }

  function showFormError(message) {
    const error = $('add-user-error');
    error.textContent = message;
    error.hidden = false;
  }

  function hideFormError() {
    $('add-user-error').hidden = true;
    $('add-user-error').textContent = '';
  }

  $('add-user-button').addEventListener('click', showAddForm);
  $('add-user-cancel').addEventListener('click', hideAddForm);

  $('add-user-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    hideFormError();
    const name = $('new-username').value.trim();
    const password = $('new-password-1').value;
    const confirmation = $('new-password-2').value;
    const request = { name, read_only: $('new-read-only').checked };
    if (password !== confirmation) {
      showFormError("Password confirmation doesn't match"); // the platform's words; every field kept
      $('new-password-2').focus();
      return;
    }
    if (password) {
      request.password = password;
      request.password_confirmation = confirmation;
    }
    const submit = $('add-user-submit');
    submit.disabled = true;
    try {
      const data = await api('POST', usersPath(), { database_user: request });
      hideAddForm();
      if (data.database_user.password) {
        showPassword('User "' + name + '" created', data.database_user.password);
      } else {
        showNotice('User "' + name + '" created with the password you gave.');
      }
      await loadUsers();
    } catch (e) {
      if (e.status !== 401) {
        showFormError(e.message);
      }
    } finally {
      submit.disabled = false;
    }
  });

  // ------------------------------------------------------------------------------------------------
  // A password, shown once

  function showPassword(title, password) {
    $('password-title').textContent = title;
    $('new-password').value = password;
    $('copy-password').textContent = 'Copy';
    leaving(false);
    $('password-dialog').showModal();
    $('new-password').select();
  }

  // Closing forgets the password: the first Done (or Esc) asks, the second closes.
  function leaving(asking) {
    $('password-leaving').hidden = !asking;
    $('password-keep').hidden = !asking;
    $('password-done').textContent = asking ? 'Close, it is stored' : 'Done';
  }

  $('copy-password').addEventListener('click', async () => {
    const field = $('new-password');
    try {
      await navigator.clipboard.writeText(field.value);
    } catch (e) {
      field.select();
      document.execCommand('copy');
    }
    $('copy-password').textContent = 'Copied';
  });

  $('password-dialog').addEventListener('close', () => {
    $('new-password').value = '';
  });
  $('password-dialog').addEventListener('cancel', (event) => {
    event.preventDefault(); // Esc
    leaving(true);
  });
  $('password-done').addEventListener('click', () => {
    if ($('password-leaving').hidden) {
      leaving(true);
    } else {
      $('password-dialog').close();
    }
  });
  $('password-keep').addEventListener('click', () => {
    leaving(false);
    $('new-password').select();
  });

  // ------------------------------------------------------------------------------------------------
  // Banner

  function showBanner(message) {
    const banner = $('banner');
    banner.textContent = message;
    banner.hidden = false;
  }

  function hideBanner() {
    $('banner').hidden = true;
  }

  function showNotice(message) {
    const notice = $('notice');
    notice.textContent = message;
    notice.hidden = false;
  }

  function hideNotice() {
    $('notice').hidden = true;
  }

  // ------------------------------------------------------------------------------------------------

  if (state.token) {
    $('sign-out').hidden = false;
    loadDatabases().catch((e) => {
      if (e.status !== 401) {
        showBanner(e.message);
      }
    });
  } else {
    askToken();
  }
})();
