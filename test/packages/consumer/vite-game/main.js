// A game as written for the real superapp: it calls the global `wx`, which the plugin's
// drop-in script provides in `vite dev` inside the simulator's host shell.
const status = document.getElementById('status')
const server = `${location.origin}/api`

wx.login({
  success: async ({ code }) => {
    const session = await (await fetch(`${server}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }) })).json()
    status.textContent = `Signed in as ${session.openid}`
    document.body.dataset.ready = 'true'
    document.getElementById('buy').addEventListener('click', async () => {
      const order = await (await fetch(`${server}/order`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: session.openid, productId: 'golden_sword' }) })).json()
      wx.requestMidasPaymentGameItem({
        ...order,
        success: () => (status.textContent = 'paid'),
        fail: ({ errCode }) => (status.textContent = `failed ${errCode}`),
      })
    })
  },
  fail: ({ errMsg }) => (status.textContent = errMsg),
})
