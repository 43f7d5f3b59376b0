import { decideRequest, describeApproval } from './approvals'
import { currentAccount } from './auth'
import { approvalIdParam, approvalsQuery, approvalsView, approveBody, oneApprovalView, rejectBody } from './schemas'
import { consoleRoute, signedInErrors } from './services'

/** The superapp's queue of the teams' requests. */
export const APPROVAL_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: '/approvals',
    auth: 'bearer',
    capability: 'approvals.view',
    summary: "The superapp's queue of the teams' requests (`payment` permission, approval `exemption`, `itemRelease` with its `productIds`), newest first.",
    query: approvalsQuery,
    response: approvalsView,
    errors: signedInErrors('403 FORBIDDEN'),
    handler: ({ store }, { query: { status } }) => {
      const approvals = store.state.approvals.filter((a) => !status || a.status === status).reverse()
      return { approvals: approvals.map((a) => describeApproval(store, a)) }
    },
  }),
  approve: consoleRoute({
    method: 'POST',
    path: '/approvals/:id/approve',
    auth: 'bearer',
    capability: 'approvals.decide',
    summary: 'Approves a pending request; the requester is mailed.',
    params: approvalIdParam,
    body: approveBody,
    optionalBody: true,
    inputName: 'approval',
    response: oneApprovalView,
    errors: signedInErrors('403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided'),
    handler: async ({ store, clock }, { params, body }, res) => ({
      approval: describeApproval(store, await decideRequest(store, clock, currentAccount(res), params.id, 'approved', body.reason)),
    }),
  }),
  reject: consoleRoute({
    method: 'POST',
    path: '/approvals/:id/reject',
    auth: 'bearer',
    capability: 'approvals.decide',
    summary: 'Rejects a pending request with a reason; the requester is mailed.',
    params: approvalIdParam,
    body: rejectBody,
    optionalBody: true,
    inputName: 'rejection',
    response: oneApprovalView,
    errors: signedInErrors('400 VALIDATION_FAILED: no reason', '403 FORBIDDEN', '404 NOT_FOUND', '409 CONFLICT: already decided'),
    handler: async ({ store, clock }, { params, body }, res) => ({
      approval: describeApproval(store, await decideRequest(store, clock, currentAccount(res), params.id, 'rejected', body.reason)),
    }),
  }),
}
