import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

/** Small servers the scenario and CLI tests put where the simulator is expected. */

/**
 * A proxy in front of the simulator that logs each request as it arrives (`METHOD path`)
 * and holds those `hold` picks until release(). WebSocket upgrades are logged and refused.
 */
export async function startProxy(target: string, hold: (request: IncomingMessage) => boolean) {
  const log: string[] = []
  let answered = 0
  const waiters: { count: () => number; wanted: number; resolve: () => void }[] = []
  const wake = () => waiters.filter((w) => w.count() >= w.wanted).forEach((w) => w.resolve())
  const until = (count: () => number, wanted: number) => new Promise<void>((resolve) => (count() >= wanted ? resolve() : waiters.push({ count, wanted, resolve })))
  const arrive = (entry: string) => {
    log.push(entry)
    wake()
  }
  const done = () => {
    answered += 1
    wake()
  }
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const server = createServer(async (request, response) => {
    arrive(`${request.method} ${request.url}`)
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    if (hold(request)) await released
    // Passed on as sent: the simulator refuses a body without its JSON type, and a JSON type without a body.
    const type = request.headers['content-type']
    const upstream = await fetch(`${target}${request.url}`, {
      method: request.method,
      ...(type === undefined ? {} : { headers: { 'content-type': type } }),
      ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
    })
    const body = Buffer.from(await upstream.arrayBuffer())
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(body, done)
  })
  server.on('upgrade', (request, socket) => {
    arrive(`UPGRADE ${request.url}`)
    socket.destroy()
    done()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    release,
    /** Resolves once `count` requests have been answered (the upstream's answer passed on). */
    answered: (count: number) => until(() => answered, count),
    /** Resolves once `count` requests have arrived. */
    arrived: (count: number) => until(() => log.length, count),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Something that is not the simulator on a port: an HTML page for every request. */
export async function startHtmlServer() {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Gem Quest</title>'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Something that answers the event stream's WebSocket with a message that is not JSON. */
export async function startBadEventStream() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  // Every server and socket handles 'error', in fixtures too: one bad frame must not end the test run.
  wss.on('error', () => {})
  wss.on('connection', (socket) => {
    socket.on('error', () => socket.terminate())
    socket.send('<html>not an event</html>')
  })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  }
}
