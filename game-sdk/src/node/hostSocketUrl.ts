import { GameSdkError } from '../core/errors'
import { HOST_SOCKET_PATH } from '../protocol/channel'

/**
 * The WebSocket URL of the host for one player of one mini game. The simulator URL keeps
 * its path (a sandbox lives under `/sandbox/<name>`), so the socket reaches the same
 * sandbox as the game server's HTTP calls.
 *
 * @example
 * hostSocketUrl('http://127.0.0.1:7070/sandbox/w1', { appId: 'mg1', playerId: 'player-1' })
 * // 'ws://127.0.0.1:7070/sandbox/w1/host/ws?appId=mg1&playerId=player-1'
 */
export function hostSocketUrl(simulatorUrl: string, player: { appId: string; playerId: string }): string {
  let url: URL
  try {
    url = new URL(simulatorUrl)
  } catch (cause) {
    throw new GameSdkError('INVALID_ARGUMENT', `simulatorUrl "${simulatorUrl}" is not a URL: pass e.g. http://127.0.0.1:7070`, { cause })
  }
  const scheme = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' }[url.protocol]
  if (!scheme) {
    throw new GameSdkError('INVALID_ARGUMENT', `simulatorUrl must be http(s):// (or ws(s)://), got "${simulatorUrl}"`)
  }
  url.protocol = scheme
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${HOST_SOCKET_PATH}`
  url.search = new URLSearchParams({ appId: player.appId, playerId: player.playerId }).toString()
  url.hash = ''
  return url.toString()
}
