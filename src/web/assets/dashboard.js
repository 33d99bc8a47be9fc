// Rollcall dashboard: the only script. Live updates of Today over server-sent events, print buttons.
(function () {
  'use strict';

  document.querySelectorAll('[data-print]').forEach(function (button) {
    button.addEventListener('click', function () {
      window.print();
    });
  });

  var board = document.getElementById('board');
  if (!board || !('EventSource' in window)) return;
  var status = document.getElementById('live-status');
  var timer = null;

  function refresh() {
    clearTimeout(timer);
    // Several evaluations in a burst (a meeting starting) become one fetch.
    timer = setTimeout(function () {
      // Someone choosing who an unrecognized joiner is: swap the board once they have left the form.
      var form = document.activeElement && document.activeElement.closest && document.activeElement.closest('#board .link-form');
      if (form) {
        form.addEventListener('focusout', refresh, { once: true });
        return;
      }
      fetch('/today/board', { headers: { accept: 'text/html' }, credentials: 'same-origin' })
        .then(function (response) {
          if (response.status === 401) {
            window.location.assign('/sign-in');
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (markup) {
          if (markup === null || markup === undefined) return;
          board.innerHTML = markup;
          if (status) status.textContent = 'Updated ' + new Date().toLocaleTimeString();
        })
        .catch(function () {});
    }, 150);
  }

  var source = new EventSource('/today/events');
  var opened = false;
  source.addEventListener('open', function () {
    // After a reconnect something may have been missed.
    if (opened) refresh();
    opened = true;
    board.setAttribute('data-live', 'connected');
  });
  source.addEventListener('session', function (event) {
    var data = {};
    try {
      data = JSON.parse(event.data);
    } catch (e) {}
    if (!data.sessionId || board.querySelector('[data-session-id="' + data.sessionId + '"]')) refresh();
  });
  source.addEventListener('refresh', refresh);
})();
