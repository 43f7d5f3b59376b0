/**
 * The superapp console: login, then a shell (top bar, left menu mirroring the real
 * console's "Commercialization > Virtual payment") around one page per hash route.
 * Everything re-renders from state through lit-html; pages own their state and call
 * `update()` after changing it.
 */
import { html, nothing, render } from 'lit-html'
import { api, session, setUnauthorizedHandler, type Capability, type Me } from './api'
import { loading } from './components/messages'
import type { Ctx, Page } from './context'
import { afterSalesPage } from './pages/afterSales'
import { approvalsPage } from './pages/approvals'
import { basicConfigPage } from './pages/basicConfig'
import { deliveriesPage } from './pages/deliveries'
import { enablePaymentPage } from './pages/enablePayment'
import { itemsPage } from './pages/items'
import { loginPage } from './pages/login'
import { mailboxPage } from './pages/mailbox'
import { ordersPage } from './pages/orders'
import { currentRoute, href, navigate, onRouteChange, type Route } from './router'

const CONSOLE_NAME = 'Superapp console'

interface RouteDef {
  path: string
  label: string
  testId: string
  /** Menu group; undefined for top-level entries. */
  group?: string
  /** The capability that shows the entry; the server refuses the rest anyway. */
  needs?: Capability
  create(ctx: Ctx): Page
}

const ROUTES: RouteDef[] = [
  { path: '/virtual-payment/enable', label: 'Enable payment', testId: 'nav-enable-payment', group: 'Virtual payment', needs: 'payment.request', create: enablePaymentPage },
  { path: '/virtual-payment/basic', label: 'Basic configuration', testId: 'nav-basic-config', group: 'Virtual payment', needs: 'deliveryConfig.view', create: basicConfigPage },
  { path: '/virtual-payment/items', label: 'Virtual item management', testId: 'nav-items', group: 'Virtual payment', needs: 'items.view', create: itemsPage },
  { path: '/virtual-payment/orders', label: 'Order record', testId: 'nav-orders', group: 'Virtual payment', needs: 'orders.view', create: ordersPage },
  { path: '/virtual-payment/after-sales', label: 'After-sales record', testId: 'nav-after-sales', group: 'Virtual payment', needs: 'afterSales.view', create: afterSalesPage },
  { path: '/virtual-payment/deliveries', label: 'Deliveries', testId: 'nav-deliveries', group: 'Virtual payment', needs: 'orders.view', create: deliveriesPage },
  { path: '/approvals', label: 'Approvals', testId: 'nav-approvals', needs: 'approvals.view', create: approvalsPage },
  { path: '/mailbox', label: 'Mailbox', testId: 'nav-mailbox', create: mailboxPage },
]

type State =
  | { kind: 'starting' }
  | { kind: 'login'; form: ReturnType<typeof loginPage>; notice: string }
  /** page: undefined until the route's page is built, null when the role may not open it. */
  | { kind: 'app'; me: Me; route: Route; page: Page | null | undefined }

let state: State = { kind: 'starting' }
/** Where to go after logging in, when a session ended under a page. */
let returnTo: Route | undefined
/** Whether the menu is open on a narrow window, where it folds away behind the Menu button (style.css). */
let menuOpen = false
const root = document.getElementById('app')!

const allowed = (me: Me, def: RouteDef) => !def.needs || me.capabilities.includes(def.needs)
// The superapp's people come to the console to decide requests: they land on the queue.
const defaultRoute = (me: Me) => (me.capabilities.includes('approvals.decide') ? ROUTES.find((def) => def.path === '/approvals')! : ROUTES.find((def) => allowed(me, def))!)

function update(): void {
  render(view(), root)
}

/** Lets the current page go (its socket, its timers) before another replaces it. */
function leavePage(): void {
  if (state.kind === 'app') state.page?.close?.()
}

function showLogin(notice = ''): void {
  leavePage()
  state = { kind: 'login', form: loginPage(update, signedIn), notice }
  if (currentRoute().path !== '/login') navigate('/login')
  document.title = `Log in · ${CONSOLE_NAME}`
  update()
}

function signedIn(token: string, me: Me): void {
  session.set(token)
  const target = returnTo
  returnTo = undefined
  state = { kind: 'app', me, route: currentRoute(), page: undefined }
  if (target && target.path !== '/login') navigate(target.path, Object.fromEntries(target.params))
  else navigate(defaultRoute(me).path)
}

/** Builds the page for the current route; called on every route change while signed in. */
function open(route: Route): void {
  if (state.kind === 'login' || state.kind === 'starting') {
    if (!session.token && route.path !== '/login') {
      returnTo = route
      showLogin()
    }
    return
  }
  const me = state.me
  const def = ROUTES.find((d) => d.path === route.path)
  if (!def) {
    navigate(defaultRoute(me).path)
    return
  }
  const ctx: Ctx = {
    me,
    route,
    can: (capability) => me.capabilities.includes(capability),
    update,
  }
  leavePage()
  // A link chosen in the folded menu closes it: the page is what the person wants to see.
  menuOpen = false
  const page = allowed(me, def) ? def.create(ctx) : null
  state = { kind: 'app', me, route, page }
  document.title = `${page?.title ?? 'No access'} · ${CONSOLE_NAME}`
  update()
}

/** Logs out on the server too (the token is revoked there), then here whatever it answered: the user asked to leave. */
async function logout(): Promise<void> {
  await api.logout().catch(() => {})
  session.clear()
  returnTo = undefined
  showLogin()
}

function nav(me: Me, route: Route) {
  const entry = (def: RouteDef) =>
    allowed(me, def)
      ? html`<li>
          <a
            href=${href(def.path)}
            data-testid=${def.testId}
            class=${route.path === def.path ? 'active' : ''}
            aria-current=${route.path === def.path ? 'page' : 'false'}
            >${def.label}</a
          >
        </li>`
      : nothing
  const payment = ROUTES.filter((d) => d.group === 'Virtual payment' && allowed(me, d))
  return html`<nav class="sidebar ${menuOpen ? 'open' : ''}" id="console-menu" aria-label="Console menu">
    ${payment.length
      ? html`<div class="group">
          <div class="group-title">Commercialization</div>
          <div class="subgroup-title">Virtual payment</div>
          <ul>
            ${payment.map(entry)}
          </ul>
        </div>`
      : nothing}
    <div class="group">
      <ul>
        ${ROUTES.filter((d) => !d.group).map(entry)}
      </ul>
    </div>
  </nav>`
}

function view() {
  if (state.kind === 'starting') return html`<p class="muted splash">Loading…</p>`
  if (state.kind === 'login') {
    return html`${state.notice ? html`<p class="banner" role="status">${state.notice}</p>` : nothing}${state.form.view(CONSOLE_NAME)}`
  }
  const { me, route, page } = state
  return html`<header class="topbar">
      <button
        class="secondary small menu-toggle"
        data-testid="console-menu-toggle"
        aria-controls="console-menu"
        aria-expanded=${String(menuOpen)}
        @click=${() => {
          menuOpen = !menuOpen
          update()
        }}
      >
        Menu
      </button>
      <div class="brand"><span class="logo">◆</span> <span data-testid="console-name">${CONSOLE_NAME}</span> <small>simulator</small></div>
      <div class="user">
        <span data-testid="current-user"
          ><strong>${me.username}</strong> · ${me.roleName}${me.teamName ? html` <span class="muted">· ${me.teamName}</span>` : nothing}</span
        >
        <button class="secondary small" data-testid="logout" @click=${() => void logout()}>Log out</button>
      </div>
    </header>
    <div class="layout">
      ${nav(me, route)}
      <main class="content">
        ${page === undefined
          ? loading()
          : page
          ? page.view()
          : html`<section class="card" data-testid="no-access">
              <h1>No access</h1>
              <p class="muted">Your role (${me.roleName}) cannot open this page.</p>
            </section>`}
      </main>
    </div>`
}

setUnauthorizedHandler(() => {
  if (state.kind === 'app') returnTo = state.route
  showLogin('Your session has ended: log in again.')
})
onRouteChange(open)

async function start(): Promise<void> {
  if (!session.token) {
    const route = currentRoute()
    if (route.path !== '/login' && route.path !== '/') returnTo = route
    showLogin()
    return
  }
  try {
    const me = await api.me()
    state = { kind: 'app', me, route: currentRoute(), page: undefined }
    const route = currentRoute()
    if (route.path === '/login' || route.path === '/') navigate(defaultRoute(me).path)
    else open(route)
  } catch (error) {
    // A 401 has already shown the login; anything else is the simulator being away.
    if (state.kind !== 'login') showLogin(`Could not restore the session: ${(error as Error).message}`)
  }
}

void start()
