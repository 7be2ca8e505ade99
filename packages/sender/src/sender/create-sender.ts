import type { RecordAccumulator } from '@x/accumulator'
import type { HostResolver } from '../metadata/bootstrap-servers.js'
import { Metadata, type MetadataOptions } from '../metadata/metadata.js'
import { MetadataUpdater } from '../metadata/metadata-updater.js'
import { NetworkClient, type NetworkClientOptions } from '../network/network-client.js'
import { Sender, type SenderOptions } from './sender.js'

export interface CreateSenderOptions
  extends NetworkClientOptions,
    Omit<MetadataOptions, 'clock' | 'random'>,
    Pick<SenderOptions, 'acks' | 'retries' | 'maxRequestSize' | 'transactionManager'> {
  /** `bootstrap.servers`: `host:port` list (or comma-separated string). */
  bootstrapServers: string | readonly string[]
  accumulator: RecordAccumulator
  /** DNS for bootstrap names; default `dns.lookup` with every address. */
  resolveHost?: HostResolver
}

/** The sender and the parts it drives, wired to one clock. */
export interface SenderStack {
  readonly sender: Sender
  readonly client: NetworkClient
  readonly metadata: Metadata
  readonly metadataUpdater: MetadataUpdater
}

/**
 * Builds the network client, metadata, metadata updater and sender from one set of options (Java config
 * names in camelCase), sharing clock and randomness. Call `sender.start()` to begin.
 */
export function createSender(options: CreateSenderOptions): SenderStack {
  const client = new NetworkClient(options)
  const metadata = new Metadata({
    ...options,
    clock: client.clock,
    ...(options.random ? { random: options.random } : {}),
  })
  const metadataUpdater = new MetadataUpdater(metadata, client, options.bootstrapServers, options.resolveHost)
  const sender = new Sender({
    accumulator: options.accumulator,
    metadata,
    client,
    metadataUpdater,
    ...(options.acks === undefined ? {} : { acks: options.acks }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.maxRequestSize === undefined ? {} : { maxRequestSize: options.maxRequestSize }),
    ...(options.retryBackoffMs === undefined ? {} : { retryBackoffMs: options.retryBackoffMs }),
    ...(options.transactionManager === undefined ? {} : { transactionManager: options.transactionManager }),
  })
  return { sender, client, metadata, metadataUpdater }
}
