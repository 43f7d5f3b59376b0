import { Router, json, type RequestHandler } from 'express'
import { z } from 'zod'
import type { DeliveryEngine } from '../delivery/deliveryEngine'
import { SimulatorError } from '../errors'
import { parseInput } from '../http/validate'
import type { Store } from '../store/store'

export const faultsBody = z.object({
  faults: z
    .array(
      z.object({
        kind: z.enum(['duplicate', 'delay', 'outOfOrder', 'ignoreReply']),
        count: z.number().int().min(1).max(1000),
        delayMs: z.number().int().min(0).max(7 * 24 * 3600e3).optional(),
      }),
    )
    .max(4),
})
export const settingsBody = z.object({ autoApproveRefunds: z.boolean().optional() })
const appIdParam = z.object({ appId: z.string().min(1).max(64) })

/** The test-control API answers only on loopback: it can change how the host behaves. */
export const loopbackOnly: RequestHandler = (req, _res, next) => {
  const address = req.socket.remoteAddress ?? ''
  if (!/^(127\.|::1$|::ffff:127\.)/.test(address)) throw new SimulatorError('FORBIDDEN', 'the test-control API answers loopback clients only')
  next()
}

/**
 * The test-control API for QA (`/_sim/`): fault injection per mini game. Issue 7 adds the
 * clock, resets, fixtures and sandboxes here.
 */
export function controlRoutes(store: Store, delivery: DeliveryEngine): Router {
  const router = Router()
  router.use(loopbackOnly, json({ limit: '16kb' }))

  const gameOf = (params: unknown) => {
    const { appId } = parseInput(appIdParam, params, 'path')
    if (!store.state.miniGames.some((g) => g.appId === appId)) throw new SimulatorError('NOT_FOUND', `no mini game "${appId}"`)
    return appId
  }

  router.get('/settings', (_req, res) => void res.json(store.state.settings))

  router.put('/settings', async (req, res) => {
    const settings = parseInput(settingsBody, req.body, 'settings')
    await store.mutate((state) => void Object.assign(state.settings, settings))
    res.json(store.state.settings)
  })

  router.get('/minigames/:appId/faults', (req, res) => {
    res.json({ faults: delivery.faults.list(gameOf(req.params)).map(({ kind, remaining, delayMs }) => ({ kind, count: remaining, delayMs })) })
  })

  router.put('/minigames/:appId/faults', (req, res) => {
    const appId = gameOf(req.params)
    const { faults } = parseInput(faultsBody, req.body, 'faults')
    const missingDelay = faults.find((f) => f.kind === 'delay' && f.delayMs === undefined)
    if (missingDelay) throw new SimulatorError('VALIDATION_FAILED', 'a delay fault needs delayMs')
    delivery.faults.set(appId, faults.map(({ kind, count, delayMs }) => ({ kind, remaining: count, delayMs })))
    res.json({ faults })
  })

  router.delete('/minigames/:appId/faults', (req, res) => {
    delivery.faults.set(gameOf(req.params), [])
    res.json({ faults: [] })
  })

  return router
}
