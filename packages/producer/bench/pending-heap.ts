// Heap bytes each pending record keeps alive: `send(record, callback)` N records with nothing drained (a
// broker that has fallen behind), a full GC, then the growth of the used heap and of array buffers per record.
// The result of each send is dropped, as the side-by-side suite's x-send does. The records then complete, to
// check that every callback fired once. This is what decides the soak's RSS once the pool is full.
//
//   node --expose-gc --import tsx packages/producer/bench/pending-heap.ts [--records N] [--rounds N]
import { callback, drainAll, gc, median, option, printHeader, sendPath, value } from './send-path-rig.js'

const rounds = Number(option('rounds', '3'))
const records = Number(option('records', '200000'))

let acknowledged = 0
const counting: typeof callback = (metadata, error) => {
  acknowledged++
  callback(metadata, error)
}

function usage(): { heap: number; buffers: number } {
  gc()
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return { heap: heapUsed, buffers: arrayBuffers }
}

printHeader(rounds, records)
const heap: number[] = []
const buffers: number[] = []
for (let round = 0; round < rounds; round++) {
  const before = usage()
  acknowledged = 0
  for (let i = 0; i < records; i++) sendPath.send({ topic: 'bench', partition: i % 12, value }, counting)
  const pending = usage()
  drainAll()
  if (acknowledged !== records) throw new Error(`${acknowledged} of ${records} callbacks fired`)
  heap.push((pending.heap - before.heap) / records)
  buffers.push((pending.buffers - before.buffers) / records)
  console.log(
    `round ${round + 1}: heap ${heap[round]!.toFixed(1)} B/record, array buffers ${buffers[round]!.toFixed(1)} B/record`,
  )
}
console.log(
  `median: heap ${median(heap).toFixed(1)} B/pending record, array buffers ${median(buffers).toFixed(1)} B`,
)
