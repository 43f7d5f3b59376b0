import { crc32 } from 'node:zlib'

/**
 * Walks an image file's container structure, so that a PNG signature with HTML behind it,
 * or a real image with a page appended, is refused, not only a file whose first bytes are
 * wrong. Nothing is decompressed: a 512 KiB upload cannot make it allocate more than the
 * upload. Why not a library: image-size reads only the header fields it needs (no CRCs, no
 * end marker); pngjs and jpeg-js decode the whole picture (a small PNG can declare
 * 20,000 x 20,000 pixels and make pngjs inflate gigabytes); no pure-JS package checks a
 * WebP's RIFF structure.
 *
 * The rules, from the formats' specifications:
 * - PNG (ISO/IEC 15948, W3C PNG 3rd ed. §5): signature, then chunks of length, type, data
 *   and a CRC-32 over type and data; IHDR first (13 bytes, non-zero size), at least one
 *   IDAT, IEND last (empty) and nothing after it.
 * - JPEG (ITU T.81 Annex B): SOI, marker segments with their lengths, a frame header
 *   (SOFn) before the first scan (SOS), entropy-coded data up to the next marker, EOI last
 *   and nothing after it.
 * - WebP (RFC 9649): "RIFF", a size that is the file's length less 8, "WEBP", then chunks
 *   (FourCC, size, data, padded to even); the first is VP8 (key frame start code
 *   9D 01 2A), VP8L (signature 0x2F) or VP8X (10 bytes, followed by the image's chunks).
 */
export type ImageFormat = 'png' | 'jpg' | 'webp'

/** Width and height when the structure holds, else what is wrong, in words a user can act on. */
export type ImageStructure = { ok: true; width: number; height: number } | { ok: false; problem: string }

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** Checks the structure of bytes already known (by their first bytes) to claim the given format. */
export function checkImageStructure(bytes: Uint8Array, format: ImageFormat): ImageStructure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (format === 'png') return checkPng(bytes, view)
  if (format === 'jpg') return checkJpeg(bytes, view)
  return checkWebp(bytes, view)
}

const refuse = (problem: string): ImageStructure => ({ ok: false, problem })
const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length))

function checkPng(bytes: Uint8Array, view: DataView): ImageStructure {
  if (!PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return refuse('the PNG signature is damaged')
  let at = PNG_SIGNATURE.length
  let size: { width: number; height: number } | undefined
  let imageData = false
  for (let index = 0; ; index++) {
    if (at + 12 > bytes.length) return refuse(`the PNG ends inside a chunk header at byte ${at}, before its IEND chunk: the file is cut short or is not only a PNG`)
    const length = view.getUint32(at)
    const type = ascii(bytes, at + 4, 4)
    if (!/^[A-Za-z]{4}$/.test(type)) return refuse(`the PNG has no valid chunk at byte ${at} (type bytes "${printable(type)}"): the file is not only a PNG`)
    const end = at + 12 + length
    if (length > 0x7fffffff || end > bytes.length) return refuse(`the PNG's ${type} chunk at byte ${at} runs past the end of the file: the file is cut short`)
    const expected = view.getUint32(at + 8 + length)
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== expected) return refuse(`the PNG's ${type} chunk at byte ${at} fails its CRC check: the file is damaged or was altered`)
    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) return refuse(`the PNG's first chunk is ${type}, not a 13-byte IHDR`)
      size = { width: view.getUint32(at + 8), height: view.getUint32(at + 12) }
      if (size.width === 0 || size.height === 0) return refuse(`the PNG says it is ${size.width} x ${size.height} pixels`)
    } else if (type === 'IHDR') return refuse('the PNG has a second IHDR chunk')
    if (type === 'IDAT') imageData = true
    at = end
    if (type === 'IEND') break
  }
  if (!imageData) return refuse('the PNG has no image data (IDAT chunk)')
  if (at !== bytes.length) return refuse(`the PNG has ${bytes.length - at} byte(s) after its IEND chunk: save the image again, without anything appended`)
  return { ok: true, ...size! }
}

// Markers that stand alone, without a length: TEM, RST0..RST7 (SOI and EOI are handled apart).
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)
// Start-of-frame markers: C0..CF except DHT (C4), JPG (C8) and DAC (CC).
const isFrameHeader = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)
const hex = (byte: number) => byte.toString(16).toUpperCase().padStart(2, '0')

function checkJpeg(bytes: Uint8Array, view: DataView): ImageStructure {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return refuse('the JPEG does not start with SOI (FF D8)')
  let at = 2
  let size: { width: number; height: number } | undefined
  let scans = 0
  while (true) {
    if (at + 2 > bytes.length) return refuse(`the JPEG ends at byte ${at} without its end marker (EOI, FF D9): the file is cut short`)
    if (bytes[at] !== 0xff) return refuse(`the JPEG has no marker at byte ${at} (found ${hex(bytes[at]!)}): the file is damaged or not only a JPEG`)
    // Any number of FF fill bytes may precede a marker.
    while (bytes[at + 1] === 0xff && at + 2 < bytes.length) at++
    const marker = bytes[at + 1]!
    if (marker === 0xd9) {
      at += 2
      break
    }
    if (marker === 0x00 || marker === 0xd8) return refuse(`the JPEG has an invalid marker FF ${hex(marker)} at byte ${at}`)
    if (isStandalone(marker)) {
      at += 2
      continue
    }
    if (at + 4 > bytes.length) return refuse(`the JPEG ends inside the FF ${hex(marker)} segment at byte ${at}: the file is cut short`)
    const length = view.getUint16(at + 2)
    const end = at + 2 + length
    if (length < 2 || end > bytes.length) return refuse(`the JPEG's FF ${hex(marker)} segment at byte ${at} runs past the end of the file: the file is cut short`)
    if (isFrameHeader(marker)) {
      if (length < 8) return refuse(`the JPEG's frame header at byte ${at} is too short`)
      size = { height: view.getUint16(at + 5), width: view.getUint16(at + 7) }
      if (size.width === 0) return refuse('the JPEG says it is 0 pixels wide')
    }
    at = end
    if (marker === 0xda) {
      if (!size) return refuse(`the JPEG has a scan (SOS) at byte ${at} before any frame header (SOFn)`)
      scans++
      // Entropy-coded data: FF is followed by 00 (a stuffed FF) or RSTn inside it; any other marker ends it.
      while (at + 1 < bytes.length && !(bytes[at] === 0xff && bytes[at + 1] !== 0x00 && !(bytes[at + 1]! >= 0xd0 && bytes[at + 1]! <= 0xd7))) at++
    }
  }
  if (scans === 0) return refuse('the JPEG has no image data (SOS segment)')
  if (at !== bytes.length) return refuse(`the JPEG has ${bytes.length - at} byte(s) after its end marker (EOI): save the image again, without anything appended`)
  return { ok: true, ...size! }
}

function checkWebp(bytes: Uint8Array, view: DataView): ImageStructure {
  if (bytes.length < 20 || ascii(bytes, 0, 4) !== 'RIFF' || ascii(bytes, 8, 4) !== 'WEBP') return refuse('the WebP does not start with a RIFF WEBP header')
  const riffSize = view.getUint32(4, true)
  if (riffSize + 8 !== bytes.length) {
    return refuse(`the WebP's RIFF header says ${riffSize + 8} bytes but the file has ${bytes.length}: ${riffSize + 8 < bytes.length ? 'something is appended to it' : 'the file is cut short'}`)
  }
  const chunks: { type: string; at: number; length: number }[] = []
  for (let at = 12; at < bytes.length; ) {
    if (at + 8 > bytes.length) return refuse(`the WebP ends inside a chunk header at byte ${at}`)
    const type = ascii(bytes, at, 4)
    const length = view.getUint32(at + 4, true)
    const end = at + 8 + length + (length % 2)
    if (!/^[A-Z0-9 ]{4}$/i.test(type)) return refuse(`the WebP has no valid chunk at byte ${at} (type bytes "${printable(type)}"): the file is not only a WebP`)
    if (end > bytes.length) return refuse(`the WebP's ${type.trim()} chunk at byte ${at} runs past the end of the file: the file is cut short`)
    chunks.push({ type, at: at + 8, length })
    at = end
  }
  const [first] = chunks
  const image = chunks.find((chunk) => chunk.type === 'VP8 ' || chunk.type === 'VP8L')
  if (first?.type === 'VP8X') {
    if (first.length < 10) return refuse('the WebP has a VP8X chunk shorter than 10 bytes')
    const animated = (bytes[first.at]! & 0x02) !== 0
    if (!image && !(animated && chunks.some((chunk) => chunk.type === 'ANMF'))) return refuse('the WebP has a VP8X header but no image chunk (VP8, VP8L or ANMF)')
    const width = 1 + (view.getUint32(first.at + 4, true) & 0xffffff)
    const height = 1 + (view.getUint32(first.at + 7, true) & 0xffffff)
    if (image && !checkBitstreamStart(bytes, image)) return refuse(`the WebP's ${image.type.trim()} chunk does not start like one`)
    return { ok: true, width, height }
  }
  if (!first || first !== image) return refuse(`the WebP's first chunk is ${first ? first.type.trim() : 'missing'}, not VP8, VP8L or VP8X`)
  if (!checkBitstreamStart(bytes, image)) return refuse(`the WebP's ${image.type.trim()} chunk does not start like one`)
  if (image.type === 'VP8L') {
    const bits = view.getUint32(image.at + 1, true)
    return { ok: true, width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) }
  }
  return { ok: true, width: view.getUint16(image.at + 6, true) & 0x3fff, height: view.getUint16(image.at + 8, true) & 0x3fff }
}

/** VP8: a key frame's start code 9D 01 2A at offset 3 (RFC 6386 §9.1); VP8L: the signature byte 0x2F (RFC 9649 §3.6). */
function checkBitstreamStart(bytes: Uint8Array, chunk: { type: string; at: number; length: number }): boolean {
  if (chunk.type === 'VP8L') return chunk.length >= 5 && bytes[chunk.at] === 0x2f
  return chunk.length >= 10 && (bytes[chunk.at]! & 0x01) === 0 && bytes[chunk.at + 3] === 0x9d && bytes[chunk.at + 4] === 0x01 && bytes[chunk.at + 5] === 0x2a
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?')
}
