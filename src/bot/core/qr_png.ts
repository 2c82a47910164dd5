/** The QR code of a text, as a PNG (the pairing invitation, scanned by the phone beside a node). */
import QRCode from 'qrcode'

export function qrPng (text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 })
}
