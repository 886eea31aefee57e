// The shapes of REST API v1 the pages use (src/pactum/api/render.cc, ../shared/docs/API.md).

export type Role = 'owner' | 'admin' | 'member' | 'auditor'

export interface User {
  id: string
  login_kind: 'email' | 'phone'
  login: string
  name: string
}

export interface Membership {
  enterprise_id: string
  enterprise_name: string
  role: Role
}

export interface Me {
  user: User
  memberships: Membership[]
}

export interface Member {
  enterprise_id: string
  user: User
  role: Role
  department_id: string | null
}

export interface Department {
  id: string
  enterprise_id: string
  name: string
}

export interface RoleInfo {
  role: Role
  permissions: string[]
}

export interface App {
  id: string
  enterprise_id: string
  name: string
  scopes: string[]
  revoked: boolean
}

export interface AppCredentials {
  app: App
  secret: string
}

export interface AuditEntry {
  seq: number
  at_us: number
  enterprise_id: string | null
  actor: string
  action: string
  object_type: string
  object_id: string
  client_address: string
  detail: Record<string, unknown> | null
}

export interface Items<T> {
  items: T[]
}

// Verification (POST /api/v1/verify, the JSON of `pactum verify --json`).
export type Verdict = 'valid' | 'invalid' | 'indeterminate'

export interface Finding {
  severity: 'info' | 'warning' | 'indeterminate' | 'error'
  code: string
  message: string
}

export interface SignatureEntry {
  kind: 'signature' | 'document_timestamp'
  verdict: Verdict
  field: string
  revision: number
  signed_revision: number
  covers_whole_file: boolean
  in_final_form: boolean
  sub_filter: string
  claimed_time: string
  timestamp_time: string
  timestamp_authority: string
  proven_time: string
  name: string
  reason: string
  location: string
  digest_algorithm: string
  signer: string
  issuer: string
  chain: string[]
  docmdp?: number
  integrity: 'intact' | 'altered' | 'unknown'
  changes_summary: 'none' | 'allowed' | 'disallowed'
  revocation: string
  revocation_fetched_online: boolean
  ltv: boolean
  findings: Finding[]
  changes: Finding[]
}

export interface VerificationReport {
  verdict: Verdict
  size: number
  revisions: number
  document: Finding[]
  signatures: SignatureEntry[]
}

// Contracts (API.md).
export type ContractStatus = 'draft' | 'sent' | 'completed' | 'rejected' | 'revoked' | 'expired'
export type PartyStatus = 'waiting' | 'pending' | 'signed' | 'rejected' | 'expired'
export type FieldType = 'signature' | 'seal' | 'date' | 'text' | 'checkbox'
export type Rect = [number, number, number, number]

export interface DocumentInfo {
  id: string
  name: string
  sha256?: string
  pages: number
  size?: number
}

export interface Field {
  id?: string
  type: FieldType
  document: string
  page: number
  rect: Rect
  required?: boolean
}

export interface Party {
  key: string
  kind: 'person' | 'enterprise'
  name?: string
  mobile?: string
  email?: string
  enterprise_id?: string
  auto_sign?: boolean
  stage: number
  verification?: 'none' | 'three_elements' | 'four_elements' | 'face'
  intent?: string[]
  reading?: { seconds: number; to_last_page: boolean }
  notice?: string
  handwriting?: boolean
  fields: Field[]
  status?: PartyStatus
}

export interface Contract {
  id: string
  title: string
  status: ContractStatus
  deadline?: string
  created_at?: string
  updated_at?: string
  documents: DocumentInfo[]
  parties: Party[]
}

export interface ContractEvent {
  at?: string
  action?: string
  actor?: string
  [key: string]: unknown
}

export type SignerStep = 'identity' | 'reading' | 'notice' | 'intent'

export interface SignerView {
  title: string
  status?: string
  contract?: { id: string; title: string; status: ContractStatus; deadline?: string | null }
  reading?: { done?: boolean; seconds_read?: number; reached_every_page?: boolean } | { seconds?: number; to_last_page?: boolean }
  notice_accepted?: boolean
  documents: DocumentInfo[]
  fields: Field[]
  steps: SignerStep[]
  party?: Partial<Party> & { key?: string; status?: PartyStatus }
  settings?: Partial<Party>
  [key: string]: unknown
}
