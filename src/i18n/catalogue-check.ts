// Checks a translation against the English source and the keys templates use. Run by
// test/i18n/catalogues.test.ts, so a missing Welsh string or a template asking for a
// key that does not exist fails the build.
import fs from 'node:fs'
import path from 'node:path'
import type { Catalogue, Message } from './i18n.js'

const WELSH_PLURAL_FORMS = ['zero', 'one', 'two', 'few', 'many', 'other'] as const

function placeholders(message: Message): Set<string> {
  const texts = typeof message === 'string' ? [message] : Object.values(message)
  // {weekday} and {Weekday} are one value in two cases (mid-sentence and sentence start):
  // a translation may use either.
  return new Set(texts.flatMap((text) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!.toLowerCase())).filter((p) => p !== 'count'))
}

/** Problems with `translation` compared with `source`: missing, extra, wrong shape, lost placeholders. */
export function compareCatalogues(source: Record<string, Message>, translation: Record<string, Message>, pluralForms: readonly string[]): string[] {
  const problems: string[] = []
  for (const [key, message] of Object.entries(source)) {
    const translated = translation[key]
    if (translated === undefined) {
      problems.push(`missing: ${key}`)
      continue
    }
    if (typeof message !== typeof translated) problems.push(`plural in one language only: ${key}`)
    if (typeof translated === 'object') {
      for (const form of pluralForms) if (!(form in translated)) problems.push(`missing plural form ${form}: ${key}`)
    }
    if (typeof translated === 'string' && translated.trim() === '') problems.push(`empty: ${key}`)
    for (const name of placeholders(message)) {
      if (!placeholders(translated).has(name)) problems.push(`placeholder {${name}} lost: ${key}`)
    }
  }
  for (const key of Object.keys(translation)) if (!(key in source)) problems.push(`not in the source: ${key}`)
  return problems
}

export function compareWelsh(source: Catalogue, welsh: Catalogue): string[] {
  return compareCatalogues(source, welsh, WELSH_PLURAL_FORMS)
}

export interface TemplateKeyUse {
  file: string
  key: string
  /** true for t('prefix.' + something): the prefix must start at least one key. */
  dynamic: boolean
}

/** Every t('…') call in the .eta files under `dir`. */
export function templateKeyUses(dir: string): TemplateKeyUse[] {
  const uses: TemplateKeyUse[] = []
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.eta')) {
        const source = fs.readFileSync(full, 'utf8')
        for (const match of source.matchAll(/\bt\(\s*'([^']+)'\s*(\+)?/g)) {
          uses.push({ file: path.relative(dir, full), key: match[1]!, dynamic: match[2] === '+' })
        }
      }
    }
  }
  walk(dir)
  return uses
}

export function unknownTemplateKeys(uses: TemplateKeyUse[], catalogue: Record<string, Message>): string[] {
  const keys = Object.keys(catalogue)
  return uses
    .filter((use) => (use.dynamic ? !keys.some((key) => key.startsWith(use.key)) : !(use.key in catalogue)))
    .map((use) => `${use.file}: ${use.key}${use.dynamic ? '…' : ''}`)
}
