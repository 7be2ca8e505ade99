export { crc32c, crc32cImplementation, crc32cRange } from './crc32c.js'
export { crc32cPure, crc32cPureRange } from './crc32c-table.js'
