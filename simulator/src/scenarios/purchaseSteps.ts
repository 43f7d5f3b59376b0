import type { MidasPaymentGameItemResult, RequestMidasPaymentGameItemOption } from '@superapp-sim/game-sdk'
import type { BuyState } from './context'
import { expectErrCode, expectationFailed } from './expectations'
import type { Tamper } from './schema'
import type { StepRunner } from './context'
import { settledResult } from './waiting'

/**
 * The steps that act as the player and the game server would: log in, buy (signed by the
 * game server, paid by the headless player, tampered with on request), check a buy's
 * result, refund. Apart from the checks (checkSteps.ts) because these change state.
 */

export const login: StepRunner<'login'> = async (ctx, playerId) => {
  const player = await ctx.playerFor(playerId)
  const code = await ctx.race(player.payments.login())
  const { openid } = await ctx.gameJson<{ openid: string }>('POST', '/login', { code })
  ctx.openids.set(playerId, openid)
  return `${playerId} is ${openid}`
}

export const buy: StepRunner<'buy'> = async (ctx, value, step) => {
  const id = value.id ?? `#${step.index + 1}`
  const appId = value.appId ?? ctx.scenario.game
  if (value.outcome !== undefined || value.delay !== undefined) {
    const policy = value.outcome ?? 'confirm'
    await ctx.control.setSheetPolicy({
      playerId: value.player,
      policy,
      ...(policy === 'fail' ? { errCode: value.errCode } : {}),
      ...(value.delay === undefined ? {} : { delayMs: value.delay }),
    })
  }
  const tampers: Tamper[] = value.tamper === undefined ? [] : Array.isArray(value.tamper) ? value.tamper : [value.tamper]
  const outTradeNo = value.outTradeNo ?? (value.reuseOutTradeNo === undefined ? undefined : ctx.buyOf(value.reuseOutTradeNo).outTradeNo)
  ctx.checkpoint()
  const signed = await ctx.gameJson<{ signData: string; paySig: string; signature: string; outTradeNo: string }>('POST', '/orders', {
    openid: ctx.openids.get(value.player),
    productId: value.product,
    quantity: value.quantity ?? 1,
    ...(value.price === undefined ? {} : { price: value.price }),
    ...(value.currency === undefined ? {} : { currency: value.currency }),
    ...(outTradeNo === undefined ? {} : { outTradeNo }),
    ...(value.omitField === undefined ? {} : { omitField: value.omitField }),
    ...(tampers.includes('staleSessionKey') ? { staleSessionKey: true } : {}),
  })
  const params = tamperParams(signed, tampers)
  const player = await ctx.playerFor(value.player, appId)
  ctx.checkpoint()
  const result = new Promise<MidasPaymentGameItemResult>((resolve) => {
    player.wx.requestMidasPaymentGameItem({ ...(params as unknown as RequestMidasPaymentGameItemOption), success: resolve, fail: resolve })
  })
  const state: BuyState = { id, player: value.player, appId, outTradeNo: signed.outTradeNo, line: step.line, result }
  void result.then((settled) => (state.settled = settled))
  ctx.buys.set(id, state)
  if (value.wait === false) return `buy ${id} (${signed.outTradeNo}) started`
  const expected = value.expect ?? (value.outcome === 'cancel' ? 1 : value.outcome === 'fail' ? value.errCode! : 0)
  const got = await settledResult(ctx, state)
  expectErrCode(`buy ${id}`, expected, got)
  return `buy ${id} (${signed.outTradeNo}): errCode ${got.errCode}`
}

export const expectResult: StepRunner<'expectResult'> = async (ctx, { buy: id, errCode }) => {
  expectErrCode(`buy ${id}`, errCode, await settledResult(ctx, ctx.buyOf(id)))
}

export const refund: StepRunner<'refund'> = async (ctx, value) => {
  const buy = ctx.buyOf(value.buy)
  if (value.by === 'player') {
    const order = await ctx.orderOf(buy)
    if (!order) throw expectationFailed(`buy ${buy.id}: the host has no order ${buy.outTradeNo} to refund`)
    const { refund } = await ctx.control.triggerRefund(order.orderNo, value.reason)
    return `refund ${refund.refundNo} of ${refund.amount}: ${refund.status}`
  }
  const result = await ctx.gameJson<{ refund_wx_order_id?: string }>('POST', '/refunds', {
    openid: ctx.openids.get(buy.player),
    outTradeNo: buy.outTradeNo,
    ...(value.amount === undefined ? {} : { amount: value.amount }),
    ...(value.reason === undefined ? {} : { reason: value.reason }),
  })
  return `refund_order ${result.refund_wx_order_id ?? ''}`
}

/** What the client passes to wx.requestMidasPaymentGameItem, broken the way the scenario asks. */
function tamperParams(signed: { signData: string; paySig: string; signature: string }, tampers: readonly Tamper[]): Record<string, unknown> {
  const params: Record<string, unknown> = { signData: signed.signData, paySig: signed.paySig, signature: signed.signature }
  const flip = (hex: string) => `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`
  for (const tamper of tampers) {
    if (tamper === 'badPaySig') params.paySig = flip(signed.paySig)
    else if (tamper === 'badSignature') params.signature = flip(signed.signature)
    else if (tamper === 'signDataAsObject') params.signData = JSON.parse(signed.signData)
    else if (tamper === 'signDataNotJson') params.signData = `${signed.signData.slice(0, -1)},`
    else if (tamper === 'omitSignData') delete params.signData
    else if (tamper === 'omitPaySig') delete params.paySig
    else if (tamper === 'omitSignature') delete params.signature
  }
  return params
}
