import { describe, expect, it } from 'vitest'
import { describeAttempt, prettyJson } from './eventText'

describe('the event panel text', () => {
  it('says a failed attempt\'s HTTP status once, not again from its error', () => {
    // The delivery engine records a non-2xx reply as status 503 with the error "HTTP 503".
    expect(describeAttempt(503, 12, 'HTTP 503')).toBe('HTTP 503, 12 ms')
    expect(describeAttempt(200, 8, 'the reply is not the success reply: {"returnCode":0}')).toBe('HTTP 200, 8 ms; the reply is not the success reply: {"returnCode":0}')
    expect(describeAttempt(undefined, 3001, 'timed out after 3000 ms')).toBe('3001 ms; timed out after 3000 ms')
  })

  it('pretty-prints signData with its attach parsed, not as escaped JSON', () => {
    const signData = JSON.stringify({ offerId: 'o1', buyQuantity: 1, attach: JSON.stringify({ level: 3 }) })
    expect(prettyJson(signData)).toBe('{\n  "offerId": "o1",\n  "buyQuantity": 1,\n  "attach": {\n    "level": 3\n  }\n}')
  })

  it('leaves text that is not JSON as it is', () => {
    expect(prettyJson('ok')).toBe('ok')
    expect(prettyJson('{not json')).toBe('{not json')
    expect(prettyJson({ errCode: 0 })).toBe('{\n  "errCode": 0\n}')
  })
})
