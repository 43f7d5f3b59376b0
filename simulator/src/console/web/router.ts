/**
 * A hash router: the console is one static page served by the simulator, and hash routes
 * need no server-side fallback. `#/virtual-payment/basic?appId=mg…` -> path and params.
 */

export interface Route {
  path: string
  params: URLSearchParams
}

export function currentRoute(): Route {
  const hash = location.hash.replace(/^#/, '') || '/'
  const [path = '/', query = ''] = hash.split('?', 2)
  return { path, params: new URLSearchParams(query) }
}

export function href(path: string, params?: Record<string, string>): string {
  const query = params ? new URLSearchParams(params).toString() : ''
  return `#${path}${query ? `?${query}` : ''}`
}

export function navigate(path: string, params?: Record<string, string>): void {
  const target = href(path, params)
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'))
  else location.hash = target
}

export function onRouteChange(listener: (route: Route) => void): void {
  window.addEventListener('hashchange', () => listener(currentRoute()))
}
