import { formatJavaFixed } from './java-number-format.js'

/**
 * `--print-metrics` in the layout of Kafka's `ToolsUtils.printMetrics`: a blank line, a `Metric Name` /
 * `Value` header, then one line per metric sorted by `group:name:{tags}`, the name column as wide as the
 * longest, values with three decimals. The producer's metrics carry Java's names; all are in the
 * `producer-metrics` group with the `client-id` tag, as Java's producer-level metrics are.
 */
export function formatMetrics(metrics: Readonly<Record<string, number>>, clientId: string): string[] {
  const entries = Object.entries(metrics)
    .map(([name, value]) => [`producer-metrics:${name}:{client-id=${clientId}}`, value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  if (entries.length === 0) return []
  const width = Math.max(...entries.map(([name]) => name.length))
  return [
    '',
    `${'Metric Name'.padEnd(width)}   Value`,
    ...entries.map(([name, value]) => `${name.padEnd(width)} : ${formatJavaFixed(value, 3)}`),
  ]
}
