/**
 * Imported first by the host shell: zod compiles object parsers with `new Function` unless
 * told not to, and probes for it when the first schema is built. The shell's
 * Content-Security-Policy allows no eval (app.ts), so the probe would only fail and be
 * reported as a violation; jitless parsing is fast enough for a few messages a second.
 */
import { config } from 'zod'

config({ jitless: true })
