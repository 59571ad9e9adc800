// Marks the page as having JavaScript (and a browser the NHS.UK frontend supports),
// before it is drawn. A static file: Kinwise's Content-Security-Policy allows no inline script.
document.body.className +=
  ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' nhsuk-frontend-supported' : '')
