import { describe, expect, it } from 'vitest'
import { ApiError } from '../src/api/client'
import { ReadingTracker, linkProblem, problemFromView, progressSteps, screenFor, signBody } from '../src/lib/signerFlow'

describe('screenFor', () => {
  it('takes identity, reading and notice in that order, then signing', () => {
    expect(screenFor({ steps: ['notice', 'identity', 'reading', 'intent'] })).toBe('identity')
    expect(screenFor({ steps: ['notice', 'reading', 'intent'] })).toBe('reading')
    expect(screenFor({ steps: ['notice', 'intent'] })).toBe('notice')
    expect(screenFor({ steps: ['intent'] })).toBe('sign')
    expect(screenFor({ steps: [] })).toBe('sign')
  })
  it('is done once the party has signed', () => {
    expect(screenFor({ steps: [], party: { status: 'signed' } })).toBe('done')
  })
  it('shows progress only for the steps this party has', () => {
    expect(progressSteps(['reading', 'intent'])).toEqual(['reading', 'sign', 'done'])
  })
})

describe('linkProblem', () => {
  it('explains refused links in words', () => {
    expect(linkProblem(new ApiError(404, 'not_found', 'no such signing link'))).toBe('notFound')
    expect(linkProblem(new ApiError(410, 'gone', 'the link is no longer valid'))).toBe('expired')
    expect(linkProblem(new ApiError(409, 'conflict', 'the contract was revoked'))).toBe('revoked')
    expect(linkProblem(new ApiError(409, 'conflict', 'the contract was rejected by a party'))).toBe('rejected')
    expect(linkProblem(new ApiError(401, 'unauthorized', 'the signing link expired'))).toBe('expired')
    expect(linkProblem(new ApiError(409, 'conflict', 'this party already signed'))).toBe('used')
    expect(linkProblem(new ApiError(500, 'internal', 'boom'))).toBe('other')
    expect(linkProblem(new Error('network'))).toBe('other')
  })
  it('reads a view that can no longer be signed', () => {
    expect(problemFromView({ status: 'revoked' })).toBe('revoked')
    expect(problemFromView({ status: 'sent', party: { status: 'pending' } })).toBeNull()
  })
})

describe('ReadingTracker', () => {
  it('counts each page once', () => {
    const tracker = new ReadingTracker(3)
    expect(tracker.see('d1', 1)).toBe(true)
    expect(tracker.see('d1', 1)).toBe(false)
    expect(tracker.see('d1', 2)).toBe(true)
    expect(tracker.complete).toBe(false)
    tracker.see('d2', 1)
    expect(tracker.read).toBe(3)
    expect(tracker.complete).toBe(true)
  })
})

describe('signBody', () => {
  it('sends the answers given and the drawing for each signature field', () => {
    const body = signBody({ sms_code: ' 123456 ', password: '' }, [
      { id: 'f1', type: 'signature' },
      { id: 'f2', type: 'date' },
    ], 'iVBOR')
    expect(body).toEqual({ intent: { sms_code: '123456' }, fields: { f1: { image_png: 'iVBOR' } } })
  })
})
