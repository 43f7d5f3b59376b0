// The game's Vite config: the simulator plugin, and the game's own small server as Vite
// middleware (login exchange, order signing, the delivery receiver), from the installed
// packages only.
import { createDeliveryHandler, createHostClient, signOrder } from '@superapp-sim/game-sdk/server'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { superappSim } from '@superapp-sim/simulator/vite'
import { defineConfig } from 'vite'

// SIM_PORT 0: the plugin starts a simulator on a free port; the game server asks it where.
const simulator = superappSim({ port: Number(process.env.SIM_PORT ?? 7070) })
const sessions = new Map()
const granted = []

async function readJson(req) {
  let text = ''
  for await (const chunk of req) text += chunk
  return JSON.parse(text)
}

function gameServer() {
  let host
  const deliver = createDeliveryHandler({ appKey: DEMO_GAME.appKey, deliver: ({ payload }) => void granted.push(payload.OutTradeNo) })
  return {
    name: 'tiny-game-server',
    configureServer(server) {
      server.middlewares.use('/api/login', async (req, res) => {
        const { code } = await readJson(req)
        host ??= createHostClient({ baseUrl: simulator.api.url, appId: DEMO_GAME.appId, appSecret: DEMO_GAME.appSecret })
        const { openid, session_key } = await host.code2Session(code)
        sessions.set(openid, session_key)
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify({ openid }))
      })
      server.middlewares.use('/api/order', async (req, res) => {
        const { openid, productId } = await readJson(req)
        const order = { productId, goodsPrice: 299, buyQuantity: 1, currencyType: 'USD', outTradeNo: `VITE${Date.now()}` }
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(signOrder({ appKey: DEMO_GAME.appKey, sessionKey: sessions.get(openid), order })))
      })
      server.middlewares.use('/api/delivery', (req, res) => {
        res.status = (code) => ((res.statusCode = code), res)
        res.json = (body) => (res.setHeader('content-type', 'application/json'), res.end(JSON.stringify(body)))
        deliver(req, res, () => {})
      })
      server.middlewares.use('/api/granted', (_req, res) => {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(granted))
      })
    },
  }
}

export default defineConfig({
  plugins: [simulator, gameServer()],
  server: { host: '127.0.0.1' },
})
