/** @x/partitioners: Kafka partitioners: murmur2 bit-exact with Java, built-in sticky/adaptive partitioning (KIP-794), round-robin. */
export {}
