import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { Low, Memory, type Adapter } from 'lowdb'
import { JSONFile } from 'lowdb/node'

/** One grant of goods, written when the host's delivery notification is accepted. */
export interface Grant {
  outTradeNo: string
  openid: string
  productId: string
  quantity: number
  /** The host's order number, from WeChatPayInfo.MchOrderNo. */
  hostOrderNo?: string
  grantedAt: string
}

/** A refund the host notified: money went back, so the goods go too. */
export interface Revocation {
  /** The host's refund number (WxRefundId): one revocation per refund. */
  refundId: string
  outTradeNo: string
  refundFee: number
  revokedAt: string
}

export interface PendingOrder {
  outTradeNo: string
  openid: string
  productId: string
  quantity: number
  price: number
  createdAt: string
}

export interface SampleGameState {
  orders: PendingOrder[]
  grants: Grant[]
  revocations?: Revocation[]
}

/**
 * The sample game server's own data (what a real game keeps in its database). Grants are
 * keyed by outTradeNo: the same table answers "was this already delivered?", so a grant
 * and the record of it are one write.
 */
export class InventoryStore {
  private constructor(private readonly db: Low<SampleGameState>) {}

  static async open(options: { memory?: boolean; dataDir?: string }): Promise<InventoryStore> {
    let adapter: Adapter<SampleGameState>
    if (options.memory) adapter = new Memory<SampleGameState>()
    else {
      const dir = options.dataDir ?? path.resolve('.superapp-sim')
      await mkdir(dir, { recursive: true })
      adapter = new JSONFile<SampleGameState>(path.join(dir, 'sample-game.json'))
    }
    const db = new Low<SampleGameState>(adapter, { orders: [], grants: [] })
    await db.read()
    return new InventoryStore(db)
  }

  hasGrant(outTradeNo: string): boolean {
    return this.db.data.grants.some((g) => g.outTradeNo === outTradeNo)
  }

  findOrder(outTradeNo: string): PendingOrder | undefined {
    return this.db.data.orders.find((o) => o.outTradeNo === outTradeNo)
  }

  async addOrder(order: PendingOrder): Promise<void> {
    this.db.data.orders.push(order)
    await this.db.write()
  }

  async addGrant(grant: Grant): Promise<void> {
    if (this.hasGrant(grant.outTradeNo)) return
    this.db.data.grants.push(grant)
    await this.db.write()
  }

  hasRevocation(refundId: string): boolean {
    return (this.db.data.revocations ?? []).some((r) => r.refundId === refundId)
  }

  async addRevocation(revocation: Revocation): Promise<void> {
    if (this.hasRevocation(revocation.refundId)) return
    ;(this.db.data.revocations ??= []).push(revocation)
    await this.db.write()
  }

  /** How much of an order's price has been refunded. */
  refundedOf(outTradeNo: string): number {
    return (this.db.data.revocations ?? []).filter((r) => r.outTradeNo === outTradeNo).reduce((sum, r) => sum + r.refundFee, 0)
  }

  grantsOf(openid: string): Grant[] {
    return this.db.data.grants.filter((g) => g.openid === openid)
  }
}
