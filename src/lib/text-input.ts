// What a person typed, made safe to store and show. Single-line fields (names, titles,
// handles) are shown in lists, headings, calendar SUMMARYs and email subjects, where a
// right-to-left override (U+202E) can make "moc.elpmaxe" read as "example.com", a
// zero-width space can make two names look the same, and CR/LF can start a new header
// line. Multi-line fields (descriptions, bios, messages) keep their line breaks.

/** Bidi embeddings, overrides and isolates (LRE..RLO, LRI..PDI): they reorder what follows. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g
/** Invisible characters with no place in typed text: zero-width space, word joiner, BOM, Mongolian vowel separator. */
const INVISIBLE = /[\u200B\u2060\uFEFF\u180E]/g
/**
 * Zero-width (non-)joiners are kept between two visible characters, where emoji sequences
 * (👩‍💻) and Persian or Indic spelling need them, and dropped anywhere else.
 */
const STRAY_JOINERS = /(?<!\S)[\u200C\u200D]+|[\u200C\u200D]+(?!\S)/g
/** C0 and C1 control characters, NUL included, except tab and line feed. */
// eslint-disable-next-line no-control-regex
const CONTROLS_BUT_TAB_AND_LF = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g
/** Anything that breaks a line, with the spaces around it. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[ \t]*(?:\r\n|[\r\n\u000B\u000C\u0085\u2028\u2029])[ \t]*/g

function withoutInvisibles(value: string): string {
  return value.normalize('NFC').replace(BIDI_CONTROLS, '').replace(INVISIBLE, '').replace(STRAY_JOINERS, '')
}

/** One line: NFC, no invisibles or controls, line breaks and tabs become single spaces, trimmed. */
export function cleanSingleLine(value: string): string {
  return withoutInvisibles(value).replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROLS_BUT_TAB_AND_LF, '').trim()
}

/** Several lines: NFC, no invisibles or controls, every line break a "\n", trimmed. */
export function cleanMultiLine(value: string): string {
  return withoutInvisibles(value)
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(CONTROLS_BUT_TAB_AND_LF, '')
    .trim()
}

/** A NUL byte, raw or percent-encoded: PostgreSQL cannot store it in text, and no person types one. */
export function hasNulByte(value: string): boolean {
  return value.includes('\u0000') || /%00/i.test(value)
}
