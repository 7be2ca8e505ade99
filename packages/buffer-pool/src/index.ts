/**
 * @x/buffer-pool: bounded pooled memory with FIFO back-pressure, after the Java producer's `BufferPool`.
 * Synchronous when memory is there; a caller that must wait gets a promise bounded by `max.block.ms`.
 * Knows nothing about records or the network.
 */
export { AllocationTooLargeError } from './allocation-too-large-error.js'
export { BufferExhaustedError } from './buffer-exhausted-error.js'
export { BufferPool, type BufferPoolOptions } from './buffer-pool.js'
export { BufferPoolClosedError } from './buffer-pool-closed-error.js'
export type { BufferPoolEvent, BufferPoolMetrics, BufferPoolState } from './buffer-pool-state.js'
export { type BufferPoolTimer, systemTimer } from './buffer-pool-timer.js'
