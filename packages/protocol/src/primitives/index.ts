export * from './varint.js'
