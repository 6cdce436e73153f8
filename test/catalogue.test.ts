import { insertServicesIfAbsent, searchServices } from '../src/db/catalogue';
import { DEMO_SERVICES } from '../src/db/demo-tenant';
import { insertTenantIfAbsent } from '../src/db/tenants';
import { createTestDatabase, type TestDatabase } from './helpers/services';

describe('searching the catalogue', () => {
  let db: TestDatabase;
  const names = async (query?: string, tenant = 'demo') => (await searchServices(db.pool, tenant, query)).map((s) => s.name);

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertTenantIfAbsent(db.pool, {
      id: 'other',
      name: 'Otra',
      timeZone: 'UTC',
      language: 'es',
      persona: '',
      businessDescription: '',
      burstQuietMs: 0,
      facts: {},
    });
    await insertServicesIfAbsent(db.pool, 'other', [
      { ...DEMO_SERVICES[0]!, id: 'depilacion-cera', name: 'Depilación con cera', price: 9_000 },
    ]);
  });
  afterAll(() => db.drop());

  test('finds a service misspelt and without accents', async () => {
    expect((await names('depilasion laser'))[0]).toBe('Depilación láser');
    expect((await names('limpiesa facial'))[0]).toBe('Limpieza facial profunda');
  });

  test('finds services from a whole sentence, in Spanish or English', async () => {
    expect((await names('¿Cuánto sale un masaje para la espalda?'))[0]).toBe('Masaje descontracturante');
    expect((await names('how much is the chemical peel'))[0]).toBe('Peeling químico');
    expect((await names('masajes'))[0]).toBe('Masaje descontracturante');
  });

  test("finds a service by its English name, misspelt too, and gives that name with it", async () => {
    expect((await names('deep tissue massage'))[0]).toBe('Masaje descontracturante');
    expect((await names('laser hair removel'))[0]).toBe('Depilación láser');
    const [peel] = await searchServices(db.pool, 'demo', 'chemical peel');
    expect(peel!.translations).toEqual({ en: { name: 'Chemical peel', description: 'Skin renewal with gentle acids for spots and texture.' } });
  });

  test('answers with prices and durations, and nothing for what the business does not offer', async () => {
    const [laser] = await searchServices(db.pool, 'demo', 'depilación');
    expect(laser).toEqual(expect.objectContaining({ id: 'depilacion-laser', price: 25_000, currency: 'ARS', durationMinutes: 45 }));
    expect(await names('corte de pelo')).toEqual([]);
  });

  test("never shows another tenant's services", async () => {
    expect(await names('depilación')).toEqual(['Depilación láser']);
    expect(await names('depilación', 'other')).toEqual(['Depilación con cera']);
    expect(await names(undefined)).toHaveLength(DEMO_SERVICES.length);
  });
});
