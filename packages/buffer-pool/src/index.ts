/** @x/buffer-pool: Bounded pooled memory with FIFO back-pressure, after the Java producer's BufferPool. */
export {}
