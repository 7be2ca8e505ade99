import { Versions } from './versions.js'

/** A field as written in a Kafka JSON message spec. */
export interface RawField {
  name: string
  type: string
  versions?: string
  nullableVersions?: string
  taggedVersions?: string
  tag?: number
  default?: string | number | boolean
  ignorable?: boolean
  entityType?: string
  about?: string
  mapKey?: boolean
  flexibleVersions?: string
  zeroCopy?: boolean
  fields?: RawField[]
}

export interface RawStruct {
  name: string
  versions: string
  fields: RawField[]
}

/** One Kafka JSON message spec file. */
export interface RawSpec {
  apiKey?: number
  type: string
  name: string
  validVersions: string
  flexibleVersions?: string
  fields: RawField[]
  commonStructs?: RawStruct[]
}

export const PRIMITIVE_TYPES = [
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'uuid',
  'records',
] as const
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number]

export type FieldType =
  | { kind: 'primitive'; name: PrimitiveType }
  | { kind: 'struct'; struct: StructSpec }
  | {
      kind: 'array'
      element: { kind: 'primitive'; name: PrimitiveType } | { kind: 'struct'; struct: StructSpec }
    }

export interface FieldSpec {
  /** Spec name, PascalCase. */
  name: string
  /** The property name in TypeScript: the spec name in camelCase. */
  property: string
  type: FieldType
  versions: Versions
  nullableVersions: Versions
  taggedVersions: Versions
  tag: number | undefined
  /** The spec's `default` as text; `''` when absent (the type's zero value). */
  defaultText: string
  /** True when the spec gives a `default`. */
  hasExplicitDefault: boolean
  ignorable: boolean
  about: string
  entityType: string | undefined
  /** Field-level `flexibleVersions` override (strings and bytes only). */
  flexibleVersions: Versions | undefined
}

export interface StructSpec {
  /** The struct's name in the spec (`TopicProduceData`). */
  specName: string
  /** The TypeScript interface name (`ProduceRequestTopicProduceData`). */
  typeName: string
  /** Versions the struct can appear in (its field's or common struct's versions, within the message's). */
  versions: Versions
  fields: FieldSpec[]
  /** Dotted path for error messages, e.g. `ProduceRequest.topicData[]`. */
  path: string
}

export interface MessageSpec {
  /** `ProduceRequest`, `RequestHeader`. */
  name: string
  type: string
  apiKey: number | undefined
  validVersions: Versions
  flexibleVersions: Versions
  /** The message itself as a struct (its top-level fields). */
  root: StructSpec
  /** Every struct, in declaration order (nested before the ones that contain them are emitted). */
  structs: StructSpec[]
  /** The spec file name. */
  fileName: string
}

export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1)
}

/** Builds the typed model of one spec: resolves struct references (inline and common) and version ranges. */
export function buildMessageSpec(raw: RawSpec, fileName: string): MessageSpec {
  const validVersions = Versions.parse(raw.validVersions, Versions.NONE)
  if (validVersions.empty) throw new Error(`${fileName}: validVersions "${raw.validVersions}" is empty`)
  const flexibleVersions = Versions.parse(raw.flexibleVersions, Versions.NONE)
  const structs: StructSpec[] = []
  const byName = new Map<string, StructSpec>()

  const typeNameFor = (specName: string): string =>
    specName.startsWith(raw.name) ? specName : `${raw.name}${specName}`

  // Common structs first: fields anywhere may refer to them by name.
  const pendingCommon: Array<{ struct: StructSpec; raw: RawStruct }> = []
  for (const common of raw.commonStructs ?? []) {
    const struct: StructSpec = {
      specName: common.name,
      typeName: typeNameFor(common.name),
      versions: Versions.parse(common.versions, Versions.NONE).intersect(validVersions),
      fields: [],
      path: `${raw.name}.${common.name}`,
    }
    byName.set(common.name, struct)
    pendingCommon.push({ struct, raw: common })
  }

  const buildStruct = (
    specName: string,
    versions: Versions,
    rawFields: RawField[],
    path: string,
    struct?: StructSpec,
  ): StructSpec => {
    const result: StructSpec = struct ?? {
      specName,
      typeName: typeNameFor(specName),
      versions,
      fields: [],
      path,
    }
    if (struct === undefined) {
      if (byName.has(specName)) throw new Error(`${fileName}: struct ${specName} is declared twice`)
      byName.set(specName, result)
    }
    for (const rawField of rawFields) result.fields.push(buildField(rawField, result))
    structs.push(result)
    return result
  }

  const buildField = (rawField: RawField, parent: StructSpec): FieldSpec => {
    const where = `${fileName}: field ${parent.specName}.${rawField.name}`
    const taggedVersions = Versions.parse(rawField.taggedVersions, Versions.NONE)
    const versions = Versions.parse(rawField.versions, taggedVersions.empty ? Versions.NONE : taggedVersions)
    if (rawField.versions === undefined && taggedVersions.empty) throw new Error(`${where} has no versions`)
    const property = lowerFirst(rawField.name)
    const typeText = rawField.type
    const isArray = typeText.startsWith('[]')
    const elementText = isArray ? typeText.slice(2) : typeText
    const childPath = `${parent.path}.${property}${isArray ? '[]' : ''}`
    let element: { kind: 'primitive'; name: PrimitiveType } | { kind: 'struct'; struct: StructSpec }
    if ((PRIMITIVE_TYPES as readonly string[]).includes(elementText)) {
      if (rawField.fields !== undefined)
        throw new Error(`${where}: primitive type ${elementText} cannot have fields`)
      element = { kind: 'primitive', name: elementText as PrimitiveType }
    } else if (rawField.fields !== undefined) {
      element = {
        kind: 'struct',
        struct: buildStruct(elementText, versions.intersect(parent.versions), rawField.fields, childPath),
      }
    } else {
      const common = byName.get(elementText)
      if (common === undefined) throw new Error(`${where}: unknown type ${elementText}`)
      element = { kind: 'struct', struct: common }
    }
    const type: FieldType = isArray ? { kind: 'array', element } : element
    if (rawField.tag !== undefined && taggedVersions.empty)
      throw new Error(`${where}: a tag needs taggedVersions`)
    if (rawField.tag === undefined && !taggedVersions.empty)
      throw new Error(`${where}: taggedVersions need a tag`)
    if (!taggedVersions.empty && taggedVersions.highest !== Versions.ALL.highest) {
      throw new Error(`${where}: taggedVersions must be open-ended`)
    }
    if (!taggedVersions.empty && !taggedVersions.intersect(flexibleVersions).equals(taggedVersions)) {
      throw new Error(`${where}: taggedVersions ${taggedVersions} are not all flexible (${flexibleVersions})`)
    }
    const rawDefault = rawField.default
    return {
      name: rawField.name,
      property,
      type,
      versions,
      nullableVersions: Versions.parse(rawField.nullableVersions, Versions.NONE),
      taggedVersions,
      tag: rawField.tag,
      defaultText: rawDefault === undefined ? '' : String(rawDefault),
      hasExplicitDefault: rawDefault !== undefined,
      ignorable: rawField.ignorable === true,
      about: rawField.about ?? '',
      entityType: rawField.entityType,
      flexibleVersions:
        rawField.flexibleVersions === undefined
          ? undefined
          : Versions.parse(rawField.flexibleVersions, Versions.NONE),
    }
  }

  for (const { struct, raw: common } of pendingCommon)
    buildStruct(common.name, struct.versions, common.fields, '', struct)
  const root = buildStruct(raw.name, validVersions, raw.fields, raw.name)
  return {
    name: raw.name,
    type: raw.type,
    apiKey: raw.apiKey,
    validVersions,
    flexibleVersions,
    root,
    structs,
    fileName,
  }
}
