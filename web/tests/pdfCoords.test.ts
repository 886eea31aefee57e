import { describe, expect, it } from 'vitest'
import {
  clampBox, normalizeRotation, pdfToScreenBox, screenSize, screenToPdfRect, toScreen, toUser,
  type PageGeometry, type Rect,
} from '../src/lib/pdfCoords'

const a4: PageGeometry = { view: [0, 0, 595.28, 841.89], rotation: 0, scale: 1.5 }

describe('screenToPdfRect', () => {
  it('puts the origin at the lower-left corner, y up', () => {
    // A box in the top-left corner of the drawn page is at the top of the PDF page.
    expect(screenToPdfRect(a4, { left: 0, top: 0, width: 150, height: 60 })).toEqual([0, 801.89, 100, 40])
    // The bottom-left corner of the drawn page is (0, 0) in points.
    const { height } = screenSize(a4)
    expect(screenToPdfRect(a4, { left: 0, top: height - 90, width: 240, height: 90 })).toEqual([0, 0, 160, 60])
  })

  it('matches the API example: rect [90, 120, 160, 60] on a Letter page at 100%', () => {
    const letter: PageGeometry = { view: [0, 0, 612, 792], rotation: 0, scale: 1 }
    // top = 792 - 120 - 60 = 612 pixels from the top
    expect(screenToPdfRect(letter, { left: 90, top: 612, width: 160, height: 60 })).toEqual([90, 120, 160, 60])
    expect(pdfToScreenBox(letter, [90, 120, 160, 60])).toEqual({ left: 90, top: 612, width: 160, height: 60 })
  })

  it('adds the offset of a media box that does not start at 0', () => {
    const shifted: PageGeometry = { view: [-50, 100, 562, 892], rotation: 0, scale: 2 }
    expect(screenToPdfRect(shifted, { left: 200, top: 100, width: 100, height: 50 })).toEqual([50, 817, 50, 25])
  })

  it('survives a round trip at any scale and rotation without drift', () => {
    const rects: Rect[] = [[90, 120, 160, 60], [400.5, 80.25, 120, 120], [0, 0, 10, 10], [33.333, 700.125, 77.7, 12.5]]
    for (const rotation of [0, 90, 180, 270] as const) {
      for (const scale of [0.5, 1, 1.333333, 1.5, 2.25, 96 / 72]) {
        const page: PageGeometry = { view: [0, 0, 595.28, 841.89], rotation, scale }
        for (const rect of rects) {
          expect(screenToPdfRect(page, pdfToScreenBox(page, rect))).toEqual(rect)
        }
      }
    }
  })
})

describe('rotated pages', () => {
  it('draws a /Rotate 90 page turned clockwise', () => {
    const page: PageGeometry = { view: [0, 0, 600, 800], rotation: 90, scale: 1 }
    expect(screenSize(page)).toEqual({ width: 800, height: 600 })
    // The user-space origin (bottom-left) is drawn at the top-left; the top-left at the top-right.
    expect(toScreen(page, 0, 0)).toEqual([0, 0])
    expect(toScreen(page, 0, 800)).toEqual([800, 0])
    expect(toUser(page, 800, 600)).toEqual([600, 800])
  })

  it('draws /Rotate 180 and 270 as pdf.js does', () => {
    const p180: PageGeometry = { view: [0, 0, 600, 800], rotation: 180, scale: 1 }
    expect(toScreen(p180, 0, 800)).toEqual([600, 800])
    const p270: PageGeometry = { view: [0, 0, 600, 800], rotation: 270, scale: 1 }
    expect(toScreen(p270, 0, 800)).toEqual([0, 600])
    expect(screenToPdfRect(p270, { left: 0, top: 0, width: 60, height: 160 })).toEqual([440, 740, 160, 60])
  })

  it('normalizes any multiple of 90', () => {
    expect(normalizeRotation(-90)).toBe(270)
    expect(normalizeRotation(450)).toBe(90)
    expect(normalizeRotation(0)).toBe(0)
  })
})

describe('clampBox', () => {
  it('pulls a box dropped over the edge back onto the page', () => {
    expect(clampBox({ left: -20, top: 790, width: 100, height: 50 }, { width: 600, height: 800 })).toEqual({ left: 0, top: 750, width: 100, height: 50 })
    expect(clampBox({ left: 10, top: 10, width: 2, height: 2 }, { width: 600, height: 800 })).toEqual({ left: 10, top: 10, width: 8, height: 8 })
  })
})
