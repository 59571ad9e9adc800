// The warning before an idle session ends (WCAG 2.2.1, timing adjustable): it shows two
// minutes before the end, takes focus (a screen reader announces it as an alert dialog),
// and "Stay signed in" counts the session as used, without leaving the page. When the
// time runs out the page is reloaded: the server then asks to sign in again.
;(function () {
  'use strict'
  var box = document.getElementById('session-warning')
  if (!box || !window.fetch) return
  var form = box.querySelector('form')
  var countdown = box.querySelector('[data-countdown]')
  var warnBefore = parseInt(box.getAttribute('data-warn-before'), 10) || 120
  var endsAt = 0
  var timer = null
  var lastFocus = null

  function words (seconds) {
    if (seconds >= 60) {
      var minutes = Math.ceil(seconds / 60)
      return minutes + (minutes === 1 ? ' minute' : ' minutes')
    }
    return seconds + (seconds === 1 ? ' second' : ' seconds')
  }

  function show () {
    if (!box.hidden) return
    lastFocus = document.activeElement
    box.hidden = false
    box.focus()
  }

  function hide () {
    box.hidden = true
    if (lastFocus && lastFocus.focus) lastFocus.focus()
  }

  function tick () {
    var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000))
    if (left <= 0) {
      window.clearInterval(timer)
      window.location.reload()
      return
    }
    if (left <= warnBefore) {
      // whole minutes, then every 15 seconds, then each second: never a flood of changes
      var shown = left > 60 ? left : left > 15 ? Math.ceil(left / 15) * 15 : left
      countdown.textContent = words(shown)
      show()
    }
  }

  function start (secondsLeft) {
    endsAt = Date.now() + secondsLeft * 1000
    if (timer) window.clearInterval(timer)
    timer = window.setInterval(tick, 1000)
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault()
    window
      .fetch(form.action, {
        method: 'POST',
        body: new FormData(form),
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      })
      .then(function (response) { return response.json() })
      .then(function (answer) {
        if (!answer.signed_in) {
          window.location.reload()
          return
        }
        start(answer.seconds_left)
        hide()
      })
      .catch(function () { window.location.reload() })
  })

  start(parseInt(box.getAttribute('data-seconds-left'), 10) || 0)
})()
