import { ProtocolDecodeError } from '../errors/protocol-decode-error.js'
import type { Reader } from './reader.js'
import type { Writer } from './writer.js'

/**
 * A tagged field this code does not know (KIP-482): kept as raw bytes so a message read and written back
 * loses nothing. `data` is the field's encoded value, without tag and size.
 */
export interface TaggedField {
  tag: number
  data: Uint8Array
}

/**
 * Reads a tagged-field section with no known tags: every field is kept raw. Returns `undefined` for the
 * usual empty section, so the common case allocates nothing.
 */
export function readUnknownTaggedFields(reader: Reader): TaggedField[] | undefined {
  const count = reader.readUnsignedVarint()
  if (count === 0) return undefined
  const fields: TaggedField[] = []
  for (let i = 0; i < count; i++) {
    const tag = reader.readUnsignedVarint()
    const size = reader.readUnsignedVarint()
    fields.push({ tag, data: reader.readView(size) })
  }
  return fields
}

/** Writes a tagged-field section made only of raw fields (sorted by tag, as the protocol requires). */
export function writeUnknownTaggedFields(writer: Writer, fields: readonly TaggedField[] | undefined): void {
  if (fields === undefined || fields.length === 0) {
    writer.writeUnsignedVarint(0)
    return
  }
  writer.writeUnsignedVarint(fields.length)
  writeTaggedFieldsBefore(writer, fields, 0, Number.POSITIVE_INFINITY)
}

/**
 * Writes the raw fields from `index` on whose tag is below `beforeTag`; returns the index of the first one
 * not written. Generated writers call it between their known tags so the section stays sorted by tag.
 */
export function writeTaggedFieldsBefore(
  writer: Writer,
  fields: readonly TaggedField[] | undefined,
  index: number,
  beforeTag: number,
): number {
  if (fields === undefined) return index
  while (index < fields.length && fields[index]!.tag < beforeTag) {
    const field = fields[index++]!
    writer.writeUnsignedVarint(field.tag)
    writer.writeUnsignedVarint(field.data.length)
    writer.writeRaw(field.data)
  }
  return index
}

/** Checks that a known tagged field used exactly the `size` bytes its header announced. */
export function checkTaggedFieldSize(
  reader: Reader,
  start: number,
  size: number,
  tag: number,
  struct: string,
): void {
  const used = reader.offset - start
  if (used !== size) {
    throw new ProtocolDecodeError(
      `Tagged field ${tag} of ${struct} announced ${size} bytes but its value took ${used}: the data is malformed`,
    )
  }
}
