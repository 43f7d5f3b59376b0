import { randomBytes } from 'node:crypto'
import { isoTime, type Clock } from '../clock'
import type { ConsoleAccount, IssuedCredentials, MailMessage, MiniGame, SimState } from '../store/model'
import { sendMail } from './mailbox'

export interface NewCredentials {
  appKey: string
  credentials: IssuedCredentials
  privateKeyPem: string
}

/** How long an issued certificate is valid: SAS publishes no period; a year is the simulator's choice. */
export const CERTIFICATE_VALIDITY_DAYS = 365

const ES256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const

/**
 * Issues what the first save of the delivery configuration requests from the superapp:
 * the AppKey (HMAC key of paySig and PayEventSig) and a self-signed X.509 certificate
 * (ES256, P-256) for a fresh key pair, valid for a year from now on the simulator's clock.
 * The fingerprint is SHA-256 over the certificate's DER, written as openssl prints it
 * (`openssl x509 -noout -fingerprint -sha256`). Generated outside the store mutation (key
 * generation is async).
 */
export async function generateCredentials(clock: Clock, game: Pick<MiniGame, 'appId' | 'name'>): Promise<NewCredentials> {
  // Loaded when credentials are issued (seeding, the console), not at every start-up.
  // @peculiar/x509 builds the certificate (ASN.1 by a well-kept library, not by hand); its
  // dependency injection (tsyringe) needs the Reflect metadata polyfill loaded first.
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  const keys = await crypto.subtle.generateKey(ES256, true, ['sign', 'verify'])
  const notBefore = new Date(Math.floor(clock.now() / 1000) * 1000)
  const notAfter = new Date(notBefore.getTime() + CERTIFICATE_VALIDITY_DAYS * 24 * 3600 * 1000)
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // 16 random bytes with the top bit clear: a positive serial number, as RFC 5280 asks.
    serialNumber: (randomBytes(16)[0]! & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex'),
    name: [{ CN: [game.appId] }, { O: [`${game.name} (superapp-pay-sim)`] }],
    notBefore,
    notAfter,
    signingAlgorithm: ES256,
    keys,
    extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true)],
  })
  const thumbprint = Buffer.from(await certificate.getThumbprint('SHA-256'))
  const privateKeyPem = x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY')
  return {
    appKey: randomBytes(16).toString('hex'),
    credentials: {
      issuedAt: isoTime(clock),
      certificatePem: certificate.toString('pem'),
      certificateFingerprint: thumbprint.toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:'),
      validUntil: notAfter.toISOString(),
    },
    privateKeyPem: `${privateKeyPem.trim()}\n`,
  }
}

/** Stores the AppKey and certificate on the game and "emails" everything to the account. Inside a mutation. */
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
      `Certificate fingerprint (SHA-256): ${issued.credentials.certificateFingerprint}`,
      `Certificate valid until: ${issued.credentials.validUntil}`,
      '',
      "Keep the AppKey on your game server only: it signs paySig and verifies each delivery notification's PayEventSig.",
      'The private key is attached and is not kept by the superapp: store it now. Credentials issued before these no longer work.',
    ].join('\n'),
    attachments: [
      { filename: 'app-key.txt', contentType: 'text/plain', content: `${issued.appKey}\n` },
      { filename: 'certificate.pem', contentType: 'application/x-pem-file', content: `${issued.credentials.certificatePem.trim()}\n` },
      { filename: 'private-key.pem', contentType: 'application/x-pem-file', content: issued.privateKeyPem },
    ],
  })
}
