import express from 'express'
import { listen } from './http'

/**
 * Serves a mini game package folder as a developer's static server would: to any origin
 * (the simulator's page loads it from another port), with some files replaced by the
 * server (a config.js naming the game server's address, as a build would write it).
 */
export async function servePackage(folder: string, replace: Record<string, string> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const app = express()
  app.use((_req, res, next) => {
    res.set('access-control-allow-origin', '*')
    next()
  })
  for (const [file, content] of Object.entries(replace)) app.get(`/${file}`, (_req, res) => void res.type('application/javascript').send(content))
  app.use(express.static(folder))
  const served = await listen(app)
  return { url: `${served.url}/`, close: served.close }
}
