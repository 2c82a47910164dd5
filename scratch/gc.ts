import { GroupCommit } from '../src/manager/state/group_commit.ts'
const batches: string[][] = []
const gc = new GroupCommit<string>({ write: rows => { batches.push(rows.map(r => r[1])); return [] }, durable: async () => {} })
void gc.add('a', 'a1'); void gc.add('b', 'b1')
await new Promise(r => setTimeout(r, 5))
console.log(batches)
