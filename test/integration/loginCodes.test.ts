import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { startSimulator, type RunningSimulator } from '../../simulator/src/app'
import { postJson } from '../support/http'

/**
 * wx.login needs no sign-in, so a login must cost no disk write: codes live 5 minutes in
 * memory (issue 13.6: 2,200 logins grew state.json from 32 KB to 337 KB).
 */
let dataDir: string
let sim: RunningSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
  await rm(dataDir, { recursive: true, force: true })
})

const start = async () => (sim = await startSimulator({ port: 0, dataDir, log: () => {} }))
const login = (playerId = 'player-1') => postJson(`${sim!.url}/host/api/login`, { appId: DEMO_GAME.appId, playerId })
const exchange = async (code: string) => {
  const query = new URLSearchParams({ appid: DEMO_GAME.appId, secret: DEMO_GAME.appSecret, js_code: code, grant_type: 'authorization_code' })
  const response = await fetch(`${sim!.url}/sns/jscode2session?${query}`)
  return { status: response.status, json: (await response.json()) as { errcode?: number; errmsg?: string; session_key?: string } }
}
const files = async () => ({
  state: await readFile(path.join(dataDir, 'state.json'), 'utf8'),
  journal: await readFile(path.join(dataDir, 'journal.jsonl'), 'utf8'),
})

describe('wx.login codes', () => {
  it('leave the data folder as it was, however many are issued', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sim-login-'))
    await start()
    const before = await files()
    for (let i = 0; i < 200; i++) expect((await login()).status).toBe(200)
    expect(await files()).toEqual(before)
  })

  it('are refused after a restart, as an expired code would be; the exchange of a fresh one works', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sim-login-'))
    await start()
    const issuedBefore = (await login()).json.code as string
    await sim!.close()
    await start()
    const refused = await exchange(issuedBefore)
    expect(refused.status).toBe(200) // the server API refuses with HTTP 200 and an errcode
    expect(refused.json).toMatchObject({ errcode: 40029, errmsg: expect.stringMatching(/invalid code: get a fresh one from wx.login/) })
    const fresh = await exchange((await login()).json.code)
    expect(fresh.status).toBe(200)
    expect(fresh.json.session_key).toBeTruthy()
  })
})
