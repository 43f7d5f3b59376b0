import { currentAccount } from './auth'
import { mailboxView } from './schemas'
import { consoleRoute, signedInErrors } from './services'

/** The logged-in account's mailbox, newest first. Every account may read its own mail. */
export const MAILBOX_ROUTES = {
  list: consoleRoute({
    method: 'GET',
    path: '/mailbox',
    auth: 'bearer',
    summary: "The logged-in account's mail (issued credentials, decisions), newest first.",
    response: mailboxView,
    errors: signedInErrors(),
    handler: ({ store }, _input, res) => {
      const { username } = currentAccount(res)
      return { messages: store.state.mailbox.filter((m) => m.to === username).reverse() }
    },
  }),
}
