/**
 * Java's `String.format("%.Nf", double)`, so `x-kafka perf` prints numbers exactly as Kafka's
 * ProducerPerformance does. Java rounds the shortest decimal representation of the double HALF_UP (so
 * `1.005` → `"1.01"`), where JavaScript's `toFixed` rounds the exact binary value (`"1.00"`); NaN and the
 * infinities print as Java's words.
 */
export function formatJavaFixed(value: number, fractionDigits: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return 'Infinity'
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity'
  const sign = value < 0 || Object.is(value, -0) ? '-' : ''
  // toExponential() without an argument gives the shortest digits that read back as this double
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e') as [string, string]
  const digits = mantissa.replace('.', '')
  // value = 0.<digits> × 10^(exponent + 1): keep this many leading digits of `digits`
  const kept = Number(exponentText) + 1 + fractionDigits
  let scaled = kept <= 0 ? 0n : BigInt(digits.slice(0, kept).padEnd(kept, '0'))
  const firstDropped = kept < 0 ? '0' : (digits[kept] ?? '0')
  if (firstDropped >= '5') scaled += 1n
  const text = scaled.toString().padStart(fractionDigits + 1, '0')
  if (fractionDigits === 0) return sign + text
  return `${sign}${text.slice(0, -fractionDigits)}.${text.slice(-fractionDigits)}`
}
