import { createHash, randomBytes } from 'node:crypto'
import { isoTime, type Clock } from '../clock'
import type { ConsoleAccount, IssuedCredentials, MailMessage, MiniGame, SimState } from '../store/model'
import { sendMail } from './mailbox'

export interface NewCredentials {
  appKey: string
  credentials: IssuedCredentials
  privateKeyPem: string
}

/**
 * Issues what the first save of the delivery configuration requests from the superapp:
 * the AppKey (HMAC key of paySig and PayEventSig) and an ES256 certificate key pair.
 * Generated outside the store mutation (key generation is async).
 */
export async function generateCredentials(clock: Clock): Promise<NewCredentials> {
  // Loaded when credentials are issued (seeding, the console), not at every start-up.
  const { exportPKCS8, exportSPKI, generateKeyPair } = await import('jose')
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true })
  const publicKeyPem = await exportSPKI(publicKey)
  const privateKeyPem = await exportPKCS8(privateKey)
  const fingerprint = createHash('sha256').update(publicKeyPem).digest('hex').slice(0, 32).replace(/(..)(?!$)/g, '$1:')
  return {
    appKey: randomBytes(16).toString('hex'),
    credentials: { issuedAt: isoTime(clock), publicKeyPem, publicKeyFingerprint: fingerprint },
    privateKeyPem,
  }
}

/** Stores the AppKey and public key on the game and "emails" everything to the account. Inside a mutation. */
export function applyCredentials(state: SimState, clock: Clock, game: MiniGame, issued: NewCredentials, to: ConsoleAccount): MailMessage {
  const stored = state.miniGames.find((g) => g.appId === game.appId)!
  stored.appKey = issued.appKey
  stored.credentials = issued.credentials
  return sendMail(state, clock, to, {
    subject: `Certificate and key for ${game.name} (${game.appId})`,
    body: [
      `The superapp issued new credentials for the mini game ${game.name}.`,
      '',
      `AppID:  ${game.appId}`,
      `AppKey: ${issued.appKey}`,
      `Certificate fingerprint (SHA-256): ${issued.credentials.publicKeyFingerprint}`,
      '',
      "Keep the AppKey on your game server only: it signs paySig and verifies each delivery notification's PayEventSig.",
      'The private key is attached and is not kept by the superapp: store it now. Credentials issued before these no longer work.',
    ].join('\n'),
    attachments: [
      { filename: 'app-key.txt', contentType: 'text/plain', content: `${issued.appKey}\n` },
      { filename: 'certificate.pem', contentType: 'application/x-pem-file', content: issued.credentials.publicKeyPem },
      { filename: 'private-key.pem', contentType: 'application/x-pem-file', content: issued.privateKeyPem },
    ],
  })
}
