/** `npm run docs`: writes docs/api.md from the zod schemas the routes validate with. */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { renderApiDocs } from '../simulator/src/docs/renderApiDocs'

const target = path.resolve(import.meta.dirname, '../docs/api.md')
writeFileSync(target, renderApiDocs())
console.log(`wrote ${path.relative(process.cwd(), target)}`)
