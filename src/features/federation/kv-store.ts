// Fedify's key-value store over Kysely (both dialects), shared by every app process through
// the database. Fedify keeps caches of remote documents and keys here, and the marks that make
// an incoming activity run once.
import type { KvKey, KvStore, KvStoreListEntry, KvStoreSetOptions } from '@fedify/fedify'
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'

/** The stored form of a key: the JSON of Fedify's key array. */
function keyText(key: KvKey): string {
  return JSON.stringify(key)
}

function expiresAt(options: KvStoreSetOptions | undefined, now: Date): string | null {
  if (!options?.ttl) return null
  return new Date(now.getTime() + options.ttl.total({ unit: 'millisecond' })).toISOString()
}

export class KyselyKvStore implements KvStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get<T = unknown>(key: KvKey): Promise<T | undefined> {
    const now = this.clock().toISOString()
    const row = await this.db
      .selectFrom('fedify_kv')
      .select('value')
      .where('key', '=', keyText(key))
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst()
    return row ? (JSON.parse(row.value) as T) : undefined
  }

  async set(key: KvKey, value: unknown, options?: KvStoreSetOptions): Promise<void> {
    const now = this.clock()
    const row = { key: keyText(key), value: JSON.stringify(value), expires_at: expiresAt(options, now) }
    await this.db
      .insertInto('fedify_kv')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, expires_at: row.expires_at }))
      .execute()
    // Expired entries are never read; a write now and then clears them out.
    if (Math.random() < 0.01) await this.sweep(now)
  }

  async delete(key: KvKey): Promise<void> {
    await this.db.deleteFrom('fedify_kv').where('key', '=', keyText(key)).execute()
  }

  /**
   * Sets the value only if the key holds `expectedValue` now (undefined: the key is absent), in
   * one statement, so two processes racing cannot both win. Values are compared as the JSON
   * this store wrote: Fedify passes back what it read, which serialises the same.
   */
  async cas(key: KvKey, expectedValue: unknown, newValue: unknown, options?: KvStoreSetOptions): Promise<boolean> {
    const now = this.clock()
    const stamp = now.toISOString()
    const k = keyText(key)
    const value = JSON.stringify(newValue)
    const expires = expiresAt(options, now)
    if (expectedValue === undefined) {
      // An expired entry counts as absent.
      await this.db.deleteFrom('fedify_kv').where('key', '=', k).where('expires_at', '<=', stamp).execute()
      const result = await this.db.insertInto('fedify_kv').values({ key: k, value, expires_at: expires }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
    }
    const result = await this.db
      .updateTable('fedify_kv')
      .set({ value, expires_at: expires })
      .where('key', '=', k)
      .where('value', '=', JSON.stringify(expectedValue))
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', stamp)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async *list(prefix?: KvKey): AsyncIterable<KvStoreListEntry> {
    const now = this.clock().toISOString()
    let query = this.db
      .selectFrom('fedify_kv')
      .select(['key', 'value'])
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .orderBy('key')
    if (prefix) {
      // ["a","b"] is a prefix of ["a","b"] itself and of ["a","b",…]: its JSON without the
      // closing bracket, followed by "," or the bracket.
      const exact = keyText(prefix)
      const opening = `${exact.slice(0, -1)},`
      query = query.where((eb) => eb.or([eb('key', '=', exact), eb(eb.fn('substr', ['key', eb.val(1), eb.val(opening.length)]), '=', opening)]))
    }
    for (const row of await query.execute()) yield { key: JSON.parse(row.key) as KvKey, value: JSON.parse(row.value) as unknown }
  }

  /** Deletes what has expired. */
  async sweep(now: Date = this.clock()): Promise<void> {
    await this.db.deleteFrom('fedify_kv').where('expires_at', '<=', now.toISOString()).execute()
  }
}
