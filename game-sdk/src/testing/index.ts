/**
 * @superapp-sim/game-sdk/testing: for a game server's own tests and for test suites. Signed
 * notifications with defaults for every field you do not care about, a test game server
 * (the one the simulator's scenario runner and the project's tests use; express is an
 * optional peer, loaded when it starts), and the receiver-fault switch to make a delivery
 * receiver fail on purpose.
 */
export { createTestDeliveryNotification, createTestRefundNotification } from './notifications'
export { startTestGameServer, SIGN_DATA_FIELDS } from './testGameServer'
export type { TestGameServer, TestGameServerOptions, ReceivedNotification, RefundRecord } from './testGameServer'
export { createReceiverFault, RECEIVER_FAULT_MODES, SLOW_RECEIVER_DELAY_MS } from './receiverFault'
export type { ReceiverFault, ReceiverFaultMode, ReceiverFaultState } from './receiverFault'
