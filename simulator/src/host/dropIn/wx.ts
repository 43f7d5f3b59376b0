/**
 * The drop-in script (`<script src="http://localhost:7070/sdk/wx.js">`): defines the global
 * `wx` for a game running in the simulator's host shell, so game code written for the real
 * superapp (`wx.login`, `wx.requestMidasPaymentGameItem`) runs unchanged. Where a native
 * `wx` exists it is left alone.
 */
import { getWx } from '@superapp-sim/game-sdk/browser'
import { errorMessage } from '@superapp-sim/game-sdk'

const scope = globalThis as { wx?: unknown }
if (!scope.wx) {
  try {
    scope.wx = getWx()
  } catch (error) {
    console.warn(errorMessage(error))
  }
}
