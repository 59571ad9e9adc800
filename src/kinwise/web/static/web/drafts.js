// Drafts kept on the server while a form is typed into (kinwise.drafts): never in the
// browser's storage, as tablets are shared. A form with data-draft-url posts its fields
// there a few seconds after each change (and at most every few seconds while typing);
// one whose page offers an earlier draft (data-draft-paused) keeps none until the offer
// is answered. Nothing is posted once the form is being saved.
const QUIET_MS = 2000
const EVERY_MS = 5000

for (const form of document.querySelectorAll('form[data-draft-url]')) {
  if (form.dataset.draftPaused) continue
  const url = form.dataset.draftUrl
  let changed = false
  let stopped = false
  let quiet = null
  let last = Date.now()

  const send = () => {
    if (stopped || !changed) return
    changed = false
    last = Date.now()
    form.dataset.draftState = 'saving'
    fetch(url, { method: 'POST', body: new FormData(form), credentials: 'same-origin', redirect: 'manual' })
      .then((response) => { form.dataset.draftState = response.status === 204 ? 'kept' : 'not-kept' })
      .catch(() => { form.dataset.draftState = 'not-kept' })
  }

  const typed = () => {
    changed = true
    clearTimeout(quiet)
    quiet = setTimeout(send, QUIET_MS)
    if (Date.now() - last >= EVERY_MS) send()
  }

  form.addEventListener('input', typed)
  form.addEventListener('change', typed)
  form.addEventListener('submit', () => { stopped = true; clearTimeout(quiet) })
}
