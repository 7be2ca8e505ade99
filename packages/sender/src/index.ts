/** @x/sender: The Sender: transports, connections, metadata, node-level drain, in-flight tracking and retries. */
export {}
