import { expect, test } from './fixtures'

/**
 * Issue 18.7: the web game's pixi start (seconds of main thread under software WebGL) ran
 * alongside the sign-in and held up the login's answer or the status line ("Signing in…"
 * for 10-18 s on a loaded machine). The shop is DOM and needs no canvas, so the canvas now
 * starts once "Signed in" is up. What is checked is the order, not a time
 * (`npm run bench:first-screen` measures the times).
 */
test('the web game says "Signed in" before its canvas starts, and the canvas then starts', async ({ hostShell }) => {
  const { page, game } = hostShell
  // In every frame: what the game's status line said when a WebGL context was first asked for.
  await page.addInitScript(() => {
    const original = HTMLCanvasElement.prototype.getContext
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, ...args: Parameters<typeof original>) {
      const w = window as unknown as { statusAtFirstContext?: string }
      if (/webgl/.test(String(args[0])) && w.statusAtFirstContext === undefined) {
        w.statusAtFirstContext = document.querySelector('[data-testid="game-status"]')?.textContent ?? '(no status line yet)'
      }
      return original.apply(this, args) as ReturnType<typeof original>
    } as typeof original
  })
  await hostShell.open('player-1')
  await expect(game.getByTestId('game-status')).toContainText('Signed in')
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith('http://127.0.0.1'))!
  await expect.poll(() => frame.evaluate(() => (window as unknown as { statusAtFirstContext?: string }).statusAtFirstContext)).toContain('Signed in')
})
