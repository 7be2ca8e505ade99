import { KafkaError } from '../errors/kafka-error.js'

/**
 * A record batch failed validation: bad CRC, lengths, magic, record count or structure (Kafka's
 * `CORRUPT_MESSAGE`; retriable, as Java's `CorruptRecordException` is, since a re-fetch or re-send may
 * carry intact bytes).
 */
export class CorruptRecordError extends KafkaError {
  override name = 'CorruptRecordError'

  constructor(message: string, cause?: unknown) {
    super({ message, code: 'CORRUPT_MESSAGE', retriable: true, cause })
  }
}

/** A record cannot be written as given, e.g. a negative timestamp (Kafka's `INVALID_RECORD`; not retriable). */
export class InvalidRecordError extends KafkaError {
  override name = 'InvalidRecordError'

  constructor(message: string) {
    super({ message, code: 'INVALID_RECORD', retriable: false })
  }
}

/**
 * A RecordBatchBuilder was used out of order: appending after close, changing producer state after close,
 * or closing with inconsistent producer state (Java's `IllegalStateException`/`IllegalArgumentException`
 * from `MemoryRecordsBuilder`; code `ILLEGAL_STATE`, a bug in the caller).
 */
export class RecordBatchStateError extends KafkaError {
  override name = 'RecordBatchStateError'

  constructor(message: string) {
    super({ message, code: 'ILLEGAL_STATE', retriable: false })
  }
}
