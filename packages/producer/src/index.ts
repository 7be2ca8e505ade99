/** @x/producer: KafkaProducer for Node.js: the Java producer's contract in TypeScript, wired with RxJS. */
export * from './errors/config-error.js'
export * from './options/resolve-producer-config.js'
