import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SimulatorError } from '../errors'
import { checkImageStructure, type ImageFormat } from './imageStructure'

/** Item images are small: a payment sheet shows them at 64 px. */
export const MAX_IMAGE_BYTES = 512 * 1024
export const IMAGE_LIMIT_TEXT = '512 KiB'

export const IMAGE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
} as const satisfies Record<ImageFormat, string>
export type ImageExtension = ImageFormat

/** Where uploaded images are served; a stored file name follows it. */
export const UPLOADS_PATH = '/media/uploads'
const FILE_NAME = /^[0-9a-f]{32}\.(png|jpg|webp)$/

/** The format the bytes themselves say (magic numbers), whatever the request claimed. */
export function sniffImage(bytes: Uint8Array): ImageExtension | undefined {
  const starts = (signature: number[], at = 0) => signature.every((byte, i) => bytes[at + i] === byte)
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png'
  if (starts([0xff, 0xd8, 0xff])) return 'jpg'
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp'
  return undefined
}

/**
 * Checks an uploaded image: PNG, JPEG or WebP by its bytes, whole and nothing else (its
 * structure walked to the end: imageStructure.ts), at most 512 KiB, and of the type its
 * content-type header declares. Every refusal is a 400 that says what is wrong.
 */
export function checkImage(bytes: Uint8Array, declaredType: string | undefined): ImageExtension {
  if (bytes.length === 0) throw new SimulatorError('VALIDATION_FAILED', 'the image is empty: send the file as the request body')
  if (bytes.length > MAX_IMAGE_BYTES) {
    throw new SimulatorError('VALIDATION_FAILED', `the image is ${Math.ceil(bytes.length / 1024)} KiB: the limit is ${IMAGE_LIMIT_TEXT}`)
  }
  const format = sniffImage(bytes)
  if (!format) throw new SimulatorError('VALIDATION_FAILED', 'the file is not a PNG, JPEG or WebP image (checked by its content, not its name)')
  const declared = declaredType?.split(';')[0]?.trim().toLowerCase()
  if (declared !== IMAGE_TYPES[format]) {
    throw new SimulatorError('VALIDATION_FAILED', `the body is a ${format.toUpperCase()} image but content-type says "${declared ?? 'nothing'}": send content-type ${IMAGE_TYPES[format]}`)
  }
  const structure = checkImageStructure(bytes, format)
  if (!structure.ok) throw new SimulatorError('VALIDATION_FAILED', `the file is not a valid ${format === 'jpg' ? 'JPEG' : format.toUpperCase()} image: ${structure.problem}`)
  return format
}

/** Uploaded item images. Names are content hashes, so a released version keeps its image when the working copy gets a new one. */
export interface ImageStore {
  /** Stores the image and returns its file name under /media/uploads/. */
  save(bytes: Uint8Array, format: ImageExtension): Promise<string>
  read(fileName: string): Promise<Uint8Array | undefined>
}

export function imageFileName(bytes: Uint8Array, format: ImageExtension): string {
  return `${createHash('sha256').update(bytes).digest('hex').slice(0, 32)}.${format}`
}

export function contentTypeOf(fileName: string): string | undefined {
  const match = FILE_NAME.exec(fileName)
  return match ? IMAGE_TYPES[match[1] as ImageExtension] : undefined
}

/** For `--memory` and tests: images live as long as the process. */
export class MemoryImageStore implements ImageStore {
  private readonly files = new Map<string, Uint8Array>()

  async save(bytes: Uint8Array, format: ImageExtension): Promise<string> {
    const name = imageFileName(bytes, format)
    this.files.set(name, Uint8Array.from(bytes))
    return name
  }

  async read(fileName: string): Promise<Uint8Array | undefined> {
    return FILE_NAME.test(fileName) ? this.files.get(fileName) : undefined
  }
}

/** Images as files under the data folder (`<dataDir>/uploads/`), beside state.json. */
export class FileImageStore implements ImageStore {
  constructor(private readonly dir: string) {}

  async save(bytes: Uint8Array, format: ImageExtension): Promise<string> {
    const name = imageFileName(bytes, format)
    await mkdir(this.dir, { recursive: true })
    // Written aside then renamed, so a reader never sees half a file.
    const temporary = path.join(this.dir, `.${name}.${process.pid}.tmp`)
    await writeFile(temporary, bytes)
    await rename(temporary, path.join(this.dir, name))
    return name
  }

  async read(fileName: string): Promise<Uint8Array | undefined> {
    if (!FILE_NAME.test(fileName)) return undefined
    return readFile(path.join(this.dir, fileName)).catch(() => undefined)
  }
}
