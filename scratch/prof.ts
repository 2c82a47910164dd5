import { REPORTS } from '../bench/reports.ts'
const r = await REPORTS.run({ members: 3000, channelsPerMember: 8, reportsPerRound: Number(process.argv[2] ?? 300), samples: 2 }, m => console.log(m))
console.log(JSON.stringify({ m: r.figures.managerCpu.median, r: r.figures.receivePathCpu.median, v: r.figures.verifyCpu.median, store: r.figures.store }))
