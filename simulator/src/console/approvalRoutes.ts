import { Router } from 'express'
import type { Clock } from '../clock'
import { parseInput } from '../http/validate'
import type { Store } from '../store/store'
import { decideRequest, describeApproval } from './approvals'
import { currentAccount, requireCapability } from './auth'
import { approvalIdParam, approvalsQuery, approveBody, rejectBody } from './schemas'

/** The superapp's queue of the teams' requests. */
export function approvalRoutes(store: Store, clock: Clock): Router {
  const router = Router()

  router.get('/approvals', requireCapability('approvals.view'), (req, res) => {
    const { status } = parseInput(approvalsQuery, req.query, 'query')
    const approvals = store.state.approvals.filter((a) => !status || a.status === status).reverse()
    res.json({ approvals: approvals.map((a) => describeApproval(store, a)) })
  })

  router.post('/approvals/:id/approve', requireCapability('approvals.decide'), async (req, res) => {
    const { id } = parseInput(approvalIdParam, req.params, 'path')
    const { reason } = parseInput(approveBody, req.body ?? {}, 'approval')
    const approval = await decideRequest(store, clock, currentAccount(res), id, 'approved', reason)
    res.json({ approval: describeApproval(store, approval) })
  })

  router.post('/approvals/:id/reject', requireCapability('approvals.decide'), async (req, res) => {
    const { id } = parseInput(approvalIdParam, req.params, 'path')
    const { reason } = parseInput(rejectBody, req.body ?? {}, 'rejection')
    const approval = await decideRequest(store, clock, currentAccount(res), id, 'rejected', reason)
    res.json({ approval: describeApproval(store, approval) })
  })

  return router
}
