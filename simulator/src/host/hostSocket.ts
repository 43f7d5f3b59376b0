import type { WebSocket } from 'ws'
import { z } from 'zod'
import { hostResult, playerSocketMessageSchema, protocolError, sheetOpen, type HostCall, type HostResultPayload } from '@superapp-sim/game-sdk'
import { SimulatorError } from '../errors'
import { paymentRequestSchema } from '../payments/validatePayment'
import type { SimulatorCore } from '../sandbox/core'
import type { SocketSession } from '../sandbox/upgrades'
import { loginFailure, loginResult, paymentAnswer, paymentFailure } from './hostCalls'

// The path the headless player connects to: defined once, on the game-sdk side of the wire.
export { HOST_SOCKET_PATH } from '@superapp-sim/game-sdk'
import { HOST_SOCKET_PATH } from '@superapp-sim/game-sdk'

const socketQuery = z.object({ appId: z.string().min(1).max(64), playerId: z.string().min(1).max(64) })

/** Refuses the upgrade (as an HTTP error) when the game or the player does not exist in the sandbox. */
export function checkHostSocket(core: SimulatorCore, url: URL): { appId: string; playerId: string } {
  const parsed = socketQuery.safeParse(Object.fromEntries(url.searchParams))
  if (!parsed.success) throw new SimulatorError('VALIDATION_FAILED', `${HOST_SOCKET_PATH} needs ?appId=<mini game>&playerId=<test player>`)
  const { appId, playerId } = parsed.data
  const { state } = core.store
  if (!state.miniGames.some((g) => g.appId === appId)) throw new SimulatorError('NOT_FOUND', `no mini game "${appId}" in sandbox ${core.name}`)
  if (!state.players.some((p) => p.id === playerId)) {
    throw new SimulatorError('NOT_FOUND', `no player "${playerId}" in sandbox ${core.name} (players: ${state.players.map((p) => p.id).join(', ')})`)
  }
  return parsed.data
}

/**
 * The host side of a headless player: the calls a game makes, as the host shell answers
 * them, over a WebSocket. The sheet is announced (SHEET_OPEN) and answered by the sandbox's
 * policy or, under `manual`, by the player (SHEET_ANSWER). A sheet still open when the
 * player goes away is cancelled, as a host ends the payment when its app dies.
 */
export function serveHostSocket(core: SimulatorCore, ws: WebSocket, _url: URL, checked?: unknown): SocketSession {
  const { appId, playerId } = checked as ReturnType<typeof checkHostSocket>
  /** The sheets open on this connection, and who answers each. */
  const openSheets = new Map<string, 'player' | 'policy'>()
  const send = (message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
  }
  const refuse = (message: string) => send(protocolError(message))

  async function handle(call: HostCall['payload']): Promise<HostResultPayload> {
    const { callId, api, params } = call
    if (api === 'login') {
      try {
        return loginResult(callId, core.logins.issue(appId, playerId))
      } catch (error) {
        return loginFailure(callId, (error as Error).message)
      }
    }
    const request = paymentRequestSchema.safeParse({ appId, playerId, params })
    if (!request.success) return paymentFailure(callId, 'invalid payment request')
    let started
    try {
      started = await core.payments.start(request.data)
    } catch (error) {
      return paymentFailure(callId, (error as Error).message)
    }
    if (!started.ok) return paymentAnswer(callId, started)
    const { orderNo } = started.sheet
    const answeredBy = started.policy.policy === 'manual' ? 'player' : 'policy'
    openSheets.set(orderNo, answeredBy)
    try {
      send(sheetOpen({ callId, sheet: started.sheet, answeredBy, policy: started.policy }))
      return paymentAnswer(callId, await core.payments.outcome(orderNo, playerId))
    } finally {
      openSheets.delete(orderNo)
    }
  }

  ws.on('close', () => {
    for (const orderNo of openSheets.keys()) core.payments.cancel(orderNo, playerId).catch(() => {})
  })

  return {
    message(data) {
      let json: unknown
      try {
        json = JSON.parse(String(data))
      } catch {
        return refuse('messages are JSON envelopes {source, type, payload}')
      }
      const parsed = playerSocketMessageSchema.safeParse(json)
      if (!parsed.success) return refuse('expected HOST_CALL or SHEET_ANSWER')
      const message = parsed.data
      if (message.type === 'HOST_CALL') {
        const { callId, api } = message.payload
        void handle(message.payload)
          .catch((error: Error) => (api === 'login' ? loginFailure(callId, error.message) : paymentFailure(callId, error.message)))
          .then((result) => send(hostResult(result)))
        return
      }
      const { orderNo, answer } = message.payload
      const answeredBy = openSheets.get(orderNo)
      if (!answeredBy) return refuse(`no sheet ${orderNo} is open on this connection`)
      if (answeredBy === 'policy') return refuse(`sheet ${orderNo} is answered by the sandbox's sheet policy, not by the player`)
      const done = answer === 'confirm' ? core.payments.confirm(orderNo, playerId) : core.payments.cancel(orderNo, playerId)
      done.catch((error: Error) => refuse(error.message))
    },
  }
}
