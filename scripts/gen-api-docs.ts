/** `npm run docs`: writes docs/api.md, docs/openapi.json and docs/permissions.md from the code (route definitions, zod schemas, the permission table). */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderApiDocs, renderOpenApiDocument, renderPermissionsDoc } from '../simulator/src/docs/renderApiDocs'

for (const [file, render] of [['api.md', renderApiDocs], ['openapi.json', renderOpenApiDocument], ['permissions.md', renderPermissionsDoc]] as const) {
  const target = path.resolve(import.meta.dirname, '../docs', file)
  writeFileSync(target, render())
  console.log(`wrote ${path.relative(process.cwd(), target)}`)
}
