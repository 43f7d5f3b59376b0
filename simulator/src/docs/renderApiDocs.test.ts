import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderApiDocs } from './renderApiDocs'

describe('docs/api.md', () => {
  it('is what `npm run docs` generates from the current schemas (run it after changing a route)', () => {
    const onDisk = readFileSync(path.resolve(import.meta.dirname, '../../../docs/api.md'), 'utf8')
    expect(onDisk).toBe(renderApiDocs())
  })
})
