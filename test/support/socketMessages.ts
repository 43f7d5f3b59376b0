import type WebSocket from 'ws'

/**
 * Collects the JSON messages a WebSocket receives, from now on, and lets a test wait for
 * the n-th one: the wait ends on the message itself, not on a polling deadline, so it
 * holds on a loaded machine too (the test's own timeout is the only limit).
 */
export function collectMessages<T>(socket: WebSocket): { messages: T[]; received(count: number): Promise<T[]> } {
  const messages: T[] = []
  const waiting: { count: number; resolve: () => void }[] = []
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as T)
    for (const waiter of waiting.filter((w) => messages.length >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1)
      waiter.resolve()
    }
  })
  return {
    messages,
    async received(count) {
      if (messages.length < count) await new Promise<void>((resolve) => waiting.push({ count, resolve }))
      return messages
    },
  }
}
