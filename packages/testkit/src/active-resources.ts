/** Counts of the process's active handles by type (`TCPSocketWrap`, `TCPServerWrap`, `Timeout`, ...). */
export type ResourceSnapshot = ReadonlyMap<string, number>

/** What `process.getActiveResourcesInfo()` lists now, counted by type. */
export function snapshotActiveResources(): ResourceSnapshot {
  const counts = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1)
  return counts
}

/**
 * The resource types with more handles than in `before`, as `type before -> now`, after waiting up to
 * `waitMs` for sockets to finish closing (they close asynchronously). Empty when nothing leaked.
 */
export async function leakedResources(before: ResourceSnapshot, waitMs = 1000): Promise<string[]> {
  const deadline = Date.now() + waitMs
  for (;;) {
    const now = snapshotActiveResources()
    const leaked = [...now]
      .filter(([type, count]) => type !== 'TTYWrap' && count > (before.get(type) ?? 0))
      .map(([type, count]) => `${type} ${before.get(type) ?? 0} -> ${count}`)
    if (leaked.length === 0 || Date.now() >= deadline) return leaked
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
