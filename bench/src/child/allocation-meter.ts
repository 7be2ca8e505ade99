import v8 from 'node:v8'

/** The part of a `v8.GCProfiler` report the meter reads. */
export interface GcStatistic {
  gcType: string
  cost: number
  beforeGC: { heapStatistics: { usedHeapSize: number } }
  afterGC: { heapStatistics: { usedHeapSize: number } }
}

/**
 * Bytes allocated on the V8 heap between two points: what each GC found in use minus what the previous GC
 * left, plus the growth since the last GC. V8 has no allocation counter, but every byte allocated is in
 * `usedHeapSize` when the next GC starts.
 */
export function allocatedBetween(
  startUsed: number,
  statistics: readonly GcStatistic[],
  endUsed: number,
): number {
  let allocated = 0
  let previousAfter = startUsed
  for (const gc of statistics) {
    allocated += Math.max(0, gc.beforeGC.heapStatistics.usedHeapSize - previousAfter)
    previousAfter = gc.afterGC.heapStatistics.usedHeapSize
  }
  return allocated + Math.max(0, endUsed - previousAfter)
}

/** Measures heap allocation and GC time of a stretch of code through `v8.GCProfiler`. */
export class AllocationMeter {
  private readonly profiler = new v8.GCProfiler()
  private startUsed = 0

  start(): void {
    this.startUsed = v8.getHeapStatistics().used_heap_size
    this.profiler.start()
  }

  stop(): { allocatedBytes: number; gcCount: number; gcPauseMs: number } {
    const endUsed = v8.getHeapStatistics().used_heap_size
    const report = this.profiler.stop() as unknown as { statistics: GcStatistic[] }
    const statistics = report?.statistics ?? []
    return {
      allocatedBytes: allocatedBetween(this.startUsed, statistics, endUsed),
      gcCount: statistics.length,
      // `cost` is in microseconds
      gcPauseMs: statistics.reduce((sum, gc) => sum + gc.cost, 0) / 1000,
    }
  }
}
