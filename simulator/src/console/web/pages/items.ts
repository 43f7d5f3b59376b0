/**
 * Commercialization > Virtual payment > Virtual item management (seed section 3): the item
 * list with state badges, add/edit with an image preview, the Excel template, import with
 * its per-row report, export, release/remove for the selected rows, and the seed's "enable
 * notification" switch (section 2.1 puts it here; Basic configuration has it too). Each control shows
 * only to roles holding its capability; the server refuses the rest anyway.
 */
import { html, nothing } from 'lit-html'
import {
  api,
  errorMessage,
  ImportRefused,
  itemsApi,
  saveFile,
  type DeliveryConfig,
  type DownloadedFile,
  type ImportReport,
  type ItemPage,
  type ItemState,
  type MiniGame,
  type VirtualItem,
} from '../api'
import { dataTable, type Column } from '../components/dataTable'
import { exportButtons, exportedNotice } from '../components/exportButtons'
import { filterBar } from '../components/filterBar'
import { gamePicker } from '../components/gamePicker'
import { emptyState, errorAlert, loading, successNotice } from '../components/messages'
import { pager } from '../components/pager'
import { tabs } from '../components/tabs'
import type { Ctx, Page } from '../context'

const PATH = '/virtual-payment/items'
const PAGE_SIZE = 50
type Tab = ItemState | 'all'
const TABS: Tab[] = ['all', 'draft', 'pending_release', 'released', 'removed']
const STATE_LABEL: Record<ItemState, string> = { draft: 'Draft', pending_release: 'Pending release', released: 'Released', removed: 'Removed' }
const FIELD_LABEL: Record<VirtualItem['unreleasedChanges'][number], string> = { name: 'name', price: 'price', imageUrl: 'image', description: 'description' }
/** What the server takes; checked here too so a wrong file is refused before it is sent. */
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp']
const MAX_IMAGE_BYTES = 512 * 1024

interface ItemForm {
  mode: 'add' | 'edit'
  original?: VirtualItem
  productId: string
  name: string
  price: string
  imageUrl: string
  description: string
  file?: File
  /** An object URL of the chosen file, for the preview. */
  filePreview?: string
  /** Why the chosen file cannot be used: Save refuses until another is chosen, rather than saving without it. */
  imageProblem?: string
  error: string
  busy: boolean
}

interface ImportState {
  file?: File
  validRowsOnly: boolean
  updateExisting: boolean
  busy: boolean
  report?: ImportReport
  /** Set when the whole import was refused. */
  refused?: string
}

const formatPrice = (minor: number) => `${minor} (${(minor / 100).toFixed(2)})`

type ImportError = ImportReport['errors'][number]
const IMPORT_ERROR_COLUMNS: Column<ImportError>[] = [
  { header: 'Row', cell: (e) => e.row ?? html`<span class="muted">file</span>` },
  { header: 'Column', cell: (e) => e.column ?? '' },
  { header: 'Cell', cell: (e) => html`<code>${e.cell ?? ''}</code>` },
  { header: 'Problem', cell: (e) => e.message },
]

export function itemsPage(ctx: Ctx): Page {
  const wantedAppId = ctx.route.params.get('appId')
  let games: MiniGame[] | undefined
  let game: MiniGame | undefined
  let loadError = ''
  let tab: Tab = 'all'
  let search = ''
  let pageNo = 1
  let list: ItemPage | undefined
  let listError = ''
  const selected = new Set<string>()
  let form: ItemForm | undefined
  let importing: ImportState = { validRowsOnly: false, updateExisting: false, busy: false }
  let notice = ''
  let actionError = ''
  let busy = false
  /** An inline confirmation, so nothing depends on window.confirm. */
  let confirming: { kind: 'remove'; productIds: string[] } | { kind: 'delete'; productId: string } | undefined
  let searchTimer: ReturnType<typeof setTimeout> | undefined
  /** The game's delivery configuration, for the notification switch (undefined while loading or without deliveryConfig.view). */
  let delivery: DeliveryConfig | undefined
  let notificationsBusy = false

  async function load(): Promise<void> {
    try {
      games = (await api.miniGames()).miniGames
      game = games.find((g) => g.appId === wantedAppId) ?? games[0]
      loadError = ''
    } catch (error) {
      loadError = errorMessage(error)
    }
    ctx.update()
    await Promise.all([loadItems(), loadDelivery()])
  }

  async function loadDelivery(): Promise<void> {
    if (!game || !ctx.can('deliveryConfig.view')) return
    try {
      delivery = await api.deliveryConfig(game.appId)
    } catch (error) {
      actionError = errorMessage(error)
    }
    ctx.update()
  }

  async function switchNotifications(enabled: boolean): Promise<void> {
    if (!game || notificationsBusy) return
    notificationsBusy = true
    clearMessages()
    ctx.update()
    try {
      delivery = await api.switchNotifications(game.appId, enabled)
      notice = enabled ? 'Delivery notifications are enabled.' : 'Delivery notifications are disabled: paid orders are not sent to your server until you enable them again.'
    } catch (error) {
      actionError = errorMessage(error)
      await loadDelivery()
    }
    notificationsBusy = false
    ctx.update()
  }

  /** Seed 2.1: "After the delivery notification configuration is completed, enable notification on the Virtual item management page." */
  function notificationSwitch() {
    if (!delivery) return nothing
    const current = delivery
    const state = html`<strong data-testid="items-notifications-state">${current.notificationsEnabled ? 'Enabled' : 'Disabled'}</strong>`
    return html`<section class="card row" data-testid="items-notifications">
      <span>Item delivery notifications: ${state}</span>
      ${ctx.can('deliveryConfig.configure')
        ? html`<label class="check"
            ><input
              type="checkbox"
              data-testid="items-notifications-toggle"
              .checked=${current.notificationsEnabled}
              ?disabled=${notificationsBusy || (!current.url && !current.notificationsEnabled)}
              @change=${(e: Event) => void switchNotifications((e.target as HTMLInputElement).checked)}
            />
            Enable notification</label
          >`
        : nothing}
      ${current.url ? nothing : html`<span class="hint">Configure the delivery notification URL in Basic configuration first.</span>`}
    </section>`
  }

  async function loadItems(): Promise<void> {
    if (!game) return
    const appId = game.appId
    const wanted = { state: tab === 'all' ? undefined : tab, q: search.trim() || undefined, page: pageNo, pageSize: PAGE_SIZE }
    try {
      const result = await itemsApi.list(appId, wanted)
      // A newer tab, search or page was chosen meanwhile: its own load will answer.
      if (wanted.page !== pageNo || wanted.q !== (search.trim() || undefined) || (wanted.state ?? 'all') !== tab) return
      list = result
      listError = ''
      for (const id of [...selected]) if (!result.items.some((i) => i.productId === id)) selected.delete(id)
    } catch (error) {
      listError = errorMessage(error)
    }
    ctx.update()
  }

  function clearMessages(): void {
    notice = ''
    actionError = ''
  }

  /** Runs one action at a time, shows its outcome, then reloads the list. */
  async function act(action: () => Promise<string>): Promise<void> {
    if (busy) return
    busy = true
    clearMessages()
    ctx.update()
    try {
      notice = await action()
      confirming = undefined
    } catch (error) {
      actionError = errorMessage(error)
    }
    busy = false
    ctx.update()
    await loadItems()
  }

  function openForm(item?: VirtualItem): void {
    clearMessages()
    releasePreview()
    form = item
      ? { mode: 'edit', original: item, productId: item.productId, name: item.name, price: String(item.price), imageUrl: item.imageUrl, description: item.description, error: '', busy: false }
      : { mode: 'add', productId: '', name: '', price: '', imageUrl: '', description: '', error: '', busy: false }
    ctx.update()
  }

  function releasePreview(): void {
    if (form?.filePreview) URL.revokeObjectURL(form.filePreview)
  }

  function closeForm(): void {
    releasePreview()
    form = undefined
    ctx.update()
  }

  function chooseImage(file: File | undefined): void {
    if (!form) return
    releasePreview()
    form.file = undefined
    form.filePreview = undefined
    form.imageProblem = undefined
    if (file) {
      if (!IMAGE_TYPES.includes(file.type)) form.imageProblem = 'The image must be a PNG, JPEG or WebP file: choose another.'
      else if (file.size > MAX_IMAGE_BYTES) form.imageProblem = `The image is ${Math.ceil(file.size / 1024)} KiB: the limit is 512 KiB. Choose a smaller one.`
      else {
        form.file = file
        form.filePreview = URL.createObjectURL(file)
      }
    }
    form.error = form.imageProblem ?? ''
    ctx.update()
  }

  /**
   * One step, all or nothing: a chosen image is sent first and checked on its own (a refused
   * one changes nothing), then the item is written once with its imageUrl. On any refusal the
   * form stays open with the reason and the list is reloaded, so both show what is stored.
   */
  async function saveForm(): Promise<void> {
    if (!game || !form || form.busy) return
    const current = form
    if (current.imageProblem) {
      current.error = current.imageProblem
      ctx.update()
      return
    }
    const price = Number(current.price.trim())
    if (!/^\d+$/.test(current.price.trim()) || price <= 0) {
      current.error = 'The price is a whole number of minor units above 0 (299 for 2.99).'
      ctx.update()
      return
    }
    current.busy = true
    current.error = ''
    ctx.update()
    try {
      const imageUrl = current.file ? (await itemsApi.uploadImage(game.appId, current.file)).imageUrl : current.imageUrl.trim()
      const fields = { name: current.name.trim(), price, imageUrl, description: current.description.trim() }
      let item: VirtualItem
      if (current.mode === 'add') {
        item = (await itemsApi.add(game.appId, { productId: current.productId.trim(), ...fields })).item
      } else {
        const original = current.original!
        const changes = Object.fromEntries(Object.entries(fields).filter(([key, value]) => original[key as keyof typeof fields] !== value))
        item = Object.keys(changes).length ? (await itemsApi.edit(game.appId, original.productId, changes)).item : original
      }
      notice = current.mode === 'add' ? `Added ${item.productId} as a draft.` : `Saved ${item.productId}.${item.unreleasedChanges.length ? ' Release it for players to see the change.' : ''}`
      closeForm()
    } catch (error) {
      current.busy = false
      current.error = errorMessage(error)
      ctx.update()
    }
    await loadItems()
  }

  async function runImport(): Promise<void> {
    if (!game || !importing.file || importing.busy) return
    const current = importing
    current.busy = true
    current.report = undefined
    current.refused = undefined
    clearMessages()
    ctx.update()
    try {
      current.report = (await itemsApi.import(game.appId, current.file!, current)).report
    } catch (error) {
      if (error instanceof ImportRefused) {
        current.report = error.report
        current.refused = error.message
      } else current.refused = errorMessage(error)
    }
    current.busy = false
    ctx.update()
    await loadItems()
  }

  const selectedIds = () => [...selected]

  function turnPage(by: -1 | 1): void {
    pageNo += by
    void loadItems()
  }

  function cancelConfirm(): void {
    confirming = undefined
    ctx.update()
  }

  function download(fetchFile: () => Promise<DownloadedFile>, done: string): Promise<void> {
    return act(async () => {
      saveFile(await fetchFile())
      return done
    })
  }

  function release(): Promise<void> {
    const productIds = selectedIds()
    return act(async () => {
      const outcome = await itemsApi.release(game!.appId, productIds)
      selected.clear()
      return outcome.approval
        ? `Release of ${productIds.join(', ')} sent to the superapp for approval (${outcome.approval.id}).`
        : `Released ${productIds.join(', ')}: players can buy ${productIds.length === 1 ? 'it' : 'them'} now.`
    })
  }

  function toolbar() {
    return html`<div class="row items-toolbar">
      ${ctx.can('items.edit') ? html`<button class="primary" data-testid="items-add" @click=${() => openForm()}>Add virtual item</button>` : nothing}
      ${ctx.can('items.downloadTemplate')
        ? html`<button class="secondary" data-testid="items-template" ?disabled=${busy} @click=${() => void download(() => itemsApi.template(game!.appId), 'Template downloaded.')}>
            Download template
          </button>`
        : nothing}
      ${exportButtons({
        testIdPrefix: 'items',
        disabled: busy,
        onExport: (format) => void download(() => itemsApi.export(game!.appId, format, filterOf()), exportedNotice(format)),
      })}
    </div>`
  }

  const filterOf = () => ({ state: tab === 'all' ? undefined : tab, q: search.trim() || undefined })

  function importSection() {
    if (!ctx.can('items.edit')) return nothing
    const current = importing
    const report = current.report
    return html`<section class="card" data-testid="import-section">
      <header class="card-head"><h2>Import virtual items</h2></header>
      <p class="muted">Fill in the template (one item per row, prices in minor units) and import it, or import an export (.xlsx or CSV). Every row is checked; if any row fails, nothing is imported unless you import the valid rows only.</p>
      <div class="row">
        <input
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,.csv,text/csv"
          data-testid="items-import-file"
          @change=${(e: Event) => {
            current.file = (e.target as HTMLInputElement).files?.[0]
            current.report = undefined
            current.refused = undefined
            ctx.update()
          }}
        />
        <label class="check"
          ><input type="checkbox" data-testid="items-import-valid-only" .checked=${current.validRowsOnly} @change=${(e: Event) => (current.validRowsOnly = (e.target as HTMLInputElement).checked)} />
          Import the valid rows only</label
        >
        <label class="check"
          ><input type="checkbox" data-testid="items-import-update" .checked=${current.updateExisting} @change=${(e: Event) => (current.updateExisting = (e.target as HTMLInputElement).checked)} />
          Update items that already exist</label
        >
        <button class="primary" data-testid="items-import-submit" ?disabled=${!current.file || current.busy} @click=${() => void runImport()}>
          ${current.busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      ${report ? nothing : errorAlert(current.refused ?? '', 'import-refused')}
      ${report
        ? html`<div class="result" data-testid="import-report">
            ${current.refused
              ? errorAlert(current.refused, 'import-refused')
              : html`<p class="success" data-testid="import-summary">
                  Imported: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged${report.errors.length ? `, ${report.errors.length} error(s) not imported` : ''}.
                </p>`}
            ${report.skipped.map((s) => html`<p class="hint">Row ${s.row} skipped: ${s.reason}.</p>`)}
            ${report.errors.length
              ? dataTable({ className: 'import-errors', columns: IMPORT_ERROR_COLUMNS, rows: report.errors, rowTestId: () => 'import-error' })
              : nothing}
          </div>`
        : nothing}
    </section>`
  }

  function formView() {
    if (!form) return nothing
    const current = form
    const preview = current.filePreview ?? current.imageUrl.trim()
    const released = current.original?.released
    return html`<form
      class="form item-form"
      data-testid="item-form"
      @submit=${(e: Event) => {
        e.preventDefault()
        void saveForm()
      }}
    >
      <h2>${current.mode === 'add' ? 'Add virtual item' : `Edit ${current.productId}`}</h2>
      ${released
        ? html`<p class="hint">On sale: ${released.name} at ${formatPrice(released.price)}. Changes reach players only once released again.</p>`
        : nothing}
      <label class="stack"
        >Product ID
        <input
          type="text"
          data-testid="item-form-product-id"
          maxlength="64"
          placeholder="golden_sword"
          ?disabled=${current.mode === 'edit'}
          .value=${current.productId}
          @input=${(e: Event) => (current.productId = (e.target as HTMLInputElement).value)}
        />
        <span class="hint">The productId of signData: letters, digits, "_", "-" or ".", unique in the mini game.</span>
      </label>
      <label class="stack"
        >Name
        <input type="text" data-testid="item-form-name" maxlength="64" .value=${current.name} @input=${(e: Event) => (current.name = (e.target as HTMLInputElement).value)} />
      </label>
      <label class="stack"
        >Price (minor units)
        <input
          type="text"
          inputmode="numeric"
          data-testid="item-form-price"
          placeholder="299"
          .value=${current.price}
          @input=${(e: Event) => {
            current.price = (e.target as HTMLInputElement).value
            ctx.update()
          }}
        />
        <span class="hint">${/^\d+$/.test(current.price.trim()) ? `= ${(Number(current.price) / 100).toFixed(2)} in the superapp's currency` : '299 is 2.99'}</span>
      </label>
      <div class="stack">
        Image
        <div class="image-picker">
          ${preview
            ? html`<img class="item-preview" data-testid="item-form-preview" src=${preview} alt="Preview of the item's image" />`
            : html`<div class="item-preview empty" data-testid="item-form-no-image">No image</div>`}
          <div class="stack grow">
            <input type="file" accept="image/png,image/jpeg,image/webp" data-testid="item-form-image-file" @change=${(e: Event) => chooseImage((e.target as HTMLInputElement).files?.[0])} />
            <span class="hint">PNG, JPEG or WebP, at most 512 KiB; or an image URL:</span>
            <input
              type="text"
              inputmode="url"
              data-testid="item-form-image-url"
              placeholder="https://cdn.example.com/items/sword.png"
              ?disabled=${Boolean(current.file)}
              .value=${current.imageUrl}
              @input=${(e: Event) => {
                current.imageUrl = (e.target as HTMLInputElement).value
                ctx.update()
              }}
            />
          </div>
        </div>
      </div>
      <label class="stack"
        >Description (optional)
        <textarea data-testid="item-form-description" rows="2" maxlength="500" .value=${current.description} @input=${(e: Event) => (current.description = (e.target as HTMLTextAreaElement).value)}></textarea>
      </label>
      ${errorAlert(current.error, 'item-form-error')}
      <div class="row">
        <button type="submit" class="primary" data-testid="item-form-save" ?disabled=${current.busy}>Save</button>
        <button type="button" class="secondary" data-testid="item-form-cancel" @click=${closeForm}>Cancel</button>
      </div>
    </form>`
  }

  function stateCell(item: VirtualItem) {
    return html`<span class="badge item-${item.state}" data-testid="item-state-${item.productId}">${STATE_LABEL[item.state]}</span>
      ${item.unreleasedChanges.length
        ? html`<div class="hint" data-testid="item-changes-${item.productId}">Unreleased change: ${item.unreleasedChanges.map((f) => FIELD_LABEL[f]).join(', ')}</div>`
        : nothing}
      ${item.releaseRequestId ? html`<div class="hint">Request ${item.releaseRequestId}</div>` : nothing}`
  }

  function actionsCell(item: VirtualItem) {
    return html`${ctx.can('items.edit')
      ? html`<button class="secondary small" data-testid="item-edit-${item.productId}" ?disabled=${item.state === 'pending_release'} title=${item.state === 'pending_release' ? 'Waiting for the superapp' : 'Edit'} @click=${() => openForm(item)}>
          Edit
        </button>`
      : nothing}
    ${ctx.can('items.remove') && (item.state === 'draft' || item.state === 'removed')
      ? html`<button
          class="danger small"
          data-testid="item-delete-${item.productId}"
          @click=${() => {
            confirming = { kind: 'delete', productId: item.productId }
            clearMessages()
            ctx.update()
          }}
        >
          Delete
        </button>`
      : nothing}`
  }

  /** The inline confirmation under the row whose Delete was clicked. */
  function deleteConfirm(item: VirtualItem) {
    if (confirming?.kind !== 'delete' || confirming.productId !== item.productId) return undefined
    return html`<div class="row">
      <span>Delete <strong>${item.productId}</strong>? It leaves the list for good.</span>
      <button
        class="danger"
        data-testid="item-delete-confirm"
        ?disabled=${busy}
        @click=${() =>
          void act(async () => {
            await itemsApi.delete(game!.appId, item.productId)
            return `Deleted ${item.productId}.`
          })}
      >
        Delete
      </button>
      <button class="secondary" @click=${cancelConfirm}>Cancel</button>
    </div>`
  }

  function setSelected(productIds: string[], checked: boolean): void {
    for (const id of productIds) {
      if (checked) selected.add(id)
      else selected.delete(id)
    }
    ctx.update()
  }

  function columns(onPage: string[]): Column<VirtualItem>[] {
    const allSelected = onPage.length > 0 && onPage.every((id) => selected.has(id))
    const checked = (e: Event) => (e.target as HTMLInputElement).checked
    const selectColumn: Column<VirtualItem> = {
      header: html`<input type="checkbox" aria-label="Select all on this page" data-testid="items-select-all" .checked=${allSelected} @change=${(e: Event) => setSelected(onPage, checked(e))} />`,
      cell: (item) =>
        html`<input
          type="checkbox"
          aria-label="Select ${item.productId}"
          data-testid="item-select-${item.productId}"
          .checked=${selected.has(item.productId)}
          @change=${(e: Event) => setSelected([item.productId], checked(e))}
        />`,
    }
    return [
      ...(ctx.can('items.requestRelease') || ctx.can('items.remove') ? [selectColumn] : []),
      { header: '', cell: (item) => (item.imageUrl ? html`<img class="item-thumb" src=${item.imageUrl} alt="" />` : html`<span class="item-thumb empty"></span>`) },
      { header: 'Product ID', cell: (item) => html`<code>${item.productId}</code>` },
      { header: 'Name', cell: (item) => html`${item.name}${item.released && item.released.name !== item.name ? html`<div class="hint">On sale as ${item.released.name}</div>` : nothing}` },
      {
        header: 'Price (minor units)',
        testId: (item) => `item-price-${item.productId}`,
        cell: (item) =>
          html`${formatPrice(item.price)}${item.released && item.released.price !== item.price ? html`<div class="hint">On sale at ${formatPrice(item.released.price)}</div>` : nothing}`,
      },
      { header: 'State', cell: stateCell },
      // What players see: the released version's, until a change is released.
      { header: 'Description', className: 'message', cell: (item) => (item.released ?? item).description },
      { header: '', className: 'actions', cell: actionsCell },
    ]
  }

  function selectionBar() {
    const canRelease = ctx.can('items.requestRelease')
    const canRemove = ctx.can('items.remove')
    if (!canRelease && !canRemove) return nothing
    const ids = selectedIds()
    const exempt = game?.exemption === 'approved'
    return html`<div class="row selection-bar">
        <span class="muted" data-testid="items-selected-count">${ids.length} selected</span>
        ${canRelease
          ? html`<button class="primary" data-testid="items-release-selected" ?disabled=${!ids.length || busy} title=${exempt ? 'Released at once: the game holds the approval exemption' : 'Sent to the superapp for approval'} @click=${() => void release()}>
              ${exempt ? 'Release' : 'Request release'}
            </button>`
          : nothing}
        ${canRemove
          ? html`<button
              class="danger"
              data-testid="items-remove-selected"
              ?disabled=${!ids.length || busy}
              @click=${() => {
                confirming = { kind: 'remove', productIds: ids }
                clearMessages()
                ctx.update()
              }}
            >
              Remove from sale
            </button>`
          : nothing}
      </div>
      ${confirming?.kind === 'remove'
        ? html`<div class="confirm row" data-testid="items-remove-confirm-box">
            <p>Remove ${confirming.productIds.join(', ')} from sale? Players can no longer buy ${confirming.productIds.length === 1 ? 'it' : 'them'}; paid orders keep their items.</p>
            <button
              class="danger"
              data-testid="items-remove-confirm"
              ?disabled=${busy}
              @click=${() => {
                const productIds = confirming?.kind === 'remove' ? confirming.productIds : []
                void act(async () => {
                  await itemsApi.removeFromSale(game!.appId, productIds)
                  selected.clear()
                  return `Removed ${productIds.join(', ')} from sale.`
                })
              }}
            >
              Remove
            </button>
            <button class="secondary" @click=${cancelConfirm}>Cancel</button>
          </div>`
        : nothing}`
  }

  function table() {
    if (listError) return errorAlert(listError)
    if (!list) return loading()
    return html`${list.items.length === 0
        ? emptyState(`No ${tab === 'all' ? '' : `${STATE_LABEL[tab].toLowerCase()} `}items${search.trim() ? ` matching "${search.trim()}"` : ''}.`, 'items-empty')
        : dataTable({
            className: 'items',
            columns: columns(list.items.map((i) => i.productId)),
            rows: list.items,
            rowTestId: (item) => `item-row-${item.productId}`,
            rowClass: (item) => (selected.has(item.productId) ? 'selected' : ''),
            inlineForm: deleteConfirm,
          })}
    ${pager({ testIdPrefix: 'items', total: list.total, noun: 'item', paging: { page: pageNo, pageSize: list.pageSize, turn: turnPage, hideOnSinglePage: true } })}`
  }

  function chooseTab(next: Tab): void {
    tab = next
    pageNo = 1
    list = undefined
    ctx.update()
    void loadItems()
  }

  function tabLabel(t: Tab) {
    const count = list ? (t === 'all' ? Object.values(list.counts).reduce((a, b) => a + b, 0) : list.counts[t]) : undefined
    return html`${t === 'all' ? 'All' : STATE_LABEL[t]}${count === undefined ? nothing : html` <span class="muted">${count}</span>`}`
  }

  function setSearch(text: string): void {
    search = text
    pageNo = 1
    clearTimeout(searchTimer)
    // Typing is answered once it pauses, not per key.
    searchTimer = setTimeout(() => void loadItems(), 250)
  }

  void load()
  return {
    title: 'Virtual item management',
    close() {
      clearTimeout(searchTimer)
      releasePreview()
    },
    view: () => html`
      <header class="page-head">
        <h1>Virtual item management</h1>
        ${games && games.length > 1 ? gamePicker({ testId: 'items-game-select', games, current: game, path: PATH }) : nothing}
        <p class="muted">
          Only released items can be bought. Releases go to the superapp for approval unless the game holds the approval exemption; an edit to a
          released item reaches players once it is released again.
        </p>
      </header>
      ${errorAlert(loadError)} ${successNotice(notice, 'items-notice')} ${errorAlert(actionError, 'items-error')}
      ${game
        ? html`${notificationSwitch()} ${toolbar()} ${formView()}
            <section class="card">
              ${tabs({ tabs: TABS, current: tab, testIdPrefix: 'items', label: tabLabel, select: chooseTab })}
              ${filterBar([{ kind: 'search', testId: 'items-search', placeholder: 'Search product ID or name', value: search, onInput: setSearch }])}
              ${selectionBar()} ${table()}
            </section>
            ${importSection()}`
        : nothing}
    `,
  }
}
