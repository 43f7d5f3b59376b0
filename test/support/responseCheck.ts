/**
 * Vitest setup (vitest.config.ts setupFiles): every JSON answer a route defined with a
 * response schema gives during a test is checked against that schema, and a test during
 * which one did not fit (a field missing or of another type, or a field the schema does not
 * describe) fails, naming the route and the field. So the response schemas the docs and the
 * console's types come from describe what the handlers really answer, for every call the
 * tests make.
 */
import { afterEach, expect } from 'vitest'
import { checkResponses, type ResponseMismatch } from '../../simulator/src/http/routeDefinition'

const mismatches: ResponseMismatch[] = []
checkResponses((mismatch) => mismatches.push(mismatch))

afterEach(() => {
  const found = mismatches.splice(0)
  expect(found, "answers that do not fit their route's response schema").toEqual([])
})
