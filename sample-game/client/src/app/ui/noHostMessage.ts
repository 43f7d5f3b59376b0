import { el } from './dom'

export const HOST_SHELL_URL = 'http://localhost:7070/host/'

/**
 * Opened directly, the game has no superapp to log in or pay through; rather than a
 * broken shop, point the developer at the simulator's host shell.
 */
export function showNoHostMessage(parent: HTMLElement = document.body): HTMLElement {
  const link = el('a', { className: 'no-host-link', text: HOST_SHELL_URL, attrs: { href: HOST_SHELL_URL, target: '_top' } })
  const message = el('div', { className: 'no-host', testId: 'no-host', attrs: { role: 'alert' } }, [
    el('div', { className: 'no-host-card' }, [
      el('span', { className: 'gem-art gem-art--large' }),
      el('h1', { text: 'Gem Quest runs inside the superapp' }),
      el('p', { text: 'This page needs a host to sign you in and take payments. Open the simulator’s host shell instead:' }),
      link,
    ]),
  ])
  parent.append(message)
  return message
}
