import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../..')

/**
 * Starts test/support/simulatorProcess.ts in a child process (so a test can SIGKILL it) and
 * resolves with its URL once it serves requests.
 */
export async function spawnSimulator(dataDir: string, deliveryOrigin?: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--conditions=superapp-sim-source', '--import', 'tsx', 'test/support/simulatorProcess.ts', '--data-dir', dataDir]
  if (deliveryOrigin) args.push('--delivery-origin', deliveryOrigin)
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /READY (\S+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`simulator exited early (${code})`)))
  })
  return { child, url }
}

/** SIGKILL, and wait until the process is gone. */
export async function killSimulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGKILL')
  await exited
}
