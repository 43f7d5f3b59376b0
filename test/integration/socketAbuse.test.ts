import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { connectHeadlessPlayer } from '@superapp-sim/game-sdk/node'
import { hostSocketUrl } from '@superapp-sim/game-sdk/node'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { createTestGameServer, loadGameCredentials, runPrefix } from '../shared/purchaseFlow'
import { killSimulator, spawnSimulator } from '../support/childSimulator'

/**
 * Abuse of the simulator's WebSockets, in a child process so that a crash shows as a dead
 * process rather than a dead test runner: a message over the endpoint's limit, an unmasked
 * frame, a connection reset mid-upgrade, an upgrade from a foreign web page. Each ends with
 * a close code or an HTTP refusal, and the same process then still sells an item.
 */

const appId = DEMO_GAME.appId
let child: ChildProcess
let url: string
let dataDir: string

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'sim-socket-abuse-'))
  // Nothing listens on port 1: deliveries fail quietly, payments do not depend on them.
  ;({ child, url } = await spawnSimulator(dataDir, 'http://127.0.0.1:1'))
}, 60_000)
afterAll(async () => {
  if (child) await killSimulator(child)
  await rm(dataDir, { recursive: true, force: true })
})

const hostSocket = () => hostSocketUrl(url, { appId, playerId: 'player-1' })

/** Opens a socket and resolves with how the server closed it (code), or rejects on a refused upgrade. */
function closeCodeAfter(send: (socket: WebSocket) => void): Promise<number> {
  const socket = new WebSocket(hostSocket())
  return new Promise<number>((resolve, reject) => {
    socket.on('error', () => {}) // the close that follows carries the code
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)))
    socket.once('open', () => send(socket))
    socket.once('close', (code) => resolve(code))
  })
}

/** A TCP connection to the simulator; rejects when it is gone. */
async function openTcp(port: number): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve())
    socket.once('error', reject)
  })
  socket.on('error', () => {})
  return socket
}

/** The simulator process still answers HTTP. */
async function expectAlive(): Promise<void> {
  expect((await fetch(`${url}/host/api/config`)).status).toBe(200)
  expect(child.exitCode).toBeNull()
}

/** Upgrades a raw TCP connection by hand; resolves with the socket once the 101 arrived. */
async function rawUpgrade(pathAndQuery: string, extraHeaders = ''): Promise<{ socket: Socket; response: string }> {
  const { port } = new URL(url)
  const socket = await openTcp(Number(port))
  socket.write(
    `GET ${pathAndQuery} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`,
  )
  const response = await new Promise<string>((resolve) => {
    let text = ''
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData)
        resolve(text)
      }
    }
    socket.on('data', onData)
  })
  return { socket, response }
}

/** Reads frames until the server's close frame; resolves with its status code. */
function closeFrameCode(socket: Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk])
      // Server frames are unmasked; a close frame with a short payload is 0x88, length, code (2 bytes), reason.
      const at = buffer.indexOf(0x88)
      if (at >= 0 && buffer.length >= at + 4) resolve(buffer.readUInt16BE(at + 2))
    })
    socket.once('close', () => reject(new Error('the connection closed without a close frame')))
  })
}

async function buyOneItem(): Promise<unknown> {
  const credentials = await loadGameCredentials(url, appId)
  const game = createTestGameServer({ simulatorUrl: url, credentials, outTradeNoPrefix: runPrefix('ABUSE') })
  const player = await connectHeadlessPlayer({ simulatorUrl: url, appId, playerId: 'player-1' })
  try {
    const sessionKey = await game.sessionKey(await player.payments.login())
    const { signData, paySig, signature } = game.sign(sessionKey, {})
    return await player.payments.purchase({ signData, paySig, signature })
  } finally {
    await player.close()
  }
}

describe('host socket abuse', () => {
  it('closes a socket that sends a message over its limit with 1009, and stays up', async () => {
    const code = await closeCodeAfter((socket) => socket.send('x'.repeat(70 * 1024)))
    expect(code).toBe(1009)
    await expectAlive()
  })

  it('closes a socket that sends an unmasked frame with 1002, and stays up', async () => {
    const { socket, response } = await rawUpgrade(`/host/ws?appId=${appId}&playerId=player-1`)
    expect(response).toMatch(/^HTTP\/1\.1 101/)
    const closed = closeFrameCode(socket)
    // FIN + text opcode, no mask bit: a client must mask every frame (RFC 6455 5.1).
    const payload = Buffer.from('{"hello":"unmasked"}')
    socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]))
    expect(await closed).toBe(1002)
    socket.destroy()
    await expectAlive()
  })

  it('survives a connection reset in the middle of an upgrade', async () => {
    const { port } = new URL(url)
    for (let i = 0; i < 20; i++) {
      const socket = await openTcp(Number(port))
      socket.write(`GET /host/ws?appId=${appId}&playerId=player-1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`)
      socket.resetAndDestroy()
    }
    await expectAlive()
  })

  it('still sells an item after the abuse, in the same process', async () => {
    expect(await buyOneItem()).toEqual({ status: 'paid', errMsg: 'requestMidasPaymentGameItem:ok' })
    expect(child.exitCode).toBeNull()
  })
})

describe('socket origins', () => {
  const upgradeFrom = (origin: string, pathAndQuery = `/host/ws?appId=${appId}&playerId=player-1`) =>
    rawUpgrade(pathAndQuery, `Origin: ${origin}\r\n`).then(({ socket, response }) => {
      socket.destroy()
      return response
    })

  it('refuses an upgrade from a page of a foreign origin with 403 in the API error shape', async () => {
    for (const pathAndQuery of [`/host/ws?appId=${appId}&playerId=player-1`, `/host/events?appId=${appId}`, '/_sim/events/stream']) {
      const response = await upgradeFrom('http://evil.example', pathAndQuery)
      expect(response, pathAndQuery).toMatch(/^HTTP\/1\.1 403/)
      const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('FORBIDDEN')
      expect(body.error.message).toContain('http://evil.example')
    }
  })

  it("accepts the simulator's own pages and the configured games' pages", async () => {
    const { port } = new URL(url)
    for (const origin of [`http://localhost:${port}`, `http://127.0.0.1:${port}`]) {
      expect(await upgradeFrom(origin, `/host/events?appId=${appId}`), origin).toMatch(/^HTTP\/1\.1 101/)
    }
    // The demo's sample game is served from the sample game origin the simulator was given.
    expect(await upgradeFrom('http://127.0.0.1:1')).toMatch(/^HTTP\/1\.1 101/)
    // A page on another port of this machine is another site.
    expect(await upgradeFrom('http://localhost:9')).toMatch(/^HTTP\/1\.1 403/)
  })
})
