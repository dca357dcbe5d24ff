// Images for events and meetups (issue 22): what an organiser uploads is never stored as sent.
// It is decoded by sharp (so a text file called photo.png is refused, whatever its name or
// Content-Type said), turned upright, resized, and written afresh without any of its metadata
// (EXIF, GPS, XMP, ICC, comments): a phone photo carries where it was taken. Two variants:
// the page's (WebP, at most 1600 px wide) and the link card's (JPEG, 1200×630, what Open Graph
// and X expect). The files are named from a random key, never from anything in the upload.
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'

/** The largest upload taken, in bytes. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024
/** Decoding more pixels than this is refused before it starts: a tiny PNG can claim to be huge. */
const MAX_INPUT_PIXELS = 50_000_000
export const PAGE_MAX_WIDTH = 1600
export const CARD_WIDTH = 1200
export const CARD_HEIGHT = 630
const FORMATS_TAKEN = new Set(['png', 'jpeg', 'webp'])
/** 16 random bytes as base64url: 22 characters. */
export const IMAGE_KEY_PATTERN = '[A-Za-z0-9_-]{22}'

export interface ProcessedImage {
  page: Buffer
  card: Buffer
  width: number
  height: number
}

export type ProcessResult = { ok: true; image: ProcessedImage } | { ok: false; reason: 'notAnImage' }

function decoder(input: Buffer): Sharp {
  // failOn 'error': a truncated or corrupt file is refused rather than half drawn.
  // animated false: an animated WebP or PNG gives its first frame.
  return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false })
}

/** Decodes, checks and re-encodes an upload. Any decoding failure is "not an image we take". */
export async function processImage(input: Buffer): Promise<ProcessResult> {
  try {
    // The header first: an SVG, GIF, TIFF or HEIF is refused before any decoding starts.
    const meta = await decoder(input).metadata()
    if (!meta.format || !FORMATS_TAKEN.has(meta.format)) return { ok: false, reason: 'notAnImage' }
    // sharp writes no metadata unless asked to (keepMetadata/withExif): none is asked for.
    const page = await decoder(input).autoOrient().resize({ width: PAGE_MAX_WIDTH, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer({ resolveWithObject: true })
    const card = await decoder(input)
      .autoOrient()
      .resize(CARD_WIDTH, CARD_HEIGHT, { fit: 'cover', position: sharp.strategy.attention })
      // JPEG has no transparency: a logo on a transparent PNG goes onto white, not black.
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer()
    return { ok: true, image: { page: page.data, card, width: page.info.width, height: page.info.height } }
  } catch {
    return { ok: false, reason: 'notAnImage' }
  }
}

export function imagesFolder(dataDir: string): string {
  return path.join(dataDir, 'images')
}

export function newImageKey(): string {
  return randomBytes(16).toString('base64url')
}

export function pageFileName(key: string): string {
  return `${key}.webp`
}

export function cardFileName(key: string): string {
  return `${key}-card.jpg`
}

async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const partial = `${file}.${process.pid}.partial`
  await fs.writeFile(partial, data)
  await fs.rename(partial, file)
}

/** Writes both variants under a new key; the row that names them is written after. */
export async function storeImageFiles(dataDir: string, image: ProcessedImage): Promise<string> {
  const folder = imagesFolder(dataDir)
  await fs.mkdir(folder, { recursive: true })
  const key = newImageKey()
  await writeAtomically(path.join(folder, pageFileName(key)), image.page)
  await writeAtomically(path.join(folder, cardFileName(key)), image.card)
  return key
}

/**
 * Removes the files of images whose rows are gone (replaced, removed, or their event or meetup
 * deleted). Called after the transaction commits: a rollback must not leave a row without files.
 */
export async function removeImageFiles(dataDir: string, keys: readonly string[]): Promise<void> {
  const folder = imagesFolder(dataDir)
  for (const key of keys) {
    await fs.rm(path.join(folder, pageFileName(key)), { force: true })
    await fs.rm(path.join(folder, cardFileName(key)), { force: true })
  }
}
