/** @x/testkit: An embedded Kafka cluster speaking the wire protocol, with deterministic fault injection. */
export {}
