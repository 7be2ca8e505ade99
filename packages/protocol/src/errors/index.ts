export * from './kafka-error.js'
