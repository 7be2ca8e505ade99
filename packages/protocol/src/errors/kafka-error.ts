/**
 * The root of every error @x raises. `retriable` says whether the operation may succeed if tried again
 * (Java's `RetriableException`); `code` is a stable machine-readable name. Errors are recognised across
 * copies of the package (two versions in one tree) by a `Symbol.for` marker rather than `instanceof`.
 */
const marker = Symbol.for('x.kafka.error')

export interface KafkaErrorOptions {
  message: string
  /** Stable machine-readable code, e.g. `NOT_LEADER_OR_FOLLOWER` or `BUFFER_EXHAUSTED`. */
  code?: string
  retriable?: boolean
  cause?: unknown
}

export class KafkaError extends Error {
  readonly [marker] = true
  override name = 'KafkaError'
  readonly code: string
  readonly retriable: boolean

  constructor(options: KafkaErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = options.code ?? 'KAFKA_ERROR'
    this.retriable = options.retriable ?? false
  }

  /** True for any @x error, whichever copy of the package created it. */
  static isInstance(value: unknown): value is KafkaError {
    return typeof value === 'object' && value !== null && (value as { [marker]?: boolean })[marker] === true
  }
}
