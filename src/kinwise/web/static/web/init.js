// The NHS.UK frontend's components (error summary focus, buttons, skip link).
import { initAll } from '../nhsuk/nhsuk-frontend.min.js'

initAll()
