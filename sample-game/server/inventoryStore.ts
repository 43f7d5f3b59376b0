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
 *
 * The lists are what is stored; every lookup goes through an index built on open and kept
 * with each write, as a database's would be. Scanning the lists instead cost each purchase
 * time in proportion to every order the game had ever signed: after some 15,000 purchases
 * in one process, a purchase took 3.7 times the CPU it took at first (docs/decisions/011,
 * item 8). On disk (not in memory) each write still rewrites the whole file: lowdb's way,
 * and the sample's; a real game keeps this in its database.
 */
export class InventoryStore {
  private readonly orders = new Map<string, PendingOrder>()
  private readonly grants = new Map<string, Grant>()
  private readonly grantsByPlayer = new Map<string, Grant[]>()
  private readonly revocations = new Set<string>()
  private readonly refunded = new Map<string, number>()

  private constructor(private readonly db: Low<SampleGameState>) {
    // The first of two orders with one number wins, as a scan of the list found it.
    for (const order of db.data.orders) if (!this.orders.has(order.outTradeNo)) this.orders.set(order.outTradeNo, order)
    for (const grant of db.data.grants) this.indexGrant(grant)
    for (const revocation of db.data.revocations ?? []) this.indexRevocation(revocation)
  }

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
    return this.grants.has(outTradeNo)
  }

  findOrder(outTradeNo: string): PendingOrder | undefined {
    return this.orders.get(outTradeNo)
  }

  async addOrder(order: PendingOrder): Promise<void> {
    this.db.data.orders.push(order)
    if (!this.orders.has(order.outTradeNo)) this.orders.set(order.outTradeNo, order)
    await this.db.write()
  }

  async addGrant(grant: Grant): Promise<void> {
    if (this.hasGrant(grant.outTradeNo)) return
    this.db.data.grants.push(grant)
    this.indexGrant(grant)
    await this.db.write()
  }

  hasRevocation(refundId: string): boolean {
    return this.revocations.has(refundId)
  }

  async addRevocation(revocation: Revocation): Promise<void> {
    if (this.hasRevocation(revocation.refundId)) return
    ;(this.db.data.revocations ??= []).push(revocation)
    this.indexRevocation(revocation)
    await this.db.write()
  }

  /** How much of an order's price has been refunded. */
  refundedOf(outTradeNo: string): number {
    return this.refunded.get(outTradeNo) ?? 0
  }

  /** A player's grants, oldest first. */
  grantsOf(openid: string): Grant[] {
    return [...(this.grantsByPlayer.get(openid) ?? [])]
  }

  private indexGrant(grant: Grant): void {
    this.grants.set(grant.outTradeNo, grant)
    const ofPlayer = this.grantsByPlayer.get(grant.openid)
    if (ofPlayer) ofPlayer.push(grant)
    else this.grantsByPlayer.set(grant.openid, [grant])
  }

  private indexRevocation(revocation: Revocation): void {
    this.revocations.add(revocation.refundId)
    this.refunded.set(revocation.outTradeNo, this.refundedOf(revocation.outTradeNo) + revocation.refundFee)
  }
}
