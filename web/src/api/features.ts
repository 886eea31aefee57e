// What this server offers, read once from its OpenAPI document: pages ask before calling an API
// that a node may not have yet (the contract API), instead of provoking 404s.
import { api } from './client'

let paths: Promise<Set<string>> | null = null

export function hasRoute(path: string): Promise<boolean> {
  paths ??= api
    .get<{ paths?: Record<string, unknown> }>('/api/v1/openapi.json')
    .then((doc) => new Set(Object.keys(doc.paths ?? {})))
    .catch(() => new Set<string>())
  return paths.then((known) => known.has(path))
}
