import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildMessageSpec, type MessageSpec, type RawSpec } from './spec-model.js'
import { stripJsonComments } from './strip-json-comments.js'

/** Reads and models one spec file, e.g. `ProduceRequest.json`, from `specsDir`. */
export function loadSpec(specsDir: string, fileName: string): MessageSpec {
  const path = join(specsDir, fileName)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(
      `Cannot read spec ${path}: is --specs pointing at Kafka's clients/src/main/resources/common/message?`,
      {
        cause: error,
      },
    )
  }
  let raw: RawSpec
  try {
    raw = JSON.parse(stripJsonComments(text)) as RawSpec
  } catch (error) {
    throw new Error(`Spec ${path} is not valid JSON once comments are stripped`, { cause: error })
  }
  return buildMessageSpec(raw, fileName)
}
