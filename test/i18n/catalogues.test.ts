import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { compareWelsh, templateKeyUses, unknownTemplateKeys } from '../../src/i18n/catalogue-check.js'
import { cy } from '../../src/i18n/catalogues/cy.js'
import { en } from '../../src/i18n/catalogues/en.js'
import type { Catalogue } from '../../src/i18n/i18n.js'
import { translator } from '../../src/i18n/i18n.js'
import { VIEWS_DIR } from '../../src/plugins/views.js'

test('the Welsh catalogue has every English key, every plural form and every placeholder', () => {
  assert.deepEqual(compareWelsh(en, cy), [])
})

test('the check catches a missing key, a missing plural form and a lost placeholder', () => {
  const broken = { ...cy } as Record<string, unknown>
  delete broken['signIn.title']
  broken['seats.left'] = { one: 'Un sedd', other: '{count} o seddi' }
  broken['signUp.welcome'] = 'Croeso i Hashcamp.'
  broken['no.such.key'] = 'x'
  const problems = compareWelsh(en, broken as Catalogue)
  assert.ok(problems.includes('missing: signIn.title'))
  assert.ok(problems.includes('missing plural form zero: seats.left'))
  assert.ok(problems.includes('missing plural form many: seats.left'))
  assert.ok(problems.includes('placeholder {name} lost: signUp.welcome'))
  assert.ok(problems.includes('not in the source: no.such.key'))
})

test('every key a template asks for exists', () => {
  const uses = templateKeyUses(VIEWS_DIR)
  assert.ok(uses.length > 50, 'the scan finds the templates’ keys')
  assert.deepEqual(unknownTemplateKeys(uses, en), [])
})

test('the template check catches a key that does not exist', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashcamp-views-'))
  fs.writeFileSync(path.join(dir, 'page.eta'), "<%= it.t('signIn.title') %> <%= it.t('signIn.titel') %> <%= it.t('nope.' + x) %>")
  const unknown = unknownTemplateKeys(templateKeyUses(dir), en)
  fs.rmSync(dir, { recursive: true })
  assert.deepEqual(unknown, ['page.eta: signIn.titel', 'page.eta: nope.…'])
})

test('Welsh plural forms for 0, 1, 2, 3, 6 and 11', () => {
  const { t } = translator('cy')
  const forms = [0, 1, 2, 3, 6, 11].map((count) => t('seats.left', { count }))
  assert.deepEqual(forms, ['Dim seddi ar ôl', 'Un sedd ar ôl', 'Dwy sedd ar ôl', 'Tair sedd ar ôl', 'Chwe sedd ar ôl', '11 o seddi ar ôl'])
  const english = translator('en').t
  assert.deepEqual(
    [0, 1, 2, 11, 1000].map((count) => english('seats.left', { count })),
    ['No seats left', '1 seat left', '2 seats left', '11 seats left', '1,000 seats left'],
  )
})

test('an unknown key throws instead of showing a blank', () => {
  assert.throws(() => translator('cy').t('no.such.key' as keyof typeof en), /Unknown message key/)
})

test('every refusal the code can throw has its sentence in the catalogue', async () => {
  const { readdirSync, readFileSync } = await import('node:fs')
  const { join } = await import('node:path')
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
  const keys = walk(join(import.meta.dirname, '../../src')).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/new RefusedError\(\s*['`]([^'`$]+)(\$\{[^}]+\})?['`]/g)].map((m) => ({ key: m[1]!, dynamic: Boolean(m[2]) })))
  assert.ok(keys.length > 10, 'the scan finds the refusals')
  const missing = keys.filter(({ key, dynamic }) => (dynamic ? !Object.keys(en).some((k) => k.startsWith(key)) : !(key in en)))
  assert.deepEqual(missing, [])
})
