import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator/src/app'
import { startSampleGame, type RunningSampleGame } from '../../sample-game/server/app'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import { postJson } from './http'

export interface Stack {
  sim: RunningSimulator
  game: RunningSampleGame
  close(): Promise<void>
}

/**
 * The simulator and the sample game server on free loopback ports, wired to each other as
 * `npm start` wires them. Both take a port of their own (port 0); the sample game's mini
 * game is then pointed at the game server's address, rather than reserving that port
 * beforehand, which another process could take in between (EADDRINUSE under parallel tests).
 */
export async function startStack(
  options: { dataDir?: string; simulator?: Partial<SimulatorOptions>; sampleGameInMemory?: boolean; clientDir?: string } = {},
): Promise<Stack> {
  const memory = !options.dataDir
  const quiet = () => {}
  // Every write checks that a tablesOnly mutation left state.json's part alone.
  const sim = await startSimulator({ port: 0, memory, dataDir: options.dataDir, sampleGameOrigin: 'http://127.0.0.1:1', log: quiet, storeOptions: { verifyTablesOnly: true }, ...options.simulator })
  const game = await startSampleGame({ port: 0, memory: memory || options.sampleGameInMemory, dataDir: options.dataDir, simulatorUrl: sim.url, log: quiet, clientDir: options.clientDir })
  await sim.store.mutate((state) => {
    const sample = state.miniGames.find((g) => g.appId === DEMO_GAME.appId)
    if (!sample) return
    sample.delivery.url = `${game.url}/api/delivery`
    sample.delivery.testUrl = `${game.url}/api/delivery`
    sample.gameUrl = `${game.url}/`
  })
  return {
    sim,
    game,
    async close() {
      await game.close()
      await sim.close()
    },
  }
}

/**
 * A player driven the way the host shell drives one: wx.login through the host API, orders
 * from the game's server, the sheet answered by a call instead of a click.
 */
export class ScriptedPlayer {
  token = ''
  openid = ''

  constructor(
    private readonly stack: Stack,
    readonly playerId = 'player-1',
    readonly appId: string = DEMO_GAME.appId,
  ) {}

  async login(): Promise<void> {
    const code = await postJson(`${this.stack.sim.url}/host/api/login`, { appId: this.appId, playerId: this.playerId })
    if (code.status !== 200) throw new Error(`host login failed: ${code.text}`)
    const session = await postJson(`${this.stack.game.url}/api/login`, { code: code.json.code })
    if (session.status !== 200) throw new Error(`game login failed: ${session.text}`)
    this.token = session.json.token
    this.openid = session.json.openid
  }

  async signedOrder(productId: string): Promise<{ signData: string; paySig: string; signature: string; outTradeNo: string }> {
    const order = await postJson(`${this.stack.game.url}/api/orders`, { productId }, { authorization: `Bearer ${this.token}` })
    if (order.status !== 200) throw new Error(`order failed: ${order.text}`)
    return order.json
  }

  /** requestMidasPaymentGameItem as the host shell forwards it. */
  startPayment(params: Record<string, unknown>) {
    return postJson(`${this.stack.sim.url}/host/api/payments`, { appId: this.appId, playerId: this.playerId, params })
  }

  answerSheet(orderNo: string, answer: 'confirm' | 'cancel') {
    return postJson(`${this.stack.sim.url}/host/api/payments/${orderNo}/${answer}`, { playerId: this.playerId })
  }

  async inventory(): Promise<{ items: { productId: string; quantity: number }[]; grants: { outTradeNo: string }[] }> {
    const response = await fetch(`${this.stack.game.url}/api/inventory`, { headers: { authorization: `Bearer ${this.token}` } })
    return (await response.json()) as never
  }

  /** Logs in if needed, buys one item and answers the sheet. */
  async buy(productId: string, answer: 'confirm' | 'cancel' = 'confirm') {
    if (!this.token) await this.login()
    const order = await this.signedOrder(productId)
    const { outTradeNo, ...params } = order
    const started = await this.startPayment(params)
    if (!started.json?.ok) return { outTradeNo, started: started.json, result: undefined }
    const result = await this.answerSheet(started.json.sheet.orderNo, answer)
    await this.stack.sim.delivery.idle()
    return { outTradeNo, orderNo: started.json.sheet.orderNo as string, started: started.json, result: result.json }
  }
}
