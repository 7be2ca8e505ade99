import { CodeWriter } from './code-writer.js'
import type { FieldSpec, MessageSpec } from './spec-model.js'
import { Versions } from './versions.js'

/** Where each symbol a generated file may use comes from, relative to the protocol package's `src/`. */
const SYMBOL_SOURCES: Record<string, { module: string; typeOnly: boolean }> = {
  Reader: { module: 'primitives/reader.js', typeOnly: true },
  Writer: { module: 'primitives/writer.js', typeOnly: true },
  TaggedField: { module: 'primitives/tagged-fields.js', typeOnly: true },
  readUnknownTaggedFields: { module: 'primitives/tagged-fields.js', typeOnly: false },
  writeUnknownTaggedFields: { module: 'primitives/tagged-fields.js', typeOnly: false },
  writeTaggedFieldsBefore: { module: 'primitives/tagged-fields.js', typeOnly: false },
  checkTaggedFieldSize: { module: 'primitives/tagged-fields.js', typeOnly: false },
  Uuid: { module: 'primitives/uuid.js', typeOnly: true },
  ApiInfo: { module: 'messages/api-info.js', typeOnly: true },
  EMPTY_BYTES: { module: 'messages/codec-support.js', typeOnly: false },
  checkArrayLength: { module: 'messages/codec-support.js', typeOnly: false },
  invalidTag: { module: 'messages/codec-support.js', typeOnly: false },
  nonDefaultField: { module: 'messages/codec-support.js', typeOnly: false },
  nullField: { module: 'messages/codec-support.js', typeOnly: false },
  unexpectedNull: { module: 'messages/codec-support.js', typeOnly: false },
  unknownTaggedFieldsNotSupported: { module: 'messages/codec-support.js', typeOnly: false },
  unsupportedVersion: { module: 'messages/codec-support.js', typeOnly: false },
}

/** State shared while one generated file is emitted: the code, the imports it needs, fresh local names. */
export class EmitContext {
  readonly code = new CodeWriter()
  private readonly used = new Set<string>()
  /** `Writer` is needed as a value (not just a type) once a tagged field is sized through a sub-writer. */
  private writerAsValue = false
  private counter = 0

  constructor(readonly message: MessageSpec) {}

  use(symbol: string): string {
    if (!(symbol in SYMBOL_SOURCES)) throw new Error(`Unknown support symbol ${symbol}`)
    this.used.add(symbol)
    return symbol
  }

  useWriterValue(): string {
    this.writerAsValue = true
    return this.use('Writer')
  }

  /** A local name not used before in this file. */
  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`
  }

  /** Flexible versions that apply to a field: its own override (strings and bytes) or the message's. */
  flexibleVersions(field: FieldSpec | undefined): Versions {
    return field?.flexibleVersions ?? this.message.flexibleVersions
  }

  get hasFlexibleVersions(): boolean {
    return !this.message.flexibleVersions.intersect(this.message.validVersions).empty
  }

  /** Import lines for every symbol used, relative to `importBase` (the protocol package's `src/`). */
  imports(importBase: string): string[] {
    const byModule = new Map<string, { values: string[]; types: string[] }>()
    for (const symbol of [...this.used].sort()) {
      const source = SYMBOL_SOURCES[symbol]!
      const entry = byModule.get(source.module) ?? { values: [], types: [] }
      const typeOnly = symbol === 'Writer' ? !this.writerAsValue : source.typeOnly
      if (typeOnly) entry.types.push(symbol)
      else entry.values.push(symbol)
      byModule.set(source.module, entry)
    }
    const lines: string[] = []
    for (const [module, { values, types }] of [...byModule].sort(([a], [b]) => a.localeCompare(b))) {
      const path = `${importBase}/${module}`
      if (values.length === 0) {
        lines.push(`import type { ${types.join(', ')} } from '${path}'`)
      } else {
        const names = [...values, ...types.map((name) => `type ${name}`)]
        lines.push(`import { ${names.join(', ')} } from '${path}'`)
      }
    }
    return lines
  }
}

export { Versions }
