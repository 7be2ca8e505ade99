import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { benchDir, repoRoot } from './bundle-children.js'

const loads = () =>
  spawnSync(process.execPath, ['-e', "require('node-rdkafka')"], { cwd: repoRoot, stdio: 'ignore' })
    .status === 0

/**
 * node-rdkafka's native binding is built by `bench/build-node-rdkafka.sh` (against Debian's librdkafka),
 * and an `npm install` that reinstalls the package removes it: build it again when it does not load.
 */
export function ensureNodeRdkafka(): void {
  if (loads()) return
  const build = spawnSync('bash', [join(benchDir, 'build-node-rdkafka.sh')], {
    cwd: repoRoot,
    stdio: 'inherit',
  })
  if (build.status !== 0 || !loads()) {
    throw new Error('node-rdkafka does not load and could not be built: run `bash bench/setup.sh`')
  }
}
