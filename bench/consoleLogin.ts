/**
 * `npm run bench:login`: how long a signed-in console user waits (`GET /me`) while wrong
 * passwords are being checked. Password hashing (scrypt) and the session token check
 * (WebCrypto HMAC) share libuv's threadpool; this shows whether a burst of wrong logins
 * still queues the token checks behind it (issue 13: 9.2 s at 80 logins, 115 ms otherwise).
 * Prints /me p50/p99 idle and during the burst, and the burst's statuses.
 */
import { startSimulator } from '../simulator/src/app'

const BURST = Number(process.env.BENCH_LOGIN_BURST ?? 80)
const ROUNDS = 5

const sim = await startSimulator({ port: 0, memory: true, log: () => {} })
const api = `${sim.url}/console/api/v1`
const logIn = (username: string, password: string) =>
  fetch(`${api}/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
const { token } = (await (await logIn('mpadmin', 'password')).json()) as { token: string }

async function me(): Promise<number> {
  const started = performance.now()
  const response = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${token}` } })
  await response.arrayBuffer()
  if (response.status !== 200) throw new Error(`/me answered ${response.status}`)
  return performance.now() - started
}

const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b)
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
  return { samples: sorted.length, p50Ms: at(50), p99Ms: at(99), maxMs: Math.round(sorted.at(-1)!) }
}

try {
  const idle: number[] = []
  for (let i = 0; i < 50; i++) idle.push(await me())
  const during: number[] = []
  const statuses = new Map<number, number>()
  for (let round = 0; round < ROUNDS; round++) {
    // Each round 20 clock minutes later, past the failed-login window of the last round (and well inside the session).
    await fetch(`${sim.url}/_sim/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 20 * 60e3 }) })
    let running = true
    const burst = Promise.all(
      Array.from({ length: BURST }, (_, i) => logIn(`bench-${round}-${i}`, 'wrong').then((r) => statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1))),
    ).finally(() => (running = false))
    while (running) during.push(await me())
    await burst
  }
  console.table({ 'GET /me, idle': summary(idle), [`GET /me during ${BURST} wrong logins`]: summary(during) })
  console.log('login statuses in the bursts:', Object.fromEntries(statuses))
} finally {
  await sim.close()
}
