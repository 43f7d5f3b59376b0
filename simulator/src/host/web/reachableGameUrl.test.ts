import { describe, expect, it } from 'vitest'
import { reachableGameUrl } from './reachableGameUrl'

const phone = { href: 'http://192.168.1.20:7070/host/', hostname: '192.168.1.20' }
const laptop = { href: 'http://localhost:7070/host/', hostname: 'localhost' }

describe('reachableGameUrl', () => {
  it('serves a loopback game URL under the name a phone opened the shell with, port and path kept', () => {
    expect(reachableGameUrl('http://127.0.0.1:7071/', phone)).toBe('http://192.168.1.20:7071/')
    expect(reachableGameUrl('http://localhost:5173/game/?x=1', phone)).toBe('http://192.168.1.20:5173/game/?x=1')
  })

  it('leaves it alone on the machine itself, and leaves other hosts and empty URLs alone everywhere', () => {
    expect(reachableGameUrl('http://127.0.0.1:7071/', laptop)).toBe('http://127.0.0.1:7071/')
    expect(reachableGameUrl('https://game.example/', phone)).toBe('https://game.example/')
    expect(reachableGameUrl('http://10.0.0.5:7071/', phone)).toBe('http://10.0.0.5:7071/')
    expect(reachableGameUrl('', phone)).toBe('')
  })
})
