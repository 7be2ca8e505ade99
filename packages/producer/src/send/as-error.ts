import { KafkaError } from '@x/protocol'

/** A thrown value as an `Error` (user code may throw anything); a non-error is wrapped, kept as the cause. */
export function asError(value: unknown): Error {
  return value instanceof Error
    ? value
    : new KafkaError({ message: `Non-error thrown: ${String(value)}`, cause: value })
}
