// QR codes as server-rendered SVG (the qrcode package), so people in the room reach a
// page from their phones. Generated from our own URLs only, so the SVG is safe to inline;
// cached because a page's URL does not change.

const cache = new Map<string, string>()

export async function qrSvg(url: string): Promise<string> {
  const cached = cache.get(url)
  if (cached) return cached
  // Loaded on the first QR code (the projector and meetup pages), not at start.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } })
  // role and label are set by the template around it; the SVG itself is decorative.
  const decorative = svg.replace('<svg ', '<svg aria-hidden="true" focusable="false" ')
  if (cache.size > 1000) cache.clear()
  cache.set(url, decorative)
  return decorative
}
