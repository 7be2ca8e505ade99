import { randomBytes } from 'node:crypto'

/**
 * A KRaft cluster id as `StorageTool random-uuid` prints it: 16 random bytes in URL-safe base64 without
 * padding, never starting with '-' (Kafka's `Uuid.randomUuid` rejects those, as they read as CLI flags).
 */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url')
    if (!id.startsWith('-')) return id
  }
}
