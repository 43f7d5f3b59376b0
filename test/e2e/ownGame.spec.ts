import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import express from 'express'
import { createHostClient, signOrder } from '@superapp-sim/game-sdk/server'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { listen } from '../support/http'
import { expect, test } from './fixtures'

/**
 * "Point the host shell at your own game": a plain page written for the real host (global
 * `wx`, callbacks) with the drop-in wx.js, served with its own small server from its own
 * origin, runs unchanged in the host shell.
 */
test('a game not built with game-sdk runs in the host shell through the drop-in wx.js', async ({ page, baseURL }) => {
  const simulatorUrl = baseURL!.replace('localhost', '127.0.0.1')
  const host = createHostClient({ baseUrl: simulatorUrl, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret })
  const sessions = new Map<string, string>()
  const app = express()
  app.get('/', (_req, res) => {
    const html = readFileSync(path.join(import.meta.dirname, 'own-game/index.html'), 'utf8')
    res.type('html').send(html.replace('__SIMULATOR__', simulatorUrl))
  })
  app.post('/api/login', express.json(), async (req, res) => {
    const { session_key } = await host.code2Session(req.body.code)
    const token = randomBytes(8).toString('hex')
    sessions.set(token, session_key)
    res.json({ token })
  })
  app.post('/api/orders', (req, res) => {
    const sessionKey = sessions.get(String(req.get('authorization')).replace('Bearer ', ''))!
    const outTradeNo = `OWN${randomBytes(6).toString('hex')}`
    res.json(signOrder({ appKey: DEMO_GAME.appKey, sessionKey, order: { productId: 'gem_pack_small', goodsPrice: 99, buyQuantity: 1, currencyType: 'USD', outTradeNo } }))
  })
  const ownGame = await listen(app)
  try {
    await page.goto(`/host/?player=player-2&game=${encodeURIComponent(`${ownGame.url}/`)}`)
    const game = page.frameLocator('[data-testid="game-frame"]')
    await expect(game.locator('body')).toHaveAttribute('data-ready', 'true')
    await game.getByTestId('buy').click()
    await expect(page.getByTestId('pay-sheet-name')).toHaveText('Handful of Gems')
    await page.getByTestId('pay-confirm').click()
    const result = game.getByTestId('result')
    await expect(result).toHaveText(/^success /)
    expect(JSON.parse((await result.textContent())!.slice('success '.length))).toEqual({ errCode: 0, errMsg: 'requestMidasPaymentGameItem:ok' })
  } finally {
    await ownGame.close()
  }
})
