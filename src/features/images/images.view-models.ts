// What pages need of an image: its addresses (the page's relative, the card's absolute), its
// size for width/height (no layout shift while it loads) and its alt text.
import type { ImageRow } from '../../db/database.js'
import { cardFileName, pageFileName } from './images.service.js'

export interface ImageView {
  src: string
  width: number
  height: number
  alt: string
  /** The 1200×630 variant, absolute, for og:image and twitter:image. */
  cardUrl: string
}

export function imageView(baseUrl: string, row: Pick<ImageRow, 'key' | 'alt' | 'width' | 'height'> | undefined): ImageView | null {
  if (!row) return null
  return { src: `/images/${pageFileName(row.key)}`, width: row.width, height: row.height, alt: row.alt, cardUrl: `${baseUrl}/images/${cardFileName(row.key)}` }
}
