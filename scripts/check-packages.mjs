#!/usr/bin/env node
// Release hygiene for every published @x package: publint, attw (types resolve for ESM and CJS consumers)
// and a pack check (the tarball holds dist, README and package.json; no sources, tests, fixtures or
// benchmarks), plus, for a package with a `bin`, a bin check: each bin is in the tarball with a node
// shebang, every dist file it loads is too, and `node <bin> --help` runs the built command (X_KAFKA_DIST=1
// makes x-kafka's launcher skip the sources it would run in a checkout). Run after `npm run build`. Prints
// `N passed, N failed`.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
let passed = 0
let failed = 0
const check = (name, ok, detail = '') => {
  if (ok) passed++
  else failed++
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `\n${detail}` : ''}`)
}

for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir)
  const manifestPath = join(pkgDir, 'package.json')
  if (!existsSync(manifestPath)) continue
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
  if (manifest.private) continue
  const run = (command, args) => spawnSync(command, args, { cwd: pkgDir, encoding: 'utf8' })

  const publint = run('npx', ['publint', '--strict'])
  check(
    `${manifest.name} publint`,
    publint.status === 0,
    publint.status === 0 ? '' : publint.stdout + publint.stderr,
  )

  const attw = run('npx', ['attw', '--pack', '.', '--profile', 'node16', '--format', 'ascii'])
  check(`${manifest.name} attw`, attw.status === 0, attw.status === 0 ? '' : attw.stdout + attw.stderr)

  const pack = run('npm', ['pack', '--dry-run', '--json'])
  let packOk = false
  let detail = pack.stderr
  try {
    const files = JSON.parse(pack.stdout)[0].files.map((file) => file.path)
    const leaks = files.filter(
      (file) =>
        /^(src|test|test-vectors|bench)\//.test(file) ||
        /\.(test|bench)\.[cm]?[jt]s$/.test(file) ||
        /(^|\/)__fixtures__\//.test(file),
    )
    const hasTypes = files.includes('dist/index.d.ts') && files.includes('dist/index.d.cts')
    const hasCode = files.includes('dist/index.js') && files.includes('dist/index.cjs')
    packOk = leaks.length === 0 && hasTypes && hasCode && files.includes('README.md')
    detail = packOk ? '' : `files: ${files.join(', ')}; leaks: ${leaks.join(', ')}`
  } catch (error) {
    detail += String(error)
  }
  check(`${manifest.name} pack contents`, packOk, detail)

  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {})
  for (const [name, binPath] of Object.entries(bins)) {
    const path = binPath.replace(/^\.\//, '')
    let binDetail = ''
    try {
      const files = JSON.parse(pack.stdout)[0].files.map((file) => file.path)
      const text = readFileSync(join(pkgDir, path), 'utf8')
      const loads = [...text.matchAll(/['"](dist\/[^'"]+\.[cm]?js)['"]/g)].map((match) => match[1])
      const missing = [path, ...loads].filter((file) => !files.includes(file))
      if (missing.length > 0) binDetail += `not in the tarball: ${missing.join(', ')}\n`
      if (!text.startsWith('#!/usr/bin/env node'))
        binDetail += `${path} does not start with #!/usr/bin/env node\n`
      const help = spawnSync('node', [path, '--help'], {
        cwd: pkgDir,
        encoding: 'utf8',
        env: { ...process.env, X_KAFKA_DIST: '1' },
      })
      if (help.status !== 0) binDetail += `node ${path} --help exited ${help.status}: ${help.stderr}\n`
    } catch (error) {
      binDetail += String(error)
    }
    check(`${manifest.name} bin ${name}`, binDetail === '', binDetail.trimEnd())
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
