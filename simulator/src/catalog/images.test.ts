import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { SimulatorError } from '../errors'
import { checkImage } from './images'

/**
 * Real images made by encoders that are not ours (Chromium's canvas encoders; the 1x1
 * lossy and lossless WebPs Modernizr uses to detect WebP support), and polyglots built
 * from them.
 */
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/images/${name}`, import.meta.url))
const PNG = fixture('chromium.png')
const JPEG = fixture('chromium.jpg')
const WEBP_VP8X = fixture('chromium-vp8x.webp')
const WEBP_ALPHA = fixture('chromium-alpha.webp')
const WEBP_VP8 = fixture('lossy-vp8.webp')
const WEBP_VP8L = fixture('lossless-vp8l.webp')
const HTML = Buffer.from('<html><script>alert(document.cookie)</script></html>')

function refusal(bytes: Uint8Array, type: string): string {
  try {
    checkImage(bytes, type)
  } catch (error) {
    expect(error).toBeInstanceOf(SimulatorError)
    expect((error as SimulatorError).code).toBe('VALIDATION_FAILED')
    return (error as SimulatorError).message
  }
  throw new Error('the image was accepted')
}

/** A PNG chunk with its CRC, as an encoder writes it. */
function pngChunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  const frame = Buffer.alloc(12 + data.length)
  frame.writeUInt32BE(data.length, 0)
  body.copy(frame, 4)
  frame.writeUInt32BE(crc32(body), 8 + data.length)
  return frame
}

/** A RIFF WebP whose header size is right for the given chunks. */
function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WEBP'), ...chunks])
  const header = Buffer.alloc(8)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(body.length, 4)
  return Buffer.concat([header, body])
}

describe('item image structure', () => {
  it.each([
    ['a PNG', PNG, 'image/png', 'png'],
    ['a JPEG', JPEG, 'image/jpeg', 'jpg'],
    ['a WebP with VP8X and an ICC profile', WEBP_VP8X, 'image/webp', 'webp'],
    ['a WebP with alpha', WEBP_ALPHA, 'image/webp', 'webp'],
    ['a simple lossy WebP (VP8)', WEBP_VP8, 'image/webp', 'webp'],
    ['a lossless WebP (VP8L)', WEBP_VP8L, 'image/webp', 'webp'],
  ])('accepts %s made by another encoder', (_name, bytes, type, format) => {
    expect(checkImage(bytes, type)).toBe(format)
  })

  it('refuses the PNG signature followed by HTML (the audit finding)', () => {
    expect(refusal(Buffer.concat([PNG.subarray(0, 8), HTML]), 'image/png')).toMatch(/not a valid PNG image: the PNG has no valid chunk at byte 8/)
  })

  it('refuses a PNG whose IHDR is followed by HTML instead of more chunks', () => {
    const ihdr = PNG.subarray(8, 33)
    expect(refusal(Buffer.concat([PNG.subarray(0, 8), ihdr, HTML]), 'image/png')).toMatch(/no valid chunk at byte 33/)
  })

  it('refuses a real PNG with HTML appended after IEND', () => {
    expect(refusal(Buffer.concat([PNG, HTML]), 'image/png')).toMatch(/has 52 byte\(s\) after its IEND chunk: save the image again/)
  })

  it('refuses HTML hidden in a chunk whose CRC no longer matches, and a PNG cut short', () => {
    const altered = Buffer.from(PNG)
    altered[50] = altered[50]! ^ 0xff
    expect(refusal(altered, 'image/png')).toMatch(/IDAT chunk at byte 33 fails its CRC check/)
    expect(refusal(PNG.subarray(0, PNG.length - 12), 'image/png')).toMatch(/before its IEND chunk: the file is cut short/)
  })

  it('refuses a PNG built chunk by chunk without image data, or with IHDR out of place', () => {
    const ihdr = PNG.subarray(8, 33)
    const iend = pngChunk('IEND', new Uint8Array())
    expect(refusal(Buffer.concat([PNG.subarray(0, 8), ihdr, iend]), 'image/png')).toMatch(/no image data \(IDAT chunk\)/)
    const text = pngChunk('tEXt', Buffer.from(`Comment\0${HTML}`))
    expect(refusal(Buffer.concat([PNG.subarray(0, 8), text, ihdr, iend]), 'image/png')).toMatch(/first chunk is tEXt, not a 13-byte IHDR/)
  })

  it('refuses the JPEG start followed by HTML, a JPEG cut short and one with HTML after EOI', () => {
    expect(refusal(Buffer.concat([JPEG.subarray(0, 3), HTML]), 'image/jpeg')).toMatch(/not a valid JPEG image/)
    expect(refusal(JPEG.subarray(0, JPEG.length - 2), 'image/jpeg')).toMatch(/without its end marker \(EOI, FF D9\)/)
    expect(refusal(Buffer.concat([JPEG, HTML]), 'image/jpeg')).toMatch(/52 byte\(s\) after its end marker \(EOI\)/)
  })

  it('refuses a JPEG with a segment length past the end, or only SOI and EOI', () => {
    expect(refusal(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x7f, 0xff, 0x00, 0x00, 0xff, 0xd9]), 'image/jpeg')).toMatch(/FF E0 segment at byte 2 runs past the end/)
    expect(refusal(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg')).toMatch(/no image data \(SOS segment\)/)
  })

  it('refuses a WebP with HTML appended, a RIFF size that lies, and an unknown first chunk', () => {
    expect(refusal(Buffer.concat([WEBP_VP8, HTML]), 'image/webp')).toMatch(/RIFF header says 42 bytes but the file has 94: something is appended/)
    expect(refusal(WEBP_VP8X.subarray(0, 100), 'image/webp')).toMatch(/says 842 bytes but the file has 100: the file is cut short/)
    const html = Buffer.concat([Buffer.from('HTML'), Buffer.from([HTML.length, 0, 0, 0]), HTML])
    expect(refusal(riff(html), 'image/webp')).toMatch(/first chunk is HTML, not VP8, VP8L or VP8X/)
  })

  it('refuses a WebP whose VP8 chunk does not hold a VP8 key frame, or a VP8X without an image', () => {
    const fakeVp8 = Buffer.concat([Buffer.from('VP8 '), Buffer.from([HTML.length, 0, 0, 0]), HTML])
    expect(refusal(riff(fakeVp8), 'image/webp')).toMatch(/VP8 chunk does not start like one/)
    const vp8x = WEBP_VP8X.subarray(12, 12 + 18)
    expect(refusal(riff(Buffer.from(vp8x)), 'image/webp')).toMatch(/VP8X header but no image chunk/)
  })
})
