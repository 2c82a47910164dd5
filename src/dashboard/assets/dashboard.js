// Storm dashboard: live updates. The server says "changed" over server-sent events; the page
// fetches its own <main> again (?fragment=1) and swaps it in. Nothing else runs here.
(function () {
  'use strict'
  var live = document.body.getAttribute('data-live')
  var status = document.getElementById('live-status')
  if (!live || !window.EventSource) return
  var busy = false
  var again = false
  function say (on) {
    if (!status) return
    status.textContent = status.getAttribute(on ? 'data-live-text' : 'data-offline-text')
    status.setAttribute('data-state', on ? 'live' : 'offline')
  }
  function refresh () {
    if (busy) { again = true; return }
    busy = true
    var url = new URL(window.location.href)
    url.searchParams.set('fragment', '1')
    url.searchParams.delete('lang')
    fetch(url.toString(), { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) { return res.ok ? res.text() : null })
      .then(function (html) {
        var main = document.getElementById('main')
        if (html !== null && main) {
          main.innerHTML = html
          document.body.setAttribute('data-refreshed', String(Date.now()))
        }
      })
      .catch(function () {})
      .then(function () {
        busy = false
        if (again) { again = false; refresh() }
      })
  }
  var source = new EventSource(live)
  source.addEventListener('hello', function () { say(true); document.body.setAttribute('data-live-state', 'connected') })
  source.addEventListener('changed', refresh)
  source.onerror = function () { say(false) }
  source.onopen = function () { say(true) }
})()
