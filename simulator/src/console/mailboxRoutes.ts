import { Router } from 'express'
import type { Store } from '../store/store'
import { currentAccount } from './auth'

/** The logged-in account's mailbox, newest first. Every account may read its own mail. */
export function mailboxRoutes(store: Store): Router {
  const router = Router()
  router.get('/mailbox', (_req, res) => {
    const { username } = currentAccount(res)
    res.json({ messages: store.state.mailbox.filter((m) => m.to === username).reverse() })
  })
  return router
}
