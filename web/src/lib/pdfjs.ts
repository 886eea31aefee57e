// pdf.js, loaded only by the console pages that draw PDFs (never by the signer pages). Fonts are
// drawn without eval (the pages' Content-Security-Policy forbids it).
import * as pdfjs from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl

export type PdfDocument = pdfjs.PDFDocumentProxy
export type PdfPage = pdfjs.PDFPageProxy

export async function openPdf(data: ArrayBuffer): Promise<PdfDocument> {
  return pdfjs.getDocument({ data: new Uint8Array(data), isEvalSupported: false }).promise
}
