// The signer route's JavaScript budget: reads the build's manifest (web/dist/.vite/manifest.json),
// follows what the browser loads for /s/{token} (the entry and its static imports, then the
// signer page's chunk and its static imports) and fails above 300 KB gzipped. It also shows the
// console's heavy libraries (element-plus, echarts, pdf.js) are not among them.
//
// node bundle_size_test.mjs DIST
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const LIMIT = 300 * 1024
const dist = process.argv[2]
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'))
let passed = 0
let failed = 0
const check = (ok, what) => {
  console.log(`${ok ? 'PASS' : 'FAIL'}: ${what}`)
  ok ? passed++ : failed++
}

// closure returns the manifest keys loaded with `start`: itself and its static imports.
function closure(start, seen = new Set()) {
  if (seen.has(start)) return seen
  seen.add(start)
  for (const next of manifest[start]?.imports ?? []) closure(next, seen)
  return seen
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry)
const signer = Object.keys(manifest).find((key) => key.endsWith('pages/signer/SignerPage.vue'))
check(Boolean(entry && signer), `the manifest has the entry (${entry}) and the signer page (${signer})`)
if (entry && signer) {
  const loaded = closure(signer, closure(entry))
  let total = 0
  const files = []
  for (const key of loaded) {
    const file = manifest[key].file
    if (!file.endsWith('.js')) continue
    const size = zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length
    total += size
    files.push(`${file} ${(size / 1024).toFixed(1)} KB`)
  }
  console.log(`signer route: ${files.length} JavaScript files, ${(total / 1024).toFixed(1)} KB gzipped`)
  for (const line of files) console.log(`  ${line}`)
  check(total <= LIMIT, `the signer route loads ${(total / 1024).toFixed(1)} KB of gzipped JavaScript (at most ${LIMIT / 1024} KB)`)
  // The console's libraries leave marks in their code: element-plus's class names, pdf.js's
  // document proxy, echarts' renderer.
  const marks = { 'element-plus': /el-button|ElConfigProvider/, 'pdf.js': /PDFDocumentProxy|pdfjs/, echarts: /zrender|echarts/ }
  const heavy = []
  for (const key of loaded) {
    const file = manifest[key].file
    if (!file.endsWith('.js')) continue
    const code = fs.readFileSync(path.join(dist, file), 'utf8')
    for (const [name, mark] of Object.entries(marks)) if (mark.test(code)) heavy.push(`${name} in ${file}`)
  }
  check(heavy.length === 0, `the signer route loads none of element-plus, echarts, pdf.js (${heavy.join(', ') || 'none'})`)
  const dashboard = closure(Object.keys(manifest).find((key) => key.endsWith('pages/console/DashboardPage.vue')) ?? '')
  check([...dashboard].some((key) => /zrender|echarts/.test(fs.readFileSync(path.join(dist, manifest[key].file), 'utf8'))),
    'the dashboard does load echarts (the marks above are found where they are)')
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
