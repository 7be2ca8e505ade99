/** One record header: a UTF-8 string key and nullable bytes (Java's `Header`). */
export interface RecordHeader {
  key: string
  value: Uint8Array | null
}
