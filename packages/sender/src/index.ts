/**
 * @x/sender: transports, broker connections, cluster metadata and the Sender that turns ready batches into
 * Produce requests and responses back into completed, retried, split or failed batches.
 */
export type * from './transport/transport.js'
