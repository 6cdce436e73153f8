import { DateTime } from 'luxon';
import { readDateTimes } from '../../src/domain/offline-model/date-time';

// Monday 23 November 2026, 22:30 in Buenos Aires: already Tuesday in UTC, so the zone must decide.
const NOW = DateTime.fromISO('2026-11-24T01:30:00Z', { zone: 'America/Argentina/Buenos_Aires' });
const read = (text: string) => readDateTimes(text, NOW);

describe('dates', () => {
  test.each([
    ['hoy', '2026-11-23'],
    ['today', '2026-11-23'],
    ['mañana', '2026-11-24'],
    ['Tomorrow', '2026-11-24'],
    ['pasado mañana', '2026-11-25'],
    ['the day after tomorrow', '2026-11-25'],
    ['el martes', '2026-11-24'],
    ['on Friday', '2026-11-27'],
    ['el miércoles que viene', '2026-11-25'],
    ['24/11', '2026-11-24'],
    ['24-11', '2026-11-24'],
    ['11/24', '2026-11-24'],
    ['5/1', '2027-01-05'],
    ['24/11/2026', '2026-11-24'],
    ['24 de noviembre', '2026-11-24'],
    ['el 3 de diciembre', '2026-12-03'],
    ['November 24', '2026-11-24'],
    ['December 3rd', '2026-12-03'],
    ['the 24th of November', '2026-11-24'],
    ['2026-11-24', '2026-11-24'],
    ['el sábado 28', '2026-11-28'],
    ['martes 24 de noviembre', '2026-11-24'],
    ['Tuesday, November 24', '2026-11-24'],
  ])('%j is %s', (text, date) => expect(read(text).dates).toEqual([date]));

  test("a weekday is the next one: today's is next week's, unless it says hoy", () => {
    expect(read('el lunes').dates).toEqual(['2026-11-30']);
    expect(read('hoy lunes').dates).toEqual(['2026-11-23']);
  });

  test('a date already past this year is next year’s', () => {
    expect(read('el 2 de marzo').dates).toEqual(['2027-03-02']);
    expect(read('el 23 de noviembre').dates).toEqual(['2026-11-23']);
  });

  test('the morning and a goodbye are no dates', () => {
    expect(read('por la mañana').dates).toEqual([]);
    expect(read('gracias, hasta mañana').dates).toEqual([]);
    expect(read('mañana a la mañana').dates).toEqual(['2026-11-24']);
  });

  test('impossible dates are ignored; several dates come in the order written', () => {
    expect(read('31/02').dates).toEqual([]);
    expect(read('del martes al jueves').dates).toEqual(['2026-11-24', '2026-11-26']);
  });
});

describe('times', () => {
  test.each([
    ['10', '10:00'],
    ['a las 10', '10:00'],
    ['10:30', '10:30'],
    ['10.30', '10:30'],
    ['10 y media', '10:30'],
    ['10 y cuarto', '10:15'],
    ['3pm', '15:00'],
    ['3 p.m.', '15:00'],
    ['9 am', '09:00'],
    ['12am', '00:00'],
    ['15 hs', '15:00'],
    ['15hs', '15:00'],
    ['at 3 pm', '15:00'],
    ['a las 4 de la tarde', '16:00'],
    ['a las 10 de la mañana', '10:00'],
    ['al mediodía', '12:00'],
    ['sí, 10 porfa', '10:00'],
  ])('%j is %s', (text, time) => expect(read(text).times).toEqual([time]));

  test('an hour said without a.m. or p.m. that nobody books at night is in the afternoon', () => {
    expect(read('a las 3').times).toEqual(['15:00']);
    expect(read('a las 9').times).toEqual(['09:00']);
  });

  test('numbers that are no hour are ignored', () => {
    expect(read('depilación de 3 zonas').times).toEqual([]);
    expect(read('cuesta $25.000').times).toEqual([]);
    expect(read('24 de noviembre').times).toEqual([]);
    expect(read('24/11').times).toEqual([]);
  });
});

test('dates and times together', () => {
  expect(read('quiero reservar el martes a las 10')).toMatchObject({ dates: ['2026-11-24'], times: ['10:00'] });
  expect(read('mañana por la tarde a las 5')).toMatchObject({ dates: ['2026-11-24'], times: ['17:00'] });
  expect(read('Can I come on November 24 at 3:30 pm?')).toMatchObject({ dates: ['2026-11-24'], times: ['15:30'] });
  expect(read('el martes 10 hs')).toMatchObject({ dates: ['2026-11-24'], times: ['10:00'] });
  expect(read('el viernes 10 y media')).toMatchObject({ dates: ['2026-11-27'], times: ['10:30'] });
  expect(read('• martes 24 de noviembre: 09:00, 09:30, 10:00')).toMatchObject({ dates: ['2026-11-24'], times: ['09:00', '09:30', '10:00'] });
});

describe('days and hours as customers write them (now: Monday 23 November, 22:30)', () => {
  test.each([
    ['el 9', '2026-12-09'],
    ['el 24', '2026-11-24'],
    ['para el 3', '2026-12-03'],
    ['the 21st', '2026-12-21'],
    ['on the 3rd', '2026-12-03'],
    ['el viernes de la próxima semana', '2026-12-04'],
    ['el martes de la otra semana', '2026-12-01'],
    ['tmrw', '2026-11-24'],
    ['pal jueves', '2026-11-26'],
    ['thursday january 7', '2027-01-07'],
  ])('%j is %s', (text, date) => expect(read(text).dates).toEqual([date]));

  test.each([
    ['half past ten', '10:30'],
    ['quarter to 4 pm', '15:45'],
    ['a las diez y media', '10:30'],
    ['a la una', '13:00'],
    ['10hs', '10:00'],
    ['make it 10 instead', '10:00'],
    ['morning, 10 if possible', '10:00'],
  ])('%j is %s', (text, time) => expect(read(text).times).toEqual([time]));

  test('"el 11 a las 11" is the 11th at 11:00', () => {
    expect(read('el 11 a las 11 tenes?')).toMatchObject({ dates: ['2026-12-11'], times: ['11:00'] });
  });

  test('a part of the day without an hour', () => {
    expect(read('el sábado a la mañana')).toMatchObject({ dates: ['2026-11-28'], times: [], dayPart: 'morning' });
    expect(read('mañana a la tarde')).toMatchObject({ dates: ['2026-11-24'], dayPart: 'afternoon' });
    expect(read('tomorrow afternoon').dayPart).toBe('afternoon');
    expect(read('good morning').dayPart).toBeUndefined();
  });

  test('a number left unread is flagged, so that no offered day is taken instead', () => {
    expect(read('el 40 a las 11').unread).toBe(true);
    expect(read('el 9 a las 11').unread).toBe(false);
    expect(read('depilación de 3 zonas').unread).toBe(false);
  });
});
