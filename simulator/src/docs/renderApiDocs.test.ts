import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONSOLE_ENDPOINTS } from './apiCatalog'
import { renderApiDocs, renderOpenApi, renderOpenApiDocument, renderPermissionsDoc } from './renderApiDocs'

const docs = (file: string) => readFileSync(path.resolve(import.meta.dirname, '../../../docs', file), 'utf8')

describe('generated docs', () => {
  it('docs/api.md is what `npm run docs` generates from the current schemas (run it after changing a route)', () => {
    expect(docs('api.md')).toBe(renderApiDocs())
  })

  it('docs/openapi.json is what `npm run docs` generates from the route definitions and schemas', () => {
    expect(docs('openapi.json')).toBe(renderOpenApiDocument())
  })

  it('docs/permissions.md is what `npm run docs` generates from the permission table', () => {
    expect(docs('permissions.md')).toBe(renderPermissionsDoc())
  })

  it('the OpenAPI document has every console endpoint, with its capability and request schema', () => {
    const openapi = renderOpenApi() as { paths: Record<string, Record<string, { 'x-capability'?: string; requestBody?: unknown }>> }
    for (const endpoint of CONSOLE_ENDPOINTS) {
      const operation = openapi.paths[endpoint.path.replace('/console/api/v1', '')]?.[endpoint.method.toLowerCase()]
      expect(operation, `${endpoint.method} ${endpoint.path}`).toBeDefined()
      expect(operation!['x-capability']).toBe(endpoint.capability)
      expect(Boolean(operation!.requestBody)).toBe(Boolean(endpoint.body ?? endpoint.upload))
    }
  })
})
