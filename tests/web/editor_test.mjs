// The new-contract editor in Debian's chromium, logged in to a real pactumd: a PDF is uploaded,
// pdf.js draws its page, two parties get a signature field each by drag and drop, and the
// contract is sent. The document and contract routes of ../shared/docs/API.md are answered by a
// fake in the browser (playwright's request routing) that keeps what the page sent, so the test
// reads the exact `rect` of each field and compares it with the drop point converted by hand:
// PDF points, origin at the page's lower-left corner. A non-PDF upload and a missing party
// name get messages on the page. Every page: no console error, every control labelled.
//
// node editor_test.mjs --pactum P --pactumd P --web-root DIST --web-dir web/ --artifacts DIR
import fs from 'node:fs'
import path from 'node:path'
import { Report, checkPage, launchBrowser, minimalPdf, parseArgs, startNode, tempDir, watchConsole } from './lib.mjs'

const args = parseArgs(process.argv.slice(2))
const report = new Report()
const work = tempDir('editor-test')
const artifacts = path.resolve(args.artifacts)
fs.mkdirSync(artifacts, { recursive: true })
const PAGE_WIDTH_PX = 640 // the editor draws pages 640 CSS pixels wide
const PAGE_PT = [595, 842] // minimalPdf's media box

let node = null
let browser = null
try {
  node = await startNode({ pactum: args.pactum, pactumd: args.pactumd, webRoot: args['web-root'], work })
  const owner = node.demo.logins.find((l) => l.role.startsWith('owner of Demo Group'))
  const pdf = path.join(work, 'contract.pdf')
  fs.writeFileSync(pdf, minimalPdf('Labour contract'))
  const text = path.join(work, 'notes.txt')
  fs.writeFileSync(text, 'not a pdf\n')
  browser = await launchBrowser(args['web-dir'], work)
  const page = await browser.newPage()
  const errors = watchConsole(page)

  const sent = { uploads: [], contracts: [] }
  await page.route('**/api/v1/enterprises/*/documents?*', async (route) => {
    const body = route.request().postDataBuffer() ?? Buffer.alloc(0)
    sent.uploads.push({ type: route.request().headers()['content-type'], size: body.length, head: body.subarray(0, 5).toString('latin1') })
    await route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ id: 'doc_fake1', name: 'contract.pdf', sha256: 'x', pages: 1, size: body.length }) })
  })
  await page.route('**/api/v1/enterprises/*/contracts', async (route) => {
    sent.contracts.push(JSON.parse(route.request().postData() ?? '{}'))
    await route.fulfill({ status: 201, contentType: 'application/json', body: JSON.stringify({ id: 'ctr_fake1', title: 't', status: 'sent', documents: [], parties: [] }) })
  })
  await page.route('**/api/v1/contracts/ctr_fake1**', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ id: 'ctr_fake1', title: '劳动合同', status: 'sent', documents: [], parties: [] }) }))

  await page.goto(`${node.url}/login`)
  await page.getByLabel('邮箱或手机号').fill(owner.login)
  await page.getByLabel('密码', { exact: true }).fill(owner.password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.getByRole('heading', { name: '概览' }).waitFor()
  await page.goto(`${node.url}/contracts/new`)
  await page.getByRole('heading', { name: '发起合同' }).waitFor()
  await checkPage(report, page, '40-editor-empty', errors, artifacts)

  await page.getByLabel('上传 PDF（可拖拽）').setInputFiles(text)
  const refusal = await page.locator('[data-test=upload-error]').innerText()
  report.check(refusal.includes('不是 PDF') && sent.uploads.length === 0, 'editor: a text file is refused on the page and never sent', refusal)

  await page.getByLabel('上传 PDF（可拖拽）').setInputFiles(pdf)
  const layer = page.locator('[data-test=field-layer]')
  await layer.waitFor()
  report.check(sent.uploads.length === 1 && sent.uploads[0].type === 'application/pdf' && sent.uploads[0].head === '%PDF-',
    'editor: the PDF itself is uploaded as application/pdf', JSON.stringify(sent.uploads))
  const box = await layer.boundingBox()
  report.check(Math.abs(box.width - PAGE_WIDTH_PX) < 0.5 && Math.abs(box.height - (PAGE_WIDTH_PX * PAGE_PT[1]) / PAGE_PT[0]) < 0.5,
    'editor: pdf.js draws the page at its aspect ratio', JSON.stringify(box))

  // Party 1 (the first person), then a second person: one signature field each, dropped.
  await page.locator('[data-test=party-0]').getByLabel('姓名').fill('张三')
  await page.locator('[data-test=party-0]').getByLabel('手机号').fill('+8613900000001')
  const drops = [{ x: 100, y: 200 }, { x: 300, y: 520 }]
  // Where the browser says each drop landed (drag events carry whole-pixel coordinates, so a
  // layer at a fractional offset may see the point up to a pixel from the asked one).
  await layer.evaluate((el) => {
    window.__drops = []
    el.addEventListener('drop', (e) => {
      const r = el.getBoundingClientRect()
      window.__drops.push({ x: e.clientX - r.left, y: e.clientY - r.top })
    }, true)
  })
  await page.locator('[data-test=palette-signature]').dragTo(layer, { targetPosition: drops[0] })
  await page.locator('[data-test=add-person]').click()
  await page.getByRole('button', { name: '创建并发送' }).click()
  report.check((await page.locator('[data-test=editor-error]').innerText()).includes('不能为空'), 'editor: a party without a name is named on the page, nothing sent')
  report.check(sent.contracts.length === 0, 'editor: nothing was sent while a field was missing')
  await page.locator('[data-test=party-1]').getByLabel('姓名').fill('李四')
  await page.locator('[data-test=party-1]').getByLabel('手机号').fill('+8613900000002')
  await page.locator('[data-test=palette-signature]').dragTo(layer, { targetPosition: drops[1] })
  const placed = page.locator('[data-test=placed-field]')
  report.check((await placed.count()) === 2, 'editor: both dropped fields are on the page')
  await checkPage(report, page, '41-editor-fields', errors, artifacts)

  await page.getByLabel('合同标题').fill('劳动合同 — 浏览器测试')
  await page.getByRole('button', { name: '创建并发送' }).click()
  await page.waitForURL(/\/contracts\/ctr_fake1$/)
  report.check(sent.contracts.length === 1, 'editor: the contract is sent in one create call')
  const body = sent.contracts[0] ?? { parties: [] }
  report.check(body.status === 'sent' && body.title === '劳动合同 — 浏览器测试' && body.documents?.[0] === 'doc_fake1', 'editor: title, document and status as API.md', JSON.stringify(body))
  const scale = PAGE_WIDTH_PX / PAGE_PT[0]
  const landed = await page.evaluate(() => window.__drops ?? [])
  report.check(landed.length === 2 && landed.every((p, i) => Math.abs(p.x - drops[i].x) <= 1 && Math.abs(p.y - drops[i].y) <= 1),
    'editor: the drops landed where they were aimed (within a pixel)', JSON.stringify(landed))
  body.parties.forEach((party, i) => {
    const field = party.fields?.[0]
    const at = landed[i] ?? drops[i]
    const expected = [at.x / scale, PAGE_PT[1] - at.y / scale - 60, 160, 60]
    const close = field && field.rect.every((v, k) => Math.abs(v - expected[k]) < 0.01)
    report.check(close && field.type === 'signature' && field.page === 1 && field.document === 'doc_fake1',
      `editor: party ${party.key}'s field sits where it was dropped, in PDF points (${field?.rect} ≈ ${expected.map((v) => v.toFixed(3))})`)
  })
  report.check(body.parties.map((p) => p.name).join() === '张三,李四' && body.parties.every((p) => p.kind === 'person' && p.intent?.includes('sms_code')),
    'editor: both parties go with their settings', JSON.stringify(body.parties))
} catch (error) {
  report.fail(`the run stopped: ${error.stack || error}`)
} finally {
  if (browser) await browser.close().catch(() => {})
  if (node) await node.stop()
  fs.rmSync(work, { recursive: true, force: true })
}
process.exit(report.finish())
