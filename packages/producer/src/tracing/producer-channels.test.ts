// The diagnostics_channel messages of a producer on @x/testkit's embedded cluster (in-memory transport).
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { EmbeddedKafkaCluster } from '@x/testkit'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { KafkaProducer } from '../kafka-producer.js'
import { SendCompletion } from '../send/send-completion.js'
import {
  ACK_CHANNEL_NAME,
  ackChannel,
  ERROR_CHANNEL_NAME,
  errorChannel,
  type ProducerAckMessage,
  type ProducerErrorMessage,
  type ProducerSendMessage,
  SEND_CHANNEL_NAME,
  sendChannel,
} from './producer-channels.js'
import { SendInstrumentation } from './send-instrumentation.js'

let cluster: EmbeddedKafkaCluster
let p: KafkaProducer
const subscriptions: [string, (message: unknown, name: string | symbol) => void][] = []

function listen<T>(name: string): T[] {
  const messages: T[] = []
  const listener = (message: unknown) => messages.push(message as T)
  subscribe(name, listener)
  subscriptions.push([name, listener])
  return messages
}

beforeEach(async () => {
  cluster = await EmbeddedKafkaCluster.start({ brokers: 1, listen: false, topics: [{ name: 'orders' }] })
  p = new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    transport: cluster.transport,
    enableIdempotence: false,
    clientId: 'observed',
    maxRequestSize: 1024,
  })
})
afterEach(async () => {
  for (const [name, listener] of subscriptions.splice(0)) unsubscribe(name, listener)
  vi.restoreAllMocks()
  await p.close({ timeoutMs: 0 })
  await cluster.stop()
})

describe('diagnostics_channel', () => {
  it('publishes send, then ack with the metadata, for a record sent while someone subscribes', async () => {
    const sends = listen<ProducerSendMessage>(SEND_CHANNEL_NAME)
    const acks = listen<ProducerAckMessage>(ACK_CHANNEL_NAME)
    const record = { topic: 'orders', key: 'k', value: 'v' }
    const sent = p.send(record)
    expect(sends).toEqual([{ record, clientId: 'observed' }])
    expect(acks).toEqual([])
    const metadata = await sent
    expect(acks).toHaveLength(1)
    expect(acks[0]).toMatchObject({ record, clientId: 'observed', metadata })
    expect(acks[0]!.durationMs).toBeGreaterThanOrEqual(0)
    expect(sent).toBeInstanceOf(Promise)
  })

  it('publishes error for a record that fails after acceptance and for one send() throws for', async () => {
    listen(SEND_CHANNEL_NAME)
    const errors = listen<ProducerErrorMessage>(ERROR_CHANNEL_NAME)
    const tooLarge = { topic: 'orders', value: 'x'.repeat(2000) }
    const failure = await p.send(tooLarge).catch((error: unknown) => error)
    const invalid = { topic: 'bad topic!', value: 'v' }
    let thrown: unknown
    try {
      p.send(invalid)
    } catch (error) {
      thrown = error
    }
    expect(errors.map((message) => [message.record, message.error])).toEqual([
      [tooLarge, failure],
      [invalid, thrown],
    ])
    expect(errors[0]!.metadata?.topic).toBe('orders')
    expect(errors[1]!.metadata).toBeUndefined()
  })

  it('publishes ack and error to a subscriber of that channel alone', async () => {
    const acks = listen<ProducerAckMessage>(ACK_CHANNEL_NAME)
    const ok = { topic: 'orders', value: 'v' }
    const metadata = await p.send(ok)
    expect(acks.map((message) => [message.record, message.metadata])).toEqual([[ok, metadata]])
    for (const [name, listener] of subscriptions.splice(0)) unsubscribe(name, listener)
    const errors = listen<ProducerErrorMessage>(ERROR_CHANNEL_NAME)
    const tooLarge = { topic: 'orders', value: 'x'.repeat(2000) }
    const failure = await p.send(tooLarge).catch((error: unknown) => error)
    expect(errors.map((message) => [message.record, message.error])).toEqual([[tooLarge, failure]])
    expect(acks).toHaveLength(1)
  })

  it('keeps the callback contract: called once, after ack, with the send() future returned', async () => {
    listen(SEND_CHANNEL_NAME)
    const acks = listen<ProducerAckMessage>(ACK_CHANNEL_NAME)
    const order: string[] = []
    const onAck = () => order.push('ack')
    subscribe(ACK_CHANNEL_NAME, onAck)
    subscriptions.push([ACK_CHANNEL_NAME, onAck])
    const done = new Promise<void>((resolve) =>
      p.send({ topic: 'orders', value: 'v' }, (_metadata, error) => {
        order.push(error === undefined ? 'callback' : 'callback-error')
        resolve()
      }),
    )
    await done
    expect(order).toEqual(['ack', 'callback'])
    expect(acks).toHaveLength(1)
  })

  it('publishes and builds nothing for records sent while nobody subscribes and tracing is off', async () => {
    const publishes = [sendChannel, ackChannel, errorChannel].map((channel) => vi.spyOn(channel, 'publish'))
    const observed = vi.spyOn(SendInstrumentation.prototype, 'send')
    const observedBatch = vi.spyOn(SendInstrumentation.prototype, 'sendBatch')
    // Subscribed then unsubscribed: the producer goes back to the plain path.
    const listener = () => undefined
    subscribe(SEND_CHANNEL_NAME, listener)
    unsubscribe(SEND_CHANNEL_NAME, listener)
    const headers = [{ key: 'h', value: new Uint8Array([1]) }]
    const future = p.send({ topic: 'orders', value: 'v', headers }, () => undefined)
    expect(future).toBeInstanceOf(SendCompletion)
    await future
    await p.sendBatch([{ topic: 'orders', value: 'w' }])
    await p.send({ topic: 'orders', value: 'x'.repeat(2000) }).catch(() => undefined)
    expect(observed).not.toHaveBeenCalled()
    expect(observedBatch).not.toHaveBeenCalled()
    for (const publish of publishes) expect(publish).not.toHaveBeenCalled()
    expect(cluster.records('orders', 0).map((record) => record.headers.map((header) => header.key))).toEqual([
      ['h'],
      [],
    ])
  })
})
