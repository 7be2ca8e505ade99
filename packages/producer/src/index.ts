/** @x/producer: KafkaProducer for Node.js: the Java producer's contract in TypeScript, wired with RxJS. */
export {}
