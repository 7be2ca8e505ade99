export { bytesSerializer } from './bytes-serializer.js'
export { jsonSerializer } from './json-serializer.js'
export type { Serializer } from './serializer.js'
export { stringSerializer } from './string-serializer.js'
