// The dashboard's contract figures, from the contract list (API.md): how many per status, how
// many were created per day, how many wait on the viewer, how many completed this month and the
// average hours from creation to completion.
import type { Contract } from '../api/types'
import { countBy, countByDay } from './format'

export interface ContractStats {
  byStatus: { name: string; value: number }[]
  perDay: { day: string; count: number }[]
  waitingOnMe: number
  completedThisMonth: number
  averageHours: number | null
}

function ms(time?: string): number | null {
  if (!time) return null
  const value = Date.parse(time)
  return Number.isNaN(value) ? null : value
}

export function contractStats(contracts: Contract[], _userId: string, now: Date, days = 30): ContractStats {
  const completed = contracts.filter((c) => c.status === 'completed')
  const monthStart = new Date(now.getFullYear(), now.getMonth(), 1).getTime()
  const durations = completed
    .map((c) => {
      const start = ms(c.created_at)
      const end = ms(c.updated_at)
      return start !== null && end !== null && end >= start ? (end - start) / 3_600_000 : null
    })
    .filter((h): h is number => h !== null)
  return {
    byStatus: countBy(contracts, (c) => c.status),
    perDay: countByDay(contracts.map((c) => ms(c.created_at)).filter((t): t is number => t !== null), days, now),
    // "Waiting on me": contracts out for signing where one of our enterprise's parties may sign now.
    waitingOnMe: contracts.filter((c) => c.status === 'sent' && c.parties.some((p) => p.status === 'pending')).length,
    completedThisMonth: completed.filter((c) => (ms(c.updated_at) ?? 0) >= monthStart).length,
    averageHours: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
  }
}
