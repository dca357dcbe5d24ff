// Tiny dialect helpers shared by migrations. Keep them stable: every migration that
// ever used one must still produce the same schema.
import type { ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely'
import type { Dialect } from '../../src/db/dialect.js'

/**
 * An integer primary key that is never reused, even after the newest row is deleted:
 * AUTOINCREMENT on SQLite (a plain rowid key would hand out max+1 again), an identity
 * column on PostgreSQL. Ids end up in calendar UIDs and links, which must never point
 * at a different thing later.
 */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return table.addColumn('id', 'integer', (col: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? col.primaryKey().generatedAlwaysAsIdentity() : col.primaryKey().autoIncrement(),
  )
}
