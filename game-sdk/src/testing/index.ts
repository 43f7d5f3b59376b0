/**
 * @superapp-sim/game-sdk/testing: for a game server's own tests. Signed notifications with
 * defaults for every field you do not care about.
 */
export { createTestDeliveryNotification, createTestRefundNotification } from './notifications'
