import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
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

/** A node:http receiver on loopback that reads each request whole, then answers with `answer`. */
async function receiver(answer: (res: ServerResponse, index: number) => void): Promise<Receiver> {
  const state: Receiver = { url: '', connections: [], closed: 0, requests: [] }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      state.requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') })
      answer(res, state.requests.length - 1)
    })
  })
  server.on('connection', (socket) => {
    state.connections.push(socket)
    socket.on('close', () => void state.closed++)
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/delivery`
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
    expect(await postText(server.url, '{"again":1}', OPTIONS)).toMatchObject({ status: 200, text: '{"n":2}' })
    expect(server.requests.map((r) => r.body)).toEqual(['{}', '{"again":1}', '{"again":1}'])
    expect(server.connections).toHaveLength(2)
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

  it.each([
    ['ftp://127.0.0.1/delivery', 'ftp: is not http: or https:'],
    ['not a url', 'not a URL'],
  ])('refuses %s without sending anything', async (url, reason) => {
    expect(await failure(postText(url, '{}', OPTIONS))).toMatchObject({ timedOut: false, reason })
  })
})
