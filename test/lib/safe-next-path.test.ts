import assert from 'node:assert/strict'
import { test } from 'node:test'
import { safeNextPath } from '../../src/plugins/auth.js'

test('only paths on this site are redirect targets', () => {
  assert.equal(safeNextPath('/me/profile'), '/me/profile')
  assert.equal(safeNextPath('/communities?q=lgov#top'), '/communities?q=lgov#top')
  for (const bad of ['/.//evil.example', '/..//evil.example', '/x/../..//evil.example', '//evil.example', '/\t/evil.example', '/\\evil.example', '/\n/x', '/\r\nSet-Cookie: x', 'https://evil.example', 'evil.example', '', ' /x', '/a b', null, 42]) {
    assert.equal(safeNextPath(bad), null, JSON.stringify(bad))
  }
})
