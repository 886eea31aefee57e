// Small formatting helpers shared by the pages.
import { ApiError } from '../api/client'

// errorText is what a page shows for a failure: the server's sentence, never a stack trace.
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return error.message
  return String(error)
}

// formatMicros shows an audit time (microseconds since 1970) in the reader's time zone.
export function formatMicros(us: number, locale: string): string {
  return new Date(Math.floor(us / 1000)).toLocaleString(locale, { hour12: false })
}

// dayKey is the local calendar day of a time, "2026-12-04".
export function dayKey(date: Date): string {
  const m = String(date.getMonth() + 1).padStart(2, '0')
  const d = String(date.getDate()).padStart(2, '0')
  return `${date.getFullYear()}-${m}-${d}`
}

// countByDay counts times (ms) per local day over the `days` days ending today, oldest first.
export function countByDay(timesMs: number[], days: number, now: Date): { day: string; count: number }[] {
  const out: { day: string; count: number }[] = []
  const index = new Map<string, number>()
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)
    index.set(dayKey(day), out.length)
    out.push({ day: dayKey(day), count: 0 })
  }
  for (const t of timesMs) {
    const at = index.get(dayKey(new Date(t)))
    if (at !== undefined) out[at].count++
  }
  return out
}

// countBy counts items by a key, largest first.
export function countBy<T>(items: T[], key: (item: T) => string): { name: string; value: number }[] {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return [...counts.entries()].map(([name, value]) => ({ name, value })).sort((a, b) => b.value - a.value)
}
