import type { RequestHandler } from 'express'

/** The simulator's icon (the green diamond of the pages' brand), for the host shell's and the console's tabs. */
export const FAVICON_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><path d="M8 1l6 7-6 7-6-7z" fill="#2fd08b"/></svg>'

/** Where the pages link it; browsers also ask /favicon.ico on their own, answered with the same SVG rather than a 404. */
export const FAVICON_PATHS = ['/favicon.svg', '/favicon.ico']

/** Serves the icon, cacheable for a day. */
export const serveFavicon: RequestHandler = (_req, res) => {
  res.set('cache-control', 'public, max-age=86400').type('image/svg+xml').send(FAVICON_SVG)
}
