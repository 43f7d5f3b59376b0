/**
 * The receiver's reply to a delivery notification (SAS page 69511, "response parameters"):
 * returnCode (string, required; "0" is success), returnMessage (string, optional), data
 * (string, required; "ok" on success) and requestId (string, required: the request's trace
 * ID). The host counts a notification as delivered only on this reply; see
 * {@link sasReplyProblem} for the exact rule and docs/protocol.md for the evidence.
 */
export interface SasReply {
  returnCode: string
  returnMessage?: string
  data: string
  requestId: string
}

export function sasSuccessReply(requestId: string = globalThis.crypto.randomUUID()): SasReply {
  return { returnCode: '0', returnMessage: 'success', data: 'ok', requestId }
}

export function sasFailureReply(message: string, requestId: string = globalThis.crypto.randomUUID()): SasReply {
  return { returnCode: '1', returnMessage: message, data: '', requestId }
}

const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : `the ${typeof value} ${JSON.stringify(value)}`)

/**
 * Why a reply body is not the SAS success reply, or undefined when it is. The rule is every
 * field the SAS table marks required, with its documented type and success value:
 * returnCode the string "0", data the string "ok", requestId a non-empty string;
 * returnMessage may be left out. Stricter than a host that looks at returnCode alone would
 * be, never looser: a receiver that passes this passes either reading of the page.
 */
export function sasReplyProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return `the reply is ${shown(body)}, not a JSON object`
  const reply = body as Record<string, unknown>
  if (reply.returnCode !== '0') return `returnCode must be the string "0" (SAS types it string), got ${shown(reply.returnCode)}`
  if (reply.data !== 'ok') return `data must be "ok" on success (SAS marks it required), got ${shown(reply.data)}`
  if (typeof reply.requestId !== 'string' || reply.requestId === '') return `requestId (a string) is required by SAS, got ${shown(reply.requestId)}`
  if (reply.returnMessage !== undefined && typeof reply.returnMessage !== 'string') return `returnMessage, when given, is a string; got ${shown(reply.returnMessage)}`
  return undefined
}

/** True only for the SAS success reply (sasReplyProblem finds nothing); the host retries on anything else. */
export function isSasSuccessReply(body: unknown): boolean {
  return sasReplyProblem(body) === undefined
}
