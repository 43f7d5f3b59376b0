/** The reply the host counts as delivered (SAS): returnCode "0" and data "ok". */
export interface SasReply {
  returnCode: string
  returnMessage: string
  data: string
  requestId: string
}

export function sasSuccessReply(requestId: string = globalThis.crypto.randomUUID()): SasReply {
  return { returnCode: '0', returnMessage: 'success', data: 'ok', requestId }
}

export function sasFailureReply(message: string, requestId: string = globalThis.crypto.randomUUID()): SasReply {
  return { returnCode: '1', returnMessage: message, data: '', requestId }
}

/** True only for the exact SAS success reply; the host retries on anything else. */
export function isSasSuccessReply(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false
  const reply = body as Partial<SasReply>
  return reply.returnCode === '0' && reply.data === 'ok'
}
