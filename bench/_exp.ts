import { startWorker } from './workers'
const role = process.argv[2] as 'bare'
const w = await startWorker(role, process.argv.slice(3))
const client = process.env.CLIENT as 'fetch' | 'node:http' | undefined
for (let i = 0; i < 25; i++) {
  const m = await w.measure(Number(process.env.C ?? 1), { seconds: 1, minOps: 1 }, { seconds: 0, minOps: 0 }, client)
  console.log(i, m.perSecond, m.cpuMsPerOp, m.rssMb, (await import("node:fs")).readFileSync('/proc/loadavg','utf8').split(' ')[0])
}
await w.close()
