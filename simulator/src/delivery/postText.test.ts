import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PostError, postText } from './postText'

const OPTIONS = { headers: { 'content-type': 'application/json' }, timeoutMs: 5000, readLimit: 1024, keepBytes: 100 }

interface Receiver {
  url: string
  /** TCP connections the receiver accepted, and those closed since. */
  connections: Socket[]
  closed: number
  requests: Array<{ headers: IncomingMessage['headers']; body: string }>
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

const TLS = path.resolve(import.meta.dirname, '../../../test/fixtures/tls')

/**
 * A receiver on loopback that reads each request whole, then answers with `answer`: over
 * node:http, or over node:https with the self-signed test certificate (test/fixtures/tls).
 */
async function receiver(answer: (res: ServerResponse, index: number) => void, tls = false): Promise<Receiver> {
  const state: Receiver = { url: '', connections: [], closed: 0, requests: [] }
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      state.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      answer(res, state.requests.length - 1)
    })
  }
  const server = tls
    ? createHttpsServer({ cert: readFileSync(path.join(TLS, 'cert.pem')), key: readFileSync(path.join(TLS, 'key.pem')) }, handle)
    : createServer(handle)
  server.on(tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    state.connections.push(socket)
    socket.on('close', () => void state.closed++)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/delivery`
  return state
}

const reply = (res: ServerResponse, status: number, text: string) => res.writeHead(status, { 'content-type': 'application/json' }).end(text)

async function failure(promise: Promise<unknown>): Promise<PostError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(PostError)
  return error as PostError
}

describe('postText', () => {
  it('sends the body byte for byte with its length, and reuses one keep-alive connection', async () => {
    const server = await receiver((res, i) => reply(res, 200, `{"n":${i}}`))
    const body = '{"Event":"金币 ×3","Payload":"{}"}'
    for (let i = 0; i < 5; i++) {
      expect(await postText(server.url, body, OPTIONS)).toEqual({ status: 200, location: undefined, text: `{"n":${i}}`, truncated: false })
    }
    expect(server.requests.map((r) => r.body)).toEqual(Array(5).fill(body))
    expect(server.requests[0]!.headers).toMatchObject({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
    expect(server.connections).toHaveLength(1)
  })

  it('reports a redirect with its Location without following it', async () => {
    const server = await receiver((res) => res.writeHead(302, { location: '/elsewhere' }).end('moved'))
    expect(await postText(server.url, '{}', OPTIONS)).toMatchObject({ status: 302, location: '/elsewhere', text: 'moved' })
    expect(server.requests).toHaveLength(1)
  })

  it('reads no more than the limit of a larger reply, keeps its start, and does not reuse that connection', async () => {
    const big = `{"pad":"${'x'.repeat(64 * 1024)}"}`
    const server = await receiver((res, i) => reply(res, 200, i === 0 ? big : '{"small":true}'))
    const cut = await postText(server.url, '{}', OPTIONS)
    expect(cut).toEqual({ status: 200, location: undefined, text: big.slice(0, OPTIONS.keepBytes), truncated: true })
    expect(await postText(server.url, '{}', OPTIONS)).toMatchObject({ text: '{"small":true}', truncated: false })
    expect(server.connections).toHaveLength(2)
  })

  it('fails as timed out when the receiver never answers, and closes the connection', async () => {
    const server = await receiver(() => {})
    const error = await failure(postText(server.url, '{}', { ...OPTIONS, timeoutMs: 150 }))
    expect(error).toMatchObject({ timedOut: true, reason: 'no answer within 150 ms' })
    await expect.poll(() => server.closed).toBe(1)
  })

  it('fails with the network error when nothing listens', async () => {
    const server = await receiver(() => {})
    const url = server.url
    await new Promise((resolve) => servers.pop()!.close(resolve))
    expect(await failure(postText(url, '{}', OPTIONS))).toMatchObject({ timedOut: false, replied: false, reason: 'ECONNREFUSED' })
  })

  it('fails when the receiver cuts its reply off mid-body', async () => {
    const server = await receiver((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"returnCode":"0"', () => res.socket?.destroy())
    })
    expect(await failure(postText(server.url, '{}', OPTIONS))).toMatchObject({ timedOut: false, replied: true, reason: 'ECONNRESET' })
  })

  it('sends once more on another connection when a pooled one was closed under it, before any reply', async () => {
    // The second request goes out on the first one's idle connection; the receiver drops
    // that connection instead of answering, as one closing it while idle would.
    const server = await receiver((res, i) => (i === 1 ? res.socket?.destroy() : reply(res, 200, `{"n":${i}}`)))
    expect(await postText(server.url, '{}', OPTIONS)).toMatchObject({ text: '{"n":0}' })
    expect(await postText(server.url, '{"again":1}', OPTIONS)).toEqual({ status: 200, text: '{"n":2}', truncated: false, resentAfter: 'ECONNRESET' })
    expect(server.requests.map((r) => r.body)).toEqual(['{}', '{"again":1}', '{"again":1}'])
    expect(server.connections).toHaveLength(2)
  })

  it('sends no more than once again, and says so when that fails too', async () => {
    // Two idle connections in the pool (the first reply waits for the second request, so
    // that request needs a connection of its own), both dropped when next used.
    let waiting: ServerResponse | undefined
    const server = await receiver((res, i) => {
      if (i === 0) waiting = res
      else if (i === 1) [waiting!, res].forEach((r) => reply(r, 200, '{}'))
      else res.socket?.destroy()
    })
    await Promise.all([postText(server.url, '{}', OPTIONS), postText(server.url, '{}', OPTIONS)])
    expect(server.connections).toHaveLength(2)
    const error = await failure(postText(server.url, '{"third":1}', OPTIONS))
    expect(error).toMatchObject({ reason: 'ECONNRESET', replied: false, resentAfter: 'ECONNRESET' })
    expect(server.requests.map((r) => r.body)).toEqual(['{}', '{}', '{"third":1}', '{"third":1}'])
  })

  it('does not send again when a pooled connection is dropped after its reply began', async () => {
    const server = await receiver((res, i) => {
      // The second time, the start of a status line, then the connection goes: the receiver had the request.
      if (i === 0) reply(res, 200, '{}')
      else res.socket?.write('HTTP/1.1 200 OK\r\nContent-Ty', () => res.socket?.destroy())
    })
    await postText(server.url, '{}', OPTIONS)
    const error = await failure(postText(server.url, '{"once":1}', OPTIONS))
    expect(error.resentAfter).toBeUndefined()
    expect(server.requests.map((r) => r.body)).toEqual(['{}', '{"once":1}'])
  })

  it('does not send again when a new connection is dropped before the reply', async () => {
    const server = await receiver((res) => res.socket?.destroy())
    expect(await failure(postText(server.url, '{}', OPTIONS))).toMatchObject({ timedOut: false, replied: false, reason: 'ECONNRESET' })
    expect(server.requests).toHaveLength(1)
  })

  it('reads a reply of exactly the limit whole', async () => {
    const exact = `"${'x'.repeat(OPTIONS.readLimit - 2)}"`
    const server = await receiver((res) => reply(res, 200, exact))
    expect(await postText(server.url, '{}', OPTIONS)).toMatchObject({ text: exact, truncated: false })
  })

  it('fails on a header Node refuses, sending nothing and leaving no timer behind', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const error = await failure(postText('http://127.0.0.1:9/delivery', '{}', { ...OPTIONS, headers: { 'x-name': '金币' } }))
      expect(error).toMatchObject({ timedOut: false, replied: false })
      expect(error.reason).toMatch(/Invalid character in header content \["x-name"\]/)
      expect(vi.getTimerCount()).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })

  it.each([
    ['ftp://127.0.0.1/delivery', 'ftp: is not http: or https:'],
    ['not a url', 'not a URL'],
  ])('refuses %s without sending anything', async (url, reason) => {
    expect(await failure(postText(url, '{}', OPTIONS))).toMatchObject({ timedOut: false, reason })
  })

  describe('over https', () => {
    it('refuses a receiver whose certificate no trusted authority signed, and says how to trust a local one', async () => {
      const server = await receiver((res) => reply(res, 200, '{}'), true)
      const error = await failure(postText(server.url, '{}', OPTIONS))
      expect(error).toMatchObject({ timedOut: false, replied: false })
      expect(error.reason).toMatch(/^DEPTH_ZERO_SELF_SIGNED_CERT: the receiver's TLS certificate is not signed by a certificate authority Node trusts .*NODE_EXTRA_CA_CERTS=/)
      expect(server.requests).toHaveLength(0)
    })

    it('posts over one keep-alive TLS connection in a simulator started with NODE_EXTRA_CA_CERTS', async () => {
      const server = await receiver((res, i) => reply(res, 200, `{"n":${i}}`), true)
      // A process of its own: Node reads NODE_EXTRA_CA_CERTS once, at start, as a user's simulator would.
      const script = `import { postText } from ${JSON.stringify(pathToFileURL(path.resolve(import.meta.dirname, 'postText.ts')).href)}
const options = ${JSON.stringify(OPTIONS)}
const replies = []
for (const body of ['{"a":1}', '{"a":2}']) replies.push(await postText(process.argv[1], body, options))
console.log(JSON.stringify(replies))`
      const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=superapp-sim-source', '--import', 'tsx', '--input-type=module', '-e', script, server.url], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(TLS, 'cert.pem') },
        timeout: 30_000,
      })
      expect(JSON.parse(stdout)).toEqual([
        { status: 200, text: '{"n":0}', truncated: false },
        { status: 200, text: '{"n":1}', truncated: false },
      ])
      expect(server.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":2}'])
      expect(server.connections).toHaveLength(1)
    })
  })
})
