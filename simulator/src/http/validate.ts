import { z } from 'zod'
import { SimulatorError } from '../errors'

/** Parses client input with a zod schema; a failure is a 400 naming the fields, never a 500. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(input)
  if (!result.success) {
    throw new SimulatorError('VALIDATION_FAILED', `invalid ${what}: ${z.prettifyError(result.error).replaceAll('\n', ' ')}`)
  }
  return result.data
}
