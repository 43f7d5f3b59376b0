import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STAR_DRIFT_APP_ID } from '@superapp-sim/simulator/fixtures'
import { ConsoleClient } from '../support/console'
import { startStack, type Stack } from '../support/stack'

/**
 * The mailed certificate.pem is a real X.509 certificate for the issued key pair, and the
 * fingerprint the console shows is the one openssl computes over it (issue 17 item 3).
 * openssl is the outside check: nothing here uses the simulator's own X.509 code.
 */
let stack: Stack
let dir: string
beforeAll(async () => {
  stack = await startStack()
  dir = await mkdtemp(path.join(tmpdir(), 'sim-cert-'))
})
afterAll(async () => {
  await stack.close()
  await rm(dir, { recursive: true, force: true })
})

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' }).trim()

describe('the issued certificate', () => {
  it('is an X.509 certificate whose SHA-256 fingerprint (openssl) is the one the console shows, for the mailed private key', async () => {
    const mpadmin = await ConsoleClient.login(stack, 'mpadmin')
    const issued = await mpadmin.post(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config/credentials`)
    expect(issued.status, JSON.stringify(issued.json)).toBe(200)
    const shown = (await mpadmin.get(`/minigames/${STAR_DRIFT_APP_ID}/delivery-config`)).json.credentials
    const mail = (await mpadmin.get('/mailbox')).json.messages[0] as { body: string; attachments: { filename: string; content: string }[] }
    const attachment = (name: string) => mail.attachments.find((a) => a.filename === name)!.content
    const certificateFile = path.join(dir, 'certificate.pem')
    const keyFile = path.join(dir, 'private-key.pem')
    await writeFile(certificateFile, attachment('certificate.pem'))
    await writeFile(keyFile, attachment('private-key.pem'))

    expect(attachment('certificate.pem')).toMatch(/^-----BEGIN CERTIFICATE-----\n/)
    // openssl prints "sha256 Fingerprint=AB:CD:…" (32 bytes, upper-case hex, colon-separated).
    const fingerprint = openssl('x509', '-in', certificateFile, '-noout', '-fingerprint', '-sha256').replace(/^sha256 Fingerprint=/i, '')
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(shown.certificateFingerprint).toBe(fingerprint)
    expect(mail.body).toContain(fingerprint)

    // The certificate's key is the mailed private key's.
    const certificateKey = openssl('x509', '-in', certificateFile, '-noout', '-pubkey')
    const privateKeysPublicHalf = openssl('pkey', '-in', keyFile, '-pubout')
    expect(certificateKey).toBe(privateKeysPublicHalf)

    // A validity period that starts at issue and lasts a year, as the console shows it.
    const notBefore = Date.parse(openssl('x509', '-in', certificateFile, '-noout', '-startdate').replace('notBefore=', ''))
    const notAfter = Date.parse(openssl('x509', '-in', certificateFile, '-noout', '-enddate').replace('notAfter=', ''))
    expect(Math.abs(notBefore - Date.parse(shown.issuedAt))).toBeLessThan(1000)
    expect(notAfter - notBefore).toBe(365 * 24 * 3600 * 1000)
    expect(Date.parse(shown.validUntil)).toBe(notAfter)
    expect(openssl('x509', '-in', certificateFile, '-noout', '-subject')).toContain(`CN = ${STAR_DRIFT_APP_ID}`)
    // Self-signed: it verifies against itself.
    expect(openssl('verify', '-CAfile', certificateFile, '-check_ss_sig', certificateFile)).toContain('OK')
  })
})
