import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { DEMO_GAME } from '@superapp-sim/simulator/fixtures'
import type { SimEventWithTime } from '../../simulator/src/events/eventBus'
import { collectMessages } from '../support/socketMessages'
import { ScriptedPlayer, startStack, type Stack } from '../support/stack'

let stack: Stack
beforeEach(async () => {
  stack = await startStack()
})
afterEach(async () => {
  await stack.close()
})

async function connect(query: string) {
  const socket = new WebSocket(`${stack.sim.url.replace('http', 'ws')}/host/events${query}`)
  const { messages: events, received } = collectMessages<SimEventWithTime>(socket)
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  return { events, received, socket }
}

describe('host events over WebSocket', () => {
  it('streams an order and its delivery attempt to the host shell', async () => {
    const { events, received, socket } = await connect(`?appId=${DEMO_GAME.appId}`)
    const other = await connect('?appId=some-other-app')
    const { outTradeNo } = await new ScriptedPlayer(stack).buy('golden_sword')
    expect((await received(3)).map((e) => e.type)).toEqual(['order.created', 'order.paid', 'delivery.attempt'])
    expect(events[2]).toMatchObject({ outTradeNo, outcome: 'success', status: 200, url: `${stack.game.url}/api/delivery` })
    expect(other.events).toEqual([])
    socket.close()
    other.socket.close()
  })

  it('refuses upgrades on other paths', async () => {
    const socket = new WebSocket(`${stack.sim.url.replace('http', 'ws')}/nope`)
    const outcome = await new Promise((resolve) => {
      socket.once('open', () => resolve('open'))
      socket.once('error', () => resolve('refused'))
    })
    expect(outcome).toBe('refused')
  })
})
