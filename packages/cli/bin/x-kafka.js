#!/usr/bin/env node
// The x-kafka launcher. An installed package runs the built command (dist/main.js). A source checkout (src/
// beside this folder, as in a clone of the repository) runs the TypeScript sources through tsx with the
// repository's tsconfig paths, so `npx x-kafka` works right after `npm install` with no build step, and
// never runs a dist/ older than the sources. X_KAFKA_DIST=1 forces the built command.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const packageRoot = new URL('../', import.meta.url)
const source = new URL('src/main.ts', packageRoot)

if (process.env.X_KAFKA_DIST !== '1' && existsSync(fileURLToPath(source))) {
  const { register } = await import('tsx/esm/api')
  register({ tsconfig: fileURLToPath(new URL('tsconfig.json', packageRoot)) })
  await import(source.href)
} else {
  await import(new URL('dist/main.js', packageRoot).href)
}
