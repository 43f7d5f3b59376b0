import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import { CHANNEL_SOURCE, hostCallSchema, hostResult, protocolError, sheetOpen, type SheetOpenPayload } from '../protocol/channel'
import { GameSdkError } from '../core/errors'
import { createWx } from '../core/wx'
import { hostSocketUrl } from './hostSocketUrl'
import { createWebSocketTransport } from './webSocketTransport'

/*
 * The transport against a scripted peer speaking the raw wire: the cases a real host does
 * not produce on demand (garbage, binary frames, answers to unknown calls, a silent port).
 * The same client against the real simulator is test/integration/headlessPlayer.test.ts.
 */

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A WebSocket peer on a free port; `next()` resolves with the next connection. */
async function scriptedHost() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const connections: WebSocket[] = []
  const waiters: ((socket: WebSocket) => void)[] = []
  wss.on('connection', (socket) => {
    const waiter = waiters.shift()
    if (waiter) waiter(socket)
    else connections.push(socket)
  })
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const client of wss.clients) client.terminate()
    wss.close(() => resolve())
  }))
  const { port } = wss.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}/host/ws`,
    next: () => new Promise<WebSocket>((resolve) => (connections.length ? resolve(connections.shift()!) : waiters.push(resolve))),
  }
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))))
}

async function listening<T extends Server | TcpServer>(server: T): Promise<number> {
  server.listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  return (server.address() as AddressInfo).port
}

describe('hostSocketUrl', () => {
  it('turns http into ws and keeps a sandbox prefix before /host/ws', () => {
    expect(hostSocketUrl('http://127.0.0.1:7070/sandbox/w1/', { appId: 'mg1', playerId: 'player 1' })).toBe(
      'ws://127.0.0.1:7070/sandbox/w1/host/ws?appId=mg1&playerId=player+1',
    )
  })

  it('turns https into wss', () => {
    expect(hostSocketUrl('https://sim.example', { appId: 'a', playerId: 'p' })).toBe('wss://sim.example/host/ws?appId=a&playerId=p')
  })

  it('refuses a URL that is not http(s) with INVALID_ARGUMENT', () => {
    expect(() => hostSocketUrl('ftp://x', { appId: 'a', playerId: 'p' })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(() => hostSocketUrl('127.0.0.1:7070', { appId: 'a', playerId: 'p' })).toThrow(/simulatorUrl/)
  })
})

describe('createWebSocketTransport', () => {
  it('sends HOST_CALL and resolves the call with the HOST_RESULT of the same callId', async () => {
    const host = await scriptedHost()
    const reported: string[] = []
    const transport = await createWebSocketTransport({ url: host.url, onProtocolError: (m) => reported.push(m) })
    cleanups.push(() => void transport.close())
    const peer = await host.next()
    const reply = transport.call('login', {})
    const call = hostCallSchema.parse(await nextMessage(peer))
    expect(call.payload).toMatchObject({ api: 'login', params: {} })
    peer.send(JSON.stringify(hostResult({ callId: 'someone-else', ok: true, result: { errMsg: 'login:ok', code: 'wrong' } })))
    peer.send(JSON.stringify(hostResult({ callId: call.payload.callId, ok: true, result: { errMsg: 'login:ok', code: 'c1' } })))
    expect(await reply).toEqual({ callId: call.payload.callId, ok: true, result: { errMsg: 'login:ok', code: 'c1' } })
    expect(reported).toEqual(['the host answered a call this player is not waiting for (callId someone-else)'])
  })

  it('reports garbage, binary frames, unknown calls and PROTOCOL_ERROR, and keeps working', async () => {
    const host = await scriptedHost()
    const reported: string[] = []
    const transport = await createWebSocketTransport({ url: host.url, onProtocolError: (m) => reported.push(m) })
    cleanups.push(() => void transport.close())
    const peer = await host.next()
    peer.send('not json')
    peer.send(Buffer.from('{}'), { binary: true })
    peer.send(JSON.stringify({ source: CHANNEL_SOURCE, type: 'HOST_RESULT', payload: { callId: 'x' } }))
    peer.send(JSON.stringify(hostResult({ callId: 'nobody', ok: true, result: { errMsg: 'login:ok' } })))
    peer.send(JSON.stringify(protocolError('SHEET_ANSWER for an unknown order')))
    // The wire is ordered: once this call is answered, every message above was handled.
    const reply = transport.call('login', {})
    const { payload } = hostCallSchema.parse(await nextMessage(peer))
    peer.send(JSON.stringify(hostResult({ callId: payload.callId, ok: true, result: { errMsg: 'login:ok', code: 'c' } })))
    await reply
    expect(reported).toEqual([
      'ignored a message from the host that is not JSON: not json',
      'ignored a binary message from the host: the wire is JSON text',
      expect.stringMatching(/^ignored a message from the host that is not on the wire: /),
      'the host answered a call this player is not waiting for (callId nobody)',
      'the host could not understand a message from this player: SHEET_ANSWER for an unknown order',
    ])
  })

  it('hands SHEET_OPEN to onSheetOpen and sends SHEET_ANSWER', async () => {
    const host = await scriptedHost()
    const opened: SheetOpenPayload[] = []
    let firstOpened!: () => void
    const sheetOpened = new Promise<void>((resolve) => (firstOpened = resolve))
    const transport = await createWebSocketTransport({
      url: host.url,
      onSheetOpen: (open) => {
        opened.push(open)
        firstOpened()
      },
    })
    cleanups.push(() => void transport.close())
    const peer = await host.next()
    const open: SheetOpenPayload = {
      callId: 'c0',
      sheet: { orderNo: 'O1', productId: 'p', name: 'n', imageUrl: '/i.png', quantity: 1, unitPrice: 99, totalPrice: 99, currency: 'USD', gameName: 'g', sandbox: false },
      answeredBy: 'player',
      policy: { policy: 'manual' },
    }
    peer.send(JSON.stringify(sheetOpen(open)))
    const answer = nextMessage(peer)
    await sheetOpened
    expect(opened).toEqual([open])
    transport.answerSheet('O1', 'cancel')
    expect(await answer).toEqual({ source: CHANNEL_SOURCE, type: 'SHEET_ANSWER', payload: { orderNo: 'O1', answer: 'cancel' } })
  })

  it('settles a pending call as a fail result when the host closes, and fails later calls at once', async () => {
    const host = await scriptedHost()
    const transport = await createWebSocketTransport({ url: host.url })
    const peer = await host.next()
    const wx = createWx(transport)
    const pending = new Promise((resolve) =>
      wx.requestMidasPaymentGameItem({ signData: '{}', paySig: 'p', signature: 's', fail: resolve, success: resolve }),
    )
    await nextMessage(peer)
    peer.close(4001, 'sandbox reset')
    expect(await pending).toEqual({ errMsg: 'requestMidasPaymentGameItem:fail connection closed (4001 sandbox reset)', errCode: -1 })
    expect(await transport.closed).toEqual({ code: 4001, reason: 'sandbox reset' })
    await expect(wx.login()).rejects.toEqual({ errMsg: 'login:fail connection closed (4001 sandbox reset)', errCode: -1 })
    expect(() => transport.answerSheet('O1', 'confirm')).toThrow(expect.objectContaining({ code: 'TRANSPORT_CLOSED' }))
  })

  it('names the close code alone when the connection dropped without a reason', async () => {
    const host = await scriptedHost()
    const transport = await createWebSocketTransport({ url: host.url })
    const peer = await host.next()
    const reply = transport.call('login', {})
    await nextMessage(peer)
    peer.terminate()
    expect((await reply).result).toEqual({ errMsg: 'login:fail connection closed (1006)', errCode: -1 })
  })

  it("rejects with CONNECT_FAILED and the host's message when the upgrade is refused", async () => {
    const server = createHttpServer()
    server.on('upgrade', (_request, socket: Socket) => {
      const body = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no test player "nobody"' } })
      socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`)
    })
    const port = await listening(server)
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
    const url = `ws://127.0.0.1:${port}/host/ws?appId=a&playerId=nobody`
    const error = await createWebSocketTransport({ url }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GameSdkError)
    expect(error).toMatchObject({
      code: 'CONNECT_FAILED',
      message: `[game-sdk] the host refused the connection to ${url} (HTTP 404): no test player "nobody"`,
    })
  })

  it('rejects with CONNECT_FAILED when nothing listens', async () => {
    const server = createTcpServer()
    const port = await listening(server)
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await expect(createWebSocketTransport({ url: `ws://127.0.0.1:${port}/host/ws` })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      message: expect.stringMatching(/cannot reach the host at .*ECONNREFUSED.*Is the simulator running\?$/),
    })
  })

  it('rejects with CONNECT_FAILED when the handshake does not finish in time', async () => {
    const sockets: Socket[] = []
    const server = createTcpServer((socket) => void sockets.push(socket))
    const port = await listening(server)
    cleanups.push(() => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(() => resolve())
    }))
    await expect(createWebSocketTransport({ url: `ws://127.0.0.1:${port}/host/ws`, connectTimeoutMs: 100 })).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      message: expect.stringContaining('within 100 ms'),
    })
  })
})
