import assert from 'node:assert/strict'
import path from 'node:path'
import { test } from 'node:test'
import { buildTestApp } from '../helpers/build-test-app.js'
import { Browser, signUp } from '../helpers/browser.js'

test('the admin makes a member an organiser and takes it back; members cannot', async (t) => {
  const app = await buildTestApp(t)
  const admin = new Browser(app, '10.2.0.1')
  await signUp(admin, { displayName: 'Admin', email: 'admin@example.org', password: 'a long enough passphrase' })
  const bryn = new Browser(app, '10.2.0.2')
  await signUp(bryn, { displayName: 'Bryn', email: 'bryn@example.org', password: 'a long enough passphrase' })

  const list = await admin.get('/admin/people')
  assert.match(list.html, /Bryn<\/a><\/td>\s*<td>bryn@example\.org<\/td>\s*<td>Member<\/td>/)

  const made = await admin.post('/admin/people/2/role', { role: 'organiser' })
  assert.equal(made.status, 303)
  const after = await admin.get('/admin/people')
  assert.match(after.html, /Bryn is now an organiser\./)
  assert.match(after.html, /<td>Organiser<\/td>/)
  assert.match((await bryn.get('/people/2')).html, /class="tag">Organiser/)

  await admin.get('/admin/people')
  await admin.post('/admin/people/2/role', { role: 'member' })
  assert.match((await admin.get('/admin/people')).html, /Bryn is no longer an organiser\./)

  // A member who forges the form gets a 403 page and changes nothing.
  await bryn.get('/')
  const forged = await bryn.post('/admin/people/2/role', { role: 'organiser' })
  assert.equal(forged.status, 403)
  assert.match(forged.html, /You cannot do that/)
  const row = await app.db.selectFrom('users').select('role').where('id', '=', 2).executeTakeFirstOrThrow()
  assert.equal(row.role, 'member')
})

test('the admin cannot be demoted from the people page', async (t) => {
  const app = await buildTestApp(t)
  const admin = new Browser(app)
  await signUp(admin, { displayName: 'Admin', email: 'admin@example.org', password: 'a long enough passphrase' })
  await admin.get('/admin/people')
  await admin.post('/admin/people/1/role', { role: 'member' })
  const row = await app.db.selectFrom('users').select('role').where('id', '=', 1).executeTakeFirstOrThrow()
  assert.equal(row.role, 'admin')
  assert.match((await admin.get('/admin/people')).html, /is the site admin; that role cannot be changed here/)
})

test('the admin finds the sent emails from the admin pages, and sees the folder they are really in', async (t) => {
  const app = await buildTestApp(t)
  const admin = new Browser(app)
  await signUp(admin, { displayName: 'Admin', email: 'admin@example.org', password: 'a long enough passphrase' })
  const people = await admin.get('/admin/people')
  assert.match(people.html, /<nav class="tabs" aria-label="Site admin">[\s\S]*<a href="\/dev\/mail">Sent emails<\/a>/)
  const mail = await admin.get('/dev/mail')
  assert.equal(mail.status, 200)
  assert.match(mail.html, /<a href="\/dev\/mail" aria-current="page">Sent emails<\/a>/)
  // The data folder of this app (a temp folder in the tests), not a fixed "data/mail".
  assert.ok(mail.html.includes(`written to the folder ${path.join(app.config.dataDir, 'mail')} and listed here`), 'the real folder is named')
  const welsh = await admin.get('/dev/mail?lang=cy')
  assert.ok(welsh.html.includes(`i’r ffolder ${path.join(app.config.dataDir, 'mail')}`))
})
