/**
 * The console's login. The demo accounts are listed under the form: this is a local
 * simulator, and trying each role is the point of it.
 */
import { html } from 'lit-html'
import { api, errorMessage, type Me } from '../api'
import { errorAlert } from '../components/messages'

const DEMO_ACCOUNTS = [
  { username: 'superadmin', roleName: 'Super admin' },
  { username: 'platformadmin', roleName: 'Platform admin' },
  { username: 'mpadmin', roleName: 'Mini program administrator' },
  { username: 'seniordev', roleName: 'Mini program senior developer' },
  { username: 'developer', roleName: 'Mini program developer' },
  { username: 'operator', roleName: 'Mini program operator' },
]

export function loginPage(update: () => void, signedIn: (token: string, me: Me) => void) {
  let username = ''
  let password = ''
  let error = ''
  let busy = false

  async function submit(): Promise<void> {
    if (busy) return
    busy = true
    error = ''
    update()
    try {
      const { token, account } = await api.login(username.trim(), password)
      busy = false
      signedIn(token, account)
    } catch (e) {
      busy = false
      error = errorMessage(e)
      update()
    }
  }

  return {
    view: (superappName: string) => html`<main class="login">
      <form
        class="card login-card"
        @submit=${(e: Event) => {
          e.preventDefault()
          void submit()
        }}
      >
        <h1><span class="logo">◆</span> ${superappName}</h1>
        <p class="muted">Sign in to manage mini games, payments and approvals.</p>
        <label class="stack"
          >Username
          <input
            data-testid="login-username"
            name="username"
            autocomplete="username"
            required
            .value=${username}
            @input=${(e: Event) => (username = (e.target as HTMLInputElement).value)}
          />
        </label>
        <label class="stack"
          >Password
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            .value=${password}
            @input=${(e: Event) => (password = (e.target as HTMLInputElement).value)}
          />
        </label>
        ${errorAlert(error, 'login-error')}
        <button class="primary wide" type="submit" data-testid="login-submit" ?disabled=${busy}>Log in</button>
        <section class="demo-accounts">
          <h2>Demo accounts <small class="muted">password <code>password</code></small></h2>
          <ul>
            ${DEMO_ACCOUNTS.map(
              (a) => html`<li>
                <button
                  type="button"
                  class="link"
                  data-testid="demo-account-${a.username}"
                  @click=${() => {
                    username = a.username
                    update()
                    document.querySelector<HTMLInputElement>('[data-testid="login-password"]')?.focus()
                  }}
                >
                  <code>${a.username}</code>
                </button>
                <span class="muted">${a.roleName}</span>
              </li>`,
            )}
          </ul>
        </section>
      </form>
    </main>`,
  }
}
