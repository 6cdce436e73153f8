import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { migrate } from '../src/db/migrate';
import { createTestDatabase, type TestDatabase } from './helpers/services';

describe('migrate', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(); // already migrated once
  });
  afterAll(() => db.drop());

  test('running again applies nothing and changes nothing', async () => {
    const before = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(before.rows.map((row) => row.version)).toContain('001_tenants');
    expect(await migrate(db.pool)).toEqual([]);
    const after = await db.pool.query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
  });

  test('concurrent runs apply a new migration exactly once', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '001_tenants.sql'), '-- already applied: must be skipped');
    await writeFile(path.join(dir, '900_counter.sql'), 'CREATE TABLE migration_counter (n int); INSERT INTO migration_counter VALUES (1);');
    const results = await Promise.all([migrate(db.pool, dir), migrate(db.pool, dir), migrate(db.pool, dir)]);
    expect(results.flat()).toEqual(['900_counter']);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM migration_counter');
    expect(rows[0].n).toBe(1);
  });

  test('a failing migration is rolled back whole and named in the error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await writeFile(path.join(dir, '950_broken.sql'), 'CREATE TABLE half_done (n int); SELECT * FROM no_such_table;');
    await expect(migrate(db.pool, dir)).rejects.toThrow(/950_broken\.sql failed: .*no_such_table/);
    const { rows } = await db.pool.query("SELECT to_regclass('half_done') AS t");
    expect(rows[0].t).toBeNull();
  });
});
