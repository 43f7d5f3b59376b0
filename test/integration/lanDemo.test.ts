import { createHash } from 'node:crypto'
import { connect } from 'node:net'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { IncomingMessage } from 'node:http'
import { parseArgs } from 'node:util'
import { encode } from 'uqr'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { startSampleGame, type RunningSampleGame } from '../../sample-game/server/app'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { main } from '../../simulator/src/cli'
import { LAN_COOKIE } from '../../simulator/src/http/lanAccess'
import { START_OPTIONS, firstLanAddress, lanInvitation, planStart, printNextInvitations, startPlanned, type StartValues } from '../../simulator/src/startCommand'
import { send, type Reply } from '../support/http'

/**
 * The LAN demo (issue 18.12, docs/decisions/012-lan-demo.md). The machine rule: no traffic
 * to this machine's other addresses. The servers listen on every interface, every request
 * goes to 127.0.0.1, and a device of the network is simulated by what the server sees: the
 * client address the simulator is started with reads this header (a test-only boundary,
 * the one place the address is read).
 */
const DEVICE_HEADER = 'x-test-client-address'
const PHONE = '192.168.1.31'
const LAN_ADDRESS = '192.168.1.20'
const clientAddress = (request: IncomingMessage) => (request.headers[DEVICE_HEADER] as string | undefined) ?? request.socket.remoteAddress

let sim: RunningSimulator
let game: RunningSampleGame
const spentBy: (string | undefined)[] = []
const printed: string[] = []
// The pages as files (the built ones may not exist when this runs): what the gate lets through is what matters.
const webDir = mkdtempSync(path.join(tmpdir(), 'sim-lan-web-'))
for (const page of ['host', 'console']) {
  mkdirSync(path.join(webDir, page))
  writeFileSync(path.join(webDir, page, 'index.html'), `<!doctype html><title>${page}</title>`)
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, memory: true, log: () => {}, webDir, lan: { address: LAN_ADDRESS }, clientAddress })
  sim.lan!.onSpent((device) => spentBy.push(device))
  printNextInvitations(sim, (text) => void printed.push(text))
  game = await startSampleGame({ port: 0, memory: true, log: () => {}, simulatorUrl: sim.url, consoleAccount: false, lan: { address: LAN_ADDRESS, admit: sim.lan!.guestGate } })
})
afterAll(async () => {
  await game?.close()
  await sim?.close()
  rmSync(webDir, { recursive: true, force: true })
})

/** A request from the phone (as the server sees it), with its cookie when it has one. */
const fromPhone = (base: string, method: string, path: string, cookie?: string, headers: Record<string, string> = {}, body?: string) =>
  send(base, method, path, { [DEVICE_HEADER]: PHONE, ...(cookie ? { cookie } : {}), ...headers }, body)

/** The path and query of the current invitation (its host is the LAN address, which the test never dials). */
const invitationPath = () => {
  const url = new URL(sim.lan!.invitation(sim.port))
  return `${url.pathname}${url.search}`
}

/** Opens the invitation as the phone; returns the `name=value` of the cookie it got. */
async function admitPhone(): Promise<{ reply: Reply; cookie: string }> {
  const reply = await fromPhone(sim.url, 'GET', invitationPath())
  const setCookie = ([] as string[]).concat(reply.headers['set-cookie'] ?? [])
  return { reply, cookie: setCookie[0]?.split(';')[0] ?? '' }
}

/** The status of a WebSocket upgrade (101 when it opened); the socket handles `error`. */
function upgradeStatus(path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}${path}`, { headers })
    ws.on('error', reject)
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('open', () => {
      resolve(101)
      ws.close()
    })
  })
}

/** What the store holds and which sandboxes exist (a digest, so a failure prints a line): what a refused request must leave alone. */
async function snapshot(): Promise<string> {
  const sandboxes = (await send(sim.url, 'GET', '/_sim/sandboxes')).json.sandboxes.map((s: { sandbox: string; generation: number }) => [s.sandbox, s.generation])
  return createHash('sha256').update(JSON.stringify([sim.store.state, sandboxes])).digest('hex')
}

describe('a device of the network without the invitation', () => {
  it('gets 403 in the error shape, told to open the URL printed in the terminal, and changes nothing', async () => {
    const before = await snapshot()
    for (const [method, path] of [
      ['GET', '/host/'],
      ['GET', '/host/api/config'],
      ['POST', '/host/api/login'],
      ['POST', '/host/api/payments'],
      ['GET', '/'],
      ['GET', '/sandbox/other/host/'],
    ] as const) {
      const reply = await fromPhone(sim.url, method, path, undefined, { 'content-type': 'application/json' })
      expect(reply.status, path).toBe(403)
      expect(reply.json.error.code, path).toBe('FORBIDDEN')
      expect(reply.json.error.message, path).toContain('open the URL printed in the terminal')
    }
    // A made-up cookie or a guessed token is no better.
    expect((await fromPhone(sim.url, 'GET', '/host/', `${LAN_COOKIE}=guessed`)).status).toBe(403)
    expect((await fromPhone(sim.url, 'GET', '/host/?lan=guessed')).json.error.message).toContain('open the newest URL printed in the terminal')
    expect(await snapshot()).toBe(before)
    expect(spentBy).toEqual([])
    expect(printed).toEqual([])
  })

  it('cannot open a WebSocket', async () => {
    expect(await upgradeStatus('/host/events', { [DEVICE_HEADER]: PHONE })).toBe(403)
  })

  it("gets 403 from the sample game server too, whose page the host shell frames", async () => {
    const reply = await fromPhone(game.url, 'GET', '/api/demo/receiver')
    expect(reply.status).toBe(403)
    expect(reply.json.error.message).toContain('open the URL printed in the terminal')
  })
})

describe('the invitation', () => {
  it('sets an HttpOnly, SameSite=Lax cookie, redirects to the URL without the token, and works once', async () => {
    const first = sim.lan!.invitation(sim.port)
    expect(first).toMatch(new RegExp(`^http://${LAN_ADDRESS.replaceAll('.', '\\.')}:${sim.port}/host/\\?lan=[\\w-]{32}$`))
    const withPlayer = `${invitationPath()}&player=player-2`
    const reply = await fromPhone(sim.url, 'GET', withPlayer)
    expect(reply.status).toBe(302)
    expect(reply.headers.location).toBe('/host/?player=player-2')
    const setCookie = String(reply.headers['set-cookie'])
    expect(setCookie).toMatch(new RegExp(`^${LAN_COOKIE}=[\\w-]+; Path=/; HttpOnly; SameSite=Lax$`))
    expect(spentBy).toEqual([PHONE])
    // The terminal shows the next phone its own invitation.
    expect(printed).toHaveLength(1)
    expect(printed[0]).toContain(`A device (${PHONE}) opened the host shell`)
    expect(printed[0]).toContain(sim.lan!.invitation(sim.port))

    // Spent: the same URL again (another phone, a forwarded link) is refused; a new one is printed.
    const again = await fromPhone(sim.url, 'GET', withPlayer)
    expect(again.status).toBe(403)
    expect(again.headers['set-cookie']).toBeUndefined()
    expect(sim.lan!.invitation(sim.port)).not.toBe(first)
  })

  it('lets an admitted phone open an old invitation again, and spends no token for it', async () => {
    const old = invitationPath()
    const { cookie } = await admitPhone()
    const current = sim.lan!.invitation(sim.port)
    const again = await fromPhone(sim.url, 'GET', old, cookie)
    expect(again.status).toBe(302)
    expect(again.headers.location).toBe('/host/')
    expect(again.headers['set-cookie']).toBeUndefined()
    expect(sim.lan!.invitation(sim.port)).toBe(current)
  })

  it('keeps the sandbox prefix in the redirect', async () => {
    const reply = await fromPhone(sim.url, 'GET', `/sandbox/default${invitationPath()}`)
    expect(reply.status).toBe(302)
    expect(reply.headers.location).toBe('/sandbox/default/host/')
  })

  it('is not needed, nor spent, by this machine', async () => {
    const invitation = sim.lan!.invitation(sim.port)
    expect((await send(sim.url, 'GET', '/host/api/config')).status).toBe(200)
    expect((await send(sim.url, 'GET', invitationPath())).headers['set-cookie']).toBeUndefined()
    expect(sim.lan!.invitation(sim.port)).toBe(invitation)
  })
})

describe('a device with the cookie', () => {
  it('gets the host shell, its API and its event socket, and the sample game', async () => {
    const { cookie } = await admitPhone()
    const page = await fromPhone(sim.url, 'GET', '/host/', cookie)
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toContain('text/html')
    const config = await fromPhone(sim.url, 'GET', '/host/api/config', cookie)
    expect(config.status).toBe(200)
    expect(config.json.games.length).toBeGreaterThan(0)
    expect(await upgradeStatus('/host/events', { [DEVICE_HEADER]: PHONE, cookie })).toBe(101)
    expect((await fromPhone(game.url, 'GET', '/api/demo/receiver', cookie)).status).toBe(200)
  })

  it("does not get this machine's loopback through the request relay, which this machine still gets", async () => {
    const { cookie } = await admitPhone()
    const appId = (await send(sim.url, 'GET', '/host/api/config')).json.games[0].appId as string
    const relay = { appId, url: `${game.url}/api/demo/receiver`, method: 'GET', header: {}, timeoutMs: 5000 }
    const body = JSON.stringify(relay)
    const json = { 'content-type': 'application/json' }
    const phone = await fromPhone(sim.url, 'POST', '/host/api/request', cookie, { ...json, host: `${LAN_ADDRESS}:${sim.port}`, origin: `http://${LAN_ADDRESS}:${sim.port}` }, body)
    expect(phone.status).toBe(200)
    expect(phone.json).toMatchObject({ ok: false, errMsg: 'request:fail url not in domain list', errno: 600002 })
    expect(phone.json.hint).toMatch(/--lan/)
    const laptop = await send(sim.url, 'POST', '/host/api/request', { ...json, origin: sim.url }, body)
    expect(laptop.json).toMatchObject({ ok: true, statusCode: 200 })
  })

  it('never reaches the console or the test control, however the path is spelled', async () => {
    const { cookie } = await admitPhone()
    const before = await snapshot()
    for (const [method, path] of [
      ['GET', '/_sim/clock'],
      ['POST', '/_sim/reset'],
      ['POST', '/sandbox/lan-probe/_sim/reset'],
      ['GET', '/_SIM/minigames'],
      ['GET', '/%5Fsim/clock'],
      ['GET', '/console/'],
      ['GET', '/console/index.html'],
      ['POST', '/console/api/v1/session'],
      ['GET', '/Console/api/v1/me'],
      ['GET', '/sandbox/default/console/'],
      ['GET', '/%63onsole/'],
      ['GET', '/console?lan=anything'],
    ] as const) {
      const reply = await fromPhone(sim.url, method, path, cookie)
      expect(reply.status, path).toBe(403)
      expect(reply.json.error.message, path).toContain('answer on the machine the simulator runs on only')
    }
    expect(await upgradeStatus('/_sim/events/stream', { [DEVICE_HEADER]: PHONE, cookie })).toBe(403)
    expect(await snapshot()).toBe(before)
    // The console is this machine's, as before.
    expect((await send(sim.url, 'GET', '/console/')).status).toBe(200)
    expect((await send(sim.url, 'GET', '/_sim/clock')).status).toBe(200)
  })
})

/** One request written by hand on a socket: a request line no HTTP client library writes. */
function rawRequest(requestLine: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.port, '127.0.0.1')
    let text = ''
    socket.on('error', reject)
    socket.on('data', (chunk) => (text += chunk))
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }))
    const head = Object.entries({ ...headers, connection: 'close' }).map(([name, value]) => `${name}: ${value}\r\n`).join('')
    socket.end(`${requestLine}\r\n${head}\r\n`)
  })
}

describe('a request line that names a whole URL (absolute form), from the network', () => {
  it('is refused with a 4xx, cookie or not, and never reaches the console, which Express would route it to', async () => {
    const { cookie } = await admitPhone()
    const host = `${LAN_ADDRESS}:${sim.port}`
    const before = await snapshot()
    for (const target of [`http://${host}/console/api/v1/me`, `http://${host}/console/`, `http://${host}/_sim/clock`, `http://${host}/host/api/config`]) {
      const reply = await rawRequest(`GET ${target} HTTP/1.1`, { host, cookie, [DEVICE_HEADER]: PHONE })
      expect(reply.status, target).toBe(400)
      expect(reply.text, target).toContain('not a whole URL')
    }
    // One that is not even a URL: a 4xx, not a 500.
    expect((await rawRequest('GET http://%zz/host/ HTTP/1.1', { host, [DEVICE_HEADER]: PHONE })).status).toBe(400)
    expect(await snapshot()).toBe(before)
  })
})

describe('Host names in LAN mode', () => {
  it('answers to the LAN address, on the simulator and the sample game server, and to no other new name', async () => {
    expect((await send(sim.url, 'GET', '/host/api/config', { host: `${LAN_ADDRESS}:${sim.port}` })).status).toBe(200)
    expect((await send(game.url, 'GET', '/api/demo/receiver', { host: `${LAN_ADDRESS}:${game.port}` })).status).toBe(200)
    for (const host of ['192.168.1.99', '0.0.0.0', 'phone.local']) {
      expect((await send(sim.url, 'GET', '/host/api/config', { host: `${host}:${sim.port}` })).status, host).toBe(403)
    }
  })

  it('does not answer to the LAN address without --lan', async () => {
    const plain = await startSimulator({ port: 0, memory: true, log: () => {} })
    try {
      expect((await send(plain.url, 'GET', '/host/api/config', { host: `${LAN_ADDRESS}:${plain.port}` })).status).toBe(403)
      expect(plain.lan).toBeUndefined()
    } finally {
      await plain.close()
    }
  })
})

/** The addresses the kernel lists as listening on a TCP port (Linux: /proc/net/tcp), as dotted IPv4. */
function listeningAddresses(port: number): string[] {
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[3] === '0A' && parseInt(fields[1]?.split(':')[1] ?? '', 16) === port)
    .map((fields) => (fields[1]!.split(':')[0]!.match(/../g) ?? []).reverse().map((byte) => parseInt(byte, 16)).join('.'))
}

describe('superapp-sim start --lan', () => {
  const plan = (flags: string[]) => planStart(parseArgs({ args: ['--port', '0', '--memory', ...flags], options: START_OPTIONS }).values as StartValues)

  it('prints the invitation URL with a token and the same URL as a QR code; this machine does not spend it', async () => {
    const started = await startPlanned(await plan(['--lan-address', LAN_ADDRESS]), { log: () => {}, webDir })
    try {
      const lines = lanInvitation(started)
      const url = lines.map((line) => line.trim()).find((line) => line.startsWith('http://'))!
      expect(url).toMatch(new RegExp(`^http://${LAN_ADDRESS.replaceAll('.', '\\.')}:${started.port}/host/\\?lan=[\\w-]{32}$`))
      expect(url).toBe(started.lan!.invitation(started.port))
      // The block of half-block characters, read back module by module, is the QR code of that URL.
      const rows = lines.filter((line) => /^ {4}[█▀▄ ]+$/.test(line) && !line.includes('http')).map((line) => line.slice(4))
      const modules = rows.flatMap((row) => [[...row].map((c) => c === ' ' || c === '▄'), [...row].map((c) => c === ' ' || c === '▀')])
      const qr = encode(url, { border: 2 })
      expect(modules.slice(0, qr.size)).toEqual(qr.data)

      const nextOnes: string[] = []
      printNextInvitations(started, (text) => void nextOnes.push(text))
      const reply = await send(started.url, 'GET', new URL(url).pathname + new URL(url).search, { [DEVICE_HEADER]: PHONE })
      // This simulator reads the TCP peer (127.0.0.1), not the test's header: this machine, so nothing is spent.
      expect(reply.headers['set-cookie']).toBeUndefined()
      expect(nextOnes).toEqual([])
    } finally {
      await started.close()
    }
  })

  it.skipIf(process.platform !== 'linux')('listens on every interface with --lan, and on loopback only without', async () => {
    const lan = await startPlanned(await plan(['--lan-address', LAN_ADDRESS]), { log: () => {} })
    const local = await startPlanned(await plan([]), { log: () => {} })
    try {
      expect(listeningAddresses(lan.port)).toEqual(['0.0.0.0'])
      expect(listeningAddresses(local.port)).toEqual(['127.0.0.1'])
      expect(lanInvitation(local)).toEqual([])
    } finally {
      await lan.close()
      await local.close()
    }
  })

  it('takes the first non-loopback IPv4 address, and refuses an address phones cannot reach', async () => {
    expect(
      firstLanAddress({
        lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }],
        wlan0: [
          { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff::', mac: '', cidr: null, scopeid: 2 },
          { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
        ],
      }),
    ).toBe('192.168.1.20')
    expect((await plan(['--lan-address', '10.0.0.7'])).lanAddress).toBe('10.0.0.7')
    expect((await plan([])).lanAddress).toBeUndefined()
    for (const address of ['127.0.0.1', '0.0.0.0', 'fe80::1', 'phone.local']) {
      await expect(plan(['--lan-address', address]), address).rejects.toThrow(/--lan-address must be this machine's IPv4 address/)
    }
  })
  it('is refused by exec, which prints no invitation and runs a command on this machine', async () => {
    const errors: string[] = []
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => errors.push(String(chunk)) > 0)
    try {
      expect(await main(['exec', '--lan', '--', 'true'])).toBe(2)
    } finally {
      write.mockRestore()
    }
    expect(errors.join('')).toContain('--lan is for `superapp-sim start`')
  })
})
