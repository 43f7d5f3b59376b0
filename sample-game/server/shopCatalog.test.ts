import { describe, expect, it } from 'vitest'
import type { CatalogSource, ReleasedItem } from './consoleCatalog'
import { readExport } from './consoleCatalog'
import { ShopCatalog } from './shopCatalog'

const sword: ReleasedItem = { productId: 'golden_sword', name: 'Sword II', price: 349, imageUrl: 'http://sim/media/s.png', description: 'Sharper' }
const crown: ReleasedItem = { productId: 'crown', name: 'Crown', price: 1299, imageUrl: '', description: '' }

function source(answers: (ReleasedItem[] | Error)[]): CatalogSource & { calls: number } {
  const fake = {
    calls: 0,
    async fetchReleased() {
      const answer = answers[Math.min(fake.calls++, answers.length - 1)]!
      if (answer instanceof Error) throw answer
      return answer
    },
  }
  return fake
}

describe('ShopCatalog', () => {
  it("lays the host's released versions over the game's own list and appends items only the console has", async () => {
    const catalog = new ShopCatalog(source([[sword, crown]]), () => {})
    await catalog.refresh()
    const items = catalog.list()
    expect(items.find((i) => i.productId === 'golden_sword')).toMatchObject({ name: 'Sword II', price: 349, color: '#ffc83d', released: true })
    expect(items.find((i) => i.productId === 'gem_chest')).toMatchObject({ price: 499, released: false })
    expect(items.at(-1)).toMatchObject({ productId: 'crown', released: true })
    expect(items.at(-1)!.color).toMatch(/^#[0-9a-f]{6}$/)
  })

  it('keeps the last good catalog when a refresh fails, and logs the outage once', async () => {
    const logs: string[] = []
    const catalog = new ShopCatalog(source([[sword], new Error('down'), new Error('down')]), (m) => logs.push(m))
    await catalog.refresh()
    await catalog.refresh()
    await catalog.refresh()
    expect(catalog.find('golden_sword')!.price).toBe(349)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toContain('down')
  })

  it('shares one read between refreshes that overlap', async () => {
    const fake = source([[sword]])
    const catalog = new ShopCatalog(fake, () => {})
    await Promise.all([catalog.refresh(), catalog.refresh(), catalog.refresh()])
    expect(fake.calls).toBe(1)
  })
})

describe('readExport', () => {
  it("reads the console's CSV export and makes the simulator's image paths absolute", () => {
    const csv = '\uFEFFProduct ID,Name,Price (minor units),Image URL,Description\r\ngolden_sword,"Sword, Golden",299,/media/items/golden_sword.svg,x\r\n'
    expect(readExport(csv, 'http://127.0.0.1:7070')).toEqual([
      { productId: 'golden_sword', name: 'Sword, Golden', price: 299, imageUrl: 'http://127.0.0.1:7070/media/items/golden_sword.svg', description: 'x' },
    ])
  })

  it('refuses an export whose columns changed, rather than sell at a wrong price', () => {
    expect(() => readExport('Product ID,Price\r\na,1\r\n', 'http://sim')).toThrow(/unexpected export header/)
    expect(() => readExport('Product ID,Name,Price (minor units),Image URL,Description\r\na,A,cheap,,\r\n', 'http://sim')).toThrow()
  })
})
