import type { Stack } from './stack'

export interface ApiReply {
  status: number
  json: any
}

/** A console user over HTTP: logs in once, then sends JSON with its bearer token. */
export class ConsoleClient {
  token = ''

  constructor(
    private readonly stack: Stack,
    readonly username: string,
  ) {}

  get base(): string {
    return `${this.stack.sim.url}/console/api/v1`
  }

  static async login(stack: Stack, username: string, password = 'password'): Promise<ConsoleClient> {
    const client = new ConsoleClient(stack, username)
    const reply = await client.call('POST', '/session', { username, password })
    if (reply.status !== 200) throw new Error(`login ${username} failed: ${JSON.stringify(reply.json)}`)
    client.token = reply.json.token
    return client
  }

  async call(method: string, path: string, body?: unknown, token = this.token): Promise<ApiReply> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      json = text
    }
    return { status: response.status, json }
  }

  get = (path: string) => this.call('GET', path)
  post = (path: string, body: unknown = {}) => this.call('POST', path, body)
  put = (path: string, body: unknown) => this.call('PUT', path, body)
}
