// What a user sees who turns tracing on without @opentelemetry/api installed: the module loader is mocked to
// fail as Node's does for a missing package.
import { describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../errors/config-error.js'
import { KafkaProducer } from '../kafka-producer.js'

vi.mock('node:module', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:module')>()
  const missing = (id: string) => {
    throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' })
  }
  return { ...original, createRequire: () => missing }
})

describe('tracing without @opentelemetry/api installed', () => {
  it('fails at construction with a ConfigError that names the option and how to install the package', () => {
    let thrown: unknown
    try {
      new KafkaProducer({ bootstrapServers: 'localhost:9092', tracing: { enabled: true } })
    } catch (error) {
      thrown = error
    }
    expect(ConfigError.isInstance(thrown)).toBe(true)
    expect(thrown).toMatchObject({ option: 'tracing' })
    expect((thrown as Error).message).toContain('npm install @opentelemetry/api')
    expect((thrown as Error).message).toContain("Cannot find module '@opentelemetry/api'")
  })

  it('does not need the package when tracing is off', async () => {
    const producer = new KafkaProducer({ bootstrapServers: 'localhost:9092' })
    await producer.close({ timeoutMs: 0 })
  })
})
