import { GameSdkError } from '@superapp-sim/game-sdk'
import { GameApiError } from '../api'

/** A short, player-facing reason for any thrown error. */
export function describeError(error: unknown): string {
  if (error instanceof GameApiError) return error.message
  // The SDK prefixes its messages for logs; the player does not need the prefix.
  if (error instanceof GameSdkError) return error.message.replace(/^\[game-sdk\]\s*/, '')
  if (error instanceof Error) return error.message
  return String(error)
}
