import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ErrCode } from '@superapp-sim/game-sdk'
import { ServerErrcode } from '@superapp-sim/game-sdk'
import { PROTOCOL_VECTORS } from '../vectors/protocolVectors'

/** docs/protocol.md stays the whole reference: every code the code knows has its row, every vector its value. */
const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8')
const tableRows = doc.split('\n').filter((line) => line.startsWith('|'))
/** The codes a table row is about: its first cell, e.g. "41001 / 41002". */
const codesOf = (row: string) => row.split('|')[1]!.trim().split(/[ /]+/)

describe('docs/protocol.md', () => {
  it.each(Object.entries(ErrCode))('has a row for errCode %s (%i)', (_name, value) => {
    expect(tableRows.some((row) => codesOf(row).includes(String(value)))).toBe(true)
  })

  it.each(Object.entries(ServerErrcode).filter(([name]) => name !== 'OK'))('has a row for the server errcode %s (%i)', (_name, value) => {
    expect(tableRows.some((row) => codesOf(row).includes(String(value)))).toBe(true)
  })

  it('shows each outside vector\'s expected value', () => {
    const { paySig, signature, PayEventSig, refundNotification, pay_sig } = PROTOCOL_VECTORS
    for (const vector of [...paySig, ...signature, ...PayEventSig, ...refundNotification, ...pay_sig]) expect(doc).toContain(vector.expected)
  })
})
