import { describe, expect, it } from 'vitest'
import { checkDraft, contractBody, newParty } from '../src/lib/contractDraft'

function person() {
  const p = newParty('person', 1)
  p.name = '张三'
  p.mobile = '+8613900000001'
  p.fields.push({ uid: 1, type: 'signature', document: 'doc_1', page: 3, rect: [90, 120, 160, 60] })
  return p
}

describe('checkDraft', () => {
  it('names the first missing piece', () => {
    expect(checkDraft('', ['d'], [person()])).toEqual({ kind: 'title' })
    expect(checkDraft('T', [], [person()])).toEqual({ kind: 'document' })
    expect(checkDraft('T', ['d'], [])).toEqual({ kind: 'party' })
    const nameless = person()
    nameless.name = ' '
    expect(checkDraft('T', ['d'], [nameless])).toEqual({ kind: 'partyField', key: 'person1', field: 'name' })
    const fieldless = person()
    fieldless.fields = []
    expect(checkDraft('T', ['d'], [fieldless])).toEqual({ kind: 'noFields', key: 'person1' })
    expect(checkDraft('T', ['d'], [person(), person()])).toEqual({ kind: 'duplicateKey', key: 'person1' })
    expect(checkDraft('T', ['d'], [person()])).toBeNull()
  })
})

describe('contractBody', () => {
  it('is the API.md create body', () => {
    const ent = newParty('enterprise', 2, 'ent_1')
    ent.auto_sign = true
    ent.fields.push({ uid: 2, type: 'seal', document: 'doc_1', page: 1, rect: [400, 80, 120, 120] })
    const p = person()
    p.readingSeconds = 30
    p.toLastPage = true
    p.notice = '本人已阅读并同意'
    expect(contractBody(' 劳动合同 ', ['doc_1'], [ent, p], '2027-01-31T16:00:00Z', true)).toEqual({
      title: '劳动合同',
      documents: ['doc_1'],
      deadline: '2027-01-31T16:00:00Z',
      status: 'sent',
      parties: [
        { key: 'enterprise2', kind: 'enterprise', stage: 2, enterprise_id: 'ent_1', auto_sign: true, intent: [], fields: [{ type: 'seal', document: 'doc_1', page: 1, rect: [400, 80, 120, 120] }] },
        {
          key: 'person1', kind: 'person', stage: 1, name: '张三', mobile: '+8613900000001', verification: 'none', intent: ['sms_code'], handwriting: true,
          reading: { seconds: 30, to_last_page: true }, notice: '本人已阅读并同意',
          fields: [{ type: 'signature', document: 'doc_1', page: 3, rect: [90, 120, 160, 60] }],
        },
      ],
    })
  })
})
