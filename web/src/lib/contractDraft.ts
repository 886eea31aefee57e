// The new-contract editor's data: parties with their settings and fields, checked and turned
// into the body of POST /api/v1/enterprises/{ent}/contracts (API.md). Pure, unit-tested.
import type { FieldType, Rect } from '../api/types'

// FIELD_MIME is the drag-and-drop type a palette entry carries onto a page.
export const FIELD_MIME = 'application/x-pactum-field'

export interface DraftField {
  uid: number
  type: FieldType
  document: string
  page: number
  rect: Rect
}

export interface DraftParty {
  key: string
  kind: 'person' | 'enterprise'
  name: string
  mobile: string
  email: string
  enterprise_id: string
  auto_sign: boolean
  stage: number
  verification: 'none' | 'three_elements' | 'four_elements' | 'face'
  intent: string[]
  readingSeconds: number
  toLastPage: boolean
  notice: string
  handwriting: boolean
  fields: DraftField[]
}

export function newParty(kind: DraftParty['kind'], index: number, enterpriseId = ''): DraftParty {
  return {
    key: kind === 'enterprise' ? `enterprise${index}` : `person${index}`,
    kind,
    name: '',
    mobile: '',
    email: '',
    enterprise_id: kind === 'enterprise' ? enterpriseId : '',
    auto_sign: false,
    stage: index,
    verification: 'none',
    intent: kind === 'person' ? ['sms_code'] : [],
    readingSeconds: 0,
    toLastPage: false,
    notice: '',
    handwriting: kind === 'person',
    fields: [],
  }
}

export type DraftProblem =
  | { kind: 'title' }
  | { kind: 'document' }
  | { kind: 'party' }
  | { kind: 'partyField'; key: string; field: string }
  | { kind: 'duplicateKey'; key: string }
  | { kind: 'noFields'; key: string }

// checkDraft returns the first thing that stops the draft from being sent, or null.
export function checkDraft(title: string, documents: string[], parties: DraftParty[]): DraftProblem | null {
  if (!title.trim()) return { kind: 'title' }
  if (documents.length === 0) return { kind: 'document' }
  if (parties.length === 0) return { kind: 'party' }
  const keys = new Set<string>()
  for (const p of parties) {
    if (!p.key.trim()) return { kind: 'partyField', key: p.key, field: 'key' }
    if (keys.has(p.key)) return { kind: 'duplicateKey', key: p.key }
    keys.add(p.key)
    if (p.kind === 'person') {
      if (!p.name.trim()) return { kind: 'partyField', key: p.key, field: 'name' }
      if (!p.mobile.trim() && !p.email.trim()) return { kind: 'partyField', key: p.key, field: 'mobile' }
    } else if (!p.enterprise_id.trim()) {
      return { kind: 'partyField', key: p.key, field: 'enterpriseId' }
    }
    if (p.fields.length === 0) return { kind: 'noFields', key: p.key }
  }
  return null
}

// contractBody builds the create request; send makes it "status":"sent" (one call).
export function contractBody(title: string, documents: string[], parties: DraftParty[], deadline: string, send: boolean) {
  return {
    title: title.trim(),
    documents,
    ...(deadline ? { deadline } : {}),
    ...(send ? { status: 'sent' } : {}),
    parties: parties.map((p) => ({
      key: p.key.trim(),
      kind: p.kind,
      stage: p.stage,
      ...(p.kind === 'person'
        ? {
            name: p.name.trim(),
            ...(p.mobile.trim() ? { mobile: p.mobile.trim() } : {}),
            ...(p.email.trim() ? { email: p.email.trim() } : {}),
            verification: p.verification,
            intent: p.intent,
            handwriting: p.handwriting,
          }
        : { enterprise_id: p.enterprise_id.trim(), auto_sign: p.auto_sign, intent: p.intent }),
      ...(p.readingSeconds > 0 || p.toLastPage ? { reading: { seconds: p.readingSeconds, to_last_page: p.toLastPage } } : {}),
      ...(p.notice.trim() ? { notice: p.notice.trim() } : {}),
      fields: p.fields.map((f) => ({ type: f.type, document: f.document, page: f.page, rect: f.rect })),
    })),
  }
}
