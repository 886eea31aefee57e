// Converting between a page as drawn on screen (CSS pixels, origin at the top-left corner of
// the drawn page, y down) and PDF points in the page's user space (origin at the lower-left
// corner of the media box, y up), the unit of a field's `rect` in API.md and of
// `pactum sign --rect`. The page is drawn as pdf.js draws it: its visible box `view`
// ([x0, y0, x1, y1] in user space) scaled by `scale` CSS pixels per point, turned clockwise by
// `rotation` degrees (the page's /Rotate).

export type Rect = [number, number, number, number] // x, y, width, height in PDF points

export interface PageGeometry {
  view: [number, number, number, number]
  rotation: 0 | 90 | 180 | 270
  scale: number
}

export interface ScreenBox {
  left: number
  top: number
  width: number
  height: number
}

// normalizeRotation maps any multiple of 90 (pdf.js passes /Rotate as is, e.g. -90 or 450) onto
// 0, 90, 180 or 270.
export function normalizeRotation(rotate: number): PageGeometry['rotation'] {
  const r = (((Math.round(rotate / 90) * 90) % 360) + 360) % 360
  return r as PageGeometry['rotation']
}

// screenSize is the drawn page's size in CSS pixels.
export function screenSize(page: PageGeometry): { width: number; height: number } {
  const w = (page.view[2] - page.view[0]) * page.scale
  const h = (page.view[3] - page.view[1]) * page.scale
  return page.rotation === 90 || page.rotation === 270 ? { width: h, height: w } : { width: w, height: h }
}

// toScreen maps a point of user space onto the drawn page.
export function toScreen(page: PageGeometry, ux: number, uy: number): [number, number] {
  const [x0, y0, x1, y1] = page.view
  const s = page.scale
  switch (page.rotation) {
    case 0:
      return [(ux - x0) * s, (y1 - uy) * s]
    case 90:
      return [(uy - y0) * s, (ux - x0) * s]
    case 180:
      return [(x1 - ux) * s, (uy - y0) * s]
    case 270:
      return [(y1 - uy) * s, (x1 - ux) * s]
  }
}

// toUser maps a point of the drawn page back into user space (the inverse of toScreen).
export function toUser(page: PageGeometry, sx: number, sy: number): [number, number] {
  const [x0, y0, x1, y1] = page.view
  const s = page.scale
  switch (page.rotation) {
    case 0:
      return [x0 + sx / s, y1 - sy / s]
    case 90:
      return [x0 + sy / s, y0 + sx / s]
    case 180:
      return [x1 - sx / s, y0 + sy / s]
    case 270:
      return [x1 - sy / s, y1 - sx / s]
  }
}

// roundPoints keeps 1/1000 of a point: far below what a page can show, and it removes the
// binary-fraction noise of the division (90.00000000001), so a rect survives a round trip.
export function roundPoints(value: number): number {
  return Math.round(value * 1000) / 1000
}

// screenToPdfRect converts a box drawn on the page into a PDF rect [x, y, width, height].
export function screenToPdfRect(page: PageGeometry, box: ScreenBox): Rect {
  const [ax, ay] = toUser(page, box.left, box.top)
  const [bx, by] = toUser(page, box.left + box.width, box.top + box.height)
  const x = Math.min(ax, bx)
  const y = Math.min(ay, by)
  return [roundPoints(x), roundPoints(y), roundPoints(Math.abs(bx - ax)), roundPoints(Math.abs(by - ay))]
}

// pdfToScreenBox converts a PDF rect into the box it covers on the drawn page.
export function pdfToScreenBox(page: PageGeometry, rect: Rect): ScreenBox {
  const [x, y, w, h] = rect
  const [ax, ay] = toScreen(page, x, y)
  const [bx, by] = toScreen(page, x + w, y + h)
  return { left: Math.min(ax, bx), top: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) }
}

// clampBox keeps a box inside the drawn page (a field dropped half off the edge is pulled in),
// never smaller than minSize pixels.
export function clampBox(box: ScreenBox, size: { width: number; height: number }, minSize = 8): ScreenBox {
  const width = Math.min(Math.max(box.width, minSize), size.width)
  const height = Math.min(Math.max(box.height, minSize), size.height)
  const left = Math.min(Math.max(box.left, 0), size.width - width)
  const top = Math.min(Math.max(box.top, 0), size.height - height)
  return { left, top, width, height }
}

// defaultFieldSize is the size in points a newly dropped field gets, by type.
export function defaultFieldSize(type: string): [number, number] {
  switch (type) {
    case 'seal':
      return [120, 120]
    case 'date':
      return [120, 20]
    case 'text':
      return [160, 24]
    case 'checkbox':
      return [16, 16]
    default:
      return [160, 60]
  }
}
