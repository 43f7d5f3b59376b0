/**
 * The UI the host draws over a mini game (wx.showToast, wx.showLoading, wx.showModal): in
 * the shell's page, on top of the game's canvas, never inside the game.
 */

interface ToastOptions {
  title?: unknown
  icon?: unknown
  duration?: unknown
}

interface ModalOptions {
  title?: unknown
  content?: unknown
  showCancel?: unknown
  cancelText?: unknown
  confirmText?: unknown
}

const text = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback)

export function createShellDialogs(screen: HTMLElement) {
  const toast = document.createElement('div')
  toast.className = 'minigame-toast'
  toast.dataset.testid = 'minigame-toast'
  toast.setAttribute('role', 'status')
  toast.hidden = true
  const modal = document.createElement('div')
  modal.className = 'minigame-modal-backdrop'
  modal.hidden = true
  screen.append(toast, modal)
  let toastTimer: ReturnType<typeof setTimeout> | undefined

  function showToast(options: ToastOptions, loading: boolean): void {
    clearTimeout(toastTimer)
    const icon = loading ? 'loading' : text(options.icon, 'success')
    toast.dataset.icon = icon
    toast.textContent = `${icon === 'success' ? '✓ ' : icon === 'error' ? '✕ ' : icon === 'loading' ? '… ' : ''}${text(options.title)}`
    toast.hidden = false
    // A loading toast stays until hideLoading; others for `duration` (default 1500 ms, as the platform).
    if (!loading) toastTimer = setTimeout(() => (toast.hidden = true), typeof options.duration === 'number' ? options.duration : 1500)
  }

  return {
    showToast: (options: ToastOptions) => showToast(options, false),
    showLoading: (options: ToastOptions) => showToast(options, true),
    hide: () => {
      clearTimeout(toastTimer)
      toast.hidden = true
    },
    /** Resolves with the player's answer. */
    showModal(options: ModalOptions): Promise<{ confirm: boolean; cancel: boolean }> {
      const box = document.createElement('section')
      box.className = 'minigame-modal'
      box.dataset.testid = 'minigame-modal'
      box.setAttribute('role', 'dialog')
      const title = document.createElement('h2')
      title.textContent = text(options.title)
      const content = document.createElement('p')
      content.textContent = text(options.content)
      const actions = document.createElement('div')
      actions.className = 'minigame-modal-actions'
      const confirm = document.createElement('button')
      confirm.type = 'button'
      confirm.dataset.testid = 'minigame-modal-confirm'
      confirm.textContent = text(options.confirmText, 'OK')
      actions.append(confirm)
      const cancel = document.createElement('button')
      cancel.type = 'button'
      cancel.dataset.testid = 'minigame-modal-cancel'
      cancel.textContent = text(options.cancelText, 'Cancel')
      if (options.showCancel !== false) actions.prepend(cancel)
      box.append(title, content, actions)
      modal.replaceChildren(box)
      modal.hidden = false
      return new Promise((resolve) => {
        const answer = (confirmed: boolean) => {
          modal.hidden = true
          modal.replaceChildren()
          resolve({ confirm: confirmed, cancel: !confirmed })
        }
        confirm.addEventListener('click', () => answer(true))
        cancel.addEventListener('click', () => answer(false))
      })
    },
  }
}
