// What a game's page takes from game-sdk: getWx() and the typed purchase API. Built with
// Vite by test/packages/packages.test.ts to report the gzipped size it adds to a game.
import { createGamePayments } from '@superapp-sim/game-sdk'
import { getWx } from '@superapp-sim/game-sdk/browser'

const payments = createGamePayments(getWx())
document.body.addEventListener('click', async () => {
  const code = await payments.login()
  const order = await (await fetch('/api/order', { method: 'POST', body: JSON.stringify({ code }) })).json()
  document.body.textContent = (await payments.purchase(order)).status
})
