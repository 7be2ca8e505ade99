import type { ConfigError } from '../errors/config-error.js'
import type { OtelApi, OtelMeterProvider, OtelTracerProvider } from './otel-api.js'

/**
 * The producer's `tracing` option: OpenTelemetry spans, metrics and W3C trace-context propagation, opt-in.
 * Off by default, and then `@opentelemetry/api` is never loaded and the per-record path is untouched.
 */
export interface TracingOptions {
  /** Turns tracing on. Default false (so `tracing: {}` stays off). */
  enabled?: boolean
  /** The `@opentelemetry/api` module. Default: loaded with `require('@opentelemetry/api')` when enabled. */
  api?: OtelApi
  /** Where spans go. Default: the api's global tracer provider. */
  tracerProvider?: OtelTracerProvider
  /** Where metrics go. Default: the api's global meter provider. */
  meterProvider?: OtelMeterProvider
  /**
   * Write the producer span's W3C `traceparent` (and a non-empty `tracestate`) into each record's headers,
   * replacing any the record carries, so a consumer continues the trace. Default true.
   */
  propagate?: boolean
}

/** `tracing` after validation: undefined when off. */
export interface ResolvedTracingOptions {
  readonly api: OtelApi | undefined
  readonly tracerProvider: OtelTracerProvider | undefined
  readonly meterProvider: OtelMeterProvider | undefined
  readonly propagate: boolean
}

/** @throws ConfigError (made by `invalid`) for a value that is not a `TracingOptions`. */
export function parseTracingOptions(
  value: unknown,
  invalid: (why: string) => ConfigError,
): ResolvedTracingOptions | undefined {
  if (typeof value !== 'object' || value === null)
    throw invalid('Expected { enabled: true, api?, tracerProvider?, meterProvider?, propagate? }.')
  const options = value as TracingOptions
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean')
    throw invalid('tracing.enabled must be a boolean.')
  if (options.propagate !== undefined && typeof options.propagate !== 'boolean')
    throw invalid('tracing.propagate must be a boolean.')
  const api = options.api as Partial<OtelApi> | undefined
  if (api !== undefined && (typeof api !== 'object' || api === null || api.trace === undefined))
    throw invalid(
      "tracing.api must be the @opentelemetry/api module (import * as api from '@opentelemetry/api').",
    )
  if (options.tracerProvider !== undefined && typeof options.tracerProvider?.getTracer !== 'function')
    throw invalid('tracing.tracerProvider must be a TracerProvider (with getTracer(name, version)).')
  if (options.meterProvider !== undefined && typeof options.meterProvider?.getMeter !== 'function')
    throw invalid('tracing.meterProvider must be a MeterProvider (with getMeter(name, version)).')
  if (options.enabled !== true) return undefined
  return {
    api: options.api,
    tracerProvider: options.tracerProvider,
    meterProvider: options.meterProvider,
    propagate: options.propagate ?? true,
  }
}
