import { createRequire } from 'node:module'
import { ConfigError } from '../errors/config-error.js'

/**
 * The part of `@opentelemetry/api` the producer uses, described structurally: the package is an optional
 * peer dependency, so the producer's types must not require it. The api module itself (`import * as api
 * from '@opentelemetry/api'`) satisfies `OtelApi`, and so do its providers.
 */
export type OtelAttributes = Record<string, string | number | boolean | undefined>

/** An OpenTelemetry `Context` (opaque here). */
export interface OtelContext {
  getValue(key: symbol): unknown
}

export interface OtelSpanContext {
  readonly traceId: string
  readonly spanId: string
  readonly traceFlags: number
  readonly traceState?: { serialize(): string } | undefined
}

export interface OtelSpan {
  spanContext(): OtelSpanContext
  setAttribute(key: string, value: string | number | boolean): unknown
  setStatus(status: { code: number; message?: string }): unknown
  recordException(exception: Error): void
  end(): void
}

export interface OtelTracer {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: OtelAttributes },
    context?: OtelContext,
  ): OtelSpan
}

export interface OtelTracerProvider {
  getTracer(name: string, version?: string): OtelTracer
}

export interface OtelCounter {
  add(value: number, attributes?: OtelAttributes): void
}

export interface OtelHistogram {
  record(value: number, attributes?: OtelAttributes): void
}

export interface OtelMeter {
  createCounter(name: string, options?: { description?: string; unit?: string }): OtelCounter
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): OtelHistogram
}

export interface OtelMeterProvider {
  getMeter(name: string, version?: string): OtelMeter
}

export interface OtelApi {
  readonly context: {
    active(): OtelContext
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
      context: OtelContext,
      fn: F,
      thisArg?: ThisParameterType<F>,
      ...args: A
    ): ReturnType<F>
  }
  readonly trace: { getTracerProvider(): OtelTracerProvider }
  readonly metrics: { getMeterProvider(): OtelMeterProvider }
}

/**
 * Loads `@opentelemetry/api` (only when tracing is enabled and no `api` was passed). A CommonJS `require`
 * works from both builds and returns the same global tracer/meter providers as the application's copy:
 * the api keeps them on a process-wide symbol.
 *
 * @throws ConfigError when the package is not installed.
 */
export function loadOtelApi(): OtelApi {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as OtelApi
  } catch (cause) {
    throw new ConfigError({
      option: 'tracing',
      message: `tracing.enabled needs the optional peer dependency @opentelemetry/api: install it (npm install @opentelemetry/api), or pass the api as tracing.api. (${cause instanceof Error ? cause.message : String(cause)})`,
    })
  }
}
