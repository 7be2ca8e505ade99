import { KafkaError } from '../errors/kafka-error.js'

/** Compressed data is malformed or a codec failed (code `COMPRESSION_ERROR`, not retriable). */
export class CompressionError extends KafkaError {
  override name = 'CompressionError'

  constructor(message: string, cause?: unknown) {
    super({ message, code: 'COMPRESSION_ERROR', retriable: false, cause })
  }
}

/**
 * A codec was asked for that this registry cannot give: its optional package is not installed, or it
 * needs `prepare()` first (code `COMPRESSION_CODEC_UNAVAILABLE`, not retriable).
 */
export class CompressionCodecUnavailableError extends KafkaError {
  override name = 'CompressionCodecUnavailableError'
  readonly codec: string

  constructor(codec: string, message: string, cause?: unknown) {
    super({ message, code: 'COMPRESSION_CODEC_UNAVAILABLE', retriable: false, cause })
    this.codec = codec
  }
}
