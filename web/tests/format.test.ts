import { describe, expect, it } from 'vitest'
import { csrfToken } from '../src/api/client'
import { countBy, countByDay } from '../src/lib/format'
import { contractStats } from '../src/lib/contractStats'
import type { Contract } from '../src/api/types'

describe('csrfToken', () => {
  it('reads the pactum_csrf cookie', () => {
    expect(csrfToken('a=1; pactum_csrf=abc%3D; b=2')).toBe('abc=')
    expect(csrfToken('a=1')).toBe('')
  })
})

describe('chart data', () => {
  it('counts per local day, oldest first, zero days included', () => {
    const now = new Date(2026, 11, 4, 12)
    const days = countByDay([new Date(2026, 11, 4, 1).getTime(), new Date(2026, 11, 4, 23).getTime(), new Date(2026, 11, 2, 9).getTime(), new Date(2026, 10, 1).getTime()], 3, now)
    expect(days).toEqual([{ day: '2026-12-02', count: 1 }, { day: '2026-12-03', count: 0 }, { day: '2026-12-04', count: 2 }])
  })
  it('counts by key, largest first', () => {
    expect(countBy(['a', 'b', 'a'], (x) => x)).toEqual([{ name: 'a', value: 2 }, { name: 'b', value: 1 }])
  })
  it('sums up contracts for the dashboard', () => {
    const c = (status: Contract['status'], created: string, updated: string, pending = false): Contract => ({
      id: created, title: 't', status, created_at: created, updated_at: updated, documents: [],
      parties: [{ key: 'p', kind: 'person', stage: 1, fields: [], status: pending ? 'pending' : 'signed' }],
    })
    const stats = contractStats([
      c('completed', '2026-12-01T00:00:00Z', '2026-12-01T10:00:00Z'),
      c('completed', '2026-12-02T00:00:00Z', '2026-12-02T20:00:00Z'),
      c('sent', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z', true),
      c('draft', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z'),
    ], 'u1', new Date('2026-12-04T12:00:00Z'), 7)
    expect(stats.byStatus).toEqual([{ name: 'completed', value: 2 }, { name: 'sent', value: 1 }, { name: 'draft', value: 1 }])
    expect(stats.waitingOnMe).toBe(1)
    expect(stats.completedThisMonth).toBe(2)
    expect(stats.averageHours).toBe(15)
    expect(stats.perDay.reduce((a, d) => a + d.count, 0)).toBe(4)
  })
})
