/**
 * Reading the data folder: a value checked against its stored schema (schema.ts), and the
 * error for a file that cannot be read. Apart from schema.ts, which holds only the shapes, so
 * the shapes can be shared with the API's response schemas without the server's error class.
 */
import type { z } from 'zod'
import { SimulatorError } from '../errors'

/**
 * Checks `value` against `schema`; a mismatch is an error that names the file, the record
 * and the field, and says what to do.
 */
export function parseStored<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = issue.path.length ? issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '') : '(the whole value)'
  throw storedDataError(`${where}: ${field}: ${issue.message}`)
}

/** A file of the data folder that cannot be read: what is wrong, and what to do. */
export function storedDataError(problem: string): SimulatorError {
  return new SimulatorError('STORED_DATA', `${problem}. The file is damaged or was not written by this simulator: restore it from a backup, or start on an empty --data-dir`)
}
