/**
 * Every relative link in the README, the package READMEs and docs/ resolves to a file of
 * the repository (users have no folder beside their clone), and every `#anchor` into a
 * Markdown file names one of its headings.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../scripts/artefacts.mjs'

const documents = ['README.md', 'game-sdk/README.md', 'simulator/README.md', ...readdirSync(path.join(REPO_ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')
const anchorsOf = (file: string) => new Set(readFileSync(file, 'utf8').split('\n').filter((line) => /^#{1,6} /.test(line)).map((line) => anchorOf(line.replace(/^#+ /, ''))))

describe('documentation links', () => {
  it.each(documents)('%s: every relative link resolves inside the repository', (document) => {
    const text = readFileSync(path.join(REPO_ROOT, document), 'utf8').replace(/```[\s\S]*?```/g, '')
    const broken: string[] = []
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue
      const [file, anchor] = target!.split('#') as [string, string | undefined]
      const resolved = file ? path.resolve(path.dirname(path.join(REPO_ROOT, document)), file) : path.join(REPO_ROOT, document)
      if (!resolved.startsWith(REPO_ROOT) || !existsSync(resolved)) broken.push(`${target} (no such file)`)
      else if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) broken.push(`${target} (no such heading)`)
    }
    expect(broken).toEqual([])
  })
})
