// The signer pages (/s/{token}) in Debian's chromium on a 375x667 phone, served by a real
// pactumd, with the signer API of ../shared/docs/API.md answered inside the browser by a small
// fake (playwright's request routing): it holds one party's open steps and checks every call the
// page makes. It proves the page's side of the flow: identity → reading (one view event per
// page, the page images loaded as they scroll into view) → notice → signature drawn with touch
// → code requested and entered → done; a wrong code and an empty pad get messages; expired,
// revoked and used links are explained in words; the whole flow also works with the keyboard
// alone. Every page: no console error, every control labelled, a screenshot. The time to the
// first page image is measured with the Performance API and printed (not asserted).
//
// node signer_test.mjs --pactum P --pactumd P --web-root DIST --web-dir web/ --artifacts DIR
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { PHONE, Report, checkPage, launchBrowser, parseArgs, startNode, tempDir, watchConsole } from './lib.mjs'

const args = parseArgs(process.argv.slice(2))
const report = new Report()
const work = tempDir('signer-test')
const artifacts = path.resolve(args.artifacts)
fs.mkdirSync(artifacts, { recursive: true })
const PAGES = 3
const CODE = '246810'

// png makes a plain white PNG of w x h (a page image the fake serves).
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf) => {
    let c = 0xffffffff
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(w, 0)
  header.writeUInt32BE(h, 4)
  header[8] = 8
  header[9] = 2
  const rows = Buffer.alloc((w * 3 + 1) * h, 0xff)
  for (let y = 0; y < h; y++) rows[y * (w * 3 + 1)] = 0
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}
const PAGE_PNG = png(120, 170)

// fakeSigner answers /api/v1/sign/{token}/... for one party as API.md describes, and records
// what the page sent. `refusal` makes GET answer an error instead.
function fakeSigner(token, refusal = null) {
  const state = {
    steps: ['identity', 'reading', 'notice', 'intent'],
    seen: new Set(),
    pageImages: 0,
    codeRequests: 0,
    signBodies: [],
    errors: [],
    status: 'pending',
  }
  const view = () => ({
    contract: { id: 'ctr_1', title: '劳动合同 — 张三', status: 'sent', deadline: null },
    title: '劳动合同 — 张三',
    party: { key: 'employee', kind: 'person', name: '张三', status: state.status },
    documents: [{ id: 'doc_1', name: '劳动合同.pdf', pages: PAGES }],
    fields: [{ id: 'fld_sig', type: 'signature', document: 'doc_1', page: PAGES, rect: [90, 120, 160, 60], required: true }],
    settings: { verification: 'three_elements', intent: ['sms_code'], reading: { seconds: 0, to_last_page: true }, notice: '本人已阅读并同意本合同的全部条款。', handwriting: true },
    reading: { done: !state.steps.includes('reading'), seconds_read: 0, reached_every_page: state.seen.size >= PAGES },
    steps: state.steps.filter((s) => s !== 'done'),
  })
  const drop = (step) => (state.steps = state.steps.filter((s) => s !== step))
  const error = (status, code, message) => ({ status, contentType: 'application/json', body: JSON.stringify({ error: { code, message, request_id: 'fake' } }) })
  const ok = (body) => ({ status: 200, contentType: 'application/json', body: JSON.stringify(body) })
  const handle = (method, rest, body) => {
    if (refusal) return error(...refusal)
    if (method === 'GET' && rest === '') return ok(view())
    const image = /^\/documents\/doc_1\/pages\/(\d+)\.png$/.exec(rest)
    if (method === 'GET' && image) {
      state.pageImages++
      return { status: 200, contentType: 'image/png', body: PAGE_PNG }
    }
    if (method !== 'POST') return error(405, 'method_not_allowed', 'no')
    if (rest === '/identity') {
      if (body.name !== '张三' || !/^\d{17}[\dX]$/.test(body.id_number ?? '') || body.mobile !== '+8613900000001') {
        state.errors.push(`identity body ${JSON.stringify(body)}`)
        return error(400, 'invalid_argument', 'identity does not match')
      }
      drop('identity')
      return ok(view())
    }
    if (rest === '/reading') {
      if (body.event !== 'view' || body.document !== 'doc_1' || !(body.page >= 1 && body.page <= PAGES)) state.errors.push(`reading body ${JSON.stringify(body)}`)
      state.seen.add(body.page)
      if (state.seen.size >= PAGES) drop('reading')
      return ok(view())
    }
    if (rest === '/notice') {
      if (body.accepted !== true) return error(400, 'invalid_argument', 'accepted must be true')
      drop('notice')
      return ok(view())
    }
    if (rest === '/intent/sms_code/start') {
      state.codeRequests++
      return ok({ method: 'sms_code', to: '+86 139****0001' })
    }
    if (rest === '/sign') {
      state.signBodies.push(body)
      if (state.steps.some((s) => s !== 'intent')) return error(409, 'conflict', `steps still open: ${state.steps.join(', ')}`)
      if (body.intent?.sms_code !== CODE) return error(400, 'invalid_argument', 'the SMS code is wrong')
      const image = body.fields?.fld_sig?.image_png ?? ''
      if (!Buffer.from(image, 'base64').subarray(0, 8).equals(PAGE_PNG.subarray(0, 8))) return error(400, 'invalid_argument', 'fields.fld_sig.image_png is not a PNG')
      state.status = 'signed'
      drop('intent')
      return ok(view())
    }
    return error(404, 'not_found', 'no resource at this path')
  }
  return {
    state,
    async install(page) {
      await page.route(`**/api/v1/sign/${token}**`, async (route) => {
        const request = route.request()
        const url = new URL(request.url())
        const rest = url.pathname.slice(`/api/v1/sign/${token}`.length)
        let body = {}
        try {
          body = request.postData() ? JSON.parse(request.postData()) : {}
        } catch {
          state.errors.push(`not JSON: ${request.postData()}`)
        }
        if (request.method() === 'POST' && request.headers()['content-type'] !== 'application/json') state.errors.push(`content type ${request.headers()['content-type']}`)
        await route.fulfill(handle(request.method(), rest, body))
      })
    },
  }
}

async function openSigner(browser, token, fake) {
  const page = await browser.newPage()
  const errors = watchConsole(page)
  await fake.install(page)
  await page.goto(`${node.url}/s/${token}`)
  return { page, errors }
}

// drawSignature draws a stroke with a finger: real touch input through the DevTools protocol,
// which the browser turns into the pointer events the pad listens to.
async function drawSignature(page) {
  const pad = page.locator('[data-test=signature-pad]')
  await pad.scrollIntoViewIfNeeded()
  const box = await pad.boundingBox()
  const cdp = await page.context().newCDPSession(page)
  const at = (i) => ({ x: box.x + 30 + i * 20, y: box.y + box.height / 2 - Math.sin(i / 2) * 40 })
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(0)] })
  for (let i = 1; i <= 12; i++) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(i)] })
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}

// padInk counts the pixels drawn on the pad.
async function padInk(page) {
  return page.locator('[data-test=signature-pad]').evaluate((canvas) => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
    let ink = 0
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++
    return ink
  })
}

// measureFirstPage opens a link whose first step is reading and reports when its first page
// image had loaded (Performance API; printed, not asserted).
async function measureFirstPage(browser) {
  const fake = fakeSigner('tok_measure')
  fake.state.steps = ['reading', 'intent']
  const { page, errors } = await openSigner(browser, 'tok_measure', fake)
  const loaded = await page.evaluate(() => new Promise((resolve) => {
    const check = () => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/pages/1.png'))
      const img = document.querySelector('figure[data-page="1"] img')
      if (entry && img && img.complete && img.naturalWidth > 0) resolve(Math.round(performance.now()))
      else setTimeout(check, 10)
    }
    check()
  }))
  console.log(`MEASURE: the first page of a signing link was visible ${loaded} ms after navigation start (375x667 phone, local pactumd)`)
  report.check(errors.length === 0, 'signer: no console error while measuring', errors.join(' | '))
  await page.close()
}

async function fullFlow(browser) {
  const fake = fakeSigner('tok_flow')
  const { page, errors } = await openSigner(browser, 'tok_flow', fake)
  await page.locator('[data-test=step-identity]').waitFor()
  await checkPage(report, page, '30-signer-identity', errors, artifacts)
  await page.getByLabel('身份证号').fill('')
  await page.getByRole('button', { name: '提交认证' }).click()
  report.check((await page.locator('[data-test=signer-error]').innerText()).includes('身份证号不能为空'), 'signer: an empty ID number is named on the page')
  await page.getByLabel('手机号').fill('+8613900000001')
  await page.getByLabel('身份证号').fill('11010119900307123X')
  await page.getByRole('button', { name: '提交认证' }).click()

  await page.locator('[data-test=step-reading]').waitFor()
  await page.locator('figure[data-page="1"] img[src]').waitFor()
  report.check(fake.state.pageImages < PAGES, `signer: only the pages in view are loaded at first (${fake.state.pageImages} of ${PAGES})`)
  await checkPage(report, page, '31-signer-reading', errors, artifacts)
  for (let n = 1; n <= PAGES; n++) {
    await page.locator(`figure[data-page="${n}"]`).scrollIntoViewIfNeeded()
    await page.waitForTimeout(150)
  }
  await page.getByText(`已阅读 ${PAGES} / ${PAGES} 页`).waitFor()
  report.check(fake.state.seen.size === PAGES && fake.state.pageImages === PAGES, 'signer: one reading event and one image per page, as each scrolls into view')
  await page.getByRole('button', { name: '我已阅读，继续' }).click()

  await page.locator('[data-test=step-notice]').waitFor()
  await checkPage(report, page, '32-signer-notice', errors, artifacts)
  await page.getByRole('button', { name: '同意并继续' }).click()
  report.check((await page.locator('[data-test=signer-error]').innerText()).includes('我已阅读并同意'), 'signer: the notice must be ticked first')
  await page.getByLabel('我已阅读并同意以上须知').check()
  await page.getByRole('button', { name: '同意并继续' }).click()

  await page.locator('[data-test=step-sign]').waitFor()
  await page.getByRole('button', { name: '确认签署' }).click()
  report.check((await page.locator('[data-test=signer-error]').innerText()).includes('请先签名'), 'signer: an empty signature pad is refused on the page')
  await drawSignature(page)
  const ink = await padInk(page)
  report.check(ink > 200, `signer: a finger's stroke draws on the pad (${ink} pixels)`)
  await page.getByRole('button', { name: '清除重写' }).click()
  report.check((await padInk(page)) === 0, 'signer: clear empties the pad')
  await drawSignature(page)
  await page.locator('[data-test=request-sms_code]').click()
  await page.getByText('验证码已发送至').waitFor()
  await page.getByLabel('验证码').fill('000000')
  await page.getByRole('button', { name: '确认签署' }).click()
  const wrong = await page.locator('[data-test=signer-error]').innerText()
  report.check(wrong.includes('the SMS code is wrong'), 'signer: a wrong code gets the server\'s message, no stack trace', wrong)
  // The refused signing's 400 is the browser's own console line; nothing else may appear.
  const others = errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))
  errors.length = 0
  errors.push(...others)
  await checkPage(report, page, '33-signer-sign', errors, artifacts)
  await page.getByLabel('验证码').fill(CODE)
  await page.getByRole('button', { name: '确认签署' }).click()
  await page.locator('[data-test=step-done]').waitFor()
  report.check(fake.state.codeRequests === 1 && fake.state.signBodies.length === 2, 'signer: one code request, then the signature with the right code is done')
  report.check(fake.state.errors.length === 0, 'signer: every call had the body API.md names', fake.state.errors.join(' | '))
  await checkPage(report, page, '34-signer-done', errors, artifacts)
  await page.close()
}

// keyboardFlow signs with the keyboard alone: Tab to each control, type, Space/Enter to act, and
// the typed-name signature instead of drawing.
async function keyboardFlow(browser) {
  const fake = fakeSigner('tok_keys')
  fake.state.steps = ['notice', 'intent']
  const { page, errors } = await openSigner(browser, 'tok_keys', fake)
  await page.locator('[data-test=step-notice]').waitFor()
  const tabTo = async (locator) => {
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab')
      if (await locator.evaluate((el) => el === document.activeElement)) return true
    }
    return false
  }
  report.check(await tabTo(page.getByLabel('我已阅读并同意以上须知')), 'keyboard: Tab reaches the notice checkbox')
  await page.keyboard.press('Space')
  report.check(await tabTo(page.getByRole('button', { name: '同意并继续' })), 'keyboard: Tab reaches the accept button')
  await page.keyboard.press('Enter')
  await page.locator('[data-test=step-sign]').waitFor()
  report.check(await tabTo(page.locator('[data-test=typed-signature]')), 'keyboard: Tab reaches the typed signature')
  await page.keyboard.press('Enter')
  report.check(await tabTo(page.locator('[data-test=request-sms_code]')), 'keyboard: Tab reaches the code request')
  await page.keyboard.press('Enter')
  await page.getByText('验证码已发送至').waitFor()
  report.check(await tabTo(page.getByLabel('验证码')), 'keyboard: Tab reaches the code field')
  await page.keyboard.type(CODE)
  await page.keyboard.press('Enter')
  await page.locator('[data-test=step-done]').waitFor()
  report.pass('keyboard: the whole sign flow works without a pointer')
  await checkPage(report, page, '35-signer-keyboard-done', errors, artifacts)
  await page.close()
}

async function refusedLinks(browser) {
  const cases = [
    ['expired', [410, 'gone', 'the signing link expired'], '此签署链接已过期'],
    ['revoked', [409, 'conflict', 'the contract was revoked by its sender'], '发起方已撤销此合同'],
    ['used', [409, 'conflict', 'this party already signed'], '您已完成签署'],
  ]
  for (const [name, refusal, words] of cases) {
    const fake = fakeSigner(`tok_${name}`, refusal)
    const { page, errors } = await openSigner(browser, `tok_${name}`, fake)
    const problem = page.locator('[data-test=link-problem]')
    await problem.waitFor()
    const text = await problem.innerText()
    report.check(text.includes(words), `signer: a ${name} link is explained in words`, text)
    const others = errors.filter((e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e))
    errors.length = 0
    errors.push(...others)
    await checkPage(report, page, `36-signer-${name}`, errors, artifacts)
    await page.close()
  }
}

let node = null
let browser = null
try {
  node = await startNode({ pactum: args.pactum, pactumd: args.pactumd, webRoot: args['web-root'], work })
  browser = await launchBrowser(args['web-dir'], work, PHONE)
  await measureFirstPage(browser)
  await fullFlow(browser)
  await keyboardFlow(browser)
  await refusedLinks(browser)
} catch (error) {
  report.fail(`the run stopped: ${error.stack || error}`)
} finally {
  if (browser) await browser.close().catch(() => {})
  if (node) await node.stop()
  fs.rmSync(work, { recursive: true, force: true })
}
process.exit(report.finish())
