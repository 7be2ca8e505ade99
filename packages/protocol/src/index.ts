/**
 * @x/protocol: the Kafka wire protocol. Generated request/response codecs, request/response headers and
 * framing, RecordBatch v2 encoding and decoding, CRC32C, compression codecs and the Kafka error-code table.
 * Nothing here opens a socket or reads the clock.
 */

export * from './compression/index.js'
export * from './crc32c/index.js'
export * from './errors/index.js'
export * from './framing/index.js'
export * from './messages/index.js'
export * from './primitives/index.js'
export * from './records/index.js'
