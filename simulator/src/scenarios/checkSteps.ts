import type { ScenarioContext } from './context'
import { describeDelivery, expectationFailed, jsonMismatch } from './expectations'
import { formatDuration, ORDER_STATUS_BY_NAME, orderStatusName, URL_PLACEHOLDER } from './schema'
import type { StepRunner } from './context'
import { eventually } from './waiting'

/**
 * The steps that check: the host's delivery and order state, what the game server received
 * and grants, any GET. Each polls through `eventually`, so work the host does without a
 * clock move is awaited, and a check that can no longer pass fails at once.
 */

export const expectDelivery: StepRunner<'expectDelivery'> = async (ctx, value) => {
  const buy = ctx.buyOf(value.buy)
  const wanted = value.delivered ?? true
  await eventually(ctx, async () => {
    const order = await ctx.orderOf(buy)
    const received = ctx.gameServer().received().filter((r) => r.event === 'delivery' && r.outTradeNo === buy.outTradeNo).length
    const granted = ctx.gameServer().grantCount(buy.outTradeNo)
    const notification = order?.notifications.find((n) => n.kind === 'delivery')
    const hostAttempts = notification?.attempts.length ?? 0
    // Nothing more happens without a clock move once every attempt made is answered and recorded.
    const settled = Boolean(order) && (!notification || notification.state !== 'pending' || (hostAttempts > 0 && hostAttempts <= received && notification.nextAttemptAt !== undefined))
    const delivered = Boolean(order?.deliveredAt)
    const state = describeDelivery(order, received, notification)
    if (!order) {
      // A buy the host refused has no order, so nothing was delivered; until its result is in, the order may still come.
      if (!wanted && buy.settled) {
        return value.attempts === undefined || value.attempts === received
          ? { ok: true }
          : { ok: false, settled: true, failure: expectationFailed(`buy ${buy.id}: the game server received ${received} delivery notification(s), expected ${value.attempts}`, String(value.attempts), String(received)) }
      }
      return { ok: false, settled: Boolean(buy.settled), failure: expectationFailed(`buy ${buy.id}: the host has no order ${buy.outTradeNo}`, wanted ? 'delivered' : 'an order', `no order (the buy ended with ${buy.settled ? `errCode ${buy.settled.errCode}` : 'no result yet'})`) }
    }
    if (delivered !== wanted) {
      return { ok: false, settled: wanted ? settled : true, failure: expectationFailed(`buy ${buy.id} ${wanted ? 'was not delivered' : 'was delivered'}: ${state}`, wanted ? 'delivered' : 'not delivered', state) }
    }
    if (!wanted && !settled) return { ok: false, settled: false, failure: expectationFailed(`buy ${buy.id}: its delivery has not settled: ${state}`, 'not delivered', state) }
    if (wanted && value.within !== undefined) {
      const took = Date.parse(order.deliveredAt) - Date.parse(order.paidAt)
      if (took > value.within) {
        return { ok: false, settled: true, failure: expectationFailed(`buy ${buy.id} was delivered ${formatDuration(took)} after payment, later than within ${formatDuration(value.within)}`, `at most ${formatDuration(value.within)}`, formatDuration(took)) }
      }
    }
    if (value.attempts !== undefined && received !== value.attempts) {
      return { ok: false, settled, failure: expectationFailed(`buy ${buy.id}: the game server received ${received} delivery notification(s), expected ${value.attempts}`, String(value.attempts), `${received} (${state})`) }
    }
    if (value.granted !== undefined && granted !== value.granted) {
      return { ok: false, settled, failure: expectationFailed(`buy ${buy.id}: the game server granted it ${granted} time(s), expected ${value.granted}`, String(value.granted), String(granted)) }
    }
    return { ok: true }
  })
}

export const expectOrder: StepRunner<'expectOrder'> = async (ctx, value) => {
  const buy = ctx.buyOf(value.buy)
  await eventually(ctx, async () => {
    const order = await ctx.orderOf(buy)
    const actual = order ? `${orderStatusName(order.status)}${order.refundedAmount ? `, refunded ${order.refundedAmount}` : ''}` : 'no order'
    const expected = `${value.status}${value.refunded !== undefined ? `, refunded ${value.refunded}` : ''}`
    const ok = order && order.status === ORDER_STATUS_BY_NAME.get(value.status) && (value.refunded === undefined || order.refundedAmount === value.refunded)
    return ok ? { ok: true } : { ok: false, failure: expectationFailed(`buy ${buy.id}: order ${buy.outTradeNo} is ${actual}, expected ${expected}`, expected, actual) }
  })
}

export const expectRefundNotification: StepRunner<'expectRefundNotification'> = async (ctx, value) => {
  const buy = ctx.buyOf(value.buy)
  const count = value.count ?? 1
  await eventually(ctx, async () => {
    const refunds = ctx.gameServer().refundsOf(buy.outTradeNo)
    const total = refunds.reduce((sum, r) => sum + r.fee, 0)
    const actual = `${refunds.length} refund notification(s)${refunds.length ? `, RefundFee total ${total}` : ''}`
    const expected = `${count} refund notification(s)${value.amount !== undefined ? `, RefundFee total ${value.amount}` : ''}`
    const ok = refunds.length === count && (value.amount === undefined || total === value.amount)
    return ok ? { ok: true } : { ok: false, failure: expectationFailed(`buy ${buy.id}: the game server accepted ${actual}, expected ${expected}`, expected, actual) }
  })
}

export const expectInventory: StepRunner<'expectInventory'> = async (ctx, value) => {
  const openid = ctx.openids.get(value.player)!
  await eventually(ctx, async () => {
    const inventory = await ctx.gameJson<{ items: { productId: string; quantity: number }[] }>('GET', `/inventory/${encodeURIComponent(openid)}`)
    const quantity = inventory.items.find((i) => i.productId === value.product)?.quantity ?? 0
    return quantity === value.quantity
      ? { ok: true }
      : { ok: false, failure: expectationFailed(`${value.player} has ${quantity} ${value.product}, expected ${value.quantity}`, String(value.quantity), String(quantity)) }
  })
}

export const http: StepRunner<'http'> = async (ctx, value) => {
  const url = await expandUrl(ctx, value.get)
  const status = value.status ?? 200
  await eventually(ctx, async () => {
    const response = await fetch(url)
    const text = await response.text()
    if (response.status !== status) {
      return { ok: false, failure: expectationFailed(`GET ${url} answered HTTP ${response.status}, expected ${status}`, String(status), `${response.status} ${text.slice(0, 200)}`) }
    }
    if (value.json === undefined) return { ok: true }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return { ok: false, failure: expectationFailed(`GET ${url} did not answer JSON`, 'JSON', text.slice(0, 200)) }
    }
    const mismatch = jsonMismatch(value.json, body, '$')
    return mismatch === undefined ? { ok: true } : { ok: false, failure: expectationFailed(`GET ${url}: ${mismatch}`, JSON.stringify(value.json), JSON.stringify(body).slice(0, 500)) }
  })
}

/** An http step's URL with its placeholders filled in (the loader checked their names and arguments). */
async function expandUrl(ctx: ScenarioContext, template: string): Promise<string> {
  let url = template
  for (const [whole, name, arg] of template.matchAll(URL_PLACEHOLDER)) {
    let value = ''
    if (name === 'sandbox') value = ctx.control.url
    else if (name === 'game') value = ctx.gameServer().url
    else if (name === 'appId') value = ctx.scenario.game
    else if (name === 'openid') value = ctx.openids.get(arg!) ?? ''
    else if (name === 'outTradeNo') value = ctx.buyOf(arg!).outTradeNo
    else if (name === 'orderNo') value = (await ctx.orderOf(ctx.buyOf(arg!)))?.orderNo ?? ''
    url = url.replace(whole, name === 'sandbox' || name === 'game' ? value : encodeURIComponent(value))
  }
  return url
}
