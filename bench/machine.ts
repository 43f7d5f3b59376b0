/**
 * How busy the machine is while the bench measures, so a reader can tell a slow round from
 * a busy machine: the load average, and the CPU that processes other than the bench's own
 * used during a round (from /proc, Linux only; elsewhere only the load average).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { round } from './stats'

/** CPU counters at one moment, in clock ticks (USER_HZ). */
interface CpuSample {
  at: number
  loadavg1: number
  /** Busy ticks of the whole machine (everything but idle and iowait, steal included). */
  machineBusy?: number
  /** All ticks of the whole machine. */
  machineTotal?: number
  /** Ticks used by this process and its descendants (alive, or reaped into cutime/cstime). */
  own?: number
}

/** What the machine did during one round of the bench. */
export interface RoundLoad {
  /** 1-minute load average when the round started. */
  loadavg1: number
  /** Cores' worth of CPU that other processes used during the round (of `cores`). */
  othersCpuCores?: number
  /** Cores' worth of CPU the bench itself (this process, its workers, browsers, starts) used. */
  benchCpuCores?: number
}

function readProcStat(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
    const fields = line.trim().split(/\s+/).slice(1).map(Number)
    // user nice system idle iowait irq softirq steal (guest times are inside user and nice).
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields
    const busy = user + nice + system + irq + softirq + steal
    return { busy, total: busy + idle + iowait }
  } catch {
    return undefined
  }
}

/** Sum of utime+stime+cutime+cstime over this process and every descendant alive now. */
function readOwnTicks(): number | undefined {
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return undefined
  }
  const parentOf = new Map<number, number>()
  const ticksOf = new Map<number, number>()
  for (const pid of entries) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // The command name may hold spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      parentOf.set(Number(pid), Number(fields[1]))
      ticksOf.set(Number(pid), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]))
    } catch {
      // The process ended while we read: its time is in its parent's cutime once reaped.
    }
  }
  const own = new Set([process.pid])
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, parent] of parentOf) {
      if (!own.has(pid) && own.has(parent)) {
        own.add(pid)
        grew = true
      }
    }
  }
  let sum = 0
  for (const pid of own) sum += ticksOf.get(pid) ?? 0
  return sum
}

function sample(): CpuSample {
  const machine = readProcStat()
  return { at: performance.now(), loadavg1: loadavg()[0]!, machineBusy: machine?.busy, machineTotal: machine?.total, own: readOwnTicks() }
}

/**
 * Starts watching the machine for one round; `end()` says what it did meanwhile.
 *
 * @example
 * const watch = watchMachine()
 * await measure()
 * const { loadavg1, othersCpuCores } = watch.end()
 */
export function watchMachine(): { end(): RoundLoad } {
  const start = sample()
  return {
    end() {
      const stop = sample()
      const cores = cpus().length
      const result: RoundLoad = { loadavg1: round(start.loadavg1) }
      if (start.machineTotal === undefined || stop.machineTotal === undefined || start.own === undefined || stop.own === undefined) return result
      const total = stop.machineTotal - start.machineTotal
      if (total <= 0) return result
      const busy = stop.machineBusy! - start.machineBusy!
      const own = Math.min(busy, Math.max(0, stop.own - start.own))
      result.othersCpuCores = round(((busy - own) / total) * cores)
      result.benchCpuCores = round((own / total) * cores)
      return result
    },
  }
}

/** Linux counts process CPU time in ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const MS_PER_TICK = 10

/** CPU ms (user and system, all threads) a live process has used so far (Linux /proc; undefined elsewhere). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK
  } catch {
    return undefined
  }
}

/** Resident memory of a process now and at its peak, in MB (Linux /proc; undefined elsewhere). */
export function residentMemoryMb(pid: number): { rssMb: number; peakRssMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    const rss = kb('VmRSS')
    const peak = kb('VmHWM')
    if (!(rss > 0)) return undefined
    return { rssMb: round(rss / 1024, 1), peakRssMb: round(peak / 1024, 1) }
  } catch {
    return undefined
  }
}
