/**
 * The host shell: the superapp's side of a running mini game. It frames the game (its own
 * origin), answers the game's host calls arriving by postMessage, and draws the payment
 * sheet in its own page, where the game cannot reach it.
 */
// First: before any zod schema is built (see there).
import './noEval'
import { hostCallSchema, hostResult, type HostCall, type HostResultPayload } from '@superapp-sim/game-sdk'
import { loginFailure, loginResult, paymentAnswer, paymentFailure } from '../hostCalls'
import { sandboxBaseOf } from '../../sandbox/names'
import { packageToRun, runPackage } from './runtime/hostSide'
import { describeAttempt, prettyJson } from './eventText'
import { reachableGameUrl } from './reachableGameUrl'
// Type-only imports from the server side: erased at build time, one definition of each shape.
import type { SimEventWithTime } from '../../events/eventBus'
import type { PaymentSheet, StartPaymentResult } from '../../payments/paymentService'
import type { SheetPolicy } from '../../payments/sheetPolicy'
import type { ResponseOf } from '../../http/routeDefinition'
import type { HOST_API_ROUTES } from '../hostRoutes'

/** GET /host/api/config, as its route definition says. */
type HostConfig = ResponseOf<typeof HOST_API_ROUTES.config>

type StartPaymentReply = StartPaymentResult

/** '' or '/sandbox/<name>': the shell works in any sandbox, calling the API beside the page. */
const sandboxBase = sandboxBaseOf(location.pathname, 'host')

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T
const frame = $<HTMLIFrameElement>('game-frame')
const logList = $<HTMLOListElement>('event-log')

/** A call to the host API beside the page; `keepalive` lets it outlive the page (sent as the page goes). */
async function api<T>(path: string, body?: unknown, { keepalive = false } = {}): Promise<T> {
  const response = await fetch(`${sandboxBase}/host/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    keepalive,
  })
  const json = (await response.json().catch(() => ({}))) as T & { error?: { message: string } }
  if (!response.ok) throw new Error(json.error?.message ?? `HTTP ${response.status}`)
  return json
}

function log(kind: 'ok' | 'fail' | 'info', what: string, detail: string): void {
  const item = document.createElement('li')
  item.className = kind
  const time = new Date().toLocaleTimeString()
  item.innerHTML = `<span class="t"></span> <b></b><br><span class="r"></span>`
  item.querySelector('.t')!.textContent = time
  item.querySelector('b')!.textContent = what
  item.querySelector('.r')!.textContent = detail
  logList.prepend(item)
}

function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100)
}

async function main(): Promise<void> {
  const config = await api<HostConfig>('/config')
  const query = new URLSearchParams(location.search)
  const miniGamePackage = await packageToRun(query, sandboxBase)
  const selected = config.games.find((g) => g.appId === query.get('appId')) ?? config.games.find((g) => g.gameUrl) ?? config.games[0]
  // A package names its mini game in project.config.json, as the platform's projects do.
  const named = miniGamePackage?.appId ? config.games.find((g) => g.appId === miniGamePackage.appId) : undefined
  if (miniGamePackage?.appId && !named) {
    miniGamePackage.check.errors.push(`project.config.json names appid "${miniGamePackage.appId}", which is not a mini game of this superapp: add it in the console or a fixture, or remove "appid" to run the package as the mini game selected here`)
  }
  const game = named ?? selected
  const player = config.players.find((p) => p.id === query.get('player')) ?? config.players[0]
  if (!game || !player) {
    document.body.textContent = 'The simulator has no mini game or no test player: reset it with demo data.'
    return
  }
  const gameUrl = miniGamePackage?.url ?? query.get('game') ?? reachableGameUrl(game.gameUrl, location)
  const gameOrigin = new URL(gameUrl, location.href).origin

  $('superapp-name').textContent = config.superapp.name
  const playerSelect = $<HTMLSelectElement>('player-select')
  for (const p of config.players) playerSelect.add(new Option(`${p.nickname} (${p.id})`, p.id, false, p.id === player.id))
  const gameSelect = $<HTMLSelectElement>('game-select')
  for (const g of config.games) gameSelect.add(new Option(`${g.name} (${g.appId})`, g.appId, false, g.appId === game.appId))
  const reloadWith = (key: string, value: string) => {
    query.set(key, value)
    if (key === 'appId') query.delete('game')
    location.search = query.toString()
  }
  playerSelect.addEventListener('change', () => reloadWith('player', playerSelect.value))
  gameSelect.addEventListener('change', () => reloadWith('appId', gameSelect.value))
  if (named) {
    gameSelect.disabled = true
    gameSelect.title = 'Set by the package\'s project.config.json (appid)'
  }
  const urlLink = $<HTMLAnchorElement>('game-url')
  urlLink.href = gameUrl
  urlLink.textContent = gameUrl

  /**
   * The player's openid in this game beside the name in the Player field: the game knows only
   * the openid (code2session carries no name), so this is where "Alex" meets "ox0E…04zL".
   */
  const showOpenid = (openid: string) => {
    const chip = $('player-openid')
    // Shortened as the sample game's status line shortens it, so the two read alike.
    chip.textContent = `openid ${openid.length <= 10 ? openid : `${openid.slice(0, 4)}…${openid.slice(-4)}`}`
    chip.title = `${player!.nickname}'s openid in ${game!.name}: ${openid}`
    chip.hidden = false
    playerSelect.title = chip.title
  }

  const sheet = createSheet()
  /**
   * Sheets not answered yet, by the player or by a QA sheet policy. One still open when the
   * page goes (a reload, another player or game picked, the tab closed) is cancelled, as a
   * host ends the payment when its app dies and as a headless player's socket closing does;
   * left open, it would refuse this player's every purchase ("a payment is already in
   * progress") until it timed out.
   */
  const unanswered = new Set<string>()
  window.addEventListener('pagehide', () => {
    for (const orderNo of unanswered) void api(`/payments/${orderNo}/cancel`, { playerId: player.id }, { keepalive: true }).catch(() => {})
  })
  // Back from the back-forward cache, its sheets were cancelled on the way out: start afresh.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) location.reload()
  })
  const reply = (payload: HostResultPayload) => frame.contentWindow?.postMessage(hostResult(payload), gameOrigin)

  async function handle(call: HostCall['payload']): Promise<HostResultPayload> {
    const { callId, api: name, params } = call
    if (name === 'login') {
      try {
        const { code, openid } = await api<{ code: string; openid: string }>('/login', { appId: game!.appId, playerId: player!.id })
        showOpenid(openid)
        return loginResult(callId, code)
      } catch (error) {
        return loginFailure(callId, (error as Error).message)
      }
    }
    // A second payment while a sheet is open is refused by the host itself (errCode 2), the
    // same answer a headless player gets.
    let started: StartPaymentReply
    try {
      started = await api<StartPaymentReply>('/payments', { appId: game!.appId, playerId: player!.id, params })
    } catch (error) {
      return paymentFailure(callId, (error as Error).message)
    }
    if (!started.ok) return paymentAnswer(callId, started)
    const { orderNo } = started.sheet
    unanswered.add(orderNo)
    try {
      if (started.policy.policy !== 'manual') {
        // QA set a sheet policy: the sheet shows, and the host answers it, not the player.
        sheet.show(started.sheet, started.policy)
        return paymentAnswer(callId, await api<{ errCode: number; errMsg: string }>(`/payments/${orderNo}/outcome?${new URLSearchParams({ playerId: player!.id })}`))
      }
      const answer = await sheet.ask(started.sheet)
      unanswered.delete(orderNo)
      // Sent even if the page goes right after the tap, so the answer is not lost with it.
      const result = await api<{ errCode: number; errMsg: string }>(`/payments/${orderNo}/${answer}`, { playerId: player!.id }, { keepalive: true })
      // Only what the real host gives a game: a game must not come to rely on more.
      return paymentAnswer(callId, result)
    } catch (error) {
      return paymentFailure(callId, (error as Error).message)
    } finally {
      unanswered.delete(orderNo)
      sheet.close()
    }
  }

  /** One host call, logged and answered: a framed web game's and a package's alike. */
  function answerHostCall(call: HostCall['payload']): Promise<HostResultPayload> {
    log('info', `→ wx.${call.api}`, call.api === 'requestMidasPaymentGameItem' ? prettyJson(call.params.signData ?? '') : '')
    return handle(call).then((result) => {
      log(result.ok ? 'ok' : 'fail', `← wx.${call.api}`, prettyJson(result.result))
      return result
    })
  }

  window.addEventListener('message', (event) => {
    // Only the framed game, from its own origin, may call the host.
    if (event.source !== frame.contentWindow || event.origin !== gameOrigin) return
    const parsed = hostCallSchema.safeParse(event.data)
    if (!parsed.success) return
    void answerHostCall(parsed.data.payload).then(reply)
  })

  watchDeliveries(game.appId)
  setUpMyOrders(game.appId, player.id, setUpViewSwitch())
  if (miniGamePackage) {
    frame.hidden = true
    await runPackage({ source: miniGamePackage, screen: frame.parentElement!, appId: game.appId, playerId: player.id, sandboxBase, answerHostCall, log })
  } else {
    if (!gameUrl) log('info', `${game.name} has no game URL`, 'open a web game with ?game=<url> or a mini game package with ?package=<url>')
    frame.src = gameUrl
  }
  document.body.dataset.ready = 'true'
}


interface MyOrder {
  orderNo: string
  name: string
  quantity: number
  totalPrice: number
  currency: string
  status: number
  createdAt: string
  refundedAmount: number
  refundable: number
  refunds: { refundNo: string; amount: number; status: 'pending_approval' | 'succeeded' | 'rejected'; rejectReason?: string }[]
}

const STATUS_WORDS: Record<number, string> = { 1: 'waiting for payment', 2: 'paid', 3: 'delivering', 4: 'delivered', 5: 'refunded', 6: 'closed', 7: 'refund failed' }

/** What the player sees of an order: its state, with the refund story folded in. */
function describeOrder(order: MyOrder): string {
  const words = STATUS_WORDS[order.status] ?? String(order.status)
  const pending = order.refunds.find((r) => r.status === 'pending_approval')
  if (pending) return `refund requested (${formatMoney(pending.amount, order.currency)}), waiting for the superapp`
  if (order.status === 5) return 'refunded'
  if (order.refundedAmount > 0) return `${words}, ${formatMoney(order.refundedAmount, order.currency)} refunded`
  const last = order.refunds.at(-1)
  if (last?.status === 'rejected') return `${words}; refund rejected: ${last.rejectReason ?? ''}`
  return words
}

/** Below this width the shell shows one column (style.css): the game, or the side panels. */
const ONE_COLUMN = window.matchMedia('(max-width: 859.98px)')

type View = 'game' | 'side'

/** The top bar's Game / Host calls switch of one-column windows; returns how to show a view and whether the side panels are in sight. */
function setUpViewSwitch(): { show(view: View): void; sideInSight(): boolean } {
  const gameButton = $('side-game-open')
  const logButton = $('side-log-open')
  const show = (view: View) => {
    document.body.dataset.view = view
    gameButton.setAttribute('aria-pressed', String(view === 'game'))
    logButton.setAttribute('aria-pressed', String(view === 'side'))
  }
  show('game')
  gameButton.addEventListener('click', () => show('game'))
  logButton.addEventListener('click', () => show('side'))
  return { show, sideInSight: () => !ONE_COLUMN.matches || document.body.dataset.view === 'side' }
}

/** "My orders": the player's orders in this game, and refund requests, as a superapp shows them. */
function setUpMyOrders(appId: string, playerId: string, views: ReturnType<typeof setUpViewSwitch>): void {
  const panel = $('my-orders')
  const list = $<HTMLOListElement>('my-orders-list')
  let askingFor: string | undefined

  async function refresh(): Promise<void> {
    const { orders } = await api<{ orders: MyOrder[] }>(`/orders?${new URLSearchParams({ appId, playerId })}`)
    const shown = orders.filter((o) => o.status !== 1)
    list.replaceChildren(...shown.map(renderOrder))
    if (shown.length === 0) list.textContent = 'No orders yet.'
  }

  function renderOrder(order: MyOrder): HTMLLIElement {
    const item = document.createElement('li')
    item.dataset.testid = `my-order-${order.orderNo}`
    const row = document.createElement('div')
    row.className = 'row'
    const title = document.createElement('span')
    title.textContent = `${order.name} ×${order.quantity} · ${formatMoney(order.totalPrice, order.currency)}`
    row.append(title)
    if (order.refundable > 0 && !order.refunds.some((r) => r.status === 'pending_approval')) {
      const button = document.createElement('button')
      button.type = 'button'
      button.dataset.testid = `refund-request-${order.orderNo}`
      button.textContent = 'Request refund'
      button.addEventListener('click', () => {
        askingFor = order.orderNo
        void refresh()
      })
      row.append(button)
    }
    const status = document.createElement('div')
    status.className = `status ${order.status === 5 ? 'refunded' : order.status === 4 ? 'delivered' : ''}`
    status.dataset.testid = `my-order-status-${order.orderNo}`
    status.textContent = `${describeOrder(order)} · ${order.orderNo}`
    item.append(row, status)
    if (askingFor === order.orderNo) item.append(refundForm(order))
    return item
  }

  function refundForm(order: MyOrder): HTMLFormElement {
    const form = document.createElement('form')
    const reason = document.createElement('input')
    reason.placeholder = 'Why do you want a refund?'
    reason.dataset.testid = 'refund-reason'
    reason.required = true
    reason.maxLength = 500
    const submit = document.createElement('button')
    submit.type = 'submit'
    submit.dataset.testid = 'refund-submit'
    submit.textContent = 'Send'
    const error = document.createElement('div')
    error.className = 'error'
    form.append(reason, submit, error)
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      submit.disabled = true
      api(`/orders/${order.orderNo}/refund-requests`, { playerId, reason: reason.value })
        .then(() => {
          askingFor = undefined
          log('info', `refund requested for ${order.orderNo}`, reason.value)
          return refresh()
        })
        .catch((e: unknown) => {
          error.textContent = (e as Error).message
          submit.disabled = false
        })
    })
    queueMicrotask(() => reason.focus())
    return form
  }

  // In a one-column window the button also brings the side panels into view: a panel opened
  // out of sight would look like a button that does nothing.
  $('my-orders-open').addEventListener('click', () => {
    const open = panel.hidden || !views.sideInSight()
    panel.hidden = !open
    if (open) {
      views.show('side')
      void refresh()
    }
  })
  $('my-orders-close').addEventListener('click', () => (panel.hidden = true))
  // Orders change under the panel (payments, refunds decided in the console): keep it current.
  setInterval(() => {
    if (!panel.hidden && !askingFor) void refresh().catch(() => {})
  }, 2000)
}

/** Shows each delivery attempt to the game's server as it happens (WebSocket from the simulator). */
function watchDeliveries(appId: string): void {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const socket = new WebSocket(`${scheme}://${location.host}${sandboxBase}/host/events?appId=${encodeURIComponent(appId)}`)
  socket.addEventListener('message', (message) => {
    const event = JSON.parse(String(message.data)) as SimEventWithTime
    if (event.type === 'delivery.attempt') {
      const retry = event.nextAttemptAt ? `; retry at ${new Date(event.nextAttemptAt).toLocaleTimeString()}` : ''
      const what = event.kind === 'refund' ? 'refund notification' : event.kind === 'test' ? 'test push' : 'delivery'
      const reply = event.responseBody ? `\nreply: ${prettyJson(event.responseBody)}` : ''
      log(
        event.outcome === 'success' ? 'ok' : 'fail',
        `⇢ ${what} ${event.outTradeNo} → ${event.url}`,
        `${event.outcome} (${describeAttempt(event.status, event.latencyMs, event.error)})${retry}${reply}`,
      )
    } else if (event.type === 'order.paid' || event.type === 'order.closed') {
      log('info', `order ${event.type === 'order.paid' ? 'paid' : 'closed'} ${event.orderNo}`, event.outTradeNo)
    } else if (event.type === 'refund.requested' || event.type === 'refund.succeeded' || event.type === 'refund.rejected') {
      log(event.type === 'refund.rejected' ? 'fail' : 'ok', `${event.type.replace('.', ' ')} ${event.refundNo}`, `${event.orderNo}: ${event.currency ? formatMoney(event.amount, event.currency) : `${event.amount} (minor units)`} (${event.source})`)
    }
  })
  // The simulator may restart under the page; follow it.
  socket.addEventListener('close', () => setTimeout(() => watchDeliveries(appId), 2000))
}

function describePolicy({ policy, errCode, delayMs }: SheetPolicy): string {
  const after = delayMs ? ` after ${delayMs / 1000} s of simulator time` : ''
  const what = policy === 'fail' ? `fails with errCode ${errCode ?? -1}` : policy === 'confirm' ? 'pays' : 'cancels'
  return `Test policy: this sheet ${what}${after}.`
}

function createSheet() {
  const backdrop = $('sheet-backdrop')
  const confirmButton = $<HTMLButtonElement>('pay-confirm')
  const cancelButton = $<HTMLButtonElement>('pay-cancel')
  let pending: ((answer: 'confirm' | 'cancel') => void) | undefined

  const answer = (value: 'confirm' | 'cancel') => {
    if (!pending) return
    confirmButton.disabled = cancelButton.disabled = true
    const resolve = pending
    pending = undefined
    resolve(value)
  }
  confirmButton.addEventListener('click', () => answer('confirm'))
  cancelButton.addEventListener('click', () => answer('cancel'))
  backdrop.addEventListener('click', (event) => {
    if (event.target === backdrop) answer('cancel')
  })
  // Escape closes the sheet like a tap outside it: the keyboard user's "Cancel".
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !backdrop.hidden) answer('cancel')
  })

  const policyNote = $('sheet-policy')
  function show(sheet: PaymentSheet, policy?: SheetPolicy): void {
    $('sheet-game').textContent = sheet.gameName
    $('sheet-sandbox').hidden = !sheet.sandbox
    const image = $<HTMLImageElement>('sheet-image')
    image.src = sheet.imageUrl
    image.alt = sheet.name
    $('sheet-title').textContent = sheet.name
    $('sheet-quantity').textContent = String(sheet.quantity)
    $('sheet-unit').textContent = formatMoney(sheet.unitPrice, sheet.currency)
    $('sheet-total').textContent = formatMoney(sheet.totalPrice, sheet.currency)
    policyNote.hidden = !policy
    policyNote.textContent = policy ? describePolicy(policy) : ''
    confirmButton.disabled = cancelButton.disabled = Boolean(policy)
    backdrop.hidden = false
    if (!policy) confirmButton.focus()
  }

  return {
    /** Shows a sheet the host answers by policy: no buttons to press. */
    show,
    ask(sheet: PaymentSheet): Promise<'confirm' | 'cancel'> {
      show(sheet)
      return new Promise((resolve) => (pending = resolve))
    },
    close() {
      backdrop.hidden = true
    },
  }
}

main().catch((error: unknown) => {
  document.body.textContent = `The host shell could not start: ${(error as Error).message}. Is the simulator running?`
})
